/* selection_web.h: what the selection pages and API share: running a call's selection for
 * the request's user, checking a recorded run by replaying it, and the words of outcomes. */
#ifndef MURAFIQ_SELECTION_WEB_H
#define MURAFIQ_SELECTION_WEB_H

#include "core/http.h"
#include "selection/call.h"
#include "selection/selection.h"
#include "selection/selection_store.h"

enum selection_outcome {
        SELECTION_DONE,       /* recorded: run_id, number */
        SELECTION_UNSCORED,   /* eligible applications are not fully scored; not confirmed */
        SELECTION_NEEDS_DRAW, /* tied groups wait for their draws: pending[0..npending) */
        SELECTION_INVALID,    /* selection.h refused the input: problem */
};

struct selection_attempt {
        enum selection_outcome outcome;
        struct sel_counts counts;
        long long run_id, number;
        long long *pending;
        size_t npending;
        struct sel_problem problem;
};

/* Runs the selection of c (see selection_store.h for what it reads and records); unscored
 * eligible applications stop it unless confirm_unscored. Returns 0 with *out filled, or -1 on a
 * database error. */
int selection_try_run(struct request *req, const struct call *c, int confirm_unscored,
                      struct selection_attempt *out);

/* Replays run (its inputs and the withdrawals since) and compares with its recorded result:
 * *identical. Returns 0, or -1 on a database error. */
int selection_replay_check(struct request *req, const struct stored_run *run, int *identical);

/* Evaluates rules on the cooperative recorded in snapshot (eligibility_input_to_json's form),
 * on c's reference date, explained in lang. Returns 0, or -1 when the snapshot is unreadable. */
int selection_explain_snapshot(struct request *req, const struct call *c,
                               const struct elig_rule *rules, size_t n, const char *snapshot,
                               enum lang lang, struct elig_result *out);

/* English labels (msgids) and sentences of outcomes; codes back to values (-1 when unknown). */
const char *selection_status_label(enum sel_status s);
const char *selection_reason_text(enum lang lang, enum sel_reason r);
int selection_status_from_code(const char *code);
int selection_reason_from_code(const char *code);

#endif
