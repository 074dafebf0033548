// coop.test.mjs: cooperatives through the pages and the JSON API: create, read, edit, search,
// filters, pagination, duplicates, concurrent edits, partial updates, CSV export.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  addDays,
  addYears,
  apiAll,
  apiTotal,
  byWord,
  cleanupDirs,
  coopData,
  coopForm,
  csvObjects,
  formFields,
  geo,
  iso,
  loggedIn,
  provinceOf,
  setField,
  setupServer,
  textById,
  tickBox,
  today,
  tokenClient,
  uniqueRegister,
  uniqueWord,
} from './lib.mjs';

let env;
let admin; // bearer
let manager; // session (forms)

before(async () => {
  env = await setupServer();
  admin = await tokenClient(env.base, env.db, 'admin');
  manager = await loggedIn(env.base, 'manager');
});

after(async () => {
  if (env && env.server.exited() === null) await env.server.stop();
  cleanupDirs();
});

/** Fields the API returns that the server computes. */
const COMPUTED = ['id', 'version', 'legal_age', 'created_at', 'updated_at'];

function assertSameRecord(actual, expected, msg = '') {
  for (const [k, v] of Object.entries(expected)) {
    if (COMPUTED.includes(k)) continue;
    const want = v === '' && (k === 'activity_start_date' || k === 'commune_code') ? null : v;
    assert.deepEqual(actual[k], want, `${msg}${k}`);
  }
}

async function apiCreate(data, client = admin) {
  const r = await client.api('POST', '/api/v1/cooperatives', data);
  assert.equal(r.status, 201, `create: ${r.text}`);
  return r.json();
}

async function apiGet(id, client = admin) {
  const r = await client.api('GET', `/api/v1/cooperatives/${id}`);
  assert.equal(r.status, 200, `get ${id}: ${r.text}`);
  return r.json();
}

/** Fills the "new cooperative" form as a person would (flags ticked as a browser sends them). */
async function newFormPairs(client, data) {
  const page = await client.get('/cooperatives/new');
  assert.equal(page.status, 200);
  let pairs = formFields(page.text, '/cooperatives');
  for (const [k, v] of Object.entries(data)) {
    if (typeof v === 'boolean') continue;
    pairs = setField(pairs, k, v ?? '');
  }
  for (const [k, v] of Object.entries(data)) if (v === true) pairs = tickBox(pairs, k);
  return pairs;
}

function idFromLocation(loc) {
  const m = /^\/cooperatives\/(\d+)$/.exec(loc || '');
  assert.ok(m, `redirect to a cooperative, got ${loc}`);
  return Number(m[1]);
}

