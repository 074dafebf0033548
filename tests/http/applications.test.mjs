// applications.test.mjs: applications of cooperatives to calls through the API and the pages:
// creation in the officer's regions only, one per cooperative and call, submission that
// evaluates eligibility and keeps its snapshot, withdrawal and re-evaluation with a reason, the
// history of every change, stale versions, bad input that writes nothing, the CSV import with
// its per-row report, the region scope everywhere, CSRF and HTML escaping.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  addDays,
  addYears,
  cleanupDirs,
  coopData,
  formFields,
  htmlDecode,
  iso,
  loggedIn,
  setField,
  setupServer,
  today,
  tokenClient,
  uniqueWord,
} from './lib.mjs';

let env;
let admin; // bearer
let manager; // session
let officer; // session, region 03
let officer06; // session, region 06
let coach; // session
let viewer; // session
let call; // open today
let closedCall; // closed last year
let REF; // the open call's reference date

before(async () => {
  env = await setupServer();
  // These tests read the reasons of refusals in English, the language of the catalog's msgids.
  execFileSync('sqlite3', [env.db, "UPDATE app_user SET lang = 'en'"]);
  admin = await tokenClient(env.base, env.db, 'admin');
  [manager, officer, officer06, coach, viewer] = await Promise.all(['manager', 'officer03', 'officer06', 'coach', 'viewer'].map((u) => loggedIn(env.base, u)));
  const code = uniqueWord('P').toUpperCase();
  const p = await admin.api('POST', '/api/v1/programs', { code, name_ar: `برنامج ${code}`, name_fr: `Programme ${code}`, name_en: `Program ${code}`, start_year: 2022, end_year: 2030 });
  assert.equal(p.status, 201, p.text);
  const t = await admin.api('POST', `/api/v1/programs/${p.json().id}/tranches`, { number: 1, start_year: 2024, end_year: 2028 });
  assert.equal(t.status, 201, t.text);
  const now = today();
  REF = iso(addDays(now, 10));
  call = await createCall(t.json().id, { opens_on: iso(addDays(now, -10)), closes_on: REF, reference_date: REF });
  closedCall = await createCall(t.json().id, { opens_on: iso(addDays(now, -400)), closes_on: iso(addDays(now, -300)), reference_date: iso(addDays(now, -300)) });
});

after(async () => {
  if (env && env.server.exited() === null) await env.server.stop();
  cleanupDirs();
});

async function createCall(tranche, over) {
  const w = uniqueWord('c').toUpperCase();
  const r = await admin.api('POST', '/api/v1/calls', { tranche_id: tranche, code: `AP-${w}`, title_ar: `طلب ${w}`, title_fr: `Appel ${w}`, title_en: `Call ${w}`, min_score: 60, ...over });
  assert.equal(r.status, 201, r.text);
  return r.json();
}

/** A cooperative eligible to the Mourafaka rules on REF unless told otherwise. */
async function createCoop(over = {}) {
  const ref = REF.split('-').map(Number);
  const legal = iso(addYears({ y: ref[0], m: ref[1], d: ref[2] }, -2));
  const activity = iso(addYears({ y: ref[0], m: ref[1], d: ref[2] }, -1));
  const r = await admin.api('POST', '/api/v1/cooperatives', coopData({ legal_date: legal, activity_start_date: activity, ...over }));
  assert.equal(r.status, 201, r.text);
  return r.json();
}

async function createApp(client, coop, over = {}) {
  return client.api('POST', '/api/v1/applications', { call_id: call.id, cooperative_id: coop.id, project_summary: 'Valorisation du miel', requested_support: 'Formation', ...over });
}

async function createAppOk(client, coop, over) {
  const r = await createApp(client, coop, over);
  assert.equal(r.status, 201, r.text);
  return r.json();
}

/** The state that a refused request may not change. */
async function state() {
  const r = await admin.api('GET', '/api/v1/applications?per_page=200');
  assert.equal(r.status, 200, r.text);
  const j = r.json();
  return { total: j.total, counts: j.counts, items: j.items.map((a) => [a.id, a.status, a.version, a.project_summary, a.requested_support]) };
}

