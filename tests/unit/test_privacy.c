/* test_privacy.c: law 09-08 rules: the register's validation, consents and objections, the
 * retention arithmetic at its boundaries, and which records the purge removes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/arena.h"
#include "core/db.h"
#include "core/i18n.h"
#include "privacy/privacy.h"
#include "privacy/privacy_store.h"
#include "registry/geo.h"

struct kv {
        const char *k, *v;
};

/* The first match wins, so a case overrides a VALID field by listing it first. */
static const char *
kv_get(void *ctx, const char *name)
{
        for (const struct kv *p = ctx; p->k; p++)
                if (strcmp(p->k, name) == 0)
                        return p->v;
        return NULL;
}

static const struct date today = {2026, 6, 15};

#define A10  "AAAAAAAAAA"
#define A50  A10 A10 A10 A10 A10
#define A200 A50 A50 A50 A50

#define VALID_PROCESSING                                                                           \
        {"name_ar", "سجل الأعضاء"}, {"name_fr", "Registre des membres"}, {"purpose_ar", "تتبع"},   \
            {"purpose_fr", "Suivi"}, {"legal_basis", "public_interest"},                           \
            {"data_categories_ar", "الهوية"}, {"data_categories_fr", "Identité"},                  \
            {"data_subjects_ar", "الأعضاء"}, {"data_subjects_fr", "Membres"},                      \
            {"recipients_ar", "الأعوان"}, {"recipients_fr", "Agents"}, {"retention_months", "60"}, \
            {"retention_start", "membership_end"},                                                 \
        {                                                                                          \
                "transfers_abroad", "0"                                                            \
        }

struct processing_case {
        const char *name;
        struct kv form[32];
        const char *bad_field; /* NULL: valid */
};

static const struct processing_case processing_cases[] = {
    {"valid", {VALID_PROCESSING, {0, 0}}, NULL},
    {"no retention at all is allowed", {{"retention_months", "0"}, VALID_PROCESSING, {0, 0}}, NULL},
    {"100 years", {{"retention_months", "1200"}, VALID_PROCESSING, {0, 0}}, NULL},
    {"over 100 years",
     {{"retention_months", "1201"}, VALID_PROCESSING, {0, 0}},
     "retention_months"},
    {"negative months", {{"retention_months", "-1"}, VALID_PROCESSING, {0, 0}}, "retention_months"},
    {"months in words",
     {{"retention_months", "sixty"}, VALID_PROCESSING, {0, 0}},
     "retention_months"},
    {"months missing", {{"retention_months", ""}, VALID_PROCESSING, {0, 0}}, "retention_months"},
    {"Arabic name missing", {{"name_ar", "  "}, VALID_PROCESSING, {0, 0}}, "name_ar"},
    {"French name too long", {{"name_fr", A200 "A"}, VALID_PROCESSING, {0, 0}}, "name_fr"},
    {"name of 200 characters", {{"name_fr", A200}, VALID_PROCESSING, {0, 0}}, NULL},
    {"name on two lines", {{"name_fr", "a\nb"}, VALID_PROCESSING, {0, 0}}, "name_fr"},
    {"purpose missing in French", {{"purpose_fr", ""}, VALID_PROCESSING, {0, 0}}, "purpose_fr"},
    {"purpose on several lines", {{"purpose_fr", "a\nb"}, VALID_PROCESSING, {0, 0}}, NULL},
    {"categories not UTF-8",
     {{"data_categories_ar", "\xff\xfe"}, VALID_PROCESSING, {0, 0}},
     "data_categories_ar"},
    {"subjects missing", {{"data_subjects_ar", ""}, VALID_PROCESSING, {0, 0}}, "data_subjects_ar"},
    {"recipients missing", {{"recipients_fr", ""}, VALID_PROCESSING, {0, 0}}, "recipients_fr"},
    {"unknown legal basis", {{"legal_basis", "whim"}, VALID_PROCESSING, {0, 0}}, "legal_basis"},
    {"unknown retention start",
     {{"retention_start", "never"}, VALID_PROCESSING, {0, 0}},
     "retention_start"},
    {"transfers answered maybe",
     {{"transfers_abroad", "maybe"}, VALID_PROCESSING, {0, 0}},
     "transfers_abroad"},
    {"transfers abroad without saying where",
     {{"transfers_abroad", "1"}, VALID_PROCESSING, {0, 0}},
     "transfers_ar"},
    {"transfers abroad said in both languages",
     {{"transfers_abroad", "1"},
      {"transfers_ar", "فرنسا، بند تعاقدي"},
      {"transfers_fr", "France, clauses contractuelles"},
      VALID_PROCESSING,
      {0, 0}},
     NULL},
};

