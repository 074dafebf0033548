// totp.test.mjs: the second factor (TOTP, RFC 6238) end to end: enrolment from the secret shown
// on the page (codes computed here with node's HMAC-SHA1), the login's second step, replay,
// recovery codes, the per-role requirement (pages redirect, API 403), the admin's reset (page,
// API, CLI), the expiry of a pending login, and the throttling of wrong codes.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { Client, base32Decode, cleanupDirs, htmlDecode, loggedIn, recoveryCodesOf, run, runOk, setupServer, startServer, tokenClient, totpCode, totpSecretOf, totpStep, uniqueWord } from './lib.mjs';

// ---------------------------------------------------------------- TOTP in node

const hotp = totpCode;
const stepNow = totpStep;
const codeNow = (secret, delta = 0) => hotp(secret, stepNow() + delta);

test('the node TOTP helper gives the RFC 6238 vectors (6 digits)', () => {
  const secret = Buffer.from('12345678901234567890').toString('hex');
  // base32 of the RFC key, computed independently of the server.
  const b32 = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
  assert.equal(base32Decode(b32).toString('hex'), secret);
  assert.equal(hotp(b32, Math.floor(59 / 30)), '287082');
  assert.equal(hotp(b32, Math.floor(1111111109 / 30)), '081804');
  assert.equal(hotp(b32, Math.floor(1234567890 / 30)), '005924');
});

// ---------------------------------------------------------------- fixtures

let env;
let admin; // bearer client of the demo admin
let adminPage; // logged-in session of the demo admin
const PASSWORD = 'totp-test-password-2026';

before(async () => {
  env = await setupServer();
  admin = await tokenClient(env.base, env.db, 'admin');
  adminPage = await loggedIn(env.base, 'admin');
});

after(async () => {
  if (env && env.server.exited() === null) await env.server.stop();
  cleanupDirs();
});

const newLogin = () => uniqueWord('tf').toLowerCase().replace(/[^a-z0-9]/g, '').slice(0, 30);

/** A new account made with the CLI (no forced password change); returns {login, id}. */
async function mkUser(role = 'coach') {
  const login = newLogin();
  await runOk(['user', 'add', '--db', env.db, '--login', login, '--role', role, '--password-stdin'], { input: `${PASSWORD}\n` });
  const users = (await admin.api('GET', '/api/v1/users')).json().items;
  return { login, id: users.find((u) => u.login === login).id };
}

/** Sends the password step; returns {c, r} (a fresh client unless one is given). */
async function passwordStep(login, { c = new Client(env.base), next = '/cooperatives' } = {}) {
  const g = await c.get('/login');
  assert.equal(g.status, 200);
  const r = await c.postForm('/login', { login, password: PASSWORD, next });
  return { c, r };
}

/** The second step with code; the CSRF token is read from the second step's page. */
async function secondStep(c, code) {
  const page = await c.get('/login/totp');
  assert.equal(page.status, 200, page.text.slice(0, 300));
  return c.postForm('/login/totp', { code });
}

/** Logs in through both steps with the current code (or the one given); returns the client. */
async function fullLogin(login, secret, code) {
  const { c, r } = await passwordStep(login);
  assert.equal(r.status, 303);
  assert.equal(r.location, '/login/totp');
  const s = await secondStep(c, code ?? codeNow(secret));
  assert.equal(s.status, 303, s.text.slice(0, 500));
  await c.get('/account/security'); // learns the session's CSRF token
  return c;
}

const secretOf = totpSecretOf;
const recoveryOf = recoveryCodesOf;

const sleep = (ms) => new Promise((res) => setTimeout(res, ms));
/** Waits, when the current 30-second step ends within 4 seconds, for the next one: a test that
 * counts steps from now then stays within one step. */
async function awayFromBoundary() {
  const into = (Date.now() / 1000) % 30;
  if (into > 26) await sleep((30 - into) * 1000 + 200);
}

/** Logs in with the password alone (the factor being off), starts the setup and confirms it
 * with the code of the step before the current one (allowed as drift), so that the current
 * and the next step are still unused. Returns {c, secret, codes, step}: the session, the
 * secret, the recovery codes, the step used. */
