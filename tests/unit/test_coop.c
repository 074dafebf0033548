/* test_coop.c: cooperative validation (coop_apply), computed ages and CSV rows. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/db.h"
#include "core/i18n.h"
#include "registry/coop.h"
#include "registry/coop_csv.h"
#include "registry/geo.h"

static const struct geo *geo;
static struct db *db;

/* A form as key/value pairs; fields not listed are "not sent". */
struct kv {
        const char *k, *v;
};

static const char *
kv_get(void *ctx, const char *name)
{
        for (const struct kv *p = ctx; p->k; p++)
                if (strcmp(p->k, name) == 0)
                        return p->v;
        return NULL;
}

#define VALID                                                                                      \
        {"register_number", "2023/15-03"}, {"name_ar", "تعاونية الأمل"},                           \
            {"name_fr", "Coopérative Al Amal"}, {"legal_date", "2023-07-14"},                      \
            {"sector", "handicraft"}, {"region_code", "03"}, {"province_code", "03.231"},          \
            {"members_total", "12"}, {"members_women", "9"},                                       \
        {                                                                                          \
                "members_youth", "2"                                                               \
        }

static const struct date today = {2026, 11, 23};

struct apply_case {
        const char *name;
        struct kv form[24];
        const char *bad_field; /* NULL: valid */
};

static const struct apply_case cases[] = {
    {"valid", {VALID, {0, 0}}, NULL},
    {"31 February", {{"legal_date", "2025-02-31"}, VALID, {0, 0}}, "legal_date"},
    {"29 February of a common year", {{"legal_date", "2023-02-29"}, VALID, {0, 0}}, "legal_date"},
    {"legal date in the future", {{"legal_date", "2026-11-24"}, VALID, {0, 0}}, "legal_date"},
    {"activity before legal date",
     {{"activity_start_date", "2023-07-13"}, VALID, {0, 0}},
     "activity_start_date"},
    {"negative members", {{"members_total", "-3"}, VALID, {0, 0}}, "members_total"},
    {"members not a number", {{"members_total", "12abc"}, VALID, {0, 0}}, "members_total"},
    {"more women than members", {{"members_women", "13"}, VALID, {0, 0}}, "members_women"},
    {"more youth than members", {{"members_youth", "13"}, VALID, {0, 0}}, "members_youth"},
    {"women-only with men", {{"is_women_only", "1"}, VALID, {0, 0}}, "members_women"},
    {"active with 4 members",
     {{"members_total", "4"}, {"members_women", "1"}, VALID, {0, 0}},
     "members_total"},
    {"province of another region", {{"province_code", "06.141"}, VALID, {0, 0}}, "province_code"},
    {"unknown region", {{"region_code", "13"}, VALID, {0, 0}}, "region_code"},
    {"commune of another province",
     {{"commune_code", "01.511.01.0"}, VALID, {0, 0}},
     "commune_code"},
    {"unknown sector", {{"sector", "mining"}, VALID, {0, 0}}, "sector"},
    {"unknown status", {{"status", "sleeping"}, VALID, {0, 0}}, "status"},
    {"register number with markup",
     {{"register_number", "<b>1</b>"}, VALID, {0, 0}},
     "register_number"},
    {"empty Arabic name", {{"name_ar", "   "}, VALID, {0, 0}}, "name_ar"},
    {"invalid UTF-8", {{"name_fr", "Coop\xC3\x28"}, VALID, {0, 0}}, "name_fr"},
    {"name on two lines", {{"name_fr", "Coop\nAl Amal"}, VALID, {0, 0}}, "name_fr"},
    {"bad e-mail", {{"email", "coop@"}, VALID, {0, 0}}, "email"},
    {"bad phone", {{"phone", "06 12 ab"}, VALID, {0, 0}}, "phone"},
    {"bad flag", {{"is_soulalyate", "maybe"}, VALID, {0, 0}}, "is_soulalyate"},
    {"dissolved may have no members",
     {{"status", "dissolved"},
      {"members_total", "0"},
      {"members_women", "0"},
      {"members_youth", "0"},
      VALID,
      {0, 0}},
     NULL},
};

static void
test_apply_cases(void **state)
{
        (void)state;
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                struct arena *a = arena_new();
                struct errs e;
                errs_init(&e, a, LANG_FR);
                struct coop c = {0};
                int rc = coop_apply(&c, &e, kv_get, (void *)cases[i].form, geo, today);
                if (cases[i].bad_field == NULL) {
                        if (rc != 0)
                                fail_msg("%s: unexpected error on %s: %s", cases[i].name,
                                         e.list[0].field, e.list[0].msg);
                } else {
                        if (rc == 0 || errs_for(&e, cases[i].bad_field) == NULL)
                                fail_msg("%s: no error on %s", cases[i].name, cases[i].bad_field);
                        if (e.n != 1)
                                fail_msg("%s: %zu errors, expected only %s (first: %s)",
                                         cases[i].name, e.n, cases[i].bad_field, e.list[0].field);
                }
                arena_free(a);
        }
}

