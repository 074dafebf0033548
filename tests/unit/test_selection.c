/* test_selection.c: ranking and tie-breaks, drawn orders, seats, national pool, waitlist,
 * promotion. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/arena.h"
#include "selection/selection.h"

#define T0 "2026-03-01T10:00:00Z"

/* A ranked candidate: id, region, total; the other keys equal unless a test sets them. */
#define C(id, region, total)                                                                       \
        {                                                                                          \
                (id), (region), (total), 500, 5, 10, T0, 1, 1                                      \
        }

static struct arena *arena;

static int
setup(void **state)
{
        (void)state;
        arena = arena_new();
        return 0;
}

static int
teardown(void **state)
{
        (void)state;
        arena_free(arena);
        return 0;
}

static const struct sel_outcome *
outcome(const struct sel_result *r, long long id)
{
        for (size_t i = 0; i < r->n; i++)
                if (r->outcomes[i].id == id)
                        return &r->outcomes[i];
        fail_msg("no outcome for id %lld", id);
        return NULL;
}

static const struct sel_region *
region(const struct sel_result *r, const char *code)
{
        for (size_t i = 0; i < r->nregions; i++)
                if (strcmp(r->regions[i].region, code) == 0)
                        return &r->regions[i];
        fail_msg("no region %s", code);
        return NULL;
}

/* Two candidates, ids 1 and 2, that differ at one level of the ranking. */
struct tiebreak_case {
        const char *name;
        struct sel_candidate a, b;
        long long first; /* id ranked first */
        enum sel_by by;  /* what separates the second from the first */
};

static const struct tiebreak_case tiebreak_cases[] = {
    {"total", C(1, "01", 8000), C(2, "01", 8001), 2, SEL_BY_TOTAL},
    {"gender-equality mean",
     {1, "01", 8000, 700, 5, 10, T0, 1, 1},
     {2, "01", 8000, 699, 9, 10, "2020-01-01T00:00:00Z", 1, 1},
     1,
     SEL_BY_GENDER},
    /* 3/10 = 0.3 against 1/3 = 0.333: the larger share wins, though it has fewer women. */
    {"share of women",
     {1, "01", 8000, 500, 3, 10, "2020-01-01T00:00:00Z", 1, 1},
     {2, "01", 8000, 500, 1, 3, T0, 1, 1},
     2,
     SEL_BY_WOMEN_SHARE},
    /* 1/2 = 5/10: equal shares, so the earlier submission decides. */
    {"equal shares, earlier submission",
     {1, "01", 8000, 500, 5, 10, "2026-03-01T10:00:01Z", 1, 1},
     {2, "01", 8000, 500, 1, 2, "2026-03-01T10:00:00Z", 1, 1},
     2,
     SEL_BY_SUBMISSION},
    /* No members counts as a share of 0, like 0 of 7. */
    {"no members is a share of 0",
     {1, "01", 8000, 500, 0, 0, "2026-03-01T10:00:01Z", 1, 1},
     {2, "01", 8000, 500, 0, 7, "2026-03-01T10:00:00Z", 1, 1},
     2,
     SEL_BY_SUBMISSION},
    /* Byte order would put ".5Z" before "Z" ('.' < 'Z'); time order does not. */
    {"fraction of a second",
     {1, "01", 8000, 500, 5, 10, "2026-03-01T10:00:05.5Z", 1, 1},
     {2, "01", 8000, 500, 5, 10, "2026-03-01T10:00:05Z", 1, 1},
     2,
     SEL_BY_SUBMISSION},
    {"earlier day, later hour",
     {1, "01", 8000, 500, 5, 10, "2026-03-02 08:00:00", 1, 1},
     {2, "01", 8000, 500, 5, 10, "2026-03-01T23:59:59.999999999Z", 1, 1},
     2,
     SEL_BY_SUBMISSION},
};

static void
test_tiebreak_levels(void **state)
{
        (void)state;
        for (size_t i = 0; i < sizeof(tiebreak_cases) / sizeof(tiebreak_cases[0]); i++) {
                const struct tiebreak_case *tc = &tiebreak_cases[i];
                struct sel_candidate cands[2] = {tc->a, tc->b};
                struct sel_input in = {cands, 2, NULL, 0, 0, 0};
                struct sel_result r;
                struct sel_tie_group *groups;
                size_t ngroups;

                print_message("tie-break: %s\n", tc->name);
                assert_int_equal(selection_ties(&in, arena, &groups, &ngroups, NULL), SEL_OK);
                assert_int_equal(ngroups, 0);
                assert_int_equal(selection_run(&in, NULL, 0, arena, &r, NULL), SEL_OK);
                assert_int_equal(r.n, 2);
                assert_int_equal(r.outcomes[0].id, tc->first);
                assert_int_equal(r.outcomes[0].rank, 1);
                assert_int_equal(r.outcomes[0].by, SEL_BY_NONE);
                assert_int_equal(r.outcomes[1].rank, 2);
                assert_int_equal(r.outcomes[1].by, tc->by);
                /* No seats: both wait, in rank order. */
                assert_int_equal(r.outcomes[0].status, SEL_WAITLISTED);
                assert_int_equal(r.outcomes[0].waitlist, 1);
                assert_int_equal(r.outcomes[1].waitlist, 2);
        }
}

