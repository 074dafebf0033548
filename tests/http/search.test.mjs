// search.test.mjs: the word index of cooperatives' names (migration 015, coop_word) behind the
// list's search: what a word finds, that every write keeps the index in step (the server, the
// sqlite3 shell), and that an older database gets its index at the upgrade.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  apiAll,
  cleanupDirs,
  coopData,
  loggedIn,
  makeDemoDb,
  provinceOf,
  setupServer,
  sqlite as sql,
  startServer,
  tempDir,
  tokenClient,
  uniqueWord,
} from './lib.mjs';

let env;
let admin;

before(async () => {
  env = await setupServer();
  admin = await tokenClient(env.base, env.db, 'admin');
});

after(async () => {
  if (env && env.server.exited() === null) await env.server.stop();
  cleanupDirs();
});

async function create(over) {
  const r = await admin.api('POST', '/api/v1/cooperatives', coopData(over));
  assert.equal(r.status, 201, r.text);
  return r.json();
}

async function ids(qs, client = admin) {
  const { items, total } = await apiAll(client, qs);
  assert.equal(items.length, total);
  return items.map((c) => c.id);
}
const q = (s) => `q=${encodeURIComponent(s)}`;

/*
 * The words a name must be found by, written here from the rule, not from the SQL: every word of
 * name_fold, and an Arabic word that begins with an attached article or preposition also
 * without it (وال بال كال فال: 3 letters, when 2 stay; ال لل: 2 letters, when 2 stay; و ل ب ف ك:
 * 1 letter, when 3 stay); and one that begins with a preposition before the article, also with
 * the article alone (والطبيه: الطبيه; للنباتات: النباتات).
 */
function expectedWords(fold) {
  const out = new Set();
  for (const w of fold.split(' ').filter(Boolean)) {
    out.add(w);
    const chars = [...w];
    const head = (n) => chars.slice(0, n).join('');
    if (chars.length >= 5 && ['وال', 'بال', 'كال', 'فال'].includes(head(3))) {
      out.add(chars.slice(3).join(''));
      out.add(chars.slice(1).join(''));
    } else if (chars.length >= 4 && head(2) === 'لل') {
      out.add(chars.slice(2).join(''));
      out.add('ال' + chars.slice(2).join(''));
    } else if (chars.length >= 4 && head(2) === 'ال') out.add(chars.slice(2).join(''));
    else if (chars.length >= 4 && ['و', 'ل', 'ب', 'ف', 'ك'].includes(head(1))) out.add(chars.slice(1).join(''));
  }
  return out;
}

/** Asserts that coop_word holds exactly the expected words of every cooperative of db. */
function assertIndexInStep(db) {
  const rows = JSON.parse(sql(db, "SELECT json_group_array(json_array(id, region_code, name_fold)) FROM cooperative"));
  const want = new Set();
  for (const [id, region, fold] of rows) for (const w of expectedWords(fold)) want.add(`${region}|${w}|${id}`);
  const have = new Set(JSON.parse(sql(db, "SELECT json_group_array(region_code || '|' || word || '|' || coop_id) FROM coop_word")));
  const missing = [...want].filter((k) => !have.has(k));
  const extra = [...have].filter((k) => !want.has(k));
  assert.deepEqual(missing.slice(0, 5), [], `${missing.length} words missing from coop_word`);
  assert.deepEqual(extra.slice(0, 5), [], `${extra.length} words in coop_word that no name has`);
  assert.ok(have.size > rows.length, 'the index is not empty');
}

