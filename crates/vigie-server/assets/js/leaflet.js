// Leaflet (vendored, a classic script that defines the global `L`), loaded the first time a
// screen draws a map, so that the sign-in page and the other screens never wait for it.

let loading = null;

/** Resolves once Leaflet and its stylesheet are in the page. */
export function loadLeaflet() {
  if (window.L) return Promise.resolve(window.L);
  loading ||= new Promise((resolve, reject) => {
    const base = new URL('../vendor/leaflet/', import.meta.url);
    const css = document.createElement('link');
    css.rel = 'stylesheet';
    css.href = new URL('leaflet.css', base).href;
    const script = document.createElement('script');
    script.src = new URL('leaflet.js', base).href;
    script.onload = () => resolve(window.L);
    script.onerror = () => { loading = null; reject(new Error('the map library did not load')); };
    // Leaflet's own styles come before the application's, which override some of them.
    document.head.prepend(css);
    document.head.append(script);
  });
  return loading;
}
