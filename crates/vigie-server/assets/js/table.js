// The events screen: the filter panel and a paged table of the events the user may see,
// each row with its marking, and the exports of the same selection.

import { h, clear, stacked } from './dom.js';
import { get, url } from './api.js';
import { t, num, day, category, country, regionName } from './i18n.js';
import { filters, onChange } from './state.js';
import { filterPanel } from './filters.js';
import { openEvent, badge } from './detail.js';

const PAGE = 50;

export async function renderTable(main) {
  let offset = 0;
  let seq = 0;
  const status = h('p', { id: 'table-status', class: 'status', role: 'status', 'aria-live': 'polite' });
  const body = h('div', { class: 'table-wrap' });
  const pager = h('nav', { class: 'pager', 'aria-label': t('table.pages') });
  const exportsBox = h('div', { class: 'exports-box' });
  const panel = await filterPanel();
  const toggle = h('button', { type: 'button', class: 'filters-toggle', 'aria-expanded': 'false', 'aria-controls': 'side' }, t('filter.title'));
  const side = h('aside', { class: 'side', id: 'side' }, panel);
  toggle.addEventListener('click', () => toggle.setAttribute('aria-expanded', String(side.classList.toggle('open'))));
  clear(main).append(h('div', { class: 'screen' }, toggle, side,
    h('section', { class: 'tablecol' }, h('h1', {}, t('nav.events')), h('div', { class: 'toolbar' }, status, exportsBox), body, pager)));

  async function load() {
    const mine = ++seq;
    const f = filters();
    const started = performance.now();
    status.dataset.state = 'loading';
    exportsBox.replaceChildren(h('div', { class: 'exports', role: 'group', 'aria-label': t('export.label') },
      h('span', {}, t('export.label')),
      ['csv', 'geojson'].map((fmt) => h('a', { class: 'button', href: url('/events/export', { ...f, format: fmt }), download: `vigie-events.${fmt}`, 'data-export': fmt }, t(`export.${fmt}`)))));
    try {
      const page = await get('/events', { ...f, limit: PAGE, offset });
      if (mine !== seq) return;
      status.textContent = page.total === 0 ? t('table.none')
        : t('table.status', { from: num(offset + 1), to: num(offset + page.items.length), n: num(page.total) });
      Object.assign(status.dataset, { state: 'ready', total: page.total, ms: Math.round(performance.now() - started) });
      body.replaceChildren(stacked(h('table', { class: 'events' },
        h('caption', { class: 'sr' }, t('nav.events')),
        h('thead', {}, h('tr', {}, ['date', 'country', 'region', 'location', 'category', 'fatalities', 'source', 'marking', 'details']
          .map((c) => h('th', { scope: 'col', class: c === 'fatalities' ? 'n' : null }, t(`col.${c}`))))),
        h('tbody', {}, page.items.map((e) => h('tr', { dataset: { id: e.id, source: e.source } },
          h('td', {}, day(e.period.start)),
          h('td', {}, country(e.place.country)),
          h('td', {}, regionName(e.place.admin1) || '–'),
          h('td', {}, e.place.location || '–'),
          h('td', {}, h('span', { class: `dot vc-${e.category}` }), category(e.category)),
          h('td', { class: 'n' }, num(e.fatalities.best)),
          h('td', {}, t(`source.${e.source}`)),
          h('td', {}, badge(e.marking)),
          h('td', {}, h('button', { type: 'button', class: 'link', onclick: () => openEvent(e.id),
            'aria-label': t('table.detailsOf', { what: `${day(e.period.start)} ${e.place.location || ''}` }) }, t('col.details')))))))));
      const prev = h('button', { type: 'button', disabled: offset === 0, onclick: () => { offset = Math.max(0, offset - PAGE); load(); } }, t('table.prev'));
      const next = h('button', { type: 'button', disabled: offset + PAGE >= page.total, onclick: () => { offset += PAGE; load(); } }, t('table.next'));
      pager.replaceChildren(prev, next);
    } catch (e) {
      if (mine !== seq) return;
      status.textContent = t('error.load', { msg: e.message });
      status.dataset.state = 'error';
    }
  }
  const off = onChange(() => { offset = 0; load(); });
  await load();
  return off;
}
