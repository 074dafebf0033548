/* test_scoring.c: scoring grids, evaluations, exact totals with half-up rounding, disagreement. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "selection/scoring.h"

#define NCRIT 6 /* the default grid */

/*
 * Worked examples. Default grid: weights 25, 20, 15, 15, 15, 10 (W = 100), max 10 each, so
 * total = 100 * sum_k(w_k * S_k / (N * 10)) / 100 = sum_k(w_k * S_k) / (10 N) points, that is
 * 10 * sum_k(w_k * S_k) / N hundredths, with S_k the sum of the N evaluators' scores.
 */
struct total_case {
        const char *name;
        size_t nevals;
        long long scores[4][NCRIT];
        long long total; /* hundredths */
};

static const struct total_case total_cases[] = {
    /* 25*8 + 20*7 + 15*9 + 15*6 + 15*10 + 10*5 = 200+140+135+90+150+50 = 765: 76.50. */
    {"one evaluator", 1, {{8, 7, 9, 6, 10, 5}}, 7650},
    {"all zero", 1, {{0, 0, 0, 0, 0, 0}}, 0},
    {"all maximum, two evaluators", 2, {{10, 10, 10, 10, 10, 10}, {10, 10, 10, 10, 10, 10}}, 10000},
    /* S = 35, 30, 33, 34, 35, 28; sum w S = 875+600+495+510+525+280 = 3285;
     * 10 * 3285 / 4 = 8212.5 hundredths: exactly 82.125, rounded half up to 82.13. */
    {"four evaluators, exactly .005 rounds up",
     4,
     {{9, 8, 8, 9, 9, 7}, {9, 7, 8, 8, 9, 7}, {8, 7, 9, 8, 8, 7}, {9, 8, 8, 9, 9, 7}},
     8213},
    /* sum w S = 800 + 800 + (225+180+135+135+135+100 = 910) = 2510; 25100 / 3 = 8366.67. */
    {"three evaluators, .6667 rounds up",
     3,
     {{8, 8, 8, 8, 8, 8}, {8, 8, 8, 8, 8, 8}, {9, 9, 9, 9, 9, 10}},
     8367},
    /* sum w S = 800 + 800 + (225+180+135+135+150+90 = 915) = 2515; 25150 / 3 = 8383.33. */
    {"three evaluators, .3333 rounds down",
     3,
     {{8, 8, 8, 8, 8, 8}, {8, 8, 8, 8, 8, 8}, {9, 9, 9, 9, 10, 9}},
     8383},
    /* sum w S = 800 + 900 = 1700; 17000 / 2 = 8500: the mean of 80 and 90. */
    {"two evaluators, exact", 2, {{8, 8, 8, 8, 8, 8}, {9, 9, 9, 9, 9, 9}}, 8500},
};

static void
test_total_default_grid(void **state)
{
        const struct scoring_grid *g = scoring_default_grid();

        (void)state;
        assert_int_equal(scoring_grid_check(g, NULL), SCORING_OK);
        assert_int_equal(g->n, NCRIT);
        for (size_t i = 0; i < sizeof(total_cases) / sizeof(total_cases[0]); i++) {
                const struct total_case *tc = &total_cases[i];
                long long total = -1;
                print_message("total: %s\n", tc->name);
                assert_int_equal(scoring_total(g, &tc->scores[0][0], tc->nevals, &total), 0);
                assert_int_equal(total, tc->total);
        }
}

/* Grids whose fractions have more than two decimals, to pin half up (not half even). */
static void
test_total_other_grids(void **state)
{
        /* One criterion, max 32: total = 100 * s / 32 = 3.125 s points. */
        static const struct scoring_criterion c32[] = {{"only", 1, 32}};
        static const struct scoring_grid g32 = {c32, 1};
        static const struct {
                long long score, total;
        } cases32[] = {
            {0, 0},      {1, 313}, /* 3.125: half up gives 3.13 (half even would give 3.12) */
            {3, 938},              /* 9.375 -> 9.38 */
            {5, 1563},             /* 15.625 -> 15.63 */
            {32, 10000},
        };
        /* Weights 2 and 1, maxima 5 and 3: 100 * (2 * 4/5 + 1 * 2/3) / 3 = 100 * (34/15) / 3
         * = 75.555... -> 75.56. */
        static const struct scoring_criterion cmix[] = {{"a", 2, 5}, {"b", 1, 3}};
        static const struct scoring_grid gmix = {cmix, 2};
        const long long mix[] = {4, 2};
        long long total;

        (void)state;
        for (size_t i = 0; i < sizeof(cases32) / sizeof(cases32[0]); i++) {
                assert_int_equal(scoring_total(&g32, &cases32[i].score, 1, &total), 0);
                assert_int_equal(total, cases32[i].total);
        }
        assert_int_equal(scoring_grid_check(&gmix, NULL), SCORING_OK);
        assert_int_equal(scoring_total(&gmix, mix, 1, &total), 0);
        assert_int_equal(total, 7556);
}

