// lib.mjs: shared helpers for the black-box HTTP tests of murafiq.
// Node 18+ only built-ins: child_process, fs, os, net, path, url; global fetch.
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(here, '..', '..');
export const BIN = path.resolve(ROOT, process.env.MURAFIQ_BIN || 'build/murafiq');
export const DEMO_PASSWORD = 'murafiq-demo-2026';

// Generous: the binary may run under AddressSanitizer on a slow machine.
const START_TIMEOUT_MS = 60000;

// ---------------------------------------------------------------- processes

/** Runs the murafiq binary; resolves {code, stdout, stderr} (never rejects on exit code). */
export function run(args, { input, cwd } = {}) {
  return new Promise((resolve, reject) => {
    const p = spawn(BIN, args, { cwd: cwd || ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.setEncoding('utf8');
    p.stderr.setEncoding('utf8');
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('error', reject);
    p.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    p.stdin.on('error', () => {});
    if (input !== undefined) p.stdin.end(input);
    else p.stdin.end();
  });
}

/** Runs the binary and throws with its output unless it exits 0. */
export async function runOk(args, opts) {
  const r = await run(args, opts);
  if (r.code !== 0) {
    throw new Error(`murafiq ${args.join(' ')} exited ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  }
  return r;
}

/** A fresh temporary directory, removed by cleanupDirs(). */
const dirs = [];
export function tempDir(tag = 'murafiq-http-') {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), tag));
  dirs.push(d);
  return d;
}
export function cleanupDirs() {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
}

/** Creates a database with geography and the small demo data set (seed 1). Returns its path. */
export async function makeDemoDb(dir, name = 'demo.db') {
  const db = path.join(dir, name);
  await runOk(['init', '--db', db]);
  await runOk(['demo', '--db', db, '--scale', 'small', '--seed', '1']);
  return db;
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts `murafiq serve` on a free loopback port and waits for GET /healthz = 200.
 * Returns {base, port, proc, stderr(), stop()}; stop() sends SIGTERM and resolves the exit
 * {code, signal}. `args` are further options of serve (e.g. ['--behind-tls']); `env` adds
 * environment variables (e.g. MURAFIQ_THROTTLE_SCALE).
 */
export async function startServer(db, { threads = 2, args = [], env = {} } = {}) {
  let lastErr = '';
  for (let attempt = 0; attempt < 4; attempt++) {
    const port = await freePort();
    const proc = spawn(BIN, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`, '--threads', String(threads), ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    proc.stdout.setEncoding('utf8');
    proc.stderr.setEncoding('utf8');
    proc.stdout.on('data', (d) => (log += d));
    proc.stderr.on('data', (d) => (log += d));
    let exited = null;
    const exitPromise = new Promise((resolve) => {
      proc.on('exit', (code, signal) => {
        exited = { code, signal };
        resolve(exited);
      });
    });
    const base = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + START_TIMEOUT_MS;
    let healthy = false;
    while (Date.now() < deadline && exited === null) {
      try {
        const r = await fetch(`${base}/healthz`);
        await r.arrayBuffer();
        if (r.status === 200) {
          healthy = true;
          break;
        }
      } catch {
        /* not listening yet */
      }
      await sleep(50);
    }
    if (healthy) {
      return {
        base,
        port,
        proc,
        log: () => log,
        exited: () => exited,
        async stop() {
          if (exited === null) proc.kill('SIGTERM');
          let timer;
          const timeout = new Promise((r) => (timer = setTimeout(() => r(null), 30000)));
          const res = await Promise.race([exitPromise, timeout]);
          clearTimeout(timer);
          if (res === null) {
            proc.kill('SIGKILL');
            await exitPromise;
            return { code: null, signal: 'timeout', log };
          }
          return { ...res, log };
        },
      };
    }
    if (exited === null) {
      proc.kill('SIGKILL');
      await exitPromise;
    }
    lastErr = log;
    if (!/cannot listen|in use/i.test(log)) break; // a real failure, not a port race
  }
  throw new Error(`murafiq serve did not become healthy:\n${lastErr}`);
}

// ---------------------------------------------------------------- HTTP client

function splitSetCookie(headers) {
  if (typeof headers.getSetCookie === 'function') return headers.getSetCookie();
  const raw = headers.get('set-cookie');
  if (!raw) return [];
  return raw.split(/,(?=\s*[A-Za-z0-9_\-]+=)/).map((s) => s.trim());
}

/** Parses "name=value; Path=/; HttpOnly" into {name, value, attrs: {path: '/', httponly: true}}. */
export function parseSetCookie(s) {
  const parts = s.split(';').map((p) => p.trim());
  const [nv, ...rest] = parts;
  const eq = nv.indexOf('=');
  const attrs = {};
  for (const a of rest) {
    const i = a.indexOf('=');
    if (i < 0) attrs[a.toLowerCase()] = true;
    else attrs[a.slice(0, i).toLowerCase()] = a.slice(i + 1);
  }
  return { name: nv.slice(0, eq), value: nv.slice(eq + 1), attrs };
}

/**
 * A browser-like client: keeps cookies, never follows redirects (tests look at them), knows the
 * CSRF token of the last page it read.
 */
export class Client {
  constructor(base, { bearer } = {}) {
    this.base = base;
    this.cookies = new Map();
    this.csrf = null;
    this.bearer = bearer || null;
  }

  cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  /**
   * Sends a request. opts: {method, headers, body (string|Buffer), form (object|array of
   * pairs), json (any), csrf (true: add the known token to form / X-CSRF-Token to JSON; a
   * string: use it)}. Returns {status, headers, text, setCookies, location, json()}.
   */
  async request(pathOrUrl, opts = {}) {
    const method = opts.method || (opts.form || opts.json !== undefined || opts.body !== undefined ? 'POST' : 'GET');
    const headers = { ...(opts.headers || {}) };
    let body = opts.body;
    const token = opts.csrf === true ? this.csrf : typeof opts.csrf === 'string' ? opts.csrf : null;
    if (opts.form) {
      const pairs = Array.isArray(opts.form) ? [...opts.form] : Object.entries(opts.form);
      if (token !== null) pairs.unshift(['csrf', token]);
      body = new URLSearchParams(pairs.map(([k, v]) => [k, String(v)])).toString();
      headers['content-type'] ||= 'application/x-www-form-urlencoded';
    } else if (opts.json !== undefined) {
      body = typeof opts.json === 'string' ? opts.json : JSON.stringify(opts.json);
      headers['content-type'] ||= 'application/json';
      if (token !== null) headers['x-csrf-token'] = token;
    } else if (token !== null) {
      headers['x-csrf-token'] = token;
    }
    if (this.cookies.size && !('cookie' in headers)) headers.cookie = this.cookieHeader();
    if (this.bearer && !('authorization' in headers)) headers.authorization = `Bearer ${this.bearer}`;
    const url = pathOrUrl.startsWith('http') ? pathOrUrl : this.base + pathOrUrl;
    const r = await fetch(url, { method, headers, body, redirect: 'manual' });
    const buf = Buffer.from(await r.arrayBuffer());
    const text = buf.toString('utf8');
    const setCookies = splitSetCookie(r.headers).map(parseSetCookie);
    for (const c of setCookies) {
      if (c.attrs['max-age'] === '0' || c.value === '') this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    const m = /name="csrf" value="([^"]*)"/.exec(text);
    if (m && (r.headers.get('content-type') || '').startsWith('text/html')) this.csrf = m[1];
    return {
      status: r.status,
      headers: r.headers,
      text,
      body: buf,
      setCookies,
      location: r.headers.get('location'),
      json() {
        try {
          return JSON.parse(text);
        } catch (e) {
          throw new Error(`not JSON (status ${r.status}): ${text.slice(0, 500)}`);
        }
      },
    };
  }

  get(p, opts = {}) {
    return this.request(p, { ...opts, method: 'GET' });
  }

  /** POST a form with the session's CSRF token (unless opts.csrf says otherwise). */
  postForm(p, form, opts = {}) {
    return this.request(p, { csrf: true, ...opts, method: 'POST', form });
  }

  /** JSON call; with a session cookie the X-CSRF-Token header is added for writes. */
  api(method, p, json, opts = {}) {
    const o = { method, ...opts };
    if (json !== undefined) o.json = json;
    if (method !== 'GET' && o.csrf === undefined && !this.bearer) o.csrf = true;
    return this.request(p, o);
  }
}

/** Logs in through the form; returns the POST /login response. Throws unless it is a 303. */
export async function login(client, user, password = DEMO_PASSWORD, next = '/') {
  const g = await client.get('/login');
  if (g.status !== 200) throw new Error(`GET /login: ${g.status}`);
  const r = await client.postForm('/login', { login: user, password, next });
  if (r.status !== 303) throw new Error(`login ${user}: status ${r.status}\n${r.text.slice(0, 300)}`);
  await client.get('/about'); // learns the session's CSRF token
  return r;
}

/** A logged-in client. */
export async function loggedIn(base, user, password = DEMO_PASSWORD) {
  const c = new Client(base);
  await login(c, user, password);
  return c;
}

/** A client using a bearer token made with `murafiq token create`. */
export async function tokenClient(base, db, user) {
  const r = await runOk(['token', 'create', '--db', db, '--login', user]);
  return new Client(base, { bearer: r.stdout.trim() });
}

// ---------------------------------------------------------------- HTML

export function htmlDecode(s) {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#0*39;/g, "'")
    .replace(/&#x0*27;/gi, "'")
    .replace(/&amp;/g, '&');
}

export function csrfOf(html) {
  const m = /name="csrf" value="([^"]*)"/.exec(html);
  return m ? m[1] : null;
}

function attrsOf(tag) {
  const attrs = {};
  const re = /([a-zA-Z_:\-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g;
  const inner = tag.replace(/^<\s*[a-zA-Z]+/, '').replace(/\/?>$/, '');
  let m;
  while ((m = re.exec(inner))) attrs[m[1].toLowerCase()] = htmlDecode(m[2] ?? m[3] ?? m[4] ?? '');
  return attrs;
}

/**
 * The fields a browser would submit for the form whose action is `action` (document order,
 * successful controls only): inputs (checkboxes only when checked), selected options (first
 * option when none is selected), textareas. Returns an array of [name, value] pairs.
 */
export function formFields(html, action) {
  const forms = [...html.matchAll(/<form\b[^>]*>([\s\S]*?)<\/form>/g)];
  const f = forms.find((m) => attrsOf(m[0].slice(0, m[0].indexOf('>') + 1)).action === action);
  if (!f) throw new Error(`no form with action ${action}`);
  const body = f[1];
  const out = [];
  const re = /<input\b[^>]*>|<select\b[^>]*>[\s\S]*?<\/select>|<textarea\b[^>]*>[\s\S]*?<\/textarea>/g;
  let m;
  while ((m = re.exec(body))) {
    const el = m[0];
    if (el.startsWith('<input')) {
      const a = attrsOf(el);
      if (!a.name || a.disabled !== undefined) continue;
      const type = (a.type || 'text').toLowerCase();
      if ((type === 'checkbox' || type === 'radio') && a.checked === undefined) continue;
      if (type === 'submit' || type === 'button' || type === 'file') continue;
      out.push([a.name, a.value ?? (type === 'checkbox' ? 'on' : '')]);
    } else if (el.startsWith('<select')) {
      const a = attrsOf(el.slice(0, el.indexOf('>') + 1));
      const opts = [...el.matchAll(/<option\b[^>]*>/g)].map((o) => attrsOf(o[0]));
      const sel = opts.find((o) => o.selected !== undefined) || opts[0];
      if (a.name && sel) out.push([a.name, sel.value ?? '']);
    } else {
      const a = attrsOf(el.slice(0, el.indexOf('>') + 1));
      const content = el.slice(el.indexOf('>') + 1, el.lastIndexOf('</textarea>'));
      if (a.name) out.push([a.name, htmlDecode(content).replace(/^\n/, '')]);
    }
  }
  return out;
}

/** Replaces (or appends) the value of name in a list of pairs; value null removes it. */
export function setField(pairs, name, value) {
  const out = pairs.filter(([k]) => k !== name);
  if (value !== null && value !== undefined) {
    const i = pairs.findIndex(([k]) => k === name);
    out.splice(i < 0 ? out.length : i, 0, [name, String(value)]);
  }
  return out;
}

/** Ticks a checkbox as a browser would: keeps the hidden "0" and adds the box's value. */
export function tickBox(pairs, name) {
  const out = [...pairs];
  const i = out.findIndex(([k]) => k === name);
  out.splice(i < 0 ? out.length : i + 1, 0, [name, '1']);
  return out;
}

/** The text of the element with id="id" (tags stripped), or null. */
export function textById(html, id) {
  const m = new RegExp(`<([a-z0-9]+)\\b[^>]*\\bid="${id}"[^>]*>([\\s\\S]*?)</\\1>`).exec(html);
  return m ? htmlDecode(m[2].replace(/<[^>]+>/g, '')).trim() : null;
}

// ---------------------------------------------------------------- CSV

/** RFC 4180 parser: returns rows of fields. */
export function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let i = 0;
  let quoted = false;
  let any = false;
  while (i < text.length) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      field += ch;
      i++;
      continue;
    }
    if (ch === '"') {
      quoted = true;
      any = true;
      i++;
    } else if (ch === ',') {
      row.push(field);
      field = '';
      any = true;
      i++;
    } else if (ch === '\r' || ch === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      any = false;
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else {
      field += ch;
      any = true;
      i++;
    }
  }
  if (quoted) throw new Error('CSV: unterminated quote');
  if (any || field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** CSV text -> array of objects keyed by the header. */
export function csvObjects(text) {
  const rows = parseCsv(text);
  const [header, ...rest] = rows;
  return { header, records: rest.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]]))) };
}

