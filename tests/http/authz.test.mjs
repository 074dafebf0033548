// authz.test.mjs: the authorisation matrix. Every route of src/web/routes.c (parsed, so that a
// new route cannot escape it) is requested by every role (admin, program_manager,
// regional_officer, coach, viewer, anonymous), on a record of the officer's region and on one of
// another region where the record has a region, and on a missing id. The expected status of
// each cell comes from the spec below (docs/API.md's table of roles, and the region rule: a
// regional officer gets 404 for another region's record, the same as for a missing id), not
// from the server's code, so that widening a permission in the code fails this test. The server
// runs with --behind-tls, and every response of the matrix is checked for the security headers
// and cookie flags of that mode (routes.test.mjs checks the plain mode).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Client,
  cleanupDirs,
  coopData,
  loggedIn,
  newTokenId,
  orgData,
  parseRoutes,
  personData,
  runOk,
  setupServer,
  tokenClient,
  uniqueWord,
} from './lib.mjs';

const ROUTES = parseRoutes();

// ---------------------------------------------------------------- the spec

/** The roles, the demo login that holds each (null: not logged in). officer03's region is 03. */
const ROLES = { admin: 'admin', program_manager: 'manager', regional_officer: 'officer03', coach: 'coach', viewer: 'viewer', anonymous: null };
const OWN = '03';
const OTHER = '06';

/** What each role may do: docs/API.md's table, as permissions of src/core/http.h. */
const ALL_PERMS = ['PERM_NONE', 'PERM_COOP_READ', 'PERM_COOP_WRITE', 'PERM_PERSON_READ', 'PERM_PERSON_WRITE', 'PERM_NATIONAL_ID', 'PERM_ORG_WRITE', 'PERM_EXPORT', 'PERM_PROGRAM_MANAGE', 'PERM_APPLICATION_READ', 'PERM_APPLICATION_WRITE', 'PERM_EVALUATE', 'PERM_ADMIN'];
const SPEC = {
  admin: ALL_PERMS,
  program_manager: ALL_PERMS.filter((p) => p !== 'PERM_ADMIN'),
  regional_officer: ['PERM_NONE', 'PERM_COOP_READ', 'PERM_COOP_WRITE', 'PERM_PERSON_READ', 'PERM_PERSON_WRITE', 'PERM_NATIONAL_ID', 'PERM_EXPORT', 'PERM_APPLICATION_READ', 'PERM_APPLICATION_WRITE', 'PERM_EVALUATE'],
  coach: ['PERM_NONE', 'PERM_COOP_READ', 'PERM_PERSON_READ', 'PERM_EVALUATE'],
  viewer: ['PERM_NONE', 'PERM_COOP_READ', 'PERM_EVALUATE'],
};
/** Roles whose scope is their regions (the others see every region). */
const REGIONAL = new Set(['regional_officer']);

/**
 * The kind of record behind a route's {id}, by the start of its path (without /api/v1). `rule`
 * says what "other" means: 'region' (a record of another region: 404 for a regional role),
 * 'assigned' (an application its evaluator is not assigned to: 404 for every role, whatever the
 * region), or null (no region: one record serves). A route whose path matches none fails the
 * test: add its kind here and a fixture.
 */
const KINDS = [
  [/^\/applications\/\{id\}\/evaluation(\/|$)/, 'evaluation', 'assigned'],
  [/^\/applications\/\{id\}\/letter$/, 'letter', 'region'],
  [/^\/applications\/\{id\}\/edit$/, 'draft', 'region'],
  [/^\/applications\/\{id\}/, 'application', 'region'],
  [/^\/cooperatives\/\{id\}/, 'coop', 'region'],
  [/^\/people\/\{id\}\/objection\/lift$/, 'objected', 'region'],
  [/^\/people\/\{id\}/, 'person', 'region'],
  [/^\/organisations\/\{id\}/, 'org', null],
  [/^\/programs\/\{id\}/, 'program', null],
  [/^\/tranches\/\{id\}/, 'tranche', null],
  [/^\/calls\/\{id\}\/(selection|dashboard)/, 'selectionCall', null],
  [/^\/calls\/\{id\}/, 'call', null],
  [/^\/selection-runs\/\{id\}/, 'run', null],
  [/^\/(public\/)?draws\/\{id\}/, 'draw', null],
  [/^\/(admin\/)?users\/\{id\}/, 'user', null],
  [/^\/(admin\/)?processing\/\{id\}/, 'processing', null],
  [/^\/admin\/tokens\/\{id\}/, 'token', null],
];

