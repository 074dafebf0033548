// run.mjs: the measurements of `make bench` (started by bench/bench.sh, which made the data).
//
// Servers and load generator on loopback: Debian's wrk (keep-alive, -t2, several connection
// counts) against murafiq on a copy of the national data set, and in the same run against two
// baselines with the same settings: nginx serving a 1 KB file and a libmicrohttpd handler
// answering a fixed page (bench/mhd_baseline.c). Then peak memory, cold start, and the bulk
// import of the national cooperatives from CSV against the sqlite3 shell's .import.
//
// Output: one line per figure, "bench: NAME VALUE UNIT", and a markdown table (BENCH_OUT,
// default bench/results/latest.md) with the machine's description.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
const BIN = path.resolve(args.bin || 'build/bench/murafiq');
const MHD = path.resolve(args.mhd || 'build/bench/mhd_baseline');
const DATA = path.resolve(args.data || 'build/bench-data/national.db');
const OUT = path.resolve(process.env.BENCH_OUT || 'bench/results/latest.md');
const QUICK = process.env.BENCH_QUICK === '1';
const DURATION = QUICK ? '2s' : '10s';
const CONNS = QUICK ? [10, 100] : [10, 100, 1000];
const THREADS = process.env.BENCH_THREADS || null; // serve's default when unset
const DEMO_PASSWORD = 'murafiq-demo-2026';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'murafiq-bench-'));
const children = [];
process.on('exit', () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  fs.rmSync(tmp, { recursive: true, force: true });
});
for (const s of ['SIGINT', 'SIGTERM']) process.on(s, () => process.exit(130));

// ------------------------------------------------------------------ figures

const figures = []; // {name, value, unit, group}
function figure(name, value, unit, group = '') {
  const v = typeof value === 'number' ? +value.toPrecision(value >= 100 ? 6 : 3) : value;
  figures.push({ name, value: v, unit, group });
  console.log(`bench: ${name} ${v}${unit ? ' ' + unit : ''}`);
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function sh(cmd, argv, opts = {}) {
  const r = spawnSync(cmd, argv, { encoding: 'utf8', maxBuffer: 64 << 20, ...opts });
  if (r.status !== 0 && !opts.allowFail) {
    throw new Error(`${cmd} ${argv.join(' ')} exited ${r.status}: ${r.stderr}`);
  }
  return r;
}

function sql(db, query) {
  return sh('sqlite3', ['-readonly', db, query]).stdout.trim();
}

// ------------------------------------------------------------------ machine

function machine() {
  const cpu = (fs.readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.*)$/m) || [])[1] || os.cpus()[0]?.model || '?';
  const memKb = +(fs.readFileSync('/proc/meminfo', 'utf8').match(/^MemTotal:\s*(\d+)/m) || [0, 0])[1];
  return {
    cpu,
    cores: os.cpus().length,
    memory: `${(memKb / 1048576).toFixed(1)} GiB`,
    kernel: `${os.type()} ${os.release()}`,
    load: fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '),
    wrk: (sh('wrk', ['--version'], { allowFail: true }).stdout || '').split('\n')[0].trim(),
    nginx: (sh('nginx', ['-v'], { allowFail: true }).stderr || '').trim(),
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
  };
}

// ------------------------------------------------------------------ processes

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Starts argv with stdout and stderr to a log file in the temp dir; returns the child. */
function start(name, cmd, argv, opts = {}) {
  const log = fs.openSync(path.join(tmp, `${name}.log`), 'a');
  const p = spawn(cmd, argv, { stdio: ['ignore', log, log], ...opts });
  fs.closeSync(log);
  children.push(p);
  p.exited = new Promise((r) => p.on('exit', (code, signal) => r({ code, signal })));
  return p;
}

async function stop(p) {
  if (p.exitCode !== null || p.signalCode !== null) return;
  p.kill('SIGTERM');
  const t = setTimeout(() => p.kill('SIGKILL'), 10000);
  await p.exited;
  clearTimeout(t);
}

