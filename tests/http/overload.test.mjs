// overload.test.mjs: the server's limits (serve --timeout, --max-connections, --max-inflight,
// --max-wait):
// a client trickling its headers is cut at the timeout, connections beyond the limit and
// requests beyond the in-flight bound get a fast 503 with Retry-After, and the server serves
// normally once the load is gone.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { spawnSync } from 'node:child_process';
import { BIN, DEMO_PASSWORD, cleanupDirs, makeDemoDb, rawHttp, startServer, tempDir, tokenClient } from './lib.mjs';

let db;
const servers = [];

before(async () => {
  db = await makeDemoDb(tempDir());
});

after(async () => {
  for (const s of servers) if (s.exited() === null) await s.stop();
  cleanupDirs();
});

async function serve(args, threads = 2) {
  const s = await startServer(db, { threads, args });
  servers.push(s);
  return s;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Opens a connection and sends one keep-alive request: resolves {status, sock} (the socket
 * still open when the answer was 200). */
function openKeepAlive(port) {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1');
    let text = '';
    sock.setEncoding('latin1');
    sock.on('connect', () => sock.write('GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n'));
    sock.on('data', (d) => {
      text += d;
      if (/\r\n\r\n/.test(text)) resolve({ status: Number(text.slice(9, 12)), sock, text });
    });
    sock.on('error', reject);
  });
}

describe('a client trickling its headers', () => {
  let s;
  before(async () => {
    s = await serve(['--timeout', '1']);
  });

  test('is cut at the timeout although it keeps sending, and the server still serves', async () => {
    const t0 = Date.now();
    const result = await new Promise((resolve, reject) => {
      const sock = net.connect(s.port, '127.0.0.1');
      let got = '';
      let timer = null;
      let sent = 0;
      const header = 'GET /healthz HTTP/1.1\r\nHost: t\r\nX-Slow: ' + 'a'.repeat(200);
      // One byte every 100 ms: never idle long enough for an inactivity timeout.
      const trickle = () => {
        if (sent < header.length) sock.write(header[sent++]);
        timer = setTimeout(trickle, 100);
      };
      const done = (how) => {
        clearTimeout(timer);
        sock.destroy();
        resolve({ how, got, ms: Date.now() - t0, sent });
      };
      sock.on('connect', trickle);
      sock.setEncoding('latin1');
      sock.on('data', (d) => (got += d));
      sock.on('end', () => done('end'));
      sock.on('close', () => done('close'));
      sock.on('error', (e) => (e.code === 'ECONNRESET' || e.code === 'EPIPE' ? done('reset') : reject(e)));
      setTimeout(() => done('still open'), 8000);
    });
    assert.notEqual(result.how, 'still open', `not cut after ${result.ms} ms (${result.sent} bytes sent)`);
    assert.ok(result.ms >= 900, `cut after ${result.ms} ms, before the 1 s timeout`);
    assert.ok(result.ms < 4000, `cut only after ${result.ms} ms`);
    assert.doesNotMatch(result.got, /^HTTP\/1\.1 200/, 'the trickled request was answered');
    const r = await fetch(`${s.base}/healthz`);
    assert.equal(r.status, 200);
  });

  test('a client that sends nothing is closed at the timeout too', async () => {
    const t0 = Date.now();
    const r = await rawHttp(s.port, '', { idleMs: 6000 });
    assert.equal(r.closed, true, 'the silent connection stayed open');
    assert.ok(Date.now() - t0 < 4000, `closed after ${Date.now() - t0} ms`);
  });
});

describe('the connection limit', () => {
  test('a connection beyond it gets a fast 503 with Retry-After; freed, the server serves', async () => {
    const s = await serve(['--max-connections', '4']);
    // Up to 4 connections are served (fewer when fetch's own pool still holds one open from
    // the start-up checks); the next is refused.
    const open = [];
    let refused = null;
    for (let i = 0; i < 6 && !refused; i++) {
      const t0 = Date.now();
      const c = await openKeepAlive(s.port);
      if (c.status === 200) open.push(c.sock);
      else refused = { ...c, ms: Date.now() - t0 };
    }
    assert.ok(refused, `${open.length} connections were served, the limit is 4`);
    assert.ok(open.length <= 4 && open.length >= 2, `${open.length} connections served before the refusal`);
    assert.equal(refused.status, 503, refused.text.slice(0, 300));
    assert.match(refused.text, /\r\nRetry-After: \d+\r\n/i);
    assert.ok(refused.ms < 1000, `503 after ${refused.ms} ms`);
    const closed = await new Promise((resolve) => {
      refused.sock.on('close', () => resolve(true));
      setTimeout(() => resolve(false), 3000);
    });
    assert.equal(closed, true, 'the refused connection was left open');
    const api = await rawHttp(s.port, 'GET /api/v1/cooperatives HTTP/1.1\r\nHost: t\r\n\r\n', { idleMs: 3000 });
    assert.equal(api.status, 503, api.text.slice(0, 300));
    const body = JSON.parse(api.text.slice(api.text.indexOf('\r\n\r\n') + 4));
    assert.equal(body.error.code, 'overloaded');
    for (const sock of open) sock.destroy();
    // The closes are seen by the server's threads a moment later.
    let status = 0;
    for (let i = 0; i < 50 && status !== 200; i++) {
      await sleep(50);
      status = (await fetch(`${s.base}/healthz`)).status;
    }
    assert.equal(status, 200);
  });
});

