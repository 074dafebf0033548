// scope.test.mjs: region scope of regional officers, and what each role may do.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  apiAll,
  apiTotal,
  byWord,
  cleanupDirs,
  coopData,
  coopForm,
  csvObjects,
  loggedIn,
  run,
  runOk,
  setupServer,
  tokenClient,
  uniqueWord,
} from './lib.mjs';

let env;
let admin; // bearer
let officer; // officer03, session
let other; // a region-06 cooperative
const W = uniqueWord('hp'); // a word only the region-06 cooperative has in its name

before(async () => {
  env = await setupServer();
  admin = await tokenClient(env.base, env.db, 'admin');
  officer = await loggedIn(env.base, 'officer03');
  const r = await admin.api('POST', '/api/v1/cooperatives', coopData({ region_code: '06', name_fr: `Coopérative Hors Portée ${W}`, name_ar: `تعاونية خارج النطاق ${W}` }));
  assert.equal(r.status, 201, r.text);
  other = r.json();
});

/** Cooperatives per region, from the unscoped command-line export. */
async function regionCounts() {
  const exp = await runOk(['export', 'cooperatives', '--db', env.db]);
  const n = {};
  for (const rec of csvObjects(exp.stdout).records) n[rec.region_code] = (n[rec.region_code] || 0) + 1;
  return n;
}

after(async () => {
  if (env && env.server.exited() === null) await env.server.stop();
  cleanupDirs();
});

const REGIONS = Array.from({ length: 12 }, (_, i) => String(i + 1).padStart(2, '0'));

describe('regional officer of region 03', () => {
  test('a region-06 cooperative is 404 on its page, edit form, API GET and API PATCH', async () => {
    assert.equal((await officer.get(`/cooperatives/${other.id}`)).status, 404, 'page');
    assert.equal((await officer.get(`/cooperatives/${other.id}/edit`)).status, 404, 'edit form');
    const g = await officer.api('GET', `/api/v1/cooperatives/${other.id}`);
    assert.equal(g.status, 404, 'API GET');
    assert.equal(g.json().error.code, 'not_found');
    const p = await officer.api('PATCH', `/api/v1/cooperatives/${other.id}`, { notes: 'officer03 was here' });
    assert.equal(p.status, 404, 'API PATCH');
    const f = await officer.postForm(`/cooperatives/${other.id}`, [['version', String(other.version)], ['notes', 'officer03 was here']]);
    assert.equal(f.status, 404, 'form update');
    const now = (await admin.api('GET', `/api/v1/cooperatives/${other.id}`)).json();
    assert.deepEqual(now, other, 'unchanged');
    // A 404 for another region looks exactly like a 404 for a missing id.
    const missing = await officer.api('GET', '/api/v1/cooperatives/999999999');
    assert.deepEqual(missing.json(), g.json());
  });

  test('it is absent from the list page, the search by its exact name, the API and the CSV export', async () => {
    const page = await officer.get(`/cooperatives?q=${encodeURIComponent(other.name_fr)}`);
    assert.equal(page.status, 200);
    assert.doesNotMatch(page.text, new RegExp(`href="/cooperatives/${other.id}"`));
    for (const name of [other.name_fr, other.name_ar, W]) {
      assert.equal((await byWord(officer, name)).length, 0, `API search ${name}`);
    }
    assert.ok((await byWord(admin, W)).some((c) => c.id === other.id), 'the admin does find it');
    assert.equal(await apiTotal(officer, 'region=06'), 0, 'filtering on region 06 gives nothing');
    const csv = await officer.get('/cooperatives/export.csv');
    assert.equal(csv.status, 200);
    const { records } = csvObjects(csv.text);
    assert.ok(!records.some((r) => r.id === String(other.id)), 'not exported');
    assert.ok(records.length > 0);
    assert.deepEqual([...new Set(records.map((r) => r.region_code))], ['03'], 'the export holds region 03 only');
    assert.equal(records.length, (await regionCounts())['03'], 'and all of region 03');
    const csv06 = await officer.get('/cooperatives/export.csv?region=06');
    assert.equal(csvObjects(csv06.text).records.length, 0, 'an export filtered on region 06 is empty');
    const csvQ = await officer.get(`/cooperatives/export.csv?q=${W}`);
    assert.equal(csvObjects(csvQ.text).records.length, 0);
  });

  test('every item of every API page is in region 03, and the total is all of region 03', async () => {
    const { items, total } = await apiAll(officer, '', 97);
    assert.equal(items.length, total);
    assert.equal(total, (await regionCounts())['03']);
    for (const c of items) assert.equal(c.region_code, '03', `item ${c.id}`);
    for (const sort of ['legal_date', 'members_total']) {
      const j = (await officer.api('GET', `/api/v1/cooperatives?per_page=50&page=2&sort=${sort}&order=desc`)).json();
      assert.ok(j.items.every((c) => c.region_code === '03'), `sorted by ${sort}`);
    }
  });

  test('the list page offers region 03 only', async () => {
    const page = await officer.get('/cooperatives');
    const sel = /<select\b[^>]*name="region"[^>]*>([\s\S]*?)<\/select>/.exec(page.text);
    assert.ok(sel, 'a region select');
    const values = [...sel[1].matchAll(/<option value="([^"]*)"/g)].map((m) => m[1]);
    assert.deepEqual(values, ['', '03']);
  });

  test('creating in region 06 is refused (403 API and form), nothing written', async () => {
    const total = await apiTotal(admin);
    const data = coopData({ region_code: '06' });
    const r = await officer.api('POST', '/api/v1/cooperatives', data);
    assert.equal(r.status, 403, r.text);
    assert.equal(r.json().error.code, 'forbidden');
    assert.ok(r.json().error.fields.region_code);
    const f = await officer.postForm('/cooperatives', coopForm(data));
    assert.equal(f.status, 403);
    assert.match(f.text, /id="e-region_code"/);
    assert.equal(await apiTotal(admin), total);
    assert.equal((await byWord(admin, data.name_fr.split(' ').pop())).length, 0);
  });

  test('creating and editing in region 03 works; moving a record to region 06 is refused', async () => {
    const data = coopData({ region_code: '03' });
    const r = await officer.api('POST', '/api/v1/cooperatives', data);
    assert.equal(r.status, 201, r.text);
    const mine = r.json();
    const p = await officer.api('PATCH', `/api/v1/cooperatives/${mine.id}`, { activity: 'Miel' });
    assert.equal(p.status, 200, p.text);
    const move = await officer.api('PATCH', `/api/v1/cooperatives/${mine.id}`, {
      region_code: '06',
      province_code: other.province_code,
      commune_code: other.commune_code,
    });
    assert.equal(move.status, 403, move.text);
    const now = (await admin.api('GET', `/api/v1/cooperatives/${mine.id}`)).json();
    assert.equal(now.region_code, '03');
    assert.equal(now.activity, 'Miel');
  });

  test('a bearer token of the officer has the same scope', async () => {
    const t = await tokenClient(env.base, env.db, 'officer03');
    assert.equal((await t.api('GET', `/api/v1/cooperatives/${other.id}`)).status, 404);
    assert.equal(await apiTotal(t), await apiTotal(officer));
  });

  test('an officer of regions 03 and 06 sees both, and only them', async () => {
    const add = await run(['user', 'add', '--db', env.db, '--login', 'officer0306', '--role', 'regional_officer', '--region', '03', '--region', '06', '--password-stdin'], {
      input: 'two-regions-password-2026\n',
    });
    assert.equal(add.code, 0, add.stderr);
    const two = await loggedIn(env.base, 'officer0306', 'two-regions-password-2026');
    const now = await regionCounts();
    assert.equal(await apiTotal(two), now['03'] + now['06']);
    assert.equal((await two.api('GET', `/api/v1/cooperatives/${other.id}`)).status, 200);
    const { items } = await apiAll(two);
    assert.deepEqual([...new Set(items.map((c) => c.region_code))].sort(), ['03', '06']);
  });
});

