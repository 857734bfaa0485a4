// A field report: a monitor reports an incident (what, where, when, deaths) under a marking
// and an audience, and it becomes an event of source `vigie` (POST /api/v1/events), read
// like every other event through the gate.

import { h, clear } from './dom.js';
import { api, get, forget } from './api.js';
import { t, category, country, day } from './i18n.js';
import { formErrors, field, option, dayInput, isDay } from './form.js';
import { CATEGORIES } from './style.js';
import { openEvent } from './detail.js';
import { sharingChoices, audiencePicker } from './share.js';
import { countrySelect } from './reports.js';

const today = () => new Date().toISOString().slice(0, 10);

export async function renderFieldReport(main) {
  const me = await get('/me');
  const page = h('div', { class: 'page fieldreport-page', id: 'fieldreport', dataset: { state: 'loading' } });
  clear(main).append(page);
  const choices = await sharingChoices(me);

  const what = h('select', { name: 'category' }, CATEGORIES.map((c) => option(c, category(c), c === 'one-sided')));
  const description = h('textarea', { name: 'description', rows: 4, maxlength: 10000 });
  const where = countrySelect('country', t('fieldreport.chooseCountry'));
  const admin1 = h('input', { name: 'admin1', autocomplete: 'off', maxlength: 200 });
  const place = h('input', { name: 'location', autocomplete: 'off', maxlength: 200 });
  const decimal = (name) => h('input', { name, type: 'text', inputmode: 'decimal', autocomplete: 'off', maxlength: 20 });
  const lat = decimal('latitude');
  const lon = decimal('longitude');
  const date = dayInput({ name: 'date', required: true, value: today() });
  const dateEnd = dayInput({ name: 'date_end' });
  const deaths = h('input', { name: 'fatalities', type: 'number', min: 0, max: 10000000, step: 1, inputmode: 'numeric' });
  const sideA = h('input', { name: 'side_a', autocomplete: 'off', maxlength: 300 });
  const sideB = h('input', { name: 'side_b', autocomplete: 'off', maxlength: 300 });
  const picker = audiencePicker('event', choices, { at: 'audience.' });
  const formError = h('p', { class: 'error', id: 'fieldreport-error', role: 'alert' });
  const done = h('div', { class: 'status', id: 'fieldreport-status', role: 'status' });

  const form = h('form', { id: 'fieldreport-form', class: 'report-form', novalidate: true, 'aria-labelledby': 'fieldreport-h' },
    h('h1', { id: 'fieldreport-h' }, t('fieldreport.title')),
    h('p', { class: 'hint' }, t('fieldreport.intro')),
    h('fieldset', {}, h('legend', {}, t('fieldreport.what')),
      field('fr-category', t('fieldreport.category'), what),
      field('fr-description', t('fieldreport.description'), description),
      h('div', { class: 'row2' }, field('fr-side-a', t('fieldreport.sideA'), sideA), field('fr-side-b', t('fieldreport.sideB'), sideB))),
    h('fieldset', {}, h('legend', {}, t('fieldreport.where')),
      h('div', { class: 'row3' },
        field('fr-country', t('reports.country'), where),
        field('fr-admin1', t('reports.admin1'), admin1, t('reports.admin1Hint')),
        field('fr-location', t('fieldreport.place'), place)),
      h('div', { class: 'row2' },
        field('fr-latitude', t('fieldreport.latitude'), lat, t('fieldreport.latitudeHint')),
        field('fr-longitude', t('fieldreport.longitude'), lon, t('fieldreport.longitudeHint')))),
    h('fieldset', {}, h('legend', {}, t('fieldreport.when')),
      h('div', { class: 'row3' },
        field('fr-date', t('fieldreport.date'), date),
        field('fr-date-end', t('fieldreport.dateEnd'), dateEnd, t('fieldreport.dateEndHint')),
        field('fr-deaths', t('fieldreport.deaths'), deaths, t('fieldreport.deathsHint')))),
    h('section', { 'aria-labelledby': 'fr-share-h' }, h('h2', { id: 'fr-share-h' }, t('reports.audience')), picker.el),
    formError,
    h('div', { class: 'buttons' }, h('button', { type: 'submit', class: 'primary', id: 'fieldreport-submit' }, t('fieldreport.submit'))),
    done);
  page.append(form);
  const errors = formErrors(form, formError);
  const number = (input, id) => {
    const v = input.value.trim().replace(',', '.');
    if (!v) return undefined;
    const n = Number(v);
    if (!Number.isFinite(n)) { errors.show(id, t('fieldreport.needNumber')); return null; }
    return n;
  };

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    errors.reset();
    clear(done);
    if (!isDay(date.value.trim())) { errors.show('fr-date', t('date.invalid')); return; }
    if (dateEnd.value.trim() && !isDay(dateEnd.value.trim())) { errors.show('fr-date-end', t('date.invalid')); return; }
    if (!where.value && !lat.value.trim()) { errors.show('fr-country', t('fieldreport.needPlace')); return; }
    const la = number(lat, 'fr-latitude');
    const lo = number(lon, 'fr-longitude');
    if (la === null || lo === null) return;
    const dead = deaths.value.trim() ? Number(deaths.value) : undefined;
    if (dead !== undefined && (!Number.isInteger(dead) || dead < 0)) { errors.show('fr-deaths', t('fieldreport.needDeaths')); return; }
    const text = (x) => x.value.trim() || undefined;
    const body = {
      date: date.value.trim(), date_end: text(dateEnd), category: what.value,
      country: where.value || undefined, admin1: text(admin1), location: text(place),
      latitude: la, longitude: lo, fatalities: dead,
      description: text(description), side_a: text(sideA), side_b: text(sideB),
      audience: picker.value(),
    };
    await errors.submitting(async () => {
      const { event } = await api('/events', { method: 'POST', body });
      forget();
      form.dataset.created = event.id;
      const at = [event.place.location, event.place.admin1, event.place.country && country(event.place.country)].filter(Boolean).join(', ');
      clear(done).append(
        h('p', {}, t('fieldreport.recorded', { what: category(event.category), where: at || '–', day: day(event.period.start), marking: event.marking })),
        h('button', { type: 'button', id: 'fieldreport-open', onclick: () => openEvent(event.id) }, t('fieldreport.open')));
      for (const x of [description, admin1, place, lat, lon, dateEnd, deaths, sideA, sideB]) x.value = '';
      done.querySelector('button').focus();
    });
  });
  page.dataset.state = 'ready';
  what.focus();
}
