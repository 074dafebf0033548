// orgs.test.mjs: organisations (partners, funders, public bodies...) through the pages and the
// JSON API: list, search (names and acronym), kind filter, create, edit, validation, and who may
// write them (admin and program managers only; every role reads them).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  cleanupDirs,
  formFields,
  htmlDecode,
  loggedIn,
  orgData,
  plainForm,
  setField,
  setupServer,
  tokenClient,
  uniqueArabicWord,
  uniqueWord,
} from './lib.mjs';

let env;
let admin; // bearer
let adminS; // session (forms)
let manager; // session
let readers; // {officer03, coach, viewer}: sessions
const KINDS = ['partner', 'funder', 'public_body', 'association', 'university', 'other'];

before(async () => {
  env = await setupServer();
  admin = await tokenClient(env.base, env.db, 'admin');
  let officer, coach, viewer;
  [adminS, manager, officer, coach, viewer] = await Promise.all(
    ['admin', 'manager', 'officer03', 'coach', 'viewer'].map((u) => loggedIn(env.base, u)),
  );
  readers = { officer03: officer, coach, viewer };
});

after(async () => {
  if (env && env.server.exited() === null) await env.server.stop();
  cleanupDirs();
});

async function list(client, qs = '') {
  const r = await client.api('GET', `/api/v1/organisations?${qs}`);
  assert.equal(r.status, 200, `list ${qs}: ${r.text.slice(0, 300)}`);
  return r.json();
}

const search = async (client, q, extra = '') =>
  (await list(client, `per_page=200&q=${encodeURIComponent(q)}${extra ? '&' + extra : ''}`)).items;

const total = async (client = admin, qs = '') => (await list(client, `per_page=1${qs ? '&' + qs : ''}`)).total;

async function getOrg(id, client = admin) {
  const r = await client.api('GET', `/api/v1/organisations/${id}`);
  assert.equal(r.status, 200, r.text);
  return r.json();
}

async function createOrg(over = {}, client = admin) {
  const r = await client.api('POST', '/api/v1/organisations', orgData(over));
  assert.equal(r.status, 201, `create: ${r.text}`);
  return r.json();
}

function assertSameOrg(actual, expected, msg = '') {
  for (const [k, v] of Object.entries(expected)) {
    const want = k === 'region_code' && (v === '' || v === null) ? null : v;
    assert.deepEqual(actual[k], want, `${msg}${k}`);
  }
}

const orgLinks = (html) => new Set([...html.matchAll(/href="\/organisations\/(\d+)"/g)].map((m) => Number(m[1])));

async function newOrgForm(client, data) {
  const page = await client.get('/organisations/new');
  assert.equal(page.status, 200);
  let pairs = formFields(page.text, '/organisations');
  for (const [k, v] of Object.entries(data)) pairs = setField(pairs, k, v === null ? '' : v);
  return pairs;
}

// ---------------------------------------------------------------- list, search, filter

