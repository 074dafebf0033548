// privacy_shots.mjs: screenshots of the personal-data pages (register of processing
// activities, a person's consent section, the printable access page) in Arabic and French, on
// a 360 px phone and a desktop, into tests/output/screenshots/ (privacy-*.png).
// MURAFIQ_BIN=build/x/murafiq node tests/browser/privacy_shots.mjs
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { cleanupDirs, loggedIn, setupServer } from '../http/lib.mjs';

const OUT = 'tests/output/screenshots';
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
mkdirSync(OUT, { recursive: true });

const env = await setupServer();
let browser;
try {
  // A person with two consents (one withdrawn) and an objection form to show.
  const api = await loggedIn(env.base, 'admin');
  const list = (await api.api('GET', '/api/v1/people?region=03&per_page=1')).json();
  const id = list.items[0].id;
  for (const [given, channel] of [['2025-04-02', 'paper'], ['2026-01-10', 'oral']]) {
    const r = await api.api('POST', `/api/v1/people/${id}/consents`, { given_on: given, wording_version: 1, channel });
    if (r.status !== 201) throw new Error(r.text);
  }
  const first = (await api.api('GET', `/api/v1/people/${id}/consents`)).json().items.find((c) => c.given_on === '2025-04-02');
  await api.api('POST', `/api/v1/people/${id}/consents/withdraw`, { consent_id: first.id, withdrawn_on: '2025-09-30' });

  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
  for (const [device, viewport] of [['phone', { width: 360, height: 780 }], ['desktop', { width: 1280, height: 900 }]]) {
    const ctx = await browser.newContext({ viewport, deviceScaleFactor: 1 });
    const page = await ctx.newPage();
    await page.goto(env.base + '/login');
    await page.fill('#f-login', 'admin');
    await page.fill('#f-password', 'murafiq-demo-2026');
    await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.click('form[action="/login"] button')]);
    for (const lang of ['ar', 'fr']) {
      // The language is the user's setting: choose it on each pass (the switch offers the others).
      const other = await page.$(`form.langs button[value="${lang}"]`);
      if (other) await Promise.all([page.waitForNavigation(), other.click()]);
      const shot = async (name) => page.screenshot({ path: `${OUT}/privacy-${lang}-${device}-${name}.png`, fullPage: true });
      await page.goto(env.base + '/admin/processing');
      await shot('register');
      await page.goto(env.base + `/people/${id}#privacy`);
      const section = await page.$('#privacy');
      await section.screenshot({ path: `${OUT}/privacy-${lang}-${device}-consents.png` });
      await page.goto(env.base + `/people/${id}/data`);
      await shot('access');
      await page.emulateMedia({ media: 'print' });
      await shot('access-print');
      await page.emulateMedia({ media: 'screen' });
    }
    await ctx.close();
  }
  console.log('screenshots in', OUT);
} finally {
  if (browser) await browser.close();
  await env.server.stop();
  cleanupDirs();
}