describe('what a search word finds', () => {
  test('a word finds the names with a word it begins, not a word it is inside of', async () => {
    const w = uniqueWord();
    const c = await create({ name_fr: `Coopérative Féminine Tifawin ${w}` });
    for (const s of [`femin ${w}`, `tifa ${w}`, `${w.slice(0, 6)} coop`, `F ${w}`]) {
      assert.deepEqual(await ids(q(s)), [c.id], `found by "${s}"`);
    }
    // Inside a word: not a match (a search finds what begins words, like a dictionary).
    assert.deepEqual(await ids(q(w.slice(2))), [], 'the middle of a word finds nothing');
  });

  test('an Arabic word is found without its attached article or preposition', async () => {
    const w = uniqueWord();
    const c = await create({ name_ar: `تعاونية الفجر للنباتات والطبية بالواحة ${w}`, name_fr: `Coopérative Al Fajr ${w}` });
    for (const s of ['فجر', 'نباتات', 'طبيه', 'واحه', 'الفجر', 'للنبا', 'النباتات', 'الطبيه', 'والطب', 'الواحه']) {
      assert.deepEqual(await ids(q(`${s} ${w}`)), [c.id], `found by "${s}"`);
    }
    // A short word keeps its first letter: "بيت" is not also entered as "يت".
    const short = await create({ name_ar: `تعاونية بيت ${w}` });
    assert.deepEqual(await ids(q(`يت ${w}`)), [], 'two letters left: the preposition is not stripped');
    assert.deepEqual(await ids(q(`بيت ${w}`)), [short.id]);
  });

  test('several words: each must begin a word of the name, in any order', async () => {
    const w = uniqueWord();
    const a = await create({ name_fr: `Coopérative Argan Tiznit ${w}` });
    const b = await create({ name_fr: `Coopérative Safran Tiznit ${w}` });
    assert.deepEqual((await ids(q(`tiznit ${w}`))).sort((x, y) => x - y), [a.id, b.id].sort((x, y) => x - y));
    assert.deepEqual(await ids(q(`${w} arg tiz`)), [a.id]);
    assert.deepEqual(await ids(q(`saf ${w} argan`)), []);
    // The register number as typed still finds its cooperative.
    assert.deepEqual(await ids(q(a.register_number)), [a.id]);
  });

  test('the search keeps the region filter, the other filters, the scope and the sort', async () => {
    const w = uniqueWord();
    const north = await create({ name_fr: `Coopérative Nord ${w}`, region_code: '03', sector: 'argan' });
    const south = await create({ name_fr: `Coopérative Sud ${w}`, region_code: '09', sector: 'agriculture' });
    assert.deepEqual(await ids(`${q(w)}&region=03`), [north.id]);
    assert.deepEqual(await ids(`${q(w)}&sector=agriculture`), [south.id]);
    assert.deepEqual(await ids(`${q(w)}&region=03&sector=agriculture`), []);
    assert.deepEqual(await ids(`${q(w)}&sort=name_fr`), [north.id, south.id]);
    assert.deepEqual(await ids(`${q(w)}&sort=name_fr&order=desc`), [south.id, north.id]);
    // officer03 sees region 03 only (demo accounts): the search does not reach past it.
    const officer = await loggedIn(env.base, 'officer03');
    const r = await officer.get(`/cooperatives?q=${encodeURIComponent(w)}`);
    assert.equal(r.status, 200);
    assert.match(r.text, new RegExp(`href="/cooperatives/${north.id}"`));
    assert.doesNotMatch(r.text, new RegExp(`href="/cooperatives/${south.id}"`));
  });
});

describe('the index follows every write', () => {
  test('an edit of the name or the region moves the cooperative in the search', async () => {
    const before = uniqueWord(), afterWord = uniqueWord();
    const c = await create({ name_fr: `Coopérative ${before}`, region_code: '03' });
    assert.deepEqual(await ids(`${q(before)}&region=03`), [c.id]);
    const r = await admin.api('PATCH', `/api/v1/cooperatives/${c.id}`, {
      name_fr: `Coopérative ${afterWord}`,
      region_code: '05',
      province_code: provinceOf('05'),
      commune_code: null,
    });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(await ids(q(before)), [], 'the old name is gone from the index');
    assert.deepEqual(await ids(`${q(afterWord)}&region=05`), [c.id]);
    assert.deepEqual(await ids(`${q(afterWord)}&region=03`), []);
  });

  test('writes from the sqlite3 shell keep the index in step too, and it equals the names', async () => {
    const w = uniqueWord();
    const c = await create({ name_fr: `Coopérative ${w}` });
    // A hand edit, a hand insert and a hand delete, as an operator might do.
    sql(env.db, `UPDATE cooperative SET name_fold = 'hand edited ${w}x' WHERE id = ${c.id}`);
    sql(
      env.db,
      `INSERT INTO cooperative (register_number, name_ar, name_fr, name_fold, legal_date, sector, region_code,` +
        ` province_code, members_total, members_women, members_youth, status, created_at, updated_at)` +
        ` SELECT 'HAND-${w}', name_ar, name_fr, 'والهند ${w}y', legal_date, sector, region_code, province_code,` +
        ` 0, 0, 0, 'active', created_at, updated_at FROM cooperative WHERE id = ${c.id}`,
    );
    const hand = Number(sql(env.db, `SELECT id FROM cooperative WHERE register_number = 'HAND-${w}'`));
    assert.deepEqual(await ids(q(`${w}x`)), [c.id]);
    assert.deepEqual(await ids(q(`هند ${w}y`)), [hand]);
    sql(env.db, `DELETE FROM cooperative WHERE id = ${hand}`);
    assert.deepEqual(await ids(q(`${w}y`)), []);
    assertIndexInStep(env.db);
  });

  test('an older database gets the index of its cooperatives at the upgrade', async () => {
    const dir = tempDir();
    const db = await makeDemoDb(dir, 'old.db');
    // As before migration 015.
    sql(
      db,
      'DROP TRIGGER coop_word_insert; DROP TRIGGER coop_word_update; DROP TRIGGER coop_word_delete;' +
        ' DROP VIEW coop_word_source; DROP TABLE coop_word; DELETE FROM schema_migration WHERE version = 15;',
    );
    const server = await startServer(db);
    try {
      assertIndexInStep(db);
      const c = await tokenClient(server.base, db, 'admin');
      const some = JSON.parse(sql(db, "SELECT json_array(id, name_fold) FROM cooperative ORDER BY id DESC LIMIT 1"));
      const word = some[1].split(' ').sort((x, y) => y.length - x.length)[0];
      assert.ok((await ids(q(word), c)).includes(some[0]), `the upgraded database finds "${word}"`);
    } finally {
      await server.stop();
    }
  });
});
