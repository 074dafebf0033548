/* audit_store.h: reading the audit trail: the filtered list, a record's history, the values
 * the filters offer. Writing is core/audit.c's: nothing here appends or changes an entry. */
#ifndef MURAFIQ_AUDIT_STORE_H
#define MURAFIQ_AUDIT_STORE_H

#include <stddef.h>

#include "core/audit.h"

struct db;
struct arena;

#define AUDIT_PAGE_SIZE   50
#define AUDIT_HISTORY_MAX 20

/* Every field optional ("" or 0: any). from and to are dates (YYYY-MM-DD), both included. */
struct audit_filter {
        const char *login;
        const char *entity;
        long long entity_id;
        const char *action;
        const char *from, *to;
};

/* Entries matching f, newest first, page by page (from 1). *more says whether an older page
 * exists. Returns STORE_OK or STORE_ERROR. */
int audit_store_list(struct db *db, struct arena *a, const struct audit_filter *f, long long page,
                     struct audit_entry **items, size_t *n, int *more);

/* The latest entries about one record (entity, id), newest first, at most max. */
int audit_store_history(struct db *db, struct arena *a, const char *entity, long long id,
                        size_t max, struct audit_entry **items, size_t *n);

/* The distinct entities present, for the filter's select (NULL-terminated). */
int audit_store_entities(struct db *db, struct arena *a, const char ***out);

#endif