static void
test_processing_cases(void **state)
{
        (void)state;
        for (size_t i = 0; i < sizeof(processing_cases) / sizeof(processing_cases[0]); i++) {
                const struct processing_case *c = &processing_cases[i];
                struct arena *a = arena_new();
                struct errs e;
                errs_init(&e, a, LANG_EN);
                struct processing p = {0};
                int rc = processing_apply(&p, &e, kv_get, (void *)c->form);
                if (c->bad_field == NULL) {
                        if (rc != 0)
                                fail_msg("%s: refused: %s: %s", c->name, e.list[0].field,
                                         e.list[0].msg);
                } else {
                        if (rc == 0)
                                fail_msg("%s: accepted", c->name);
                        if (errs_for(&e, c->bad_field) == NULL)
                                fail_msg("%s: no error on %s (first: %s)", c->name, c->bad_field,
                                         e.list[0].field);
                        assert_int_equal(e.n, strcmp(c->name, "transfers abroad without saying "
                                                              "where") == 0
                                                  ? 2
                                                  : 1);
                }
                arena_free(a);
        }
}

/* PATCH semantics: a field not sent keeps its value, and the whole entry is checked. */
static void
test_processing_keeps_unsent(void **state)
{
        (void)state;
        struct arena *a = arena_new();
        struct errs e;
        errs_init(&e, a, LANG_FR);
        struct processing p = {0};
        struct kv full[] = {VALID_PROCESSING, {0, 0}};
        assert_int_equal(processing_apply(&p, &e, kv_get, full), 0);
        struct kv one[] = {{"retention_months", "36"}, {0, 0}};
        assert_int_equal(processing_apply(&p, &e, kv_get, one), 0);
        assert_int_equal(p.retention_months, 36);
        assert_string_equal(p.name.fr, "Registre des membres");
        assert_string_equal(p.retention_start, "membership_end");
        struct kv bad[] = {{"recipients_ar", ""}, {0, 0}};
        assert_int_equal(processing_apply(&p, &e, kv_get, bad), -1);
        /* in the user's language */
        assert_string_equal(errs_for(&e, "recipients_ar"), _(LANG_FR, "Enter a value."));
        arena_free(a);
}

static void
test_bitext_pick(void **state)
{
        (void)state;
        struct bitext both = {"عربي", "français"}, only_ar = {"عربي", ""}, only_fr = {"", "fr"};
        assert_string_equal(bitext_pick(&both, LANG_AR), "عربي");
        assert_string_equal(bitext_pick(&both, LANG_FR), "français");
        assert_string_equal(bitext_pick(&both, LANG_EN), "français");
        assert_string_equal(bitext_pick(&only_ar, LANG_FR), "عربي"); /* falls back */
        assert_string_equal(bitext_pick(&only_fr, LANG_AR), "fr");
}

/* ---- consents and objections ---- */

#define VALID_CONSENT                                                                              \
        {"given_on", "2026-06-01"}, {"wording_version", "1"},                                      \
        {                                                                                          \
                "channel", "paper"                                                                 \
        }

struct consent_case {
        const char *name;
        struct kv form[8];
        const char *bad_field;
};

