/* draw_store.c: SQL for draws. Draws are public records, not regional data: no region scope. */
#include "selection/draw_store.h"

#include <string.h>

#include "core/arena.h"
#include "core/db.h"
#include "core/log.h"

#define DRAW_COLUMNS                                                                               \
        "id, title, description, select_count, sources_announced, status, sources, key_string,"    \
        " COALESCE(published_at, ''), COALESCE(drawn_at, ''),"                                     \
        " (SELECT COUNT(*) FROM draw_entry WHERE draw_id = draw.id), version, created_at,"         \
        " updated_at"

static void
read_draw(sqlite3_stmt *st, struct arena *a, struct draw *d)
{
        int i = 0;
        d->id = db_col_int(st, i++);
        d->title = db_col_text(a, st, i++);
        d->description = db_col_text(a, st, i++);
        d->select_count = db_col_int(st, i++);
        d->sources_announced = db_col_text(a, st, i++);
        d->status = db_col_text(a, st, i++);
        d->sources = db_col_text(a, st, i++);
        d->key_string = db_col_text(a, st, i++);
        d->published_at = db_col_text(a, st, i++);
        d->drawn_at = db_col_text(a, st, i++);
        d->pool_size = db_col_int(st, i++);
        d->version = db_col_int(st, i++);
        d->created_at = db_col_text(a, st, i++);
        d->updated_at = db_col_text(a, st, i++);
}

int
draw_store_list(struct db *db, struct arena *a, int with_drafts, long long limit, long long offset,
                struct draw **out, size_t *n, long long *total)
{
        *n = 0;
        *total = 0;
        if (limit < 1 || limit > 200)
                limit = 200;
        *out = arena_alloc(a, (size_t)limit * sizeof(**out));
        sqlite3_stmt *st =
            db_stmt(db, "SELECT COUNT(*) FROM draw WHERE :drafts = 1 OR status <> 'draft'");
        if (st == NULL)
                return STORE_ERROR;
        db_bind_int(st, ":drafts", with_drafts ? 1 : 0);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
                *total = db_col_int(st, 0);
        sqlite3_reset(st);
        if (rc != SQLITE_ROW)
                return STORE_ERROR;
        st = db_stmt(db, "SELECT " DRAW_COLUMNS " FROM draw"
                         " WHERE :drafts = 1 OR status <> 'draft'"
                         " ORDER BY id DESC LIMIT :limit OFFSET :offset");
        if (st == NULL)
                return STORE_ERROR;
        db_bind_int(st, ":drafts", with_drafts ? 1 : 0);
        db_bind_int(st, ":limit", limit);
        db_bind_int(st, ":offset", offset > 0 ? offset : 0);
        while ((rc = sqlite3_step(st)) == SQLITE_ROW && *n < (size_t)limit)
                read_draw(st, a, &(*out)[(*n)++]);
        sqlite3_reset(st);
        return rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}

int
draw_store_get(struct db *db, struct arena *a, long long id, struct draw_detail *out)
{
        memset(out, 0, sizeof(*out));
        sqlite3_stmt *st = db_stmt(db, "SELECT " DRAW_COLUMNS " FROM draw WHERE id = :id");
        if (st == NULL)
                return STORE_ERROR;
        db_bind_int(st, ":id", id);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
                read_draw(st, a, &out->d);
        sqlite3_reset(st);
        if (rc != SQLITE_ROW)
                return rc == SQLITE_DONE ? STORE_NOT_FOUND : STORE_ERROR;

        long long count = out->d.pool_size;
        out->entries = arena_alloc(a, ((size_t)count + 1) * sizeof(*out->entries));
        st = db_stmt(db, "SELECT label FROM draw_entry WHERE draw_id = :id ORDER BY position");
        if (st == NULL)
                return STORE_ERROR;
        db_bind_int(st, ":id", id);
        rc = SQLITE_DONE;
        while (out->nentries < (size_t)count && (rc = sqlite3_step(st)) == SQLITE_ROW)
                out->entries[out->nentries++] = db_col_text(a, st, 0);
        sqlite3_reset(st);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE)
                return STORE_ERROR;

        out->result = arena_alloc(a, ((size_t)count + 1) * sizeof(*out->result));
        st = db_stmt(db, "SELECT position FROM draw_result WHERE draw_id = :id ORDER BY rank");
        if (st == NULL)
                return STORE_ERROR;
        db_bind_int(st, ":id", id);
        rc = SQLITE_DONE;
        while (out->nresult < (size_t)count && (rc = sqlite3_step(st)) == SQLITE_ROW)
                out->result[out->nresult++] = db_col_int(st, 0);
        sqlite3_reset(st);
        return rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}

