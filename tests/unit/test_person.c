/* test_person.c: person validation (person_apply), ages and role labels. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/arena.h"
#include "core/db.h"
#include "core/i18n.h"
#include "registry/geo.h"
#include "registry/person.h"

static const struct geo *geo;
static struct db *db;

/* A form as key/value pairs; fields not listed are "not sent". The first match wins, so a
 * case overrides a VALID field by listing it first. */
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
        {"name_ar", "فاطمة الزهراء"}, {"name_fr", "Fatima Zahra"}, {"sex", "F"},                   \
            {"birth_date", "1985-03-04"}, {"region_code", "03"},                                   \
        {                                                                                          \
                "province_code", "03.231"                                                          \
        }

#define A10 "AAAAAAAAAA"
#define A50 A10 A10 A10 A10 A10

static const struct date today = {2026, 11, 23};

struct apply_case {
        const char *name;
        struct kv form[16];
        const char *bad_field; /* NULL: valid */
};

static const struct apply_case cases[] = {
    {"valid", {VALID, {0, 0}}, NULL},
    {"year only", {{"birth_date", "1985"}, VALID, {0, 0}}, NULL},
    {"no birth date", {{"birth_date", ""}, VALID, {0, 0}}, NULL},
    {"born today", {{"birth_date", "2026-11-23"}, VALID, {0, 0}}, NULL},
    {"born this year", {{"birth_date", "2026"}, VALID, {0, 0}}, NULL},
    {"born 1900-01-01", {{"birth_date", "1900-01-01"}, VALID, {0, 0}}, NULL},
    {"29 February of a leap year", {{"birth_date", "2000-02-29"}, VALID, {0, 0}}, NULL},
    {"29 February of a common year", {{"birth_date", "2001-02-29"}, VALID, {0, 0}}, "birth_date"},
    {"31 April", {{"birth_date", "1990-04-31"}, VALID, {0, 0}}, "birth_date"},
    {"born tomorrow", {{"birth_date", "2026-11-24"}, VALID, {0, 0}}, "birth_date"},
    {"born next year", {{"birth_date", "2027"}, VALID, {0, 0}}, "birth_date"},
    {"year before 1900", {{"birth_date", "1899"}, VALID, {0, 0}}, "birth_date"},
    {"date before 1900", {{"birth_date", "1899-12-31"}, VALID, {0, 0}}, "birth_date"},
    {"two-digit year", {{"birth_date", "85"}, VALID, {0, 0}}, "birth_date"},
    {"day first", {{"birth_date", "04/03/1985"}, VALID, {0, 0}}, "birth_date"},
    {"month without zero", {{"birth_date", "1985-3-04"}, VALID, {0, 0}}, "birth_date"},
    {"year and month", {{"birth_date", "1985-03"}, VALID, {0, 0}}, "birth_date"},
    {"empty Arabic name", {{"name_ar", "  "}, VALID, {0, 0}}, "name_ar"},
    {"no French name", {{"name_fr", ""}, VALID, {0, 0}}, "name_fr"},
    {"name of 200 characters", {{"name_fr", A50 A50 A50 A50}, VALID, {0, 0}}, NULL},
    {"name of 201 characters", {{"name_fr", A50 A50 A50 A50 "A"}, VALID, {0, 0}}, "name_fr"},
    {"name on two lines", {{"name_fr", "Fatima\nZahra"}, VALID, {0, 0}}, "name_fr"},
    {"invalid UTF-8", {{"name_fr", "Fatim\xC3\x28"}, VALID, {0, 0}}, "name_fr"},
    {"no sex", {{"sex", ""}, VALID, {0, 0}}, "sex"},
    {"lower-case sex", {{"sex", "f"}, VALID, {0, 0}}, "sex"},
    {"unknown sex", {{"sex", "X"}, VALID, {0, 0}}, "sex"},
    {"phone", {{"phone", "06 12 34 56 78"}, VALID, {0, 0}}, NULL},
    {"bad phone", {{"phone", "06 12 ab"}, VALID, {0, 0}}, "phone"},
    {"short phone", {{"phone", "0612"}, VALID, {0, 0}}, "phone"},
    {"national ID", {{"national_id", "AB123456"}, VALID, {0, 0}}, NULL},
    {"national ID of 20", {{"national_id", "ABCDEFGHIJ0123456789"}, VALID, {0, 0}}, NULL},
    {"national ID of 21", {{"national_id", "ABCDEFGHIJ01234567890"}, VALID, {0, 0}}, "national_id"},
    {"national ID with a space", {{"national_id", "AB 123456"}, VALID, {0, 0}}, "national_id"},
    {"national ID with a dash", {{"national_id", "AB-123456"}, VALID, {0, 0}}, "national_id"},
    {"national ID in Arabic letters", {{"national_id", "أب123"}, VALID, {0, 0}}, "national_id"},
    {"national ID with markup", {{"national_id", "<b>1"}, VALID, {0, 0}}, "national_id"},
    {"no region", {{"region_code", ""}, {"province_code", ""}, VALID, {0, 0}}, "region_code"},
    {"unknown region",
     {{"region_code", "13"}, {"province_code", ""}, VALID, {0, 0}},
     "region_code"},
    {"no province", {{"province_code", ""}, VALID, {0, 0}}, NULL},
    {"unknown province", {{"province_code", "03.999"}, VALID, {0, 0}}, "province_code"},
    {"province of another region", {{"province_code", "06.141"}, VALID, {0, 0}}, "province_code"},
};

