// Issue 18: every screen in Chromium, in English and French, on a desktop (1366×768) and a
// phone (390×844): it loads, nothing sticks out sideways, every control is labelled and
// axe-core finds no WCAG A/AA violation; a screenshot of each goes to the shots directory.
// New screens join SCREENS.
import assert from 'node:assert/strict';
import { base, page, login, logout, checkLabels, shot, run } from '../browser.mjs';

/** [name, address, the element whose data-state says the screen is drawn] */
export const SCREENS = [
  ['map', '/map', '#map-status'],
  ['events', '/events', '#table-status'],
  ['reports', '/reports', '#reports-count'],
  ['report an incident', '/report-event', '#fieldreport'],
  ['alerts', '/alerts', '#alerts-status'],
  ['coverage', '/coverage', '#coverage-status'],
  ['forecasts', '/forecasts', '#fc-status'],
  ['tasks', '/board', '#board-status'],
  ['allocation', '/allocation', '#allocation-status'],
  ['3w', '/3w', '#threew-status'],
  ['region', '/region/MLI/Mopti', '#region-status'],
];

const SIZES = [['desktop', 1366, 768], ['phone', 390, 844]];

export async function sweep(user) {
  await login(user);
  for (const lang of ['en', 'fr']) {
    run.step = `sweep: language ${lang}`;
    await page.selectOption('#lang', lang);
    await page.waitForFunction((l) => document.documentElement.lang === l, lang);
    for (const [w, width, height] of SIZES) {
      await page.setViewportSize({ width, height });
      for (const [name, href, status] of SCREENS) {
        run.step = `sweep: ${name}, ${lang}, ${w}`;
        await page.goto(`${base}${href}`);
        // Drawn: ready, or idle where the screen waits for the user (allocation's "compute").
        const st = await page.waitForSelector(['ready', 'idle', 'error'].map((x) => `${status}[data-state="${x}"]`).join(', '), { timeout: 60000 });
        assert.notEqual(await st.getAttribute('data-state'), 'error', `${name} (${lang}, ${w}): ${await st.textContent()}`);
        assert.equal(await page.getAttribute('html', 'lang'), lang);
        const wide = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(wide <= width, `${name} (${lang}, ${w}) is ${wide}px wide in a ${width}px window`);
        await shot(`sweep-${name}-${lang}-${w}`);
        await checkLabels(`${name} (${lang}, ${w})`);
      }
    }
  }
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.selectOption('#lang', 'en');
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  await logout();
}
