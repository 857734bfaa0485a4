// Situation reports: the list the user may see (GET /reports), a report read with its
// Markdown rendered safely, the editor (new and edit) with a live preview, re-marking and
// re-sharing with the plain-words preview of who will read it, and the audiences a report
// has had. The server alone decides what is visible and what may change: these screens
// show its answers and its refusals.

import { h, clear, debounce, append } from './dom.js';
import { api, get, forget } from './api.js';
import { t, num, country } from './i18n.js';
import { formErrors, field, option } from './form.js';
import { dl, when, markingBanner } from './warning.js';
import { badge } from './detail.js';
import { navigate } from './router.js';
import { markdown } from './markdown.js';
import { sharingChoices, audiencePicker, distributionWords, listWords } from './share.js';

/** The countries a report or an incident is most often about (West Africa and the Sahel). */
export const COUNTRIES = ['BEN', 'BFA', 'CIV', 'CMR', 'CPV', 'GHA', 'GIN', 'GMB', 'GNB', 'LBR', 'MLI', 'MRT', 'NER', 'NGA', 'SEN', 'SLE', 'TCD', 'TGO'];

/** A select of those countries by name in the page's language, with an empty first choice. */
export function countrySelect(name, none, selected) {
  const sorted = [...COUNTRIES].sort((a, b) => country(a).localeCompare(country(b)));
  if (selected && !sorted.includes(selected)) sorted.unshift(selected);
  return h('select', { name }, option('', none, !selected), sorted.map((c) => option(c, country(c), c === selected)));
}

const statusName = (s) => t(`reports.status.${s}`);
const orgNames = async () => new Map(((await get('/orgs')).items || []).map((o) => [o.id, o.name]));

export async function renderReports(main) {
  const me = await get('/me');
  const path = location.pathname;
  if (path === '/reports') return listView(main);
  const m = path.match(/^\/reports\/([^/]+)(\/edit)?$/);
  if (!m) return listView(main);
  const id = decodeURIComponent(m[1]);
  if (id === 'new') return editor(main, me, null);
  return m[2] ? editor(main, me, id) : reader(main, me, id);
}

function notFound(page) {
  page.append(
    h('h1', {}, t('reports.notFoundTitle')),
    h('p', { class: 'error', role: 'alert', id: 'report-not-found' }, t('reports.notFound')),
    h('p', {}, h('a', { href: '/reports', 'data-link': true }, t('reports.back'))));
  page.dataset.state = 'ready';
}

/** The list: search and status in the address, each report with its marking. */
async function listView(main) {
  const params = new URLSearchParams(location.search);
  const q = h('input', { type: 'search', name: 'q', autocomplete: 'off', maxlength: 1000, value: params.get('q') || '' });
  const status = h('select', { name: 'status' },
    option('', t('reports.status.any')), option('draft', statusName('draft')), option('published', statusName('published')));
  status.value = params.get('status') || '';
  const filter = h('form', { class: 'reports-filter', role: 'search', 'aria-label': t('reports.filter') },
    field('reports-q', t('reports.search'), q),
    field('reports-status-filter', t('reports.statusLabel'), status),
    h('div', { class: 'buttons' }, h('button', { type: 'submit' }, t('reports.apply'))));
  filter.addEventListener('submit', (e) => {
    e.preventDefault();
    const p = new URLSearchParams();
    if (q.value.trim()) p.set('q', q.value.trim());
    if (status.value) p.set('status', status.value);
    navigate(`/reports${p.toString() ? `?${p}` : ''}`);
  });
  const count = h('p', { class: 'status', id: 'reports-count', role: 'status', dataset: { state: 'loading' } }, t('loading'));
  const list = h('ul', { class: 'report-list', id: 'report-list' });
  clear(main).append(h('div', { class: 'page reports-page' },
    h('div', { class: 'reports-head' },
      h('h1', {}, t('reports.title')),
      h('div', { class: 'buttons' },
        h('a', { class: 'button primary', href: '/reports/new', 'data-link': true, id: 'report-new' }, t('reports.new')),
        h('a', { class: 'button', href: '/report-event', 'data-link': true }, t('fieldreport.title')))),
    filter, count, list));
  const [page, names] = await Promise.all([
    api('/reports', { params: { q: params.get('q') || '', status: params.get('status') || '', limit: 200 } }),
    orgNames(),
  ]);
  for (const r of page.items) {
    list.append(h('li', { class: 'report-item', dataset: { id: r.id, marking: r.audience.marking } },
      markingBanner(r.audience.marking),
      h('h2', {}, h('a', { href: `/reports/${r.id}`, 'data-link': true }, r.title)),
      h('p', { class: 'report-meta' },
        h('span', { class: 'report-owner' }, names.get(r.audience.owner) || r.audience.owner),
        ' · ', h('span', { class: `report-status report-${r.status}` }, statusName(r.status)),
        r.country ? [' · ', country(r.country)] : null,
        ' · ', h('time', { datetime: r.updated_at }, when(r.updated_at)))));
  }
  if (page.items.length === 0) list.append(h('li', { class: 'empty' }, t('reports.none')));
  count.textContent = page.total > page.items.length
    ? t('reports.countSome', { n: num(page.items.length), total: num(page.total) })
    : t('reports.count', { n: num(page.total) });
  Object.assign(count.dataset, { total: page.total, shown: page.items.length, state: 'ready' });
}

