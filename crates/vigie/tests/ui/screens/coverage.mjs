import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  base, page, shot, ready, api, login, logout, checkLabels, run,
} from '../browser.mjs';

// Issue 19, early warning an analyst can trust: how complete and how fresh the data are,
// as the API says it, in English and French. The alerts page warns when the data are old
// (naming the month they end), lists what could not be assessed (as many as the API), marks
// each alert with its data's end and draws the series it rests on with the months no
// complete source covers; the coverage screen lists the API's sources and imports; the map
// and a region profile say where the data end. Signed in as the secretariat (whose spillover
// rule has many units it could not assess).

const U = 'secretariat.publisher';
const assets = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../../../vigie-server/assets/i18n');
const DICT = Object.fromEntries(['en', 'fr'].map((l) => [l, JSON.parse(fs.readFileSync(path.join(assets, `${l}.json`), 'utf8'))]));
/** The fixed words of a dictionary's text (what is not a placeholder). */
const fixedWords = (template) => template.split(/\{\w+\}/).map((x) => x.trim()).filter((x) => x.length > 2);

/** A YYYY-MM month in full words in `lang`, as a reader expects it ("October 2023"). */
const longMonth = (lang, m) => page.evaluate(([l, x]) => new Intl.DateTimeFormat(l, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${x}-01T00:00:00Z`)), [lang, m]);
/** A country's name in `lang`, as the page names it. */
const countryName = (lang, iso3) => page.evaluate(async ([l, c]) => {
  const iso2 = await (await fetch(document.querySelector('script[type=module]').src.replace('js/app.js', 'geo/iso2.json'))).json();
  return iso2[c] ? new Intl.DisplayNames([l], { type: 'region' }).of(iso2[c]) : c;
}, [lang, iso3]);
const norm = (s) => s.replace(/\s+/g, ' ');
const width = () => page.evaluate(() => document.documentElement.scrollWidth);

/** A data-end line (`sel`) says the API's freshness `f`, in `lang`, as a warning when stale. */
async function dataEndIs(sel, f, lang, where) {
  await page.waitForSelector(sel, { timeout: 15000 });
  const shown = await page.$eval(sel, (el) => ({ ...el.dataset, text: el.textContent, stale: el.classList.contains('is-stale') }));
  assert.equal(shown.until, f.data_until, `${where}: the month the data end`);
  assert.ok(norm(shown.text).includes(await longMonth(lang, f.data_until)), `${where}: "${await longMonth(lang, f.data_until)}" in: ${shown.text}`);
  assert.equal(shown.stale, f.stale, `${where}: a warning exactly when the data are stale`);
  if (f.stale) assert.ok(shown.text.includes(DICT[lang]['freshness.staleMark']), `${where}: the stale mark in words: ${shown.text}`);
  assert.ok(new RegExp(`\\b${f.months_behind}\\b`).test(norm(shown.text)), `${where}: ${f.months_behind} months behind in: ${shown.text}`);
}

/** The alerts page in `lang`: banner, what could not be assessed, each alert's data end and series. */
async function alertsPage(lang) {
  run.step = `coverage: alerts page (${lang})`;
  await page.goto(`${base}/alerts`);
  const st = await ready('#alerts-status');
  const data = await api('/alerts');
  const f = data.freshness;
  // The banner: there exactly when the data are stale, naming the month they end, in words.
  const banner = await page.$('#alerts-stale');
  assert.equal(Boolean(banner), Boolean(f.stale), `${lang}: the stale banner exactly when the API says stale (${JSON.stringify(f)})`);
  if (f.stale) {
    const text = norm(await banner.textContent());
    assert.equal(await banner.getAttribute('data-until'), f.data_until, `${lang}: the banner's month`);
    assert.ok(text.includes(await longMonth(lang, f.data_until)), `${lang}: the banner names ${f.data_until}: ${text}`);
    assert.ok(new RegExp(`\\b${f.months_behind}\\b`).test(text), `${lang}: the banner says how many months ago: ${text}`);
    for (const w of fixedWords(DICT[lang]['freshness.banner'])) assert.ok(text.includes(w), `${lang}: "${w}" in the banner: ${text}`);
  } else {
    await dataEndIs('#alerts-data-end', f, lang, `${lang}: alerts`);
  }
  // Could not be assessed: as many as the API's, each the API's unit and month, in words.
  const un = data.unassessed || [];
  assert.equal(Number(st.unassessed), un.length, `${lang}: the status counts the API's unassessed`);
  const shownUn = await page.$$eval('#unassessed .unassessed-item', (lis) => lis.map((li) => ({ unit: li.dataset.unit, month: li.dataset.month, missing: li.dataset.missing, text: li.textContent })));
  assert.equal(shownUn.length, un.length, `${lang}: the unassessed shown are as many as the API's`);
  assert.deepEqual(shownUn.map((u) => `${u.unit} ${u.month} ${u.missing}`).sort(), un.map((u) => `${u.unit} ${u.month} ${u.missing_months}`).sort(), `${lang}: the unassessed are the API's`);
  if (un.length) {
    assert.ok((await page.textContent('#unassessed-count')).includes(String(un.length)), `${lang}: the section's count`);
    // Each reason is said once, in the page's words (from its code), with the months missing.
    const reasons = await page.$$eval('#unassessed .unassessed-reason', (ds) => ds.map((d) => ({
      why: d.querySelector('.why').textContent,
      items: [...d.querySelectorAll('.unassessed-item')].map((i) => `${i.dataset.unit} ${i.dataset.month}`),
    })));
    assert.equal(reasons.reduce((n, r) => n + r.items.length, 0), un.length, `${lang}: every unassessed unit under its reason`);
    for (const r of reasons) {
      const first = un.find((x) => `${x.unit} ${x.month}` === r.items[0]);
      assert.ok(!r.why.includes(first.reason) && fixedWords(DICT[lang][`unassessed.${first.code}`]).every((w) => r.why.includes(w)), `${lang}: the reason worded from its code: ${r.why}`);
      assert.ok(new RegExp(`\\b${first.missing_months}\\b`).test(r.why), `${lang}: the missing months counted: ${r.why}`);
      for (const m of first.missing.match(/\d{4}-\d{2}/g)) assert.ok(r.why.includes(m.slice(0, 4)), `${lang}: ${m} named: ${r.why}`);
    }
    // A long list is folded at first.
    const open = await page.$$eval('#unassessed details.unassessed-group', (ds) => ds.map((d) => d.open));
    assert.ok(open.every((o) => o === (un.length <= 5)), `${lang}: ${un.length} unassessed, folded when more than 5: ${open}`);
  } else {
    assert.equal(await page.$('#unassessed'), null, `${lang}: no section when everything was assessed`);
  }
  // Each alert: its data's end in words, the English "(data end in …)" not said twice; its
  // series as a chart and a table with the uncovered months marked.
  for (const a of data.items) {
    const li = `#alerts-list > li[data-id="${a.id}"]`;
    if (!(await page.$(li))) continue; // acknowledged already: not in the queue
    const text = await page.textContent(li);
    assert.ok(!/\(data end in/.test(text), `${lang}: alert ${a.id}: the server's "(data end in …)" is not repeated: ${text}`);
    if (a.freshness && a.freshness.data_until) {
      const end = await page.$eval(`${li} .alert-data-end`, (el) => ({ until: el.dataset.until, stale: el.classList.contains('is-stale') }));
      assert.deepEqual(end, { until: a.freshness.data_until, stale: a.freshness.stale }, `${lang}: alert ${a.id}: its data end`);
    }
    const series = (a.evidence && a.evidence.series) || [];
    if (series.length) {
      await page.click(`${li} details.alert-more > summary`);
      await page.waitForSelector(`${li} .series-chart[data-chart="ready"]`, { timeout: 20000 });
      const chart = await page.$eval(`${li} .series-chart`, (el) => ({ ...el.dataset }));
      assert.equal(Number(chart.months), series.length, `${lang}: alert ${a.id}: a bar per month`);
      assert.equal(Number(chart.uncovered), series.filter((s) => !s.complete).length, `${lang}: alert ${a.id}: the uncovered months`);
      const rows = await page.$$eval(`${li} .series-table tbody tr`, (trs) => trs.map((tr) => `${tr.dataset.month} ${tr.dataset.complete}`));
      assert.deepEqual(rows, series.map((s) => `${s.month} ${Boolean(s.complete)}`), `${lang}: alert ${a.id}: the series as a table`);
    }
  }
  await shot(`19-alerts-freshness-${lang}`);
  await checkLabels(`alerts with freshness and unassessed (${lang})`);
  return data;
}

/** The coverage screen in `lang`: the API's sources and imports, its freshness. */
async function coverageScreen(lang) {
  run.step = `coverage: coverage screen (${lang})`;
  // Reached from the alerts page.
  await page.click('#alerts-stale-link, #alerts-data-end-link');
  const st = await ready('#coverage-status');
  assert.equal(new URL(page.url()).pathname, '/coverage');
  const cov = await api('/coverage');
  assert.equal(Number(st.sources), cov.sources.length, `${lang}: sources counted`);
  const sources = await page.$$eval('#coverage-sources tbody tr', (trs) => trs.map((tr) => ({ source: tr.dataset.source, cells: [...tr.children].map((c) => c.textContent) })));
  assert.deepEqual(sources.map((s) => s.source), cov.sources.map((s) => s.source), `${lang}: the sources are the API's`);
  for (const s of cov.sources) {
    const row = sources.find((x) => x.source === s.source);
    const countries = row.cells[3];
    if (s.complete_countries.length === 1 && s.complete_countries[0] === '*') {
      assert.equal(countries, DICT[lang]['coverage.everyCountry'], `${lang}: ${s.source} complete in every country`);
    } else {
      for (const c of s.complete_countries.slice(0, 6)) assert.ok(countries.includes(await countryName(lang, c)), `${lang}: ${s.source}: ${c} by name in: ${countries}`);
    }
    if (s.complete_until) assert.ok(row.cells[2].includes(s.complete_until.slice(0, 4)), `${lang}: ${s.source}: complete until ${s.complete_until}: ${row.cells[2]}`);
    assert.ok(new RegExp(`\\b${s.freshness.months_behind}\\b`).test(norm(row.cells[4])), `${lang}: ${s.source}: months behind: ${row.cells[4]}`);
    assert.equal(row.cells[4].includes(DICT[lang]['freshness.staleMark']), s.freshness.stale, `${lang}: ${s.source}: stale mark`);
  }
  const records = await page.$$eval('#coverage-records tbody tr', (trs) => trs.map((tr) => `${tr.dataset.id} ${tr.dataset.complete}`));
  assert.deepEqual(records.sort(), cov.items.map((c) => `${c.id} ${c.complete}`).sort(), `${lang}: the imports are the API's`);
  // Why each is complete or partial: Vigie's own words in the reader's language.
  const bases = await page.$$eval('#coverage-records tbody tr', (trs) => trs.map((tr) => [tr.dataset.id, tr.querySelector('[data-key]')?.textContent ?? null]));
  for (const c of cov.items.filter((x) => x.basis_key)) {
    const shown = bases.find(([id]) => id === c.id)[1];
    assert.equal(shown, DICT[lang][c.basis_key].replace('{source}', c.source), `${lang}: the basis of ${c.file}, translated`);
  }
  assert.ok(cov.items.some((x) => x.basis_key), 'the demo\'s imports have bases Vigie wrote');
  await dataEndIs('#coverage-data-end', cov.freshness, lang, `${lang}: coverage`);
  await shot(`19b-coverage-${lang}`);
  await checkLabels(`coverage (${lang})`);
  return cov;
}

/** The map and a region profile say where the data end; the region's forecast its cut-off. */
async function mapAndRegion(lang, f) {
  run.step = `coverage: map and region (${lang})`;
  await page.goto(`${base}/map`);
  await ready('#map-status');
  await dataEndIs('#map-data-end', f, lang, `${lang}: map`);
  const fit = await page.evaluate(() => ({ page: document.documentElement.scrollHeight, window: innerHeight }));
  assert.ok(fit.page <= fit.window + 1, `${lang}: the map screen still fits the window: ${JSON.stringify(fit)}`);
  await shot(`19c-map-data-end-${lang}`);
  await page.goto(`${base}/region/MLI/Mopti%20region`);
  await ready('#region-status');
  await dataEndIs('#region-data-end', f, lang, `${lang}: region`);
  const fc = await api('/forecasts?level=a1m&unit=MLI%2FMopti');
  if (fc.run) {
    await page.waitForSelector('#rf-age');
    assert.equal(await page.getAttribute('#rf-age', 'data-until'), fc.run.data_until, `${lang}: the region's forecast shows its run's data cut-off`);
  }
  await shot(`19d-region-data-end-${lang}`);
}

export async function coverage() {
  run.step = 'coverage: sign in';
  await login(U);
  for (const lang of ['en', 'fr']) {
    await page.goto(`${base}/map`);
    await ready('#map-status');
    await page.selectOption('#lang', lang);
    await page.waitForFunction((l) => document.documentElement.lang === l, lang);
    await ready('#map-status');
    await alertsPage(lang);
    const cov = await coverageScreen(lang);
    await mapAndRegion(lang, cov.freshness);
  }
  // A phone: the alerts page and the coverage screen fit 390 px.
  run.step = 'coverage: phone';
  await page.setViewportSize({ width: 390, height: 844 });
  for (const [href, status, name] of [['/alerts', '#alerts-status', 'alerts'], ['/coverage', '#coverage-status', 'coverage']]) {
    await page.goto(`${base}${href}`);
    await ready(status);
    if (name === 'alerts') await page.click('#unassessed summary').catch(() => {});
    const w = await width();
    assert.ok(w <= 390, `${name} on a phone is ${w}px wide`);
    await shot(`19e-phone-${name}-fr`);
    await checkLabels(`${name} on a phone (fr)`);
  }
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.selectOption('#lang', 'en');
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  await logout();
}
