// accounts.test.mjs: account administration (pages, API, CLI): create, edit, disable, enable,
// password reset with the forced change at next login, and who may do it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, DEMO_PASSWORD, cleanupDirs, htmlDecode, loggedIn, run, setupServer, tokenClient, uniqueWord } from './lib.mjs';

let env;
let admin; // bearer client of the demo admin
let adminPage; // logged-in session of the demo admin

before(async () => {
  env = await setupServer();
  admin = await tokenClient(env.base, env.db, 'admin');
  adminPage = await loggedIn(env.base, 'admin');
});

after(async () => {
  if (env && env.server.exited() === null) await env.server.stop();
  cleanupDirs();
});

const newLogin = () => uniqueWord('u').toLowerCase().replace(/[^a-z0-9._-]/g, '').slice(0, 30);
const TEMP = 'temporaire-2026-xyz';
const OWN = 'mon-propre-mot-de-passe';

/** Creates an account through the API; returns its JSON. */
async function mkUser(data = {}) {
  const body = { login: newLogin(), role: 'coach', regions: [], password: TEMP, ...data };
  const r = await admin.api('POST', '/api/v1/users', body);
  assert.equal(r.status, 201, r.text);
  return r.json();
}

/** Logs in through the form; returns {client, response}. The CSRF token is learnt from the page
 * the login leads to (the password change page when a change is due). */
async function logIn(login, password) {
  const c = new Client(env.base);
  await c.get('/login');
  const r = await c.postForm('/login', { login, password, next: '/' });
  if (r.status === 303) {
    const next = await c.get('/account/password');
    assert.equal(next.status, 200);
  }
  return { c, r };
}

/** Logs in and makes the forced change of password; returns the client. */
async function logInAndChange(login, temp = TEMP, own = OWN) {
  const { c, r } = await logIn(login, temp);
  assert.equal(r.status, 303, r.text.slice(0, 300));
  const ch = await c.postForm('/account/password', { current_password: temp, password: own, password_confirm: own });
  assert.equal(ch.status, 303, ch.text.slice(0, 500));
  return c;
}

async function token(login) {
  const r = await run(['token', 'create', '--db', env.db, '--login', login]);
  assert.equal(r.code, 0, r.stderr);
  return new Client(env.base, { bearer: r.stdout.trim() });
}

describe('creating an account', () => {
  test('an admin creates a user through the form; the user logs in and must choose a password', async () => {
    const login = newLogin();
    const form = await adminPage.get('/admin/users/new');
    assert.equal(form.status, 200);
    const r = await adminPage.postForm('/admin/users', [['login', login], ['role', 'regional_officer'], ['regions', '03'], ['regions', '06'], ['lang', 'fr'], ['password', TEMP]]);
    assert.equal(r.status, 303, r.text.slice(0, 500));
    assert.match(r.location, /^\/admin\/users\/\d+$/);
    const page = await adminPage.get(r.location);
    assert.equal(page.status, 200);
    assert.ok(page.text.includes(login));
    const list = await adminPage.get('/admin/users');
    assert.ok(list.text.includes(`>${login}<`), 'listed');

    const { c, r: lr } = await logIn(login, TEMP);
    assert.equal(lr.status, 303);
    const home = await c.get('/cooperatives');
    assert.equal(home.status, 303);
    assert.equal(home.location, '/account/password');
    const ch = await c.postForm('/account/password', { current_password: TEMP, password: OWN, password_confirm: OWN });
    assert.equal(ch.status, 303, ch.text.slice(0, 500));
    const after = await c.get('/cooperatives');
    assert.equal(after.status, 200);
    assert.match(after.text, /<html lang="fr"/, 'the language chosen by the admin');
    const me = (await admin.api('GET', r.location.replace('/admin/users', '/api/v1/users'))).json();
    assert.deepEqual(me.regions, ['03', '06']);
    assert.equal(me.must_change_password, false);
    assert.ok(me.last_login_at, 'last login recorded');
  });

  test('refusals: bad login (escaped), officer without region, unknown region, short password, taken login', async () => {
    const before = (await admin.api('GET', '/api/v1/users')).json().total;
    const xss = '<script>alert(1)</script>';
    const bad = await adminPage.postForm('/admin/users', [['login', xss], ['role', 'coach'], ['password', TEMP]]);
    assert.equal(bad.status, 422);
    assert.ok(!bad.text.includes(xss), 'the login is escaped');
    assert.ok(htmlDecode(bad.text).includes(xss), 'and shown again');
    for (const [body, field] of [
      [{ login: newLogin(), role: 'regional_officer', regions: [], password: TEMP }, 'regions'],
      [{ login: newLogin(), role: 'regional_officer', regions: ['99'], password: TEMP }, 'regions'],
      [{ login: newLogin(), role: 'coach', password: 'short' }, 'password'],
      [{ login: newLogin(), role: 'chief', password: TEMP }, 'role'],
      [{ login: 'AB', role: 'coach', password: TEMP }, 'login'],
      [{ login: newLogin(), role: 'coach', password: TEMP, disabled: true }, 'disabled'],
    ]) {
      const r = await admin.api('POST', '/api/v1/users', body);
      assert.equal(r.status, 422, `${JSON.stringify(body)}: ${r.text}`);
      assert.ok(r.json().error.fields[field], `${field}: ${r.text}`);
    }
    const dup = await admin.api('POST', '/api/v1/users', { login: 'coach', role: 'coach', password: TEMP });
    assert.equal(dup.status, 409);
    const dupPage = await adminPage.postForm('/admin/users', [['login', 'coach'], ['role', 'coach'], ['password', TEMP]]);
    assert.equal(dupPage.status, 409);
    assert.equal((await admin.api('GET', '/api/v1/users')).json().total, before, 'nothing written');
  });
});

