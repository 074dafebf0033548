// privacy.test.mjs: law 09-08 through the pages, the API and the command line: the register
// of processing activities (edit, bad input per field, CSV and JSON exports), consents (record,
// withdraw, bad dates, region scope), the right of access export, the objection and the
// people export, and `murafiq retention purge` with its dry run around the boundary.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Client,
  addDays,
  cleanupDirs,
  coopData,
  csvObjects,
  formFields,
  htmlDecode,
  iso,
  loggedIn,
  personData,
  run,
  setField,
  setupServer,
  today,
  tokenClient,
} from './lib.mjs';

let env;
let admin; // bearer
let adminS; // admin session, in French
let officer; // officer03 session
let coach; // session: reads people, no national ID
let coop03;
const loose = new Set(); // ids of people created here without a current membership

before(async () => {
  env = await setupServer();
  admin = await tokenClient(env.base, env.db, 'admin');
  [adminS, officer, coach] = await Promise.all(['admin', 'officer03', 'coach'].map((u) => loggedIn(env.base, u)));
  coop03 = await create('/api/v1/cooperatives', coopData({ region_code: '03' }));
});

after(async () => {
  if (env && env.server.exited() === null) await env.server.stop();
  cleanupDirs();
});

async function create(p, data, client = admin) {
  const r = await client.api('POST', p, data);
  assert.equal(r.status, 201, `create ${p}: ${r.text}`);
  return r.json();
}

async function person(over = {}, { member = false } = {}) {
  const p = await create('/api/v1/people', personData(over));
  if (member) {
    const r = await adminS.postForm(`/people/${p.id}/memberships`, { register_number: coop03.register_number, role: 'member' });
    assert.equal(r.status, 303, r.text.slice(0, 300));
  } else {
    loose.add(p.id);
  }
  return p;
}

const todayIso = () => iso(today());
const errorOf = (html, field) => {
  const m = new RegExp(`<p class="error" id="e-${field}">([^<]*)</p>`).exec(html);
  return m ? htmlDecode(m[1]) : null;
};

// ---------------------------------------------------------------- the register

