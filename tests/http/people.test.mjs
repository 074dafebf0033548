// people.test.mjs: people (members and beneficiaries) through the pages and the JSON API:
// create, read, edit, validation, concurrent edits, search, filters, memberships, national ID
// visibility per role, region scope, and the viewer's refusal.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  addDays,
  cleanupDirs,
  coopData,
  formFields,
  htmlDecode,
  iso,
  loggedIn,
  personData,
  plainForm,
  provinceOf,
  setField,
  setupServer,
  today,
  tokenClient,
  uniqueArabicWord,
  uniqueWord,
} from './lib.mjs';

let env;
let admin; // bearer
let adminS; // admin session (forms)
let manager; // session
let officer; // officer03, session
let coach; // session
let viewer; // session
let coop03; // a cooperative of region 03
let coop06; // a cooperative of region 06
let far; // a person of region 06

before(async () => {
  env = await setupServer();
  admin = await tokenClient(env.base, env.db, 'admin');
  [adminS, manager, officer, coach, viewer] = await Promise.all(
    ['admin', 'manager', 'officer03', 'coach', 'viewer'].map((u) => loggedIn(env.base, u)),
  );
  coop03 = await apiCreate('/api/v1/cooperatives', coopData({ region_code: '03' }));
  coop06 = await apiCreate('/api/v1/cooperatives', coopData({ region_code: '06' }));
  far = await apiCreate('/api/v1/people', personData({ region_code: '06', national_id: 'FAR06123' }));
});

after(async () => {
  if (env && env.server.exited() === null) await env.server.stop();
  cleanupDirs();
});

async function apiCreate(p, data, client = admin) {
  const r = await client.api('POST', p, data);
  assert.equal(r.status, 201, `create ${p}: ${r.text}`);
  return r.json();
}

const createPerson = (over = {}, client = admin) => apiCreate('/api/v1/people', personData(over), client);

async function getPerson(id, client = admin) {
  const r = await client.api('GET', `/api/v1/people/${id}`);
  assert.equal(r.status, 200, r.text);
  return r.json();
}

/** API list answer for a query string. */
async function list(client, qs) {
  const r = await client.api('GET', `/api/v1/people?${qs}`);
  assert.equal(r.status, 200, `list ${qs}: ${r.text.slice(0, 300)}`);
  return r.json();
}

const search = async (client, q, extra = '') =>
  (await list(client, `per_page=200&q=${encodeURIComponent(q)}${extra ? '&' + extra : ''}`)).items;

async function total(client = admin, qs = '') {
  return (await list(client, `per_page=1${qs ? '&' + qs : ''}`)).total;
}

/** Every person of a list query (walks the pages). */
async function all(client, qs) {
  const items = [];
  for (let page = 1; ; page++) {
    const j = await list(client, `per_page=200&page=${page}&${qs}`);
    items.push(...j.items);
    if (j.items.length < 200) return { items, total: j.total };
  }
}

/** Fields of an API record that the caller sent (the others are computed). */
function assertSamePerson(actual, expected, msg = '') {
  for (const [k, v] of Object.entries(expected)) {
    let want = v;
    if ((k === 'birth_date' || k === 'province_code' || k === 'national_id') && v === '') want = null;
    if (k === 'national_id' && typeof v === 'string' && v) want = v.toUpperCase();
    assert.deepEqual(actual[k], want, `${msg}${k}`);
  }
}

/** The person ids linked from an HTML page. */
const personLinks = (html) => new Set([...html.matchAll(/href="\/people\/(\d+)"/g)].map((m) => Number(m[1])));

/** The number in the list page's count line (Western or Arabic-Indic digits, any grouping). */
function pageCount(html) {
  const m = /<p class="count"[^>]*>([\s\S]*?)<\/p>/.exec(html);
  assert.ok(m, 'a count line');
  const digits = m[1].replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x660)).replace(/[^0-9]/g, '');
  return Number(digits);
}

/** The form of the "new person" page, filled with data. */
async function newPersonForm(client, data) {
  const page = await client.get('/people/new');
  assert.equal(page.status, 200);
  let pairs = formFields(page.text, '/people');
  for (const [k, v] of Object.entries(data)) pairs = setField(pairs, k, v === null ? '' : v);
  return pairs;
}

// ---------------------------------------------------------------- create and read

