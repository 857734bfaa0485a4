// Place names on the map, from the bundled gazetteer (GeoNames, CC BY 4.0: geo/places.json,
// derived from data/places/). The largest places come first; as the user zooms in, smaller
// ones appear where there is room. Nothing comes from a tile server.

let loading = null;
function loadPlaces() {
  loading ||= fetch(new URL('../geo/places.json', import.meta.url)).then((r) => {
    if (!r.ok) throw new Error(`places: HTTP ${r.status}`);
    return r.json();
  }).then((d) => d.places);
  return loading;
}

/** The smallest population labelled at zoom `z` (room permitting). */
export function minPopulation(z) {
  if (z <= 4) return 1000000;
  if (z === 5) return 250000;
  if (z === 6) return 60000;
  if (z === 7) return 20000;
  if (z === 8) return 5000;
  return 0;
}

const MAX_LABELS = 80;

/**
 * A layer of place names for `map` (Leaflet), redrawn as the view moves. The labels are
 * decoration for sighted users (aria-hidden, not focusable): the regions table and the
 * filters name places for everyone.
 */
export function placeNames(L, map) {
  const pane = map.createPane('places');
  pane.style.zIndex = 450;
  pane.style.pointerEvents = 'none';
  pane.setAttribute('aria-hidden', 'true');
  const layer = L.layerGroup().addTo(map);
  let places = [];
  const draw = () => {
    layer.clearLayers();
    const z = map.getZoom();
    const min = minPopulation(z);
    const view = map.getBounds();
    const taken = [];
    let n = 0;
    for (const [name, lat, lon, pop] of places) {
      if (pop < min) break;
      if (!view.contains([lat, lon])) continue;
      const p = map.latLngToContainerPoint([lat, lon]);
      // The label's box (about 6.5 px a letter at this size), kept clear of the others.
      const w = name.length * 6.5 + 8;
      const box = [p.x - 3, p.y - 16, p.x + w, p.y + 4];
      if (taken.some((b) => box[0] < b[2] && b[0] < box[2] && box[1] < b[3] && b[1] < box[3])) continue;
      taken.push(box);
      const big = pop >= 1000000 ? ' big' : '';
      layer.addLayer(L.marker([lat, lon], {
        pane: 'places', interactive: false, keyboard: false,
        icon: L.divIcon({ className: `place-label${big}`, html: '', iconSize: null }),
      }));
      const el = layer.getLayers().at(-1).getElement();
      if (el) el.textContent = name;
      if (++n >= MAX_LABELS) break;
    }
    map.getContainer().dataset.places = n;
  };
  loadPlaces().then((p) => { places = p; draw(); }).catch(() => { map.getContainer().dataset.places = 'error'; });
  map.on('zoomend moveend', draw);
  return layer;
}
