// Issue 18: a keyboard-only path through the situation room: sign in, filter, open an event
// and close it. Only keys are pressed; each step checks where the focus is and that the page
// shows what the API answers.
import assert from 'node:assert/strict';
import {
  A, PASSWORD, base, page, ready, apiTotal, logout, run,
} from '../browser.mjs';

/** Presses Tab (or Shift+Tab) until the focused element matches `selector`. */
async function tabTo(selector, { back = false, max = 80 } = {}) {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate((s) => document.activeElement && document.activeElement.matches(s), selector)) return i;
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
  }
  const at = await page.evaluate(() => document.activeElement && document.activeElement.outerHTML.slice(0, 120));
  throw new Error(`${selector} not reached with the keyboard (focus on ${at})`);
}

const focused = () => page.evaluate(() => {
  const a = document.activeElement;
  return a ? { tag: a.tagName, id: a.id, text: (a.textContent || '').trim().slice(0, 60) } : null;
});

export async function keyboardPath() {
  run.step = 'keyboard: sign in';
  await page.goto(`${base}/map`);
  await page.waitForSelector('#login');
  // The sign-in form takes the focus: type, Tab, type, Enter.
  assert.equal((await focused()).id, 'username', 'the sign-in form has the focus');
  await page.keyboard.type(A);
  await page.keyboard.press('Tab');
  assert.equal((await focused()).id, 'password');
  await page.keyboard.type(PASSWORD);
  await page.keyboard.press('Enter');
  await ready('#map-status');
  await page.waitForFunction(() => document.activeElement && document.activeElement.tagName === 'H1');

  run.step = 'keyboard: filter';
  // From the heading, Tab reaches the country filter; typing picks Mali; the map follows.
  await tabTo('#f-country');
  await page.keyboard.type('Mali');
  // A select applies on change; the browser fires it as the keyboard picks a value.
  await page.waitForFunction(() => new URLSearchParams(location.search).get('country') === 'MLI', null, { timeout: 10000 });
  const m = await ready('#map-status');
  assert.equal(Number(m.total), await apiTotal(`country=MLI&from=${m.from}&to=${m.to}`), 'the map filtered by keyboard');
  // All time, from the timeline's presets, by keyboard.
  await tabTo('#tl-all');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('#map-status').dataset.state === 'ready'
    && document.querySelector('#map-status').dataset.from < '2000', null, { timeout: 15000 });
  const all = await ready('#map-status');
  assert.equal(Number(all.total), await apiTotal('country=MLI'), 'all time in Mali');

  run.step = 'keyboard: open an event';
  // The events table, through the navigation, keeps the filters.
  await tabTo('#nav a[href="/events"]', { back: true, max: 600 });
  await page.keyboard.press('Enter');
  const tv = await ready('#table-status');
  assert.equal(Number(tv.total), Number(all.total), 'the table has the map\'s filters');
  await page.waitForFunction(() => document.activeElement && document.activeElement.tagName === 'H1', null, { timeout: 5000 }).catch(() => {});
  await tabTo('table.events tbody tr:first-child button.link');
  const id = await page.evaluate(() => document.activeElement.closest('tr').dataset.id);
  await page.keyboard.press('Enter');
  await page.waitForSelector(`#detail[open][data-event="${id}"] .banner`);
  // The dialog holds the focus (its close button), Escape closes it, the focus comes back.
  assert.equal(await page.evaluate(() => document.querySelector('#detail').contains(document.activeElement)), true, 'the focus is in the dialog');
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => !document.querySelector('#detail').open);
  const back = await page.evaluate(() => document.activeElement.closest('tr') && document.activeElement.closest('tr').dataset.id);
  assert.equal(back, id, 'the focus returns to the event\'s row');
  await logout();
}
