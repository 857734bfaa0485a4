import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  A, page, shot, ready, api, apiPost, login, logout, checkLabels, problems, run,
} from '../browser.mjs';
import { S } from './coordination.mjs';

// Alerts triage (issue 18): acknowledge and assign, with the keyboard alone; what the page
// shows of an acknowledgement is the API's; and server-generated text in French is worded
// from codes (allocation reasons, the demo's rule names, region names), never English prose.

const assets = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../../../vigie-server/assets/i18n');
const dict = (lang) => JSON.parse(fs.readFileSync(path.join(assets, `${lang}.json`), 'utf8'));
const EN = dict('en');
const FR = dict('fr');
const fill = (template, args) => template.replace(/\{(\w+)\}/g, (_, n) => args[n]);

/** Presses Tab until `sel` has the focus (at most `max` times); fails if it never does. */
async function tabTo(sel, what, max = 120) {
  for (let i = 0; i < max; i += 1) {
    if (await page.evaluate((s) => document.activeElement && document.activeElement.matches(s), sel)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`the keyboard never reaches ${what} (${sel})`);
}

const focused = (sel) => page.evaluate((s) => Boolean(document.activeElement && document.activeElement.matches(s)), sel);

/** The words of an acknowledgement, as the dictionary `d` has them, with a day in `lang`. */
async function ackWords(d, lang, ack) {
  const when = await page.evaluate(([l, at]) => new Intl.DateTimeFormat(l, { dateStyle: 'medium' }).format(new Date(at)), [lang, ack.at]);
  return fill(d[ack.user ? 'alerts.ack.byUser' : 'alerts.ack.by'], { org: ack.org, user: ack.user, when });
}

/** The fixed words of a dictionary's text (what is not a placeholder). */
const fixedWords = (template) => template.split(/\{\w+\}/).map((x) => x.trim()).filter((x) => x.length > 2);

export async function alerts() {
  run.step = 'alerts: triage with the keyboard';
  await login(A);
  // Mali's agency chose French earlier in the run: English first (switched away from the
  // map, whose redrawing a switch would interrupt).
  await page.click('#nav a[href="/alerts"]');
  await ready('#alerts-status');
  await page.selectOption('#lang', 'en');
  await page.waitForFunction(() => document.querySelector('#nav a[href="/alerts"]').textContent === 'Alerts');
  await ready('#alerts-status');
  const all = (await api('/alerts')).items;
  assert.ok(all.length > 1, 'the demo raises alerts for Mali\'s agency');
  const me = (await api('/me')).user;
  const mine = (a) => (a.acks || []).some((k) => k.org === me.org);
  // By default the list is the organisation's queue: what it has not acknowledged yet.
  assert.equal(await page.isChecked('#alerts-unacked'), true, 'unacknowledged only, by default');
  const listed = () => page.$$eval('#alerts-list > li', (lis) => lis.map((li) => li.dataset.id));
  assert.deepEqual((await listed()).sort(), all.filter((a) => !mine(a)).map((a) => a.id).sort(), 'the queue is the API\'s unacknowledged alerts');

  // Filter: the kind, with the arrow keys on the focused control.
  await page.focus('h1');
  await tabTo('#alerts-kind', 'the kind filter');
  await page.keyboard.press('ArrowDown');
  const kind = await page.inputValue('#alerts-kind');
  assert.ok(kind, 'a kind chosen with the keyboard');
  const ofKind = all.filter((a) => a.kind === kind && !mine(a));
  await page.waitForFunction((n) => document.querySelectorAll('#alerts-list > li').length === n, ofKind.length);
  const target = (await listed())[0];
  const item = `#alerts-list > li[data-id="${target}"]`;
  // Open: the rule and the evidence.
  await tabTo(`${item} details.alert-more > summary`, 'the first alert\'s rule and evidence');
  await page.keyboard.press('Enter');
  assert.ok(await page.$eval(`${item} details.alert-more`, (d) => d.open), 'the evidence opens with Enter');
  // Acknowledge: the button opens a form whose note field has the focus.
  await tabTo(`${item} button.ack-open`, 'the Acknowledge button');
  assert.equal(await page.getAttribute(`${item} button.ack-open`, 'aria-expanded'), 'false');
  await page.keyboard.press('Enter');
  assert.ok(await focused(`${item} textarea[name=note]`), 'the note has the focus');
  assert.equal(await page.getAttribute(`${item} button.ack-open`, 'aria-expanded'), 'true');
  await checkLabels('alerts, acknowledging');
  // Escape closes the form and gives the focus back; Enter opens it again.
  await page.keyboard.press('Escape');
  assert.ok(await focused(`${item} button.ack-open`), 'Escape returns to the button');
  assert.ok(!(await page.isVisible(`${item} form.ack-form`)), 'Escape closes the form');
  await page.keyboard.press('Enter');
  const note = 'UI test: seen, the desk follows it';
  await page.keyboard.type(note);
  await tabTo(`${item} form.ack-form button[type=submit]`, 'the form\'s Acknowledge button', 5);
  await page.keyboard.press('Enter');
  // Acknowledged: the alert stays, shows who acknowledged it, and the focus is on Assign.
  await page.waitForFunction((sel) => document.activeElement && document.activeElement.matches(sel), `${item} a.create-task`, { timeout: 15000 });
  const after = (await api('/alerts')).items.find((a) => a.id === target);
  const ack = after.acks.find((k) => k.org === me.org);
  assert.deepEqual([ack.user, ack.note], [me.id, note], 'the API has the acknowledgement');
  const shown = await page.$eval(`${item} li.ack[data-org="${me.org}"]`, (li) => ({
    by: li.querySelector('.ack-by').textContent, note: (li.querySelector('.ack-note') || {}).textContent,
  }));
  assert.deepEqual(shown, { by: await ackWords(EN, 'en', ack), note }, 'the acknowledgement shown is the API\'s');
  assert.match(await page.textContent('#rules-announce'), /Acknowledged/);
  await shot('23-alerts-acknowledged');
  await checkLabels('alerts, acknowledged');
  // Assign: Enter on the focused link opens the board's new task form, prefilled.
  await page.keyboard.press('Enter');
  await ready('#board-status');
  await page.waitForSelector('#task-form');
  assert.equal(await page.inputValue('#task-alert'), target, 'the task form is for the alert');
  // Back on the alerts: the acknowledged alert has left the queue; unticking shows it.
  await page.click('#nav a[href="/alerts"]');
  await ready('#alerts-status');
  assert.ok(!(await listed()).includes(target), 'an acknowledged alert leaves the queue');
  await page.focus('#alerts-unacked');
  await page.keyboard.press('Space');
  await page.waitForSelector(item);
  assert.deepEqual((await listed()).sort(), all.map((a) => a.id).sort(), 'every alert, unticked');
  assert.equal(await page.textContent(`${item} button.ack-open`), EN['alerts.ack.again']);
  await shot('24-alerts-all');

  // A phone: the triage controls and an acknowledged alert fit.
  run.step = 'alerts: phone';
  await page.setViewportSize({ width: 390, height: 844 });
  await page.$eval(item, (li) => li.scrollIntoView());
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `the alerts page is ${width}px wide`);
  await shot('25-phone-alerts');
  await page.setViewportSize({ width: 1366, height: 768 });

  // French: the acknowledgement, the demo's rule names and the region names in French.
  run.step = 'alerts: French';
  await page.selectOption('#lang', 'fr');
  await page.waitForFunction(() => document.querySelector('#nav a[href="/alerts"]').textContent === 'Alertes');
  await page.click('#nav a[href="/alerts"]');
  await ready('#alerts-status');
  await page.click('#alerts-unacked');
  await page.waitForSelector(item);
  const frBy = await page.textContent(`${item} li.ack[data-org="${me.org}"] .ack-by`);
  assert.equal(frBy, await ackWords(FR, 'fr', ack), 'the acknowledgement in French');
  const rules = (await api('/alert-rules')).items;
  const seeded = rules.filter((r) => r.name_key);
  assert.ok(seeded.length > 0, 'the demo\'s rules have a name key');
  for (const r of rules) {
    const h3 = await page.textContent(`#rules-list > li[data-id="${r.id}"] h3`);
    assert.equal(h3, r.name_key ? FR[r.name_key] : r.name, `the rule ${r.name} in French`);
  }
  const ruleOptions = await page.$$eval('#alerts-rule option', (os) => os.map((o) => o.textContent));
  for (const r of seeded) assert.ok(!ruleOptions.includes(r.name), `the rule filter names ${r.name} in French`);
  await shot('26-alerts-fr');
  await checkLabels('alerts (French), acknowledged');
  // Region names: the events table and an event's detail say "région de …", never
  // GED's English "… region".
  await page.click('#nav a[href="/events"]');
  await ready('#table-status');
  const regions = await page.$$eval('table.events tbody tr td:nth-child(3)', (tds) => tds.map((td) => td.textContent));
  const apiRegions = (await api('/events?limit=50')).items.map((e) => e.place.admin1).filter(Boolean);
  assert.ok(apiRegions.some((r) => / region$/i.test(r)), 'the demo has GED regions named "… region"');
  assert.deepEqual(regions.filter((r) => /\bregion\b/i.test(r)), [], 'no English "region" in the French table');
  assert.ok(regions.some((r) => /^région d/.test(r)), `French region names: ${regions.slice(0, 5)}`);
  await page.click('table.events tbody tr button');
  await page.waitForSelector('#detail-title');
  assert.ok(!/\bregion\b/i.test(await page.textContent('#detail')), 'no English "region" in the French detail');
  await page.keyboard.press('Escape');
  await page.selectOption('#lang', 'en');
  await page.waitForFunction(() => document.querySelector('#nav a[href="/alerts"]').textContent === 'Alerts');
  await logout();

  // Allocation in French: reasons, why-nots and explanations worded from the API's codes by
  // the French dictionary, with none of the API's English prose.
  run.step = 'alerts: allocation reasons in French';
  await login(S);
  await page.click('#nav a[href="/allocation"]');
  await page.waitForSelector('#allocation #alloc-compute');
  await page.selectOption('#lang', 'fr');
  await page.waitForFunction(() => document.querySelector('#nav a[href="/alerts"]').textContent === 'Alertes');
  await page.waitForSelector('#allocation #alloc-compute');
  await page.click('#alloc-compute');
  await ready('#allocation-status');
  const answer = await apiPost('/coord/allocate', {});
  await page.$$eval('details.why-not', (ds) => ds.forEach((d) => { d.open = true; }));
  const texts = await page.$$eval('#assignments tbody tr, #unassigned tbody tr', (trs) => trs.map((tr) => ({
    task: tr.dataset.task,
    org: tr.dataset.org,
    parts: [...tr.querySelectorAll('[data-codes]')].map((el) => ({ codes: el.dataset.codes, text: el.textContent, lang: el.getAttribute('lang') })),
  })));
  assert.ok(texts.length > 0, 'the allocation has rows');
  const english = [];
  for (const a of answer.assignments) {
    english.push(a.reason, ...a.alternatives.map((x) => x.why_not));
    const row = texts.find((r) => r.task === a.task && r.org === a.org);
    assert.equal(row.parts.length, 1 + a.alternatives.length, `every text of ${a.task} from codes`);
    assert.equal(row.parts[0].codes, a.reason_phrases.map((p) => p.code).join(' '));
  }
  for (const u of answer.unassigned) {
    english.push(u.explanation);
    const row = texts.find((r) => r.task === u.task && !r.org);
    assert.equal(row.parts[0].codes, u.explanation_phrase.code, `the explanation of ${u.task} from its code`);
  }
  for (const row of texts) {
    for (const p of row.parts) {
      assert.notEqual(p.lang, 'en', 'not marked English');
      assert.ok(!english.includes(p.text), `English prose in French: ${p.text}`);
      for (const code of p.codes.split(' ')) {
        for (const w of fixedWords(FR[code])) assert.ok(p.text.includes(w), `"${w}" of ${code} in: ${p.text}`);
      }
      for (const w of ['mandate', 'person-days', 'subsidiarity prefers', 'is excluded', 'Comparative advantage', 'cannot read this task']) {
        assert.ok(!p.text.includes(w), `English "${w}" in French: ${p.text}`);
      }
    }
  }
  await page.$eval('#assignments', (el) => el.scrollIntoView());
  await shot('27-allocation-reasons-fr');
  await checkLabels('allocation reasons (French)');
  await page.selectOption('#lang', 'en');
  await page.waitForFunction(() => document.querySelector('#nav a[href="/alerts"]').textContent === 'Alerts');
  await logout();
  assert.ok(Array.isArray(problems));
}
