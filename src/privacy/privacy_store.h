/* privacy_store.h: the register of processing activities, consents, objections and the
 * retention purge in the database. Everything about a person carries the region scope. */
#ifndef MURAFIQ_PRIVACY_STORE_H
#define MURAFIQ_PRIVACY_STORE_H

#include <stddef.h>

#include "core/dates.h"
#include "privacy/privacy.h"
#include "registry/store.h"

struct arena;
struct db;
struct scope;

/* SQL condition: the person whose id is in column col has not objected. Every non-essential
 * list or export of people (the people CSV export, any mailing or contact list, statistics
 * that name people) must carry it; docs/SECURITY.md says which lists are essential. */
#define PRIVACY_NOT_OBJECTED_SQL(col)                                                              \
        "NOT EXISTS (SELECT 1 FROM person_objection o WHERE o.person_id = " col ")"

#define PRIVACY_CONSENTS_MAX 100
#define PRIVACY_AUDIT_MAX    1000

/* Every entry of the register, in order (at most 50). */
int privacy_store_processing_list(struct db *db, struct arena *a, struct processing **items,
                                  size_t *n);
/* One entry; STORE_NOT_FOUND when absent. */
int privacy_store_processing_get(struct db *db, long long id, struct arena *a,
                                 struct processing *out);
/* Saves p over its row from expected_version (STORE_CONFLICT when it changed since, then
 * nothing is written). Sets p->version and p->updated_at. One transaction. */
int privacy_store_processing_update(struct db *db, struct processing *p, long long expected_version,
                                    struct arena *a);

/* The consent wordings, by version (at most 50). */
int privacy_store_wordings(struct db *db, struct arena *a, struct consent_wording **items,
                           size_t *n);

/* The consents of person_id (newest first, at most PRIVACY_CONSENTS_MAX), when the person is
 * within scope (else none). */
int privacy_store_consents(struct db *db, const struct scope *scope, long long person_id,
                           struct arena *a, struct consent **items, size_t *n);
/* One consent of person_id within scope; STORE_NOT_FOUND otherwise. */
int privacy_store_consent_get(struct db *db, const struct scope *scope, long long person_id,
                              long long consent_id, struct arena *a, struct consent *out);
/* Records c for c->person_id (in scope, else STORE_NOT_FOUND), collected by c->collected_by;
 * sets c->id, version and timestamps. One transaction. */
int privacy_store_consent_insert(struct db *db, const struct scope *scope, struct consent *c,
                                 struct arena *a);
/* Withdraws consent_id of person_id on withdrawn_on; STORE_NOT_FOUND when there is no such
 * consent in scope, STORE_CONFLICT when it is withdrawn already. One transaction. */
int privacy_store_consent_withdraw(struct db *db, const struct scope *scope, long long person_id,
                                   long long consent_id, const char *withdrawn_on, struct arena *a);

/* The objection of person_id in *out (STORE_OK), or STORE_NOT_FOUND when none stands. */
int privacy_store_objection_get(struct db *db, const struct scope *scope, long long person_id,
                                struct arena *a, struct objection *out);
/* Records (or replaces) the objection o of person_id, by user_id. STORE_NOT_FOUND when the
 * person is not in scope. One transaction. */
int privacy_store_objection_set(struct db *db, const struct scope *scope, long long person_id,
                                const struct objection *o, long long user_id, struct arena *a);
/* Lifts the objection of person_id; STORE_NOT_FOUND when none stands (or out of scope). */
int privacy_store_objection_lift(struct db *db, const struct scope *scope, long long person_id);

/* One entry of the audit trail about a person (the access export). */
struct privacy_audit_entry {
        const char *at, *login, *action, *entity, *detail;
        long long entity_id;
};
/* The audit entries about person_id (their record, memberships, consents, objection), oldest
 * first, at most PRIVACY_AUDIT_MAX; *available = 0 when this database has no audit trail. */
int privacy_store_audit(struct db *db, long long person_id, struct arena *a,
                        struct privacy_audit_entry **items, size_t *n, int *available);

/*
 * Applies the register's retention periods on as_of (see docs/SECURITY.md): deletes the
 * people without a current membership whose retention (registry) is over, with their
 * consents, objection and membership history; the consents withdrawn more than the registry's
 * retention ago; the sessions expired on as_of (midnight, local time); the failed logins older
 * than the sign-in retention. One transaction; with dry_run the same counts are made and the
 * transaction is rolled back. Returns STORE_OK with *out filled, or STORE_ERROR (nothing
 * changed).
 */
int privacy_store_purge(struct db *db, struct date as_of, int dry_run, struct purge_counts *out);

#endif