/*
 * Ranked: 4 (90.00) first; 3, 7 and 9 tied at 80.00 on every rule; 11 and 12 tied at 40.00, below
 * the minimum of 50.00, so no draw is needed for them; 5 ineligible.
 */
static const struct sel_candidate tied[] = {
    C(7, "01", 8000),
    C(3, "02", 8000),
    C(12, "01", 4000),
    C(9, "01", 8000),
    C(4, "02", 9000),
    C(11, "02", 4000),
    {5, "01", 9500, 500, 5, 10, T0, 0, 1},
};

static void
test_ties_reported_and_resolved(void **state)
{
        struct sel_input in = {tied, sizeof(tied) / sizeof(tied[0]), NULL, 0, 0, 5000};
        struct sel_tie_group *groups;
        size_t ngroups;
        struct sel_result r;
        const long long drawn[] = {9, 3, 7};
        const struct sel_tie_order order = {drawn, 3};

        (void)state;
        assert_int_equal(selection_ties(&in, arena, &groups, &ngroups, NULL), SEL_OK);
        assert_int_equal(ngroups, 1);
        assert_int_equal(groups[0].n, 3);
        assert_int_equal(groups[0].ids[0], 3); /* canonical order: by id */
        assert_int_equal(groups[0].ids[1], 7);
        assert_int_equal(groups[0].ids[2], 9);
        assert_int_equal(groups[0].total, 8000);
        assert_int_equal(groups[0].first_rank, 2);

        /* Without the drawn order the run does not guess. */
        assert_int_equal(selection_run(&in, NULL, 0, arena, &r, NULL), SEL_NEEDS_DRAW);
        assert_int_equal(r.n, 0);
        assert_int_equal(r.npending, 1);
        assert_int_equal(r.pending[0].n, 3);
        assert_int_equal(r.pending[0].ids[0], 3);

        assert_int_equal(selection_run(&in, &order, 1, arena, &r, NULL), SEL_OK);
        assert_int_equal(r.npending, 0);
        assert_int_equal(r.n, 7);
        static const struct {
                long long id, rank;
                enum sel_by by;
                int shared;
        } expect[] = {
            {4, 1, SEL_BY_NONE, 0}, {9, 2, SEL_BY_TOTAL, 0},  {3, 3, SEL_BY_DRAW, 0},
            {7, 4, SEL_BY_DRAW, 0}, {11, 5, SEL_BY_TOTAL, 1}, {12, 5, SEL_BY_NONE, 1},
            {5, 0, SEL_BY_NONE, 0},
        };
        for (size_t i = 0; i < sizeof(expect) / sizeof(expect[0]); i++) {
                assert_int_equal(r.outcomes[i].id, expect[i].id);
                assert_int_equal(r.outcomes[i].rank, expect[i].rank);
                assert_int_equal(r.outcomes[i].by, expect[i].by);
                assert_int_equal(r.outcomes[i].shared_rank, expect[i].shared);
        }
        assert_int_equal(outcome(&r, 11)->status, SEL_REJECTED_BELOW_MINIMUM);
        assert_int_equal(outcome(&r, 12)->reason, SEL_REASON_BELOW_MINIMUM);
        assert_int_equal(outcome(&r, 5)->status, SEL_NOT_RANKED_INELIGIBLE);
}

static void
test_two_groups_one_drawn(void **state)
{
        static const struct sel_candidate cands[] = {
            C(1, "01", 8000), C(2, "01", 8000), C(3, "01", 7000),
            C(4, "01", 7000), C(5, "01", 7000),
        };
        struct sel_input in = {cands, 5, NULL, 0, 0, 0};
        const long long drawn[] = {5, 3, 4};
        const struct sel_tie_order order = {drawn, 3};
        struct sel_result r;

        (void)state;
        assert_int_equal(selection_run(&in, &order, 1, arena, &r, NULL), SEL_NEEDS_DRAW);
        assert_int_equal(r.npending, 1);
        assert_int_equal(r.pending[0].n, 2);
        assert_int_equal(r.pending[0].ids[0], 1);
        assert_int_equal(r.pending[0].ids[1], 2);
        assert_int_equal(r.pending[0].first_rank, 1);
}

struct order_case {
        const char *name;
        long long ids[2][5];
        size_t n[2];
        size_t norders;
        enum sel_error err;
        size_t index;
};

