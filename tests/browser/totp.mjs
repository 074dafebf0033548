// totp.mjs: screenshots of the second factor's pages (setup with its QR code, the recovery
// codes, the login's second step) in Arabic and French, at 360 px and on a desktop, into
// tests/output/screenshots/. Run: MURAFIQ_BIN=build/murafiq node tests/browser/totp.mjs
import { chromium } from 'playwright-core';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { freePort, totpCode, totpStep } from '../http/lib.mjs';

const BIN = process.env.MURAFIQ_BIN || 'build/murafiq';
const OUT = 'tests/output/screenshots';
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const PASSWORD = 'browser-second-factor-2026';

const dir = mkdtempSync(join(tmpdir(), 'murafiq-totp-'));
const db = join(dir, 'm.db');
execFileSync(BIN, ['init', '--db', db]);
execFileSync(BIN, ['demo', '--db', db, '--scale', 'small', '--seed', '7']);
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const server = spawn(BIN, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`, '--threads', '2'], { stdio: ['ignore', 'ignore', 'inherit'] });
mkdirSync(OUT, { recursive: true });
let browser;
try {
  for (let i = 0; i < 100; i++) {
    try { if ((await fetch(`${base}/healthz`)).ok) break; } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
  for (const lang of ['ar', 'fr']) {
    for (const [tag, viewport] of [['phone', { width: 360, height: 780 }], ['desktop', { width: 1280, height: 900 }]]) {
      const login = `tf${lang}${tag}`;
      execFileSync(BIN, ['user', 'add', '--db', db, '--login', login, '--role', 'program_manager', '--password-stdin'], { input: `${PASSWORD}\n` });
      const ctx = await browser.newContext({ viewport });
      await ctx.addCookies([{ name: 'mq_lang', value: lang, url: base }]);
      const page = await ctx.newPage();
      const logIn = async () => {
        await page.goto(`${base}/login`);
        await page.fill('#f-login', login);
        await page.fill('#f-password', PASSWORD);
        await page.click('form[action="/login"] button.primary');
      };
      await logIn();
      if (lang !== 'ar') {
        await page.goto(`${base}/about`);
        await page.click(`form.langs button[value="${lang}"]`);
      }
      await page.goto(`${base}/account/security`);
      await page.click('form[action="/account/security/setup"] button');
      await page.waitForSelector('svg.qr');
      const secret = (await page.textContent('p.secret code')).replace(/ /g, '');
      await page.screenshot({ path: `${OUT}/totp-setup-${lang}-${tag}.png`, fullPage: true });
      const step = totpStep() - 1;
      await page.fill('#f-code', totpCode(secret, step));
      await page.click('form[action="/account/security/confirm"] button.primary');
      await page.waitForSelector('ol.recovery-codes');
      assert.equal(await page.locator('ol.recovery-codes li').count(), 10);
      await page.screenshot({ path: `${OUT}/totp-recovery-${lang}-${tag}.png`, fullPage: true });
      await page.click('form.logout button');
      await logIn();
      await page.waitForSelector('form[action="/login/totp"]');
      await page.fill('#f-code', totpCode(secret, step + 1));
      await page.screenshot({ path: `${OUT}/totp-login-${lang}-${tag}.png`, fullPage: true });
      await page.click('form[action="/login/totp"] button.primary');
      await page.waitForURL(/\/$|\/cooperatives/);
      await ctx.close();
      console.log(`screenshots ${lang} ${tag}`);
    }
  }
} finally {
  if (browser) await browser.close();
  server.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