// ---------------------------------------------------------------- geography and records

function readGeo(file) {
  return csvObjects(fs.readFileSync(path.join(ROOT, 'data', 'geo', file), 'utf8')).records;
}
let geoCache = null;
export function geo() {
  if (!geoCache) {
    geoCache = { regions: readGeo('regions.csv'), provinces: readGeo('provinces.csv'), communes: readGeo('communes.csv') };
  }
  return geoCache;
}
export function provinceOf(region) {
  return geo().provinces.find((p) => p.region_code === region).code;
}
export function communeOf(province) {
  return geo().communes.find((c) => c.province_code === province).code;
}

let serial = 0;
/** A register number no demo record uses (demo ones look like 2001/25-02). */
export function uniqueRegister(tag = 'T') {
  serial++;
  return `${tag}-${process.pid % 100000}-${serial}-${Math.floor(Math.random() * 1e6)}`;
}

/** A unique lowercase ASCII word, to find records again by name. */
export function uniqueWord(tag = 'zq') {
  serial++;
  const n = (process.pid * 1000 + serial) * 7919 + Math.floor(Math.random() * 1e6);
  return tag + n.toString(36).replace(/[0-9]/g, (d) => 'abcdefghij'[d]);
}

/** A valid cooperative (API field names); override any field. */
export function coopData(over = {}) {
  const region = over.region_code || '03';
  const province = over.province_code || provinceOf(region);
  const w = uniqueWord('cp');
  return {
    register_number: uniqueRegister(),
    name_ar: `تعاونية الاختبار ${w}`,
    name_fr: `Coopérative test ${w}`,
    legal_date: '2015-03-14',
    activity_start_date: '2016-01-02',
    sector: 'agriculture',
    activity: 'Apiculture',
    region_code: region,
    province_code: province,
    commune_code: communeOf(province),
    address: 'Douar Test',
    phone: '06 12 34 56 78',
    email: 'coop@example.ma',
    members_total: 12,
    members_women: 5,
    members_youth: 3,
    is_soulalyate: false,
    is_women_only: false,
    status: 'active',
    notes: 'note',
    ...over,
  };
}

