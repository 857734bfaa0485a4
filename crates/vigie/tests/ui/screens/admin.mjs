import assert from 'node:assert/strict';
import {
  base, page, problems, shot, ready, api, login, logout, checkLabels, expectRefusals, run,
} from '../browser.mjs';

// Administration (issue 18): every list is the API's answer to the same user (the site-admin
// sees everything, an org-admin their organisation's), the forms change what the API then
// answers, the API's refusals show next to the field they name, and the audit chain is
// verified from the page.
const SITE = 'admin'; // the site administrator (organisation: the secretariat)
const ORG_ADMIN = 'ecowas.admin';
const READER = 'mli-nia.reader';

const sorted = (xs) => [...xs].sort();
const today = () => new Date().toISOString().slice(0, 10);

/** Opens a section by its tab and waits for its list. */
async function open(sectionName) {
  await page.click(`#admin-tab-${sectionName}`);
  await page.waitForSelector(`#admin-tab-${sectionName}[aria-current="page"]`);
  return ready(`#admin-${sectionName}-status`);
}

/** Status and body of a GET as this page's session (refusals included). */
const answer = (p) => page.evaluate(async (u) => {
  const r = await fetch(u);
  return { status: r.status, body: await r.json().catch(() => null) };
}, `/api/v1${p}`);

/** Submits a form and waits for its confirmation, or its error (returned). */
async function submit(formId) {
  await page.click(`#${formId} button[type=submit]`);
  await page.waitForFunction((id) => {
    const f = document.getElementById(id);
    return f && !f.querySelector('button[type=submit]').disabled
      && ((document.getElementById(`${id}-done`)?.textContent || '').length > 0
        || [...f.querySelectorAll('.error')].some((e) => e.textContent.length > 0));
  }, formId, { timeout: 20000 });
  // (Not f.id: a form with a control named "id" answers that control.)
  return page.$eval(`#${formId}`, (f, id) => ({
    done: document.getElementById(`${id}-done`).textContent,
    errors: Object.fromEntries([...f.querySelectorAll('.error')].filter((e) => e.textContent).map((e) => [e.id, e.textContent])),
  }), formId);
}

async function usersAreApis(who) {
  const shown = await page.$$eval('#admin-users-table tbody tr', (trs) => trs.map((tr) => `${tr.dataset.id} ${tr.dataset.disabled}`));
  const { items } = await api('/users');
  assert.deepEqual(sorted(shown), sorted(items.map((u) => `${u.id} ${u.disabled}`)), `${who}: the users are the API's`);
  assert.equal(Number((await ready('#admin-users-status')).count), items.length, `${who}: the count of users`);
  return items;
}

async function orgsAreApis(who) {
  const shown = await page.$$eval('#admin-orgs-table tbody tr', (trs) => trs.map((tr) => tr.dataset.id));
  const { items } = await api('/orgs');
  assert.deepEqual(sorted(shown), sorted(items.map((o) => o.id)), `${who}: the organisations are the API's`);
}

async function communitiesAreApis(who) {
  const { items } = await api('/communities');
  const shown = await page.$$eval('.admin-community', (cs) => cs.map((c) => c.dataset.id));
  assert.deepEqual(sorted(shown), sorted(items.map((c) => c.id)), `${who}: the communities are the API's`);
  for (const c of items) {
    const members = (await api(`/communities/${c.id}/members`)).items;
    const rows = await page.$$eval(`.admin-community[data-id="${c.id}"] tbody tr`, (trs) => trs.map((tr) => `${tr.dataset.org} ${tr.dataset.from} ${tr.dataset.until}`));
    assert.deepEqual(sorted(rows), sorted(members.map((m) => `${m.org} ${m.from} ${m.until || ''}`)), `${who}: the members of ${c.id}`);
  }
}

async function groupsAreApis(who) {
  const shown = await page.$$eval('#admin-groups-table tbody tr', (trs) => trs.map((tr) => `${tr.dataset.id} ${tr.dataset.owner} ${tr.dataset.members}`));
  const { items } = await api('/sharing-groups');
  assert.deepEqual(sorted(shown), sorted(items.map((g) => `${g.id} ${g.owner} ${g.members.join(',')}`)), `${who}: the sharing groups are the API's`);
  return items;
}

