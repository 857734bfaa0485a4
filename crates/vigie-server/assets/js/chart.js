// Charts with axes and values on hover: uPlot (assets/vendor/uplot, MIT), loaded only when a
// screen first draws a chart (its module by import(), its stylesheet by a <link>), so the
// map and the sign-in page never fetch it. Monthly series only: the x axis is the months'
// positions, labelled in the current language; numbers through Intl.

import { h } from './dom.js';
import { t, num, month } from './i18n.js';
import { dec } from './warning.js';

let loading = null;

/** uPlot's constructor, loaded once (module and stylesheet). */
export function loadChartLibrary() {
  if (!loading) {
    const css = new URL('../vendor/uplot/uPlot.min.css', import.meta.url).href;
    if (!document.querySelector(`link[href="${css}"]`)) {
      document.head.append(h('link', { rel: 'stylesheet', href: css, 'data-chart-css': '' }));
    }
    loading = import('../vendor/uplot/uPlot.esm.js').then((m) => m.default)
      .catch((e) => { loading = null; throw e; });
  }
  return loading;
}

// Axis and grid: dark enough to read (contrast ≥ 4.5:1 on white), the grid faint.
const AXIS = { stroke: '#333', grid: { stroke: '#e4e4dc', width: 1 }, ticks: { stroke: '#999', width: 1 } };

/** The x axis of months: whole months only, labelled "Oct 2023" / "oct. 2023". */
function monthAxis(months) {
  return {
    ...AXIS,
    space: 70,
    incrs: [1, 2, 3, 4, 6, 12, 24, 36, 60, 120],
    // Ticks on whole steps of the calendar (January, April…), not counted from the first month.
    splits: (u, axis, lo, hi, incr) => {
      const out = [];
      for (let i = Math.max(0, Math.ceil(lo)); i <= Math.min(months.length - 1, Math.floor(hi)); i++) {
        const [y, m] = months[i].split('-').map(Number);
        if ((y * 12 + m - 1) % incr === 0) out.push(i);
      }
      return out;
    },
    values: (u, splits) => shown(u, 'xLabels', splits.map((i) => (Number.isInteger(i) && months[i] ? month(months[i]) : ''))),
  };
}

/** Whole numbers only: deaths are counted, so no "2.5" tick. */
const COUNT_INCRS = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000, 20000, 50000, 100000];

function countAxis(label) {
  return { ...AXIS, label, labelSize: 18, size: 52, incrs: COUNT_INCRS, values: (u, splits) => shown(u, 'yLabels', splits.map((v) => num(v))) };
}

/** The labels an axis printed, kept on the chart's box (`data-x-labels`, `data-y-labels`). */
function shown(u, key, labels) {
  const box = u.root.parentElement;
  if (box) box.dataset[key] = labels.filter(Boolean).join('|');
  return labels;
}

function width(box) {
  return Math.max(240, Math.floor(box.clientWidth || box.parentElement?.clientWidth || 600));
}

/**
 * Draws `opts` (uPlot options without size) with `data` in `box`, resized with it, and marks
 * the box `data-chart="ready"` with `facts` (what the browser test compares). Returns the
 * plot. The canvas is named by `title` for assistive technology; the figures are in
 * the table every chart comes with.
 */
async function draw(box, opts, data, { height, title, facts = {} }) {
  const UPlot = await loadChartLibrary();
  box.replaceChildren();
  const u = new UPlot({ ...opts, width: width(box), height }, data, box);
  // Until the pointer moves over it, the legend shows the last month's values.
  u.setLegend({ idx: data[0].length - 1 });
  const canvas = u.root.querySelector('canvas');
  if (canvas) { canvas.setAttribute('role', 'img'); canvas.setAttribute('aria-label', title); }
  Object.assign(box.dataset, facts, { chart: 'ready' });
  const ro = new ResizeObserver(() => {
    if (!box.isConnected) { ro.disconnect(); u.destroy(); return; }
    const w = width(box);
    if (w !== u.width) u.setSize({ width: w, height });
  });
  ro.observe(box);
  return u;
}

