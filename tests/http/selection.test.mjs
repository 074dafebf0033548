// selection.test.mjs: a call's selection run end to end: ranking, a tie broken by a publicly
// verifiable draw (checked against `murafiq draw`), regional seats, the national pool, the
// waitlist, the minimum score; statuses and events; the replay check (and its failure when the
// record is tampered with); the dashboard; the decision letters and their region scope.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { cleanupDirs, coopData, htmlDecode, loggedIn, run, setupServer, tempDir, tokenClient, uniqueWord } from './lib.mjs';

let env;
let admin; // bearer
let manager; // session
let officer; // session, region 03
let call;
const apps = {}; // letter -> application id

const sql = (q) => execFileSync('sqlite3', [env.db, q], { encoding: 'utf8' }).trim();

before(async () => {
  env = await setupServer();
  admin = await tokenClient(env.base, env.db, 'admin');
  [manager, officer] = await Promise.all(['manager', 'officer03'].map((u) => loggedIn(env.base, u)));
  const code = uniqueWord('S').toUpperCase();
  const p = await admin.api('POST', '/api/v1/programs', { code, name_ar: 'برنامج', name_fr: `Programme ${code}`, name_en: 'Program', start_year: 2024, end_year: 2027 });
  assert.equal(p.status, 201, p.text);
  const t = await admin.api('POST', `/api/v1/programs/${p.json().id}/tranches`, { number: 1, start_year: 2026, end_year: 2027 });
  assert.equal(t.status, 201, t.text);
  const c = await admin.api('POST', '/api/v1/calls', {
    tranche_id: t.json().id, code: `SEL-${code}`, title_ar: 'طلب ترشيح للاختبار', title_fr: `Appel ${code}`, title_en: `Call ${code}`,
    opens_on: '2026-01-01', closes_on: '2026-12-31', reference_date: '2026-12-31', min_score: 60, national_pool: true,
    seats: { '03': 1, '06': 1, '12': 1 },
  });
  assert.equal(c.status, 201, c.text);
  call = c.json();
  // Applications: region, status, total (hundredths), submission time.
  const plan = {
    A: ['03', 'scored', 9000, '2026-02-01T10:00:00Z'],
    B: ['03', 'scored', 8500, '2026-02-02T10:00:00Z'],
    C: ['03', 'scored', 5000, '2026-02-03T10:00:00Z'],
    D: ['06', 'scored', 8800, '2026-02-04T10:00:00Z'],
    I: ['06', 'scored', 8800, '2026-02-04T10:00:00Z'],
    E: ['06', 'scored', 7000, '2026-02-05T10:00:00Z'],
    F: ['01', 'scored', 8000, '2026-02-06T10:00:00Z'],
    G: ['01', 'ineligible', null, '2026-02-07T10:00:00Z'],
    H: ['01', 'eligible', null, '2026-02-08T10:00:00Z'],
  };
  for (const [k, [region, status, total, at]] of Object.entries(plan)) {
    const r = await admin.api('POST', '/api/v1/cooperatives', coopData({ region_code: region, legal_date: '2023-05-01', activity_start_date: '2023-06-01', members_total: 12, members_women: 6 }));
    assert.equal(r.status, 201, r.text);
    const co = r.json();
    const snap = JSON.stringify({ legal_date: co.legal_date, activity_start_date: co.activity_start_date, region_code: region, province_code: co.province_code, sector: co.sector, members_total: 12, members_women: 6, is_soulalyate: false, is_women_only: false, status: 'active', already_accompanied: false }).replace(/'/g, "''");
    apps[k] = Number(sql(`INSERT INTO application (call_id, cooperative_id, region_code, status, project_summary, submitted_at, rules_version, eligibility_input, total, created_at, updated_at) VALUES (${call.id}, ${co.id}, '${region}', '${status}', 'projet ${k}', '${at}', 1, '${snap}', ${total === null ? 'NULL' : total}, '2026-01-10T00:00:00Z', '2026-01-10T00:00:00Z') RETURNING id`));
  }
});

after(async () => {
  if (env && env.server.exited() === null) await env.server.stop();
  cleanupDirs();
});

const statusOf = (id) => sql(`SELECT status FROM application WHERE id = ${id}`);

describe('a selection run', () => {
  let tieDraw;
  let winner;
  let loser;

  test('does not run while eligible applications are unscored, unless told to', async () => {
    const r = await manager.api('POST', `/api/v1/calls/${call.id}/selection`, {});
    assert.equal(r.status, 422, r.text);
    assert.ok('confirm_unscored' in r.json().error.fields);
    assert.equal(sql(`SELECT COUNT(*) FROM selection_run WHERE call_id = ${call.id}`), '0');
  });

  test('a tie on every rule waits for a publicly verifiable draw', async () => {
    const r = await manager.api('POST', `/api/v1/calls/${call.id}/selection`, { confirm_unscored: true });
    assert.equal(r.status, 409, r.text);
    const j = r.json();
    assert.equal(j.error.code, 'needs_draw');
    assert.equal(j.error.draws.length, 1);
    tieDraw = j.error.draws[0];
    const d = (await admin.api('GET', `/api/v1/draws/${tieDraw}`)).json();
    assert.equal(d.status, 'draft');
    const ids = [apps.D, apps.I].sort((x, y) => x - y);
    assert.deepEqual(d.pool.map((e) => Number(e.split(' ')[0])), ids, 'the pool is the group in id order');
    // Running again does not make a second draw for the same group.
    const again = await manager.api('POST', `/api/v1/calls/${call.id}/selection`, { confirm_unscored: true });
    assert.equal(again.status, 409);
    assert.deepEqual(again.json().error.draws, [tieDraw]);
    assert.equal(sql(`SELECT COUNT(*) FROM selection_run WHERE call_id = ${call.id}`), '0', 'nothing recorded');
    // Publish, then enter the announced sources; the order is the RFC 3797 one.
    const pub = await admin.api('POST', `/api/v1/draws/${tieDraw}/publish`, { version: d.version });
    assert.equal(pub.status, 200, pub.text);
    const sources = '9319\n2 5 12 8 10\n';
    const res = await admin.api('POST', `/api/v1/draws/${tieDraw}/result`, { sources });
    assert.equal(res.status, 200, res.text);
    const dir = tempDir('murafiq-sel-');
    fs.writeFileSync(path.join(dir, 'pool.txt'), d.pool.join('\n') + '\n');
    fs.writeFileSync(path.join(dir, 'sources.txt'), sources);
    const cli = await run(['draw', '--pool', path.join(dir, 'pool.txt'), '--sources', path.join(dir, 'sources.txt'), '--select', '2']);
    assert.equal(cli.code, 0, cli.stderr);
    const firstPos = Number(cli.stdout.split('\n')[0].split('\t')[1]);
    winner = ids[firstPos - 1];
    loser = ids[2 - firstPos];
  });

  test('then ranks, seats, pools and waitlists exactly as the rules say', async () => {
    const r = await manager.api('POST', `/api/v1/calls/${call.id}/selection`, { confirm_unscored: true });
    assert.equal(r.status, 201, r.text);
    const run1 = r.json();
    assert.equal(run1.number, 1);
    const by = Object.fromEntries(run1.outcomes.map((o) => [o.application_id, o]));
    const expect = [
      [apps.A, 'selected_regional', 'regional_seat', 1],
      [winner, 'selected_regional', 'regional_seat', 2],
      [loser, 'selected_national', 'national_pool', 3],
      [apps.B, 'waitlisted', 'seats_full', 4],
      [apps.F, 'waitlisted', 'seats_full', 5],
      [apps.E, 'waitlisted', 'seats_full', 6],
      [apps.C, 'rejected_below_minimum', 'below_minimum', 7],
      [apps.G, 'not_ranked_ineligible', 'ineligible', 0],
      [apps.H, 'not_ranked_unscored', 'not_fully_scored', 0],
    ];
    for (const [id, status, reason, rank] of expect) {
      assert.equal(by[id].status, status, `application ${id}`);
      assert.equal(by[id].reason, reason, `application ${id}`);
      assert.equal(by[id].rank, rank, `application ${id}`);
    }
    assert.equal(by[loser].separated_by, 'draw', 'the draw separates the tied pair');
    assert.deepEqual([by[apps.B].waitlist, by[apps.F].waitlist, by[apps.E].waitlist], [1, 2, 3]);
    assert.equal(by[apps.B].region_waitlist, 1);
    assert.equal(run1.national_seats, 1);
    assert.equal(run1.national_filled, 1);
    // The applications took their statuses, each change with an event naming the run.
    assert.equal(statusOf(apps.A), 'selected');
    assert.equal(statusOf(loser), 'selected');
    assert.equal(statusOf(apps.B), 'waitlisted');
    assert.equal(statusOf(apps.C), 'rejected');
    assert.equal(statusOf(apps.G), 'ineligible');
    assert.equal(statusOf(apps.H), 'eligible');
    assert.match(sql(`SELECT reason FROM application_event WHERE application_id = ${apps.A} AND to_status = 'selected'`), /selection run 1/);
    // The program now accompanies the selected cooperatives.
    assert.equal(sql(`SELECT COUNT(*) FROM program_cooperative WHERE program_id = ${call.program_id} AND source = 'selection'`), '3');
  });

  test('a recorded run replays to the same result; a tampered record does not', async () => {
    const cur = (await manager.api('GET', `/api/v1/calls/${call.id}/selection`)).json();
    const r = await admin.api('GET', `/api/v1/selection-runs/${cur.id}`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json().replay_identical, true);
    assert.equal(r.json().input.candidates.length, 9);
    const page = await manager.get(`/calls/${call.id}/selection/replay`);
    assert.equal(page.status, 200);
    assert.match(page.text, /verdict ok/);
    const saved = sql(`SELECT result FROM selection_run WHERE id = ${cur.id}`);
    sql(`UPDATE selection_run SET result = replace(result, '"rank":1,', '"rank":9,') WHERE id = ${cur.id}`);
    assert.equal((await admin.api('GET', `/api/v1/selection-runs/${cur.id}`)).json().replay_identical, false);
    assert.match((await manager.get(`/calls/${call.id}/selection/replay`)).text, /verdict ko/);
    sql(`UPDATE selection_run SET result = '${saved.replace(/'/g, "''")}' WHERE id = ${cur.id}`);
    assert.equal((await admin.api('GET', `/api/v1/selection-runs/${cur.id}`)).json().replay_identical, true);
  });

  test('running again records run 2 and keeps run 1', async () => {
    const r = await manager.api('POST', `/api/v1/calls/${call.id}/selection`, { confirm_unscored: true });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json().number, 2);
    assert.equal(sql(`SELECT COUNT(*) FROM selection_run WHERE call_id = ${call.id}`), '2');
    assert.equal(sql(`SELECT COUNT(*) FROM selection_run WHERE call_id = ${call.id} AND is_current = 1`), '1');
    assert.equal(sql(`SELECT COUNT(*) FROM program_cooperative WHERE program_id = ${call.program_id} AND source = 'selection'`), '3');
  });

  test('only program managers run it; the run page and form answer as the API', async () => {
    const r = await officer.api('POST', `/api/v1/calls/${call.id}/selection`, { confirm_unscored: true });
    assert.equal(r.status, 403);
    const page = await manager.get(`/calls/${call.id}/selection`);
    assert.equal(page.status, 200);
    assert.match(page.text, /<svg class="bar2"/);
    const form = await manager.postForm(`/calls/${call.id}/selection`, [['confirm_unscored', '0']]);
    assert.equal(form.status, 422, 'the box is not ticked');
    const ok = await manager.postForm(`/calls/${call.id}/selection`, [['confirm_unscored', '0'], ['confirm_unscored', '1']]);
    assert.equal(ok.status, 303);
    const csrf = await manager.postForm(`/calls/${call.id}/selection`, [['confirm_unscored', '1']], { csrf: 'wrong' });
    assert.equal(csrf.status, 403);
  });
});