static const struct consent_case consent_cases[] = {
    {"valid", {VALID_CONSENT, {0, 0}}, NULL},
    {"given today", {{"given_on", "2026-06-15"}, VALID_CONSENT, {0, 0}}, NULL},
    {"given tomorrow", {{"given_on", "2026-06-16"}, VALID_CONSENT, {0, 0}}, "given_on"},
    {"given in 1990", {{"given_on", "1990-01-01"}, VALID_CONSENT, {0, 0}}, NULL},
    {"given in 1989", {{"given_on", "1989-12-31"}, VALID_CONSENT, {0, 0}}, "given_on"},
    {"no date", {{"given_on", ""}, VALID_CONSENT, {0, 0}}, "given_on"},
    {"31 June", {{"given_on", "2026-06-31"}, VALID_CONSENT, {0, 0}}, "given_on"},
    {"French date", {{"given_on", "01/06/2026"}, VALID_CONSENT, {0, 0}}, "given_on"},
    {"a second wording version", {{"wording_version", "2"}, VALID_CONSENT, {0, 0}}, NULL},
    {"a wording that does not exist",
     {{"wording_version", "3"}, VALID_CONSENT, {0, 0}},
     "wording_version"},
    {"no wording", {{"wording_version", ""}, VALID_CONSENT, {0, 0}}, "wording_version"},
    {"oral", {{"channel", "oral"}, VALID_CONSENT, {0, 0}}, NULL},
    {"by pigeon", {{"channel", "pigeon"}, VALID_CONSENT, {0, 0}}, "channel"},
    {"withdrawn the same day", {{"withdrawn_on", "2026-06-01"}, VALID_CONSENT, {0, 0}}, NULL},
    {"withdrawn before given",
     {{"withdrawn_on", "2026-05-31"}, VALID_CONSENT, {0, 0}},
     "withdrawn_on"},
    {"withdrawn in the future",
     {{"withdrawn_on", "2026-06-16"}, VALID_CONSENT, {0, 0}},
     "withdrawn_on"},
};

static void
test_consent_cases(void **state)
{
        (void)state;
        const long long versions[] = {1, 2};
        for (size_t i = 0; i < sizeof(consent_cases) / sizeof(consent_cases[0]); i++) {
                const struct consent_case *c = &consent_cases[i];
                struct arena *a = arena_new();
                struct errs e;
                errs_init(&e, a, LANG_EN);
                struct consent k = {0};
                int rc = consent_apply(&k, &e, kv_get, (void *)c->form, versions, 2, today);
                if (c->bad_field == NULL && rc != 0)
                        fail_msg("%s: refused: %s: %s", c->name, e.list[0].field, e.list[0].msg);
                if (c->bad_field && (rc == 0 || errs_for(&e, c->bad_field) == NULL || e.n != 1))
                        fail_msg("%s: expected one error on %s", c->name, c->bad_field);
                arena_free(a);
        }
}

static void
test_consent_withdrawal(void **state)
{
        (void)state;
        struct arena *a = arena_new();
        struct errs e;
        errs_init(&e, a, LANG_EN);
        struct consent c = {.given_on = "2026-03-10", .withdrawn_on = ""};
        const char *on = NULL;
        assert_int_equal(consent_check_withdrawal(&c, &e, "2026-03-10", today, &on), 0);
        assert_string_equal(on, "2026-03-10");
        assert_int_equal(consent_check_withdrawal(&c, &e, "2026-03-09", today, &on), -1);
        assert_non_null(errs_for(&e, "withdrawn_on"));
        errs_init(&e, a, LANG_EN);
        assert_int_equal(consent_check_withdrawal(&c, &e, "2026-06-16", today, &on), -1);
        errs_init(&e, a, LANG_EN);
        assert_int_equal(consent_check_withdrawal(&c, &e, "", today, &on), -1);
        errs_init(&e, a, LANG_EN);
        c.withdrawn_on = "2026-04-01";
        assert_int_equal(consent_check_withdrawal(&c, &e, "2026-05-01", today, &on), -1);
        assert_string_equal(errs_for(&e, "withdrawn_on"), "This consent is withdrawn already.");
        arena_free(a);
}

