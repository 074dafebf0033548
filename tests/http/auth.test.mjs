// auth.test.mjs: login, logout, sessions, CSRF, cookies, security headers, language, redirects.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Client,
  DEMO_PASSWORD,
  byWord,
  cleanupDirs,
  coopData,
  coopForm,
  csrfOf,
  formFields,
  loggedIn,
  login,
  run,
  setupServer,
  startServer,
  tokenClient,
} from './lib.mjs';

let env;
let admin; // bearer client, to look at the data without a session

before(async () => {
  env = await setupServer();
  admin = await tokenClient(env.base, env.db, 'admin');
});

after(async () => {
  if (env && env.server.exited() === null) await env.server.stop();
  cleanupDirs();
});

function htmlLangDir(html) {
  const m = /<html\b[^>]*\blang="([^"]*)"[^>]*\bdir="([^"]*)"/.exec(html);
  assert.ok(m, 'the page has <html lang=... dir=...>');
  return { lang: m[1], dir: m[2] };
}

function errorSummary(html) {
  const m = /<div class="error-summary"[^>]*>([\s\S]*?)<\/div>/.exec(html);
  return m ? m[1] : null;
}

describe('authentication', () => {
  test('GET /healthz answers 200 {"status":"ok"} without login', async () => {
    const r = await new Client(env.base).get('/healthz');
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /^application\/json/);
    assert.deepEqual(r.json(), { status: 'ok' });
  });

  test('the login page is Arabic, right to left, and carries a pre-login CSRF token', async () => {
    const c = new Client(env.base);
    const r = await c.get('/login');
    assert.equal(r.status, 200);
    assert.deepEqual(htmlLangDir(r.text), { lang: 'ar', dir: 'rtl' });
    const pre = r.setCookies.find((k) => k.name === 'mq_pre');
    assert.ok(pre, 'GET /login sets mq_pre');
    assert.ok(pre.attrs.httponly, 'mq_pre is HttpOnly');
    assert.ok(pre.attrs.samesite, 'mq_pre has SameSite');
    const token = csrfOf(r.text);
    assert.match(token, /^[0-9a-f]{16,}$/, 'the login form has a csrf hidden field');
    // The same visitor keeps the same pre-login token.
    const again = await c.get('/login');
    assert.equal(csrfOf(again.text), token);
  });

  test('a good login answers 303 to next with an HttpOnly, SameSite=Lax session cookie', async () => {
    const c = new Client(env.base);
    await c.get('/login');
    const r = await c.postForm('/login', { login: 'viewer', password: DEMO_PASSWORD, next: '/cooperatives?status=active' });
    assert.equal(r.status, 303);
    assert.equal(r.location, '/cooperatives?status=active');
    const s = r.setCookies.find((k) => k.name === 'mq_session');
    assert.ok(s, 'a session cookie is set');
    assert.match(s.value, /^[0-9a-f]{32}$/);
    assert.equal(s.attrs.httponly, true, 'HttpOnly');
    assert.equal(String(s.attrs.samesite).toLowerCase(), 'lax', 'SameSite=Lax');
    assert.equal(s.attrs.path, '/');
    const page = await c.get('/cooperatives');
    assert.equal(page.status, 200);
    assert.match(page.text, /<form\b[^>]*action="\/logout"/, 'logged-in pages have a logout form');
    assert.match(page.text, /viewer/);
  });

  test('wrong password and unknown login get the same 401 answer and no session', async () => {
    const answers = [];
    for (const [who, pw] of [
      ['viewer', 'not-the-password-at-all'],
      ['nobody-here', 'not-the-password-at-all'],
      ['viewer', DEMO_PASSWORD + 'x'],
    ]) {
      const c = new Client(env.base);
      await c.get('/login');
      const r = await c.postForm('/login', { login: who, password: pw, next: '/' });
      assert.equal(r.status, 401, `${who}: 401`);
      assert.ok(!r.setCookies.some((k) => k.name === 'mq_session' && k.value), `${who}: no session cookie`);
      assert.ok(!c.cookies.has('mq_session'));
      const summary = errorSummary(r.text);
      assert.ok(summary, `${who}: the page explains the failure`);
      answers.push(summary);
      // Still anonymous: a protected page sends to the login page.
      const p = await c.get('/cooperatives');
      assert.equal(p.status, 303);
    }
    assert.equal(answers[0], answers[1], 'unknown login and wrong password give the same message');
    assert.equal(answers[0], answers[2]);
  });

  test('a failed login echoes the login escaped, never as markup', async () => {
    const c = new Client(env.base);
    await c.get('/login');
    const evil = '"><script>alert(1)</script>';
    const r = await c.postForm('/login', { login: evil, password: 'whatever-password', next: '/' });
    assert.equal(r.status, 401);
    assert.ok(!r.text.includes('<script>alert(1)</script>'), 'the login is escaped');
    assert.ok(!r.text.includes('"><script>'), 'the attribute is not broken out of');
  });

  test('a login without password is refused (400) and sets no session', async () => {
    const c = new Client(env.base);
    await c.get('/login');
    const r = await c.postForm('/login', { login: 'viewer', next: '/' });
    assert.equal(r.status, 400);
    assert.ok(!c.cookies.has('mq_session'));
  });

  test('unauthenticated: pages redirect to /login?next=..., the API answers 401 JSON', async () => {
    const c = new Client(env.base);
    const p = await c.get('/cooperatives');
    assert.equal(p.status, 303);
    const loc = new URL(p.location, env.base);
    assert.equal(loc.pathname, '/login');
    assert.equal(loc.searchParams.get('next'), '/cooperatives');
    const e = await c.get('/cooperatives/1/edit');
    assert.equal(e.status, 303);
    assert.match(e.location, /^\/login\?next=/);
    const a = await c.get('/api/v1/cooperatives');
    assert.equal(a.status, 401);
    assert.match(a.headers.get('content-type'), /^application\/json/);
    assert.equal(a.json().error.code, 'unauthenticated');
    const post = await c.request('/api/v1/cooperatives', { method: 'POST', json: coopData() });
    assert.equal(post.status, 401);
  });

  test('logout ends the session: the old cookie no longer opens pages or the API', async () => {
    const c = await loggedIn(env.base, 'viewer');
    const sid = c.cookies.get('mq_session');
    assert.ok(sid);
    assert.equal((await c.get('/cooperatives')).status, 200);
    const r = await c.postForm('/logout', {});
    assert.equal(r.status, 303);
    assert.equal(r.location, '/login');
    const cleared = r.setCookies.find((k) => k.name === 'mq_session');
    assert.ok(cleared && (cleared.value === '' || cleared.attrs['max-age'] === '0'), 'the cookie is cleared');
    // Replay the old cookie as an attacker who kept it would.
    const replay = new Client(env.base);
    replay.cookies.set('mq_session', sid);
    const p = await replay.get('/cooperatives');
    assert.equal(p.status, 303);
    assert.match(p.location, /^\/login/);
    const a = await replay.get('/api/v1/cooperatives');
    assert.equal(a.status, 401);
  });

  test('sessions are independent: logging out one does not end another', async () => {
    const a = await loggedIn(env.base, 'coach');
    const b = await loggedIn(env.base, 'coach');
    assert.notEqual(a.cookies.get('mq_session'), b.cookies.get('mq_session'));
    assert.equal((await a.postForm('/logout', {})).status, 303);
    assert.equal((await b.get('/cooperatives')).status, 200);
  });
});

