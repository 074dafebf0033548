// evaluations.test.mjs: evaluators and scores of applications through the API and the pages:
// assignment by managers only, an evaluator who sees only what is assigned to them (and no
// personal data), the declaration of no conflict before scoring, scores refused out of range
// with the field named and nothing written, the total of the formula computed here
// independently, the application scored exactly when the last evaluator submits, reopening,
// the disagreement flag above the gap and not at it, CSRF and escaping.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  Client,
  cleanupDirs,
  coopData,
  formFields,
  htmlDecode,
  loggedIn,
  setField,
  setupServer,
  tickBox,
  tokenClient,
  uniqueWord,
} from './lib.mjs';

let env;
let admin; // bearer
let api; // login -> bearer client
let web; // login -> session client
let uid; // login -> user id
let call; // the call (default grid, gap 15)

const KEYS = ['economic_viability', 'social_responsibility', 'innovation', 'territorial_approach', 'gender_equality', 'national_alignment'];
const WEIGHTS = [25, 20, 15, 15, 15, 10];
const MAX = [10, 10, 10, 10, 10, 10];
const XSS = `<script>alert(1)</script>'"&`;

function sql(q) {
  return execFileSync('sqlite3', ['-cmd', '.timeout 5000', env.db, q], { encoding: 'utf8' }).trim();
}

before(async () => {
  env = await setupServer();
  // These tests read the reasons of refusals in English, the language of the catalog's msgids.
  execFileSync('sqlite3', [env.db, "UPDATE app_user SET lang = 'en'"]);
  admin = await tokenClient(env.base, env.db, 'admin');
  const logins = ['manager', 'officer03', 'officer06', 'coach', 'viewer'];
  api = { admin };
  web = {};
  for (const l of logins) {
    api[l] = await tokenClient(env.base, env.db, l);
    web[l] = await loggedIn(env.base, l);
  }
  const users = await admin.api('GET', '/api/v1/evaluators');
  assert.equal(users.status, 200, users.text);
  uid = Object.fromEntries(users.json().items.map((u) => [u.login, u.id]));
  const code = uniqueWord('P').toUpperCase();
  const p = await admin.api('POST', '/api/v1/programs', { code, name_ar: `برنامج ${code}`, name_fr: `Programme ${code}`, name_en: `Program ${code}`, start_year: 2022, end_year: 2027 });
  assert.equal(p.status, 201, p.text);
  const t = await admin.api('POST', `/api/v1/programs/${p.json().id}/tranches`, { number: 4, start_year: 2025, end_year: 2026 });
  assert.equal(t.status, 201, t.text);
  const w = uniqueWord('c').toUpperCase();
  const c = await admin.api('POST', '/api/v1/calls', {
    tranche_id: t.json().id, code: `EV-${w}`, title_ar: `طلب ${w}`, title_fr: `Appel ${w}`, title_en: `Call ${w}`,
    opens_on: '2026-01-15', closes_on: '2026-03-15', reference_date: '2026-03-15', min_score: 60, disagreement_gap: 15,
  });
  assert.equal(c.status, 201, c.text);
  call = c.json();
  assert.deepEqual(call.criteria.map((k) => [k.key, k.weight, k.max]), KEYS.map((k, i) => [k, WEIGHTS[i], MAX[i]]));
});

after(async () => {
  if (env && env.server.exited() === null) await env.server.stop();
  cleanupDirs();
});

/** An application of the call in status (default eligible), entered by officer06, as a row:
 * the applications module's API is tested on its own; this keeps these tests to evaluations. */
async function makeApplication({ status = 'eligible', region = '03', summary = 'Un projet de séchage solaire des figues.', coop = {} } = {}) {
  const r = await admin.api('POST', '/api/v1/cooperatives', coopData({ region_code: region, phone: '0661 99 88 77', address: 'Douar Secret 42', email: 'secret@example.ma', notes: 'note privée', ...coop }));
  assert.equal(r.status, 201, r.text);
  const co = r.json();
  const id = sql(`INSERT INTO application (call_id, cooperative_id, region_code, status, project_summary, created_by, created_at, updated_at) VALUES (${call.id}, ${co.id}, '${region}', '${status}', '${summary.replace(/'/g, "''")}', ${uid.officer06}, '2026-02-01T10:00:00Z', '2026-02-01T10:00:00Z'); SELECT last_insert_rowid();`);
  return { id: Number(id), coop: co };
}

