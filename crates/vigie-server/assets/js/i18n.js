// English and French: dictionaries in ../i18n/*.json, numbers and dates through Intl.
// The choice is remembered per user: on the server (PUT /me/locale) where it can be, and in
// this browser under the user's id.

export const LOCALES = ['en', 'fr'];
let locale = 'en';
let dict = {};
const cache = {};

export function current() { return locale; }

export async function load(lc) {
  if (!LOCALES.includes(lc)) lc = 'en';
  if (!cache[lc]) {
    const r = await fetch(new URL(`../i18n/${lc}.json`, import.meta.url));
    cache[lc] = await r.json();
  }
  locale = lc;
  dict = cache[lc];
  document.documentElement.lang = lc;
  apply(document);
}

/** The text for `key`, with {name} placeholders filled from `params`. */
export function t(key, params = {}) {
  const v = dict[key];
  if (v === undefined) return key;
  return v.replace(/\{(\w+)\}/g, (_, n) => (params[n] !== undefined ? params[n] : `{${n}}`));
}

/** Fills elements marked data-i18n (text), data-i18n-aria (aria-label), data-i18n-title. */
export function apply(root) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-aria]')) el.setAttribute('aria-label', t(el.dataset.i18nAria));
  for (const el of root.querySelectorAll('[data-i18n-title]')) el.title = t(el.dataset.i18nTitle);
  for (const el of root.querySelectorAll('[data-i18n-placeholder]')) el.placeholder = t(el.dataset.i18nPlaceholder);
}

const nf = {};
export function num(n) {
  if (n === null || n === undefined) return '–';
  nf[locale] ||= new Intl.NumberFormat(locale);
  return nf[locale].format(n);
}

/** A YYYY-MM-DD day, localised (the day itself, not shifted by the time zone). */
export function day(iso) {
  if (!iso) return '–';
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${iso}T00:00:00Z`));
}

/** A YYYY-MM month, localised ("Oct 2023", "oct. 2023"). */
export function month(ym) {
  return new Intl.DateTimeFormat(locale, { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${ym}-01T00:00:00Z`));
}

/** A YYYY-MM month in full words ("October 2023", "octobre 2023"). */
export function monthLong(ym) {
  return new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${ym}-01T00:00:00Z`));
}

let iso2 = null;
export async function loadIso2() {
  if (!iso2) iso2 = await (await fetch(new URL('../geo/iso2.json', import.meta.url))).json();
  return iso2;
}

/** A country's name in the current language, from its ISO alpha-3 code. */
export function country(iso3) {
  if (!iso3) return '–';
  const a2 = iso2 && iso2[iso3];
  if (!a2) return iso3;
  try {
    return new Intl.DisplayNames([locale], { type: 'region' }).of(a2) || iso3;
  } catch { return iso3; }
}

export function category(c) { return t(`cat.${c}`); }

const KEY = (user) => `vigie.locale.${user}`;
export function remembered(user) { return localStorage.getItem(user ? KEY(user) : 'vigie.locale'); }
export function remember(user, lc) {
  localStorage.setItem('vigie.locale', lc);
  if (user) localStorage.setItem(KEY(user), lc);
}
export function guess() {
  return (navigator.language || 'en').toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

/** "1 task", "2 tasks": the key's `.one` or `.other` form, by the language's rules. */
export function plural(key, n, num) {
  const form = new Intl.PluralRules(current()).select(n) === 'one' ? 'one' : 'other';
  return t(`${key}.${form}`, { n: num(n) });
}

// A source's name of an admin-1 region in the reader's language: sources write the kind of
// unit in English after the name (UCDP's "Mopti region", "Nord Kivu province"); in French
// the kind comes first ("région de Mopti"). Names without such a word are shown as written.
const UNIT_KINDS = {
  region: 'région', province: 'province', state: 'État', district: 'district', department: 'département',
  prefecture: 'préfecture', governorate: 'gouvernorat', county: 'comté', division: 'division',
};
export function regionName(admin1) {
  if (!admin1) return admin1;
  const m = /^(.+?)\s+(region|province|state|district|department|prefecture|governorate|county|division)$/i.exec(String(admin1).trim());
  if (!m || locale !== 'fr') return admin1;
  const name = m[1];
  return `${UNIT_KINDS[m[2].toLowerCase()]} ${/^[aeiouyhàâéèêëîïôöûüAEIOUYHÀÂÉÈÊËÎÏÔÖÛÜ]/.test(name) ? "d'" : 'de '}${name}`;
}
