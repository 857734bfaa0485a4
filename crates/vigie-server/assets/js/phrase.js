// Server explanations as codes with arguments (vigie-coord's `Phrase`), worded in the
// reader's language from the dictionaries: a phrase's code is its key, its arguments fill
// the {placeholders}. Arguments are shown by their name: a task type, a task status or an
// organisation's level in words, countries by name, days as days, amounts with at most one
// decimal, scores (`…advantage`) with two, a list of phrases one after the other.

import { h } from './dom.js';
import { t, country, day, current } from './i18n.js';
import { statusName, typeName, english } from './tasks.js';

const known = (code) => typeof code === 'string' && t(code) !== code;
const DAYS = ['date', 'deadline', 'from', 'until'];

function number(v, digits) {
  return new Intl.NumberFormat(current(), { minimumFractionDigits: digits === 2 ? 2 : 0, maximumFractionDigits: digits }).format(v);
}

function arg(name, v) {
  if (Array.isArray(v)) return v.map(phraseText).join('; ');
  if (typeof v === 'number') return number(v, /advantage$/.test(name) ? 2 : 1);
  if (typeof v !== 'string') return String(v);
  if (name === 'type') return typeName(v);
  if (name === 'status') return statusName(v);
  if (name === 'level' || name === 'chosen_level') return t(`coord.level.${v}`);
  if (name === 'country') return country(v);
  if (name === 'countries') return v.split(', ').map(country).join(', ');
  if (DAYS.includes(name) && /^\d{4}-\d{2}-\d{2}$/.test(v)) return day(v);
  return v;
}

/** One phrase in the reader's language (its code when the dictionary lacks it). */
export function phraseText(p) {
  const args = {};
  for (const [k, v] of Object.entries((p && p.args) || {})) args[k] = arg(k, v);
  return t(p && p.code, args);
}

/** Whether every phrase, nested ones too, has words in the dictionary. */
function allKnown(phrases) {
  return phrases.every((p) => p && known(p.code)
    && Object.values(p.args || {}).every((v) => !Array.isArray(v) || allKnown(v)));
}

/**
 * Phrases as one text in the reader's language, or, when a phrase has no words in the
 * dictionary (a server newer than this page), the server's English, marked as English.
 */
export function phrases(tag, list, englishText) {
  const ps = Array.isArray(list) ? list : list ? [list] : [];
  if (ps.length && allKnown(ps)) return h(tag, { dataset: { codes: ps.map((p) => p.code).join(' ') } }, ps.map(phraseText).join(' '));
  return english(tag, {}, englishText);
}
