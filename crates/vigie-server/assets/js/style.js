// Colours: violence categories (after Okabe–Ito, distinguishable with colour-blindness;
// vermillion and grey darkened for 5:1 contrast with white labels) and TLP 2.0
// markings (FIRST's colours, on black).

export const CATEGORIES = ['state-based', 'non-state', 'one-sided', 'other'];
export const CATEGORY_COLOURS = {
  'state-based': '#0072B2',
  'non-state': '#E69F00',
  'one-sided': '#B84A00',
  other: '#666666',
};
export const SOURCES = ['ucdp-ged', 'acled', 'gdelt', 'hxl', 'vigie'];
export const MARKINGS = ['TLP:CLEAR', 'TLP:GREEN', 'TLP:AMBER', 'TLP:AMBER+STRICT', 'TLP:RED'];

/** The CSS class of a marking's badge (colour on black, per FIRST TLP 2.0). */
export function tlpClass(marking) {
  return `tlp tlp-${String(marking || 'TLP:CLEAR').slice(4).toLowerCase().replace('+', '-')}`;
}

/** A sequential scale for fatalities (light to dark red), in 6 classes. */
export const SCALE = ['#fff5eb', '#fdd0a2', '#fd8d3c', '#e6550d', '#a63603', '#5a1a02'];
export function breaks(values) {
  const max = Math.max(0, ...values);
  // Nothing to shade: one class, 0.
  if (max === 0) return [];
  // Roughly logarithmic classes: 1, ~max^(1/5), ~max^(2/5)…
  const out = [];
  for (let i = 1; i <= 5; i++) out.push(Math.max(1, Math.round(Math.pow(max, (i - 1) / 5))));
  return [...new Set(out)].sort((a, b) => a - b);
}
export function colourFor(v, br) {
  if (!v) return SCALE[0];
  let i = 0;
  while (i < br.length && v >= br[i]) i++;
  return SCALE[Math.min(i, SCALE.length - 1)];
}
