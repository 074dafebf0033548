// cycle.test.mjs: a whole selection cycle through the JSON API only, with the roles who do each
// step: a program manager sets up a program, a tranche and a call; regional officers enter and
// submit applications for cooperatives of their regions (eligibility evaluated on submission);
// the manager assigns evaluators, who declare no conflict and score; the totals follow the
// issue's formula; the selection fills seats as computed here independently; decision letters
// exist for everyone; a withdrawal promotes the next.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { addDays, addYears, cleanupDirs, coopData, iso, setupServer, today, tokenClient, uniqueWord } from './lib.mjs';

let env;
let manager;
let officer03;
let officer06;
let evaluators; // {coach, viewer}: bearer clients
let call;

const WEIGHTS = { economic_viability: 25, social_responsibility: 20, innovation: 15, territorial_approach: 15, gender_equality: 15, national_alignment: 10 };
const KEYS = Object.keys(WEIGHTS);

/** The formula, exactly: 100 × Σ w_k × mean_k / max_k / Σ w_k, in hundredths, halves up. */
function expectedTotal(scoreSets, max = 10) {
  const wsum = Object.values(WEIGHTS).reduce((a, b) => a + b, 0);
  // Work in integers: numerator over (n × max × wsum).
  const n = scoreSets.length;
  let num = 0;
  for (const k of KEYS) num += WEIGHTS[k] * scoreSets.reduce((s, set) => s + set[k], 0);
  // total (points) = 100 × num / (n × max × wsum); hundredths = 10000 × num / den, halves up.
  const den = n * max * wsum;
  return Math.floor((2 * 10000 * num + den) / (2 * den));
}

before(async () => {
  env = await setupServer();
  const admin = await tokenClient(env.base, env.db, 'admin');
  manager = await tokenClient(env.base, env.db, 'manager');
  officer03 = await tokenClient(env.base, env.db, 'officer03');
  officer06 = await tokenClient(env.base, env.db, 'officer06');
  evaluators = { coach: await tokenClient(env.base, env.db, 'coach'), viewer: await tokenClient(env.base, env.db, 'viewer') };
  void admin;
});

after(async () => {
  if (env && env.server.exited() === null) await env.server.stop();
  cleanupDirs();
});

