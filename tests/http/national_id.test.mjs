// national_id.test.mjs: the national ID number encrypted at rest (issue 4, point 8): no plain
// number in the database file or its WAL, who sees it, duplicates found by the keyed hash,
// the key file (created by init, mode 0600, refused when others may read it, a wrong key
// refused at start), an altered record shown as a clear error, and the migration of a
// database from before the encryption.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  BIN,
  ROOT,
  cleanupDirs,
  formFields,
  freePort,
  loggedIn,
  personData,
  run,
  runOk,
  setField,
  setupServer,
  startServer,
  tempDir,
  tokenClient,
} from './lib.mjs';

let env;
let admin; // bearer
let adminS; // admin session (forms)
let officer; // officer03, session
let coach; // session, without PERM_NATIONAL_ID
let scratch;

before(async () => {
  env = await setupServer();
  scratch = tempDir('murafiq-nid-');
  admin = await tokenClient(env.base, env.db, 'admin');
  [adminS, officer, coach] = await Promise.all(['admin', 'officer03', 'coach'].map((u) => loggedIn(env.base, u)));
});

after(async () => {
  if (env && env.server.exited() === null) await env.server.stop();
  cleanupDirs();
});

/** Runs the sqlite3 shell on db (the test's view of the file, outside murafiq). */
function sql(db, statements) {
  return execFileSync('sqlite3', ['-batch', db, statements], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/** A national ID number nobody has yet. */
const freshNid = (tag = 'ZN') => `${tag}${crypto.randomInt(100000, 999999)}`;

/** Whether the bytes of the database, its WAL and its shared memory file contain text. */
function fileHolds(db, text) {
  const found = [];
  for (const f of [db, `${db}-wal`, `${db}-shm`]) {
    if (fs.existsSync(f) && fs.readFileSync(f).includes(Buffer.from(text, 'latin1'))) found.push(path.basename(f));
  }
  return found;
}

async function create(data, client = admin) {
  const r = await client.api('POST', '/api/v1/people', data);
  assert.equal(r.status, 201, r.text);
  return r.json();
}

/** Serve started on db with extra arguments and environment: resolves {code, stderr} when it
 * stops by itself (it is killed after 20 s otherwise, and the test fails). */
async function serveFails(db, args = [], extraEnv = {}) {
  const port = await freePort();
  return new Promise((resolve) => {
    const p = spawn(BIN, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`, ...args], {
      cwd: ROOT,
      env: { ...process.env, ...extraEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    p.stderr.setEncoding('utf8');
    p.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => p.kill('SIGKILL'), 20000);
    p.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stderr });
    });
  });
}

// ---------------------------------------------------------------- at rest

describe('at rest', () => {
  test('no plain number in the database file or its WAL: created, edited, and demo people', async () => {
    const nid = freshNid();
    const p = await create(personData({ national_id: nid }));
    assert.equal(p.national_id, nid);
    const q = await create(personData({ national_id: freshNid() }));
    const nid2 = freshNid('ZE');
    const r = await admin.api('PATCH', `/api/v1/people/${q.id}`, { national_id: nid2.toLowerCase(), version: q.version });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json().national_id, nid2, 'uppercased');
    // A demo person's number, read through the API.
    const demoId = sql(env.db, 'SELECT id FROM person WHERE national_id_box IS NOT NULL ORDER BY id LIMIT 1');
    const demoNid = (await admin.api('GET', `/api/v1/people/${demoId}`)).json().national_id;
    assert.match(demoNid, /^[A-Z]{1,2}\d{6}$/);

    for (const n of [nid, nid2, demoNid]) assert.deepEqual(fileHolds(env.db, n), [], `${n} is nowhere in the files`);
    // What is stored instead: a box of nonce + tag + number, a 16-byte keyed hash; the old
    // column is blank everywhere.
    const row = sql(env.db, `SELECT national_id, length(national_id_box), length(national_id_hash) FROM person WHERE id = ${p.id}`);
    assert.equal(row, `|${nid.length + 40}|16`);
    assert.equal(sql(env.db, "SELECT count(*) FROM person WHERE national_id <> ''"), '0');
    // The key is not in the database either.
    const key = fs.readFileSync(`${env.db}.key`);
    assert.equal(key.length, 32);
    assert.deepEqual(fileHolds(env.db, key.toString('latin1')), []);
  });

  test('nothing can write a plain number into the old column, not even the sqlite3 shell', () => {
    assert.throws(() => sql(env.db, "UPDATE person SET national_id = 'AB123456' WHERE id = 1"), /stored encrypted/);
    assert.throws(
      () => sql(env.db, "INSERT INTO person (name_ar, name_fr, name_fold, sex, national_id, region_code, created_at, updated_at) VALUES ('a', 'b', 'a b', 'F', 'AB1', '03', '', '')"),
      /stored encrypted/,
    );
    assert.equal(sql(env.db, "SELECT count(*) FROM person WHERE national_id <> ''"), '0');
  });

  test('an edit that does not change the number keeps its box: no new ciphertext', async () => {
    const p = await create(personData({ national_id: freshNid() }));
    const box = () => sql(env.db, `SELECT hex(national_id_box) FROM person WHERE id = ${p.id}`);
    const b1 = box();
    let r = await admin.api('PATCH', `/api/v1/people/${p.id}`, { phone: '0600000001', version: p.version });
    assert.equal(r.status, 200, r.text);
    assert.equal(box(), b1, 'phone changed, box kept');
    r = await admin.api('PATCH', `/api/v1/people/${p.id}`, { national_id: p.national_id, version: r.json().version });
    assert.equal(r.status, 200, r.text);
    assert.equal(box(), b1, 'the same number sent again, box kept');
    r = await admin.api('PATCH', `/api/v1/people/${p.id}`, { national_id: '', version: r.json().version });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json().national_id, null);
    assert.equal(sql(env.db, `SELECT quote(national_id_box) || quote(national_id_hash) FROM person WHERE id = ${p.id}`), 'NULLNULL', 'cleared');
  });
});

// ---------------------------------------------------------------- who sees it

describe('who sees it', () => {
  let p;
  before(async () => {
    p = await create(personData({ region_code: '03', national_id: freshNid('ZS') }));
  });

  test('a role with PERM_NATIONAL_ID reads it decrypted: page, edit form and API', async () => {
    for (const c of [adminS, officer]) {
      const page = await c.get(`/people/${p.id}`);
      assert.equal(page.status, 200);
      assert.ok(page.text.includes(p.national_id), 'on the page');
      const edit = await c.get(`/people/${p.id}/edit`);
      assert.equal(Object.fromEntries(formFields(edit.text, `/people/${p.id}`)).national_id, p.national_id, 'in the form');
      assert.equal((await c.api('GET', `/api/v1/people/${p.id}`)).json().national_id, p.national_id, 'in the API');
    }
  });

  test('a role without it never gets it: page and API', async () => {
    const page = await coach.get(`/people/${p.id}`);
    assert.equal(page.status, 200);
    assert.ok(!page.text.includes(p.national_id));
    const j = (await coach.api('GET', `/api/v1/people/${p.id}`)).json();
    assert.equal(j.id, p.id);
    assert.ok(!('national_id' in j), JSON.stringify(j));
  });
});

// ---------------------------------------------------------------- duplicates

describe('duplicates, by the keyed hash', () => {
  test('a number another person has is refused (409, on the field), in any region, written nowhere', async () => {
    const nid = freshNid('ZD');
    const first = await create(personData({ region_code: '06', national_id: nid }));
    const count = () => sql(env.db, 'SELECT count(*) FROM person');
    const n0 = count();
    for (const [client, data] of [
      [admin, personData({ national_id: nid })],
      [admin, personData({ national_id: nid.toLowerCase() })],
      [officer, personData({ region_code: '03', national_id: nid })], // the first is in region 06
    ]) {
      const r = await client.api('POST', '/api/v1/people', data);
      assert.equal(r.status, 409, r.text);
      const e = r.json().error;
      assert.equal(e.code, 'conflict');
      assert.ok(e.fields.national_id, JSON.stringify(e));
      assert.deepEqual(Object.keys(e.fields), ['national_id']);
      assert.doesNotMatch(r.text, new RegExp(`\\b${first.id}\\b`), 'no record named');
    }
    assert.equal(count(), n0, 'nothing written');

    // The form: the error next to the field, the typed values kept.
    const form = await adminS.get('/people/new');
    let pairs = formFields(form.text, '/people');
    const d = personData({ national_id: nid });
    for (const k of ['name_ar', 'name_fr', 'sex', 'birth_date', 'phone', 'region_code', 'national_id']) pairs = setField(pairs, k, d[k]);
    const r = await adminS.postForm('/people', pairs);
    assert.equal(r.status, 409, r.text.slice(0, 500));
    assert.match(r.text, /id="e-national_id"/);
    assert.equal(Object.fromEntries(formFields(r.text, '/people')).name_fr, d.name_fr);
    assert.equal(count(), n0);

    // Taking it by an edit is refused too; keeping one's own is not.
    const other = await create(personData({ national_id: freshNid() }));
    let e = await admin.api('PATCH', `/api/v1/people/${other.id}`, { national_id: nid, version: other.version });
    assert.equal(e.status, 409, e.text);
    assert.equal((await admin.api('GET', `/api/v1/people/${other.id}`)).json().national_id, other.national_id);
    e = await admin.api('PATCH', `/api/v1/people/${first.id}`, { national_id: nid, phone: '0600000002', version: first.version });
    assert.equal(e.status, 200, e.text);
  });
});

// ---------------------------------------------------------------- the key file

describe('the key file', () => {
  test('init creates it: 32 bytes, mode 0600, next to the database; never replaces one', async () => {
    const db = path.join(scratch, 'k.db');
    const r = await runOk(['init', '--db', db]);
    assert.match(r.stdout, /key file .*k\.db\.key.*back it up apart from the database/);
    const st = fs.statSync(`${db}.key`);
    assert.equal(st.mode & 0o777, 0o600);
    assert.equal(st.size, 32);
    // A second database named with the same key file keeps it as it is.
    const bytes = fs.readFileSync(`${db}.key`);
    const db2 = path.join(scratch, 'k2.db');
    const r2 = await runOk(['init', '--db', db2, '--key-file', `${db}.key`]);
    assert.match(r2.stdout, /kept the existing key file/);
    assert.deepEqual(fs.readFileSync(`${db}.key`), bytes);
    assert.ok(!fs.existsSync(`${db2}.key`));
    // Key files are distinct per database otherwise.
    const db3 = path.join(scratch, 'k3.db');
    await runOk(['init', '--db', db3]);
    assert.notDeepEqual(fs.readFileSync(`${db3}.key`), bytes);
  });

  test('a key file that group or others may read is refused, with how to fix it', async () => {
    const key = `${env.db}.key`;
    try {
      for (const mode of [0o644, 0o640, 0o604]) {
        fs.chmodSync(key, mode);
        const r = await serveFails(env.db);
        assert.equal(r.code, 1, `mode ${mode.toString(8)}: ${r.stderr}`);
        assert.match(r.stderr, /key file .*chmod 600/);
        const d = await run(['demo', '--db', env.db, '--seed', '3']);
        assert.equal(d.code, 1, 'demo refuses it too');
        assert.match(d.stderr, /chmod 600/);
      }
    } finally {
      fs.chmodSync(key, 0o600);
    }
    assert.equal((await admin.api('GET', '/healthz')).status, 200, 'the running server is not disturbed');
  });

  test('a missing key file, or one of the wrong size, is refused and named', async () => {
    const missing = path.join(scratch, 'none.key');
    let r = await serveFails(env.db, ['--key-file', missing]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /none\.key.*No such file.*--key-file or MURAFIQ_KEY_FILE/);
    const short = path.join(scratch, 'short.key');
    fs.writeFileSync(short, crypto.randomBytes(31), { mode: 0o600 });
    r = await serveFails(env.db, [], { MURAFIQ_KEY_FILE: short });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /short\.key.*32 bytes/);
  });

  test('a server started with another key stops at once, before serving anything', async () => {
    const other = path.join(scratch, 'other.key');
    fs.writeFileSync(other, crypto.randomBytes(32), { mode: 0o600 });
    const r = await serveFails(env.db, ['--key-file', other]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /other\.key is not this database's key/);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    // Even when the record of the database's key has been deleted: a box does not open.
    const copy = path.join(scratch, 'nokeyrow.db');
    await runOk(['backup', '--db', env.db, copy]);
    sql(copy, 'DELETE FROM secret_key_check');
    const r2 = await serveFails(copy, ['--key-file', other]);
    assert.equal(r2.code, 1, r2.stderr);
    assert.match(r2.stderr, /not this database's key/);
  });

  test('a backup holds no key: served with the key file named, it reads the numbers', async () => {
    const p = await create(personData({ national_id: freshNid('ZB') }));
    const copy = path.join(scratch, 'backup.db');
    await runOk(['backup', '--db', env.db, copy]);
    assert.ok(!fs.existsSync(`${copy}.key`));
    const r = await serveFails(copy);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /backup\.db\.key/);
    const s = await startServer(copy, { env: { MURAFIQ_KEY_FILE: `${env.db}.key` } });
    try {
      const c = await tokenClient(s.base, copy, 'admin');
      assert.equal((await c.api('GET', `/api/v1/people/${p.id}`)).json().national_id, p.national_id);
    } finally {
      await s.stop();
    }
  });
});

// ---------------------------------------------------------------- a record that does not open

describe('a record whose box does not open', () => {
  test('is a clear error for those who may see the number, the page for others, and no crash', async () => {
    const copy = path.join(scratch, 'tampered.db');
    await runOk(['backup', '--db', env.db, copy]);
    const id = sql(copy, 'SELECT id FROM person WHERE national_id_box IS NOT NULL ORDER BY id DESC LIMIT 1');
    // One byte of its ciphertext changed behind murafiq's back.
    sql(copy, `UPDATE person SET national_id_box = substr(national_id_box, 1, 30) || x'00' || substr(national_id_box, 32) WHERE id = ${id}`);
    const s = await startServer(copy, { env: { MURAFIQ_KEY_FILE: `${env.db}.key` } });
    try {
      const a = await tokenClient(s.base, copy, 'admin');
      const r = await a.api('GET', `/api/v1/people/${id}`);
      assert.equal(r.status, 500, r.text);
      assert.match(r.json().error.message, /لا يستطيع ملف مفتاح الخادم فكَّ تشفيرها/, 'Arabic by default');
      const page = await loggedIn(s.base, 'manager');
      for (const [lang, text] of [
        ['ar', /لا يستطيع ملف مفتاح الخادم فكَّ تشفيرها/],
        ['fr', /données chiffrées que le fichier de clé du serveur/],
        ['en', /encrypted data that the server&#39;s key file does not open|encrypted data that the server's key file does not open/],
      ]) {
        if (lang !== 'ar') await page.postForm('/lang', [['lang', lang], ['next', '/']]);
        const html = await page.get(`/people/${id}`);
        assert.equal(html.status, 500, lang);
        assert.match(html.text, text, lang);
      }
      // A write through it is refused the same way, and changes nothing.
      const w = await a.api('PATCH', `/api/v1/people/${id}`, { phone: '0600000003' });
      assert.equal(w.status, 500);
      // The coach never decrypts it, so the record reads as usual.
      const c = await loggedIn(s.base, 'coach');
      assert.equal((await c.get(`/people/${id}`)).status, 200);
      assert.equal((await a.get('/healthz')).status, 200, 'still serving');
      assert.match(s.log(), new RegExp(`person ${id}: the national ID number does not open`));
    } finally {
      const st = await s.stop();
      assert.equal(st.code, 0, 'stops cleanly');
    }
  });
});

// ---------------------------------------------------------------- migration

describe('a database from before the encryption', () => {
  test('its plain numbers are encrypted at the first open with a key, and read back', async () => {
    const db = path.join(scratch, 'old.db');
    await runOk(['init', '--db', db]);
    await runOk(['user', 'add', '--db', db, '--login', 'oldadmin', '--role', 'admin', '--password-stdin'], { input: 'an old admin password\n' });
    // What an earlier version left: plain numbers in person.national_id (two people with the
    // same number among them, which it did not check), no key recorded, no key file.
    const guards = sql(db, "SELECT sql || ';' FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'person_national_id_sealed_%'");
    assert.match(guards, /RAISE/);
    const old = ['OLD11111', 'OLD22222', 'OLD22222', 'K33'];
    const values = old.map((n, i) => `('اسم ${i}', 'Nom ${i}', 'nom ${i}', 'F', '${n}', '03', '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z')`);
    sql(
      db,
      "DROP TRIGGER person_national_id_sealed_insert; DROP TRIGGER person_national_id_sealed_update; DELETE FROM secret_key_check;" +
        `INSERT INTO person (name_ar, name_fr, name_fold, sex, national_id, region_code, created_at, updated_at) VALUES ${values.join(', ')};` +
        "INSERT INTO person (name_ar, name_fr, name_fold, sex, region_code, created_at, updated_at) VALUES ('بدون', 'Sans', 'sans', 'M', '03', '', '');" +
        guards,
    );
    fs.rmSync(`${db}.key`);
    assert.ok(fileHolds(db, 'OLD11111').length > 0, 'the old file holds the plain number (the test sees it)');

    // No key yet: a clear refusal; `key create` makes one.
    const r0 = await serveFails(db);
    assert.equal(r0.code, 1);
    assert.match(r0.stderr, /old\.db\.key/);
    const k = await runOk(['key', 'create', '--db', db]);
    assert.match(k.stdout, /back it up/);
    assert.equal(fs.statSync(`${db}.key`).mode & 0o777, 0o600);
    assert.equal((await run(['key', 'create', '--db', db])).code, 1, 'never replaced');

    const s = await startServer(db);
    try {
      assert.match(s.log(), /encrypted 4 national ID numbers/);
      assert.equal(sql(db, "SELECT count(*) FROM person WHERE national_id <> ''"), '0');
      assert.equal(sql(db, 'SELECT count(*) FROM person WHERE national_id_box IS NOT NULL AND national_id_hash IS NOT NULL'), '4');
      assert.equal(sql(db, 'SELECT count(*) FROM secret_key_check'), '1');
      for (const n of old) assert.deepEqual(fileHolds(db, n), [], `${n} gone from the files`);
      const a = await tokenClient(s.base, db, 'oldadmin');
      const ids = sql(db, "SELECT id FROM person WHERE name_fr LIKE 'Nom %' ORDER BY id").split('\n');
      const got = [];
      for (const id of ids) got.push((await a.api('GET', `/api/v1/people/${id}`)).json().national_id);
      assert.deepEqual(got, old);
      const none = sql(db, "SELECT id FROM person WHERE name_fr = 'Sans'");
      assert.equal((await a.api('GET', `/api/v1/people/${none}`)).json().national_id, null);
      // The migrated hashes serve the duplicate check.
      const dup = await a.api('POST', '/api/v1/people', personData({ national_id: 'old11111' }));
      assert.equal(dup.status, 409, dup.text);
    } finally {
      await s.stop();
    }
    // Sealed once: the next start has nothing left to do.
    const s2 = await startServer(db);
    try {
      assert.doesNotMatch(s2.log(), /encrypted \d+ national ID/);
    } finally {
      await s2.stop();
    }
  });
});
