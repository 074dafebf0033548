// calls.test.mjs: calls for applications through the API and the pages: creation with the
// default grid and rules, validation, versioned eligibility rules, ages exact to the day, the
// screening of the registry (counts that add up, reasons, region scope, CSV) and the live
// preview of the rules editor.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  cleanupDirs,
  coopData,
  csvObjects,
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
let manager; // session
let officer; // session, region 03
let viewer; // session
let tranche; // {id, program_id}
let program2; // another program's tranche, for "not already accompanied"

const REF = '2026-03-15';

before(async () => {
  env = await setupServer();
  admin = await tokenClient(env.base, env.db, 'admin');
  [manager, officer, viewer] = await Promise.all(['manager', 'officer03', 'viewer'].map((u) => loggedIn(env.base, u)));
  tranche = await makeTranche();
  program2 = await makeTranche();
});

after(async () => {
  if (env && env.server.exited() === null) await env.server.stop();
  cleanupDirs();
});

async function makeTranche() {
  const code = uniqueWord('P').toUpperCase();
  const p = await admin.api('POST', '/api/v1/programs', {
    code, name_ar: `برنامج ${code}`, name_fr: `Programme ${code}`, name_en: `Program ${code}`, start_year: 2022, end_year: 2027,
  });
  assert.equal(p.status, 201, p.text);
  const t = await admin.api('POST', `/api/v1/programs/${p.json().id}/tranches`, { number: 4, start_year: 2025, end_year: 2026 });
  assert.equal(t.status, 201, t.text);
  return { id: t.json().id, program_id: p.json().id };
}

function callData(over = {}) {
  const w = uniqueWord('c').toUpperCase();
  return {
    tranche_id: tranche.id,
    code: `MRF-${w}`,
    title_ar: `طلب ترشيح ${w}`,
    title_fr: `Appel ${w}`,
    title_en: `Call ${w}`,
    opens_on: '2026-01-15',
    closes_on: '2026-03-15',
    reference_date: REF,
    min_score: 60,
    ...over,
  };
}

async function createCall(over = {}, client = admin) {
  const r = await client.api('POST', '/api/v1/calls', callData(over));
  assert.equal(r.status, 201, r.text);
  return r.json();
}

async function countCalls() {
  const r = await admin.api('GET', '/api/v1/calls');
  assert.equal(r.status, 200);
  return r.json().total;
}

async function createCoop(over) {
  const r = await admin.api('POST', '/api/v1/cooperatives', coopData(over));
  assert.equal(r.status, 201, r.text);
  return r.json();
}

async function eligibility(callId, coopId, client = admin) {
  const r = await client.api('GET', `/api/v1/calls/${callId}/eligibility?cooperative=${coopId}`);
  return r;
}

