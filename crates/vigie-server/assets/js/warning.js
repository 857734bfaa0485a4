// What the forecast and alert views share: units and levels in words, numbers and dates in
// the current language, a forecast run's facts and its marking banner.

import { h } from './dom.js';
import { t, current, country, month } from './i18n.js';
import { tlpClass } from './style.js';

const formats = {};
function fmt(key, opts) {
  const k = `${current()}|${key}`;
  formats[k] ||= new Intl.NumberFormat(current(), opts);
  return formats[k];
}

/** A number with at most `digits` decimals. */
export function dec(n, digits = 1) {
  if (n === null || n === undefined || Number.isNaN(Number(n))) return '–';
  return fmt(`d${digits}`, { maximumFractionDigits: digits }).format(n);
}

/** A probability (0..1) as a whole percentage; "< 1 %" rather than "0 %" when above zero. */
export function pct(p) {
  if (p === null || p === undefined || Number.isNaN(Number(p))) return '–';
  const f = fmt('pct', { style: 'percent', maximumFractionDigits: 0 });
  if (p > 0 && p < 0.005) return `< ${f.format(0.01)}`;
  if (p < 1 && p >= 0.995) return `> ${f.format(0.99)}`;
  return f.format(p);
}

/** An RFC 3339 timestamp's day (and time), localised. */
export function when(ts, withTime = false) {
  if (!ts) return '–';
  const d = new Date(ts);
  if (Number.isNaN(d.getTime())) return String(ts);
  return new Intl.DateTimeFormat(current(), withTime ? { dateStyle: 'medium', timeStyle: 'short' } : { dateStyle: 'medium' }).format(d);
}

/** A YYYY-MM month, localised; the text itself when it is not one. */
export function ym(m) {
  return /^\d{4}-\d{2}$/.test(m || '') ? month(m) : (m || '–');
}

export function levelName(level) { return t(`level.${level}`); }

/** A unit in words: a country's name, "Region — Country" or a PRIO-GRID cell. */
export function unitName(level, unit) {
  const u = String(unit || '');
  if (level === 'pgm' || /^\d+$/.test(u)) return t('unit.cell', { gid: u });
  const slash = u.indexOf('/');
  if (level === 'a1m' || slash > 0) {
    if (slash < 0) return u;
    return `${u.slice(slash + 1)} — ${country(u.slice(0, slash))}`;
  }
  return country(u);
}

/** A definition list of [label, value] rows; empty values are left out. */
export function dl(rows, attrs = {}) {
  return h('dl', { class: 'facts', ...attrs }, rows
    .filter(([, v]) => v !== null && v !== undefined && v !== '')
    .map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}

/** A record's marking as a banner (TLP colours on black), inside a card or a list item. */
export function markingBanner(marking) {
  return h('div', { class: `banner flat ${tlpClass(marking)}`, role: 'note' }, marking || 'TLP:CLEAR');
}

/** Who a record is shared with, in words. */
export function sharedWith(d) {
  if (!d) return '–';
  const list = d.orgs || d.users;
  return `${t(`dist.${d.kind}`)}${d.id ? `: ${d.id}` : ''}${list ? `: ${list.join(', ')}` : ''}`;
}

/** A translated text with `{cmd}` replaced by a <code> element. */
export function withCode(key, cmd) {
  const [a, b = ''] = t(key).split('{cmd}');
  return [a, h('code', {}, cmd), b];
}

/** The facts of a forecast run: model, data, when it was computed and from whose view. */
export function runFacts(run) {
  return [
    [t('forecast.model'), h('span', { class: 'run-model' }, run.model)],
    [t('forecast.data'), `${ym(run.data_from)} – ${ym(run.data_until)}`],
    [t('forecast.horizon'), t('forecast.months', { n: run.months })],
    [t('forecast.draws'), dec(run.draws, 0)],
    [t('forecast.created'), when(run.created_at, true)],
    [t('forecast.computedFor'), run.computed_for === 'public' ? t('forecast.public') : run.computed_for],
    [t('detail.owner'), run.audience && run.audience.owner],
    [t('detail.distribution'), sharedWith(run.audience && run.audience.distribution)],
  ];
}