describe('register of processing activities', () => {
  let registry;

  test('the migration seeds murafiq’s processings, for admins only', async () => {
    const r = await admin.api('GET', '/api/v1/processing');
    assert.equal(r.status, 200);
    const { items } = r.json();
    assert.deepEqual(items.map((p) => p.code), ['registry', 'applications', 'evaluations', 'coaching', 'accounts', 'signin']);
    for (const p of items) {
      assert.equal(p.transfers_abroad, false, p.code);
      for (const f of ['name', 'purpose', 'data_categories', 'data_subjects', 'recipients']) {
        assert.ok(p[`${f}_ar`].length > 0 && p[`${f}_fr`].length > 0, `${p.code}.${f}`);
      }
    }
    registry = items[0];
    assert.equal(registry.retention_months, 60);
    assert.equal(registry.retention_start, 'membership_end');
    for (const u of [officer, coach]) {
      assert.equal((await u.get('/admin/processing')).status, 403);
      assert.equal((await u.api('GET', '/api/v1/processing')).status, 403);
    }
  });

  test('the page shows the user’s language: Arabic, then French', async () => {
    const a = await adminS.get('/admin/processing');
    assert.equal(a.status, 200);
    assert.match(a.text, /سجل التعاونيات وأعضائها/);
    assert.doesNotMatch(a.text, /Registre des coopératives et de leurs membres/);
    // From here on the admin reads French.
    assert.equal((await adminS.postForm('/lang', { lang: 'fr', next: '/about' })).status, 303);
    await adminS.get('/about');
    const fr = await adminS.get('/admin/processing');
    assert.equal(fr.status, 200);
    assert.match(fr.text, /Registre des coopératives et de leurs membres/);
    assert.match(fr.text, /Registre des traitements/);
    assert.match(htmlDecode(fr.text), /à compter de la fin de la dernière appartenance/);
    const print = await adminS.get('/admin/processing/print');
    assert.equal(print.status, 200);
    assert.doesNotMatch(print.text, /\/admin\/processing\/\d+\/edit/);
  });

  test('an edit through the form is saved, with a new version', async () => {
    const page = await adminS.get(`/admin/processing/${registry.id}/edit`);
    assert.equal(page.status, 200);
    let form = formFields(page.text, `/admin/processing/${registry.id}`);
    form = setField(form, 'retention_months', '48');
    form = setField(form, 'purpose_fr', 'Tenir le registre <b>& suivre</b>');
    const r = await adminS.postForm(`/admin/processing/${registry.id}`, form);
    assert.equal(r.status, 303, r.text.slice(0, 500));
    const after = (await admin.api('GET', `/api/v1/processing/${registry.id}`)).json();
    assert.equal(after.retention_months, 48);
    assert.equal(after.purpose_fr, 'Tenir le registre <b>& suivre</b>');
    assert.equal(after.version, registry.version + 1);
    assert.equal(after.name_ar, registry.name_ar, 'untouched fields kept');
    const shown = await adminS.get('/admin/processing');
    assert.match(shown.text, /Tenir le registre &lt;b&gt;&amp; suivre&lt;\/b&gt;/);
    registry = after;
  });

  test('bad input is refused field by field, in French, and nothing is written', async () => {
    const page = await adminS.get(`/admin/processing/${registry.id}/edit`);
    const good = formFields(page.text, `/admin/processing/${registry.id}`);
    const cases = [
      ['name_ar', '', 'Saisissez une valeur.'],
      ['name_fr', 'x'.repeat(201), null],
      ['purpose_fr', '   ', 'Saisissez une valeur.'],
      ['data_subjects_ar', '', 'Saisissez une valeur.'],
      ['recipients_fr', '', 'Saisissez une valeur.'],
      ['legal_basis', 'whim', "Choisissez l'une des valeurs proposées."],
      ['retention_months', '-1', null],
      ['retention_months', '1201', 'Saisissez un nombre entre 0 et 1200.'],
      ['retention_months', 'soixante', null],
      ['retention_start', 'never', "Choisissez l'une des valeurs proposées."],
    ];
    for (const [field, value, message] of cases) {
      const r = await adminS.postForm(`/admin/processing/${registry.id}`, setField(good, field, value));
      assert.equal(r.status, 422, `${field}=${value}`);
      const err = errorOf(r.text, field);
      assert.ok(err, `${field}=${value}: an error next to the field`);
      if (message) assert.equal(err, message, field);
      assert.match(r.text, new RegExp(`href="#f-${field}"`), `${field}: in the summary`);
    }
    // Transfers abroad without saying where and how: both languages asked for.
    const silent = setField(setField(setField(good, 'transfers_abroad', null), 'transfers_ar', ''), 'transfers_fr', '');
    const t = await adminS.postForm(`/admin/processing/${registry.id}`, [...silent, ['transfers_abroad', '0'], ['transfers_abroad', '1']]);
    assert.equal(t.status, 422);
    assert.equal(errorOf(t.text, 'transfers_ar'), 'Indiquez les pays et les garanties des transferts.');
    assert.ok(errorOf(t.text, 'transfers_fr'));
    const now = (await admin.api('GET', `/api/v1/processing/${registry.id}`)).json();
    assert.deepEqual(now, registry, 'no refused edit changed the entry');
  });

  test('the API refuses bad fields, unknown fields and stale versions', async () => {
    let r = await admin.api('PATCH', `/api/v1/processing/${registry.id}`, { retention_months: 5000, legal_basis: 'x' });
    assert.equal(r.status, 422);
    assert.deepEqual(Object.keys(r.json().error.fields).sort(), ['legal_basis', 'retention_months']);
    r = await admin.api('PATCH', `/api/v1/processing/${registry.id}`, { retention: 12 });
    assert.equal(r.status, 422);
    assert.ok(r.json().error.fields.retention);
    r = await admin.api('PATCH', `/api/v1/processing/${registry.id}`, { retention_months: 60, version: registry.version - 1 });
    assert.equal(r.status, 409);
    r = await admin.api('PATCH', `/api/v1/processing/${registry.id}`, { retention_months: 60, version: registry.version });
    assert.equal(r.status, 200, r.text);
    registry = r.json();
    assert.equal(registry.retention_months, 60);
  });

  test('CSV and JSON exports for the CNDP declaration', async () => {
    const r = await adminS.get('/admin/processing.csv');
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /^text\/csv/);
    assert.match(r.headers.get('content-disposition'), /attachment/);
    const { header, records } = csvObjects(r.text);
    for (const h of ['code', 'name_ar', 'name_fr', 'purpose_fr', 'legal_basis', 'data_categories_fr', 'recipients_ar', 'retention_months', 'retention_start', 'transfers_abroad', 'security_fr']) {
      assert.ok(header.includes(h), h);
    }
    assert.equal(records.length, 6);
    const reg = records.find((x) => x.code === 'registry');
    assert.equal(reg.retention_months, '60');
    assert.equal(reg.purpose_fr, 'Tenir le registre <b>& suivre</b>');
    assert.equal(reg.transfers_abroad, '0');
    assert.equal(records.find((x) => x.code === 'signin').retention_months, '3');
    const j = await admin.api('GET', '/api/v1/processing');
    assert.equal(j.json().items.find((x) => x.code === 'registry').purpose_fr, reg.purpose_fr);
  });
});