static const struct order_case order_cases[] = {
    {"a subset of the group", {{3, 7}}, {2}, 1, SEL_ERR_STALE_ORDER, 0},
    {"the group and one more", {{3, 7, 9, 4}}, {4}, 1, SEL_ERR_STALE_ORDER, 0},
    {"an id twice", {{3, 3, 7}}, {3}, 1, SEL_ERR_BAD_ORDER, 0},
    {"a single id", {{3}}, {1}, 1, SEL_ERR_BAD_ORDER, 0},
    {"an unknown id", {{3, 7, 999}}, {3}, 1, SEL_ERR_STALE_ORDER, 0},
    {"ties below the minimum need no draw", {{12, 11}}, {2}, 1, SEL_ERR_STALE_ORDER, 0},
    {"not tied", {{4, 9}}, {2}, 1, SEL_ERR_STALE_ORDER, 0},
    {"the same group twice", {{9, 3, 7}, {7, 3, 9}}, {3, 3}, 2, SEL_ERR_STALE_ORDER, 1},
};

static void
test_bad_orders(void **state)
{
        struct sel_input in = {tied, sizeof(tied) / sizeof(tied[0]), NULL, 0, 0, 5000};

        (void)state;
        for (size_t i = 0; i < sizeof(order_cases) / sizeof(order_cases[0]); i++) {
                const struct order_case *oc = &order_cases[i];
                struct sel_tie_order orders[2];
                struct sel_problem p = {SEL_ERR_NONE, 99};
                struct sel_result r;
                print_message("order: %s\n", oc->name);
                for (size_t o = 0; o < oc->norders; o++)
                        orders[o] = (struct sel_tie_order){oc->ids[o], oc->n[o]};
                assert_int_equal(selection_run(&in, orders, oc->norders, arena, &r, &p),
                                 SEL_INVALID);
                assert_int_equal(p.code, oc->err);
                assert_int_equal(p.index, oc->index);
                assert_int_equal(r.n, 0);
        }
}

/*
 * Seats: 01 has 2, 02 has 1, 03 has 2, 04 none; minimum 50.00. Rank order:
 *   1 (01, 90.00)  8 (04, 88.00)  2 (01, 85.00)  3 (01, 80.00)  6 (03, 70.00)
 *   4 (01, 60.00)  9 (04, 50.00)  7 (03, 45.00)  5 (02, 40.00)
 * Regional seats: 01 takes 1 and 2; 02's only candidate is below the minimum; 03 takes 6 and its
 * other candidate is below the minimum. Left empty: 02's seat and one of 03's, 2 in all, which
 * the national pool gives to the best remaining of any region: 8 (a region without seats) and 3.
 * Waitlist: 4 then 9 (exactly the minimum). Rejected: 7 and 5. Not ranked: 10 (ineligible) and
 * 11 (not fully scored).
 */
static const struct sel_candidate pool_cands[] = {
    C(1, "01", 9000),
    C(2, "01", 8500),
    C(3, "01", 8000),
    C(4, "01", 6000),
    C(5, "02", 4000),
    C(6, "03", 7000),
    C(7, "03", 4500),
    C(8, "04", 8800),
    C(9, "04", 5000),
    {10, "01", 9900, 900, 9, 10, T0, 0, 1},
    {11, "03", 0, 0, 0, 0, NULL, 1, 0},
};
static const struct sel_seats pool_seats[] = {{"01", 2}, {"02", 1}, {"03", 2}};

struct expect_outcome {
        long long id, rank;
        enum sel_status status;
        enum sel_reason reason;
        long long waitlist, region_waitlist;
};

static void
check_outcomes(const struct sel_result *r, const struct expect_outcome *e, size_t n)
{
        assert_int_equal(r->n, n);
        for (size_t i = 0; i < n; i++) {
                const struct sel_outcome *o = &r->outcomes[i];
                assert_int_equal(o->id, e[i].id);
                assert_int_equal(o->rank, e[i].rank);
                assert_string_equal(selection_status_code(o->status),
                                    selection_status_code(e[i].status));
                assert_string_equal(selection_reason_code(o->reason),
                                    selection_reason_code(e[i].reason));
                assert_int_equal(o->waitlist, e[i].waitlist);
                assert_int_equal(o->region_waitlist, e[i].region_waitlist);
        }
}

static void
run_pool(int national_pool, struct sel_result *r)
{
        struct sel_input in = {pool_cands,    sizeof(pool_cands) / sizeof(pool_cands[0]),
                               pool_seats,    3,
                               national_pool, 5000};
        struct sel_problem p = {SEL_ERR_NONE, 0};

        assert_int_equal(selection_run(&in, NULL, 0, arena, r, &p), SEL_OK);
        assert_int_equal(p.code, SEL_ERR_NONE);
}