describe('CSRF', () => {
  let victim; // a manager session
  let coopId;
  let version;

  before(async () => {
    victim = await loggedIn(env.base, 'manager');
    const list = await victim.api('GET', '/api/v1/cooperatives?per_page=1');
    const item = list.json().items[0];
    coopId = item.id;
    version = item.version;
  });

  for (const mode of ['without a token', 'with a wrong token', "with another session's token"]) {
    test(`every POST route refuses a form ${mode} (403) and changes nothing`, async () => {
      let token;
      if (mode === 'without a token') token = false;
      else if (mode === 'with a wrong token') token = '0123456789abcdef0123456789abcdef';
      else token = (await loggedIn(env.base, 'manager')).csrf;
      assert.notEqual(token, victim.csrf);

      // Create.
      const data = coopData({ region_code: '05' });
      const word = data.name_fr.split(' ').pop();
      const create = await victim.postForm('/cooperatives', coopForm(data), { csrf: token });
      assert.equal(create.status, 403, 'POST /cooperatives');
      assert.equal((await byWord(admin, word)).length, 0, 'nothing was created');

      // Update.
      const before1 = (await admin.api('GET', `/api/v1/cooperatives/${coopId}`)).json();
      const upd = await victim.postForm(`/cooperatives/${coopId}`, [['version', String(version)], ['notes', 'csrf was here']], {
        csrf: token,
      });
      assert.equal(upd.status, 403, 'POST /cooperatives/{id}');
      const after1 = (await admin.api('GET', `/api/v1/cooperatives/${coopId}`)).json();
      assert.deepEqual(after1, before1, 'the cooperative is unchanged');

      // Language.
      const lang = await victim.postForm('/lang', { lang: 'fr', next: '/' }, { csrf: token });
      assert.equal(lang.status, 403, 'POST /lang');
      const page = await victim.get('/cooperatives');
      assert.match(page.text, /<html lang="ar"/, 'the language did not change');

      // Logout.
      const out = await victim.postForm('/logout', {}, { csrf: token });
      assert.equal(out.status, 403, 'POST /logout');
      assert.equal((await victim.get('/cooperatives')).status, 200, 'still logged in');

      // JSON API with the session cookie.
      const apiData = coopData({ region_code: '05' });
      const apiWord = apiData.name_fr.split(' ').pop();
      const headers = token ? { 'x-csrf-token': token } : {};
      const post = await victim.request('/api/v1/cooperatives', { method: 'POST', json: apiData, headers });
      assert.equal(post.status, 403, 'POST /api/v1/cooperatives');
      assert.equal(post.json().error.code, 'forbidden');
      assert.equal((await byWord(admin, apiWord)).length, 0, 'nothing was created through the API');
      const patch = await victim.request(`/api/v1/cooperatives/${coopId}`, {
        method: 'PATCH',
        json: { notes: 'csrf was here' },
        headers,
      });
      assert.equal(patch.status, 403, 'PATCH /api/v1/cooperatives/{id}');
      assert.deepEqual((await admin.api('GET', `/api/v1/cooperatives/${coopId}`)).json(), before1);
    });
  }

  test('POST /login and anonymous POST /lang need the pre-login token', async () => {
    const c = new Client(env.base);
    await c.get('/login');
    const real = c.csrf;
    for (const token of [false, 'ffffffffffffffffffffffffffffffff']) {
      const r = await c.postForm('/login', { login: 'viewer', password: DEMO_PASSWORD, next: '/' }, { csrf: token });
      assert.equal(r.status, 403, `login with token ${token}`);
      assert.ok(!c.cookies.has('mq_session'), 'no session');
      const l = await c.postForm('/lang', { lang: 'fr', next: '/login' }, { csrf: token });
      assert.equal(l.status, 403, `lang with token ${token}`);
      assert.ok(!c.cookies.has('mq_lang'), 'no language cookie');
    }
    // A token from another visitor's pre-login cookie is refused too.
    const other = new Client(env.base);
    await other.get('/login');
    const r = await c.postForm('/login', { login: 'viewer', password: DEMO_PASSWORD, next: '/' }, { csrf: other.csrf });
    assert.equal(r.status, 403);
    // And with the right one it works.
    const ok = await c.postForm('/login', { login: 'viewer', password: DEMO_PASSWORD, next: '/' }, { csrf: real });
    assert.equal(ok.status, 303);
  });

  test('the right token in the X-CSRF-Token header works for JSON with the cookie; bearer needs none', async () => {
    const r = await victim.api('PATCH', `/api/v1/cooperatives/${coopId}`, { notes: 'with header' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json().notes, 'with header');
    const bearer = await tokenClient(env.base, env.db, 'manager');
    const b = await bearer.api('PATCH', `/api/v1/cooperatives/${coopId}`, { notes: 'with bearer' });
    assert.equal(b.status, 200, b.text);
    assert.equal(b.json().notes, 'with bearer');
    version = b.json().version;
  });

  test('every form of a logged-in page carries the session token', async () => {
    const r = await victim.get('/cooperatives/new');
    assert.equal(r.status, 200);
    const forms = [...r.text.matchAll(/<form\b[^>]*method="post"[^>]*>([\s\S]*?)<\/form>/g)];
    assert.ok(forms.length >= 3, 'language, logout and record forms');
    for (const f of forms) assert.match(f[1], new RegExp(`name="csrf" value="${victim.csrf}"`));
  });
});

describe('headers and cookies', () => {
  test('security headers on pages, error pages and the API', async () => {
    const viewer = await loggedIn(env.base, 'viewer');
    const anon = new Client(env.base);
    const responses = {
      'login page': await anon.get('/login'),
      'list page': await viewer.get('/cooperatives'),
      '404 page': await viewer.get('/no/such/page'),
      'API list': await viewer.get('/api/v1/cooperatives?per_page=1'),
      'API 401': await anon.get('/api/v1/cooperatives'),
      'API 404': await viewer.get('/api/v1/cooperatives/999999999'),
    };
    for (const [what, r] of Object.entries(responses)) {
      const csp = r.headers.get('content-security-policy');
      assert.ok(csp, `${what}: Content-Security-Policy`);
      assert.match(csp, /default-src 'self'/, `${what}: CSP default-src`);
      assert.match(csp, /frame-ancestors 'none'/, `${what}: CSP frame-ancestors`);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/, `${what}: no unsafe CSP source`);
      assert.equal(r.headers.get('x-content-type-options'), 'nosniff', `${what}: nosniff`);
      assert.equal(r.headers.get('cache-control'), 'no-store', `${what}: Cache-Control: no-store`);
    }
    assert.match(responses['list page'].headers.get('content-type'), /^text\/html; charset=utf-8/);
    assert.match(responses['API list'].headers.get('content-type'), /^application\/json/);
  });
});