async function tokensAreApis(who) {
  const shown = await page.$$eval('#admin-tokens-table tbody tr', (trs) => trs.map((tr) => `${tr.dataset.id} ${tr.dataset.state}`));
  const { items } = await api('/tokens');
  const state = (x) => (x.revoked_at ? 'revoked' : new Date(x.expires_at) <= new Date() ? 'expired' : 'live');
  assert.deepEqual(sorted(shown), sorted(items.map((x) => `${x.id} ${state(x)}`)), `${who}: the tokens are the API's`);
  return items;
}

async function auditIsApis(who) {
  const d = await ready('#admin-audit-status');
  const { items } = await api(`/audit?after=${d.after}&limit=50`);
  const shown = await page.$$eval('#admin-audit-table tbody tr', (trs) => trs.map((tr) => Number(tr.dataset.seq)));
  assert.deepEqual(shown, items.map((e) => e.seq), `${who}: the audit page (after ${d.after}) is the API's`);
  return items;
}

/** No sideways scrolling of the page on a phone. */
async function fitsPhone(where) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `${where}: the page is ${width}px wide on a phone`);
}

async function asSiteAdmin() {
  run.step = 'admin: the site-admin\'s users';
  await login(SITE);
  assert.ok(await page.isVisible('#nav-admin'), 'the site-admin has the Admin link');
  await page.click('#nav-admin');
  await ready('#admin-users-status');
  assert.equal(await page.getAttribute('#admin-tab-users', 'aria-current'), 'page');
  assert.equal(await page.getAttribute('#nav-admin', 'aria-current'), 'page');
  const users = await usersAreApis('site-admin');
  assert.ok(new Set(users.map((u) => u.org)).size > 3, 'the site-admin sees every organisation\'s users');
  await shot('40-admin-users-en');
  await checkLabels('admin: users');

  // A new user through the form: first refused (the API's words under the password), then made.
  run.step = 'admin: a new user';
  const from = problems.length;
  await page.selectOption('#nu-org', 'ecowas');
  assert.equal(await page.inputValue('#nu-id'), 'ecowas.', 'the id starts with the organisation');
  await page.fill('#nu-id', 'ecowas.ui-amina');
  await page.fill('#nu-name', 'Amina (UI test)');
  await page.check('#nu-role-analyst');
  await page.fill('#nu-password', 'short');
  const refused = await submit('user-new');
  assert.ok(refused.errors['nu-password-err'], `the refusal is under the password: ${JSON.stringify(refused)}`);
  assert.equal(await page.getAttribute('#nu-password', 'aria-invalid'), 'true');
  expectRefusals(from);
  await page.fill('#nu-password', 'a long enough password');
  const made = await submit('user-new');
  assert.ok(made.done.includes('ecowas.ui-amina'), JSON.stringify(made));
  const amina = (await api('/users')).items.find((u) => u.id === 'ecowas.ui-amina');
  assert.deepEqual(amina && { org: amina.org, roles: amina.roles, disabled: amina.disabled },
    { org: 'ecowas', roles: ['reader', 'analyst'], disabled: false }, 'the API has the new user');
  await usersAreApis('site-admin, after creating');

  // Disabling her: the dialog's change is the API's.
  run.step = 'admin: disabling a user';
  await page.click('#admin-users-table tr[data-id="ecowas.ui-amina"] button');
  await page.waitForSelector('#detail[data-admin="open"] #user-edit');
  await checkLabels('admin: a user\'s changes');
  await page.check('#ue-disabled');
  await page.uncheck('#ue-role-analyst');
  const saved = await submit('user-edit');
  assert.ok(saved.done.length > 0, JSON.stringify(saved));
  const after = (await api('/users')).items.find((u) => u.id === 'ecowas.ui-amina');
  assert.deepEqual([after.disabled, after.roles], [true, ['reader']], 'the API has her disabled, a reader only');
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => !document.querySelector('#detail').open);
  await page.waitForSelector('#admin-users-table tr[data-id="ecowas.ui-amina"][data-disabled="true"]');
  await usersAreApis('site-admin, after disabling');

  // Organisations.
  run.step = 'admin: organisations';
  await open('orgs');
  await orgsAreApis('site-admin');
  assert.ok(await page.isVisible('#org-new'), 'the site-admin may create an organisation');
  await checkLabels('admin: organisations');

  // Communities: a new one, a dated membership added, then ended on a day.
  run.step = 'admin: communities';
  await open('communities');
  await communitiesAreApis('site-admin');
  await page.fill('#nc-id', 'ui-watch');
  await page.fill('#nc-name', 'UI watch community');
  assert.ok((await submit('community-new')).done.includes('ui-watch'));
  assert.ok((await api('/communities')).items.some((c) => c.id === 'ui-watch'), 'the API has the community');
  await page.selectOption('#mn-community', 'ui-watch');
  await page.selectOption('#mn-org', 'un');
  await page.fill('#mn-from', '2026-01-01');
  const added = await submit('member-new');
  assert.ok(added.done.length > 0, JSON.stringify(added));
  assert.deepEqual((await api('/communities/ui-watch/members')).items, [{ community: 'ui-watch', org: 'un', from: '2026-01-01', until: null }], 'the API has the membership');
  await communitiesAreApis('site-admin, after adding');
  await shot('41-admin-communities-en');
  await checkLabels('admin: communities');
  await page.click('.admin-community[data-id="ui-watch"] tr[data-org="un"] button');
  await page.waitForSelector('#detail[data-admin="open"] #member-end');
  await checkLabels('admin: ending a membership');
  await page.fill('#me-until', '2026-06-01');
  const ended = await submit('member-end');
  assert.ok(ended.done.length > 0, JSON.stringify(ended));
  await page.keyboard.press('Escape');
  assert.deepEqual((await api('/communities/ui-watch/members')).items.map((m) => m.until), ['2026-06-01'], 'the API has the membership ended');
  await page.waitForSelector('.admin-community[data-id="ui-watch"] tr[data-org="un"][data-until="2026-06-01"]');
  const state = await page.$eval('.admin-community[data-id="ui-watch"] tr[data-org="un"]', (tr) => ({ state: tr.dataset.state, text: tr.textContent }));
  assert.equal(state.state, today() >= '2026-06-01' ? 'ended' : 'ending', 'the membership\'s state');
  assert.match(state.text, today() >= '2026-06-01' ? /Ended on/ : /Ends on/, state.text);
  await communitiesAreApis('site-admin, after ending');

  // Sharing groups: one made through the form, then its members changed.
  run.step = 'admin: sharing groups';
  await open('groups');
  await groupsAreApis('site-admin');
  assert.equal(await page.inputValue('#ng-id'), 'secretariat.', 'the id starts with the owner');
  await page.fill('#ng-id', 'secretariat.ui-liaison');
  await page.fill('#ng-name', 'UI liaison');
  await page.check('#ng-org-un');
  await page.check('#ng-org-au-psd');
  assert.ok((await submit('group-new')).done.includes('secretariat.ui-liaison'));
  const g = (await api('/sharing-groups')).items.find((x) => x.id === 'secretariat.ui-liaison');
  assert.deepEqual(g && [g.owner, g.members], ['secretariat', ['au-psd', 'secretariat', 'un']], 'the API has the group');
  await page.click('#admin-groups-table tr[data-id="secretariat.ui-liaison"] button');
  await page.waitForSelector('#detail[data-admin="open"] #group-members');
  await page.check('#gm-org-ecowas');
  await page.uncheck('#gm-org-secretariat');
  assert.ok((await submit('group-members')).done.length > 0);
  await page.keyboard.press('Escape');
  const g2 = (await api('/sharing-groups')).items.find((x) => x.id === 'secretariat.ui-liaison');
  assert.deepEqual(g2.members, ['au-psd', 'ecowas', 'un'], 'the API has the new members');
  await page.waitForSelector('#admin-groups-table tr[data-id="secretariat.ui-liaison"][data-members="au-psd,ecowas,un"]');
  await groupsAreApis('site-admin, after changing members');
  await checkLabels('admin: sharing groups');

  // One's own API token: its secret shown once, working, then revoked.
  run.step = 'admin: API tokens';
  await open('tokens');
  await tokensAreApis('site-admin');
  await page.fill('#nt-name', 'ui-script');
  await page.selectOption('#nt-scope', 'read');
  await page.fill('#nt-days', '30');
  assert.ok((await submit('token-new')).done.length > 0);
  const secret = await page.inputValue('#token-secret');
  const tokenId = await page.getAttribute('#token-secret-box', 'data-id');
  assert.ok(secret.length > 20, 'the secret is shown');
  assert.ok((await page.textContent('#token-secret-hint')).includes('never again'));
  const bearer = (s) => page.evaluate(async (tk) => (await fetch('/api/v1/me', { credentials: 'omit', headers: { authorization: `Bearer ${tk}` } })).status, s);
  assert.equal(await bearer(secret), 200, 'the new token works');
  await tokensAreApis('site-admin, after creating');
  await shot('42-admin-tokens-en');
  await checkLabels('admin: tokens');
  await page.click(`#admin-tokens-table tr[data-id="${tokenId}"] button.danger`);
  await page.waitForSelector(`#admin-tokens-table tr[data-id="${tokenId}"][data-state="revoked"]`);
  assert.ok((await api('/tokens')).items.find((x) => x.id === tokenId).revoked_at, 'the API has it revoked');
  assert.equal(await bearer(secret), 401, 'the revoked token no longer works');
  await tokensAreApis('site-admin, after revoking');
  // The secret is never listed again.
  assert.ok(!(await page.textContent('#admin-tokens-table')).includes(secret));

  // The audit log, a page at a time, and its chain verified.
  run.step = 'admin: audit log';
  await open('audit');
  const first = await auditIsApis('site-admin, first page');
  const total = (await api('/audit?limit=1000')).items.length;
  assert.equal(await page.isDisabled('#audit-next'), total <= 50, `a next page only when there is one (${total} entries)`);
  assert.ok(await page.isDisabled('#audit-prev'), 'no page before the first');
  if (total > 50) {
    assert.equal(first.length, 50, 'a full first page');
    await page.click('#audit-next');
    await page.waitForFunction(() => document.querySelector('#admin-audit-status').dataset.after !== '0' && document.querySelector('#admin-audit-status').dataset.state === 'ready');
    const second = await auditIsApis('site-admin, second page');
    assert.ok(second.length > 0 && second[0].seq > first[first.length - 1].seq, 'the next page follows');
    await page.click('#audit-prev');
    await page.waitForFunction(() => document.querySelector('#admin-audit-status').dataset.after === '0' && document.querySelector('#admin-audit-status').dataset.state === 'ready');
    await auditIsApis('site-admin, back to the first page');
  }
  await page.click('#audit-verify');
  await page.waitForSelector('#audit-verdict');
  const verdict = await page.$eval('#audit-verdict', (el) => ({ ...el.dataset, text: el.textContent }));
  const check = await api('/audit/verify');
  assert.equal(check.intact, true, JSON.stringify(check));
  assert.equal(verdict.intact, 'true', JSON.stringify(verdict));
  assert.ok(Number(verdict.entries) > 0 && Number(verdict.entries) <= check.entries, JSON.stringify(verdict));
  assert.match(verdict.text, /intact/, verdict.text);
  await shot('43-admin-audit-en');
  await checkLabels('admin: audit log');

  // French: the same pages, translated.
  run.step = 'admin: French';
  await page.selectOption('#lang', 'fr');
  // The page is drawn again in French: wait for the new one, not the English one going.
  await page.waitForFunction(() => document.documentElement.lang === 'fr'
    && document.querySelector('#admin-tab-users') && document.querySelector('#admin-tab-users').textContent === 'Utilisateurs');
  await ready('#admin-audit-status');
  assert.equal(await page.textContent('#audit-verify'), 'Vérifier la chaîne');
  await page.click('#audit-verify');
  await page.waitForSelector('#audit-verdict');
  assert.match(await page.textContent('#audit-verdict'), /La chaîne est intacte/);
  await shot('44-admin-audit-fr');
  await checkLabels('admin: audit log (French)');
  await open('communities');
  assert.match(await page.textContent('.admin-community[data-id="ui-watch"] tr[data-org="un"]'), today() >= '2026-06-01' ? /Terminée le/ : /Se termine le/);
  await shot('45-admin-communities-fr');
  await checkLabels('admin: communities (French)');
  await open('users');
  await shot('46-admin-users-fr');
  await checkLabels('admin: users (French)');

  // A phone: each section fits, its tables scrolling in their own box.
  run.step = 'admin: phone';
  await page.setViewportSize({ width: 390, height: 844 });
  for (const s of ['users', 'communities', 'groups', 'tokens', 'audit']) {
    await page.goto(`${base}/admin/${s}`);
    await ready(`#admin-${s}-status`);
    await fitsPhone(`admin ${s}`);
    await checkLabels(`admin: ${s} on a phone`);
  }
  await shot('47-admin-audit-phone-fr');
  await page.selectOption('#lang', 'en');
  await page.goto(`${base}/admin/users`);
  await ready('#admin-users-status');
  await shot('48-admin-users-phone-en');
  await page.goto(`${base}/admin/communities`);
  await ready('#admin-communities-status');
  await shot('49-admin-communities-phone-en');
  await page.setViewportSize({ width: 1366, height: 768 });
  await logout();
}

