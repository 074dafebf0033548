/* test_org.c: organisation validation (org_apply) and website addresses. */
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
#include "registry/org.h"

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
        {"name_ar", "مكتب تنمية التعاون"},                                                         \
            {"name_fr", "Office du Développement de la Coopération"},                              \
        {                                                                                          \
                "kind", "public_body"                                                              \
        }

#define A10 "AAAAAAAAAA"
#define A50 A10 A10 A10 A10 A10

struct apply_case {
        const char *name;
        struct kv form[16];
        const char *bad_field; /* NULL: valid */
};

static const struct apply_case cases[] = {
    {"valid", {VALID, {0, 0}}, NULL},
    {"everything",
     {{"acronym", "ODCO"},
      {"region_code", "03"},
      {"phone", "0537 00 00 00"},
      {"email", "contact@odco.gov.ma"},
      {"website", "https://www.odco.gov.ma/fr/"},
      {"notes", "Line one.\nLine two."},
      VALID,
      {0, 0}},
     NULL},
    {"no Arabic name", {{"name_ar", ""}, VALID, {0, 0}}, "name_ar"},
    {"no French name", {{"name_fr", " "}, VALID, {0, 0}}, "name_fr"},
    {"name of 201 characters", {{"name_fr", A50 A50 A50 A50 "A"}, VALID, {0, 0}}, "name_fr"},
    {"acronym of 30", {{"acronym", A10 A10 A10}, VALID, {0, 0}}, NULL},
    {"acronym of 31", {{"acronym", A10 A10 A10 "A"}, VALID, {0, 0}}, "acronym"},
    {"no kind", {{"kind", ""}, VALID, {0, 0}}, "kind"},
    {"unknown kind", {{"kind", "bank"}, VALID, {0, 0}}, "kind"},
    {"each kind: partner", {{"kind", "partner"}, VALID, {0, 0}}, NULL},
    {"each kind: funder", {{"kind", "funder"}, VALID, {0, 0}}, NULL},
    {"each kind: association", {{"kind", "association"}, VALID, {0, 0}}, NULL},
    {"each kind: university", {{"kind", "university"}, VALID, {0, 0}}, NULL},
    {"each kind: other", {{"kind", "other"}, VALID, {0, 0}}, NULL},
    {"national (no region)", {{"region_code", ""}, VALID, {0, 0}}, NULL},
    {"unknown region", {{"region_code", "13"}, VALID, {0, 0}}, "region_code"},
    {"province as region", {{"region_code", "03.231"}, VALID, {0, 0}}, "region_code"},
    {"bad phone", {{"phone", "call us"}, VALID, {0, 0}}, "phone"},
    {"bad e-mail", {{"email", "contact@"}, VALID, {0, 0}}, "email"},
    {"website without scheme", {{"website", "www.odco.gov.ma"}, VALID, {0, 0}}, "website"},
    {"javascript website", {{"website", "javascript:alert(1)"}, VALID, {0, 0}}, "website"},
    {"website of 201",
     {{"website", "https://x.ma/" A50 A50 A50 A10 A10 A10 "AAAAAAAA"}, VALID, {0, 0}},
     "website"},
    {"notes on several lines", {{"notes", "a\nb\r\nc"}, VALID, {0, 0}}, NULL},
    {"acronym on two lines", {{"acronym", "OD\nCO"}, VALID, {0, 0}}, "acronym"},
    {"invalid UTF-8", {{"notes", "caf\xC3\x28"}, VALID, {0, 0}}, "notes"},
};

static void
test_apply_cases(void **state)
{
        (void)state;
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                struct arena *a = arena_new();
                struct errs e;
                errs_init(&e, a, LANG_EN);
                struct org o = {0};
                int rc = org_apply(&o, &e, kv_get, (void *)cases[i].form, geo);
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

static const struct website_case {
        const char *url;
        int ok;
} website_cases[] = {
    {"https://www.odco.gov.ma", 1},
    {"http://odco.gov.ma/", 1},
    {"HTTPS://WWW.ODCO.GOV.MA", 1},
    {"https://x.ma:8443/path?a=1&b=2#top", 1},
    {"https://موقع.المغرب/", 1},
    {"https://", 0},
    {"https:///path", 0},
    {"https://.ma", 0},
    {"https://-x.ma", 0},
    {"https:// x.ma", 0},
    {"https://x.ma/a b", 0},
    {"https://x.ma/\"onmouseover", 0},
    {"https://x.ma/<script>", 0},
    {"https://user@x.ma", 0},
    {"ftp://x.ma", 0},
    {"javascript:alert(1)", 0},
    {"//x.ma", 0},
    {"www.x.ma", 0},
    {"", 0},
};

static void
test_website(void **state)
{
        (void)state;
        for (size_t i = 0; i < sizeof(website_cases) / sizeof(website_cases[0]); i++)
                if (org_website_ok(website_cases[i].url) != website_cases[i].ok)
                        fail_msg("\"%s\": expected %d", website_cases[i].url, website_cases[i].ok);
}

static void
test_apply_keeps_unsent_fields(void **state)
{
        (void)state;
        struct arena *a = arena_new();
        struct errs e;
        errs_init(&e, a, LANG_EN);
        struct kv first[] = {{"acronym", "ODCO"}, {"region_code", "03"}, VALID, {0, 0}};
        struct org o = {0};
        assert_int_equal(org_apply(&o, &e, kv_get, first, geo), 0);
        struct kv patch[] = {{"kind", "partner"}, {0, 0}};
        assert_int_equal(org_apply(&o, &e, kv_get, patch, geo), 0);
        assert_string_equal(o.kind, "partner");
        assert_string_equal(o.acronym, "ODCO");
        assert_string_equal(o.region_code, "03");
        assert_string_equal(o.website, "");
        /* Sending an empty region makes the organisation national. */
        struct kv national[] = {{"region_code", ""}, {0, 0}};
        assert_int_equal(org_apply(&o, &e, kv_get, national, geo), 0);
        assert_string_equal(o.region_code, "");
        arena_free(a);
}

static void
test_apply_keeps_what_was_typed(void **state)
{
        (void)state;
        struct arena *a = arena_new();
        struct errs e;
        errs_init(&e, a, LANG_EN);
        struct kv form[] = {{"website", "www.x.ma"}, VALID, {0, 0}};
        struct org o = {0};
        assert_int_equal(org_apply(&o, &e, kv_get, form, geo), -1);
        assert_string_equal(o.website, "www.x.ma");
        arena_free(a);
}

static void
test_kinds(void **state)
{
        (void)state;
        size_t n = 0;
        while (org_kind_codes[n])
                n++;
        assert_int_equal(n, 6);
        for (size_t i = 0; i < n; i++)
                assert_string_equal(org_kinds[i].code, org_kind_codes[i]);
        assert_null(org_kinds[n].code);
        assert_string_equal(code_label(org_kinds, "public_body"), "Public body");
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
            cmocka_unit_test(test_website),
            cmocka_unit_test(test_apply_keeps_unsent_fields),
            cmocka_unit_test(test_apply_keeps_what_was_typed),
            cmocka_unit_test(test_kinds),
        };
        return cmocka_run_group_tests(tests, setup, teardown);
}