/** GET routes whose query names a record: the region rule applies to that record. */
const QUERY_RECORD = {
  'GET /calls/{id}/eligibility': ['coop', (id) => `?cooperative=${id}`],
  'GET /api/v1/calls/{id}/eligibility': ['coop', (id) => `?cooperative=${id}`],
};

function kindOf(route) {
  const base = route.pattern.replace(/^\/api\/v1/, '');
  if (!base.includes('{id}')) return null;
  const k = KINDS.find(([re]) => re.test(base));
  assert.ok(k, `authz.test.mjs knows no record kind for ${route.key}: add its path to KINDS, with a fixture of each region`);
  return { kind: k[1], rule: k[2] };
}

/** Permitted GET routes that do not answer 200 (the status and why). */
const GET_NOT_200 = {
  'GET /': 303, // a logged-in user is sent to the cooperatives
  'GET /login': 303, // already logged in
  'GET /login/totp': 303, // no login waiting for its second factor
};

/**
 * What a permitted write answers for the probe body (a form with only the CSRF token, a JSON
 * object with only an unknown field, or PROBE_BODY's): the handler ran and refused the input,
 * so the router let the request through and nothing was written. By default the API refuses the
 * unknown field (422), an HTML form on a record misses the record's version (400) and any other
 * HTML form misses its required fields (422). The exceptions, and why:
 */
const WRITE_PROBE = {
  'POST /logout': 303, // logged out, whatever the body
  'POST /login': 400, // no login and password
  'POST /lang': 400, // no language
  'POST /people/{id}/memberships': 422, // no register number (the form has no version)
  'POST /programs/{id}/tranches': 422, // a new tranche: no number, years nor target
  'POST /calls/{id}/rules/preview': 200, // a count, nothing written
  'POST /calls/{id}/selection': 422, // the unscored applications are not confirmed
  'POST /calls/{id}/applications/import': 422, // no CSV
  'POST /calls/{id}/evaluators': 422, // no evaluator chosen
  'POST /applications/{id}/evaluation': 409, // not declared free of conflict yet
  'POST /applications/{id}/evaluation/declare': 422, // the box is not ticked
  'POST /applications/{id}/evaluation/conflict': 422, // the note is too long (PROBE_BODY)
  'POST /applications/{id}/evaluators': 422, // no evaluator chosen
  'POST /people/{id}/consents': 422, // no consent's date, wording nor channel (no version)
  'POST /people/{id}/objection': 422, // no date nor reason (no version)
  'POST /account/security/setup': 303, // one's own setup starts (a button, no field)
  'POST /account/security/recovery': 409, // the second factor is not on
  'POST /account/security/disable': 409, // the second factor is not on
  'POST /admin/security': 422, // the policy form must send every role (its hidden 0s)
  'POST /admin/users/{id}/totp-reset': 400, // no version, checked before the record
  'POST /api/v1/users/{id}/totp-reset': 422, // an unknown field, checked before the record
  'POST /login/totp': 303, // already logged in
  'POST /admin/users/{id}/tokens': 422, // no number of days
  'POST /admin/tokens/{id}/revoke': 303, // a button: revoked (each cell has a token of its own)
  'POST /people/{id}/objection/lift': 303, // a button: lifted (each cell has a record of its own)
  // Lifted too: this handler ignores its body, unlike the other API writes (reported).
  'POST /api/v1/people/{id}/objection/lift': 200,
};
/** Writes that check their body before looking the record up: a missing id gets the probe's
 * answer too (only where the record has no region, so that nothing is told about another's). */
const BODY_FIRST = new Set(['POST /admin/users/{id}/totp-reset', 'POST /api/v1/users/{id}/totp-reset']);
function writeProbe(route) {
  if (route.key in WRITE_PROBE) return WRITE_PROBE[route.key];
  if (route.api) return 422;
  return route.pattern.includes('{id}') ? 400 : 422;
}

