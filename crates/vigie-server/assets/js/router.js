// Client-side routes (the server answers every one of them with the same page).

import { search } from './state.js';

let render = null;

export function setRenderer(fn) { render = fn; }

export function navigate(path, { replace = false } = {}) {
  if (replace) history.replaceState({}, '', path); else history.pushState({}, '', path);
  return render && render();
}

addEventListener('popstate', () => render && render());

document.addEventListener('click', (e) => {
  const a = e.target.closest && e.target.closest('a[data-link]');
  if (!a || e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
  e.preventDefault();
  // The map and the table share their filters: moving between them keeps the selection
  // (the filters only: the map's own view stays behind).
  const keep = a.hasAttribute('data-keep-filters') && (location.pathname === '/map' || location.pathname === '/events');
  navigate(a.getAttribute('href') + (keep ? search() : ''));
});

