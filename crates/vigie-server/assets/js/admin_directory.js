// Organisations (GET/POST /orgs) and communities with their dated memberships
// (GET/POST /communities, GET/POST /communities/{id}/members, POST …/members/{org}/end).
// Both lists are known to every user; creating and changing them is the site-admin's, so
// the forms are offered to the site-admin only (the API refuses anyone else all the same).

import { h } from './dom.js';
import { api } from './api.js';
import { field, option, dayInput, isDay } from './form.js';
import { t, num, day, plural } from './i18n.js';
import {
  hasRole, kindName, section, loaded, failed, table, apiForm, openDialog, today, jumpTo,
} from './admin_common.js';

const KINDS = ['continental', 'regional', 'un', 'national-agency', 'ad-hoc-coalition', 'ngo', 'public-source'];

const siteOnly = (what) => h('p', { class: 'hint site-only' }, t(`admin.siteOnly.${what}`));

export async function renderOrgs(box, me) {
  const list = h('div', { id: 'admin-orgs-list' });
  const { el, status } = section('admin-orgs', t('admin.orgs.title'), list);
  box.replaceChildren(el);
  const load = async () => {
    const { items } = await api('/orgs');
    list.replaceChildren(table('admin-orgs-table', t('admin.orgs.title'),
      [t('admin.orgs.id'), t('admin.orgs.name'), t('admin.orgs.kind')],
      items.map((o) => h('tr', { dataset: { id: o.id } },
        h('th', { scope: 'row' }, h('code', {}, o.id)), h('td', {}, o.name), h('td', {}, kindName(o.kind))))));
    loaded(status, plural('admin.orgs.count', items.length, num), { count: items.length });
  };
  try {
    await load();
  } catch (e) {
    failed(status, e);
    return;
  }
  if (!hasRole(me, 'site-admin')) { el.append(siteOnly('orgs')); return; }
  const id = h('input', { name: 'id', autocomplete: 'off', spellcheck: 'false' });
  const name = h('input', { name: 'name', autocomplete: 'off' });
  const kind = h('select', { name: 'kind' }, KINDS.map((k) => option(k, kindName(k), k === 'national-agency')));
  el.append(apiForm('org-new', t('admin.orgs.new'), [
    h('div', { class: 'row2' }, field('no-id', t('admin.orgs.id'), id, t('admin.orgs.idHint')), field('no-kind', t('admin.orgs.kind'), kind)),
    field('no-name', t('admin.orgs.name'), name),
  ], t('admin.orgs.create'), async () => {
    const org = await api('/orgs', { method: 'POST', body: { id: id.value.trim(), name: name.value, kind: kind.value } });
    id.value = '';
    name.value = '';
    await load();
    return t('admin.orgs.created', { id: org.id });
  }).form);
}

/** A membership in words: ended on, ends on, member since, member from. */
function membershipState(m, now) {
  if (m.until && m.until <= now) return { key: 'ended', text: t('admin.members.ended', { day: day(m.until) }) };
  if (m.from > now) return { key: 'future', text: t('admin.members.future', { day: day(m.from) }) };
  if (m.until) return { key: 'ending', text: t('admin.members.ending', { day: day(m.until) }) };
  return { key: 'current', text: t('admin.members.current') };
}

function endForm(community, m, onEnded) {
  const until = dayInput({ name: 'until', value: today() });
  const { form, errors } = apiForm('member-end', t('admin.members.endOf', { org: m.org, community: community.name }), [
    field('me-until', t('admin.members.endDay'), until, t('admin.members.endHint')),
  ], t('admin.members.end'), async () => {
    if (!isDay(until.value.trim())) { errors.show('me-until', t('date.invalid')); return ''; }
    await api(`/communities/${encodeURIComponent(community.id)}/members/${encodeURIComponent(m.org)}/end`, { method: 'POST', body: { until: until.value.trim() } });
    await onEnded();
    return t('admin.members.endedNow', { org: m.org, day: day(until.value.trim()) });
  });
  form.querySelector('h3').id = 'detail-title';
  form.setAttribute('aria-labelledby', 'detail-title');
  return form;
}