/** An audience the report had, in words (names to the owner organisation only). */
function changeWords(c, choices) {
  if (c.distribution === 'organisations' || c.distribution === 'recipients') {
    const names = c.names
      ? listWords(c.distribution === 'organisations' ? c.names.map((o) => (choices.allOrgs.find((x) => x.id === o) || {}).name || o) : c.names)
      : t('reports.namedCount', { n: num(c.named) });
    return t(`reports.share.words.${c.distribution === 'organisations' ? 'organisations' : 'recipients'}`, { names });
  }
  return distributionWords({ kind: c.distribution, id: c.reference }, choices);
}

/** One report: its marking, facts, body, and for its owner the changes it may make. */
async function reader(main, me, id, flash) {
  const page = h('div', { class: 'page report-page', id: 'report', dataset: { state: 'loading' } });
  clear(main).append(page);
  let r;
  try {
    r = await api(`/reports/${encodeURIComponent(id)}`);
  } catch (x) {
    if (x.status === 404 || x.status === 400) { notFound(page); return; }
    throw x;
  }
  const [names, choices, history] = await Promise.all([
    orgNames(), sharingChoices(me),
    api(`/reports/${encodeURIComponent(id)}/audience-history`).catch(() => ({ items: [] })),
  ]);
  const owner = r.audience.owner;
  // Offered to the owner organisation only; the server decides whether it is allowed.
  const ours = me.user.org === owner;
  const status = h('p', { class: 'status', id: 'report-flash', role: 'status' }, flash || '');
  append(page, [
    h('p', { class: 'back' }, h('a', { href: '/reports', 'data-link': true }, t('reports.back'))),
    Object.assign(markingBanner(r.audience.marking), { id: 'report-marking' }),
    h('h1', { id: 'report-title' }, r.title),
    status,
    dl([
      [t('reports.owner'), names.get(owner) || owner],
      [t('reports.statusLabel'), statusName(r.status)],
      [t('reports.country'), r.country ? country(r.country) : null],
      [t('reports.admin1'), r.admin1],
      [t('reports.updated'), when(r.updated_at, true)],
      [t('reports.version'), num(r.version)],
      [t('detail.distribution'), h('span', { id: 'report-shared' }, distributionWords(r.audience.distribution, choices))],
    ], { id: 'report-facts' }),
    ours ? h('div', { class: 'buttons' }, h('a', { class: 'button', href: `/reports/${encodeURIComponent(id)}/edit`, 'data-link': true, id: 'report-edit' }, t('reports.edit'))) : null,
    h('article', { class: 'md', id: 'report-body', 'aria-label': t('reports.body') }, markdown(r.body)),
    ours ? reshareForm(main, me, r, choices) : null,
    h('section', { class: 'card', 'aria-labelledby': 'history-h' },
      h('h2', { id: 'history-h' }, t('reports.history')),
      history.items.length === 0 ? h('p', { class: 'empty' }, t('reports.noHistory'))
        : h('ol', { class: 'audience-history', id: 'audience-history' }, history.items.map((c) => h('li', { dataset: { marking: c.marking, distribution: c.distribution, action: c.action } },
          badge(c.marking), ' ', h('time', { datetime: c.at }, when(c.at, true)), ' — ',
          t(`reports.change.${c.action}`), ': ', changeWords(c, choices), c.by ? ` (${c.by})` : '')))),
  ]);
  page.dataset.state = 'ready';
}

