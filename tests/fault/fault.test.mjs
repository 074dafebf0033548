// fault.test.mjs: fault injection against the test build (make BUILD=build/fault FAULT=1),
// run by `make faulttest`. For every write, sync and arena allocation of a write request, in
// turn, the server is told (X-Murafiq-Fault: KIND:N, allowed by MURAFIQ_FAULT=request) to fail
// that one; the request must answer a clear 500 in its format (JSON error or HTML page), leave
// the record absent or unchanged, leave PRAGMA integrity_check ok, and the next request must be
// served. N grows until the request no longer reaches an Nth point: then it must succeed.
//   MURAFIQ_BIN=build/fault/murafiq node --test tests/fault/
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  Client,
  cleanupDirs,
  coopData,
  formFields,
  login,
  personData,
  runOk,
  setField,
  startServer,
  tempDir,
} from '../http/lib.mjs';

const PASSWORD = 'durable-fault-line-2026';
let env;
let api; // bearer client
let db;

function sql(query) {
  return execFileSync('sqlite3', [db, query], { encoding: 'utf8' }).trim();
}

before(async () => {
  const dir = tempDir('murafiq-fault-');
  db = path.join(dir, 'fault.db');
  await runOk(['init', '--db', db]);
  await runOk(['user', 'add', '--db', db, '--login', 'chief', '--role', 'admin', '--password-stdin'], {
    input: `${PASSWORD}\n`,
  });
  await runOk(['user', 'add', '--db', db, '--login', 'clerk', '--role', 'regional_officer', '--region', '03', '--password-stdin'], {
    input: `${PASSWORD}\n`,
  });
  const token = (await runOk(['token', 'create', '--db', db, '--login', 'chief'])).stdout.trim();
  env = await startServer(db, { env: { MURAFIQ_FAULT: 'request' } });
  api = new Client(env.base, { bearer: token });
  assert.match(env.log(), /fault injection build/, 'MURAFIQ_BIN must be the FAULT=1 build');
});

after(async () => {
  if (env && env.exited() === null) await env.stop();
  cleanupDirs();
});

const KINDS = { write: 200, full: 200, sync: 50, alloc: 2000 };

/**
 * Calls send(spec) for N = 1, 2, ... with the fault KIND:N until one call does not fire.
 * Each fired call is checked by onFault(response, n); the last (unfired) by onSuccess. Returns
 * how many points fired.
 */
async function sweep(kind, send, onFault, onSuccess) {
  for (let n = 1; n <= KINDS[kind]; n++) {
    const spec = `${kind}:${n}`;
    const r = await send(spec);
    if (r.headers.get('x-murafiq-fault-fired') !== '1') {
      await onSuccess(r, n);
      return n - 1;
    }
    await onFault(r, spec);
    assert.equal(sql('PRAGMA integrity_check'), 'ok', `${spec}: integrity_check`);
    const h = await api.get('/healthz');
    assert.equal(h.status, 200, `${spec}: the next request is served`);
  }
  assert.fail(`${kind}: still firing after ${KINDS[kind]} points`);
}

// A failure after the commit (while the answer is prepared) cannot undo the change: the
// answer must then say it was saved, and the change must be whole.
const SAVED = /تم حفظ تعديلك، لكن تعذر إعداد الرد/; // the API user reads Arabic, the default

/** Checks a JSON 500; returns whether it says the change was saved. */
function json500(r, spec) {
  assert.equal(r.status, 500, `${spec}: status (${r.text.slice(0, 200)})`);
  assert.match(r.headers.get('content-type') || '', /^application\/json/, `${spec}: JSON answer`);
  assert.equal(r.json().error.code, 'internal', `${spec}: error code`);
  return SAVED.test(r.json().error.message);
}

/** Tracks that once a sweep's failures say "saved" (past the commit), every later one does. */
function phase() {
  let committed = 0;
  return {
    saw(saved, spec) {
      if (saved) committed++;
      else assert.equal(committed, 0, `${spec}: rolled back after a point that was past the commit`);
    },
    get committed() {
      return committed;
    },
  };
}

describe('a cooperative created through the API', () => {
  for (const kind of Object.keys(KINDS)) {
    test(`every ${kind} point: 500, nothing stored, the next request served`, async () => {
      let reg;
      const ph = phase();
      const fired = await sweep(
        kind,
        (spec) => {
          reg = `FLT-${spec.replace(':', '-')}-${Date.now() % 1e7}`;
          const data = { ...coopData({ register_number: reg }), confirm_similar: true };
          return api.api('POST', '/api/v1/cooperatives', data, { headers: { 'x-murafiq-fault': spec } });
        },
        (r, spec) => {
          const saved = json500(r, spec);
          ph.saw(saved, spec);
          const n = sql(`SELECT count(*) FROM cooperative WHERE register_number = '${reg}'`);
          assert.equal(n, saved ? '1' : '0', `${spec}: ${saved ? 'saved, as the answer says' : 'rolled back'}`);
        },
        async (r) => {
          assert.equal(r.status, 201, `past the last ${kind} point the create succeeds: ${r.text.slice(0, 200)}`);
          const got = await api.get(`/api/v1/cooperatives/${r.json().id}`);
          assert.equal(got.json().register_number, reg);
        },
      );
      assert.ok(fired > ph.committed, `${kind}: the create reached at least one ${kind} point before its commit`);
      console.log(`# create, ${kind}: ${fired} points failed cleanly, ${ph.committed} of them after the commit`);
    });
  }
});