describe('creating a call', () => {
  test('with the defaults: the Mourafaka rules and the seeds\' six criteria, labelled in three languages', async () => {
    const c = await createCall();
    assert.equal(c.rules_version, 1);
    assert.deepEqual(c.rules.map((r) => r.kind), ['max_legal_age', 'min_activity', 'status_active', 'not_accompanied']);
    assert.deepEqual(c.rules[0], { kind: 'max_legal_age', years: 4, months: 0 });
    assert.deepEqual(c.criteria.map((k) => [k.key, k.weight, k.max]), [
      ['economic_viability', 25, 10], ['social_responsibility', 20, 10], ['innovation', 15, 10],
      ['territorial_approach', 15, 10], ['gender_equality', 15, 10], ['national_alignment', 10, 10],
    ]);
    assert.equal(c.criteria[0].label_en, 'Economic viability');
    assert.notEqual(c.criteria[0].label_ar, c.criteria[0].label_en, 'translated into Arabic');
    assert.match(c.criteria[0].label_ar, /[\u0600-\u06FF]/);
    assert.notEqual(c.criteria[0].label_fr, c.criteria[0].label_en, 'translated into French');
    assert.equal(c.min_score, 60);
    assert.equal(c.national_pool, true);
    assert.equal(c.code, c.code.toUpperCase());
    const g = await viewer.api('GET', `/api/v1/calls/${c.id}`);
    assert.equal(g.status, 200, 'every role reads calls');
    assert.deepEqual(g.json().criteria, c.criteria);
  });

  test('points with decimals, seats per region, a grid of its own', async () => {
    const c = await createCall({
      min_score: 62.5, disagreement_gap: '12.25', seats: { '03': 40, '06': 60 },
      criteria: [
        { key: 'viability', label_ar: 'الجدوى', label_fr: 'Viabilité', label_en: 'Viability', weight: 3, max: 20 },
        { key: 'gender_equality', label_ar: 'المساواة', label_fr: 'Égalité', label_en: 'Equality', weight: 1, max: 10 },
      ],
    });
    assert.equal(c.min_score, 62.5);
    assert.equal(c.disagreement_gap, 12.25);
    assert.deepEqual(c.seats, { '03': 40, '06': 60 });
    assert.equal(c.criteria.length, 2);
  });

  test('bad input: every field named, nothing created', async () => {
    const before = await countCalls();
    const cases = [
      [{ opens_on: '2026-02-31' }, 'opens_on'],
      [{ closes_on: '2025-12-31' }, 'closes_on'],
      [{ reference_date: '15/03/2026' }, 'reference_date'],
      [{ min_score: 100.5 }, 'min_score'],
      [{ min_score: 62.555 }, 'min_score'],
      [{ min_score: -1 }, 'min_score'],
      [{ code: 'no spaces here' }, 'code'],
      [{ title_fr: 'x'.repeat(201) }, 'title_fr'],
      [{ tranche_id: 999999 }, 'tranche_id'],
      [{ colour: 'green' }, 'colour'],
      [{ seats: { 13: 5 } }, 'seats'],
      [{ seats: { '03': -2 } }, 'seats.03'],
      [{ criteria: [{ key: 'Bad Key', label_ar: 'a', label_fr: 'b', label_en: 'c', weight: 1, max: 10 }] }, 'criteria[0].key'],
      [{ criteria: [{ key: 'ok', label_ar: 'a', label_fr: 'b', label_en: 'c', weight: 0, max: 10 }] }, 'criteria[0].weight'],
      [{ criteria: [] }, 'criteria'],
      [{ rules: [{ kind: 'max_legal_age', years: 4, months: 12 }] }, 'rules[0].months'],
      [{ rules: [{ kind: 'provinces', codes: ['03.999'] }] }, 'rules[0].codes[0]'],
    ];
    for (const [over, field] of cases) {
      const r = await admin.api('POST', '/api/v1/calls', callData(over));
      assert.ok([400, 422].includes(r.status), `${JSON.stringify(over)}: ${r.status} ${r.text}`);
      const fields = r.json().error.fields || {};
      assert.ok(field in fields, `${JSON.stringify(over)}: field ${field} named in ${JSON.stringify(fields)}`);
    }
    const utf = await admin.request('/api/v1/calls', { method: 'POST', headers: { 'content-type': 'application/json' }, body: Buffer.from('{"code":"\xff\xfe"}', 'latin1') });
    assert.equal(utf.status, 400, 'invalid UTF-8 refused');
    const nul = await admin.api('POST', '/api/v1/calls', callData({ title_ar: 'bad \u0000 nul' }));
    assert.equal(nul.status, 400, 'a NUL inside a string is refused');
    assert.equal(await countCalls(), before, 'nothing created');
  });

  test('a code is unique; a stale version is refused; nothing changes', async () => {
    const c = await createCall();
    const dup = await admin.api('POST', '/api/v1/calls', callData({ code: c.code.toLowerCase() }));
    assert.equal(dup.status, 409, dup.text);
    assert.ok('code' in dup.json().error.fields);
    const ok = await admin.api('PATCH', `/api/v1/calls/${c.id}`, { title_en: 'Renamed', version: c.version });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.json().version, c.version + 1);
    const stale = await admin.api('PATCH', `/api/v1/calls/${c.id}`, { title_en: 'Again', version: c.version });
    assert.equal(stale.status, 409);
    assert.equal((await admin.api('GET', `/api/v1/calls/${c.id}`)).json().title_en, 'Renamed');
    const rules = await admin.api('PATCH', `/api/v1/calls/${c.id}`, { rules: [] });
    assert.equal(rules.status, 422, 'rules change only through their versioned endpoint');
  });

  test('only admins and program managers create or change calls', async () => {
    const r = await officer.api('POST', '/api/v1/calls', callData());
    assert.equal(r.status, 403);
    const v = await viewer.api('POST', '/api/v1/calls', callData());
    assert.equal(v.status, 403);
  });
});

