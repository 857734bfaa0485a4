// Administration (/admin/…): users, organisations, communities and their dated memberships,
// sharing groups, one's own API tokens, and the audit log with its chain verified. One tab
// per section, each its own address. Every list is what the API answers the signed-in user
// (an org-admin gets their organisation's, the site-admin everything), every refusal the
// API's own.

import { h, clear } from './dom.js';
import { t } from './i18n.js';
import { closeDialog } from './admin_common.js';

const SECTIONS = {
  users: () => import('./admin_users.js').then((m) => m.renderUsers),
  orgs: () => import('./admin_directory.js').then((m) => m.renderOrgs),
  communities: () => import('./admin_directory.js').then((m) => m.renderCommunities),
  groups: () => import('./admin_groups.js').then((m) => m.renderGroups),
  tokens: () => import('./admin_tokens.js').then((m) => m.renderTokens),
  audit: () => import('./admin_audit.js').then((m) => m.renderAudit),
};

/** The section an address names (/admin alone: users). */
export function sectionOf(path) {
  const s = path.split('/')[2] || 'users';
  return Object.hasOwn(SECTIONS, s) ? s : null;
}

export async function renderAdmin(main, me) {
  const section = sectionOf(location.pathname);
  const tabs = h('nav', { class: 'admin-tabs', 'aria-label': t('admin.sections') },
    Object.keys(SECTIONS).map((s) => h('a', { href: `/admin/${s}`, 'data-link': true, id: `admin-tab-${s}`, 'aria-current': s === section ? 'page' : null }, t(`admin.tab.${s}`))));
  const body = h('div', { class: 'admin-body' });
  clear(main).append(h('div', { class: 'page admin-page' }, h('h1', {}, t('admin.title')), tabs, body));
  if (!section) {
    body.append(h('p', { class: 'error', role: 'alert' }, t('admin.noSuchSection')));
    return closeDialog;
  }
  const render = await SECTIONS[section]();
  await render(body, me);
  return closeDialog;
}