describe('creating', () => {
  test('an officer creates a draft for a cooperative of their region, by register number', async () => {
    const coop = await createCoop({ region_code: '03' });
    const r = await officer.api('POST', '/api/v1/applications', { call_id: call.id, register_number: coop.register_number, project_summary: 'Projet\nsur deux lignes' });
    assert.equal(r.status, 201, r.text);
    const a = r.json();
    assert.equal(a.status, 'draft');
    assert.equal(a.region_code, '03');
    assert.equal(a.cooperative_id, coop.id);
    assert.equal(a.project_summary, 'Projet\nsur deux lignes');
    assert.equal(a.created_by, 'officer03');
    assert.equal(a.submitted_at, null);
    assert.equal(a.eligibility, null);
    assert.equal(r.location, `/api/v1/applications/${a.id}`);
    const ev = (await officer.api('GET', `/api/v1/applications/${a.id}/events`)).json();
    assert.deepEqual(ev.items.map((e) => [e.from_status, e.to_status, e.user]), [[null, 'draft', 'officer03']]);
  });

  test('not for a cooperative of another region: refused as unknown, nothing written', async () => {
    const coop = await createCoop({ region_code: '06' });
    const before = await state();
    const byId = await createApp(officer, coop);
    assert.equal(byId.status, 422, byId.text);
    assert.ok('cooperative_id' in byId.json().error.fields);
    const byReg = await officer.api('POST', '/api/v1/applications', { call_id: call.id, register_number: coop.register_number });
    assert.equal(byReg.status, 422, byReg.text);
    assert.match(byReg.json().error.fields.register_number, /region/i);
    const page = await officer.postForm('/applications', [['call_id', String(call.id)], ['register_number', coop.register_number], ['project_summary', 'x']]);
    assert.equal(page.status, 422);
    assert.deepEqual(await state(), before, 'nothing written');
  });

  test('one application per cooperative and call: the second is refused naming the first', async () => {
    const coop = await createCoop();
    const first = await createAppOk(admin, coop);
    const before = await state();
    const again = await createApp(officer, coop);
    assert.equal(again.status, 409, again.text);
    assert.match(again.json().error.message, new RegExp(`\\b${first.id}\\b`));
    const page = await officer.postForm('/applications', [['call_id', String(call.id)], ['register_number', coop.register_number]]);
    assert.equal(page.status, 409);
    assert.match(htmlDecode(page.text), new RegExp(`\\b${first.id}\\b`));
    assert.deepEqual(await state(), before);
  });

  test('a closed call: officers are refused with the reason, managers record late applications', async () => {
    const coop = await createCoop();
    const r = await officer.api('POST', '/api/v1/applications', { call_id: closedCall.id, cooperative_id: coop.id });
    assert.equal(r.status, 409, r.text);
    assert.match(r.json().error.message, /not open/);
    const m = await manager.api('POST', '/api/v1/applications', { call_id: closedCall.id, cooperative_id: coop.id, project_summary: 'Dossier papier reçu en retard' });
    assert.equal(m.status, 201, m.text);
  });

  test('coaches and viewers do not see applications', async () => {
    for (const c of [coach, viewer]) {
      assert.equal((await c.get('/applications')).status, 403);
      assert.equal((await c.api('GET', '/api/v1/applications')).status, 403);
      assert.equal((await c.api('POST', '/api/v1/applications', { call_id: call.id })).status, 403);
    }
  });

  test('the pages: the form, its errors next to the fields, then the draft', async () => {
    const coop = await createCoop();
    const form = await officer.get(`/applications/new?call=${call.id}`);
    assert.equal(form.status, 200);
    let fields = formFields(form.text, '/applications');
    assert.deepEqual(fields.find(([k]) => k === 'call_id'), ['call_id', String(call.id)], 'the call is chosen');
    const bad = await officer.postForm('/applications', setField(setField(fields, 'register_number', 'NO-SUCH-1'), 'requested_support', 'x'.repeat(2001)));
    assert.equal(bad.status, 422);
    assert.match(bad.text, /class="error-summary"/);
    assert.match(bad.text, /id="e-register_number"/);
    assert.match(bad.text, /id="e-requested_support"/);
    fields = setField(setField(fields, 'register_number', coop.register_number), 'project_summary', 'Atelier de couture');
    const ok = await officer.postForm('/applications', fields);
    assert.equal(ok.status, 303, ok.text.slice(0, 300));
    assert.match(ok.location, /^\/applications\/\d+$/);
    const show = await officer.get(ok.location);
    assert.equal(show.status, 200);
    assert.ok(show.text.includes('Atelier de couture'));
    assert.match(show.text, /action="\/applications\/\d+\/submit"/);
  });
});

