// A region's profile: monthly fatalities by category, the top actors, recent events, the
// latest forecast the user may see for the region (a1m) and its country (cm), and the alerts
// raised on either. When there is no forecast, it says so: nothing is invented.

import { h, clear } from './dom.js';
import { get } from './api.js';
import { t, num, day, category, country, month, plural, regionName } from './i18n.js';
import { filters } from './state.js';
import { monthlyByCategory, fillMonths } from './timeline.js';
import { openEvent, badge } from './detail.js';
import { CATEGORIES, CATEGORY_COLOURS } from './style.js';
import { admin1Index, norm } from './geo.js';
import { ym, unitName, withCode } from './warning.js';
import { alertItem } from './alerts.js';
import { stackedMonthlyBars } from './chart.js';
import { fanBlock } from './forecast.js';
import { loadFreshness, dataEndLine } from './freshness.js';

function section(id, title, ...body) {
  return h('section', { class: 'card', 'aria-labelledby': id }, h('h2', { id }, title), ...body);
}

function wideSection(id, title, ...body) {
  const el = section(id, title, ...body);
  el.classList.add('wide');
  return el;
}

export async function renderRegion(main, iso3, admin1) {
  const f = { ...filters(), country: iso3, admin1 };
  const started = performance.now();
  const period = f.from || f.to ? `${f.from ? day(f.from) : '…'} – ${f.to ? day(f.to) : '…'}` : t('region.allTime');
  clear(main).append(h('div', { class: 'region' },
    h('p', {}, h('a', { href: `/map${location.search}`, 'data-link': '' }, `← ${t('nav.map')}`)),
    h('h1', { id: 'region-title' }, `${regionName(admin1)} — ${country(iso3)}`),
    h('p', { class: 'status', id: 'region-status', role: 'status' }, t('loading'))));
  const status = main.querySelector('#region-status');
  // How far the data go (from GET /coverage): the chart and the forecasts end there.
  loadFreshness().then((fr) => { const line = dataEndLine(fr, 'region-data-end'); if (line && status.isConnected) status.after(line); });
  const regionUnit = await admin1Unit(iso3, admin1);
  const [page, monthly, actors, forecasts] = await Promise.all([
    get('/events', { ...f, limit: 1 }),
    monthlyByCategory(f),
    get('/stats/actors', { ...f, limit: 10 }).catch((e) => ({ unavailable: e.status === 404 || e.status === 400, error: e })),
    loadForecasts(iso3, regionUnit),
  ]);
  const recentOffset = Math.max(0, page.total - 10);
  const recent = page.total ? (await get('/events', { ...f, limit: 10, offset: recentOffset })).items.reverse() : [];
  // The chart covers the period asked for (every month of it, those without events too).
  if (f.from && f.to) monthly.months = fillMonths(f.from.slice(0, 7), f.to.slice(0, 7));
  const fatalities = Object.values(monthly.series).flatMap((m) => Object.values(m)).reduce((a, v) => a + v.fatalities, 0);
  status.textContent = `${period} · ${t('region.summary', { ev: plural('map.events', page.total, num), fat: plural('region.fatalities', fatalities, num) })}`;
  Object.assign(status.dataset, { state: 'ready', total: page.total, ms: Math.round(performance.now() - started) });

  const chartBox = h('div', { class: 'chart-box', id: 'region-chart' });
  if (monthly.months.length > 0) {
    stackedMonthlyBars(chartBox, monthly.months,
      CATEGORIES.map((c) => ({ label: category(c), colour: CATEGORY_COLOURS[c], values: monthly.months.map((m) => monthly.series[c]?.[m]?.fatalities || 0) })),
      { title: t('region.chart'), yLabel: t('chart.deaths') })
      .catch((e) => chartBox.replaceChildren(h('p', { class: 'error', role: 'alert' }, t('error.load', { msg: e.message }))));
  }
  const chart = monthly.months.length === 0 ? h('p', { class: 'empty' }, t('region.noEvents')) : h('div', {},
    chartBox,
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
        `${day(e.period.start)} · ${e.place.location || regionName(e.place.admin1) || ''} · ${category(e.category)} · ${plural('region.deaths', e.fatalities.best ?? 0, num)}`))));

  main.querySelector('.region').append(h('div', { class: 'cards' },
    section('r-chart', t('region.chart'), chart),
    section('r-actors', t('region.actors'), actorsBody),
    section('r-recent', t('region.recent'), recentBody),
    wideSection('r-forecasts', t('region.forecasts'), forecastsBody(forecasts, iso3, admin1, regionUnit)),
    section('r-alerts', t('nav.alerts'), regionAlerts(iso3, regionUnit))));
}