describe('create and read', () => {
  test('create through the form: 303 to the new record, every field stored as typed', async () => {
    const data = coopData({ region_code: '07', name_ar: 'تعاونية النخيل ' + uniqueWord(), is_soulalyate: false });
    const pairs = await newFormPairs(manager, data);
    const r = await manager.postForm('/cooperatives', pairs, { csrf: false }); // token from the form
    assert.equal(r.status, 303, r.text.slice(0, 2000));
    const id = idFromLocation(r.location);
    const got = await apiGet(id);
    assertSameRecord(got, data);
    assert.equal(got.version, 1);
    const page = await manager.get(r.location);
    assert.equal(page.status, 200);
    assert.ok(page.text.includes(data.name_ar), 'the page shows the Arabic name');
    assert.ok(page.text.includes(data.name_fr), 'the page shows the French name');
    assert.ok(page.text.includes(data.register_number), 'register number');
  });

  test('ticking a checkbox in the form sets the flag (soulalyate, women-only)', async () => {
    const data = coopData({ region_code: '07', is_soulalyate: true, is_women_only: true, members_total: 9, members_women: 9 });
    const pairs = await newFormPairs(manager, data);
    const r = await manager.postForm('/cooperatives', pairs, { csrf: false });
    assert.equal(r.status, 303, r.text.slice(0, 2000));
    const got = await apiGet(idFromLocation(r.location));
    assert.equal(got.is_soulalyate, true, 'is_soulalyate ticked in the form');
    assert.equal(got.is_women_only, true, 'is_women_only ticked in the form');
  });

  test('create through the API: 201, Location, the record as sent, then GET returns it', async () => {
    const data = coopData({ region_code: '09', is_women_only: true, members_total: 7, members_women: 7, status: 'dormant' });
    const r = await admin.api('POST', '/api/v1/cooperatives', data);
    assert.equal(r.status, 201, r.text);
    const body = r.json();
    assert.ok(Number.isInteger(body.id) && body.id > 0);
    assert.equal(r.headers.get('location'), `/api/v1/cooperatives/${body.id}`);
    assertSameRecord(body, data);
    assert.equal(body.version, 1);
    assert.deepEqual(await apiGet(body.id), body);
    // The manager (another user) sees it too, through the page.
    const page = await manager.get(`/cooperatives/${body.id}`);
    assert.equal(page.status, 200);
    assert.ok(page.text.includes(data.name_ar));
  });

  test('the API computes the legal age from the legal date', async () => {
    const t = today();
    const legal = addDays(addYears(t, -3), -1); // 3 years and 1 day ago
    const c = await apiCreate(coopData({ legal_date: iso(legal), activity_start_date: null }));
    assert.equal(c.legal_age.years, 3);
    assert.equal(c.legal_age.months, 0);
  });

  test('names are shown as text, never as markup', async () => {
    const data = coopData({ name_fr: `Coop <script>alert(1)</script> ${uniqueWord()}`, notes: '<img src=x onerror=alert(1)>' });
    const c = await apiCreate(data);
    assert.equal(c.name_fr, data.name_fr, 'stored verbatim');
    const page = await manager.get(`/cooperatives/${c.id}`);
    assert.ok(!page.text.includes('<script>alert(1)</script>'));
    assert.ok(!page.text.includes('<img src=x'));
    assert.ok(page.text.includes('&lt;script&gt;'));
  });

  test('unknown or out-of-range ids are 404 on pages and API', async () => {
    for (const p of ['/cooperatives/999999999', '/cooperatives/999999999/edit']) {
      assert.equal((await manager.get(p)).status, 404, p);
    }
    const r = await admin.api('GET', '/api/v1/cooperatives/999999999');
    assert.equal(r.status, 404);
    assert.equal(r.json().error.code, 'not_found');
    const p = await admin.api('PATCH', '/api/v1/cooperatives/999999999', { notes: 'x' });
    assert.equal(p.status, 404);
  });
});

