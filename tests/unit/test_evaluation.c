/* test_evaluation.c: the summary of an application's evaluations (totals, means, completeness,
 * disagreement at and above the gap, half-up rounding), scores read from text, and states. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/arena.h"
#include "core/i18n.h"
#include "core/validate.h"
#include "selection/evaluation.h"

#define MAXC 6
#define MAXE 4

enum {
        S_DECL = EVALUATION_TO_DECLARE,
        S_CONF = EVALUATION_CONFLICT,
        S_DRAFT = EVALUATION_DRAFT,
        S_SUB = EVALUATION_SUBMITTED
};

/* One criterion, maximum 16: a score s is worth 100 s / 16 = 6.25 s points. */
static const struct scoring_criterion c16[] = {{"only", 1, 16}};
static const struct scoring_grid g16 = {c16, 1};

struct summary_case {
        const char *name;
        const struct scoring_grid *grid; /* NULL: the default grid (25, 20, 15, 15, 15, 10; /10) */
        size_t n;
        int states[MAXE];
        long long scores[MAXE][MAXC]; /* -1: not scored */
        long long gap;
        /* expected */
        size_t expected, submitted;
        int complete, has_total;
        long long total, own[MAXE], means[MAXC];
        int disagreement;
        long long spread;
};

/*
 * Default grid worked by hand: evaluator A (8, 7, 9, 6, 10, 5) gives
 * 25*8 + 20*7 + 15*9 + 15*6 + 15*10 + 10*5 = 765 of 1000, 76.50 points; evaluator B
 * (6, 5, 7, 4, 8, 3) gives 150 + 100 + 105 + 60 + 120 + 30 = 565, 56.50. Together
 * 100 * sum_k w_k * mean_k / 10 / 100 = (765 + 565) / 2 / 10 = 66.50; spread 20.00.
 */
static const struct summary_case cases[] = {
    {"two evaluators, disagreement exactly at the gap: no flag",
     NULL,
     2,
     {S_SUB, S_SUB},
     {{8, 7, 9, 6, 10, 5}, {6, 5, 7, 4, 8, 3}},
     2000,
     2,
     2,
     1,
     1,
     6650,
     {7650, 5650},
     {700, 600, 800, 500, 900, 400},
     0,
     2000},
    {"the same, one hundredth above the gap: flag",
     NULL,
     2,
     {S_SUB, S_SUB},
     {{8, 7, 9, 6, 10, 5}, {6, 5, 7, 4, 8, 3}},
     1999,
     2,
     2,
     1,
     1,
     6650,
     {7650, 5650},
     {700, 600, 800, 500, 900, 400},
     1,
     2000},
    /* Means of 7 and 8 are 7.50; A 765 and C (7, 8, 9, 6, 10, 5) 25*7 + 20*8 + 135 + 90 + 150 +
     * 50 = 760: total (765 + 760) / 20 = 76.25. */
    {"means with halves",
     NULL,
     2,
     {S_SUB, S_SUB},
     {{8, 7, 9, 6, 10, 5}, {7, 8, 9, 6, 10, 5}},
     1500,
     2,
     2,
     1,
     1,
     7625,
     {7650, 7600},
     {750, 750, 900, 600, 1000, 500},
     0,
     50},
    /* Scores 1 and 0 of 16: the mean 0.5 is 3.125 points, rounded half up to 3.13; each alone
     * is 6.25 and 0. */
    {"rounding to hundredths, half up",
     &g16,
     2,
     {S_SUB, S_SUB},
     {{1}, {0}},
     0,
     2,
     2,
     1,
     1,
     313,
     {625, 0},
     {50},
     1,
     625},
    /* Scores 1, 0, 0 of 16: 100 / 48 = 2.08333 points, down to 2.08; means 1/3 = 0.33. */
    {"rounding to hundredths, down",
     &g16,
     3,
     {S_SUB, S_SUB, S_SUB},
     {{1}, {0}, {0}},
     1000,
     3,
     3,
     1,
     1,
     208,
     {625, 0, 0},
     {33},
     0,
     625},
    {"a missing evaluation: B still a draft, the total is A's alone and not complete",
     NULL,
     2,
     {S_SUB, S_DRAFT},
     {{8, 7, 9, 6, 10, 5}, {6, 5, 7, 4, -1, -1}},
     0,
     2,
     1,
     0,
     1,
     7650,
     {7650, -1},
     {800, 700, 900, 600, 1000, 500},
     0,
     0},
    {"nobody submitted yet: no total",
     NULL,
     2,
     {S_DECL, S_DRAFT},
     {{-1, -1, -1, -1, -1, -1}, {6, 5, -1, -1, -1, -1}},
     0,
     2,
     0,
     0,
     0,
     0,
     {-1, -1},
     {0},
     0,
     0},
    {"a declared conflict is not expected: complete with the others",
     NULL,
     3,
     {S_SUB, S_CONF, S_SUB},
     {{8, 7, 9, 6, 10, 5}, {-1, -1, -1, -1, -1, -1}, {6, 5, 7, 4, 8, 3}},
     2500,
     2,
     2,
     1,
     1,
     6650,
     {7650, -1, 5650},
     {700, 600, 800, 500, 900, 400},
     0,
     2000},
    {"only conflicts: never complete",
     NULL,
     1,
     {S_CONF},
     {{-1, -1, -1, -1, -1, -1}},
     0,
     0,
     0,
     0,
     0,
     0,
     {-1},
     {0},
     0,
     0},
    {"a submitted evaluation missing a criterion (grid changed) does not count",
     NULL,
     2,
     {S_SUB, S_SUB},
     {{8, 7, 9, 6, 10, 5}, {6, 5, 7, 4, 8, -1}},
     0,
     2,
     1,
     0,
     1,
     7650,
     {7650, -1},
     {800, 700, 900, 600, 1000, 500},
     0,
     0},
};