// ---------------------------------------------------------------- consents

describe('consents', () => {
  let p03;
  let p06;

  before(async () => {
    p03 = await person({ region_code: '03' });
    p06 = await person({ region_code: '06' });
  });

  test('recorded through the API by the logged-in user, then withdrawn', async () => {
    let r = await officer.api('POST', `/api/v1/people/${p03.id}/consents`, { given_on: '2026-01-05', wording_version: 1, channel: 'oral' });
    assert.equal(r.status, 201, r.text);
    const c = r.json();
    assert.equal(c.collected_by.login, 'officer03');
    assert.equal(c.withdrawn_on, null);
    r = await officer.api('GET', `/api/v1/people/${p03.id}/consents`);
    assert.deepEqual(r.json().items.map((x) => x.id), [c.id]);
    assert.equal(r.json().items[0].channel, 'oral');

    r = await officer.api('POST', `/api/v1/people/${p03.id}/consents/withdraw`, { consent_id: c.id, withdrawn_on: '2026-01-04' });
    assert.equal(r.status, 422);
    assert.ok(r.json().error.fields.withdrawn_on);
    r = await officer.api('POST', `/api/v1/people/${p03.id}/consents/withdraw`, { consent_id: c.id, withdrawn_on: iso(addDays(today(), 1)) });
    assert.equal(r.status, 422);
    r = await officer.api('POST', `/api/v1/people/${p03.id}/consents/withdraw`, { consent_id: c.id, withdrawn_on: '2026-01-05' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json().withdrawn_on, '2026-01-05');
    r = await officer.api('POST', `/api/v1/people/${p03.id}/consents/withdraw`, { consent_id: c.id, withdrawn_on: '2026-01-06' });
    assert.equal(r.status, 409);
    const list = (await officer.api('GET', `/api/v1/people/${p03.id}/consents`)).json().items;
    assert.equal(list[0].withdrawn_on, '2026-01-05', 'the refused second withdrawal changed nothing');
  });

  test('bad dates and values are refused field by field, and nothing is recorded', async () => {
    const before = (await admin.api('GET', `/api/v1/people/${p03.id}/consents`)).json().items.length;
    const tomorrow = iso(addDays(today(), 1));
    const cases = [
      [{ given_on: tomorrow, wording_version: 1, channel: 'paper' }, ['given_on']],
      [{ given_on: '2026-02-30', wording_version: 1, channel: 'paper' }, ['given_on']],
      [{ given_on: '1989-12-31', wording_version: 1, channel: 'paper' }, ['given_on']],
      [{ wording_version: 1, channel: 'paper' }, ['given_on']],
      [{ given_on: '2026-01-05', wording_version: 9, channel: 'paper' }, ['wording_version']],
      [{ given_on: '2026-01-05', wording_version: 1, channel: 'pigeon' }, ['channel']],
      [{ given_on: '2026-01-05', wording_version: 1, channel: 'paper', withdrawn_on: '2026-01-04' }, ['withdrawn_on']],
      [{ given_on: '2026-01-05', wording_version: 1, channel: 'paper', collector: 'x' }, ['collector']],
    ];
    for (const [body, fields] of cases) {
      const r = await admin.api('POST', `/api/v1/people/${p03.id}/consents`, body);
      assert.equal(r.status, 422, JSON.stringify(body));
      assert.deepEqual(Object.keys(r.json().error.fields), fields, JSON.stringify(body));
    }
    // The form, in French: the error next to the field.
    const f = await adminS.postForm(`/people/${p03.id}/consents`, { given_on: tomorrow, wording_version: '1', channel: 'paper' });
    assert.equal(f.status, 422);
    assert.equal(errorOf(f.text, 'given_on'), 'Cette date est dans le futur.');
    const g = await adminS.postForm(`/people/${p03.id}/consents/withdraw`, { consent_id: '999999', withdrawn_on: todayIso() });
    assert.equal(g.status, 404);
    assert.equal((await admin.api('GET', `/api/v1/people/${p03.id}/consents`)).json().items.length, before);
  });

  test('recorded and withdrawn through the person page', async () => {
    let page = await adminS.get(`/people/${p03.id}`);
    assert.equal(page.status, 200);
    assert.match(page.text, /id="privacy"/);
    const form = formFields(page.text, `/people/${p03.id}/consents`);
    let r = await adminS.postForm(`/people/${p03.id}/consents`, setField(setField(form, 'channel', 'paper'), 'given_on', '2026-03-01'));
    assert.equal(r.status, 303, r.text.slice(0, 400));
    page = await adminS.get(`/people/${p03.id}`);
    assert.match(page.text, /Formulaire papier/);
    assert.match(page.text, /Version 1/);
    const c = (await admin.api('GET', `/api/v1/people/${p03.id}/consents`)).json().items.find((x) => x.given_on === '2026-03-01');
    assert.equal(c.collected_by.login, 'admin');
    r = await adminS.postForm(`/people/${p03.id}/consents/withdraw`, { consent_id: String(c.id), withdrawn_on: '2026-02-28' });
    assert.equal(r.status, 422);
    assert.equal(errorOf(r.text, 'withdrawn_on'), 'Un consentement est retiré le jour où il a été donné ou plus tard.');
    r = await adminS.postForm(`/people/${p03.id}/consents/withdraw`, { consent_id: String(c.id), withdrawn_on: '2026-03-02' });
    assert.equal(r.status, 303);
    page = await adminS.get(`/people/${p03.id}`);
    assert.match(page.text, /Retiré le/);
  });

  test('a regional officer can neither see nor add consents of another region’s person', async () => {
    const c = await create(`/api/v1/people/${p06.id}/consents`, { given_on: '2026-01-05', wording_version: 1, channel: 'digital' });
    const attempts = [
      officer.api('GET', `/api/v1/people/${p06.id}/consents`),
      officer.api('POST', `/api/v1/people/${p06.id}/consents`, { given_on: '2026-01-05', wording_version: 1, channel: 'paper' }),
      officer.api('POST', `/api/v1/people/${p06.id}/consents/withdraw`, { consent_id: c.id, withdrawn_on: '2026-01-05' }),
      officer.postForm(`/people/${p06.id}/consents`, { given_on: '2026-01-05', wording_version: '1', channel: 'paper' }),
      officer.postForm(`/people/${p06.id}/consents/withdraw`, { consent_id: String(c.id), withdrawn_on: '2026-01-05' }),
      officer.api('POST', `/api/v1/people/${p06.id}/objection`, { objected_on: '2026-01-05', reason: 'x' }),
      officer.postForm(`/people/${p06.id}/objection/lift`, {}),
      officer.get(`/people/${p06.id}/data.json`),
      officer.get(`/people/${p06.id}/data`),
      // the consent of 06 reached through a person of 03
      officer.api('POST', `/api/v1/people/${p03.id}/consents/withdraw`, { consent_id: c.id, withdrawn_on: '2026-01-05' }),
    ];
    for (const r of await Promise.all(attempts)) assert.equal(r.status, 404, r.text.slice(0, 200));
    const now = (await admin.api('GET', `/api/v1/people/${p06.id}/consents`)).json().items;
    assert.equal(now.length, 1);
    assert.equal(now[0].withdrawn_on, null);
  });
});

// ---------------------------------------------------------------- right of access, objection

describe('right of access and objection', () => {
  let a;
  let b;

  before(async () => {
    a = await person({ region_code: '03', national_id: 'AC123456' }, { member: true });
    b = await person({ region_code: '03', national_id: 'BD654321' }, { member: true });
    await create(`/api/v1/people/${a.id}/consents`, { given_on: '2026-02-01', wording_version: 1, channel: 'paper' });
    await create(`/api/v1/people/${b.id}/consents`, { given_on: '2026-02-02', wording_version: 1, channel: 'oral' });
    await admin.api('PATCH', `/api/v1/people/${a.id}`, { phone: '0611223344' });
  });

  test('data.json holds exactly the person’s data', async () => {
    const r = await adminS.get(`/people/${a.id}/data.json`);
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /^application\/json/);
    assert.match(r.headers.get('cache-control'), /no-store/);
    const j = r.json();
    assert.equal(j.person.id, a.id);
    assert.equal(j.person.name_fr, a.name_fr);
    assert.equal(j.person.phone, '0611223344');
    assert.equal(j.person.national_id, 'AC123456');
    assert.deepEqual(j.memberships.map((m) => [m.cooperative_id, m.name_fr, m.role]), [[coop03.id, coop03.name_fr, 'member']]);
    assert.equal(j.consents.length, 1);
    assert.equal(j.consents[0].person_id, a.id);
    assert.equal(j.consents[0].given_on, '2026-02-01');
    assert.match(j.consents[0].wording_fr, /loi 09-08/);
    assert.equal(j.objection, null);
    assert.ok(Array.isArray(j.audit), 'the audit trail is there');
    const kinds = j.audit.map((e) => `${e.action} ${e.entity}`);
    assert.ok(kinds.includes('insert person'), kinds.join(', '));
    assert.ok(kinds.includes('update person'), kinds.join(', '));
    assert.ok(kinds.includes('insert consent'), kinds.join(', '));
    for (const e of j.audit) {
      if (e.entity === 'person' || e.entity === 'person_objection') assert.equal(e.entity_id, a.id);
    }
    // Nothing of the other person anywhere in the export.
    for (const s of [b.name_fr, b.name_ar, 'BD654321', '2026-02-02']) assert.ok(!r.text.includes(s), `leaks ${s}`);
  });

  test('the national ID number only for those who may see it; the printable page in French', async () => {
    const j = (await coach.get(`/people/${a.id}/data.json`)).json();
    assert.equal(j.person.id, a.id);
    assert.equal('national_id' in j.person, false);
    assert.ok(!JSON.stringify(j).includes('AC123456'));
    const page = await adminS.get(`/people/${a.id}/data`);
    assert.equal(page.status, 200);
    assert.match(page.text, /Données détenues sur une personne/);
    assert.ok(page.text.includes(a.name_fr));
    assert.ok(page.text.includes('AC123456'));
    assert.ok(!page.text.includes(b.name_fr));
    const coachPage = await coach.get(`/people/${a.id}/data`);
    assert.ok(!coachPage.text.includes('AC123456'));
  });

  test('an objection removes the person from the people export, until it is lifted', async () => {
    const ids = async () => new Set(csvObjects((await adminS.get('/people/export.csv')).text).records.map((x) => Number(x.id)));
    const exp = await adminS.get('/people/export.csv');
    assert.equal(exp.status, 200);
    assert.match(exp.headers.get('content-type'), /^text\/csv/);
    const { header } = csvObjects(exp.text);
    assert.ok(!header.includes('national_id'), 'no national ID in an export');
    assert.ok((await ids()).has(a.id));
    let r = await officer.api('POST', `/api/v1/people/${a.id}/objection`, { objected_on: iso(addDays(today(), 1)), reason: '' });
    assert.equal(r.status, 422);
    assert.deepEqual(Object.keys(r.json().error.fields).sort(), ['objected_on', 'reason']);
    assert.ok((await ids()).has(a.id), 'a refused objection changes nothing');
    r = await officer.api('POST', `/api/v1/people/${a.id}/objection`, { objected_on: '2026-03-01', reason: 'Ne souhaite plus être sollicitée' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json().recorded_by.login, 'officer03');
    const after = await ids();
    assert.ok(!after.has(a.id), 'objected: left out');
    assert.ok(after.has(b.id), 'the others stay');
    // Kept where essential: the person's own record, the cooperative's members, the access export.
    assert.equal((await officer.api('GET', `/api/v1/people/${a.id}`)).status, 200);
    const members = await officer.get(`/cooperatives/${coop03.id}`);
    assert.ok(members.text.includes(a.name_ar) || members.text.includes(a.name_fr));
    const access = (await admin.request(`/people/${a.id}/data.json`)).json();
    assert.equal(access.objection.objected_on, '2026-03-01');
    const page = await adminS.get(`/people/${a.id}`);
    assert.match(page.text, /Cette personne s&#39;est opposée|Cette personne s'est opposée/);
    const f = await adminS.postForm(`/people/${a.id}/objection/lift`, {});
    assert.equal(f.status, 303);
    assert.ok((await ids()).has(a.id), 'lifted: back in the export');
    assert.equal((await adminS.postForm(`/people/${a.id}/objection/lift`, {})).status, 404);
  });
});

// ---------------------------------------------------------------- retention purge

function plusMonths(t, n) {
  const total = t.y * 12 + (t.m - 1) + n;
  const y = Math.floor(total / 12);
  const m = (total % 12) + 1;
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { y, m, d: Math.min(t.d, last) };
}

function counts(stdout) {
  const out = {};
  for (const line of stdout.trim().split('\n').slice(1)) {
    const [k, v] = line.split('\t');
    out[k] = Number(v);
  }
  return out;
}

describe('retention purge (command line)', () => {
  test('dry run around the boundary, then the purge', async () => {
    // A person whose membership ends today, one never a member, one still a member.
    const ended = await person({ region_code: '03' }, { member: true });
    const r0 = await adminS.postForm(`/people/${ended.id}/memberships/remove`, { cooperative_id: String(coop03.id) });
    assert.equal(r0.status, 303);
    loose.add(ended.id);
    const never = await person({ region_code: '06' });
    const member = await person({ region_code: '03' }, { member: true });
    // A failed login, for the sign-in retention (3 months).
    const anon = new Client(env.base);
    await anon.get('/login');
    assert.equal((await anon.postForm('/login', { login: 'nobody-here', password: 'wrong-password-123' })).status, 401);

    const boundary = iso(plusMonths(today(), 60));
    const dayAfter = iso(addDays(plusMonths(today(), 60), 1));
    let r = await run(['retention', 'purge', '--db', env.db, '--as-of', boundary, '--dry-run']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^dry run/);
    let n = counts(r.stdout);
    assert.equal(n.people, 0, 'nobody is past 60 months on the last day');
    assert.ok(n.sessions >= 3, 'every session has expired by then');
    assert.ok(n.login_failures >= 1);
    r = await run(['retention', 'purge', '--db', env.db, '--as-of', dayAfter, '--dry-run']);
    n = counts(r.stdout);
    assert.equal(n.people, loose.size, `the people without membership: ${[...loose]}`);
    // The dry run changed nothing: the people are there, the sessions still work.
    for (const id of [ended.id, never.id]) assert.equal((await admin.api('GET', `/api/v1/people/${id}`)).status, 200);
    assert.equal((await officer.get('/people')).status, 200);

    r = await run(['retention', 'purge', '--db', env.db, '--as-of', 'tomorrow']);
    assert.equal(r.code, 2);
    r = await run(['retention', 'purge', '--db', env.db, '--as-of', dayAfter]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^purged on /);
    assert.equal(counts(r.stdout).people, loose.size);
    for (const id of [ended.id, never.id]) assert.equal((await admin.api('GET', `/api/v1/people/${id}`)).status, 404);
    assert.equal((await admin.api('GET', `/api/v1/people/${member.id}`)).status, 200, 'a member stays');
    // Sessions expired on that date are gone: the officer must log in again.
    const s = await officer.get('/people');
    assert.equal(s.status, 303);
    assert.match(s.location, /^\/login/);
    r = await run(['retention', 'purge', '--db', env.db, '--as-of', dayAfter]);
    const again = counts(r.stdout);
    assert.equal(again.people, 0);
    assert.equal(again.sessions, 0);
    assert.equal(again.login_failures, 0);
  });
});
