// Client-side routes (the server answers every one of them with the same page).

import { search } from './state.js';

let render = null;

export function setRenderer(fn) { render = fn; }

export function navigate(path, { replace = false } = {}) {
  if (replace) history.replaceState({}, '', path); else history.pushState({}, '', path);
  return render && render();
}

// The open item (`?event=…`) is part of the address too, but opening or closing it is not a
// new screen: Back that only changes it is left to the dialog (detail.js), the screen stays.
const ITEM = 'event';
const screenKey = () => {
  const p = new URLSearchParams(location.search);
  p.delete(ITEM);
  return `${location.pathname}?${p}`;
};
let shown = screenKey();
// Every change of address made by the page (filters, the map's view, an opened event) is
// remembered, so that Back can tell a change of screen or filters from an item closed.
for (const m of ['pushState', 'replaceState']) {
  const change = history[m].bind(history);
  history[m] = (...args) => { change(...args); shown = screenKey(); };
}
addEventListener('popstate', () => {
  const key = screenKey();
  const same = key === shown;
  shown = key;
  if (same) dispatchEvent(new Event('vigie:item'));
  else if (render) render();
});
/** Called by every render: the screen now shown. */
export function rendered() { shown = screenKey(); }

document.addEventListener('click', (e) => {
  const a = e.target.closest && e.target.closest('a[data-link]');
  if (!a || e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
  e.preventDefault();
  // The map and the table share their filters: moving between them keeps the selection
  // (the filters only: the map's own view stays behind).
  const keep = a.hasAttribute('data-keep-filters') && (location.pathname === '/map' || location.pathname === '/events');
  navigate(a.getAttribute('href') + (keep ? search() : ''));
});