describe('edit', () => {
  test('edit through the form: changed fields saved, the others kept, version + 1', async () => {
    const c = await apiCreate(coopData({ region_code: '04' }));
    const page = await manager.get(`/cooperatives/${c.id}/edit`);
    assert.equal(page.status, 200);
    let pairs = formFields(page.text, `/cooperatives/${c.id}`);
    assert.deepEqual(pairs.find(([k]) => k === 'version'), ['version', String(c.version)]);
    const newName = `Coopérative modifiée ${uniqueWord()}`;
    pairs = setField(pairs, 'name_fr', newName);
    pairs = setField(pairs, 'members_total', 20);
    const r = await manager.postForm(`/cooperatives/${c.id}`, pairs, { csrf: false });
    assert.equal(r.status, 303, r.text.slice(0, 2000));
    assert.equal(r.location, `/cooperatives/${c.id}`);
    const got = await apiGet(c.id);
    assert.equal(got.version, c.version + 1);
    assertSameRecord(got, { ...c, name_fr: newName, members_total: 20 });
    assert.equal(got.created_at, c.created_at);
  });

  test('editing another field through the form keeps ticked flags', async () => {
    const c = await apiCreate(coopData({ is_women_only: true, is_soulalyate: true, members_total: 8, members_women: 8 }));
    const page = await manager.get(`/cooperatives/${c.id}/edit`);
    const shown = formFields(page.text, `/cooperatives/${c.id}`);
    assert.ok(shown.some(([k, v]) => k === 'is_women_only' && v === '1'), 'the box is shown ticked');
    const pairs = setField(shown, 'activity', 'Couscous');
    const r = await manager.postForm(`/cooperatives/${c.id}`, pairs, { csrf: false });
    assert.equal(r.status, 303, r.text.slice(0, 2000));
    const got = await apiGet(c.id);
    assert.equal(got.activity, 'Couscous');
    assert.equal(got.is_women_only, true, 'is_women_only kept');
    assert.equal(got.is_soulalyate, true, 'is_soulalyate kept');
  });

  test('unticking a box in the edit form clears the flag', async () => {
    const c = await apiCreate(coopData({ is_soulalyate: true }));
    const page = await manager.get(`/cooperatives/${c.id}/edit`);
    const pairs = formFields(page.text, `/cooperatives/${c.id}`).filter(([k, v]) => !(k === 'is_soulalyate' && v === '1'));
    const r = await manager.postForm(`/cooperatives/${c.id}`, pairs, { csrf: false });
    assert.equal(r.status, 303, r.text.slice(0, 2000));
    assert.equal((await apiGet(c.id)).is_soulalyate, false);
  });

  test('edit through the API: PATCH changes only the fields sent', async () => {
    const c = await apiCreate(coopData({ region_code: '10' }));
    const r = await admin.api('PATCH', `/api/v1/cooperatives/${c.id}`, { phone: '05 22 11 00 99', members_youth: 4 });
    assert.equal(r.status, 200, r.text);
    const got = r.json();
    assert.equal(got.phone, '05 22 11 00 99');
    assert.equal(got.members_youth, 4);
    assert.equal(got.version, c.version + 1);
    const { phone, members_youth, version, updated_at, legal_age, ...rest } = c;
    for (const [k, v] of Object.entries(rest)) assert.deepEqual(got[k], v, `kept ${k}`);
    assert.deepEqual(await apiGet(c.id), got, 'GET agrees with the PATCH answer');
  });

  test('PATCH null clears an optional field, and an invalid PATCH changes nothing', async () => {
    const c = await apiCreate(coopData());
    let r = await admin.api('PATCH', `/api/v1/cooperatives/${c.id}`, { email: null, activity_start_date: null });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json().email, '');
    assert.equal(r.json().activity_start_date, null);
    const before1 = await apiGet(c.id);
    r = await admin.api('PATCH', `/api/v1/cooperatives/${c.id}`, { notes: 'changed', members_women: 999 });
    assert.equal(r.status, 422);
    assert.ok(r.json().error.fields.members_women);
    assert.deepEqual(await apiGet(c.id), before1);
  });

  test('concurrent edits through the API: the second PATCH from the same version gets 409', async () => {
    const c = await apiCreate(coopData());
    const other = await loggedIn(env.base, 'admin');
    const first = await admin.api('PATCH', `/api/v1/cooperatives/${c.id}`, { version: c.version, activity: 'first' });
    assert.equal(first.status, 200, first.text);
    const second = await other.api('PATCH', `/api/v1/cooperatives/${c.id}`, { version: c.version, activity: 'second' });
    assert.equal(second.status, 409, second.text);
    assert.equal(second.json().error.code, 'conflict');
    const got = await apiGet(c.id);
    assert.equal(got.activity, 'first');
    assert.equal(got.version, c.version + 1);
    // With the current version it goes through.
    const third = await other.api('PATCH', `/api/v1/cooperatives/${c.id}`, { version: got.version, activity: 'third' });
    assert.equal(third.status, 200);
  });

  test('concurrent edits through the form: the second save from the same version gets 409', async () => {
    const c = await apiCreate(coopData());
    const other = await loggedIn(env.base, 'manager');
    const pageA = await manager.get(`/cooperatives/${c.id}/edit`);
    const pageB = await other.get(`/cooperatives/${c.id}/edit`);
    const a = setField(formFields(pageA.text, `/cooperatives/${c.id}`), 'activity', 'from A');
    const b = setField(formFields(pageB.text, `/cooperatives/${c.id}`), 'activity', 'from B');
    const ra = await manager.postForm(`/cooperatives/${c.id}`, a, { csrf: false });
    assert.equal(ra.status, 303, ra.text.slice(0, 1000));
    const rb = await other.postForm(`/cooperatives/${c.id}`, b, { csrf: false });
    assert.equal(rb.status, 409);
    const got = await apiGet(c.id);
    assert.equal(got.activity, 'from A');
    assert.equal(got.version, c.version + 1);
  });

  test('a form edit without the version field is refused', async () => {
    const c = await apiCreate(coopData());
    const page = await manager.get(`/cooperatives/${c.id}/edit`);
    const pairs = setField(setField(formFields(page.text, `/cooperatives/${c.id}`), 'version', null), 'activity', 'nover');
    const r = await manager.postForm(`/cooperatives/${c.id}`, pairs, { csrf: false });
    assert.equal(r.status, 400);
    assert.equal((await apiGet(c.id)).activity, c.activity);
  });
});

