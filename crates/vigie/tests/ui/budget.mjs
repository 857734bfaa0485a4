// The low-bandwidth budget of issue 18, measured (a benchmark, not a test: see
// docs/benchmarks.md). Chromium on an emulated 256 kbit/s line with 300 ms latency, from an
// empty cache, against a running `vigie demo`:
//   vigie --data-dir D demo --listen 127.0.0.1:8099   (then)
//   node budget.mjs http://127.0.0.1:8099 [runs]
// Prints, per run and as medians: the sign-in form usable (ms from navigation), the map
// with its events drawn (ms from submitting the form), the whole map screen ready, and the
// bytes transferred until then.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const [base, runsArg] = process.argv.slice(2);
if (!base) { console.error('usage: node budget.mjs BASE_URL [RUNS]'); process.exit(2); }
const runs = Number(runsArg || 3);
const LINE = { offline: false, latency: 300, downloadThroughput: 256000 / 8, uploadThroughput: 256000 / 8 };

async function once() {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-budget-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.VIGIE_CHROMIUM || '/usr/bin/chromium', headless: true,
    viewport: { width: 1366, height: 768 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = context.pages()[0];
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.clearBrowserCache');
  await cdp.send('Network.emulateNetworkConditions', LINE);
  let bytes = 0;
  cdp.on('Network.loadingFinished', (e) => { bytes += e.encodedDataLength; });
  const t0 = Date.now();
  await page.goto(`${base}/`);
  await page.waitForSelector('#login #username:not([disabled])');
  await page.waitForSelector('#login button[type=submit]');
  const signIn = { ms: Date.now() - t0, bytes };
  bytes = 0;
  await page.fill('#username', 'mli-nia.publisher');
  await page.fill('#password', 'vigie-demo-2026');
  const t1 = Date.now();
  await page.click('#login button[type=submit]');
  await page.waitForSelector('.leaflet-marker-icon.vc', { timeout: 120000 });
  const map = { ms: Date.now() - t1, bytes };
  // Everything of the map screen drawn: boundaries, shading, legend, regions, timeline.
  await page.waitForSelector('#map-status[data-state="ready"]', { timeout: 120000 });
  const ready = { ms: Date.now() - t1, bytes };
  // What the map still loads once ready (place names), for the record.
  await page.waitForSelector('#map[data-places]', { timeout: 120000 });
  const after = { ms: Date.now() - t1, bytes };
  await context.close();
  fs.rmSync(profile, { recursive: true, force: true });
  return { sign_in_usable: signIn, map_with_events: map, map_ready: ready, map_with_place_names: after };
}

const results = [];
for (let i = 0; i < runs; i++) results.push(await once());
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const summary = {};
for (const k of Object.keys(results[0])) {
  summary[k] = { median_ms: median(results.map((r) => r[k].ms)), bytes: median(results.map((r) => r[k].bytes)) };
}
console.log(JSON.stringify({ line: '256 kbit/s, 300 ms latency, empty cache', runs: results, median: summary }, null, 2));
