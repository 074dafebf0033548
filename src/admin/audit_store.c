/* audit_store.c: the SQL that reads the audit trail. */
#include "admin/audit_store.h"

#include <string.h>

#include "core/arena.h"
#include "core/db.h"
#include "registry/store.h"

#define ENTRY_COLUMNS                                                                              \
        "id, at, COALESCE(user_id, 0), login, ip, action, entity, COALESCE(entity_id, 0),"         \
        " detail, prev_hash, hash"

static void
read_entry(struct arena *a, sqlite3_stmt *st, struct audit_entry *e)
{
        e->id = db_col_int(st, 0);
        e->at = db_col_text(a, st, 1);
        e->user_id = db_col_int(st, 2);
        e->login = db_col_text(a, st, 3);
        e->ip = db_col_text(a, st, 4);
        e->action = db_col_text(a, st, 5);
        e->entity = db_col_text(a, st, 6);
        e->entity_id = db_col_int(st, 7);
        e->detail = db_col_text(a, st, 8);
        e->prev_hash = db_col_text(a, st, 9);
        e->hash = db_col_text(a, st, 10);
}

/* Steps st to the end, keeping at most max entries (one more tells that there are more). */
static int
read_entries(struct arena *a, sqlite3_stmt *st, size_t max, struct audit_entry **items, size_t *n,
             int *more)
{
        struct audit_entry *out = arena_alloc(a, (max + 1) * sizeof(*out));
        size_t k = 0;
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW && k <= max)
                read_entry(a, st, &out[k++]);
        sqlite3_reset(st);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE)
                return STORE_ERROR;
        if (more)
                *more = k > max;
        *items = out;
        *n = k > max ? max : k;
        return STORE_OK;
}

int
audit_store_list(struct db *db, struct arena *a, const struct audit_filter *f, long long page,
                 struct audit_entry **items, size_t *n, int *more)
{
        /* One literal for every combination of filters; the date bounds compare as text
         * ("2026-12-01" sorts before "2026-12-01T..."), the upper one as the next day. */
        sqlite3_stmt *st = db_stmt(db, "SELECT " ENTRY_COLUMNS " FROM audit_log"
                                       " WHERE (:login = '' OR login = :login)"
                                       " AND (:entity = '' OR entity = :entity)"
                                       " AND (:eid = 0 OR entity_id = :eid)"
                                       " AND (:action = '' OR action = :action)"
                                       " AND (:from = '' OR at >= :from)"
                                       " AND (:to = '' OR at < date(:to, '+1 day'))"
                                       " ORDER BY id DESC LIMIT :lim OFFSET :off");
        if (st == NULL || db_bind_text(st, ":login", f->login ? f->login : "") ||
            db_bind_text(st, ":entity", f->entity ? f->entity : "") ||
            db_bind_int(st, ":eid", f->entity_id) ||
            db_bind_text(st, ":action", f->action ? f->action : "") ||
            db_bind_text(st, ":from", f->from ? f->from : "") ||
            db_bind_text(st, ":to", f->to ? f->to : "") ||
            db_bind_int(st, ":lim", AUDIT_PAGE_SIZE + 1) ||
            db_bind_int(st, ":off", (page - 1) * AUDIT_PAGE_SIZE))
                return STORE_ERROR;
        return read_entries(a, st, AUDIT_PAGE_SIZE, items, n, more);
}

int
audit_store_history(struct db *db, struct arena *a, const char *entity, long long id, size_t max,
                    struct audit_entry **items, size_t *n)
{
        sqlite3_stmt *st = db_stmt(db, "SELECT " ENTRY_COLUMNS " FROM audit_log"
                                       " WHERE entity = :entity AND entity_id = :eid"
                                       " ORDER BY id DESC LIMIT :lim");
        if (st == NULL || db_bind_text(st, ":entity", entity) || db_bind_int(st, ":eid", id) ||
            db_bind_int(st, ":lim", (long long)max))
                return STORE_ERROR;
        return read_entries(a, st, max, items, n, NULL);
}

static int
read_strings(struct arena *a, sqlite3_stmt *st, const char ***out)
{
        size_t cap = 64, k = 0;
        const char **v = arena_alloc(a, (cap + 1) * sizeof(*v));
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW && k < cap)
                v[k++] = db_col_text(a, st, 0);
        sqlite3_reset(st);
        v[k] = NULL;
        *out = v;
        return rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}

int
audit_store_entities(struct db *db, struct arena *a, const char ***out)
{
        /* Walks the (entity, entity_id, id) index, not the table. */
        sqlite3_stmt *st = db_stmt(db, "SELECT DISTINCT entity FROM audit_log"
                                       " WHERE entity <> '' ORDER BY entity");
        return st ? read_strings(a, st, out) : STORE_ERROR;
}
