/* application_store.h: applications and their history in the database, always seen through the
 * caller's region scope (the application's region is its cooperative's). */
#ifndef MURAFIQ_APPLICATION_STORE_H
#define MURAFIQ_APPLICATION_STORE_H

#include <stddef.h>

#include "registry/store.h"
#include "selection/application.h"

struct arena;
struct db;
struct scope;

struct application_filter {
        long long call_id;  /* 0 = any */
        const char *region; /* "" = any */
        const char *status; /* "" = any */
        const char *q;      /* folded search in the cooperative's names ("" = none) */
        const char *q_raw;  /* the query as typed: matched exactly against register numbers */
        long long limit, offset;
};

/* Lists a page of applications matching f within scope into *items (arena), newest first, with
 * *total the number of all matching rows and counts[s] the number matching f whatever their
 * status (counts may be NULL). */
int application_store_list(struct db *db, const struct scope *scope,
                           const struct application_filter *f, struct arena *a,
                           struct application **items, size_t *n, long long *total,
                           long long counts[APP_STATUS_COUNT]);

/* Reads one application with its cooperative and call; STORE_NOT_FOUND when absent or outside
 * scope. */
int application_store_get(struct db *db, const struct scope *scope, long long id, struct arena *a,
                          struct application *out);

/* The history of application id (within scope), oldest first, at most 500 events. */
int application_store_events(struct db *db, const struct scope *scope, long long id,
                             struct arena *a, struct application_event **out, size_t *n);

/*
 * Inserts a new draft for app->call_id and app->cooperative_id with its project, created by
 * user_id, and the history's first event, in one transaction. The cooperative must be within
 * scope (STORE_NOT_FOUND otherwise), and the call must exist (STORE_NOT_FOUND). A cooperative
 * that already applied to the call gives STORE_DUPLICATE with *existing_id set. Sets app's id,
 * region, status, version and timestamps.
 */
int application_store_insert(struct db *db, const struct scope *scope, struct application *app,
                             long long user_id, long long *existing_id, struct arena *a);
/* The same inside the caller's transaction (bulk import). */
int application_store_insert_tx(struct db *db, const struct scope *scope, struct application *app,
                                long long user_id, long long *existing_id, struct arena *a);

/* Updates the project of draft app->id from expected_version: STORE_CONFLICT when it changed
 * since (or is not a draft any more), STORE_NOT_FOUND outside scope. One transaction. */
int application_store_update(struct db *db, const struct scope *scope, struct application *app,
                             long long expected_version, struct arena *a);

/*
 * The status changes, each in one transaction with its history event(s) by user_id. Each
 * re-reads the application within scope and checks that its version is still expected_version
 * and its status still allows the change (STORE_CONFLICT otherwise, *why then says why when it
 * is the status: APP_REFUSED_STATUS, else APP_OK for a stale version); STORE_NOT_FOUND outside
 * scope. The caller has checked the role with application_check. On success *app is the
 * application as it is now.
 *
 * submit: draft -> submitted (submitted_at now), then evaluates eligibility with the call's
 * current rules on its reference date and the cooperative's current data, keeps the snapshot
 * and moves on to eligible or ineligible (two events). re-evaluate: the same evaluation again
 * for an eligible or ineligible application, with reason. withdraw: to withdrawn, with reason.
 */
int application_store_submit(struct db *db, const struct scope *scope, long long id,
                             long long expected_version, long long user_id, struct arena *a,
                             struct application *app, enum app_refusal *why);
int application_store_reevaluate(struct db *db, const struct scope *scope, long long id,
                                 long long expected_version, const char *reason, long long user_id,
                                 struct arena *a, struct application *app, enum app_refusal *why);
int application_store_withdraw(struct db *db, const struct scope *scope, long long id,
                               long long expected_version, const char *reason, long long user_id,
                               struct arena *a, struct application *app, enum app_refusal *why);

/* The rules of version `version` of call_id, as JSON text (in a); STORE_NOT_FOUND when the
 * version does not exist. */
int application_store_rules_text(struct db *db, long long call_id, long long version,
                                 struct arena *a, const char **rules_json);

#endif