/** Probe bodies where the empty one would be accepted. */
const PROBE_BODY = {
  'POST /applications/{id}/evaluation/conflict': [['note', 'x'.repeat(5000)]],
};

/** The public routes (ROUTE_PUBLIC) and what an anonymous request answers. */
const PUBLIC = {
  'GET /healthz': 200,
  'GET /login': 200,
  'GET /about': 200,
  'GET /public/draws/{id}': 200,
  'GET /public/draws/{id}/pool.txt': 200,
  'POST /login': 403, // without the pre-login CSRF token
  'POST /lang': 403,
  'GET /login/totp': 200, // the form for the code
  'POST /login/totp': 403,
};

/**
 * The expected status of one cell: route, role, and which record ('own', 'other', 'missing', or
 * 'none' for a route without a record).
 */
function expected(route, role, which) {
  if (role === 'anonymous') {
    if (route.public) {
      assert.ok(route.key in PUBLIC, `${route.key} is public: say in PUBLIC what an anonymous request gets`);
      if (which === 'missing' && route.method === 'GET') return 404;
      return PUBLIC[route.key];
    }
    return route.api ? 401 : 303;
  }
  if (!SPEC[role].includes(route.perm)) return 403;
  if (which === 'missing') return BODY_FIRST.has(route.key) && !kindOf(route).rule ? writeProbe(route) : 404;
  const k = QUERY_RECORD[route.key] ? { rule: 'region' } : kindOf(route);
  if (which === 'other' && k && k.rule === 'region' && REGIONAL.has(role)) return 404;
  if (which === 'other' && k && k.rule === 'assigned') return 404;
  if (route.method === 'GET') return GET_NOT_200[route.key] ?? 200;
  return writeProbe(route);
}

// ---------------------------------------------------------------- fixtures

let env;
let admin; // bearer client
const clients = {}; // role -> Client
const ids = {}; // kind -> {own, other} (or {own} for kinds without region)
const markers = []; // texts that only the other region's records contain (names, numbers)
const search = []; // what to search for to find them

