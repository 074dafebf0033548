/* test_call.c: a call's fields (call_apply), points with decimals, phases, seats, criteria,
 * the call's own rule checks, and the screening tally. */
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
#include "selection/call.h"
#include "selection/scoring.h"

static const struct geo *geo;
static struct db *db;

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

static void
test_points(void **state)
{
        (void)state;
        static const struct {
                const char *in;
                int ok;
                long long h;
        } cases[] = {
            {"0", 1, 0},        {"60", 1, 6000},   {"62.5", 1, 6250},    {"62,5", 1, 6250},
            {"87.25", 1, 8725}, {"100", 1, 10000}, {"100.00", 1, 10000}, {"100.01", 0, 0},
            {"62.555", 0, 0},   {"62.", 0, 0},     {".5", 0, 0},         {"-1", 0, 0},
            {"", 0, 0},         {"6 0", 0, 0},     {"1e2", 0, 0},        {"00060", 0, 0},
            {"0060", 1, 6000},  {"60.5x", 0, 0},
        };
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                long long h = -1;
                int rc = call_parse_points(cases[i].in, &h);
                if (rc != (cases[i].ok ? 0 : -1))
                        fail_msg("\"%s\": rc %d", cases[i].in, rc);
                if (cases[i].ok && h != cases[i].h)
                        fail_msg("\"%s\": %lld, wanted %lld", cases[i].in, h, cases[i].h);
        }
        struct arena *a = arena_new();
        assert_string_equal(call_format_points(a, 6000), "60");
        assert_string_equal(call_format_points(a, 6250), "62.5");
        assert_string_equal(call_format_points(a, 8725), "87.25");
        assert_string_equal(call_format_points(a, 5), "0.05");
        arena_free(a);
}

#define VALID                                                                                      \
        {"tranche_id", "3"}, {"code", "mrf-t4_2026"}, {"title_ar", "طلب ترشيح مرافقة"},            \
            {"title_fr", "Appel Mourafaka"}, {"title_en", "Mourafaka call"},                       \
            {"opens_on", "2026-01-15"}, {"closes_on", "2026-03-15"},                               \
            {"reference_date", "2026-03-15"}, {"min_score", "60"}, {"disagreement_gap", "15"},     \
        {                                                                                          \
                "national_pool", "1"                                                               \
        }