static void
test_total_refuses(void **state)
{
        const struct scoring_grid *g = scoring_default_grid();
        const long long too_high[NCRIT] = {11, 0, 0, 0, 0, 0};
        const long long negative[NCRIT] = {0, 0, 0, 0, 0, -1};
        const long long fine[NCRIT] = {1, 2, 3, 4, 5, 6};
        long long total = 42, means[NCRIT];

        (void)state;
        assert_int_equal(scoring_total(g, fine, 0, &total), -1);
        assert_int_equal(scoring_total(g, too_high, 1, &total), -1);
        assert_int_equal(scoring_total(g, negative, 1, &total), -1);
        assert_int_equal(scoring_total(g, fine, SCORING_MAX_EVALS + 1, &total), -1);
        assert_int_equal(total, 42);
        assert_int_equal(scoring_means(g, fine, 0, means), -1);
}

static void
test_means(void **state)
{
        static const struct scoring_criterion c1[] = {{"only", 1, 10}};
        static const struct scoring_grid g1 = {c1, 1};
        const struct scoring_grid *g = scoring_default_grid();
        /* 7, 8, 8: 23 / 3 = 7.666... -> 7.67; 10, 9, 10: 29 / 3 = 9.666 -> 9.67; 0, 0, 1: 0.33;
         * 5, 5, 5: 5.00; 6, 7, 7: 6.67; 3, 4, 4: 3.67. */
        const long long three[3][NCRIT] = {
            {7, 10, 0, 5, 6, 3}, {8, 9, 0, 5, 7, 4}, {8, 10, 1, 5, 7, 4}};
        const long long expect[NCRIT] = {767, 967, 33, 500, 667, 367};
        /* Eight evaluators, one of whom gives 1: 1 / 8 = 0.125 -> 0.13 (half up). */
        const long long eight[8] = {1, 0, 0, 0, 0, 0, 0, 0};
        /* 7 and 8: 7.5 exactly. */
        const long long two[2] = {7, 8};
        long long means[NCRIT];

        (void)state;
        assert_int_equal(scoring_means(g, &three[0][0], 3, means), 0);
        for (size_t k = 0; k < NCRIT; k++)
                assert_int_equal(means[k], expect[k]);
        assert_int_equal(scoring_means(&g1, eight, 8, means), 0);
        assert_int_equal(means[0], 13);
        assert_int_equal(scoring_means(&g1, two, 2, means), 0);
        assert_int_equal(means[0], 750);
}

struct disagree_case {
        const char *name;
        size_t nevals;
        long long scores[3][NCRIT];
        long long gap;
        int flag;
        long long spread;
};

static const struct disagree_case disagree_cases[] = {
    /* 80.00 and 90.00: a difference of exactly the gap is not a disagreement. */
    {"exactly the gap", 2, {{8, 8, 8, 8, 8, 8}, {9, 9, 9, 9, 9, 9}}, 1000, 0, 1000},
    {"one hundredth above the gap", 2, {{8, 8, 8, 8, 8, 8}, {9, 9, 9, 9, 9, 9}}, 999, 1, 1000},
    /* 80.00, 90.00 and 91.00 (910 / 10): the spread is between the first and the third. */
    {"largest pair counts",
     3,
     {{8, 8, 8, 8, 8, 8}, {9, 9, 9, 9, 9, 9}, {9, 9, 9, 9, 9, 10}},
     1000,
     1,
     1100},
    {"one evaluator never disagrees", 1, {{0, 0, 0, 0, 0, 0}}, 0, 0, 0},
    {"different criteria, gap 0", 2, {{10, 0, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 10}}, 0, 1, 1500},
    {"identical, gap 0", 2, {{5, 5, 5, 5, 5, 5}, {5, 5, 5, 5, 5, 5}}, 0, 0, 0},
};

