// How fresh the data are, as the API says it (`freshness`: the last month the data cover,
// how many months behind the current month that is, stale when more than 3): a line under
// a screen's title, a banner over the alerts, a mark on each alert. The months are the
// API's; only their wording is the page's.

import { h } from './dom.js';
import { t, current, monthLong, num } from './i18n.js';
import { get } from './api.js';

/** "38 months ago", "il y a 38 mois". */
export function ago(months) {
  return new Intl.RelativeTimeFormat(current(), { numeric: 'always' }).format(-months, 'month');
}

/** The reader's data freshness (GET /coverage), null when it cannot be read. */
export async function loadFreshness() {
  try {
    return (await get('/coverage')).freshness || null;
  } catch {
    return null;
  }
}

/** What the elements showing a freshness carry for tests and styles. */
const facts = (f) => ({ until: f.data_until || '', behind: f.months_behind ?? '', stale: String(Boolean(f.stale)) });

/** A link to the data coverage screen. */
export const coverageLink = (id) => h('a', { href: '/coverage', 'data-link': '', class: 'coverage-link', id }, t('coverage.link'));

/**
 * "Data end in October 2023 · 38 months ago · Data coverage", a warning when stale;
 * `id` names the element. Nothing when the data end nowhere (no coverage recorded).
 */
export function dataEndLine(f, id, { link = true } = {}) {
  if (!f) return null;
  const more = link ? [' · ', coverageLink(`${id}-link`)] : null;
  if (!f.data_until) return h('p', { class: 'data-end', id, dataset: facts(f) }, t('freshness.none'), more);
  const behind = f.months_behind ?? 0;
  return h('p', { class: `data-end${f.stale ? ' is-stale' : ''}`, id, dataset: facts(f) },
    f.stale ? h('strong', { class: 'stale-mark' }, t('freshness.staleMark')) : null,
    f.stale ? ' ' : null,
    h('span', { class: 'until' }, t('freshness.until', { month: monthLong(f.data_until) })),
    ' · ', h('span', { class: 'behind' }, behind <= 0 ? t('freshness.thisMonth') : ago(behind)),
    more);
}

/** The alerts page's banner when the data are stale: what the alerts describe. */
export function staleBanner(f, id) {
  if (!f || !f.stale || !f.data_until) return null;
  return h('div', { class: 'stale-banner', id, role: 'note', dataset: facts(f) },
    h('p', {}, h('strong', {}, t('freshness.bannerTitle')), ' ',
      t('freshness.banner', { month: monthLong(f.data_until), ago: ago(f.months_behind ?? 0) })),
    h('p', {}, t('freshness.bannerWhat'), ' ', coverageLink(`${id}-link`)));
}

/** An alert's own data end, a short mark ("Data end in Oct 2023 · stale"). */
export function alertDataEnd(f, fmtMonth) {
  if (!f || !f.data_until) return null;
  return h('p', { class: `alert-data-end${f.stale ? ' is-stale' : ''}`, dataset: facts(f) },
    t('freshness.alertUntil', { month: fmtMonth(f.data_until) }),
    f.stale ? [' · ', h('strong', {}, t('freshness.alertStale', { n: num(f.months_behind ?? 0) }))] : null);
}