describe('the bound on requests in flight', () => {
  test('a burst beyond it is answered at once, some 503 with Retry-After, the rest served', async () => {
    const s = await serve(['--max-inflight', '1'], 1);
    const api = await tokenClient(s.base, db, 'manager');
    const burst = 40;
    const answers = await Promise.all(
      Array.from({ length: burst }, () =>
        fetch(`${s.base}/api/v1/calls/1/screening`, { headers: { authorization: `Bearer ${api.bearer}` } }).then(async (r) => ({
          status: r.status,
          retry: r.headers.get('retry-after'),
          body: await r.text(),
        })),
      ),
    );
    const statuses = answers.map((a) => a.status);
    assert.ok(statuses.every((x) => x === 200 || x === 503), `unexpected statuses: ${statuses}`);
    const refused = answers.filter((a) => a.status === 503);
    assert.ok(refused.length > 0, 'no request of the burst was refused');
    assert.ok(statuses.includes(200), 'every request of the burst was refused');
    for (const a of refused) {
      assert.match(a.retry || '', /^\d+$/);
      assert.equal(JSON.parse(a.body).error.code, 'overloaded');
    }
    // Once the burst is over, every request is served again.
    for (let i = 0; i < 5; i++) {
      const r = await fetch(`${s.base}/api/v1/calls/1/screening`, { headers: { authorization: `Bearer ${api.bearer}` } });
      assert.equal(r.status, 200);
      await r.arrayBuffer();
    }
  });
});

describe('the bound on the queue wait (serve --max-wait)', () => {
  test('once the oldest queued request has waited past it, new ones get a fast 503', async () => {
    // One handler thread; each login costs an argon2id hash (64 MiB), tens of milliseconds.
    const s = await serve(['--max-wait', '1', '--max-inflight', '10000'], 1);
    const page = await fetch(`${s.base}/login`);
    assert.equal(page.status, 200);
    const cookie = (page.headers.get('set-cookie') || '').split(';')[0];
    const csrf = (/name="csrf" value="([^"]+)"/.exec(await page.text()) || [])[1];
    assert.ok(csrf, 'the login form has its CSRF token');
    const body = new URLSearchParams({ csrf, login: 'manager', password: DEMO_PASSWORD, next: '/' });
    const t0 = Date.now();
    let firstRefusal = null;
    const pending = [];
    // A login every 25 ms, until one is refused or 20 s pass: faster than the one thread
    // serves them, so the queue grows and its oldest request ages.
    while (firstRefusal === null && Date.now() - t0 < 20000) {
      pending.push(
        fetch(`${s.base}/login`, { method: 'POST', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body, redirect: 'manual' }).then(
          async (r) => {
            await r.arrayBuffer();
            if (r.status === 503 && firstRefusal === null) firstRefusal = { at: Date.now() - t0, retry: r.headers.get('retry-after') };
            return r.status;
          },
        ),
      );
      await sleep(25);
    }
    const statuses = await Promise.all(pending);
    assert.ok(firstRefusal, `no 503 in 20 s of queued logins (${statuses.length} sent)`);
    assert.ok(firstRefusal.at >= 1000, `refused after ${firstRefusal.at} ms, before the oldest could wait 1 s`);
    assert.match(firstRefusal.retry || '', /^\d+$/);
    assert.ok(statuses.every((x) => x === 303 || x === 503), `unexpected statuses: ${[...new Set(statuses)]}`);
    assert.ok(statuses.includes(303), 'no login was served');
    const r = await fetch(`${s.base}/healthz`);
    assert.equal(r.status, 200, 'served again once the queue is drained');
  });

  test('its value is checked at start', async () => {
    for (const bad of ['0', '61', 'x']) {
      const r = spawnSync(BIN, ['serve', '--db', db, '--listen', '127.0.0.1:1', '--max-wait', bad], { encoding: 'utf8' });
      assert.notEqual(r.status, 0, `--max-wait ${bad} refused`);
      assert.match(r.stderr, /--max-wait is a number of seconds from 1 to 60/);
    }
  });
});
