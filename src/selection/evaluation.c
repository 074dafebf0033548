/* evaluation.c: evaluation states, scores read from forms and the API, and the summary of an
 * application's evaluations (pure). */
#include "selection/evaluation.h"

#include <string.h>

#include "core/arena.h"
#include "core/i18n.h"
#include "core/validate.h"

static const struct {
        const char *code, *label;
} states[] = {
    [EVALUATION_TO_DECLARE] = {"to_declare", N_("Declaration to make")},
    [EVALUATION_CONFLICT] = {"conflict", N_("Conflict of interest")},
    [EVALUATION_DRAFT] = {"draft", N_("Draft")},
    [EVALUATION_SUBMITTED] = {"submitted", N_("Submitted")},
};

#define NSTATES (sizeof(states) / sizeof(states[0]))

const char *
evaluation_state_code(enum evaluation_state s)
{
        return (size_t)s < NSTATES ? states[s].code : "unknown";
}

const char *
evaluation_state_label(enum evaluation_state s)
{
        return (size_t)s < NSTATES ? states[s].label : N_("Unknown");
}

int
evaluation_state_from_code(const char *code)
{
        if (code == NULL)
                return -1;
        for (size_t i = 0; i < NSTATES; i++)
                if (strcmp(states[i].code, code) == 0)
                        return (int)i;
        return -1;
}

static int
set(const char *s)
{
        return s != NULL && s[0] != '\0';
}

enum evaluation_state
evaluation_state_of(const struct evaluation *ev)
{
        if (set(ev->conflict_at))
                return EVALUATION_CONFLICT;
        if (set(ev->submitted_at))
                return EVALUATION_SUBMITTED;
        if (set(ev->no_conflict_at))
                return EVALUATION_DRAFT;
        return EVALUATION_TO_DECLARE;
}

void
evaluation_scores_in_grid(const struct scoring_grid *g, const struct evaluation *ev,
                          long long *scores)
{
        for (size_t k = 0; k < g->n; k++)
                scores[k] = -1;
        for (size_t i = 0; i < ev->nscores; i++) {
                int k = scoring_grid_find(g, ev->scores[i].key);
                if (k >= 0)
                        scores[k] = ev->scores[i].score;
        }
}

/* A whole number of at most 4 digits, surrounding spaces allowed; -1 when it is not one. */
static long long
whole(const char *s)
{
        long long v = 0;
        int digits = 0;

        while (*s == ' ')
                s++;
        while (*s >= '0' && *s <= '9') {
                if (++digits > 4)
                        return -1;
                v = v * 10 + (*s++ - '0');
        }
        while (*s == ' ')
                s++;
        return digits > 0 && *s == '\0' ? v : -1;
}

static int
blank(const char *s)
{
        while (*s == ' ')
                s++;
        return *s == '\0';
}

int
evaluation_apply_scores(const struct scoring_grid *g, const struct evaluation_score_text *in,
                        size_t n, long long *scores, struct errs *e)
{
        int rc = 0;

        for (size_t i = 0; i < n; i++) {
                const char *key = in[i].key ? in[i].key : "";
                /* Keys long enough to flood the message are named by their start only. */
                const char *field = arena_printf(e->arena, "scores.%.*s", SCORING_MAX_KEY, key);
                int k = scoring_grid_find(g, key);
                if (k < 0) {
                        errs_add(e, field, scoring_error_message(SCORING_UNKNOWN_KEY));
                        rc = -1;
                        continue;
                }
                const char *v = in[i].value ? in[i].value : "";
                if (blank(v)) {
                        scores[k] = -1;
                        continue;
                }
                long long s = whole(v);
                if (s < 0 || s > g->criteria[k].max) {
                        errs_add(e, field, "Enter a whole number from 0 to %lld.",
                                 g->criteria[k].max);
                        rc = -1;
                        continue;
                }
                scores[k] = s;
        }
        return rc;
}

int
evaluation_check_complete(const struct scoring_grid *g, const long long *scores, struct errs *e)
{
        struct scoring_entry entries[SCORING_MAX_CRITERIA];
        long long checked[SCORING_MAX_CRITERIA];
        size_t n = 0;
        int rc = 0;

        if (g->n > SCORING_MAX_CRITERIA)
                return -1;
        for (size_t k = 0; k < g->n; k++) {
                if (scores[k] < 0) {
                        errs_add(e, arena_printf(e->arena, "scores.%s", g->criteria[k].key),
                                 "Score this criterion before submitting.");
                        rc = -1;
                        continue;
                }
                entries[n].key = g->criteria[k].key;
                entries[n++].score = scores[k];
        }
        if (rc != 0)
                return rc;
        size_t bad = 0;
        enum scoring_error err = scoring_evaluation_check(g, entries, n, checked, &bad);
        if (err != SCORING_OK) {
                const char *key = bad < g->n ? g->criteria[bad].key : "";
                errs_add(e, arena_printf(e->arena, "scores.%s", key), scoring_error_message(err));
                return -1;
        }
        return 0;
}

int
evaluation_summarize(const struct scoring_grid *g, const struct evaluation_sheet *sheets, size_t n,
                     long long gap, struct evaluation_summary *out)
{
        /* The counted scores, row after row, as scoring.h reads them. */
        static _Thread_local long long matrix[SCORING_MAX_EVALS * SCORING_MAX_CRITERIA];
        size_t rows = 0;

        memset(out, 0, sizeof(*out));
        if (n > SCORING_MAX_EVALS || gap < 0 || g->n == 0 || g->n > SCORING_MAX_CRITERIA)
                return -1;
        out->assigned = n;
        for (size_t i = 0; i < n; i++) {
                out->own[i] = -1;
                if (sheets[i].state == EVALUATION_CONFLICT) {
                        out->conflicts++;
                        continue;
                }
                if (sheets[i].state != EVALUATION_SUBMITTED)
                        continue;
                int full = 1;
                for (size_t k = 0; k < g->n; k++) {
                        long long s = sheets[i].scores[k];
                        if (s > g->criteria[k].max)
                                return -1;
                        full &= s >= 0;
                }
                /* A submitted evaluation missing a criterion (the grid changed since) does not
                 * count: the application is not complete until it is scored again. */
                if (!full)
                        continue;
                memcpy(&matrix[rows * g->n], sheets[i].scores, g->n * sizeof(long long));
                if (scoring_total(g, &matrix[rows * g->n], 1, &out->own[i]) != 0)
                        return -1;
                rows++;
        }
        out->expected = n - out->conflicts;
        out->submitted = rows;
        out->complete = out->expected > 0 && out->submitted == out->expected;
        if (rows == 0)
                return 0;
        out->has_total = 1;
        if (scoring_total(g, matrix, rows, &out->total) != 0 ||
            scoring_means(g, matrix, rows, out->means) != 0 ||
            scoring_disagreement(g, matrix, rows, gap, &out->disagreement, &out->spread) != 0)
                return -1;
        return 0;
}

const char *
evaluation_points(struct arena *a, long long h, const char *sep)
{
        const char *sign = h < 0 ? "-" : "";
        if (h < 0)
                h = -h;
        return arena_printf(a, "%s%lld%s%02lld", sign, h / 100, sep ? sep : ".", h % 100);
}
