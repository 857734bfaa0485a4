import assert from 'node:assert/strict';
import {
  A, PASSWORD, base, page, shot, ready, api, apiPost, logout, checkLabels, run,
} from '../browser.mjs';

// Reports and field reports. Mali's agency (A) writes a report and reports an incident,
// both shared with one chosen partner (Benin's agency) only, by keyboard alone for the
// report; the partner reads them, another organisation (Togo's agency) is answered as if
// they did not exist. The audience preview's words are the API's preview's.
const PARTNER = 'ben-nia.publisher';
const OTHER = 'tgo-nia.reader';

/** Signs in straight to the reports (the map is never drawn, so never torn down half-way). */
async function login(user) {
  await page.goto(`${base}/reports`);
  await page.waitForSelector('#login');
  await page.fill('#username', user);
  await page.fill('#password', PASSWORD);
  await page.click('#login button[type=submit]');
  await ready('#reports-count');
}

/** The status of a GET of the API with this page's session (no throw on 404). */
const apiStatus = (p) => page.evaluate(async (u) => (await fetch(u)).status, `/api/v1${p}`);

/** Presses Tab until `sel` has the focus (keyboard only), at most `max` times. */
async function tabTo(sel, max = 60) {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate((s) => document.activeElement && document.activeElement.matches(s), sel)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${sel}`);
}

/** With the focus on a select, presses ArrowDown until its value is `value`. */
async function arrowTo(value, max = 30) {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate((v) => document.activeElement.value === v, value)) return;
    await page.keyboard.press('ArrowDown');
  }
  throw new Error(`ArrowDown never reached ${value}`);
}

/** The page is no wider than the window (no sideways scroll). */
async function fits(where) {
  const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: innerWidth }));
  assert.ok(scroll <= width, `${where}: the page is ${scroll}px wide in ${width}px`);
}

/** The list shows exactly the API's reports, in its order, each with its marking. */
async function listIsApis(where, query = '') {
  const d = await ready('#reports-count');
  const want = await api(`/reports?limit=200${query}`);
  const shown = await page.$$eval('.report-item', (lis) => lis.map((li) => ({
    id: li.dataset.id, banner: li.querySelector('.banner').textContent, title: li.querySelector('h2').textContent,
  })));
  assert.deepEqual(shown.map((x) => x.id), want.items.map((r) => r.id), `${where}: the list is the API's`);
  want.items.forEach((r, i) => {
    assert.equal(shown[i].banner, r.audience.marking, `${where}: the marking of ${r.title}`);
    assert.equal(shown[i].title, r.title, `${where}: the title of ${r.id}`);
  });
  assert.equal(Number(d.total), want.total, `${where}: the count`);
  return want.items;
}