before(async () => {
  env = await setupServer({ args: ['--behind-tls'] });
  admin = await tokenClient(env.base, env.db, 'admin');
  const mk = async (p, data) => {
    const r = await admin.api('POST', p, data);
    assert.equal(r.status, 201, `${p}: ${r.text}`);
    return r.json();
  };
  for (const [role, login] of Object.entries(ROLES)) clients[role] = login ? await loggedIn(env.base, login) : new Client(env.base);

  // Registry: one cooperative and one person in each region, the person a member.
  const word = { own: uniqueWord('az'), other: uniqueWord('az') };
  const coops = {};
  const people = {};
  for (const [w, region] of [['own', OWN], ['other', OTHER]]) {
    coops[w] = await mk('/api/v1/cooperatives', coopData({ region_code: region, name_fr: `Coopérative ${word[w]}`, name_ar: `تعاونية ${word[w]}`, legal_date: '2023-05-10', activity_start_date: '2023-09-01' }));
    people[w] = await mk('/api/v1/people', personData({ region_code: region, name_fr: `Personne ${word[w]}`, national_id: `AZ${Math.floor(Math.random() * 900000 + 100000)}` }));
    const m = await clients.admin.postForm(`/people/${people[w].id}/memberships`, [['register_number', coops[w].register_number], ['role', 'member']]);
    assert.equal(m.status, 303, m.text.slice(0, 300));
  }
  markers.push(`Coopérative ${word.other}`, `تعاونية ${word.other}`, `Personne ${word.other}`, people.other.name_ar, `Projet ${word.other}`, `Brouillon ${word.other}`, coops.other.register_number, people.other.national_id);
  search.push(word.other, coops.other.register_number);
  ids.coop = { own: coops.own.id, other: coops.other.id };
  ids.person = { own: people.own.id, other: people.other.id };
  // People who objected (law 09-08), for lifting an objection.
  ids.objected = { own: await objectedPerson(OWN), other: await objectedPerson(OTHER) };
  ids.org = { own: (await mk('/api/v1/organisations', orgData())).id };

  // Programs and calls: a program with a tranche; one call open (applications, evaluations) and
  // one whose selection has run (letters, selection pages).
  const program = await mk('/api/v1/programs', { code: uniqueWord('pg').toUpperCase(), name_ar: 'برنامج', name_fr: `Programme ${uniqueWord('pg')}`, name_en: 'Program', start_year: 2023, end_year: 2026, target_total: 200, target_per_year: 100, operator_id: ids.org.own });
  const tranche = await mk(`/api/v1/programs/${program.id}/tranches`, { number: 1, start_year: 2025, end_year: 2026, target_total: 100 });
  ids.program = { own: program.id };
  ids.tranche = { own: tranche.id };
  const call = async () => {
    const w = uniqueWord('cl').toUpperCase();
    return (await mk('/api/v1/calls', { tranche_id: tranche.id, code: `C-${w}`, title_ar: `طلب ${w}`, title_fr: `Appel ${w}`, title_en: `Call ${w}`, opens_on: '2026-01-15', closes_on: '2099-12-31', reference_date: '2026-03-15', min_score: 60 })).id;
  };
  const open = await call();
  const ran = await call();
  ids.call = { own: open };
  ids.selectionCall = { own: ran };
  // Applications are entered by an account of their own: who enters one may not evaluate it.
  await runOk(['user', 'add', '--db', env.db, '--login', 'azentry', '--role', 'program_manager', '--password-stdin'], { input: 'authz-entry-password-2026\n' });
  const entry = await tokenClient(env.base, env.db, 'azentry');
  const apply = async (callId, w) => {
    const a = await entry.api('POST', '/api/v1/applications', { call_id: callId, cooperative_id: coops[w].id, project_summary: `Projet ${word[w]}` });
    assert.equal(a.status, 201, a.text);
    const s = await entry.api('POST', `/api/v1/applications/${a.json().id}/submit`);
    assert.equal(s.status, 200, s.text);
    return a.json().id;
  };
  ids.application = { own: await apply(open, 'own'), other: await apply(open, 'other') };
  ids.evaluation = ids.application;
  ids.letter = { own: await apply(ran, 'own'), other: await apply(ran, 'other') };
  const drafts = await call();
  const draft = async (w) => {
    const a = await entry.api('POST', '/api/v1/applications', { call_id: drafts, cooperative_id: coops[w].id, project_summary: `Brouillon ${word[w]}` });
    assert.equal(a.status, 201, a.text);
    return a.json().id;
  };
  ids.draft = { own: await draft('own'), other: await draft('other') };
  const run = await admin.api('POST', `/api/v1/calls/${ran}/selection`, { confirm_unscored: true });
  assert.equal(run.status, 201, run.text);
  ids.run = { own: run.json().id };

  // Evaluations: every role is assigned to the own-region application, nobody to the other.
  const users = (await admin.api('GET', '/api/v1/evaluators')).json().items;
  const uid = Object.fromEntries(users.map((u) => [u.login, u.id]));
  const evaluators = Object.values(ROLES).filter(Boolean).map((l) => uid[l]);
  assert.ok(evaluators.every(Boolean), 'every role can be an evaluator');
  const as = await admin.api('POST', `/api/v1/applications/${ids.evaluation.own}/evaluators`, { evaluator_ids: evaluators });
  assert.equal(as.status, 200, as.text);

  // A drawn draw, and an account to administer.
  const d = await mk('/api/v1/draws', { title: `Tirage ${uniqueWord('dr')}`, select_count: 2, sources_announced: 'Loto national', pool: ['Alpha', 'Beta', 'Gamma', 'Delta'] });
  assert.equal((await admin.api('POST', `/api/v1/draws/${d.id}/publish`)).status, 200);
  assert.equal((await admin.api('POST', `/api/v1/draws/${d.id}/result`, { sources: '9319\n2 5 12 8 10\n' })).status, 200);
  ids.draw = { own: d.id };
  const proc = (await admin.api('GET', '/api/v1/processing')).json().items;
  assert.ok(proc.length, 'the register of processing activities has rows');
  ids.processing = { own: proc[0].id };
  ids.token = { own: await newTokenId(env.db) };
  ids.user = { own: (await mk('/api/v1/users', { login: uniqueWord('az').toLowerCase().slice(0, 30), role: 'coach', password: 'authz-temporary-2026' })).id };
});

