/* selection.h: the selection run of a call: ranking, tie-breaks, seats, national pool, waitlist. */
#ifndef MURAFIQ_SELECTION_H
#define MURAFIQ_SELECTION_H

#include <stddef.h>

struct arena;

/*
 * A run is pure and replayable: the same input and tie orders give the same result, whatever the
 * order of the candidates, seats and tie orders in their arrays. Scores are whole hundredths
 * (scoring.h), shares of women are compared as fractions by cross-multiplication: no floats.
 *
 * Ranking (eligible and fully scored candidates only): total descending, then the gender-equality
 * mean descending, then the share of women members descending, then earlier submission, then the
 * order of a publicly verifiable draw supplied by the caller. The run never invents that last
 * order: selection_ties lists the groups still tied, the caller draws each one (draw.h: the pool is
 * the group's ids in the listed order) and passes the drawn orders to selection_run. Only groups
 * at or above the minimum score need a draw; candidates tied below it are rejected alike and share
 * one rank.
 *
 * Seats: each region's seats go to its best-ranked candidates at or above the minimum score; with
 * the national pool option the seats that regions leave empty go to the best remaining
 * candidates of any region, in rank order; the rest at or above the minimum are waitlisted in
 * rank order; those below it are rejected.
 */

#define SEL_MAX_CANDIDATES 1000000
#define SEL_MAX_REGION     16 /* bytes of a region code */

struct sel_candidate {
        long long id;       /* application id, > 0, unique within the run */
        const char *region; /* region code ("01".."12"), non-empty */
        /* The fields below are read (and checked) only when eligible and fully_scored. */
        long long total;       /* hundredths, 0..10000 */
        long long gender_mean; /* mean of the gender-equality criterion, hundredths, >= 0 */
        long long members_women, members_total; /* 0 <= women <= total <= 10^9; 0/0 counts as 0 */
        const char *submitted_at; /* UTC "YYYY-MM-DDTHH:MM:SS", optional ".fraction" (1 to 9
                                   * digits) and "Z"; a space may replace the T */
        int eligible;
        int fully_scored; /* every assigned evaluator has scored every criterion */
};

struct sel_seats {
        const char *region; /* non-empty, unique within the run */
        long long seats;    /* >= 0; a region that is not listed has no seat */
};

struct sel_input {
        const struct sel_candidate *candidates;
        size_t n;
        const struct sel_seats *seats;
        size_t nseats;
        int national_pool;   /* seats a region cannot fill go to a national pool */
        long long min_score; /* hundredths, 0..10000: below it a candidate is rejected */
};

/* A group of candidates that every rule leaves tied. */
struct sel_tie_group {
        long long *ids; /* n >= 2 ids, ascending: the draw's pool, in this order */
        size_t n;
        long long total;      /* their common total */
        long long first_rank; /* they share ranks first_rank .. first_rank + n - 1 */
};

/* The drawn order of one tied group: a permutation of its ids, the first ranked best. With
 * RFC 3797 drawing every entry of the pool, pool position p (1-based) is group.ids[p - 1]. */
struct sel_tie_order {
        const long long *ids;
        size_t n;
};

enum sel_status {
        SEL_SELECTED_REGIONAL,
        SEL_SELECTED_NATIONAL,
        SEL_WAITLISTED,
        SEL_REJECTED_BELOW_MINIMUM,
        SEL_NOT_RANKED_INELIGIBLE,
        SEL_NOT_RANKED_UNSCORED,
        SEL_WITHDRAWN, /* only through selection_promote */
};

/* Why a candidate has its status: the sentence of its decision letter. */
enum sel_reason {
        SEL_REASON_REGIONAL_SEAT,     /* among its region's best, within the region's seats */
        SEL_REASON_NATIONAL_POOL,     /* among the best remaining, for seats regions left empty */
        SEL_REASON_SEATS_FULL,        /* at or above the minimum, but every seat is taken */
        SEL_REASON_BELOW_MINIMUM,     /* total below the minimum score */
        SEL_REASON_INELIGIBLE,        /* failed the call's eligibility rules */
        SEL_REASON_NOT_FULLY_SCORED,  /* an evaluation is missing */
        SEL_REASON_WITHDRAWN,         /* withdrew after the run */
        SEL_REASON_PROMOTED_REGIONAL, /* promoted from its region's waitlist after a withdrawal */
        SEL_REASON_PROMOTED_NATIONAL, /* promoted from the national waitlist after a withdrawal */
};

/* The first rule that ranks a candidate after the candidate ranked just above it. */
enum sel_by {
        SEL_BY_NONE,        /* rank 1, not ranked, or ex aequo below the minimum */
        SEL_BY_TOTAL,       /* a lower total */
        SEL_BY_GENDER,      /* same total, lower gender-equality mean */
        SEL_BY_WOMEN_SHARE, /* same up to there, smaller share of women members */
        SEL_BY_SUBMISSION,  /* same up to there, submitted later */
        SEL_BY_DRAW,        /* still tied: the drawn order */
};

