// The filter panel shared by the map and the table: country, region, period, category,
// actor, source, marking and text. It only edits the address; the views reload through the API
// (the server filters, among what the user may see).

import { h } from './dom.js';
import { dayInput, isDay } from './form.js';
import { t, country, category, loadIso2 } from './i18n.js';
import { filters, setFilters } from './state.js';
import { CATEGORIES, SOURCES, MARKINGS } from './style.js';
import { WEST_AFRICA, admin1Names } from './geo.js';

function field(id, label, control, hint) {
  return h('div', { class: 'field' },
    h('label', { for: id }, label), control,
    hint ? h('small', { id: `${id}-hint`, class: 'hint' }, hint) : null);
}

function select(id, options, value, attrs = {}) {
  const el = h('select', { id, name: id, ...attrs },
    options.map((o) => (o.group
      ? h('optgroup', { label: o.group }, o.options.map((x) => h('option', { value: x.value }, x.label)))
      : h('option', { value: o.value }, o.label))));
  el.value = value || '';
  return el;
}

export async function filterPanel() {
  const f = filters();
  const iso2 = await loadIso2();
  const byName = (a, b) => a.label.localeCompare(b.label);
  const wa = WEST_AFRICA.map((c) => ({ value: c, label: country(c) })).sort(byName);
  const others = Object.keys(iso2).filter((c) => !WEST_AFRICA.includes(c))
    .map((c) => ({ value: c, label: country(c) })).sort(byName);
  const countrySel = select('f-country', [
    { value: '', label: t('filter.all') },
    { group: t('filter.westAfrica'), options: wa },
    { group: t('filter.otherCountries'), options: others },
  ], f.country);
  const list = h('datalist', { id: 'f-admin1-list' });
  const fillRegions = async () => {
    list.replaceChildren(...(countrySel.value ? await admin1Names(countrySel.value) : []).map((n) => h('option', { value: n })));
  };
  fillRegions();
  countrySel.addEventListener('change', fillRegions);
  const text = (id, value, extra = {}) => h('input', { id, name: id, type: 'text', value: value || '', autocomplete: 'off', ...extra });
  const form = h('form', { class: 'filters', role: 'search', 'aria-label': t('filter.title') },
    h('h2', {}, t('filter.title')),
    field('f-country', t('filter.country'), countrySel),
    field('f-admin1', t('filter.region'), text('f-admin1', f.admin1, { list: 'f-admin1-list' })), list,
    h('div', { class: 'row2' },
      field('f-from', t('filter.from'), dayInput({ id: 'f-from', name: 'f-from', value: f.from || '' })),
      field('f-to', t('filter.to'), dayInput({ id: 'f-to', name: 'f-to', value: f.to || '' }))),
    field('f-category', t('filter.category'), select('f-category',
      [{ value: '', label: t('filter.all') }, ...CATEGORIES.map((c) => ({ value: c, label: category(c) }))], f.category)),
    field('f-actor', t('filter.actor'), text('f-actor', f.actor)),
    field('f-source', t('filter.source'), select('f-source',
      [{ value: '', label: t('filter.all') }, ...SOURCES.map((c) => ({ value: c, label: t(`source.${c}`) }))], f.source)),
    field('f-marking', t('filter.marking'), select('f-marking',
      [{ value: '', label: t('filter.all') }, ...MARKINGS.map((m) => ({ value: m, label: m }))], f.marking)),
    field('f-q', t('filter.text'), text('f-q', f.q, { type: 'search' })),
    h('div', { class: 'buttons' },
      h('button', { type: 'submit', class: 'primary' }, t('filter.apply')),
      h('button', { type: 'button', class: 'reset', onclick: () => {
        for (const el of form.querySelectorAll('input, select')) if (!el.disabled) el.value = '';
        setFilters({});
      } }, t('filter.reset'))));
  const read = () => {
    const v = (id) => form.querySelector(`#${id}`).value.trim();
    return {
      country: v('f-country'), admin1: v('f-admin1'), from: v('f-from'), to: v('f-to'),
      category: v('f-category'), actor: v('f-actor'), source: v('f-source'), marking: v('f-marking'), q: v('f-q'),
    };
  };
  form.addEventListener('submit', (e) => { e.preventDefault(); setFilters(read()); });
  // Lists apply at once, a day as soon as it is whole; text fields when left or on Enter.
  const apply = (e) => {
    if (e.target.id === 'f-from' || e.target.id === 'f-to') {
      const { from, to } = read();
      const bad = [['f-from', from], ['f-to', to]].filter(([, v]) => v && !isDay(v));
      for (const id of ['f-from', 'f-to']) form.querySelector(`#${id}`).removeAttribute('aria-invalid');
      for (const [id] of bad) form.querySelector(`#${id}`).setAttribute('aria-invalid', 'true');
      if (bad.length || (from && to && from > to)) return;
    }
    setFilters(read());
  };
  form.addEventListener('change', apply);
  form.addEventListener('input', (e) => {
    if ((e.target.id === 'f-from' || e.target.id === 'f-to') && isDay(e.target.value.trim())) apply(e);
  });
  return form;
}

/** Updates the panel's period fields (the timeline moved them). */
export function showPeriod(from, to) {
  const a = document.getElementById('f-from');
  const b = document.getElementById('f-to');
  if (a) a.value = from || '';
  if (b) b.value = to || '';
}