function appRow(id) {
  const [status, total, version] = sql(`SELECT status, IFNULL(total, 'NULL'), version FROM application WHERE id = ${id}`).split('|');
  return { status, total: total === 'NULL' ? null : Number(total), version: Number(version) };
}
function events(id) {
  const out = sql(`SELECT from_status, to_status, reason, user_id FROM application_event WHERE application_id = ${id} ORDER BY id`);
  return out ? out.split('\n').map((l) => { const [from, to, reason, user] = l.split('|'); return { from, to, reason, user: Number(user) }; }) : [];
}
function scoreRows(id) {
  return Number(sql(`SELECT COUNT(*) FROM evaluation_score WHERE application_id = ${id}`));
}

async function assign(appId, logins, client = admin) {
  return client.api('POST', `/api/v1/applications/${appId}/evaluators`, { evaluator_ids: logins.map((l) => uid[l]) });
}
const scoresOf = (arr) => Object.fromEntries(KEYS.map((k, i) => [k, arr[i]]));
async function declare(appId, login) {
  const r = await api[login].api('POST', `/api/v1/applications/${appId}/evaluation/declare`, { no_conflict: true });
  assert.equal(r.status, 200, r.text);
  return r.json();
}
async function submit(appId, login, arr, comment = '') {
  const r = await api[login].api('POST', `/api/v1/applications/${appId}/evaluation/submit`, { scores: scoresOf(arr), comment });
  assert.equal(r.status, 200, `${login} submits: ${r.text}`);
  return r.json();
}

/**
 * The formula, computed here in exact integer arithmetic: total =
 * 100 × Σ_k w_k × mean_e(score_k) / max_k / Σ_k w_k, rounded to 2 decimals, halves up.
 * Returns hundredths.
 */
function expectedTotal(sheets) {
  const n = BigInt(sheets.length);
  const W = BigInt(WEIGHTS.reduce((a, b) => a + b, 0));
  const L = 10n; // lcm of the maxima
  let num = 0n;
  for (let k = 0; k < KEYS.length; k++) {
    const S = BigInt(sheets.reduce((a, s) => a + s[k], 0));
    num += BigInt(WEIGHTS[k]) * S * (L / BigInt(MAX[k]));
  }
  num *= 10000n; // 100 for the percentage, 100 for hundredths
  const den = n * W * L;
  return Number((2n * num + den) / (2n * den));
}

// ---------------------------------------------------------------- assignment