describe('duplicates', () => {
  test('a duplicate register number is 409 through API and form, and nothing is written', async () => {
    const existing = (await admin.api('GET', '/api/v1/cooperatives?per_page=1&region=02')).json().items[0];
    const total = await apiTotal(admin);
    const data = coopData({ register_number: existing.register_number });
    const word = data.name_fr.split(' ').pop();
    const r = await admin.api('POST', '/api/v1/cooperatives', data);
    assert.equal(r.status, 409, r.text);
    assert.equal(r.json().error.code, 'conflict');
    assert.ok(r.json().error.fields.register_number);
    const f = await manager.postForm('/cooperatives', coopForm(data));
    assert.equal(f.status, 409);
    assert.ok(textById(f.text, 'e-register_number'), 'the form shows the error next to the field');
    assert.equal(await apiTotal(admin), total, 'count unchanged');
    assert.equal((await byWord(admin, word)).length, 0);
    // Changing an existing record to a taken number is refused too.
    const mine = await apiCreate(coopData());
    const p = await admin.api('PATCH', `/api/v1/cooperatives/${mine.id}`, { register_number: existing.register_number });
    assert.equal(p.status, 409);
    assert.equal((await apiGet(mine.id)).register_number, mine.register_number);
  });

  test('a near-identical name in the same province asks for confirmation (API)', async () => {
    const w = uniqueWord();
    const a = await apiCreate(coopData({ region_code: '08', name_fr: `Coopérative Atlas ${w}`, name_ar: `تعاونية أطلس ${w}` }));
    const total = await apiTotal(admin);
    const b = coopData({ region_code: '08', province_code: a.province_code, commune_code: a.commune_code, name_fr: `COOPERATIVE  ATLAS ${w.toUpperCase()}`, name_ar: `تعاونيه اطلس ${w}` });
    const r = await admin.api('POST', '/api/v1/cooperatives', b);
    assert.equal(r.status, 409, r.text);
    assert.match(JSON.stringify(r.json().error), new RegExp(String(a.id)), 'the answer names the similar record');
    assert.equal(await apiTotal(admin), total, 'nothing written');
    const ok = await admin.api('POST', '/api/v1/cooperatives', { ...b, confirm_similar: true });
    assert.equal(ok.status, 201, ok.text);
    assert.equal(await apiTotal(admin), total + 1);
    // The same names in another province are no duplicate.
    const elsewhere = geoOtherProvince('08', a.province_code);
    const c = await admin.api('POST', '/api/v1/cooperatives', coopData({ ...b, register_number: uniqueRegister(), province_code: elsewhere, commune_code: undefined }));
    assert.equal(c.status, 201, c.text);
  });

  test('a near-identical name in the same province asks for confirmation (form, tick the box)', async () => {
    const w = uniqueWord();
    const a = await apiCreate(coopData({ region_code: '11', name_fr: `Coopérative Tiznit ${w}`, name_ar: `تعاونية تيزنيت ${w}` }));
    const total = await apiTotal(admin);
    const b = coopData({ region_code: '11', province_code: a.province_code, commune_code: a.commune_code, name_fr: `cooperative tiznit ${w}`, name_ar: `تعاونيّة تيزنيت ${w}` });
    const r = await manager.postForm('/cooperatives', await newFormPairs(manager, b), { csrf: false });
    assert.equal(r.status, 409);
    assert.match(r.text, new RegExp(`href="/cooperatives/${a.id}"`), 'the warning links the similar record');
    assert.match(r.text, /name="confirm_similar"/, 'the form offers a confirmation box');
    assert.equal(await apiTotal(admin), total, 'nothing written');
    // Tick "this is a different cooperative" as a browser does and save again.
    const pairs = tickBox(formFields(r.text, '/cooperatives'), 'confirm_similar');
    const again = await manager.postForm('/cooperatives', pairs, { csrf: false });
    assert.equal(again.status, 303, again.text.slice(0, 1500));
    assert.equal(await apiTotal(admin), total + 1);
  });

  test('confirm_similar=1 sent alone by a form client saves the record', async () => {
    const w = uniqueWord();
    const a = await apiCreate(coopData({ region_code: '12', name_fr: `Coopérative Dakhla ${w}`, name_ar: `تعاونية الداخلة ${w}` }));
    const b = coopData({ region_code: '12', province_code: a.province_code, commune_code: a.commune_code, name_fr: a.name_fr, name_ar: a.name_ar });
    const r1 = await manager.postForm('/cooperatives', coopForm(b));
    assert.equal(r1.status, 409);
    const r2 = await manager.postForm('/cooperatives', [...coopForm(b), ['confirm_similar', '1']]);
    assert.equal(r2.status, 303, r2.text.slice(0, 1500));
  });
});