async function enrol(login) {
  await awayFromBoundary();
  const { c, r } = await passwordStep(login);
  assert.equal(r.status, 303);
  assert.notEqual(r.location, '/login/totp', 'no second step before enrolment');
  await c.get('/account/security');
  const s = await c.postForm('/account/security/setup', {});
  assert.equal(s.status, 303);
  const page = await c.get('/account/security');
  const secret = secretOf(page.text);
  const step = stepNow() - 1;
  const ok = await c.postForm('/account/security/confirm', { code: hotp(secret, step) });
  assert.equal(ok.status, 200, ok.text.slice(0, 500));
  const codes = recoveryOf(ok.text);
  assert.equal(codes.length, 10);
  await c.get('/account/security');
  return { c, secret, codes, step };
}

function sql(query) {
  return execFileSync('sqlite3', [env.db, query], { encoding: 'utf8' }).trim();
}

// ---------------------------------------------------------------- enrolment

describe('enrolment', () => {
  test('setup shows a QR code and the secret in groups; a wrong code is refused; the right one turns it on and shows 10 recovery codes once', async () => {
    const u = await mkUser();
    const { c, r } = await passwordStep(u.login);
    assert.equal(r.status, 303);
    let page = await c.get('/account/security');
    assert.equal(page.status, 200);
    assert.match(page.text, /badge-dissolved/, 'shown as off');
    assert.doesNotMatch(page.text, /<svg/, 'no QR code before setup starts');
    const s = await c.postForm('/account/security/setup', {});
    assert.equal(s.status, 303);
    assert.equal(s.location, '/account/security#setup');
    page = await c.get('/account/security');
    assert.equal(page.status, 200);
    const secret = secretOf(page.text);
    assert.equal(secret.length, 32, '20 random bytes in base32');
    assert.equal(base32Decode(secret).length, 20);
    const svg = /<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" class="qr" role="img" aria-label="[^"]+" width="(\d+)" height="\1" viewBox="0 0 (\d+) \2"[^>]*>(.*?)<\/svg>/.exec(page.text);
    assert.ok(svg, 'an inline SVG QR code');
    const modules = Number(svg[2]) - 8;
    assert.equal((modules - 17) % 4, 0, 'a QR symbol is 17 + 4 x version modules wide');
    assert.match(svg[3], /^<rect width="\d+" height="\d+" fill="#fff"><\/rect><path fill="#000" d="(M\d+ \d+h\d+v1h-\d+z)+"><\/path>$/);
    assert.doesNotMatch(page.text, /style=/, 'no inline style');
    // The secret is on the page, not the URI: the page never carries otpauth as a link.
    assert.doesNotMatch(page.text, /href="otpauth/);

    // A wrong code (not any of the three steps accepted) is refused and changes nothing.
    const good = new Set([-1, 0, 1].map((d) => codeNow(secret, d)));
    let wrong = '000000';
    while (good.has(wrong)) wrong = String(Number(wrong) + 1).padStart(6, '0');
    const bad = await c.postForm('/account/security/confirm', { code: wrong });
    assert.equal(bad.status, 422);
    assert.match(bad.text, /aria-invalid="true"/);
    assert.equal(secretOf(bad.text), secret, 'the same setup goes on');
    const malformed = await c.postForm('/account/security/confirm', { code: '12ab' });
    assert.equal(malformed.status, 422);
    assert.equal(sql(`SELECT count(*) FROM user_totp WHERE user_id = ${u.id} AND confirmed_at IS NOT NULL`), '0');

    const ok = await c.postForm('/account/security/confirm', { code: codeNow(secret) });
    assert.equal(ok.status, 200);
    const codes = recoveryOf(ok.text);
    assert.equal(codes.length, 10);
    assert.equal(new Set(codes).size, 10);
    // Stored as hashes only: none of the codes appears in the database.
    const hashes = sql(`SELECT code_hash FROM user_recovery_code WHERE user_id = ${u.id} AND used_at IS NULL`).split('\n');
    assert.equal(hashes.length, 10);
    for (const code of codes) assert.ok(!hashes.some((h) => h.includes(code.replace('-', ''))));
    page = await c.get('/account/security');
    assert.match(page.text, /badge-active/, 'shown as on');
    assert.equal(recoveryOf(page.text).length, 0, 'the codes are shown only once');
    assert.doesNotMatch(page.text, new RegExp(secret.slice(0, 8)), 'the secret is not shown any more');
    // A second setup is refused while it is on.
    assert.equal((await c.postForm('/account/security/setup', {})).status, 409);
    assert.ok(Number(sql(`SELECT count(*) FROM audit_log WHERE action = 'second_factor_enabled' AND entity_id = ${u.id}`)) === 1, 'audited');
  });
});

describe('the secret at rest', () => {
  test('is sealed with the key file: the database holds a box, never the base32 secret or its bytes', async () => {
    const u = await mkUser();
    const { secret } = await enrol(u.login);
    assert.equal(sql(`SELECT typeof(secret) FROM user_totp WHERE user_id = ${u.id}`), 'blob');
    const hex = sql(`SELECT hex(secret) FROM user_totp WHERE user_id = ${u.id}`);
    assert.equal(hex.length / 2, 32 + 40, 'the 32 characters, a 24-byte nonce and a 16-byte tag');
    assert.ok(!hex.includes(Buffer.from(secret).toString('hex').toUpperCase()), 'not the base32 text');
    assert.ok(!hex.includes(base32Decode(secret).toString('hex').toUpperCase()), 'not the key bytes');
    // It still opens: the login's second step takes the code.
    await awayFromBoundary();
    const c = await fullLogin(u.login, secret, codeNow(secret));
    assert.equal((await c.get('/cooperatives')).status, 200);
  });

  test('a secret stored as text by an earlier version is sealed at the next start, and still logs in', async () => {
    const u = await mkUser();
    const { secret } = await enrol(u.login);
    // What an earlier version wrote: the base32 text itself.
    sql(`UPDATE user_totp SET secret = '${secret}' WHERE user_id = ${u.id}`);
    assert.equal(sql(`SELECT typeof(secret) FROM user_totp WHERE user_id = ${u.id}`), 'text');
    // The running server reads it as it is (enrol used the step before the current one).
    await awayFromBoundary();
    let c = await fullLogin(u.login, secret, codeNow(secret));
    assert.equal((await c.get('/cooperatives')).status, 200);
    const again = await startServer(env.db);
    try {
      assert.match(again.log(), /encrypted [1-9]\d* second factor secrets that an earlier version stored in plain text/);
      assert.equal(sql(`SELECT typeof(secret) FROM user_totp WHERE user_id = ${u.id}`), 'blob');
      assert.equal(sql("SELECT count(*) FROM user_totp WHERE typeof(secret) = 'text'"), '0');
      // Nor is the text left in the file's free pages or in the WAL.
      for (const f of [env.db, `${env.db}-wal`]) {
        if (fs.existsSync(f)) assert.ok(!fs.readFileSync(f).includes(Buffer.from(secret)), `${f} holds the plain secret`);
      }
      // The same factor opens from the box: the next step's code logs in.
      c = new Client(again.base);
      await c.get('/login');
      const r = await c.postForm('/login', { login: u.login, password: PASSWORD, next: '/' });
      assert.equal(r.location, '/login/totp');
      const ok = await secondStep(c, codeNow(secret, 1));
      assert.equal(ok.status, 303, ok.text.slice(0, 300));
      assert.ok(ok.setCookies.some((k) => k.name === 'mq_session'));
    } finally {
      await again.stop();
    }
  });
});

// ---------------------------------------------------------------- login

describe('login with the second factor', () => {
  test('the password alone gives no session: a pending login bound to this browser', async () => {
    const u = await mkUser('coach');
    const { secret, step } = await enrol(u.login);
    const sessions = sql(`SELECT count(*) FROM session WHERE user_id = ${u.id}`);
    const { c, r } = await passwordStep(u.login);
    assert.equal(r.status, 303);
    assert.equal(r.location, '/login/totp');
    assert.ok(!r.setCookies.some((k) => k.name === 'mq_session'), 'no session cookie yet');
    const pending = r.setCookies.find((k) => k.name === 'mq_pending');
    assert.ok(pending && pending.attrs.httponly && /strict/i.test(pending.attrs.samesite), 'an HttpOnly SameSite=Strict cookie');
    assert.ok(Number(pending.attrs['max-age']) <= 300);
    // The pending login reaches no data, in pages or the API, and made no session.
    const p = await c.get('/cooperatives');
    assert.equal(p.status, 303);
    assert.match(p.location, /^\/login\?next=/);
    assert.equal((await c.get('/api/v1/cooperatives')).status, 401);
    assert.equal(sql(`SELECT count(*) FROM session WHERE user_id = ${u.id}`), sessions);
    // Another browser (without the cookie) cannot finish it, even with the right code.
    const other = new Client(env.base);
    const o = await other.get('/login/totp');
    assert.equal(o.status, 200);
    assert.doesNotMatch(o.text, /name="code"/, 'no code form without a pending login');
    const op = await other.postForm('/login/totp', { code: hotp(secret, step + 1) });
    assert.equal(op.status, 401);
    assert.ok(!op.setCookies.some((k) => k.name === 'mq_session'));
    // A wrong code: 401, still no session; then the right one logs in and goes on to next.
    const page = await c.get('/login/totp');
    assert.match(page.text, /name="code"/);
    const w = await c.postForm('/login/totp', { code: '1234567' });
    assert.equal(w.status, 401);
    assert.ok(!w.setCookies.some((k) => k.name === 'mq_session'));
    assert.match(env.server.log(), new RegExp(`login failed: login="${u.login}" ip=127\\.0\\.0\\.1 reason=wrong second factor code`));
    const s = await c.postForm('/login/totp', { code: hotp(secret, step + 1) });
    assert.equal(s.status, 303, s.text.slice(0, 300));
    assert.equal(s.location, '/cooperatives');
    assert.ok(s.setCookies.some((k) => k.name === 'mq_session' && k.value.length === 32));
    assert.ok(s.setCookies.some((k) => k.name === 'mq_pending' && k.attrs['max-age'] === '0'), 'the pending cookie is cleared');
    assert.equal((await c.get('/cooperatives')).status, 200);
    // The pending login is spent: nothing of it is left.
    assert.equal(sql(`SELECT count(*) FROM login_pending WHERE user_id = ${u.id}`), '0');
    assert.equal(Number(sql(`SELECT count(*) FROM audit_log WHERE action = 'login' AND entity_id = ${u.id} AND detail LIKE '%totp%'`)), 1);
  });

  test("a code already used is refused (replay); the next step's code is accepted (drift), two steps ahead is not", async () => {
    const u = await mkUser('coach');
    const { secret, step } = await enrol(u.login); // step: the one before now
    const first = await passwordStep(u.login);
    const ok = await secondStep(first.c, hotp(secret, step + 1));
    assert.equal(ok.status, 303, ok.text.slice(0, 300));
    const again = await passwordStep(u.login);
    const replay = await secondStep(again.c, hotp(secret, step + 1));
    assert.equal(replay.status, 401);
    assert.ok(!replay.setCookies.some((k) => k.name === 'mq_session'));
    assert.match(env.server.log(), new RegExp(`login="${u.login}" ip=127\\.0\\.0\\.1 reason=replayed second factor code`));
    // The code used to confirm the setup (the step before) is older: refused too.
    assert.equal((await again.c.postForm('/login/totp', { code: hotp(secret, step) })).status, 401);
    // Two steps ahead is outside the drift.
    assert.equal((await again.c.postForm('/login/totp', { code: hotp(secret, step + 3) })).status, 401);
    // The step after now: within the drift allowed, and newer.
    const next = await again.c.postForm('/login/totp', { code: hotp(secret, step + 2) });
    assert.equal(next.status, 303, next.text.slice(0, 300));
  });

  test('a recovery code logs in once; new codes invalidate the old ones', async () => {
    const u = await mkUser('coach');
    const { secret, step, codes } = await enrol(u.login);
    const a = await passwordStep(u.login);
    const r = await secondStep(a.c, codes[0].toUpperCase().replace('-', ' '));
    assert.equal(r.status, 303, 'typed in capitals with a space: the same code');
    assert.equal((await a.c.get('/cooperatives')).status, 200);
    const b = await passwordStep(u.login);
    const again = await secondStep(b.c, codes[0]);
    assert.equal(again.status, 401, 'used already');
    assert.equal((await b.c.postForm('/login/totp', { code: codes[1] })).status, 303);
    const page = await b.c.get('/account/security');
    assert.match(htmlDecode(page.text), /\b8\b/, '8 unused codes left');
    assert.equal(sql(`SELECT count(*) FROM user_recovery_code WHERE user_id = ${u.id} AND used_at IS NOT NULL`), '2');
    assert.equal(sql(`SELECT count(*) FROM audit_log WHERE action = 'recovery_code_used' AND entity_id = ${u.id}`), '2');

    const c = await fullLogin(u.login, secret, hotp(secret, step + 1));
    const n = await c.postForm('/account/security/recovery', {});
    assert.equal(n.status, 200);
    const fresh = recoveryOf(n.text);
    assert.equal(fresh.length, 10);
    assert.equal(fresh.filter((x) => codes.includes(x)).length, 0);
    const d = await passwordStep(u.login);
    assert.equal((await secondStep(d.c, codes[2])).status, 401, 'an old code no longer works');
    assert.equal((await d.c.postForm('/login/totp', { code: fresh[0] })).status, 303);
    assert.equal(sql(`SELECT count(*) FROM audit_log WHERE action = 'recovery_codes_regenerated' AND entity_id = ${u.id}`), '1');
  });
});

// ---------------------------------------------------------------- turning it off

describe('turning the second factor off', () => {
  test('an optional role turns it off with a current code; then the password alone logs in', async () => {
    const u = await mkUser('coach');
    const { c, secret, step } = await enrol(u.login);
    const real = new Set([0, 1, 2, 3].map((d) => hotp(secret, step + d)));
    const bad = await c.postForm('/account/security/disable', { code: real.has('000000') ? '111111' : '000000' });
    assert.equal(bad.status, 422);
    // The code used at the confirmation is refused (replay); the next step's is accepted.
    const replay = await c.postForm('/account/security/disable', { code: hotp(secret, step) });
    assert.equal(replay.status, 422);
    const off = await c.postForm('/account/security/disable', { code: hotp(secret, step + 1) });
    assert.equal(off.status, 303);
    assert.equal(off.location, '/account/security?done=off');
    const { r } = await passwordStep(u.login);
    assert.equal(r.status, 303);
    assert.equal(r.location, '/cooperatives');
    assert.equal(sql(`SELECT count(*) FROM user_totp WHERE user_id = ${u.id}`), '0');
    assert.equal(sql(`SELECT count(*) FROM user_recovery_code WHERE user_id = ${u.id}`), '0');
    assert.equal(sql(`SELECT count(*) FROM audit_log WHERE action = 'second_factor_disabled' AND entity_id = ${u.id}`), '1');
  });
});

// ---------------------------------------------------------------- requirement per role

describe('a role that requires the second factor', () => {
  test('the admin requires it for viewers (page); until set up, pages redirect and the API answers 403; tokens are not affected', async () => {
    const u = await mkUser('viewer');
    const before = await passwordStep(u.login);
    assert.equal((await before.c.get('/cooperatives')).status, 200, 'not required yet');

    // The admin's policy page: tick viewer, keep admin and program_manager as the demo left them.
    const page = await adminPage.get('/admin/security');
    assert.equal(page.status, 200);
    const partial = await adminPage.postForm('/admin/security', [['viewer', '0'], ['viewer', '1']]);
    assert.equal(partial.status, 422, 'a form without every role is refused');
    assert.equal((await admin.api('GET', '/api/v1/second-factor-policy')).json().required.viewer, false);
    const save = await adminPage.postForm('/admin/security', [['admin', '0'], ['program_manager', '0'], ['regional_officer', '0'], ['coach', '0'], ['viewer', '0'], ['viewer', '1']]);
    assert.equal(save.status, 303);
    assert.deepEqual((await admin.api('GET', '/api/v1/second-factor-policy')).json(), { required: { admin: false, program_manager: false, regional_officer: false, coach: false, viewer: true } });

    // The session already open is sent to the setup on every page, and the API refuses.
    const c = before.c;
    for (const p of ['/cooperatives', '/organisations', '/programs', '/admin/users']) {
      const r = await c.get(p);
      assert.equal(r.status, 303, p);
      assert.equal(r.location, '/account/security', p);
    }
    const api = await c.get('/api/v1/cooperatives');
    assert.equal(api.status, 403);
    assert.equal(api.json().error.code, 'second_factor_required');
    const sec = await c.get('/account/security');
    assert.equal(sec.status, 200);
    assert.match(sec.text, /badge-dissolved/);
    // A bearer token of the same user is not asked (documented in docs/SECURITY.md).
    const tok = await tokenClient(env.base, env.db, u.login);
    assert.equal((await tok.api('GET', '/api/v1/cooperatives?per_page=1')).status, 200);
    // Enrolment opens the pages; the factor cannot be turned off while required.
    await c.postForm('/account/security/setup', {});
    const setup = await c.get('/account/security');
    const secret = secretOf(setup.text);
    const step = stepNow();
    const ok = await c.postForm('/account/security/confirm', { code: hotp(secret, step) });
    assert.equal(ok.status, 200);
    assert.equal((await c.get('/cooperatives')).status, 200);
    await c.get('/account/security');
    const off = await c.postForm('/account/security/disable', { code: hotp(secret, step + 1) });
    assert.equal(off.status, 403);
    assert.equal(sql(`SELECT count(*) FROM user_totp WHERE user_id = ${u.id} AND confirmed_at IS NOT NULL`), '1');

    // Back to optional, through the API.
    const back = await admin.api('PATCH', '/api/v1/second-factor-policy', { required: { viewer: false } });
    assert.equal(back.status, 200);
    assert.equal(back.json().required.viewer, false);
    const badPatch = await admin.api('PATCH', '/api/v1/second-factor-policy', { required: { nobody: true } });
    assert.equal(badPatch.status, 422);
    assert.equal((await admin.api('PATCH', '/api/v1/second-factor-policy', { required: { coach: 'yes' } })).status, 422);
    assert.equal((await admin.api('GET', '/api/v1/second-factor-policy')).json().required.coach, false, 'a refused patch changes nothing');
  });

  test('the policy page and API are for the admin only', async () => {
    const m = await loggedIn(env.base, 'manager');
    assert.equal((await m.get('/admin/security')).status, 403);
    const mt = await tokenClient(env.base, env.db, 'manager');
    assert.equal((await mt.api('GET', '/api/v1/second-factor-policy')).status, 403);
    assert.equal((await mt.api('PATCH', '/api/v1/second-factor-policy', { required: { viewer: true } })).status, 403);
  });

  test('`murafiq init` requires it for admin and program_manager', async () => {
    const fresh = `${env.dir}/fresh.db`;
    await runOk(['init', '--db', fresh]);
    const rows = execFileSync('sqlite3', [fresh, 'SELECT role, required FROM second_factor_policy ORDER BY role'], { encoding: 'utf8' }).trim();
    assert.equal(rows, 'admin|1\ncoach|0\nprogram_manager|1\nregional_officer|0\nviewer|0');
  });
});

// ---------------------------------------------------------------- reset by the admin

describe('reset by the admin (lost phone)', () => {
  test('page: the factor is turned off and the sessions end; the password alone logs in', async () => {
    const u = await mkUser('coach');
    const { c } = await enrol(u.login);
    const acct = await adminPage.get(`/admin/users/${u.id}`);
    assert.equal(acct.status, 200);
    assert.match(acct.text, new RegExp(`action="/admin/users/${u.id}/totp-reset"`));
    const version = (await admin.api('GET', `/api/v1/users/${u.id}`)).json().version;
    assert.equal((await adminPage.postForm(`/admin/users/${u.id}/totp-reset`, { version: version + 1 })).status, 409, 'a stale version');
    assert.equal((await adminPage.postForm(`/admin/users/${u.id}/totp-reset`, {})).status, 400, 'no version');
    assert.equal(sql(`SELECT count(*) FROM user_totp WHERE user_id = ${u.id}`), '1', 'refused resets changed nothing');
    const r = await adminPage.postForm(`/admin/users/${u.id}/totp-reset`, { version });
    assert.equal(r.status, 303);
    assert.equal(r.location, `/admin/users/${u.id}?totp=reset`);
    const gone = await c.get('/cooperatives');
    assert.equal(gone.status, 303, 'the session ended');
    assert.match(gone.location, /^\/login/);
    const { r: lr } = await passwordStep(u.login);
    assert.equal(lr.location, '/cooperatives', 'no second step any more');
    assert.equal(sql(`SELECT count(*) FROM audit_log WHERE action = 'second_factor_reset' AND entity_id = ${u.id}`), '1');
  });

  test('API and CLI', async () => {
    const u = await mkUser('coach');
    const { c } = await enrol(u.login);
    const r = await admin.api('POST', `/api/v1/users/${u.id}/totp-reset`);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json(), { id: u.id, second_factor: false });
    assert.equal((await c.get('/cooperatives')).status, 303);
    assert.equal((await admin.api('POST', '/api/v1/users/999999/totp-reset')).status, 404);
    const unknown = await admin.api('POST', `/api/v1/users/${u.id}/totp-reset`, { lost: true });
    assert.equal(unknown.status, 422);
    assert.ok('lost' in unknown.json().error.fields);

    const v = await mkUser('coach');
    await enrol(v.login);
    const cli = await run(['user', 'totp-reset', '--db', env.db, '--login', v.login]);
    assert.equal(cli.code, 0, cli.stderr);
    assert.match(cli.stdout, new RegExp(`reset the second factor of user ${v.login}`));
    assert.equal((await passwordStep(v.login)).r.location, '/cooperatives');
    const none = await run(['user', 'totp-reset', '--db', env.db, '--login', 'nobody-here']);
    assert.equal(none.code, 1);
    assert.match(none.stderr, /no user has this login/);
  });
});

// ---------------------------------------------------------------- expiry and throttling

describe('a pending login', () => {
  test('expires (MURAFIQ_LOGIN_PENDING_SECONDS shortens it, for tests)', async () => {
    const u = await mkUser('coach');
    const { secret, step } = await enrol(u.login);
    const short = await startServer(env.db, { env: { MURAFIQ_LOGIN_PENDING_SECONDS: '1' } });
    try {
      const c = new Client(short.base);
      await c.get('/login');
      const r = await c.postForm('/login', { login: u.login, password: PASSWORD, next: '/' });
      assert.equal(r.location, '/login/totp');
      assert.equal(r.setCookies.find((k) => k.name === 'mq_pending').attrs['max-age'], '1');
      const page = await c.get('/login/totp');
      assert.match(page.text, /name="code"/);
      await new Promise((res) => setTimeout(res, 2100));
      const late = await c.postForm('/login/totp', { code: hotp(secret, Math.max(step + 1, stepNow())) });
      assert.equal(late.status, 401);
      assert.ok(!late.setCookies.some((k) => k.name === 'mq_session'));
      // Done again in time, it works (the code was not spent by the late try).
      await c.get('/login');
      await c.postForm('/login', { login: u.login, password: PASSWORD, next: '/' });
      await c.get('/login/totp');
      const ok = await c.postForm('/login/totp', { code: hotp(secret, Math.max(step + 1, stepNow())) });
      assert.equal(ok.status, 303, ok.text.slice(0, 300));
    } finally {
      await short.stop();
    }
  });

  test('wrong codes count in the login throttling: after 5 failures even the right code waits (429)', async () => {
    const u = await mkUser('coach');
    const { secret, step } = await enrol(u.login);
    const { c, r } = await passwordStep(u.login); // 1: counted until a right code
    assert.equal(r.location, '/login/totp');
    await c.get('/login/totp');
    const good = new Set([-1, 0, 1, 2].map((d) => codeNow(secret, d)));
    let wrong = 100000;
    const statuses = [];
    for (let i = 0; i < 4; i++) {
      while (good.has(String(wrong))) wrong++;
      statuses.push((await c.postForm('/login/totp', { code: String(wrong++) })).status);
    }
    assert.deepEqual(statuses, [401, 401, 401, 401]);
    const right = await c.postForm('/login/totp', { code: hotp(secret, Math.max(step + 1, stepNow())) });
    assert.equal(right.status, 429);
    assert.ok(Number(right.headers.get('retry-after')) > 0);
    assert.ok(!right.setCookies.some((k) => k.name === 'mq_session'));
    assert.match(env.server.log(), new RegExp(`login="${u.login}" ip=127\\.0\\.0\\.1 reason=throttled`));
    assert.ok(Number(sql(`SELECT count(*) FROM audit_log WHERE action = 'login_failed' AND entity_id = ${u.id} AND detail LIKE '%wrong second factor code%'`)) >= 4);
    // Not to throttle the other tests of this address: forget this login's failures.
    sql(`DELETE FROM login_failure WHERE login = '${u.login}'`);
  });
});