describe('assignment', () => {
  test('only managers assign; an evaluator is assigned once, never the creator, never a disabled account', async () => {
    const a = await makeApplication();
    for (const who of ['officer03', 'coach', 'viewer']) {
      const r = await assign(a.id, ['coach'], api[who]);
      assert.equal(r.status, 403, `${who} may not assign`);
      const f = await web[who].postForm(`/applications/${a.id}/evaluators`, [['evaluator', String(uid.coach)]]);
      assert.equal(f.status, 403, `${who} may not assign through the page`);
    }
    assert.equal(sql(`SELECT COUNT(*) FROM evaluation WHERE application_id = ${a.id}`), '0');

    const page = await web.manager.get(`/applications/${a.id}/evaluations`);
    assert.equal(page.status, 200);
    assert.ok(!page.text.includes(`value="${uid.officer06}"`), 'the creator is not offered');
    const f = await web.manager.postForm(`/applications/${a.id}/evaluators`, [['evaluator', String(uid.coach)], ['evaluator', String(uid.viewer)]]);
    assert.equal(f.status, 303, f.text.slice(0, 300));
    const v = (await api.manager.api('GET', `/api/v1/applications/${a.id}/evaluations`)).json();
    assert.deepEqual(v.evaluations.map((e) => [e.evaluator_login, e.state, e.assigned_by]), [['coach', 'to_declare', 'manager'], ['viewer', 'to_declare', 'manager']]);

    const again = await assign(a.id, ['coach']);
    assert.equal(again.status, 409);
    assert.ok(again.json().error.fields['evaluator_ids.0'], again.text);
    const creator = await assign(a.id, ['officer06']);
    assert.equal(creator.status, 422);
    assert.ok(creator.json().error.fields['evaluator_ids.0']);
    const twice = await assign(a.id, ['officer03', 'officer03']);
    assert.equal(twice.status, 409);
    assert.ok(twice.json().error.fields['evaluator_ids.1']);
    sql(`INSERT INTO app_user (login, password_hash, role, disabled, created_at) VALUES ('gone_${a.id}', 'x', 'coach', 1, '2026-01-01T00:00:00Z')`);
    const goneId = Number(sql(`SELECT id FROM app_user WHERE login = 'gone_${a.id}'`));
    const gone = await admin.api('POST', `/api/v1/applications/${a.id}/evaluators`, { evaluator_ids: [uid.officer03, goneId] });
    assert.equal(gone.status, 422);
    assert.ok(gone.json().error.fields['evaluator_ids.1']);
    assert.equal(sql(`SELECT COUNT(*) FROM evaluation WHERE application_id = ${a.id}`), '2', 'all or nothing: officer03 was not assigned either');
    const formDup = await web.manager.postForm(`/applications/${a.id}/evaluators`, [['evaluator', String(uid.coach)]]);
    assert.equal(formDup.status, 409);
    assert.match(htmlDecode(formDup.text), /already an evaluator/);
    assert.match(formDup.text, /href="#f-evaluator"/, 'the error summary links to the field');
  });

  test('only eligible or scored applications can be evaluated', async () => {
    for (const status of ['draft', 'submitted', 'ineligible', 'withdrawn']) {
      const a = await makeApplication({ status });
      const r = await assign(a.id, ['coach']);
      assert.equal(r.status, 409, `${status}: ${r.text}`);
    }
  });

  test('remove an assignment, but not a submitted one; bulk assignment of a call\'s region', async () => {
    const a = await makeApplication();
    assert.equal((await assign(a.id, ['coach', 'viewer'])).status, 200);
    const rm = await admin.api('POST', `/api/v1/applications/${a.id}/evaluators/remove`, { evaluator_id: uid.viewer });
    assert.equal(rm.status, 200, rm.text);
    assert.deepEqual(rm.json().evaluations.map((e) => e.evaluator_login), ['coach']);
    await declare(a.id, 'coach');
    await submit(a.id, 'coach', [5, 5, 5, 5, 5, 5]);
    const no = await admin.api('POST', `/api/v1/applications/${a.id}/evaluators/remove`, { evaluator_id: uid.coach });
    assert.equal(no.status, 409);
    const none = await admin.api('POST', `/api/v1/applications/${a.id}/evaluators/remove`, { evaluator_id: uid.viewer });
    assert.equal(none.status, 404);

    const b1 = await makeApplication({ region: '06' });
    const b2 = await makeApplication({ region: '06' });
    const b3 = await makeApplication({ region: '06', status: 'ineligible' });
    assert.equal((await assign(b1.id, ['officer03'])).status, 200);
    const bulk = await admin.api('POST', `/api/v1/calls/${call.id}/evaluators`, { evaluator_ids: [uid.officer03, uid.officer06], region: '06' });
    assert.equal(bulk.status, 200, bulk.text);
    const eligible06 = Number(sql(`SELECT COUNT(*) FROM application WHERE call_id = ${call.id} AND region_code = '06' AND status = 'eligible'`));
    // officer03 everywhere but b1 (already there); officer06 nowhere (they entered them all).
    assert.deepEqual(bulk.json(), { added: eligible06 - 1, applications: eligible06 });
    for (const b of [b1, b2]) assert.equal(sql(`SELECT COUNT(*) FROM evaluation WHERE application_id = ${b.id} AND evaluator_id = ${uid.officer03}`), '1');
    assert.equal(sql(`SELECT COUNT(*) FROM evaluation WHERE application_id = ${b3.id}`), '0', 'not an ineligible one');
    const page = await web.manager.postForm(`/calls/${call.id}/evaluators`, [['bulk_region', '06'], ['evaluator', String(uid.coach)]]);
    assert.equal(page.status, 303, page.text.slice(0, 300));
    assert.match(page.location, new RegExp(`^/calls/${call.id}/evaluations\\?added=${eligible06}&apps=${eligible06}$`));
    const denied = await api.coach.api('POST', `/api/v1/calls/${call.id}/evaluators`, { evaluator_ids: [uid.coach] });
    assert.equal(denied.status, 403);
  });
});

// ---------------------------------------------------------------- what an evaluator sees

