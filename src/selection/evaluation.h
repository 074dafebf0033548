/* evaluation.h: one evaluator's evaluation of an application (its state, its scores read from a
 * form or the API) and the summary of an application's evaluations (pure, on scoring.h). */
#ifndef MURAFIQ_EVALUATION_H
#define MURAFIQ_EVALUATION_H

#include <stddef.h>

#include "selection/scoring.h"

struct errs;

/* Where an evaluation stands. An evaluator first declares whether they have a conflict of
 * interest; without one they score (a draft) and submit; a manager may reopen a submitted one. */
enum evaluation_state {
        EVALUATION_TO_DECLARE, /* assigned, nothing declared yet */
        EVALUATION_CONFLICT,   /* the evaluator declared a conflict of interest: never scored */
        EVALUATION_DRAFT,      /* no conflict declared; scores may be saved */
        EVALUATION_SUBMITTED   /* every criterion scored and submitted: read-only */
};

/* "to_declare", "conflict", "draft", "submitted" (stable, for the API and filters). */
const char *evaluation_state_code(enum evaluation_state s);
/* The English label msgid ("Draft"), to translate with _(). */
const char *evaluation_state_label(enum evaluation_state s);
/* The state of a code, or -1. */
int evaluation_state_from_code(const char *code);

/* One score as stored: criterion key and whole score. */
struct evaluation_score {
        const char *key;
        long long score;
};

/* One evaluator's evaluation of one application, as stored. Timestamps are UTC
 * "YYYY-MM-DDTHH:MM:SSZ", or "" when not set. */
struct evaluation {
        long long application_id, evaluator_id, assigned_by;
        const char *evaluator_login, *evaluator_role, *assigned_by_login;
        const char *assigned_at, *no_conflict_at, *conflict_at, *submitted_at;
        const char *conflict_note, *comment;
        long long version;
        struct evaluation_score *scores; /* any order; keys the grid may no longer have */
        size_t nscores;
};

/* The state from the timestamps: a conflict wins, then a submission, then the declaration. */
enum evaluation_state evaluation_state_of(const struct evaluation *ev);

/* Copies ev's scores into scores[0..g->n) in grid order; -1 for a criterion not scored. Scores
 * of keys the grid does not have are ignored. */
void evaluation_scores_in_grid(const struct scoring_grid *g, const struct evaluation *ev,
                               long long *scores);

/* A score as it arrives from a form or the API: criterion key and text ("7"; "" clears it). */
struct evaluation_score_text {
        const char *key;
        const char *value;
};

/*
 * Applies n scores as text onto scores[0..g->n) (IN/OUT, -1 = not scored): a key the grid does
 * not have, or a value that is not a whole number from 0 to the criterion's maximum ("-1",
 * "11" for a maximum of 10, "7.5", "x"), adds an error under "scores.<key>" and changes
 * nothing for it; "" clears the score; criteria not sent keep theirs. Returns 0, or -1 when
 * any error was added.
 */
int evaluation_apply_scores(const struct scoring_grid *g, const struct evaluation_score_text *in,
                            size_t n, long long *scores, struct errs *e);

/* Checks that every criterion is scored, as submitting requires (scoring_evaluation_check):
 * an error "scores.<key>" for each criterion left unscored. Returns 0 or -1. */
int evaluation_check_complete(const struct scoring_grid *g, const long long *scores,
                              struct errs *e);

/* One evaluation as the summary reads it: its state and its scores in grid order (-1 = not
 * scored). Only submitted evaluations with every criterion scored count. */
struct evaluation_sheet {
        enum evaluation_state state;
        const long long *scores;
};

/* The computed summary of the evaluations of one application. */
struct evaluation_summary {
        size_t assigned;  /* every evaluation */
        size_t conflicts; /* declared a conflict of interest: not expected */
        size_t expected;  /* assigned - conflicts */
        size_t submitted; /* submitted and fully scored: the ones counted below */
        int complete;     /* at least one expected, and every expected one submitted */
        long long own[SCORING_MAX_EVALS];      /* each sheet's own total in hundredths, -1 if not
                                                  counted */
        int has_total;                         /* at least one submitted */
        long long total;                       /* hundredths: scoring_total of the submitted ones */
        long long means[SCORING_MAX_CRITERIA]; /* hundredths of a point, per criterion */
        int disagreement;                      /* two own totals differ by more than the gap */
        long long spread;                      /* the largest difference of own totals */
};

/*
 * Summarises n evaluations (at most SCORING_MAX_EVALS) of one application on a checked grid g,
 * with the call's disagreement gap (hundredths). The total, means and disagreement are over the
 * submitted evaluations only (has_total = 0 and zeroes when none). Returns 0, or -1 when n is
 * too large, the gap negative or a score out of range.
 */
int evaluation_summarize(const struct scoring_grid *g, const struct evaluation_sheet *sheets,
                         size_t n, long long gap, struct evaluation_summary *out);

/* Writes hundredths as points with two decimals and the decimal separator sep ("87.35",
 * "87,35", "0.05", "100.00") into the arena. */
struct arena;
const char *evaluation_points(struct arena *a, long long hundredths, const char *sep);

#endif