after(async () => {
  if (env && env.server.exited() === null) await env.server.stop();
  cleanupDirs();
});

/** Every fixture as the admin reads it, with the evaluations and the totals of the lists. */
async function snapshot() {
  const get = async (p) => {
    const r = await admin.api('GET', p);
    assert.equal(r.status, 200, `${p}: ${r.text.slice(0, 200)}`);
    return r.json();
  };
  const out = {};
  const one = { coop: 'cooperatives', person: 'people', org: 'organisations', program: 'programs', tranche: 'tranches', call: 'calls', selectionCall: 'calls', application: 'applications', draft: 'applications', letter: 'applications', run: 'selection-runs', draw: 'draws', user: 'users', objected: 'people', processing: 'processing' };
  for (const [kind, p] of Object.entries(one)) for (const [w, id] of Object.entries(ids[kind])) out[`${kind}.${w}`] = await get(`/api/v1/${p}/${id}`);
  for (const [w, id] of Object.entries(ids.evaluation)) out[`evaluations.${w}`] = await get(`/api/v1/applications/${id}/evaluations`);
  for (const p of ['cooperatives', 'people', 'organisations', 'programs', 'calls', 'applications', 'draws', 'users']) out[`total.${p}`] = (await get(`/api/v1/${p}?per_page=1`)).total;
  return out;
}

/** A new person of the region who objected to the processing of their data (law 09-08). */
let peopleMade = 0; // by objectedPerson, which the matrix calls (the snapshot counts them)
async function objectedPerson(region) {
  peopleMade++;
  const w = uniqueWord('ob');
  const r = await admin.api('POST', '/api/v1/people', personData({ region_code: region, name_fr: `Opposant ${w}` }));
  assert.equal(r.status, 201, r.text);
  if (region !== OWN) markers.push(`Opposant ${w}`);
  const o = await admin.api('POST', `/api/v1/people/${r.json().id}/objection`, { objected_on: '2026-01-10', reason: 'Test' });
  assert.ok(o.status === 200 || o.status === 201, o.text);
  return r.json().id;
}

// ---------------------------------------------------------------- requests

const MISSING = 999999999;

/** The cells of a route: [which, path]. */
function cellsOf(route) {
  const k = kindOf(route);
  const q = QUERY_RECORD[route.key];
  if (!k && !q) return [['none', route.pattern]];
  const out = [];
  const fill = (which, id) => (k ? route.pattern.replace('{id}', String(id)) : route.pattern);
  if (q) {
    const [qkind, qs] = q;
    const base = fill('own', k ? ids[k.kind].own : 0);
    for (const which of ['own', 'other']) out.push([which, base + qs(ids[qkind][which])]);
    out.push(['missing', base + qs(MISSING)]);
    return out;
  }
  const rec = ids[k.kind];
  assert.ok(rec, `no fixture of kind ${k.kind} (${route.key})`);
  out.push(['own', fill('own', rec.own)]);
  if (k.rule) {
    assert.ok(rec.other, `no fixture of kind ${k.kind} in the other region (${route.key})`);
    out.push(['other', fill('other', rec.other)]);
  }
  out.push(['missing', fill('missing', MISSING)]);
  return out;
}

/** Writes that a form without fields performs (a button): each cell gets a record of its own,
 * made by this function in the region asked, so that one cell's success does not change the
 * next one's answer. */
const FRESH = {
  'POST /people/{id}/objection/lift': async (region) => objectedPerson(region),
  'POST /api/v1/people/{id}/objection/lift': async (region) => objectedPerson(region),
  'POST /admin/tokens/{id}/revoke': async () => newTokenId(env.db),
};

/** Routes that end the session they are sent with: each cell gets a session of its own. */
const ENDS_SESSION = new Set(['POST /logout']);

/** The probe request: for writes, a body that no handler accepts, so that nothing is written. */
async function send(role, route, p) {
  const c = ENDS_SESSION.has(route.key) && ROLES[role] ? await loggedIn(env.base, ROLES[role]) : clients[role];
  if (route.method === 'GET') return c.get(p);
  if (route.api) return c.request(p, { method: route.method, json: { authz_probe: 1 }, csrf: role !== 'anonymous' });
  return c.request(p, { method: route.method, form: PROBE_BODY[route.key] || [], csrf: role !== 'anonymous' });
}