describe('language', () => {
  test('switching to French changes lang/dir and is remembered for the user at the next login', async () => {
    const c = await loggedIn(env.base, 'officer06');
    let page = await c.get('/cooperatives');
    assert.deepEqual(htmlLangDir(page.text), { lang: 'ar', dir: 'rtl' });
    const r = await c.postForm('/lang', { lang: 'fr', next: '/cooperatives' });
    assert.equal(r.status, 303);
    assert.equal(r.location, '/cooperatives');
    page = await c.get('/cooperatives');
    assert.deepEqual(htmlLangDir(page.text), { lang: 'fr', dir: 'ltr' });

    // A new login from a fresh browser (no language cookie) gets French.
    const fresh = await loggedIn(env.base, 'officer06');
    assert.ok(!fresh.cookies.has('mq_lang'));
    page = await fresh.get('/cooperatives');
    assert.deepEqual(htmlLangDir(page.text), { lang: 'fr', dir: 'ltr' });

    // English, then back to Arabic.
    await fresh.postForm('/lang', { lang: 'en', next: '/' });
    page = await fresh.get('/cooperatives');
    assert.deepEqual(htmlLangDir(page.text), { lang: 'en', dir: 'ltr' });
    await fresh.postForm('/lang', { lang: 'ar', next: '/' });
    page = await c.get('/cooperatives'); // the other session follows the user's preference
    assert.deepEqual(htmlLangDir(page.text), { lang: 'ar', dir: 'rtl' });
  });

  test('an unknown language is refused (400) and changes nothing', async () => {
    const c = await loggedIn(env.base, 'coach');
    const r = await c.postForm('/lang', { lang: 'de', next: '/' });
    assert.equal(r.status, 400);
    const page = await c.get('/cooperatives');
    assert.deepEqual(htmlLangDir(page.text), { lang: 'ar', dir: 'rtl' });
  });

  test('an anonymous visitor can switch the login page to French', async () => {
    const c = new Client(env.base);
    await c.get('/login');
    const r = await c.postForm('/lang', { lang: 'fr', next: '/login' });
    assert.equal(r.status, 303);
    assert.equal(r.location, '/login');
    assert.equal(c.cookies.get('mq_lang'), 'fr');
    const page = await c.get('/login');
    assert.deepEqual(htmlLangDir(page.text), { lang: 'fr', dir: 'ltr' });
  });
});

