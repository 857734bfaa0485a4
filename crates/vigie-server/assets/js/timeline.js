// The time-range control: a monthly histogram of the events that match the other filters
// (stacked by category where the server groups by category), and two sliders that set the
// period of every view (the `from` and `to` filters).

import { h, s } from './dom.js';
import { get } from './api.js';
import { t, num, month, category } from './i18n.js';
import { filters, setFilters } from './state.js';
import { CATEGORIES, CATEGORY_COLOURS } from './style.js';
import { showPeriod } from './filters.js';

/** Monthly rows by category, from the server's category-month grouping. Returns
 * {months: [YYYY-MM], series: {cat: {month: {events, fatalities}}}}. */
export async function monthlyByCategory(f) {
  const series = {};
  const { rows } = await get('/stats', { ...f, by: 'category-month' });
  for (const r of rows) {
    const c = r.category || 'other';
    const m = ((series[c] ||= {})[r.month] ||= { events: 0, fatalities: 0 });
    m.events += r.events; m.fatalities += r.fatalities;
  }
  const seen = Object.values(series).flatMap((m) => Object.keys(m)).sort();
  return { months: fillMonths(seen[0], seen[seen.length - 1]), series };
}

export function fillMonths(first, last) {
  if (!first) return [];
  const out = [];
  let [y, m] = first.split('-').map(Number);
  const [ly, lm] = last.split('-').map(Number);
  while (y < ly || (y === ly && m <= lm)) {
    out.push(`${y}-${String(m).padStart(2, '0')}`);
    if (++m > 12) { m = 1; y++; }
  }
  return out;
}

function lastDay(ym) {
  const [y, m] = ym.split('-').map(Number);
  return `${ym}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`;
}

/** Stacked monthly bars as SVG; `value` picks events or fatalities. */
export function stackedBars(months, series, value, { width = 1000, height = 90, title } = {}) {
  const totals = months.map((m) => CATEGORIES.reduce((a, c) => a + (series[c]?.[m]?.[value] || 0), 0));
  const max = Math.max(1, ...totals);
  const bw = width / Math.max(1, months.length);
  const svg = s('svg', { viewBox: `0 0 ${width} ${height}`, preserveAspectRatio: 'none', role: 'img', 'aria-label': title, class: 'bars' });
  months.forEach((m, i) => {
    let y = height;
    for (const c of CATEGORIES) {
      const v = series[c]?.[m]?.[value] || 0;
      if (!v) continue;
      const bh = (v / max) * (height - 2);
      y -= bh;
      svg.append(s('rect', { x: i * bw, y, width: Math.max(bw - (bw > 3 ? 1 : 0), 0.5), height: bh, fill: CATEGORY_COLOURS[c] },
        s('title', {}, `${month(m)} · ${category(c)}: ${num(v)}`)));
    }
  });
  return svg;
}

export function timeline(box) {
  let key = null;
  let months = [];
  const body = h('div', { class: 'tl-body' });
  box.append(body);

  function indexOf(day, fallback) {
    if (!day) return fallback;
    const i = months.indexOf(day.slice(0, 7));
    if (i >= 0) return i;
    return day.slice(0, 7) < months[0] ? 0 : months.length - 1;
  }

  function draw(series) {
    const f = filters();
    if (months.length === 0) {
      body.replaceChildren(h('p', { class: 'empty' }, t('timeline.empty')));
      return;
    }
    const a = h('input', { type: 'range', id: 'tl-from', min: 0, max: months.length - 1, value: indexOf(f.from, 0) });
    const b = h('input', { type: 'range', id: 'tl-to', min: 0, max: months.length - 1, value: indexOf(f.to, months.length - 1) });
    const out = h('output', { for: 'tl-from tl-to', id: 'tl-out' });
    const sel = s('rect', { class: 'tl-sel', y: 0, height: 90 });
    const svg = stackedBars(months, series, 'events', { title: t('timeline.title') });
    svg.prepend(sel);
    const show = () => {
      let i = Number(a.value); let j = Number(b.value);
      if (i > j) [i, j] = [j, i];
      const w = 1000 / months.length;
      sel.setAttribute('x', i * w); sel.setAttribute('width', (j - i + 1) * w);
      out.textContent = `${month(months[i])} – ${month(months[j])}`;
      a.setAttribute('aria-valuetext', month(months[Number(a.value)]));
      b.setAttribute('aria-valuetext', month(months[Number(b.value)]));
      return [i, j];
    };
    const commit = () => {
      const [i, j] = show();
      // Always a period, all time included: with none, the map opens on its last 12 months.
      const from = `${months[i]}-01`;
      const to = lastDay(months[j]);
      showPeriod(from, to);
      setFilters({ ...filters(), from, to });
    };
    for (const r of [a, b]) { r.addEventListener('input', show); r.addEventListener('change', commit); }
    show();
    body.replaceChildren(
      h('div', { class: 'tl-head' }, h('span', {}, t('timeline.title')), out,
        h('span', { class: 'presets', role: 'group', 'aria-label': t('timeline.presets') },
          // The last months with data (not with today's date: a store may end earlier).
          [1, 3, 12].map((n) => h('button', {
            type: 'button', class: 'link', id: `tl-last-${n}`, 'aria-label': t('timeline.lastLabel', { n }),
            onclick: () => { a.value = Math.max(0, months.length - n); b.value = months.length - 1; commit(); },
          }, t('timeline.last', { n }))),
          h('button', { type: 'button', class: 'link', id: 'tl-all', onclick: () => { a.value = 0; b.value = months.length - 1; commit(); } }, t('timeline.all')))),
      svg,
      h('div', { class: 'tl-ranges' },
        h('label', { for: 'tl-from' }, t('timeline.start')), a,
        h('label', { for: 'tl-to' }, t('timeline.end')), b));
  }

  let series = {};
  return {
    /** The last `n` months with data (under the other filters), as a period; null if none. */
    lastMonths(n) {
      if (months.length === 0) return null;
      return { from: `${months[Math.max(0, months.length - n)]}-01`, to: lastDay(months[months.length - 1]) };
    },
    async refresh() {
      const f = filters();
      delete f.from; delete f.to;
      const k = JSON.stringify(f);
      if (k !== key) {
        key = k;
        const r = await monthlyByCategory(f);
        if (key !== k) return;
        months = r.months; series = r.series;
      }
      draw(series);
    },
  };
}
