// A region's profile: monthly fatalities by category, the top actors, recent events, and
// its forecasts and alerts (which do not exist yet: said so, nothing invented).

import { h, clear } from './dom.js';
import { get } from './api.js';
import { t, num, day, category, country, month } from './i18n.js';
import { filters } from './state.js';
import { monthlyByCategory, stackedBars } from './timeline.js';
import { openEvent, badge } from './detail.js';
import { CATEGORIES } from './style.js';

function section(id, title, ...body) {
  return h('section', { class: 'card', 'aria-labelledby': id }, h('h2', { id }, title), ...body);
}

export async function renderRegion(main, iso3, admin1) {
  const f = { ...filters(), country: iso3, admin1 };
  const started = performance.now();
  const period = f.from || f.to ? `${f.from ? day(f.from) : '…'} – ${f.to ? day(f.to) : '…'}` : t('region.allTime');
  clear(main).append(h('div', { class: 'region' },
    h('p', {}, h('a', { href: `/map${location.search}`, 'data-link': '' }, `← ${t('nav.map')}`)),
    h('h1', { id: 'region-title' }, `${admin1} — ${country(iso3)}`),
    h('p', { class: 'status', id: 'region-status', role: 'status' }, t('loading'))));
  const status = main.querySelector('#region-status');
  const [page, monthly, actors] = await Promise.all([
    get('/events', { ...f, limit: 1 }),
    monthlyByCategory(f),
    get('/stats/actors', { ...f, limit: 10 }).catch((e) => ({ unavailable: e.status === 404 || e.status === 400, error: e })),
  ]);
  const recentOffset = Math.max(0, page.total - 10);
  const recent = page.total ? (await get('/events', { ...f, limit: 10, offset: recentOffset })).items.reverse() : [];
  const fatalities = Object.values(monthly.series).flatMap((m) => Object.values(m)).reduce((a, v) => a + v.fatalities, 0);
  status.textContent = `${period} · ${t('region.summary', { ev: num(page.total), fat: num(fatalities) })}`;
  Object.assign(status.dataset, { state: 'ready', total: page.total, ms: Math.round(performance.now() - started) });

  const chart = monthly.months.length === 0 ? h('p', { class: 'empty' }, t('region.noEvents')) : h('div', {},
    stackedBars(monthly.months, monthly.series, 'fatalities', { height: 160, title: t('region.chart') }),
    h('div', { class: 'axis' }, h('span', {}, month(monthly.months[0])), h('span', {}, month(monthly.months[monthly.months.length - 1]))),
    h('ul', { class: 'cats' }, CATEGORIES.map((c) => h('li', {}, h('span', { class: `swatch vc-${c}` }), category(c)))),
    h('details', {}, h('summary', {}, t('region.chartTable')),
      h('table', { class: 'compact' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('col.month')), CATEGORIES.map((c) => h('th', { scope: 'col', class: 'n' }, category(c))))),
        h('tbody', {}, monthly.months.filter((m) => CATEGORIES.some((c) => monthly.series[c]?.[m])).map((m) => h('tr', {},
          h('th', { scope: 'row' }, month(m)), CATEGORIES.map((c) => h('td', { class: 'n' }, num(monthly.series[c]?.[m]?.fatalities || 0)))))))));

  let actorsBody;
  if (actors.rows) {
    actorsBody = actors.rows.length === 0 ? h('p', { class: 'empty' }, t('region.noActors')) : h('table', { class: 'compact' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('col.actor')), h('th', { scope: 'col', class: 'n' }, t('col.events')), h('th', { scope: 'col', class: 'n' }, t('col.fatalities')))),
      h('tbody', {}, actors.rows.map((r) => h('tr', {}, h('td', {}, r.actor), h('td', { class: 'n' }, num(r.events)), h('td', { class: 'n' }, num(r.fatalities))))));
  } else {
    actorsBody = h('p', { class: 'empty', id: 'actors-unavailable' }, actors.unavailable ? t('region.actorsUnavailable') : t('error.load', { msg: actors.error.message }));
  }

  const recentBody = recent.length === 0 ? h('p', { class: 'empty' }, t('region.noEvents')) : h('ul', { class: 'recent' },
    recent.map((e) => h('li', {}, badge(e.marking), ' ',
      h('button', { type: 'button', class: 'link', onclick: () => openEvent(e.id) },
        `${day(e.period.start)} · ${e.place.location || e.place.admin1 || ''} · ${category(e.category)} · ${t('region.deaths', { n: num(e.fatalities.best ?? 0) })}`))));

  main.querySelector('.region').append(h('div', { class: 'cards' },
    section('r-chart', t('region.chart'), chart),
    section('r-actors', t('region.actors'), actorsBody),
    section('r-recent', t('region.recent'), recentBody),
    section('r-forecasts', t('region.forecasts'), h('p', { class: 'empty', id: 'forecasts-empty' }, t('region.noForecasts'))),
    section('r-alerts', t('nav.alerts'), h('p', { class: 'empty' }, t('alerts.none')))));
}