static void
test_disagreement(void **state)
{
        const struct scoring_grid *g = scoring_default_grid();
        int flag;
        long long spread;

        (void)state;
        for (size_t i = 0; i < sizeof(disagree_cases) / sizeof(disagree_cases[0]); i++) {
                const struct disagree_case *dc = &disagree_cases[i];
                print_message("disagreement: %s\n", dc->name);
                flag = -1;
                spread = -1;
                assert_int_equal(
                    scoring_disagreement(g, &dc->scores[0][0], dc->nevals, dc->gap, &flag, &spread),
                    0);
                assert_int_equal(flag, dc->flag);
                assert_int_equal(spread, dc->spread);
        }
        assert_int_equal(
            scoring_disagreement(g, &disagree_cases[0].scores[0][0], 2, -1, &flag, NULL), -1);
        assert_int_equal(
            scoring_disagreement(g, &disagree_cases[0].scores[0][0], 0, 100, &flag, NULL), -1);
}

struct grid_case {
        const char *name;
        struct scoring_criterion c[4];
        size_t n;
        enum scoring_error err;
        size_t bad;
};

static const struct grid_case grid_cases[] = {
    {"valid", {{"a", 1, 10}, {"b_2", 1000, 1000}}, 2, SCORING_OK, 0},
    {"empty", {{"a", 1, 10}}, 0, SCORING_EMPTY_GRID, 0},
    {"duplicate key", {{"a", 1, 10}, {"b", 1, 10}, {"a", 2, 5}}, 3, SCORING_DUPLICATE_KEY, 2},
    {"weight zero", {{"a", 1, 10}, {"b", 0, 10}}, 2, SCORING_BAD_WEIGHT, 1},
    {"weight negative", {{"a", -5, 10}}, 1, SCORING_BAD_WEIGHT, 0},
    {"weight too large", {{"a", 1001, 10}}, 1, SCORING_BAD_WEIGHT, 0},
    {"max zero", {{"a", 1, 0}}, 1, SCORING_BAD_MAX, 0},
    {"max negative", {{"a", 1, 10}, {"b", 1, -10}}, 2, SCORING_BAD_MAX, 1},
    {"max too large", {{"a", 1, 1001}}, 1, SCORING_BAD_MAX, 0},
    {"key with capital", {{"Innovation", 1, 10}}, 1, SCORING_BAD_KEY, 0},
    {"key starting with a digit", {{"1a", 1, 10}}, 1, SCORING_BAD_KEY, 0},
    {"key with a space", {{"a", 1, 10}, {"gender equality", 1, 10}}, 2, SCORING_BAD_KEY, 1},
    {"empty key", {{"", 1, 10}}, 1, SCORING_BAD_KEY, 0},
    {"null key", {{NULL, 1, 10}}, 1, SCORING_BAD_KEY, 0},
    {"key too long", {{"abcdefghijklmnopqrstuvwxyz_abcdefg", 1, 10}}, 1, SCORING_BAD_KEY, 0},
    /* 997 * 991 = 988027 is within the bound; times 983 it is not. */
    {"maxima still combinable", {{"a", 1, 997}, {"b", 1, 991}, {"c", 1, 991}}, 3, SCORING_OK, 0},
    {"maxima too varied",
     {{"a", 1, 997}, {"b", 1, 991}, {"c", 1, 983}},
     3,
     SCORING_MAXIMA_TOO_VARIED,
     2},
};

static void
test_grid_check(void **state)
{
        (void)state;
        for (size_t i = 0; i < sizeof(grid_cases) / sizeof(grid_cases[0]); i++) {
                const struct grid_case *gc = &grid_cases[i];
                struct scoring_grid g = {gc->c, gc->n};
                size_t bad = 99;
                print_message("grid: %s\n", gc->name);
                assert_int_equal(scoring_grid_check(&g, &bad), gc->err);
                if (gc->err != SCORING_OK && gc->err != SCORING_EMPTY_GRID)
                        assert_int_equal(bad, gc->bad);
        }
}