describe('redirects', () => {
  const evil = ['//evil.example', '//evil.example/path', 'https://evil.example/', '/\\evil.example', 'evil.example', 'javascript:alert(1)'];

  for (const next of evil) {
    test(`login with next=${next} redirects to /`, async () => {
      const c = new Client(env.base);
      const g = await c.get(`/login?next=${encodeURIComponent(next)}`);
      const hidden = formFields(g.text, '/login').find(([k]) => k === 'next');
      assert.ok(hidden, 'the login form carries next');
      assert.equal(hidden[1], '/', 'the form does not carry the foreign target');
      const r = await c.postForm('/login', { login: 'viewer', password: DEMO_PASSWORD, next });
      assert.equal(r.status, 303);
      assert.equal(r.location, '/');
    });
  }

  test('a header-splitting next is refused', async () => {
    const c = new Client(env.base);
    await c.get('/login');
    const r = await c.postForm('/login', { login: 'viewer', password: DEMO_PASSWORD, next: '/x\r\nSet-Cookie: evil=1' });
    assert.equal(r.status, 303);
    assert.equal(r.location, '/');
    assert.ok(!r.setCookies.some((k) => k.name === 'evil'));
  });

  test('/lang refuses a foreign next too', async () => {
    const c = await loggedIn(env.base, 'viewer');
    const r = await c.postForm('/lang', { lang: 'ar', next: '//evil.example' });
    assert.equal(r.status, 303);
    assert.equal(r.location, '/');
  });

  test('a local next is kept, and the start page leads to the cooperatives', async () => {
    const c = new Client(env.base);
    await login(c, 'viewer', DEMO_PASSWORD, '/cooperatives?sector=argan');
    const home = await c.get('/');
    assert.equal(home.status, 303);
    assert.equal(home.location, '/cooperatives');
    const g = await c.get('/login');
    assert.equal(g.status, 303, 'a logged-in user is sent away from the login page');
  });
});

