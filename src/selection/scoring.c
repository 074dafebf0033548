/* scoring.c: grid and evaluation checks, exact totals, means and the disagreement flag (pure). */
#include <string.h>

#include "core/i18n.h"
#include "selection/scoring.h"

/* Weights 25+20+15+15+15+10 = 100 and a maximum of 10 each: see scoring_default_grid. */
static const struct scoring_criterion default_criteria[] = {
    {"economic_viability", 25, 10}, {"social_responsibility", 20, 10},
    {"innovation", 15, 10},         {"territorial_approach", 15, 10},
    {"gender_equality", 15, 10},    {"national_alignment", 10, 10},
};

static const struct scoring_grid default_grid = {default_criteria, sizeof(default_criteria) /
                                                                       sizeof(default_criteria[0])};

static const struct {
        const char *code, *message;
} errors[] = {
    [SCORING_OK] = {"ok", N_("No problem.")},
    [SCORING_EMPTY_GRID] = {"empty_grid", N_("The grid has no criterion.")},
    [SCORING_TOO_MANY_CRITERIA] = {"too_many_criteria", N_("The grid has too many criteria.")},
    [SCORING_BAD_KEY] = {"bad_key",
                         N_("A criterion key must be lower-case letters, digits or underscores, "
                            "starting with a letter.")},
    [SCORING_DUPLICATE_KEY] = {"duplicate_key", N_("Two criteria have the same key.")},
    [SCORING_BAD_WEIGHT] = {"bad_weight", N_("A weight must be a whole number from 1 to 1000.")},
    [SCORING_BAD_MAX] = {"bad_max", N_("A maximum score must be a whole number from 1 to 1000.")},
    [SCORING_MAXIMA_TOO_VARIED] = {"maxima_too_varied",
                                   N_("The maximum scores are too varied to be combined "
                                      "exactly; use fewer distinct maxima.")},
    [SCORING_UNKNOWN_KEY] = {"unknown_key", N_("The grid has no such criterion.")},
    [SCORING_DUPLICATE_SCORE] = {"duplicate_score", N_("A criterion is scored twice.")},
    [SCORING_MISSING_SCORE] = {"missing_score", N_("A criterion is not scored.")},
    [SCORING_SCORE_OUT_OF_RANGE] = {"score_out_of_range",
                                    N_("A score must be between 0 and the criterion's maximum.")},
};

const char *
scoring_error_code(enum scoring_error e)
{
        if ((size_t)e >= sizeof(errors) / sizeof(errors[0]))
                return "unknown";
        return errors[e].code;
}

const char *
scoring_error_message(enum scoring_error e)
{
        if ((size_t)e >= sizeof(errors) / sizeof(errors[0]))
                return N_("Unknown problem.");
        return errors[e].message;
}

const struct scoring_grid *
scoring_default_grid(void)
{
        return &default_grid;
}

int
scoring_grid_find(const struct scoring_grid *g, const char *key)
{
        if (key == NULL)
                return -1;
        for (size_t k = 0; k < g->n; k++)
                if (strcmp(g->criteria[k].key, key) == 0)
                        return (int)k;
        return -1;
}

static int
key_ok(const char *key)
{
        size_t len;

        if (key == NULL || !(key[0] >= 'a' && key[0] <= 'z'))
                return 0;
        len = strlen(key);
        if (len > SCORING_MAX_KEY)
                return 0;
        for (size_t i = 0; i < len; i++) {
                char c = key[i];
                if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
                        return 0;
        }
        return 1;
}

static long long
gcd(long long a, long long b)
{
        while (b != 0) {
                long long t = a % b;
                a = b;
                b = t;
        }
        return a;
}

enum scoring_error
scoring_grid_check(const struct scoring_grid *g, size_t *bad)
{
        long long lcm = 1;
        size_t k = 0;
        enum scoring_error err = SCORING_OK;

        if (g == NULL || g->n == 0)
                return SCORING_EMPTY_GRID;
        if (g->n > SCORING_MAX_CRITERIA) {
                k = SCORING_MAX_CRITERIA;
                err = SCORING_TOO_MANY_CRITERIA;
                goto fail;
        }
        for (k = 0; k < g->n; k++) {
                const struct scoring_criterion *c = &g->criteria[k];
                if (!key_ok(c->key)) {
                        err = SCORING_BAD_KEY;
                        goto fail;
                }
                for (size_t j = 0; j < k; j++)
                        if (strcmp(g->criteria[j].key, c->key) == 0) {
                                err = SCORING_DUPLICATE_KEY;
                                goto fail;
                        }
                if (c->weight <= 0 || c->weight > SCORING_MAX_WEIGHT) {
                        err = SCORING_BAD_WEIGHT;
                        goto fail;
                }
                if (c->max <= 0 || c->max > SCORING_MAX_MAX) {
                        err = SCORING_BAD_MAX;
                        goto fail;
                }
                /* lcm <= 10^6 and max <= 10^3: the product cannot overflow. */
                lcm = lcm / gcd(lcm, c->max) * c->max;
                if (lcm > SCORING_MAX_LCM) {
                        err = SCORING_MAXIMA_TOO_VARIED;
                        goto fail;
                }
        }
        return SCORING_OK;
fail:
        if (bad)
                *bad = k;
        return err;
}

