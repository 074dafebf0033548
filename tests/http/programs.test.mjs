// programs.test.mjs: programs and tranches through the pages and the JSON API: the demo's
// Mourafaka, create and edit with partners, pillars, components, phases and regional targets,
// targets against reached, validation (422), stale versions and duplicates (409), escaping,
// and who may write them (admin and program managers; every logged-in user reads them).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  cleanupDirs,
  formFields,
  htmlDecode,
  loggedIn,
  setField,
  setupServer,
  tokenClient,
  uniqueWord,
} from './lib.mjs';

let env;
let admin; // bearer
let adminS; // session (forms)
let manager; // session
let readers; // {officer03, coach, viewer}: sessions
let orgs; // a few organisation ids of the demo

before(async () => {
  env = await setupServer();
  admin = await tokenClient(env.base, env.db, 'admin');
  let officer, coach, viewer;
  [adminS, manager, officer, coach, viewer] = await Promise.all(
    ['admin', 'manager', 'officer03', 'coach', 'viewer'].map((u) => loggedIn(env.base, u)),
  );
  readers = { officer03: officer, coach, viewer };
  const r = await admin.api('GET', '/api/v1/organisations?per_page=5');
  orgs = r.json().items.map((o) => o.id);
});

after(async () => {
  if (env && env.server.exited() === null) await env.server.stop();
  cleanupDirs();
});

const programData = (over = {}) => ({
  code: uniqueWord('pg').toUpperCase(),
  name_ar: 'برنامج دعم التعاونيات',
  name_fr: `Programme d'appui ${uniqueWord('pg')}`,
  name_en: 'Cooperative support program',
  description: 'Ligne 1\nLigne 2',
  start_year: 2024,
  end_year: 2027,
  target_total: 400,
  target_per_year: 100,
  ...over,
});

async function createProgram(over = {}, client = admin) {
  const r = await client.api('POST', '/api/v1/programs', programData(over));
  assert.equal(r.status, 201, `create: ${r.text}`);
  return r.json();
}

async function getProgram(id, client = admin) {
  const r = await client.api('GET', `/api/v1/programs/${id}`);
  assert.equal(r.status, 200, r.text);
  return r.json();
}

async function count() {
  return (await admin.api('GET', '/api/v1/programs')).json().total;
}

/** The state of a program that a refused request must leave alone. */
const state = async (id) => JSON.stringify(await getProgram(id));

// ---------------------------------------------------------------- the demo

