// Browser test: headless Debian chromium driven by playwright-core.
// Logs in, creates a cooperative in Arabic, finds it by searching without diacritics, switches
// to French, and keeps screenshots (phone 360 px and desktop, Arabic and French) in
// tests/output/screenshots for people to look at.
import { chromium } from 'playwright-core';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';
import assert from 'node:assert/strict';

const BIN = process.env.MURAFIQ_BIN || 'build/murafiq';
const OUT = 'tests/output/screenshots';
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
    s.on('error', reject);
  });
}

async function waitHealthy(base) {
  for (let i = 0; i < 100; i++) {
    try { const r = await fetch(base + '/healthz'); if (r.ok) return; } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('server did not start');
}

const dir = mkdtempSync(join(tmpdir(), 'murafiq-browser-'));
const db = join(dir, 'm.db');
execFileSync(BIN, ['init', '--db', db]);
execFileSync(BIN, ['demo', '--db', db, '--scale', 'small', '--seed', '7']);
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const server = spawn(BIN, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`, '--threads', '2'], { stdio: ['ignore', 'ignore', 'inherit'] });
mkdirSync(OUT, { recursive: true });

let browser;
let failed = false;
try {
  await waitHealthy(base);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  const phone = await browser.newContext({ viewport: { width: 360, height: 780 }, deviceScaleFactor: 1 });
  const page = await phone.newPage();
  const shot = async (name, p = page, fullPage = true) => p.screenshot({ path: `${OUT}/${name}.png`, fullPage });

  // Log in (Arabic by default, right to left).
  await page.goto(base + '/login');
  assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
  assert.equal(await page.getAttribute('html', 'lang'), 'ar');
  await shot('ar-phone-login');
  await page.fill('#f-login', 'officer03');
  await page.fill('#f-password', 'murafiq-demo-2026');
  await page.click('form[action="/login"] button');
  await page.waitForURL(/\/cooperatives$/);
  await shot('ar-phone-list', page, false);

  // The page must fit a 360 px phone: no horizontal scrolling.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `list page overflows by ${overflow}px at 360px`);

  // Create a cooperative in Arabic, with harakat, through the form.
  await page.goto(base + '/cooperatives/new');
  await shot('ar-phone-form-empty');
  // Submitting an empty form shows the errors next to the fields, in Arabic.
  await page.click('form.record button.primary');
  await page.waitForSelector('.error-summary');
  assert.ok(await page.locator('#e-name_ar').isVisible());
  await shot('ar-phone-form-errors');
  const reg = 'BT-' + Date.now();
  await page.fill('#f-register_number', reg);
  await page.fill('#f-name_ar', 'تَعَاوُنِيَّةُ الأَمَلِ لِلنَّسِيجِ');
  await page.fill('#f-name_fr', 'Coopérative Al Amal de tissage');
  await page.fill('#f-legal_date', '2023-08-14');
  await page.selectOption('#f-sector', 'handicraft');
  await page.selectOption('#f-region_code', '03');
  const province = await page.locator('#f-province_code optgroup[data-region="03"] option').first().getAttribute('value');
  await page.selectOption('#f-province_code', province);
  await page.fill('#f-members_total', '12');
  await page.fill('#f-members_women', '9');
  await page.fill('#f-members_youth', '3');
  await page.click('form.record button.primary');
  await page.waitForURL(/\/cooperatives\/\d+$/);
  const detailUrl = page.url();
  assert.match(await page.textContent('h1'), /تَعَاوُنِيَّةُ الأَمَلِ/);
  // Moroccan month name for August (غشت), Western digits.
  assert.match(await page.textContent('main'), /14 غشت 2023/);
  await shot('ar-phone-detail');

  // Find it by searching without diacritics and with another hamza/ta marbuta form.
  await page.goto(base + '/cooperatives');
  await page.fill('#f-q', 'تعاونيه الامل للنسيج');
  await page.click('form.filters button.primary');
  await page.waitForSelector('table.list');
  const hits = await page.locator(`table.list a[href="${new URL(detailUrl).pathname}"]`).count();
  assert.equal(hits, 1, 'the new cooperative is found without diacritics');
  await shot('ar-phone-search', page, false);

  // Switch to French: the page turns left to right and the choice is remembered.
  await page.click('form.langs button[value="fr"]');
  await page.waitForLoadState('load');
  assert.equal(await page.getAttribute('html', 'dir'), 'ltr');
  assert.equal(await page.getAttribute('html', 'lang'), 'fr');
  await page.goto(detailUrl);
  assert.equal(await page.getAttribute('html', 'lang'), 'fr');
  assert.match(await page.textContent('main'), /14 août 2023/);
  await shot('fr-phone-detail');
  await page.goto(base + '/cooperatives');
  await shot('fr-phone-list', page, false);
  await page.goto(detailUrl + '/edit');
  await shot('fr-phone-form');

  // Desktop views, both languages.
  const desk = await browser.newContext({ viewport: { width: 1280, height: 900 }, storageState: await phone.storageState() });
  const dp = await desk.newPage();
  for (const [lang, name] of [['fr', 'fr'], ['ar', 'ar']]) {
    await dp.goto(base + '/cooperatives');
    const cur = await dp.getAttribute('html', 'lang');
    if (cur !== lang) {
      await dp.click(`form.langs button[value="${lang}"]`);
      await dp.waitForLoadState('load');
    }
    await dp.goto(base + '/cooperatives?region=03');
    await shot(`${name}-desktop-list`, dp);
    await dp.goto(detailUrl);
    await shot(`${name}-desktop-detail`, dp);
    await dp.goto(detailUrl + '/edit');
    await shot(`${name}-desktop-form`, dp);
    await dp.goto(base + '/programs');
    await dp.goto(base + (await dp.locator('table.list a[href^="/programs/"]').first().getAttribute('href')));
    await shot(`${name}-desktop-program`, dp);
  }
  // People and organisations on the phone (the user's language is Arabic again after the loop).
  await page.goto(base + '/people');
  assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
  await shot('ar-phone-people', page, false);
  const firstPerson = await page.locator('table.list a[href^="/people/"]').first().getAttribute('href');
  await page.goto(base + firstPerson);
  await shot('ar-phone-person');
  await page.goto(base + '/organisations');
  await shot('ar-phone-orgs', page, false);
  // Programs on the phone: the list and the detail (targets against reached) fit 360 px.
  await page.goto(base + '/programs');
  await shot('ar-phone-programs', page, false);
  await page.goto(base + (await page.locator('table.list a[href^="/programs/"]').first().getAttribute('href')));
  await shot('ar-phone-program');
  const overflowProgram = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflowProgram <= 0, `program page overflows by ${overflowProgram}px at 360px`);
  await dp.goto(base + '/people/new');
  await shot('ar-desktop-person-form', dp);
  const overflowPeople = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflowPeople <= 0, `organisations page overflows by ${overflowPeople}px at 360px`);
  // A program manager edits a call's rules: the live preview counts again as the form changes,
  // without saving; then the screening of the registry, in Arabic and French, fits 360 px.
  const mctx = await browser.newContext({ viewport: { width: 360, height: 780 }, deviceScaleFactor: 1 });
  const mp = await mctx.newPage();
  await mp.goto(base + '/login');
  await mp.fill('#f-login', 'manager');
  await mp.fill('#f-password', 'murafiq-demo-2026');
  await Promise.all([mp.waitForNavigation(), mp.click('main form button')]);
  await mp.goto(base + '/calls');
  await shot('ar-phone-calls', mp, false);
  const callUrl = base + (await mp.locator('table.list a[href^="/calls/"]').first().getAttribute('href'));
  await mp.goto(callUrl);
  await shot('ar-phone-call', mp);
  await mp.goto(callUrl + '/rules');
  const count = async () => Number(await mp.getAttribute('[data-preview="all"]', 'data-count'));
  const before = await count();
  assert.ok(before > 0, `the editor counts the cooperatives that pass (${before})`);
  await mp.fill('#f-max_legal_age\\.years', '12');
  // The page's CSP forbids eval, so poll from here rather than with waitForFunction.
  for (let i = 0; i < 100 && (await count()) === before; i++) await mp.waitForTimeout(100);
  const after = await count();
  assert.ok(after > before, `a higher maximum age admits more cooperatives (${before} -> ${after})`);
  await shot('ar-phone-rules', mp, false);
  await mp.goto(callUrl + '/rules');
  assert.equal(await count(), before, 'the preview saved nothing');
  for (const lang of ['ar', 'fr']) {
    if (lang === 'fr') await Promise.all([mp.waitForNavigation(), mp.click('button[name=lang][value=fr]')]);
    await mp.goto(callUrl + '/screening');
    await shot(`${lang}-phone-screening`, mp, false);
    const over = await mp.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(over <= 0, `screening page overflows by ${over}px at 360px (${lang})`);
    const elig = await mp.locator('table.list a[href*="/eligibility?cooperative="]').first().getAttribute('href');
    await mp.goto(base + elig);
    await shot(`${lang}-phone-eligibility`, mp);
  }
  await mctx.close();
  console.log(`browser: ok, screenshots in ${OUT}`);
} catch (e) {
  failed = true;
  console.error('browser: FAILED', e);
} finally {
  if (browser) await browser.close();
  server.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
