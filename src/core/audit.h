/* audit.h: the append-only, hash-chained audit trail.
 *
 * Every row written to an audited table is recorded by triggers that db_open generates from
 * the schema (every table but those audit.c names as technical), with the field-level
 * before/after values of the change; secret columns are recorded as changed, never their
 * values. Who and from where come from the connection's actor, set per request by the
 * router and per command by the command line. Events that write nothing (logins, refusals,
 * exports) are appended with audit_event. Each entry carries the hash of the one before:
 * audit_verify recomputes the chain and names the first entry that does not match. */
#ifndef MURAFIQ_AUDIT_H
#define MURAFIQ_AUDIT_H

#include <stddef.h>

struct db;
struct arena;

/* The hash of the entry before the first one. */
#define AUDIT_GENESIS  "0000000000000000000000000000000000000000000000000000000000000000"
#define AUDIT_HASH_HEX 65 /* 32-byte BLAKE2b as hex, with its NUL */

/* One entry, as stored. detail is JSON: for writes {"changes": {"field": [before, after]}}
 * (before is null on insert, after is null on delete); for events what the event says. */
struct audit_entry {
        long long id;
        const char *at;    /* UTC, "YYYY-MM-DDTHH:MM:SS.sssZ" */
        long long user_id; /* 0 when no user (a failed login, the command line) */
        const char *login; /* as known at the time ("cli:..." for the command line) */
        const char *ip;
        const char *action; /* insert, update, delete, login, login_failed, logout, refused... */
        const char *entity; /* table name, or "" */
        long long entity_id;
        const char *detail;
        const char *prev_hash;
        const char *hash;
};

/* The hash of an entry given the hash before it (pure): BLAKE2b-256 over every field,
 * each length-prefixed so that no two entries encode alike. out gets hex + NUL. */
void audit_hash(const struct audit_entry *e, const char *prev_hash, char out[AUDIT_HASH_HEX]);

/* The field-level difference of two JSON objects of column values (pure): the detail
 * {"changes": {"col": [before, after]}} of the columns whose value differs, secret columns
 * (audit_column_is_secret) given as "***". before or after may be NULL (insert, delete; then
 * only the columns with a value are listed). Returns a malloc'd string, or NULL when nothing
 * changed or the input is not two JSON objects. The triggers call the SQL function
 * audit_changes instead, which gives the same detail byte for byte from the row's values
 * without writing and parsing JSON (tests/unit/test_audit.c compares the two); this path
 * stays for tables too wide for one function call (SQLite allows 127 arguments). */
char *audit_diff(const char *before_json, const char *after_json);

/* Column names whose values never enter the trail: hashes (password_hash...), secrets,
 * national ID numbers, tokens, recovery codes, keys. */
int audit_column_is_secret(const char *column);

/* Who does what on this connection from now on: user 0 for none. login and ip are copied. */
void audit_set_actor(struct db *db, long long user_id, const char *login, const char *ip);
/* Turns the recording of writes off (bulk demo generation) or back on. */
void audit_set_enabled(struct db *db, int on);
/* For bulk generation: turns recording off and drops the connection's audit triggers, so that
 * a write runs no trigger program (an idle one still costs a frame and makes SQLite keep a
 * journal of the statement); audit_resume makes them again and turns recording on. Inside
 * the caller's transaction, a rollback restores the triggers. Return 0 or -1. */
int audit_suspend(struct db *db);
int audit_resume(struct db *db);

/* Appends one event in its own transaction, or in the caller's when one is open. detail is
 * a JSON object or NULL. Returns 0 or -1. */
int audit_event(struct db *db, const char *action, const char *entity, long long entity_id,
                const char *detail_json);

/* The same with a detail of string pairs: key, value, ..., NULL (values may be NULL). */
int audit_event_pairs(struct db *db, const char *action, const char *entity, long long entity_id,
                      ...) __attribute__((sentinel));

/* Registers the SQL functions the triggers call and (re)creates the triggers of every
 * audited table. Called by db_open after migrations. Returns 0 or -1. */
int audit_install(struct db *db);

/* Walks the whole chain. Returns the number of entries checked, or -1 with *bad_id set to
 * the first entry whose hash or link does not match (and *why to a short English reason). */
long long audit_verify(struct db *db, long long *bad_id, const char **why);

#endif
