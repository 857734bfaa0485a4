// The filters of the current view live in the page's address (shareable, kept on reload,
// undone by Back): /map?country=MLI&from=2023-01-01. Views read them here and are told when
// they change. A view's own settings (the map's zoom and shading) live there too.

export const FILTER_KEYS = ['country', 'admin1', 'from', 'to', 'category', 'actor', 'source', 'marking', 'q'];

export function filters() {
  const p = new URLSearchParams(location.search);
  const f = {};
  for (const k of FILTER_KEYS) if (p.get(k)) f[k] = p.get(k);
  return f;
}

const listeners = new Set();
export function onChange(fn) { listeners.add(fn); return () => listeners.delete(fn); }

/**
 * A view's own settings that are not filters (the map's zoom, centre and shading), in the
 * address too: `push` makes a step Back undoes, otherwise the address is only updated.
 */
export function setViewParams(params, { push = false } = {}) {
  const p = new URLSearchParams(location.search);
  for (const [k, v] of Object.entries(params)) if (v === null || v === undefined || v === '') p.delete(k); else p.set(k, v);
  const s = p.toString();
  if (s === new URLSearchParams(location.search).toString()) return;
  history[push ? 'pushState' : 'replaceState'](history.state, '', `${location.pathname}${s ? `?${s}` : ''}`);
}

/** A view setting from the address. */
export function viewParam(k) {
  return new URLSearchParams(location.search).get(k);
}

/** Replaces the filters (undefined or '' removes one) and tells the views; Back undoes it. */
export function setFilters(next) {
  const p = new URLSearchParams(location.search);
  for (const k of FILTER_KEYS) p.delete(k);
  for (const k of FILTER_KEYS) if (next[k]) p.set(k, next[k]);
  const s = p.toString();
  // The same filters again (a day applied as typed, then its field left): nothing to reload.
  if (s === new URLSearchParams(location.search).toString()) return;
  history.pushState(history.state, '', `${location.pathname}${s ? `?${s}` : ''}`);
  const f = filters();
  for (const fn of listeners) fn(f);
}

/**
 * Sets filters in the address without a step for Back and without telling the views: a
 * view's default (the map's last 12 months) applied before it draws.
 */
export function replaceFilters(next) {
  const p = new URLSearchParams(location.search);
  for (const k of FILTER_KEYS) p.delete(k);
  for (const k of FILTER_KEYS) if (next[k]) p.set(k, next[k]);
  const s = p.toString();
  history.replaceState(history.state, '', `${location.pathname}${s ? `?${s}` : ''}`);
}

/** The query string of the current filters, to carry them to another view. */
export function search() {
  const p = new URLSearchParams();
  const f = filters();
  for (const k of FILTER_KEYS) if (f[k]) p.set(k, f[k]);
  const s = p.toString();
  return s ? `?${s}` : '';
}
