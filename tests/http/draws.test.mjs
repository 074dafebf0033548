// draws.test.mjs: publicly verifiable draws (RFC 3797) through the pages and the JSON API: the
// RFC's worked example from draft to result, the public page and pool file readable without
// login, drafts kept private, the pool frozen once published, a draw made once, refusals that
// name the line at fault and store nothing, escaping, CSRF and who may write.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  Client,
  cleanupDirs,
  formFields,
  htmlDecode,
  loggedIn,
  run,
  setField,
  setupServer,
  tempDir,
  textById,
  tokenClient,
  uniqueWord,
} from './lib.mjs';

// RFC 3797 section 6: 25 volunteers, 10 to select, three sources announced in this order
// (the same constants as draw.test.mjs).
const RFC_POOL = [
  'John', 'Mary', 'Bashful', 'Dopey', 'Sleepy', 'Grouchy', 'Doc', 'Sneazy', 'Handsome',
  'Cassandra', 'Pollyanna', 'Pendragon', 'Pandora', 'Faith', 'Hope', 'Charity', 'Lee',
  'Longsuffering', 'Chastity', 'Smith', 'Pride', 'Sloth', 'Envy', 'Anger', 'Kasczynski',
];
const RFC_SOURCES = '9319\n2 5 12 8 10\n9 18 26 34 41 45\n';
const RFC_KEY = '9319./2.5.8.10.12./9.18.26.34.41.45./';
const RFC_SELECTED = [17, 7, 2, 16, 25, 23, 8, 24, 19, 13];
const ANNOUNCED = 'The winning numbers of three lotteries, in this order (RFC 3797 section 6).';
const XSS = `<script>alert(1)</script>'"&`;
const RAW = '<script>alert(1)</script>';

/** RFC 3797 section 4 recomputed here, independently of the server: the steps of the draw. */
function rfc3797(key, poolSize, n) {
  const left = Array.from({ length: poolSize }, (_, i) => i + 1);
  const steps = [];
  for (let j = 0; j < n; j++) {
    const J = Buffer.from([j >> 8, j & 255]);
    const d = crypto.createHash('md5').update(Buffer.concat([J, Buffer.from(key, 'ascii'), J])).digest();
    const m = left.length;
    const r = Number(BigInt('0x' + d.toString('hex')) % BigInt(m));
    steps.push({ digest: d.toString('hex'), mod: m, r, position: left.splice(r, 1)[0] });
  }
  return steps;
}