/** The same record as form fields (booleans as the hidden 0 + checkbox 1 pair a browser sends,
 * or as one 0/1 value with browser: false). */
export function coopForm(data, { browser = true } = {}) {
  const pairs = [];
  for (const [k, v] of Object.entries(data)) {
    if (typeof v === 'boolean' && !browser) pairs.push([k, v ? '1' : '0']);
    else if (typeof v === 'boolean') {
      pairs.push([k, '0']);
      if (v) pairs.push([k, '1']);
    } else if (v === null || v === undefined) pairs.push([k, '']);
    else pairs.push([k, String(v)]);
  }
  return pairs;
}

/** Local calendar date helpers (the server uses the local date too). */
export function today() {
  const d = new Date();
  return { y: d.getFullYear(), m: d.getMonth() + 1, d: d.getDate() };
}
function daysIn(y, m) {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}
/** Adds n years (clamping Feb 29 to Feb 28 like a calendar). */
export function addYears(t, n) {
  const y = t.y + n;
  return { y, m: t.m, d: Math.min(t.d, daysIn(y, t.m)) };
}
export function addDays(t, n) {
  const x = new Date(Date.UTC(t.y, t.m - 1, t.d + n));
  return { y: x.getUTCFullYear(), m: x.getUTCMonth() + 1, d: x.getUTCDate() };
}
export function iso(t) {
  return `${String(t.y).padStart(4, '0')}-${String(t.m).padStart(2, '0')}-${String(t.d).padStart(2, '0')}`;
}