static void
test_apply(void **state)
{
        (void)state;
        static const struct {
                const char *name;
                struct kv form[16];
                const char *bad; /* NULL: valid */
        } cases[] = {
            {"valid", {VALID, {0, 0}}, NULL},
            {"no tranche", {{"tranche_id", ""}, VALID, {0, 0}}, "tranche_id"},
            {"tranche zero", {{"tranche_id", "0"}, VALID, {0, 0}}, "tranche_id"},
            {"code too short", {{"code", "M"}, VALID, {0, 0}}, "code"},
            {"code with space", {{"code", "MRF 2026"}, VALID, {0, 0}}, "code"},
            {"code in Arabic", {{"code", "مرافقة"}, VALID, {0, 0}}, "code"},
            {"no French title", {{"title_fr", "  "}, VALID, {0, 0}}, "title_fr"},
            {"31 February", {{"opens_on", "2026-02-31"}, VALID, {0, 0}}, "opens_on"},
            {"closes before it opens", {{"closes_on", "2026-01-14"}, VALID, {0, 0}}, "closes_on"},
            {"same day", {{"closes_on", "2026-01-15"}, VALID, {0, 0}}, NULL},
            {"no reference date", {{"reference_date", ""}, VALID, {0, 0}}, "reference_date"},
            {"score above 100", {{"min_score", "100.5"}, VALID, {0, 0}}, "min_score"},
            {"score as words", {{"min_score", "sixty"}, VALID, {0, 0}}, "min_score"},
            {"gap with 3 decimals",
             {{"disagreement_gap", "1.005"}, VALID, {0, 0}},
             "disagreement_gap"},
            {"pool not a boolean", {{"national_pool", "maybe"}, VALID, {0, 0}}, "national_pool"},
        };
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                struct arena *a = arena_new();
                struct errs e;
                errs_init(&e, a, LANG_EN);
                struct call c = {0};
                int rc = call_apply(&c, &e, kv_get, (void *)cases[i].form);
                if (cases[i].bad == NULL) {
                        if (rc != 0)
                                fail_msg("%s: refused (%s: %s)", cases[i].name, e.list[0].field,
                                         e.list[0].msg);
                } else {
                        if (rc == 0 || errs_for(&e, cases[i].bad) == NULL)
                                fail_msg("%s: %s not refused", cases[i].name, cases[i].bad);
                }
                arena_free(a);
        }
        /* What is kept: the code upper-cased, the points in hundredths. */
        struct arena *a = arena_new();
        struct errs e;
        errs_init(&e, a, LANG_EN);
        struct call c = {0};
        struct kv form[] = {VALID, {"min_score", "62.5"}, {0, 0}};
        form[9].v = "12.25"; /* disagreement_gap */
        assert_int_equal(call_apply(&c, &e, kv_get, form), 0);
        assert_string_equal(c.code, "MRF-T4_2026");
        assert_int_equal(c.min_score, 6000); /* the first value listed wins in kv_get */
        assert_int_equal(c.disagreement_gap, 1225);
        assert_int_equal(c.national_pool, 1);
        assert_int_equal(c.tranche_id, 3);
        /* A field not sent keeps its value (PATCH). */
        struct kv only[] = {{"title_en", "Renamed"}, {0, 0}};
        assert_int_equal(call_apply(&c, &e, kv_get, only), 0);
        assert_string_equal(c.title_en, "Renamed");
        assert_string_equal(c.code, "MRF-T4_2026");
        assert_int_equal(c.disagreement_gap, 1225);
        arena_free(a);
}

static void
test_phase(void **state)
{
        (void)state;
        struct call c = {.opens_on = "2026-01-15", .closes_on = "2026-03-15"};
        assert_int_equal(call_phase_on(&c, (struct date){2026, 1, 14}), CALL_UPCOMING);
        assert_int_equal(call_phase_on(&c, (struct date){2026, 1, 15}), CALL_OPEN);
        assert_int_equal(call_phase_on(&c, (struct date){2026, 3, 15}), CALL_OPEN);
        assert_int_equal(call_phase_on(&c, (struct date){2026, 3, 16}), CALL_CLOSED);
        assert_string_equal(call_phase_code(CALL_CLOSED), "closed");
}

static void
test_seats(void **state)
{
        (void)state;
        struct arena *a = arena_new();
        struct errs e;
        errs_init(&e, a, LANG_EN);
        struct call_seat ok[] = {{"03", 40}, {"06", 0}, {"12", 100000}};
        assert_int_equal(call_seats_check(ok, 3, geo, &e), 0);
        struct call_seat twice[] = {{"03", 40}, {"03", 2}};
        assert_int_equal(call_seats_check(twice, 2, geo, &e), -1);
        assert_non_null(errs_for(&e, "seats.03"));
        errs_init(&e, a, LANG_EN);
        struct call_seat bad[] = {{"13", 4}, {"05", -1}, {"07", 100001}};
        assert_int_equal(call_seats_check(bad, 3, geo, &e), -1);
        assert_non_null(errs_for(&e, "seats"));
        assert_non_null(errs_for(&e, "seats.05"));
        assert_non_null(errs_for(&e, "seats.07"));
        arena_free(a);
}

