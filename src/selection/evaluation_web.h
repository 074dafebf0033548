/* evaluation_web.h: what the evaluation pages and API share: an evaluator's own evaluation and
 * a manager's view of an application's evaluations, loaded for the request, and the answers to
 * the store's refusals. */
#ifndef MURAFIQ_EVALUATION_WEB_H
#define MURAFIQ_EVALUATION_WEB_H

#include "core/http.h"
#include "selection/call.h"
#include "selection/evaluation_store.h"

/* An application with its call and the call's grid (grid.n is 0 when the call has none). */
struct eval_app_view {
        struct evaluation_app app;
        struct call call;
        struct scoring_grid grid;
};

/* The logged-in user's own evaluation of application req->id. */
struct eval_mine_view {
        struct eval_app_view v;
        struct evaluation ev;
        enum evaluation_state state;
        long long *scores; /* grid order, -1 = not scored */
        int has_own;
        long long own; /* hundredths: this evaluation's total, once every criterion is scored */
};

/* Loads it; answers 404 (and returns -1) when the application is not assigned to the user, as
 * if it did not exist. */
int eval_load_mine(struct request *req, struct eval_mine_view *out);

/* Every evaluation of an application, for a manager. */
struct eval_all_view {
        struct eval_app_view v;
        struct evaluation *evs;
        size_t n;
        long long **scores; /* scores[i]: evs[i]'s in grid order */
        struct evaluation_summary sum;
};

/* Loads application id (of the user's scope); answers 404 or 500 and returns -1 otherwise. */
int eval_load_all(struct request *req, long long id, struct eval_all_view *out);

/* The summary of one application's evaluations on a call's grid (for overview rows). 0 or -1. */
int eval_summary_of(struct request *req, const struct call *c, const struct scoring_grid *g,
                    long long application_id, struct evaluation_summary *out);

/* Whether an application's status lets it be evaluated (eligible or scored). */
int eval_open(const struct evaluation_app *app);

/* Answers a refused store write: 404, 409 or 422 with a message saying what to do, 500. */
void eval_reply_store(struct request *req, int rc);

/* The cooperative's name and a criterion's label in the request's language. */
const char *eval_coop_name(struct request *req, const struct evaluation_app *app);
const char *eval_criterion_label(struct request *req, const struct call_criterion *k);
/* The English msgid of an application status ("Eligible"). */
const char *eval_status_label(const char *status);

/* The statuses of an application, for filters. */
#define EVAL_STATUSES_N 9
extern const char *const eval_statuses[EVAL_STATUSES_N + 1]; /* application statuses, NULL-ended */

#endif
