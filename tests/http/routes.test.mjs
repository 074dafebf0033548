// routes.test.mjs: checks that run over every route of src/web/routes.c (parsed here, so that a
// new route cannot escape them): login required, CSRF required, well-formed HTML with the
// security headers, and HTML escaping of stored text.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  Client,
  DEMO_PASSWORD,
  ROOT,
  cleanupDirs,
  coopData,
  coopForm,
  htmlDecode,
  loggedIn,
  newTokenId,
  orgData,
  parseRoutes,
  personData,
  plainForm,
  routesSource,
  setupServer,
  tokenClient,
  recoveryCodesOf,
  runOk,
  totpCode,
  totpSecretOf,
  totpStep,
  uniqueWord,
} from './lib.mjs';

// ---------------------------------------------------------------- the route table

const ROUTES_C = routesSource();

const ROUTES = parseRoutes(ROUTES_C);

/** What each role may do, from the table of docs/API.md (not from the server's code). */
const ROLE_PERMS = {
  admin: 'all',
  manager: { except: ['PERM_ADMIN'] },
  officer03: ['PERM_NONE', 'PERM_COOP_READ', 'PERM_COOP_WRITE', 'PERM_PERSON_READ', 'PERM_PERSON_WRITE', 'PERM_NATIONAL_ID', 'PERM_EXPORT', 'PERM_APPLICATION_READ', 'PERM_APPLICATION_WRITE', 'PERM_EVALUATE'],
  coach: ['PERM_NONE', 'PERM_COOP_READ', 'PERM_PERSON_READ', 'PERM_EVALUATE'],
  viewer: ['PERM_NONE', 'PERM_COOP_READ', 'PERM_EVALUATE'],
};
const allowed = (role, perm) => {
  const p = ROLE_PERMS[role];
  return p === 'all' || (Array.isArray(p) ? p.includes(perm) : !p.except.includes(perm));
};

/** GET routes that answer something other than an HTML page (with the content type expected),
 * and GET routes that redirect a logged-in user. Every other GET route must be an HTML page. */
const NON_HTML = {
  'GET /healthz': /^application\/json/,
  'GET /cooperatives/export.csv': /^text\/csv/,
  'GET /geo/communes': /^application\/json/,
  'GET /public/draws/{id}/pool.txt': /^text\/plain; charset=utf-8$/,
  'GET /calls/{id}/screening.csv': /^text\/csv/,
  'GET /admin/processing.csv': /^text\/csv/,
  'GET /people/export.csv': /^text\/csv/,
  'GET /people/{id}/data.json': /^application\/json/,
};
const LOGGED_IN_REDIRECTS = { 'GET /': '/cooperatives', 'GET /login': '/', 'GET /login/totp': '/' };
/** Reference data that may be cached by the browser (not registry data). */
const CACHEABLE = { 'GET /geo/communes': /^private, max-age=\d+$/ };

// ---------------------------------------------------------------- HTML checker