describe('editing role and regions', () => {
  test('page and API; refusals write nothing; a stale version is 409', async () => {
    const u = await mkUser({ role: 'coach' });
    const path = `/admin/users/${u.id}`;
    await adminPage.get(path);
    const ok = await adminPage.postForm(path, [['version', String(u.version)], ['role', 'regional_officer'], ['regions', '05'], ['lang', 'ar']]);
    assert.equal(ok.status, 303, ok.text.slice(0, 400));
    let now = (await admin.api('GET', `/api/v1/users/${u.id}`)).json();
    assert.equal(now.role, 'regional_officer');
    assert.deepEqual(now.regions, ['05']);
    assert.equal(now.version, u.version + 1);

    const none = await adminPage.postForm(path, [['version', String(now.version)], ['role', 'regional_officer'], ['lang', 'ar']]);
    assert.equal(none.status, 422);
    const unknown = await adminPage.postForm(path, [['version', String(now.version)], ['role', 'regional_officer'], ['regions', '77'], ['lang', 'ar']]);
    assert.equal(unknown.status, 422);
    const apiNone = await admin.api('PATCH', `/api/v1/users/${u.id}`, { regions: [] });
    assert.equal(apiNone.status, 422);
    assert.ok(apiNone.json().error.fields.regions);
    const apiUnknown = await admin.api('PATCH', `/api/v1/users/${u.id}`, { regions: ['03', '13'] });
    assert.equal(apiUnknown.status, 422);
    assert.deepEqual((await admin.api('GET', `/api/v1/users/${u.id}`)).json(), now, 'nothing written');

    const stale = await adminPage.postForm(path, [['version', String(u.version)], ['role', 'viewer'], ['lang', 'ar']]);
    assert.equal(stale.status, 409);
    const staleApi = await admin.api('PATCH', `/api/v1/users/${u.id}`, { role: 'viewer', version: u.version });
    assert.equal(staleApi.status, 409);
    const patched = await admin.api('PATCH', `/api/v1/users/${u.id}`, { role: 'viewer', regions: [], version: now.version });
    assert.equal(patched.status, 200, patched.text);
    now = patched.json();
    assert.equal(now.role, 'viewer');
    assert.deepEqual(now.regions, []);
  });
});

describe('disabling', () => {
  test('a disabled user\'s session and token stop at once; enabling lets a new login work', async () => {
    const u = await mkUser({ role: 'viewer' });
    const c = await logInAndChange(u.login);
    assert.equal((await c.get('/cooperatives')).status, 200);
    const t = await token(u.login);
    assert.equal((await t.get('/api/v1/cooperatives')).status, 200);
    const v = (await admin.api('GET', `/api/v1/users/${u.id}`)).json().version;
    await adminPage.get(`/admin/users/${u.id}`);
    const d = await adminPage.postForm(`/admin/users/${u.id}/disable`, { version: v });
    assert.equal(d.status, 303, d.text.slice(0, 300));
    const page = await c.get('/cooperatives');
    assert.equal(page.status, 303);
    assert.match(page.location, /^\/login/);
    assert.equal((await t.get('/api/v1/cooperatives')).status, 401);
    const again = await logIn(u.login, OWN);
    assert.equal(again.r.status, 401, 'a disabled user cannot log in');
    const listed = (await admin.api('GET', `/api/v1/users/${u.id}`)).json();
    assert.equal(listed.disabled, true);

    const e = await admin.api('POST', `/api/v1/users/${u.id}/enable`, { version: listed.version });
    assert.equal(e.status, 200, e.text);
    assert.equal(e.json().disabled, false);
    const back = await logIn(u.login, OWN);
    assert.equal(back.r.status, 303);
    assert.equal((await back.c.get('/cooperatives')).status, 200);
    assert.equal((await t.get('/api/v1/cooperatives')).status, 401, 'the old token stays dead');

    const stale = await admin.api('POST', `/api/v1/users/${u.id}/disable`, { version: listed.version });
    assert.equal(stale.status, 409);
    const apiDis = await admin.api('POST', `/api/v1/users/${u.id}/disable`);
    assert.equal(apiDis.status, 200);
    assert.equal((await back.c.get('/cooperatives')).status, 303);
  });

  test('an admin cannot disable themself', async () => {
    const me = (await admin.api('GET', '/api/v1/users')).json().items.find((x) => x.login === 'admin');
    const r = await adminPage.postForm(`/admin/users/${me.id}/disable`, { version: me.version });
    assert.equal(r.status, 409);
    assert.match(r.text, /<html/);
    const a = await admin.api('POST', `/api/v1/users/${me.id}/disable`, {});
    assert.equal(a.status, 409);
    assert.equal((await admin.api('GET', `/api/v1/users/${me.id}`)).json().disabled, false);
    assert.equal((await adminPage.get('/admin/users')).status, 200);
  });
});