describe('an evaluator', () => {
  let mine;
  let other;
  before(async () => {
    mine = await makeApplication({ summary: 'Séchage solaire' });
    other = await makeApplication();
    assert.equal((await assign(mine.id, ['coach'])).status, 200);
    assert.equal((await assign(other.id, ['viewer'])).status, 200);
  });

  test('sees only the applications assigned to them: another one is 404, lists hold only theirs', async () => {
    for (const p of [`/api/v1/applications/${other.id}/evaluation`]) assert.equal((await api.coach.api('GET', p)).status, 404);
    assert.equal((await web.coach.get(`/applications/${other.id}/evaluation`)).status, 404);
    const w = await api.coach.api('PATCH', `/api/v1/applications/${other.id}/evaluation`, { scores: { innovation: 5 } });
    assert.equal(w.status, 404);
    const d = await api.coach.api('POST', `/api/v1/applications/${other.id}/evaluation/declare`, { no_conflict: true });
    assert.equal(d.status, 404);
    assert.equal(sql(`SELECT COUNT(*) FROM evaluation WHERE application_id = ${other.id} AND no_conflict_at IS NOT NULL`), '0');
    const list = (await api.coach.api('GET', '/api/v1/evaluations?per_page=200')).json();
    const assigned = sql(`SELECT application_id FROM evaluation WHERE evaluator_id = ${uid.coach} ORDER BY application_id`).split('\n').map(Number);
    assert.deepEqual(list.items.map((i) => i.application_id).sort((x, y) => x - y), assigned);
    assert.ok(list.items.some((i) => i.application_id === mine.id));
    assert.ok(!list.items.some((i) => i.application_id === other.id));
    const html = await web.coach.get('/evaluations');
    assert.equal(html.status, 200);
    assert.ok(html.text.includes(`/applications/${mine.id}/evaluation"`));
    assert.ok(!html.text.includes(`/applications/${other.id}/evaluation"`));
    // Managers' views stay closed to them, and so do the applications themselves.
    assert.equal((await web.coach.get(`/applications/${mine.id}/evaluations`)).status, 403);
    assert.equal((await api.coach.api('GET', `/api/v1/calls/${call.id}/evaluations`)).status, 403);
  });

  test('sees the name, register number, region, members and summary, and no other personal data', async () => {
    const j = (await api.coach.api('GET', `/api/v1/applications/${mine.id}/evaluation`)).json();
    assert.equal(j.application.cooperative.register_number, mine.coop.register_number);
    assert.equal(j.application.project_summary, 'Séchage solaire');
    const page = await web.coach.get(`/applications/${mine.id}/evaluation`);
    assert.equal(page.status, 200);
    const text = htmlDecode(page.text);
    // In English (the language these tests read) a cooperative is named by its French name.
    assert.ok(text.includes(mine.coop.name_fr) && text.includes(mine.coop.register_number));
    for (const secret of ['0661 99 88 77', 'Douar Secret 42', 'secret@example.ma', 'note privée']) {
      assert.ok(!text.includes(secret), `the page shows ${secret}`);
      assert.ok(!JSON.stringify(j).includes(secret), `the API shows ${secret}`);
    }
  });

  test('scores are refused before the declaration of no conflict; the page asks for it first', async () => {
    const r = await api.coach.api('PATCH', `/api/v1/applications/${mine.id}/evaluation`, { scores: { innovation: 5 } });
    assert.equal(r.status, 409, r.text);
    const s = await api.coach.api('POST', `/api/v1/applications/${mine.id}/evaluation/submit`, { scores: scoresOf([5, 5, 5, 5, 5, 5]) });
    assert.equal(s.status, 409);
    const f = await web.coach.postForm(`/applications/${mine.id}/evaluation`, [['action', 'save'], ['scores.innovation', '5']]);
    assert.equal(f.status, 409);
    assert.equal(scoreRows(mine.id), 0, 'nothing written');
    const page = await web.coach.get(`/applications/${mine.id}/evaluation`);
    assert.match(page.text, new RegExp(`action="/applications/${mine.id}/evaluation/declare"`));
    assert.ok(!page.text.includes('name="scores.innovation"'), 'no scoring form yet');
    // An unticked box is refused, the ticked one accepted.
    const fields = formFields(page.text, `/applications/${mine.id}/evaluation/declare`);
    const no = await web.coach.postForm(`/applications/${mine.id}/evaluation/declare`, fields.filter(([k]) => k !== 'csrf'));
    assert.equal(no.status, 422);
    assert.match(no.text, /aria-invalid|class="error"/);
    const yes = await web.coach.postForm(`/applications/${mine.id}/evaluation/declare`, tickBox(fields.filter(([k]) => k !== 'csrf'), 'no_conflict'));
    assert.equal(yes.status, 303, yes.text.slice(0, 300));
    const at = sql(`SELECT no_conflict_at FROM evaluation WHERE application_id = ${mine.id} AND evaluator_id = ${uid.coach}`);
    assert.match(at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/, 'stored with its time');
    const again = await web.coach.get(`/applications/${mine.id}/evaluation`);
    assert.ok(again.text.includes('name="scores.innovation"'), 'now the scoring form');
  });

  test('out of range, negative, non-integer and unknown scores are refused with the field named, nothing written', async () => {
    const draft = await api.coach.api('PATCH', `/api/v1/applications/${mine.id}/evaluation`, { scores: { innovation: 4 }, comment: 'premier jet' });
    assert.equal(draft.status, 200, draft.text);
    const before = (await api.coach.api('GET', `/api/v1/applications/${mine.id}/evaluation`)).json();
    assert.equal(before.scores.innovation, 4);
    for (const [scores, field] of [
      [{ innovation: 11 }, 'scores.innovation'],
      [{ gender_equality: -1 }, 'scores.gender_equality'],
      [{ innovation: 7.5 }, 'scores.innovation'],
      [{ innovation: '7' }, 'scores.innovation'],
      [{ beauty: 5 }, 'scores.beauty'],
      [{ innovation: 6, economic_viability: 12 }, 'scores.economic_viability'],
    ]) {
      const r = await api.coach.api('PATCH', `/api/v1/applications/${mine.id}/evaluation`, { scores });
      assert.equal(r.status, 422, `${JSON.stringify(scores)}: ${r.text}`);
      assert.ok(r.json().error.fields[field], `${JSON.stringify(scores)} names ${field}: ${r.text}`);
      const now = (await api.coach.api('GET', `/api/v1/applications/${mine.id}/evaluation`)).json();
      assert.deepEqual([now.scores, now.version, now.comment], [before.scores, before.version, before.comment], 'nothing written');
    }
    const unknownField = await api.coach.api('PATCH', `/api/v1/applications/${mine.id}/evaluation`, { score: { innovation: 5 } });
    assert.equal(unknownField.status, 422);
    // The form: the same refusals, shown next to the field and in the summary.
    const page = await web.coach.get(`/applications/${mine.id}/evaluation`);
    let fields = formFields(page.text, `/applications/${mine.id}/evaluation`).filter(([k]) => k !== 'csrf');
    fields = setField(setField(fields, 'scores.innovation', '11'), 'scores.beauty', '3');
    const r = await web.coach.postForm(`/applications/${mine.id}/evaluation`, [...fields, ['action', 'save']]);
    assert.equal(r.status, 422);
    assert.match(r.text, /id="e-scores\.innovation"/);
    assert.match(r.text, /href="#f-scores\.innovation"/);
    assert.match(r.text, /href="#f-scores\.beauty"/);
    assert.match(r.text, /id="f-scores\.beauty"/);
    assert.match(r.text, /name="scores\.innovation"[^>]*value="11"|value="11"[^>]*name="scores\.innovation"/, 'what was typed is shown again');
    const now = (await api.coach.api('GET', `/api/v1/applications/${mine.id}/evaluation`)).json();
    assert.deepEqual(now.scores, before.scores);
  });

  test('submitting needs every criterion', async () => {
    const five = scoresOf([5, 5, 5, 5, 5, null]);
    const r = await api.coach.api('POST', `/api/v1/applications/${mine.id}/evaluation/submit`, { scores: five });
    assert.equal(r.status, 422, r.text);
    assert.deepEqual(Object.keys(r.json().error.fields), ['scores.national_alignment']);
    const now = (await api.coach.api('GET', `/api/v1/applications/${mine.id}/evaluation`)).json();
    assert.equal(now.state, 'draft');
    assert.equal(now.scores.innovation, 4, 'nothing written');
    const page = await web.coach.get(`/applications/${mine.id}/evaluation`);
    const fields = formFields(page.text, `/applications/${mine.id}/evaluation`).filter(([k]) => k !== 'csrf');
    const f = await web.coach.postForm(`/applications/${mine.id}/evaluation`, [...setField(fields, 'scores.national_alignment', ''), ['action', 'submit']]);
    assert.equal(f.status, 422);
    // Fill every field in the form and submit: read-only afterwards.
    let all = fields;
    KEYS.forEach((k) => (all = setField(all, `scores.${k}`, '6')));
    const ok = await web.coach.postForm(`/applications/${mine.id}/evaluation`, [...all, ['action', 'submit']]);
    assert.equal(ok.status, 303, ok.text.slice(0, 300));
    const after = (await api.coach.api('GET', `/api/v1/applications/${mine.id}/evaluation`)).json();
    assert.equal(after.state, 'submitted');
    assert.equal(after.total, 60);
    const late = await api.coach.api('PATCH', `/api/v1/applications/${mine.id}/evaluation`, { scores: { innovation: 9 } });
    assert.equal(late.status, 409, 'read-only once submitted');
    const view = await web.coach.get(`/applications/${mine.id}/evaluation`);
    assert.ok(!view.text.includes('name="scores.innovation"'), 'no form on a submitted evaluation');
  });

  test('a declared conflict of interest: never scored, not expected', async () => {
    const a = await makeApplication();
    assert.equal((await assign(a.id, ['coach', 'viewer'])).status, 200);
    const c = await api.viewer.api('POST', `/api/v1/applications/${a.id}/evaluation/conflict`, { note: 'Ma cousine en est la présidente.' });
    assert.equal(c.status, 200, c.text);
    assert.equal(c.json().state, 'conflict');
    assert.equal((await api.viewer.api('POST', `/api/v1/applications/${a.id}/evaluation/declare`, { no_conflict: true })).status, 409);
    assert.equal((await api.viewer.api('PATCH', `/api/v1/applications/${a.id}/evaluation`, { scores: { innovation: 5 } })).status, 409);
    await declare(a.id, 'coach');
    await submit(a.id, 'coach', [7, 7, 7, 7, 7, 7]);
    assert.deepEqual(appRow(a.id).status, 'scored', 'the only expected evaluation is in');
    assert.equal(appRow(a.id).total, 7000);
    const v = (await admin.api('GET', `/api/v1/applications/${a.id}/evaluations`)).json();
    assert.equal(v.summary.conflicts, 1);
    assert.equal(v.evaluations[1].conflict_note, 'Ma cousine en est la présidente.');
  });
});

