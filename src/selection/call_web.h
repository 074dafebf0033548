/* call_web.h: what the call pages and the call API share: the screening of the registry for
 * the logged-in user, the rules of an editor form, and the names used in explanations. */
#ifndef MURAFIQ_CALL_WEB_H
#define MURAFIQ_CALL_WEB_H

#include <stdint.h>

#include "core/http.h"
#include "core/validate.h"
#include "registry/coop.h"
#include "selection/call_store.h"

/* One cooperative of a screening list: copied into the request's arena. */
struct screen_row {
        struct coop c;
        int accompanied;
        uint64_t failed; /* bit i: rule i failed */
};

enum screen_filter { SCREEN_ALL, SCREEN_ELIGIBLE, SCREEN_INELIGIBLE };

struct screen_view {
        struct screen_tally tally; /* over every cooperative of the user's scope */
        struct screen_row *rows;   /* the page [offset, offset + limit) of the filtered list */
        size_t nrows;
        long long matched; /* cooperatives of the filtered list */
};

/*
 * Screens the cooperatives of the user's scope against rules (nrules of them) on the call's
 * reference date, in one pass: the tally covers them all; the list keeps those of region (""
 * for all) and filter, and copies the page [offset, offset + limit) (limit 0: none). Returns
 * 0, or -1 on a database error.
 */
int call_screen(struct request *req, const struct call *c, const struct elig_rule *rules,
                size_t nrules, const char *region, enum screen_filter filter, long long offset,
                long long limit, struct screen_view *out);

/* Names regions and provinces for the explanations, in the request's language (an
 * elig_name_fn; ctx is the request). */
const char *call_code_name(void *ctx, const char *kind, const char *code);

/* Evaluates rules for one cooperative with explanations in the request's language. */
int call_explain(struct request *req, const struct call *c, const struct elig_rule *rules,
                 size_t nrules, const struct coop *coop, int accompanied, struct elig_result *out);

/* Reads the call of the route's {id} into *c; otherwise answers 404 or 500 and returns -1. */
int call_load_or_reply(struct request *req, struct call *c);

/* The call's title and its program's name in the request's language. */
const char *call_title(struct request *req, const struct call *c);
const char *call_program_name(struct request *req, const struct call *c);

/* Refuses a change of c's scoring (criteria, weights, maxima) once evaluators have scored its
 * applications: returns -1 with an error on "criteria" in e, or -1 without one on a database
 * error, or 0 when the change is allowed. */
int call_grid_frozen(struct request *req, const struct call *c, struct errs *e);

/* A sentence describing a rule ("Legal age at most 4 years"), in the request's language. */
const char *call_rule_text(struct request *req, const struct elig_rule *r);

#endif
