// tokens.test.mjs: API tokens expire, are listed without the token, and are revoked at once
// (CLI and admin page); session lifetimes are set with serve --session-idle/--session-max.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, cleanupDirs, loggedIn, run, runOk, setupServer, sqlite as sql, startServer } from './lib.mjs';

let env;
let adminPage;

before(async () => {
  env = await setupServer();
  adminPage = await loggedIn(env.base, 'admin');
});

after(async () => {
  if (env && env.server.exited() === null) await env.server.stop();
  cleanupDirs();
});

async function create(login, extra = []) {
  const r = await runOk(['token', 'create', '--db', env.db, '--login', login, ...extra]);
  return r.stdout.trim();
}

const me = (token) => new Client(env.base, { bearer: token }).get('/api/v1/cooperatives?per_page=1');

describe('API tokens from the command line', () => {
  test('a token lives the days it was given, and the list shows it without the token', async () => {
    const token = await create('coach', ['--days', '7', '--label', 'field tablet']);
    assert.match(token, /^mq_[0-9a-f]{48}$/);
    assert.equal((await me(token)).status, 200);
    const list = await runOk(['token', 'list', '--db', env.db, '--login', 'coach']);
    const line = list.stdout.split('\n').find((l) => l.includes('field tablet'));
    assert.ok(line, list.stdout);
    assert.ok(!list.stdout.includes(token.slice(3)), 'never the token');
    const [id, login, label, created, expires] = line.split('\t');
    assert.ok(Number(id) > 0);
    assert.equal(login, 'coach');
    assert.equal(label, 'field tablet');
    const days = (Date.parse(expires.replace(' UTC', 'Z')) - Date.parse(created.replace(' UTC', 'Z'))) / 86400000;
    assert.ok(Math.abs(days - 7) < 0.01, `${created} -> ${expires}`);
    assert.equal(sql(env.db, `SELECT count(*) FROM api_token WHERE rowid = ${id} AND expires_at - created_at = ${7 * 86400}`), '1');
  });

  test('an expired token is refused like an unknown one', async () => {
    const token = await create('viewer', ['--label', 'to expire']);
    assert.equal((await me(token)).status, 200);
    sql(env.db, "UPDATE api_token SET expires_at = strftime('%s','now') - 1 WHERE label = 'to expire'");
    const r = await me(token);
    assert.equal(r.status, 401);
    const list = await runOk(['token', 'list', '--db', env.db]);
    assert.match(list.stdout, /to expire\t[^\n]*\(expired\)/);
  });

  test('a revoked token stops at once; bad options are refused', async () => {
    const token = await create('viewer', ['--label', 'to revoke']);
    const id = sql(env.db, "SELECT rowid FROM api_token WHERE label = 'to revoke'");
    assert.equal((await me(token)).status, 200);
    const r = await runOk(['token', 'revoke', '--db', env.db, '--id', id]);
    assert.equal(r.stdout, `token ${id} revoked\n`);
    assert.equal((await me(token)).status, 401);
    const again = await run(['token', 'revoke', '--db', env.db, '--id', id]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /no token has this id/);
    for (const days of ['0', '3651', 'x']) {
      const bad = await run(['token', 'create', '--db', env.db, '--login', 'viewer', '--days', days]);
      assert.equal(bad.code, 2, days);
      assert.match(bad.stderr, /--days is a number from 1 to 3650/);
    }
    const nobody = await run(['token', 'create', '--db', env.db, '--login', 'nobody-here']);
    assert.equal(nobody.code, 1);
  });
});