/** The reader shows the API's report: title, marking, body text. */
async function readerIsApis(id, where) {
  await ready('#report');
  const r = await api(`/reports/${id}`);
  assert.equal(await page.textContent('#report-title'), r.title, `${where}: the title`);
  assert.equal(await page.textContent('#report-marking'), r.audience.marking, `${where}: the marking banner`);
  const body = (await page.textContent('#report-body')).replace(/\s+/g, ' ');
  const plain = r.body.replace(/[#*_`]/g, '').replace(/\[([^\]]+)\]\([^)]+\)/g, '$1').replace(/^\s*[-+]\s+/gm, '').replace(/\s+/g, ' ').trim();
  for (const word of plain.split(' ').filter((w) => w.length > 3).slice(0, 12)) assert.ok(body.includes(word), `${where}: the body shows "${word}"`);
  return r;
}

/** The picker's preview (`sel`) says, in words, what the API's preview of `audience` answers. */
async function previewIsApis(sel, audience, where) {
  await page.waitForFunction((s) => document.querySelector(s).dataset.state === 'ready', sel);
  const p = await apiPost('/audience/preview', audience);
  const words = await page.textContent(sel);
  const d = await page.$eval(sel, (el) => ({ ...el.dataset }));
  assert.equal(Number(d.count), p.organisations.length, `${where}: the count of organisations`);
  for (const o of p.organisations) assert.ok(words.includes(o.name), `${where}: names ${o.name}: ${words}`);
  assert.ok(words.includes(String(p.organisations.length)), `${where}: says how many: ${words}`);
  assert.deepEqual(d.former ? d.former.split(' ') : [], p.former.map((f) => f.id), `${where}: the former readers`);
  for (const f of p.former) assert.ok(words.includes(f.name) && words.includes(f.since), `${where}: ${f.name} no longer since ${f.since}: ${words}`);
  return { p, words };
}

export async function reports() {
  run.step = 'reports: list';
  await login(A);
  // A chose French earlier: English first, French later.
  await page.selectOption('#lang', 'en');
  await page.waitForFunction(() => document.querySelector('#nav a[href="/reports"]').textContent === 'Reports');
  await page.goto(`${base}/reports`);
  const items = await listIsApis('reports');
  assert.ok(items.length > 0, 'A sees some reports');
  await shot('40-reports-en');
  await checkLabels('reports');

  // Search: the list is the API's answer to the same words.
  run.step = 'reports: search';
  const word = items[0].title.split(/\s+/).find((w) => w.length > 4) || items[0].title;
  await page.fill('#reports-q', word);
  await page.click('.reports-filter button[type=submit]');
  await page.waitForFunction(() => location.search.includes('q='));
  await listIsApis('reports, searched', `&q=${encodeURIComponent(word)}`);

  // The reader.
  run.step = 'reports: reader';
  await page.click(`.report-item[data-id="${items[0].id}"] h2 a`);
  await readerIsApis(items[0].id, 'reader');
  await shot('41-report-reader-en');
  await checkLabels('report reader');

  // Write and share a report with the keyboard only: the editor, the audience (one named
  // partner), save.
  run.step = 'reports: write by keyboard';
  await page.goto(`${base}/reports`);
  await ready('#reports-count');
  await tabTo('#report-new');
  await page.keyboard.press('Enter');
  await ready('#report-editor');
  const title = `Kidal road watch ${Date.now()}`;
  assert.ok(await page.evaluate(() => document.activeElement.id === 'report-title'), 'the editor starts on the title');
  await page.keyboard.type(title);
  await page.keyboard.press('Tab');
  await arrowTo('MLI');
  await tabTo('#report-admin1');
  await page.keyboard.type('Kidal');
  await tabTo('#report-status');
  await arrowTo('published');
  await tabTo('#report-body-input');
  await page.keyboard.type('# Situation\n\nConvoys on the **Gao–Kidal** road were *stopped twice*.\n\n- checkpoint at Anefis\n- fuel shortages\n\nSee [the map](/map).');
  await page.waitForFunction(() => document.querySelector('#report-body-preview h2') && document.querySelector('#report-body-preview strong'));
  const rendered = await page.$eval('#report-body-preview', (el) => ({
    h2: el.querySelector('h2').textContent, strong: el.querySelector('strong').textContent, em: el.querySelector('em').textContent,
    items: [...el.querySelectorAll('li')].map((li) => li.textContent), link: el.querySelector('a').getAttribute('href'),
  }));
  assert.deepEqual(rendered, { h2: 'Situation', strong: 'Gao–Kidal', em: 'stopped twice', items: ['checkpoint at Anefis', 'fuel shortages'], link: '/map' }, 'the live preview');
  await tabTo('#report-marking');
  assert.equal(await page.inputValue('#report-marking'), 'TLP:AMBER');
  await page.keyboard.press('Tab');
  await arrowTo('organisations');
  await page.waitForSelector('#report-orgs', { state: 'visible' });
  await tabTo('#report-org-ben-nia');
  await page.keyboard.press('Space');
  assert.ok(await page.isChecked('#report-org-ben-nia'));
  const shared = { marking: 'TLP:AMBER', distribution: { kind: 'organisations', orgs: ['ben-nia'] } };
  await page.waitForFunction(() => document.querySelector('#report-preview').textContent.includes('Benin'));
  const { words } = await previewIsApis('#report-preview', shared, 'preview, one partner');
  assert.match(words, /TLP:AMBER, named organisations \(Benin national intelligence agency\): 2 organisations today/, words);
  await page.$eval('#report-preview', (el) => el.scrollIntoView({ block: 'center' }));
  await shot('42-report-editor-en');
  await checkLabels('report editor');
  await tabTo('#report-save');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => /^\/reports\/[0-9a-f-]{36}$/.test(location.pathname));
  const id = await page.evaluate(() => location.pathname.split('/')[2]);
  const written = await readerIsApis(id, 'the written report');
  assert.equal(written.title, title);
  assert.equal(written.status, 'published');
  assert.equal(written.country, 'MLI');
  assert.deepEqual({ marking: written.audience.marking, distribution: written.audience.distribution }, shared, 'saved as shared');
  const history = (await api(`/reports/${id}/audience-history`)).items;
  const shownHistory = await page.$$eval('#audience-history li', (lis) => lis.map((li) => [li.dataset.action, li.dataset.marking, li.dataset.distribution]));
  assert.deepEqual(shownHistory, history.map((c) => [c.action, c.marking, c.distribution]), 'the audience history is the API\'s');
  await shot('43-report-written-en');
  await checkLabels('the written report');

  // Re-mark: TLP:AMBER+STRICT to the same partner; the history grows by one.
  run.step = 'reports: re-mark';
  await page.selectOption('#reshare-marking', 'TLP:AMBER+STRICT');
  await previewIsApis('#reshare-preview', { ...shared, marking: 'TLP:AMBER+STRICT' }, 're-mark preview');
  await page.click('#reshare-form button[type=submit]');
  await page.waitForFunction(() => document.querySelector('#report-flash') && document.querySelector('#report-flash').textContent.includes('AMBER+STRICT'));
  assert.equal(await page.textContent('#report-marking'), 'TLP:AMBER+STRICT');
  const history2 = (await api(`/reports/${id}/audience-history`)).items;
  assert.equal(history2.length, 2, 'two audiences');
  assert.deepEqual(await page.$$eval('#audience-history li', (lis) => lis.map((li) => li.dataset.marking)), history2.map((c) => c.marking));

  // A field report: an incident in Mali, for the same partner.
  run.step = 'field report';
  await page.click('#nav a[href="/report-event"]');
  await ready('#fieldreport');
  await checkLabels('field report');
  await page.selectOption('#fr-category', 'state-based');
  await page.fill('#fr-description', 'Checkpoint attacked at dawn');
  await page.selectOption('#fr-country', 'MLI');
  await page.fill('#fr-admin1', 'Gao');
  await page.fill('#fr-location', 'Anefis');
  await page.fill('#fr-latitude', '17.92');
  await page.fill('#fr-longitude', '0.55');
  await page.fill('#fr-date', '2026-11-30');
  await page.fill('#fr-deaths', '4');
  await page.selectOption('#event-distribution', 'organisations');
  await page.check('#event-org-ben-nia');
  await previewIsApis('#event-preview', shared, 'field report preview');
  await shot('44-field-report-en');
  await page.click('#fieldreport-submit');
  await page.waitForSelector('#fieldreport-form[data-created]');
  const eventId = await page.getAttribute('#fieldreport-form', 'data-created');
  const { event, audience } = await api(`/events/${eventId}`);
  assert.equal(event.source, 'vigie');
  assert.equal(event.fatalities.best, 4);
  assert.equal(event.place.country, 'MLI');
  assert.equal(event.period.start, '2026-11-30');
  assert.deepEqual({ marking: audience.marking, distribution: audience.distribution }, shared, 'the event\'s audience');
  assert.ok((await page.textContent('#fieldreport-status')).includes('TLP:AMBER'));
  await shot('45-field-report-recorded-en');
  await checkLabels('field report recorded');

  // French and a phone, as A.
  run.step = 'reports: French and phone';
  await page.selectOption('#lang', 'fr');
  await page.waitForFunction(() => document.querySelector('#nav a[href="/reports"]').textContent === 'Rapports');
  await page.click('#nav a[href="/reports"]');
  await listIsApis('reports (French)');
  assert.equal(await page.textContent('.reports-page h1'), 'Rapports');
  await shot('46-reports-fr');
  await checkLabels('reports (French)');
  await page.goto(`${base}/reports/${id}`);
  await readerIsApis(id, 'reader (French)');
  assert.equal(await page.textContent('#history-h'), 'Historique des destinataires');
  await shot('47-report-reader-fr');
  await checkLabels('report reader (French)');
  await page.goto(`${base}/reports/new`);
  await ready('#report-editor');
  await page.selectOption('#report-distribution', 'community:nouakchott-process');
  const { words: fr } = await previewIsApis('#report-preview', { marking: 'TLP:AMBER', distribution: { kind: 'community', id: 'nouakchott-process' } }, 'preview (French)');
  assert.match(fr, /organisations aujourd’hui/, fr);
  await page.$eval('#report-preview', (el) => el.scrollIntoView({ block: 'center' }));
  await shot('48-report-editor-fr');
  await checkLabels('report editor (French)');
  await page.setViewportSize({ width: 390, height: 844 });
  for (const [path, sel, name] of [
    ['/reports', '#reports-count', '49-phone-reports-fr'],
    [`/reports/${id}`, '#report', '50-phone-report-fr'],
    ['/reports/new', '#report-editor', '51-phone-report-editor-fr'],
    ['/report-event', '#fieldreport', '52-phone-field-report-fr'],
  ]) {
    await page.goto(`${base}${path}`);
    await ready(sel);
    await fits(`phone ${path}`);
    await shot(name);
    await checkLabels(`phone ${path}`);
  }
  await page.selectOption('#lang', 'en');
  await page.waitForFunction(() => document.querySelector('#nav a[href="/reports"]').textContent === 'Reports');
  await page.goto(`${base}/reports/${id}`);
  await ready('#report');
  await fits('phone reader (English)');
  await shot('53-phone-report-en');
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.selectOption('#lang', 'fr'); // as A had it
  await page.waitForFunction(() => document.querySelector('#nav a[href="/reports"]').textContent === 'Rapports');
  await logout();

  // The chosen partner reads both; its preview of ECOWAS names those who left it.
  run.step = 'reports: the partner';
  await login(PARTNER);
  await page.goto(`${base}/reports`);
  const partnerList = await listIsApis('partner\'s reports');
  assert.ok(partnerList.some((r) => r.id === id), 'the partner lists the report');
  await page.goto(`${base}/reports/${id}`);
  await readerIsApis(id, 'partner\'s reader');
  assert.equal(await page.$('#reshare-form'), null, 'the partner is not offered to re-share');
  assert.equal((await api(`/events/${eventId}`)).event.id, eventId, 'the partner reads the field report');
  await page.goto(`${base}/reports/new`);
  await ready('#report-editor');
  await page.selectOption('#report-distribution', 'community:ecowas');
  const { words: ecowas } = await previewIsApis('#report-preview', { marking: 'TLP:AMBER', distribution: { kind: 'community', id: 'ecowas' } }, 'ECOWAS preview');
  assert.match(ecowas, /Mali national intelligence agency.*no longer since 2025-01-29/, ecowas);
  await page.$eval('#report-preview', (el) => el.scrollIntoView({ block: 'center' }));
  await shot('54-report-preview-ecowas-en');
  await logout();

  // Another organisation: as if neither existed.
  run.step = 'reports: another organisation';
  await login(OTHER);
  await page.goto(`${base}/reports`);
  const otherList = await listIsApis('other org\'s reports');
  assert.ok(!otherList.some((r) => r.id === id), 'another organisation does not list it');
  await page.goto(`${base}/reports/${id}`);
  await ready('#report');
  await page.waitForSelector('#report-not-found');
  const missing = '00000000-0000-4000-8000-000000000000';
  assert.equal(await apiStatus(`/reports/${id}`), 404);
  assert.equal(await apiStatus(`/reports/${id}/audience-history`), 404);
  assert.equal(await apiStatus(`/events/${eventId}`), 404);
  const hidden = await page.textContent('#report');
  await page.goto(`${base}/reports/${missing}`);
  await ready('#report');
  assert.equal(await page.textContent('#report'), hidden, 'a hidden report reads like a missing one');
  await shot('55-report-not-found-en');
  await checkLabels('report not found');
  await logout();
}
