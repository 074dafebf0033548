// cli.test.mjs: the murafiq command line: exit codes, users, tokens, CSV import/export, backup
// (checked through a server running on the copy).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  Client,
  apiTotal,
  cleanupDirs,
  communeOf,
  csvObjects,
  loggedIn,
  provinceOf,
  run,
  runOk,
  setupServer,
  startServer,
  tempDir,
  tokenClient,
  uniqueRegister,
} from './lib.mjs';

let env;
let admin;
let scratch; // a directory for files made by the tests

before(async () => {
  env = await setupServer();
  admin = await tokenClient(env.base, env.db, 'admin');
  scratch = tempDir();
});

after(async () => {
  if (env && env.server.exited() === null) await env.server.stop();
  cleanupDirs();
});

/** A failure must be explained on exactly one line of standard error. */
function assertOneLine(r, what) {
  const lines = r.stderr.trim().split('\n').filter((l) => l.trim() !== '');
  assert.equal(lines.length, 1, `${what}: one line on stderr, got ${JSON.stringify(r.stderr)}`);
}

async function exportRecords(db = env.db) {
  const r = await runOk(['export', 'cooperatives', '--db', db]);
  return csvObjects(r.stdout);
}

describe('usage and exit codes', () => {
  test('help and --help exit 0 and list the commands', async () => {
    for (const args of [['help'], ['--help']]) {
      const r = await run(args);
      assert.equal(r.code, 0, args.join(' '));
      for (const cmd of ['init', 'demo', 'serve', 'user', 'token', 'import', 'export', 'backup']) {
        assert.match(r.stdout, new RegExp(`\\b${cmd}\\b`), `${args}: lists ${cmd}`);
      }
    }
    for (const cmd of ['init', 'demo', 'serve', 'backup']) {
      const r = await run([cmd, '--help']);
      assert.equal(r.code, 0, `${cmd} --help`);
      assert.match(r.stdout, /usage: murafiq/);
    }
    for (const cmd of [['user', 'add'], ['token', 'create'], ['import', 'cooperatives'], ['export', 'cooperatives']]) {
      const r = await run([...cmd, '--help']);
      assert.equal(r.code, 0, `${cmd.join(' ')} --help`);
      assert.match(r.stdout, /usage: murafiq/);
    }
  });

  test('no command and an unknown command exit 2', async () => {
    assert.equal((await run([])).code, 2);
    const r = await run(['frobnicate']);
    assert.equal(r.code, 2);
    assertOneLine(r, 'unknown command');
    assert.match(r.stderr, /frobnicate/);
  });

  test('a missing --db is a usage error (exit 2) for every command that needs it', async () => {
    const cases = [
      ['init'],
      ['demo'],
      ['serve'],
      ['user', 'add', '--login', 'abc', '--role', 'viewer', '--password-stdin'],
      ['token', 'create', '--login', 'admin'],
      ['import', 'cooperatives', path.join(scratch, 'none.csv')],
      ['export', 'cooperatives'],
      ['backup', path.join(scratch, 'none.db')],
    ];
    const wrong = [];
    for (const args of cases) {
      const r = await run(args, { input: 'a-long-enough-password\n' });
      if (r.code !== 2) wrong.push(`murafiq ${args.join(' ')} exited ${r.code}`);
      assertOneLine(r, args.join(' '));
    }
    assert.deepEqual(wrong, [], 'every one exits 2');
  });

  test('an unknown option exits 2', async () => {
    for (const args of [['init', '--db', path.join(scratch, 'x.db'), '--bogus'], ['export', 'cooperatives', '--db', env.db, '--format', 'xml']]) {
      const r = await run(args);
      assert.equal(r.code, 2, args.join(' '));
    }
    assert.ok(!fs.existsSync(path.join(scratch, 'x.db')), 'nothing created');
  });

  test('init on an existing file exits 1 and leaves the file alone', async () => {
    const before1 = fs.statSync(env.db).size;
    const r = await run(['init', '--db', env.db]);
    assert.equal(r.code, 1);
    assertOneLine(r, 'init existing');
    assert.equal(fs.statSync(env.db).size, before1);
    assert.equal((await admin.get('/healthz')).status, 200, 'the server still works');
  });

  test('commands on a database that does not exist exit 1', async () => {
    const missing = path.join(scratch, 'missing.db');
    for (const args of [['export', 'cooperatives', '--db', missing], ['serve', '--db', missing, '--listen', '127.0.0.1:1']]) {
      const r = await run(args);
      assert.equal(r.code, 1, args.join(' '));
      assertOneLine(r, args.join(' '));
    }
    assert.ok(!fs.existsSync(missing), 'not created by accident');
  });
});

