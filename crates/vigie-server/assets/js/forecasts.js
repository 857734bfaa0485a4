// The forecasts screen: one run the user may see (the latest of a level, or one chosen), its
// units shaded on a map for one forecast month by the chance of deaths (or the mean), the
// same figures as a table that keyboard and screen-reader users can use, and the chosen
// unit's fan chart with its observed past. The run's data cut-off and age are always in
// sight, and a stale run says so. Everything comes from /api/v1, as the user may see it.

import { h, clear } from './dom.js';
import { get } from './api.js';
import { t, num } from './i18n.js';
import { viewParam, setViewParams } from './state.js';
import { loadGeo, WEST_AFRICA } from './geo.js';
import { SCALE, breaks, colourFor } from './style.js';
import { dec, pct, ym, unitName, withCode, markingBanner } from './warning.js';
import { runAgeLine, fanBlock } from './forecast.js';
import { loadLeaflet } from './leaflet.js';

const LEVELS = ['cm', 'a1m', 'pgm'];
const QUANTITIES = ['p_any', 'p_25', 'mean'];
/** Probability classes: < 1 %, 1–5 %, 5–20 %, 20–50 %, 50–80 %, ≥ 80 %. */
const P_BREAKS = [0.01, 0.05, 0.2, 0.5, 0.8];

/** A PRIO-GRID cell's square (gid = row × 720 + col + 1, rows from 90° S, columns from 180° W). */
function cellFeature(gid) {
  const row = Math.floor((gid - 1) / 720);
  const col = (gid - 1) % 720;
  const s = -90 + row * 0.5;
  const w = -180 + col * 0.5;
  return {
    type: 'Feature', properties: { unit: String(gid) },
    geometry: { type: 'Polygon', coordinates: [[[w, s], [w + 0.5, s], [w + 0.5, s + 0.5], [w, s + 0.5], [w, s]]] },
  };
}

/** The boundaries of a level's units, each feature's `unit` set (a unit may have several). */
async function unitFeatures(level, units) {
  if (level === 'pgm') return units.filter((u) => /^\d+$/.test(u)).map((u) => cellFeature(Number(u)));
  if (level === 'cm') {
    const fc = await loadGeo('countries.geojson');
    const want = new Set(units);
    return fc.features.filter((f) => want.has(f.properties.iso3)).map((f) => ({ ...f, properties: { ...f.properties, unit: f.properties.iso3 } }));
  }
  const fc = await loadGeo('admin1.geojson');
  const want = new Set(units);
  return fc.features.map((f) => ({ ...f, properties: { ...f.properties, unit: `${f.properties.iso3}/${f.properties.name}` } }))
    .filter((f) => want.has(f.properties.unit));
}

function show(q, v) { return q === 'mean' ? dec(v) : pct(v); }