describe('throttling of failed logins', () => {
  // A server of its own, whose delays are 1/20 of the real ones (3 s instead of 1 minute), so
  // that this test's failures throttle no other test and the wait stays short.
  let t;
  const SCALE = 0.05;
  before(async () => {
    t = await setupServer({ env: { MURAFIQ_THROTTLE_SCALE: String(SCALE) } });
  });
  after(async () => {
    if (t && t.server.exited() === null) await t.server.stop();
  });

  async function attempt(who, pw) {
    const c = new Client(t.base);
    await c.get('/login');
    const r = await c.postForm('/login', { login: who, password: pw, next: '/' });
    return { r, c };
  }

  async function failTimes(who, n) {
    for (let i = 0; i < n; i++) {
      const { r } = await attempt(who, 'not-the-password-at-all');
      assert.equal(r.status, 401, `${who}: failure ${i + 1} is a 401`);
    }
  }

  const sleep = (ms) => new Promise((res) => setTimeout(res, ms));

  test('5 failures, then even the right password answers 429 with Retry-After; unknown logins alike', async () => {
    await failTimes('viewer', 5);
    const { r, c } = await attempt('viewer', DEMO_PASSWORD);
    assert.equal(r.status, 429, 'the 6th attempt is refused');
    const retry = Number(r.headers.get('retry-after'));
    assert.ok(Number.isInteger(retry) && retry >= 1 && retry <= 60 * SCALE + 1, `Retry-After ${retry}`);
    assert.ok(!r.setCookies.some((k) => k.name === 'mq_session' && k.value), 'no session');
    assert.equal((await c.get('/cooperatives')).status, 303, 'still anonymous');
    const known = errorSummary(r.text);
    assert.ok(known, 'the page explains the refusal');

    await failTimes('nobody-at-all-here', 5);
    const u = (await attempt('nobody-at-all-here', DEMO_PASSWORD)).r;
    assert.equal(u.status, 429, 'an unknown login is throttled the same way');
    assert.ok(Number(u.headers.get('retry-after')) >= 1);
    assert.equal(errorSummary(u.text), known, 'the same message whether the login exists or not');

    const { r: evil } = await attempt('ev"il\nlogin', 'not-the-password-at-all');
    assert.equal(evil.status, 401);

    const log = t.server.log();
    assert.match(log, /login failed: login="viewer" ip=127\.0\.0\.1 reason=wrong password/);
    assert.match(log, /login failed: login="nobody-at-all-here" ip=127\.0\.0\.1 reason=unknown login/);
    assert.match(log, /login failed: login="viewer" ip=127\.0\.0\.1 reason=throttled/);
    assert.match(log, /login failed: login="ev\\x22il\\x0alogin" ip=127\.0\.0\.1 reason=unknown login/,
      'the login is escaped in the log: one line, no forged quotes');
    assert.equal((log.match(/login failed: login="viewer"/g) || []).length, 6, 'every failure is logged');

    // After the delay the right password works, and clears the account's failures.
    await sleep(retry * 1000 + 100);
    const ok = (await attempt('viewer', DEMO_PASSWORD)).r;
    assert.equal(ok.status, 303, 'the right password works after the delay');
    const again = (await attempt('viewer', 'not-the-password-at-all')).r;
    assert.equal(again.status, 401, 'a success cleared the failures: the next failure is a 401');
    // That failure is forgotten too, at the next success, so the address's count below is exact.
    assert.equal((await attempt('viewer', DEMO_PASSWORD)).r.status, 303);
  });

  test('20 failures from one address throttle every account from it, then the delay passes', async () => {
    // Failures still counted for 127.0.0.1: nobody-at-all-here (5) and the escaped login (1).
    await failTimes('officer03', 5);
    await failTimes('officer06', 5);
    await failTimes('manager', 4);
    const { r } = await attempt('coach', DEMO_PASSWORD);
    assert.equal(r.status, 429, 'an account without failures is refused from that address');
    const retry = Number(r.headers.get('retry-after'));
    assert.ok(retry >= 1, `Retry-After ${retry}`);
    await sleep(retry * 1000 + 100);
    assert.equal((await attempt('coach', DEMO_PASSWORD)).r.status, 303, 'after the delay it works');
  });

  test('the failures are in the database, so they hold across a restart', async () => {
    await t.server.stop();
    t.server = await startServer(t.db, { env: { MURAFIQ_THROTTLE_SCALE: String(SCALE) } });
    t.base = t.server.base;
    // officer03 failed 5 times less than a window ago, and its delay has passed: one more failure
    // locks it again, for twice as long.
    const first = (await attempt('officer03', 'not-the-password-at-all')).r;
    assert.equal(first.status, 401);
    const { r } = await attempt('officer03', DEMO_PASSWORD);
    assert.equal(r.status, 429, 'the count survived the restart');
    assert.ok(Number(r.headers.get('retry-after')) >= Math.floor(2 * 60 * SCALE), 'the delay doubled');
  });
});