/** Waits for GET url to answer 200; returns the milliseconds from t0 (a hrtime bigint). */
async function waitOk(url, t0, timeoutMs = 60000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const r = await fetch(url);
      await r.arrayBuffer();
      if (r.status === 200) return Number(process.hrtime.bigint() - t0) / 1e6;
    } catch {
      /* not listening yet */
    }
    await sleep(1);
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs} ms`);
}

function procStatus(pid) {
  try {
    const s = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k) => +(s.match(new RegExp(`^${k}:\\s*(\\d+)`, 'm')) || [0, 0])[1];
    return { hwm: kb('VmHWM'), rss: kb('VmRSS'), anon: kb('RssAnon') };
  } catch {
    return { hwm: 0, rss: 0, anon: 0 };
  }
}

/** Samples the anonymous resident memory of pid (its own, not the file pages it reads) every
 * 50 ms; returns a function that stops and gives the peak in KiB. */
function sampleAnon(pid) {
  let peak = procStatus(pid).anon;
  const t = setInterval(() => (peak = Math.max(peak, procStatus(pid).anon)), 50);
  return () => {
    clearInterval(t);
    return Math.max(peak, procStatus(pid).anon);
  };
}

/** Resets the peak RSS of pid to its current RSS (Linux clear_refs 5); false when refused. */
function resetPeak(pid) {
  try {
    fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

function childPids(pid) {
  try {
    return fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

// ------------------------------------------------------------------ wrk

const DONE_LUA = `
done = function(summary, latency, requests)
  io.write(string.format(
    "BENCHJSON {\\"requests\\":%d,\\"duration_us\\":%d,\\"bytes\\":%d,\\"connect\\":%d," ..
    "\\"read\\":%d,\\"write\\":%d,\\"status\\":%d,\\"timeout\\":%d," ..
    "\\"p50_us\\":%d,\\"p99_us\\":%d,\\"max_us\\":%d}\\n",
    summary.requests, summary.duration, summary.bytes, summary.errors.connect,
    summary.errors.read, summary.errors.write, summary.errors.status, summary.errors.timeout,
    latency:percentile(50), latency:percentile(99), latency.max))
end
`;

const luaString = (s) => JSON.stringify(s); // ASCII-safe: paths are percent-encoded

/** A wrk script sending headers and cycling through paths (several, one per request). */
function script(name, paths, headers = {}) {
  const lines = [
    `local paths = {${paths.map(luaString).join(', ')}}`,
    'local i = math.random(#paths)',
    ...Object.entries(headers).map(([k, v]) => `wrk.headers[${luaString(k)}] = ${luaString(v)}`),
    'request = function()',
    '  i = i % #paths + 1',
    '  return wrk.format(nil, paths[i])',
    'end',
    DONE_LUA,
  ];
  const file = path.join(tmp, `${name}.lua`);
  fs.writeFileSync(file, lines.join('\n'));
  return file;
}

function wrk(url, luaFile, conns, duration = DURATION) {
  return new Promise((resolve, reject) => {
    const argv = ['-t2', `-c${conns}`, `-d${duration}`, '--latency', '--timeout', '5s', '-s', luaFile, url];
    const p = spawn('wrk', argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (out += d));
    p.on('error', reject);
    p.on('close', (code) => {
      const m = /BENCHJSON (\{.*\})/.exec(out);
      if (code !== 0 || !m) return reject(new Error(`wrk ${argv.join(' ')} failed (${code}):\n${out}`));
      const r = JSON.parse(m[1]);
      // Good answers only: a fast 503 beyond the server's limits is counted as an error.
      r.errors = r.connect + r.read + r.write + r.status + r.timeout;
      r.rps = (r.requests - r.status) / (r.duration_us / 1e6);
      resolve(r);
    });
  });
}

// ------------------------------------------------------------------ baselines

async function startNginx() {
  const dir = path.join(tmp, 'nginx');
  fs.mkdirSync(path.join(dir, 'www'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'www', 'page.html'), 'x'.repeat(1023) + '\n');
  const port = await freePort();
  const conf = `worker_processes ${os.cpus().length};
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  keepalive_requests 100000000;
  keepalive_timeout 60s;
  default_type text/html;
  server {
    listen 127.0.0.1:${port} backlog=1024;
    root ${dir}/www;
  }
}
`;
  fs.writeFileSync(path.join(dir, 'nginx.conf'), conf);
  const argv = ['-e', path.join(dir, 'error.log'), '-p', dir, '-c', path.join(dir, 'nginx.conf')];
  let cmd = 'nginx';
  let full = argv;
  if (process.getuid() === 0) {
    // Unprivileged: as nobody, with the files it needs made its own.
    sh('chown', ['-R', 'nobody:nogroup', dir]);
    fs.chmodSync(tmp, 0o755);
    cmd = 'setpriv';
    full = ['--reuid=nobody', '--regid=nogroup', '--clear-groups', '--', 'nginx', ...argv];
  }
  const p = start('nginx', cmd, full);
  await waitOk(`http://127.0.0.1:${port}/page.html`, process.hrtime.bigint(), 10000);
  return { proc: p, url: `http://127.0.0.1:${port}`, path: '/page.html' };
}

