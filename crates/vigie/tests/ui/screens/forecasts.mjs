import assert from 'node:assert/strict';
import {
  A, base, page, shot, ready, api, login, logout, checkLabels, run,
} from '../browser.mjs';

// Issue 18: the forecasts screen (a choropleth of a run's months, the table that follows the
// same selection, a unit's fan chart with its observed past), the run's cut-off and age in
// sight with a stale flag, flat forecasts explained, and the charts (uPlot, lazy-loaded) with
// axes and values on hover — on the region profile too. Signed in as the Mali agency.

/** The chart library's files the page has fetched since it was loaded. */
const chartFiles = () => page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name).filter((n) => /uplot/i.test(n)));

/** Months from `until` (YYYY-MM) to the browser's current month. */
const age = (until) => page.evaluate((u) => {
  const d = new Date();
  return d.getUTCFullYear() * 12 + d.getUTCMonth() - (Number(u.slice(0, 4)) * 12 + Number(u.slice(5, 7)) - 1);
}, until);

/** A number as the page shows it (at most `digits` decimals, the page's language). */
const dec = (n, digits = 1) => page.evaluate(([v, d]) => new Intl.NumberFormat(document.documentElement.lang, { maximumFractionDigits: d }).format(v), [n, digits]);

/** The screen's map and table hold exactly the API's units and values for the month shown. */
async function shownIsApis(where) {
  const st = await ready('#fc-status');
  const data = await api(`/forecasts?run=${st.run}`);
  assert.equal(data.run.id, st.run, `${where}: the run`);
  const rows = data.items.filter((r) => r.month === st.month);
  assert.ok(rows.length > 0, `${where}: the API has forecasts for ${st.month}`);
  const expected = Object.fromEntries(rows.map((r) => [r.unit, r[st.quantity]]));
  const table = await page.$$eval('#fc-units tbody tr', (trs) => trs.map((tr) => [tr.dataset.unit, Number(tr.dataset.value)]));
  assert.deepEqual(Object.fromEntries(table), expected, `${where}: the table's units and values are the API's`);
  const values = table.map(([, v]) => v);
  assert.deepEqual(values, [...values].sort((a, b) => b - a), `${where}: the table is highest first`);
  const onMap = await page.$$eval('#fc-map path[data-unit]', (ps) => ps.map((p) => [p.dataset.unit, Number(p.dataset.value)]));
  assert.ok(onMap.length > 0, `${where}: units on the map`);
  for (const [unit, value] of onMap) assert.equal(value, expected[unit], `${where}: ${unit} on the map`);
  assert.equal(new Set(onMap.map(([u]) => u)).size, Number(st.shaded), `${where}: the units shaded`);
  assert.equal(Number(st.units), rows.length, `${where}: the units counted`);
  return { st, data, rows };
}

/** The run's cut-off and age shown are the run's; the stale flag shows when it is old. */
async function ageIsRuns(run, prefix, where) {
  const shown = await page.$eval(`#${prefix}-age`, (el) => ({ ...el.dataset, text: el.textContent }));
  assert.equal(shown.until, run.data_until, `${where}: the cut-off`);
  const months = await age(run.data_until);
  assert.equal(Number(shown.months), months, `${where}: the age in months`);
  assert.ok(shown.text.includes(run.data_until.slice(0, 4)), `${where}: the cut-off's year is shown: ${shown.text}`);
  assert.ok(new RegExp(`\\b${months}\\b`).test(shown.text.replace(/\s/g, ' ')), `${where}: the age is shown: ${shown.text}`);
  const stale = await page.$(`#${prefix}-stale`);
  assert.equal(Boolean(stale), months > 3, `${where}: the stale flag (data ${months} months old)`);
  return months;
}

/** A chart drawn by uPlot, with both axes labelled. */
async function chartHasAxes(sel, where) {
  await page.waitForSelector(`${sel}[data-chart="ready"]`, { timeout: 20000 });
  await page.waitForFunction((s) => document.querySelector(s).dataset.xLabels && document.querySelector(s).dataset.yLabels, sel);
  const c = await page.$eval(sel, (el) => ({
    axes: el.querySelectorAll('.u-axis').length, canvas: Boolean(el.querySelector('canvas')),
    x: el.dataset.xLabels.split('|'), y: el.dataset.yLabels.split('|'), ...el.dataset,
  }));
  assert.equal(c.axes, 2, `${where}: two axes`);
  assert.ok(c.canvas, `${where}: drawn`);
  assert.ok(c.x.length >= 2 && c.x.every((l) => /\d{4}/.test(l)), `${where}: months on the x axis: ${c.x}`);
  assert.ok(c.y.length >= 2 && c.y.every((l) => /^[\d\s,. ]+$/.test(l)), `${where}: numbers on the y axis: ${c.y}`);
  return c;
}

