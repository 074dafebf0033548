/* org_store.c: SQL for organisations (not personal data, so no region scope). */
#include "registry/org_store.h"

#include <string.h>

#include "core/arena.h"
#include "core/db.h"
#include "core/log.h"
#include "core/text.h"

#define ORG_COLUMNS                                                                                \
        "id, name_ar, name_fr, acronym, kind, COALESCE(region_code, ''), phone, email, website,"   \
        " notes, version, created_at, updated_at"

static void
read_org(sqlite3_stmt *st, struct arena *a, struct org *o)
{
        int i = 0;
        o->id = db_col_int(st, i++);
        o->name_ar = db_col_text(a, st, i++);
        o->name_fr = db_col_text(a, st, i++);
        o->acronym = db_col_text(a, st, i++);
        o->kind = db_col_text(a, st, i++);
        o->region_code = db_col_text(a, st, i++);
        o->phone = db_col_text(a, st, i++);
        o->email = db_col_text(a, st, i++);
        o->website = db_col_text(a, st, i++);
        o->notes = db_col_text(a, st, i++);
        o->version = db_col_int(st, i++);
        o->created_at = db_col_text(a, st, i++);
        o->updated_at = db_col_text(a, st, i++);
}

/* name_fold holds the folded names and acronym (org_fold): "odco" finds "ODCO". */
#define ORG_WHERE                                                                                  \
        " WHERE (:kind = '' OR kind = :kind)"                                                      \
        " AND " WORDS_SQL

#define ORG_LIST(order)                                                                            \
        "SELECT " ORG_COLUMNS " FROM organisation" ORG_WHERE " ORDER BY " order                    \
        " LIMIT :limit OFFSET :offset"

static const char *const list_sql[2] = {
    ORG_LIST("name_fr COLLATE NOCASE, id"),
    ORG_LIST("name_ar, id"),
};

static void
bind_filter(sqlite3_stmt *st, const struct org_filter *f, struct arena *a)
{
        db_bind_text(st, ":kind", f->kind ? f->kind : "");
        store_bind_words(st, f->q, a);
}

int
org_store_list(struct db *db, const struct org_filter *f, struct arena *a, struct org **items,
               size_t *n, long long *total)
{
        *items = NULL;
        *n = 0;
        *total = 0;
        sqlite3_stmt *st = db_stmt(db, "SELECT COUNT(*) FROM organisation" ORG_WHERE);
        if (st == NULL)
                return STORE_ERROR;
        bind_filter(st, f, a);
        if (sqlite3_step(st) != SQLITE_ROW)
                goto fail;
        *total = db_col_int(st, 0);
        sqlite3_reset(st);
        if (*total == 0 || f->offset >= *total)
                return STORE_OK;

        st = db_stmt(db, list_sql[f->by_name_ar ? 1 : 0]);
        if (st == NULL)
                return STORE_ERROR;
        bind_filter(st, f, a);
        db_bind_int(st, ":limit", f->limit);
        db_bind_int(st, ":offset", f->offset);
        size_t cap = (size_t)(f->limit > 0 && f->limit < 1000 ? f->limit : 1000);
        *items = arena_alloc(a, cap * sizeof(**items));
        int rc = SQLITE_DONE;
        while (*n < cap && (rc = sqlite3_step(st)) == SQLITE_ROW)
                read_org(st, a, &(*items)[(*n)++]);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE)
                goto fail;
        sqlite3_reset(st);
        return STORE_OK;
fail:
        log_error("org list: %s", sqlite3_errmsg(db->h));
        sqlite3_reset(st);
        return STORE_ERROR;
}

int
org_store_get(struct db *db, long long id, struct arena *a, struct org *out)
{
        sqlite3_stmt *st = db_stmt(db, "SELECT " ORG_COLUMNS " FROM organisation WHERE id = :id");
        if (st == NULL)
                return STORE_ERROR;
        db_bind_int(st, ":id", id);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
                read_org(st, a, out);
        sqlite3_reset(st);
        return rc == SQLITE_ROW ? STORE_OK : rc == SQLITE_DONE ? STORE_NOT_FOUND : STORE_ERROR;
}

