// badinput.test.mjs: what the server does with invalid input: bad UTF-8, oversized text and
// bodies, impossible dates, bad numbers, broken JSON, request smuggling, unknown routes and
// methods. Every refused write is checked to have written nothing.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  apiTotal,
  byWord,
  cleanupDirs,
  coopData,
  coopForm,
  loggedIn,
  rawHttp,
  setupServer,
  textById,
  tokenClient,
} from './lib.mjs';

let env;
let admin; // bearer, English messages
let manager; // session, English pages

before(async () => {
  env = await setupServer();
  manager = await loggedIn(env.base, 'manager');
  const m = await manager.postForm('/lang', { lang: 'en', next: '/' });
  assert.equal(m.status, 303);
  const a = await loggedIn(env.base, 'admin');
  assert.equal((await a.postForm('/lang', { lang: 'en', next: '/' })).status, 303);
  admin = await tokenClient(env.base, env.db, 'admin');
});

after(async () => {
  if (env && env.server.exited() === null) await env.server.stop();
  cleanupDirs();
});

const wordOf = (data) => data.name_fr.split(' ').pop();

/** Checks that a refused write left no trace: same total, no record with the data's word. */
async function assertNothingWritten(totalBefore, data, what) {
  assert.equal(await apiTotal(admin), totalBefore, `${what}: count unchanged`);
  if (data) assert.equal((await byWord(admin, wordOf(data))).length, 0, `${what}: no such record`);
}

/** urlencoded body of a cooperative form (with the manager's CSRF token), minus some fields. */
function formBody(data, without = []) {
  // Flags as one explicit value: these tests are about validation, not checkbox encoding.
  const pairs = [['csrf', manager.csrf], ...coopForm(data, { browser: false }).filter(([k]) => !without.includes(k))];
  return new URLSearchParams(pairs).toString();
}

