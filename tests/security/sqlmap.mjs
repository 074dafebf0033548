// sqlmap.mjs: runs Debian's sqlmap against every parameter of every route of a running test
// server, logged in, and fails when sqlmap finds any injectable parameter. Run it with
// `make sqlmap` (tests/security/sqlmap.sh).
//
// 1. The parameter list (sqlmap-params.mjs) is checked against the route table (every route has
//    an entry), against the code (what each handler reads, params-derive.mjs) and against the
//    forms the pages render: a parameter missing from the list fails the run.
// 2. A fresh demo database; the server on a loopback port; an admin session (cookie and CSRF
//    token) for the pages and a bearer token (`murafiq token create`) for the API; one record
//    of each kind for the routes with an {id}.
// 3. A positive control first: a small deliberately injectable server, which sqlmap must find
//    injectable with the same options, so that a broken run cannot pass silently.
// 4. One sqlmap process per route (a small pool): GET query parameters, form fields, JSON
//    fields, with `--technique=BEU --level=2 --risk=1 --dbms=SQLite`; each listed parameter must
//    appear in sqlmap's log as tested, and none may be reported injectable.
//
// Environment: MURAFIQ_BIN (default build/murafiq), SQLMAP_JOBS (parallel sqlmap processes,
// default 3), SQLMAP_BUDGET (seconds for the whole run, default 480), SQLMAP_ONLY (a regular
// expression: only the routes whose key matches, for debugging; the list checks still run).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  Client,
  ROOT,
  cleanupDirs,
  communeOf,
  coopData,
  freePort,
  login,
  makeDemoDb,
  orgData,
  parseRoutes,
  personData,
  provinceOf,
  runOk,
  startServer,
  tempDir,
  tokenClient,
  uniqueWord,
} from '../http/lib.mjs';
import { derive, indexSource } from './params-derive.mjs';
import { NOT_PARAMS, PARAMS } from './sqlmap-params.mjs';

const JOBS = Number(process.env.SQLMAP_JOBS || 3);
const BUDGET_S = Number(process.env.SQLMAP_BUDGET || 480);
const ONLY = process.env.SQLMAP_ONLY ? new RegExp(process.env.SQLMAP_ONLY) : null;
const SQLMAP_OPTS = ['--batch', '--technique=BEU', '--level=2', '--risk=1', '--dbms=SQLite', '--threads=2', '--flush-session', '--disable-coloring', '--timeout=20', '--retries=1', '--skip-waf', '--ignore-code=401,404'];
const started = Date.now();
const elapsed = () => ((Date.now() - started) / 1000).toFixed(0);
const log = (...a) => console.log(`[sqlmap ${elapsed()}s]`, ...a);
const problems = [];

// ---------------------------------------------------------------- 1. the parameter list

const ROUTES = parseRoutes();
const ignored = new Set(['csrf', ...NOT_PARAMS]);
/** A name with its list indexes as '#': one example of each repeated field is tested
 * ("criteria[0].key" stands for every criterion's key, "seats.03" for every region's seats). */
const norm = (n) => n.replace(/\[\d+\]/g, '[#]').replace(/\.\d+(?=\.|$)/g, '.#');
/** A name is listed when it is in the list (up to its indexes), or a dotted or indexed name of
 * the list has it as a part (the rules editor reads "legal_age.min" as kind "legal_age" and
 * field "min"). */
const listed = (key, name) => (PARAMS[key] || []).some((n) => norm(n) === norm(name) || n.split(/[.[\]]+/).includes(name));

function checkList() {
  const index = indexSource(ROOT);
  for (const r of ROUTES) {
    if (!(r.key in PARAMS)) {
      problems.push(`${r.key}: not in tests/security/sqlmap-params.mjs: add its parameters (or [] if it reads none)`);
      continue;
    }
    const missing = derive(index, r.handler).filter((n) => !ignored.has(n) && !listed(r.key, n));
    if (missing.length) problems.push(`${r.key}: ${r.handler} reads ${missing.join(', ')}, missing from sqlmap-params.mjs`);
  }
  for (const k of Object.keys(PARAMS)) if (!ROUTES.some((r) => r.key === k)) problems.push(`sqlmap-params.mjs names ${k}, which routes.c does not have`);
}

