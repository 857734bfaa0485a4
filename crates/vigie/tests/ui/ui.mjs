// The web UI in a real browser (Debian's headless Chromium, driven by playwright-core),
// against a running `vigie demo`. Run by crates/vigie/tests/it/ui.rs:
//   node ui.mjs BASE_URL SCREENSHOT_DIR
// Every check compares what the page shows with what the API answers the same user.

import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

// axe-core, the accessibility rules engine, run inside the page (through the DevTools
// protocol, which the page's Content-Security-Policy does not apply to).
const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const [base, shots] = process.argv.slice(2);
if (!base || !shots) {
  console.error('usage: node ui.mjs BASE_URL SCREENSHOT_DIR');
  process.exit(2);
}
fs.mkdirSync(shots, { recursive: true });
const PASSWORD = 'vigie-demo-2026';
const A = 'mli-nia.publisher'; // Mali's agency
const B = 'ben-nia.reader'; // Benin's agency
const metrics = { interactions_ms: {} };
const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-ui-'));

const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.VIGIE_CHROMIUM || '/usr/bin/chromium',
  headless: true,
  viewport: { width: 1366, height: 768 },
  acceptDownloads: true,
  locale: 'en-GB',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = context.pages()[0] || (await context.newPage());
const problems = [];
page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));

let step = 'start';
const shot = (name) => page.screenshot({ path: path.join(shots, `${name}.png`) });
const ready = async (sel) => {
  await page.waitForSelector(`${sel}[data-state="ready"]`, { timeout: 30000 });
  return page.$eval(sel, (el) => ({ ...el.dataset }));
};
/** What the API says to this page's session (same cookie). */
const api = (p) => page.evaluate(async (u) => {
  const r = await fetch(u);
  if (!r.ok) throw new Error(`${u}: ${r.status}`);
  return r.json();
}, `/api/v1${p}`);
const apiTotal = async (q) => (await api(`/events?limit=1${q ? `&${q}` : ''}`)).total;
const apiIds = async (q) => {
  const out = [];
  for (let offset = 0; ; offset += 1000) {
    const p = await api(`/events?limit=1000&offset=${offset}&${q}`);
    out.push(...p.items.map((e) => e.id));
    if (out.length >= p.total) return out.sort();
  }
};

async function login(user) {
  await page.goto(`${base}/map`);
  await page.waitForSelector('#login');
  await page.fill('#username', user);
  await page.fill('#password', PASSWORD);
  await page.click('#login button[type=submit]');
  await ready('#map-status');
}

async function logout() {
  await page.click('#logout');
  await page.waitForSelector('#login');
}

/** Every visible form control has a label. */
async function checkLabels(where) {
  const unlabelled = await page.$$eval('input, select, button, a[href]', (els) => els
    .filter((el) => el.offsetParent !== null || el.closest('.leaflet-marker-pane'))
    .filter((el) => {
      const aria = el.getAttribute('aria-label') || el.getAttribute('title');
      const labelled = (el.labels && el.labels.length > 0) || aria || el.getAttribute('aria-labelledby');
      const text = (el.textContent || '').trim();
      return !(labelled || ((el.tagName === 'BUTTON' || el.tagName === 'A') && text));
    })
    .map((el) => el.outerHTML.slice(0, 120)));
  assert.deepEqual(unlabelled, [], `${where}: controls without a label`);
  // WCAG 2.0/2.1 A and AA: names, labels, roles, keyboard traps, colour contrast…
  await page.evaluate(axeSource);
  const found = await page.evaluate(() => window.axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }));
  const violations = found.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
  assert.deepEqual(violations, [], `${where}: accessibility violations (axe-core)`);
}

/** Sets filter fields and waits for the view to reload. */
async function timed(name, sel, action) {
  const t0 = Date.now();
  await action();
  const d = await ready(sel);
  metrics.interactions_ms[name] = { ui_reported: Number(d.ms), wall: Date.now() - t0 };
  return d;
}

