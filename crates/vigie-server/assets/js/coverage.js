// Data coverage (GET /coverage): per source, the months its records span, up to when a
// complete source covers them and in which countries (there, a month without any record is
// a month without any event; elsewhere it is only a month without data), and how far behind
// the current month its data end; then each coverage record, as each import recorded it.

import { h, clear, stacked } from './dom.js';
import { get } from './api.js';
import { t, num, country, current, plural } from './i18n.js';
import { ym, when } from './warning.js';
import { ago, dataEndLine } from './freshness.js';

/** Countries in words: "every country" for `["*"]` (or none listed on a record), names otherwise. */
export function countryList(list, { none = 'coverage.none', all = false } = {}) {
  if ((all && (!list || list.length === 0)) || (list && list.length === 1 && list[0] === '*')) return t('coverage.everyCountry');
  if (!list || list.length === 0) return t(none);
  const names = list.map(country).sort((a, b) => a.localeCompare(b, current()));
  if (names.length <= 6) return names.join(', ');
  // A long list folds: its count first, the names on demand.
  return h('details', { class: 'countries' }, h('summary', {}, plural('coverage.countries', names.length, num)), h('p', {}, names.join(', ')));
}

const span = (from, until) => (from === until ? ym(from) : `${ym(from)} – ${ym(until)}`);

function behind(f) {
  if (!f || f.months_behind == null) return '–';
  const text = f.months_behind <= 0 ? t('freshness.thisMonth') : ago(f.months_behind);
  return f.stale
    ? h('span', { class: 'is-stale' }, h('strong', {}, t('freshness.staleMark')), ' ', text)
    : text;
}

/** Why a record is complete or partial: Vigie's own words translated, an author's as written
 * (in whatever language they wrote). */
const basis = (c) => (c.basis_key ? h('span', { dataset: { key: c.basis_key } }, t(c.basis_key, { source: c.source })) : h('span', {}, c.basis));

function sourcesTable(sources) {
  if (sources.length === 0) return h('p', { class: 'empty', id: 'coverage-sources-empty' }, t('coverage.noSources'));
  return stacked(h('table', { class: 'compact coverage-sources', id: 'coverage-sources' },
    h('caption', { class: 'sr' }, t('coverage.sources')),
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, t('coverage.col.source')),
      h('th', { scope: 'col' }, t('coverage.col.months')),
      h('th', { scope: 'col' }, t('coverage.col.completeUntil')),
      h('th', { scope: 'col' }, t('coverage.col.completeCountries')),
      h('th', { scope: 'col' }, t('coverage.col.behind')),
      h('th', { scope: 'col', class: 'n' }, t('coverage.col.records')))),
    h('tbody', {}, sources.map((s) => h('tr', { dataset: { source: s.source, stale: String(Boolean(s.freshness && s.freshness.stale)) } },
      h('th', { scope: 'row' }, s.source),
      h('td', {}, span(s.from, s.until)),
      h('td', {}, s.complete_until ? ym(s.complete_until) : t('coverage.never')),
      h('td', {}, countryList(s.complete_countries)),
      h('td', {}, behind(s.freshness)),
      h('td', { class: 'n' }, num(s.records)))))));
}

function recordsTable(items) {
  if (items.length === 0) return h('p', { class: 'empty' }, t('coverage.noRecords'));
  return stacked(h('table', { class: 'compact coverage-records', id: 'coverage-records' },
    h('caption', { class: 'sr' }, t('coverage.records')),
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, t('coverage.col.file')),
      h('th', { scope: 'col' }, t('coverage.col.months')),
      h('th', { scope: 'col' }, t('coverage.col.kind')),
      h('th', { scope: 'col' }, t('coverage.col.countries')),
      h('th', { scope: 'col' }, t('coverage.col.basis')),
      h('th', { scope: 'col' }, t('coverage.col.recorded')))),
    h('tbody', {}, items.map((c) => h('tr', { dataset: { id: c.id, source: c.source, complete: String(Boolean(c.complete)) } },
      h('th', { scope: 'row' }, h('span', { class: 'file' }, c.file), h('span', { class: 'sub' }, c.source)),
      h('td', {}, span(c.from, c.until)),
      h('td', {}, h('span', { class: c.complete ? 'complete' : 'partial' }, t(c.complete ? 'coverage.complete' : 'coverage.partial'))),
      h('td', {}, countryList(c.countries, { all: true })),
      h('td', {}, basis(c)),
      h('td', {}, when(c.recorded_at)))))));
}

export async function renderCoverage(main) {
  const started = performance.now();
  const status = h('p', { class: 'status', id: 'coverage-status', role: 'status' }, t('loading'));
  const body = h('div', { id: 'coverage-body' });
  clear(main).append(h('div', { class: 'page coverage-page' },
    h('h1', {}, t('coverage.title')),
    h('p', {}, t('coverage.intro')),
    status, body));
  try {
    const r = await get('/coverage');
    const sources = r.sources || [];
    const items = r.items || [];
    body.replaceChildren(
      dataEndLine(r.freshness, 'coverage-data-end', { link: false }) || '',
      h('section', { 'aria-labelledby': 'coverage-sources-h' }, h('h2', { id: 'coverage-sources-h' }, t('coverage.sources')),
        h('p', { class: 'hint' }, t('coverage.sourcesHint')), sourcesTable(sources)),
      h('section', { 'aria-labelledby': 'coverage-records-h' }, h('h2', { id: 'coverage-records-h' }, t('coverage.records')),
        h('p', { class: 'hint' }, t('coverage.recordsHint')), recordsTable(items)));
    status.textContent = `${plural('coverage.sourceCount', sources.length, num)}, ${plural('coverage.recordCount', items.length, num)}`;
    Object.assign(status.dataset, { state: 'ready', sources: sources.length, records: items.length, ms: Math.round(performance.now() - started) });
  } catch (e) {
    status.textContent = t('error.load', { msg: e.message });
    status.dataset.state = 'error';
  }
}