static void
test_seats_and_national_pool(void **state)
{
        static const struct expect_outcome e[] = {
            {1, 1, SEL_SELECTED_REGIONAL, SEL_REASON_REGIONAL_SEAT, 0, 0},
            {8, 2, SEL_SELECTED_NATIONAL, SEL_REASON_NATIONAL_POOL, 0, 0},
            {2, 3, SEL_SELECTED_REGIONAL, SEL_REASON_REGIONAL_SEAT, 0, 0},
            {3, 4, SEL_SELECTED_NATIONAL, SEL_REASON_NATIONAL_POOL, 0, 0},
            {6, 5, SEL_SELECTED_REGIONAL, SEL_REASON_REGIONAL_SEAT, 0, 0},
            {4, 6, SEL_WAITLISTED, SEL_REASON_SEATS_FULL, 1, 1},
            {9, 7, SEL_WAITLISTED, SEL_REASON_SEATS_FULL, 2, 1},
            {7, 8, SEL_REJECTED_BELOW_MINIMUM, SEL_REASON_BELOW_MINIMUM, 0, 0},
            {5, 9, SEL_REJECTED_BELOW_MINIMUM, SEL_REASON_BELOW_MINIMUM, 0, 0},
            {10, 0, SEL_NOT_RANKED_INELIGIBLE, SEL_REASON_INELIGIBLE, 0, 0},
            {11, 0, SEL_NOT_RANKED_UNSCORED, SEL_REASON_NOT_FULLY_SCORED, 0, 0},
        };
        struct sel_result r;

        (void)state;
        run_pool(1, &r);
        check_outcomes(&r, e, sizeof(e) / sizeof(e[0]));
        assert_int_equal(r.national_seats, 2);
        assert_int_equal(r.national_filled, 2);
        assert_int_equal(r.nregions, 4); /* 01..03 from the seats, 04 from a candidate */
        assert_int_equal(region(&r, "01")->filled, 2);
        assert_int_equal(region(&r, "01")->waitlisted, 1);
        assert_int_equal(region(&r, "02")->seats, 1);
        assert_int_equal(region(&r, "02")->filled, 0);
        assert_int_equal(region(&r, "03")->filled, 1);
        assert_int_equal(region(&r, "04")->seats, 0);
        assert_int_equal(region(&r, "04")->waitlisted, 1);
}

static void
test_seats_without_pool(void **state)
{
        /* The empty seats stay empty: 8 and 3 wait, ahead of 4 and 9. */
        static const struct expect_outcome e[] = {
            {1, 1, SEL_SELECTED_REGIONAL, SEL_REASON_REGIONAL_SEAT, 0, 0},
            {8, 2, SEL_WAITLISTED, SEL_REASON_SEATS_FULL, 1, 1},
            {2, 3, SEL_SELECTED_REGIONAL, SEL_REASON_REGIONAL_SEAT, 0, 0},
            {3, 4, SEL_WAITLISTED, SEL_REASON_SEATS_FULL, 2, 1},
            {6, 5, SEL_SELECTED_REGIONAL, SEL_REASON_REGIONAL_SEAT, 0, 0},
            {4, 6, SEL_WAITLISTED, SEL_REASON_SEATS_FULL, 3, 2},
            {9, 7, SEL_WAITLISTED, SEL_REASON_SEATS_FULL, 4, 2},
            {7, 8, SEL_REJECTED_BELOW_MINIMUM, SEL_REASON_BELOW_MINIMUM, 0, 0},
            {5, 9, SEL_REJECTED_BELOW_MINIMUM, SEL_REASON_BELOW_MINIMUM, 0, 0},
            {10, 0, SEL_NOT_RANKED_INELIGIBLE, SEL_REASON_INELIGIBLE, 0, 0},
            {11, 0, SEL_NOT_RANKED_UNSCORED, SEL_REASON_NOT_FULLY_SCORED, 0, 0},
        };
        struct sel_result r;

        (void)state;
        run_pool(0, &r);
        check_outcomes(&r, e, sizeof(e) / sizeof(e[0]));
        assert_int_equal(r.national_seats, 0);
        assert_int_equal(r.national_filled, 0);
}

/* The national pool takes the best remaining whatever the region, even one that already filled
 * its own seats, and a region whose only candidate is below the minimum gives its seat away. */