describe('withdrawals after the run', () => {
  const outcomes = async () => Object.fromEntries((await manager.api('GET', `/api/v1/calls/${call.id}/selection`)).json().outcomes.map((o) => [o.application_id, o]));
  const withdraw = async (id) => {
    const r = await manager.api('POST', `/api/v1/applications/${id}/withdraw`, { reason: 'the cooperative declined' });
    assert.equal(r.status, 200, r.text);
  };

  test('a withdrawn seat goes to the next on its region\'s waitlist, then the national one', async () => {
    const before = await outcomes();
    const winner06 = Object.values(before).find((o) => o.region_code === '06' && o.status === 'selected_regional').application_id;
    const national = Object.values(before).find((o) => o.status === 'selected_national').application_id;
    await withdraw(apps.A);
    let o = await outcomes();
    assert.equal(o[apps.A].status, 'withdrawn');
    assert.equal(o[apps.B].status, 'selected_regional', 'B was first on the 03 waitlist');
    assert.equal(o[apps.B].reason, 'promoted_regional');
    assert.equal(statusOf(apps.B), 'selected');
    assert.match(sql(`SELECT reason FROM application_event WHERE application_id = ${apps.B} ORDER BY id DESC LIMIT 1`), /promoted_regional/);
    assert.deepEqual([o[apps.F].waitlist, o[apps.E].waitlist], [1, 2], 'the waitlist moved up');
    await withdraw(winner06);
    o = await outcomes();
    assert.equal(o[apps.E].status, 'selected_regional', 'E was first on the 06 waitlist');
    await withdraw(national);
    o = await outcomes();
    assert.equal(o[apps.F].status, 'selected_national', 'F was first on the national waitlist');
    assert.equal(o[apps.F].reason, 'promoted_national');
    assert.equal(statusOf(apps.F), 'selected');
    assert.equal(statusOf(apps.C), 'rejected', 'below the minimum: never promoted');
    // The program accompanies exactly the selected cooperatives of the call.
    assert.equal(sql(`SELECT COUNT(*) FROM program_cooperative WHERE program_id = ${call.program_id} AND source = 'selection'`), '3');
    // And the record still replays: the run plus the withdrawals, in order.
    const cur = (await manager.api('GET', `/api/v1/calls/${call.id}/selection`)).json();
    assert.equal((await admin.api('GET', `/api/v1/selection-runs/${cur.id}`)).json().replay_identical, true);
  });
});