// ---------------------------------------------------------------- totals, status, reopening

describe('the total and the status of the application', () => {
  test('the issue\'s formula on a worked example, three evaluators, rounded to 2 decimals', async () => {
    const a = await makeApplication();
    const sheets = { coach: [9, 7, 8, 6, 10, 5], viewer: [7, 8, 6, 9, 7, 4], officer03: [8, 8, 9, 7, 6, 7] };
    // By hand: Σ w_k S_k = 25*24 + 20*23 + 15*23 + 15*22 + 15*23 + 10*16 = 2240 of 3 × 10 × 100;
    // 100 × 2240 / 3 / 10 / 100 = 74.666... points, 74.67.
    assert.equal(expectedTotal(Object.values(sheets)), 7467);
    assert.equal((await assign(a.id, Object.keys(sheets))).status, 200);
    for (const l of Object.keys(sheets)) await declare(a.id, l);
    const logins = Object.keys(sheets);
    for (let i = 0; i < logins.length; i++) {
      const before = appRow(a.id);
      const j = await submit(a.id, logins[i], sheets[logins[i]]);
      assert.equal(j.total_hundredths, expectedTotal([sheets[logins[i]]]), 'the evaluator\'s own total');
      const now = appRow(a.id);
      if (i < logins.length - 1) {
        assert.deepEqual([now.status, now.total], ['eligible', null], `after ${i + 1} of ${logins.length}`);
        assert.equal(events(a.id).length, 0);
      } else {
        assert.deepEqual([now.status, now.total], ['scored', 7467], 'scored exactly when the last submits');
        assert.equal(now.version, before.version + 1, 'the application\'s version moves');
        assert.deepEqual(events(a.id), [{ from: 'eligible', to: 'scored', reason: 'Every evaluation submitted.', user: uid.officer03 }]);
      }
    }
    const v = (await api.manager.api('GET', `/api/v1/applications/${a.id}/evaluations`)).json();
    assert.equal(v.summary.total, 74.67);
    assert.equal(v.summary.total_hundredths, 7467);
    assert.equal(v.application.total, 74.67);
    assert.equal(v.summary.means.economic_viability, 8);
    assert.equal(v.summary.means.innovation, 7.67);
    for (const e of v.evaluations) assert.equal(e.total_hundredths, expectedTotal([sheets[e.evaluator_login]]), e.evaluator_login);
    // The page writes it in the reader's locale: "74,67" in Arabic and French, "74.67" in English.
    const m = await loggedIn(env.base, 'manager');
    for (const [lang, text] of [['fr', '74,67'], ['en', '74.67'], ['ar', '74,67']]) {
      assert.equal((await m.postForm('/lang', [['lang', lang], ['next', '/']])).status, 303);
      const page = await m.get(`/applications/${a.id}/evaluations`);
      assert.equal(page.status, 200);
      assert.ok(page.text.includes(text), `${lang}: ${text}`);
    }
  });

  test('reopening moves it back to eligible without a total, and submitting again scores it again', async () => {
    const a = await makeApplication();
    assert.equal((await assign(a.id, ['coach', 'viewer'])).status, 200);
    for (const l of ['coach', 'viewer']) await declare(a.id, l);
    await submit(a.id, 'coach', [8, 8, 8, 8, 8, 8]);
    await submit(a.id, 'viewer', [6, 6, 6, 6, 6, 6]);
    assert.deepEqual([appRow(a.id).status, appRow(a.id).total], ['scored', 7000]);
    assert.equal((await api.coach.api('POST', `/api/v1/applications/${a.id}/evaluations/reopen`, { evaluator_id: uid.viewer, reason: 'x' })).status, 403);
    const noReason = await admin.api('POST', `/api/v1/applications/${a.id}/evaluations/reopen`, { evaluator_id: uid.viewer });
    assert.equal(noReason.status, 422);
    assert.ok(noReason.json().error.fields.reason);
    const page = await web.manager.get(`/applications/${a.id}/evaluations`);
    const blank = await web.manager.postForm(`/applications/${a.id}/evaluations/reopen`, [['evaluator_id', String(uid.viewer)], ['reason', '']]);
    assert.equal(blank.status, 422);
    assert.match(blank.text, new RegExp(`href="#f-reason-${uid.viewer}"`));
    assert.ok(page.text.includes(`action="/applications/${a.id}/evaluations/reopen"`));
    const r = await web.manager.postForm(`/applications/${a.id}/evaluations/reopen`, [['evaluator_id', String(uid.viewer)], ['reason', 'Le score du genre est à revoir.']]);
    assert.equal(r.status, 303, r.text.slice(0, 300));
    assert.deepEqual([appRow(a.id).status, appRow(a.id).total], ['eligible', null]);
    assert.deepEqual(events(a.id).map((e) => [e.from, e.to, e.user]), [['eligible', 'scored', uid.viewer], ['scored', 'eligible', uid.manager]]);
    assert.equal(sql(`SELECT reason FROM evaluation_event WHERE application_id = ${a.id} AND action = 'reopened'`), 'Le score du genre est à revoir.', 'audited');
    const again = await admin.api('POST', `/api/v1/applications/${a.id}/evaluations/reopen`, { evaluator_id: uid.viewer, reason: 'encore' });
    assert.equal(again.status, 409, 'a draft is not reopened');
    await submit(a.id, 'viewer', [7, 7, 7, 7, 7, 7]);
    assert.deepEqual([appRow(a.id).status, appRow(a.id).total], ['scored', 7500]);
    // A new evaluator on a scored application: not complete any more.
    assert.equal((await assign(a.id, ['officer03'])).status, 200);
    assert.deepEqual([appRow(a.id).status, appRow(a.id).total], ['eligible', null]);
    const rm = await admin.api('POST', `/api/v1/applications/${a.id}/evaluators/remove`, { evaluator_id: uid.officer03 });
    assert.equal(rm.status, 200);
    assert.deepEqual([appRow(a.id).status, appRow(a.id).total], ['scored', 7500], 'removing the missing evaluator completes it');
  });

  test('the disagreement flag: not at the gap, above it', async () => {
    const a = await makeApplication();
    assert.equal((await assign(a.id, ['coach', 'viewer'])).status, 200);
    for (const l of ['coach', 'viewer']) await declare(a.id, l);
    // 76.50 and 61.50: exactly the call's gap of 15 points apart.
    await submit(a.id, 'coach', [8, 7, 9, 6, 10, 5]);
    await submit(a.id, 'viewer', [8, 7, 9, 6, 0, 5]);
    let v = (await admin.api('GET', `/api/v1/applications/${a.id}/evaluations`)).json();
    assert.deepEqual([v.summary.spread, v.summary.gap, v.summary.disagreement], [15, 15, false]);
    let page = await web.manager.get(`/applications/${a.id}/evaluations`);
    assert.ok(!page.text.includes('id="disagreement"'));
    let ov = (await admin.api('GET', `/api/v1/calls/${call.id}/evaluations?per_page=200`)).json();
    assert.equal(ov.items.find((i) => i.id === a.id).disagreement, false);
    // 60.50: 16 points apart.
    assert.equal((await admin.api('POST', `/api/v1/applications/${a.id}/evaluations/reopen`, { evaluator_id: uid.viewer, reason: 'revoir' })).status, 200);
    await submit(a.id, 'viewer', [8, 7, 9, 6, 0, 4]);
    v = (await admin.api('GET', `/api/v1/applications/${a.id}/evaluations`)).json();
    assert.deepEqual([v.summary.spread, v.summary.disagreement], [16, true]);
    assert.equal(v.summary.total_hundredths, expectedTotal([[8, 7, 9, 6, 10, 5], [8, 7, 9, 6, 0, 4]]));
    page = await web.manager.get(`/applications/${a.id}/evaluations`);
    assert.ok(page.text.includes('id="disagreement"'));
    ov = (await admin.api('GET', `/api/v1/calls/${call.id}/evaluations?per_page=200`)).json();
    const row = ov.items.find((i) => i.id === a.id);
    assert.deepEqual([row.disagreement, row.spread, row.assigned, row.submitted, row.total], [true, 16, 2, 2, 68.5]);
    const html = await web.manager.get(`/calls/${call.id}/evaluations?region=03&status=scored`);
    assert.equal(html.status, 200);
    const m = new RegExp(`<tr id="app-${a.id}">([\\s\\S]*?)</tr>`).exec(html.text);
    assert.ok(m, 'the application is in the filtered overview');
    assert.match(m[1], /badge-ineligible/, 'flagged in the overview');
    const f06 = await web.manager.get(`/calls/${call.id}/evaluations?region=06`);
    assert.ok(!f06.text.includes(`id="app-${a.id}"`), 'filtered out by region');
    assert.equal((await web.manager.get(`/calls/${call.id}/evaluations?status=nope`)).status, 400);
  });
});

