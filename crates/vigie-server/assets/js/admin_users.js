// Users (GET /users: everyone for the site-admin, one's own organisation's for an org-admin),
// a new user (POST /users) and a user's changes (PATCH /users/{id}: name, roles, disabled,
// a new password).

import { h } from './dom.js';
import { api } from './api.js';
import { field, option } from './form.js';
import { t, num, plural } from './i18n.js';
import {
  hasRole, roleName, section, loaded, failed, table, apiForm, checkboxes, checkedValues, openDialog, jumpTo,
} from './admin_common.js';

/** The roles a form offers: the site-admin may give any; others all but the site's own. */
const offeredRoles = (me) => (hasRole(me, 'site-admin')
  ? ['reader', 'analyst', 'publisher', 'org-admin', 'site-admin', 'sync']
  : ['reader', 'analyst', 'publisher', 'org-admin']);

function editForm(user, me, onSaved) {
  const name = h('input', { name: 'name', value: user.name, autocomplete: 'off' });
  const disabled = h('input', { type: 'checkbox', id: 'ue-disabled', name: 'disabled', checked: user.disabled || undefined });
  const password = h('input', { name: 'password', type: 'password', autocomplete: 'new-password' });
  const roles = [...new Set([...offeredRoles(me), ...user.roles])];
  const { form } = apiForm('user-edit', t('admin.users.edit', { id: user.id }), [
    field('ue-name', t('admin.users.name'), name),
    checkboxes('ue-role', t('admin.users.roles'), 'roles', roles, roleName, user.roles),
    h('div', { class: 'check' }, disabled, h('label', { for: 'ue-disabled' }, t('admin.users.disable'))),
    field('ue-password', t('admin.users.newPassword'), password, t('admin.users.newPasswordHint')),
  ], t('admin.save'), async (f) => {
    const body = { name: name.value, roles: checkedValues(f, 'roles'), disabled: disabled.checked };
    if (password.value) body.password = password.value;
    const changed = await api(`/users/${encodeURIComponent(user.id)}`, { method: 'PATCH', body });
    password.value = '';
    onSaved(changed);
    const revoked = changed.revoked ? t('admin.users.revoked', { sessions: num(changed.revoked.sessions), tokens: num(changed.revoked.tokens) }) : '';
    return [t('admin.users.saved', { id: changed.id }), revoked].filter(Boolean).join(' ');
  });
  form.querySelector('h3').id = 'detail-title';
  form.setAttribute('aria-labelledby', 'detail-title');
  form.dataset.id = user.id;
  return form;
}

function createForm(me, orgs, onCreated) {
  const own = me.user.org;
  const choices = hasRole(me, 'site-admin') ? orgs : orgs.filter((o) => o.id === own);
  const org = h('select', { name: 'org' }, choices.map((o) => option(o.id, `${o.name} (${o.id})`, o.id === own)));
  const id = h('input', { name: 'id', autocomplete: 'off', spellcheck: 'false', value: `${own}.` });
  org.addEventListener('change', () => {
    const rest = id.value.includes('.') ? id.value.slice(id.value.indexOf('.') + 1) : id.value;
    id.value = `${org.value}.${rest}`;
  });
  const name = h('input', { name: 'name', autocomplete: 'off' });
  const password = h('input', { name: 'password', type: 'password', autocomplete: 'new-password' });
  const { form } = apiForm('user-new', t('admin.users.new'), [
    h('div', { class: 'row2' },
      field('nu-org', t('admin.users.org'), org),
      field('nu-id', t('admin.users.id'), id, t('admin.users.idHint'))),
    field('nu-name', t('admin.users.name'), name),
    checkboxes('nu-role', t('admin.users.roles'), 'roles', offeredRoles(me), roleName, ['reader']),
    field('nu-password', t('admin.users.password'), password, t('admin.users.passwordHint')),
  ], t('admin.users.create'), async (f) => {
    const user = await api('/users', { method: 'POST', body: { id: id.value.trim(), org: org.value, name: name.value, roles: checkedValues(f, 'roles'), password: password.value } });
    password.value = '';
    name.value = '';
    id.value = `${org.value}.`;
    await onCreated();
    return t('admin.users.created', { id: user.id });
  });
  return form;
}

export async function renderUsers(box, me) {
  const list = h('div', { id: 'admin-users-list' });
  const { el, status } = section('admin-users', t('admin.users.title'), h('p', { class: 'hint' }, t('admin.users.intro')), jumpTo('user-new', t('admin.users.new')), list);
  box.replaceChildren(el);
  let orgs = [];
  const load = async () => {
    const { items } = await api('/users');
    const row = (u) => {
      const edit = h('button', { type: 'button', class: 'link', 'aria-label': t('admin.users.editOf', { id: u.id }) }, t('admin.edit'));
      edit.addEventListener('click', () => openDialog(editForm(u, me, () => load().catch((e) => failed(status, e))), edit));
      return h('tr', { dataset: { id: u.id, disabled: String(u.disabled) } },
        h('th', { scope: 'row' }, h('code', {}, u.id)),
        h('td', {}, u.name),
        h('td', {}, u.org),
        h('td', { class: 'roles' }, u.roles.map(roleName).join(', ') || '–'),
        h('td', {}, u.disabled ? h('span', { class: 'off' }, t('admin.users.disabled')) : t('admin.users.active')),
        h('td', {}, edit));
    };
    list.replaceChildren(items.length === 0 ? h('p', { class: 'empty' }, t('admin.none'))
      : table('admin-users-table', t('admin.users.title'),
        [t('admin.users.id'), t('admin.users.name'), t('admin.users.org'), t('admin.users.roles'), t('admin.users.state'), t('admin.actions')],
        items.map(row)));
    loaded(status, plural('admin.users.count', items.length, num), { count: items.length });
  };
  try {
    [orgs] = await Promise.all([api('/orgs').then((r) => r.items), load()]);
    el.append(createForm(me, orgs, load));
  } catch (e) {
    failed(status, e);
  }
}