/** Points at the chart `frac` of the way across; the legend's values then. */
async function hover(sel, frac) {
  const box = await page.$eval(`${sel} .u-over`, (el) => { const r = el.getBoundingClientRect(); return { x: r.left, y: r.top, w: r.width, h: r.height }; });
  await page.mouse.move(box.x + Math.max(1, Math.min(box.w - 1, box.w * frac)), box.y + box.h / 2);
  await page.waitForTimeout(100);
  return page.$$eval(`${sel} .u-legend .u-series`, (trs) => trs.map((tr) => ({
    label: tr.querySelector('.u-label')?.textContent, value: tr.querySelector('.u-value')?.textContent,
  })));
}

export async function forecasts() {
  // The chart library is lazy: neither the sign-in page nor the map fetches it.
  run.step = 'forecasts: the chart library is lazy';
  await page.goto(`${base}/login`);
  await page.waitForSelector('#login');
  assert.deepEqual(await chartFiles(), [], 'the sign-in page loads no chart library');
  await login(A);
  assert.deepEqual(await chartFiles(), [], 'the map loads no chart library');
  // A chose French earlier in the run: English first.
  if ((await page.inputValue('#lang')) !== 'en') {
    await page.selectOption('#lang', 'en');
    await page.waitForFunction(() => document.querySelector('#nav a[href="/map"]').textContent === 'Map');
    await ready('#map-status');
  }

  run.step = 'forecasts: the screen';
  await page.click('#nav a[href="/forecasts"]');
  let { st, data } = await shownIsApis('a1m, first month');
  assert.equal(st.level, 'a1m', 'admin-1 regions first');
  const runs = (await api('/forecasts/runs?level=a1m')).items;
  assert.equal(st.run, runs[0].id, 'the latest run of the level first');
  const monthOptions = await page.$$eval('#fc-month option', (os) => os.map((o) => o.value));
  assert.deepEqual(monthOptions, [...new Set(data.items.map((r) => r.month))].sort(), "the month picker holds the run's months");
  assert.equal(st.month, monthOptions[0], 'the first forecast month first');
  assert.equal(Number(st.units), 244, 'every West African region');
  assert.equal(Number(st.shaded), 244, 'every region on the map');
  const months = await ageIsRuns(data.run, 'fc-run', 'the screen');
  assert.ok(months > 3, `the demo's runs are old (data until ${data.run.data_until})`);
  assert.match(await page.textContent('#fc-run-stale'), /Stale/);
  assert.equal(await page.textContent('#fc-run-box .banner'), data.run.audience.marking, "the run's marking");
  assert.ok((await page.$$('#fc-legend .scale li')).length === 6, 'a probability legend of six classes');
  await shot('40-forecasts-en');
  await checkLabels('forecasts');

  // Another month and quantity, the older run, then countries.
  await page.selectOption('#fc-month', monthOptions[5]);
  await shownIsApis('a1m, month 6');
  await page.selectOption('#fc-quantity', 'p_25');
  ({ st } = await shownIsApis('a1m, P(≥ 25)'));
  assert.equal(st.quantity, 'p_25');
  await page.selectOption('#fc-quantity', 'p_any');
  if (runs.length > 1) {
    await page.selectOption('#fc-run', runs[1].id);
    ({ st, data } = await shownIsApis('a1m, the earlier run'));
    assert.equal(st.run, runs[1].id);
    await ageIsRuns(data.run, 'fc-run', 'the earlier run');
    await page.selectOption('#fc-run', runs[0].id);
    await shownIsApis('a1m, the latest run again');
  }
  await page.selectOption('#fc-level', 'cm');
  ({ st } = await shownIsApis('countries'));
  assert.equal(st.level, 'cm');
  assert.ok(Number(st.shaded) > 100 && Number(st.shaded) <= Number(st.units), `countries on the map: ${st.shaded} of ${st.units}`);
  const pgm = (await api('/forecasts/runs?level=pgm')).items;
  await page.selectOption('#fc-level', 'pgm');
  // The demo stores a PRIO-GRID run (last-historical-Poisson): its cells are on the map.
  assert.ok(pgm.length > 0, 'the demo has a PRIO-GRID run');
  ({ st } = await shownIsApis('PRIO-GRID cells'));
  assert.equal(st.level, 'pgm');
  assert.ok(Number(st.units) > 100, `PRIO-GRID cells forecast: ${st.units}`);
  await shot('45b-forecasts-prio-grid');
  await page.selectOption('#fc-level', 'a1m');
  ({ st, data } = await shownIsApis('a1m again'));

  // A unit from the table, by keyboard: its fan chart, with axes, the observed past and
  // values on hover that are the API's.
  run.step = 'forecasts: a unit by keyboard';
  const rowsOf = (unit) => data.items.filter((r) => r.unit === unit).sort((a, b) => (a.month < b.month ? -1 : 1));
  const top = await page.$eval('#fc-units tbody tr', (tr) => tr.dataset.unit);
  await page.focus(`#fc-units button[data-unit="${top}"]`);
  await page.keyboard.press('Enter');
  await page.waitForSelector(`#fc-unit[data-unit="${top}"]`);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'fc-unit-h', 'the focus moves to the chosen unit');
  assert.equal(await page.getAttribute(`#fc-units button[data-unit="${top}"]`, 'aria-current'), 'true', 'the table marks the unit chosen');
  const fan = await chartHasAxes('#fc-unit-chart', 'the fan chart');
  const topRows = rowsOf(top);
  assert.equal(Number(fan.forecastMonths), topRows.length, "the fan chart has the run's months");
  assert.equal(Number(fan.observedMonths), 24, 'and the 24 observed months before');
  assert.deepEqual(await page.$$eval('#fc-unit-table tbody tr', (trs) => trs.map((tr) => tr.dataset.month)), topRows.map((r) => r.month), "the unit's table");
  const legend = await hover('#fc-unit-chart', 1);
  const last = topRows[topRows.length - 1];
  const lastLabel = await page.evaluate((m) => new Intl.DateTimeFormat(document.documentElement.lang, { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${m}-01T00:00:00Z`)), last.month);
  assert.equal(legend[0].value, lastLabel, `hovering the chart's right edge shows its last month: ${JSON.stringify(legend)}`);
  const median = legend.find((s) => s.label === 'Median');
  assert.equal(median.value, await dec(last.q50), `the median on hover is the API's: ${JSON.stringify(legend)}`);
  const early = await hover('#fc-unit-chart', 0.3);
  assert.match(early.find((s) => s.label === 'Observed').value, /^\d[\d,]*$/, `an observed month on hover: ${JSON.stringify(early)}`);
  await ageIsRuns(data.run, 'fc-unit', "the unit's forecast");
  await page.mouse.move(0, 0);
  await shot('41-forecasts-unit-en');
  await checkLabels('forecasts, a unit');

  // A unit forecast at 0 every month: the page says why. The demo's PRIO-GRID run
  // (last-historical-Poisson on the one completely covered month) is flat at 0 in every
  // cell without deaths that month; its regions' and countries' runs have none at 0.
  run.step = 'forecasts: flat forecasts explained';
  assert.equal(await page.isVisible('#fc-unit-flat'), rowsOf(top).every((r) => r.p_any === 0 && r.q95 === 0), 'no flat note on a forecast that is not flat');
  await page.selectOption('#fc-level', 'pgm');
  const { data: cells } = await shownIsApis('PRIO-GRID cells, for a flat forecast');
  const cellRows = (u) => cells.items.filter((r) => r.unit === u);
  const flat = [...new Set(cells.items.map((r) => r.unit))].find((u) => cellRows(u).every((r) => r.p_any === 0 && r.q95 === 0));
  assert.ok(flat, 'the demo has a PRIO-GRID cell forecast at 0');
  // From the map this time.
  await page.$eval(`#fc-map path[data-unit="${flat}"]`, (p) => p.dispatchEvent(new MouseEvent('click', { bubbles: true, view: window })));
  await page.waitForSelector(`#fc-unit[data-unit="${flat}"]`);
  await page.waitForSelector('#fc-unit-chart[data-chart="ready"]');
  await page.waitForSelector('#fc-unit-flat:not([hidden])');
  const why = await page.textContent('#fc-unit-flat');
  assert.match(why, /Flat at 0: none of the 1,000 simulated outcomes/, why);
  assert.ok(why.includes(cells.run.model), `the flat note names the model: ${why}`);
  assert.equal(await page.getAttribute(`#fc-units button[data-unit="${flat}"]`, 'aria-current'), 'true', 'the table follows a choice on the map');
  assert.ok(page.url().includes(`unit=${encodeURIComponent(flat)}`) || page.url().includes(`unit=${flat.replace('/', '%2F')}`), page.url());

  // French: the same screen, the stale flag and the chart's legend in French.
  run.step = 'forecasts: French';
  await page.selectOption('#lang', 'fr');
  await page.waitForFunction(() => document.querySelector('#nav a[href="/forecasts"]').textContent === 'Prévisions');
  await shownIsApis('in French');
  assert.match(await page.textContent('#fc-run-stale'), /Périmée/);
  assert.match(await page.textContent('label[for="fc-month"]'), /Mois prévu/);
  await chartHasAxes('#fc-unit-chart', 'the fan chart in French');
  assert.match(await page.textContent('#fc-unit-flat'), /Plate à 0/);
  await page.selectOption('#fc-level', 'a1m');
  await shownIsApis('a1m, in French');
  await page.click(`#fc-units button[data-unit="${top}"]`);
  await page.waitForSelector(`#fc-unit[data-unit="${top}"] #fc-unit-chart[data-chart="ready"]`);
  const fr = await hover('#fc-unit-chart', 1);
  assert.ok(fr.some((s) => s.label === 'Médiane'), `the legend in French: ${JSON.stringify(fr)}`);
  await page.mouse.move(0, 0);
  await shot('42-forecasts-fr');
  await checkLabels('forecasts (French)');

  // A phone: nothing cut off, no sideways scrolling; the chart fits.
  run.step = 'forecasts: phone';
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await ready('#fc-status');
  await page.waitForSelector('#fc-unit-chart[data-chart="ready"]');
  const wide = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, chart: document.querySelector('#fc-unit-chart canvas').getBoundingClientRect().right }));
  assert.ok(wide.page <= 390 && wide.chart <= 390, `the forecasts screen on a phone: ${JSON.stringify(wide)}`);
  await shot('43-phone-forecasts');
  await page.$eval('#fc-unit', (el) => el.scrollIntoView());
  await shot('44-phone-forecasts-unit');
  await checkLabels('forecasts (phone)');
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.selectOption('#lang', 'en');
  await page.waitForFunction(() => document.querySelector('#nav a[href="/forecasts"]').textContent === 'Forecasts');

  // The region profile: its charts have axes and values on hover, its forecast its age.
  run.step = 'forecasts: region profile charts';
  await page.goto(`${base}/region/MLI/Mopti%20region`);
  await ready('#region-status');
  const bars = await chartHasAxes('#region-chart', "the region's monthly chart");
  const byMonth = (await api('/stats?by=category-month&country=MLI&admin1=Mopti%20region')).rows;
  const lastMonth = byMonth.map((r) => r.month).sort().pop();
  const barLegend = await hover('#region-chart', 1);
  const lastShown = await page.evaluate((m) => new Intl.DateTimeFormat('en', { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${m}-01T00:00:00Z`)), lastMonth);
  assert.equal(barLegend[0].value, lastShown, `the last month on hover: ${JSON.stringify(barLegend)}`);
  const stateBased = byMonth.filter((r) => r.month === lastMonth && r.category === 'state-based').reduce((a, r) => a + r.fatalities, 0);
  assert.equal(barLegend.find((s) => s.label === 'State-based').value, await dec(stateBased, 0), `state-based deaths in ${lastMonth} on hover`);
  assert.ok(bars.x.length >= 2);
  const rf = await chartHasAxes('#rf-chart', "the region's fan chart");
  const apiA1m = await api('/forecasts?level=a1m&unit=MLI%2FMopti');
  assert.equal(Number(rf.forecastMonths), apiA1m.items.length, "the region's forecast months");
  await ageIsRuns(apiA1m.run, 'rf', "the region's forecast");
  await page.mouse.move(0, 0);
  await shot('45-region-charts-en');
  await checkLabels('region profile charts');
  await logout();
}
