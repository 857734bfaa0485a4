// The filters of the current view live in the page's address (shareable, kept on reload):
// /map?country=MLI&from=2023-01-01. Views read them here and are told when they change.

export const FILTER_KEYS = ['country', 'admin1', 'from', 'to', 'category', 'actor', 'source', 'marking', 'q'];

export function filters() {
  const p = new URLSearchParams(location.search);
  const f = {};
  for (const k of FILTER_KEYS) if (p.get(k)) f[k] = p.get(k);
  return f;
}

const listeners = new Set();
export function onChange(fn) { listeners.add(fn); return () => listeners.delete(fn); }

/** Replaces the filters (undefined or '' removes one) and tells the views. */
export function setFilters(next) {
  const p = new URLSearchParams(location.search);
  for (const k of FILTER_KEYS) p.delete(k);
  for (const k of FILTER_KEYS) if (next[k]) p.set(k, next[k]);
  const s = p.toString();
  // The same filters again (a day applied as typed, then its field left): nothing to reload.
  if (s === new URLSearchParams(location.search).toString()) return;
  history.replaceState(history.state, '', `${location.pathname}${s ? `?${s}` : ''}`);
  const f = filters();
  for (const fn of listeners) fn(f);
}

/** The query string of the current filters, to carry them to another view. */
export function search() {
  const p = new URLSearchParams();
  const f = filters();
  for (const k of FILTER_KEYS) if (f[k]) p.set(k, f[k]);
  const s = p.toString();
  return s ? `?${s}` : '';
}
