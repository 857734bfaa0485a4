// The audience picker of a record being written or re-shared: its marking, how far it goes
// (the writer's organisation, named partners, a sharing group, a community, all
// communities, named people for TLP:RED), and, before anything is saved, in plain words,
// who will be able to read it today and who no longer can since a membership ended, as
// POST /api/v1/audience/preview answers it (the gate's own rule, asked of every
// organisation). The server decides; this only asks and shows.

import { h, clear, debounce } from './dom.js';
import { api, get } from './api.js';
import { t, current, num } from './i18n.js';
import { field, option } from './form.js';
import { MARKINGS } from './style.js';

const today = () => new Date().toISOString().slice(0, 10);

/**
 * What `me`'s organisation may share with: every organisation but itself and public
 * sources, the communities it belongs to today, and the sharing groups it owns or is in.
 */
export async function sharingChoices(me) {
  const org = me.user.org;
  const [orgs, communities, groups] = await Promise.all([
    get('/orgs'), get('/communities'), get('/sharing-groups').catch(() => ({ items: [] })),
  ]);
  const day = today();
  const memberships = await Promise.all((communities.items || []).map((c) => get(`/communities/${encodeURIComponent(c.id)}/members`)
    .then((m) => m.items || []).catch(() => [])));
  const mine = (communities.items || []).filter((c, i) => memberships[i]
    .some((m) => m.org === org && m.from <= day && (!m.until || day < m.until)));
  return {
    org,
    orgs: (orgs.items || []).filter((o) => o.id !== org && o.kind !== 'public-source')
      .sort((a, b) => a.name.localeCompare(b.name, current())),
    allOrgs: orgs.items || [],
    communities: mine,
    groups: (groups.items || []).filter((g) => g.owner === org || (g.members || []).includes(org)),
  };
}

/** "A, B and C" in the page's language. */
export function listWords(items) {
  try { return new Intl.ListFormat(current(), { type: 'conjunction' }).format(items); } catch { return items.join(', '); }
}

/** A distribution in words, with the names of its community or sharing group. */
export function distributionWords(d, choices) {
  const name = (list, id) => ((list || []).find((x) => x.id === id) || {}).name || id;
  switch (d && d.kind) {
    case 'community': return t('reports.share.words.community', { name: name(choices && choices.communities, d.id) });
    case 'sharing-group': return t('reports.share.words.group', { name: name(choices && choices.groups, d.id) });
    case 'organisations': return t('reports.share.words.organisations', { names: listWords(d.orgs.map((o) => name(choices && choices.allOrgs, o))) });
    case 'recipients': return t('reports.share.words.recipients', { names: listWords(d.users) });
    default: return t(`reports.share.words.${d ? d.kind : 'organisation'}`);
  }
}

/** The plain-words preview of who can read, from the API's answer. */
export function previewWords(p, choices) {
  const head = `${p.marking}, ${distributionWords(p.distribution, choices)}`;
  const out = [];
  if (p.public) {
    out.push(h('p', { class: 'share-now' }, `${head}: ${t('reports.share.public')}`));
  } else if (p.marking === 'TLP:RED') {
    out.push(h('p', { class: 'share-now' }, `${head}: ${t('reports.share.people', { names: listWords(p.people) })}`));
  } else {
    const n = p.organisations.length;
    const count = new Intl.PluralRules(current()).select(n) === 'one' ? t('reports.share.orgs.one', { n: num(n) }) : t('reports.share.orgs.other', { n: num(n) });
    out.push(h('p', { class: 'share-now' }, `${head}: ${count}${n ? ` (${listWords(p.organisations.map((o) => o.name))})` : ''}.`));
  }
  // Former readers, grouped by the day since which they no longer can read it.
  const bySince = new Map();
  for (const f of p.former || []) bySince.set(f.since, [...(bySince.get(f.since) || []), f.name]);
  for (const [since, names] of bySince) {
    out.push(h('p', { class: 'share-former' }, t(names.length === 1 ? 'reports.share.former.one' : 'reports.share.former.other', { names: listWords(names), since })));
  }
  return out;
}

/**
 * The picker. `at`: where the audience sits in the request body (`audience.` in a new
 * record, `` when the body is the audience), so that a refusal naming a field lands under
 * it. `initial`: a record's audience, when re-sharing it.
 */