/**
 * Stacked monthly bars: `stack` is [{label, colour, values}] bottom-last (the first is on
 * top), each value one month's. Hovering shows each series' own value, not the stacked sum.
 */
export async function stackedMonthlyBars(box, months, stack, { height = 200, title, yLabel }) {
  const UPlot = await loadChartLibrary();
  const x = months.map((_, i) => i);
  // Series i is drawn from 0 to the sum of itself and every series after it; drawn in order,
  // each covers the one before, which leaves a stack.
  const sums = stack.map((_, i) => months.map((__, m) => stack.slice(i).reduce((a, s) => a + (s.values[m] || 0), 0)));
  const bars = UPlot.paths.bars({ size: [0.9, 40], gap: months.length > 120 ? 0 : 1 });
  return draw(box, {
    scales: { x: { time: false, range: (u, lo, hi) => [lo - 0.5, hi + 0.5] }, y: { range: (u, lo, hi) => [0, Math.max(1, hi)] } },
    axes: [monthAxis(months), countAxis(yLabel)],
    series: [
      { label: t('chart.month'), value: (u, i) => (i == null || !months[i] ? '–' : month(months[i])) },
      ...stack.map((s, i) => ({
        label: s.label, fill: s.colour, stroke: s.colour, width: 0, paths: bars, points: { show: false },
        value: (u, v, si, di) => (di == null ? '–' : num(stack[i].values[di] || 0)),
      })),
    ],
    cursor: { drag: { x: false, y: false } },
    legend: { live: true },
  }, [x, ...sums], { height, title });
}

/**
 * A fan chart of one unit: the observed monthly values before the cut-off, then the
 * forecast's 90% band (q05–q95), median and mean. `observed` holds a value or null per
 * month of `months`; `forecast` {q05, q50, q95, mean} or null per month. A dashed line marks
 * the data cut-off (after the month `cutoff`, an index into `months`).
 */
export async function fanChart(box, months, observed, forecast, { height = 240, title, yLabel, cutoff }) {
  const x = months.map((_, i) => i);
  const pick = (k) => forecast.map((f) => (f ? f[k] : null));
  const fmt = (v) => (v == null ? '–' : dec(v));
  const cut = {
    draw: [(u) => {
      if (cutoff == null || cutoff < 0) return;
      const ctx = u.ctx;
      const px = Math.round(u.valToPos(cutoff + 0.5, 'x', true));
      ctx.save();
      ctx.strokeStyle = '#555';
      ctx.setLineDash([5, 4]);
      ctx.lineWidth = devicePixelRatio;
      ctx.beginPath();
      ctx.moveTo(px, u.bbox.top);
      ctx.lineTo(px, u.bbox.top + u.bbox.height);
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.fillStyle = '#333';
      ctx.textAlign = 'left';
      ctx.textBaseline = 'alphabetic';
      ctx.font = `${11 * devicePixelRatio}px system-ui, sans-serif`;
      const label = t('chart.cutoff');
      const w = ctx.measureText(label).width;
      // On the side with room: left of the line when it is near the right edge.
      const right = px + 4 * devicePixelRatio + w < u.bbox.left + u.bbox.width;
      ctx.fillText(label, right ? px + 4 * devicePixelRatio : px - 4 * devicePixelRatio - w, u.bbox.top + 12 * devicePixelRatio);
      ctx.restore();
    }],
  };
  return draw(box, {
    scales: { x: { time: false, range: (u, lo, hi) => [lo - 0.5, hi + 0.5] }, y: { range: (u, lo, hi) => [0, Math.max(1, hi * 1.25)] } },
    axes: [monthAxis(months), countAxis(yLabel)],
    series: [
      { label: t('chart.month'), value: (u, i) => (i == null || !months[i] ? '–' : month(months[i])) },
      { label: t('chart.observed'), stroke: '#1a1a1a', width: 2, points: { show: true, size: 5, fill: '#1a1a1a' }, value: (u, v) => (v == null ? '–' : num(v)) },
      { label: t('chart.q95'), stroke: '#4292c6', width: 1, points: { show: false }, value: (u, v) => fmt(v) },
      { label: t('chart.q05'), stroke: '#4292c6', width: 1, points: { show: false }, value: (u, v) => fmt(v) },
      { label: t('chart.median'), stroke: '#08306b', width: 2.5, points: { show: true, size: 6, fill: '#08306b' }, value: (u, v) => fmt(v) },
      { label: t('chart.mean'), stroke: '#b84a00', width: 1.5, dash: [6, 4], points: { show: false }, value: (u, v) => fmt(v) },
    ],
    bands: [{ series: [2, 3], fill: 'rgba(66, 146, 198, 0.28)' }],
    cursor: { drag: { x: false, y: false } },
    legend: { live: true },
    hooks: cut,
  }, [x, observed, pick('q95'), pick('q05'), pick('q50'), pick('mean')], {
    height, title, facts: { forecastMonths: forecast.filter(Boolean).length, observedMonths: observed.filter((v) => v != null).length },
  });
}