describe('a person edited through the API', () => {
  let id;
  before(async () => {
    const r = await api.api('POST', '/api/v1/people', personData());
    assert.equal(r.status, 201, r.text);
    id = r.json().id;
  });

  for (const kind of Object.keys(KINDS)) {
    test(`every ${kind} point: 500, the person unchanged, the next request served`, async () => {
      let before;
      let patch;
      const ph = phase();
      const fired = await sweep(
        kind,
        async (spec) => {
          before = (await api.get(`/api/v1/people/${id}`)).json();
          patch = { version: before.version, name_fr: `Fatima ${spec.replace(':', ' ')}`, phone: '0522 00 00 00' };
          return api.api('PATCH', `/api/v1/people/${id}`, patch, { headers: { 'x-murafiq-fault': spec } });
        },
        async (r, spec) => {
          const saved = json500(r, spec);
          ph.saw(saved, spec);
          const now = (await api.get(`/api/v1/people/${id}`)).json();
          if (saved) {
            assert.equal(now.version, before.version + 1, `${spec}: saved, as the answer says`);
            assert.equal(now.name_fr, patch.name_fr, `${spec}: the whole change`);
          } else {
            assert.deepEqual(now, before, `${spec}: the person is as it was`);
          }
        },
        async (r) => {
          assert.equal(r.status, 200, r.text.slice(0, 200));
          const now = (await api.get(`/api/v1/people/${id}`)).json();
          assert.equal(now.version, before.version + 1);
          assert.equal(now.phone, '0522 00 00 00');
        },
      );
      assert.ok(fired > ph.committed, `${kind}: the edit reached at least one ${kind} point before its commit`);
      console.log(`# edit, ${kind}: ${fired} points failed cleanly, ${ph.committed} of them after the commit`);
    });
  }
});

describe('a cooperative created through the HTML form', () => {
  test('every alloc and write point: a 500 error page in French, nothing stored', async () => {
    const web = new Client(env.base);
    await login(web, 'clerk', PASSWORD);
    const lang = await web.postForm('/lang', { lang: 'fr', next: '/' });
    assert.equal(lang.status, 303, lang.text.replace(/<[^>]+>/g, ' ').slice(-900));
    for (const kind of ['alloc', 'write']) {
      let reg;
      const ph = phase();
      const fired = await sweep(
        kind,
        async (spec) => {
          const page = await web.get('/cooperatives/new');
          reg = `FLTW-${spec.replace(':', '-')}-${Date.now() % 1e7}`;
          let pairs = formFields(page.text, '/cooperatives');
          const data = coopData({ register_number: reg });
          for (const [k, v] of Object.entries(data)) if (typeof v !== 'boolean') pairs = setField(pairs, k, v);
          pairs = setField(pairs, 'confirm_similar', '1');
          return web.request('/cooperatives', { method: 'POST', form: pairs, headers: { 'x-murafiq-fault': spec } });
        },
        (r, spec) => {
          assert.equal(r.status, 500, `${spec}: ${r.text.slice(0, 200)}`);
          assert.match(r.headers.get('content-type') || '', /^text\/html/, `${spec}: an HTML page`);
          const saved = /a été enregistrée, mais la réponse/.test(r.text);
          if (!saved) assert.match(r.text, /Rien n(&#39;|')a été enregistré/, `${spec}: the message in the user's language: ${r.text.replace(/<[^>]+>/g, ' ').slice(-600)}`);
          ph.saw(saved, spec);
          assert.match(r.text, /<\/html>\s*$/, `${spec}: a whole page`);
          const n = sql(`SELECT count(*) FROM cooperative WHERE register_number = '${reg}'`);
          assert.equal(n, saved ? '1' : '0', `${spec}: ${saved ? 'saved, as the page says' : 'rolled back'}`);
        },
        (r) => {
          assert.equal(r.status, 303, `past the last point the form saves: ${r.text.slice(0, 300)}`);
        },
      );
      assert.ok(fired > ph.committed, `${kind}: the form reached at least one ${kind} point before its commit`);
      console.log(`# form, ${kind}: ${fired} points failed cleanly, ${ph.committed} of them after the commit`);
    }
  });
});
