// One forecast run's age and one unit's forecast, shared by the forecasts screen and the
// region profile: how old the run's data are (and whether that makes it stale), the unit's
// observed past (state-based deaths, what the model forecasts, from the gated statistics),
// its fan chart and table, and why a flat forecast is flat.

import { h } from './dom.js';
import { get } from './api.js';
import { t, num, current } from './i18n.js';
import { admin1Index, norm } from './geo.js';
import { dec, pct, ym, dl, runFacts, markingBanner } from './warning.js';
import { fanChart } from './chart.js';

/**
 * A run is stale when its data end more than STALE_MONTHS months before the current month:
 * its first forecast months are then already past (a monthly forecast's data usually lag
 * by one or two months), so it says less and less about what comes.
 */
export const STALE_MONTHS = 3;
/** The observed months shown before a forecast. */
export const PAST_MONTHS = 24;

const index = (m) => Number(m.slice(0, 4)) * 12 + Number(m.slice(5, 7)) - 1;
const label = (i) => `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;

/** The current month, YYYY-MM (UTC). */
export function thisMonth(now = new Date()) {
  return `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** Months from `a` to `b` (YYYY-MM). */
export function monthsBetween(a, b) { return index(b) - index(a); }

/** The months from `first` to `last`, both included. */
export function monthRange(first, last) {
  const out = [];
  for (let i = index(first); i <= index(last); i++) out.push(label(i));
  return out;
}

/** How old a run's data are: months from its cut-off to now, and whether it is stale. */
export function runAge(run, now = new Date()) {
  const months = monthsBetween(run.data_until, thisMonth(now));
  const last = label(index(run.data_until) + run.months);
  return { months, stale: months > STALE_MONTHS, allPast: index(last) < index(thisMonth(now)), last };
}

/** "3 months ago", "il y a 38 mois". */
function ago(months) {
  return new Intl.RelativeTimeFormat(current(), { numeric: 'always' }).format(-months, 'month');
}

/**
 * The run's data cut-off and its age, always in sight, and a warning when it is stale.
 * `id` prefixes the elements' ids (one per page).
 */
export function runAgeLine(run, id) {
  const age = runAge(run);
  const line = h('p', { class: `run-age${age.stale ? ' is-stale' : ''}`, id: `${id}-age`, dataset: { months: age.months, stale: age.stale, until: run.data_until } },
    h('span', {}, t('forecasts.cutoff', { until: ym(run.data_until) })), ' · ',
    h('span', { class: 'age' }, age.months <= 0 ? t('forecasts.ageNow') : t('forecasts.age', { ago: ago(age.months) })), ' · ',
    h('span', {}, t('forecasts.computed', { when: new Intl.DateTimeFormat(current(), { dateStyle: 'medium' }).format(new Date(run.created_at)) })));
  if (!age.stale) return line;
  return h('div', {}, line,
    h('p', { class: 'stale', id: `${id}-stale`, role: 'note' },
      h('strong', {}, t('forecasts.stale')), ' ',
      t('forecasts.staleWhy', { until: ym(run.data_until), n: num(age.months), max: num(STALE_MONTHS) }), ' ',
      age.allPast ? t('forecasts.allPast', { first: ym(label(index(run.data_until) + 1)), last: ym(age.last) }) : ''));
}

/**
 * The observed state-based deaths of a unit per month, for the PAST_MONTHS months up to the
 * run's cut-off (a month without events is a month without deaths, as the model reads it),
 * from the statistics the user may see; null for a PRIO-GRID cell (the API has no per-cell
 * monthly statistics).
 */
export async function observedPast(level, unit, run) {
  const months = monthRange(label(index(run.data_until) - PAST_MONTHS + 1), run.data_until);
  if (level === 'pgm') return { months, values: null };
  const last = months[months.length - 1];
  const [y, m] = last.split('-').map(Number);
  const params = {
    category: 'state-based',
    from: `${months[0]}-01`,
    to: `${last}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`,
  };
  const per = new Map(months.map((x) => [x, 0]));
  if (level === 'cm') {
    const { rows } = await get('/stats', { ...params, by: 'country-month', country: unit });
    for (const r of rows) if (r.country === unit && per.has(r.month)) per.set(r.month, per.get(r.month) + r.fatalities);
  } else {
    // The sources' region names ("Mopti region") matched to the boundaries' as the map does.
    const [iso3, name] = [unit.slice(0, unit.indexOf('/')), unit.slice(unit.indexOf('/') + 1)];
    const [{ rows }, { idx }] = await Promise.all([get('/stats', { ...params, by: 'admin1-month', country: iso3 }), admin1Index()]);
    for (const r of rows) {
      const f = r.admin1 && idx[iso3] && idx[iso3][norm(r.admin1)];
      if (f && f.properties.name === name && per.has(r.month)) per.set(r.month, per.get(r.month) + r.fatalities);
    }
  }
  return { months, values: months.map((x) => per.get(x)) };
}

