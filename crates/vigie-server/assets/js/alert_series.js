// The monthly series an alert rests on (evidence `series`: [{month, fatalities, complete}]):
// a small bar chart, months no complete source covers hatched, and the same figures as a
// table for whoever cannot see the chart.

import { h } from './dom.js';
import { t, num, month } from './i18n.js';
import { unitName } from './warning.js';
import { coverageBars } from './chart.js';

/** The series of alert `a` as a chart and a table, or null when it has none. */
export function seriesBlock(a, headingTag = 'h4') {
  const series = Array.isArray(a.evidence && a.evidence.series) ? a.evidence.series : [];
  if (series.length === 0) return null;
  const title = t('alerts.series.title', { unit: unitName(a.level, a.unit), from: month(series[0].month), to: month(series[series.length - 1].month) });
  const uncovered = series.filter((s) => !s.complete).length;
  const box = h('div', { class: 'chart-box series-chart' });
  // Drawn once the box is in the page and visible (the evidence opens on demand).
  let drawn = false;
  const drawWhenShown = () => {
    if (drawn || !box.isConnected || box.offsetParent === null) return;
    drawn = true;
    coverageBars(box, series, { title, yLabel: t('chart.deaths') })
      .catch((e) => box.replaceChildren(h('p', { class: 'error', role: 'alert' }, t('error.load', { msg: e.message }))));
  };
  const table = h('table', { class: 'compact series-table' },
    h('caption', { class: 'sr' }, title),
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, t('col.month')),
      h('th', { scope: 'col', class: 'n' }, t('chart.deaths')),
      h('th', { scope: 'col' }, t('alerts.series.covered')))),
    h('tbody', {}, series.map((s) => h('tr', { class: s.complete ? null : 'uncovered', dataset: { month: s.month, complete: String(Boolean(s.complete)) } },
      h('th', { scope: 'row' }, month(s.month)),
      h('td', { class: 'n' }, s.complete ? num(s.fatalities) : t('alerts.series.noRecord', { n: num(s.fatalities) })),
      h('td', {}, t(s.complete ? 'alerts.series.yes' : 'alerts.series.no'))))));
  const block = h('div', { class: 'alert-series', dataset: { months: series.length, uncovered } },
    h(headingTag, {}, title),
    box,
    h('p', { class: 'hint series-key' },
      h('span', { class: 'swatch covered', 'aria-hidden': 'true' }), ' ', t('alerts.series.keyCovered'), ' ',
      h('span', { class: 'swatch uncovered', 'aria-hidden': 'true' }), ' ', t('alerts.series.keyUncovered')),
    uncovered ? h('p', { class: 'series-gap' }, t('alerts.series.gap', { n: num(uncovered), of: num(series.length) })) : null,
    h('details', { class: 'series-figures' }, h('summary', {}, t('alerts.series.table')),
      h('div', { class: 'table-wrap', tabindex: '0', role: 'group', 'aria-label': title }, table)));
  // The block sits in a closed <details>: draw it when that opens (and if it is open already).
  queueMicrotask(() => {
    const d = block.closest('details');
    if (d) d.addEventListener('toggle', () => { if (d.open) drawWhenShown(); });
    drawWhenShown();
  });
  return block;
}