describe('API tokens on the account page', () => {
  test('the admin makes a token (shown once), sees it listed, and revokes it', async () => {
    const uid = sql(env.db, "SELECT id FROM app_user WHERE login = 'officer03'");
    const page = await adminPage.get(`/admin/users/${uid}`);
    assert.equal(page.status, 200);
    assert.ok(page.text.includes('id="tokens"'));
    const made = await adminPage.postForm(`/admin/users/${uid}/tokens`, { label: 'régional ٢٠٢٦', days: '30' });
    assert.equal(made.status, 200, made.text.slice(0, 400));
    assert.equal(made.headers.get('cache-control'), 'no-store');
    const token = /id="new-token">(mq_[0-9a-f]{48})</.exec(made.text)[1];
    assert.equal((await me(token)).status, 200);
    const listed = await adminPage.get(`/admin/users/${uid}`);
    assert.ok(listed.text.includes('régional ٢٠٢٦'));
    assert.ok(!listed.text.includes(token), 'the page never shows it again');
    const id = sql(env.db, "SELECT rowid FROM api_token WHERE label = 'régional ٢٠٢٦'");
    assert.match(listed.text, new RegExp(`action="/admin/tokens/${id}/revoke"`));

    const officer = await loggedIn(env.base, 'officer03');
    const refused = await officer.postForm(`/admin/tokens/${id}/revoke`, {});
    assert.equal(refused.status, 403);
    assert.equal((await me(token)).status, 200);

    const rv = await adminPage.postForm(`/admin/tokens/${id}/revoke`, {});
    assert.equal(rv.status, 303);
    assert.equal(rv.location, `/admin/users/${uid}#tokens`);
    assert.equal((await me(token)).status, 401);
    assert.equal((await adminPage.postForm(`/admin/tokens/${id}/revoke`, {})).status, 404);
    // The trail has the creation and the revocation, never the token's hash.
    const trail = sql(env.db, `SELECT action || ' ' || detail FROM audit_log WHERE entity = 'api_token' AND entity_id = ${id} ORDER BY id`);
    assert.match(trail, /^insert .*"token_hash":\[null,"\*\*\*"\]/);
    assert.match(trail, /\ndelete .*"token_hash":\["\*\*\*",null\]/);
  });

  test('bad values are named by field', async () => {
    const uid = sql(env.db, "SELECT id FROM app_user WHERE login = 'coach'");
    for (const [form, field] of [[{ days: '0' }, 'days'], [{ days: '99999' }, 'days'], [{ days: '' }, 'days'], [{ days: '5', label: 'x'.repeat(101) }, 'label']]) {
      const before = sql(env.db, 'SELECT count(*) FROM api_token');
      const r = await adminPage.postForm(`/admin/users/${uid}/tokens`, form);
      assert.equal(r.status, 422, JSON.stringify(form));
      assert.ok(r.text.includes(`<code>${field}</code>`), r.text.slice(0, 300));
      assert.equal(sql(env.db, 'SELECT count(*) FROM api_token'), before, 'nothing created');
    }
  });
});

describe('session lifetimes', () => {
  test('--session-idle ends a session idle longer than it; the default keeps it', async () => {
    const s = await startServer(env.db, { args: ['--session-idle', '1'] });
    try {
      const c = await loggedIn(s.base, 'viewer');
      assert.equal((await c.get('/cooperatives')).status, 200);
      // Two minutes without a request, as the database sees it.
      const uid = sql(env.db, "SELECT id FROM app_user WHERE login = 'viewer'");
      sql(env.db, `UPDATE session SET last_seen = last_seen - 120 WHERE user_id = ${uid}`);
      const r = await c.get('/cooperatives');
      assert.equal(r.status, 303);
      assert.match(r.location, /^\/login/);
      // The same idleness under the default (30 minutes) keeps the session.
      const d = await loggedIn(env.base, 'viewer');
      sql(env.db, `UPDATE session SET last_seen = last_seen - 120 WHERE user_id = ${uid}`);
      assert.equal((await d.get('/cooperatives')).status, 200);
    } finally {
      await s.stop();
    }
  });

  test('lifetimes outside their bounds are refused at start', async () => {
    for (const args of [['--session-idle', '0'], ['--session-idle', '241'], ['--session-max', '25'], ['--session-idle', '120', '--session-max', '1']]) {
      const r = await run(['serve', '--db', env.db, '--listen', '127.0.0.1:1', ...args]);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    }
  });
});
