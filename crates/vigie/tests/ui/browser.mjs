// The browser every screen's scenarios share: one headless Chromium page against a running
// `vigie demo`, and the helpers that compare what the page shows with what the API answers.
// ui.mjs runs the scenarios; each screen's own live in screens/.

import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

// axe-core, the accessibility rules engine, run inside the page (through the DevTools
// protocol, which the page's Content-Security-Policy does not apply to).
export const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export const [base, shots] = process.argv.slice(2);
if (!base || !shots) {
  console.error('usage: node ui.mjs BASE_URL SCREENSHOT_DIR');
  process.exit(2);
}
fs.mkdirSync(shots, { recursive: true });
export const PASSWORD = 'vigie-demo-2026';
export const A = 'mli-nia.publisher'; // Mali's agency
export const B = 'ben-nia.reader'; // Benin's agency
export const metrics = { interactions_ms: {} };
export const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-ui-'));

export const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.VIGIE_CHROMIUM || '/usr/bin/chromium',
  headless: true,
  viewport: { width: 1366, height: 768 },
  acceptDownloads: true,
  locale: 'en-GB',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
export const page = context.pages()[0] || (await context.newPage());
export const problems = [];
page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));

/** The step being run, named in a failure. */
export const run = { step: 'start' };
export const shot = (name) => page.screenshot({ path: path.join(shots, `${name}.png`) });
export const ready = async (sel) => {
  await page.waitForSelector(`${sel}[data-state="ready"]`, { timeout: 30000 });
  return page.$eval(sel, (el) => ({ ...el.dataset }));
};
/** What the API says to this page's session (same cookie). */
export const api = (p) => page.evaluate(async (u) => {
  const r = await fetch(u);
  if (!r.ok) throw new Error(`${u}: ${r.status}`);
  return r.json();
}, `/api/v1${p}`);
export const apiTotal = async (q) => (await api(`/events?limit=1${q ? `&${q}` : ''}`)).total;
export const apiIds = async (q) => {
  const out = [];
  for (let offset = 0; ; offset += 1000) {
    const p = await api(`/events?limit=1000&offset=${offset}&${q}`);
    out.push(...p.items.map((e) => e.id));
    if (out.length >= p.total) return out.sort();
  }
};

export async function login(user) {
  await page.goto(`${base}/map`);
  await page.waitForSelector('#login');
  await page.fill('#username', user);
  await page.fill('#password', PASSWORD);
  await page.click('#login button[type=submit]');
  await ready('#map-status');
  // Issue 18, bug 11: after signing in, focus is on the page's heading, not the body.
  await page.waitForFunction(() => document.activeElement && document.activeElement.tagName === 'H1', null, { timeout: 10000 })
    .catch(async () => { throw new Error(`after signing in, focus is on ${await page.evaluate(() => document.activeElement && document.activeElement.tagName)}`); });
}

export async function logout() {
  await page.click('#logout');
  await page.waitForSelector('#login');
}

/** Every visible form control has a label. */
export async function checkLabels(where) {
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
export async function timed(name, sel, action) {
  const t0 = Date.now();
  await action();
  const d = await ready(sel);
  metrics.interactions_ms[name] = { ui_reported: Number(d.ms), wall: Date.now() - t0 };
  return d;
}

export async function asUser(user) {
  // The map: its total is the API's total for this user, and events are drawn.
  run.step = `${user}: map`;
  const map = await ready('#map-status');
  // The map opens on the last 12 months with data (issue 18): its total is the API's for them.
  assert.ok(map.from && map.to, `${user}: the map opens on a period`);
  assert.equal(Number(map.total), await apiTotal(`from=${map.from}&to=${map.to}`), `${user}: the map's total (last 12 months)`);
  // All time: the API's total for this user, and events are drawn.
  const all = await timed(`all_time_${user}`, '#map-status', () => page.click('#tl-all'));
  const total = await apiTotal('');
  assert.equal(Number(all.total), total, `${user}: the map's total`);
  assert.ok((await page.$$('.leaflet-marker-icon.vc')).length > 0, `${user}: no event markers`);
  // The field reports (source vigie) the user may see: on the map and in the table.
  await page.selectOption('#f-source', 'vigie');
  const mv = await ready('#map-status');
  const own = await apiIds(`source=vigie&from=${all.from}&to=${all.to}`);
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

/** A write to the API with this page's session and CSRF token. */
export const apiPost = (p, body) => page.evaluate(async ([u, b]) => {
  const r = await fetch(u, {
    method: 'POST', body: JSON.stringify(b),
    headers: { 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': localStorage.getItem('vigie.csrf') || '' },
  });
  const data = await r.json().catch(() => null);
  if (!r.ok) throw new Error(`${u}: ${r.status} ${data && data.message}`);
  return data;
}, [`/api/v1${p}`, body]);

/** Forgets the expected 400/403 answers the browser logged since `from`. */
export const expectRefusals = (from) => problems.push(...problems.splice(from).filter((p) => !/status of 40[03]/.test(p)));


/** RFC 4180 records (quoted fields may hold commas, quotes and newlines). */
export function csvRecords(text) {
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

/** Opens a screen from the main menu, as a user does (on a phone, through the Menu button). */
export async function navTo(href) {
  if (!(await page.isVisible(`#nav a[href="${href}"]`))) {
    await page.click('#menu');
    await page.waitForSelector(`#nav a[href="${href}"]`, { state: 'visible' });
  }
  await page.click(`#nav a[href="${href}"]`);
}
