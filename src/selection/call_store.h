/* call_store.h: calls in the database, their versioned rules, and the screening scan. */
#ifndef MURAFIQ_CALL_STORE_H
#define MURAFIQ_CALL_STORE_H

#include <stddef.h>

#include "registry/store.h"
#include "selection/call.h"

struct arena;
struct coop;
struct db;
struct scope;

/* A tranche a call can belong to, with its program, for pickers and headings. */
struct call_tranche {
        long long id, program_id, number, start_year, end_year;
        const char *program_code, *program_name_ar, *program_name_fr, *program_name_en;
};

/* One version of a call's rules, as kept. */
struct call_rules_version {
        long long version;
        const char *rules;      /* JSON text */
        const char *changed_by; /* login, "" when unknown */
        const char *changed_at;
};

/* Every tranche of every program (at most 1000), by program code then number. */
int call_store_tranches(struct db *db, struct arena *a, struct call_tranche **out, size_t *n);
/* One tranche; STORE_NOT_FOUND when absent. */
int call_store_tranche(struct db *db, struct arena *a, long long id, struct call_tranche *out);

/* The calls of a tranche (tranche_id 0: of every tranche), newest opening first, at most 500,
 * with their program and tranche but without criteria, seats or rules. */
int call_store_list(struct db *db, struct arena *a, long long tranche_id, struct call **out,
                    size_t *n);

/* One call with its criteria (in order), seats (by region) and current rules. */
int call_store_get(struct db *db, struct arena *a, long long id, struct call *out);

/*
 * Inserts c with its criteria, seats and rules (version 1, changed by user_id) in one
 * transaction; sets c->id, version, rules_version and timestamps. STORE_DUPLICATE when the code
 * is taken, STORE_NOT_FOUND when the tranche does not exist.
 */
int call_store_insert(struct db *db, struct arena *a, struct call *c, long long user_id);

/*
 * Updates c's fields from expected_version, and replaces its criteria and seats with c's (one
 * transaction). STORE_CONFLICT when the version changed, STORE_DUPLICATE when the new code is
 * taken, STORE_NOT_FOUND when the call or the tranche does not exist.
 */
int call_store_update(struct db *db, struct arena *a, struct call *c, long long expected_version);

/*
 * Records rules (n of them) as the call's next version, from expected_rules_version (the version
 * the editor started from): STORE_CONFLICT when someone saved another version meanwhile. Sets
 * *new_version. One transaction.
 */
int call_store_save_rules(struct db *db, struct arena *a, long long call_id,
                          long long expected_rules_version, const struct elig_rule *rules, size_t n,
                          long long user_id, long long *new_version);

/* Every version of a call's rules, newest first. */
int call_store_rules_history(struct db *db, struct arena *a, long long call_id,
                             struct call_rules_version **out, size_t *n);

/*
 * The screening scan: calls fn once for each cooperative of the caller's scope (and of region,
 * when not ""), in id order, with already_accompanied set when program_id
 * accompanies it. The coop's strings point into SQLite's memory and last only during the call;
 * only the fields the rules read are set (with id, register_number, names, province). fn
 * returns 0 to go on, -1 to stop. Returns STORE_OK or STORE_ERROR.
 */
typedef int (*call_screen_fn)(void *ctx, const struct coop *c, int already_accompanied);
int call_store_screen(struct db *db, const struct scope *scope, long long program_id,
                      const char *region, call_screen_fn fn, void *ctx);

/* The same scan as a cursor, for a streamed export: call_store_screen_next fills *c (strings
 * valid until the next call) and returns 1, or 0 at the end, or -1 on error; both reset the
 * statement at the end. */
struct sqlite3_stmt;
struct sqlite3_stmt *call_store_screen_open(struct db *db, const struct scope *scope,
                                            long long program_id, const char *region);
int call_store_screen_next(struct sqlite3_stmt *st, struct coop *c, int *already_accompanied);

/* Whether evaluators scored applications of call_id already (1 or 0), or -1 on error. */
int call_store_has_scores(struct db *db, long long call_id);

/* Whether program_id accompanies cooperative_id (0 or 1), or -1 on error. */
int call_store_accompanied(struct db *db, long long program_id, long long cooperative_id);

#endif