describe('submitting evaluates eligibility', () => {
  test('exactly 4 years old on the reference date is eligible, one day older is not; the snapshot says why', async () => {
    const ref = REF.split('-').map(Number);
    const four = iso(addYears({ y: ref[0], m: ref[1], d: ref[2] }, -4));
    const older = iso(addDays(addYears({ y: ref[0], m: ref[1], d: ref[2] }, -4), -1));
    const activity = iso(addYears({ y: ref[0], m: ref[1], d: ref[2] }, -2));
    const results = {};
    for (const [name, legal] of [['four', four], ['older', older]]) {
      const coop = await createCoop({ legal_date: legal, activity_start_date: activity });
      const a = await createAppOk(officer, coop);
      const r = await officer.api('POST', `/api/v1/applications/${a.id}/submit`, { version: a.version });
      assert.equal(r.status, 200, r.text);
      results[name] = r.json();
    }
    const ok = results.four;
    assert.equal(ok.status, 'eligible');
    assert.equal(ok.rules_version, call.rules_version);
    assert.match(ok.submitted_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(ok.evaluated_at, ok.submitted_at);
    assert.equal(ok.eligibility.eligible, true);
    assert.deepEqual(ok.eligibility.rules.map((l) => l.kind), ['max_legal_age', 'min_activity', 'status_active', 'not_accompanied']);
    assert.equal(ok.eligibility.rules[0].measured, '4y0m0d');
    assert.equal(ok.eligibility.rules[1].measured, '2y0m0d');
    assert.equal(ok.eligibility_input.legal_date, four);
    assert.equal(ok.eligibility_input.reference_date, REF);
    assert.equal(ok.eligibility_input.already_accompanied, false);
    assert.ok(ok.eligibility.rules.every((l) => typeof l.explanation === 'string' && l.explanation.length > 0));
    const ko = results.older;
    assert.equal(ko.status, 'ineligible');
    assert.equal(ko.eligibility.eligible, false);
    assert.equal(ko.eligibility.rules[0].measured, '4y0m1d');
    assert.equal(ko.eligibility.rules[0].pass, false);
    assert.deepEqual(ko.eligibility.rules.slice(1).map((l) => l.pass), [true, true, true]);
    const ev = (await officer.api('GET', `/api/v1/applications/${ko.id}/events`)).json();
    assert.deepEqual(ev.items.map((e) => [e.from_status, e.to_status, e.user]), [[null, 'draft', 'officer03'], ['draft', 'submitted', 'officer03'], ['submitted', 'ineligible', 'officer03']]);
    // The detail page explains the stored breakdown in the reader's language.
    const page = await officer.get(`/applications/${ko.id}`);
    assert.equal(page.status, 200);
    assert.match(page.text, /class="fail"/);
    assert.equal((page.text.match(/class="pass"/g) || []).length, 3);
    const fr = await loggedIn(env.base, 'officer03');
    await fr.postForm('/lang', [['lang', 'fr'], ['next', '/']]);
    const pfr = await fr.get(`/applications/${ko.id}`);
    assert.match(htmlDecode(pfr.text), /4 ans/);
    await fr.postForm('/lang', [['lang', 'en'], ['next', '/']]);
  });

  test('the snapshot does not move when the cooperative or the rules change; re-evaluating takes the new data', async () => {
    const coop = await createCoop({ status: 'dormant', members_total: 12 });
    const a = await createAppOk(officer, coop);
    const s = (await officer.api('POST', `/api/v1/applications/${a.id}/submit`)).json();
    assert.equal(s.status, 'ineligible');
    const fix = await admin.api('PATCH', `/api/v1/cooperatives/${coop.id}`, { status: 'active' });
    assert.equal(fix.status, 200, fix.text);
    const still = (await officer.api('GET', `/api/v1/applications/${a.id}`)).json();
    assert.equal(still.status, 'ineligible');
    assert.equal(still.eligibility_input.status, 'dormant', 'the inputs as they were');
    const refused = await officer.api('POST', `/api/v1/applications/${a.id}/reevaluate`, { reason: 'corrigé' });
    assert.equal(refused.status, 403, 'officers do not re-evaluate');
    const noReason = await manager.api('POST', `/api/v1/applications/${a.id}/reevaluate`, {});
    assert.equal(noReason.status, 422);
    assert.ok('reason' in noReason.json().error.fields);
    const re = await manager.api('POST', `/api/v1/applications/${a.id}/reevaluate`, { reason: 'Statut corrigé au registre', version: still.version });
    assert.equal(re.status, 200, re.text);
    assert.equal(re.json().status, 'eligible');
    assert.equal(re.json().eligibility_input.status, 'active');
    assert.equal(re.json().submitted_at, s.submitted_at, 'the submission time stays');
    const ev = (await admin.api('GET', `/api/v1/applications/${a.id}/events`)).json().items;
    assert.deepEqual(ev.at(-1), { ...ev.at(-1), from_status: 'ineligible', to_status: 'eligible', user: 'manager', reason: 'Statut corrigé au registre' });
    const draft = await createAppOk(officer, await createCoop());
    const reDraft = await manager.api('POST', `/api/v1/applications/${draft.id}/reevaluate`, { reason: 'x' });
    assert.equal(reDraft.status, 409, 'a draft has nothing to re-evaluate');
  });

  test('a submission needs a project summary; a second submission is refused', async () => {
    const a = await createAppOk(officer, await createCoop(), { project_summary: '' });
    const r = await officer.api('POST', `/api/v1/applications/${a.id}/submit`);
    assert.equal(r.status, 422);
    assert.ok('project_summary' in r.json().error.fields);
    await officer.api('PATCH', `/api/v1/applications/${a.id}`, { project_summary: 'Transformation du cactus' });
    assert.equal((await officer.api('POST', `/api/v1/applications/${a.id}/submit`)).status, 200);
    const again = await officer.api('POST', `/api/v1/applications/${a.id}/submit`);
    assert.equal(again.status, 409);
    assert.match(again.json().error.message, /draft/);
    const edit = await officer.api('PATCH', `/api/v1/applications/${a.id}`, { project_summary: 'changed' });
    assert.equal(edit.status, 409, 'a submitted application is not edited');
    assert.equal((await officer.get(`/applications/${a.id}/edit`)).status, 409);
  });
});

describe('withdrawing and the history', () => {
  test('a reason is required; the history lists every change with its user and reason', async () => {
    const a = await createAppOk(officer, await createCoop());
    await officer.api('POST', `/api/v1/applications/${a.id}/submit`);
    const before = await state();
    for (const body of [{}, { reason: '' }, { reason: '  \n ' }]) {
      const r = await manager.api('POST', `/api/v1/applications/${a.id}/withdraw`, body);
      assert.equal(r.status, 422, JSON.stringify(body));
      assert.ok('reason' in r.json().error.fields);
    }
    const page = await manager.postForm(`/applications/${a.id}/withdraw`, [['version', '2'], ['withdraw_reason', '']]);
    assert.equal(page.status, 422);
    assert.match(page.text, /id="e-withdraw_reason"/);
    assert.deepEqual(await state(), before, 'nothing written');
    const w = await manager.api('POST', `/api/v1/applications/${a.id}/withdraw`, { reason: 'La coopérative renonce' });
    assert.equal(w.status, 200, w.text);
    assert.equal(w.json().status, 'withdrawn');
    const twice = await manager.api('POST', `/api/v1/applications/${a.id}/withdraw`, { reason: 'encore' });
    assert.equal(twice.status, 409);
    const ev = (await officer.api('GET', `/api/v1/applications/${a.id}/events`)).json();
    assert.deepEqual(ev.items.map((e) => [e.from_status, e.to_status, e.user, e.reason]), [
      [null, 'draft', 'officer03', ''],
      ['draft', 'submitted', 'officer03', ''],
      ['submitted', 'eligible', 'officer03', ''],
      ['eligible', 'withdrawn', 'manager', 'La coopérative renonce'],
    ]);
    for (const e of ev.items) assert.match(e.at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const show = await officer.get(`/applications/${a.id}`);
    assert.ok(show.text.includes('La coopérative renonce'));
    assert.ok(show.text.includes('manager'));
    assert.doesNotMatch(show.text, /action="\/applications\/\d+\/withdraw"/, 'no withdraw form any more');
  });

  test('through the pages: submit, then withdraw with a reason', async () => {
    const a = await createAppOk(officer, await createCoop());
    const s = await officer.postForm(`/applications/${a.id}/submit`, [['version', String(a.version)]]);
    assert.equal(s.status, 303, s.text.slice(0, 300));
    const show = await officer.get(`/applications/${a.id}`);
    const fields = formFields(show.text, `/applications/${a.id}/withdraw`);
    const w = await officer.postForm(`/applications/${a.id}/withdraw`, setField(fields, 'withdraw_reason', 'Doublon'));
    assert.equal(w.status, 303, w.text.slice(0, 300));
    assert.equal((await officer.api('GET', `/api/v1/applications/${a.id}`)).json().status, 'withdrawn');
  });
});

describe('versions and bad input', () => {
  test('a stale version is refused with 409, nothing written', async () => {
    const a = await createAppOk(officer, await createCoop());
    const ok = await officer.api('PATCH', `/api/v1/applications/${a.id}`, { project_summary: 'v2', version: a.version });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.json().version, a.version + 1);
    const before = await state();
    const stale = await officer.api('PATCH', `/api/v1/applications/${a.id}`, { project_summary: 'v3', version: a.version });
    assert.equal(stale.status, 409);
    const staleSubmit = await officer.api('POST', `/api/v1/applications/${a.id}/submit`, { version: a.version });
    assert.equal(staleSubmit.status, 409);
    const staleForm = await officer.postForm(`/applications/${a.id}`, [['version', String(a.version)], ['project_summary', 'v4']]);
    assert.equal(staleForm.status, 409);
    const staleWithdraw = await officer.postForm(`/applications/${a.id}/withdraw`, [['version', String(a.version)], ['withdraw_reason', 'x']]);
    assert.equal(staleWithdraw.status, 409);
    assert.deepEqual(await state(), before);
    assert.equal((await officer.api('GET', `/api/v1/applications/${a.id}`)).json().project_summary, 'v2');
  });

  test('invalid UTF-8, a 100 KB summary, unknown fields, wrong types: refused, nothing written', async () => {
    const coop = await createCoop();
    const a = await createAppOk(officer, coop);
    const before = await state();
    const raw = await officer.request('/api/v1/applications', { method: 'POST', csrf: true, headers: { 'content-type': 'application/json' }, body: Buffer.concat([Buffer.from(`{"call_id":${call.id},"cooperative_id":${coop.id},"project_summary":"caf`), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]) });
    assert.equal(raw.status, 400, raw.text);
    const form = await officer.request(`/applications/${a.id}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `csrf=${officer.csrf}&version=${a.version}&project_summary=caf%C3%28` });
    assert.equal(form.status, 400, form.text.slice(0, 200));
    const big = await officer.api('PATCH', `/api/v1/applications/${a.id}`, { project_summary: 'x'.repeat(100 * 1024) });
    assert.equal(big.status, 422);
    assert.ok('project_summary' in big.json().error.fields);
    const bigForm = await officer.postForm(`/applications/${a.id}`, [['version', String(a.version)], ['project_summary', 'é'.repeat(4001)]]);
    assert.equal(bigForm.status, 422);
    const unknown = await officer.api('PATCH', `/api/v1/applications/${a.id}`, { project_summary: 'ok', colour: 'green' });
    assert.equal(unknown.status, 422);
    assert.ok('colour' in unknown.json().error.fields);
    const unknownCreate = await createApp(officer, await createCoop(), { priority: 1 });
    assert.equal(unknownCreate.status, 422);
    const wrongType = await officer.api('PATCH', `/api/v1/applications/${a.id}`, { project_summary: ['a'] });
    assert.equal(wrongType.status, 422);
    const badVersion = await officer.api('POST', `/api/v1/applications/${a.id}/submit`, { version: 'one' });
    assert.equal(badVersion.status, 422);
    const nul = await officer.api('PATCH', `/api/v1/applications/${a.id}`, { requested_support: 'a\u0000b' });
    assert.ok([400, 422].includes(nul.status));
    const badCall = await officer.api('POST', '/api/v1/applications', { call_id: 999999, cooperative_id: coop.id });
    assert.equal(badCall.status, 422);
    const notObject = await officer.api('POST', '/api/v1/applications', [1, 2]);
    assert.equal(notObject.status, 400);
    assert.deepEqual(await state(), before, 'nothing written');
  });

  test('bad list filters answer 400', async () => {
    for (const q of ['status=accepted', 'region=99', 'call=abc', 'per_page=1000']) {
      assert.equal((await officer.api('GET', `/api/v1/applications?${q}`)).status, 400, q);
      assert.equal((await officer.get(`/applications?${q}`)).status, 400, q);
    }
  });
});

describe('import from CSV', () => {
  test('a malformed row is reported with its line; the valid rows are kept; all or nothing keeps none', async () => {
    const [c1, c2, c3] = [await createCoop(), await createCoop(), await createCoop()];
    const csv = [
      'register_number,project_summary,requested_support',
      `${c1.register_number},"Projet un, avec virgule",Formation`,
      'NO-SUCH-COOP,Projet,',
      `${c2.register_number},"Projet
sur deux lignes",`,
      `${c3.register_number},trop,de,champs`,
      '',
    ].join('\n');
    const before = await state();
    const none = await officer.api('POST', `/api/v1/calls/${call.id}/applications/import`, { csv, all_or_nothing: true });
    assert.equal(none.status, 200, none.text);
    assert.equal(none.json().saved, false);
    assert.equal(none.json().inserted, 0);
    assert.deepEqual(await state(), before, 'all or nothing: none kept');
    const r = await officer.api('POST', `/api/v1/calls/${call.id}/applications/import`, { csv });
    assert.equal(r.status, 200, r.text);
    const rep = r.json();
    assert.equal(rep.rows, 4);
    assert.equal(rep.inserted, 2);
    assert.equal(rep.rejected, 2);
    assert.equal(rep.saved, true);
    assert.deepEqual(rep.errors.map((e) => [e.line, e.field]), [[3, 'register_number'], [6, '-']]);
    assert.match(rep.errors[0].message, /region/);
    assert.deepEqual(rep.created.map((c) => [c.line, c.register_number]), [[2, c1.register_number], [4, c2.register_number]]);
    const got = (await officer.api('GET', `/api/v1/applications/${rep.created[1].id}`)).json();
    assert.equal(got.project_summary, 'Projet\nsur deux lignes');
    assert.equal(got.status, 'draft');
    assert.equal(got.created_by, 'officer03');
    // Imported again: each row is now a duplicate naming its application.
    const again = (await officer.api('POST', `/api/v1/calls/${call.id}/applications/import`, { csv: `register_number\n${c1.register_number}\n` })).json();
    assert.equal(again.inserted, 0);
    assert.match(again.errors[0].message, new RegExp(`\\b${rep.created[0].id}\\b`));
  });

  test('an officer importing a row of another region gets that row rejected', async () => {
    const mine = await createCoop({ region_code: '03' });
    const theirs = await createCoop({ region_code: '06' });
    const r = await officer.api('POST', `/api/v1/calls/${call.id}/applications/import`, { csv: `register_number\r\n${theirs.register_number}\r\n${mine.register_number}\r\n` });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json().errors.map((e) => [e.line, e.field]), [[2, 'register_number']]);
    assert.equal(r.json().inserted, 1);
    const list = (await admin.api('GET', `/api/v1/applications?call=${call.id}&q=${encodeURIComponent(theirs.register_number)}`)).json();
    assert.equal(list.total, 0);
  });

  test('an unreadable file is refused with the line, nothing kept; the page shows the report', async () => {
    const before = await state();
    for (const [csv, line] of [['register_number,colour\nX,red\n', 1], ['project_summary\nx\n', 1], [`register_number\n"unterminated\n`, 2], ['', 1]]) {
      const r = await officer.api('POST', `/api/v1/calls/${call.id}/applications/import`, { csv });
      assert.equal(r.status, 422, `${JSON.stringify(csv)}: ${r.text}`);
      if (csv) assert.match(r.json().error.fields.csv, new RegExp(`^line ${line}:`));
    }
    const closed = await officer.api('POST', `/api/v1/calls/${closedCall.id}/applications/import`, { csv: 'register_number\nX\n' });
    assert.equal(closed.status, 409, 'officers import only while the call is open');
    assert.deepEqual(await state(), before);
    const c = await createCoop();
    const page = await officer.get(`/calls/${call.id}/applications/import`);
    assert.equal(page.status, 200);
    const fields = setField(formFields(page.text, `/calls/${call.id}/applications/import`), 'csv', `register_number\n${c.register_number}\nBAD-ONE\n`);
    const post = await officer.postForm(`/calls/${call.id}/applications/import`, fields);
    assert.equal(post.status, 200, post.text.slice(0, 300));
    assert.ok(htmlDecode(post.text).includes('BAD-ONE') === false, 'the report names lines, not the raw text');
    assert.match(post.text, /<th scope="row" data-label="[^"]*">[^<]*\b3<\/th>/, 'the rejected row is named by its line');
    const bad = await officer.postForm(`/calls/${call.id}/applications/import`, setField(fields, 'csv', 'colour\nred\n'));
    assert.equal(bad.status, 422);
    assert.match(bad.text, /id="e-csv"/);
  });
});