/** GET /api/v1/cooperatives total for a query string, via a client. */
export async function apiTotal(client, qs = '') {
  const r = await client.api('GET', `/api/v1/cooperatives?per_page=1${qs ? '&' + qs : ''}`);
  if (r.status !== 200) throw new Error(`list ${qs}: ${r.status} ${r.text.slice(0, 300)}`);
  return r.json().total;
}

/** Every item of an API list query (walks the pages). */
export async function apiAll(client, qs = '', perPage = 200) {
  const items = [];
  for (let page = 1; ; page++) {
    const r = await client.api('GET', `/api/v1/cooperatives?per_page=${perPage}&page=${page}${qs ? '&' + qs : ''}`);
    if (r.status !== 200) throw new Error(`list ${qs}: ${r.status} ${r.text.slice(0, 300)}`);
    const j = r.json();
    items.push(...j.items);
    if (j.items.length < perPage) return { items, total: j.total };
  }
}

/** The cooperatives with this exact register number that the client can see (walks every
 * page: searching by register number is not relied upon here). */
export async function byRegister(client, reg) {
  const { items } = await apiAll(client);
  return items.filter((c) => c.register_number === reg);
}

/** The cooperatives whose name contains the (unique) word, through the API search. */
export async function byWord(client, word) {
  const r = await client.api('GET', `/api/v1/cooperatives?per_page=200&q=${encodeURIComponent(word)}`);
  if (r.status !== 200) throw new Error(`search ${word}: ${r.status} ${r.text.slice(0, 300)}`);
  return r.json().items;
}

