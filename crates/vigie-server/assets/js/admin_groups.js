// Sharing groups (GET /sharing-groups: all for the site-admin; those one's organisation owns
// or belongs to otherwise), a new group (POST /sharing-groups) and a group's members
// (PUT /sharing-groups/{id}/members).

import { h } from './dom.js';
import { api } from './api.js';
import { field, option } from './form.js';
import { t, num, plural } from './i18n.js';
import {
  hasRole, section, loaded, failed, table, apiForm, checkboxes, checkedValues, openDialog, jumpTo,
} from './admin_common.js';

const orgLabel = (orgs) => (id) => {
  const o = orgs.find((x) => x.id === id);
  return o ? `${o.name} (${id})` : id;
};

function membersForm(g, orgs, onSaved) {
  const { form } = apiForm('group-members', t('admin.groups.membersOf', { name: g.name }), [
    checkboxes('gm-org', t('admin.groups.members'), 'members', orgs.map((o) => o.id), orgLabel(orgs), g.members),
  ], t('admin.save'), async (f) => {
    const saved = await api(`/sharing-groups/${encodeURIComponent(g.id)}/members`, { method: 'PUT', body: { members: checkedValues(f, 'members') } });
    await onSaved();
    return t('admin.groups.saved', { name: saved.name, n: num(saved.members.length) });
  });
  form.querySelector('h3').id = 'detail-title';
  form.setAttribute('aria-labelledby', 'detail-title');
  form.dataset.id = g.id;
  return form;
}

export async function renderGroups(box, me) {
  const site = hasRole(me, 'site-admin');
  const own = me.user.org;
  const list = h('div', { id: 'admin-groups-list' });
  const { el, status } = section('admin-groups', t('admin.groups.title'), h('p', { class: 'hint' }, t('admin.groups.intro')), jumpTo('group-new', t('admin.groups.new')), list);
  box.replaceChildren(el);
  let orgs = [];
  const load = async () => {
    const { items } = await api('/sharing-groups');
    list.replaceChildren(items.length === 0 ? h('p', { class: 'empty' }, t('admin.none'))
      : table('admin-groups-table', t('admin.groups.title'),
        [t('admin.groups.id'), t('admin.groups.name'), t('admin.groups.owner'), t('admin.groups.members'), t('admin.actions')],
        items.map((g) => {
          let action = '–';
          // The owner's org-admins and the site-admin edit a group; members only see it.
          if (site || (hasRole(me, 'org-admin') && g.owner === own)) {
            action = h('button', { type: 'button', class: 'link', 'aria-label': t('admin.groups.editOf', { name: g.name }) }, t('admin.groups.editMembers'));
            action.addEventListener('click', () => openDialog(membersForm(g, orgs, () => load().catch((e) => failed(status, e))), action));
          }
          return h('tr', { dataset: { id: g.id, owner: g.owner, members: g.members.join(',') } },
            h('th', { scope: 'row' }, h('code', {}, g.id)),
            h('td', {}, g.name),
            h('td', {}, g.owner),
            h('td', { class: 'members' }, g.members.join(', ') || '–'),
            h('td', {}, action));
        })));
    loaded(status, plural('admin.groups.count', items.length, num), { count: items.length });
  };
  try {
    [orgs] = await Promise.all([api('/orgs').then((r) => r.items), load()]);
  } catch (e) {
    failed(status, e);
    return;
  }
  const owners = site ? orgs : orgs.filter((o) => o.id === own);
  const owner = h('select', { name: 'owner' }, owners.map((o) => option(o.id, `${o.name} (${o.id})`, o.id === own)));
  const id = h('input', { name: 'id', autocomplete: 'off', spellcheck: 'false', value: `${own}.` });
  owner.addEventListener('change', () => {
    const rest = id.value.includes('.') ? id.value.slice(id.value.indexOf('.') + 1) : id.value;
    id.value = `${owner.value}.${rest}`;
  });
  const name = h('input', { name: 'name', autocomplete: 'off' });
  el.append(apiForm('group-new', t('admin.groups.new'), [
    h('div', { class: 'row2' }, field('ng-owner', t('admin.groups.owner'), owner), field('ng-id', t('admin.groups.id'), id, t('admin.groups.idHint'))),
    field('ng-name', t('admin.groups.name'), name),
    checkboxes('ng-org', t('admin.groups.members'), 'members', orgs.map((o) => o.id), orgLabel(orgs), [own]),
  ], t('admin.groups.create'), async (f) => {
    const g = await api('/sharing-groups', { method: 'POST', body: { id: id.value.trim(), name: name.value, owner: owner.value, members: checkedValues(f, 'members') } });
    name.value = '';
    id.value = `${owner.value}.`;
    await load();
    return t('admin.groups.created', { id: g.id });
  }).form);
}