describe('list and search', () => {
  test('the API list walks every organisation, each with its fields; the page lists them too', async () => {
    const first = await list(admin, 'per_page=200');
    assert.ok(first.total >= 20, `demo organisations: ${first.total}`);
    assert.equal(first.items.length, first.total);
    const ids = new Set();
    for (let page = 1; ; page++) {
      const j = await list(admin, `per_page=7&page=${page}`);
      j.items.forEach((o) => ids.add(o.id));
      if (j.items.length < 7) break;
    }
    assert.equal(ids.size, first.total, 'pages cover every record once');
    for (const o of first.items) {
      assert.ok(KINDS.includes(o.kind), `kind ${o.kind}`);
      assert.ok(o.name_ar && o.name_fr);
      assert.ok(o.region_code === null || /^\d\d$/.test(o.region_code));
    }
    const page = await adminS.get('/organisations?per_page=200');
    assert.equal(page.status, 200);
    assert.deepEqual([...orgLinks(page.text)].sort((a, b) => a - b), first.items.map((o) => o.id).sort((a, b) => a - b));
  });

  test('search by acronym (ODCO, any case), by French name without accents, by Arabic name', async () => {
    const odco = await search(admin, 'ODCO');
    assert.equal(odco.length, 1, JSON.stringify(odco));
    assert.equal(odco[0].acronym, 'ODCO');
    assert.match(odco[0].name_fr, /Développement de la Coopération/);
    assert.deepEqual((await search(admin, 'odco')).map((o) => o.id), [odco[0].id]);
    assert.ok((await search(admin, 'developpement cooperation')).some((o) => o.id === odco[0].id));
    assert.ok((await search(admin, 'تنمية التعاون')).some((o) => o.id === odco[0].id));
    const page = await adminS.get('/organisations?q=ODCO');
    assert.equal(page.status, 200);
    assert.deepEqual([...orgLinks(page.text)], [odco[0].id]);
    assert.equal((await search(admin, 'zzzznothing')).length, 0);
  });

  test('a new acronym and a new name are searchable at once', async () => {
    const acr = uniqueWord('A').toUpperCase().slice(0, 12);
    const ar = uniqueArabicWord();
    const o = await createOrg({ acronym: acr, name_ar: `جمعية ${ar}` });
    assert.deepEqual((await search(admin, acr)).map((x) => x.id), [o.id], 'by acronym');
    assert.deepEqual((await search(admin, acr.toLowerCase())).map((x) => x.id), [o.id], 'by acronym, lowercase');
    assert.deepEqual((await search(admin, ar)).map((x) => x.id), [o.id], 'by Arabic name');
    assert.deepEqual((await search(admin, o.name_fr.toUpperCase())).map((x) => x.id), [o.id], 'by French name, any case');
  });

  test('an acronym with accents or Arabic letters is found by itself, as typed', async () => {
    const missed = [];
    for (const acronym of ['FÉDÉ', 'أمل']) {
      const o = await createOrg({ acronym });
      for (const q of [acronym, acronym.toLowerCase()]) {
        if (!(await search(admin, q)).some((x) => x.id === o.id)) missed.push(q);
      }
    }
    assert.deepEqual(missed, [], 'acronyms the search does not find');
  });

  test('every word of a long query counts, the fifth one too', async () => {
    const w = uniqueWord();
    const o = await createOrg({ name_fr: `Association Nationale pour le Développement ${w}` });
    assert.deepEqual((await search(admin, `association nationale developpement ${w}`)).map((x) => x.id), [o.id]);
    const q = `association nationale developpement ${w} nomatchword`;
    const items = await search(admin, q);
    assert.deepEqual(items.map((x) => x.id), [], `"${q}": the fifth word is in no name, yet ${items.length} found`);
  });

  test('kind filter: every item of that kind, the kinds add up to the total; unknown kind 400', async () => {
    let sum = 0;
    for (const kind of KINDS) {
      const j = await list(admin, `kind=${kind}&per_page=200`);
      assert.ok(j.items.every((o) => o.kind === kind), kind);
      sum += j.total;
      const page = await adminS.get(`/organisations?kind=${kind}&per_page=200`);
      assert.equal(page.status, 200);
      assert.equal(orgLinks(page.text).size, j.total, `page of ${kind}`);
    }
    assert.equal(sum, await total());
    assert.ok((await total(admin, 'kind=funder')) > 0);
    const ufunders = await list(admin, 'kind=public_body&q=ODCO');
    assert.equal(ufunders.total, 1, 'kind and search combine');
    assert.equal((await total(admin, 'kind=funder&q=ODCO')), 0);
    for (const qs of ['kind=bank', 'per_page=201', 'page=0x']) {
      const r = await admin.api('GET', `/api/v1/organisations?${qs}`);
      assert.equal(r.status, 400, qs);
      assert.equal(r.json().error.code, 'bad_request');
      assert.equal((await adminS.get(`/organisations?${qs}`)).status, 400, `page ${qs}`);
    }
  });
});

// ---------------------------------------------------------------- create and edit

