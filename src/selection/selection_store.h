/* selection_store.h: selection runs in the database: what a run reads from the applications,
 * the draws that break its ties, what it records, and the promotions after a withdrawal. */
#ifndef MURAFIQ_SELECTION_STORE_H
#define MURAFIQ_SELECTION_STORE_H

#include <stddef.h>

#include "registry/store.h"
#include "selection/application.h"
#include "selection/call.h"
#include "selection/run.h"

struct arena;
struct db;
struct scope;

/* A recorded run. */
struct stored_run {
        long long id, call_id, number, rules_version;
        const char *input, *result; /* JSON texts, as run_input_to_json / run_result_to_json */
        const char *run_by;         /* login, "" when unknown */
        const char *run_at;
};

/* One outcome of a run, with its application and cooperative, for lists and letters. */
struct sel_row {
        long long application_id, cooperative_id;
        const char *register_number, *name_ar, *name_fr, *region, *app_status;
        const char *status, *reason, *by; /* selection.h codes */
        long long rank, total, waitlist, region_waitlist;
};

/* Counts of a call's applications, for the readiness panel and the dashboard. */
struct sel_counts {
        long long by_status[APP_STATUS_COUNT]; /* by enum app_status */
        long long unscored;                    /* eligible, not yet fully scored */
};

/*
 * Reads what a run of call c reads: every application of the call that is neither a draft nor
 * withdrawn, as a candidate (eligible unless 'ineligible'; fully scored when it has a total;
 * the gender-equality mean of its submitted evaluations; women and members from its eligibility
 * snapshot), the call's seats, minimum score and national pool. Fills out->in (in a), no tie
 * orders yet. Returns STORE_OK or STORE_ERROR.
 */
int selection_store_inputs(struct db *db, struct arena *a, const struct call *c,
                           struct run_input *out);

/* The counts of call_id's applications by status. */
int selection_store_counts(struct db *db, long long call_id, struct sel_counts *out);

/*
 * For each tied group (selection_ties), the publicly verifiable draw that orders it: a group
 * without one gets a draft draw (its pool the group's applications in id order) linked to the
 * call, in one transaction. Sets *orders to the drawn orders of the groups whose draw is drawn,
 * and *pending to the ids of the draws not drawn yet. Returns STORE_OK or STORE_ERROR.
 */
int selection_store_ties(struct db *db, struct arena *a, const struct call *c,
                         const struct sel_tie_group *groups, size_t n, long long user_id,
                         struct sel_tie_order **orders, size_t *norders, long long **pending,
                         size_t *npending);

/*
 * Records a run of call c (inputs ri, result r) as its current run, in one transaction: the
 * previous run stops being current; outcomes are written; applications take their new status
 * (selected, waitlisted, rejected; the others keep theirs), each change with an event naming the
 * run; the program's accompanied cooperatives of this call follow the selected ones. Sets
 * *run_id and *number. Returns STORE_OK or STORE_ERROR.
 */
int selection_store_record(struct db *db, struct arena *a, const struct call *c,
                           const struct run_input *ri, const struct sel_result *r,
                           long long user_id, long long *run_id, long long *number);

/* The current run of call_id; STORE_NOT_FOUND when there is none. */
int selection_store_current(struct db *db, struct arena *a, long long call_id,
                            struct stored_run *out);
/* Run run_id; STORE_NOT_FOUND when absent. */
int selection_store_run(struct db *db, struct arena *a, long long run_id, struct stored_run *out);

/* The outcomes of run_id within scope (rank order, then the unranked by id), of region when not
 * "", at most 5000. */
int selection_store_outcomes(struct db *db, struct arena *a, const struct scope *scope,
                             long long run_id, const char *region, struct sel_row **out, size_t *n);

/* One application's outcome in the current run of its call; STORE_NOT_FOUND when it has none. */
int selection_store_outcome_of(struct db *db, struct arena *a, long long application_id,
                               struct sel_row *out, struct stored_run *run);

/* What a decision letter says of one application (in scope). */
struct sel_letter {
        long long application_id, call_id, cooperative_id;
        const char *register_number, *name_ar, *name_fr, *address, *region, *province;
        const char *status, *submitted_at, *eligibility_input;
        long long rules_version, total; /* total -1 when not scored */
        int has_outcome;
        struct sel_row outcome; /* when has_outcome: its place in the current run */
        long long run_number;
};
/* Reads the letter of application_id within scope; STORE_NOT_FOUND when absent or out of
 * scope. */
int selection_store_letter(struct db *db, struct arena *a, const struct scope *scope,
                           long long application_id, struct sel_letter *out);

/* The rules of version `version` of call_id (parsed into a); STORE_NOT_FOUND when absent. */
int selection_store_rules_at(struct db *db, struct arena *a, long long call_id, long long version,
                             struct elig_rule **rules, size_t *n);

/* A region's applications by status (enum app_status), within scope. */
struct sel_region_status {
        const char *region;
        long long by_status[APP_STATUS_COUNT];
};
int selection_store_by_region(struct db *db, struct arena *a, const struct scope *scope,
                              long long call_id, struct sel_region_status **out, size_t *n);

/* The applications of run_id that withdrew after it, in the order they withdrew. */
int selection_store_withdrawals(struct db *db, struct arena *a, const struct stored_run *run,
                                long long **ids, size_t *n);

/*
 * Inside the caller's transaction, after application_id was withdrawn: when the current run of
 * its call holds it, replays the run with every withdrawal since (run_replay), writes the
 * outcomes that changed, and moves the promoted application (if any) to 'selected' with an
 * event naming the withdrawal. Sets *promoted (0 when nobody was). STORE_OK when there was
 * nothing to do.
 */
int selection_store_after_withdrawal(struct db *db, struct arena *a, long long application_id,
                                     long long user_id, long long *promoted);

#endif