function postRawForm(body) {
  return manager.request('/cooperatives', {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
}

describe('invalid UTF-8', () => {
  test('in a form field (percent-encoded): 400 naming the field, nothing written', async () => {
    const total = await apiTotal(admin);
    const data = coopData();
    const r = await postRawForm(formBody(data, ['activity']) + '&activity=Tissage%C3%28tapis');
    assert.equal(r.status, 400);
    assert.match(r.text, /not valid UTF-8/);
    assert.match(r.text, /<code>activity<\/code>/, 'the page names the field');
    await assertNothingWritten(total, data, 'bad UTF-8 form');
  });

  test('in a form field (raw bytes, overlong and surrogate encodings): 400, nothing written', async () => {
    const total = await apiTotal(admin);
    for (const bad of [Buffer.from([0xc3, 0x28]), Buffer.from([0xc0, 0xaf]), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from([0xff])]) {
      const data = coopData();
      const body = Buffer.concat([Buffer.from(formBody(data, ['address']) + '&address=Douar'), bad]);
      const r = await postRawForm(body);
      assert.equal(r.status, 400, `bytes ${bad.toString('hex')}`);
      assert.match(r.text, /not valid UTF-8/);
      await assertNothingWritten(total, data, `raw ${bad.toString('hex')}`);
    }
  });

  test('in the query string: 400 with a clear message, page and API', async () => {
    const page = await manager.get('/cooperatives?q=%C3%28');
    assert.equal(page.status, 400);
    assert.match(page.text, /not valid UTF-8/);
    const api = await admin.get('/api/v1/cooperatives?q=abc%FF');
    assert.equal(api.status, 400);
    const e = api.json().error;
    assert.equal(e.code, 'bad_request');
    assert.match(e.message, /not valid UTF-8/);
    assert.ok('q' in e.fields, 'the parameter is named');
  });

  test('in a query string key: 400', async () => {
    const r = await admin.get('/api/v1/cooperatives?%C3%28=1');
    assert.equal(r.status, 400);
  });

  test('in a JSON body (raw bytes): 400, nothing written', async () => {
    const total = await apiTotal(admin);
    const data = coopData();
    const json = Buffer.from(JSON.stringify(data).replace('"Apiculture"', '"Api\u0001X"'));
    const i = json.indexOf(0x01);
    json[i] = 0xc3;
    json[i + 1] = 0x28;
    const r = await admin.request('/api/v1/cooperatives', { method: 'POST', body: json, headers: { 'content-type': 'application/json' } });
    assert.equal(r.status, 400);
    assert.equal(r.json().error.code, 'bad_request');
    await assertNothingWritten(total, data, 'bad UTF-8 JSON');
  });

  test('a JSON string with an escaped NUL is refused (400 bad JSON or 422 on the field), nothing written', async () => {
    const total = await apiTotal(admin);
    const data = coopData({ activity: 'Tissage\u0000 de tapis' });
    const r = await admin.api('POST', '/api/v1/cooperatives', data);
    assert.ok(r.status === 400 || r.status === 422, `refused: ${r.status} ${r.text}`);
    if (r.status === 422) assert.ok(r.json().error.fields.activity);
    await assertNothingWritten(total, data, 'NUL');
  });
});

describe('validation', () => {
  test('a 100 KB name: 422 naming the field (API and form), nothing written', async () => {
    const total = await apiTotal(admin);
    const data = coopData();
    const long = { ...data, name_ar: 'ت'.repeat(50000), name_fr: `${'n'.repeat(100000)} ${wordOf(data)}` };
    const r = await admin.api('POST', '/api/v1/cooperatives', long);
    assert.equal(r.status, 422, r.text.slice(0, 500));
    const e = r.json().error;
    assert.equal(e.code, 'validation_failed');
    assert.ok(e.fields.name_fr, 'name_fr named');
    assert.ok(e.fields.name_ar, 'name_ar named');
    const f = await postRawForm(formBody(long));
    assert.equal(f.status, 422);
    assert.ok(textById(f.text, 'e-name_fr'), 'the form shows the error next to name_fr');
    assert.ok(textById(f.text, 'e-name_ar'), 'and next to name_ar');
    assert.match(f.text, /class="error-summary"/, 'with a summary');
    await assertNothingWritten(total, data, '100 KB name');
  });

  test('exactly 200 characters is accepted (Arabic letters count as one each)', async () => {
    const data = coopData();
    const r = await admin.api('POST', '/api/v1/cooperatives', { ...data, name_ar: 'ب'.repeat(200) });
    assert.equal(r.status, 201, r.text);
    const r2 = await admin.api('POST', '/api/v1/cooperatives', coopData({ name_ar: 'ب'.repeat(201) }));
    assert.equal(r2.status, 422);
    assert.ok(r2.json().error.fields.name_ar);
  });

  const bad = [
    ['legal_date 2025-02-31', { legal_date: '2025-02-31' }, 'legal_date'],
    ['legal_date 2023-02-29', { legal_date: '2023-02-29' }, 'legal_date'],
    ['legal_date 2023-13-01', { legal_date: '2023-13-01' }, 'legal_date'],
    ['legal_date 14/07/2023', { legal_date: '14/07/2023' }, 'legal_date'],
    ['legal_date in the future', { legal_date: `${new Date().getFullYear() + 1}-01-01`, activity_start_date: null }, 'legal_date'],
    ['activity before the legal date', { legal_date: '2020-05-05', activity_start_date: '2020-05-04' }, 'activity_start_date'],
    ['negative members', { members_total: -3 }, 'members_total'],
    ['negative women', { members_women: -1 }, 'members_women'],
    ['members not a number', { members_total: '12abc' }, 'members_total'],
    ['women > total', { members_total: 10, members_women: 11 }, 'members_women'],
    ['youth > total', { members_total: 10, members_youth: 11 }, 'members_youth'],
    ['women-only with men', { is_women_only: true, members_total: 10, members_women: 9 }, 'members_women'],
    ['active with 4 members', { members_total: 4, members_women: 0, members_youth: 0 }, 'members_total'],
    ['unknown sector', { sector: 'mining' }, 'sector'],
    ['unknown status', { status: 'asleep' }, 'status'],
    ['province outside the region', { region_code: '01', province_code: '02.411', commune_code: null }, 'province_code'],
    ['unknown region', { region_code: '13', province_code: '01.511', commune_code: null }, 'region_code'],
    ['commune outside the province', { region_code: '01', province_code: '01.511', commune_code: '02.411.01.23' }, 'commune_code'],
    ['bad e-mail', { email: 'not-an-email' }, 'email'],
    ['bad phone', { phone: 'call me' }, 'phone'],
    ['bad register number', { register_number: '12<34>' }, 'register_number'],
    ['missing name', { name_fr: '   ' }, 'name_fr'],
    ['name on two lines', { name_ar: 'تعاونية\nالأمل' }, 'name_ar'],
  ];

  for (const [what, over, field] of bad) {
    test(`${what}: 422 on ${field} (API and form), nothing written`, async () => {
      const total = await apiTotal(admin);
      const data = coopData(over);
      const r = await admin.api('POST', '/api/v1/cooperatives', data);
      assert.equal(r.status, 422, `API: ${r.text}`);
      assert.equal(r.json().error.code, 'validation_failed');
      assert.ok(r.json().error.fields[field], `API names ${field}: ${r.text}`);
      const f = await postRawForm(formBody(data));
      assert.equal(f.status, 422, 'form');
      assert.ok(textById(f.text, `e-${field}`), `the form shows an error next to ${field}`);
      assert.equal(await apiTotal(admin), total, 'count unchanged');
      if (over.name_fr === undefined) assert.equal((await byWord(admin, wordOf(data))).length, 0);
    });
  }

  test('2024-02-29 (a leap day) is a real date', async () => {
    const r = await admin.api('POST', '/api/v1/cooperatives', coopData({ legal_date: '2024-02-29', activity_start_date: null }));
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json().legal_date, '2024-02-29');
  });

  test('the form keeps what was typed after a validation error', async () => {
    const data = coopData({ legal_date: '2025-02-31' });
    const f = await postRawForm(formBody(data));
    assert.equal(f.status, 422);
    assert.ok(f.text.includes(`value="${data.register_number}"`), 'register number kept');
    assert.ok(f.text.includes(data.name_ar), 'Arabic name kept');
  });
});

describe('JSON bodies', () => {
  test('a body that is not JSON: 400, nothing written', async () => {
    const total = await apiTotal(admin);
    for (const body of ['{"name_fr": "x",', 'name_fr=x', '{"a":1} trailing', '\u00ff']) {
      const r = await admin.request('/api/v1/cooperatives', { method: 'POST', body, headers: { 'content-type': 'application/json' } });
      assert.equal(r.status, 400, body);
      assert.equal(r.json().error.code, 'bad_request');
    }
    const c = (await admin.api('GET', '/api/v1/cooperatives?per_page=1')).json().items[0];
    const p = await admin.request(`/api/v1/cooperatives/${c.id}`, { method: 'PATCH', body: '{"notes": ', headers: { 'content-type': 'application/json' } });
    assert.equal(p.status, 400);
    assert.equal(await apiTotal(admin), total);
    assert.deepEqual((await admin.api('GET', `/api/v1/cooperatives/${c.id}`)).json(), c);
  });

  test('JSON that is not an object: 400', async () => {
    for (const body of ['[]', '"text"', '42', 'null']) {
      const r = await admin.request('/api/v1/cooperatives', { method: 'POST', body, headers: { 'content-type': 'application/json' } });
      assert.equal(r.status, 400, body);
    }
  });

  const wrongTypes = [
    ['members_total as array', { members_total: [12] }, 'members_total'],
    ['members_total as float', { members_total: 12.5 }, 'members_total'],
    ['members_total as object', { members_total: { n: 1 } }, 'members_total'],
    ['name_fr as object', { name_fr: { fr: 'x' } }, 'name_fr'],
    ['is_women_only as a word', { is_women_only: 'maybe' }, 'is_women_only'],
    ['version as string', { version: '1' }, 'version'],
    ['an unknown field', { colour: 'blue' }, 'colour'],
  ];
  for (const [what, over, field] of wrongTypes) {
    test(`wrong JSON type (${what}): 422 naming ${field}, nothing written`, async () => {
      const total = await apiTotal(admin);
      const data = coopData(over);
      const r = await admin.api('POST', '/api/v1/cooperatives', data);
      assert.equal(r.status, 422, r.text);
      assert.ok(field in r.json().error.fields, `${field} named: ${r.text}`);
      await assertNothingWritten(total, typeof data.name_fr === 'string' ? data : null, what);
    });
  }

  test('PATCH with a wrong type changes nothing', async () => {
    const c = (await admin.api('GET', '/api/v1/cooperatives?per_page=1&page=3')).json().items[0];
    const r = await admin.api('PATCH', `/api/v1/cooperatives/${c.id}`, { members_total: '12', members_youth: [1], notes: 'changed' });
    assert.equal(r.status, 422);
    assert.deepEqual((await admin.api('GET', `/api/v1/cooperatives/${c.id}`)).json(), c);
  });
});

describe('sizes and framing', () => {
  test('a JSON body over 1 MB: 413, nothing written', async () => {
    const total = await apiTotal(admin);
    const data = coopData({ notes: 'x'.repeat((1 << 20) + 10) });
    const r = await admin.api('POST', '/api/v1/cooperatives', data);
    assert.equal(r.status, 413);
    assert.equal(r.json().error.code, 'too_large');
    await assertNothingWritten(total, data, '> 1 MB JSON');
  });

  test('a form body over 1 MB: 413, nothing written', async () => {
    const total = await apiTotal(admin);
    const data = coopData({ notes: 'y'.repeat((1 << 20) + 10) });
    const r = await postRawForm(formBody(data));
    assert.equal(r.status, 413);
    await assertNothingWritten(total, data, '> 1 MB form');
  });

  test('two different Content-Length headers: refused, nothing written', async () => {
    const total = await apiTotal(admin);
    const data = coopData();
    const body = JSON.stringify(data);
    const req =
      `POST /api/v1/cooperatives HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${admin.bearer}\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${body.length}\r\nContent-Length: 5\r\n\r\n${body}`;
    const r = await rawHttp(env.server.port, req);
    assert.ok(r.status === 400 || (r.status === null && r.closed), `refused: got ${r.status} ${r.text.slice(0, 200)}`);
    await assertNothingWritten(total, data, 'two Content-Length');
  });

  test('Content-Length together with chunked encoding: refused, nothing written', async () => {
    const total = await apiTotal(admin);
    const data = coopData();
    const body = JSON.stringify(data);
    const chunked = `${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`;
    const req =
      `POST /api/v1/cooperatives HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${admin.bearer}\r\n` +
      `Content-Type: application/json\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n${chunked}`;
    const r = await rawHttp(env.server.port, req);
    assert.ok(r.status === null || r.status >= 400, `refused: got ${r.status} ${r.text.slice(0, 200)}`);
    await assertNothingWritten(total, data, 'CL + TE');
  });

  test('the server still answers after the framing attacks', async () => {
    const r = await admin.get('/healthz');
    assert.equal(r.status, 200);
  });
});

describe('routes and methods', () => {
  test('an unknown route is 404 (page and API)', async () => {
    const p = await manager.get('/no-such-page');
    assert.equal(p.status, 404);
    assert.match(p.headers.get('content-type'), /^text\/html/);
    for (const path of ['/api/v1/nothing', '/api/v1/cooperatives/abc', '/api/v1/cooperatives/0', '/api/v1/cooperatives/-1', '/api/v1/cooperatives/1/x']) {
      const r = await admin.get(path);
      assert.equal(r.status, 404, path);
      assert.equal(r.json().error.code, 'not_found', path);
    }
    assert.equal((await manager.get('/assets/nope.css')).status, 404);
    assert.equal((await manager.get('/cooperatives/99999999999999999999')).status, 404);
  });

  test('a wrong method is 405', async () => {
    const c = (await admin.api('GET', '/api/v1/cooperatives?per_page=1')).json().items[0];
    const cases = [
      ['DELETE', `/api/v1/cooperatives/${c.id}`],
      ['PUT', `/api/v1/cooperatives/${c.id}`],
      ['PATCH', '/api/v1/cooperatives'],
      ['POST', '/healthz'],
      ['GET', '/logout'],
      ['DELETE', '/cooperatives'],
    ];
    for (const [method, path] of cases) {
      const r = await admin.request(path, { method, headers: { 'content-type': 'application/json' }, body: method === 'GET' ? undefined : '{}' });
      assert.equal(r.status, 405, `${method} ${path}`);
    }
    const still = await admin.api('GET', `/api/v1/cooperatives/${c.id}`);
    assert.equal(still.status, 200, 'DELETE did not delete');
  });
});

describe('shutdown', () => {
  test('the server stops on SIGTERM with exit code 0', async () => {
    const r = await env.server.stop();
    assert.equal(r.signal, null, `no signal death (log: ${r.log.slice(-2000)})`);
    assert.equal(r.code, 0, `exit code 0 (log: ${r.log.slice(-2000)})`);
  });
});