describe('the demo program', () => {
  let mourafaka;
  before(async () => {
    const list = (await admin.api('GET', '/api/v1/programs')).json();
    const item = list.items.find((p) => p.code === 'MOURAFAKA');
    assert.ok(item, 'the demo has Mourafaka');
    mourafaka = await getProgram(item.id);
  });

  test('Mourafaka: operator ODCO, four partners in their roles, three pillars, coaching 12 over 24', () => {
    const p = mourafaka;
    assert.equal(p.operator.acronym, 'ODCO');
    const roles = Object.fromEntries(p.partners.map((x) => [x.role, x]));
    assert.equal(roles.implementer.acronym, 'ODCO');
    assert.equal(roles.academic_partner.acronym, 'UM6P');
    assert.equal(roles.funder.name_fr, 'Fondation OCP');
    assert.match(roles.public_partner.name_fr, /Secrétariat d'État/);
    assert.deepEqual(p.pillars.map((x) => x.code), ['governance', 'innovation', 'marketing']);
    assert.deepEqual(p.components.map((c) => c.kind), ['strategic_diagnosis', 'collective_training', 'individual_coaching', 'access_to_financing']);
    const coaching = p.components.find((c) => c.kind === 'individual_coaching');
    assert.equal(coaching.sessions, 12);
    assert.equal(coaching.months, 24);
  });

  test('tranche 4: 2025-2026, phases 1 and 2 of 500, regional targets summing to its total', () => {
    const t4 = mourafaka.tranches.find((t) => t.number === 4);
    assert.ok(t4);
    assert.equal(t4.start_year, 2025);
    assert.equal(t4.end_year, 2026);
    assert.deepEqual(t4.phases.map((ph) => [ph.number, ph.year, ph.target_total]), [[1, 2025, 500], [2, 2026, 500]]);
    assert.equal(t4.region_targets.length, 12);
    assert.equal(t4.region_targets.reduce((s, r) => s + r.target, 0), t4.target_total);
  });

  test('reached: tranche 3 rows, counted overall, per tranche, per year and per region alike', () => {
    const p = mourafaka;
    const t3 = p.tranches.find((t) => t.number === 3);
    assert.ok(p.reached > 20, `reached ${p.reached}`);
    assert.equal(t3.reached, p.reached, 'every accompanied cooperative is in tranche 3');
    const sum = (xs) => xs.reduce((s, x) => s + x.reached, 0);
    assert.equal(sum(p.reached_by_year), p.reached);
    assert.equal(sum(p.reached_by_region), p.reached);
    assert.equal(sum(t3.reached_by_region), t3.reached);
    assert.equal(sum(t3.phases), t3.reached, 'the phases (2023, 2024) hold every year reached');
    assert.deepEqual(p.reached_by_year.map((y) => y.year), [2023, 2024, 2025, 2026]);
    assert.equal(p.reached_by_year.find((y) => y.year === 2025).target, 500);
  });

  test('the detail page shows targets against reached with progress bars, in Arabic and French', async () => {
    const page = await adminS.get(`/programs/${mourafaka.id}`);
    assert.equal(page.status, 200);
    assert.match(page.text, /<html lang="ar" dir="rtl"/);
    const text = htmlDecode(page.text);
    for (const s of ['ODCO', 'UM6P', 'مؤسسة المكتب الشريف للفوسفاط', 'الحكامة الجيدة', 'MOURAFAKA']) assert.ok(text.includes(s), s);
    assert.match(page.text, new RegExp(`<progress max="2000" value="${mourafaka.reached}">`));
    assert.match(page.text, /id="tranche-4"/);
    const fr = await loggedIn(env.base, 'viewer');
    assert.equal((await fr.postForm('/lang', [['lang', 'fr'], ['next', '/']])).status, 303);
    const pf = await fr.get(`/programs/${mourafaka.id}`);
    assert.equal(pf.status, 200);
    assert.match(pf.text, /<html lang="fr" dir="ltr"/);
    assert.ok(htmlDecode(pf.text).includes('Programme Mourafaka'));
    assert.doesNotMatch(pf.text, /\/edit"/, 'a viewer gets no Edit link');
    const list = await fr.get('/programs');
    assert.equal(list.status, 200);
    assert.match(list.text, new RegExp(`href="/programs/${mourafaka.id}"`));
  });
});

// ---------------------------------------------------------------- create and edit

describe('create and edit', () => {
  test('API: create with every list; the answer reads back; unknown list rows are refused', async () => {
    const data = programData({
      operator_id: orgs[0],
      partners: [{ organisation_id: orgs[1], role: 'academic_partner' }, { organisation_id: orgs[0], role: 'implementer' }],
      pillars: [{ code: 'Innovation', name_ar: 'الابتكار', name_fr: 'Innovation', name_en: '' }],
      components: [{ kind: 'individual_coaching', sessions: 12, months: 24 }, { kind: 'strategic_diagnosis', sessions: 0, months: 0 }],
    });
    const r = await admin.api('POST', '/api/v1/programs', data);
    assert.equal(r.status, 201, r.text);
    const p = r.json();
    assert.equal(r.headers.get('location'), `/api/v1/programs/${p.id}`);
    assert.equal(p.code, data.code);
    assert.equal(p.operator_id, orgs[0]);
    assert.deepEqual(p.partners.map((x) => [x.organisation_id, x.role]), [[orgs[1], 'academic_partner'], [orgs[0], 'implementer']], 'partners keep their order');
    assert.equal(p.pillars[0].code, 'innovation', 'pillar codes are lower-case');
    assert.deepEqual(p.components.map((c) => c.kind), ['strategic_diagnosis', 'individual_coaching']);
    assert.equal(p.version, 1);
    assert.deepEqual(await getProgram(p.id), p);
    const back = await admin.api('PATCH', `/api/v1/programs/${p.id}`, p);
    assert.equal(back.status, 200, `the answer sent back: ${back.text}`);
    assert.equal(back.json().version, 2);
  });

  test('form: create, then edit with partner and pillar rows and component boxes', async () => {
    const page = await manager.get('/programs/new');
    assert.equal(page.status, 200);
    let pairs = formFields(page.text, '/programs');
    const data = programData();
    for (const [k, v] of Object.entries(data)) pairs = setField(pairs, k, v);
    pairs = setField(pairs, 'code', data.code.toLowerCase());
    pairs = setField(pairs, 'partners.0.organisation_id', orgs[2]);
    pairs = setField(pairs, 'partners.0.role', 'funder');
    pairs = setField(pairs, 'pillars.0.code', 'marketing');
    pairs = setField(pairs, 'pillars.0.name_ar', 'التسويق');
    pairs = setField(pairs, 'pillars.0.name_fr', 'Commercialisation');
    // Component 2 is individual coaching: tick its box, 12 sessions over 24 months.
    const i = pairs.findIndex(([k]) => k === 'components.2.included');
    pairs.splice(i + 1, 0, ['components.2.included', '1']);
    pairs = setField(pairs, 'components.2.sessions', 12);
    pairs = setField(pairs, 'components.2.months', 24);
    const r = await manager.postForm('/programs', pairs);
    assert.equal(r.status, 303, r.text.slice(0, 500));
    const id = Number(/^\/programs\/(\d+)$/.exec(r.location)[1]);
    const p = await getProgram(id);
    assert.equal(p.code, data.code, 'stored upper-case');
    assert.equal(p.description, 'Ligne 1\nLigne 2');
    assert.deepEqual(p.partners.map((x) => [x.organisation_id, x.role]), [[orgs[2], 'funder']]);
    assert.deepEqual(p.pillars.map((x) => x.code), ['marketing']);
    assert.deepEqual(p.components, [{ kind: 'individual_coaching', sessions: 12, months: 24 }]);

    // Edit: the form shows the rows; empty the partner row, untick coaching, add a pillar.
    const edit = await manager.get(`/programs/${id}/edit`);
    assert.equal(edit.status, 200);
    let e = formFields(edit.text, `/programs/${id}`);
    const got = Object.fromEntries(e);
    assert.equal(got['partners.0.organisation_id'], String(orgs[2]));
    assert.equal(got['pillars.0.name_fr'], 'Commercialisation');
    assert.equal(got['components.2.sessions'], '12');
    e = setField(e, 'partners.0.organisation_id', '');
    e = setField(e, 'partners.0.role', '');
    e = e.filter(([k, v]) => !(k === 'components.2.included' && v === '1'));
    e = setField(e, 'pillars.1.code', 'governance');
    e = setField(e, 'pillars.1.name_ar', 'الحكامة');
    e = setField(e, 'pillars.1.name_fr', 'Gouvernance');
    e = setField(e, 'target_total', 800);
    const u = await manager.postForm(`/programs/${id}`, e);
    assert.equal(u.status, 303, u.text.slice(0, 500));
    const now = await getProgram(id);
    assert.equal(now.partners.length, 0);
    assert.deepEqual(now.components, []);
    assert.deepEqual(now.pillars.map((x) => x.code), ['marketing', 'governance']);
    assert.equal(now.target_total, 800);
    assert.equal(now.version, 2);
    assert.equal(now.name_fr, p.name_fr);
  });

  test('tranches: create through the form and the API, edit phases and regional targets', async () => {
    const p = await createProgram();
    const page = await adminS.get(`/programs/${p.id}/tranches/new`);
    assert.equal(page.status, 200);
    let pairs = formFields(page.text, `/programs/${p.id}/tranches`);
    assert.equal(Object.fromEntries(pairs).number, '1', 'the next free number is proposed');
    pairs = setField(pairs, 'start_year', 2024);
    pairs = setField(pairs, 'end_year', 2025);
    pairs = setField(pairs, 'target_total', 200);
    pairs = setField(pairs, 'phases.0.number', 1);
    pairs = setField(pairs, 'phases.0.year', 2024);
    pairs = setField(pairs, 'phases.0.target_total', 100);
    pairs = setField(pairs, 'phases.1.number', 2);
    pairs = setField(pairs, 'phases.1.year', 2025);
    pairs = setField(pairs, 'phases.1.target_total', 100);
    const fields = Object.fromEntries(pairs);
    const regionRow = (code) => Object.keys(fields).find((k) => /^region_targets\.\d+\.region_code$/.test(k) && fields[k] === code).replace('region_code', 'target');
    pairs = setField(pairs, regionRow('03'), 120);
    pairs = setField(pairs, regionRow('11'), 80);
    const r = await adminS.postForm(`/programs/${p.id}/tranches`, pairs);
    assert.equal(r.status, 303, r.text.slice(0, 500));
    assert.equal(r.location, `/programs/${p.id}#tranche-1`);
    let t = (await getProgram(p.id)).tranches[0];
    assert.deepEqual(t.phases.map((ph) => [ph.number, ph.year, ph.target_total]), [[1, 2024, 100], [2, 2025, 100]]);
    assert.deepEqual(t.region_targets.map((x) => [x.region_code, x.target]), [['03', 120], ['11', 80]]);

    // Edit: phase 2 keeps its id when changed, regional targets are replaced.
    const ids = t.phases.map((ph) => ph.id);
    const edit = await adminS.get(`/tranches/${t.id}/edit`);
    assert.equal(edit.status, 200);
    let e = formFields(edit.text, `/tranches/${t.id}`);
    e = setField(e, 'phases.1.target_total', 90);
    e = setField(e, regionRow('11'), '');
    const u = await adminS.postForm(`/tranches/${t.id}`, e);
    assert.equal(u.status, 303, u.text.slice(0, 500));
    t = (await admin.api('GET', `/api/v1/tranches/${t.id}`)).json();
    assert.deepEqual(t.phases.map((ph) => ph.id), ids, 'phases keep their ids');
    assert.equal(t.phases[1].target_total, 90);
    assert.deepEqual(t.region_targets.map((x) => x.region_code), ['03']);
    assert.equal(t.version, 2);

    const api = await admin.api('POST', `/api/v1/programs/${p.id}/tranches`, { number: 2, start_year: 2026, end_year: 2027, target_total: 100, phases: [{ number: 1, year: 2026, target_total: 100 }], region_targets: [{ region_code: '05', target: 100 }] });
    assert.equal(api.status, 201, api.text);
    assert.equal(api.headers.get('location'), `/api/v1/tranches/${api.json().id}`);
    const patched = await admin.api('PATCH', `/api/v1/tranches/${api.json().id}`, { ...api.json(), target_total: 150 });
    assert.equal(patched.status, 200, `the answer sent back: ${patched.text}`);
    assert.equal(patched.json().target_total, 150);
    assert.deepEqual(patched.json().region_targets, api.json().region_targets);
    const detail = await adminS.get(`/programs/${p.id}`);
    assert.match(detail.text, /id="tranche-2"/);
    assert.match(detail.text, new RegExp(`href="/tranches/${api.json().id}/edit"`));
  });

  test('a stale version is 409 (API and forms); a duplicate code or tranche number is 409', async () => {
    const p = await createProgram();
    const stale = formFields((await adminS.get(`/programs/${p.id}/edit`)).text, `/programs/${p.id}`);
    assert.equal((await admin.api('PATCH', `/api/v1/programs/${p.id}`, { version: 1, target_total: 500 })).status, 200);
    const again = await admin.api('PATCH', `/api/v1/programs/${p.id}`, { version: 1, target_total: 600 });
    assert.equal(again.status, 409);
    assert.equal(again.json().error.code, 'conflict');
    assert.equal((await adminS.postForm(`/programs/${p.id}`, setField(stale, 'target_total', 700))).status, 409);
    assert.equal((await getProgram(p.id)).target_total, 500);

    const before = await count();
    const dup = await admin.api('POST', '/api/v1/programs', programData({ code: p.code.toLowerCase() }));
    assert.equal(dup.status, 409, dup.text);
    assert.ok(dup.json().error.fields.code);
    const form = formFields((await adminS.get('/programs/new')).text, '/programs');
    let pairs = form;
    for (const [k, v] of Object.entries(programData({ code: p.code }))) pairs = setField(pairs, k, v);
    const df = await adminS.postForm('/programs', pairs);
    assert.equal(df.status, 409);
    assert.match(df.text, /id="e-code"/);
    assert.equal(await count(), before);

    const t = await admin.api('POST', `/api/v1/programs/${p.id}/tranches`, { number: 1, start_year: 2024, end_year: 2024 });
    assert.equal(t.status, 201, t.text);
    const t2 = await admin.api('POST', `/api/v1/programs/${p.id}/tranches`, { number: 1, start_year: 2025, end_year: 2025 });
    assert.equal(t2.status, 409);
    assert.ok(t2.json().error.fields.number);
    const tv = await admin.api('PATCH', `/api/v1/tranches/${t.json().id}`, { version: 7, target_total: 1 });
    assert.equal(tv.status, 409);
    assert.equal((await getProgram(p.id)).tranches.length, 1);
  });

  test('an unknown id is 404 (pages and API)', async () => {
    for (const path of ['/programs/999999999', '/programs/999999999/edit', '/programs/999999999/tranches/new', '/tranches/999999999/edit']) {
      assert.equal((await adminS.get(path)).status, 404, path);
    }
    assert.equal((await admin.api('GET', '/api/v1/programs/999999999')).status, 404);
    assert.equal((await admin.api('PATCH', '/api/v1/programs/999999999', { description: '' })).status, 404);
    assert.equal((await admin.api('GET', '/api/v1/tranches/999999999')).status, 404);
    assert.equal((await admin.api('POST', '/api/v1/programs/999999999/tranches', { number: 1 })).status, 404);
  });
});

// ---------------------------------------------------------------- validation

describe('validation', () => {
  const cases = [
    [{ code: '' }, 'code'],
    [{ code: 'MOURA FAKA' }, 'code'],
    [{ name_ar: '' }, 'name_ar'],
    [{ name_fr: 'a\nb' }, 'name_fr'],
    [{ start_year: 1980 }, 'start_year'],
    [{ end_year: 2020 }, 'end_year'],
    [{ target_per_year: 401 }, 'target_per_year'],
    [{ target_total: -1 }, 'target_total'],
    [{ operator_id: 999999 }, 'operator_id'],
    [{ partners: [{ organisation_id: 1, role: 'sponsor' }] }, 'partners.0.role'],
    [{ partners: [{ organisation_id: 1, role: 'funder' }, { organisation_id: 1, role: 'funder' }] }, 'partners.1.role'],
    [{ partners: 'ODCO' }, 'partners'],
    [{ partners: [{ organisation_id: 1, role: 'funder', budget: 5 }] }, 'partners.0.budget'],
    [{ pillars: [{ code: 'governance', name_ar: 'الحكامة' }] }, 'pillars.0.name_fr'],
    [{ components: [{ kind: 'individual_coaching', sessions: 0, months: 24 }] }, 'components.0.sessions'],
    [{ components: [{ kind: 'coffee' }] }, 'components.0.kind'],
    [{ colour: 'blue' }, 'colour'],
  ];
  for (const [over, field] of cases) {
    test(`API: ${JSON.stringify(over).slice(0, 70)} -> 422 naming ${field}, nothing written`, async () => {
      const before = await count();
      const r = await admin.api('POST', '/api/v1/programs', programData(over));
      assert.equal(r.status, 422, r.text.slice(0, 300));
      assert.equal(r.json().error.code, 'validation_failed');
      assert.ok(r.json().error.fields[field], JSON.stringify(r.json().error.fields));
      assert.equal(await count(), before);
    });
  }

  test('tranches: out of the program, phases or regions over the target, unknown region -> 422, unchanged', async () => {
    const p = await createProgram();
    const base = { number: 1, start_year: 2024, end_year: 2025, target_total: 100 };
    for (const [over, field] of [
      [{ start_year: 2023 }, 'start_year'],
      [{ end_year: 2028 }, 'end_year'],
      [{ phases: [{ number: 1, year: 2024, target_total: 60 }, { number: 2, year: 2025, target_total: 50 }] }, 'phases'],
      [{ phases: [{ number: 1, year: 2026 }] }, 'phases.0.year'],
      [{ region_targets: [{ region_code: '03', target: 101 }] }, 'region_targets'],
      [{ region_targets: [{ region_code: '13', target: 1 }] }, 'region_targets.0.region_code'],
      [{ region_targets: [{ region_code: '03', target: 1, reached: 5, extra: 1 }] }, 'region_targets.0.extra'],
    ]) {
      const r = await admin.api('POST', `/api/v1/programs/${p.id}/tranches`, { ...base, ...over });
      assert.equal(r.status, 422, `${JSON.stringify(over)}: ${r.text.slice(0, 300)}`);
      assert.ok(r.json().error.fields[field], `${field}: ${JSON.stringify(r.json().error.fields)}`);
    }
    assert.equal((await getProgram(p.id)).tranches.length, 0);
    const ok = await admin.api('POST', `/api/v1/programs/${p.id}/tranches`, base);
    assert.equal(ok.status, 201);
    const before = JSON.stringify((await admin.api('GET', `/api/v1/tranches/${ok.json().id}`)).json());
    const bad = await admin.api('PATCH', `/api/v1/tranches/${ok.json().id}`, { target_total: 10, region_targets: [{ region_code: '01', target: 20 }] });
    assert.equal(bad.status, 422);
    assert.equal(JSON.stringify((await admin.api('GET', `/api/v1/tranches/${ok.json().id}`)).json()), before);
    // The program's years may not shrink away from its tranches.
    const shrink = await admin.api('PATCH', `/api/v1/programs/${p.id}`, { start_year: 2025 });
    assert.equal(shrink.status, 422);
    assert.ok(shrink.json().error.fields.start_year);
  });

  test('forms: errors next to the fields and in the summary, typed values kept, 422', async () => {
    const before = await count();
    let pairs = formFields((await adminS.get('/programs/new')).text, '/programs');
    for (const [k, v] of Object.entries(programData({ end_year: 2020, name_ar: '' }))) pairs = setField(pairs, k, v);
    pairs = setField(pairs, 'partners.1.organisation_id', orgs[0]);
    pairs = setField(pairs, 'pillars.0.code', 'good governance');
    const r = await adminS.postForm('/programs', pairs);
    assert.equal(r.status, 422);
    for (const f of ['end_year', 'name_ar', 'partners.1.role', 'pillars.0.code']) {
      assert.ok(r.text.includes(`id="e-${f}"`), `error next to ${f}`);
      assert.ok(r.text.includes(`href="#f-${f}"`), `summary links ${f}`);
    }
    const kept = Object.fromEntries(formFields(r.text, '/programs'));
    assert.equal(kept['pillars.0.code'], 'good governance');
    assert.equal(kept['partners.1.organisation_id'], String(orgs[0]));
    assert.equal(kept.end_year, '2020');
    assert.equal(await count(), before);

    const p = await createProgram();
    let t = formFields((await adminS.get(`/programs/${p.id}/tranches/new`)).text, `/programs/${p.id}/tranches`);
    t = setField(t, 'start_year', 2030);
    t = setField(t, 'end_year', 2031);
    const tr = await adminS.postForm(`/programs/${p.id}/tranches`, t);
    assert.equal(tr.status, 422);
    assert.match(tr.text, /id="e-end_year"/);
    assert.equal((await getProgram(p.id)).tranches.length, 0);
  });
});

// ---------------------------------------------------------------- escaping

describe('escaping', () => {
  const XSS = `<script>alert(1)</script>'"&`;
  test('stored text comes back escaped on the list, detail and edit pages, exact in the API', async () => {
    const p = await createProgram({
      name_ar: `${XSS} ${uniqueWord()}`,
      name_fr: `${XSS} ${uniqueWord()}`,
      description: XSS,
      pillars: [{ code: 'x', name_ar: XSS, name_fr: XSS, name_en: XSS }],
    });
    for (const path of ['/programs', `/programs/${p.id}`, `/programs/${p.id}/edit`, `/programs/${p.id}/tranches/new`]) {
      const r = await adminS.get(path);
      assert.equal(r.status, 200, path);
      assert.ok(!r.text.includes('<script>alert'), `${path}: raw script`);
      assert.ok(r.text.includes('&lt;script&gt;'), `${path}: escaped`);
    }
    const j = await getProgram(p.id);
    assert.equal(j.description, XSS);
    assert.equal(j.pillars[0].name_en, XSS);
  });
});

// ---------------------------------------------------------------- roles

describe('roles', () => {
  let p;
  before(async () => {
    p = await createProgram();
    const t = await admin.api('POST', `/api/v1/programs/${p.id}/tranches`, { number: 1, start_year: 2024, end_year: 2025 });
    p.tranche = t.json().id;
  });

  for (const who of ['officer03', 'coach', 'viewer']) {
    test(`${who} reads programs (pages and API) but gets 403 on every write`, async () => {
      const c = readers[who];
      const before = await state(p.id);
      const list = await c.get('/programs');
      assert.equal(list.status, 200);
      assert.doesNotMatch(list.text, /href="\/programs\/new"/);
      const show = await c.get(`/programs/${p.id}`);
      assert.equal(show.status, 200);
      assert.doesNotMatch(show.text, /\/edit"|tranches\/new/);
      assert.equal((await c.api('GET', `/api/v1/programs/${p.id}`)).status, 200);
      assert.equal((await c.api('GET', `/api/v1/tranches/${p.tranche}`)).status, 200);
      for (const path of ['/programs/new', `/programs/${p.id}/edit`, `/programs/${p.id}/tranches/new`, `/tranches/${p.tranche}/edit`]) {
        assert.equal((await c.get(path)).status, 403, path);
      }
      assert.equal((await c.postForm('/programs', Object.entries(programData()))).status, 403);
      assert.equal((await c.postForm(`/programs/${p.id}`, [['version', '1'], ['target_total', '9']])).status, 403);
      assert.equal((await c.postForm(`/tranches/${p.tranche}`, [['version', '1'], ['target_total', '9']])).status, 403);
      assert.equal((await c.api('POST', '/api/v1/programs', programData())).status, 403);
      assert.equal((await c.api('PATCH', `/api/v1/programs/${p.id}`, { target_total: 9 })).status, 403);
      assert.equal((await c.api('POST', `/api/v1/programs/${p.id}/tranches`, { number: 2, start_year: 2024, end_year: 2024 })).status, 403);
      const tc = await tokenClient(env.base, env.db, who);
      assert.equal((await tc.api('PATCH', `/api/v1/tranches/${p.tranche}`, { target_total: 9 })).status, 403);
      assert.equal(await state(p.id), before, 'unchanged');
    });
  }

  test('admin and manager see the New, Edit and Add a tranche links', async () => {
    for (const c of [adminS, manager]) {
      assert.match((await c.get('/programs')).text, /href="\/programs\/new"/);
      const show = (await c.get(`/programs/${p.id}`)).text;
      assert.match(show, new RegExp(`href="/programs/${p.id}/edit"`));
      assert.match(show, new RegExp(`href="/programs/${p.id}/tranches/new"`));
      assert.match(show, new RegExp(`href="/tranches/${p.tranche}/edit"`));
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