describe('password reset', () => {
  test('the old password stops; the temporary one leads to the change page until changed', async () => {
    const u = await mkUser({ role: 'coach' });
    const c0 = await logInAndChange(u.login);
    const t = await token(u.login);
    const v = (await admin.api('GET', `/api/v1/users/${u.id}`)).json().version;
    await adminPage.get(`/admin/users/${u.id}`);
    const r = await adminPage.postForm(`/admin/users/${u.id}/password`, { version: v, password: '' });
    assert.equal(r.status, 200, r.text.slice(0, 300));
    const temp = /<code>([0-9a-f]{16})<\/code>/.exec(r.text)?.[1];
    assert.ok(temp, 'a temporary password is shown once');
    assert.equal((await c0.get('/cooperatives')).status, 303, 'the old session ended');
    assert.equal((await logIn(u.login, OWN)).r.status, 401, 'the old password no longer works');

    const { c, r: lr } = await logIn(u.login, temp);
    assert.equal(lr.status, 303);
    for (const p of ['/', '/cooperatives', '/people', '/programs', `/admin/users`, '/about']) {
      const g = await c.get(p);
      assert.equal(g.status, 303, p);
      assert.ok(['/account/password', '/cooperatives'].includes(g.location), `${p}: ${g.location}`);
    }
    const form = await c.get('/account/password');
    assert.equal(form.status, 200);
    const api = await t.get('/api/v1/cooperatives');
    assert.equal(api.status, 403);
    assert.equal(api.json().error.code, 'password_change_required');

    const wrong = await c.postForm('/account/password', { current_password: 'not-the-temp-one', password: OWN, password_confirm: OWN });
    assert.equal(wrong.status, 422);
    const mismatch = await c.postForm('/account/password', { current_password: temp, password: OWN, password_confirm: OWN + 'x' });
    assert.equal(mismatch.status, 422);
    const same = await c.postForm('/account/password', { current_password: temp, password: temp, password_confirm: temp });
    assert.equal(same.status, 422);
    const noCsrf = await c.postForm('/account/password', { current_password: temp, password: OWN, password_confirm: OWN }, { csrf: false });
    assert.equal(noCsrf.status, 403);
    const ok = await c.postForm('/account/password', { current_password: temp, password: `${OWN}-2`, password_confirm: `${OWN}-2` });
    assert.equal(ok.status, 303);
    assert.equal((await c.get('/cooperatives')).status, 200, 'every page works again');
    assert.equal((await t.get('/api/v1/cooperatives')).status, 200, 'the API too');

    const apiReset = await admin.api('POST', `/api/v1/users/${u.id}/password`, { password: 'un-autre-temporaire' });
    assert.equal(apiReset.status, 200, apiReset.text);
    assert.equal(apiReset.json().must_change_password, true);
    assert.equal(apiReset.json().temporary_password, undefined, 'typed by the admin: not echoed');
    assert.equal((await c.get('/cooperatives')).status, 303);
    const short = await admin.api('POST', `/api/v1/users/${u.id}/password`, { password: 'short' });
    assert.equal(short.status, 422);
  });

  test('any user changes their own password from the link on their name', async () => {
    const u = await mkUser({ role: 'viewer' });
    const c = await logInAndChange(u.login);
    const other = await logIn(u.login, OWN);
    const page = await c.get('/cooperatives');
    assert.match(page.text, /href="\/account\/password"/);
    const r = await c.postForm('/account/password', { current_password: OWN, password: `${OWN}-new`, password_confirm: `${OWN}-new` });
    assert.equal(r.status, 303);
    assert.equal((await c.get('/cooperatives')).status, 200, 'this session stays');
    assert.equal((await other.c.get('/cooperatives')).status, 303, 'the other session ended');
  });
});

