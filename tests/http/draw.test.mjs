// draw.test.mjs: `murafiq draw` on the worked example of RFC 3797 (section 6), and its exit codes.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { cleanupDirs, run, tempDir } from './lib.mjs';

// RFC 3797 section 6: 25 volunteers, 10 to select, three sources announced in this order.
const RFC_POOL = [
  'John', 'Mary', 'Bashful', 'Dopey', 'Sleepy', 'Grouchy', 'Doc', 'Sneazy', 'Handsome',
  'Cassandra', 'Pollyanna', 'Pendragon', 'Pandora', 'Faith', 'Hope', 'Charity', 'Lee',
  'Longsuffering', 'Chastity', 'Smith', 'Pride', 'Sloth', 'Envy', 'Anger', 'Kasczynski',
];
const RFC_SOURCES = '9319\n2 5 12 8 10\n9 18 26 34 41 45\n';
const RFC_KEY = '9319./2.5.8.10.12./9.18.26.34.41.45./';
const RFC_SELECTED = [17, 7, 2, 16, 25, 23, 8, 24, 19, 13];

let dir;
let pool;
let sources;

/** Writes a file in the scratch directory and returns its path. */
function file(name, content) {
  const p = path.join(dir, name);
  fs.writeFileSync(p, content);
  return p;
}

/** A failure must be explained on exactly one line of standard error, naming the command. */
function assertOneLine(r, what) {
  const lines = r.stderr.split('\n').filter((l) => l.trim() !== '');
  assert.equal(lines.length, 1, `${what}: one line on stderr, got ${JSON.stringify(r.stderr)}`);
  assert.match(lines[0], /^murafiq draw: /, what);
  assert.equal(r.stdout, '', `${what}: nothing on stdout`);
}

before(() => {
  dir = tempDir('murafiq-draw-');
  pool = file('pool.txt', RFC_POOL.join('\n') + '\n');
  sources = file('sources.txt', RFC_SOURCES);
});

after(() => cleanupDirs());

describe('murafiq draw', () => {
  test('reproduces the RFC 3797 worked example', async () => {
    const r = await run(['draw', '--pool', pool, '--sources', sources, '--select', '10', '--show-key']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    const want = [`key\t${RFC_KEY}`].concat(
      RFC_SELECTED.map((pos, i) => `${i + 1}\t${pos}\t${RFC_POOL[pos - 1]}`),
    );
    assert.deepEqual(r.stdout.split('\n'), want.concat(['']));
  });

  test('without --show-key prints only the selection; fewer draws give the same first ones', async () => {
    const r = await run(['draw', '--select', '3', '--sources', sources, '--pool', pool]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '1\t17\tLee\n2\t7\tDoc\n3\t2\tMary\n');
  });

  test('the key ignores leading zeroes, CRLF line ends and the order of values in a source', async () => {
    const s = file('crlf.txt', '09319\r\n12 10 8 5 2\r\n45 41 34 26 18 009\r\n');
    const p = file('pool-crlf.txt', RFC_POOL.join('\r\n'));
    const r = await run(['draw', '--pool', p, '--sources', s, '--select', '10', '--show-key']);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines[0], `key\t${RFC_KEY}`);
    assert.deepEqual(lines.slice(1).map((l) => Number(l.split('\t')[1])), RFC_SELECTED);
    assert.equal(lines[1], '1\t17\tLee');
  });

  test('selecting the whole pool gives every position once', async () => {
    const r = await run(['draw', '--pool', pool, '--sources', sources, '--select', '25']);
    assert.equal(r.code, 0, r.stderr);
    const positions = r.stdout.trim().split('\n').map((l) => Number(l.split('\t')[1]));
    assert.deepEqual([...positions].sort((a, b) => a - b), RFC_POOL.map((_, i) => i + 1));
    assert.deepEqual(positions.slice(0, 10), RFC_SELECTED);
  });

  test('entries in Arabic and French come back as written', async () => {
    const p = file('pool-utf8.txt', 'تعاونية الأمل\nCoopérative Tifaout\n');
    const r = await run(['draw', '--pool', p, '--sources', sources, '--select', '2']);
    assert.equal(r.code, 0, r.stderr);
    const entries = r.stdout.trim().split('\n').map((l) => l.split('\t')[2]);
    assert.deepEqual([...entries].sort(), ['Coopérative Tifaout', 'تعاونية الأمل'].sort());
  });

  test('--help exits 0 with the usage', async () => {
    const r = await run(['draw', '--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^usage: murafiq draw --pool FILE --sources FILE --select N/);
  });

  test('usage errors exit 2 with one line', async () => {
    const cases = [
      [[], 'no option'],
      [['--pool', pool, '--sources', sources], 'no --select'],
      [['--pool', pool, '--select', '3'], 'no --sources'],
      [['--sources', sources, '--select', '3'], 'no --pool'],
      [['--pool', pool, '--sources', sources, '--select', '0'], 'select 0'],
      [['--pool', pool, '--sources', sources, '--select', '-1'], 'negative select'],
      [['--pool', pool, '--sources', sources, '--select', 'ten'], 'select not a number'],
      [['--pool', pool, '--sources', sources, '--select', '26'], 'select more than the pool'],
      [['--pool', pool, '--sources', sources, '--select', '99999999999999999999'], 'huge select'],
      [['--pool', pool, '--sources', sources, '--select', '3', 'extra'], 'extra argument'],
      [['--pool', pool, '--sources', sources, '--select', '3', '--colour'], 'unknown option'],
      [['--pool'], 'option without its value'],
    ];
    for (const [args, what] of cases) {
      const r = await run(['draw', ...args]);
      assert.equal(r.code, 2, `${what}: ${r.stderr}`);
      assertOneLine(r, what);
    }
  });

  test('a malformed sources file exits 1 and names the line', async () => {
    const cases = [
      ['9319\n2 5 x\n', 'line 2', 'letters'],
      ['9319\n\n9 18\n', 'line 2', 'blank line'],
      ['1\n2\n-3\n', 'line 3', 'negative'],
      ['1000000000000001\n', 'line 1', 'above 10^15'],
      ['1.5\n', 'line 1', 'a decimal'],
      ['', 'no random source', 'empty file'],
    ];
    for (const [content, where, what] of cases) {
      const s = file('bad-sources.txt', content);
      const r = await run(['draw', '--pool', pool, '--sources', s, '--select', '3']);
      assert.equal(r.code, 1, `${what}: ${r.stderr}`);
      assertOneLine(r, what);
      assert.ok(r.stderr.includes(where), `${what}: ${r.stderr}`);
    }
  });

  test('a malformed pool file or a missing file exits 1 with one line', async () => {
    const cases = [
      [file('blank.txt', 'a\nb\n\nc\n'), 'line 3', 'blank entry'],
      [file('tab.txt', 'a\nb\tc\n'), 'line 2', 'tab in an entry'],
      [file('latin1.txt', Buffer.from([0x61, 0x0a, 0xe9, 0x0a])), 'line 2', 'not UTF-8'],
      [file('empty.txt', ''), 'no entry', 'empty pool'],
      [path.join(dir, 'absent.txt'), 'cannot read', 'missing file'],
    ];
    for (const [p, where, what] of cases) {
      const r = await run(['draw', '--pool', p, '--sources', sources, '--select', '1']);
      assert.equal(r.code, 1, `${what}: ${r.stderr}`);
      assertOneLine(r, what);
      assert.ok(r.stderr.includes(where), `${what}: ${r.stderr}`);
    }
  });
});