describe('region scope', () => {
  test('an officer never lists, reads or changes an application of another region', async () => {
    const theirs = await createAppOk(officer06, await createCoop({ region_code: '06' }));
    const mine = await createAppOk(officer, await createCoop({ region_code: '03' }));
    const list = (await officer.api('GET', '/api/v1/applications?per_page=200')).json();
    assert.ok(list.items.every((a) => a.region_code === '03'));
    assert.ok(list.items.some((a) => a.id === mine.id));
    assert.equal((await officer.api('GET', '/api/v1/applications?region=06')).json().total, 0);
    const before = await state();
    for (const p of [`/api/v1/applications/${theirs.id}`, `/api/v1/applications/${theirs.id}/events`]) assert.equal((await officer.api('GET', p)).status, 404, p);
    for (const p of [`/applications/${theirs.id}`, `/applications/${theirs.id}/edit`]) assert.equal((await officer.get(p)).status, 404, p);
    assert.equal((await officer.api('PATCH', `/api/v1/applications/${theirs.id}`, { project_summary: 'x' })).status, 404);
    for (const [what, body] of [['submit', {}], ['withdraw', { reason: 'x' }], ['reevaluate', { reason: 'x' }]]) {
      assert.equal((await officer.api('POST', `/api/v1/applications/${theirs.id}/${what}`, body)).status, 404, what);
    }
    assert.equal((await officer.postForm(`/applications/${theirs.id}/withdraw`, [['version', '1'], ['withdraw_reason', 'x']])).status, 404);
    assert.deepEqual(await state(), before);
    const page = await officer.get('/applications?per_page=200');
    assert.ok(!page.text.includes(`href="/applications/${theirs.id}"`));
    assert.ok(page.text.includes(`href="/applications/${mine.id}"`));
    const all = (await manager.api('GET', `/api/v1/applications?per_page=200&call=${call.id}`)).json();
    assert.ok(all.items.some((a) => a.id === theirs.id), 'managers see every region');
    assert.equal(all.counts.draft + all.counts.submitted + all.counts.eligible + all.counts.ineligible + all.counts.withdrawn, all.total);
  });

  test('filters by call, status and search; pagination; counts', async () => {
    const coop = await createCoop({ name_fr: `Coopérative ${uniqueWord('fz')}` });
    const a = await createAppOk(officer, coop);
    const word = coop.name_fr.split(' ').at(-1);
    const byName = (await officer.api('GET', `/api/v1/applications?q=${word}`)).json();
    assert.deepEqual(byName.items.map((x) => x.id), [a.id]);
    const byReg = (await officer.api('GET', `/api/v1/applications?q=${encodeURIComponent(coop.register_number)}`)).json();
    assert.deepEqual(byReg.items.map((x) => x.id), [a.id]);
    const drafts = (await officer.api('GET', `/api/v1/applications?call=${call.id}&status=draft&per_page=1&page=2`)).json();
    assert.equal(drafts.items.length, 1);
    assert.equal(drafts.total, drafts.counts.draft);
    const page = await officer.get(`/applications?call=${call.id}&status=draft&per_page=1`);
    assert.equal(page.status, 200);
    assert.match(page.text, /rel="next"/);
    assert.match(page.text, new RegExp(`href="/calls/${call.id}/applications/import"`));
  });
});