describe('create and edit', () => {
  test('create through the form, read back on the page and the API', async () => {
    const data = orgData({ kind: 'funder', region_code: '07', acronym: 'FTST', website: 'https://fondation.example.ma' });
    const r = await adminS.postForm('/organisations', await newOrgForm(adminS, data));
    assert.equal(r.status, 303, r.text.slice(0, 500));
    const m = /^\/organisations\/(\d+)$/.exec(r.location);
    assert.ok(m, r.location);
    const o = await getOrg(m[1]);
    assertSameOrg(o, data);
    assert.equal(o.version, 1);
    const page = await adminS.get(r.location);
    assert.equal(page.status, 200);
    const text = htmlDecode(page.text);
    for (const v of [data.name_ar, data.name_fr, data.acronym, data.email, data.notes]) assert.ok(text.includes(v), v);
    assert.match(page.text, /<a href="https:\/\/fondation\.example\.ma" rel="noopener noreferrer">/, 'the website is a link');
  });

  test('create through the API (manager session): 201 with Location; national when no region', async () => {
    const data = orgData({ kind: 'university', region_code: null });
    const r = await manager.api('POST', '/api/v1/organisations', data);
    assert.equal(r.status, 201, r.text);
    const o = r.json();
    assert.equal(r.headers.get('location'), `/api/v1/organisations/${o.id}`);
    assertSameOrg(o, data);
    assert.deepEqual(await getOrg(o.id), o);
    const minimal = await admin.api('POST', '/api/v1/organisations', { name_ar: `هيئة ${uniqueArabicWord()}`, name_fr: `Org ${uniqueWord()}`, kind: 'other' });
    assert.equal(minimal.status, 201, minimal.text);
    const mo = minimal.json();
    for (const k of ['acronym', 'phone', 'email', 'website', 'notes']) assert.equal(mo[k], '', k);
    assert.equal(mo.region_code, null);
  });

  test('edit through the form: changed fields saved, others kept, version bumped', async () => {
    const o = await createOrg({ region_code: '03' });
    const page = await manager.get(`/organisations/${o.id}/edit`);
    assert.equal(page.status, 200);
    let pairs = formFields(page.text, `/organisations/${o.id}`);
    const got = Object.fromEntries(pairs);
    assert.equal(got.name_fr, o.name_fr);
    assert.equal(got.region_code, '03');
    assert.equal(got.notes, o.notes);
    pairs = setField(pairs, 'kind', 'association');
    pairs = setField(pairs, 'notes', 'Ligne 1\nLigne 2');
    pairs = setField(pairs, 'region_code', '');
    const r = await manager.postForm(`/organisations/${o.id}`, pairs);
    assert.equal(r.status, 303, r.text.slice(0, 400));
    const now = await getOrg(o.id);
    assert.equal(now.kind, 'association');
    assert.equal(now.notes, 'Ligne 1\nLigne 2', 'notes may span lines');
    assert.equal(now.region_code, null);
    assert.equal(now.version, 2);
    for (const k of ['name_ar', 'name_fr', 'acronym', 'phone', 'email', 'website', 'created_at']) assert.equal(now[k], o[k], k);
  });

  test('PATCH changes only what is sent; a stale version is 409 (API and form)', async () => {
    const o = await createOrg();
    const stale = formFields((await adminS.get(`/organisations/${o.id}/edit`)).text, `/organisations/${o.id}`);
    const r = await admin.api('PATCH', `/api/v1/organisations/${o.id}`, { version: o.version, website: 'http://example.org:8080/a?b=c#d' });
    assert.equal(r.status, 200, r.text);
    const now = r.json();
    assert.equal(now.website, 'http://example.org:8080/a?b=c#d');
    assert.equal(now.version, o.version + 1);
    for (const k of ['name_ar', 'name_fr', 'acronym', 'kind', 'notes']) assert.equal(now[k], o[k], k);
    const again = await admin.api('PATCH', `/api/v1/organisations/${o.id}`, { version: o.version, notes: 'lost' });
    assert.equal(again.status, 409, again.text);
    assert.equal(again.json().error.code, 'conflict');
    const f = await adminS.postForm(`/organisations/${o.id}`, setField(stale, 'notes', 'lost too'));
    assert.equal(f.status, 409);
    const back = await admin.api('PATCH', `/api/v1/organisations/${o.id}`, { ...now, acronym: 'NEW' });
    assert.equal(back.status, 200, `the answer sent back: ${back.text}`);
    const w = uniqueWord();
    const renamed = await admin.api('PATCH', `/api/v1/organisations/${o.id}`, { name_fr: `Fondation Renommée ${w}` });
    assert.equal(renamed.status, 200);
    assert.deepEqual((await search(admin, `renommee ${w}`)).map((x) => x.id), [o.id], 'found by the new name');
    assert.equal((await search(admin, o.name_fr)).length, 0, 'not by the old one');
    const last = await getOrg(o.id);
    assert.equal(last.notes, o.notes);
    assert.equal(last.acronym, 'NEW');
    assert.equal(last.version, o.version + 3);
  });

  test("a website with & and quotes becomes an escaped link; the API keeps it exact", async () => {
    const website = "https://example.ma/?a=1&b='x'";
    const o = await createOrg({ website });
    assert.equal(o.website, website);
    const page = await adminS.get(`/organisations/${o.id}`);
    assert.ok(page.text.includes(`<a href="https://example.ma/?a=1&amp;b=&#39;x&#39;" rel="noopener noreferrer">`), 'escaped href');
  });

  test('an unknown id is 404 (page, edit form, API GET and PATCH)', async () => {
    assert.equal((await adminS.get('/organisations/999999999')).status, 404);
    assert.equal((await adminS.get('/organisations/999999999/edit')).status, 404);
    assert.equal((await admin.api('GET', '/api/v1/organisations/999999999')).status, 404);
    assert.equal((await admin.api('PATCH', '/api/v1/organisations/999999999', { notes: '' })).status, 404);
  });
});