static void
test_objection(void **state)
{
        (void)state;
        struct arena *a = arena_new();
        struct errs e;
        errs_init(&e, a, LANG_EN);
        struct objection o = {0};
        struct kv ok[] = {
            {"objected_on", "2026-06-15"}, {"reason", " Ne veut plus être contactée\n"}, {0, 0}};
        assert_int_equal(objection_apply(&o, &e, kv_get, ok, today), 0);
        assert_string_equal(o.objected_on, "2026-06-15");
        assert_string_equal(o.reason, "Ne veut plus être contactée");
        struct kv future[] = {{"objected_on", "2026-06-16"}, {"reason", "x"}, {0, 0}};
        assert_int_equal(objection_apply(&o, &e, kv_get, future, today), -1);
        assert_string_equal(errs_for(&e, "objected_on"), "This date is in the future.");
        errs_init(&e, a, LANG_EN);
        struct kv no_reason[] = {{"objected_on", "2026-06-01"}, {"reason", "   "}, {0, 0}};
        assert_int_equal(objection_apply(&o, &e, kv_get, no_reason, today), -1);
        assert_non_null(errs_for(&e, "reason"));
        assert_null(errs_for(&e, "objected_on"));
        errs_init(&e, a, LANG_EN);
        char long_reason[OBJECTION_REASON_MAX + 2];
        memset(long_reason, 'x', sizeof(long_reason) - 1);
        long_reason[sizeof(long_reason) - 1] = '\0';
        struct kv too_long[] = {{"objected_on", "2026-06-01"}, {"reason", long_reason}, {0, 0}};
        assert_int_equal(objection_apply(&o, &e, kv_get, too_long, today), -1);
        assert_non_null(errs_for(&e, "reason"));
        arena_free(a);
}

/* ---- retention arithmetic ---- */

static struct date
d(int y, int m, int dd)
{
        return (struct date){y, m, dd};
}

static void
assert_date(struct date got, struct date want)
{
        if (date_cmp(got, want) != 0)
                fail_msg("got %04d-%02d-%02d, want %04d-%02d-%02d", got.y, got.m, got.d, want.y,
                         want.m, want.d);
}

static void
test_add_months(void **state)
{
        (void)state;
        assert_date(privacy_add_months(d(2025, 1, 31), 1), d(2025, 2, 28));
        assert_date(privacy_add_months(d(2024, 1, 31), 1), d(2024, 2, 29));
        assert_date(privacy_add_months(d(2025, 12, 15), 1), d(2026, 1, 15));
        assert_date(privacy_add_months(d(2026, 1, 15), -1), d(2025, 12, 15));
        assert_date(privacy_add_months(d(2026, 3, 31), -1), d(2026, 2, 28));
        assert_date(privacy_add_months(d(2020, 2, 29), 12), d(2021, 2, 28));
        assert_date(privacy_add_months(d(2020, 2, 29), 48), d(2024, 2, 29));
        assert_date(privacy_add_months(d(2021, 7, 10), 60), d(2026, 7, 10));
        assert_date(privacy_add_months(d(2021, 7, 10), 0), d(2021, 7, 10));
        assert_date(privacy_add_months(d(2000, 1, 1), 1200), d(2100, 1, 1));
}

static void
test_due_boundaries(void **state)
{
        (void)state;
        /* 60 months from 15 March 2020: kept through 15 March 2025, due on the 16th. */
        assert_false(privacy_due(d(2020, 3, 15), 60, d(2025, 3, 14)));
        assert_false(privacy_due(d(2020, 3, 15), 60, d(2025, 3, 15)));
        assert_true(privacy_due(d(2020, 3, 15), 60, d(2025, 3, 16)));
        /* From 29 February: the period ends on 28 February of a common year. */
        assert_false(privacy_due(d(2020, 2, 29), 12, d(2021, 2, 28)));
        assert_true(privacy_due(d(2020, 2, 29), 12, d(2021, 3, 1)));
        /* From the 31st into a shorter month. */
        assert_false(privacy_due(d(2025, 8, 31), 1, d(2025, 9, 30)));
        assert_true(privacy_due(d(2025, 8, 31), 1, d(2025, 10, 1)));
        /* Nothing kept: due from the next day on. */
        assert_false(privacy_due(d(2026, 6, 15), 0, d(2026, 6, 15)));
        assert_true(privacy_due(d(2026, 6, 15), 0, d(2026, 6, 16)));
        /* A start after the date (a clock set wrong) is never due. */
        assert_false(privacy_due(d(2030, 1, 1), 0, d(2026, 6, 15)));
}

