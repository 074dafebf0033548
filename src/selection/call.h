/* call.h: a call for applications of a tranche: dates, minimum score, scoring grid, seats, and
 * the screening of the registry against its eligibility rules (pure: no I/O). */
#ifndef MURAFIQ_CALL_H
#define MURAFIQ_CALL_H

#include <stddef.h>
#include <stdint.h>

#include "core/dates.h"
#include "core/validate.h"
#include "selection/eligibility.h"

struct arena;

/* One criterion of the call's scoring grid, with its labels (scoring.h has the arithmetic). */
struct call_criterion {
        const char *key;
        const char *label_ar, *label_fr, *label_en;
        long long weight, max;
};

/* Seats of one region ("01".."12"). */
struct call_seat {
        const char *region;
        long long seats;
};

struct call {
        long long id;
        long long tranche_id;
        const char *code;
        const char *title_ar, *title_fr, *title_en;
        const char *opens_on, *closes_on, *reference_date; /* YYYY-MM-DD */
        long long min_score;                               /* hundredths, 0..10000 */
        int national_pool;          /* seats a region leaves empty go to the nation */
        long long disagreement_gap; /* hundredths, 0..10000 */
        long long rules_version;    /* the current version of the rules (call_rules) */
        long long version;
        const char *created_at, *updated_at;

        /* Read with the call (not written by call_apply). */
        long long program_id, tranche_number;
        const char *program_code, *program_name_ar, *program_name_fr, *program_name_en;
        struct call_criterion *criteria;
        size_t ncriteria;
        struct call_seat *seats; /* regions with seats, by code */
        size_t nseats;
        struct elig_rule *rules; /* the current version's rules */
        size_t nrules;
};

/* Field names of a call, in form and API order (NULL-terminated). */
extern const char *const call_fields[];

/*
 * Applies the fields get() returns (NULL = not sent: keep c's value) onto c and checks the
 * whole call: code 2 to 40 characters of [A-Za-z0-9_-] (stored upper-case), titles required
 * (at most 200 characters), real dates with opens_on <= closes_on, a reference date, a minimum
 * score and a disagreement gap written as points with at most two decimals ("60", "62.5")
 * from 0 to 100, national_pool a boolean, tranche_id a positive number. Returns 0 when valid,
 * else -1 with every problem in e; strings land in e->arena.
 */
int call_apply(struct call *c, struct errs *e, field_get_fn get, void *ctx);

/* Parses points with at most two decimals ("87", "87.5", "87.25") from 0 to 100 into
 * hundredths. Returns 0, or -1 when malformed or out of range. */
int call_parse_points(const char *s, long long *hundredths);
/* Writes hundredths as points ("87.25", "87.5", "87") into the arena. */
const char *call_format_points(struct arena *a, long long hundredths);

/* Where a call stands on `today`: before its opening, open (both days included), or closed. */
enum call_phase { CALL_UPCOMING, CALL_OPEN, CALL_CLOSED };
enum call_phase call_phase_on(const struct call *c, struct date today);
const char *call_phase_code(enum call_phase p);  /* "upcoming", "open", "closed" */
const char *call_phase_label(enum call_phase p); /* English msgid */

/*
 * Checks seats read from a form or the API: each region a region of g, at most once, seats 0 to
 * 100000. Problems go to e under "seats.<region>" ("seats" when the code is unknown). Returns 0
 * or -1.
 */
struct geo;
int call_seats_check(const struct call_seat *seats, size_t n, const struct geo *g, struct errs *e);

/* The scoring grid of a call as scoring.h reads it (criteria kept by pointer). Returns 0 and
 * fills *g with (*crit)[0..n) in a, or -1 when the call has no criterion. */
struct scoring_grid;
int call_grid(const struct call *c, struct arena *a, struct scoring_grid *g);

/* Checks the criteria of a grid edited in a form or the API, with their labels: scoring.h's
 * rules (keys, weights, maxima) plus labels required in the three languages (at most 200
 * characters). Problems go to e under "criteria[i].field". Returns 0 or -1. */
int call_criteria_check(const struct call_criterion *crit, size_t n, struct errs *e);

/* 1 when two grids score alike: the same keys in the same order with the same weights and
 * maxima (labels may differ). Once evaluators have scored, a call's grid may change only so. */
int call_criteria_same_scoring(const struct call_criterion *a, size_t na,
                               const struct call_criterion *b, size_t nb);

/* The default criteria (scoring_default_grid) with their English labels as msgids: translate
 * label_en with each catalog to fill label_ar and label_fr. Static; sets *n. */
const struct call_criterion *call_default_criteria(size_t *n);

/*
 * What the call adds to eligibility_rules_from_json's checks: at most one rule of each kind
 * (an editor shows one form per kind), and region and province codes that exist in g. Errors
 * go to e under "rules[i].kind" and "rules[i].codes[j]". Returns 0 or -1.
 */
int call_rules_check(const struct elig_rule *rules, size_t n, const struct geo *g, struct errs *e);

/*
 * Screening: the counts of a call's rules over many cooperatives, fed one at a time. Pure and
 * allocation-free once initialised, so that the whole registry is screened in one pass.
 */
#define SCREEN_MAX_REGIONS 16
struct screen_region {
        char code[4];
        long long eligible, ineligible;
};
struct screen_tally {
        size_t nrules;
        long long total;                     /* cooperatives screened */
        long long eligible;                  /* passing every rule */
        long long pass[ELIG_MAX_RULES];      /* passing rule i */
        long long only_fail[ELIG_MAX_RULES]; /* failing rule i and no other */
        struct screen_region regions[SCREEN_MAX_REGIONS];
        size_t nregions; /* in order of first appearance; screen_sort_regions orders by code */
};
void screen_init(struct screen_tally *t, size_t nrules);
/* Counts one cooperative of region whose failed mask is failed (eligibility_screen_one). */
void screen_add(struct screen_tally *t, const char *region, uint64_t failed);
void screen_sort_regions(struct screen_tally *t);

#endif