struct sel_outcome {
        long long id;
        const char *region;  /* in the arena */
        size_t region_index; /* into sel_result.regions */
        long long total;     /* hundredths; 0 when not ranked */
        enum sel_status status;
        enum sel_reason reason;
        long long rank;            /* 1-based among ranked candidates; 0 when not ranked */
        int shared_rank;           /* tied below the minimum: same rank as its ex aequo */
        enum sel_by by;            /* what separates it from the rank above */
        long long waitlist;        /* position on the national waitlist (rank order), 0 if none */
        long long region_waitlist; /* position on its region's waitlist, 0 if none */
};

struct sel_region {
        const char *region; /* in the arena */
        long long seats;    /* seats of the region (0 when not listed in the seats) */
        long long filled;   /* regional seats taken */
        long long waitlisted;
};

enum sel_rc {
        SEL_INVALID = -1,   /* the input or a tie order is wrong: see the sel_problem */
        SEL_OK = 0,         /* outcomes computed */
        SEL_NEEDS_DRAW = 1, /* tied groups have no drawn order: see pending */
};

struct sel_result {
        struct sel_outcome *outcomes; /* ranked ones in rank order, then the others by id */
        size_t n;                     /* 0 unless SEL_OK */
        struct sel_region *regions;   /* every region of the seats or the candidates, by code */
        size_t nregions;
        int national_pool;
        long long national_seats;      /* seats the regions left to the national pool */
        long long national_filled;     /* of which taken */
        struct sel_tie_group *pending; /* SEL_NEEDS_DRAW: the groups without an order, rank order */
        size_t npending;
};

enum sel_error {
        SEL_ERR_NONE,
        SEL_ERR_TOO_MANY,         /* more than SEL_MAX_CANDIDATES */
        SEL_ERR_BAD_ID,           /* candidate: id <= 0 */
        SEL_ERR_DUPLICATE_ID,     /* candidate: id seen before */
        SEL_ERR_BAD_REGION,       /* candidate: region empty or too long */
        SEL_ERR_BAD_TOTAL,        /* candidate: total outside 0..10000 */
        SEL_ERR_BAD_GENDER_MEAN,  /* candidate: gender_mean < 0 */
        SEL_ERR_BAD_MEMBERS,      /* candidate: women < 0, women > total or total > 10^9 */
        SEL_ERR_BAD_SUBMITTED_AT, /* candidate: not a timestamp of the documented form */
        SEL_ERR_BAD_SEAT_REGION,  /* seats: region empty, too long or listed twice */
        SEL_ERR_BAD_SEATS,        /* seats: negative */
        SEL_ERR_BAD_MIN_SCORE,    /* min_score outside 0..10000 */
        SEL_ERR_BAD_ORDER,        /* tie order: fewer than 2 ids, or an id twice */
        SEL_ERR_STALE_ORDER,      /* tie order: not a permutation of a group that needs a draw,
                                   * or a second order for the same group */
};

/* Where the problem is: the index of the candidate, seat entry or tie order concerned. */
struct sel_problem {
        enum sel_error code;
        size_t index;
};

/* Stable JSON codes ("selected_regional", "regional_seat", "bad_total", ...). */
const char *selection_status_code(enum sel_status s);
const char *selection_reason_code(enum sel_reason r);
const char *selection_by_code(enum sel_by b);
const char *selection_error_code(enum sel_error e);

/*
 * Lists the tied groups that need a draw: ranked candidates at or above the minimum score that
 * every rule before the draw leaves equal. Sets *groups (in a, in rank order, ids ascending) and
 * *n (0: no draw needed). Returns SEL_OK, or SEL_INVALID with *p (may be NULL) filled.
 */
int selection_ties(const struct sel_input *in, struct arena *a, struct sel_tie_group **groups,
                   size_t *n, struct sel_problem *p);

/*
 * Runs the selection. orders holds norders drawn orders (any order), one per tied group of
 * selection_ties, matched by their ids. Fills *out (everything in a) and returns SEL_OK; or
 * SEL_NEEDS_DRAW with out->pending listing the groups left without an order and no outcome; or
 * SEL_INVALID with *p (may be NULL) filled: bad input, or an order that matches no group (the
 * input changed since the draw).
 */
int selection_run(const struct sel_input *in, const struct sel_tie_order *orders, size_t norders,
                  struct arena *a, struct sel_result *out, struct sel_problem *p);

/*
 * Records the withdrawal of withdrawn_id in r (a SEL_OK result, modified in place). When it held
 * a regional seat, the first on its region's waitlist takes the seat (promoted_regional); when
 * that waitlist is empty the seat goes to the national pool if the run has one (else it stays
 * empty). When it held a national seat, or its regional seat went to the pool, the first on the
 * national waitlist takes it (promoted_national). Waitlist positions are then renumbered.
 * Returns 1 with *promoted (may be NULL) set to the promoted id, 0 when nobody was promoted
 * (*promoted = 0), or -1 when withdrawn_id is unknown or already withdrawn (r untouched).
 */
int selection_promote(struct sel_result *r, long long withdrawn_id, long long *promoted);

#endif