describe('eligibility rules', () => {
  test('each save is a new version; the old ones stay readable; a stale base is refused', async () => {
    const c = await createCall();
    const r = await manager.api('POST', `/api/v1/calls/${c.id}/rules`, {
      rules_version: 1, rules: [{ kind: 'under_legal_age', years: 3 }, { kind: 'soulalyate_only' }],
    });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json().rules_version, 2);
    const stale = await manager.api('POST', `/api/v1/calls/${c.id}/rules`, { rules_version: 1, rules: [] });
    assert.equal(stale.status, 409);
    const h = (await admin.api('GET', `/api/v1/calls/${c.id}/rules`)).json();
    assert.equal(h.rules_version, 2);
    assert.deepEqual(h.history.map((v) => v.version), [2, 1]);
    assert.equal(h.history[0].changed_by, 'manager');
    assert.deepEqual(h.history[1].rules[0], { kind: 'max_legal_age', years: 4, months: 0 });
    const old = await manager.get(`/calls/${c.id}/rules?version=1`);
    assert.equal(old.status, 200);
    assert.ok(htmlDecode(old.text).includes('4'), 'version 1 shows its rules');
    assert.equal((await manager.get(`/calls/${c.id}/rules?version=9`)).status, 404);
  });

  test('bad rules are refused with the rule and field named; nothing saved', async () => {
    const c = await createCall();
    const cases = [
      [[{ kind: 'min_activity', years: 0, months: 0 }], 'rules[0].years'],
      [[{ kind: 'women', min_share: 101 }], 'rules[0].min_share'],
      [[{ kind: 'members', min: 20, max: 10 }], 'rules[0].max'],
      [[{ kind: 'regions', codes: ['03', '03'] }], 'rules[0].codes[1]'],
      [[{ kind: 'status_active' }, { kind: 'status_active' }], 'rules[1].kind'],
      [[{ kind: 'teleport' }], 'rules[0].kind'],
      [[{ kind: 'sectors', codes: ['argan'], colour: 1 }], 'rules[0].colour'],
    ];
    for (const [rules, field] of cases) {
      const r = await manager.api('POST', `/api/v1/calls/${c.id}/rules`, { rules_version: 1, rules });
      assert.equal(r.status, 422, `${JSON.stringify(rules)}: ${r.text}`);
      assert.ok(field in r.json().error.fields, `${JSON.stringify(rules)}: ${field} in ${r.text}`);
    }
    assert.equal((await admin.api('GET', `/api/v1/calls/${c.id}`)).json().rules_version, 1);
  });

  test('legal age is exact to the day: exactly 4 years is eligible, one day more is not, with the numbers', async () => {
    const c = await createCall();
    await manager.api('POST', `/api/v1/calls/${c.id}/rules`, { rules_version: 1, rules: [{ kind: 'max_legal_age', years: 4 }] });
    const exact = await createCoop({ legal_date: '2022-03-15', activity_start_date: '2022-04-01' });
    const older = await createCoop({ legal_date: '2022-03-14', activity_start_date: '2022-04-01' });
    const e1 = (await eligibility(c.id, exact.id)).json();
    assert.equal(e1.eligible, true, JSON.stringify(e1));
    assert.equal(e1.rules[0].measured, '4y0m0d');
    assert.equal(e1.rules_version, 2);
    const e2 = (await eligibility(c.id, older.id)).json();
    assert.equal(e2.eligible, false);
    assert.equal(e2.rules[0].measured, '4y0m1d');
    assert.match(e2.rules[0].explanation, /4/);
    assert.equal(e2.input.legal_date, '2022-03-14', 'the snapshot names the inputs used');
    // 29 February: 4 years later is 29 February 2024 (a leap year).
    const leapCall = await createCall({ reference_date: '2024-02-29' });
    await manager.api('POST', `/api/v1/calls/${leapCall.id}/rules`, { rules_version: 1, rules: [{ kind: 'max_legal_age', years: 4 }] });
    const leap = await createCoop({ legal_date: '2020-02-29', activity_start_date: '2020-03-01' });
    assert.equal((await eligibility(leapCall.id, leap.id)).json().eligible, true);
  });

  test('not already accompanied by the same program, and only that program', async () => {
    const c = await createCall();
    const coop = await createCoop({ legal_date: '2024-01-10', activity_start_date: '2024-02-01' });
    assert.equal((await eligibility(c.id, coop.id)).json().eligible, true);
    execFileSync('sqlite3', [env.db, `INSERT INTO program_cooperative (program_id, cooperative_id, region_code, since, source) VALUES (${program2.program_id}, ${coop.id}, '03', '2023-01-01', 'record')`]);
    assert.equal((await eligibility(c.id, coop.id)).json().eligible, true, 'accompanied by another program');
    execFileSync('sqlite3', [env.db, `INSERT INTO program_cooperative (program_id, cooperative_id, region_code, since, source) VALUES (${tranche.program_id}, ${coop.id}, '03', '2023-01-01', 'record')`]);
    const e = (await eligibility(c.id, coop.id)).json();
    assert.equal(e.eligible, false);
    assert.deepEqual(e.rules.filter((l) => !l.pass).map((l) => l.kind), ['not_accompanied']);
  });
});