enum scoring_error
scoring_evaluation_check(const struct scoring_grid *g, const struct scoring_entry *entries,
                         size_t n, long long *scores, size_t *bad)
{
        unsigned char seen[SCORING_MAX_CRITERIA] = {0};
        size_t i = 0;
        enum scoring_error err = SCORING_OK;

        if (g->n > SCORING_MAX_CRITERIA)
                return SCORING_TOO_MANY_CRITERIA;
        for (i = 0; i < n; i++) {
                int k = scoring_grid_find(g, entries[i].key);
                if (k < 0) {
                        err = SCORING_UNKNOWN_KEY;
                        goto fail;
                }
                if (seen[k]) {
                        err = SCORING_DUPLICATE_SCORE;
                        goto fail;
                }
                if (entries[i].score < 0 || entries[i].score > g->criteria[k].max) {
                        err = SCORING_SCORE_OUT_OF_RANGE;
                        goto fail;
                }
                seen[k] = 1;
                scores[k] = entries[i].score;
        }
        for (i = 0; i < g->n; i++)
                if (!seen[i]) {
                        err = SCORING_MISSING_SCORE;
                        goto fail;
                }
        return SCORING_OK;
fail:
        if (bad)
                *bad = i;
        return err;
}

/* Checks the matrix and sums each criterion's scores into sums[k]. 0, or -1. */
static int
sum_scores(const struct scoring_grid *g, const long long *scores, size_t nevals, long long *sums)
{
        if (nevals == 0 || nevals > SCORING_MAX_EVALS || g->n == 0 || g->n > SCORING_MAX_CRITERIA)
                return -1;
        for (size_t k = 0; k < g->n; k++) {
                sums[k] = 0;
                for (size_t e = 0; e < nevals; e++) {
                        long long s = scores[e * g->n + k];
                        if (s < 0 || s > g->criteria[k].max)
                                return -1;
                        sums[k] += s;
                }
        }
        return 0;
}

/*
 * The total from per-criterion sums of nevals evaluations. With L the lcm of the maxima and W the
 * sum of the weights, total/100 = 100 * sum_k(w_k * S_k / (nevals * max_k)) / W
 *                               = 10000 * sum_k(w_k * S_k * (L / max_k)) / (nevals * W * L),
 * a fraction num/den of integers; half up is floor((2 num + den) / (2 den)). Bounds: den <=
 * 100 * 32000 * 10^6 = 3.2e12 and, as S_k <= nevals * max_k, num <= 10000 den = 3.2e16: far
 * inside 64 bits.
 */
static long long
total_from_sums(const struct scoring_grid *g, const long long *sums, size_t nevals)
{
        long long lcm = 1, weights = 0, num = 0, den;

        for (size_t k = 0; k < g->n; k++) {
                lcm = lcm / gcd(lcm, g->criteria[k].max) * g->criteria[k].max;
                weights += g->criteria[k].weight;
        }
        for (size_t k = 0; k < g->n; k++)
                num += g->criteria[k].weight * sums[k] * (lcm / g->criteria[k].max);
        num *= 10000;
        den = (long long)nevals * weights * lcm;
        return (2 * num + den) / (2 * den);
}

int
scoring_total(const struct scoring_grid *g, const long long *scores, size_t nevals,
              long long *total)
{
        long long sums[SCORING_MAX_CRITERIA];

        if (sum_scores(g, scores, nevals, sums) != 0)
                return -1;
        *total = total_from_sums(g, sums, nevals);
        return 0;
}

int
scoring_means(const struct scoring_grid *g, const long long *scores, size_t nevals,
              long long *means)
{
        long long sums[SCORING_MAX_CRITERIA];
        long long n = (long long)nevals;

        if (sum_scores(g, scores, nevals, sums) != 0)
                return -1;
        /* 100 * S / n rounded half up: floor((200 S + n) / (2 n)). */
        for (size_t k = 0; k < g->n; k++)
                means[k] = (200 * sums[k] + n) / (2 * n);
        return 0;
}

int
scoring_disagreement(const struct scoring_grid *g, const long long *scores, size_t nevals,
                     long long gap, int *flag, long long *spread)
{
        long long lo = 0, hi = 0;

        if (gap < 0 || nevals == 0 || nevals > SCORING_MAX_EVALS)
                return -1;
        for (size_t e = 0; e < nevals; e++) {
                long long t;
                if (scoring_total(g, scores + e * g->n, 1, &t) != 0)
                        return -1;
                if (e == 0 || t < lo)
                        lo = t;
                if (e == 0 || t > hi)
                        hi = t;
        }
        *flag = hi - lo > gap;
        if (spread)
                *spread = hi - lo;
        return 0;
}
