// Screen-grid clustering: items (single events, or the server's per-cell aggregates) that
// fall in the same CELL×CELL pixel square at a zoom level become one cluster. Linear in the
// number of items; results are kept per zoom level until the items change.

const CELL = 56;

function px(lat, lon, zoom) {
  const scale = 256 * 2 ** zoom;
  const s = Math.sin((Math.max(-85, Math.min(85, lat)) * Math.PI) / 180);
  return [((lon + 180) / 360) * scale, (0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI)) * scale];
}

/**
 * items: [{lat, lon, n, fat, cats: {category: n}, event?}] (event set for single events).
 * Returns [{lat, lon, n, fat, cats, items}] (items kept only for small clusters).
 */
export function cluster(items, zoom) {
  const groups = new Map();
  for (const it of items) {
    const [x, y] = px(it.lat, it.lon, zoom);
    const key = `${Math.floor(x / CELL)},${Math.floor(y / CELL)}`;
    let g = groups.get(key);
    if (!g) { g = { latw: 0, lonw: 0, n: 0, fat: 0, cats: {}, items: [] }; groups.set(key, g); }
    g.latw += it.lat * it.n;
    g.lonw += it.lon * it.n;
    g.n += it.n;
    g.fat += it.fat || 0;
    for (const [c, k] of Object.entries(it.cats)) g.cats[c] = (g.cats[c] || 0) + k;
    if (g.items.length <= 25) g.items.push(it);
    else g.many = true;
  }
  const out = [];
  for (const g of groups.values()) {
    out.push({ lat: g.latw / g.n, lon: g.lonw / g.n, n: g.n, fat: g.fat, cats: g.cats, items: g.many ? null : g.items });
  }
  return out;
}

export function dominant(cats) {
  let best = 'other';
  let n = -1;
  for (const [c, k] of Object.entries(cats)) if (k > n) { best = c; n = k; }
  return best;
}

/** Marker diameter in pixels: grows with fatalities (log scale), larger for clusters. */
export function size(n, fat) {
  const base = n > 1 ? 24 : 12;
  return Math.round(Math.min(50, base + 5 * Math.log2(1 + (fat || 0))));
}

export class Clusters {
  constructor(items) { this.items = items; this.byZoom = new Map(); }
  at(zoom) {
    if (!this.byZoom.has(zoom)) this.byZoom.set(zoom, cluster(this.items, zoom));
    return this.byZoom.get(zoom);
  }
}