describe('what the run gives people to read', () => {
  test('the dashboard counts applications by region and status within scope', async () => {
    const all = await manager.get(`/calls/${call.id}/dashboard`);
    assert.equal(all.status, 200);
    const mine = await officer.get(`/calls/${call.id}/dashboard`);
    assert.equal(mine.status, 200);
    // The rows of the first table (applications by region and status): region, 8 statuses, total.
    const rows = (html) => {
      const body = html.split('<tbody>')[1].split('</tbody>')[0];
      return [...body.matchAll(/<tr><th scope="row">([^<]*)<\/th>((?:<td>[^<]*<\/td>)+)<\/tr>/g)].map((m) => [htmlDecode(m[1]), [...m[2].matchAll(/<td>([^<]*)<\/td>/g)].map((x) => Number(x[1].replace(/[^0-9]/g, '')))]);
    };
    const managerRows = rows(all.text);
    assert.equal(managerRows.length, 3, 'regions 01, 03 and 06');
    assert.equal(managerRows.reduce((n, [, cells]) => n + cells[8], 0), 9, 'nine applications in all');
    const officerRows = rows(mine.text);
    assert.equal(officerRows.length, 1, 'only region 03 for its officer');
    assert.equal(officerRows[0][1][8], 3, 'A, B and C');
    // Region 03 after A withdrew and B took its seat (columns: drafts, eligible, ineligible,
    // scored, selected, waitlisted, rejected, withdrawn): B selected, C rejected, A withdrawn.
    assert.deepEqual(officerRows[0][1].slice(4, 8), [1, 0, 1, 1]);
  });

  test('decision letters in Arabic and French, with the score and rank, within scope', async () => {
    const ar = await manager.get(`/applications/${apps.A}/letter`);
    assert.equal(ar.status, 200);
    assert.match(ar.text, /<html lang="ar" dir="rtl">/);
    assert.match(ar.text, /90/);
    const fr = await manager.get(`/applications/${apps.B}/letter?lang=fr`);
    assert.equal(fr.status, 200);
    assert.match(fr.text, /<html lang="fr" dir="ltr">/);
    assert.match(htmlDecode(fr.text), /85/);
    const rejected = await manager.get(`/applications/${apps.C}/letter?lang=fr`);
    assert.equal(rejected.status, 200);
    assert.ok(htmlDecode(rejected.text).includes('50'));
    assert.equal((await manager.get(`/applications/${apps.A}/letter?lang=xx`)).status, 400);
    assert.equal((await officer.get(`/applications/${apps.A}/letter`)).status, 200, 'region 03 is the officer\'s');
    assert.equal((await officer.get(`/applications/${apps.D}/letter`)).status, 404, 'region 06 is not');
    assert.equal((await manager.get('/applications/99999999/letter')).status, 404);
  });
});