static void
test_person_start(void **state)
{
        (void)state;
        struct date s;
        assert_int_equal(privacy_person_start("2019-01-02T10:00:00Z", "2021-05-01", &s), 0);
        assert_date(s, d(2021, 5, 1));
        assert_int_equal(privacy_person_start("2019-01-02T10:00:00Z", "", &s), 0);
        assert_date(s, d(2019, 1, 2));
        assert_int_equal(privacy_person_start("2019-01-02T10:00:00Z", NULL, &s), 0);
        assert_date(s, d(2019, 1, 2));
        assert_int_equal(privacy_person_start("", "", &s), -1);
        assert_int_equal(privacy_person_start("garbage", "", &s), -1);
}

/* ---- which records the purge removes (the store, on a database in memory) ---- */

static struct db *db;

static void
exec(const char *sql)
{
        char *err = NULL;
        if (sqlite3_exec(db->h, sql, NULL, NULL, &err) != SQLITE_OK)
                fail_msg("%s: %s", sql, err);
}

static long long
count(const char *sql)
{
        sqlite3_stmt *st;
        assert_int_equal(sqlite3_prepare_v2(db->h, sql, -1, &st, NULL), SQLITE_OK);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        long long n = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
        return n;
}

static void
test_purge_which_records(void **state)
{
        (void)state;
        /* The registry keeps 60 months, the sign-in security 3 months (migration 012). */
        exec("INSERT INTO person (id, name_ar, name_fr, name_fold, sex, region_code, created_at,"
             " updated_at) VALUES"
             " (1, 'أ', 'Ended on 2020-03-15', '', 'F', '01', '2010-01-01T00:00:00Z', ''),"
             " (2, 'ب', 'Ended on 2020-03-16', '', 'M', '01', '2010-01-01T00:00:00Z', ''),"
             " (3, 'ج', 'Never a member, created 2020-03-15', '', 'F', '01',"
             "  '2020-03-15T23:00:00Z', ''),"
             " (4, 'د', 'Still a member', '', 'F', '01', '2010-01-01T00:00:00Z', ''),"
             " (5, 'ه', 'Two ends, the last 2024-01-01', '', 'M', '01', '2010-01-01T00:00:00Z', "
             "'')");
        exec(
            "INSERT INTO cooperative (id, register_number, name_ar, name_fr, name_fold, legal_date,"
            " sector, region_code, province_code, members_total, members_women, members_youth,"
            " status, created_at, updated_at) SELECT 1, 'R1', 'ت', 'C', '', '2000-01-01',"
            " 'agriculture', '01', code, 1, 0, 0, 'active', '', '' FROM province"
            " WHERE region_code = '01' LIMIT 1");
        exec("INSERT INTO membership (person_id, cooperative_id, role) VALUES (4, 1, 'member')");
        exec("INSERT INTO membership_end (person_id, cooperative_id, role, ended_on) VALUES"
             " (1, 1, 'member', '2020-03-15'), (2, 1, 'member', '2020-03-16'),"
             " (4, 1, 'member', '2001-01-01'),"
             " (5, 1, 'member', '2001-01-01'), (5, 1, 'president', '2024-01-01')");
        /* Consents: one of the person who goes, one withdrawn on the boundary, one withdrawn a
         * day earlier (due), one in force. */
        exec("INSERT INTO consent (person_id, wording_id, given_on, channel, withdrawn_on,"
             " created_at, updated_at) VALUES"
             " (1, 1, '2015-01-01', 'paper', NULL, '', ''),"
             " (4, 1, '2015-01-01', 'oral', '2020-03-15', '', ''),"
             " (4, 1, '2015-01-01', 'oral', '2020-03-14', '', ''),"
             " (5, 1, '2015-01-01', 'digital', NULL, '', '')");
        exec("INSERT INTO person_objection (person_id, objected_on, reason, recorded_at) VALUES"
             " (1, '2019-01-01', 'x', '')");

        struct purge_counts n;
        /* On 15 March 2025: nobody is past 60 months yet; one consent withdrawn 14 March 2020. */
        assert_int_equal(privacy_store_purge(db, d(2025, 3, 15), 0, &n), STORE_OK);
        assert_int_equal(n.people, 0);
        assert_int_equal(n.consents, 1);
        assert_int_equal(n.people_months, 60);
        assert_int_equal(n.login_failure_months, 3);
        assert_int_equal(count("SELECT COUNT(*) FROM consent"), 3);

        /* A dry run on the 16th counts persons 1 and 3 and the boundary consent, changes
         * nothing. */
        assert_int_equal(privacy_store_purge(db, d(2025, 3, 16), 1, &n), STORE_OK);
        assert_int_equal(n.people, 2);
        assert_int_equal(n.consents, 1);
        assert_int_equal(count("SELECT COUNT(*) FROM person"), 5);
        assert_int_equal(count("SELECT COUNT(*) FROM consent"), 3);

        assert_int_equal(privacy_store_purge(db, d(2025, 3, 16), 0, &n), STORE_OK);
        assert_int_equal(n.people, 2);
        assert_int_equal(n.consents, 1);
        assert_int_equal(count("SELECT COUNT(*) FROM person WHERE id IN (2, 4, 5)"), 3);
        assert_int_equal(count("SELECT COUNT(*) FROM person WHERE id IN (1, 3)"), 0);
        /* The person's consents, objection and membership history went with them. */
        assert_int_equal(count("SELECT COUNT(*) FROM consent WHERE person_id = 1"), 0);
        assert_int_equal(count("SELECT COUNT(*) FROM person_objection"), 0);
        assert_int_equal(count("SELECT COUNT(*) FROM membership_end WHERE person_id = 1"), 0);
        assert_int_equal(count("SELECT COUNT(*) FROM consent"), 1);

        /* Person 2 goes the day after, person 5 (last end 2024) and the member stay. */
        assert_int_equal(privacy_store_purge(db, d(2025, 3, 17), 0, &n), STORE_OK);
        assert_int_equal(n.people, 1);
        assert_int_equal(privacy_store_purge(db, d(2029, 1, 1), 0, &n), STORE_OK);
        assert_int_equal(n.people, 0);
        assert_int_equal(privacy_store_purge(db, d(2029, 1, 2), 0, &n), STORE_OK);
        assert_int_equal(n.people, 1);
        assert_int_equal(count("SELECT COUNT(*) FROM person"), 1); /* the member */
}