export async function renderForecasts(main) {
  const L = await loadLeaflet();
  let level = LEVELS.includes(viewParam('level')) ? viewParam('level') : 'a1m';
  let quantity = QUANTITIES.includes(viewParam('q')) ? viewParam('q') : 'p_any';
  const status = h('p', { class: 'status', id: 'fc-status', role: 'status', 'aria-live': 'polite' }, t('loading'));
  const field = (id, labelKey, control) => h('div', { class: 'field' }, h('label', { for: id }, t(labelKey)), control);
  const levelSel = h('select', { id: 'fc-level' }, LEVELS.map((l) => h('option', { value: l }, t(`level.${l}`))));
  const runSel = h('select', { id: 'fc-run' });
  const monthSel = h('select', { id: 'fc-month' });
  const qSel = h('select', { id: 'fc-quantity' }, QUANTITIES.map((q) => h('option', { value: q }, t(`forecasts.q.${q}`))));
  levelSel.value = level;
  qSel.value = quantity;
  const runBox = h('div', { class: 'fc-run', id: 'fc-run-box' });
  const mapEl = h('div', { id: 'fc-map', class: 'map fc-map', role: 'region', 'aria-label': t('forecasts.mapLabel'), tabindex: '0' });
  const legend = h('div', { class: 'legend', id: 'fc-legend' });
  const tableBox = h('div', { class: 'fc-table', id: 'fc-table-box' });
  const unitBox = h('section', { class: 'card fc-unit', id: 'fc-unit', 'aria-labelledby': 'fc-unit-h', hidden: true });
  clear(main).append(h('div', { class: 'forecasts-page' },
    h('h1', {}, t('forecasts.title')),
    h('div', { class: 'fc-controls' },
      field('fc-level', 'forecasts.level', levelSel),
      field('fc-run', 'forecasts.run', runSel),
      field('fc-month', 'forecasts.month', monthSel),
      field('fc-quantity', 'forecasts.quantity', qSel)),
    runBox, status,
    h('div', { class: 'fc-body' },
      h('section', { class: 'fc-mapcol', 'aria-labelledby': 'fc-map-h' }, h('h2', { id: 'fc-map-h', class: 'sr' }, t('forecasts.mapLabel')), mapEl, legend),
      h('section', { class: 'fc-tablecol', 'aria-labelledby': 'fc-table-h' }, h('h2', { id: 'fc-table-h' }, t('forecasts.tableTitle')), tableBox)),
    unitBox));

  const map = L.map(mapEl, { minZoom: 2, maxZoom: 10, worldCopyJump: true, zoomSnap: 0.5 }).setView([14, 2], 4);
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution(t('map.attribution'));
  map.createPane('base').style.zIndex = 200;
  const countries = await loadGeo('countries.geojson');
  L.geoJSON(countries, {
    pane: 'base', interactive: false, style: { color: '#6b6b6b', weight: 1, fillColor: '#f2efe6', fillOpacity: 1 },
  }).addTo(map);
  // West Africa and the Sahel in view, whatever the level (the table lists every unit).
  map.fitBounds(L.geoJSON({ type: 'FeatureCollection', features: countries.features.filter((f) => WEST_AFRICA.includes(f.properties.iso3)) }).getBounds(),
    { padding: [10, 10], animate: false });
  let shade = L.layerGroup().addTo(map);

  let run = null;
  let byMonth = new Map(); // month → unit → row
  let months = [];
  let units = [];
  let selected = viewParam('unit');
  let seq = 0;

  function drawLegend(br) {
    const items = quantity === 'mean'
      ? [0, ...br].map((b, i) => [i, i === 0 ? '0' : `≥ ${dec(b)}`])
      : [[0, `< ${pct(P_BREAKS[0])}`], ...P_BREAKS.map((b, i) => [i + 1, i + 1 < P_BREAKS.length ? `${pct(b)}–${pct(P_BREAKS[i + 1])}` : `≥ ${pct(b)}`])];
    legend.replaceChildren(h('div', { class: 'scale' }, h('span', {}, t(`forecasts.legend.${quantity}`, { month: ym(monthSel.value) })),
      h('ul', {}, items.map(([i, text]) => h('li', {}, h('span', { class: `swatch sc-${Math.min(i, SCALE.length - 1)}` }), text)))),
    h('p', { class: 'hint' }, t('forecasts.legendNote')));
  }

  function select(unit, { focus = false, scroll = true } = {}) {
    selected = unit;
    setViewParams({ unit });
    for (const b of tableBox.querySelectorAll('button[data-unit]')) {
      if (b.dataset.unit === unit) b.setAttribute('aria-current', 'true'); else b.removeAttribute('aria-current');
      b.closest('tr').classList.toggle('selected', b.dataset.unit === unit);
    }
    shade.eachLayer((l) => l.setStyle && l.setStyle(l.feature.properties.unit === unit ? { weight: 3, color: '#000' } : { weight: level === 'pgm' ? 0.3 : 0.6, color: '#555' }));
    const rows = [...byMonth.values()].map((m) => m.get(unit)).filter(Boolean).sort((a, b) => (a.month < b.month ? -1 : 1));
    const name = unitName(level, unit);
    unitBox.hidden = false;
    unitBox.replaceChildren(
      h('h2', { id: 'fc-unit-h', tabindex: '-1' }, name),
      rows.length === 0 ? h('p', { class: 'empty' }, t('forecasts.noUnit')) : fanBlock(run, rows, {
        level, unit, name, tableId: 'fc-unit-table', idPrefix: 'fc-unit', heading: null,
      }));
    unitBox.dataset.unit = unit;
    if (focus) unitBox.querySelector('h2').focus();
    else if (scroll) unitBox.scrollIntoView({ block: 'nearest' });
  }

  function drawMonth() {
    const month = monthSel.value;
    const rows = byMonth.get(month) || new Map();
    const values = [...rows.values()].map((r) => r[quantity]);
    const br = quantity === 'mean' ? breaks(values) : P_BREAKS;
    const colour = (v) => (quantity === 'mean' ? colourFor(v, br) : colourFor(v, P_BREAKS));
    drawLegend(br);
    // The map: every unit of the run that has boundaries.
    map.removeLayer(shade);
    shade = L.geoJSON({ type: 'FeatureCollection', features: features }, {
      style: (f) => {
        const r = rows.get(f.properties.unit);
        const sel = f.properties.unit === selected;
        return { color: sel ? '#000' : '#555', weight: sel ? 3 : level === 'pgm' ? 0.3 : 0.6, fillColor: r ? colour(r[quantity]) : '#ccc', fillOpacity: 0.8 };
      },
      onEachFeature: (f, layer) => {
        const r = rows.get(f.properties.unit);
        layer.bindTooltip(`${unitName(level, f.properties.unit)}: ${r ? show(quantity, r[quantity]) : '–'}`, { sticky: true });
        layer.on('click', () => select(f.properties.unit));
        layer.on('add', () => {
          const el = layer.getElement();
          if (el) Object.assign(el.dataset, { unit: f.properties.unit, value: r ? r[quantity] : '' });
        });
      },
    }).addTo(map);
    // The table: every unit of the run, highest first; the unit selects like a click on the map.
    const sorted = [...rows.values()].sort((a, b) => b[quantity] - a[quantity] || b.mean - a.mean || (a.unit < b.unit ? -1 : 1));
    tableBox.replaceChildren(h('table', { class: 'compact fc-units', id: 'fc-units' },
      h('caption', { class: 'sr' }, t('forecasts.tableCaption', { month: ym(month), level: t(`level.${level}`) })),
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, t('forecasts.unit')),
        ...QUANTITIES.map((q) => h('th', { scope: 'col', class: `n${q === quantity ? ' sorted' : ''}`, 'aria-sort': q === quantity ? 'descending' : null }, t(`forecasts.q.${q}`))))),
      h('tbody', {}, sorted.map((r) => h('tr', { dataset: { unit: r.unit, value: r[quantity] }, class: r.unit === selected ? 'selected' : null },
        h('th', { scope: 'row' }, h('button', {
          type: 'button', class: 'link', dataset: { unit: r.unit }, 'aria-current': r.unit === selected ? 'true' : null,
          onclick: () => select(r.unit, { focus: true }),
        }, unitName(level, r.unit))),
        ...QUANTITIES.map((q) => h('td', { class: 'n' }, show(q, r[q]))))))));
    const shaded = new Set(features.map((f) => f.properties.unit).filter((u) => rows.has(u))).size;
    status.textContent = t('forecasts.status', { n: num(rows.size), shaded: num(shaded), month: ym(month) });
    Object.assign(status.dataset, { state: 'ready', level, run: run.id, month, quantity, units: rows.size, shaded });
  }

  let features = [];
  async function loadRun(runId) {
    const mine = ++seq;
    status.dataset.state = 'loading';
    status.textContent = t('loading');
    const r = await get('/forecasts', { run: runId });
    if (mine !== seq) return;
    run = r.run;
    if (!run) {
      runBox.replaceChildren();
      return empty();
    }
    byMonth = new Map();
    for (const row of r.items) {
      if (!byMonth.has(row.month)) byMonth.set(row.month, new Map());
      byMonth.get(row.month).set(row.unit, row);
    }
    months = [...byMonth.keys()].sort();
    units = [...new Set(r.items.map((x) => x.unit))];
    features = await unitFeatures(level, units);
    if (mine !== seq) return;
    monthSel.replaceChildren(...months.map((m, i) => h('option', { value: m }, t('forecasts.monthAhead', { month: ym(m), n: i + 1 }))));
    const wanted = viewParam('month');
    monthSel.value = months.includes(wanted) ? wanted : months[0];
    runBox.replaceChildren(markingBanner(run.audience && run.audience.marking), runAgeLine(run, 'fc-run'),
      h('p', { class: 'hint' }, t('forecasts.runLine', { model: run.model, from: ym(run.data_from), until: ym(run.data_until), n: num(run.months), draws: num(run.draws), whose: run.computed_for === 'public' ? t('forecast.public') : run.computed_for })));
    drawMonth();
    if (selected && units.includes(selected)) select(selected, { scroll: false });
    else { selected = null; unitBox.hidden = true; setViewParams({ unit: null }); }
  }

  function empty() {
    months = [];
    monthSel.replaceChildren();
    map.removeLayer(shade);
    shade = L.layerGroup().addTo(map);
    legend.replaceChildren();
    tableBox.replaceChildren(h('p', { class: 'empty', id: 'fc-empty' }, withCode('forecasts.none', `vigie forecast run --unit ${level}`)));
    unitBox.hidden = true;
    status.textContent = t('forecasts.noneStatus', { level: t(`level.${level}`) });
    Object.assign(status.dataset, { state: 'ready', level, run: '', units: 0, shaded: 0 });
  }

  async function loadLevel() {
    status.dataset.state = 'loading';
    const { items } = await get('/forecasts/runs', { level });
    runSel.replaceChildren(...items.map((r, i) => h('option', { value: r.id },
      t(i === 0 ? 'forecasts.runLatest' : 'forecasts.runOption', { until: ym(r.data_until), model: r.model, marking: r.audience.marking }))));
    runSel.disabled = items.length === 0;
    monthSel.disabled = items.length === 0;
    if (items.length === 0) { runBox.replaceChildren(); seq++; empty(); return; }
    const wanted = viewParam('run');
    runSel.value = items.some((r) => r.id === wanted) ? wanted : items[0].id;
    await loadRun(runSel.value);
  }

  const fail = (e) => {
    status.textContent = t('error.load', { msg: e.message });
    status.dataset.state = 'error';
  };
  levelSel.addEventListener('change', () => {
    level = levelSel.value;
    selected = null;
    setViewParams({ level, run: null, month: null, unit: null }, { push: true });
    loadLevel().catch(fail);
  });
  runSel.addEventListener('change', () => {
    setViewParams({ run: runSel.selectedIndex === 0 ? null : runSel.value, month: null }, { push: true });
    loadRun(runSel.value).catch(fail);
  });
  monthSel.addEventListener('change', () => { setViewParams({ month: monthSel.value }, { push: true }); drawMonth(); });
  qSel.addEventListener('change', () => {
    quantity = qSel.value;
    setViewParams({ q: quantity === 'p_any' ? null : quantity }, { push: true });
    if (run) drawMonth();
  });
  await loadLevel();
  return () => {
    map.off('zoomend moveend');
    // As on the map screen: removed once any zoom animation is over.
    setTimeout(() => map.remove(), 400);
  };
}
