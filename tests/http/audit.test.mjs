// audit.test.mjs: the audit trail. Writes are recorded with their field-level before/after by
// whom and from where; logins, failed logins, logouts, refusals and exports are events; secrets
// never enter it; failed writes leave nothing; only admins read it; and a hand edit of the
// database breaks the chain, which `murafiq audit verify` and the verify page name.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  Client, DEMO_PASSWORD, cleanupDirs, coopData, htmlDecode, loggedIn, personData, run, setupServer, tokenClient, uniqueWord,
} from './lib.mjs';

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

/** The audit entries matching the query (newest first), read through the API as admin. */
async function entries(qs) {
  const r = await admin.get(`/api/v1/audit?${qs}`);
  assert.equal(r.status, 200, r.text);
  return r.json().items;
}

function sql(query) {
  const r = spawnSync('sqlite3', [env.db, query], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

describe('writes', () => {
  test('creating a cooperative records every field it was given, by whom and from where', async () => {
    const data = coopData();
    const r = await admin.api('POST', '/api/v1/cooperatives', data);
    assert.equal(r.status, 201, r.text);
    const c = r.json();
    const [e, ...rest] = await entries(`entity=cooperative&entity_id=${c.id}`);
    assert.equal(rest.length, 0);
    assert.equal(e.action, 'insert');
    assert.equal(e.login, 'admin');
    assert.equal(e.ip, '127.0.0.1');
    assert.ok(e.user_id > 0);
    assert.match(e.at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.deepEqual(e.detail.changes.name_fr, [null, data.name_fr]);
    assert.deepEqual(e.detail.changes.register_number, [null, data.register_number]);
    assert.deepEqual(e.detail.changes.members_total, [null, 12]);
    assert.equal(e.detail.changes.name_fold, undefined, 'derived columns are left out');
  });

  test('an edit records only the fields that changed, with their value before and after', async () => {
    const c = (await admin.api('POST', '/api/v1/cooperatives', coopData())).json();
    const r = await admin.api('PATCH', `/api/v1/cooperatives/${c.id}`, { phone: '05 22 11 00 99', members_women: 6 });
    assert.equal(r.status, 200, r.text);
    const [e] = await entries(`entity=cooperative&entity_id=${c.id}&action=update`);
    assert.deepEqual(e.detail.changes, { phone: ['06 12 34 56 78', '05 22 11 00 99'], members_women: [5, 6] });
    // The page of the cooperative shows its history, newest first.
    const page = await adminPage.get(`/cooperatives/${c.id}`);
    assert.equal(page.status, 200);
    const hist = page.text.slice(page.text.indexOf('class="panel history"'));
    assert.ok(hist.length > 0 && page.text.includes('class="panel history"'));
    assert.ok(hist.indexOf('05 22 11 00 99') > 0, 'the new value is shown');
    assert.ok(hist.indexOf('<del><bdi>06 12 34 56 78</bdi></del>') > 0, 'the old value is shown');
    assert.ok(hist.indexOf('05 22 11 00 99') < hist.indexOf(c.register_number), 'the edit comes before the creation');
  });

  test('a refused write (bad input, stale version) records nothing', async () => {
    const before = Number(sql('SELECT max(id) FROM audit_log'));
    const bad = await admin.api('POST', '/api/v1/cooperatives', coopData({ legal_date: '2023-02-30' }));
    assert.equal(bad.status, 422);
    const c = (await admin.api('POST', '/api/v1/cooperatives', coopData())).json();
    const afterCreate = Number(sql('SELECT max(id) FROM audit_log'));
    assert.equal(afterCreate, before + 1, 'only the good creation is recorded');
    const stale = await admin.api('PATCH', `/api/v1/cooperatives/${c.id}`, { phone: '0500000000', version: c.version + 5 });
    assert.equal(stale.status, 409, stale.text);
    assert.equal(Number(sql('SELECT max(id) FROM audit_log')), afterCreate);
  });

  test('passwords and national ID numbers never enter the trail, only that they changed', async () => {
    const nid = `ZT${Math.floor(100000 + Math.random() * 800000)}`;
    const p = await admin.api('POST', '/api/v1/people', personData({ national_id: nid }));
    assert.equal(p.status, 201, p.text);
    const person = p.json();
    const [e] = await entries(`entity=person&entity_id=${person.id}`);
    const secretCols = Object.keys(e.detail.changes).filter((k) => k.startsWith('national_id'));
    assert.ok(secretCols.length > 0, JSON.stringify(e.detail));
    for (const k of secretCols) assert.deepEqual(e.detail.changes[k], [null, '***']);
    assert.equal(sql(`SELECT count(*) FROM audit_log WHERE detail LIKE '%${nid}%'`), '0');

    const login = uniqueWord('au').toLowerCase().replace(/[^a-z0-9]/g, '').slice(0, 20);
    const u = await admin.api('POST', '/api/v1/users', { login, role: 'coach', regions: [], password: 'temporaire-2026-xyz' });
    assert.equal(u.status, 201, u.text);
    const uid = u.json().id;
    const reset = await admin.api('POST', `/api/v1/users/${uid}/password`, { password: 'un-autre-mot-2026-abc' });
    assert.ok(reset.status === 200 || reset.status === 204, reset.text);
    const [upd] = await entries(`entity=app_user&entity_id=${uid}&action=update`);
    assert.deepEqual(upd.detail.changes.password_hash, ['***', '***']);
    const hash = sql(`SELECT password_hash FROM app_user WHERE id = ${uid}`);
    assert.equal(sql(`SELECT count(*) FROM audit_log WHERE instr(detail, '${hash.slice(0, 40)}') > 0`), '0');
  });
});

describe('events', () => {
  test('a failed login names the login as typed; a login and a logout name the user', async () => {
    const c = new Client(env.base);
    await c.get('/login');
    const bad = await c.postForm('/login', { login: 'viewer', password: 'not-the-password-at-all' });
    assert.equal(bad.status, 401);
    const [f] = await entries('action=login_failed&login=viewer');
    assert.equal(f.user_id, null);
    assert.equal(f.detail.reason.length > 0, true);

    const ok = await c.postForm('/login', { login: 'viewer', password: DEMO_PASSWORD, next: '/' });
    assert.equal(ok.status, 303);
    const [l] = await entries('action=login&login=viewer');
    assert.ok(l.user_id > 0);
    assert.equal(l.entity, 'app_user');
    assert.equal(l.entity_id, l.user_id);
    await c.get('/about');
    const out = await c.postForm('/logout', {});
    assert.equal(out.status, 303);
    const [o] = await entries('action=logout&login=viewer');
    assert.ok(o.id > l.id);
  });

  test('a permission refusal and a CSRF refusal are recorded with the path', async () => {
    const viewer = await loggedIn(env.base, 'viewer');
    const r = await viewer.get('/admin/users');
    assert.equal(r.status, 403);
    const [e] = await entries('action=refused&login=viewer');
    assert.deepEqual(e.detail, { method: 'GET', path: '/admin/users' });
    const nocsrf = await adminPage.request('/cooperatives', { method: 'POST', form: { name_fr: 'x' } });
    assert.equal(nocsrf.status, 403);
    const [e2] = await entries('action=refused&login=admin');
    assert.deepEqual(e2.detail, { method: 'POST', path: '/cooperatives' });
  });

  test('the command line is named "cli:" and the system user; its export is recorded too', async () => {
    const out = `${env.dir}/export.csv`;
    const r = await run(['export', 'cooperatives', '--db', env.db, '--output', out]);
    assert.equal(r.code, 0, r.stderr);
    const [e] = await entries('action=export');
    assert.match(e.login, /^cli:\S+$/);
    assert.equal(e.user_id, null);
    assert.deepEqual(e.detail, { command: 'export cooperatives', output: out });
  });

  test('an export is recorded with its filters', async () => {
    const r = await adminPage.get('/cooperatives/export.csv?region=03&sector=agriculture');
    assert.equal(r.status, 200);
    const [e] = await entries('action=export&login=admin');
    assert.equal(e.detail.path, '/cooperatives/export.csv');
    assert.match(e.detail.query, /region=03/);
    assert.match(e.detail.query, /sector=agriculture/);
  });
});

describe('reading the trail', () => {
  test('only admins read it, in pages and API', async () => {
    for (const who of ['program_manager', 'viewer']) {
      const login = who === 'program_manager' ? 'manager' : who;
      const c = await loggedIn(env.base, login);
      assert.equal((await c.get('/admin/audit')).status, 403);
      assert.equal((await c.get('/api/v1/audit')).status, 403);
      assert.equal((await c.get('/admin/audit/verify')).status, 403);
    }
    const page = await adminPage.get('/admin/audit?action=login');
    assert.equal(page.status, 200);
    assert.ok(page.text.includes('id="audit-'));
  });

  test('filters by login, record, action and dates; bad filters are named', async () => {
    const c = (await admin.api('POST', '/api/v1/cooperatives', coopData())).json();
    const today = new Date().toISOString().slice(0, 10);
    const got = await entries(`login=admin&entity=cooperative&entity_id=${c.id}&action=insert&from=${today}&to=${today}`);
    assert.equal(got.length, 1);
    assert.equal(got[0].entity_id, c.id);
    assert.equal((await entries(`entity=cooperative&entity_id=${c.id}&to=2020-01-01`)).length, 0);
    assert.equal((await entries(`entity=cooperative&entity_id=${c.id}&login=viewer`)).length, 0);

    const bad = await admin.get('/api/v1/audit?from=2026-02-30&entity_id=abc');
    assert.equal(bad.status, 422);
    const fields = bad.json().error.fields;
    assert.ok(fields.from && fields.entity_id, JSON.stringify(fields));
    const inverted = await admin.get('/api/v1/audit?from=2026-05-01&to=2026-04-01');
    assert.equal(inverted.status, 422);
    assert.ok(inverted.json().error.fields.to);
    const page = await adminPage.get('/admin/audit?from=2026-02-30');
    assert.equal(page.status, 400);
    assert.match(htmlDecode(page.text), /aria-invalid="true"/);
  });

  test('pages of 50, newest first, with a link to the older page', async () => {
    const p1 = (await admin.get('/api/v1/audit')).json();
    assert.equal(p1.items.length, 50);
    assert.equal(p1.more, true);
    const p2 = (await admin.get('/api/v1/audit?page=2')).json();
    assert.ok(p1.items[49].id > p2.items[0].id);
    for (let i = 1; i < p1.items.length; i++) assert.ok(p1.items[i - 1].id > p1.items[i].id);
    const page = await adminPage.get('/admin/audit');
    assert.match(page.text, /rel="next" href="\/admin\/audit\?page=2"/);
  });
});

describe('the chain', () => {
  test('intact: every entry links to the one before and matches its hash', async () => {
    const r = await run(['audit', 'verify', '--db', env.db]);
    assert.equal(r.code, 0, r.stderr);
    const n = Number(sql('SELECT count(*) FROM audit_log'));
    assert.match(r.stdout, new RegExp(`^audit: ${n} entries, chain intact; last entry \\d+, hash [0-9a-f]{64}\\n$`));
    const v = (await admin.get('/api/v1/audit/verify')).json();
    assert.equal(v.intact, true);
    assert.ok(v.entries >= n);
  });

  test('the log refuses updates and deletes, even from the sqlite3 shell', () => {
    for (const q of ['UPDATE audit_log SET login = \'x\' WHERE id = 3', 'DELETE FROM audit_log WHERE id = 3']) {
      const r = spawnSync('sqlite3', [env.db, q], { encoding: 'utf8' });
      assert.notEqual(r.status, 0);
      assert.match(r.stderr, /append-only/);
    }
  });

  // Last: it breaks the chain of this database for good.
  test('a hand edit is found and named by the CLI, the API and the verify page', async () => {
    const target = Number(sql("SELECT min(id) FROM audit_log WHERE entity = 'cooperative' AND action = 'update'"));
    sql(`DROP TRIGGER audit_log_no_update; UPDATE audit_log SET detail = detail || ' ' WHERE id = ${target}`);
    const r = await run(['audit', 'verify', '--db', env.db]);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, `audit: chain broken at entry ${target}: its content does not match its hash\n`);
    const v = (await admin.get('/api/v1/audit/verify')).json();
    assert.deepEqual(v, { intact: false, broken_at: target, reason: 'its content does not match its hash' });
    const fr = await loggedIn(env.base, 'admin');
    const page = await fr.get('/admin/audit/verify');
    assert.equal(page.status, 200);
    assert.ok(page.text.includes('role="alert"'));
    assert.ok(htmlDecode(page.text).includes(String(target)));

    // Removing an entry: the next one names the gap.
    const last = Number(sql('SELECT max(id) FROM audit_log'));
    sql(`DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE id = ${target}`);
    const r2 = await run(['audit', 'verify', '--db', env.db]);
    assert.equal(r2.code, 1);
    assert.equal(r2.stdout, `audit: chain broken at entry ${target + 1}: entries before it are missing\n`);
    assert.ok(last > target);
  });
});
