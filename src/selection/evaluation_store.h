/* evaluation_store.h: evaluators assigned to applications, their declarations and scores, and
 * the application's total kept in step with them. An evaluator's reads carry
 * "WHERE evaluator_id = :me": an application not assigned to them does not exist for them. */
#ifndef MURAFIQ_EVALUATION_STORE_H
#define MURAFIQ_EVALUATION_STORE_H

#include <stddef.h>

#include "registry/store.h"
#include "selection/evaluation.h"

struct arena;
struct db;
struct scope;

/* What the evaluation pages show of an application: the cooperative's name, register number,
 * region and member counts, and the project summary; no other personal data. */
struct evaluation_app {
        long long id, call_id, cooperative_id, created_by, version;
        const char *status, *region_code, *project_summary;
        int has_total;
        long long total; /* hundredths, when has_total */
        const char *register_number, *coop_name_ar, *coop_name_fr;
        long long members_total, members_women, members_youth;
};

/* Results of the writes beyond store.h's (which they also use: STORE_NOT_FOUND for an
 * application or an assignment that does not exist, STORE_DUPLICATE for an evaluator already
 * assigned, STORE_CONFLICT for a stale version). */
enum evaluation_store_rc {
        EVAL_STORE_CLOSED = -20,     /* the application is not eligible nor scored */
        EVAL_STORE_UNDECLARED = -21, /* scores before the declaration of no conflict */
        EVAL_STORE_STATE = -22,      /* the evaluation is not in the state this needs */
        EVAL_STORE_CREATOR = -23,    /* the evaluator created the application */
        EVAL_STORE_DISABLED = -24,   /* no such user, or a disabled one */
        EVAL_STORE_TOO_MANY = -25,   /* more than SCORING_MAX_EVALS evaluators */
};

/* ---- reads ---- */

/* An application of the caller's scope (managers). STORE_NOT_FOUND when absent. */
int evaluation_store_app(struct db *db, struct arena *a, const struct scope *scope, long long id,
                         struct evaluation_app *out);
/* The application id as its evaluator me sees it: STORE_NOT_FOUND unless assigned to me. */
int evaluation_store_app_of(struct db *db, struct arena *a, long long id, long long me,
                            struct evaluation_app *out);
/* One evaluation with its scores; STORE_NOT_FOUND when evaluator_id is not assigned. */
int evaluation_store_get(struct db *db, struct arena *a, long long application_id,
                         long long evaluator_id, struct evaluation *out);
/* Every evaluation of an application with its scores, in order of assignment (at most
 * SCORING_MAX_EVALS). */
int evaluation_store_list(struct db *db, struct arena *a, long long application_id,
                          struct evaluation **out, size_t *n);

/* Every evaluation of call_id's applications within scope, with their scores, by application
 * (two statements, whatever the number of applications). */
int evaluation_store_list_call(struct db *db, struct arena *a, const struct scope *scope,
                               long long call_id, struct evaluation **out, size_t *n);

/* One row of "my evaluations". */
struct evaluation_mine {
        struct evaluation_app app;
        struct evaluation ev; /* without scores */
        const char *call_code, *call_title_ar, *call_title_fr, *call_title_en;
};
/* The evaluations assigned to me, those to do first, then newest; state is "" or a state code.
 * Copies rows [offset, offset + limit) and sets *total to the number matching. */
int evaluation_store_mine(struct db *db, struct arena *a, long long me, const char *state,
                          long long offset, long long limit, struct evaluation_mine **out,
                          size_t *n, long long *total);

/* One row of a call's evaluation overview. */
struct evaluation_overview {
        struct evaluation_app app;
        long long assigned, submitted, conflicts;
};
/* The applications of a call in the caller's scope (region and status "" for all), by region
 * then cooperative, rows [offset, offset + limit), *total matching. */
int evaluation_store_overview(struct db *db, struct arena *a, const struct scope *scope,
                              long long call_id, const char *region, const char *status,
                              long long offset, long long limit, struct evaluation_overview **out,
                              size_t *n, long long *total);

/* A user who may be assigned (not disabled). */
struct evaluation_user {
        long long id;
        const char *login, *role;
};
/* Every active user, by login (at most 1000). */
int evaluation_store_users(struct db *db, struct arena *a, struct evaluation_user **out, size_t *n);

/* ---- writes: one transaction each; the application's total and status follow ---- */

/*
 * Assigns the n users ids as evaluators of application_id, by user `by`: all or none. Refused
 * with *bad (the index in ids) set: EVAL_STORE_DISABLED, EVAL_STORE_CREATOR, STORE_DUPLICATE
 * (already assigned, or twice in ids); EVAL_STORE_TOO_MANY; EVAL_STORE_CLOSED. A scored
 * application that gets a new evaluator goes back to eligible (with an event).
 */
int evaluation_store_assign(struct db *db, struct arena *a, long long application_id,
                            const long long *ids, size_t n, long long by, size_t *bad);

/*
 * Assigns the n users ids to every eligible application of call_id in the caller's scope (and of
 * region, unless ""), skipping the applications a user created or is already assigned to.
 * Sets *added (assignments made) and *apps (applications looked at). EVAL_STORE_DISABLED with
 * *bad as above; STORE_DUPLICATE when ids names a user twice.
 */
int evaluation_store_assign_call(struct db *db, struct arena *a, const struct scope *scope,
                                 long long call_id, const char *region, const long long *ids,
                                 size_t n, long long by, long long *added, long long *apps,
                                 size_t *bad);

/* Removes evaluator_id's assignment (and draft scores), by `by`. EVAL_STORE_STATE when it is
 * submitted (reopen it first). The application's total is computed again. */
int evaluation_store_remove(struct db *db, struct arena *a, long long application_id,
                            long long evaluator_id, long long by);

/*
 * Records me's declaration: no conflict of interest (conflict 0: scoring may start), or a
 * conflict (with a note of at most a few lines: the evaluation will never be scored). Repeating
 * the same declaration changes nothing; the other one is EVAL_STORE_STATE.
 */
int evaluation_store_declare(struct db *db, struct arena *a, long long application_id, long long me,
                             int conflict, const char *note);

/*
 * Replaces me's scores with scores[0..n) and the comment, from expected_version (0: any), and
 * submits when submit is set (the caller checked that every criterion is scored). Refused:
 * EVAL_STORE_UNDECLARED before the declaration, EVAL_STORE_STATE after a conflict or a
 * submission, STORE_CONFLICT when the version changed. Sets *version to the new one. When the
 * last expected evaluation is submitted, the application gets its total and becomes scored.
 */
int evaluation_store_save(struct db *db, struct arena *a, long long application_id, long long me,
                          const struct evaluation_score *scores, size_t n, const char *comment,
                          int submit, long long expected_version, long long *version);

/* Reopens evaluator_id's submitted evaluation (EVAL_STORE_STATE otherwise), by `by`, for reason
 * (kept in the audit). A scored application goes back to eligible without a total. */
int evaluation_store_reopen(struct db *db, struct arena *a, long long application_id,
                            long long evaluator_id, long long by, const char *reason);

#endif
