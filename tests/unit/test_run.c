/* test_run.c: a selection run's record: inputs survive JSON unchanged, the replay of the
 * record gives the same result, and a replay with withdrawals promotes as selection_promote. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "selection/run.h"

static const struct sel_candidate cands[] = {
    {1, "03", 9000, 800, 5, 10, "2026-01-10T09:00:00Z", 1, 1},
    {2, "03", 8500, 700, 2, 10, "2026-01-11T09:00:00Z", 1, 1},
    {3, "03", 8000, 900, 6, 12, "2026-01-12T09:00:00Z", 1, 1},
    {4, "06", 7000, 500, 1, 9, "2026-01-13T09:00:00Z", 1, 1},
    {5, "06", 6500, 500, 1, 9, "2026-01-14T09:00:00Z", 1, 1},
    {6, "06", 5000, 400, 1, 9, "2026-01-15T09:00:00Z", 1, 1},
    {7, "01", 7500, 600, 3, 7, "2026-01-16T09:00:00Z", 1, 1},
    {8, "01", 0, 0, 0, 7, "2026-01-17T09:00:00Z", 0, 0},
    {9, "01", 0, 0, 0, 7, "2026-01-18T09:00:00Z", 1, 0},
};
static const struct sel_seats seats[] = {{"03", 1}, {"06", 2}, {"01", 0}};

static struct run_input
input(void)
{
        struct run_input r = {
            {cands, sizeof(cands) / sizeof(cands[0]), seats, 3, 1, 6000}, NULL, 0};
        return r;
}

static char *
text(json_t *j)
{
        char *s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
        json_decref(j);
        return s;
}

static void
test_round_trip(void **state)
{
        (void)state;
        struct arena *a = arena_new();
        struct run_input r = input();
        char *once = text(run_input_to_json(&r));
        assert_non_null(once);
        json_t *j = json_loads(once, 0, NULL);
        struct run_input back;
        assert_int_equal(run_input_from_json(j, a, &back), 0);
        json_decref(j);
        char *twice = text(run_input_to_json(&back));
        assert_string_equal(once, twice);
        assert_int_equal(back.in.n, r.in.n);
        assert_int_equal(back.in.min_score, 6000);
        assert_int_equal(back.in.national_pool, 1);
        /* The same inputs give the same result. */
        struct sel_result x, y;
        assert_int_equal(selection_run(&r.in, NULL, 0, a, &x, NULL), SEL_OK);
        assert_int_equal(run_replay(&back, NULL, 0, a, &y, NULL), SEL_OK);
        char *rx = text(run_result_to_json(&x)), *ry = text(run_result_to_json(&y));
        assert_string_equal(rx, ry);
        free(once);
        free(twice);
        free(rx);
        free(ry);
        arena_free(a);
}

static void
test_bad_shapes(void **state)
{
        (void)state;
        struct arena *a = arena_new();
        static const char *const bad[] = {
            "[]",
            "{\"min_score\": 1, \"national_pool\": true, \"seats\": {}, \"candidates\": {}, "
            "\"tie_orders\": []}",
            "{\"min_score\": \"1\", \"national_pool\": true, \"seats\": {}, \"candidates\": [], "
            "\"tie_orders\": []}",
            "{\"min_score\": 1, \"national_pool\": true, \"seats\": {\"03\": \"x\"}, "
            "\"candidates\": [], \"tie_orders\": []}",
            "{\"min_score\": 1, \"national_pool\": true, \"seats\": {}, \"candidates\": [{\"id\": "
            "1}], \"tie_orders\": []}",
            "{\"min_score\": 1, \"national_pool\": true, \"seats\": {}, \"candidates\": [], "
            "\"tie_orders\": [[1, \"2\"]]}",
        };
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
                json_t *j = json_loads(bad[i], 0, NULL);
                struct run_input r;
                if (run_input_from_json(j, a, &r) == 0)
                        fail_msg("accepted: %s", bad[i]);
                json_decref(j);
        }
        arena_free(a);
}

/* Finds id's outcome in r. */
static const struct sel_outcome *
outcome(const struct sel_result *r, long long id)
{
        for (size_t i = 0; i < r->n; i++)
                if (r->outcomes[i].id == id)
                        return &r->outcomes[i];
        return NULL;
}

static void
test_replay_with_withdrawals(void **state)
{
        (void)state;
        struct arena *a = arena_new();
        struct run_input r = input();
        struct sel_result direct, replayed;
        assert_int_equal(selection_run(&r.in, NULL, 0, a, &direct, NULL), SEL_OK);
        /* Region 03 has one seat: 1 holds it, 2 and 3 wait. */
        assert_int_equal(outcome(&direct, 1)->status, SEL_SELECTED_REGIONAL);
        assert_int_equal(outcome(&direct, 2)->status, SEL_WAITLISTED);
        long long promoted = 0;
        assert_int_equal(selection_promote(&direct, 1, &promoted), 1);
        assert_int_equal(promoted, 2);
        const long long withdrawn[] = {1};
        assert_int_equal(run_replay(&r, withdrawn, 1, a, &replayed, NULL), SEL_OK);
        char *d = text(run_result_to_json(&direct)), *p = text(run_result_to_json(&replayed));
        assert_string_equal(d, p);
        assert_int_equal(outcome(&replayed, 2)->reason, SEL_REASON_PROMOTED_REGIONAL);
        assert_int_equal(outcome(&replayed, 1)->status, SEL_WITHDRAWN);
        /* An id the run does not know is refused. */
        const long long unknown[] = {42};
        assert_int_equal(run_replay(&r, unknown, 1, a, &replayed, NULL), SEL_INVALID);
        free(d);
        free(p);
        arena_free(a);
}

int
main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_round_trip),
            cmocka_unit_test(test_bad_shapes),
            cmocka_unit_test(test_replay_with_withdrawals),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