/** The a1m unit (`ISO3/Name`, the bundled boundaries' name) of a region the sources name
 * `admin1`, or null when the boundaries do not know it. */
async function admin1Unit(iso3, admin1) {
  try {
    const { idx } = await admin1Index();
    const feature = idx[iso3] && idx[iso3][norm(admin1)];
    return feature ? `${iso3}/${feature.properties.name}` : null;
  } catch {
    return null;
  }
}

/** The latest visible run of the region's level (a1m) and of its country's (cm), each with
 * this unit's rows, month by month. */
async function loadForecasts(iso3, regionUnit) {
  const one = async (level, unit) => {
    if (!unit) return { run: null, rows: [] };
    try {
      const r = await get('/forecasts', { level, unit });
      const rows = (r.items || []).filter((x) => x.unit === unit).sort((a, b) => (a.month < b.month ? -1 : a.month > b.month ? 1 : 0));
      return { run: r.run, rows };
    } catch (error) {
      return { run: null, rows: [], error };
    }
  };
  const [region, nation] = await Promise.all([one('a1m', regionUnit), one('cm', iso3)]);
  return { region, nation };
}

function forecastsBody({ region, nation }, iso3, admin1, regionUnit) {
  const hasRegion = region.run && region.rows.length > 0;
  const hasNation = nation.run && nation.rows.length > 0;
  const error = region.error || nation.error;
  if (!hasRegion && !hasNation) {
    const seen = region.run || nation.run;
    return h('div', {},
      h('p', { class: 'empty', id: 'forecasts-empty' },
        seen
          ? t('forecast.notCovered', { model: seen.model, until: ym(seen.data_until) })
          : withCode('forecast.empty', 'vigie forecast run')),
      error ? h('p', { class: 'error', role: 'alert' }, t('error.load', { msg: error.message })) : null);
  }
  const out = [];
  if (hasRegion) {
    out.push(fanBlock(region.run, region.rows, { level: 'a1m', unit: regionUnit, name: unitName('a1m', regionUnit), tableId: 'forecast-table', idPrefix: 'rf',
      heading: h('h3', {}, t('forecast.ofRegion', { name: regionName(admin1) })) }));
    if (hasNation) {
      out.push(h('details', { class: 'forecast-country' },
        h('summary', {}, t('forecast.ofCountry', { name: country(iso3) })),
        fanBlock(nation.run, nation.rows, { level: 'cm', unit: iso3, name: country(iso3), tableId: 'forecast-table-country', idPrefix: 'cf', heading: null })));
    }
  } else {
    out.push(h('p', { class: 'hint', id: 'forecast-country-only' }, t('forecast.countryOnly')));
    out.push(fanBlock(nation.run, nation.rows, { level: 'cm', unit: iso3, name: country(iso3), tableId: 'forecast-table', idPrefix: 'rf',
      heading: h('h3', {}, t('forecast.ofCountry', { name: country(iso3) })) }));
  }
  return h('div', {}, out);
}

/** The alerts the user's rules raise on this region or its country (loaded after the rest). */
function regionAlerts(iso3, regionUnit) {
  const box = h('div', { id: 'region-alerts', 'aria-live': 'polite' }, h('p', { class: 'status' }, t('loading')));
  get('/alerts').then(({ items }) => {
    const mine = (items || []).filter((a) => (a.level === 'cm' && a.unit === iso3) || (a.level === 'a1m' && a.unit === regionUnit));
    box.replaceChildren(mine.length === 0
      ? h('p', { class: 'empty' }, t('alerts.noneHere'))
      : h('ul', { class: 'alerts' }, mine.map((a) => alertItem(a, 'h3'))));
    box.dataset.state = 'ready';
  }).catch((e) => {
    box.replaceChildren(h('p', { class: 'error', role: 'alert' }, t('error.load', { msg: e.message })));
    box.dataset.state = 'error';
  });
  return box;
}