static void
test_criteria(void **state)
{
        (void)state;
        struct arena *a = arena_new();
        struct errs e;
        errs_init(&e, a, LANG_EN);
        size_t n;
        const struct call_criterion *def = call_default_criteria(&n);
        assert_int_equal(n, 6);
        long long w = 0;
        for (size_t i = 0; i < n; i++)
                w += def[i].weight;
        assert_int_equal(w, 100);
        /* The labels and keys agree with scoring.h's default grid. */
        const struct scoring_grid *g = scoring_default_grid();
        assert_int_equal(g->n, n);
        for (size_t i = 0; i < n; i++) {
                assert_string_equal(g->criteria[i].key, def[i].key);
                assert_int_equal(g->criteria[i].weight, def[i].weight);
        }
        struct call_criterion good[] = {{"viability", "الجدوى", "Viabilité", "Viability", 3, 20}};
        assert_int_equal(call_criteria_check(good, 1, &e), 0);
        struct call_criterion cases[][1] = {
            {{"Bad Key", "a", "b", "c", 1, 10}},
            {{"ok", "", "b", "c", 1, 10}},
            {{"ok", "a", "b", "c", 0, 10}},
            {{"ok", "a", "b", "c", 1, 0}},
        };
        const char *fields[] = {"criteria[0].key", "criteria[0].label_ar", "criteria[0].weight",
                                "criteria[0].max"};
        for (size_t i = 0; i < 4; i++) {
                errs_init(&e, a, LANG_EN);
                assert_int_equal(call_criteria_check(cases[i], 1, &e), -1);
                if (errs_for(&e, fields[i]) == NULL)
                        fail_msg("case %zu: %s not named", i, fields[i]);
        }
        errs_init(&e, a, LANG_EN);
        assert_int_equal(call_criteria_check(good, 0, &e), -1);
        assert_non_null(errs_for(&e, "criteria"));
        arena_free(a);
}

static void
test_rules_check(void **state)
{
        (void)state;
        struct arena *a = arena_new();
        struct errs e;
        errs_init(&e, a, LANG_EN);
        static const char *const regions[] = {"03", "06"};
        static const char *const provinces[] = {"03.231", "03.999"};
        struct elig_rule ok[] = {
            {.kind = ELIG_MAX_LEGAL_AGE, .years = 4},
            {.kind = ELIG_REGIONS, .codes = regions, .ncodes = 2},
        };
        assert_int_equal(call_rules_check(ok, 2, geo, &e), 0);
        struct elig_rule bad[] = {
            {.kind = ELIG_MAX_LEGAL_AGE, .years = 4},
            {.kind = ELIG_PROVINCES, .codes = provinces, .ncodes = 2},
            {.kind = ELIG_MAX_LEGAL_AGE, .years = 3},
        };
        assert_int_equal(call_rules_check(bad, 3, geo, &e), -1);
        assert_non_null(errs_for(&e, "rules[2].kind"));
        assert_non_null(errs_for(&e, "rules[1].codes[1]"));
        assert_null(errs_for(&e, "rules[1].codes[0]"));
        arena_free(a);
}

static void
test_tally(void **state)
{
        (void)state;
        struct screen_tally t;
        screen_init(&t, 3);
        screen_add(&t, "06", 0);     /* eligible */
        screen_add(&t, "03", 1);     /* fails rule 0 only */
        screen_add(&t, "03", 1 | 4); /* fails rules 0 and 2 */
        screen_add(&t, "01", 2);     /* fails rule 1 only */
        screen_add(&t, "03", 0);
        assert_int_equal(t.total, 5);
        assert_int_equal(t.eligible, 2);
        assert_int_equal(t.pass[0], 3);
        assert_int_equal(t.pass[1], 4);
        assert_int_equal(t.pass[2], 4);
        assert_int_equal(t.only_fail[0], 1);
        assert_int_equal(t.only_fail[1], 1);
        assert_int_equal(t.only_fail[2], 0);
        screen_sort_regions(&t);
        assert_int_equal(t.nregions, 3);
        assert_string_equal(t.regions[0].code, "01");
        assert_string_equal(t.regions[1].code, "03");
        assert_int_equal(t.regions[1].eligible, 1);
        assert_int_equal(t.regions[1].ineligible, 2);
        assert_string_equal(t.regions[2].code, "06");
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
            cmocka_unit_test(test_points),   cmocka_unit_test(test_apply),
            cmocka_unit_test(test_phase),    cmocka_unit_test(test_seats),
            cmocka_unit_test(test_criteria), cmocka_unit_test(test_rules_check),
            cmocka_unit_test(test_tally),
        };
        return cmocka_run_group_tests(tests, setup, teardown);
}