describe('a selection cycle, step by step', () => {
  const apps = []; // {id, region, key, scores: [set, set]}

  test('a program manager sets up a program, a tranche and an open call', async () => {
    const code = uniqueWord('CY').toUpperCase();
    const p = await manager.api('POST', '/api/v1/programs', { code, name_ar: 'برنامج المواكبة', name_fr: `Programme ${code}`, name_en: 'Program', start_year: 2020, end_year: 2099 });
    assert.equal(p.status, 201, p.text);
    const t = await manager.api('POST', `/api/v1/programs/${p.json().id}/tranches`, { number: 1, start_year: 2020, end_year: 2099 });
    assert.equal(t.status, 201, t.text);
    const now = today();
    const c = await manager.api('POST', '/api/v1/calls', {
      tranche_id: t.json().id, code: `CY-${code}`, title_ar: 'طلب ترشيح', title_fr: 'Appel', title_en: 'Call',
      opens_on: iso(addDays(now, -10)), closes_on: iso(addDays(now, 60)), reference_date: iso(now),
      min_score: 50, national_pool: true, seats: { '03': 2, '06': 1 },
    });
    assert.equal(c.status, 201, c.text);
    call = c.json();
    assert.equal(call.phase, 'open');
  });

  test('regional officers enter and submit applications of their regions; eligibility is decided on submission', async () => {
    const now = today();
    const young = iso(addYears(now, -2));
    const started = iso(addDays(addYears(now, -2), 30));
    // Scores of the two evaluators for each application: distinct totals, computed below.
    const plan = [
      ['03', 'a', 9, 8], ['03', 'b', 8, 8], ['03', 'c', 7, 7], ['03', 'd', 3, 4],
      ['06', 'e', 9, 9], ['06', 'f', 6, 7],
    ];
    for (const [region, key, s1, s2] of plan) {
      const co = await manager.api('POST', '/api/v1/cooperatives', coopData({ region_code: region, legal_date: young, activity_start_date: started }));
      assert.equal(co.status, 201, co.text);
      const officer = region === '03' ? officer03 : officer06;
      const a = await officer.api('POST', '/api/v1/applications', { call_id: call.id, cooperative_id: co.json().id, project_summary: `Projet ${key}` });
      assert.equal(a.status, 201, a.text);
      const s = await officer.api('POST', `/api/v1/applications/${a.json().id}/submit`, {});
      assert.equal(s.status, 200, s.text);
      assert.equal(s.json().status, 'eligible', `${key}: ${s.text}`);
      const set = (v) => Object.fromEntries(KEYS.map((k) => [k, v]));
      apps.push({ id: a.json().id, region, key, scores: [set(s1), set(s2)] });
    }
    // Too old: legal age five years on the reference date.
    const old = await manager.api('POST', '/api/v1/cooperatives', coopData({ region_code: '03', legal_date: iso(addYears(now, -5)), activity_start_date: iso(addYears(now, -5)) }));
    const a = await officer03.api('POST', '/api/v1/applications', { call_id: call.id, cooperative_id: old.json().id, project_summary: 'Trop ancienne' });
    assert.equal(a.status, 201, a.text);
    const s = await officer03.api('POST', `/api/v1/applications/${a.json().id}/submit`, {});
    assert.equal(s.json().status, 'ineligible');
    apps.push({ id: a.json().id, region: '03', key: 'old', ineligible: true });
    // An officer cannot enter one for another region.
    const other = await manager.api('POST', '/api/v1/cooperatives', coopData({ region_code: '06' }));
    const refused = await officer03.api('POST', '/api/v1/applications', { call_id: call.id, cooperative_id: other.json().id, project_summary: 'x' });
    assert.ok(refused.status >= 400, refused.text);
  });

  test('evaluators declare no conflict, score, and the totals follow the formula', async () => {
    const users = (await manager.api('GET', '/api/v1/evaluators')).json().items;
    const uid = Object.fromEntries(users.map((u) => [u.login, u.id]));
    for (const app of apps.filter((x) => !x.ineligible)) {
      const as = await manager.api('POST', `/api/v1/applications/${app.id}/evaluators`, { evaluator_ids: [uid.coach, uid.viewer] });
      assert.equal(as.status, 200, as.text);
      const early = await evaluators.coach.api('PATCH', `/api/v1/applications/${app.id}/evaluation`, { scores: { innovation: 5 } });
      assert.equal(early.status, 409, 'no score before the declaration');
      for (const [i, who] of ['coach', 'viewer'].entries()) {
        const c = evaluators[who];
        assert.equal((await c.api('POST', `/api/v1/applications/${app.id}/evaluation/declare`, { no_conflict: true })).status, 200);
        const sub = await c.api('POST', `/api/v1/applications/${app.id}/evaluation/submit`, { scores: app.scores[i] });
        assert.equal(sub.status, 200, sub.text);
      }
      const view = (await manager.api('GET', `/api/v1/applications/${app.id}/evaluations`)).json();
      assert.equal(view.summary.complete, true);
      app.total = expectedTotal(app.scores);
      assert.equal(view.summary.total_hundredths, app.total, `${app.key}: total`);
      assert.equal(view.application.status, 'scored');
    }
  });

  test('once scored, the call\'s grid keeps its weights and maxima (labels may change)', async () => {
    const c = (await manager.api('GET', `/api/v1/calls/${call.id}`)).json();
    const heavier = c.criteria.map((k, i) => (i === 0 ? { ...k, weight: k.weight + 5 } : k));
    const r = await manager.api('PATCH', `/api/v1/calls/${call.id}`, { criteria: heavier, version: c.version });
    assert.equal(r.status, 409, r.text);
    assert.ok('criteria' in r.json().error.fields);
    const relabelled = c.criteria.map((k, i) => (i === 0 ? { ...k, label_en: 'Viability of the project' } : k));
    const ok = await manager.api('PATCH', `/api/v1/calls/${call.id}`, { criteria: relabelled, version: c.version });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.json().criteria[0].label_en, 'Viability of the project');
  });

  test('the selection fills the seats as the rules say, computed here independently', async () => {
    const r = await manager.api('POST', `/api/v1/calls/${call.id}/selection`, {});
    assert.equal(r.status, 201, r.text);
    const out = Object.fromEntries(r.json().outcomes.map((o) => [o.application_id, o]));
    // Rank by total; each region's seats to its best at or above 50; none left for the pool
    // (03: 2 seats, 06: 1 seat, no empty seat); the rest at or above 50 waitlisted; below rejected.
    const ranked = apps.filter((a) => !a.ineligible).sort((x, y) => y.total - x.total);
    const seats = { '03': 2, '06': 1 };
    const want = {};
    for (const a of ranked) {
      if (a.total < 5000) want[a.id] = 'rejected_below_minimum';
      else if (seats[a.region] > 0) {
        seats[a.region]--;
        want[a.id] = 'selected_regional';
      } else want[a.id] = 'waitlisted';
    }
    for (const a of ranked) {
      assert.equal(out[a.id].status, want[a.id], `${a.key}`);
      assert.equal(out[a.id].total, a.total, `${a.key}: total`);
      assert.equal(out[a.id].rank, ranked.indexOf(a) + 1, `${a.key}: rank`);
    }
    const old = apps.find((a) => a.ineligible);
    assert.equal(out[old.id].status, 'not_ranked_ineligible');
    for (const a of apps) {
      for (const lang of ['ar', 'fr']) {
        const l = await manager.request(`/applications/${a.id}/letter?lang=${lang}`);
        assert.equal(l.status, 200, `${a.key}: letter in ${lang}`);
      }
    }
    // A withdrawal gives its seat to the next of its region.
    const c03 = ranked.filter((a) => a.region === '03');
    const w = await officer03.api('POST', `/api/v1/applications/${c03[0].id}/withdraw`, { reason: 'declined' });
    assert.equal(w.status, 200, w.text);
    const after = Object.fromEntries((await manager.api('GET', `/api/v1/calls/${call.id}/selection`)).json().outcomes.map((o) => [o.application_id, o]));
    assert.equal(after[c03[2].id].status, 'selected_regional', 'the third of region 03 takes the seat');
    assert.equal(after[c03[2].id].reason, 'promoted_regional');
  });
});