async function startMhd(threads) {
  const port = await freePort();
  const p = start('mhd', MHD, [String(port), String(threads)]);
  await waitOk(`http://127.0.0.1:${port}/`, process.hrtime.bigint(), 10000);
  return { proc: p, url: `http://127.0.0.1:${port}`, path: '/' };
}

// ------------------------------------------------------------------ murafiq

async function startMurafiq(db, port) {
  const argv = ['serve', '--db', db, '--listen', `127.0.0.1:${port}`];
  if (THREADS) argv.push('--threads', THREADS);
  const t0 = process.hrtime.bigint();
  const p = start('murafiq', BIN, argv);
  const ms = await waitOk(`http://127.0.0.1:${port}/healthz`, t0);
  return { proc: p, url: `http://127.0.0.1:${port}`, startMs: ms };
}

function cookiesOf(res) {
  return (res.headers.getSetCookie ? res.headers.getSetCookie() : []).map((c) => c.split(';')[0]);
}

async function login(base, user) {
  const g = await fetch(`${base}/login`);
  const html = await g.text();
  const csrf = /name="csrf" value="([^"]*)"/.exec(html)[1];
  const jar = cookiesOf(g);
  const r = await fetch(`${base}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: jar.join('; ') },
    body: new URLSearchParams({ csrf, login: user, password: DEMO_PASSWORD, next: '/' }).toString(),
  });
  await r.arrayBuffer();
  const session = cookiesOf(r).find((c) => c.startsWith('mq_session='));
  if (r.status !== 303 || !session) throw new Error(`login ${user}: ${r.status}`);
  return session;
}

/** (search word, region) pairs whose list page has a full page of 50 rows. */
function listQueries(db) {
  const names = sql(db, "SELECT name_fold FROM cooperative WHERE id % 37 = 0").split('\n');
  const count = new Map();
  for (const n of names) for (const w of new Set(n.split(' '))) if ([...w].length >= 4) count.set(w, (count.get(w) || 0) + 1);
  // Words neither rare nor in every name: a search someone would type.
  const words = [...count].filter(([, c]) => c >= 20 && c <= names.length / 8).sort((a, b) => b[1] - a[1]).map(([w]) => w);
  const pairs = [];
  const regions = sql(db, 'SELECT code FROM region ORDER BY code').split('\n');
  for (let i = 0; i < words.length && pairs.length < 12; i++) {
    const region = regions[(i * 5) % regions.length];
    const n = +sql(db, `SELECT count(*) FROM cooperative WHERE region_code = '${region}' AND instr(name_fold, '${words[i].replace(/'/g, "''")}') > 0`);
    if (n >= 50) pairs.push({ q: words[i], region, n });
  }
  if (pairs.length === 0) throw new Error('no search word has 50 cooperatives in a region');
  return pairs;
}

async function get(base, p, headers) {
  const t0 = process.hrtime.bigint();
  const r = await fetch(base + p, { headers, redirect: 'manual' });
  const body = await r.text();
  return { status: r.status, body, ms: Number(process.hrtime.bigint() - t0) / 1e6 };
}

// ------------------------------------------------------------------ main