/** The rows of the table with this id: arrays of cell texts. */
function tableRows(html, id) {
  const m = new RegExp(`<table\\b[^>]*\\bid="${id}"[^>]*>([\\s\\S]*?)</table>`).exec(html);
  if (!m) return null;
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(m[1]);
  return [...(body ? body[1] : '').matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((r) =>
    [...r[1].matchAll(/<t[hd]\b[^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => htmlDecode(c[1].replace(/<[^>]+>/g, '')).trim()),
  );
}

let env;
let admin; // bearer
let manager; // session (forms)
let viewer; // session
let officer; // session

before(async () => {
  env = await setupServer();
  admin = await tokenClient(env.base, env.db, 'admin');
  [manager, viewer, officer] = await Promise.all(['manager', 'viewer', 'officer03'].map((u) => loggedIn(env.base, u)));
});

after(async () => {
  if (env && env.server.exited() === null) await env.server.stop();
  cleanupDirs();
});

/** A valid draft as the API takes it. */
function drawData(over = {}) {
  return {
    title: `Tirage ${uniqueWord('dr')}`,
    description: 'Deux vidéos promotionnelles parmi les institutions participantes.',
    select_count: 10,
    sources_announced: ANNOUNCED,
    pool: RFC_POOL,
    ...over,
  };
}

async function createDraw(over = {}, client = admin) {
  const r = await client.api('POST', '/api/v1/draws', drawData(over));
  assert.equal(r.status, 201, r.text);
  return r.json();
}

async function getDraw(id, client = admin) {
  const r = await client.api('GET', `/api/v1/draws/${id}`);
  assert.equal(r.status, 200, r.text);
  return r.json();
}

async function total(client = admin) {
  const r = await client.api('GET', '/api/v1/draws?per_page=1');
  assert.equal(r.status, 200, r.text);
  return r.json().total;
}

/** The id in a /draws/{id} redirect. */
function idOf(r) {
  assert.equal(r.status, 303, r.text.slice(0, 500));
  const m = /^\/draws\/(\d+)$/.exec(r.location);
  assert.ok(m, `Location ${r.location}`);
  return Number(m[1]);
}

/** The message shown for a field of a page's form (the error next to the field). */
function fieldError(html, field) {
  return textById(html, `e-${field}`);
}

describe('the RFC 3797 worked example', () => {
  test('through the pages: draft, pool published, sources entered, result public', async () => {
    const g = await manager.get('/draws/new');
    assert.equal(g.status, 200);
    let form = formFields(g.text, '/draws');
    const title = `Tirage RFC ${uniqueWord('pg')}`;
    form = setField(form, 'title', title);
    form = setField(form, 'select_count', '10');
    form = setField(form, 'sources_announced', ANNOUNCED);
    form = setField(form, 'pool', RFC_POOL.join('\r\n') + '\r\n'); // as a browser sends a textarea
    const id = idOf(await manager.postForm('/draws', form));

    // The draft: visible to managers only, not public.
    const draft = await manager.get(`/draws/${id}`);
    assert.equal(draft.status, 200);
    assert.ok(draft.text.includes(`action="/draws/${id}/publish"`), 'a publish form');
    assert.ok(!draft.text.includes(`action="/draws/${id}/result"`), 'no result form before publishing');
    const anon = new Client(env.base);
    for (const p of [`/public/draws/${id}`, `/public/draws/${id}/pool.txt`]) {
      assert.equal((await anon.get(p)).status, 404, `${p}: a draft is not public`);
      assert.equal((await manager.get(p)).status, 404, `${p}: not even for a manager`);
    }
    assert.equal((await viewer.get(`/draws/${id}`)).status, 404, 'the viewer does not see drafts');
    assert.equal((await viewer.api('GET', `/api/v1/draws/${id}`)).status, 404);
    assert.ok(!(await viewer.get('/draws')).text.includes(title), 'nor in the list');
    assert.ok((await manager.get('/draws')).text.includes(title), 'the manager sees it listed');

    // Publish: the pool and the announced sources become public; the result form appears.
    const pub = await manager.postForm(`/draws/${id}/publish`, formFields(draft.text, `/draws/${id}/publish`));
    assert.equal(pub.status, 303, pub.text.slice(0, 300));
    const published = await anon.get(`/public/draws/${id}`);
    assert.equal(published.status, 200);
    assert.match(published.headers.get('content-type'), /^text\/html/);
    assert.equal(textById(published.text, 'draw-announced'), ANNOUNCED);
    for (const [i, name] of RFC_POOL.entries()) assert.match(published.text, new RegExp(`<td class="num">${i + 1}</td><td><bdi>${name}</bdi></td>`));
    assert.equal(tableRows(published.text, 'draw-result'), null, 'no result yet');
    const pool = await anon.get(`/public/draws/${id}/pool.txt`);
    assert.equal(pool.status, 200);
    assert.match(pool.headers.get('content-type'), /^text\/plain; charset=utf-8$/);
    assert.equal(pool.text, RFC_POOL.join('\n') + '\n', 'exactly the --pool file of murafiq draw');
    assert.equal((await viewer.get(`/draws/${id}`)).status, 200, 'published: every role reads it');

    // The result: the sources as announced, entered once.
    const show = await manager.get(`/draws/${id}`);
    let rf = formFields(show.text, `/draws/${id}/result`);
    rf = setField(rf, 'sources', '9319\r\n2 5 12 8 10\r\n9 18 26 34 41 45\r\n');
    const res = await manager.postForm(`/draws/${id}/result`, rf);
    assert.equal(res.status, 303, res.text.slice(0, 500));

    // The public page, without login: sources, key, result in order, each step's digest.
    const pg = await anon.get(`/public/draws/${id}`);
    assert.equal(pg.status, 200);
    assert.equal(textById(pg.text, 'draw-key'), RFC_KEY);
    assert.match(pg.text, /<pre class="draw-code" dir="ltr" id="draw-key">/, 'the key in a monospace LTR block');
    assert.equal(textById(pg.text, 'draw-sources'), RFC_SOURCES.trim());
    const rows = tableRows(pg.text, 'draw-result');
    assert.deepEqual(rows, RFC_SELECTED.map((p, i) => [String(i + 1), String(p), RFC_POOL[p - 1]]));
    const steps = tableRows(pg.text, 'draw-steps');
    const want = rfc3797(RFC_KEY, 25, 10);
    assert.deepEqual(steps, want.map((s, i) => [String(i + 1), s.digest, `mod ${s.mod} = ${s.r}`, String(s.position)]));
    assert.deepEqual(want.map((s) => s.position), RFC_SELECTED, 'the independent computation agrees with the RFC');
    assert.ok(pg.text.includes('RFC 3797'), 'the page says how to check it');
    assert.match(textById(pg.text, 'draw-command'), /^murafiq draw --pool pool\.txt --sources sources\.txt --select 10 --show-key$/);
    assert.ok(!pg.text.includes(`action="/draws/${id}/result"`), 'no form on the public page');

    // Anyone can recompute it: the command line on what the public page gives.
    const dir = tempDir('murafiq-draws-');
    const pf = path.join(dir, 'pool.txt');
    const sf = path.join(dir, 'sources.txt');
    fs.writeFileSync(pf, (await anon.get(`/public/draws/${id}/pool.txt`)).body);
    fs.writeFileSync(sf, textById(pg.text, 'draw-sources') + '\n');
    const cli = await run(['draw', '--pool', pf, '--sources', sf, '--select', '10', '--show-key']);
    assert.equal(cli.code, 0, cli.stderr);
    assert.deepEqual(cli.stdout.trim().split('\n'), [`key\t${RFC_KEY}`, ...rows.map((r) => r.join('\t'))]);

    // The detail page shows the same; the API too.
    const det = await viewer.get(`/draws/${id}`);
    assert.equal(textById(det.text, 'draw-key'), RFC_KEY);
    assert.deepEqual(tableRows(det.text, 'draw-result'), rows);
    const j = await getDraw(id, viewer);
    assert.equal(j.status, 'drawn');
    assert.equal(j.key, RFC_KEY);
    assert.equal(j.sources, RFC_SOURCES);
    assert.deepEqual(j.result.map((x) => x.position), RFC_SELECTED);
    assert.equal(j.public_url, `/public/draws/${id}`);
  });

  test('through the API: pool as a list, sources as lists of numbers', async () => {
    const r = await admin.api('POST', '/api/v1/draws', drawData());
    assert.equal(r.status, 201, r.text);
    const d = r.json();
    assert.equal(r.location, `/api/v1/draws/${d.id}`);
    assert.equal(d.status, 'draft');
    assert.equal(d.pool_size, 25);
    assert.deepEqual(d.pool, RFC_POOL);
    assert.equal(d.public_url, null);
    assert.equal(d.key, null);
    const p = await admin.api('POST', `/api/v1/draws/${d.id}/publish`, { version: d.version });
    assert.equal(p.status, 200, p.text);
    assert.equal(p.json().status, 'published');
    assert.ok(p.json().published_at);
    const res = await admin.api('POST', `/api/v1/draws/${d.id}/result`, {
      version: p.json().version,
      sources: [[9319], [2, 5, 12, 8, 10], [9, 18, 26, 34, 41, 45]],
    });
    assert.equal(res.status, 200, res.text);
    const j = res.json();
    assert.equal(j.status, 'drawn');
    assert.equal(j.key, RFC_KEY);
    assert.deepEqual(j.result, RFC_SELECTED.map((pos, i) => ({ rank: i + 1, position: pos, entry: RFC_POOL[pos - 1] })));
    assert.ok(j.drawn_at);
    // The same with the pool as text and the sources as text (leading zeroes, any order).
    const d2 = await createDraw({ pool: RFC_POOL.join('\n'), select_count: 3 });
    await admin.api('POST', `/api/v1/draws/${d2.id}/publish`);
    const r2 = await admin.api('POST', `/api/v1/draws/${d2.id}/result`, { sources: '09319\n12 10 8 5 2\n45 41 34 26 18 009' });
    assert.equal(r2.status, 200, r2.text);
    assert.equal(r2.json().key, RFC_KEY);
    assert.equal(r2.json().sources, '9319\n12 10 8 5 2\n45 41 34 26 18 9\n', 'as entered, without leading zeroes');
    assert.deepEqual(r2.json().result.map((x) => x.position), RFC_SELECTED.slice(0, 3));
    // Listed for everyone once published.
    const list = (await viewer.api('GET', '/api/v1/draws?per_page=200')).json();
    assert.ok(list.items.some((x) => x.id === d.id && x.status === 'drawn' && x.pool_size === 25));
    assert.ok(!('pool' in list.items[0]), 'lists do not carry the pools');
  });
});

describe('what can no longer change', () => {
  test('the pool is frozen once published; publishing twice is refused', async () => {
    const d = await createDraw();
    const p = await admin.api('POST', `/api/v1/draws/${d.id}/publish`, { version: d.version });
    assert.equal(p.status, 200);
    const before = await getDraw(d.id);
    const again = await admin.api('POST', `/api/v1/draws/${d.id}/publish`);
    assert.equal(again.status, 409);
    assert.equal(again.json().error.code, 'conflict');
    const show = await manager.get(`/draws/${d.id}`);
    assert.ok(!show.text.includes(`action="/draws/${d.id}/publish"`), 'no publish form any more');
    const page = await manager.postForm(`/draws/${d.id}/publish`, [['version', String(before.version)]]);
    assert.equal(page.status, 409);
    // There is no way to write the pool of an existing draw.
    for (const [method, p2] of [['PATCH', `/api/v1/draws/${d.id}`], ['POST', `/api/v1/draws/${d.id}`], ['POST', `/draws/${d.id}`]]) {
      const r = await admin.request(p2, { method, json: { pool: ['Intruder'] } });
      assert.equal(r.status, 405, `${method} ${p2}`);
    }
    assert.deepEqual(await getDraw(d.id), before, 'nothing changed');
  });

  test('a stale version is refused with 409 and changes nothing', async () => {
    const d = await createDraw();
    const r = await admin.api('POST', `/api/v1/draws/${d.id}/publish`, { version: d.version + 7 });
    assert.equal(r.status, 409);
    const f = await manager.postForm(`/draws/${d.id}/publish`, [['version', String(d.version + 7)]]);
    assert.equal(f.status, 409);
    assert.equal((await getDraw(d.id)).status, 'draft');
    const missing = await manager.postForm(`/draws/${d.id}/publish`, []);
    assert.equal(missing.status, 400, 'the form carries its version');
    assert.equal((await getDraw(d.id)).status, 'draft');
  });

  test('a draft cannot be drawn; a draw is drawn once', async () => {
    const d = await createDraw();
    const early = await admin.api('POST', `/api/v1/draws/${d.id}/result`, { sources: RFC_SOURCES });
    assert.equal(early.status, 409, 'publish first');
    assert.equal((await getDraw(d.id)).status, 'draft');
    await admin.api('POST', `/api/v1/draws/${d.id}/publish`);
    const first = await admin.api('POST', `/api/v1/draws/${d.id}/result`, { sources: RFC_SOURCES });
    assert.equal(first.status, 200, first.text);
    const drawn = await getDraw(d.id);
    for (const sources of [RFC_SOURCES, '1\n2\n3']) {
      const r = await admin.api('POST', `/api/v1/draws/${d.id}/result`, { sources });
      assert.equal(r.status, 409, r.text);
      assert.equal(r.json().error.code, 'conflict');
      const f = await manager.postForm(`/draws/${d.id}/result`, [['version', String(drawn.version)], ['sources', sources]]);
      assert.equal(f.status, 409);
      assert.ok(f.text.includes('class="panel error-page"'));
    }
    assert.deepEqual(await getDraw(d.id), drawn, 'the result stays as it was');
  });
});

describe('the database keeps the record frozen (triggers of 002_draws.sql)', () => {
  /** Runs SQL with the sqlite3 shell on the server's database; returns {ok, stderr}. */
  const sql = (q) => {
    const r = spawnSync('sqlite3', ['-bail', env.db, `PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; ${q}`], { encoding: 'utf8' });
    return { ok: r.status === 0 && !r.stderr, stderr: r.stderr };
  };

  test('no write around the stores can change a published pool or a result', async () => {
    const pub = await createDraw();
    await admin.api('POST', `/api/v1/draws/${pub.id}/publish`);
    const drawn = await createDraw();
    await admin.api('POST', `/api/v1/draws/${drawn.id}/publish`);
    await admin.api('POST', `/api/v1/draws/${drawn.id}/result`, { sources: RFC_SOURCES });
    const before = [await getDraw(pub.id), await getDraw(drawn.id)];
    for (const id of [pub.id, drawn.id]) {
      for (const q of [
        `UPDATE draw_entry SET label = 'X' WHERE draw_id = ${id} AND position = 1`,
        `UPDATE draw_entry SET position = 99 WHERE draw_id = ${id} AND position = 1`,
        `INSERT INTO draw_entry (draw_id, position, label) VALUES (${id}, 26, 'Intruder')`,
        `DELETE FROM draw_entry WHERE draw_id = ${id} AND position = 25`,
        `UPDATE draw SET select_count = 1 WHERE id = ${id}`,
        `UPDATE draw SET sources_announced = 'other' WHERE id = ${id}`,
        `UPDATE draw SET status = 'draft' WHERE id = ${id}`,
        `DELETE FROM draw WHERE id = ${id}`,
      ]) {
        const r = sql(q);
        assert.ok(!r.ok, `refused: ${q}`);
        assert.match(r.stderr, /draw|pool|result/, q);
      }
    }
    for (const q of [
      `UPDATE draw SET key_string = 'x' WHERE id = ${drawn.id}`,
      `UPDATE draw SET sources = '1' WHERE id = ${drawn.id}`,
      `UPDATE draw_result SET position = 1 WHERE draw_id = ${drawn.id} AND rank = 1`,
      `DELETE FROM draw_result WHERE draw_id = ${drawn.id}`,
      `INSERT INTO draw_result (draw_id, rank, position) VALUES (${drawn.id}, 11, 1)`,
      `INSERT INTO draw_result (draw_id, rank, position) VALUES (${pub.id}, 1, 1)`,
    ]) assert.ok(!sql(q).ok, `refused: ${q}`);
    assert.deepEqual([await getDraw(pub.id), await getDraw(drawn.id)], before, 'nothing changed');
    // A draft stays editable by the database (and can be removed with its pool).
    const draft = await createDraw();
    assert.ok(sql(`UPDATE draw_entry SET label = 'Johnny' WHERE draw_id = ${draft.id} AND position = 1`).ok);
    assert.ok(sql(`DELETE FROM draw WHERE id = ${draft.id}`).ok);
    assert.equal((await admin.api('GET', `/api/v1/draws/${draft.id}`)).status, 404);
  });
});

describe('refusals name the line at fault and store nothing', () => {
  test('bad sources: 422 naming the line, the draw stays published', async () => {
    const d = await createDraw();
    await admin.api('POST', `/api/v1/draws/${d.id}/publish`);
    const before = await getDraw(d.id);
    const cases = [
      ['9319\n2 5 x 8 10\n9 18', 'sources', /\b2\b/],
      ['9319\n\n9 18 26', 'sources', /\b2\b/],
      ['9319\n2 5 12 8 10\n-9 18', 'sources', /\b3\b/],
      ['', 'sources', /./],
      ['1\n2\n99999999999999999999', 'sources', /\b3\b/],
    ];
    for (const [sources, field, line] of cases) {
      const r = await admin.api('POST', `/api/v1/draws/${d.id}/result`, { sources });
      assert.equal(r.status, 422, `${JSON.stringify(sources)}: ${r.text}`);
      assert.equal(r.json().error.code, 'validation_failed');
      assert.match(r.json().error.fields[field], line, JSON.stringify(sources));
      const show = await manager.get(`/draws/${d.id}`);
      const f = await manager.postForm(`/draws/${d.id}/result`, setField(formFields(show.text, `/draws/${d.id}/result`), 'sources', sources));
      assert.equal(f.status, 422);
      assert.match(fieldError(f.text, 'sources'), line);
      assert.ok(f.text.includes('href="#f-sources"'), 'the error summary links to the field');
      assert.equal(textById(f.text, 'f-sources'), sources.replace(/\n$/, ''), 'the text stays as typed');
    }
    const bad = await admin.api('POST', `/api/v1/draws/${d.id}/result`, { sources: [[1, 2], ['3']] });
    assert.equal(bad.status, 422);
    assert.match(bad.json().error.fields.sources, /\b2\b/);
    const unknown = await admin.api('POST', `/api/v1/draws/${d.id}/result`, { sources: RFC_SOURCES, key: 'x' });
    assert.equal(unknown.status, 422);
    assert.ok(unknown.json().error.fields.key);
    assert.deepEqual(await getDraw(d.id), before, 'nothing stored');
  });

  test('a bad pool line or count: 422 naming the field and the line, no draft saved', async () => {
    const n = await total();
    const pool = ['Alpha', 'Beta', '   ', 'Delta'];
    const r = await admin.api('POST', '/api/v1/draws', drawData({ pool: pool.join('\n'), select_count: 2 }));
    assert.equal(r.status, 422, r.text);
    assert.match(r.json().error.fields.pool, /\b3\b/);
    const tab = await admin.api('POST', '/api/v1/draws', drawData({ pool: ['A', 'B', 'C', 'D\tE'], select_count: 2 }));
    assert.equal(tab.status, 422);
    assert.match(tab.json().error.fields.pool, /\b4\b/);
    const nl = await admin.api('POST', '/api/v1/draws', drawData({ pool: ['A', 'B\nC'], select_count: 1 }));
    assert.equal(nl.status, 422);
    assert.match(nl.json().error.fields.pool, /\b2\b/);
    const many = await admin.api('POST', '/api/v1/draws', drawData({ select_count: 26 }));
    assert.equal(many.status, 422);
    assert.match(many.json().error.fields.select_count, /25/);
    const empty = await admin.api('POST', '/api/v1/draws', drawData({ title: '', sources_announced: ' ', pool: [], select_count: 0 }));
    assert.equal(empty.status, 422);
    assert.deepEqual(Object.keys(empty.json().error.fields).sort(), ['pool', 'select_count', 'sources_announced', 'title']);
    const extra = await admin.api('POST', '/api/v1/draws', drawData({ status: 'drawn' }));
    assert.equal(extra.status, 422);
    assert.ok(extra.json().error.fields.status);

    const g = await manager.get('/draws/new');
    let form = formFields(g.text, '/draws');
    form = setField(form, 'title', 'Tirage');
    form = setField(form, 'select_count', '2');
    form = setField(form, 'sources_announced', ANNOUNCED);
    form = setField(form, 'pool', 'Alpha\r\nBeta\r\n\r\nDelta');
    const f = await manager.postForm('/draws', form);
    assert.equal(f.status, 422);
    assert.match(fieldError(f.text, 'pool'), /\b3\b/);
    assert.ok(f.text.includes('href="#f-pool"'));
    const again = Object.fromEntries(formFields(f.text, '/draws'));
    assert.equal(again.title, 'Tirage');
    assert.equal(again.select_count, '2');
    assert.equal(again.pool.replace(/\r\n/g, '\n'), 'Alpha\nBeta\n\nDelta', 'the pool as typed');
    assert.equal(await total(), n, 'no draft saved');
  });
});

describe('escaping, CSRF and permissions', () => {
  test('stored text comes back escaped on every page, exact in the API and the pool file', async () => {
    const w = uniqueWord('xs');
    const d = await createDraw({ title: `${XSS} ${w}`, description: XSS, sources_announced: `${XSS}\n${XSS}`, pool: [XSS, `${XSS} 2`, 'Zed'], select_count: 2 });
    const pages = [`/draws/${d.id}`, '/draws'];
    const check = async (c, p) => {
      const r = await c.get(p);
      assert.equal(r.status, 200, p);
      assert.ok(!r.text.includes(RAW), `${p}: the raw script tag`);
      assert.ok(!/<script>/i.test(r.text), `${p}: an inline <script>`);
      assert.ok(htmlDecode(r.text).includes(XSS), `${p}: the whole text, escaped`);
    };
    for (const p of pages) await check(manager, p);
    await admin.api('POST', `/api/v1/draws/${d.id}/publish`);
    await admin.api('POST', `/api/v1/draws/${d.id}/result`, { sources: RFC_SOURCES });
    const anon = new Client(env.base);
    for (const p of [...pages, `/public/draws/${d.id}`]) await check(p.startsWith('/public') ? anon : viewer, p);
    const txt = await anon.get(`/public/draws/${d.id}/pool.txt`);
    assert.equal(txt.text, `${XSS}\n${XSS} 2\nZed\n`);
    assert.match(txt.headers.get('content-type'), /^text\/plain/);
    assert.equal(txt.headers.get('x-content-type-options'), 'nosniff');
    const j = await getDraw(d.id);
    assert.equal(j.title, `${XSS} ${w}`);
    assert.equal(j.sources_announced, `${XSS}\n${XSS}`);
    assert.deepEqual(j.pool, [XSS, `${XSS} 2`, 'Zed']);
  });

  test('every write needs the CSRF token; refused writes change nothing', async () => {
    const d = await createDraw();
    const n = await total();
    const g = await manager.get('/draws/new');
    const body = setField(setField(setField(setField(formFields(g.text, '/draws'), 'title', 'x'), 'select_count', '1'), 'sources_announced', 'x'), 'pool', 'a\nb');
    for (const token of [false, 'ffffffffffffffffffffffffffffffff']) {
      assert.equal((await manager.request('/draws', { method: 'POST', form: body.filter(([k]) => k !== 'csrf'), csrf: token })).status, 403);
      assert.equal((await manager.request(`/draws/${d.id}/publish`, { method: 'POST', form: [['version', String(d.version)]], csrf: token })).status, 403);
      assert.equal((await manager.request(`/api/v1/draws/${d.id}/publish`, { method: 'POST', json: {}, csrf: token })).status, 403);
    }
    assert.equal(await total(), n);
    assert.equal((await getDraw(d.id)).status, 'draft');
    await admin.api('POST', `/api/v1/draws/${d.id}/publish`);
    const r = await manager.request(`/draws/${d.id}/result`, { method: 'POST', form: [['version', '2'], ['sources', RFC_SOURCES]], csrf: false });
    assert.equal(r.status, 403);
    assert.equal((await getDraw(d.id)).status, 'published');
  });

  test('only admin and program managers write; every role reads published draws', async () => {
    const d = await createDraw();
    for (const c of [viewer, officer]) {
      assert.equal((await c.get('/draws/new')).status, 403);
      assert.equal((await c.api('POST', '/api/v1/draws', drawData())).status, 403);
      assert.equal((await c.api('POST', `/api/v1/draws/${d.id}/publish`)).status, 403);
      assert.equal((await c.postForm(`/draws/${d.id}/publish`, [['version', '1']])).status, 403);
      assert.equal((await c.get('/draws')).status, 200);
      assert.ok(!(await c.get('/draws')).text.includes('href="/draws/new"'));
    }
    assert.equal((await getDraw(d.id)).status, 'draft');
    assert.equal((await manager.postForm(`/draws/${d.id}/publish`, [['version', String(d.version)]])).status, 303);
    for (const c of [viewer, officer]) {
      assert.equal((await c.get(`/draws/${d.id}`)).status, 200);
      assert.ok(!(await c.get(`/draws/${d.id}`)).text.includes('action="/draws/'), 'no form for readers');
      assert.equal((await c.api('POST', `/api/v1/draws/${d.id}/result`, { sources: RFC_SOURCES })).status, 403);
    }
    assert.equal((await getDraw(d.id)).status, 'published');
    const anonApi = await new Client(env.base).get(`/api/v1/draws/${d.id}`);
    assert.equal(anonApi.status, 401, 'the API needs a login; the public page does not');
  });
});