// ---------------------------------------------------------------- validation

describe('validation', () => {
  const cases = [
    ['website', 'www.example.ma', 'a website without a scheme'],
    ['website', 'ftp://example.ma', 'an ftp website'],
    ['website', 'javascript:alert(1)', 'a javascript: website'],
    ['website', 'https://', 'a website without a host'],
    ['website', 'https://exa mple.ma', 'a space in the host'],
    ['website', 'https://example.ma/"onmouseover=alert(1)', 'a quote in the website'],
    ['website', `https://example.ma/${'a'.repeat(190)}`, 'a 209-character website'],
    ['kind', 'bank', 'an unknown kind'],
    ['kind', '', 'no kind'],
    ['kind', 'Partner', 'a kind in the wrong case'],
    ['name_ar', '', 'no Arabic name'],
    ['name_fr', '  ', 'a blank French name'],
    ['name_fr', 'é'.repeat(201), 'a 201-character name'],
    ['name_fr', 'a\nb', 'a name on two lines'],
    ['acronym', 'A'.repeat(31), 'a 31-character acronym'],
    ['notes', 'n'.repeat(4001), '4001 characters of notes'],
    ['email', 'contact-at-example.ma', 'a bad e-mail'],
    ['phone', '06-AB', 'a bad phone'],
    ['region_code', '13', 'an unknown region'],
  ];
  for (const [field, value, what] of cases) {
    test(`API: ${what} -> 422 naming ${field}, nothing written`, async () => {
      const before = await total();
      const r = await admin.api('POST', '/api/v1/organisations', orgData({ [field]: value }));
      assert.equal(r.status, 422, `${what}: ${r.text.slice(0, 300)}`);
      assert.equal(r.json().error.code, 'validation_failed');
      assert.ok(r.json().error.fields[field], JSON.stringify(r.json().error.fields));
      assert.equal(await total(), before);
    });
  }

  test('edge values are accepted: 200-character names, 30-character acronym, 4000 characters of notes, http, IDN host', async () => {
    for (const over of [
      { name_fr: 'é'.repeat(200) },
      { name_ar: 'ب'.repeat(200) },
      { acronym: 'A'.repeat(30) },
      { notes: 'ن'.repeat(4000) },
      { website: 'http://example.ma' },
      { website: 'https://تعاون.ma/صفحة' },
      { website: '' },
    ]) {
      const r = await admin.api('POST', '/api/v1/organisations', orgData(over));
      assert.equal(r.status, 201, `${JSON.stringify(over).slice(0, 60)}: ${r.text.slice(0, 300)}`);
      const [k, v] = Object.entries(over)[0];
      assert.equal(r.json()[k], v);
    }
  });

  for (const [field, value] of [['website', 'javascript:alert(1)'], ['kind', 'bank'], ['name_fr', ''], ['acronym', 'B'.repeat(31)]]) {
    test(`form: ${field} = ${JSON.stringify(value)} -> 422 with the error next to the field, typed values kept`, async () => {
      const before = await total();
      const data = orgData({ [field]: value });
      const r = await adminS.postForm('/organisations', plainForm(data));
      assert.equal(r.status, 422, r.text.slice(0, 300));
      assert.match(r.text, new RegExp(`id="e-${field}"`));
      const kept = Object.fromEntries(formFields(r.text, '/organisations'));
      for (const k of ['name_ar', 'name_fr', 'email', 'notes']) if (k !== field) assert.equal(kept[k], data[k], `${k} kept`);
      assert.equal(await total(), before);
    });
  }

  test('PATCH with an invalid website or kind: 422, unchanged', async () => {
    const o = await createOrg();
    for (const body of [{ website: 'data:text/html,hi' }, { kind: 'ngo' }, { name_ar: '' }]) {
      const r = await admin.api('PATCH', `/api/v1/organisations/${o.id}`, body);
      assert.equal(r.status, 422, JSON.stringify(body));
    }
    assert.deepEqual(await getOrg(o.id), o);
  });

  test('unknown fields in JSON -> 422 naming each; wrong types -> 422; not an object -> 400', async () => {
    const before = await total();
    const r = await admin.api('POST', '/api/v1/organisations', { ...orgData(), budget: 1000, contact_person: 'X' });
    assert.equal(r.status, 422, r.text);
    const f = r.json().error.fields;
    assert.ok(f.budget && f.contact_person, JSON.stringify(f));
    const o = await createOrg();
    const p = await admin.api('PATCH', `/api/v1/organisations/${o.id}`, { colour: 'blue' });
    assert.equal(p.status, 422, p.text);
    assert.ok(p.json().error.fields.colour);
    const t = await admin.api('POST', '/api/v1/organisations', orgData({ kind: ['partner'] }));
    assert.equal(t.status, 422, t.text);
    assert.ok(t.json().error.fields.kind);
    for (const body of ['[]', '"x"', '{"name_fr":']) {
      const b = await admin.api('POST', '/api/v1/organisations', body);
      assert.equal(b.status, 400, body);
    }
    assert.equal(await total(), before + 1);
    assert.deepEqual(await getOrg(o.id), o);
  });
});