static void
test_grid_too_many(void **state)
{
        static char keys[SCORING_MAX_CRITERIA + 1][8];
        struct scoring_criterion c[SCORING_MAX_CRITERIA + 1];
        struct scoring_grid g = {c, SCORING_MAX_CRITERIA};

        (void)state;
        for (size_t k = 0; k <= SCORING_MAX_CRITERIA; k++) {
                keys[k][0] = 'k';
                keys[k][1] = (char)('a' + k / 26);
                keys[k][2] = (char)('a' + k % 26);
                keys[k][3] = '\0';
                c[k] = (struct scoring_criterion){keys[k], 1, 10};
        }
        assert_int_equal(scoring_grid_check(&g, NULL), SCORING_OK);
        g.n++;
        assert_int_equal(scoring_grid_check(&g, NULL), SCORING_TOO_MANY_CRITERIA);
}

struct eval_case {
        const char *name;
        struct scoring_entry e[8];
        size_t n;
        enum scoring_error err;
        size_t bad;
};

#define FULL_REVERSED                                                                              \
        {"national_alignment", 5}, {"gender_equality", 10}, {"territorial_approach", 6},           \
            {"innovation", 9}, {"social_responsibility", 7},                                       \
        {                                                                                          \
                "economic_viability", 8                                                            \
        }

static const struct eval_case eval_cases[] = {
    {"complete, any order", {FULL_REVERSED}, 6, SCORING_OK, 0},
    {"missing criterion",
     {{"economic_viability", 8},
      {"social_responsibility", 7},
      {"innovation", 9},
      {"territorial_approach", 6},
      {"national_alignment", 5}},
     5,
     SCORING_MISSING_SCORE,
     4 /* gender_equality is the grid's fifth criterion */},
    {"unknown key", {FULL_REVERSED, {"beauty", 3}}, 7, SCORING_UNKNOWN_KEY, 6},
    {"null key", {{NULL, 3}, FULL_REVERSED}, 7, SCORING_UNKNOWN_KEY, 0},
    {"scored twice", {FULL_REVERSED, {"innovation", 9}}, 7, SCORING_DUPLICATE_SCORE, 6},
    {"above max", {{"innovation", 11}, FULL_REVERSED}, 7, SCORING_SCORE_OUT_OF_RANGE, 0},
    {"negative", {{"innovation", -1}}, 1, SCORING_SCORE_OUT_OF_RANGE, 0},
    {"empty evaluation", {{NULL, 0}}, 0, SCORING_MISSING_SCORE, 0},
};

static void
test_evaluation_check(void **state)
{
        const struct scoring_grid *g = scoring_default_grid();
        const long long expect[NCRIT] = {8, 7, 9, 6, 10, 5};

        (void)state;
        for (size_t i = 0; i < sizeof(eval_cases) / sizeof(eval_cases[0]); i++) {
                const struct eval_case *ec = &eval_cases[i];
                long long scores[NCRIT];
                size_t bad = 99;
                print_message("evaluation: %s\n", ec->name);
                assert_int_equal(scoring_evaluation_check(g, ec->e, ec->n, scores, &bad), ec->err);
                if (ec->err != SCORING_OK) {
                        assert_int_equal(bad, ec->bad);
                        continue;
                }
                for (size_t k = 0; k < NCRIT; k++)
                        assert_int_equal(scores[k], expect[k]);
        }
}

static void
test_codes(void **state)
{
        (void)state;
        assert_int_equal(scoring_grid_find(scoring_default_grid(), "gender_equality"), 4);
        assert_int_equal(scoring_grid_find(scoring_default_grid(), "nope"), -1);
        assert_string_equal(scoring_error_code(SCORING_DUPLICATE_KEY), "duplicate_key");
        assert_string_equal(scoring_error_code(SCORING_SCORE_OUT_OF_RANGE), "score_out_of_range");
        for (int e = SCORING_OK; e <= SCORING_SCORE_OUT_OF_RANGE; e++) {
                assert_string_not_equal(scoring_error_code((enum scoring_error)e), "unknown");
                assert_non_null(scoring_error_message((enum scoring_error)e));
        }
        assert_string_equal(scoring_error_code((enum scoring_error)99), "unknown");
}

int
main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_total_default_grid),
            cmocka_unit_test(test_total_other_grids),
            cmocka_unit_test(test_total_refuses),
            cmocka_unit_test(test_means),
            cmocka_unit_test(test_disagreement),
            cmocka_unit_test(test_grid_check),
            cmocka_unit_test(test_grid_too_many),
            cmocka_unit_test(test_evaluation_check),
            cmocka_unit_test(test_codes),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