/** The route a form's action and method go to. */
function routeOf(method, action) {
  const p = action.split('?')[0];
  return ROUTES.find((r) => r.method === method && new RegExp(`^${r.pattern.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace('\\{id\\}', '{id}').replace('{id}', '\\d+')}$`).test(p));
}

/** Every form of every page the admin can read: its fields must be listed for its route. */
async function checkForms(client, pathOf) {
  let forms = 0;
  for (const r of ROUTES.filter((x) => x.method === 'GET' && !x.api)) {
    const res = await client.get(pathOf(r));
    if (!/^text\/html/.test(res.headers.get('content-type') || '')) continue;
    for (const m of res.text.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)) {
      const action = /\baction="([^"]*)"/.exec(m[1])?.[1] ?? pathOf(r);
      const method = (/\bmethod="([^"]*)"/.exec(m[1])?.[1] || 'get').toUpperCase();
      const target = routeOf(method, action.replace(/&amp;/g, '&'));
      if (!target) {
        problems.push(`${r.key}: a form to ${method} ${action} matches no route`);
        continue;
      }
      forms++;
      for (const f of m[2].matchAll(/<(?:input|select|textarea|button)\b[^>]*\bname="([^"]*)"/g)) {
        const name = f[1].replace(/&amp;/g, '&');
        if (!ignored.has(name) && !listed(target.key, name)) problems.push(`${target.key}: the form on ${r.key} sends ${name}, missing from sqlmap-params.mjs`);
      }
    }
  }
  return forms;
}

// ---------------------------------------------------------------- 2. the server and records

let env;
const ids = {};