describe('behind a TLS proxy (--behind-tls)', () => {
  let t;
  before(async () => {
    t = await setupServer({ args: ['--behind-tls'], env: { MURAFIQ_THROTTLE_SCALE: '0.05' } });
  });
  after(async () => {
    if (t && t.server.exited() === null) await t.server.stop();
  });

  test('cookies are __Host- and Secure, and every response carries HSTS', async () => {
    const c = new Client(t.base);
    const hsts = 'max-age=31536000; includeSubDomains';
    const g = await c.get('/login');
    assert.equal(g.headers.get('strict-transport-security'), hsts);
    const pre = g.setCookies.find((k) => k.name === '__Host-mq_pre');
    assert.ok(pre, `the pre-login cookie is __Host-mq_pre (got ${g.setCookies.map((k) => k.name)})`);
    assert.equal(pre.attrs.secure, true, 'Secure');
    assert.equal(pre.attrs.path, '/', '__Host- needs Path=/');
    assert.ok(!('domain' in pre.attrs), '__Host- forbids Domain');
    assert.ok(!g.setCookies.some((k) => k.name.startsWith('mq_')), 'no unprefixed cookie');

    const r = await c.postForm('/login', { login: 'viewer', password: DEMO_PASSWORD, next: '/' });
    assert.equal(r.status, 303);
    assert.equal(r.headers.get('strict-transport-security'), hsts);
    const s = r.setCookies.find((k) => k.name === '__Host-mq_session');
    assert.ok(s, 'the session cookie is __Host-mq_session');
    assert.equal(s.attrs.secure, true);
    assert.equal(s.attrs.httponly, true);
    assert.equal(s.attrs.path, '/');
    const page = await c.get('/cooperatives');
    assert.equal(page.status, 200, 'the prefixed session cookie opens pages');
    assert.equal(page.headers.get('strict-transport-security'), hsts);
    // The unprefixed name is not read: a cookie planted over plain http does not count.
    const planted = new Client(t.base);
    planted.cookies.set('mq_session', c.cookies.get('__Host-mq_session'));
    assert.equal((await planted.get('/cooperatives')).status, 303);

    const lang = await c.postForm('/lang', { lang: 'fr', next: '/' });
    assert.equal(lang.status, 303);
    const l = lang.setCookies.find((k) => k.name === '__Host-mq_lang');
    assert.ok(l && l.attrs.secure, 'the language cookie is __Host- and Secure');
    for (const path of ['/healthz', '/api/v1/cooperatives', '/assets/style.css', '/no-such-page']) {
      const x = await new Client(t.base).get(path);
      assert.equal(x.headers.get('strict-transport-security'), hsts, `${path}: HSTS`);
    }
    const out = await c.postForm('/logout', {});
    const gone = out.setCookies.find((k) => k.name === '__Host-mq_session');
    assert.ok(gone && gone.attrs.secure && gone.attrs['max-age'] === '0', 'logout clears the prefixed cookie');
  });

  test('the client address is the last X-Forwarded-For entry, the one the proxy appended', async () => {
    const c = new Client(t.base);
    await c.get('/login');
    const r = await c.postForm('/login', { login: 'coach', password: 'not-the-password-at-all', next: '/' },
      { headers: { 'x-forwarded-for': '203.0.113.9, 198.51.100.7' } });
    assert.equal(r.status, 401);
    assert.match(t.server.log(), /login failed: login="coach" ip=198\.51\.100\.7 reason=wrong password/);
  });

  test('without --behind-tls: plain names, no Secure, no HSTS', async () => {
    const g = await new Client(env.base).get('/login');
    assert.equal(g.headers.get('strict-transport-security'), null);
    const pre = g.setCookies.find((k) => k.name === 'mq_pre');
    assert.ok(pre && !pre.attrs.secure);
  });
});