describe('users and tokens', () => {
  const addUser = (args, password) => run(['user', 'add', '--db', env.db, ...args, '--password-stdin'], { input: `${password}\n` });

  test('a short password is refused (exit 1), and the user cannot log in', async () => {
    const r = await addUser(['--login', 'shorty', '--role', 'viewer'], 'short');
    assert.equal(r.code, 1);
    assertOneLine(r, 'short password');
    const c = new Client(env.base);
    await c.get('/login');
    const l = await c.postForm('/login', { login: 'shorty', password: 'short', next: '/' });
    assert.equal(l.status, 401);
  });

  test('a regional officer without a region is refused (exit 1)', async () => {
    const r = await addUser(['--login', 'noregion', '--role', 'regional_officer'], 'a-good-long-password');
    assert.equal(r.code, 1);
    assertOneLine(r, 'officer without region');
    const c = new Client(env.base);
    await c.get('/login');
    assert.equal((await c.postForm('/login', { login: 'noregion', password: 'a-good-long-password', next: '/' })).status, 401);
  });

  test('an unknown role or region, or an existing login, is refused', async () => {
    assert.notEqual((await addUser(['--login', 'badrole', '--role', 'superuser'], 'a-good-long-password')).code, 0);
    assert.notEqual((await addUser(['--login', 'badregion', '--role', 'regional_officer', '--region', '13'], 'a-good-long-password')).code, 0);
    assert.equal((await addUser(['--login', 'admin', '--role', 'viewer'], 'a-good-long-password')).code, 1);
    assert.equal((await addUser(['--login', 'Bad Login', '--role', 'viewer'], 'a-good-long-password')).code, 2);
  });

  test('a valid user can log in with the password given on stdin', async () => {
    const r = await addUser(['--login', 'agent.souss', '--role', 'regional_officer', '--region', '09'], 'souss-massa-password-1');
    assert.equal(r.code, 0, r.stderr);
    const c = await loggedIn(env.base, 'agent.souss', 'souss-massa-password-1');
    const j = (await c.api('GET', '/api/v1/cooperatives?per_page=200')).json();
    assert.ok(j.total > 0);
    assert.ok(j.items.every((x) => x.region_code === '09'), 'scoped to region 09');
  });

  test('token create prints a token that works as Bearer; a bad token is 401', async () => {
    const r = await runOk(['token', 'create', '--db', env.db, '--login', 'manager']);
    const token = r.stdout.trim();
    assert.match(token, /^mq_[0-9a-f]+$/);
    const ok = await fetch(`${env.base}/api/v1/cooperatives?per_page=1`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(ok.status, 200);
    assert.ok((await ok.json()).total > 0);
    for (const bad of [token.slice(0, -1) + (token.endsWith('0') ? '1' : '0'), 'mq_0000', '', token + 'x']) {
      const res = await fetch(`${env.base}/api/v1/cooperatives`, { headers: { authorization: `Bearer ${bad}` } });
      assert.equal(res.status, 401, `token ${JSON.stringify(bad)}`);
      assert.equal((await res.json()).error.code, 'unauthenticated');
    }
    const none = await run(['token', 'create', '--db', env.db, '--login', 'nobody']);
    assert.equal(none.code, 1);
    assertOneLine(none, 'token for unknown login');
  });
});

describe('import and export', () => {
  const HEADER = 'register_number,name_ar,name_fr,legal_date,sector,region_code,province_code,commune_code,members_total,members_women,notes';
  const q = (s) => `"${String(s).replace(/"/g, '""')}"`;
  const row = (r) =>
    [r.register_number, q(r.name_ar), q(r.name_fr), r.legal_date, r.sector, r.region_code, r.province_code, r.commune_code, r.members_total, r.members_women, q(r.notes)].join(',');
  const good = (over = {}) => {
    const province = provinceOf('05');
    return {
      register_number: uniqueRegister('IMP'),
      name_ar: 'تعاونية الاستيراد',
      name_fr: 'Coopérative import',
      legal_date: '2012-06-01',
      sector: 'handicraft',
      region_code: '05',
      province_code: province,
      commune_code: communeOf(province),
      members_total: 9,
      members_women: 4,
      notes: '',
      ...over,
    };
  };

  /**
   * line 1 header; 2 valid; 3-4 valid with a two-line quoted note; 5 bad date; 6 valid;
   * 7 unknown province. Returns {file, valid: [regs], bad: [regs]}.
   */
  function importFile(name) {
    const a = good();
    const b = good({ notes: 'first line\nsecond line, with "quotes"' });
    const badDate = good({ legal_date: '2023-02-30' });
    const c = good({ name_fr: 'Coopérative, avec virgule' });
    const badProvince = good({ province_code: '99.999', commune_code: '' });
    const text = [HEADER, row(a), row(b), row(badDate), row(c), row(badProvince)].join('\r\n') + '\r\n';
    const file = path.join(scratch, name);
    fs.writeFileSync(file, text);
    return { file, valid: [a, b, c], bad: [badDate, badProvince] };
  }

  test('valid rows are imported, bad rows reported by line and field (exit 1)', async () => {
    const { file, valid, bad } = importFile('mixed.csv');
    const total = await apiTotal(admin);
    const r = await run(['import', 'cooperatives', '--db', env.db, file]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /^line 5: legal_date: /m, `report: ${r.stdout}`);
    assert.match(r.stdout, /^line 7: province_code: /m, `report: ${r.stdout}`);
    assert.doesNotMatch(r.stdout, /^line [2346]:/m, 'valid lines are not reported');
    const { records } = await exportRecords();
    const byReg = new Map(records.map((x) => [x.register_number, x]));
    for (const v of valid) {
      const got = byReg.get(v.register_number);
      assert.ok(got, `${v.register_number} imported`);
      assert.equal(got.name_fr, v.name_fr);
      assert.equal(got.notes, v.notes);
      assert.equal(got.province_code, v.province_code);
    }
    for (const b of bad) assert.ok(!byReg.has(b.register_number), `${b.register_number} not imported`);
    assert.equal(await apiTotal(admin), total + 3, 'the running server sees the 3 new records');
  });

  test('--all-or-nothing with a bad row imports nothing (exit 1)', async () => {
    const { file, valid } = importFile('all.csv');
    const total = await apiTotal(admin);
    const r = await run(['import', 'cooperatives', '--db', env.db, '--all-or-nothing', file]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^line 5: legal_date: /m);
    assert.match(r.stdout, /^line 7: province_code: /m);
    const regs = new Set((await exportRecords()).records.map((x) => x.register_number));
    for (const v of valid) assert.ok(!regs.has(v.register_number), `${v.register_number} not imported`);
    assert.equal(await apiTotal(admin), total);
  });

  test('a clean file imports fully (exit 0), and the same file again is all duplicates', async () => {
    const rows = [good(), good(), good()];
    const file = path.join(scratch, 'clean.csv');
    fs.writeFileSync(file, [HEADER, ...rows.map(row)].join('\n') + '\n');
    const total = await apiTotal(admin);
    const r = await run(['import', 'cooperatives', '--db', env.db, '--all-or-nothing', file]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(await apiTotal(admin), total + 3);
    const again = await run(['import', 'cooperatives', '--db', env.db, file]);
    assert.equal(again.code, 1);
    assert.match(again.stdout, /^line 2: register_number: /m);
    assert.match(again.stdout, /^line 4: register_number: /m);
    assert.equal(await apiTotal(admin), total + 3);
  });

  test('a malformed CSV (unterminated quote) imports nothing (exit 1)', async () => {
    const ok = good();
    const file = path.join(scratch, 'broken.csv');
    fs.writeFileSync(file, `${HEADER}\n${row(ok)}\n${row(good()).replace(/"$/, '')}\n`);
    const total = await apiTotal(admin);
    const r = await run(['import', 'cooperatives', '--db', env.db, file]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    const regs = new Set((await exportRecords()).records.map((x) => x.register_number));
    assert.ok(!regs.has(ok.register_number), 'the valid row before the error is not imported');
    assert.equal(await apiTotal(admin), total);
  });

  test('a file with an unknown column, or without a required one, imports nothing (exit 1)', async () => {
    const total = await apiTotal(admin);
    const f1 = path.join(scratch, 'col.csv');
    fs.writeFileSync(f1, `${HEADER},colour\n${row(good())},blue\n`);
    assert.equal((await run(['import', 'cooperatives', '--db', env.db, f1])).code, 1);
    const f2 = path.join(scratch, 'req.csv');
    fs.writeFileSync(f2, 'register_number,name_fr\nX-1,Coop\n');
    assert.equal((await run(['import', 'cooperatives', '--db', env.db, f2])).code, 1);
    const f3 = path.join(scratch, 'empty.csv');
    fs.writeFileSync(f3, '');
    assert.equal((await run(['import', 'cooperatives', '--db', env.db, f3])).code, 1);
    assert.equal((await run(['import', 'cooperatives', '--db', env.db, path.join(scratch, 'absent.csv')])).code, 1);
    assert.equal(await apiTotal(admin), total);
  });

  test('export writes parseable CSV with the header and every record; --output writes the same', async () => {
    const r = await runOk(['export', 'cooperatives', '--db', env.db]);
    const { header, records } = csvObjects(r.stdout);
    assert.deepEqual(header, [
      'id', 'register_number', 'name_ar', 'name_fr', 'legal_date', 'activity_start_date', 'sector', 'activity', 'region_code',
      'province_code', 'commune_code', 'address', 'phone', 'email', 'members_total', 'members_women', 'members_youth',
      'is_soulalyate', 'is_women_only', 'status', 'notes',
    ]);
    assert.equal(records.length, await apiTotal(admin));
    assert.ok(records.every((x) => Object.keys(x).length === header.length && /^\d+$/.test(x.id)));
    assert.equal(new Set(records.map((x) => x.register_number)).size, records.length, 'register numbers unique');
    const out = path.join(scratch, 'out.csv');
    await runOk(['export', 'cooperatives', '--db', env.db, '--output', out]);
    assert.equal(fs.readFileSync(out, 'utf8'), r.stdout);
    // What export writes, import reads back (into a fresh database).
    const fresh = path.join(scratch, 'roundtrip.db');
    await runOk(['init', '--db', fresh]);
    const imp = await run(['import', 'cooperatives', '--db', fresh, '--all-or-nothing', out]);
    assert.equal(imp.code, 0, imp.stdout.slice(0, 2000) + imp.stderr);
    const back = (await exportRecords(fresh)).records;
    assert.equal(back.length, records.length);
    const strip = ({ id, ...rest }) => rest;
    const key = (x) => x.register_number;
    const sortBy = (a) => [...a].sort((x, y) => (key(x) < key(y) ? -1 : key(x) > key(y) ? 1 : 0));
    assert.deepEqual(sortBy(back).map(strip), sortBy(records).map(strip));
  });
});

describe('backup', () => {
  test('backup while the server runs gives a database another server can serve', async () => {
    // Writes in flight during the backup must not matter.
    const target = (await admin.api('GET', '/api/v1/cooperatives?per_page=1')).json().items[0].id;
    const writer = (async () => {
      for (let i = 0; i < 5; i++) {
        const w = await admin.api('PATCH', `/api/v1/cooperatives/${target}`, { notes: `during backup ${i}` });
        assert.equal(w.status, 200, w.text);
      }
    })();
    const dest = path.join(scratch, 'backup.db');
    const r = await run(['backup', '--db', env.db, dest]);
    await writer;
    assert.equal(r.code, 0, r.stderr);
    assert.ok(fs.statSync(dest).size > 0);
    const again = await run(['backup', '--db', env.db, dest]);
    assert.equal(again.code, 1, 'an existing destination is refused');
    assertOneLine(again, 'backup onto an existing file');

    const original = await apiTotal(admin);
    // A second backup made at rest, served by a second server.
    const dest2 = path.join(scratch, 'backup2.db');
    await runOk(['backup', '--db', env.db, dest2]);
    // A backup holds the database only: the key file of the national ID numbers is named.
    const keyEnv = { env: { MURAFIQ_KEY_FILE: `${env.db}.key` } };
    const copy = await startServer(dest2, keyEnv);
    try {
      const viaCopy = await tokenClient(copy.base, dest2, 'admin');
      assert.equal(await apiTotal(viaCopy), original, 'same total on the copy');
      for (const region of ['01', '06', '12']) {
        assert.equal(await apiTotal(viaCopy, `region=${region}`), await apiTotal(admin, `region=${region}`), `region ${region}`);
      }
      // Demo accounts came along: a login works on the copy.
      const c = await loggedIn(copy.base, 'viewer');
      assert.equal((await c.get('/cooperatives')).status, 200);
    } finally {
      const stopped = await copy.stop();
      assert.equal(stopped.code, 0, `the copy's server stops cleanly: ${stopped.log.slice(-1000)}`);
    }
    // The first backup (taken during writes) is a valid database too.
    const first = await startServer(dest, keyEnv);
    try {
      const t = await tokenClient(first.base, dest, 'admin');
      assert.equal(await apiTotal(t), original);
    } finally {
      assert.equal((await first.stop()).code, 0);
    }
  });
});

describe('shutdown', () => {
  test('the server stops on SIGTERM with exit code 0', async () => {
    const r = await env.server.stop();
    assert.equal(r.signal, null, `no signal death (log: ${r.log.slice(-2000)})`);
    assert.equal(r.code, 0, `exit code 0 (log: ${r.log.slice(-2000)})`);
  });
});
