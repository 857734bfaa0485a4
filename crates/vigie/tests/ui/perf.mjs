// Measures the map with many events (not a test: timings vary by machine; see
// docs/benchmarks.md). Against a running server whose store holds the demo plus e.g. 50,000
// generated events:
//   vigie --data-dir D demo --no-serve && vigie bench generate --rows 50000 --out g.csv
//   vigie --data-dir D import g.csv && vigie --data-dir D serve --listen 127.0.0.1:8081
//   node perf.mjs http://127.0.0.1:8081
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const [base, shots] = process.argv.slice(2);
const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-perf-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.VIGIE_CHROMIUM || '/usr/bin/chromium', headless: true,
  viewport: { width: 1366, height: 768 },
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = context.pages()[0];
const ready = async () => {
  await page.waitForSelector('#map-status[data-state="ready"]', { timeout: 60000 });
  return page.$eval('#map-status', (el) => ({ ...el.dataset }));
};
const out = {};
async function time(name, action, wait = ready) {
  const t0 = performance.now();
  await action();
  const d = await wait();
  out[name] = { wall_ms: Math.round(performance.now() - t0), ui_ms: d && d.ms ? Number(d.ms) : undefined };
}
await page.goto(`${base}/map`);
await page.fill('#username', 'mli-nia.publisher');
await page.fill('#password', 'vigie-demo-2026');
await page.click('#login button[type=submit]');
const first = await ready();
out.events_total = Number(first.total);
out.mode = first.mode;
out.markers_drawn = (await page.$$('.leaflet-marker-icon.vc')).length;
await time('reload_map_screen', () => page.reload());
const redraw = () => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(null)))));
await page.waitForSelector('#map-status[data-coloured="yes"]', { timeout: 60000 });
if (shots) await page.screenshot({ path: path.join(shots, 'perf-map.png') });
// Re-clustering and drawing after a zoom, as the page measures it (no network: the data stay).
const drawn = () => page.$eval('#map', (el) => ({ ms: Number(el.dataset.drawMs), markers: Number(el.dataset.markers) }));
for (const [name, sel] of [['zoom_in', '.leaflet-control-zoom-in'], ['zoom_in_again', '.leaflet-control-zoom-in'], ['zoom_out', '.leaflet-control-zoom-out']]) {
  await page.click(sel);
  await page.waitForTimeout(600);
  out[`${name}_redraw`] = await drawn();
}
await time('filter_category', () => page.selectOption('#f-category', 'state-based'));
await time('filter_country_MLI', () => page.selectOption('#f-country', 'MLI'));
out.mode_after_country = (await ready()).mode;
await time('shading_cells', () => page.check('input[name=shading][value=cells]'), redraw);
await time('period_2020', async () => { await page.fill('#f-from', '2020-01-01'); await ready(); await page.fill('#f-to', '2020-12-31'); });
await time('reset_filters', () => page.click('.filters button.reset'));
await time('reset_filters_until_coloured', () => page.selectOption('#f-source', 'ucdp-ged'),
  async () => { await ready(); await page.waitForSelector('#map-status[data-coloured="yes"]', { timeout: 60000 }); });
await time('open_table', () => page.click('#nav a[href="/events"]'), () => page.waitForSelector('#table-status[data-state="ready"]'));
await time('table_next_page', () => page.click('.pager button:last-child'), () => page.waitForSelector('#table-status[data-state="ready"]'));
await time('back_to_map', () => page.click('#nav a[href="/map"]'));
console.log(JSON.stringify(out, null, 2));
await context.close();
fs.rmSync(profile, { recursive: true, force: true });
