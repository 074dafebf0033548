/* org_store.h: organisations in the database. They are not personal data: no region scope. */
#ifndef MURAFIQ_ORG_STORE_H
#define MURAFIQ_ORG_STORE_H

#include <stddef.h>

#include "registry/org.h"
#include "registry/store.h"

struct arena;
struct db;

struct org_filter {
        const char *q;    /* folded search text ("" = none): every word must match */
        const char *kind; /* "" = any */
        int by_name_ar;   /* order by the Arabic name, else the French name */
        long long limit, offset;
};

/* Lists a page of organisations matching f into *items (arena), with *total the number of all
 * matching rows. */
int org_store_list(struct db *db, const struct org_filter *f, struct arena *a, struct org **items,
                   size_t *n, long long *total);

/* Reads one organisation; STORE_NOT_FOUND when absent. */
int org_store_get(struct db *db, long long id, struct arena *a, struct org *out);

/* Inserts o (id, version and timestamps are set on success), in its own transaction. */
int org_store_insert(struct db *db, struct org *o, struct arena *a);

/* Updates o->id from expected_version (STORE_CONFLICT when it changed since; STORE_NOT_FOUND
 * when absent), in its own transaction. */
int org_store_update(struct db *db, struct org *o, long long expected_version, struct arena *a);

#endif