async function asOrgAdmin() {
  run.step = 'admin: an org-admin';
  await login(ORG_ADMIN);
  assert.ok(await page.isVisible('#nav-admin'), 'an org-admin has the Admin link');
  await page.click('#nav-admin');
  await ready('#admin-users-status');
  const users = await usersAreApis('org-admin');
  assert.ok(users.length > 0 && users.every((u) => u.org === 'ecowas'), 'an org-admin sees their organisation\'s users only');
  assert.ok(users.some((u) => u.id === 'ecowas.ui-amina'), 'including the one the site-admin made');
  // The form offers their own organisation only; a name in another's space is refused by
  // the API, under the field it names.
  assert.deepEqual(await page.$$eval('#nu-org option', (os) => os.map((o) => o.value)), ['ecowas']);
  assert.equal(await page.$('#nu-role-site-admin'), null, 'no site-admin role to give');
  const from = problems.length;
  await page.fill('#nu-id', 'un.sneaky');
  await page.fill('#nu-name', 'Sneaky');
  await page.fill('#nu-password', 'a long enough password');
  const refused = await submit('user-new');
  assert.ok(refused.errors['nu-id-err'], `the refusal is under the id: ${JSON.stringify(refused)}`);
  expectRefusals(from);
  assert.ok(!(await api('/users')).items.some((u) => u.id === 'un.sneaky'));
  await shot('50-admin-users-org-admin');
  await checkLabels('admin: an org-admin\'s users');

  await open('orgs');
  await orgsAreApis('org-admin');
  assert.equal(await page.$('#org-new'), null, 'no organisation form for an org-admin');
  await open('communities');
  await communitiesAreApis('org-admin');
  assert.equal(await page.$('#member-new'), null, 'no membership form for an org-admin');
  assert.equal(await page.$('.admin-community button'), null, 'no membership to end for an org-admin');
  await open('groups');
  const groups = await groupsAreApis('org-admin');
  assert.ok(groups.every((x) => x.owner === 'ecowas' || x.members.includes('ecowas')), 'an org-admin sees their organisation\'s groups only');
  assert.ok(groups.some((x) => x.id === 'secretariat.ui-liaison'), 'including one ECOWAS was added to');
  assert.equal(await page.$('#admin-groups-table tr[data-id="secretariat.ui-liaison"] button'), null, 'a member does not edit another\'s group');
  await checkLabels('admin: an org-admin\'s groups');
  await open('tokens');
  await tokensAreApis('org-admin');
  await open('audit');
  const entries = await auditIsApis('org-admin');
  assert.ok(entries.every((e) => e.actor_org === 'ecowas'), 'an org-admin reads their organisation\'s entries only');
  assert.equal(await page.$('#audit-verify'), null, 'no chain verification for an org-admin');
  const before = problems.length;
  const verify = await answer('/audit/verify');
  assert.equal(verify.status, 403, 'the API refuses an org-admin the chain');
  await page.waitForTimeout(200);
  expectRefusals(before);
  await shot('51-admin-audit-org-admin');
  await checkLabels('admin: an org-admin\'s audit log');
  await logout();

  run.step = 'admin: a reader';
  await login(READER);
  assert.ok(!(await page.isVisible('#nav-admin')), 'a reader has no Admin link');
  await logout();
}

export async function admin() {
  await asSiteAdmin();
  await asOrgAdmin();
}