function geoOtherProvince(region, not) {
  const { provinces } = geo();
  return provinces.find((p) => p.region_code === region && p.code !== not).code;
}

describe('search', () => {
  /** Every id the API search returns for q (all pages). */
  async function searchIds(q, client = admin) {
    const { items, total } = await apiAll(client, `q=${encodeURIComponent(q)}`);
    assert.equal(items.length, total);
    return items.map((c) => c.id);
  }

  test('Arabic search ignores harakat, hamza and ta marbuta', async () => {
    const w = uniqueWord();
    const c = await apiCreate(coopData({ name_ar: 'تَعَاوُنِيَّةُ الأَمَلِ لِلنَّسِيجِ', name_fr: `Coopérative Al Amal ${w}` }));
    for (const q of ['تعاونيه الامل', 'تعاونية الأمل', 'تَعَاوُنِيَّةُ الأَمَلِ', 'للنسيج']) {
      assert.ok((await searchIds(q)).includes(c.id), `found by ${q}`);
    }
    // The page search finds it too.
    const page = await manager.get(`/cooperatives?q=${encodeURIComponent('تعاونيه الامل ' + w)}`);
    assert.equal(page.status, 200);
    assert.match(page.text, new RegExp(`href="/cooperatives/${c.id}"`));
  });

  test('Arabic search folds alef maqsura and tatweel', async () => {
    const c = await apiCreate(coopData({ name_ar: `تعاونية مـوسـى لـلـزيتون ${uniqueWord()}` }));
    assert.ok((await searchIds('موسي للزيتون')).includes(c.id));
    assert.ok((await searchIds('موسى زيتون')).includes(c.id));
  });

  test('French search ignores accents and case', async () => {
    const w = uniqueWord();
    const c = await apiCreate(coopData({ name_fr: `Coopérative Féminine Tifawin ${w}` }));
    for (const q of ['cooperative feminine tifawin', 'COOPÉRATIVE FÉMININE TIFAWIN', 'Féminine tifawin', `tifawin ${w.toUpperCase()}`]) {
      assert.ok((await searchIds(q)).includes(c.id), `found by ${q}`);
    }
    assert.deepEqual(await searchIds(`tifawin ${w}`), [c.id], 'a unique word narrows to the record');
  });

  test('every word must match; an unknown word finds nothing', async () => {
    const w = uniqueWord();
    await apiCreate(coopData({ name_fr: `Coopérative Imlil ${w}` }));
    assert.equal((await searchIds(`imlil ${w} ${uniqueWord()}`)).length, 0);
    assert.equal(await apiTotal(admin, `q=${uniqueWord()}`), 0);
  });

  test('search by register number finds the record', async () => {
    const reg = `${Math.floor(Math.random() * 9000) + 1000}/77-${Math.floor(Math.random() * 90) + 10}`;
    const c = await apiCreate(coopData({ register_number: reg }));
    const ids = await searchIds(reg);
    assert.ok(ids.includes(c.id), `q=${reg} finds the cooperative`);
  });
});