/** Standard setup for a test file: a demo database and a running server. */
export async function setupServer(options = {}) {
  const dir = tempDir();
  const db = await makeDemoDb(dir);
  const server = await startServer(db, options);
  return { dir, db, server, base: server.base };
}

/**
 * Sends raw bytes on a new TCP connection and collects the answer until the server closes the
 * connection or `idleMs` pass without data. Resolves {text, status (number or null), closed}.
 */
export function rawHttp(port, data, { idleMs = 5000 } = {}) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let done = false;
    const sock = net.connect(port, '127.0.0.1');
    let timer = null;
    const finish = (closed) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      const text = Buffer.concat(chunks).toString('latin1');
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      resolve({ text, status: m ? Number(m[1]) : null, closed });
    };
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => finish(false), idleMs);
    };
    sock.on('connect', () => {
      sock.write(data);
      arm();
    });
    sock.on('data', (d) => {
      chunks.push(d);
      arm();
    });
    sock.on('end', () => finish(true));
    sock.on('close', () => finish(true));
    sock.on('error', (e) => (chunks.length || e.code === 'ECONNRESET' ? finish(true) : reject(e)));
  });
}

// ---------------------------------------------------------------- people and organisations

// 26 Arabic letters that the search folding leaves as they are (no hamza forms, no alef
// maqsura, no taa marbuta), one per Latin letter of uniqueWord().
const AR_LETTERS = 'بتثجحخدذرزسشصضطظعغفقكلمنهي';

/** A unique word in Arabic letters, to find records again by their Arabic name. */
export function uniqueArabicWord() {
  return uniqueWord('').replace(/[a-z]/g, (c) => AR_LETTERS[c.charCodeAt(0) - 97]);
}

/** A valid person (API field names); override any field. */
export function personData(over = {}) {
  const region = over.region_code || '03';
  const w = uniqueWord('pp');
  const province = geo().provinces.find((p) => p.region_code === region);
  return {
    name_ar: `فاطمة الزهراء ${uniqueArabicWord()}`,
    name_fr: `Fatima Zahra ${w}`,
    sex: 'F',
    birth_date: '1990-04-12',
    phone: '06 12 34 56 78',
    region_code: region,
    province_code: province ? province.code : null,
    ...over,
  };
}

