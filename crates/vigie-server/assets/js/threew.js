// The 3W matrix (who does what where): organisation × country and region × task type, with the
// number of tasks accepted, in progress and done (GET /coord/3w), and the same as HXL-tagged CSV.

import { h, clear, stacked } from './dom.js';
import { api, url } from './api.js';
import { t, num, country, plural } from './i18n.js';
import { typeName } from './tasks.js';

export async function renderThreeW(main) {
  const started = performance.now();
  const status = h('p', { class: 'status', id: 'threew-status', role: 'status' }, t('loading'));
  const body = h('div', { class: 'table-wrap' });
  const root = h('div', { class: 'page threew-page' },
    h('h1', {}, t('nav.threew')),
    h('p', {}, t('threew.intro')),
    h('div', { class: 'exports', role: 'group', 'aria-label': t('export.label') },
      h('a', { class: 'button', href: url('/coord/3w', { format: 'csv' }), download: 'vigie-3w.csv', 'data-export': 'csv' }, t('threew.csv'))),
    status, body);
  clear(main).append(root);
  try {
    const { rows } = await api('/coord/3w');
    if (!root.isConnected) return;
    const total = (k) => rows.reduce((a, r) => a + (r[k] || 0), 0);
    body.replaceChildren(rows.length === 0 ? h('p', { class: 'empty', id: 'threew-empty' }, t('threew.none')) : stacked(h('table', { id: 'threew-table', class: 'compact' },
      h('caption', { class: 'sr' }, t('threew.caption')),
      h('thead', {}, h('tr', {}, ['org', 'country', 'admin1', 'type', 'accepted', 'inProgress', 'done'].map((c, i) =>
        h('th', { scope: 'col', class: i >= 4 ? 'n' : null }, t(`threew.col.${c}`))))),
      h('tbody', {}, rows.map((r) => h('tr', { dataset: { org: r.org, country: r.country, admin1: r.admin1 || '', type: r.task_type } },
        h('th', { scope: 'row' }, r.org),
        h('td', {}, country(r.country)),
        h('td', {}, r.admin1 || '–'),
        h('td', {}, typeName(r.task_type)),
        h('td', { class: 'n' }, num(r.accepted)),
        h('td', { class: 'n' }, num(r.in_progress)),
        h('td', { class: 'n' }, num(r.done))))),
      h('tfoot', {}, h('tr', {},
        h('th', { scope: 'row', colspan: 4 }, t('threew.total')),
        h('td', { class: 'n' }, num(total('accepted'))),
        h('td', { class: 'n' }, num(total('in_progress'))),
        h('td', { class: 'n' }, num(total('done'))))))));
    status.textContent = plural('threew.count', rows.length, num);
    Object.assign(status.dataset, { state: 'ready', rows: rows.length, ms: Math.round(performance.now() - started) });
  } catch (e) {
    if (!root.isConnected) return;
    status.textContent = t('error.load', { msg: e.message });
    status.dataset.state = 'error';
  }
}