static void
test_summary(void **state)
{
        (void)state;
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                const struct summary_case *tc = &cases[i];
                const struct scoring_grid *g = tc->grid ? tc->grid : scoring_default_grid();
                struct evaluation_sheet sheets[MAXE];
                struct evaluation_summary s;
                print_message("summary: %s\n", tc->name);
                for (size_t e = 0; e < tc->n; e++) {
                        sheets[e].state = (enum evaluation_state)tc->states[e];
                        sheets[e].scores = tc->scores[e];
                }
                assert_int_equal(evaluation_summarize(g, sheets, tc->n, tc->gap, &s), 0);
                assert_int_equal(s.assigned, tc->n);
                assert_int_equal(s.expected, tc->expected);
                assert_int_equal(s.submitted, tc->submitted);
                assert_int_equal(s.complete, tc->complete);
                assert_int_equal(s.has_total, tc->has_total);
                assert_int_equal(s.total, tc->total);
                for (size_t e = 0; e < tc->n; e++)
                        assert_int_equal(s.own[e], tc->own[e]);
                if (tc->has_total)
                        for (size_t k = 0; k < g->n; k++)
                                assert_int_equal(s.means[k], tc->means[k]);
                assert_int_equal(s.disagreement, tc->disagreement);
                assert_int_equal(s.spread, tc->spread);
        }
}

static void
test_summary_refused(void **state)
{
        const struct scoring_grid *g = scoring_default_grid();
        static const long long bad[MAXC] = {11, 0, 0, 0, 0, 0};
        struct evaluation_sheet one = {EVALUATION_SUBMITTED, bad};
        struct evaluation_summary s;

        (void)state;
        assert_int_equal(evaluation_summarize(g, &one, 1, 0, &s), -1);
        one.scores = cases[0].scores[0];
        assert_int_equal(evaluation_summarize(g, &one, 1, -1, &s), -1);
        assert_int_equal(evaluation_summarize(g, &one, SCORING_MAX_EVALS + 1, 0, &s), -1);
        assert_int_equal(evaluation_summarize(g, &one, 1, 0, &s), 0);
        assert_int_equal(s.total, 7650);
}

struct apply_case {
        const char *name;
        struct evaluation_score_text in[3];
        size_t n;
        long long before[MAXC], after[MAXC];
        const char *bad_field; /* NULL: accepted */
};

static const struct apply_case apply_cases[] = {
    {"two scores set, the others kept",
     {{"innovation", "7"}, {"economic_viability", " 10 "}},
     2,
     {1, 2, 3, 4, 5, 6},
     {10, 2, 7, 4, 5, 6},
     NULL},
    {"zero and a cleared score",
     {{"innovation", "0"}, {"gender_equality", ""}},
     2,
     {1, 2, 3, 4, 5, 6},
     {1, 2, 0, 4, -1, 6},
     NULL},
    {"max + 1",
     {{"innovation", "11"}},
     1,
     {1, 2, 3, 4, 5, 6},
     {1, 2, 3, 4, 5, 6},
     "scores.innovation"},
    {"-1", {{"innovation", "-1"}}, 1, {1, 2, 3, 4, 5, 6}, {1, 2, 3, 4, 5, 6}, "scores.innovation"},
    {"not a whole number",
     {{"innovation", "7.5"}},
     1,
     {1, 2, 3, 4, 5, 6},
     {1, 2, 3, 4, 5, 6},
     "scores.innovation"},
    {"not a number",
     {{"innovation", "seven"}},
     1,
     {1, 2, 3, 4, 5, 6},
     {1, 2, 3, 4, 5, 6},
     "scores.innovation"},
    {"too many digits",
     {{"innovation", "000007"}},
     1,
     {1, 2, 3, 4, 5, 6},
     {1, 2, 3, 4, 5, 6},
     "scores.innovation"},
    {"an unknown criterion",
     {{"beauty", "5"}},
     1,
     {1, 2, 3, 4, 5, 6},
     {1, 2, 3, 4, 5, 6},
     "scores.beauty"},
};