static void
test_pool_takes_best_of_any_region(void **state)
{
        static const struct sel_candidate cands[] = {
            C(1, "01", 9000), C(2, "01", 8900),
            C(3, "01", 8800), C(4, "02", 4999), /* one below the minimum of 50.00 */
            C(5, "03", 7000), C(6, "03", 6000),
        };
        static const struct sel_seats seats[] = {{"01", 1}, {"02", 1}, {"03", 1}};
        struct sel_input in = {cands, 6, seats, 3, 1, 5000};
        struct sel_result r;

        (void)state;
        assert_int_equal(selection_run(&in, NULL, 0, arena, &r, NULL), SEL_OK);
        assert_int_equal(outcome(&r, 1)->status, SEL_SELECTED_REGIONAL);
        assert_int_equal(outcome(&r, 2)->status, SEL_SELECTED_NATIONAL); /* 01 again, not 03 */
        assert_int_equal(outcome(&r, 3)->status, SEL_WAITLISTED);
        assert_int_equal(outcome(&r, 4)->status, SEL_REJECTED_BELOW_MINIMUM);
        assert_int_equal(outcome(&r, 5)->status, SEL_SELECTED_REGIONAL);
        assert_int_equal(outcome(&r, 6)->status, SEL_WAITLISTED);
        assert_int_equal(outcome(&r, 3)->waitlist, 1);
        assert_int_equal(outcome(&r, 6)->waitlist, 2);
        assert_int_equal(outcome(&r, 6)->region_waitlist, 1);
        assert_int_equal(r.national_seats, 1);
}

static void
test_promotion(void **state)
{
        struct sel_result r;
        long long promoted = -1;

        (void)state;
        run_pool(1, &r);
        /* 2 held a regional seat of 01: 4, first on 01's waitlist, takes it (not 9, who is
         * first on no regional list of 01). */
        assert_int_equal(selection_promote(&r, 2, &promoted), 1);
        assert_int_equal(promoted, 4);
        assert_int_equal(outcome(&r, 2)->status, SEL_WITHDRAWN);
        assert_int_equal(outcome(&r, 2)->reason, SEL_REASON_WITHDRAWN);
        assert_int_equal(outcome(&r, 4)->status, SEL_SELECTED_REGIONAL);
        assert_int_equal(outcome(&r, 4)->reason, SEL_REASON_PROMOTED_REGIONAL);
        assert_int_equal(outcome(&r, 4)->waitlist, 0);
        assert_int_equal(outcome(&r, 9)->waitlist, 1); /* renumbered */
        assert_int_equal(region(&r, "01")->filled, 2);
        assert_int_equal(region(&r, "01")->waitlisted, 0);

        /* 6 held a regional seat of 03, whose waitlist is empty (7 is below the minimum): the
         * seat goes to the national pool and 9 (region 04) takes it. */
        assert_int_equal(selection_promote(&r, 6, &promoted), 1);
        assert_int_equal(promoted, 9);
        assert_int_equal(outcome(&r, 9)->status, SEL_SELECTED_NATIONAL);
        assert_int_equal(outcome(&r, 9)->reason, SEL_REASON_PROMOTED_NATIONAL);
        assert_int_equal(r.national_seats, 3);
        assert_int_equal(r.national_filled, 3);
        assert_int_equal(region(&r, "03")->filled, 0);

        /* 8 held a national seat; nobody is left waiting. */
        assert_int_equal(selection_promote(&r, 8, &promoted), 0);
        assert_int_equal(promoted, 0);
        assert_int_equal(r.national_filled, 2);
        assert_int_equal(outcome(&r, 8)->status, SEL_WITHDRAWN);

        /* Twice, or unknown: refused and nothing changes. */
        assert_int_equal(selection_promote(&r, 8, &promoted), -1);
        assert_int_equal(selection_promote(&r, 999, &promoted), -1);
        assert_int_equal(r.national_filled, 2);
}

static void
test_promotion_national_seat(void **state)
{
        struct sel_result r;
        long long promoted = -1;

        (void)state;
        run_pool(1, &r);
        /* 8 held a national seat: the first on the national waitlist (4, rank 6) takes it. */
        assert_int_equal(selection_promote(&r, 8, &promoted), 1);
        assert_int_equal(promoted, 4);
        assert_int_equal(outcome(&r, 4)->status, SEL_SELECTED_NATIONAL);
        assert_int_equal(outcome(&r, 4)->reason, SEL_REASON_PROMOTED_NATIONAL);
        assert_int_equal(outcome(&r, 9)->waitlist, 1);
        assert_int_equal(r.national_filled, 2);

        /* A waitlisted candidate withdraws: nobody is promoted, the waitlist closes up. */
        assert_int_equal(selection_promote(&r, 9, &promoted), 0);
        assert_int_equal(promoted, 0);
        assert_int_equal(outcome(&r, 9)->status, SEL_WITHDRAWN);
        assert_int_equal(outcome(&r, 9)->waitlist, 0);
        assert_int_equal(region(&r, "04")->waitlisted, 0);
}

