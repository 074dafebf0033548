/* store.h: results shared by the registry's storage functions. */
#ifndef MURAFIQ_STORE_H
#define MURAFIQ_STORE_H

enum store_rc {
        STORE_OK = 0,
        STORE_ERROR = -1,              /* database failure (logged) */
        STORE_NOT_FOUND = -2,          /* absent, or outside the caller's region scope */
        STORE_DUPLICATE = -3,          /* a unique key is taken (register number) */
        STORE_CONFLICT = -4,           /* the row changed since the caller read it (version) */
        STORE_FORBIDDEN = -5,          /* the write would put the row outside the caller's scope */
        STORE_POSSIBLE_DUPLICATE = -6, /* a near-identical record exists; confirm to go on */
};

/* SQL fragment that limits rows to the caller's regions; bind with store_bind_scope. */
#define SCOPE_SQL(col)                                                                             \
        "(:scope_all = 1 OR " col " IN (SELECT region_code FROM user_region"                       \
        " WHERE user_id = :scope_user))"

struct arena;
struct db;
struct scope;
struct sqlite3_stmt;
/* Binds :scope_all and :scope_user of a statement that uses SCOPE_SQL. */
void store_bind_scope(struct sqlite3_stmt *st, const struct scope *s);
/* Binds :w1 to :w4 to the first four words of the folded query q (unused ones to "", which
 * the SQL reads as "no condition"): every word must appear in name_fold. */
void store_bind_words(struct sqlite3_stmt *st, const char *q, struct arena *a);
/* 1 when a record of region may be written by a user of this scope. */
int store_region_in_scope(struct db *db, const struct scope *scope, const char *region);

#endif