describe('roles', () => {
  test('the program manager sees every region', async () => {
    const manager = await loggedIn(env.base, 'manager');
    const now = await regionCounts();
    let sum = 0;
    for (const r of REGIONS) {
      const n = await apiTotal(manager, `region=${r}`);
      assert.equal(n, now[r] || 0, `region ${r}`);
      assert.ok(n > 0, `region ${r} has cooperatives`);
      sum += n;
    }
    assert.equal(await apiTotal(manager), sum);
    assert.equal((await manager.api('GET', `/api/v1/cooperatives/${other.id}`)).status, 200);
  });

  for (const role of ['viewer', 'coach']) {
    test(`${role}: reads, but cannot create, edit or export (403), nothing written`, async () => {
      const c = await loggedIn(env.base, role);
      const total = await apiTotal(admin);
      const list = await c.get('/cooperatives');
      assert.equal(list.status, 200);
      assert.doesNotMatch(list.text, /href="\/cooperatives\/new"/, 'no "new" button');
      assert.doesNotMatch(list.text, /export\.csv/, 'no export button');
      assert.equal((await c.get(`/cooperatives/${other.id}`)).status, 200, 'reads a record');
      assert.equal((await c.api('GET', `/api/v1/cooperatives/${other.id}`)).status, 200, 'reads through the API');
      assert.equal((await c.get('/cooperatives/new')).status, 403, 'new form');
      assert.equal((await c.get(`/cooperatives/${other.id}/edit`)).status, 403, 'edit form');
      const data = coopData({ region_code: '03' });
      assert.equal((await c.postForm('/cooperatives', coopForm(data))).status, 403, 'form create');
      const api = await c.api('POST', '/api/v1/cooperatives', data);
      assert.equal(api.status, 403, 'API create');
      assert.equal(api.json().error.code, 'forbidden');
      assert.equal((await c.api('PATCH', `/api/v1/cooperatives/${other.id}`, { notes: role })).status, 403, 'API PATCH');
      assert.equal((await c.postForm(`/cooperatives/${other.id}`, [['version', String(other.version)], ['notes', role]])).status, 403, 'form update');
      assert.equal((await c.get('/cooperatives/export.csv')).status, 403, 'export');
      const tok = await tokenClient(env.base, env.db, role);
      assert.equal((await tok.api('POST', '/api/v1/cooperatives', data)).status, 403, 'bearer create');
      assert.equal(await apiTotal(admin), total, 'nothing written');
      assert.deepEqual((await admin.api('GET', `/api/v1/cooperatives/${other.id}`)).json(), other, 'unchanged');
    });
  }
});

describe('shutdown', () => {
  test('the server stops on SIGTERM with exit code 0', async () => {
    const r = await env.server.stop();
    assert.equal(r.signal, null, `no signal death (log: ${r.log.slice(-2000)})`);
    assert.equal(r.code, 0, `exit code 0 (log: ${r.log.slice(-2000)})`);
  });
});