describe('filters and pagination', () => {
  let all; // every cooperative, as the manager sees them

  before(async () => {
    all = (await apiAll(admin)).items;
  });

  test('the region, sector and status filters return exactly the matching records', async () => {
    const check = async (qs, pred) => {
      const expected = all.filter(pred).map((c) => c.id).sort((a, b) => a - b);
      const { items, total } = await apiAll(admin, qs);
      assert.equal(total, expected.length, `${qs}: total`);
      assert.deepEqual(items.map((c) => c.id).sort((a, b) => a - b), expected, `${qs}: ids`);
    };
    await check('region=05', (c) => c.region_code === '05');
    await check('sector=argan', (c) => c.sector === 'argan');
    await check('status=dissolved', (c) => c.status === 'dissolved');
    await check('region=09&sector=handicraft&status=active', (c) => c.region_code === '09' && c.sector === 'handicraft' && c.status === 'active');
    const prov = provinceOf('01');
    await check(`province=${prov}`, (c) => c.province_code === prov);
    // The counts add up.
    let sum = 0;
    for (const s of ['active', 'dormant', 'dissolved']) sum += await apiTotal(admin, `status=${s}`);
    assert.equal(sum, all.length);
  });

  test('unknown filter values are refused with 400', async () => {
    for (const qs of ['region=13', 'sector=mining', 'status=asleep', 'province=99.999', 'age_min=x', 'age_max=-1', 'sort=id', 'order=up']) {
      const r = await admin.api('GET', `/api/v1/cooperatives?${qs}`);
      assert.equal(r.status, 400, qs);
      assert.equal(r.json().error.code, 'bad_request', qs);
    }
  });

  test('the age filter counts whole years of legal existence, as of today', async () => {
    const t = today();
    const w = uniqueWord();
    const mk = async (date, label) =>
      (await apiCreate(coopData({ name_fr: `Coop age ${label} ${w}`, legal_date: iso(date), activity_start_date: null }))).id;
    const exactly5 = await mk(addYears(t, -5), 'a'); // fifth anniversary today: age 5
    const almost5 = await mk(addDays(addYears(t, -5), 1), 'b'); // fifth anniversary tomorrow: age 4
    const almost6 = await mk(addDays(addYears(t, -6), 1), 'c'); // age 5 until tomorrow
    const exactly6 = await mk(addYears(t, -6), 'd'); // age 6 today
    const born = await mk(t, 'e'); // created today: age 0
    const years = {};
    for (const id of [exactly5, almost5, almost6, exactly6, born]) years[id] = (await apiGet(id)).legal_age.years;
    assert.equal(years[exactly5], 5);
    assert.equal(years[almost5], 4);
    assert.equal(years[almost6], 5);
    assert.equal(years[exactly6], 6);
    assert.equal(years[born], 0);
    const ids = async (qs) => (await apiAll(admin, `q=${w}&${qs}`)).items.map((c) => c.id).sort((a, b) => a - b);
    const sorted = (...x) => x.sort((a, b) => a - b);
    assert.deepEqual(await ids('age_min=5&age_max=5'), sorted(exactly5, almost6));
    assert.deepEqual(await ids('age_min=5'), sorted(exactly5, almost6, exactly6));
    assert.deepEqual(await ids('age_max=4'), sorted(almost5, born));
    assert.deepEqual(await ids('age_min=4&age_max=4'), sorted(almost5));
    assert.deepEqual(await ids('age_min=6&age_max=6'), sorted(exactly6));
    assert.deepEqual(await ids('age_max=0'), sorted(born));
    assert.deepEqual(await ids('age_min=7'), []);
    assert.deepEqual(await ids('age_min=6&age_max=5'), []);
  });

  test('the age filter agrees with legal_age on the demo data', async () => {
    all = (await apiAll(admin)).items; // earlier tests added records
    for (const [min, max] of [
      [0, 2],
      [10, 10],
      [20, 150],
    ]) {
      const expected = all.filter((c) => c.legal_age.years >= min && c.legal_age.years <= max).length;
      assert.equal(await apiTotal(admin, `age_min=${min}&age_max=${max}`), expected, `${min}..${max}`);
    }
  });

  test('pagination: pages cover the total exactly once, per_page limits, past the end is empty', async () => {
    const per = 150;
    const total = await apiTotal(admin);
    const seen = new Set();
    const pages = Math.ceil(total / per);
    for (let p = 1; p <= pages; p++) {
      const j = (await admin.api('GET', `/api/v1/cooperatives?per_page=${per}&page=${p}`)).json();
      assert.equal(j.total, total);
      assert.equal(j.page, p);
      assert.equal(j.per_page, per);
      assert.equal(j.items.length, p < pages ? per : total - per * (pages - 1), `page ${p} size`);
      for (const c of j.items) {
        assert.ok(!seen.has(c.id), `id ${c.id} appears on two pages`);
        seen.add(c.id);
      }
    }
    assert.equal(seen.size, total);
    const past = (await admin.api('GET', `/api/v1/cooperatives?per_page=${per}&page=${pages + 1}`)).json();
    assert.deepEqual(past.items, []);
    assert.equal(past.total, total);
    const dflt = (await admin.api('GET', '/api/v1/cooperatives')).json();
    assert.equal(dflt.per_page, 50);
    assert.equal(dflt.items.length, Math.min(50, total));
    for (const bad of ['per_page=0', 'per_page=201', 'page=0', 'page=-1', 'per_page=abc']) {
      assert.equal((await admin.api('GET', `/api/v1/cooperatives?${bad}`)).status, 400, bad);
    }
  });

  test('sorting orders the whole list', async () => {
    const asc = (await apiAll(admin, 'sort=legal_date&order=asc')).items.map((c) => c.legal_date);
    assert.deepEqual(asc, [...asc].sort());
    const desc = (await apiAll(admin, 'sort=members_total&order=desc')).items.map((c) => c.members_total);
    assert.deepEqual(desc, [...desc].sort((a, b) => b - a));
  });

  test('the list page shows the filtered records and the count', async () => {
    const w = uniqueWord();
    const a = await apiCreate(coopData({ name_fr: `Coop page ${w}`, sector: 'fishing' }));
    const b = await apiCreate(coopData({ name_fr: `Coop page ${w} bis`, sector: 'forestry' }));
    const page = await manager.get(`/cooperatives?q=${w}&sector=fishing`);
    assert.equal(page.status, 200);
    assert.match(page.text, new RegExp(`href="/cooperatives/${a.id}"`));
    assert.doesNotMatch(page.text, new RegExp(`href="/cooperatives/${b.id}"`));
    const bad = await manager.get('/cooperatives?sector=mining');
    assert.equal(bad.status, 400);
    assert.match(bad.text, /id="e-sector"/);
  });
});

