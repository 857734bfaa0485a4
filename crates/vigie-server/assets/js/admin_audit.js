// The audit log (GET /audit: every entry for the site-admin, those of one's own organisation
// for an org-admin), a page at a time, oldest first; and, for the site-admin, the hash chain
// verified (GET /audit/verify) with the answer in words and where the chain first breaks.

import { h } from './dom.js';
import { api } from './api.js';
import { t, num, current } from './i18n.js';
import { when } from './warning.js';
import { hasRole, section, loaded, failed, table } from './admin_common.js';

const PAGE = 50;

/** The verification's answer in words (the problems as the server words them). */
function verdict(v) {
  const problems = v.problems || [];
  const words = v.intact
    ? t('admin.audit.intact', { n: num(v.entries) })
    : t('admin.audit.broken', { at: num(v.first_broken), problems: num(problems.length), n: num(v.entries) });
  return h('div', { class: `verdict ${v.intact ? 'ok' : 'broken'}`, id: 'audit-verdict', dataset: { intact: String(v.intact), entries: v.entries, firstBroken: v.first_broken ?? '' } },
    h('p', { class: 'verdict-words' }, words),
    problems.length ? h('ul', { id: 'audit-problems', lang: current() === 'en' ? null : 'en' }, problems.map((p) => h('li', {}, p))) : null);
}

export async function renderAudit(box, me) {
  const list = h('div', { id: 'admin-audit-list' });
  const prev = h('button', { type: 'button', id: 'audit-prev', disabled: true }, t('admin.audit.prev'));
  const next = h('button', { type: 'button', id: 'audit-next', disabled: true }, t('admin.audit.next'));
  const verifyBox = h('div', { class: 'audit-verify' });
  const { el, status } = section('admin-audit', t('admin.audit.title'),
    h('p', { class: 'hint' }, t(hasRole(me, 'site-admin') ? 'admin.audit.introSite' : 'admin.audit.introOrg')),
    verifyBox, list, h('div', { class: 'pager', role: 'group', 'aria-label': t('admin.audit.pages') }, prev, next));
  box.replaceChildren(el);

  if (hasRole(me, 'site-admin')) {
    const result = h('div', { id: 'audit-verify-result', role: 'status' });
    const verify = h('button', { type: 'button', class: 'primary', id: 'audit-verify' }, t('admin.audit.verify'));
    verify.addEventListener('click', async () => {
      verify.disabled = true;
      result.replaceChildren(h('p', { class: 'status' }, t('admin.audit.verifying')));
      try {
        result.replaceChildren(verdict(await api('/audit/verify')));
      } catch (e) {
        const p = h('p', { class: 'error' });
        failed(p, e);
        result.replaceChildren(p);
      } finally {
        verify.disabled = false;
      }
    });
    verifyBox.append(h('p', { class: 'hint' }, t('admin.audit.verifyHint')), verify, result);
  }

  // The cursors of the pages seen: `after` of each page, the current one last.
  const cursors = [0];
  let lastSeq = 0;
  const load = async () => {
    const after = cursors[cursors.length - 1];
    const { items } = await api('/audit', { params: { after, limit: PAGE } });
    list.replaceChildren(items.length === 0 ? h('p', { class: 'empty' }, t('admin.audit.none'))
      : table('admin-audit-table', t('admin.audit.title'),
        [t('admin.audit.seq'), t('admin.audit.at'), t('admin.audit.actor'), t('admin.audit.action'), t('admin.audit.record'), t('admin.audit.detail')],
        items.map((e) => h('tr', { dataset: { seq: e.seq } },
          h('th', { scope: 'row', class: 'n' }, num(e.seq)),
          h('td', { class: 'nowrap' }, when(e.at, true)),
          h('td', {}, e.actor ? h('code', {}, e.actor) : t('admin.audit.nobody'), e.actor_org ? h('span', { class: 'sub' }, e.actor_org) : null),
          h('td', {}, h('code', {}, e.action)),
          h('td', {}, e.record_kind || '–', e.record_id ? h('span', { class: 'sub' }, h('code', {}, e.record_id)) : null),
          h('td', { class: 'detail' }, h('code', {}, e.detail))))));
    prev.disabled = cursors.length === 1;
    next.disabled = items.length < PAGE;
    const first = items.length ? items[0].seq : null;
    const last = items.length ? items[items.length - 1].seq : null;
    lastSeq = last ?? after;
    loaded(status, items.length ? t('admin.audit.showing', { first: num(first), last: num(last), n: num(items.length) }) : t('admin.audit.none'),
      { count: items.length, after, first: first ?? '', last: last ?? '' });
  };
  const go = async (move) => {
    status.dataset.state = 'loading';
    move();
    try { await load(); } catch (e) { failed(status, e); }
  };
  next.addEventListener('click', () => go(() => cursors.push(lastSeq)));
  prev.addEventListener('click', () => go(() => { if (cursors.length > 1) cursors.pop(); }));
  try {
    await load();
  } catch (e) {
    failed(status, e);
  }
}