describe('passwords that contain the login', () => {
  const MSG = [
    'The password must not contain the login.',
    "Le mot de passe ne doit pas contenir l'identifiant.",
    'يجب ألا تحتوي كلمة المرور على اسم المستخدم.',
  ];
  const hasMsg = (text) => MSG.some((m) => text.includes(m) || text.includes(m.replace("'", '&#39;')));

  test('are refused, with a translated message, wherever a password is set', async () => {
    const login = `salma${Date.now() % 100000}`;
    const bad = `My-${login.toUpperCase()}-password`; // case is ignored
    // Creation through the API.
    const c1 = await admin.api('POST', '/api/v1/users', { login, role: 'coach', regions: [], password: bad });
    assert.equal(c1.status, 422, c1.text);
    assert.ok(hasMsg(c1.json().error.fields.password), c1.text);
    // Creation through the page.
    const page = await loggedIn(env.base, 'admin');
    await page.get('/admin/users/new');
    const c2 = await page.postForm('/admin/users', [['login', login], ['role', 'coach'], ['lang', 'en'], ['password', bad]]);
    assert.equal(c2.status, 422);
    assert.ok(hasMsg(c2.text), 'the form explains the refusal');
    // With a good password it is created; resets refuse it too, page and API.
    const good = 'a-good-temporary-2026';
    const c3 = await admin.api('POST', '/api/v1/users', { login, role: 'coach', regions: [], password: good });
    assert.equal(c3.status, 201, c3.text);
    const u = c3.json();
    const r1 = await admin.api('POST', `/api/v1/users/${u.id}/password`, { password: bad, version: u.version });
    assert.equal(r1.status, 422, r1.text);
    assert.ok(hasMsg(r1.json().error.fields.password));
    await page.get(`/admin/users/${u.id}`);
    const r2 = await page.postForm(`/admin/users/${u.id}/password`, [['version', String(u.version)], ['password', bad]]);
    assert.equal(r2.status, 422);
    assert.ok(hasMsg(r2.text));
    // One's own change of password.
    const me = new Client(env.base);
    await me.get('/login');
    assert.equal((await me.postForm('/login', { login, password: good, next: '/' })).status, 303);
    await me.get('/account/password');
    const own = await me.postForm('/account/password', { current_password: good, password: `${login}-forever-2026`, password_confirm: `${login}-forever-2026` });
    assert.equal(own.status, 422);
    assert.ok(hasMsg(own.text));
    const ok = await me.postForm('/account/password', { current_password: good, password: 'quite-another-secret', password_confirm: 'quite-another-secret' });
    assert.equal(ok.status, 303, ok.text.slice(0, 300));
    // The command line refuses it too.
    const cli = await run(['user', 'add', '--db', env.db, '--login', `${login}x`, '--role', 'coach', '--password-stdin'], { input: `${login}x-very-long-password\n` });
    assert.equal(cli.code, 1, cli.stderr);
    assert.match(cli.stderr, /must not contain the login/);
  });
});

describe('shutdown', () => {
  test('the server stops on SIGTERM with exit code 0', async () => {
    const r = await env.server.stop();
    assert.equal(r.signal, null, `no signal death (log: ${r.log.slice(-2000)})`);
    assert.equal(r.code, 0, `exit code 0 (log: ${r.log.slice(-2000)})`);
  });
});
