// The map screen: events (clustered, coloured by category, sized by fatalities), a
// choropleth of fatalities per admin-1 region or PRIO-GRID cell, the filters, the timeline,
// the regions with most fatalities and the exports. Everything comes from /api/v1.
//
// Up to POINT_CAP matching events are loaded as points and clustered here; beyond that the
// server aggregates them per 0.5° cell and category (/map/clusters), so the map stays fast
// with any number of events.

import { h, clear } from './dom.js';
import { get, url, qs } from './api.js';
import { t, num, category, country, plural, regionName } from './i18n.js';
import { filters, onChange, setViewParams, viewParam, replaceFilters } from './state.js';
import { filterPanel, showPeriod } from './filters.js';
import { loadGeo, admin1Index, norm } from './geo.js';
import { Clusters, dominant, size } from './cluster.js';
import { CATEGORIES, breaks, colourFor, SCALE } from './style.js';
import { timeline } from './timeline.js';
import { openEvent, badge } from './detail.js';
import { loadLeaflet } from './leaflet.js';
import { placeNames } from './places.js';
import { loadFreshness, dataEndLine } from './freshness.js';

export const POINT_CAP = 5000;

function exportLinks(f) {
  return h('div', { class: 'exports', role: 'group', 'aria-label': t('export.label') },
    h('span', {}, t('export.label')),
    ['csv', 'geojson'].map((fmt) => h('a', {
      class: 'button', href: url('/events/export', { ...f, format: fmt }), download: `vigie-events.${fmt}`, 'data-export': fmt,
    }, t(`export.${fmt}`))));
}

/** A region profile's address, keeping the filters other than the place. */
export function regionLink(c, a) {
  const f = filters();
  delete f.country;
  delete f.admin1;
  return `/region/${encodeURIComponent(c)}/${encodeURIComponent(a)}${qs(f)}`;
}

/**
 * With no period chosen (on opening, after a reset), the last 12 months with data: an
 * analyst opens on what is happening now, not on 36 years. "All" on the timeline is a
 * period too, so it stays chosen.
 */
async function defaultPeriod(tlCtl) {
  const f = filters();
  if (f.from || f.to) return;
  await tlCtl.refresh();
  const p = tlCtl.lastMonths(12);
  if (!p || filters().from || filters().to) return;
  replaceFilters({ ...filters(), ...p });
  showPeriod(p.from, p.to);
}

