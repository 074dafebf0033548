/* coop_store.h: cooperatives in the database, always seen through the caller's region scope. */
#ifndef MURAFIQ_COOP_STORE_H
#define MURAFIQ_COOP_STORE_H

#include <stddef.h>
#include <stdio.h>

#include <sqlite3.h>

#include "registry/coop.h"
#include "registry/store.h"

struct arena;
struct db;
struct scope;

/*
 * The ids of the cooperatives of word_region (a condition on w.region_code) each of whose
 * search words :w1 to :w6 (store_bind_words) begins a word of the name: coop_word, migration
 * 015. The first word, the longest, is read from the region's entries; the others are looked up
 * among each candidate's own words. char(1114111), U+10FFFF, sorts after every character: the
 * words in [w, w || it) are those that begin with w.
 */
#define COOP_WORD_MORE(n)                                                                          \
        " AND (:w" #n " = '' OR EXISTS (SELECT 1 FROM coop_word x WHERE x.coop_id = w.coop_id"     \
        " AND x.word >= :w" #n " AND x.word < :w" #n " || char(1114111)))"
#define COOP_WORD_IDS(word_region)                                                                 \
        "SELECT w.coop_id FROM coop_word w WHERE " word_region                                     \
        " AND w.word >= :w1 AND w.word < :w1 || char(1114111)" COOP_WORD_MORE(2) COOP_WORD_MORE(3) \
            COOP_WORD_MORE(4) COOP_WORD_MORE(5) COOP_WORD_MORE(6)
/* The same in every region, for the other modules' searches of cooperatives (their own scope
 * applies). */
#define COOP_WORD_IDS_ALL COOP_WORD_IDS("w.region_code IN (SELECT code FROM region)")

enum coop_sort {
        COOP_SORT_NAME_FR,
        COOP_SORT_NAME_AR,
        COOP_SORT_LEGAL_DATE,
        COOP_SORT_REGISTER,
        COOP_SORT_MEMBERS,
        COOP_SORT_COUNT
};

struct coop_filter {
        const char *q;          /* folded search text ("" = none): every word must match */
        const char *q_raw;      /* the query as typed: matched exactly against register numbers */
        const char *region;     /* "" = any */
        const char *province;   /* "" = any */
        const char *sector;     /* "" = any */
        const char *status;     /* "" = any */
        const char *legal_from; /* legal_date >= this ("" = no bound) */
        const char *legal_to;   /* legal_date <= this */
        enum coop_sort sort;
        int desc;
        long long limit, offset;
};

/* Lists a page of cooperatives matching f within scope into *items (arena), with *total the
 * number of all matching rows. */
int coop_store_list(struct db *db, const struct scope *scope, const struct coop_filter *f,
                    struct arena *a, struct coop **items, size_t *n, long long *total);

/* Calls row() for every cooperative matching f within scope, in register-number order
 * (export); stops when row() returns non-zero. The coop passed is valid during the call only. */
int coop_store_each(struct db *db, const struct scope *scope, const struct coop_filter *f,
                    struct arena *scratch, int (*row)(void *ctx, const struct coop *c), void *ctx);

/* Starts reading every cooperative matching f within scope, in register-number order: returns
 * the statement to pass to coop_store_next, or NULL. The statement belongs to db's cache: use
 * db for nothing else until the last row is read. */
sqlite3_stmt *coop_store_cursor(struct db *db, const struct scope *scope,
                                const struct coop_filter *f, struct arena *a);
/* Reads the next row into *c (strings in a): 1, or 0 at the end (the statement is reset), or -1. */
int coop_store_next(sqlite3_stmt *st, struct arena *a, struct coop *c);

/* Reads one cooperative; STORE_NOT_FOUND when absent or outside scope. */
int coop_store_get(struct db *db, const struct scope *scope, long long id, struct arena *a,
                   struct coop *out);

/*
 * Inserts c (id, version and timestamps are set on success). Refuses a region outside scope
 * (STORE_FORBIDDEN), a taken register number (STORE_DUPLICATE), and, unless confirm_similar, a
 * cooperative with the same folded name in the same province (STORE_POSSIBLE_DUPLICATE, with
 * *similar_id set). Runs in its own transaction; nothing is written on failure.
 */
int coop_store_insert(struct db *db, const struct scope *scope, struct coop *c, int confirm_similar,
                      long long *similar_id, struct arena *a);

/* Updates c->id from expected_version (STORE_CONFLICT when it changed); the row must be in scope
 * before and after. Same duplicate rules as insert (the row itself excluded). */
int coop_store_update(struct db *db, const struct scope *scope, struct coop *c,
                      long long expected_version, int confirm_similar, long long *similar_id,
                      struct arena *a);

/* Inserts c inside the caller's transaction (bulk import): the same checks as
 * coop_store_insert except the similar-name check, which needs a person to confirm. */
int coop_store_insert_tx(struct db *db, const struct scope *scope, struct coop *c, struct arena *a);

/* A one-line fold of name_ar and name_fr used for search and duplicates. */
char *coop_name_fold(struct arena *a, const struct coop *c);

#endif