describe('the demo call, under way', () => {
  test('has applications entered by officers and the admin, evaluated and mostly scored', async () => {
    const calls = (await manager.api('GET', '/api/v1/calls')).json().items;
    const demo = calls.find((c) => c.code === 'MRF-T4-2026');
    assert.ok(demo, 'the demo call exists');
    const list = async (qs) => (await manager.api('GET', `/api/v1/applications?call=${demo.id}&per_page=1&${qs}`)).json().total;
    const scored = await list('status=scored');
    const eligible = await list('status=eligible');
    const ineligible = await list('status=ineligible');
    assert.ok(scored > 100, `${scored} scored`);
    assert.ok(eligible > 0 && eligible < scored / 4, `${eligible} waiting for an evaluation`);
    assert.ok(ineligible > 0, `${ineligible} found ineligible on submission`);
    const mine = (await officer03.api('GET', `/api/v1/applications?call=${demo.id}&per_page=200`)).json();
    assert.ok(mine.total > 0 && mine.items.every((a) => a.region_code === '03'), 'the officer sees those of region 03');
    const ev = await tokenClient(env.base, env.db, 'evaluator1');
    const todo = (await ev.api('GET', '/api/v1/evaluations?per_page=1')).json();
    assert.ok(todo.total >= scored, `evaluator1 has ${todo.total} evaluations`);
  });

  test('a manager can run its selection, after the draws its ties need', async () => {
    const demo = (await manager.api('GET', '/api/v1/calls')).json().items.find((c) => c.code === 'MRF-T4-2026');
    let r = await manager.api('POST', `/api/v1/calls/${demo.id}/selection`, { confirm_unscored: true });
    for (let round = 0; r.status === 409 && round < 3; round++) {
      assert.equal(r.json().error.code, 'needs_draw', r.text);
      for (const id of r.json().error.draws) {
        const d = (await manager.api('GET', `/api/v1/draws/${id}`)).json();
        assert.equal((await manager.api('POST', `/api/v1/draws/${id}/publish`, { version: d.version })).status, 200);
        assert.equal((await manager.api('POST', `/api/v1/draws/${id}/result`, { sources: '12 34 56\n7 8\n' })).status, 200);
      }
      r = await manager.api('POST', `/api/v1/calls/${demo.id}/selection`, { confirm_unscored: true });
    }
    assert.equal(r.status, 201, r.text);
    const run = r.json();
    const selected = run.outcomes.filter((o) => o.status.startsWith('selected')).length;
    assert.ok(selected > 0, `${selected} selected`);
    assert.equal((await manager.api('GET', `/api/v1/selection-runs/${run.id}`)).json().replay_identical, true);
  });
});