async function setup() {
  const dir = tempDir('murafiq-sqlmap-');
  const db = await makeDemoDb(dir);
  // Login attempts with payloads are failures: throttling must not hide the handler.
  const server = await startServer(db, { threads: 4, env: { MURAFIQ_THROTTLE_SCALE: '0.001' } });
  env = { dir, db, server, base: server.base };
  const admin = await tokenClient(env.base, db, 'admin');
  const mk = async (p, data, c = admin) => {
    const r = await c.api('POST', p, data);
    if (r.status !== 201) throw new Error(`${p}: ${r.status} ${r.text.slice(0, 300)}`);
    return r.json();
  };
  const coop = await mk('/api/v1/cooperatives', coopData({ region_code: '03', legal_date: '2023-05-10', activity_start_date: '2023-09-01' }));
  const person = await mk('/api/v1/people', personData({ region_code: '03' }));
  const org = await mk('/api/v1/organisations', orgData());
  const program = await mk('/api/v1/programs', { code: uniqueWord('pg').toUpperCase(), name_ar: 'برنامج', name_fr: 'Programme', name_en: 'Program', start_year: 2023, end_year: 2026, target_total: 200, target_per_year: 100, operator_id: org.id });
  const tranche = await mk(`/api/v1/programs/${program.id}/tranches`, { number: 1, start_year: 2025, end_year: 2026, target_total: 100 });
  const callData = () => {
    const w = uniqueWord('cl').toUpperCase();
    return { tranche_id: tranche.id, code: `C-${w}`, title_ar: `طلب ${w}`, title_fr: `Appel ${w}`, title_en: `Call ${w}`, opens_on: '2026-01-15', closes_on: '2099-12-31', reference_date: '2026-03-15', min_score: 60 };
  };
  const call = await mk('/api/v1/calls', callData());
  await runOk(['user', 'add', '--db', db, '--login', 'sqlentry', '--role', 'program_manager', '--password-stdin'], { input: 'sqlmap-entry-password-2026\n' });
  const entry = await tokenClient(env.base, db, 'sqlentry');
  const app = await mk('/api/v1/applications', { call_id: call.id, cooperative_id: coop.id, project_summary: 'Projet' }, entry);
  if ((await entry.api('POST', `/api/v1/applications/${app.id}/submit`)).status !== 200) throw new Error('submit');
  const users = (await admin.api('GET', '/api/v1/evaluators')).json().items;
  const uid = Object.fromEntries(users.map((u) => [u.login, u.id]));
  // Evaluators: admin (declared, to score), coach (submitted, to reopen), viewer and evaluator1
  // (to remove, one by the page and one by the API).
  if ((await admin.api('POST', `/api/v1/applications/${app.id}/evaluators`, { evaluator_ids: [uid.admin, uid.coach, uid.viewer, uid.evaluator1] })).status !== 200) throw new Error('assign');
  if ((await admin.api('POST', `/api/v1/applications/${app.id}/evaluation/declare`, { no_conflict: true })).status !== 200) throw new Error('declare');
  const coach = await tokenClient(env.base, db, 'coach');
  if ((await coach.api('POST', `/api/v1/applications/${app.id}/evaluation/declare`, { no_conflict: true })).status !== 200) throw new Error('declare');
  const six = { economic_viability: 8, social_responsibility: 7, innovation: 9, territorial_approach: 6, gender_equality: 10, national_alignment: 5 };
  const sub = await coach.api('POST', `/api/v1/applications/${app.id}/evaluation/submit`, { scores: six, comment: 'Bon projet' });
  if (sub.status !== 200) throw new Error(`submit: ${sub.text}`);
  const ran = await mk('/api/v1/calls', callData());
  const app2 = await mk('/api/v1/applications', { call_id: ran.id, cooperative_id: coop.id, project_summary: 'Projet' }, entry);
  await entry.api('POST', `/api/v1/applications/${app2.id}/submit`);
  const run = await mk(`/api/v1/calls/${ran.id}/selection`, { confirm_unscored: true });
  const draw = await mk('/api/v1/draws', { title: 'Tirage', select_count: 2, sources_announced: 'Loto national', pool: ['Alpha', 'Beta', 'Gamma', 'Delta'] });
  await admin.api('POST', `/api/v1/draws/${draw.id}/publish`);
  await admin.api('POST', `/api/v1/draws/${draw.id}/result`, { sources: '9319\n2 5 12 8 10\n' });
  const user = await mk('/api/v1/users', { login: uniqueWord('sq').toLowerCase().slice(0, 30), role: 'coach', password: 'sqlmap-temporary-2026' });
  const session0 = new Client(env.base);
  await login(session0, 'admin');
  const mem = await session0.postForm(`/people/${person.id}/memberships`, [['register_number', coop.register_number], ['role', 'member']]);
  if (mem.status !== 303) throw new Error(`membership: ${mem.status}`);
  Object.assign(ids, { viewer: uid.viewer, evaluator1: uid.evaluator1, coop: coop.id, register: coop.register_number, person: person.id, org: org.id, program: program.id, tranche: tranche.id, call: call.id, ran: ran.id, app: app.id, letter: app2.id, run: run.id, draw: draw.id, user: user.id, userLogin: user.login, admin: uid.admin, coach: uid.coach });
  // The register of processing activities (law 09-08) comes with its rows.
  const proc = await admin.api('GET', '/api/v1/processing');
  if (proc.status === 200 && proc.json().items.length) ids.processing = proc.json().items[0].id;
  const session = new Client(env.base);
  await login(session, 'admin');
  return { admin, session };
}

