// Boot, sign-in, language and routing. Every record the UI shows comes from /api/v1 with the
// user's session: the server's gate alone decides what that is.

import { h, clear } from './dom.js';
import { api, setCsrf, forget } from './api.js';
import * as i18n from './i18n.js';
import { t } from './i18n.js';
import { navigate, setRenderer, rendered } from './router.js';

// Each screen's modules are fetched when the screen is first opened (the sign-in page needs
// none of them, nor the map library).
/** Opens the event the address names, if any (detail.js, loaded with the screen). */
async function followAddress() {
  if (new URLSearchParams(location.search).get('event')) (await import('./detail.js')).followAddress();
}
const screens = {
  map: () => import('./map.js'),
  table: () => import('./table.js'),
  region: () => import('./region.js'),
  alerts: () => import('./alerts.js'),
  board: () => import('./board.js'),
  allocation: () => import('./allocation.js'),
  threew: () => import('./threew.js'),
};

const main = document.getElementById('main');
const top = document.getElementById('top');
const lang = document.getElementById('lang');
let me = null;
let cleanup = null;
// A language picked on the sign-in screen, before anyone is signed in.
let pickedAtLogin = null;

function loginView() {
  const err = h('p', { class: 'error', role: 'alert', id: 'login-error' });
  const form = h('form', { class: 'login', id: 'login' },
    h('h1', {}, t('login.title')),
    h('p', {}, t('login.intro')),
    h('div', { class: 'field' }, h('label', { for: 'username' }, t('login.username')),
      h('input', { id: 'username', name: 'username', autocomplete: 'username', required: true })),
    h('div', { class: 'field' }, h('label', { for: 'password' }, t('login.password')),
      h('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true })),
    err,
    h('button', { type: 'submit', class: 'primary' }, t('login.submit')),
    h('div', { class: 'field lang-login' }, h('label', { for: 'login-lang' }, t('lang.label')),
      (() => {
        const s = h('select', { id: 'login-lang' }, h('option', { value: 'en' }, 'English'), h('option', { value: 'fr' }, 'Français'));
        s.value = i18n.current();
        s.addEventListener('change', async () => { pickedAtLogin = s.value; await i18n.load(s.value); i18n.remember(null, s.value); route(); });
        return s;
      })()));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    err.textContent = '';
    try {
      const r = await api('/auth/login', { method: 'POST', body: { username: form.username.value.trim(), password: form.password.value } });
      setCsrf(r.csrf_token);
      forget();
      await signedIn(await api('/me'));
      const next = new URLSearchParams(location.search).get('next');
      await navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : '/map', { replace: true });
      focusHeading();
    } catch (x) {
      err.textContent = x.status === 429 ? t('login.throttled') : x.status === 401 ? t('login.invalid') : t('error.load', { msg: x.message });
    }
  });
  clear(main).append(h('div', { class: 'page narrow' }, form));
  form.username.focus();
}

/**
 * Focus on the page's heading (visually hidden on the map), so that keyboard and
 * screen-reader users start on the new page rather than on the body.
 */
function focusHeading() {
  const heading = main.querySelector('h1');
  if (!heading) { main.focus({ preventScroll: true }); return; }
  if (!heading.hasAttribute('tabindex')) heading.setAttribute('tabindex', '-1');
  heading.focus({ preventScroll: true });
}

async function signedIn(m) {
  me = m;
  // The user's own choice (server, then this browser), else what they picked on the sign-in
  // screen, else the browser's language.
  const lc = m.locale || i18n.remembered(m.user.id) || pickedAtLogin || i18n.guess();
  pickedAtLogin = null;
  await i18n.load(lc);
  i18n.remember(m.user.id, lc);
  lang.value = lc;
  // Who is signed in, and for which organisation (its name shown where there is room).
  const orgName = m.org ? m.org.name : m.user.org;
  const who = document.getElementById('who');
  who.replaceChildren(h('span', { class: 'user' }, m.user.id), h('span', { class: 'org' }, ` · ${orgName}`));
  who.title = `${m.user.id} · ${orgName}`;
  // Administration is linked for those who administer something (what they may do there is
  // the API's to say).
  document.getElementById('nav-admin').hidden = !m.user.roles.some((r) => r === 'org-admin' || r === 'site-admin');
  top.hidden = false;
}

lang.addEventListener('change', async () => {
  const lc = lang.value;
  await i18n.load(lc);
  i18n.remember(me && me.user.id, lc);
  // Remembered on the server where it supports it (PUT /me/locale); this browser keeps it too.
  api('/me/locale', { method: 'PUT', body: { locale: lc } }).catch(() => {});
  route();
});