async function main() {
  const m = machine();
  figure('loadavg_start', m.load, '', 'machine');

  // A copy: the run's sessions and tokens never reach the cached data set.
  const db = path.join(tmp, 'national.db');
  fs.copyFileSync(DATA, db);
  if (fs.existsSync(`${DATA}.key`)) fs.copyFileSync(`${DATA}.key`, `${db}.key`); // sealed fields' key
  const nCoops = +sql(db, 'SELECT count(*) FROM cooperative');
  const nMembers = +sql(db, 'SELECT count(*) FROM membership');
  const callId = sql(db, 'SELECT id FROM program_call ORDER BY id LIMIT 1');
  const ids = sql(db, 'SELECT id FROM cooperative ORDER BY random() LIMIT 64').split('\n');
  const token = sh(BIN, ['token', 'create', '--db', db, '--login', 'manager']).stdout.trim();

  const port = await freePort();
  const mq = await startMurafiq(db, port);
  const session = await login(mq.url, 'manager');
  const loginPeak = procStatus(mq.proc.pid).hwm;
  const peakReset = resetPeak(mq.proc.pid);
  const cookie = { Cookie: session };
  const bearer = { Authorization: `Bearer ${token}` };

  const pairs = listQueries(db);
  const qs = (p, extra = '') => `q=${encodeURIComponent(p.q)}&region=${p.region}&per_page=50${extra}`;
  const targets = [
    { name: 'static', paths: ['/assets/style.css'], headers: {} },
    { name: 'list', paths: pairs.map((p) => `/cooperatives?${qs(p)}`), headers: cookie, rows: 50 },
    { name: 'detail', paths: ids.map((i) => `/cooperatives/${i}`), headers: cookie },
    { name: 'json_list', paths: pairs.map((p) => `/api/v1/cooperatives?${qs(p)}`), headers: bearer },
    { name: 'json_detail', paths: ids.map((i) => `/api/v1/cooperatives/${i}`), headers: bearer },
    { name: 'screening', paths: [`/calls/${callId}/screening`], headers: cookie, conns: [10] },
    { name: 'applications', paths: ['/applications'], headers: cookie },
    { name: 'dashboard', paths: [`/calls/${callId}/dashboard`], headers: cookie },
    { name: 'programs', paths: ['/programs'], headers: cookie },
  ];
  // Every path answers 200 before it is measured (a benchmark of error pages proves nothing).
  for (const t of targets) {
    for (const p of t.paths.slice(0, 3)) {
      const r = await get(mq.url, p, t.headers);
      if (r.status !== 200) throw new Error(`${t.name}: GET ${p} answered ${r.status}`);
      if (t.rows && (r.body.match(/<tr\b/g) || []).length < t.rows + 1) throw new Error(`${t.name}: ${p} has fewer than ${t.rows} rows`);
    }
    t.lua = script(t.name, t.paths, t.headers);
  }

  // The screening of the whole registry, one request at a time.
  const times = [];
  for (let i = 0; i < (QUICK ? 5 : 15); i++) times.push((await get(mq.url, `/calls/${callId}/screening`, cookie)).ms);
  const apiTimes = [];
  for (let i = 0; i < (QUICK ? 5 : 15); i++) apiTimes.push((await get(mq.url, `/api/v1/calls/${callId}/screening`, bearer)).ms);
  figure('screening_page_ms_median', median(times), 'ms', 'screening');
  figure('screening_page_ms_max', Math.max(...times), 'ms', 'screening');
  figure('screening_api_ms_median', median(apiTimes), 'ms', 'screening');

  const anonPeak = sampleAnon(mq.proc.pid);
  const nginx = await startNginx();
  const mhd = await startMhd(Math.min(Number(THREADS || 4), 2)); // murafiq's I/O threads
  const nginxLua = script('nginx', [nginx.path]);
  const mhdLua = script('mhd', [mhd.path]);
  const rows = [];
  // The target "peak RSS with 1,000 open connections" is the peak of the last connection count's
  // runs (every target with that many connections open): the peak is reset before them, and
  // the earlier one kept for rss_peak_serving.
  let peakBefore = 0;
  let peakLast = null;
  for (const c of CONNS) {
    if (c === CONNS.at(-1) && peakReset) {
      peakBefore = procStatus(mq.proc.pid).hwm;
      resetPeak(mq.proc.pid);
    }
    const ng = await wrk(nginx.url, nginxLua, c);
    const mh = await wrk(mhd.url, mhdLua, c);
    figure(`nginx_c${c}_rps`, ng.rps, 'req/s', 'baseline');
    figure(`nginx_c${c}_p99`, ng.p99_us / 1000, 'ms', 'baseline');
    figure(`mhd_c${c}_rps`, mh.rps, 'req/s', 'baseline');
    figure(`mhd_c${c}_p99`, mh.p99_us / 1000, 'ms', 'baseline');
    rows.push({ target: 'nginx 1 KB file', c, ...ng, base: null });
    rows.push({ target: 'libmicrohttpd fixed page', c, ...mh, base: null });
    for (const t of targets) {
      if (t.conns && !t.conns.includes(c)) continue;
      const r = await wrk(mq.url, t.lua, c);
      const k = `${t.name}_c${c}`;
      figure(`${k}_rps`, r.rps, 'req/s', t.name);
      figure(`${k}_p50`, r.p50_us / 1000, 'ms', t.name);
      figure(`${k}_p99`, r.p99_us / 1000, 'ms', t.name);
      if (r.errors) figure(`${k}_errors`, r.errors, 'requests', t.name);
      figure(`${k}_rps_ratio_nginx`, r.rps / ng.rps, '', t.name);
      figure(`${k}_rps_ratio_mhd`, r.rps / mh.rps, '', t.name);
      rows.push({ target: t.name, c, ...r, ng: ng.rps, mh: mh.rps });
      t.results = { ...(t.results || {}), [c]: r };
    }
    if (c === CONNS.at(-1) && peakReset) peakLast = procStatus(mq.proc.pid).hwm;
  }
  // Overload (issue 5, point 3): the list page at twice the connections of the 100-connection
  // run, where it is long saturated; then how soon a cheap request is served again.
  const over = await wrk(mq.url, targets.find((t) => t.name === 'list').lua, 200);
  const overEnd = process.hrtime.bigint();
  let recovered = null;
  for (let i = 0; i < 2000 && recovered === null; i++) {
    const r = await get(mq.url, `/api/v1/cooperatives/${ids[0]}`, bearer);
    if (r.status === 200) recovered = Number(process.hrtime.bigint() - overEnd) / 1e6;
  }
  figure('overload_list_c200_rps', over.rps, 'req/s', 'overload');
  figure('overload_list_c200_refused', over.status, 'requests', 'overload');
  figure('overload_list_c200_other_errors', over.errors - over.status, 'requests', 'overload');
  figure('overload_list_c200_p99', over.p99_us / 1000, 'ms', 'overload');
  figure('overload_recovery_ms', recovered ?? -1, 'ms', 'overload');
  const peak = procStatus(mq.proc.pid);
  peak.hwm = Math.max(peak.hwm, peakBefore);
  const anon = anonPeak();
  const mhdPeak = procStatus(mhd.proc.pid).hwm;
  const nginxPeak = [nginx.proc.pid, ...childPids(nginx.proc.pid)].reduce((s, pid) => s + procStatus(pid).hwm, 0);
  figure('rss_peak_after_login', loginPeak / 1024, 'MB', 'memory');
  figure('rss_peak_serving', peak.hwm / 1024, 'MB', 'memory');
  if (peakLast !== null) figure(`rss_peak_c${CONNS.at(-1)}`, peakLast / 1024, 'MB', 'memory');
  figure('rss_after_load', peak.rss / 1024, 'MB', 'memory');
  figure('rss_anon_peak', anon / 1024, 'MB', 'memory');
  figure('rss_peak_serving_ratio_mhd', peak.hwm / mhdPeak, '', 'memory');
  figure('rss_peak_serving_ratio_nginx', peak.hwm / nginxPeak, '', 'memory');
  figure('mhd_rss_peak', mhdPeak / 1024, 'MB', 'memory');
  figure('nginx_rss_peak', nginxPeak / 1024, 'MB', 'memory');
  await stop(nginx.proc);
  await stop(mhd.proc);
  await stop(mq.proc);

  // Cold start: exec to the first 200 on /healthz (the file is in the OS cache).
  const starts = [];
  for (let i = 0; i < (QUICK ? 3 : 7); i++) {
    const s = await startMurafiq(db, await freePort());
    starts.push(s.startMs);
    await stop(s.proc);
  }
  figure('cold_start_ms_median', median(starts), 'ms', 'start');
  figure('cold_start_ms_max', Math.max(...starts), 'ms', 'start');

  // Bulk import: the national cooperatives exported, then imported into a fresh database.
  const csv = path.join(tmp, 'cooperatives.csv');
  let t0 = process.hrtime.bigint();
  sh(BIN, ['export', 'cooperatives', '--db', db, '--output', csv]);
  const exportS = Number(process.hrtime.bigint() - t0) / 1e9;
  const fresh = path.join(tmp, 'fresh.db');
  sh(BIN, ['init', '--db', fresh]);
  t0 = process.hrtime.bigint();
  const imp = sh(BIN, ['import', 'cooperatives', '--db', fresh, csv], { allowFail: true });
  const importS = Number(process.hrtime.bigint() - t0) / 1e9;
  const imported = +sql(fresh, 'SELECT count(*) FROM cooperative');
  if (imported !== nCoops) throw new Error(`import kept ${imported} of ${nCoops} rows:\n${imp.stderr}\n${imp.stdout.slice(0, 2000)}`);
  const bare = path.join(tmp, 'bare.db');
  t0 = process.hrtime.bigint();
  sh('sqlite3', [bare, '-cmd', '.mode csv', `.import ${csv} cooperative`]);
  const sqliteS = Number(process.hrtime.bigint() - t0) / 1e9;
  const bareRows = +sql(bare, 'SELECT count(*) FROM cooperative');
  figure('export_rows_per_s', nCoops / exportS, 'rows/s', 'import');
  figure('import_rows_per_s', imported / importS, 'rows/s', 'import');
  figure('sqlite3_import_rows_per_s', bareRows / sqliteS, 'rows/s', 'import');
  figure('import_rows_per_s_ratio_sqlite3', imported / importS / (bareRows / sqliteS), '', 'import');
  const loadEnd = fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  figure('loadavg_end', loadEnd, '', 'machine');

  // Targets (issue 5): throughput at 100 connections.
  const at = (name, c) => targets.find((t) => t.name === name).results?.[c];
  const list100 = at('list', 100);
  const jd100 = at('json_detail', 100);
  const checks = [
    ['logged-in list page ≥ 5,000 req/s, p99 < 20 ms (100 connections)', `${list100.rps.toFixed(0)} req/s, p99 ${(list100.p99_us / 1000).toFixed(1)} ms`, list100.rps >= 5000 && list100.p99_us < 20000],
    ['JSON detail ≥ 10,000 req/s (100 connections)', `${jd100.rps.toFixed(0)} req/s`, jd100.rps >= 10000],
    ['screening of the national registry < 200 ms', `${median(times).toFixed(0)} ms (median, page)`, median(times) < 200],
    ['bulk import ≥ 100,000 rows/s', `${(imported / importS).toFixed(0)} rows/s`, imported / importS >= 100000],
    [`peak RSS < 64 MB with ${CONNS.at(-1)} open connections`, `${((peakLast ?? peak.hwm) / 1024).toFixed(1)} MB (the runs with ${CONNS.at(-1)} connections; ${(peak.hwm / 1024).toFixed(1)} MB over the whole run)`, (peakLast ?? peak.hwm) < 65536],
    ['cold start < 0.5 s', `${median(starts).toFixed(0)} ms (median)`, median(starts) < 500],
  ];
  for (const [what, got, ok] of checks) console.log(`bench: target ${ok ? 'met' : 'MISSED'}: ${what}: ${got}`);

  writeMarkdown({ m, loadEnd, rows, checks, nCoops, nMembers, pairs, peakReset, figures });
  console.log(`bench: table written to ${path.relative(process.cwd(), OUT)}`);
}

