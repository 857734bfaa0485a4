// Boot, sign-in, language and routing. Every record the UI shows comes from /api/v1 with the
// user's session: the server's gate alone decides what that is.

import { h, clear } from './dom.js';
import { api, setCsrf, forget } from './api.js';
import * as i18n from './i18n.js';
import { t } from './i18n.js';
import { navigate, setRenderer } from './router.js';
import { renderMap } from './map.js';
import { renderTable } from './table.js';
import { renderRegion } from './region.js';
import { renderAlerts } from './alerts.js';
import { renderBoard } from './board.js';
import { renderAllocation } from './allocation.js';
import { renderThreeW } from './threew.js';

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
  document.getElementById('who').textContent = `${m.user.id} · ${m.org ? m.org.name : m.user.org}`;
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

document.getElementById('logout').addEventListener('click', async () => {
  try { await api('/auth/logout', { method: 'POST' }); } catch { /* the session may be gone already */ }
  setCsrf(null);
  forget();
  me = null;
  top.hidden = true;
  navigate('/login', { replace: true });
});

async function route() {
  if (cleanup) { try { cleanup(); } catch { /* ignore */ } cleanup = null; }
  const path = location.pathname;
  if (!me && path !== '/login') {
    navigate(`/login?next=${encodeURIComponent(path + location.search)}`, { replace: true });
    return;
  }
  for (const a of document.querySelectorAll('#nav a')) {
    if (a.getAttribute('href') === path || (path === '/' && a.getAttribute('href') === '/map')) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  const coordTitles = { '/board': 'nav.tasks', '/allocation': 'nav.allocation', '/3w': 'nav.threew' };
  const reportTitles = path === '/reports' || path.startsWith('/reports/') ? 'nav.reports' : path === '/report-event' ? 'nav.fieldReport' : null;
  document.title = `Vigie — ${t(reportTitles || coordTitles[path] || (path.startsWith('/region') ? 'region.title' : path === '/events' ? 'nav.events' : path === '/alerts' ? 'nav.alerts' : path === '/login' ? 'login.title' : 'nav.map'))}`;
  try {
    if (path === '/login') { if (me) { navigate('/map', { replace: true }); return; } loginView(); return; }
    if (path === '/events') { cleanup = await renderTable(main); return; }
    if (path === '/alerts') { renderAlerts(main); return; }
    if (path === '/board') { await renderBoard(main); return; }
    if (path === '/allocation') { await renderAllocation(main); return; }
    if (path === '/3w') { await renderThreeW(main); return; }
    if (path === '/reports' || path.startsWith('/reports/')) { const { renderReports } = await import('./reports.js'); cleanup = await renderReports(main); return; }
    if (path === '/report-event') { const { renderFieldReport } = await import('./fieldreport.js'); cleanup = await renderFieldReport(main); return; }
    const m = path.match(/^\/region\/([^/]+)\/([^/]+)$/);
    if (m) { await renderRegion(main, decodeURIComponent(m[1]), decodeURIComponent(m[2])); return; }
    cleanup = await renderMap(main);
  } catch (e) {
    if (e.status === 401) { me = null; top.hidden = true; navigate('/login', { replace: true }); return; }
    clear(main).append(h('p', { class: 'error', role: 'alert' }, t('error.load', { msg: e.message })));
  }
}

async function boot() {
  await i18n.loadIso2();
  await i18n.load(i18n.remembered(null) || i18n.guess());
  setRenderer(route);
  try {
    await signedIn(await api('/me'));
  } catch (e) {
    if (e.status !== 401) throw e;
  }
  route();
}

boot();