/** Runs fn over items with at most n at a time. */
async function pool(items, n, fn) {
  const out = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i], i);
      }
    }),
  );
  return out;
}

// ---------------------------------------------------------------- headers and cookies

/** Public static assets may be cached; nothing else (reference geography is private). */
const CACHEABLE = { 'GET /geo/communes': /^private, max-age=\d+$/ };

/** Problems with the security headers and cookies of a response under --behind-tls. */
function headerProblems(r, key) {
  const out = [];
  const h = (n) => r.headers.get(n);
  const csp = h('content-security-policy') || '';
  if (!/default-src 'self'/.test(csp)) out.push('CSP default-src');
  if (!/script-src 'self'(;|$)/.test(csp)) out.push(`CSP script-src: ${csp}`);
  if (/unsafe-inline|unsafe-eval/.test(csp)) out.push('CSP unsafe-*');
  if (!/frame-ancestors 'none'/.test(csp)) out.push('CSP frame-ancestors');
  if (h('x-content-type-options') !== 'nosniff') out.push('nosniff');
  if (h('x-frame-options') !== 'DENY') out.push('X-Frame-Options');
  if (!/^(same-origin|no-referrer|strict-origin)$/.test(h('referrer-policy') || '')) out.push(`Referrer-Policy ${h('referrer-policy')}`);
  if (!/^max-age=\d{8,}; includeSubDomains$/.test(h('strict-transport-security') || '')) out.push('HSTS');
  const cc = h('cache-control');
  if (!(key && CACHEABLE[key] && r.status === 200 ? CACHEABLE[key].test(cc || '') : cc === 'no-store')) out.push(`Cache-Control ${cc}`);
  for (const c of r.setCookies) {
    const a = c.attrs;
    if (!c.name.startsWith('__Host-')) out.push(`cookie ${c.name} without __Host-`);
    if (!a.httponly || !a.secure || a.path !== '/' || a.domain !== undefined) out.push(`cookie ${c.name}: HttpOnly, Secure, Path=/, no Domain`);
    if (!/^(strict|lax)$/i.test(String(a.samesite))) out.push(`cookie ${c.name}: SameSite ${a.samesite}`);
  }
  return out;
}

// ---------------------------------------------------------------- the matrix

describe('authorisation matrix', () => {
  test('every route has a record kind, a spec and fixtures', () => {
    assert.ok(ROUTES.length >= 150, `${ROUTES.length} routes`);
    for (const r of ROUTES) {
      assert.ok(ALL_PERMS.includes(r.perm), `${r.key}: ${r.perm} is not in the spec: say who holds it`);
      cellsOf(r);
      for (const role of Object.keys(ROLES)) expected(r, role, 'own');
    }
  });

  let before0;
  let made0;
  test('the state before (the probes must change nothing)', async () => {
    before0 = await snapshot();
    made0 = peopleMade;
  });

  const stats = { requests: 0 };
  for (const route of ROUTES) {
    test(route.key, async () => {
      const cells = [];
      for (const [which, p] of cellsOf(route)) for (const role of Object.keys(ROLES)) cells.push({ role, which, p });
      const bad = [];
      await pool(cells, 4, async ({ role, which, p: p0 }) => {
        let p = p0;
        if (FRESH[route.key] && which !== 'missing' && ROLES[role]) p = route.pattern.replace('{id}', String(await FRESH[route.key](which === 'own' ? OWN : OTHER)));
        const r = await send(role, route, p);
        stats.requests++;
        const want = expected(route, role, which);
        const label = `${role} ${which} ${route.method} ${p}`;
        if (r.status !== want) bad.push(`${label}: ${r.status}, expected ${want}: ${r.text.slice(0, 160).replace(/\s+/g, ' ')}`);
        for (const h of headerProblems(r, route.key)) bad.push(`${label}: ${h}`);
        if (r.status === 303 && role === 'anonymous' && !route.public) {
          const loc = new URL(r.location, env.base);
          if (loc.pathname !== '/login') bad.push(`${label}: redirected to ${r.location}, not /login`);
        }
        // A regional officer, and anyone not logged in, never reads the other region's records.
        if (r.status < 400 && (REGIONAL.has(role) || role === 'anonymous') && markers.some((m) => r.text.includes(m))) bad.push(`${label}: the other region's record appears`);
        if (which === 'other' && REGIONAL.has(role) && r.status === 200 && route.method === 'GET' && kindOf(route)?.rule === 'region') bad.push(`${label}: 200 for the other region`);
      });
      assert.deepEqual(bad.sort(), [], `${route.key}`);
    });
  }

  test('a few thousand requests, and nothing changed', async (t) => {
    assert.ok(stats.requests > ROUTES.length * 6, `${stats.requests} requests`);
    t.diagnostic(`${stats.requests} requests over ${ROUTES.length} routes`);
    const now = await snapshot();
    now['total.people'] -= peopleMade - made0; // the objected people made for the lifting cells
    assert.deepEqual(now, before0);
  });
});