describe('screening the registry', () => {
  let call;
  before(async () => {
    call = await createCall();
  });

  async function screening(client, qs = '') {
    const r = await client.api('GET', `/api/v1/calls/${call.id}/screening?${qs}`);
    assert.equal(r.status, 200, r.text);
    return r.json();
  }

  test('the counts add up, and the lists hold exactly the counted cooperatives', async () => {
    const s = await screening(admin, 'per_page=0');
    const coops = (await admin.api('GET', '/api/v1/cooperatives?per_page=1')).json().total;
    assert.equal(s.total, coops, 'every cooperative screened');
    assert.equal(s.regions.reduce((n, r) => n + r.eligible + r.ineligible, 0), s.total);
    assert.equal(s.regions.reduce((n, r) => n + r.eligible, 0), s.eligible);
    assert.ok(s.eligible > 0 && s.eligible < s.total, `${s.eligible} of ${s.total}`);
    for (let i = 0; i < s.rules.length; i++) assert.ok(s.rules[i].pass >= s.eligible && s.rules[i].pass <= s.total);
    const el = await screening(admin, 'result=eligible&per_page=500');
    assert.equal(el.matched, s.eligible);
    const seen = new Set();
    for (let page = 1; seen.size < s.eligible; page++) {
      const p = await screening(admin, `result=eligible&per_page=500&page=${page}`);
      assert.ok(p.items.length > 0, 'pages cover the list');
      for (const it of p.items) {
        assert.equal(it.eligible, true);
        assert.ok(it.rules.every((l) => l.pass));
        seen.add(it.cooperative_id);
      }
    }
    assert.equal(seen.size, s.eligible, 'no cooperative twice');
    const inel = await screening(admin, 'result=ineligible&per_page=50');
    for (const it of inel.items) {
      const failed = it.rules.filter((l) => !l.pass);
      assert.ok(failed.length > 0);
      for (const l of failed) assert.ok(l.explanation.length > 10, 'a reason in words');
    }
  });

  test('a regional officer screens only their regions, in the API, the page and the CSV', async () => {
    const all = await screening(admin, 'per_page=0');
    const mine = await screening(officer, 'per_page=0');
    const r03 = all.regions.find((r) => r.region_code === '03');
    assert.deepEqual(mine.regions.map((r) => r.region_code), ['03']);
    assert.equal(mine.total, r03.eligible + r03.ineligible);
    const other = await screening(officer, 'region=06&per_page=50');
    assert.equal(other.matched, 0, 'region 06 is out of scope');
    const coop06 = await createCoop({ region_code: '06' });
    assert.equal((await eligibility(call.id, coop06.id, officer)).status, 404);
    const page = await officer.get(`/calls/${call.id}/eligibility?cooperative=${coop06.id}`);
    assert.equal(page.status, 404);
    const csv = await officer.get(`/calls/${call.id}/screening.csv`);
    assert.equal(csv.status, 200);
    const rows = csvObjects(csv.text).records;
    assert.equal(rows.length, mine.total);
    assert.ok(rows.every((r) => r.region_code === '03'));
    assert.equal(rows.filter((r) => r.eligible === 'yes').length, mine.eligible);
    const bad = rows.find((r) => r.eligible === 'no');
    assert.ok(bad.failed_rules.length > 0 && bad.reasons.length > 0);
    const html = await officer.get(`/calls/${call.id}/screening`);
    assert.equal(html.status, 200);
    assert.ok(!html.text.includes(`/cooperatives/${coop06.id}"`));
  });

  test('bad filters are refused', async () => {
    assert.equal((await admin.api('GET', `/api/v1/calls/${call.id}/screening?region=13`)).status, 400);
    assert.equal((await admin.api('GET', `/api/v1/calls/${call.id}/screening?result=maybe`)).status, 400);
    assert.equal((await admin.api('GET', `/api/v1/calls/${call.id}/screening?per_page=100000`)).status, 400);
    assert.equal((await manager.get(`/calls/${call.id}/screening?region=13`)).status, 400);
    assert.equal((await admin.api('GET', `/api/v1/calls/999999/screening`)).status, 404);
  });

  test('the preview counts rules that are not saved', async () => {
    const all = await admin.api('POST', `/api/v1/calls/${call.id}/rules/preview`, { rules: [] });
    assert.equal(all.status, 200, all.text);
    assert.equal(all.json().eligible, all.json().total, 'no rule admits everyone');
    const r03 = await admin.api('POST', `/api/v1/calls/${call.id}/rules/preview`, { rules: [{ kind: 'regions', codes: ['03'] }] });
    const s = await screening(admin, 'per_page=0');
    const reg = s.regions.find((r) => r.region_code === '03');
    assert.equal(r03.json().eligible, reg.eligible + reg.ineligible);
    assert.equal((await admin.api('GET', `/api/v1/calls/${call.id}`)).json().rules_version, call.rules_version, 'nothing saved');
  });
});