describe('create and read', () => {
  test('through the form: Arabic and French names, a full birth date, a lowercase national ID', async () => {
    const data = personData({ name_ar: `مريم بنت الحسن ${uniqueArabicWord()}`, name_fr: `Myriam Benhassan ${uniqueWord()}`, national_id: 'ab123456', birth_date: '1984-07-09' });
    const r = await adminS.postForm('/people', await newPersonForm(adminS, data));
    assert.equal(r.status, 303, r.text.slice(0, 500));
    const m = /^\/people\/(\d+)$/.exec(r.location);
    assert.ok(m, `redirect to the new record: ${r.location}`);
    const p = await getPerson(m[1]);
    assertSamePerson(p, data);
    assert.equal(p.national_id, 'AB123456', 'stored upper-case');
    assert.deepEqual(p.memberships, []);
    assert.equal(p.version, 1);
    const page = await adminS.get(r.location);
    assert.equal(page.status, 200);
    const text = htmlDecode(page.text);
    assert.ok(text.includes(data.name_ar) && text.includes(data.name_fr), 'both names shown');
    assert.ok(text.includes('AB123456'), 'national ID shown to the admin');
    assert.ok(text.includes('1984'), 'birth date shown');
  });

  test('through the API: a birth year only, Location header, read back identical', async () => {
    const data = personData({ sex: 'M', name_ar: `محمد أمين ${uniqueArabicWord()}`, name_fr: `Mohamed Amine ${uniqueWord()}`, birth_date: '1987', national_id: 'K445566' });
    const r = await admin.api('POST', '/api/v1/people', data);
    assert.equal(r.status, 201, r.text);
    const p = r.json();
    assert.equal(r.headers.get('location'), `/api/v1/people/${p.id}`);
    assertSamePerson(p, data);
    assert.equal(p.birth_date, '1987');
    assert.deepEqual(await getPerson(p.id), p, 'GET answers what POST answered');
    const page = await adminS.get(`/people/${p.id}`);
    assert.equal(page.status, 200);
    assert.ok(htmlDecode(page.text).includes(data.name_ar));
    assert.match(page.text, />1987</, 'the year alone is shown');
  });

  test('the birth date, phone, national ID and province are optional', async () => {
    const data = personData({ birth_date: '', phone: '', national_id: '', province_code: null });
    const p = await apiCreate('/api/v1/people', data);
    assert.equal(p.birth_date, null);
    assert.equal(p.province_code, null);
    assert.equal(p.phone, '');
    assert.equal((await getPerson(p.id)).national_id, null);
    const page = await adminS.get(`/people/${p.id}`);
    assert.equal(page.status, 200);
  });

  test('an unknown id is 404 on the page, the edit form and the API', async () => {
    assert.equal((await adminS.get('/people/999999999')).status, 404);
    assert.equal((await adminS.get('/people/999999999/edit')).status, 404);
    const g = await admin.api('GET', '/api/v1/people/999999999');
    assert.equal(g.status, 404);
    assert.equal(g.json().error.code, 'not_found');
    assert.equal((await admin.api('PATCH', '/api/v1/people/999999999', { phone: '' })).status, 404);
  });
});

// ---------------------------------------------------------------- edit

describe('edit', () => {
  test('through the edit form: changed fields saved, the others kept, version bumped', async () => {
    const p = await createPerson({ national_id: 'ED1001' });
    const form = await adminS.get(`/people/${p.id}/edit`);
    assert.equal(form.status, 200);
    let pairs = formFields(form.text, `/people/${p.id}`);
    const got = Object.fromEntries(pairs);
    assert.equal(got.name_ar, p.name_ar, 'the form shows the record');
    assert.equal(got.national_id, 'ED1001');
    assert.equal(got.version, '1');
    const newFr = `Fatima Zohra Alaoui ${uniqueWord()}`;
    pairs = setField(pairs, 'name_fr', newFr);
    pairs = setField(pairs, 'birth_date', '1975');
    const r = await adminS.postForm(`/people/${p.id}`, pairs);
    assert.equal(r.status, 303, r.text.slice(0, 500));
    assert.equal(r.location, `/people/${p.id}`);
    const now = await getPerson(p.id);
    assert.equal(now.name_fr, newFr);
    assert.equal(now.birth_date, '1975');
    assert.equal(now.version, 2);
    for (const k of ['name_ar', 'sex', 'phone', 'region_code', 'province_code', 'national_id', 'created_at']) {
      assert.deepEqual(now[k], k === 'national_id' ? 'ED1001' : p[k], k);
    }
    // The search follows the new name.
    assert.deepEqual((await search(admin, newFr.split(' ').pop())).map((x) => x.id), [p.id], 'found by the new name');
    assert.equal((await search(admin, p.name_fr.split(' ').pop())).length, 0, 'not by the old one');
  });

  test('PATCH changes only the fields sent and accepts its own answer sent back', async () => {
    const p = await createPerson({ national_id: 'PA2002' });
    const r = await admin.api('PATCH', `/api/v1/people/${p.id}`, { phone: '0522 98 76 54', national_id: 'pa2003' });
    assert.equal(r.status, 200, r.text);
    const now = r.json();
    assert.equal(now.phone, '0522 98 76 54');
    assert.equal(now.national_id, 'PA2003');
    assert.equal(now.version, p.version + 1);
    for (const k of ['name_ar', 'name_fr', 'sex', 'birth_date', 'region_code', 'province_code']) assert.equal(now[k], p[k], k);
    // The whole answer (with id, version, memberships, timestamps) can be sent back.
    const back = await admin.api('PATCH', `/api/v1/people/${p.id}`, { ...now, sex: 'M' });
    assert.equal(back.status, 200, back.text);
    assert.equal(back.json().sex, 'M');
    assert.equal(back.json().version, now.version + 1);
  });

  test('a stale version is refused with 409 (API and form), nothing overwritten', async () => {
    const p = await createPerson();
    const staleForm = formFields((await adminS.get(`/people/${p.id}/edit`)).text, `/people/${p.id}`);
    const first = await admin.api('PATCH', `/api/v1/people/${p.id}`, { version: p.version, phone: '0611111111' });
    assert.equal(first.status, 200, first.text);
    const again = await admin.api('PATCH', `/api/v1/people/${p.id}`, { version: p.version, phone: '0622222222' });
    assert.equal(again.status, 409, again.text);
    assert.equal(again.json().error.code, 'conflict');
    const f = await adminS.postForm(`/people/${p.id}`, setField(staleForm, 'phone', '0633333333'));
    assert.equal(f.status, 409, f.text.slice(0, 300));
    const now = await getPerson(p.id);
    assert.equal(now.phone, '0611111111');
    assert.equal(now.version, p.version + 1);
  });

  test('two concurrent PATCHes of the same version: exactly one wins', async () => {
    const p = await createPerson();
    const rs = await Promise.all(
      ['0644444444', '0655555555'].map((phone) => admin.api('PATCH', `/api/v1/people/${p.id}`, { version: p.version, phone })),
    );
    const statuses = rs.map((r) => r.status).sort();
    assert.deepEqual(statuses, [200, 409], rs.map((r) => r.text).join('\n'));
    const winner = rs.find((r) => r.status === 200).json();
    const now = await getPerson(p.id);
    assert.equal(now.phone, winner.phone);
    assert.equal(now.version, p.version + 1);
  });
});

