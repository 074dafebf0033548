/* draw_store.h: publicly verifiable draws in the database: pool, announced sources, result. */
#ifndef MURAFIQ_DRAW_STORE_H
#define MURAFIQ_DRAW_STORE_H

#include <stddef.h>

#include "registry/store.h"

struct arena;
struct db;

/* A draw moves draft -> published (pool frozen) -> drawn (sources, key and result frozen). */
struct draw {
        long long id;
        const char *title, *description;
        long long select_count;
        const char *sources_announced; /* which random sources will be used, said in advance */
        const char *status;            /* draft, published, drawn */
        const char *sources;           /* the values entered, one source per line */
        const char *key_string;        /* RFC 3797 key computed from them */
        const char *published_at, *drawn_at; /* "" until then */
        long long pool_size;                 /* entries in the pool (read only) */
        long long version;
        const char *created_at, *updated_at;
};

struct draw_detail {
        struct draw d;
        const char **entries; /* pool, in published order (position = index + 1) */
        size_t nentries;
        long long *result; /* selected pool positions (1-based), in selection order */
        size_t nresult;
};

/* The draws, most recent first: at most limit (1 to 200) from offset, drafts only when
 * with_drafts; *total counts them all. Strings in the arena. */
int draw_store_list(struct db *db, struct arena *a, int with_drafts, long long limit,
                    long long offset, struct draw **out, size_t *n, long long *total);
/* One draw with its pool and result; STORE_NOT_FOUND when absent. */
int draw_store_get(struct db *db, struct arena *a, long long id, struct draw_detail *out);
/* Creates a draft with its pool (labels, in order); sets d->id. One transaction. */
int draw_store_create(struct db *db, struct arena *a, struct draw *d, const char *const *labels,
                      size_t nlabels, long long user_id);
/* The same inside the caller's transaction (which rolls back on failure). */
int draw_store_create_tx(struct db *db, struct arena *a, struct draw *d, const char *const *labels,
                         size_t nlabels, long long user_id);
/* Freezes the pool of a draft (STORE_CONFLICT when not a draft or the version changed). */
int draw_store_publish(struct db *db, struct arena *a, long long id, long long version);
/* Records the entered sources, the key and the selected positions (1-based, n equal to its
 * select_count) of a published draw (STORE_CONFLICT when not published or the version
 * changed). One transaction: on any failure nothing is stored. */
int draw_store_record(struct db *db, struct arena *a, long long id, long long version,
                      const char *sources, const char *key, const long long *positions, size_t n);

#endif