// ---------------------------------------------------------------- roles

describe('roles', () => {
  let o;
  before(async () => {
    o = await createOrg();
  });

  for (const who of ['officer03', 'coach', 'viewer']) {
    test(`${who} reads organisations (pages and API) but gets 403 on every write`, async () => {
      const c = readers[who];
      const page = await c.get('/organisations');
      assert.equal(page.status, 200);
      assert.doesNotMatch(page.text, /href="\/organisations\/new"/, 'no New link');
      const show = await c.get(`/organisations/${o.id}`);
      assert.equal(show.status, 200);
      assert.ok(htmlDecode(show.text).includes(o.name_fr));
      assert.doesNotMatch(show.text, /\/edit"/, 'no Edit link');
      assert.deepEqual(await getOrg(o.id, c), o);
      assert.equal((await list(c, 'q=ODCO')).total, 1);
      assert.equal((await list(c)).total, await total());

      assert.equal((await c.get('/organisations/new')).status, 403, 'new form');
      assert.equal((await c.get(`/organisations/${o.id}/edit`)).status, 403, 'edit form');
      assert.equal((await c.postForm('/organisations', plainForm(orgData()))).status, 403, 'form create');
      assert.equal((await c.postForm(`/organisations/${o.id}`, [['version', '1'], ...plainForm({ ...orgData(), name_fr: 'hacked' })])).status, 403, 'form update');
      const pc = await c.api('POST', '/api/v1/organisations', orgData());
      assert.equal(pc.status, 403, 'API create');
      assert.equal(pc.json().error.code, 'forbidden');
      const pp = await c.api('PATCH', `/api/v1/organisations/${o.id}`, { notes: 'hacked' });
      assert.equal(pp.status, 403, 'API PATCH');
      const tc = await tokenClient(env.base, env.db, who);
      assert.equal((await tc.api('PATCH', `/api/v1/organisations/${o.id}`, { notes: 'hacked' })).status, 403, 'token PATCH');
      assert.deepEqual(await getOrg(o.id), o, 'unchanged');
    });
  }

  test('admin and manager see the New and Edit links', async () => {
    for (const c of [adminS, manager]) {
      assert.match((await c.get('/organisations')).text, /href="\/organisations\/new"/);
      assert.match((await c.get(`/organisations/${o.id}`)).text, new RegExp(`href="/organisations/${o.id}/edit"`));
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
