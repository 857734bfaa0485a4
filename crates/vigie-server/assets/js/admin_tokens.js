// One's own API tokens (GET /tokens, never their secrets), a new one (POST /tokens: its
// secret shown this once, to copy) and revoking one (DELETE /tokens/{id}).

import { h } from './dom.js';
import { api } from './api.js';
import { field, option } from './form.js';
import { t, num, plural } from './i18n.js';
import { when } from './warning.js';
import { section, loaded, failed, table, apiForm } from './admin_common.js';

function tokenState(tk) {
  if (tk.revoked_at) return { key: 'revoked', text: t('admin.tokens.revokedOn', { when: when(tk.revoked_at, true) }) };
  if (new Date(tk.expires_at) <= new Date()) return { key: 'expired', text: t('admin.tokens.expired') };
  return { key: 'live', text: t('admin.tokens.live') };
}

/** The secret of a token just made: shown once, with a button to copy it. */
function secretBox(created) {
  const input = h('input', { id: 'token-secret', readonly: true, value: created.token, spellcheck: 'false', autocomplete: 'off' });
  const copied = h('span', { class: 'status', role: 'status', id: 'token-copied' });
  const copy = h('button', { type: 'button', id: 'token-copy' }, t('admin.tokens.copy'));
  copy.addEventListener('click', async () => {
    input.select();
    try {
      await navigator.clipboard.writeText(created.token);
      copied.textContent = t('admin.tokens.copied');
    } catch {
      copied.textContent = t('admin.tokens.copyByHand');
    }
  });
  return h('div', { class: 'token-secret', id: 'token-secret-box', dataset: { id: created.id } },
    h('label', { for: 'token-secret' }, t('admin.tokens.secret')),
    h('div', { class: 'secret-row' }, input, copy),
    h('p', { class: 'hint', id: 'token-secret-hint' }, t('admin.tokens.once')),
    copied);
}

export async function renderTokens(box) {
  const list = h('div', { id: 'admin-tokens-list' });
  const fresh = h('div', { id: 'token-fresh' });
  const revokeStatus = h('p', { class: 'status done', role: 'status', id: 'token-revoke-status' });
  const { el, status } = section('admin-tokens', t('admin.tokens.title'), h('p', { class: 'hint' }, t('admin.tokens.intro')), list, revokeStatus);
  box.replaceChildren(el);
  const load = async () => {
    const { items } = await api('/tokens');
    list.replaceChildren(items.length === 0 ? h('p', { class: 'empty' }, t('admin.tokens.none'))
      : table('admin-tokens-table', t('admin.tokens.title'),
        [t('admin.tokens.name'), t('admin.tokens.scope'), t('admin.tokens.created'), t('admin.tokens.expires'), t('admin.tokens.state'), t('admin.actions')],
        items.map((tk) => {
          const state = tokenState(tk);
          let action = '–';
          if (state.key === 'live') {
            action = h('button', { type: 'button', class: 'danger', 'aria-label': t('admin.tokens.revokeOf', { name: tk.name }) }, t('admin.tokens.revoke'));
            action.addEventListener('click', async () => {
              action.disabled = true;
              try {
                await api(`/tokens/${encodeURIComponent(tk.id)}`, { method: 'DELETE' });
                revokeStatus.textContent = t('admin.tokens.revoked', { name: tk.name });
                await load();
                // The button is gone: the focus goes back to the list's heading.
                const heading = el.querySelector('h2');
                heading.setAttribute('tabindex', '-1');
                heading.focus();
              } catch (e) {
                action.disabled = false;
                failed(revokeStatus, e);
              }
            });
          }
          return h('tr', { dataset: { id: tk.id, state: state.key } },
            h('th', { scope: 'row' }, tk.name),
            h('td', {}, t(`admin.tokens.scope.${tk.scope}`)),
            h('td', {}, when(tk.created_at, true)),
            h('td', {}, when(tk.expires_at, true)),
            h('td', {}, state.text),
            h('td', {}, action));
        })));
    loaded(status, plural('admin.tokens.count', items.length, num), { count: items.length, live: items.filter((x) => tokenState(x).key === 'live').length });
  };
  try {
    await load();
  } catch (e) {
    failed(status, e);
    return;
  }
  const name = h('input', { name: 'name', autocomplete: 'off' });
  const scope = h('select', { name: 'scope' }, option('read', t('admin.tokens.scope.read'), true), option('write', t('admin.tokens.scope.write')));
  const days = h('input', { name: 'expires_in_days', type: 'number', min: 1, max: 365, value: 90, inputmode: 'numeric' });
  el.append(apiForm('token-new', t('admin.tokens.new'), [
    h('div', { class: 'row3' },
      field('nt-name', t('admin.tokens.name'), name),
      field('nt-scope', t('admin.tokens.scope'), scope),
      field('nt-days', t('admin.tokens.days'), days, t('admin.tokens.daysHint'))),
  ], t('admin.tokens.create'), async () => {
    const n = Number(days.value);
    const created = await api('/tokens', { method: 'POST', body: { name: name.value, scope: scope.value, expires_in_days: Number.isFinite(n) && days.value !== '' ? Math.trunc(n) : 0 } });
    name.value = '';
    fresh.replaceChildren(secretBox(created));
    await load();
    return t('admin.tokens.createdOne');
  }).form, fresh);
}