export function audiencePicker(prefix, choices, { at = 'audience.', initial } = {}) {
  const marking = h('select', { name: `${at}marking` }, MARKINGS.map((m) => option(m, m, m === ((initial && initial.marking) || 'TLP:AMBER'))));
  const distribution = h('select', { name: `${at}distribution` },
    option('organisation', t('reports.share.dist.organisation')),
    option('organisations', t('reports.share.dist.organisations')),
    choices.groups.map((g) => option(`sharing-group:${g.id}`, t('reports.share.dist.group', { name: g.name }))),
    choices.communities.map((c) => option(`community:${c.id}`, t('reports.share.dist.community', { name: c.name }))),
    option('all-communities', t('reports.share.dist.all-communities')),
    option('recipients', t('reports.share.dist.recipients')));
  // Named partners: one checkbox each, in a fieldset, reached with Tab and ticked with Space.
  const boxes = choices.orgs.map((o) => {
    const input = h('input', { type: 'checkbox', id: `${prefix}-org-${o.id}`, name: `${at}distribution.orgs`, value: o.id });
    return { input, el: h('div', { class: 'check' }, input, h('label', { for: input.id }, o.name)) };
  });
  const partners = h('fieldset', { class: 'share-orgs', id: `${prefix}-orgs` },
    h('legend', {}, t('reports.share.partners')), boxes.map((b) => b.el),
    h('p', { class: 'error field-error', id: `${prefix}-orgs-err` }));
  const users = h('input', { name: `${at}distribution.users`, autocomplete: 'off', spellcheck: 'false' });
  const usersField = field(`${prefix}-users`, t('reports.share.users'), users, t('reports.share.usersHint'));
  const words = h('div', { class: 'share-preview', id: `${prefix}-preview`, 'aria-live': 'polite', dataset: { state: 'idle' } });

  if (initial) {
    const d = initial.distribution || { kind: 'organisation' };
    distribution.value = d.id ? `${d.kind}:${d.id}` : d.kind;
    if (d.orgs) for (const b of boxes) b.input.checked = d.orgs.includes(b.input.value);
    if (d.users) users.value = d.users.join(', ');
  }

  const value = () => {
    const d = distribution.value;
    const cut = d.indexOf(':');
    if (cut > 0) return { marking: marking.value, distribution: { kind: d.slice(0, cut), id: d.slice(cut + 1) } };
    if (d === 'organisations') return { marking: marking.value, distribution: { kind: d, orgs: boxes.filter((b) => b.input.checked).map((b) => b.input.value) } };
    if (d === 'recipients') return { marking: marking.value, distribution: { kind: d, users: users.value.split(',').map((u) => u.trim()).filter(Boolean) } };
    return { marking: marking.value, distribution: { kind: d } };
  };

  // TLP:CLEAR goes to all communities, TLP:RED to named people, AMBER+STRICT no further
  // than named organisations (docs/sharing.md, table 1): the other choices are disabled.
  const sync = () => {
    const m = marking.value;
    const allowed = (v) => (m === 'TLP:CLEAR' ? v === 'all-communities'
      : m === 'TLP:RED' ? v === 'recipients'
        : m === 'TLP:AMBER+STRICT' ? v === 'organisation' || v === 'organisations'
          : v !== 'recipients');
    for (const o of distribution.options) o.disabled = !allowed(o.value);
    if (!allowed(distribution.value)) distribution.value = [...distribution.options].find((o) => !o.disabled).value;
    partners.hidden = distribution.value !== 'organisations';
    usersField.hidden = distribution.value !== 'recipients';
  };

  let asked = 0;
  const ask = async () => {
    const mine = ++asked;
    const v = value();
    words.dataset.state = 'loading';
    if ((v.distribution.kind === 'organisations' && v.distribution.orgs.length === 0)
      || (v.distribution.kind === 'recipients' && v.distribution.users.length === 0)) {
      clear(words).append(h('p', { class: 'hint' }, t(v.distribution.kind === 'organisations' ? 'reports.share.pickPartners' : 'reports.share.pickPeople')));
      words.dataset.state = 'ready';
      return;
    }
    try {
      const p = await api('/audience/preview', { method: 'POST', body: v });
      if (mine !== asked) return;
      clear(words).append(...previewWords(p, choices));
      words.dataset.count = p.organisations.length;
      words.dataset.former = (p.former || []).map((f) => f.id).join(' ');
      words.dataset.state = 'ready';
    } catch (x) {
      if (mine !== asked) return;
      const el = h('p', { class: 'error' }, t('reports.share.refused', { msg: x.message }));
      if (current() !== 'en') el.lang = 'en';
      clear(words).append(el);
      words.dataset.state = 'ready';
    }
  };
  const debounced = debounce(ask, 250);
  // Loading from the change on, so that nobody reads the words of the previous choice.
  const later = () => { asked++; words.dataset.state = 'loading'; debounced(); };
  marking.addEventListener('change', () => { sync(); later(); });
  distribution.addEventListener('change', () => { sync(); later(); });
  for (const b of boxes) b.input.addEventListener('change', later);
  users.addEventListener('input', later);
  sync();
  ask();

  return {
    el: h('div', { class: 'share' },
      h('div', { class: 'row2' },
        field(`${prefix}-marking`, t('form.marking'), marking),
        field(`${prefix}-distribution`, t('form.distribution'), distribution, t('reports.share.distHint'))),
      partners, usersField,
      h('h3', { class: 'share-h' }, t('reports.share.who')),
      words),
    value,
    /** The preview as it stands (after any pending question). */
    refresh: ask,
  };
}