describe('CSV export', () => {
  test('export.csv with filters: header, exactly the filtered records, UTF-8 names intact', async () => {
    const c = await apiCreate(coopData({ region_code: '06', name_ar: `تعاونية "الوفاء", للتصدير ${uniqueWord()}`, notes: 'line one\nline two' }));
    const r = await manager.get('/cooperatives/export.csv?region=06');
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /^text\/csv/);
    const { header, records } = csvObjects(r.text);
    assert.deepEqual(header.slice(0, 4), ['id', 'register_number', 'name_ar', 'name_fr']);
    assert.ok(records.every((x) => x.region_code === '06'), 'only region 06');
    assert.equal(records.length, await apiTotal(admin, 'region=06'));
    const row = records.find((x) => x.id === String(c.id));
    assert.ok(row, 'the new record is exported');
    assert.equal(row.name_ar, c.name_ar);
    assert.equal(row.notes, c.notes);
  });

  test("the list page's Export CSV link keeps the current filters", async () => {
    const page = await manager.get('/cooperatives?region=05&sector=argan');
    const m = /<a\b[^>]*href="([^"]*export\.csv[^"]*)"/.exec(page.text);
    assert.ok(m, 'an export link');
    const href = m[1].replace(/&amp;/g, '&');
    const u = new URL(href, env.base);
    assert.equal(u.searchParams.get('region'), '05', `export link ${href} keeps region`);
    assert.equal(u.searchParams.get('sector'), 'argan', `export link ${href} keeps sector`);
  });
});

describe('shutdown', () => {
  test('the server stops on SIGTERM with exit code 0', async () => {
    const r = await env.server.stop();
    assert.equal(r.signal, null, `no signal death (log: ${r.log.slice(-2000)})`);
    assert.equal(r.code, 0, `exit code 0 (log: ${r.log.slice(-2000)})`);
  });
});