int
draw_store_create_tx(struct db *db, struct arena *a, struct draw *d, const char *const *labels,
                     size_t nlabels, long long user_id)
{
        d->created_at = d->updated_at = db_now(a);
        sqlite3_stmt *st = db_stmt(
            db, "INSERT INTO draw (title, description, select_count, sources_announced, status,"
                " created_by, created_at, updated_at) VALUES (:title, :description, :count,"
                " :announced, 'draft', :user, :now, :now)");
        if (st == NULL)
                goto fail;
        db_bind_text(st, ":title", d->title);
        db_bind_text(st, ":description", d->description ? d->description : "");
        db_bind_int(st, ":count", d->select_count);
        db_bind_text(st, ":announced", d->sources_announced ? d->sources_announced : "");
        if (user_id > 0)
                db_bind_int(st, ":user", user_id);
        else
                db_bind_null(st, ":user");
        db_bind_text(st, ":now", d->created_at);
        int rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc != SQLITE_DONE)
                goto fail;
        d->id = sqlite3_last_insert_rowid(db->h);
        for (size_t i = 0; i < nlabels; i++) {
                st = db_stmt(db, "INSERT INTO draw_entry (draw_id, position, label)"
                                 " VALUES (:id, :pos, :label)");
                if (st == NULL)
                        goto fail;
                db_bind_int(st, ":id", d->id);
                db_bind_int(st, ":pos", (long long)i + 1);
                db_bind_text(st, ":label", labels[i]);
                rc = sqlite3_step(st);
                sqlite3_reset(st);
                if (rc != SQLITE_DONE)
                        goto fail;
        }
        d->status = "draft";
        d->version = 1;
        return STORE_OK;
fail:
        log_error("draw create: %s", sqlite3_errmsg(db->h));
        return STORE_ERROR;
}

int
draw_store_create(struct db *db, struct arena *a, struct draw *d, const char *const *labels,
                  size_t nlabels, long long user_id)
{
        if (db_begin(db) != 0)
                return STORE_ERROR;
        if (draw_store_create_tx(db, a, d, labels, nlabels, user_id) != STORE_OK ||
            db_commit(db) != 0) {
                db_rollback(db);
                return STORE_ERROR;
        }
        return STORE_OK;
}

/* Moves draw id from status `from` to `to` at version; 1 when a row changed. */
static int
advance(struct db *db, struct arena *a, long long id, long long version, const char *from,
        const char *to, const char *sources, const char *key)
{
        sqlite3_stmt *st = db_stmt(
            db, "UPDATE draw SET status = :to, version = version + 1, updated_at = :now,"
                " published_at = CASE WHEN :to = 'published' THEN :now ELSE published_at END,"
                " drawn_at = CASE WHEN :to = 'drawn' THEN :now ELSE drawn_at END,"
                " sources = :sources, key_string = :key"
                " WHERE id = :id AND version = :version AND status = :from");
        if (st == NULL)
                return -1;
        db_bind_text(st, ":to", to);
        db_bind_text(st, ":from", from);
        db_bind_text(st, ":now", db_now(a));
        db_bind_text(st, ":sources", sources);
        db_bind_text(st, ":key", key);
        db_bind_int(st, ":id", id);
        db_bind_int(st, ":version", version);
        int rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc != SQLITE_DONE)
                return -1;
        return sqlite3_changes(db->h);
}

int
draw_store_publish(struct db *db, struct arena *a, long long id, long long version)
{
        if (db_begin(db) != 0)
                return STORE_ERROR;
        int changed = advance(db, a, id, version, "draft", "published", "", "");
        if (changed < 0 || (changed == 1 && db_commit(db) != 0)) {
                db_rollback(db);
                return STORE_ERROR;
        }
        if (changed == 0) {
                db_rollback(db);
                return STORE_CONFLICT;
        }
        return STORE_OK;
}

int
draw_store_record(struct db *db, struct arena *a, long long id, long long version,
                  const char *sources, const char *key, const long long *positions, size_t n)
{
        if (db_begin(db) != 0)
                return STORE_ERROR;
        int changed = advance(db, a, id, version, "published", "drawn", sources, key);
        if (changed < 0)
                goto fail;
        if (changed == 0) {
                db_rollback(db);
                return STORE_CONFLICT;
        }
        for (size_t i = 0; i < n; i++) {
                sqlite3_stmt *st = db_stmt(db, "INSERT INTO draw_result (draw_id, rank, position)"
                                               " VALUES (:id, :rank, :pos)");
                if (st == NULL)
                        goto fail;
                db_bind_int(st, ":id", id);
                db_bind_int(st, ":rank", (long long)i + 1);
                db_bind_int(st, ":pos", positions[i]);
                int rc = sqlite3_step(st);
                sqlite3_reset(st);
                if (rc != SQLITE_DONE)
                        goto fail;
        }
        if (db_commit(db) != 0)
                goto fail;
        return STORE_OK;
fail:
        log_error("draw record: %s", sqlite3_errmsg(db->h));
        db_rollback(db);
        return STORE_ERROR;
}