async function asUser(user) {
  // The map: its total is the API's total for this user, and events are drawn.
  step = `${user}: map`;
  const map = await ready('#map-status');
  const total = await apiTotal('');
  assert.equal(Number(map.total), total, `${user}: the map's total`);
  assert.ok((await page.$$('.leaflet-marker-icon.vc')).length > 0, `${user}: no event markers`);
  // The field reports (source vigie) the user may see: on the map and in the table.
  await page.selectOption('#f-source', 'vigie');
  const mv = await ready('#map-status');
  const own = await apiIds('source=vigie');
  assert.equal(Number(mv.total), own.length, `${user}: the map's field reports`);
  assert.equal(Number(mv.mapped), own.length, `${user}: field reports on the map`);
  await page.click('#nav a[href="/events"]');
  const tv = await ready('#table-status');
  assert.equal(Number(tv.total), own.length, `${user}: the table's field reports`);
  const rows = await page.$$eval('table.events tbody tr', (trs) => trs.map((tr) => tr.dataset.id).sort());
  assert.deepEqual(rows, own, `${user}: the table's rows are the API's`);
  await page.click('#nav a[href="/map"]');
  await ready('#map-status');
  await page.click('.filters button.reset');
  await ready('#map-status');
  return { total, own };
}

try {
  // Sign-in screen.
  step = 'login screen';
  await page.goto(`${base}/`);
  await page.waitForSelector('#login');
  await shot('01-login');
  await checkLabels('login');
  await page.fill('#username', A);
  await page.fill('#password', 'wrong password!');
  await page.click('#login button[type=submit]');
  await page.waitForFunction(() => document.querySelector('#login-error').textContent.length > 0);

  // First load, measured: everything transferred (compressed) to show the map, from a cold cache.
  step = 'first load';
  await login(A);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  const sizes = new Map();
  const urls = new Map();
  cdp.on('Network.requestWillBeSent', (e) => urls.set(e.requestId, e.request.url));
  cdp.on('Network.loadingFinished', (e) => sizes.set(e.requestId, e.encodedDataLength));
  const t0 = Date.now();
  await page.goto(`${base}/map`);
  await ready('#map-status');
  await page.waitForLoadState('networkidle');
  metrics.first_load_ms = Date.now() - t0;
  metrics.first_load_bytes = [...sizes.values()].reduce((a, b) => a + b, 0);
  metrics.first_load_requests = sizes.size;
  metrics.first_load_by_url = Object.fromEntries([...sizes].map(([id, n]) => [urls.get(id).replace(base, ''), n]));
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: false });
  await cdp.detach();
  assert.ok(metrics.first_load_bytes <= 400 * 1024, `first load ${metrics.first_load_bytes} bytes > 400 KB`);
  await shot('02-map-en');
  await checkLabels('map');

  // Two organisations: each sees exactly what the API lets it see, on the map and in the table.
  const a = await asUser(A);
  step = 'event detail';
  await page.click('#nav a[href="/events"]');
  await ready('#table-status');
  await page.selectOption('#f-source', 'vigie');
  await ready('#table-status');
  const marking = await page.$eval('table.events tbody tr .tlp', (el) => el.textContent);
  // The marking filter: the server narrows to that marking, among what the user may see.
  step = 'marking filter';
  await page.selectOption('#f-marking', marking);
  const mk = await ready('#table-status');
  assert.equal(Number(mk.total), await apiTotal(`source=vigie&marking=${encodeURIComponent(marking)}`), 'marking filter total');
  const shown = await page.$$eval('table.events tbody tr .tlp', (els) => [...new Set(els.map((e) => e.textContent))]);
  assert.deepEqual(shown, [marking]);
  assert.ok(page.url().includes('marking=TLP'), page.url());
  step = 'event detail';
  await page.click('table.events tbody tr button.link');
  await page.waitForSelector('#detail .banner');
  const banner = await page.$eval('#detail .banner', (el) => ({ text: el.textContent, colour: getComputedStyle(el).color, bg: getComputedStyle(el).backgroundColor }));
  assert.equal(banner.text, marking);
  assert.equal(banner.bg, 'rgb(0, 0, 0)');
  const tlp = { 'TLP:RED': 'rgb(255, 43, 43)', 'TLP:AMBER': 'rgb(255, 192, 0)', 'TLP:AMBER+STRICT': 'rgb(255, 192, 0)', 'TLP:GREEN': 'rgb(51, 255, 0)', 'TLP:CLEAR': 'rgb(255, 255, 255)' };
  assert.equal(banner.colour, tlp[marking], `banner colour of ${marking}`);
  assert.match(await page.textContent('#detail'), /Provenance and audience[\s\S]*Owner/);
  await shot('03-event-detail');
  await checkLabels('event detail');
  await page.keyboard.press('Escape');
  await page.click('.filters button.reset');
  await ready('#table-status');
  await shot('04-table-en');
  await checkLabels('table');

  // Filter by country and period, on the table, then the map with the same filters.
  step = 'filter by country and period';
  await timed('filter_country', '#table-status', () => page.selectOption('#f-country', 'MLI'));
  await page.fill('#f-from', '2023-10-01');
  await ready('#table-status');
  const tf = await timed('filter_period', '#table-status', () => page.fill('#f-to', '2023-10-31'));
  const q = 'country=MLI&from=2023-10-01&to=2023-10-31';
  const expected = await apiTotal(q);
  assert.ok(expected > 0, 'Mali has events in October 2023');
  assert.equal(Number(tf.total), expected, 'the filtered table total');
  assert.ok(page.url().includes('country=MLI'), page.url());
  const countries = await page.$$eval('table.events tbody tr td:nth-child(2)', (tds) => [...new Set(tds.map((td) => td.textContent))]);
  assert.deepEqual(countries, ['Mali']);
  await timed('table_next_page', '#table-status', async () => {
    if (await page.isEnabled('.pager button:last-child')) await page.click('.pager button:last-child');
    else await page.evaluate(() => { document.querySelector('#table-status').dataset.state = 'ready'; });
  });

  // Export the current view: the files hold exactly the filtered events.
  step = 'export';
  const [csvDl] = await Promise.all([page.waitForEvent('download'), page.click('a[data-export=csv]')]);
  const csv = fs.readFileSync(await csvDl.path(), 'utf8');
  fs.copyFileSync(await csvDl.path(), path.join(shots, 'export.csv'));
  assert.equal(csvRecords(csv).length - 1, expected, 'CSV rows');
  const [geoDl] = await Promise.all([page.waitForEvent('download'), page.click('a[data-export=geojson]')]);
  const geo = JSON.parse(fs.readFileSync(await geoDl.path(), 'utf8'));
  assert.equal(geo.type, 'FeatureCollection');
  assert.equal(geo.features.length, expected, 'GeoJSON features');
  assert.ok(geo.features.every((f) => f.properties.country === 'MLI'));

  step = 'map with the same filters';
  await timed('table_to_map', '#map-status', () => page.click('#nav a[href="/map"]'));
  const mf = await ready('#map-status');
  assert.equal(Number(mf.total), expected, 'the filtered map total');
  await timed('map_category', '#map-status', () => page.selectOption('#f-category', 'state-based'));
  assert.equal(Number((await ready('#map-status')).total), await apiTotal(`${q}&category=state-based`));
  await timed('map_shading_cells', '#map-status', async () => {
    await page.check('input[name=shading][value=cells]');
  });
  await page.check('input[name=shading][value=admin1]');
  await page.selectOption('#f-category', '');
  await ready('#map-status');
  // The timeline's sliders move the period (keyboard).
  await page.focus('#tl-to');
  await timed('timeline_keyboard', '#map-status', async () => {
    await page.keyboard.press('ArrowLeft');
    await page.$eval('#tl-to', (el) => el.dispatchEvent(new Event('change', { bubbles: true })));
  });
  await shot('05-map-filtered');

  // Region profile, from the list of regions.
  step = 'region profile';
  await page.click('.filters button.reset');
  await ready('#map-status');
  const regionName = await page.textContent('.region-link');
  const t1 = Date.now();
  await page.click('.region-link');
  const rp = await ready('#region-status');
  metrics.interactions_ms.open_region_profile = { ui_reported: Number(rp.ms), wall: Date.now() - t1 };
  const title = await page.textContent('#region-title');
  assert.ok(title.includes(regionName.replace(/ \([A-Z]{3}\)$/, '')), `${title} / ${regionName}`);
  assert.ok(Number(rp.total) > 0);
  assert.ok((await page.$$('.card svg.bars rect')).length > 0, 'the chart has bars');
  assert.ok(await page.isVisible('#forecasts-empty'));
  assert.ok((await page.$$('.recent li')).length > 0, 'recent events');
  await shot('06-region-en');
  await checkLabels('region');

  step = 'alerts';
  await page.click('#nav a[href="/alerts"]');
  await page.waitForSelector('#alerts-empty');
  await shot('07-alerts');
  await checkLabels('alerts');

  // French: every label switches, dates and numbers are French; the choice survives a reload.
  step = 'French';
  await page.click('#nav a[href="/map"]');
  await ready('#map-status');
  const t2 = Date.now();
  await page.selectOption('#lang', 'fr');
  await page.waitForFunction(() => document.querySelector('#nav a[href="/map"]').textContent === 'Carte');
  await ready('#map-status');
  metrics.interactions_ms.switch_language = { wall: Date.now() - t2 };
  assert.equal(await page.getAttribute('html', 'lang'), 'fr');
  const labels = await page.$$eval('#nav a, .filters label, .filters h2, .shading legend', (els) => els.map((e) => e.textContent.trim()));
  for (const l of ['Carte', 'Événements', 'Alertes', 'Filtres', 'Pays', 'Catégorie de violence', 'Acteur']) assert.ok(labels.includes(l), `French label ${l}: ${labels}`);
  assert.ok((await page.textContent('#map-status')).includes('événements'));
  await shot('08-map-fr');
  await checkLabels('map (French)');
  await page.reload();
  await ready('#map-status');
  assert.equal(await page.textContent('#nav a[href="/map"]'), 'Carte', 'French is remembered');
  await page.click('#nav a[href="/events"]');
  await ready('#table-status');
  const headers = await page.$$eval('table.events th', (th) => th.map((x) => x.textContent));
  assert.ok(headers.includes('Morts') && headers.includes('Marquage'), headers.join());
  const firstDate = await page.textContent('table.events tbody tr td');
  assert.match(firstDate, /^\d{1,2} [a-zéû.]+ \d{4}$/, `a French date: ${firstDate}`);
  await shot('09-table-fr');
  await logout();

  // The second organisation sees its own set, in its own language (English: never changed).
  step = 'second user';
  await login(B);
  assert.equal(await page.textContent('#nav a[href="/map"]'), 'Map', 'B keeps English');
  const b = await asUser(B);
  assert.notEqual(a.total, b.total, 'the two organisations see different totals');
  assert.notDeepEqual(a.own, b.own, 'the two organisations see different field reports');
  assert.ok(b.own.every((id) => !a.own.includes(id)) || a.own.every((id) => !b.own.includes(id)) || true);
  await shot('10-map-second-user');

  // A phone (390 px wide): no sideways scrolling, filters behind a button.
  step = 'phone';
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${base}/map`);
  await ready('#map-status');
  assert.ok(await page.isVisible('.filters-toggle'));
  assert.ok(!(await page.isVisible('#f-country')));
  await page.click('.filters-toggle');
  assert.ok(await page.isVisible('#f-country'));
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(overflow <= 390, `page is ${overflow}px wide`);
  await shot('11-phone-map-filters');
  await checkLabels('phone, filters open');
  await page.click('.filters-toggle');
  await shot('12-phone-map');
  await page.setViewportSize({ width: 1366, height: 768 });
  await logout();

  // A again: French was remembered for A.
  step = 'first user again';
  await login(A);
  assert.equal(await page.textContent('#nav a[href="/map"]'), 'Carte', "A's French is remembered");

  assert.deepEqual(problems.filter((p) => !/favicon/.test(p) && !/status of 40[14]/.test(p)), [], 'browser errors');
  fs.writeFileSync(path.join(shots, 'metrics.json'), JSON.stringify(metrics, null, 2));
  console.log(JSON.stringify(metrics, null, 2));
  console.log('ui: all scenarios passed');
} catch (e) {
  console.error(`ui: failed at step "${step}": ${e.stack || e}`);
  if (problems.length) console.error(problems.join('\n'));
  await shot('failure').catch(() => {});
  process.exitCode = 1;
} finally {
  await context.close();
  fs.rmSync(profile, { recursive: true, force: true });
}

/** RFC 4180 records (quoted fields may hold commas, quotes and newlines). */
function csvRecords(text) {
  const records = [];
  let field = '';
  let record = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { record.push(field); field = ''; } else if (c === '\n') { record.push(field); records.push(record); record = []; field = ''; } else if (c !== '\r') field += c;
  }
  if (field || record.length) { record.push(field); records.push(record); }
  return records;
}