static void
test_membership_end_recorded(void **state)
{
        (void)state;
        assert_int_equal(count("SELECT COUNT(*) FROM membership WHERE person_id = 4"), 1);
        long long before = count("SELECT COUNT(*) FROM membership_end WHERE person_id = 4");
        exec("DELETE FROM membership WHERE person_id = 4");
        assert_int_equal(count("SELECT COUNT(*) FROM membership_end WHERE person_id = 4"),
                         before + 1);
        assert_int_equal(count("SELECT COUNT(*) FROM membership_end WHERE person_id = 4"
                               " AND ended_on = date('now', 'localtime')"),
                         1);
}

static int
setup(void **state)
{
        (void)state;
        if (i18n_init() != 0)
                return -1;
        db = db_open(":memory:", 1);
        return db == NULL || geo_load(db) != 0 ? -1 : 0;
}

static int
teardown(void **state)
{
        (void)state;
        db_close(db);
        return 0;
}

int
main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_processing_cases),
            cmocka_unit_test(test_processing_keeps_unsent),
            cmocka_unit_test(test_bitext_pick),
            cmocka_unit_test(test_consent_cases),
            cmocka_unit_test(test_consent_withdrawal),
            cmocka_unit_test(test_objection),
            cmocka_unit_test(test_add_months),
            cmocka_unit_test(test_due_boundaries),
            cmocka_unit_test(test_person_start),
            cmocka_unit_test(test_purge_which_records),
            cmocka_unit_test(test_membership_end_recorded),
        };
        return cmocka_run_group_tests(tests, setup, teardown);
}