// On a phone the screens are behind a menu button; choosing one closes the menu.
const menu = document.getElementById('menu');
const nav = document.getElementById('nav');
const showMenu = (open) => { menu.setAttribute('aria-expanded', String(open)); nav.classList.toggle('open', open); };
menu.addEventListener('click', () => showMenu(menu.getAttribute('aria-expanded') !== 'true'));
nav.addEventListener('click', (e) => { if (e.target.closest('a')) showMenu(false); });

document.getElementById('logout').addEventListener('click', async () => {
  try { await api('/auth/logout', { method: 'POST' }); } catch { /* the session may be gone already */ }
  setCsrf(null);
  forget();
  me = null;
  top.hidden = true;
  navigate('/login', { replace: true });
});

async function route() {
  rendered();
  if (cleanup) { try { cleanup(); } catch { /* ignore */ } cleanup = null; }
  const path = location.pathname;
  if (!me && path !== '/login') {
    navigate(`/login?next=${encodeURIComponent(path + location.search)}`, { replace: true });
    return;
  }
  for (const a of document.querySelectorAll('#nav a')) {
    if (a.getAttribute('href') === path || (path === '/' && a.getAttribute('href') === '/map') || (path.startsWith('/admin/') && a.getAttribute('href') === '/admin') || (path === '/coverage' && a.getAttribute('href') === '/alerts')) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  const coordTitles = { '/board': 'nav.tasks', '/allocation': 'nav.allocation', '/3w': 'nav.threew' };
  const reportTitles = path === '/reports' || path.startsWith('/reports/') ? 'nav.reports' : path === '/report-event' ? 'nav.fieldReport' : null;
  document.title = `Vigie — ${t(reportTitles || coordTitles[path] || (path === '/admin' || path.startsWith('/admin/') ? 'admin.title' : path.startsWith('/region') ? 'region.title' : path === '/events' ? 'nav.events' : path === '/alerts' ? 'nav.alerts' : path === '/coverage' ? 'coverage.title' : path === '/forecasts' ? 'forecasts.title' : path === '/login' ? 'login.title' : 'nav.map'))}`;
  try {
    if (path === '/login') { if (me) { navigate('/map', { replace: true }); return; } loginView(); return; }
    if (path === '/events') { cleanup = await (await screens.table()).renderTable(main); await followAddress(); return; }
    if (path === '/reports' || path.startsWith('/reports/')) { const { renderReports } = await import('./reports.js'); cleanup = await renderReports(main); return; }
    if (path === '/report-event') { const { renderFieldReport } = await import('./fieldreport.js'); cleanup = await renderFieldReport(main); return; }
    if (path === '/coverage') { const { renderCoverage } = await import('./coverage.js'); await renderCoverage(main); return; }
    if (path === '/alerts') { (await screens.alerts()).renderAlerts(main); return; }
    if (path === '/forecasts') { const [{ renderForecasts }] = await Promise.all([import('./forecasts.js'), import('./leaflet.js').then((x) => x.loadLeaflet())]); cleanup = await renderForecasts(main); return; }
    if (path === '/board') { await (await screens.board()).renderBoard(main); return; }
    if (path === '/allocation') { await (await screens.allocation()).renderAllocation(main); return; }
    if (path === '/3w') { await (await screens.threew()).renderThreeW(main); return; }
    if (path === '/admin' || path.startsWith('/admin/')) { const { renderAdmin } = await import('./admin.js'); cleanup = await renderAdmin(main, me); return; }
    const m = path.match(/^\/region\/([^/]+)\/([^/]+)$/);
    if (m) { await (await screens.region()).renderRegion(main, decodeURIComponent(m[1]), decodeURIComponent(m[2])); await followAddress(); return; }
    // The map's module and the map library at once.
    const [mapScreen] = await Promise.all([screens.map(), import('./leaflet.js').then((x) => x.loadLeaflet())]);
    cleanup = await mapScreen.renderMap(main);
    await followAddress();
  } catch (e) {
    if (e.status === 401) { me = null; top.hidden = true; navigate('/login', { replace: true }); return; }
    clear(main).append(h('p', { class: 'error', role: 'alert' }, t('error.load', { msg: e.message })));
  }
}

// A printed page says who printed it and when (the stylesheet shows it above the content).
addEventListener('beforeprint', () => {
  document.body.dataset.printed = t('print.by', { who: me ? `${me.user.id} · ${me.org ? me.org.name : me.user.org}` : '', when: new Date().toISOString().slice(0, 16).replace('T', ' ') });
});

async function boot() {
  // Country names, the interface's words and who is signed in, at once (one round trip on a
  // slow line rather than three).
  const [, , who] = await Promise.all([
    i18n.loadIso2(),
    i18n.load(i18n.remembered(null) || i18n.guess()),
    api('/me').catch((e) => { if (e.status !== 401) throw e; return null; }),
  ]);
  setRenderer(route);
  if (who) await signedIn(who);
  route();
}

boot();