function writeMarkdown({ m, loadEnd, rows, checks, nCoops, nMembers, pairs, peakReset, figures }) {
  const f = (name) => figures.find((x) => x.name === name);
  const v = (name) => `${f(name).value} ${f(name).unit}`.trim();
  const L = [];
  L.push('# murafiq benchmark: latest run', '');
  L.push(`Made by \`make bench\`${QUICK ? ' (BENCH_QUICK=1: short runs, indicative only)' : ''} on ${m.date}. See docs/PERFORMANCE.md for the method.`, '');
  L.push('## Machine', '');
  L.push('| | |', '|---|---|');
  L.push(`| CPU | ${m.cpu} |`, `| Cores | ${m.cores} |`, `| Memory | ${m.memory} |`, `| Kernel | ${m.kernel} |`);
  L.push(`| Load average at start (1, 5, 15 min) | ${m.load} |`, `| Load average at end | ${loadEnd} |`);
  L.push(`| Load generator | ${m.wrk}, -t2, keep-alive, ${DURATION} per run, same machine |`, `| Baseline | ${m.nginx} |`);
  L.push(`| Data | national demo set: ${nCoops.toLocaleString('en')} cooperatives, ${nMembers.toLocaleString('en')} memberships |`);
  L.push(`| Server | \`murafiq serve\`${THREADS ? ` --threads ${THREADS}` : ' (default threads)'}, -O2 |`, '');
  L.push('## Targets (issue 5)', '', '| Target | Measured | |', '|---|---|---|');
  for (const [what, got, ok] of checks) L.push(`| ${what} | ${got} | ${ok ? 'met' : '**missed**'} |`);
  L.push('', '## Load (wrk)', '');
  L.push('Ratios are murafiq\'s requests/s over the baseline\'s, measured in the same run with the same settings.', '');
  L.push('| Target | Connections | req/s | p50 ms | p99 ms | errors | ÷ nginx | ÷ MHD |', '|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    const ratio = (b) => (b ? (r.rps / b).toFixed(3) : '');
    L.push(`| ${r.target} | ${r.c} | ${r.rps.toFixed(0)} | ${(r.p50_us / 1000).toFixed(2)} | ${(r.p99_us / 1000).toFixed(2)} | ${r.errors} | ${ratio(r.ng)} | ${ratio(r.mh)} |`);
  }
  L.push('', `List and JSON list queries (search word, region, matching cooperatives): ${pairs.map((p) => `${p.q}/${p.region} (${p.n})`).join(', ')}.`);
  L.push('', '## Other figures', '', '| Figure | Value |', '|---|---|');
  for (const name of [
    'screening_page_ms_median', 'screening_page_ms_max', 'screening_api_ms_median',
    'rss_peak_after_login', 'rss_peak_serving', `rss_peak_c${CONNS.at(-1)}`, 'rss_after_load', 'rss_anon_peak', 'rss_peak_serving_ratio_mhd', 'rss_peak_serving_ratio_nginx', 'mhd_rss_peak', 'nginx_rss_peak',
    'overload_list_c200_rps', 'overload_list_c200_refused', 'overload_list_c200_other_errors', 'overload_list_c200_p99', 'overload_recovery_ms',
    'cold_start_ms_median', 'cold_start_ms_max',
    'export_rows_per_s', 'import_rows_per_s', 'sqlite3_import_rows_per_s', 'import_rows_per_s_ratio_sqlite3',
  ]) if (f(name)) L.push(`| ${name} | ${v(name)} |`);
  L.push('');
  L.push('rss_* are VmHWM/VmRSS (everything resident, file pages included); rss_anon_peak is RssAnon sampled every 50 ms (the process\'s own memory).', '');
  L.push(`rss_peak_after_login includes the one login's argon2id hash (64 MiB, freed at once); ` +
    (peakReset ? `the peak was then reset (/proc/PID/clear_refs 5), so rss_peak_serving is the peak while serving the load above; it was reset again before the runs with ${CONNS.at(-1)} connections, whose own peak is rss_peak_c${CONNS.at(-1)}, the figure of the target.` : 'the peak could not be reset here, so rss_peak_serving includes it.'));
  L.push('');
  fs.mkdirSync(path.dirname(OUT), { recursive: true });
  fs.writeFileSync(OUT, L.join('\n'));
}

main().catch((e) => {
  console.error(`bench: failed: ${e.stack || e}`);
  process.exit(1);
});