export async function renderMap(main) {
  const status = h('p', { id: 'map-status', class: 'status', role: 'status', 'aria-live': 'polite' }, t('loading'));
  const mapEl = h('div', { id: 'map', class: 'map', role: 'region', 'aria-label': t('map.label'), tabindex: '0' });
  const legend = h('div', { class: 'legend', id: 'legend' });
  const shading = h('fieldset', { class: 'shading' }, h('legend', {}, t('map.shading')),
    ['admin1', 'cells', 'none'].map((v) => h('label', {},
      h('input', { type: 'radio', name: 'shading', value: v, checked: v === (['admin1', 'cells', 'none'].includes(viewParam('shade')) ? viewParam('shade') : 'admin1') }), ' ', t(`map.shading.${v}`))));
  const exportsBox = h('div', { class: 'exports-box' });
  const dataEnd = h('span', { hidden: true });
  const regions = h('section', { class: 'regions', 'aria-labelledby': 'regions-h' },
    h('h2', { id: 'regions-h' }, t('map.topRegions')), h('div', { id: 'regions-body' }));
  const tl = h('section', { class: 'timeline', 'aria-labelledby': 'tl-h' }, h('h2', { id: 'tl-h', class: 'sr' }, t('timeline.title')));
  const panel = await filterPanel();
  const toggle = h('button', { type: 'button', class: 'filters-toggle', 'aria-expanded': 'false', 'aria-controls': 'side' }, t('filter.title'));
  const side = h('aside', { class: 'side', id: 'side' }, panel, regions);
  toggle.addEventListener('click', () => {
    const open = side.classList.toggle('open');
    toggle.setAttribute('aria-expanded', String(open));
  });
  clear(main).append(h('h1', { class: 'sr' }, t('nav.map')),
    h('div', { class: 'screen' }, toggle, side,
      h('section', { class: 'mapcol' }, h('div', { class: 'toolbar' }, status, dataEnd, shading, exportsBox), mapEl, legend, tl)));
  // How far the data go (from GET /coverage), when that answers.
  loadFreshness().then((f) => { const line = dataEndLine(f, 'map-data-end'); if (line && dataEnd.isConnected) dataEnd.replaceWith(line); });

  // The period first (it needs no map): with none chosen, the last 12 months with data.
  const tlCtl = timeline(tl);
  const periodChosen = defaultPeriod(tlCtl);
  const L = await loadLeaflet();

  // The view in the address (`z`, `at`: zoom and centre), else the Sahel and West Africa.
  const atParam = (viewParam('at') || '').split(',').map(Number);
  const zParam = Number(viewParam('z'));
  const fromAddress = atParam.length === 2 && atParam.every(Number.isFinite) && Number.isInteger(zParam) && zParam >= 2 && zParam <= 12;
  const map = L.map(mapEl, { minZoom: 2, maxZoom: 12, worldCopyJump: true, zoomSnap: 1, preferCanvas: true })
    .setView(fromAddress ? atParam : [14, 2], fromAddress ? zParam : 5);
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution(t('map.attribution'));
  map.createPane('base').style.zIndex = 200;
  // The countries are drawn when they arrive: the events do not wait for them on a slow line.
  let countryFeature = {};
  const countriesDrawn = loadGeo('countries.geojson').then((countries) => {
    if (!map.getContainer().isConnected) return;
    L.geoJSON(countries, {
      pane: 'base', interactive: false,
      style: { color: '#6b6b6b', weight: 1, fillColor: '#f2efe6', fillOpacity: 1 },
    }).addTo(map);
    countryFeature = Object.fromEntries(countries.features.map((f) => [f.properties.iso3, f]));
    zoomToCountry();
    drawRegions();
  }).catch(() => {});

  L.control.scale({ imperial: false, position: 'bottomleft' }).addTo(map);
  // While data load, a bar runs over the map (the status line says it in words).
  const progress = h('div', { class: 'map-progress', 'aria-hidden': 'true', hidden: true }, h('span'));
  mapEl.append(progress);

  const events = L.layerGroup().addTo(map);
  let shade = L.layerGroup().addTo(map);
  let clusters = new Clusters([]);
  let mode = 'points';
  let seq = 0;
  let admin1Rows = [];
  let cells = null;

  function drawEvents() {
    const t0 = performance.now();
    // A marker that has the keyboard's focus keeps it across the redraw (by its place).
    const focused = document.activeElement && document.activeElement.closest && document.activeElement.closest('.leaflet-marker-icon');
    const focusedKey = focused ? focused.dataset.key : null;
    events.clearLayers();
    const z = map.getZoom();
    const bounds = map.getBounds().pad(0.3);
    const view = map.getBounds();
    // Markers just outside the view are drawn (for panning) but not reached with Tab, which
    // would scroll the map under the user; those in view come north to south, west to east.
    const inView = (c) => view.contains([c.lat, c.lon]);
    const drawn = clusters.at(z).filter((c) => bounds.contains([c.lat, c.lon]))
      .sort((a, b) => (inView(b) - inView(a)) || (b.lat - a.lat) || (a.lon - b.lon));
    let refocus = null;
    for (const c of drawn) {
      const single = c.n === 1 && c.items && c.items[0].event;
      const cat = Object.keys(c.cats).length ? dominant(c.cats) : 'pending';
      const d = size(c.n, c.fat);
      const label = single
        ? t('map.eventTitle', { cat: category(cat), fat: num(c.fat), date: c.items[0].date })
        : t('map.clusterTitle', { n: num(c.n), fat: num(c.fat) });
      const icon = L.divIcon({
        className: `vc vc-${cat}${single ? ' vc-one' : ''}`,
        html: single ? '' : `<span>${c.n > 999 ? `${Math.round(c.n / 100) / 10}k` : c.n}</span>`,
        iconSize: [d, d],
      });
      const m = L.marker([c.lat, c.lon], { icon, title: label, alt: label, keyboard: true, riseOnHover: true });
      const open = () => {
        if (single) return openEvent(c.items[0].event);
        if (z < map.getMaxZoom() && (c.items === null || new Set(c.items.map((i) => `${i.lat},${i.lon}`)).size > 1)) {
          const b = L.latLngBounds((c.items || [c]).map((i) => [i.lat, i.lon]));
          if (c.items && b.isValid() && b.getNorthEast().distanceTo(b.getSouthWest()) > 1) map.fitBounds(b.pad(0.2), { maxZoom: z + 3 });
          else map.setView([c.lat, c.lon], Math.min(z + 2, map.getMaxZoom()));
          return;
        }
        const list = h('div', { class: 'popup' },
          h('p', {}, t('map.clusterTitle', { n: num(c.n), fat: num(c.fat) })),
          c.items && c.items.some((i) => i.event)
            ? h('ul', {}, c.items.map((i) => h('li', {}, badge(i.marking), ' ', h('button', { type: 'button', class: 'link', onclick: () => openEvent(i.event) },
              `${i.date} · ${category(dominant(i.cats))} · ${plural('region.deaths', i.fat, num)}`))))
            : h('ul', {}, Object.entries(c.cats).map(([k, v]) => h('li', {}, `${category(k)}: ${num(v)}`))));
        L.popup().setLatLng([c.lat, c.lon]).setContent(list).openOn(map);
      };
      m.on('click', open);
      events.addLayer(m);
      const el = m.getElement();
      if (el) {
        el.dataset.key = `${c.lat},${c.lon}`;
        el.setAttribute('role', 'button');
        if (!inView(c)) el.tabIndex = -1;
        // Enter and Space open what a click opens.
        el.addEventListener('keydown', (e) => {
          if (e.key !== 'Enter' && e.key !== ' ') return;
          e.preventDefault();
          e.stopPropagation();
          open();
        });
        if (el.dataset.key === focusedKey) refocus = el;
      }
    }
    // The focused marker is gone (the view zoomed into it): the map keeps the focus.
    if (refocus) refocus.focus({ preventScroll: true });
    else if (focused) mapEl.focus({ preventScroll: true });
    mapEl.dataset.zoom = z;
    const mid = map.getCenter();
    mapEl.dataset.center = `${mid.lat.toFixed(2)},${mid.lng.toFixed(2)}`;
    mapEl.dataset.drawMs = Math.round(performance.now() - t0);
    mapEl.dataset.markers = events.getLayers().length;
  }

  function drawLegend(br, title) {
    const cats = h('ul', { class: 'cats' }, CATEGORIES.map((c) => h('li', {}, h('span', { class: `swatch vc-${c}` }), category(c))));
    const scale = br ? h('div', { class: 'scale' }, h('span', {}, title),
      h('ul', {}, [0, ...br].map((b, i) => h('li', {}, h('span', { class: `swatch sc-${Math.min(i, SCALE.length - 1)}` }), i === 0 ? '0' : `≥ ${num(b)}`)))) : null;
    legend.replaceChildren(h('div', {}, h('span', {}, t('map.legendEvents')), cats), scale || '');
  }

  async function drawShade() {
    map.removeLayer(shade);
    const which = shading.querySelector('input:checked').value;
    if (which === 'admin1') {
      const { fc, idx } = await admin1Index();
      const per = new Map();
      for (const r of admin1Rows) {
        const f = r.admin1 && idx[r.country] && idx[r.country][norm(r.admin1)];
        if (!f) continue;
        const e = per.get(f) || { fat: 0, ev: 0, name: r.admin1 };
        e.fat += r.fatalities; e.ev += r.events; per.set(f, e);
      }
      const br = breaks([...per.values()].map((v) => v.fat));
      shade = L.geoJSON(fc, {
        style: (f) => ({ color: '#555', weight: 0.6, fillColor: colourFor(per.get(f)?.fat || 0, br), fillOpacity: per.get(f) ? 0.75 : 0.15 }),
        onEachFeature: (f, layer) => {
          const v = per.get(f);
          const name = v ? v.name : f.properties.name;
          layer.bindPopup(() => h('div', { class: 'popup' },
            h('strong', {}, `${f.properties.name} (${country(f.properties.iso3)})`),
            h('p', {}, t('region.summary', { ev: plural('map.events', v?.ev || 0, num), fat: plural('region.fatalities', v?.fat || 0, num) })),
            h('a', { href: regionLink(f.properties.iso3, name), 'data-link': '' }, t('region.open'))));
        },
      });
      drawLegend(br, t('map.legendFatalities'));
    } else if (which === 'cells') {
      cells ||= await get('/map/cells', filters());
      const br = breaks(cells.features.map((f) => f.properties.fatalities));
      shade = L.geoJSON(cells, {
        style: (f) => ({ color: '#555', weight: 0.3, fillColor: colourFor(f.properties.fatalities, br), fillOpacity: 0.75 }),
        onEachFeature: (f, layer) => layer.bindPopup(t('map.cellPopup', { gid: f.id, ev: num(f.properties.events), fat: num(f.properties.fatalities) })),
      });
      drawLegend(br, t('map.legendFatalities'));
    } else {
      shade = L.layerGroup();
      drawLegend(null);
    }
    shade.addTo(map);
  }

  // Where a region lies, to list those in view: the middle of its boundaries (West Africa),
  // else of its country's.
  const boundsOf = new WeakMap();
  const featureBounds = (f) => {
    let b = boundsOf.get(f);
    if (!b) { b = L.geoJSON(f).getBounds(); boundsOf.set(f, b); }
    return b;
  };
  // The boundaries arrive with the shading; until then a region lies in its country.
  let regionIdx = {};
  const regionsPlaced = admin1Index().then((x) => { regionIdx = x.idx; drawRegions(); }).catch(() => {});
  const placeOf = (c, a) => {
    const f = (regionIdx[c] && regionIdx[c][norm(a)]) || countryFeature[c];
    return f ? featureBounds(f) : null;
  };

  /** The regions in view with most fatalities (they follow the map as it moves). */
  function drawRegions() {
    const view = map.getBounds();
    const per = new Map();
    for (const r of admin1Rows) {
      if (!r.admin1) continue;
      const k = `${r.country}\u0000${r.admin1}`;
      const e = per.get(k) || { c: r.country, a: r.admin1, fat: 0, ev: 0 };
      e.fat += r.fatalities; e.ev += r.events; per.set(k, e);
    }
    const top = [...per.values()]
      .filter((r) => { const b = placeOf(r.c, r.a); return b && view.contains(b.getCenter()); })
      .sort((x, y) => y.fat - x.fat || y.ev - x.ev).slice(0, 10);
    const body = regions.querySelector('#regions-body');
    body.replaceChildren(top.length === 0 ? h('p', { class: 'empty' }, t('map.noRegions'))
      : h('table', { class: 'compact' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('col.region')), h('th', { scope: 'col', class: 'n' }, t('col.events')), h('th', { scope: 'col', class: 'n' }, t('col.fatalities')))),
        h('tbody', {}, top.map((r) => h('tr', {},
          h('td', {}, h('a', { href: regionLink(r.c, r.a), 'data-link': '', class: 'region-link' }, `${regionName(r.a)} (${r.c})`)),
          h('td', { class: 'n' }, num(r.ev)), h('td', { class: 'n' }, num(r.fat)))))));
  }

  async function reload() {
    const mine = ++seq;
    const f = filters();
    const started = performance.now();
    status.textContent = t('loading');
    status.dataset.state = 'loading';
    progress.hidden = false;
    status.dataset.coloured = 'no';
    exportsBox.replaceChildren(exportLinks(f));
    try {
      // The total, the regions' figures and the server's per-cell totals at once; single
      // events only when few enough match. Beyond that, the cells are drawn at once and
      // coloured by category when the server's per-category aggregates arrive.
      const [page, stats, cellsFc] = await Promise.all([
        get('/events', { ...f, limit: 1 }), get('/stats', { ...f, by: 'admin1' }), get('/map/cells', f)]);
      const located = cellsFc.features.reduce((a, c) => a + c.properties.events, 0);
      const pts = located <= POINT_CAP ? await get('/map/points', { ...f, max: POINT_CAP }) : null;
      let items;
      if (pts && !pts.truncated) {
        mode = 'points';
        status.dataset.coloured = 'yes';
        items = pts.points.map(([id, lon, lat, cat, fat, marking, date]) => ({ lat, lon, n: 1, fat: fat || 0, cats: { [cat]: 1 }, event: id, marking, date }));
      } else {
        mode = 'cells';
        items = cellsFc.features.map((c) => {
          const [[[w, s], , [e, n]]] = c.geometry.coordinates;
          return { lat: (s + n) / 2, lon: (w + e) / 2, n: c.properties.events, fat: c.properties.fatalities, cats: {} };
        });
        get('/map/clusters', f).then((cl) => {
          if (mine !== seq) return;
          clusters = new Clusters(cl.cells.map((c) => ({ lat: c.lat, lon: c.lon, n: c.events, fat: c.fatalities, cats: c.categories })));
          drawEvents();
          status.dataset.coloured = 'yes';
        }).catch(() => {});
      }
      if (mine !== seq) return;
      admin1Rows = stats.rows;
      cells = cellsFc;
      clusters = new Clusters(items);
      drawEvents();
      await drawShade();
      drawRegions();
      // Ready means all drawn: the regions in view are placed by their boundaries.
      await Promise.all([countriesDrawn, regionsPlaced]);
      if (mine !== seq) return;
      drawRegions();
      const mapped = items.reduce((a, i) => a + i.n, 0);
      status.textContent = t(mode === 'points' ? 'map.status' : 'map.statusAggregated', { events: plural('map.events', page.total, num), mapped: num(mapped) });
      Object.assign(status.dataset, { state: 'ready', total: page.total, mapped, mode, from: f.from || '', to: f.to || '', ms: Math.round(performance.now() - started) });
      progress.hidden = true;
    } catch (e) {
      if (mine !== seq) return;
      status.textContent = t('error.load', { msg: e.message });
      status.dataset.state = 'error';
      progress.hidden = true;
    }
  }

  map.on('zoomend moveend', () => {
    drawEvents();
    drawRegions();
    const mid = map.getCenter();
    setViewParams({ z: map.getZoom(), at: `${mid.lat.toFixed(3)},${mid.lng.toFixed(3)}` });
  });
  shading.addEventListener('change', () => {
    const v = shading.querySelector('input:checked').value;
    setViewParams({ shade: v === 'admin1' ? null : v }, { push: true });
    drawShade();
  });
  // Choosing a country zooms to it (and leaves the view where it is when the choice is
  // cleared).
  // A view kept in the address wins over the country's at opening.
  let shownCountry = fromAddress ? (filters().country || null) : null;
  const zoomToCountry = () => {
    const c = filters().country || null;
    if (c === shownCountry) return;
    const f = c && countryFeature[c];
    // The boundaries are not here yet: this is done again when they are.
    if (c && !f) return;
    shownCountry = c;
    if (f) map.fitBounds(featureBounds(f), { padding: [20, 20], maxZoom: 8, animate: false });
  };
  zoomToCountry();
  // Loading from the moment the filters change: the default period may first need the
  // timeline, and until then the map must not say it is ready with the old figures.
  const off = onChange(async () => {
    ++seq;
    status.textContent = t('loading');
    status.dataset.state = 'loading';
    progress.hidden = false;
    zoomToCountry();
    await defaultPeriod(tlCtl).catch(() => {});
    reload();
    tlCtl.refresh();
  });
  await periodChosen;
  await Promise.all([reload(), tlCtl.refresh()]);
  // Place names once the events are drawn (they would slow them on a slow line).
  placeNames(L, map);
  return () => {
    off();
    map.off('zoomend moveend');
    // Leaflet ends a zoom animation by a timer, even on a map removed meanwhile: the map is
    // removed once any animation is over.
    setTimeout(() => map.remove(), 400);
  };
}