describe('CSRF and escaping', () => {
  test('every POST of the pages needs the CSRF token', async () => {
    const a = await createAppOk(officer, await createCoop());
    const before = await state();
    const posts = [
      ['/applications', [['call_id', String(call.id)], ['register_number', 'X']]],
      [`/applications/${a.id}`, [['version', '1'], ['project_summary', 'x']]],
      [`/applications/${a.id}/submit`, [['version', '1']]],
      [`/applications/${a.id}/withdraw`, [['version', '1'], ['withdraw_reason', 'x']]],
      [`/applications/${a.id}/reevaluate`, [['version', '1'], ['reevaluate_reason', 'x']]],
      [`/calls/${call.id}/applications/import`, [['csv', 'register_number\nX\n']]],
    ];
    for (const [p, form] of posts) {
      for (const csrf of [false, 'ffffffffffffffffffffffffffffffff', manager.csrf]) {
        const r = await officer.request(p, { method: 'POST', form, csrf });
        assert.equal(r.status, 403, `${p} with ${csrf}`);
      }
    }
    for (const p of ['/api/v1/applications', `/api/v1/applications/${a.id}/submit`, `/api/v1/calls/${call.id}/applications/import`]) {
      const r = await officer.request(p, { method: 'POST', json: {}, csrf: false });
      assert.equal(r.status, 403, p);
    }
    assert.deepEqual(await state(), before);
  });

  test('a summary seeded with <script>\'"& comes back escaped on every page, exact in the API', async () => {
    const XSS = `<script>alert(1)</script>'"&`;
    const coop = await createCoop({ name_fr: `${XSS} ${uniqueWord('xs')}`, name_ar: `${XSS} ع` });
    const a = await createAppOk(officer, coop, { project_summary: `${XSS}\n${XSS}`, requested_support: XSS });
    await officer.api('POST', `/api/v1/applications/${a.id}/withdraw`, { reason: XSS });
    const b = await createAppOk(officer, await createCoop(), { project_summary: XSS });
    for (const p of [`/applications/${a.id}`, `/applications/${b.id}/edit`, `/applications?call=${call.id}&per_page=200`, `/applications/new?call=${call.id}`]) {
      const r = await officer.get(p);
      assert.equal(r.status, 200, p);
      assert.ok(!r.text.includes('<script>alert(1)'), `${p}: raw script`);
      assert.ok(!/<script>/i.test(r.text), `${p}: inline script`);
      if (p.includes(String(a.id)) || p.includes(String(b.id))) assert.ok(htmlDecode(r.text).includes(XSS), `${p}: the text, escaped`);
    }
    const j = (await officer.api('GET', `/api/v1/applications/${a.id}`)).json();
    assert.equal(j.project_summary, `${XSS}\n${XSS}`);
    assert.equal(j.requested_support, XSS);
    const ev = (await officer.api('GET', `/api/v1/applications/${a.id}/events`)).json();
    assert.equal(ev.items.at(-1).reason, XSS);
    const form = await officer.postForm('/applications', [['call_id', String(call.id)], ['register_number', XSS], ['project_summary', XSS]]);
    assert.equal(form.status, 422);
    assert.ok(!form.text.includes('<script>alert(1)'));
  });
});