describe('lists, searches and exports of a regional officer', () => {
  test('never name the other region: every GET route, with the other record searched for', async () => {
    const gets = ROUTES.filter((r) => r.method === 'GET' && !r.pattern.includes('{id}'));
    const bad = [];
    await pool(gets, 4, async (route) => {
      for (const [qs, typed] of [[`?q=${search[0]}`, search[0]], [`?q=${encodeURIComponent(search[1])}`, search[1]], [`?cooperative=${ids.coop.other}`, null], [`?region=${OTHER}`, null]]) {
        const r = await clients.regional_officer.get(route.pattern + qs);
        // The search box shows what was typed: only the other texts are a leak.
        const seen = markers.filter((m) => m !== typed && r.text.includes(m));
        if (r.status < 400 && seen.length) bad.push(`${route.pattern}${qs}: the other region's record appears (${r.status}: ${seen})`);
      }
    });
    assert.deepEqual(bad, []);
  });
});

describe('static assets', () => {
  test('are public and cacheable, set no cookie and hold no personal data', async () => {
    const page = await clients.admin.get('/about');
    const assets = [...new Set([...page.text.matchAll(/(?:href|src)="(\/assets\/[^"]+)"/g)].map((m) => m[1]))];
    assert.ok(assets.length >= 2, `assets linked from a page: ${assets}`);
    for (const p of assets) {
      const r = await new Client(env.base).get(p);
      assert.equal(r.status, 200, p);
      assert.match(r.headers.get('cache-control') || '', /^public, max-age=\d+/, p);
      assert.equal(r.setCookies.length, 0, `${p}: no cookie`);
      assert.equal(r.headers.get('x-content-type-options'), 'nosniff', p);
      for (const m of markers) assert.ok(!r.text.includes(m), `${p}: no record data`);
    }
  });
});

describe("writes that would reach the other region, by the region's officer", () => {
  const officer = () => clients.regional_officer;
  const csrfApi = (method, p, json) => officer().api(method, p, json);

  test('creating a cooperative or a person there: 403, nothing created', async () => {
    const before = await snapshot();
    const c = await csrfApi('POST', '/api/v1/cooperatives', coopData({ region_code: OTHER }));
    assert.equal(c.status, 403, c.text);
    const p = await csrfApi('POST', '/api/v1/people', personData({ region_code: OTHER }));
    assert.equal(p.status, 403, p.text);
    const own = await csrfApi('POST', '/api/v1/cooperatives', coopData({ region_code: OWN }));
    assert.equal(own.status, 201, `the same request in the own region is accepted: ${own.text}`);
    const after = await snapshot();
    after['total.cooperatives'] -= 1;
    assert.deepEqual(after, before);
  });

  test('moving an own record there: 403, the record unchanged', async () => {
    const coop = (await admin.api('GET', `/api/v1/cooperatives/${ids.coop.own}`)).json();
    const province = coopData({ region_code: OTHER }).province_code;
    const m = await csrfApi('PATCH', `/api/v1/cooperatives/${ids.coop.own}`, { region_code: OTHER, province_code: province, commune_code: null, version: coop.version });
    assert.equal(m.status, 403, m.text);
    const person = (await admin.api('GET', `/api/v1/people/${ids.person.own}`)).json();
    const q = await csrfApi('PATCH', `/api/v1/people/${ids.person.own}`, { region_code: OTHER, province_code: null, version: person.version });
    assert.equal(q.status, 403, q.text);
    assert.deepEqual((await admin.api('GET', `/api/v1/cooperatives/${ids.coop.own}`)).json(), coop);
    assert.deepEqual((await admin.api('GET', `/api/v1/people/${ids.person.own}`)).json(), person);
  });

  test("naming the other region's cooperative: not found, as if it did not exist", async () => {
    const other = (await admin.api('GET', `/api/v1/cooperatives/${ids.coop.other}`)).json();
    const missing = 'NO-SUCH-REGISTER-1';
    // An application for it, by id and by register number, against a missing one.
    for (const body of [{ cooperative_id: ids.coop.other }, { register_number: other.register_number }]) {
      const r = await csrfApi('POST', '/api/v1/applications', { call_id: ids.call.own, project_summary: 'Projet', ...body });
      const m = await csrfApi('POST', '/api/v1/applications', { call_id: ids.call.own, project_summary: 'Projet', ...(body.cooperative_id ? { cooperative_id: MISSING } : { register_number: missing }) });
      assert.equal(r.status, m.status, `${JSON.stringify(body)}: ${r.text} / missing: ${m.text}`);
      assert.ok(r.status === 404 || r.status === 422, r.text);
      assert.deepEqual(Object.keys(r.json().error.fields || {}), Object.keys(m.json().error.fields || {}));
    }
    // A membership of an own person in it.
    const a = await officer().postForm(`/people/${ids.person.own}/memberships`, [['register_number', other.register_number], ['role', 'member']]);
    const b = await officer().postForm(`/people/${ids.person.own}/memberships`, [['register_number', missing], ['role', 'member']]);
    assert.equal(a.status, b.status, 'the same answer as for a register number that does not exist');
    assert.ok(a.status === 404 || a.status === 422, String(a.status));
    // An import of applications naming it.
    const csv = (reg) => ({ csv: `register_number,project_summary\n${reg},Projet\n`, all_or_nothing: true });
    const i1 = await csrfApi('POST', `/api/v1/calls/${ids.call.own}/applications/import`, csv(other.register_number));
    const i2 = await csrfApi('POST', `/api/v1/calls/${ids.call.own}/applications/import`, csv(missing));
    assert.equal(i1.status, i2.status, `${i1.text} / ${i2.text}`);
    assert.deepEqual(i1.json(), JSON.parse(i2.text.split(missing).join(other.register_number)), 'the same report, word for word');
    // Its eligibility for a call.
    const e1 = await officer().get(`/api/v1/calls/${ids.call.own}/eligibility?cooperative=${ids.coop.other}`);
    assert.equal(e1.status, 404);
    const e2 = await officer().get(`/calls/${ids.call.own}/eligibility?register=${encodeURIComponent(other.register_number)}`);
    const e3 = await officer().get(`/calls/${ids.call.own}/eligibility?register=${missing}`);
    assert.equal(e2.status, e3.status, 'by register number: as for one that does not exist');
    // (The form shows the register number typed; nothing else of the cooperative.)
    assert.deepEqual(markers.filter((m) => m !== other.register_number && e2.text.includes(m)), [], 'nothing of it shown');
  });
});

describe('CSRF under --behind-tls', () => {
  test('every POST and PATCH route, as a logged-in admin without the token: 403, nothing changed', async () => {
    const before = await snapshot();
    const made = peopleMade;
    const c = await loggedIn(env.base, 'admin');
    const bad = [];
    await pool(ROUTES.filter((r) => r.method !== 'GET'), 4, async (route) => {
      const p = cellsOf(route)[0][1];
      const r = route.api ? await c.request(p, { method: route.method, json: {} }) : await c.request(p, { method: route.method, form: [] });
      if (r.status !== 403) bad.push(`${route.key}: ${r.status}`);
      for (const h of headerProblems(r, route.key)) bad.push(`${route.key}: ${h}`);
    });
    assert.deepEqual(bad, []);
    const now = await snapshot();
    now['total.people'] -= peopleMade - made;
    assert.deepEqual(now, before);
    assert.match((await c.get('/about')).text, /action="\/logout"/, 'still logged in');
  });
});