static void
test_apply_scores(void **state)
{
        const struct scoring_grid *g = scoring_default_grid();

        (void)state;
        for (size_t i = 0; i < sizeof(apply_cases) / sizeof(apply_cases[0]); i++) {
                const struct apply_case *tc = &apply_cases[i];
                struct arena *a = arena_new();
                struct errs e;
                long long scores[MAXC];
                print_message("apply: %s\n", tc->name);
                errs_init(&e, a, LANG_EN);
                memcpy(scores, tc->before, sizeof(scores));
                int rc = evaluation_apply_scores(g, tc->in, tc->n, scores, &e);
                assert_int_equal(rc, tc->bad_field ? -1 : 0);
                assert_memory_equal(scores, tc->after, sizeof(scores));
                if (tc->bad_field) {
                        assert_int_equal(e.n, 1);
                        assert_string_equal(e.list[0].field, tc->bad_field);
                } else {
                        assert_int_equal(e.n, 0);
                }
                arena_free(a);
        }
}

static void
test_check_complete(void **state)
{
        const struct scoring_grid *g = scoring_default_grid();
        static const long long full[MAXC] = {0, 10, 5, 5, 5, 5};
        static const long long partial[MAXC] = {1, -1, 5, 5, -1, 5};
        struct arena *a = arena_new();
        struct errs e;

        (void)state;
        errs_init(&e, a, LANG_EN);
        assert_int_equal(evaluation_check_complete(g, full, &e), 0);
        assert_int_equal(e.n, 0);
        assert_int_equal(evaluation_check_complete(g, partial, &e), -1);
        assert_int_equal(e.n, 2);
        assert_string_equal(e.list[0].field, "scores.social_responsibility");
        assert_string_equal(e.list[1].field, "scores.gender_equality");
        arena_free(a);
}

static void
test_states_and_points(void **state)
{
        struct evaluation ev = {0};
        struct arena *a = arena_new();

        (void)state;
        ev.conflict_at = ev.submitted_at = ev.no_conflict_at = "";
        assert_int_equal(evaluation_state_of(&ev), EVALUATION_TO_DECLARE);
        ev.no_conflict_at = "2026-03-01T10:00:00Z";
        assert_int_equal(evaluation_state_of(&ev), EVALUATION_DRAFT);
        ev.submitted_at = "2026-03-02T10:00:00Z";
        assert_int_equal(evaluation_state_of(&ev), EVALUATION_SUBMITTED);
        ev.conflict_at = "2026-03-03T10:00:00Z";
        assert_int_equal(evaluation_state_of(&ev), EVALUATION_CONFLICT);
        for (int s = EVALUATION_TO_DECLARE; s <= EVALUATION_SUBMITTED; s++)
                assert_int_equal(evaluation_state_from_code(evaluation_state_code(s)), s);
        assert_int_equal(evaluation_state_from_code("nope"), -1);

        assert_string_equal(evaluation_points(a, 8735, "."), "87.35");
        assert_string_equal(evaluation_points(a, 8735, ","), "87,35");
        assert_string_equal(evaluation_points(a, 5, "."), "0.05");
        assert_string_equal(evaluation_points(a, 10000, "."), "100.00");
        assert_string_equal(evaluation_points(a, 6650, "."), "66.50");

        static const struct evaluation_score stored[] = {
            {"innovation", 4}, {"gone_criterion", 9}, {"economic_viability", 2}};
        ev.scores = (struct evaluation_score *)stored;
        ev.nscores = 3;
        long long grid[MAXC];
        static const long long want[MAXC] = {2, -1, 4, -1, -1, -1};
        evaluation_scores_in_grid(scoring_default_grid(), &ev, grid);
        assert_memory_equal(grid, want, sizeof(grid));
        arena_free(a);
}

int
main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_summary),           cmocka_unit_test(test_summary_refused),
            cmocka_unit_test(test_apply_scores),      cmocka_unit_test(test_check_complete),
            cmocka_unit_test(test_states_and_points),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
