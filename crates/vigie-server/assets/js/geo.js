// The bundled boundaries (simplified by scripts/simplify_boundaries.py) and the matching of
// the sources' admin-1 names ("Mopti region", "Borno state") to their polygons.

const cache = {};
export function loadGeo(name) {
  cache[name] ||= fetch(new URL(`../geo/${name}`, import.meta.url)).then((r) => r.json());
  return cache[name];
}

export const WEST_AFRICA = ['BEN', 'BFA', 'CIV', 'GHA', 'GIN', 'GMB', 'GNB', 'LBR', 'MLI', 'NER', 'NGA', 'SEN', 'TGO'];

/** A name reduced for matching: no accents, case, punctuation, "region"/"state" (English or
 * French) or the French articles before a name (as vigie_core::region::norm). */
export function norm(name) {
  return String(name || '')
    .normalize('NFD').replace(/[\u0300-\u036f]/g, '')
    .toLowerCase().replace(/[-'’]/g, ' ')
    .replace(/\b(region|state|province|department|prefecture|district|governorate|county|division|departement|etat|du|de|des|la|le|l)\b/g, '')
    .replace(/\s+/g, ' ').trim();
}

/** country → normalised name → polygon feature, for the admin-1 layer. */
export async function admin1Index() {
  const fc = await loadGeo('admin1.geojson');
  const idx = {};
  for (const f of fc.features) {
    const c = (idx[f.properties.iso3] ||= {});
    c[norm(f.properties.name)] = f;
    for (const a of f.properties.aliases || []) c[norm(a)] = f;
  }
  return { fc, idx };
}

/** Admin-1 names of a country, for the region field's suggestions. */
export async function admin1Names(iso3) {
  const fc = await loadGeo('admin1.geojson');
  return fc.features.filter((f) => f.properties.iso3 === iso3).map((f) => f.properties.name).sort();
}