static void
test_promotion_without_pool(void **state)
{
        struct sel_result r;
        long long promoted = -1;

        (void)state;
        run_pool(0, &r);
        /* 6's region (03) has nobody waiting and the run has no national pool: the seat stays
         * empty although 8, 3, 4 and 9 wait. */
        assert_int_equal(selection_promote(&r, 6, &promoted), 0);
        assert_int_equal(promoted, 0);
        assert_int_equal(outcome(&r, 8)->status, SEL_WAITLISTED);
        /* 1's region (01) has 3 then 4 waiting: 3 comes first, though 8 ranks higher. */
        assert_int_equal(selection_promote(&r, 1, &promoted), 1);
        assert_int_equal(promoted, 3);
        assert_int_equal(outcome(&r, 8)->waitlist, 1);
        assert_int_equal(outcome(&r, 4)->waitlist, 2);
        assert_int_equal(outcome(&r, 4)->region_waitlist, 1);
}

struct input_case {
        const char *name;
        struct sel_candidate c[2];
        size_t n;
        struct sel_seats s[2];
        size_t nseats;
        long long min_score;
        enum sel_error err;
        size_t index;
};

static const struct input_case input_cases[] = {
    {"duplicate id", {C(1, "01", 1), C(1, "02", 2)}, 2, {{0}}, 0, 0, SEL_ERR_DUPLICATE_ID, 1},
    {"id zero", {C(0, "01", 1)}, 1, {{0}}, 0, 0, SEL_ERR_BAD_ID, 0},
    {"no region", {C(1, "01", 1), C(2, NULL, 2)}, 2, {{0}}, 0, 0, SEL_ERR_BAD_REGION, 1},
    {"empty region", {C(1, "", 1)}, 1, {{0}}, 0, 0, SEL_ERR_BAD_REGION, 0},
    {"total above 100", {C(1, "01", 10001)}, 1, {{0}}, 0, 0, SEL_ERR_BAD_TOTAL, 0},
    {"total negative", {C(1, "01", -1)}, 1, {{0}}, 0, 0, SEL_ERR_BAD_TOTAL, 0},
    {"gender mean negative",
     {{1, "01", 1, -1, 0, 0, T0, 1, 1}},
     1,
     {{0}},
     0,
     0,
     SEL_ERR_BAD_GENDER_MEAN,
     0},
    {"more women than members",
     {{1, "01", 1, 0, 11, 10, T0, 1, 1}},
     1,
     {{0}},
     0,
     0,
     SEL_ERR_BAD_MEMBERS,
     0},
    {"impossible date",
     {{1, "01", 1, 0, 0, 0, "2026-02-30T10:00:00Z", 1, 1}},
     1,
     {{0}},
     0,
     0,
     SEL_ERR_BAD_SUBMITTED_AT,
     0},
    {"date without time",
     {{1, "01", 1, 0, 0, 0, "2026-03-01", 1, 1}},
     1,
     {{0}},
     0,
     0,
     SEL_ERR_BAD_SUBMITTED_AT,
     0},
    {"time zone offset",
     {{1, "01", 1, 0, 0, 0, "2026-03-01T10:00:00+01:00", 1, 1}},
     1,
     {{0}},
     0,
     0,
     SEL_ERR_BAD_SUBMITTED_AT,
     0},
    {"empty fraction",
     {{1, "01", 1, 0, 0, 0, "2026-03-01T10:00:00.Z", 1, 1}},
     1,
     {{0}},
     0,
     0,
     SEL_ERR_BAD_SUBMITTED_AT,
     0},
    {"ten digits of fraction",
     {{1, "01", 1, 0, 0, 0, "2026-03-01T10:00:00.0123456789Z", 1, 1}},
     1,
     {{0}},
     0,
     0,
     SEL_ERR_BAD_SUBMITTED_AT,
     0},
    {"no submission time",
     {{1, "01", 1, 0, 0, 0, NULL, 1, 1}},
     1,
     {{0}},
     0,
     0,
     SEL_ERR_BAD_SUBMITTED_AT,
     0},
    {"negative seats", {C(1, "01", 1)}, 1, {{"01", 2}, {"02", -1}}, 2, 0, SEL_ERR_BAD_SEATS, 1},
    {"region seated twice",
     {C(1, "01", 1)},
     1,
     {{"01", 2}, {"01", 1}},
     2,
     0,
     SEL_ERR_BAD_SEAT_REGION,
     1},
    {"seats without region", {C(1, "01", 1)}, 1, {{NULL, 2}}, 1, 0, SEL_ERR_BAD_SEAT_REGION, 0},
    {"minimum above 100", {C(1, "01", 1)}, 1, {{0}}, 0, 10001, SEL_ERR_BAD_MIN_SCORE, 0},
    /* Fields that ranking does not read are not checked for those not ranked. */
    {"unranked candidates are not scored",
     {{1, "01", -5, -5, 9, 1, NULL, 0, 1}, {2, "01", 99999, 0, 0, 0, "junk", 1, 0}},
     2,
     {{0}},
     0,
     0,
     SEL_ERR_NONE,
     0},
};

