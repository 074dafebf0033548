/* scoring.h: a call's scoring grid, evaluators' scores and the exact total of an application. */
#ifndef MURAFIQ_SCORING_H
#define MURAFIQ_SCORING_H

#include <stddef.h>

/*
 * Every score, mean and total leaves this module as a whole number of hundredths (8734 means
 * 87.34), so that ranking compares integers and never floats. The total is computed exactly as a
 * fraction of integers and rounded once, half up (see scoring_total).
 */

/* Bounds that keep the exact arithmetic within 64 bits (checked by scoring_grid_check). */
#define SCORING_MAX_CRITERIA 32
#define SCORING_MAX_KEY      32      /* bytes of a key: [a-z0-9_], starting with a letter */
#define SCORING_MAX_WEIGHT   1000    /* weights are 1..SCORING_MAX_WEIGHT */
#define SCORING_MAX_MAX      1000    /* a criterion's maximum score is 1..SCORING_MAX_MAX */
#define SCORING_MAX_LCM      1000000 /* least common multiple of the maxima, at most */
#define SCORING_MAX_EVALS    100     /* evaluations of one application */

/* One criterion: an evaluator gives it a whole score from 0 to max. A grid that wants half
 * points doubles its maximum. Labels (ar/fr/en) belong to the call, not to this module. */
struct scoring_criterion {
        const char *key; /* stable code, e.g. "economic_viability" */
        long long weight;
        long long max;
};

struct scoring_grid {
        const struct scoring_criterion *criteria;
        size_t n;
};

/* One score of an evaluation as it arrives from a form or the API: criterion key and score. */
struct scoring_entry {
        const char *key;
        long long score;
};

/* What is wrong with a grid or an evaluation. Codes are stable; scoring_error_code names them. */
enum scoring_error {
        SCORING_OK = 0,
        SCORING_EMPTY_GRID,        /* no criterion */
        SCORING_TOO_MANY_CRITERIA, /* more than SCORING_MAX_CRITERIA */
        SCORING_BAD_KEY,           /* empty, too long or not [a-z][a-z0-9_]* */
        SCORING_DUPLICATE_KEY,     /* two criteria with the same key */
        SCORING_BAD_WEIGHT,        /* weight <= 0 or above SCORING_MAX_WEIGHT */
        SCORING_BAD_MAX,           /* max <= 0 or above SCORING_MAX_MAX */
        SCORING_MAXIMA_TOO_VARIED, /* lcm of the maxima above SCORING_MAX_LCM */
        SCORING_UNKNOWN_KEY,       /* an evaluation scores a criterion the grid does not have */
        SCORING_DUPLICATE_SCORE,   /* an evaluation scores the same criterion twice */
        SCORING_MISSING_SCORE,     /* an evaluation leaves a criterion unscored */
        SCORING_SCORE_OUT_OF_RANGE /* a score below 0 or above the criterion's max */
};

/* The JSON code of an error ("duplicate_key", ...) and its English message (N_, translate it). */
const char *scoring_error_code(enum scoring_error e);
const char *scoring_error_message(enum scoring_error e);

/*
 * The default grid, from the seeds (Mourafaka: economically viable and socially responsible
 * projects, then innovation, territorial approach, gender equality and alignment with national
 * and environmental initiatives): weights 25, 20, 15, 15, 15, 10 (they sum to 100, so a weight
 * reads as a percentage of the total) and a maximum of 10 for each criterion. Static.
 */
const struct scoring_grid *scoring_default_grid(void);

/* The index of the criterion named key in g, or -1. */
int scoring_grid_find(const struct scoring_grid *g, const char *key);

/*
 * Checks g: not empty, at most SCORING_MAX_CRITERIA criteria, keys well-formed and distinct,
 * weights and maxima within their bounds, maxima whose lcm is at most SCORING_MAX_LCM. Returns
 * SCORING_OK, or the first problem with *bad (may be NULL) set to the criterion's index.
 */
enum scoring_error scoring_grid_check(const struct scoring_grid *g, size_t *bad);

/*
 * Checks one evaluation (n entries, any order) against a checked grid g: no unknown key, no key
 * twice, every criterion scored, every score within 0..max. On SCORING_OK, scores[k] (OUT,
 * g->n values) holds the score of g->criteria[k]. Otherwise *bad (may be NULL) is the index of
 * the offending entry, or of the criterion for SCORING_MISSING_SCORE; scores is then unspecified.
 */
enum scoring_error scoring_evaluation_check(const struct scoring_grid *g,
                                            const struct scoring_entry *entries, size_t n,
                                            long long *scores, size_t *bad);

/*
 * The scores of nevals evaluations of one application are a matrix in evaluator order, row
 * after row: scores[e * g->n + k] is evaluator e's score for criterion k, each within 0..max (as
 * scoring_evaluation_check leaves them). The functions below return -1, touching nothing, when
 * nevals is 0 or above SCORING_MAX_EVALS or a score is out of range; the grid must be checked.
 */

/*
 * The total in hundredths: 100 * sum_k(w_k * mean_k / max_k) / sum_k(w_k), where mean_k is the
 * evaluators' mean score for criterion k, computed exactly (one fraction of 64-bit integers,
 * from the sums of scores, not from rounded means) and rounded once to the nearest hundredth,
 * halves up: 87.345 gives 8735, 87.3449... gives 8734. Returns 0 with *total in 0..10000, or -1.
 */
int scoring_total(const struct scoring_grid *g, const long long *scores, size_t nevals,
                  long long *total);

/* The evaluators' mean score of each criterion in hundredths of a point (7.5 of 10 gives 750),
 * rounded half up: means[k] (OUT, g->n values). Returns 0 or -1. */
int scoring_means(const struct scoring_grid *g, const long long *scores, size_t nevals,
                  long long *means);

/*
 * The disagreement flag: *flag = 1 when two evaluators' own totals (each as scoring_total of
 * their single evaluation, in hundredths) differ by more than gap hundredths; a difference of
 * exactly gap is not a disagreement. *spread (may be NULL) is the largest difference (0 for one
 * evaluator). Returns 0, or -1 (also when gap < 0).
 */
int scoring_disagreement(const struct scoring_grid *g, const long long *scores, size_t nevals,
                         long long gap, int *flag, long long *spread);

#endif