describe('who may administer accounts', () => {
  test('non-admins get 403 on every /admin and /api/v1/users route', async () => {
    const u = await mkUser();
    const routes = [
      ['GET', '/admin/users'], ['GET', '/admin/users/new'], ['POST', '/admin/users'], ['GET', `/admin/users/${u.id}`],
      ['POST', `/admin/users/${u.id}`], ['POST', `/admin/users/${u.id}/disable`], ['POST', `/admin/users/${u.id}/enable`], ['POST', `/admin/users/${u.id}/password`],
      ['GET', '/api/v1/users'], ['POST', '/api/v1/users'], ['GET', `/api/v1/users/${u.id}`], ['PATCH', `/api/v1/users/${u.id}`],
      ['POST', `/api/v1/users/${u.id}/disable`], ['POST', `/api/v1/users/${u.id}/enable`], ['POST', `/api/v1/users/${u.id}/password`],
    ];
    for (const who of ['manager', 'officer03', 'coach', 'viewer']) {
      const s = await loggedIn(env.base, who);
      const t = await tokenClient(env.base, env.db, who);
      for (const [m, p] of routes) {
        const api = p.startsWith('/api/');
        const r = api ? await t.api(m, p, m === 'GET' ? undefined : { role: 'admin', version: 1 }) : m === 'GET' ? await s.get(p) : await s.postForm(p, { version: 1, role: 'admin' });
        assert.equal(r.status, 403, `${m} ${p} as ${who}`);
      }
      const nav = await s.get('/cooperatives');
      assert.ok(!nav.text.includes('href="/admin/users"'), `${who}: no Accounts entry`);
    }
    assert.deepEqual((await admin.api('GET', `/api/v1/users/${u.id}`)).json(), u, 'nothing changed');
    assert.ok((await adminPage.get('/cooperatives')).text.includes('href="/admin/users"'), 'the admin sees Accounts');
  });

  test('CSRF on every account POST', async () => {
    const u = await mkUser();
    for (const p of ['/admin/users', `/admin/users/${u.id}`, `/admin/users/${u.id}/disable`, `/admin/users/${u.id}/enable`, `/admin/users/${u.id}/password`, '/account/password']) {
      const r = await adminPage.postForm(p, { version: u.version, login: newLogin(), role: 'coach', password: TEMP }, { csrf: false });
      assert.equal(r.status, 403, p);
      const w = await adminPage.postForm(p, { version: u.version, login: newLogin(), role: 'coach', password: TEMP }, { csrf: 'ffffffffffffffffffffffffffffffff' });
      assert.equal(w.status, 403, p);
    }
    const session = await loggedIn(env.base, 'admin');
    const api = await session.api('POST', `/api/v1/users/${u.id}/disable`, {}, { csrf: false });
    assert.equal(api.status, 403);
    assert.deepEqual((await admin.api('GET', `/api/v1/users/${u.id}`)).json(), u, 'nothing changed');
  });
});

describe('command line', () => {
  test('user list, disable, enable', async () => {
    const u = await mkUser({ role: 'regional_officer', regions: ['03', '08'] });
    const l = await run(['user', 'list', '--db', env.db]);
    assert.equal(l.code, 0, l.stderr);
    const line = l.stdout.split('\n').find((x) => x.startsWith(`${u.login}\t`));
    assert.equal(line, `${u.login}\tregional_officer\t03,08\tno\t-`);
    assert.match(l.stdout, /^admin\tadmin\t-\tno\t\d{4}-\d\d-\d\dT/m, 'the admin\'s last login');
    const c = await logInAndChange(u.login);
    const d = await run(['user', 'disable', '--db', env.db, '--login', u.login]);
    assert.equal(d.code, 0, d.stderr);
    assert.equal((await c.get('/cooperatives')).status, 303, 'disabled from the CLI: the session ended');
    assert.match((await run(['user', 'list', '--db', env.db])).stdout, new RegExp(`^${u.login}\\t.*\\tyes\\t`, 'm'));
    assert.equal((await run(['user', 'enable', '--db', env.db, '--login', u.login])).code, 0);
    assert.equal((await logIn(u.login, OWN)).r.status, 303);
    assert.equal((await run(['user', 'disable', '--db', env.db, '--login', 'nobody-here'])).code, 1);
    assert.equal((await run(['user', 'disable', '--db', env.db])).code, 2);
    assert.equal((await run(['user', 'frobnicate'])).code, 2);
    for (const sub of ['add', 'disable', 'enable', 'list']) {
      const h = await run(['user', sub, '--help']);
      assert.equal(h.code, 0, sub);
      assert.match(h.stdout, new RegExp(`murafiq user .*${sub}`), sub);
    }
  });
});