const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);
const RAW_TEXT = new Set(['script', 'style', 'textarea', 'title']);
const BLOCK_IN_P = new Set(['address', 'article', 'aside', 'div', 'dl', 'fieldset', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'main', 'nav', 'ol', 'p', 'section', 'table', 'ul']);
const CHAR_REF = /&(?![a-zA-Z][a-zA-Z0-9]*;|#[0-9]+;|#[xX][0-9a-fA-F]+;)/;

/**
 * Checks an HTML document; returns a list of problems (empty when well-formed). Tags are
 * tokenised by hand: void elements never closed, every other element closed explicitly and in
 * order, attribute values quoted (bare boolean attributes allowed), no duplicate attribute in a
 * tag, no duplicate id, label for=, aria-describedby and href="#..." pointing at existing ids, no raw '<' or
 * bare '&' in text or attribute values, no <form> in a <form> nor <a> in an <a>, no block in a
 * <p>, one doctype first, exactly one <html> with lang and dir, one <head>, one <body>, one
 * non-empty <title>.
 */
function checkHtml(html) {
  const problems = [];
  const bad = (msg, at) => problems.length < 30 && problems.push(`${msg} (at ${at}: ${JSON.stringify(html.slice(Math.max(0, at - 40), at + 60))})`);
  const stack = [];
  const ids = new Map();
  const refs = [];
  const counts = { html: 0, head: 0, body: 0, title: 0 };
  let title = null;
  let i = 0;
  const dt = /^<!doctype html>/i.exec(html);
  if (!dt) bad('the document does not start with <!doctype html>', 0);
  else i = dt[0].length;
  const text = (s, at) => {
    if (s.includes('<')) bad('raw < in text', at);
    if (CHAR_REF.test(s)) bad('bare & in text', at);
  };
  while (i < html.length) {
    const lt = html.indexOf('<', i);
    if (lt < 0) {
      text(html.slice(i), i);
      break;
    }
    text(html.slice(i, lt), i);
    if (html.startsWith('<!--', lt)) {
      const end = html.indexOf('-->', lt + 4);
      if (end < 0) {
        bad('unterminated comment', lt);
        break;
      }
      i = end + 3;
      continue;
    }
    if (html.startsWith('<!', lt)) {
      bad('doctype or declaration not at the start', lt);
      i = html.indexOf('>', lt) + 1 || html.length;
      continue;
    }
    const close = /^<\/([a-zA-Z][a-zA-Z0-9-]*)\s*>/.exec(html.slice(lt, lt + 100));
    if (close) {
      const name = close[1].toLowerCase();
      if (VOID.has(name)) bad(`closing tag of void element </${name}>`, lt);
      else if (stack.length && stack[stack.length - 1] === name) stack.pop();
      else {
        bad(`</${name}> while <${stack[stack.length - 1] || '(nothing)'}> is open`, lt);
        const k = stack.lastIndexOf(name);
        if (k >= 0) stack.length = k;
      }
      i = lt + close[0].length;
      continue;
    }
    const open = /^<([a-zA-Z][a-zA-Z0-9-]*)/.exec(html.slice(lt, lt + 100));
    if (!open) {
      bad('raw < in text', lt);
      i = lt + 1;
      continue;
    }
    const name = open[1].toLowerCase();
    let j = lt + open[0].length;
    const attrs = new Map();
    let selfClosing = false;
    for (;;) {
      while (j < html.length && /\s/.test(html[j])) j++;
      if (j >= html.length) {
        bad(`unterminated <${name}> tag`, lt);
        break;
      }
      if (html[j] === '>') {
        j++;
        break;
      }
      if (html.startsWith('/>', j)) {
        selfClosing = true;
        j += 2;
        break;
      }
      const an = /^[^\s"'>\/=]+/.exec(html.slice(j, j + 200));
      if (!an) {
        bad(`garbage in <${name}> tag`, j);
        j++;
        continue;
      }
      const aname = an[0].toLowerCase();
      if (/^\s/.test(html[j - 1]) === false && attrs.size > 0) bad(`no space before attribute ${aname}`, j);
      j += an[0].length;
      let k = j;
      while (/\s/.test(html[k] || '')) k++;
      let value = '';
      if (html[k] === '=') {
        k++;
        while (/\s/.test(html[k] || '')) k++;
        const q = html[k];
        if (q === '"' || q === "'") {
          const end = html.indexOf(q, k + 1);
          if (end < 0) {
            bad(`unterminated value of ${aname}`, k);
            j = html.length;
            break;
          }
          value = html.slice(k + 1, end);
          if (value.includes('<')) bad(`raw < in the value of ${aname}`, k);
          if (CHAR_REF.test(value)) bad(`bare & in the value of ${aname}`, k);
          j = end + 1;
          if (!/[\s>\/]/.test(html[j] || '')) bad(`no space after the value of ${aname}`, j);
        } else {
          bad(`unquoted value of ${aname} in <${name}>`, k);
          const m = /^[^\s>]*/.exec(html.slice(k));
          value = m[0];
          j = k + m[0].length;
        }
      }
      if (attrs.has(aname)) bad(`duplicate attribute ${aname} in <${name}>`, lt);
      attrs.set(aname, htmlDecode(value));
    }
    if (selfClosing && !VOID.has(name)) bad(`self-closing non-void <${name}/>`, lt);
    const id = attrs.get('id');
    if (id !== undefined) {
      if (id === '' || /\s/.test(id)) bad(`invalid id ${JSON.stringify(id)}`, lt);
      if (ids.has(id)) bad(`duplicate id ${JSON.stringify(id)}`, lt);
      ids.set(id, lt);
    }
    if (attrs.has('for')) refs.push(['label for', attrs.get('for'), lt]);
    for (const r of (attrs.get('aria-describedby') || '').split(/\s+/).filter(Boolean)) refs.push(['aria-describedby', r, lt]);
    if (name === 'a' && /^#./.test(attrs.get('href') || '')) refs.push(['a href', attrs.get('href').slice(1), lt]);
    if (name in counts) counts[name]++;
    if (name === 'html') {
      if (!attrs.get('lang')) bad('<html> without lang', lt);
      if (!attrs.get('dir')) bad('<html> without dir', lt);
      if (stack.length) bad('<html> inside another element', lt);
    }
    if ((name === 'form' || name === 'a') && stack.includes(name)) bad(`<${name}> inside a <${name}>`, lt);
    if (BLOCK_IN_P.has(name) && stack[stack.length - 1] === 'p') bad(`<${name}> inside a <p>`, lt);
    i = j;
    if (RAW_TEXT.has(name)) {
      const endRe = new RegExp(`</${name}\\s*>`, 'i');
      const m = endRe.exec(html.slice(i));
      if (!m) {
        bad(`<${name}> never closed`, lt);
        break;
      }
      const content = html.slice(i, i + m.index);
      if (name === 'title') title = content;
      if (name === 'textarea' || name === 'title') text(content, i);
      i += m.index + m[0].length;
      continue;
    }
    if (!VOID.has(name) && !selfClosing) stack.push(name);
  }
  if (stack.length) bad(`elements never closed: ${stack.join(' > ')}`, html.length);
  for (const [what, ref, at] of refs) if (!ids.has(ref)) bad(`${what}="${ref}" points at no id`, at);
  for (const [k, n] of Object.entries(counts)) if (n !== 1) bad(`${n} <${k}> elements`, 0);
  const t = htmlDecode(title || '').trim();
  if (!t) bad('empty <title>', 0);
  else if (/^·/.test(t)) bad(`the title names only the site: ${JSON.stringify(t)}`, 0);
  return { problems, lang: /<html\b[^>]*\blang="([^"]*)"/.exec(html)?.[1], dir: /<html\b[^>]*\bdir="([^"]*)"/.exec(html)?.[1] };
}

function assertHtml(r, what) {
  assert.match(r.headers.get('content-type') || '', /^text\/html; charset=utf-8$/i, `${what}: content type`);
  const { problems, lang, dir } = checkHtml(r.text);
  assert.deepEqual(problems, [], `${what}: HTML problems`);
  assert.ok(['ar', 'fr', 'en'].includes(lang), `${what}: lang ${lang}`);
  assert.equal(dir, lang === 'ar' ? 'rtl' : 'ltr', `${what}: dir for ${lang}`);
  return { lang, dir };
}

function assertSecurityHeaders(r, what, key) {
  const csp = r.headers.get('content-security-policy') || '';
  assert.match(csp, /default-src 'self'/, `${what}: Content-Security-Policy`);
  assert.match(csp, /frame-ancestors 'none'/, `${what}: CSP frame-ancestors`);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/, `${what}: CSP without unsafe-*`);
  assert.match(csp, /script-src 'self'(;|$)/, `${what}: CSP script-src only from files`);
  assert.equal(r.headers.get('x-content-type-options'), 'nosniff', `${what}: X-Content-Type-Options`);
  assert.equal(r.headers.get('x-frame-options'), 'DENY', `${what}: X-Frame-Options`);
  assert.equal(r.headers.get('referrer-policy'), 'same-origin', `${what}: Referrer-Policy`);
  assert.equal(r.headers.get('strict-transport-security'), null, `${what}: no HSTS without --behind-tls`);
  for (const c of r.setCookies || []) {
    assert.ok(c.attrs.httponly, `${what}: cookie ${c.name} HttpOnly`);
    assert.match(String(c.attrs.samesite), /^(Strict|Lax)$/, `${what}: cookie ${c.name} SameSite`);
    assert.equal(c.attrs.path, '/', `${what}: cookie ${c.name} Path=/`);
    assert.ok(!c.attrs.secure && !c.name.startsWith('__Host-'), `${what}: cookie ${c.name} plain without --behind-tls`);
  }
  const cc = r.headers.get('cache-control');
  if (key && CACHEABLE[key] && r.status === 200) assert.match(cc || '', CACHEABLE[key], `${what}: Cache-Control`);
  else assert.equal(cc, 'no-store', `${what}: Cache-Control`);
}

// ---------------------------------------------------------------- fixtures

let env;
let admin; // bearer
let ids; // {coop, person, org, coop2}: records of region 03
let sessions = {}; // role -> logged-in session

before(async () => {
  env = await setupServer();
  admin = await tokenClient(env.base, env.db, 'admin');
  const mk = async (p, data) => {
    const r = await admin.api('POST', p, data);
    assert.equal(r.status, 201, `${p}: ${r.text}`);
    return r.json();
  };
  const coop = await mk('/api/v1/cooperatives', coopData({ region_code: '03' }));
  const coop2 = await mk('/api/v1/cooperatives', coopData({ region_code: '03' }));
  const person = await mk('/api/v1/people', personData({ region_code: '03', national_id: 'RT123456' }));
  const org = await mk('/api/v1/organisations', orgData());
  ids = { coop: coop.id, coop2: coop2.id, coop2reg: coop2.register_number, person: person.id, org: org.id };
  for (const role of Object.keys(ROLE_PERMS)) sessions[role] = await loggedIn(env.base, role);
  const m = await sessions.admin.postForm(`/people/${person.id}/memberships`, [['register_number', coop.register_number], ['role', 'member']]);
  assert.equal(m.status, 303, m.text.slice(0, 300));
  ids.draws = await drawFixtures(admin);
  ids.programs = await programFixtures(admin, org.id);
  ids.call = await callFixture(admin, ids.programs.tranche);
  ids.apps = await applicationFixtures(admin, ids.call);
  const run = await admin.api('POST', `/api/v1/calls/${ids.call}/selection`, { confirm_unscored: true });
  assert.equal(run.status, 201, run.text);
  ids.run = run.json().id;
  ids.evals = await evaluationFixtures(ids.programs.tranche);
  ids.users = await userFixtures();
  ids.token = await newTokenId(env.db);
  ids.mfa = await secondFactorFixtures();
});

after(async () => {
  if (env && env.server.exited() === null) await env.server.stop();
  cleanupDirs();
});

/** The concrete path of a route: {id} replaced by a record of the right kind. */
function pathOf(route) {
  if (!route.pattern.includes('{id}')) return route.pattern;
  const base = route.pattern.replace(/^\/api\/v1/, '');
  if (/^\/(programs|tranches)\//.test(base)) return route.pattern.replace('{id}', String(ids.programs[base.startsWith('/tranches/') ? 'tranche' : 'program']));
  if (base.startsWith('/selection-runs/')) return route.pattern.replace('{id}', String(ids.run));
  if (base.startsWith('/calls/')) return route.pattern.replace('{id}', String(ids.call));
  if (/^\/applications\/\{id\}\/evaluat/.test(base)) return route.pattern.replace('{id}', String(ids.evals[route.key] ?? ids.evals.read));
  if (base.startsWith('/applications/')) return route.pattern.replace('{id}', String(ids.apps[route.key] ?? ids.apps.read));
  if (/^\/(admin\/)?users\//.test(base)) return route.pattern.replace('{id}', String(ids.users[route.key] ?? ids.users.read));
  if (/^\/(public\/)?draws\//.test(base)) return route.pattern.replace('{id}', String(ids.draws[route.key] ?? ids.draws.drawn));
  if (base.startsWith('/admin/tokens/')) return route.pattern.replace('{id}', String(ids.token));
  // The register's first entry (seeded by migration 012).
  if (/^\/(admin\/)?processing\//.test(base)) return route.pattern.replace('{id}', '1');
  const kind = base.startsWith('/cooperatives/') ? 'coop' : base.startsWith('/people/') ? 'person' : base.startsWith('/organisations/') ? 'org' : null;
  assert.ok(kind, `routes.test.mjs knows no record kind for ${route.pattern}: teach pathOf()`);
  return route.pattern.replace('{id}', String(ids[kind]));
}

/** Draws (tests/http/draws.test.mjs tests them in depth): a drawn one for every read route, and
 * for each write route on a draw one in the state that route needs, so that the first accepted
 * request succeeds (drawing or publishing it again is a legitimate 409). */
const DRAW_POOL = ['Alpha', 'Beta', 'Gamma', 'Delta'];
const DRAW_SOURCES = '9319\n2 5 12 8 10\n';
const drawData = () => ({ title: `Tirage ${uniqueWord('dr')}`, select_count: 2, sources_announced: 'Loto national', pool: DRAW_POOL });
async function drawFixtures(client) {
  const mk = async (stage) => {
    const r = await client.api('POST', '/api/v1/draws', drawData());
    assert.equal(r.status, 201, r.text);
    const { id } = r.json();
    if (stage !== 'draft') assert.equal((await client.api('POST', `/api/v1/draws/${id}/publish`)).status, 200);
    if (stage === 'drawn') assert.equal((await client.api('POST', `/api/v1/draws/${id}/result`, { sources: DRAW_SOURCES })).status, 200);
    return id;
  };
  return {
    drawn: await mk('drawn'),
    'POST /draws/{id}/publish': await mk('draft'),
    'POST /api/v1/draws/{id}/publish': await mk('draft'),
    'POST /draws/{id}/result': await mk('published'),
    'POST /api/v1/draws/{id}/result': await mk('published'),
  };
}
async function drawVersion(key) {
  return String((await admin.api('GET', `/api/v1/draws/${ids.draws[key]}`)).json().version);
}
async function drawSnapshot() {
  const r = (await admin.api('GET', '/api/v1/draws?per_page=200')).json();
  return { total: r.total, items: r.items.map((d) => [d.id, d.status, d.version, d.key]) };
}

/** Programs (tests/http/programs.test.mjs tests them in depth): one with every list and a
 * tranche with phases and region targets. Tranches created by the write routes take the next
 * free number. */
const programData = () => ({ code: uniqueWord('pg').toUpperCase(), name_ar: 'برنامج الاختبار', name_fr: `Programme ${uniqueWord('pg')}`, name_en: 'Test program', start_year: 2023, end_year: 2026, target_total: 200, target_per_year: 100 });
async function programFixtures(client, orgId) {
  const p = await client.api('POST', '/api/v1/programs', {
    ...programData(),
    operator_id: orgId,
    partners: [{ organisation_id: orgId, role: 'funder' }],
    pillars: [{ code: 'governance', name_ar: 'الحكامة', name_fr: 'Gouvernance', name_en: 'Governance' }],
    components: [{ kind: 'individual_coaching', sessions: 12, months: 24 }],
  });
  assert.equal(p.status, 201, p.text);
  const t = await client.api('POST', `/api/v1/programs/${p.json().id}/tranches`, { number: 1, start_year: 2025, end_year: 2026, target_total: 100, phases: [{ number: 1, year: 2025, target_total: 50 }, { number: 2, year: 2026, target_total: 50 }], region_targets: [{ region_code: '03', target: 60 }] });
  assert.equal(t.status, 201, t.text);
  return { program: p.json().id, tranche: t.json().id };
}
async function programSnapshot() {
  const list = (await admin.api('GET', '/api/v1/programs')).json();
  const one = (await admin.api('GET', `/api/v1/programs/${ids.programs.program}`)).json();
  return { total: list.total, one };
}
async function nextTranche() {
  const p = (await admin.api('GET', `/api/v1/programs/${ids.programs.program}`)).json();
  return Math.max(0, ...p.tranches.map((t) => t.number)) + 1;
}

/** Calls (tests/http/calls.test.mjs tests them in depth): one call of the fixture tranche. */
const callData = (tranche) => {
  const w = uniqueWord('cl').toUpperCase();
  return { tranche_id: tranche, code: `C-${w}`, title_ar: `طلب ${w}`, title_fr: `Appel ${w}`, title_en: `Call ${w}`, opens_on: '2026-01-15', closes_on: '2026-03-15', reference_date: '2026-03-15', min_score: 60 };
};
async function callFixture(client, tranche) {
  const r = await client.api('POST', '/api/v1/calls', callData(tranche));
  assert.equal(r.status, 201, r.text);
  return r.json().id;
}
/** Applications (tests/http/applications.test.mjs tests them in depth): a submitted one for the
 * read routes and, for each write route, one in the status it needs (a draft to edit, submit or
 * withdraw, a submitted one to re-evaluate), so that the first accepted request succeeds; and
 * cooperatives without an application for the routes that create one. */
async function applicationFixtures(client, call) {
  const coop = async () => {
    const r = await client.api('POST', '/api/v1/cooperatives', coopData({ region_code: '03' }));
    assert.equal(r.status, 201, r.text);
    return r.json();
  };
  const mk = async (submitted) => {
    const c = await coop();
    const r = await client.api('POST', '/api/v1/applications', { call_id: call, cooperative_id: c.id, project_summary: 'Projet de test' });
    assert.equal(r.status, 201, r.text);
    if (submitted) assert.equal((await client.api('POST', `/api/v1/applications/${r.json().id}/submit`)).status, 200);
    return r.json().id;
  };
  const free = async () => (await coop()).register_number;
  return {
    read: await mk(true),
    'GET /applications/{id}/edit': await mk(false),
    'POST /applications/{id}': await mk(false),
    'PATCH /api/v1/applications/{id}': await mk(false),
    'POST /applications/{id}/submit': await mk(false),
    'POST /api/v1/applications/{id}/submit': await mk(false),
    'POST /applications/{id}/withdraw': await mk(false),
    'POST /api/v1/applications/{id}/withdraw': await mk(true),
    'POST /applications/{id}/reevaluate': await mk(true),
    'POST /api/v1/applications/{id}/reevaluate': await mk(true),
    free: { page: await free(), api: await free(), importPage: await free(), importApi: await free() },
  };
}
async function appVersion(key) {
  return String((await admin.api('GET', `/api/v1/applications/${ids.apps[key]}`)).json().version);
}
async function applicationSnapshot() {
  const r = (await admin.api('GET', '/api/v1/applications?per_page=200')).json();
  return { total: r.total, counts: r.counts, items: r.items.map((a) => [a.id, a.status, a.version, a.project_summary]) };
}

/** Evaluations (tests/http/evaluations.test.mjs tests them in depth): eligible applications
 * entered by officer06 (who may not evaluate them). One for the read routes, every other role
 * assigned to it and two of them with submitted scores; and for each write route one in the
 * state it needs: admin assigned (to declare, or declared and scoring), nobody yet (to assign),
 * coach and viewer assigned (to remove) or submitted (to reopen). The page and the API share a
 * fixture where the first acts on coach and the second on viewer. They belong to a call of
 * their own, open now; the call routes use the call fixture. */
async function evaluationFixtures(tranche) {
  // A call open until long after today, so that an officer may enter applications to it.
  const open = await admin.api('POST', '/api/v1/calls', { ...callData(tranche), closes_on: '2099-12-31' });
  assert.equal(open.status, 201, open.text);
  const call = open.json().id;
  const creator = await tokenClient(env.base, env.db, 'officer06');
  const users = (await admin.api('GET', '/api/v1/evaluators')).json().items;
  const uid = Object.fromEntries(users.map((u) => [u.login, u.id]));
  const as = {};
  for (const l of ['coach', 'viewer']) as[l] = await tokenClient(env.base, env.db, l);
  as.admin = admin;
  const six = { economic_viability: 8, social_responsibility: 7, innovation: 9, territorial_approach: 6, gender_equality: 10, national_alignment: 5 };
  const mk = async (evaluators = [], { declared = [], submitted = [] } = {}) => {
    const c = await admin.api('POST', '/api/v1/cooperatives', coopData({ region_code: '06', legal_date: '2023-05-10', activity_start_date: '2023-09-01' }));
    assert.equal(c.status, 201, c.text);
    const a = await creator.api('POST', '/api/v1/applications', { call_id: call, cooperative_id: c.json().id, project_summary: 'Projet évalué' });
    assert.equal(a.status, 201, a.text);
    const id = a.json().id;
    const s = await creator.api('POST', `/api/v1/applications/${id}/submit`);
    assert.equal(s.status, 200, s.text);
    assert.equal(s.json().status, 'eligible', 'an eligible application to evaluate');
    if (evaluators.length) assert.equal((await admin.api('POST', `/api/v1/applications/${id}/evaluators`, { evaluator_ids: evaluators.map((l) => uid[l]) })).status, 200);
    for (const l of [...declared, ...submitted]) assert.equal((await as[l].api('POST', `/api/v1/applications/${id}/evaluation/declare`, { no_conflict: true })).status, 200);
    for (const l of submitted) assert.equal((await as[l].api('POST', `/api/v1/applications/${id}/evaluation/submit`, { scores: six, comment: 'Bon projet' })).status, 200);
    return id;
  };
  const draft = await mk(['admin'], { declared: ['admin'] });
  const declare = await mk(['admin']);
  const conflict = await mk(['admin']);
  const assign = await mk();
  const remove = await mk(['coach', 'viewer']);
  const reopen = await mk(['coach', 'viewer'], { submitted: ['coach', 'viewer'] });
  return {
    uid,
    six,
    read: await mk(['admin', 'manager', 'officer03', 'coach', 'viewer'], { submitted: ['coach', 'viewer'] }),
    'POST /applications/{id}/evaluation': draft,
    'PATCH /api/v1/applications/{id}/evaluation': draft,
    'POST /applications/{id}/evaluation/declare': declare,
    'POST /api/v1/applications/{id}/evaluation/declare': declare,
    'POST /applications/{id}/evaluation/conflict': conflict,
    'POST /api/v1/applications/{id}/evaluation/conflict': conflict,
    'POST /api/v1/applications/{id}/evaluation/submit': await mk(['admin'], { declared: ['admin'] }),
    'POST /applications/{id}/evaluators': assign,
    'POST /api/v1/applications/{id}/evaluators': assign,
    'POST /applications/{id}/evaluators/remove': remove,
    'POST /api/v1/applications/{id}/evaluators/remove': remove,
    'POST /applications/{id}/evaluations/reopen': reopen,
    'POST /api/v1/applications/{id}/evaluations/reopen': reopen,
  };
}
async function evaluationSnapshot() {
  const out = {};
  for (const id of new Set(Object.values(ids.evals).filter((v) => typeof v === 'number'))) {
    const r = (await admin.api('GET', `/api/v1/applications/${id}/evaluations`)).json();
    out[id] = { status: r.application.status, total: r.application.total, evaluations: r.evaluations.map((e) => [e.evaluator_login, e.state, e.version, e.scores]) };
  }
  out.overview = (await admin.api('GET', `/api/v1/calls/${ids.call}/evaluations?per_page=1`)).json().total;
  return out;
}

/** Accounts (tests/http/accounts.test.mjs tests them in depth): fixture users of their own (the
 * demo users log in here, so they are never disabled or reset): one to read, and one per write
 * route in the state it needs (a disabled one to enable). 'self' has a temporary password and
 * changes it by POST /account/password. */
const USER_TEMP = 'routes-temporary-2026';
async function userFixtures() {
  const mk = async (disabled = false) => {
    const r = await admin.api('POST', '/api/v1/users', { login: uniqueWord('us').toLowerCase().slice(0, 30), role: 'coach', password: USER_TEMP });
    assert.equal(r.status, 201, r.text);
    if (disabled) assert.equal((await admin.api('POST', `/api/v1/users/${r.json().id}/disable`)).status, 200);
    return r.json();
  };
  const self = await mk();
  return {
    read: (await mk()).id,
    selfLogin: self.login,
    'POST /admin/users/{id}': (await mk()).id,
    'POST /admin/users/{id}/disable': (await mk()).id,
    'POST /admin/users/{id}/enable': (await mk(true)).id,
    'POST /admin/users/{id}/password': (await mk()).id,
    'PATCH /api/v1/users/{id}': (await mk()).id,
    'POST /api/v1/users/{id}/disable': (await mk()).id,
    'POST /api/v1/users/{id}/enable': (await mk(true)).id,
    'POST /api/v1/users/{id}/password': (await mk()).id,
    'POST /admin/users/{id}/totp-reset': (await mk()).id,
    'POST /api/v1/users/{id}/totp-reset': (await mk()).id,
  };
}
/** The second factor (tests/http/totp.test.mjs tests it in depth): for each route of one's own
 * setup, a user of its own in the state it needs: none (to start), a setup under way (to
 * confirm, with its secret), on (to make recovery codes, to turn off). Those with the factor on
 * log in with a recovery code, so that the codes of the current steps stay unused. */
const MFA_PASSWORD = 'routes-second-factor-2026';
async function secondFactorFixtures() {
  const mk = async () => {
    const login = uniqueWord('mf').toLowerCase().replace(/[^a-z0-9]/g, '').slice(0, 30);
    await runOk(['user', 'add', '--db', env.db, '--login', login, '--role', 'coach', '--password-stdin'], { input: `${MFA_PASSWORD}\n` });
    const c = await loggedIn(env.base, login, MFA_PASSWORD);
    return { login, c };
  };
  const setup = async (u) => {
    await u.c.get('/account/security');
    assert.equal((await u.c.postForm('/account/security/setup', {})).status, 303);
    u.secret = totpSecretOf((await u.c.get('/account/security')).text);
    return u;
  };
  const on = async (u) => {
    await setup(u);
    u.step = totpStep() - 1; // the step before: the current and the next stay unused
    const r = await u.c.postForm('/account/security/confirm', { code: totpCode(u.secret, u.step) });
    assert.equal(r.status, 200, r.text.slice(0, 300));
    u.recovery = recoveryCodesOf(r.text);
    assert.equal(u.recovery.length, 10);
    return u;
  };
  return {
    'POST /account/security/setup': await mk(),
    'POST /account/security/confirm': await setup(await mk()),
    'POST /account/security/recovery': await on(await mk()),
    'POST /account/security/disable': await on(await mk()),
  };
}
/** A session of the second factor fixture of route, logged in through both steps when the
 * factor is on (with its next recovery code). */
async function secondFactorSession(key) {
  const u = ids.mfa[key];
  if (!u.recovery) return loggedIn(env.base, u.login, MFA_PASSWORD);
  const c = new Client(env.base);
  await c.get('/login');
  const r = await c.postForm('/login', { login: u.login, password: MFA_PASSWORD, next: '/' });
  assert.equal(r.location, '/login/totp');
  await c.get('/login/totp');
  const s = await c.postForm('/login/totp', { code: u.recovery.shift() });
  assert.equal(s.status, 303, s.text.slice(0, 300));
  await c.get('/account/security');
  return c;
}

async function userVersion(key) {
  return String((await admin.api('GET', `/api/v1/users/${ids.users[key]}`)).json().version);
}
async function userSnapshot() {
  const r = (await admin.api('GET', '/api/v1/users')).json();
  return { total: r.total, items: r.items.map((u) => [u.id, u.login, u.role, u.regions, u.disabled, u.must_change_password, u.version]) };
}

async function callSnapshot() {
  const list = (await admin.api('GET', '/api/v1/calls')).json();
  const one = (await admin.api('GET', `/api/v1/calls/${ids.call}`)).json();
  return { total: list.total, version: one.version, rules_version: one.rules_version, title_en: one.title_en };
}

/** The state that no refused request may change. */
async function snapshot() {
  const get = async (p) => {
    const r = await admin.api('GET', p);
    assert.equal(r.status, 200, `${p}: ${r.text.slice(0, 200)}`);
    return r.json();
  };
  const [coop, person, org, coops, people, orgs] = await Promise.all([
    get(`/api/v1/cooperatives/${ids.coop}`),
    get(`/api/v1/people/${ids.person}`),
    get(`/api/v1/organisations/${ids.org}`),
    get('/api/v1/cooperatives?per_page=1'),
    get('/api/v1/people?per_page=1'),
    get('/api/v1/organisations?per_page=1'),
  ]);
  return { coop, person, org, totals: [coops.total, people.total, orgs.total], draws: await drawSnapshot(), programs: await programSnapshot(), calls: await callSnapshot(), applications: await applicationSnapshot(), evaluations: await evaluationSnapshot(), users: await userSnapshot() };
}

/** A body that the route would accept (so that a refusal is due to what is missing). */
async function bodyFor(route) {
  const snap = await snapshot();
  const version = (rec) => [['version', String(rec.version)]];
  const w = uniqueWord('rt');
  const bodies = {
    'POST /login': { form: [['login', 'admin'], ['password', DEMO_PASSWORD], ['next', '/']] },
    'POST /logout': { form: [] },
    'POST /lang': { form: [['lang', 'en'], ['next', '/about']] },
    'POST /cooperatives': { form: coopForm(coopData({ region_code: '03' })) },
    'POST /cooperatives/{id}': { form: [...version(snap.coop), ...coopForm({ ...stripComputed(snap.coop), notes: `changed ${w}` })] },
    'POST /people': { form: plainForm(personData()) },
    'POST /people/{id}': { form: [...version(snap.person), ...plainForm({ ...stripComputed(snap.person), phone: '0611223344' })] },
    'POST /people/{id}/memberships': { form: [['register_number', ids.coop2reg], ['role', 'member']] },
    'POST /people/{id}/memberships/remove': { form: [['cooperative_id', String(ids.coop)]] },
    'POST /organisations': { form: plainForm(orgData()) },
    'POST /organisations/{id}': { form: [...version(snap.org), ...plainForm({ ...stripComputed(snap.org), notes: `changed ${w}` })] },
    'POST /api/v1/cooperatives': { json: coopData() },
    'PATCH /api/v1/cooperatives/{id}': { json: { notes: `changed ${w}` } },
    'POST /api/v1/people': { json: personData() },
    'PATCH /api/v1/people/{id}': { json: { phone: '0611223344' } },
    'POST /api/v1/organisations': { json: orgData() },
    'PATCH /api/v1/organisations/{id}': { json: { notes: `changed ${w}` } },
    'POST /draws': { form: plainForm({ ...drawData(), pool: DRAW_POOL.join('\n') }) },
    'POST /draws/{id}/publish': { form: [['version', await drawVersion('POST /draws/{id}/publish')]] },
    'POST /draws/{id}/result': { form: [['version', await drawVersion('POST /draws/{id}/result')], ['sources', DRAW_SOURCES]] },
    'POST /api/v1/draws': { json: drawData() },
    'POST /api/v1/draws/{id}/publish': { json: { version: Number(await drawVersion('POST /api/v1/draws/{id}/publish')) } },
    'POST /api/v1/draws/{id}/result': { json: { sources: DRAW_SOURCES } },
    'POST /programs': { form: plainForm(programData()) },
    'POST /programs/{id}': { form: [...version(snap.programs.one), ['description', `changed ${w}`]] },
    'POST /programs/{id}/tranches': { form: plainForm({ number: await nextTranche(), start_year: 2023, end_year: 2024, target_total: 10 }) },
    'POST /tranches/{id}': { form: [...version(snap.programs.one.tranches.find((t) => t.id === ids.programs.tranche)), ['target_total', '100']] },
    'POST /api/v1/programs': { json: programData() },
    'PATCH /api/v1/programs/{id}': { json: { description: `changed ${w}` } },
    'POST /api/v1/programs/{id}/tranches': { json: { number: await nextTranche(), start_year: 2023, end_year: 2024, target_total: 10 } },
    'PATCH /api/v1/tranches/{id}': { json: { target_total: 100 } },
    'POST /calls': { form: plainForm(callData(ids.programs.tranche)) },
    'POST /calls/{id}': { form: [['version', String(snap.calls.version)], ...plainForm({ ...callData(ids.programs.tranche), title_en: `changed ${w}` }), ['criteria[0].key', 'viability'], ['criteria[0].label_ar', 'الجدوى'], ['criteria[0].label_fr', 'Viabilité'], ['criteria[0].label_en', 'Viability'], ['criteria[0].weight', '1'], ['criteria[0].max', '10']] },
    'POST /calls/{id}/rules': { form: [['rules_version', String(snap.calls.rules_version)], ['status_active.on', '1'], ['action', 'save']] },
    'POST /calls/{id}/rules/preview': { form: [['status_active.on', '1']] },
    'POST /api/v1/calls': { json: callData(ids.programs.tranche) },
    'PATCH /api/v1/calls/{id}': { json: { title_en: `changed ${w}` } },
    'POST /api/v1/calls/{id}/rules': { json: { rules_version: snap.calls.rules_version, rules: [{ kind: 'status_active' }] } },
    'POST /api/v1/calls/{id}/rules/preview': { json: { rules: [] } },
    'POST /calls/{id}/selection': { form: [['confirm_unscored', '0'], ['confirm_unscored', '1']] },
    'POST /api/v1/calls/{id}/selection': { json: { confirm_unscored: true } },
    'POST /applications': { form: [['call_id', String(ids.call)], ['register_number', ids.apps.free.page], ['project_summary', 'Projet'], ['requested_support', '']] },
    'POST /applications/{id}': { form: [['version', await appVersion('POST /applications/{id}')], ['project_summary', `changed ${w}`]] },
    'POST /applications/{id}/submit': { form: [['version', await appVersion('POST /applications/{id}/submit')]] },
    'POST /applications/{id}/withdraw': { form: [['version', await appVersion('POST /applications/{id}/withdraw')], ['withdraw_reason', 'Doublon']] },
    'POST /applications/{id}/reevaluate': { form: [['version', await appVersion('POST /applications/{id}/reevaluate')], ['reevaluate_reason', 'Règles corrigées']] },
    'POST /calls/{id}/applications/import': { form: [['csv', `register_number,project_summary\n${ids.apps.free.importPage},Projet\n`], ['all_or_nothing', '0']] },
    'POST /api/v1/applications': { json: { call_id: ids.call, register_number: ids.apps.free.api, project_summary: 'Projet' } },
    'PATCH /api/v1/applications/{id}': { json: { project_summary: `changed ${w}` } },
    'POST /api/v1/applications/{id}/submit': { json: {} },
    'POST /api/v1/applications/{id}/withdraw': { json: { reason: 'Doublon' } },
    'POST /api/v1/applications/{id}/reevaluate': { json: { reason: 'Règles corrigées' } },
    'POST /api/v1/calls/{id}/applications/import': { json: { csv: `register_number\n${ids.apps.free.importApi}\n`, all_or_nothing: false } },
    'POST /applications/{id}/evaluation': { form: [['version', ''], ['scores.innovation', '5'], ['comment', `draft ${w}`], ['action', 'save']] },
    'POST /applications/{id}/evaluation/declare': { form: [['no_conflict', '0'], ['no_conflict', '1']] },
    'POST /applications/{id}/evaluation/conflict': { form: [['note', 'Un parent']] },
    'POST /applications/{id}/evaluators': { form: [['evaluator', String(ids.evals.uid.coach)]] },
    'POST /applications/{id}/evaluators/remove': { form: [['evaluator_id', String(ids.evals.uid.coach)]] },
    'POST /applications/{id}/evaluations/reopen': { form: [['evaluator_id', String(ids.evals.uid.coach)], ['reason', 'À revoir']] },
    'POST /calls/{id}/evaluators': { form: [['bulk_region', '12'], ['evaluator', String(ids.evals.uid.coach)]] },
    'PATCH /api/v1/applications/{id}/evaluation': { json: { scores: { innovation: 6 }, comment: `draft ${w}` } },
    'POST /api/v1/applications/{id}/evaluation/declare': { json: { no_conflict: true } },
    'POST /api/v1/applications/{id}/evaluation/conflict': { json: { note: 'Un parent' } },
    'POST /api/v1/applications/{id}/evaluation/submit': { json: { scores: ids.evals.six } },
    'POST /api/v1/applications/{id}/evaluators': { json: { evaluator_ids: [ids.evals.uid.viewer] } },
    'POST /api/v1/applications/{id}/evaluators/remove': { json: { evaluator_id: ids.evals.uid.viewer } },
    'POST /api/v1/applications/{id}/evaluations/reopen': { json: { evaluator_id: ids.evals.uid.viewer, reason: 'À revoir' } },
    'POST /api/v1/calls/{id}/evaluators': { json: { evaluator_ids: [ids.evals.uid.coach], region: '12' } },
    'POST /admin/users': { form: [['login', uniqueWord('us').toLowerCase().slice(0, 30)], ['role', 'regional_officer'], ['regions', '03'], ['lang', 'fr'], ['password', USER_TEMP]] },
    'POST /admin/users/{id}': { form: [['version', await userVersion('POST /admin/users/{id}')], ['role', 'viewer'], ['regions', '05'], ['lang', 'fr']] },
    'POST /admin/users/{id}/disable': { form: [['version', await userVersion('POST /admin/users/{id}/disable')]] },
    'POST /admin/users/{id}/enable': { form: [['version', await userVersion('POST /admin/users/{id}/enable')]] },
    'POST /admin/users/{id}/password': { form: [['version', await userVersion('POST /admin/users/{id}/password')], ['password', '']] },
    'POST /admin/users/{id}/tokens': { form: [['label', `routes ${w}`], ['days', '5']] },
    'POST /admin/tokens/{id}/revoke': { form: [] },
    'POST /account/password': { form: [['current_password', USER_TEMP], ['password', 'routes-own-password-2026'], ['password_confirm', 'routes-own-password-2026']] },
    'POST /api/v1/users': { json: { login: uniqueWord('us').toLowerCase().slice(0, 30), role: 'viewer', regions: ['03'], password: USER_TEMP } },
    'PATCH /api/v1/users/{id}': { json: { role: 'regional_officer', regions: ['03', '06'], version: Number(await userVersion('PATCH /api/v1/users/{id}')) } },
    'POST /api/v1/users/{id}/disable': { json: { version: Number(await userVersion('POST /api/v1/users/{id}/disable')) } },
    'POST /api/v1/users/{id}/enable': { json: {} },
    'POST /api/v1/users/{id}/password': { json: { password: 'routes-reset-password-2026' } },
    'POST /login/totp': { form: [['code', '000000']] },
    'POST /account/security/setup': { form: [] },
    'POST /account/security/confirm': { form: [['code', totpCode(ids.mfa['POST /account/security/confirm'].secret, totpStep())]] },
    'POST /account/security/recovery': { form: [] },
    'POST /account/security/disable': { form: [['code', totpCode(ids.mfa['POST /account/security/disable'].secret, Math.max(totpStep(), ids.mfa['POST /account/security/disable'].step + 1))]] },
    'POST /admin/security': { form: [['admin', '0'], ['program_manager', '0'], ['regional_officer', '0'], ['coach', '0'], ['viewer', '0']] },
    'PATCH /api/v1/second-factor-policy': { json: { required: { viewer: false } } },
    'POST /admin/users/{id}/totp-reset': { form: [['version', await userVersion('POST /admin/users/{id}/totp-reset')]] },
    'POST /api/v1/users/{id}/totp-reset': { json: {} },
  };
  const privacy = await privacyBody(route.key);
  if (privacy) return privacy;
  return bodies[route.key] || (route.api ? { json: {} } : { form: [['x', '1']] });
}

/** Bodies of the personal-data routes (src/privacy/): made only when asked, because some need
 * a consent in force or an objection standing first. */
async function privacyBody(key) {
  const now = new Date();
  const day = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
  const consent = async () => {
    const r = await admin.api('POST', `/api/v1/people/${ids.person}/consents`, { given_on: day, wording_version: 1, channel: 'paper' });
    assert.equal(r.status, 201, r.text);
    return r.json().id;
  };
  const objection = async () => {
    const r = await admin.api('POST', `/api/v1/people/${ids.person}/objection`, { objected_on: day, reason: 'routes' });
    assert.equal(r.status, 200, r.text);
  };
  const version = async () => String((await admin.api('GET', '/api/v1/processing/1')).json().version);
  switch (key) {
    case 'POST /admin/processing/{id}': return { form: [['version', await version()], ['retention_months', '60']] };
    case 'PATCH /api/v1/processing/{id}': return { json: { retention_months: 60 } };
    case 'POST /people/{id}/consents': return { form: [['given_on', day], ['wording_version', '1'], ['channel', 'oral']] };
    case 'POST /api/v1/people/{id}/consents': return { json: { given_on: day, wording_version: 1, channel: 'oral' } };
    case 'POST /people/{id}/consents/withdraw': return { form: [['consent_id', String(await consent())], ['withdrawn_on', day]] };
    case 'POST /api/v1/people/{id}/consents/withdraw': return { json: { consent_id: await consent(), withdrawn_on: day } };
    case 'POST /people/{id}/objection': return { form: [['objected_on', day], ['reason', 'routes']] };
    case 'POST /api/v1/people/{id}/objection': return { json: { objected_on: day, reason: 'routes' } };
    case 'POST /people/{id}/objection/lift': await objection(); return { form: [] };
    case 'POST /api/v1/people/{id}/objection/lift': await objection(); return { json: {} };
    default: return null;
  }
}

function stripComputed(rec) {
  const out = {};
  for (const [k, v] of Object.entries(rec)) {
    if (['id', 'version', 'legal_age', 'created_at', 'updated_at', 'memberships'].includes(k)) continue;
    out[k] = v;
  }
  return out;
}

/** Sends route's request with body from client; opts.csrf: false (none), a string (that token) or true. */
function send(client, route, body, csrf) {
  const p = pathOf(route);
  if (body.json !== undefined) return client.request(p, { method: route.method, json: body.json, csrf });
  return client.request(p, { method: route.method, form: body.form, csrf });
}

const WRITES = ROUTES.filter((r) => r.method !== 'GET');

// ---------------------------------------------------------------- the table itself

describe('route table', () => {
  test('the HTML checker itself: accepts a good page, catches each kind of fault', () => {
    const page = (body, { head = '<title>Page · murafiq</title>', html = '<html lang="fr" dir="ltr">' } = {}) =>
      `<!doctype html>\n${html}<head><meta charset="utf-8">${head}</head><body>${body}</body></html>\n`;
    const good = page('<main id="m"><p>a &amp; b &#39; &lt;</p><label for="f">L</label><input id="f" name="x" required><br><textarea>&lt;x&gt;</textarea></main>');
    assert.deepEqual(checkHtml(good).problems, []);
    const faults = {
      'an unclosed div': page('<div><p>x</p>'),
      'tags closed out of order': page('<div><span>x</div></span>'),
      'a closed void element': page('<br></br>'),
      'an unquoted attribute': page('<a href=/x>x</a>'),
      'a duplicate id': page('<p id="a">x</p><p id="a">y</p>'),
      'a duplicate attribute': page('<p class="a" class="b">x</p>'),
      'a raw < in text': page('<p>1 < 2 <script>alert(1)</script></p>'),
      'a bare &': page('<p>a & b</p>'),
      'a < in an attribute': page('<input value="<b>">'),
      'no lang': page('<p>x</p>', { html: '<html dir="ltr">' }),
      'no dir': page('<p>x</p>', { html: '<html lang="fr">' }),
      'an empty title': page('<p>x</p>', { head: '<title> </title>' }),
      'a title naming only the site': page('<p>x</p>', { head: '<title> · murafiq</title>' }),
      'no title': page('<p>x</p>', { head: '' }),
      'a label for a missing id': page('<label for="nope">x</label>'),
      'a link to a missing id': page('<a href="#nope">x</a>'),
      'a form in a form': page('<form><form></form></form>'),
      'a div in a p': page('<p><div>x</div></p>'),
      'two html elements': page('<html lang="fr" dir="ltr"></html>'),
    };
    for (const [what, html] of Object.entries(faults)) assert.ok(checkHtml(html).problems.length > 0, `not caught: ${what}`);
  });

  test('every entry of routes.c is parsed', () => {
    const entries = (ROUTES_C.match(/\{\s*METHOD_[A-Z]+\s*,/g) || []).length;
    assert.ok(ROUTES.length >= 40, `parsed ${ROUTES.length} routes`);
    assert.equal(ROUTES.length, entries, 'a route entry the regex did not understand');
    const keys = new Set(ROUTES.map((r) => r.key));
    assert.equal(keys.size, ROUTES.length, 'no route twice');
    for (const r of ROUTES) {
      assert.ok(['GET', 'POST', 'PATCH'].includes(r.method), `${r.key}: a method these tests know`);
      assert.equal(r.api, r.pattern.startsWith('/api/'), `${r.key}: ROUTE_API exactly for /api/ paths`);
      for (const f of r.flags) assert.ok(['0', 'ROUTE_PUBLIC', 'ROUTE_API'].includes(f), `${r.key}: flag ${f}`);
    }
    assert.deepEqual(
      ROUTES.filter((r) => r.public).map((r) => r.key).sort(),
      ['GET /about', 'GET /healthz', 'GET /login', 'GET /login/totp', 'GET /public/draws/{id}', 'GET /public/draws/{id}/pool.txt', 'POST /lang', 'POST /login', 'POST /login/totp'],
      'the public routes',
    );
  });
});

// ---------------------------------------------------------------- without login

describe('without login', () => {
  const anonymous = () => new Client(env.base);
  const fakeSession = () => {
    const c = new Client(env.base);
    c.cookies.set('mq_session', '0123456789abcdef0123456789abcdef');
    return c;
  };

  for (const [what, make] of [['no cookie', anonymous], ['an unknown session cookie', fakeSession]]) {
    test(`with ${what}: HTML routes 303 to /login, API routes 401 JSON, public ones open; nothing changes`, async () => {
      const before = await snapshot();
      for (const route of ROUTES) {
        const c = make();
        const body = route.method === 'GET' ? null : await bodyFor(route);
        const r = body ? await send(c, route, body, false) : await c.get(pathOf(route));
        const label = `${route.key} (${what})`;
        assertSecurityHeaders(r, label, route.key);
        if (route.public) {
          if (route.method === 'GET') {
            assert.equal(r.status, 200, label);
            if (/^text\/html/.test(r.headers.get('content-type'))) assertHtml(r, label);
          } else {
            assert.equal(r.status, 403, `${label}: a public form needs its pre-login CSRF token`);
          }
        } else if (route.api) {
          assert.equal(r.status, 401, label);
          assert.match(r.headers.get('content-type'), /^application\/json/, label);
          assert.equal(r.json().error.code, 'unauthenticated', label);
        } else {
          assert.equal(r.status, 303, `${label}: ${r.status}`);
          const loc = new URL(r.location, env.base);
          assert.equal(loc.pathname, '/login', `${label}: Location ${r.location}`);
          assert.equal(loc.searchParams.get('next'), pathOf(route), `${label}: next`);
        }
      }
      assert.deepEqual(await snapshot(), before, 'nothing changed');
    });
  }

  test('a bad bearer token on every API route: 401', async () => {
    for (const route of ROUTES.filter((r) => r.api)) {
      const c = new Client(env.base, { bearer: 'mq_0000000000000000000000000000000000000000' });
      const r = route.method === 'GET' ? await c.get(pathOf(route)) : await send(c, route, await bodyFor(route), false);
      assert.equal(r.status, 401, route.key);
    }
  });

  test('an unsupported method on every known path: 405', async () => {
    for (const p of new Set(ROUTES.map(pathOf))) {
      const r = await anonymous().request(p, { method: 'DELETE' });
      assert.equal(r.status, 405, `DELETE ${p}`);
      assertSecurityHeaders(r, `DELETE ${p}`);
    }
  });
});

// ---------------------------------------------------------------- HTML of every GET route

describe('every GET page is well-formed HTML with the security headers', () => {
  const GETS = ROUTES.filter((r) => r.method === 'GET' && !r.api);

  for (const role of Object.keys(ROLE_PERMS)) {
    test(`as ${role}`, async () => {
      const c = sessions[role];
      let seen = 0;
      for (const route of GETS) {
        const label = `${route.key} as ${role}`;
        const r = await c.get(pathOf(route));
        assertSecurityHeaders(r, label, route.key);
        if (!allowed(role, route.perm)) {
          assert.equal(r.status, 403, label);
          assertHtml(r, label);
          seen++;
          continue;
        }
        if (LOGGED_IN_REDIRECTS[route.key]) {
          assert.equal(r.status, 303, label);
          assert.equal(r.location, LOGGED_IN_REDIRECTS[route.key], label);
          continue;
        }
        assert.equal(r.status, 200, `${label}: ${r.text.slice(0, 300)}`);
        const type = r.headers.get('content-type') || '';
        if (NON_HTML[route.key]) {
          assert.match(type, NON_HTML[route.key], label);
          continue;
        }
        const { lang } = assertHtml(r, label);
        if (role === 'admin') assert.equal(lang, 'ar', 'the admin reads Arabic');
        seen++;
      }
      assert.ok(seen >= GETS.length - Object.keys(NON_HTML).length - Object.keys(LOGGED_IN_REDIRECTS).length, `${seen} pages checked`);
    });
  }

  test('in French and English too (language switched by the form)', async () => {
    const c = await loggedIn(env.base, 'manager');
    for (const lang of ['fr', 'en', 'ar']) {
      const sw = await c.postForm('/lang', [['lang', lang], ['next', '/about']]);
      assert.equal(sw.status, 303);
      for (const route of GETS.filter((r) => !NON_HTML[r.key] && !LOGGED_IN_REDIRECTS[r.key] && allowed('manager', r.perm))) {
        const r = await c.get(pathOf(route));
        assert.equal(r.status, 200, `${route.key} in ${lang}`);
        assert.equal(assertHtml(r, `${route.key} in ${lang}`).lang, lang);
      }
    }
  });

  test('error pages, filtered and paged lists, 422 forms and the login page are well-formed too', async () => {
    const c = sessions.admin;
    const evil = encodeURIComponent(`"><script>x</script>&'`);
    for (const p of [
      '/people?region=03&sex=F&per_page=5&page=2',
      '/cooperatives?region=03&sector=agriculture&per_page=5&page=2',
      '/organisations?kind=funder&per_page=2&page=2',
      `/people?q=${evil}`,
      `/cooperatives?q=${evil}`,
      `/organisations?q=${evil}`,
    ]) {
      const r = await c.get(p);
      assert.equal(r.status, 200, p);
      assert.ok(!r.text.includes('<script>x'), `${p}: the query is escaped`);
      assertHtml(r, p);
    }
    const cf = await c.postForm('/cooperatives', [['name_fr', `"><script>x</script>`]]);
    assert.equal(cf.status, 422);
    assert.ok(!cf.text.includes('<script>x'));
    assertHtml(cf, 'the 422 cooperative form');
    for (const [p, status] of [['/no/such/page', 404], [`/people/999999999`, 404], ['/cooperatives?region=99', 400]]) {
      const r = await c.get(p);
      assert.equal(r.status, status, p);
      assertHtml(r, p);
      assertSecurityHeaders(r, p);
    }
    const r = await c.postForm('/people', plainForm(personData({ sex: 'X', birth_date: '2023-02-31', name_fr: '' })));
    assert.equal(r.status, 422);
    assertHtml(r, 'the 422 person form');
    const o = await c.postForm('/organisations', plainForm(orgData({ kind: '', website: 'ftp://x' })));
    assert.equal(o.status, 422);
    assertHtml(o, 'the 422 organisation form');
    const anon = new Client(env.base);
    const l = await anon.get('/login?next=/people');
    assertHtml(l, 'the login page');
    const bad = await anon.postForm('/login', [['login', 'admin'], ['password', 'wrong'], ['next', '/']]);
    assert.equal(bad.status, 401);
    assertHtml(bad, 'a failed login');
  });
});

// ---------------------------------------------------------------- escaping

describe('escaping of stored text', () => {
  const XSS = `<script>alert(1)</script>'"&`;
  const RAW = '<script>alert(1)</script>';
  let rec;

  before(async () => {
    const w = uniqueWord('xs');
    const mk = async (p, data) => {
      const r = await admin.api('POST', p, data);
      assert.equal(r.status, 201, `${p}: ${r.text}`);
      return r.json();
    };
    const coop = await mk('/api/v1/cooperatives', coopData({ region_code: '03', name_ar: `${XSS} ${w}`, name_fr: `${XSS} ${w}`, activity: XSS, address: XSS, notes: `${XSS}\n${XSS}` }));
    const person = await mk('/api/v1/people', personData({ region_code: '03', name_ar: `${XSS} ${w}`, name_fr: `${XSS} ${w}` }));
    const org = await mk('/api/v1/organisations', orgData({ name_ar: `${XSS} ${w}`, name_fr: `${XSS} ${w}`, acronym: XSS, notes: XSS }));
    const m = await sessions.admin.postForm(`/people/${person.id}/memberships`, [['register_number', coop.register_number], ['role', 'president']]);
    assert.equal(m.status, 303);
    rec = { w, coop, person, org };
  });

  const pages = () => [
    `/cooperatives?q=${rec.w}`,
    `/cooperatives/${rec.coop.id}`,
    `/cooperatives/${rec.coop.id}/edit`,
    `/people?q=${rec.w}`,
    `/people?cooperative=${rec.coop.id}`,
    `/people/${rec.person.id}`,
    `/people/${rec.person.id}/edit`,
    `/organisations?q=${rec.w}`,
    `/organisations/${rec.org.id}`,
    `/organisations/${rec.org.id}/edit`,
  ];

  for (const [who, lang] of [['admin', 'ar'], ['officer03', 'ar'], ['manager', 'fr']]) {
    test(`list, detail and edit pages escape it (${who}, ${lang})`, async () => {
      const c = who === 'manager' ? await loggedIn(env.base, 'manager') : sessions[who];
      if (who === 'manager') assert.equal((await c.postForm('/lang', [['lang', 'fr'], ['next', '/']])).status, 303);
      for (const p of pages()) {
        const r = await c.get(p);
        if (who === 'officer03' && /^\/organisations\/\d+\/edit$/.test(p)) {
          assert.equal(r.status, 403, p);
          continue;
        }
        assert.equal(r.status, 200, `${p}: ${r.status}`);
        assert.ok(!r.text.includes(RAW), `${p}: the raw script tag appears`);
        assert.ok(!/<script>/i.test(r.text), `${p}: an inline <script>`);
        assert.ok(r.text.includes('&lt;script&gt;'), `${p}: the escaped text appears`);
        assert.ok(htmlDecode(r.text).includes(XSS), `${p}: the whole text, escaped, appears`);
        assertHtml(r, p);
      }
      if (who === 'manager') await c.postForm('/lang', [['lang', 'ar'], ['next', '/']]);
    });
  }

  test('a form shown again with errors escapes what was typed', async () => {
    const c = sessions.admin;
    const r = await c.postForm('/people', plainForm(personData({ name_ar: XSS, name_fr: XSS, sex: 'X' })));
    assert.equal(r.status, 422);
    assert.ok(!r.text.includes(RAW));
    assert.ok(htmlDecode(r.text).includes(XSS));
    assertHtml(r, 'person form with errors');
    const o = await c.postForm('/organisations', plainForm(orgData({ notes: XSS, acronym: XSS, website: `https://x.ma/${XSS}` })));
    assert.equal(o.status, 422);
    assert.ok(!o.text.includes(RAW));
    assertHtml(o, 'organisation form with errors');
    const m = await c.postForm(`/people/${rec.person.id}/memberships`, [['register_number', `<script>x`], ['role', 'member']]);
    assert.equal(m.status, 422);
    assert.ok(!m.text.includes('<script>x'));
    assertHtml(m, 'membership form with errors');
  });

  test('the JSON API returns the exact original text', async () => {
    const coop = (await admin.api('GET', `/api/v1/cooperatives/${rec.coop.id}`)).json();
    assert.equal(coop.name_ar, `${XSS} ${rec.w}`);
    assert.equal(coop.name_fr, `${XSS} ${rec.w}`);
    assert.equal(coop.activity, XSS);
    assert.equal(coop.address, XSS);
    assert.equal(coop.notes, `${XSS}\n${XSS}`);
    const person = (await admin.api('GET', `/api/v1/people/${rec.person.id}`)).json();
    assert.equal(person.name_ar, `${XSS} ${rec.w}`);
    assert.equal(person.name_fr, `${XSS} ${rec.w}`);
    const org = (await admin.api('GET', `/api/v1/organisations/${rec.org.id}`)).json();
    assert.equal(org.name_ar, `${XSS} ${rec.w}`);
    assert.equal(org.acronym, XSS);
    assert.equal(org.notes, XSS);
    const lists = [
      [`/api/v1/cooperatives?q=${rec.w}`, rec.coop.id],
      [`/api/v1/people?q=${rec.w}`, rec.person.id],
      [`/api/v1/organisations?q=${rec.w}`, rec.org.id],
    ];
    for (const [p, id] of lists) {
      const j = (await admin.api('GET', p)).json();
      assert.deepEqual(j.items.map((x) => x.id), [id], p);
      assert.equal(j.items[0].name_fr, `${XSS} ${rec.w}`, p);
    }
  });
});

// ---------------------------------------------------------------- CSRF

describe('CSRF', () => {
  for (const [what, token] of [
    ['without the CSRF token', () => false],
    ['with a wrong CSRF token', () => 'ffffffffffffffffffffffffffffffff'],
    ["with another session's CSRF token", () => sessions.manager.csrf],
  ]) {
    test(`every POST/PATCH route, as a logged-in admin ${what}: 403, nothing changes`, async () => {
      assert.ok(WRITES.length >= 15, `${WRITES.length} write routes`);
      const c = await loggedIn(env.base, 'admin');
      const before = await snapshot();
      for (const route of WRITES) {
        const r = await send(c, route, await bodyFor(route), token());
        const label = `${route.key} ${what}`;
        assert.equal(r.status, 403, `${label}: ${r.status} ${r.text.slice(0, 200)}`);
        assertSecurityHeaders(r, label, route.key);
        if (route.api) assert.equal(r.json().error.code, 'forbidden', label);
        else assertHtml(r, label);
        assert.equal(r.setCookies.filter((k) => k.name === 'mq_session' || k.name === 'mq_lang').length, 0, `${label}: no cookie set`);
      }
      assert.deepEqual(await snapshot(), before, 'no record changed');
      const still = await c.get('/about');
      assert.match(still.text, /action="\/logout"/, 'the session is still logged in');
      assert.match(still.text, /<html lang="ar"/, 'the language is unchanged');
    });
  }

  test('with the token, the same requests are accepted (so the 403 above was the CSRF check)', async () => {
    for (const route of WRITES) {
      // The password change acts on the logged-in user: a fixture user with a temporary one.
      const c = await loggedIn(env.base, route.key === 'POST /account/password' ? ids.users.selfLogin : 'admin', route.key === 'POST /account/password' ? USER_TEMP : DEMO_PASSWORD);
      if (route.key === 'POST /account/password') await c.get('/account/password');
      // One's own second factor acts on the logged-in user too: a fixture user per route.
      if (ids.mfa[route.key]) {
        const m = await secondFactorSession(route.key);
        const r = await send(m, route, await bodyFor(route), true);
        assert.ok(r.status < 400, `${route.key} with the token: ${r.status} ${r.text.slice(0, 300)}`);
        assertSecurityHeaders(r, `${route.key} with the token`, route.key);
        continue;
      }
      const r = await send(c, route, await bodyFor(route), true);
      assert.ok(r.status < 400, `${route.key} with the token: ${r.status} ${r.text.slice(0, 300)}`);
      assertSecurityHeaders(r, `${route.key} with the token`, route.key);
    }
    const back = await loggedIn(env.base, 'admin');
    await back.postForm('/lang', [['lang', 'ar'], ['next', '/']]);
  });
});

describe('shutdown', () => {
  test('the server stops on SIGTERM with exit code 0', async () => {
    const r = await env.server.stop();
    assert.equal(r.signal, null, `no signal death (log: ${r.log.slice(-2000)})`);
    assert.equal(r.code, 0, `exit code 0 (log: ${r.log.slice(-2000)})`);
  });
});
