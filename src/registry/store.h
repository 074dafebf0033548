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
        STORE_UNREADABLE = -7,         /* an encrypted field does not open with this key */
};

/* SQL fragment that limits rows to the caller's regions; bind with store_bind_scope. */
#define SCOPE_SQL(col)                                                                             \
        "(:scope_all = 1 OR " col " IN (SELECT region_code FROM user_region"                       \
        " WHERE user_id = :scope_user))"

/* A search matches when every word of the folded query appears in name_fold. Queries with more
 * words are refused by the list filters (store_word_count). */
#define STORE_MAX_WORDS 6
#define WORDS_SQL                                                                                  \
        "(:w1 = '' OR instr(name_fold, :w1) > 0) AND (:w2 = '' OR instr(name_fold, :w2) > 0)"      \
        " AND (:w3 = '' OR instr(name_fold, :w3) > 0) AND (:w4 = '' OR instr(name_fold, :w4) > 0)" \
        " AND (:w5 = '' OR instr(name_fold, :w5) > 0) AND (:w6 = '' OR instr(name_fold, :w6) > 0)"

struct arena;
struct db;
struct scope;
struct sqlite3_stmt;
/* Binds :scope_all and :scope_user of a statement that uses SCOPE_SQL. */
void store_bind_scope(struct sqlite3_stmt *st, const struct scope *s);
/* Binds :w1 to :w6 of WORDS_SQL to the words of the folded query q, the longest first (unused
 * ones to "", which the SQL reads as "no condition"). */
void store_bind_words(struct sqlite3_stmt *st, const char *q, struct arena *a);
/* The number of words of a folded query. */
int store_word_count(const char *q);
/* 1 when a record of region may be written by a user of this scope. */
int store_region_in_scope(struct db *db, const struct scope *scope, const char *region);

#endif