/** The record behind a route's {id}. */
function idFor(route) {
  const base = route.pattern.replace(/^\/api\/v1/, '');
  const table = [
    [/^\/applications\/\{id\}\/letter/, 'letter'],
    [/^\/applications\//, 'app'],
    [/^\/cooperatives\//, 'coop'],
    [/^\/people\//, 'person'],
    [/^\/organisations\//, 'org'],
    [/^\/programs\//, 'program'],
    [/^\/tranches\//, 'tranche'],
    [/^\/calls\/\{id\}\/(selection|dashboard)/, 'ran'],
    [/^\/calls\//, 'call'],
    [/^\/selection-runs\//, 'run'],
    [/^\/(public\/)?draws\//, 'draw'],
    [/^\/(admin\/)?users\//, 'user'],
    [/^\/(admin\/)?processing\//, 'processing'],
  ];
  const k = table.find(([re]) => re.test(base));
  if (!k) throw new Error(`sqlmap.mjs knows no record for ${route.key}: add it to idFor()`);
  return ids[k[1]];
}
const pathOf = (route) => (route.pattern.includes('{id}') ? route.pattern.replace('{id}', String(idFor(route))) : route.pattern);

/** Values of a route of its own: removing an evaluator consumes the assignment. */
const SAMPLE_BY_ROUTE = {
  'POST /applications/{id}/evaluators/remove': { evaluator_id: () => ids.viewer },
  'POST /api/v1/applications/{id}/evaluators/remove': { evaluator_id: () => ids.evaluator1 },
};

/** The login of the account whose new password a route sets. */
const NEW_PASSWORD_OF = {
  'POST /admin/users': () => sample('login', ''),
  'POST /api/v1/users': () => sample('login', ''),
  'POST /admin/users/{id}/password': () => ids.userLogin,
  'POST /api/v1/users/{id}/password': () => ids.userLogin,
  'POST /account/password': () => 'admin',
};

/** A plausible value, so that the request gets as far as the handler's SQL. */
function sample(name, key) {
  const own = SAMPLE_BY_ROUTE[key]?.[name];
  if (own) return String(own());
  const n = name.split(/[.[\]]+/).filter(Boolean).pop();
  if (/^(cooperative|cooperative_id)$/.test(n)) return String(ids.coop);
  if (/^(call|call_id)$/.test(n)) return String(ids.call);
  if (/^(tranche|tranche_id)$/.test(n)) return String(ids.tranche);
  if (/^(evaluator|evaluator_id)$/.test(n)) return String(ids.coach);
  if (/^(operator_id|organisation_id)$/.test(n)) return String(ids.org);
  if (n === 'register' || n === 'register_number') return ids.register;
  if (/region/.test(n)) return '03';
  if (/^province/.test(n)) return provinceOf('03');
  if (n === 'commune_code') return communeOf(provinceOf('03'));
  if (/(_date|_on|_at)$/.test(n)) return '2024-01-15';
  if (n === 'page') return '1';
  if (n === 'per_page') return '5';
  if (n === 'lang') return 'fr';
  if (n === 'sex') return 'F';
  if (n === 'email') return 'test@example.ma';
  if (n === 'website') return 'https://example.ma';
  if (/^(version|id|number|count|total|target|sessions|months|weight|score|min_score|seats|select_count|members_\w+|\w+_year|target_\w+|disagreement_gap)$/.test(n)) return '1';
  // A new password is weighed by cracklib before anything else reads it, and cracklib's verdict
  // on "…' AND 4417=4417 AND 'x'='x" can turn on sqlmap's random digits: a difference that is
  // not SQL, which sqlmap's boolean test then reads as one. A new password that holds its
  // account's login is refused by that rule first, whatever sqlmap appends.
  const owner = NEW_PASSWORD_OF[key];
  if (owner && /^password(_confirm)?$/.test(n)) return `wrong-password-for-sqlmap-${owner()}`;
  if (/password/.test(n)) return 'wrong-password-for-sqlmap';
  return 'test';
}

// ---------------------------------------------------------------- 3. sqlmap

function sqlmap(args, tag) {
  const out = path.join(env.dir, `sqlmap-${tag}`);
  fs.mkdirSync(out, { recursive: true });
  const results = path.join(out, 'results.csv');
  return new Promise((resolve) => {
    const p = spawn('sqlmap', [...SQLMAP_OPTS, `--output-dir=${out}`, `--results-file=${results}`, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    p.stdout.on('data', (d) => (text += d));
    p.stderr.on('data', (d) => (text += d));
    const timer = setTimeout(() => p.kill('SIGKILL'), BUDGET_S * 1000);
    p.on('close', (code, signal) => {
      clearTimeout(timer);
      let rows = [];
      try {
        rows = fs.readFileSync(results, 'utf8').trim().split('\n').slice(1).filter(Boolean);
      } catch {
        /* no results file: judged from the log */
      }
      resolve({ code, signal, text, rows });
    });
  });
}

/** The parameters sqlmap reports injectable, from its log and its results file. */
function injectable(res) {
  const found = new Set(res.rows);
  for (const m of res.text.matchAll(/parameter '([^']+)' (?:is|appears to be) '[^']*' injectable/g)) found.add(m[1]);
  if (/sqlmap identified the following injection point/.test(res.text)) found.add('(injection point)');
  return [...found];
}

/** A deliberately injectable server (Python's sqlite3, the query concatenated). */
async function positiveControl() {
  const port = await freePort();
  const code = `
import http.server, sqlite3, urllib.parse
db = sqlite3.connect(':memory:', check_same_thread=False)
db.execute('CREATE TABLE t (id INTEGER, name TEXT)')
db.executemany('INSERT INTO t VALUES (?, ?)', [(1, 'alpha'), (2, 'beta')])
class H(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a): pass
    def do_GET(self):
        q = urllib.parse.parse_qs(urllib.parse.urlparse(self.path).query)
        try:
            rows = db.execute("SELECT name FROM t WHERE id = " + q.get('id', ['1'])[0]).fetchall()
            body, status = ('<p>' + ','.join(r[0] for r in rows) + '</p>').encode(), 200
        except Exception as e:
            body, status = str(e).encode(), 500
        self.send_response(status); self.end_headers(); self.wfile.write(body)
http.server.ThreadingHTTPServer(('127.0.0.1', ${port}), H).serve_forever()
`;
  const py = spawn('python3', ['-c', code], { stdio: 'ignore' });
  for (let i = 0; i < 50; i++) {
    try {
      await fetch(`http://127.0.0.1:${port}/?id=1`);
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const res = await sqlmap(['-u', `http://127.0.0.1:${port}/?id=1`, '-p', 'id'], 'control');
  py.kill();
  return injectable(res);
}

/** The sqlmap arguments and a baseline request for one route, or null when it has no parameter. */
function target(route, auth) {
  const names = PARAMS[route.key] || [];
  if (!names.length) return null;
  const url = env.base + pathOf(route);
  const cookie = ['--cookie', auth.cookie];
  if (route.method === 'GET') {
    const qs = names.map((n) => `${encodeURIComponent(n)}=${encodeURIComponent(sample(n, route.key))}`).join('&');
    const headers = route.api ? ['--headers', `Authorization: Bearer ${auth.bearer}`] : cookie;
    return { names, args: ['-u', `${url}?${qs}`, '-p', names.join(','), ...headers], baseline: { url: `${url}?${qs}`, method: 'GET' } };
  }
  if (route.api) {
    // Numbers as JSON numbers, so that the baseline is a request the handler takes in.
    const body = JSON.stringify(Object.fromEntries(names.map((n) => [n, sample(n, route.key)]).map(([k, v]) => [k, /^[1-9]\d*$/.test(v) ? Number(v) : v])));
    return { names, args: ['-u', url, `--method=${route.method}`, `--data=${body}`, '-p', names.join(','), '--headers', `Authorization: Bearer ${auth.bearer}\nContent-Type: application/json`], baseline: { url, method: route.method, body, type: 'application/json', bearer: true } };
  }
  const body = [['csrf', auth.csrf], ...names.map((n) => [n, sample(n, route.key)])].map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
  return { names, args: ['-u', url, `--method=${route.method}`, `--data=${body}`, '-p', names.join(','), ...cookie], baseline: { url, method: route.method, body, type: 'application/x-www-form-urlencoded' } };
}

// ---------------------------------------------------------------- main

async function main() {
  checkList();
  const { session, admin } = await setup();
  const forms = await checkForms(session, pathOf);
  log(`${ROUTES.length} routes, ${Object.values(PARAMS).flat().length} parameters listed, ${forms} forms read`);
  if (problems.length) return;

  const control = await positiveControl();
  if (!control.includes('id')) {
    problems.push(`the positive control: sqlmap did not find the deliberately injectable parameter (found: ${control})`);
    return;
  }
  log('positive control: the injectable parameter is found');

  const auth = { cookie: session.cookieHeader(), csrf: session.csrf, bearer: admin.bearer };
  // The session must outlive the run: these routes would end it or need it elsewhere.
  const skip = new Set(['POST /logout']);
  const targets = ROUTES.filter((r) => !skip.has(r.key) && (!ONLY || ONLY.test(r.key))).map((r) => ({ route: r, t: target(r, auth) })).filter((x) => x.t);
  let done = 0;
  let tested = 0;
  let next = 0;
  const worker = async () => {
    while (next < targets.length) {
      const { route, t } = targets[next++];
      if ((Date.now() - started) / 1000 > BUDGET_S) {
        problems.push(`${route.key}: not tested, the time budget of ${BUDGET_S} s is spent`);
        continue;
      }
      const b = t.baseline;
      const headers = { cookie: auth.cookie };
      if (b.type) headers['content-type'] = b.type;
      if (b.bearer || route.api) headers.authorization = `Bearer ${auth.bearer}`;
      const base = await fetch(b.url, { method: b.method, headers, body: b.body, redirect: 'manual' });
      await base.arrayBuffer();
      // (A wrong password is the login form's own answer.)
      if ([403, 404, 405].includes(base.status) || (base.status === 401 && !route.public)) {
        problems.push(`${route.key}: the baseline request answers ${base.status}: sqlmap would test a refusal, not the handler`);
        continue;
      }
      const res = await sqlmap(t.args, route.key.replace(/[^A-Za-z0-9]+/g, '_'));
      const found = injectable(res);
      if (found.length) problems.push(`${route.key}: sqlmap reports injectable: ${found.join('; ')}`);
      const untested = t.names.filter((n) => !res.text.includes(`parameter '${n}'`) && !res.text.includes(`parameter 'JSON ${n}'`));
      if (untested.length) problems.push(`${route.key}: sqlmap did not test ${untested.join(', ')}:\n${res.text.split('\n').filter((l) => /CRITICAL|ERROR|WARNING/.test(l)).slice(-5).join('\n')}`);
      for (const l of res.text.split('\n').filter((x) => /\[CRITICAL\]/.test(x) && !/all tested parameters do not appear to be injectable/.test(x))) problems.push(`${route.key}: ${l.trim()}`);
      tested += t.names.length - untested.length;
      done++;
      if (done % 10 === 0) log(`${done}/${targets.length} routes`);
    }
  };
  await Promise.all(Array.from({ length: JOBS }, worker));
  log(`${done} routes, ${tested} parameters tested by sqlmap`);
  const alive = await fetch(`${env.base}/about`, { headers: { cookie: auth.cookie } });
  if (!/action="\/logout"/.test(await alive.text())) problems.push('the admin session did not survive the run: later targets may have tested the login page');
}

try {
  await main();
} catch (e) {
  problems.push(`run failed: ${e.stack || e}`);
} finally {
  if (env) await env.server.stop();
  cleanupDirs();
}
if (problems.length) {
  console.log(`sqlmap: FAILED (${problems.length} problems) after ${elapsed()} s:`);
  for (const p of problems) console.log(`  - ${p}`);
  process.exit(1);
}
console.log(`sqlmap: no injectable parameter (${elapsed()} s)`);