static void
bind_org(sqlite3_stmt *st, const struct org *o, struct arena *a)
{
        db_bind_text(st, ":name_ar", o->name_ar);
        db_bind_text(st, ":name_fr", o->name_fr);
        db_bind_text(st, ":name_fold", org_fold(a, o->name_ar, o->name_fr, o->acronym));
        db_bind_text(st, ":acronym", o->acronym ? o->acronym : "");
        db_bind_text(st, ":kind", o->kind);
        if (o->region_code && o->region_code[0])
                db_bind_text(st, ":region_code", o->region_code);
        else
                db_bind_null(st, ":region_code");
        db_bind_text(st, ":phone", o->phone ? o->phone : "");
        db_bind_text(st, ":email", o->email ? o->email : "");
        db_bind_text(st, ":website", o->website ? o->website : "");
        db_bind_text(st, ":notes", o->notes ? o->notes : "");
        db_bind_text(st, ":now", o->updated_at);
}

static int
step_write(struct db *db, sqlite3_stmt *st)
{
        int rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc == SQLITE_DONE)
                return STORE_OK;
        log_error("org write: %s", sqlite3_errmsg(db->h));
        return STORE_ERROR;
}

int
org_store_insert(struct db *db, struct org *o, struct arena *a)
{
        if (db_begin(db) != 0)
                return STORE_ERROR;
        int rc = STORE_ERROR;
        o->created_at = o->updated_at = db_now(a);
        sqlite3_stmt *st = db_stmt(
            db, "INSERT INTO organisation (name_ar, name_fr, name_fold, acronym, kind,"
                " region_code, phone, email, website, notes, version, created_at, updated_at)"
                " VALUES (:name_ar, :name_fr, :name_fold, :acronym, :kind, :region_code,"
                " :phone, :email, :website, :notes, 1, :now, :now)");
        if (st == NULL)
                goto fail;
        bind_org(st, o, a);
        rc = step_write(db, st);
        if (rc != STORE_OK)
                goto fail;
        o->id = sqlite3_last_insert_rowid(db->h);
        o->version = 1;
        if (db_commit(db) != 0) {
                rc = STORE_ERROR;
                goto fail;
        }
        return STORE_OK;
fail:
        db_rollback(db);
        return rc;
}

int
org_store_update(struct db *db, struct org *o, long long expected_version, struct arena *a)
{
        if (db_begin(db) != 0)
                return STORE_ERROR;
        struct org old;
        int rc = org_store_get(db, o->id, a, &old);
        if (rc != STORE_OK)
                goto fail;
        if (old.version != expected_version) {
                rc = STORE_CONFLICT;
                goto fail;
        }
        o->updated_at = db_now(a);
        sqlite3_stmt *st =
            db_stmt(db, "UPDATE organisation SET name_ar = :name_ar, name_fr = :name_fr,"
                        " name_fold = :name_fold, acronym = :acronym, kind = :kind,"
                        " region_code = :region_code, phone = :phone, email = :email,"
                        " website = :website, notes = :notes, version = version + 1,"
                        " updated_at = :now WHERE id = :id AND version = :version");
        rc = STORE_ERROR;
        if (st == NULL)
                goto fail;
        bind_org(st, o, a);
        db_bind_int(st, ":id", o->id);
        db_bind_int(st, ":version", expected_version);
        rc = step_write(db, st);
        if (rc != STORE_OK)
                goto fail;
        if (sqlite3_changes(db->h) != 1) {
                rc = STORE_CONFLICT;
                goto fail;
        }
        if (db_commit(db) != 0) {
                rc = STORE_ERROR;
                goto fail;
        }
        o->version = expected_version + 1;
        o->created_at = old.created_at;
        return STORE_OK;
fail:
        db_rollback(db);
        return rc;
}