static void
test_apply_keeps_unsent_fields(void **state)
{
        (void)state;
        struct arena *a = arena_new();
        struct errs e;
        errs_init(&e, a, LANG_EN);
        struct kv first[] = {VALID, {"notes", "first notes"}, {0, 0}};
        struct coop c = {0};
        assert_int_equal(coop_apply(&c, &e, kv_get, first, geo, today), 0);
        /* A partial update (PATCH) sends one field: the others keep their values. */
        struct kv patch[] = {{"members_total", "20"}, {0, 0}};
        assert_int_equal(coop_apply(&c, &e, kv_get, patch, geo, today), 0);
        assert_int_equal(c.members_total, 20);
        assert_int_equal(c.members_women, 9);
        assert_string_equal(c.name_fr, "Coopérative Al Amal");
        assert_string_equal(c.notes, "first notes");
        assert_string_equal(c.legal_date, "2023-07-14");
        arena_free(a);
}

static void
test_apply_message_in_language(void **state)
{
        (void)state;
        struct arena *a = arena_new();
        struct errs e;
        errs_init(&e, a, LANG_EN);
        struct kv form[] = {{"name_fr", ""}, VALID, {0, 0}};
        struct coop c = {0};
        assert_int_not_equal(coop_apply(&c, &e, kv_get, form, geo, today), 0);
        assert_string_equal(errs_for(&e, "name_fr"), "Enter a value.");
        /* A 100 KB field is refused with its size. */
        char *huge = arena_alloc(a, 100001);
        memset(huge, 'a', 100000);
        struct kv big[] = {{"name_fr", huge}, VALID, {0, 0}};
        errs_init(&e, a, LANG_EN);
        struct coop d = {0};
        assert_int_not_equal(coop_apply(&d, &e, kv_get, big, geo, today), 0);
        assert_non_null(strstr(errs_for(&e, "name_fr"), "200"));
        assert_non_null(strstr(errs_for(&e, "name_fr"), "100000"));
        arena_free(a);
}

static void
test_legal_age(void **state)
{
        (void)state;
        struct coop c = {.legal_date = "2022-11-23", .activity_start_date = ""};
        struct age a = coop_legal_age(&c, today);
        assert_int_equal(a.years, 4);
        assert_int_equal(a.months, 0);
        assert_int_equal(a.days, 0);
        c.legal_date = "2022-11-22";
        a = coop_legal_age(&c, today);
        assert_int_equal(a.years, 4);
        assert_int_equal(a.days, 1);
        c.legal_date = "2022-04-10";
        a = coop_legal_age(&c, today);
        assert_int_equal(a.years, 4);
        assert_int_equal(a.months, 7);
        a = coop_activity_age(&c, today);
        assert_int_equal(a.years, 0); /* no activity date */
}

static void
test_csv_row_quotes(void **state)
{
        (void)state;
        struct arena *a = arena_new();
        struct buf b;
        buf_init(&b, a, 1 << 16);
        struct coop c = {.id = 7,
                         .register_number = "1/2",
                         .name_ar = "تعاونية",
                         .name_fr = "Coop \"A\", B",
                         .legal_date = "2020-01-02",
                         .activity_start_date = "",
                         .sector = "argan",
                         .activity = "",
                         .region_code = "09",
                         .province_code = "09.163",
                         .commune_code = "",
                         .address = "line1\nline2",
                         .phone = "",
                         .email = "",
                         .members_total = 7,
                         .members_women = 7,
                         .members_youth = 0,
                         .is_women_only = 1,
                         .status = "active",
                         .notes = ""};
        coop_csv_row(&b, &c);
        const char *s = buf_str(&b);
        assert_non_null(strstr(s, "\"Coop \"\"A\"\", B\""));
        assert_non_null(strstr(s, "\"line1\nline2\""));
        assert_non_null(strstr(s, "\"7\",\"1/2\""));
        assert_true(s[strlen(s) - 1] == '\n');
        arena_free(a);
}

static int
setup(void **state)
{
        (void)state;
        if (i18n_init() != 0)
                return -1;
        db = db_open(":memory:", 1);
        if (db == NULL || geo_load(db) != 0)
                return -1;
        geo = geo_cache_load(db);
        return geo ? 0 : -1;
}

static int
teardown(void **state)
{
        (void)state;
        geo_cache_free(geo);
        db_close(db);
        return 0;
}

int
main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_apply_cases),
            cmocka_unit_test(test_apply_keeps_unsent_fields),
            cmocka_unit_test(test_apply_message_in_language),
            cmocka_unit_test(test_legal_age),
            cmocka_unit_test(test_csv_row_quotes),
        };
        return cmocka_run_group_tests(tests, setup, teardown);
}