static void
test_input_checks(void **state)
{
        (void)state;
        for (size_t i = 0; i < sizeof(input_cases) / sizeof(input_cases[0]); i++) {
                const struct input_case *ic = &input_cases[i];
                struct sel_input in = {ic->c, ic->n, ic->s, ic->nseats, 1, ic->min_score};
                struct sel_problem p = {SEL_ERR_NONE, 99};
                struct sel_result r;
                struct sel_tie_group *groups;
                size_t ngroups;
                int expect = ic->err == SEL_ERR_NONE ? SEL_OK : SEL_INVALID;

                print_message("input: %s\n", ic->name);
                assert_int_equal(selection_run(&in, NULL, 0, arena, &r, &p), expect);
                assert_int_equal(selection_ties(&in, arena, &groups, &ngroups, NULL), expect);
                if (expect == SEL_OK)
                        continue;
                assert_string_equal(selection_error_code(p.code), selection_error_code(ic->err));
                assert_int_equal(p.index, ic->index);
        }
}

/* A deterministic generator (a 64-bit LCG) for the replay tests. */
static uint64_t
lcg(uint64_t *s)
{
        *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
        return *s >> 33;
}

#define NGEN 300

static const char *const gen_regions[] = {"01", "02", "03", "04", "05", "06",
                                          "07", "08", "09", "10", "11", "12"};
static const char *const gen_times[] = {"2026-03-01T09:00:00Z", "2026-03-01T09:00:00.25Z",
                                        "2026-03-02 08:00:00", "2026-03-02T08:00:00Z"};

static void
generate(struct sel_candidate *c, size_t n, uint64_t seed)
{
        for (size_t i = 0; i < n; i++) {
                long long members = (long long)(lcg(&seed) % 4); /* 0..3: many equal shares */
                c[i].id = (long long)i * 7 + 3;
                c[i].region = gen_regions[lcg(&seed) % 12];
                c[i].total = 4000 + (long long)(lcg(&seed) % 12) * 500; /* few totals: ties */
                c[i].gender_mean = (long long)(lcg(&seed) % 2) * 100;
                c[i].members_total = members;
                c[i].members_women = members ? (long long)(lcg(&seed) % (uint64_t)members) : 0;
                c[i].submitted_at = gen_times[lcg(&seed) % 4];
                c[i].eligible = lcg(&seed) % 10 != 0;
                c[i].fully_scored = lcg(&seed) % 10 != 0;
        }
}

static void
shuffle(void *base, size_t n, size_t size, uint64_t seed)
{
        unsigned char tmp[sizeof(struct sel_candidate)], *b = base;

        assert_true(size <= sizeof(tmp));
        for (size_t i = n; i > 1; i--) {
                size_t j = (size_t)(lcg(&seed) % i);
                memcpy(tmp, b + (i - 1) * size, size);
                memcpy(b + (i - 1) * size, b + j * size, size);
                memcpy(b + j * size, tmp, size);
        }
}

/* Draws every tied group "publicly": here, the group reversed (any permutation will do). */
static struct sel_tie_order *
orders_for(const struct sel_input *in, size_t *n)
{
        struct sel_tie_group *groups;
        struct sel_tie_order *orders;

        assert_int_equal(selection_ties(in, arena, &groups, n, NULL), SEL_OK);
        orders = arena_alloc(arena, (*n + 1) * sizeof(*orders));
        for (size_t g = 0; g < *n; g++) {
                long long *ids = arena_alloc(arena, groups[g].n * sizeof(*ids));
                for (size_t i = 0; i < groups[g].n; i++)
                        ids[i] = groups[g].ids[groups[g].n - 1 - i];
                orders[g] = (struct sel_tie_order){ids, groups[g].n};
        }
        return orders;
}

static void
assert_same_result(const struct sel_result *x, const struct sel_result *y)
{
        assert_int_equal(x->n, y->n);
        assert_int_equal(x->nregions, y->nregions);
        assert_int_equal(x->national_seats, y->national_seats);
        assert_int_equal(x->national_filled, y->national_filled);
        for (size_t i = 0; i < x->n; i++) {
                const struct sel_outcome *a = &x->outcomes[i], *b = &y->outcomes[i];
                assert_int_equal(a->id, b->id);
                assert_string_equal(a->region, b->region);
                assert_int_equal(a->status, b->status);
                assert_int_equal(a->reason, b->reason);
                assert_int_equal(a->rank, b->rank);
                assert_int_equal(a->shared_rank, b->shared_rank);
                assert_int_equal(a->by, b->by);
                assert_int_equal(a->waitlist, b->waitlist);
                assert_int_equal(a->region_waitlist, b->region_waitlist);
        }
        for (size_t i = 0; i < x->nregions; i++) {
                assert_string_equal(x->regions[i].region, y->regions[i].region);
                assert_int_equal(x->regions[i].seats, y->regions[i].seats);
                assert_int_equal(x->regions[i].filled, y->regions[i].filled);
                assert_int_equal(x->regions[i].waitlisted, y->regions[i].waitlisted);
        }
}