static void
test_apply_cases(void **state)
{
        (void)state;
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                struct arena *a = arena_new();
                struct errs e;
                errs_init(&e, a, LANG_EN);
                struct person p = {0};
                int rc = person_apply(&p, &e, kv_get, (void *)cases[i].form, geo, today, 1);
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
test_apply_normalises(void **state)
{
        (void)state;
        struct arena *a = arena_new();
        struct errs e;
        errs_init(&e, a, LANG_EN);
        struct kv form[] = {
            {"national_id", " ab123456 "}, {"name_fr", "  Fatima  "}, VALID, {0, 0}};
        struct person p = {0};
        assert_int_equal(person_apply(&p, &e, kv_get, form, geo, today, 1), 0);
        assert_string_equal(p.national_id, "AB123456");
        assert_string_equal(p.name_fr, "Fatima");
        assert_string_equal(p.phone, "");
        assert_string_equal(p.region_code, "03");
        assert_string_equal(p.province_code, "03.231");
        arena_free(a);
}

static void
test_apply_without_national_id_permission(void **state)
{
        (void)state;
        struct arena *a = arena_new();
        struct errs e;
        errs_init(&e, a, LANG_EN);
        /* Without the permission the field is not read at all: the stored value stays. */
        struct kv form[] = {{"national_id", "not valid!"}, VALID, {0, 0}};
        struct person p = {0};
        p.national_id = "CD42";
        assert_int_equal(person_apply(&p, &e, kv_get, form, geo, today, 0), 0);
        assert_string_equal(p.national_id, "CD42");
        /* A record read without the number (NULL) stays so: the store keeps what it has. */
        struct person q = {0};
        assert_int_equal(person_apply(&q, &e, kv_get, form, geo, today, 0), 0);
        assert_null(q.national_id);
        arena_free(a);
}

static void
test_apply_keeps_unsent_fields(void **state)
{
        (void)state;
        struct arena *a = arena_new();
        struct errs e;
        errs_init(&e, a, LANG_EN);
        struct kv first[] = {{"phone", "0612345678"}, {"national_id", "AB1"}, VALID, {0, 0}};
        struct person p = {0};
        assert_int_equal(person_apply(&p, &e, kv_get, first, geo, today, 1), 0);
        /* A partial update (PATCH) sends one field: the others keep their values. */
        struct kv patch[] = {{"birth_date", "1986"}, {0, 0}};
        assert_int_equal(person_apply(&p, &e, kv_get, patch, geo, today, 1), 0);
        assert_string_equal(p.birth_date, "1986");
        assert_string_equal(p.name_fr, "Fatima Zahra");
        assert_string_equal(p.phone, "0612345678");
        assert_string_equal(p.national_id, "AB1");
        assert_string_equal(p.province_code, "03.231");
        /* Clearing the province of a record is allowed; clearing the region is not. */
        struct kv clear[] = {{"province_code", ""}, {0, 0}};
        assert_int_equal(person_apply(&p, &e, kv_get, clear, geo, today, 1), 0);
        assert_string_equal(p.province_code, "");
        struct kv noregion[] = {{"region_code", ""}, {0, 0}};
        assert_int_equal(person_apply(&p, &e, kv_get, noregion, geo, today, 1), -1);
        assert_non_null(errs_for(&e, "region_code"));
        arena_free(a);
}

static void
test_apply_keeps_what_was_typed(void **state)
{
        (void)state;
        struct arena *a = arena_new();
        struct errs e;
        errs_init(&e, a, LANG_EN);
        struct kv form[] = {{"birth_date", "2099"}, {"phone", "abc"}, VALID, {0, 0}};
        struct person p = {0};
        assert_int_equal(person_apply(&p, &e, kv_get, form, geo, today, 1), -1);
        assert_int_equal(e.n, 2);
        /* The form is shown again with what the person typed next to the messages. */
        assert_string_equal(p.birth_date, "2099");
        assert_string_equal(p.phone, "abc");
        arena_free(a);
}

static const struct age_case {
        const char *birth;
        struct date on;
        int want;
} age_cases[] = {
    {"1985-03-04", {2026, 3, 3}, 40},   {"1985-03-04", {2026, 3, 4}, 41},
    {"2000-02-29", {2025, 2, 28}, 25}, /* the anniversary falls on 28 February */
    {"2000-02-29", {2025, 2, 27}, 24},  {"1985", {2026, 1, 1}, 41},
    {"2026", {2026, 11, 23}, 0},        {"2027", {2026, 11, 23}, -1},
    {"2026-11-24", {2026, 11, 23}, -1}, {"", {2026, 11, 23}, -1},
    {"garbage", {2026, 11, 23}, -1},
};

static void
test_age(void **state)
{
        (void)state;
        for (size_t i = 0; i < sizeof(age_cases) / sizeof(age_cases[0]); i++) {
                struct person p = {.birth_date = age_cases[i].birth};
                int got = person_age(&p, age_cases[i].on);
                if (got != age_cases[i].want)
                        fail_msg("\"%s\": age %d, expected %d", age_cases[i].birth, got,
                                 age_cases[i].want);
        }
}

static void
test_roles(void **state)
{
        (void)state;
        assert_string_equal(person_role_label("president"), "President");
        assert_string_equal(person_role_label("treasurer"), "Treasurer");
        assert_string_equal(person_role_label("secretary"), "Secretary");
        assert_string_equal(person_role_label("member"), "Member");
        assert_string_equal(person_role_label("boss"), "Member");
        assert_string_equal(person_role_label(NULL), "Member");
        size_t n = 0;
        while (person_role_codes[n])
                n++;
        assert_int_equal(n, 4);
        for (size_t i = 0; i < n; i++)
                assert_string_equal(person_roles[i].code, person_role_codes[i]);
        assert_null(person_roles[n].code);
}

static void
test_message_in_language(void **state)
{
        (void)state;
        struct arena *a = arena_new();
        struct errs e;
        errs_init(&e, a, LANG_EN);
        struct kv form[] = {{"birth_date", "1899"}, VALID, {0, 0}};
        struct person p = {0};
        assert_int_equal(person_apply(&p, &e, kv_get, form, geo, today, 1), -1);
        assert_string_equal(errs_for(&e, "birth_date"),
                            "Enter a birth year between 1900 and 2026.");
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
            cmocka_unit_test(test_apply_normalises),
            cmocka_unit_test(test_apply_without_national_id_permission),
            cmocka_unit_test(test_apply_keeps_unsent_fields),
            cmocka_unit_test(test_apply_keeps_what_was_typed),
            cmocka_unit_test(test_age),
            cmocka_unit_test(test_roles),
            cmocka_unit_test(test_message_in_language),
        };
        return cmocka_run_group_tests(tests, setup, teardown);
}