/** A diagonal hatch (grey on white) for what the data do not cover. */
function hatch(ctx) {
  const c = document.createElement('canvas');
  const n = Math.round(8 * devicePixelRatio);
  c.width = n;
  c.height = n;
  const g = c.getContext('2d');
  g.fillStyle = '#f1f1ec';
  g.fillRect(0, 0, n, n);
  g.strokeStyle = '#9a9a90';
  g.lineWidth = devicePixelRatio;
  g.beginPath();
  g.moveTo(0, n);
  g.lineTo(n, 0);
  g.moveTo(-n / 2, n / 2);
  g.lineTo(n / 2, -n / 2);
  g.moveTo(n / 2, n * 1.5);
  g.lineTo(n * 1.5, n / 2);
  g.stroke();
  return ctx.createPattern(c, 'repeat');
}

/**
 * An alert's monthly series as bars: `series` [{month, fatalities, complete}]. Months no
 * complete source covers are hatched behind and their bars grey: a zero there is no record,
 * not a quiet month. The box gets `data-uncovered` (how many such months).
 */
export async function coverageBars(box, series, { height = 170, title, yLabel }) {
  const UPlot = await loadChartLibrary();
  const months = series.map((s) => s.month);
  const x = months.map((_, i) => i);
  const covered = series.map((s) => (s.complete ? s.fatalities : null));
  const uncovered = series.map((s) => (s.complete ? null : s.fatalities));
  const bars = UPlot.paths.bars({ size: [0.8, 30], gap: 1 });
  const marks = {
    drawClear: [(u) => {
      const ctx = u.ctx;
      const fill = hatch(ctx);
      ctx.save();
      series.forEach((s, i) => {
        if (s.complete) return;
        const a = u.valToPos(i - 0.5, 'x', true);
        const b = u.valToPos(i + 0.5, 'x', true);
        ctx.fillStyle = fill;
        ctx.fillRect(a, u.bbox.top, b - a, u.bbox.height);
      });
      ctx.restore();
    }],
  };
  const value = (v) => (v == null ? '–' : num(v));
  return draw(box, {
    scales: { x: { time: false, range: (u, lo, hi) => [lo - 0.5, hi + 0.5] }, y: { range: (u, lo, hi) => [0, Math.max(1, hi * 1.1)] } },
    axes: [monthAxis(months), countAxis(yLabel)],
    series: [
      { label: t('chart.month'), value: (u, i) => (i == null || !months[i] ? '–' : month(months[i])) },
      { label: t('chart.covered'), fill: '#08306b', stroke: '#08306b', width: 0, paths: bars, points: { show: false }, value: (u, v) => value(v) },
      { label: t('chart.uncovered'), fill: '#77776f', stroke: '#77776f', width: 0, paths: bars, points: { show: false }, value: (u, v) => value(v) },
    ],
    cursor: { drag: { x: false, y: false } },
    legend: { live: true },
    hooks: marks,
  }, [x, covered, uncovered], { height, title, facts: { months: series.length, uncovered: series.filter((s) => !s.complete).length } });
}
