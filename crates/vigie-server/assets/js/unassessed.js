// "Could not be assessed": the would-be alerts the data could not decide (GET /alerts'
// `unassessed`), e.g. a spillover whose quiet months no complete source covers — no record
// there is not a quiet period. Grouped by rule, then by reason (code, month and missing
// months: said once), the units by country; a long list stays folded, with its count.

import { h } from './dom.js';
import { t, num, current, plural, country } from './i18n.js';
import { ym, unitName } from './warning.js';

/** Lists up to this many are open at first; longer ones are folded. */
const OPEN_UP_TO = 5;

/** "2021-10 – 2023-09, 2024-01" with the months in words. */
const months = (ranges) => String(ranges || '').replace(/\d{4}-\d{2}/g, (m) => ym(m));

const slash = (unit) => String(unit).indexOf('/');
/** The unit's country (ISO3) and its own name within it (none for a country). */
const countryOf = (unit) => (slash(unit) > 0 ? String(unit).slice(0, slash(unit)) : /^\d+$/.test(unit) ? '' : String(unit));
const ownName = (unit) => (slash(unit) > 0 ? String(unit).slice(slash(unit) + 1) : /^\d+$/.test(unit) ? unitName('pgm', unit) : null);

const known = (code) => t(`unassessed.${code}`) !== `unassessed.${code}`;

const groupBy = (xs, key) => {
  const m = new Map();
  for (const x of xs) {
    const k = key(x);
    if (!m.has(k)) m.set(k, []);
    m.get(k).push(x);
  }
  return [...m];
};

/** One unit, carrying what the API said of it. */
const item = (u, text) => h('span', { class: 'unassessed-item', dataset: { unit: u.unit, month: u.month, code: u.code, missing: u.missing_months } }, text);

/** The units of one reason, by country: "Nigeria (21): Abia, Adamawa, …". */
function unitsByCountry(list) {
  const byCountry = groupBy(list, (u) => countryOf(u.unit))
    .map(([iso3, us]) => [iso3 ? country(iso3) : t('unassessed.cells'), us])
    .sort((a, b) => a[0].localeCompare(b[0], current()));
  return h('ul', { class: 'plain unassessed-list' }, byCountry.map(([name, us]) => {
    const own = us.filter((u) => ownName(u.unit)).sort((a, b) => ownName(a.unit).localeCompare(ownName(b.unit), current()));
    const whole = us.filter((u) => !ownName(u.unit));
    return h('li', {},
      whole.length ? whole.map((u) => item(u, h('strong', {}, name))) : h('strong', {}, name),
      own.length ? [' ', t('unassessed.count', { n: num(own.length) }), ' ', own.map((u, i) => [i ? ', ' : '', item(u, ownName(u.unit))])] : null);
  }));
}

/** One reason, said once, and the units it applies to. */
function reason(list) {
  const u = list[0];
  if (!known(u.code)) {
    // A reason this page has no words for: the server's English, unit by unit.
    return h('ul', { class: 'plain unassessed-list' }, list.map((x) => h('li', {}, item(x, h('strong', {}, unitName(slash(x.unit) > 0 ? 'a1m' : 'cm', x.unit))), ': ',
      h('span', { lang: current() === 'en' ? undefined : 'en' }, x.reason))));
  }
  return h('div', { class: 'unassessed-reason', dataset: { code: u.code, month: u.month } },
    h('p', { class: 'why' }, h('strong', {}, ym(u.month)), ' · ', t(`unassessed.${u.code}`, { n: num(u.missing_months), missing: months(u.missing) })),
    unitsByCountry(list));
}

/**
 * The section, or null when everything could be assessed. `ruleNames` maps a rule's id to
 * its name in words.
 */
export function unassessedSection(items, ruleNames) {
  if (!items || items.length === 0) return null;
  const groups = groupBy(items, (u) => u.rule).map(([rule, list]) => h('details', { class: 'unassessed-group', open: items.length <= OPEN_UP_TO, dataset: { rule, n: list.length } },
    h('summary', {}, `${ruleNames.get(rule) || rule} · ${plural('unassessed.units', list.length, num)}`),
    groupBy(list, (u) => `${u.code}|${u.month}|${u.missing}`).sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([, us]) => reason(us))));
  return h('section', { class: 'unassessed', id: 'unassessed', 'aria-labelledby': 'unassessed-h', dataset: { n: items.length } },
    h('h2', { id: 'unassessed-h' }, t('unassessed.title'), ' ', h('span', { class: 'count', id: 'unassessed-count' }, `(${num(items.length)})`)),
    h('p', { class: 'hint' }, t('unassessed.intro')),
    groups);
}