/** Why a forecast is flat, in words true of the model, or null when it is not flat. */
export function flatNote(run, rows, observed) {
  if (rows.length === 0) return null;
  const zero = rows.every((r) => r.p_any === 0 && r.q95 === 0);
  const same = rows.every((r) => r.q05 === rows[0].q05 && r.q50 === rows[0].q50 && r.q95 === rows[0].q95);
  if (!zero && !same) return null;
  if (!zero) return t('forecasts.flatSame');
  const model = ['gbm', 'conflictology', 'zero'].includes(run.model) ? run.model : 'other';
  const seen = observed && observed.values ? observed.values.slice(-12).reduce((a, v) => a + v, 0) : null;
  const parts = [t('forecasts.flatZero', { draws: num(run.draws) }), t(`forecasts.flat.${model}`, { model: run.model, until: ym(run.data_until) })];
  if (seen !== null) {
    parts.push(seen === 0
      ? t('forecasts.flatSeenNone', { until: ym(run.data_until) })
      : t('forecasts.flatSeenSome', { n: num(seen), until: ym(run.data_until), whose: run.computed_for === 'public' ? t('forecast.public') : run.computed_for }));
  }
  parts.push(t('forecasts.flatNotNever'));
  return parts.join(' ');
}

/** A unit's forecast month by month, as a table. */
export function forecastTable(rows, id, caption) {
  return h('table', { class: 'compact forecast-table', id },
    h('caption', { class: 'sr' }, caption),
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, t('col.month')),
      h('th', { scope: 'col', class: 'n' }, t('chart.median')),
      h('th', { scope: 'col', class: 'n' }, t('forecast.mean')),
      h('th', { scope: 'col', class: 'n' }, t('forecast.interval')),
      h('th', { scope: 'col', class: 'n' }, t('forecast.pAny')),
      h('th', { scope: 'col', class: 'n' }, t('forecast.p25')))),
    h('tbody', {}, rows.map((r) => h('tr', { dataset: { month: r.month } },
      h('th', { scope: 'row' }, ym(r.month)),
      h('td', { class: 'n' }, dec(r.q50)),
      h('td', { class: 'n' }, dec(r.mean)),
      h('td', { class: 'n' }, `${dec(r.q05)}–${dec(r.q95)}`),
      h('td', { class: 'n' }, pct(r.p_any)),
      h('td', { class: 'n' }, pct(r.p_25))))));
}

/**
 * One run's forecast of one unit: marking, the run's age, the fan chart with the observed
 * past, why it is flat if it is, the table and the run's facts. `rows` sorted by month.
 */
export function fanBlock(run, rows, { level, unit, name, tableId, heading, idPrefix }) {
  const title = t('forecasts.fanTitle', { unit: name });
  const chartBox = h('div', { class: 'chart-box fan-chart', id: `${idPrefix}-chart` });
  const note = h('p', { class: 'flat-note', id: `${idPrefix}-flat`, hidden: true });
  const pastNote = h('p', { class: 'hint', id: `${idPrefix}-past` });
  const box = h('div', { class: 'forecast', dataset: { level, unit, run: run.id } },
    heading,
    markingBanner(run.audience && run.audience.marking),
    runAgeLine(run, idPrefix),
    chartBox, note,
    h('p', { class: 'hint' }, t('forecasts.fanNote')), pastNote,
    h('div', { class: 'forecast-body' },
      // Scrolls sideways on its own on a narrow screen (focusable, so by keyboard too).
      h('div', { class: 'table-wrap', tabindex: '0', role: 'group', 'aria-label': title }, forecastTable(rows, tableId, title)),
      dl(runFacts(run), { class: 'facts run-facts' })));
  observedPast(level, unit, run).catch(() => null).then(async (observed) => {
    const first = rows.length ? rows[0].month : run.data_until;
    const last = rows.length ? rows[rows.length - 1].month : run.data_until;
    const past = observed ? observed.months : [];
    const months = [...past, ...monthRange(first, last).filter((m) => !past.includes(m))];
    const byMonth = new Map(rows.map((r) => [r.month, r]));
    const obs = months.map((m, i) => (observed && observed.values && i < past.length ? observed.values[i] : null));
    pastNote.textContent = observed && observed.values
      ? t('forecasts.pastNote', { n: num(past.length) })
      : observed ? t('forecasts.pastCells') : t('forecasts.pastUnavailable');
    const why = flatNote(run, rows, observed);
    if (why) { note.textContent = why; note.hidden = false; }
    await fanChart(chartBox, months, obs, months.map((m) => byMonth.get(m) || null), {
      title, yLabel: t('chart.deaths'), cutoff: past.length ? past.length - 1 : months.indexOf(run.data_until),
    });
  }).catch((e) => {
    chartBox.replaceChildren(h('p', { class: 'error', role: 'alert' }, t('error.load', { msg: e.message })));
  });
  return box;
}
