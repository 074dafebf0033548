/* application_web.h: what the application pages and the application API share: who may read an
 * application, the list filters, the preparation of a new application, the answers to refused
 * changes and the eligibility explained again in the reader's language. */
#ifndef MURAFIQ_APPLICATION_WEB_H
#define MURAFIQ_APPLICATION_WEB_H

#include "core/http.h"
#include "core/validate.h"
#include "selection/application_store.h"
#include "selection/call.h"

/*
 * 1 when the logged-in user may read app, which the store found within their scope. Every page
 * and endpoint that shows an application asks this (after the route's permission), so that a
 * later rule (an evaluator assigned to the application) is added here and nowhere else.
 */
int application_can_read(const struct request *req, const struct application *app);

/* The APP_BY_* bit of the logged-in user. */
unsigned application_actor_of(const struct request *req);

/* Reads the list filters (call, region, status, q, page, per_page) from the query string into f
 * (strings in the arena). Bad values add errors to e. */
void application_filter_from_query(struct request *req, struct application_filter *f,
                                   struct errs *e, long long *page, long long *per_page);

/*
 * Prepares a new application from get(): call_id, the cooperative by register_number (or by
 * cooperative_id, for the API) within the user's scope, and the project's fields. Fills app and
 * *call. Returns 0 when it may be created, else the error to answer, with every problem in e
 * (ERR_VALIDATION for fields, ERR_CONFLICT when the call is not open to the user, ERR_FORBIDDEN
 * when the role may not create).
 */
int application_prepare_new(struct request *req, struct application *app, struct call *call,
                            struct errs *e, field_get_fn get, void *ctx, enum app_error *err);

/* Answers a refused or failed change (store result rc, refusal why of action). */
void application_reply_failure(struct request *req, int rc, enum app_refusal why,
                               enum app_action action);

/* One rule of a stored evaluation, explained again. */
struct app_explained_line {
        const char *kind;        /* eligibility_kind_code */
        int pass;                /* as stored */
        const char *measured;    /* as stored */
        const char *rule;        /* the rule in words ("" when the rules could not be read) */
        const char *explanation; /* in the reader's language ("" when it could not be replayed) */
};

struct app_explained {
        int evaluated;              /* the application holds an evaluation */
        int eligible;               /* its stored verdict */
        int replayed;               /* explained again from the stored inputs and rules version */
        int agrees;                 /* the replay gave the stored verdict of every rule */
        const char *reference_date; /* "YYYY-MM-DD" as stored ("" when unreadable) */
        struct app_explained_line *lines;
        size_t n;
};

/*
 * Explains app's stored evaluation in the reader's language: the stored breakdown (verdict,
 * measured values) is what was decided; the explanations are computed again by evaluating the
 * rules of the stored rules_version on the stored inputs and reference date (call_explain),
 * which gives the same decision by construction; agrees says it did. Returns 0, or -1 on a
 * database error.
 */
int application_explain(struct request *req, const struct application *app,
                        struct app_explained *out);

/* The title of app's call in the reader's language, and its cooperative's name. */
const char *application_call_title(const struct request *req, const struct application *app);
const char *application_coop_name(const struct request *req, const struct application *app);

#endif