/** Re-marking and re-sharing: the picker prefilled with the report's audience. */
function reshareForm(main, me, r, choices) {
  const picker = audiencePicker('reshare', choices, { at: '', initial: r.audience });
  const formError = h('p', { class: 'error', id: 'reshare-error', role: 'alert' });
  const form = h('form', { id: 'reshare-form', class: 'card report-form', novalidate: true, 'aria-labelledby': 'reshare-h' },
    h('h2', { id: 'reshare-h' }, t('reports.reshare')),
    h('p', { class: 'hint' }, t('reports.reshareHint')),
    picker.el, formError,
    h('div', { class: 'buttons' }, h('button', { type: 'submit', class: 'primary' }, t('reports.reshareSave'))));
  const errors = formErrors(form, formError);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    errors.reset();
    await errors.submitting(async () => {
      const v = picker.value();
      await api(`/reports/${encodeURIComponent(r.id)}/audience`, { method: 'PUT', body: v });
      forget();
      await reader(main, me, r.id, t('reports.reshared', { marking: v.marking }));
      document.getElementById('report-title').focus();
    });
  });
  return form;
}

/** The editor: a new report (with its audience) or changes to one (`id`). */
async function editor(main, me, id) {
  const page = h('div', { class: 'page report-editor', id: 'report-editor', dataset: { state: 'loading' } });
  clear(main).append(page);
  let r = null;
  if (id) {
    try {
      r = await api(`/reports/${encodeURIComponent(id)}`);
    } catch (x) {
      if (x.status === 404 || x.status === 400) { notFound(page); return; }
      throw x;
    }
  }
  const choices = id ? null : await sharingChoices(me);
  const title = h('input', { name: 'title', autocomplete: 'off', maxlength: 300, required: true, value: r ? r.title : undefined });
  const where = countrySelect('country', t('reports.noCountry'), r && r.country);
  const admin1 = h('input', { name: 'admin1', autocomplete: 'off', maxlength: 200, value: (r && r.admin1) || undefined });
  const status = h('select', { name: 'status' }, ['draft', 'published'].map((s) => option(s, statusName(s), s === ((r && r.status) || 'draft'))));
  const body = h('textarea', { name: 'body', rows: 14, spellcheck: 'true' });
  body.value = r ? r.body : '';
  const preview = h('div', { class: 'md md-preview', id: 'report-body-preview' });
  const render = () => clear(preview).append(...markdown(body.value));
  body.addEventListener('input', debounce(render, 120));
  render();
  const picker = choices ? audiencePicker('report', choices, { at: 'audience.' }) : null;
  const formError = h('p', { class: 'error', id: 'report-form-error', role: 'alert' });
  const heading = r ? t('reports.editTitle', { title: r.title }) : t('reports.new');
  const form = h('form', { id: 'report-form', class: 'report-form', novalidate: true, 'aria-labelledby': 'report-form-h' },
    h('p', { class: 'back' }, h('a', { href: r ? `/reports/${encodeURIComponent(r.id)}` : '/reports', 'data-link': true }, r ? t('reports.backToReport') : t('reports.back'))),
    r ? markingBanner(r.audience.marking) : null,
    h('h1', { id: 'report-form-h' }, heading),
    field('report-title', t('reports.titleLabel'), title),
    h('div', { class: 'row3' },
      field('report-country', t('reports.country'), where),
      field('report-admin1', t('reports.admin1'), admin1, t('reports.admin1Hint')),
      field('report-status', t('reports.statusLabel'), status, t('reports.statusHint'))),
    h('div', { class: 'md-split' },
      field('report-body-input', t('reports.body'), body, t('reports.bodyHint')),
      h('section', { class: 'md-preview-box', 'aria-labelledby': 'report-preview-h' },
        h('h2', { id: 'report-preview-h' }, t('reports.preview')), preview)),
    picker ? h('section', { 'aria-labelledby': 'report-share-h' }, h('h2', { id: 'report-share-h' }, t('reports.audience')), picker.el)
      : h('p', { class: 'hint' }, t('reports.audienceElsewhere')),
    formError,
    h('div', { class: 'buttons' }, h('button', { type: 'submit', class: 'primary', id: 'report-save' }, r ? t('reports.saveChanges') : t('reports.save'))));
  page.append(form);
  const errors = formErrors(form, formError);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    errors.reset();
    if (!title.value.trim()) { errors.show('report-title', t('reports.needTitle')); return; }
    const fields = { title: title.value.trim(), body: body.value, status: status.value };
    await errors.submitting(async () => {
      let saved;
      if (r) {
        saved = await api(`/reports/${encodeURIComponent(r.id)}`, { method: 'PATCH', body: { ...fields, country: where.value, admin1: admin1.value.trim() } });
      } else {
        saved = await api('/reports', {
          method: 'POST',
          body: { ...fields, country: where.value || undefined, admin1: admin1.value.trim() || undefined, audience: picker.value() },
        });
      }
      forget();
      await navigate(`/reports/${encodeURIComponent(saved.id)}`);
      const h1 = document.getElementById('report-title');
      if (h1) { h1.setAttribute('tabindex', '-1'); h1.focus(); }
    });
  });
  page.dataset.state = 'ready';
  title.focus();
}
