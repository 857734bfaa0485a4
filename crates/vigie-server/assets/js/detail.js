// One event in a dialog: its marking banner (TLP colour), what happened, where, who, and its
// provenance and audience, as GET /api/v1/events/{id} returns them.

import { h } from './dom.js';
import { get } from './api.js';
import { t, num, day, category, country, regionName } from './i18n.js';
import { tlpClass } from './style.js';
import { viewParam, setViewParams } from './state.js';

export function banner(marking) {
  return h('div', { class: `banner ${tlpClass(marking)}`, role: 'note' }, marking);
}

export function badge(marking) {
  return h('span', { class: tlpClass(marking) }, marking);
}

function dl(rows) {
  return h('dl', {}, rows.filter(([, v]) => v !== null && v !== undefined && v !== '').map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}

function distribution(d) {
  if (!d) return '–';
  const list = d.orgs || d.users;
  return `${t(`dist.${d.kind}`)}${d.id ? `: ${d.id}` : ''}${list ? `: ${list.join(', ')}` : ''}`;
}

/**
 * Opens event `id` in the dialog. The open event is in the address (`?event=…`): a link to
 * it opens it, and Back closes it.
 */
export async function openEvent(id) {
  const dlg = document.getElementById('detail');
  const opener = document.activeElement;
  const close = h('button', { type: 'button', class: 'close', onclick: () => dlg.close() }, t('detail.close'));
  dlg.replaceChildren(h('p', {}, t('loading')), close);
  if (!dlg.open) dlg.showModal();
  dlg.dataset.event = id;
  if (viewParam('event') !== id) {
    const p = new URLSearchParams(location.search);
    p.set('event', id);
    history.pushState({ item: id }, '', `${location.pathname}?${p}`);
  }
  dlg.addEventListener('close', () => {
    delete dlg.dataset.event;
    // Closed on the page (not by Back): the step that opened it is undone, or, when the
    // page was opened on it, the address no longer names it.
    if (viewParam('event') === id) {
      if (history.state && history.state.item === id) history.back();
      else setViewParams({ event: null });
    }
    if (opener && opener.focus) opener.focus();
  }, { once: true });
  try {
    const { event: e, audience: a } = await get(`/events/${encodeURIComponent(id)}`);
    const p = e.place;
    const f = e.fatalities;
    const side = (x) => (x ? `${x.name}${x.source_id ? ` (${x.source_id})` : ''}` : null);
    dlg.replaceChildren(
      banner(e.marking),
      h('h2', { id: 'detail-title' }, `${category(e.category)} · ${[p.location, regionName(p.admin1), country(p.country)].filter(Boolean).join(', ')}`),
      dl([
        [t('detail.date'), e.period.start === e.period.end ? day(e.period.start) : `${day(e.period.start)} – ${day(e.period.end)}`],
        [t('detail.datePrecision'), t(`precision.${e.period.precision}`)],
        [t('detail.fatalities'), f.best === null ? '–' : `${num(f.best)}${f.low !== null && f.high !== null ? ` (${num(f.low)}–${num(f.high)})` : ''}`],
        [t('detail.sideA'), side(e.side_a)],
        [t('detail.sideB'), side(e.side_b)],
        [t('detail.place'), [p.location, p.admin2, regionName(p.admin1), country(p.country)].filter(Boolean).join(', ')],
        [t('detail.coordinates'), p.latitude !== null ? `${num(p.latitude)}, ${num(p.longitude)} (${p.precision ? t(`precision.${p.precision}`) : '–'})` : null],
        [t('detail.description'), e.description],
      ]),
      h('h3', {}, t('detail.provenance')),
      dl([
        [t('detail.source'), `${t(`source.${e.source}`)} · ${e.source_id}`],
        [t('detail.sourceVersion'), e.source_version],
        [t('detail.sourceType'), e.source_type],
        [t('detail.file'), e.provenance.line ? `${e.provenance.file}:${e.provenance.line}` : e.provenance.file],
        [t('detail.batch'), e.provenance.batch],
        [t('detail.owner'), a.owner],
        [t('detail.creator'), a.creator || (e.source === 'vigie' ? t('detail.creatorHidden', { org: a.owner }) : t('detail.imported'))],
        [t('detail.distribution'), distribution(a.distribution)],
        [t('detail.id'), e.id],
      ]),
      close);
  } catch (err) {
    dlg.replaceChildren(h('p', { role: 'alert' }, err.status === 404 ? t('detail.notFound') : t('error.load', { msg: err.message })), close);
  }
  close.focus();
}

/** The event the address names, opened (on arriving at a screen, or after Back or Forward). */
export function followAddress() {
  const dlg = document.getElementById('detail');
  const id = viewParam('event');
  if (id && dlg.dataset.event !== id) openEvent(id);
  else if (!id && dlg.open && dlg.dataset.event) dlg.close();
}
addEventListener('vigie:item', followAddress);