describe('the pages', () => {
  test('create a call through the form: errors next to their field in Arabic, then saved', async () => {
    const g = await manager.get(`/calls/new?tranche=${tranche.id}`);
    assert.equal(g.status, 200);
    let form = formFields(g.text, '/calls');
    const data = callData();
    for (const [k, v] of Object.entries(data)) if (k !== 'min_score') form = setField(form, k, String(v));
    form = setField(form, 'closes_on', '2026-02-30');
    form = setField(form, 'min_score', '101');
    const bad = await manager.postForm('/calls', form, { csrf: false });
    assert.equal(bad.status, 422, bad.text.slice(0, 300));
    assert.match(bad.text, /id="e-closes_on"/);
    assert.match(bad.text, /id="e-min_score"/);
    assert.match(bad.text, /error-summary/);
    assert.match(htmlDecode(bad.text), /[\u0600-\u06FF]/);
    let again = formFields(bad.text, '/calls');
    again = setField(again, 'closes_on', '2026-03-15');
    again = setField(again, 'min_score', '55,5');
    again = setField(again, 'seats.03', '12');
    const ok = await manager.postForm('/calls', again, { csrf: false });
    assert.equal(ok.status, 303, ok.text.slice(0, 500));
    const id = Number(ok.location.split('/').pop());
    const c = (await admin.api('GET', `/api/v1/calls/${id}`)).json();
    assert.equal(c.min_score, 55.5);
    assert.deepEqual(c.seats, { '03': 12 });
    assert.equal(c.criteria.length, 6);
    const show = await viewer.get(`/calls/${id}`);
    assert.equal(show.status, 200);
    assert.ok(htmlDecode(show.text).includes(data.title_ar));
  });

  test('a form without its CSRF token is refused and changes nothing', async () => {
    const before = await countCalls();
    const r = await manager.postForm('/calls', Object.entries(callData()), { csrf: 'wrong' });
    assert.equal(r.status, 403);
    assert.equal(await countCalls(), before);
  });

  test('the rules editor: preview without saving, live counts as JSON, save as a new version', async () => {
    const c = await createCall();
    const g = await manager.get(`/calls/${c.id}/rules`);
    assert.equal(g.status, 200);
    assert.match(g.text, /data-preview="all"/);
    let form = formFields(g.text, `/calls/${c.id}/rules`);
    assert.equal(form.filter(([k, v]) => k === 'max_legal_age.on' && v === '1').length, 1, 'the current rule is ticked');
    form = setField(form, 'max_legal_age.years', '10');
    const preview = await manager.postForm(`/calls/${c.id}/rules`, [...form, ['action', 'preview']], { csrf: false });
    assert.equal(preview.status, 200);
    assert.equal((await admin.api('GET', `/api/v1/calls/${c.id}`)).json().rules_version, 1, 'preview saves nothing');
    const live = await manager.postForm(`/calls/${c.id}/rules/preview`, form, { csrf: false });
    assert.equal(live.status, 200);
    const j = live.json();
    const api = (await admin.api('POST', `/api/v1/calls/${c.id}/rules/preview`, {
      rules: [{ kind: 'max_legal_age', years: 10, months: 0 }, { kind: 'min_activity', years: 1, months: 0 }, { kind: 'status_active' }, { kind: 'not_accompanied' }],
    })).json();
    assert.equal(j.eligible, api.eligible, 'the form and the API count alike');
    assert.ok(j.text.all.length > 0);
    const wrong = await manager.postForm(`/calls/${c.id}/rules/preview`, setField(form, 'max_legal_age.months', '14'), { csrf: false });
    assert.ok('max_legal_age.months' in wrong.json().errors);
    const bad = await manager.postForm(`/calls/${c.id}/rules`, [...setField(form, 'max_legal_age.months', '14'), ['action', 'save']], { csrf: false });
    assert.equal(bad.status, 422);
    assert.match(bad.text, /id="e-max_legal_age\.months"/);
    const saved = await manager.postForm(`/calls/${c.id}/rules`, [...form, ['action', 'save']], { csrf: false });
    assert.equal(saved.status, 303);
    const after = (await admin.api('GET', `/api/v1/calls/${c.id}`)).json();
    assert.equal(after.rules_version, 2);
    assert.deepEqual(after.rules[0], { kind: 'max_legal_age', years: 10, months: 0 });
    const twice = await manager.postForm(`/calls/${c.id}/rules`, [...form, ['action', 'save']], { csrf: false });
    assert.equal(twice.status, 409, 'the form started from version 1: someone saved since');
  });

  test('screening and eligibility pages explain in the reader\'s language', async () => {
    const c = await createCall();
    const older = await createCoop({ legal_date: '2020-01-01', activity_start_date: '2020-02-01' });
    const fr = await loggedIn(env.base, 'manager');
    await fr.postForm('/lang', [['lang', 'fr'], ['next', '/about']]);
    const page = await fr.get(`/calls/${c.id}/eligibility?cooperative=${older.id}`);
    assert.equal(page.status, 200);
    assert.match(page.text, /<html lang="fr" dir="ltr">/);
    assert.match(htmlDecode(page.text), /6 ans/);
    const s = await fr.get(`/calls/${c.id}/screening?result=ineligible`);
    assert.equal(s.status, 200);
    assert.match(s.text, /class="reasons"/);
  });
});