/** A valid organisation (API field names); override any field. */
export function orgData(over = {}) {
  const w = uniqueWord('og');
  return {
    name_ar: `هيئة الاختبار ${uniqueArabicWord()}`,
    name_fr: `Organisation test ${w}`,
    acronym: 'OTST',
    kind: 'partner',
    region_code: null,
    phone: '0537 12 34 56',
    email: 'contact@example.ma',
    website: 'https://www.example.ma/partenaires',
    notes: 'Partenaire de test',
    ...over,
  };
}

/** Plain form pairs from an object (null and undefined become ''). */
export function plainForm(data) {
  return Object.entries(data).map(([k, v]) => [k, v === null || v === undefined ? '' : String(v)]);
}

// ---------------------------------------------------------------- the route table

/** The text of src/web/routes.c without its comments. */
export function routesSource() {
  return fs.readFileSync(path.join(ROOT, 'src', 'web', 'routes.c'), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
}

/**
 * The routes of src/web/routes.c, in table order: {method, pattern, handler, flags, public, api,
 * perm, key ("GET /path/{id}")}. Shared by routes.test.mjs, authz.test.mjs and the sqlmap run,
 * so that a new route reaches all of them.
 */
export function parseRoutes(src = routesSource()) {
  const re = /\{\s*METHOD_([A-Z]+)\s*,\s*"([^"]*)"\s*,\s*([A-Za-z_]\w*)\s*,\s*([^,{}]+?)\s*,\s*(PERM_[A-Z_]+)\s*\}/g;
  const out = [];
  let m;
  while ((m = re.exec(src))) {
    const flags = m[4].split('|').map((s) => s.trim());
    out.push({
      method: m[1],
      pattern: m[2],
      handler: m[3],
      flags,
      public: flags.includes('ROUTE_PUBLIC'),
      api: flags.includes('ROUTE_API'),
      perm: m[5],
      key: `${m[1]} ${m[2]}`,
    });
  }
  return out;
}

// ---------------------------------------------------------------- second factor (TOTP)

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
/** The bytes of a base32 text (spaces and padding ignored). */
export function base32Decode(s) {
  let bits = 0;
  let value = 0;
  const out = [];
  for (const ch of s.replace(/[\s=]/g, '').toUpperCase()) {
    const v = BASE32.indexOf(ch);
    if (v < 0) throw new Error(`not base32: ${ch}`);
    value = (value << 5) | v;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** The 6-digit TOTP code (RFC 6238, HMAC-SHA1) of a base32 secret for 30-second step `step`. */
export function totpCode(secret, step) {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(step));
  const h = crypto.createHmac('sha1', base32Decode(secret)).update(msg).digest();
  const off = h[h.length - 1] & 15;
  const n = ((h[off] & 127) << 24) | (h[off + 1] << 16) | (h[off + 2] << 8) | h[off + 3];
  return String(n % 1e6).padStart(6, '0');
}
export const totpStep = () => Math.floor(Date.now() / 1000 / 30);

/** The secret shown on /account/security while the setup is under way. */
export function totpSecretOf(html) {
  const m = /<p class="secret" dir="ltr"><code>([A-Z2-7 ]+)<\/code><\/p>/.exec(html);
  if (!m) throw new Error('no secret on the page');
  return m[1].replace(/ /g, '');
}
/** The recovery codes shown once after the setup or a regeneration. */
export function recoveryCodesOf(html) {
  return [...html.matchAll(/<li><code>([a-z2-9]{5}-[a-z2-9]{5})<\/code><\/li>/g)].map((m) => m[1]);
}

/** Makes an API token for login with `murafiq token create` and returns its id (for the routes
 * that revoke one), from `token list` (newest first). */
export async function newTokenId(db, login = 'viewer') {
  await runOk(['token', 'create', '--db', db, '--login', login, '--label', 'fixture']);
  const list = await runOk(['token', 'list', '--db', db, '--login', login]);
  const id = Number(list.stdout.split('\t')[0]);
  if (!(id > 0)) throw new Error(`token list: ${list.stdout}`);
  return id;
}

/** Runs SQL on db with the sqlite3 shell (a hand edit, or a look the API does not give); returns
 * its output, trimmed. Throws when the shell fails. */
export function sqlite(db, query) {
  const r = spawnSync('sqlite3', [db, query], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`sqlite3 exited ${r.status}: ${r.stderr}`);
  return r.stdout.trim();
}