export async function renderCommunities(box, me) {
  const site = hasRole(me, 'site-admin');
  const list = h('div', { id: 'admin-communities-list' });
  const { el, status } = section('admin-communities', t('admin.communities.title'), h('p', { class: 'hint' }, t('admin.communities.intro')),
    site ? jumpTo('member-new', t('admin.members.new')) : null, list);
  box.replaceChildren(el);
  let communities = [];
  const load = async () => {
    communities = (await api('/communities')).items;
    const members = await Promise.all(communities.map((c) => api(`/communities/${encodeURIComponent(c.id)}/members`).then((r) => r.items)));
    const now = today();
    list.replaceChildren(...communities.map((c, i) => {
      const rows = members[i].map((m) => {
        const state = membershipState(m, now);
        let action = '–';
        if (site && (state.key === 'current' || state.key === 'ending' || state.key === 'future')) {
          const end = h('button', { type: 'button', class: 'link', 'aria-label': t('admin.members.endOf', { org: m.org, community: c.name }) }, t('admin.members.end'));
          end.addEventListener('click', () => openDialog(endForm(c, m, () => load().catch((e) => failed(status, e))), end));
          action = end;
        }
        return h('tr', { dataset: { org: m.org, from: m.from, until: m.until || '', state: state.key } },
          h('th', { scope: 'row' }, h('code', {}, m.org)),
          h('td', {}, day(m.from)),
          h('td', {}, m.until ? day(m.until) : '–'),
          h('td', {}, state.text),
          site ? h('td', {}, action) : null);
      });
      const cols = [t('admin.members.org'), t('admin.members.from'), t('admin.members.until'), t('admin.members.state')];
      if (site) cols.push(t('admin.actions'));
      return h('div', { class: 'card admin-community', dataset: { id: c.id } },
        h('h3', {}, c.name, ' ', h('code', {}, c.id)),
        rows.length === 0 ? h('p', { class: 'empty' }, t('admin.members.none'))
          : table(`members-${c.id}`, t('admin.members.caption', { community: c.name }), cols, rows));
    }));
    loaded(status, plural('admin.communities.count', communities.length, num), { count: communities.length });
  };
  try {
    await load();
  } catch (e) {
    failed(status, e);
    return;
  }
  if (!site) { el.append(siteOnly('communities')); return; }
  const orgs = (await api('/orgs')).items;
  // A dated membership.
  const community = h('select', { name: 'community' }, communities.map((c) => option(c.id, c.name)));
  const org = h('select', { name: 'org' }, orgs.map((o) => option(o.id, `${o.name} (${o.id})`)));
  const from = dayInput({ name: 'from', value: today() });
  const until = dayInput({ name: 'until' });
  const add = apiForm('member-new', t('admin.members.new'), [
    h('div', { class: 'row2' }, field('mn-community', t('admin.members.community'), community), field('mn-org', t('admin.members.org'), org)),
    h('div', { class: 'row2' },
      field('mn-from', t('admin.members.from'), from, t('admin.members.fromHint')),
      field('mn-until', t('admin.members.untilOptional'), until, t('admin.members.untilHint'))),
  ], t('admin.members.add'), async () => {
    const [f, u] = [from.value.trim(), until.value.trim()];
    if (!isDay(f)) { add.errors.show('mn-from', t('date.invalid')); return ''; }
    if (u && !isDay(u)) { add.errors.show('mn-until', t('date.invalid')); return ''; }
    const m = await api(`/communities/${encodeURIComponent(community.value)}/members`, { method: 'POST', body: { org: org.value, from: f, until: u || null } });
    until.value = '';
    await load();
    return t('admin.members.added', { org: m.org, community: m.community });
  });
  // A new community.
  const id = h('input', { name: 'id', autocomplete: 'off', spellcheck: 'false' });
  const name = h('input', { name: 'name', autocomplete: 'off' });
  const create = apiForm('community-new', t('admin.communities.new'), [
    h('div', { class: 'row2' }, field('nc-id', t('admin.communities.id'), id, t('admin.orgs.idHint')), field('nc-name', t('admin.communities.name'), name)),
  ], t('admin.communities.create'), async () => {
    const c = await api('/communities', { method: 'POST', body: { id: id.value.trim(), name: name.value } });
    id.value = '';
    name.value = '';
    await load();
    community.replaceChildren(...communities.map((x) => option(x.id, x.name, x.id === c.id)));
    return t('admin.communities.created', { id: c.id });
  });
  el.append(add.form, create.form);
}
