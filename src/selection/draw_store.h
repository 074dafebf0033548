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
        const char *published_at, *drawn_at;
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

/* The most recent draws (at most 200), drafts only when with_drafts. */
int draw_store_list(struct db *db, struct arena *a, int with_drafts, struct draw **out, size_t *n);
/* One draw with its pool and result; STORE_NOT_FOUND when absent. */
int draw_store_get(struct db *db, struct arena *a, long long id, struct draw_detail *out);
/* Creates a draft with its pool (labels, in order); sets d->id. One transaction. */
int draw_store_create(struct db *db, struct arena *a, struct draw *d, const char *const *labels,
                      size_t nlabels, long long user_id);
/* Freezes the pool of a draft (STORE_CONFLICT when not a draft or the version changed). */
int draw_store_publish(struct db *db, struct arena *a, long long id, long long version);
/* Records the entered sources, the key and the selected positions of a published draw
 * (STORE_CONFLICT when not published or the version changed). One transaction. */
int draw_store_record(struct db *db, struct arena *a, long long id, long long version,
                      const char *sources, const char *key, const long long *positions, size_t n);

#endif