static void
test_determinism(void **state)
{
        static struct sel_candidate cands[NGEN];
        struct sel_seats seats[12];
        struct sel_input in = {cands, NGEN, seats, 12, 1, 5500};
        struct sel_tie_order *orders;
        size_t norders, draws = 0;
        long long selected = 0, waitlisted = 0, filled;
        struct sel_result first, again, shuffled;

        (void)state;
        generate(cands, NGEN, 42);
        for (size_t i = 0; i < 12; i++)
                seats[i] = (struct sel_seats){gen_regions[i], (long long)(i % 4) * 3};
        orders = orders_for(&in, &norders);
        assert_true(norders > 5); /* the generator makes ties that need draws */
        assert_int_equal(selection_run(&in, NULL, 0, arena, &first, NULL), SEL_NEEDS_DRAW);
        assert_int_equal(first.npending, norders);

        assert_int_equal(selection_run(&in, orders, norders, arena, &first, NULL), SEL_OK);
        assert_int_equal(selection_run(&in, orders, norders, arena, &again, NULL), SEL_OK);
        assert_same_result(&first, &again);

        /* Candidates, seats and orders in another order: the same result. */
        shuffle(cands, NGEN, sizeof(cands[0]), 7);
        shuffle(seats, 12, sizeof(seats[0]), 8);
        shuffle(orders, norders, sizeof(orders[0]), 9);
        assert_int_equal(selection_run(&in, orders, norders, arena, &shuffled, NULL), SEL_OK);
        assert_same_result(&first, &shuffled);

        /* The invariants of the rules, on the generated run. */
        for (size_t i = 0; i < first.n; i++) {
                const struct sel_outcome *o = &first.outcomes[i];
                if (o->status == SEL_SELECTED_REGIONAL || o->status == SEL_SELECTED_NATIONAL)
                        selected++;
                if (o->by == SEL_BY_DRAW)
                        draws++;
                if (o->status == SEL_WAITLISTED)
                        assert_int_equal(o->waitlist, ++waitlisted);
                if (o->rank > 0 && !o->shared_rank)
                        assert_int_equal(o->rank, (long long)i + 1);
                if (o->shared_rank)
                        assert_true(o->rank <= (long long)i + 1 && o->total < in.min_score);
        }
        assert_true(draws > 0);
        assert_true(waitlisted > 0);
        filled = first.national_filled;
        for (size_t i = 0; i < first.nregions; i++) {
                assert_true(first.regions[i].filled <= first.regions[i].seats);
                filled += first.regions[i].filled;
        }
        assert_int_equal(selected, filled);
}

static void
test_codes(void **state)
{
        (void)state;
        for (int s = SEL_SELECTED_REGIONAL; s <= SEL_WITHDRAWN; s++)
                assert_string_not_equal(selection_status_code((enum sel_status)s), "unknown");
        for (int r = SEL_REASON_REGIONAL_SEAT; r <= SEL_REASON_PROMOTED_NATIONAL; r++)
                assert_string_not_equal(selection_reason_code((enum sel_reason)r), "unknown");
        for (int b = SEL_BY_NONE; b <= SEL_BY_DRAW; b++)
                assert_string_not_equal(selection_by_code((enum sel_by)b), "unknown");
        for (int e = SEL_ERR_NONE; e <= SEL_ERR_STALE_ORDER; e++)
                assert_string_not_equal(selection_error_code((enum sel_error)e), "unknown");
        assert_string_equal(selection_status_code(SEL_REJECTED_BELOW_MINIMUM),
                            "rejected_below_minimum");
        assert_string_equal(selection_reason_code(SEL_REASON_PROMOTED_REGIONAL),
                            "promoted_regional");
        assert_string_equal(selection_status_code((enum sel_status)42), "unknown");
}

int
main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_tiebreak_levels),
            cmocka_unit_test(test_ties_reported_and_resolved),
            cmocka_unit_test(test_two_groups_one_drawn),
            cmocka_unit_test(test_bad_orders),
            cmocka_unit_test(test_seats_and_national_pool),
            cmocka_unit_test(test_seats_without_pool),
            cmocka_unit_test(test_pool_takes_best_of_any_region),
            cmocka_unit_test(test_promotion),
            cmocka_unit_test(test_promotion_national_seat),
            cmocka_unit_test(test_promotion_without_pool),
            cmocka_unit_test(test_input_checks),
            cmocka_unit_test(test_determinism),
            cmocka_unit_test(test_codes),
        };
        return cmocka_run_group_tests(tests, setup, teardown);
}