// ---------------------------------------------------------------- CSRF and escaping

describe('CSRF and escaping', () => {
  test('every form refuses a request without the CSRF token, changing nothing', async () => {
    const a = await makeApplication();
    assert.equal((await assign(a.id, ['coach'])).status, 200);
    const posts = [
      [web.manager, `/applications/${a.id}/evaluators`, [['evaluator', String(uid.viewer)]]],
      [web.manager, `/applications/${a.id}/evaluators/remove`, [['evaluator_id', String(uid.coach)]]],
      [web.manager, `/calls/${call.id}/evaluators`, [['evaluator', String(uid.viewer)]]],
      [web.coach, `/applications/${a.id}/evaluation/declare`, [['no_conflict', '1']]],
      [web.coach, `/applications/${a.id}/evaluation/conflict`, [['note', '']]],
    ];
    const count = () => sql(`SELECT COUNT(*), IFNULL(MAX(no_conflict_at), ''), IFNULL(MAX(conflict_at), '') FROM evaluation`);
    const before = count();
    for (const [c, p, form] of posts) {
      const r = await c.postForm(p, form, { csrf: false });
      assert.equal(r.status, 403, p);
      const w = await c.postForm(p, form, { csrf: 'ffffffffffffffffffffffffffffffff' });
      assert.equal(w.status, 403, p);
    }
    const j = await web.coach.request(`/api/v1/applications/${a.id}/evaluation/declare`, { method: 'POST', json: { no_conflict: true } });
    assert.equal(j.status, 403, 'a session needs the X-CSRF-Token header');
    assert.equal(count(), before);
  });

  test('a comment with <script>\'"& comes back escaped on the pages, exact in the API', async () => {
    const a = await makeApplication({ summary: XSS });
    assert.equal((await assign(a.id, ['coach'])).status, 200);
    await declare(a.id, 'coach');
    const draft = await api.coach.api('PATCH', `/api/v1/applications/${a.id}/evaluation`, { comment: XSS });
    assert.equal(draft.status, 200);
    let page = await web.coach.get(`/applications/${a.id}/evaluation`);
    assert.ok(!page.text.includes('<script>alert'), 'the draft form');
    assert.ok(htmlDecode(page.text).includes(XSS));
    await submit(a.id, 'coach', [5, 5, 5, 5, 5, 5], XSS);
    for (const [c, p] of [[web.coach, `/applications/${a.id}/evaluation`], [web.manager, `/applications/${a.id}/evaluations`]]) {
      page = await c.get(p);
      assert.equal(page.status, 200, p);
      assert.ok(!page.text.includes('<script>alert'), `${p}: raw script`);
      assert.ok(page.text.includes('&lt;script&gt;'), `${p}: escaped`);
      assert.ok(htmlDecode(page.text).includes(XSS), `${p}: the whole text`);
    }
    const j = (await admin.api('GET', `/api/v1/applications/${a.id}/evaluations`)).json();
    assert.equal(j.evaluations[0].comment, XSS);
    assert.equal(j.application.project_summary, XSS);
  });

  test('without login: pages redirect, the API answers 401', async () => {
    const anon = new Client(env.base);
    const r = await anon.get('/evaluations');
    assert.equal(r.status, 303);
    assert.equal((await anon.get('/api/v1/evaluations')).status, 401);
  });
});