// ---------------------------------------------------------------- validation

describe('validation', () => {
  const t = today();
  const cases = [
    ['name_ar', '', 'empty Arabic name'],
    ['name_ar', '   ', 'blank Arabic name'],
    ['name_fr', '', 'empty French name'],
    ['name_fr', 'Ligne un\nLigne deux', 'a name on two lines'],
    ['name_fr', 'x'.repeat(201), 'a 201-character name'],
    ['name_ar', 'ب'.repeat(100 * 1024), 'a 100 KB name'],
    ['sex', 'X', 'unknown sex'],
    ['sex', '', 'no sex'],
    ['birth_date', '2023-02-31', 'February 31'],
    ['birth_date', '2023-13-01', 'month 13'],
    ['birth_date', '12/04/1990', 'a French-style date'],
    ['birth_date', iso(addDays(t, 1)), 'tomorrow'],
    ['birth_date', String(t.y + 1), 'next year'],
    ['birth_date', '1800', 'year 1800'],
    ['birth_date', '1800-05-10', 'a full date in 1800'],
    ['birth_date', '1899-12-31', 'the last day before 1900'],
    ['national_id', 'AB 123456', 'a space in the national ID'],
    ['national_id', 'AB-123456', 'a hyphen in the national ID'],
    ['national_id', 'ÉB123456', 'an accented letter in the national ID'],
    ['national_id', 'أب123456', 'Arabic letters in the national ID'],
    ['national_id', 'A'.repeat(21), 'a 21-character national ID'],
    ['phone', 'call me', 'a phone without digits'],
    ['region_code', '13', 'an unknown region'],
    ['region_code', '', 'no region'],
    ['province_code', '06.141', 'a province outside the region'],
  ];

  for (const [field, value, what] of cases) {
    test(`API: ${what} -> 422 naming ${field}, nothing written`, async () => {
      const before = await total();
      const data = personData({ [field]: value });
      if (field === 'province_code') data.province_code = provinceOf('06');
      const r = await admin.api('POST', '/api/v1/people', data);
      assert.equal(r.status, 422, `${what}: ${r.text.slice(0, 400)}`);
      const e = r.json().error;
      assert.equal(e.code, 'validation_failed');
      assert.ok(e.fields[field], `fields.${field} in ${JSON.stringify(e.fields).slice(0, 300)}`);
      assert.equal(await total(), before, 'nothing written');
    });
  }

  test('edge values are accepted: today, this year, 1900, 200 Arabic letters, a 20-character national ID', async () => {
    const cases = [
      ['birth_date', iso(t)],
      ['birth_date', String(t.y)],
      ['birth_date', '1900'],
      ['birth_date', '1900-01-01'],
      ['birth_date', '2000-02-29'],
      ['name_ar', 'ب'.repeat(200)],
      ['national_id', 'A1'.repeat(10)],
    ];
    for (const [field, value] of cases) {
      const r = await admin.api('POST', '/api/v1/people', personData({ [field]: value }));
      assert.equal(r.status, 201, `${field}=${value.slice(0, 20)}: ${r.text.slice(0, 300)}`);
      assert.equal(r.json()[field], value);
    }
  });

  test('PATCH with an invalid value: 422, the record unchanged', async () => {
    const p = await createPerson();
    for (const [field, value] of [['birth_date', '2023-02-31'], ['sex', 'X'], ['name_fr', ''], ['national_id', 'A B']]) {
      const r = await admin.api('PATCH', `/api/v1/people/${p.id}`, { [field]: value });
      assert.equal(r.status, 422, `${field}: ${r.text}`);
      assert.ok(r.json().error.fields[field]);
    }
    const now = await getPerson(p.id);
    assert.deepEqual(now, { ...p, national_id: null, memberships: [] });
  });

  const formCases = [
    ['name_ar', ''],
    ['name_fr', ''],
    ['sex', 'X'],
    ['birth_date', '2023-02-31'],
    ['birth_date', iso(addDays(t, 1))],
    ['birth_date', '1800'],
    ['national_id', 'AB/1234'],
    ['name_fr', 'y'.repeat(100 * 1024)],
  ];
  for (const [field, value] of formCases) {
    test(`form: ${field} = ${JSON.stringify(value.slice(0, 20))} -> 422 with the error next to the field, typed values kept`, async () => {
      const before = await total();
      const data = personData({ [field]: value, national_id: field === 'national_id' ? value : 'KEEP123' });
      const r = await adminS.postForm('/people', await newPersonForm(adminS, data));
      assert.equal(r.status, 422, r.text.slice(0, 300));
      assert.match(r.text, new RegExp(`id="e-${field}"`), 'error message of the field');
      assert.match(r.text, new RegExp(`href="#f-${field}"`), 'error summary links to the field');
      const kept = Object.fromEntries(formFields(r.text, '/people'));
      for (const k of ['name_ar', 'name_fr', 'phone']) if (k !== field) assert.equal(kept[k], data[k], `${k} kept`);
      assert.equal(await total(), before, 'nothing written');
    });
  }

  test('unknown JSON fields and wrong JSON types: 422 naming them, nothing written', async () => {
    const before = await total();
    const r = await admin.api('POST', '/api/v1/people', { ...personData(), nickname: 'Fafa' });
    assert.equal(r.status, 422, r.text);
    assert.ok(r.json().error.fields.nickname);
    const w = await admin.api('POST', '/api/v1/people', personData({ name_fr: { first: 'A' } }));
    assert.equal(w.status, 422, w.text);
    assert.ok(w.json().error.fields.name_fr);
    const v = await admin.api('PATCH', `/api/v1/people/${far.id}`, { version: 'one', phone: '' });
    assert.equal(v.status, 422, v.text);
    assert.equal(await total(), before);
  });

  test('invalid UTF-8 (JSON body and form field): 400 bad_request, nothing written', async () => {
    const before = await total();
    const w = uniqueWord();
    // A lone continuation byte and an overlong encoding inside the French name.
    const bytes = Buffer.from(JSON.stringify(personData({ name_fr: `Bad ${w} @@` })));
    const at = bytes.indexOf('@@');
    bytes[at] = 0x80;
    bytes[at + 1] = 0xc0;
    const r = await admin.request('/api/v1/people', { method: 'POST', body: bytes, headers: { 'content-type': 'application/json' } });
    assert.equal(r.status, 400, r.text);
    assert.equal(r.json().error.code, 'bad_request');
    const form = new URLSearchParams(await newPersonForm(adminS, personData({ name_fr: `Bad ${w}` }))).toString().replace(`Bad+${w}`, `Bad+${w}%C3%28`);
    const f = await adminS.request('/people', { method: 'POST', body: form, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(f.status, 400, f.text.slice(0, 300));
    assert.match(f.text, /UTF-8/);
    assert.equal(await total(), before);
    assert.equal((await search(admin, w)).length, 0);
  });
});

// ---------------------------------------------------------------- search and filters

describe('search and filters', () => {
  test('Arabic search ignores diacritics, hamza forms and taa marbuta, both ways (API and page)', async () => {
    const w = uniqueArabicWord();
    const voweled = [...w].map((c) => c + '\u064e').join(''); // a fatha on every letter
    const p = await createPerson({ name_ar: `إِدْرِيس الوَزَّانِيّة ${voweled}` });
    for (const q of [w, `ادريس ${w}`, `الوزانيه ${w}`, `أدريس ${w}`, voweled]) {
      const items = await search(admin, q);
      assert.deepEqual(items.map((x) => x.id), [p.id], `q=${q}`);
    }
    const page = await adminS.get(`/people?q=${encodeURIComponent('ادريس ' + w)}`);
    assert.equal(page.status, 200);
    assert.deepEqual([...personLinks(page.text)], [p.id], 'the list page finds it');
    // The other way: a plain stored name found by a voweled query.
    const w2 = uniqueArabicWord();
    const q2 = await createPerson({ name_ar: `خديجة ${w2}` });
    const items = await search(admin, `خَدِيجَة ${[...w2].map((c) => c + '\u0650').join('')}`);
    assert.deepEqual(items.map((x) => x.id), [q2.id]);
  });

  test('French search ignores accents and case; words in any order', async () => {
    const w = uniqueWord();
    const p = await createPerson({ name_fr: `Hélène Zoé Lefèvre ${w}` });
    for (const q of [`helene ${w}`, `${w.toUpperCase()} ZOE`, `lefevre ${w}`]) {
      assert.deepEqual((await search(admin, q)).map((x) => x.id), [p.id], q);
    }
    assert.equal((await search(admin, `${w} nobody`)).length, 0, 'every word must match');
  });

  test('every word of a long query counts, the fifth one too (API and page)', async () => {
    const w = uniqueWord();
    const p = await createPerson({ name_fr: `Fatima Zahra Amina Salma ${w}` });
    assert.deepEqual((await search(admin, `fatima zahra amina ${w}`)).map((x) => x.id), [p.id], 'four words that match');
    assert.deepEqual((await search(admin, `fatima zahra amina salma ${w}`)).map((x) => x.id), [p.id], 'five words that match');
    const q = `fatima zahra amina ${w} nomatchword`;
    const items = await search(admin, q);
    assert.deepEqual(items.map((x) => x.id), [], `"${q}": the fifth word is in no name, yet ${items.length} found`);
    const page = await adminS.get(`/people?q=${encodeURIComponent(q)}`);
    assert.ok(!personLinks(page.text).has(p.id), 'the list page does not list it either');
  });

  test('region, province and sex filters; totals add up', async () => {
    const r03 = await total(admin, 'region=03');
    const f = await total(admin, 'region=03&sex=F');
    const m = await total(admin, 'region=03&sex=M');
    assert.ok(f > 0 && m > 0);
    assert.equal(f + m, r03, 'women + men = everyone');
    const j = await list(admin, 'region=06&sex=F&per_page=200');
    assert.ok(j.items.length > 0);
    for (const x of j.items) {
      assert.equal(x.region_code, '06');
      assert.equal(x.sex, 'F');
    }
    const prov = provinceOf('03');
    const jp = await list(admin, `province=${prov}&per_page=200`);
    assert.ok(jp.items.every((x) => x.province_code === prov));
    let sum = 0;
    for (let i = 1; i <= 12; i++) sum += await total(admin, `region=${String(i).padStart(2, '0')}`);
    assert.equal(sum, await total(admin), 'the regions partition the people');
    // The page shows the same count.
    const page = await adminS.get('/people?region=03&sex=F');
    assert.equal(page.status, 200);
    assert.equal(pageCount(page.text), f, 'the count on the page');
  });

  test('bad filter values: 400 (API and page)', async () => {
    for (const qs of ['region=13', 'sex=X', 'cooperative=abc', 'province=99.999', 'per_page=0', 'page=x']) {
      const r = await admin.api('GET', `/api/v1/people?${qs}`);
      assert.equal(r.status, 400, `${qs}: ${r.text}`);
      assert.equal(r.json().error.code, 'bad_request');
      assert.equal((await adminS.get(`/people?${qs}`)).status, 400, `page ${qs}`);
    }
  });

  test("cooperative=ID lists that cooperative's members, the same ones as the cooperative's page", async () => {
    const someone = await getPerson(1);
    assert.ok(someone.memberships.length > 0, 'demo person 1 is a member');
    for (const { cooperative_id: cid } of someone.memberships) {
      const { items, total: n } = await all(admin, `cooperative=${cid}`);
      assert.equal(items.length, n);
      assert.ok(items.some((x) => x.id === 1));
      const page = await adminS.get(`/cooperatives/${cid}`);
      assert.equal(page.status, 200);
      assert.deepEqual([...personLinks(page.text)].sort((a, b) => a - b), items.map((x) => x.id).sort((a, b) => a - b), `members of ${cid}`);
      for (const x of items.slice(0, 5)) {
        assert.ok((await getPerson(x.id)).memberships.some((mm) => mm.cooperative_id === cid), `${x.id} is a member of ${cid}`);
      }
      const list = await adminS.get(`/people?cooperative=${cid}`);
      assert.equal(list.status, 200);
      assert.match(list.text, new RegExp(`href="/cooperatives/${cid}"`), 'the list names the cooperative');
      assert.deepEqual([...personLinks(list.text)].sort(), items.map((x) => x.id).sort());
    }
    assert.equal(await total(admin, `cooperative=${coop03.id}`), 0, 'a new cooperative has no member');
    assert.equal(await total(admin, 'cooperative=999999999'), 0);
  });
});

// ---------------------------------------------------------------- memberships

describe('memberships', () => {
  async function addForm(client, personId, regno, role) {
    const page = await client.get(`/people/${personId}`);
    assert.equal(page.status, 200);
    let pairs = formFields(page.text, `/people/${personId}/memberships`);
    pairs = setField(pairs, 'register_number', regno);
    if (role !== undefined) pairs = setField(pairs, 'role', role);
    return client.postForm(`/people/${personId}/memberships`, pairs);
  }

  test('add by register number with a role; shown on both pages and in the filter; then removed', async () => {
    const p = await createPerson();
    const r = await addForm(adminS, p.id, coop03.register_number, 'treasurer');
    assert.equal(r.status, 303, r.text.slice(0, 500));
    assert.equal(r.location, `/people/${p.id}#memberships`);
    assert.deepEqual((await getPerson(p.id)).memberships, [{ cooperative_id: coop03.id, role: 'treasurer' }]);
    const pp = await adminS.get(`/people/${p.id}`);
    assert.match(pp.text, new RegExp(`href="/cooperatives/${coop03.id}"`), 'the person page links the cooperative');
    assert.ok(pp.text.includes(coop03.register_number));
    const cp = await adminS.get(`/cooperatives/${coop03.id}`);
    assert.ok(personLinks(cp.text).has(p.id), "the cooperative's page lists the member");
    assert.deepEqual((await search(admin, '', `cooperative=${coop03.id}`)).map((x) => x.id), [p.id]);

    // Remove through the button's form.
    const page = await adminS.get(`/people/${p.id}`);
    const rm = formFields(page.text, `/people/${p.id}/memberships/remove`);
    assert.deepEqual(Object.fromEntries(rm).cooperative_id, String(coop03.id));
    const d = await adminS.postForm(`/people/${p.id}/memberships/remove`, rm);
    assert.equal(d.status, 303, d.text.slice(0, 300));
    assert.deepEqual((await getPerson(p.id)).memberships, []);
    assert.ok(!personLinks((await adminS.get(`/cooperatives/${coop03.id}`)).text).has(p.id));
    assert.equal(await total(admin, `cooperative=${coop03.id}`), 0);
    const again = await adminS.postForm(`/people/${p.id}/memberships/remove`, rm);
    assert.equal(again.status, 404, 'removing it twice');
  });

  test('a duplicate membership is refused (409) and nothing is added or changed', async () => {
    const p = await createPerson();
    assert.equal((await addForm(adminS, p.id, coop03.register_number, 'president')).status, 303);
    for (const role of ['president', 'member']) {
      const r = await addForm(adminS, p.id, coop03.register_number, role);
      assert.equal(r.status, 409, r.text.slice(0, 300));
      assert.match(r.text, /id="e-register_number"/);
    }
    assert.deepEqual((await getPerson(p.id)).memberships, [{ cooperative_id: coop03.id, role: 'president' }]);
    await adminS.postForm(`/people/${p.id}/memberships/remove`, [['cooperative_id', String(coop03.id)]]);
  });

  test('an unknown register number, an empty one or an unknown role: an error, nothing added', async () => {
    const p = await createPerson();
    for (const [regno, role, field] of [
      ['9999/99-99', 'member', 'register_number'],
      ['', 'member', 'register_number'],
      [coop03.register_number, 'chief', 'role'],
    ]) {
      const r = await addForm(adminS, p.id, regno, role);
      assert.equal(r.status, 422, `${regno}/${role}: ${r.status}`);
      assert.match(r.text, new RegExp(`id="e-${field}"`));
      if (regno) assert.ok(htmlDecode(r.text).includes(regno), 'the typed register number is kept');
    }
    assert.deepEqual((await getPerson(p.id)).memberships, []);
  });

  test('removing a membership that does not exist, or with a bad id: an error', async () => {
    const p = await createPerson();
    assert.equal((await adminS.postForm(`/people/${p.id}/memberships/remove`, [['cooperative_id', String(coop06.id)]])).status, 404);
    assert.equal((await adminS.postForm(`/people/${p.id}/memberships/remove`, [['cooperative_id', 'x']])).status, 400);
  });
});

// ---------------------------------------------------------------- national ID

describe('national ID visibility per role', () => {
  let p;
  let nid;
  before(async () => {
    nid = `NI${Math.floor(100000 + Math.random() * 899999)}`;
    p = await createPerson({ region_code: '03', national_id: nid });
  });

  for (const who of ['admin', 'manager', 'officer03']) {
    test(`${who} sees it on the detail page, the edit form and the API GET of one`, async () => {
      const c = { admin: adminS, manager, officer03: officer }[who];
      const page = await c.get(`/people/${p.id}`);
      assert.equal(page.status, 200);
      assert.ok(page.text.includes(nid), 'on the page');
      const edit = await c.get(`/people/${p.id}/edit`);
      assert.equal(Object.fromEntries(formFields(edit.text, `/people/${p.id}`)).national_id, nid, 'in the edit form');
      assert.equal((await getPerson(p.id, c)).national_id, nid, 'in the API');
    });
  }

  test('the coach reads people without it: page, API, no edit form, no write', async () => {
    const page = await coach.get(`/people/${p.id}`);
    assert.equal(page.status, 200);
    assert.ok(htmlDecode(page.text).includes(p.name_ar));
    assert.ok(!page.text.includes(nid), 'not on the page');
    assert.doesNotMatch(page.text, /name="national_id"/);
    assert.doesNotMatch(page.text, new RegExp(`href="/people/${p.id}/edit"`), 'no edit link');
    assert.doesNotMatch(page.text, /action="\/people\/\d+\/memberships"/, 'no membership form');
    const j = await getPerson(p.id, coach);
    assert.ok(!('national_id' in j), `no national_id key: ${JSON.stringify(j)}`);
    assert.equal(j.name_fr, p.name_fr);
    assert.equal((await coach.get(`/people/${p.id}/edit`)).status, 403);
    for (const body of [{ phone: '0600000000' }, { national_id: 'HACK1' }, {}]) {
      const r = await coach.api('PATCH', `/api/v1/people/${p.id}`, body);
      assert.equal(r.status, 403, `PATCH ${JSON.stringify(body)}`);
      assert.equal(r.json().error.code, 'forbidden');
    }
    assert.equal((await coach.api('POST', '/api/v1/people', personData())).status, 403);
    assert.equal((await coach.postForm(`/people/${p.id}`, [['version', '1'], ['phone', '0600000000']])).status, 403);
    assert.equal((await coach.postForm(`/people/${p.id}/memberships`, [['register_number', coop03.register_number], ['role', 'member']])).status, 403);
    const tc = await tokenClient(env.base, env.db, 'coach');
    assert.equal((await tc.api('PATCH', `/api/v1/people/${p.id}`, { phone: '0600000000' })).status, 403, 'coach token');
    const now = await getPerson(p.id);
    assert.equal(now.version, p.version);
    assert.equal(now.national_id, nid);
  });

  test('it never appears in list pages or list API items, for anyone', async () => {
    const w = p.name_fr.split(' ').pop();
    for (const [who, c] of [['admin', adminS], ['manager', manager], ['officer03', officer], ['coach', coach]]) {
      const items = await search(c, w);
      assert.deepEqual(items.map((x) => x.id), [p.id], `${who} finds it`);
      for (const x of items) assert.ok(!('national_id' in x), `${who}: no national_id in list items`);
      const page = await c.get(`/people?q=${w}`);
      assert.equal(page.status, 200);
      assert.ok(personLinks(page.text).has(p.id), `${who}: listed`);
      assert.ok(!page.text.includes(nid), `${who}: not on the list page`);
      // A whole page of demo people, many of whom have a national ID.
      const big = await list(c, 'per_page=200');
      assert.ok(big.items.every((x) => !('national_id' in x)), `${who}: no national_id in a page of 200`);
      const bigPage = await c.get('/people?per_page=200');
      assert.doesNotMatch(bigPage.text, /\b[A-Z]{1,2}\d{5,6}\b/, `${who}: no national ID-like text on the list page`);
    }
  });
});

// ---------------------------------------------------------------- scope

describe('regional officer of region 03', () => {
  test('a region-06 person is 404 on the page, edit form, API GET, PATCH and form posts; unchanged', async () => {
    assert.equal((await officer.get(`/people/${far.id}`)).status, 404, 'page');
    assert.equal((await officer.get(`/people/${far.id}/edit`)).status, 404, 'edit form');
    const g = await officer.api('GET', `/api/v1/people/${far.id}`);
    assert.equal(g.status, 404);
    assert.deepEqual(g.json(), (await officer.api('GET', '/api/v1/people/999999999')).json(), 'same as a missing id');
    assert.equal((await officer.api('PATCH', `/api/v1/people/${far.id}`, { phone: '0699999999' })).status, 404, 'PATCH');
    assert.equal((await officer.postForm(`/people/${far.id}`, [['version', String(far.version)], ['phone', '0699999999']])).status, 404, 'form update');
    assert.equal((await officer.postForm(`/people/${far.id}/memberships`, [['register_number', coop03.register_number], ['role', 'member']])).status, 404, 'membership add');
    const now = await getPerson(far.id);
    assert.equal(now.version, far.version);
    assert.deepEqual(now.memberships, []);
  });

  test('it never appears in lists or searches', async () => {
    const w = far.name_fr.split(' ').pop();
    for (const q of [w, far.name_fr, far.name_ar]) assert.equal((await search(officer, q)).length, 0, q);
    assert.deepEqual((await search(admin, w)).map((x) => x.id), [far.id], 'the admin finds it');
    assert.equal(await total(officer, 'region=06'), 0);
    const page = await officer.get(`/people?q=${encodeURIComponent(w)}`);
    assert.equal(page.status, 200);
    assert.ok(!personLinks(page.text).has(far.id));
    const { items, total: n } = await all(officer, 'sex=F');
    assert.ok(items.every((x) => x.region_code === '03'), 'only region 03');
    assert.equal(n, await total(admin, 'region=03&sex=F'));
    assert.equal(await total(officer), await total(admin, 'region=03'));
  });

  test('the members of a region-06 cooperative are hidden, even those of region 03', async () => {
    const p = await createPerson({ region_code: '03' });
    assert.equal((await adminS.postForm(`/people/${p.id}/memberships`, [['register_number', coop06.register_number], ['role', 'member']])).status, 303);
    assert.equal(await total(admin, `cooperative=${coop06.id}`), 1);
    assert.equal(await total(officer, `cooperative=${coop06.id}`), 0, 'the filter reveals nothing');
    const j = await getPerson(p.id, officer);
    assert.deepEqual(j.memberships, [], 'nor does the person');
    const page = await officer.get(`/people/${p.id}`);
    assert.equal(page.status, 200);
    assert.doesNotMatch(page.text, new RegExp(`/cooperatives/${coop06.id}"`));
    assert.ok(!page.text.includes(coop06.register_number));
  });

  test('creating in region 06 is refused (403 API and form), nothing written', async () => {
    const before = await total(admin);
    const data = personData({ region_code: '06' });
    const r = await officer.api('POST', '/api/v1/people', data);
    assert.equal(r.status, 403, r.text);
    assert.equal(r.json().error.code, 'forbidden');
    assert.ok(r.json().error.fields.region_code);
    const f = await officer.postForm('/people', await newPersonForm(officer, data));
    assert.equal(f.status, 403, f.text.slice(0, 300));
    assert.match(f.text, /id="e-region_code"/);
    assert.equal(await total(admin), before);
    assert.equal((await search(admin, data.name_fr.split(' ').pop())).length, 0);
  });

  test('creating and editing in region 03 work; moving a person to region 06 is refused', async () => {
    const page = await officer.get('/people/new');
    assert.equal(Object.fromEntries(formFields(page.text, '/people')).region_code, '03', 'region preselected');
    const mine = await createPerson({ region_code: '03', national_id: 'OF0303' }, officer);
    assert.equal(mine.national_id, 'OF0303');
    const p = await officer.api('PATCH', `/api/v1/people/${mine.id}`, { phone: '0535 00 00 00' });
    assert.equal(p.status, 200, p.text);
    const move = await officer.api('PATCH', `/api/v1/people/${mine.id}`, { region_code: '06', province_code: provinceOf('06') });
    assert.equal(move.status, 403, move.text);
    const now = await getPerson(mine.id);
    assert.equal(now.region_code, '03');
    assert.equal(now.phone, '0535 00 00 00');
  });

  test('a membership in a region-06 cooperative cannot be added; region 03 works', async () => {
    const p = await createPerson({ region_code: '03' });
    const page = await officer.get(`/people/${p.id}`);
    const pairs = setField(formFields(page.text, `/people/${p.id}/memberships`), 'register_number', coop06.register_number);
    const r = await officer.postForm(`/people/${p.id}/memberships`, pairs);
    assert.equal(r.status, 422, r.text.slice(0, 300));
    assert.match(r.text, /id="e-register_number"/);
    assert.deepEqual((await getPerson(p.id)).memberships, [], 'nothing added');
    const ok = await officer.postForm(`/people/${p.id}/memberships`, setField(pairs, 'register_number', coop03.register_number));
    assert.equal(ok.status, 303);
    assert.deepEqual((await getPerson(p.id)).memberships, [{ cooperative_id: coop03.id, role: 'member' }]);
    const rm = await officer.postForm(`/people/${p.id}/memberships/remove`, [['cooperative_id', String(coop03.id)]]);
    assert.equal(rm.status, 303);
  });
});

// ---------------------------------------------------------------- viewer

describe('viewer', () => {
  test('403 on every people page and API call; no People link', async () => {
    for (const p of ['/people', `/people/${far.id}`, '/people/new', `/people/${far.id}/edit`]) {
      assert.equal((await viewer.get(p)).status, 403, p);
    }
    for (const p of ['/api/v1/people', `/api/v1/people/${far.id}`]) {
      const r = await viewer.api('GET', p);
      assert.equal(r.status, 403, p);
      assert.equal(r.json().error.code, 'forbidden');
    }
    assert.equal((await viewer.api('POST', '/api/v1/people', personData())).status, 403);
    assert.equal((await viewer.api('PATCH', `/api/v1/people/${far.id}`, { phone: '' })).status, 403);
    assert.equal((await viewer.postForm('/people', plainForm(personData()))).status, 403);
    const home = await viewer.get('/cooperatives');
    assert.equal(home.status, 200);
    assert.doesNotMatch(home.text, /href="\/people"/);
    const coopPage = await viewer.get(`/cooperatives/${coop03.id}`);
    assert.equal(coopPage.status, 200);
    assert.equal(personLinks(coopPage.text).size, 0, 'no member list for the viewer');
  });
});

describe('shutdown', () => {
  test('the server stops on SIGTERM with exit code 0', async () => {
    const r = await env.server.stop();
    assert.equal(r.signal, null, `no signal death (log: ${r.log.slice(-2000)})`);
    assert.equal(r.code, 0, `exit code 0 (log: ${r.log.slice(-2000)})`);
  });
});
