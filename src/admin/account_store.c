/* account_store.c: SQL for user accounts; every write is one transaction with a version check. */
#include "admin/account_store.h"

#include <string.h>

#include "core/arena.h"
#include "core/db.h"
#include "core/log.h"

#define ACCOUNT_COLUMNS                                                                            \
        "u.id, u.login, u.role, u.lang, u.disabled, u.must_change_password,"                       \
        " COALESCE(u.last_login_at, ''), u.created_at, COALESCE(u.updated_at, u.created_at),"      \
        " u.version, COALESCE((SELECT group_concat(region_code, ',') FROM (SELECT region_code"     \
        " FROM user_region r WHERE r.user_id = u.id ORDER BY region_code)), '')"

/* "03,06" -> {"03", "06", NULL} in the arena. */
static const char **
split_regions(struct arena *a, const char *s)
{
        size_t n = *s ? 1 : 0;
        for (const char *p = s; *p; p++)
                n += *p == ',';
        const char **out = arena_alloc(a, (n + 1) * sizeof(*out));
        size_t i = 0;
        const char *start = s;
        for (const char *p = s; n > 0; p++) {
                if (*p == ',' || *p == '\0') {
                        out[i++] = arena_strndup(a, start, (size_t)(p - start));
                        if (*p == '\0')
                                break;
                        start = p + 1;
                }
        }
        out[i] = NULL;
        return out;
}

static void
read_account(sqlite3_stmt *st, struct arena *a, struct account *o)
{
        int i = 0;
        o->id = db_col_int(st, i++);
        o->login = db_col_text(a, st, i++);
        o->role = db_col_text(a, st, i++);
        o->lang = db_col_text(a, st, i++);
        o->disabled = db_col_int(st, i++) != 0;
        o->must_change_password = db_col_int(st, i++) != 0;
        o->last_login_at = db_col_text(a, st, i++);
        o->created_at = db_col_text(a, st, i++);
        o->updated_at = db_col_text(a, st, i++);
        o->version = db_col_int(st, i++);
        o->regions = split_regions(a, db_col_text(a, st, i++));
}

int
account_store_list(struct db *db, struct arena *a, struct account **items, size_t *n)
{
        *items = NULL;
        *n = 0;
        sqlite3_stmt *st = db_stmt(db, "SELECT COUNT(*) FROM app_user");
        if (st == NULL || sqlite3_step(st) != SQLITE_ROW) {
                if (st)
                        sqlite3_reset(st);
                return STORE_ERROR;
        }
        size_t cap = (size_t)db_col_int(st, 0) + 1;
        sqlite3_reset(st);
        st = db_stmt(db, "SELECT " ACCOUNT_COLUMNS " FROM app_user u ORDER BY u.login");
        if (st == NULL)
                return STORE_ERROR;
        *items = arena_alloc(a, cap * sizeof(**items));
        int rc = SQLITE_DONE;
        while (*n < cap && (rc = sqlite3_step(st)) == SQLITE_ROW)
                read_account(st, a, &(*items)[(*n)++]);
        sqlite3_reset(st);
        return rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}

int
account_store_get(struct db *db, long long id, struct arena *a, struct account *out)
{
        sqlite3_stmt *st =
            db_stmt(db, "SELECT " ACCOUNT_COLUMNS " FROM app_user u WHERE u.id = :id");
        if (st == NULL)
                return STORE_ERROR;
        db_bind_int(st, ":id", id);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
                read_account(st, a, out);
        sqlite3_reset(st);
        return rc == SQLITE_ROW ? STORE_OK : rc == SQLITE_DONE ? STORE_NOT_FOUND : STORE_ERROR;
}

int
account_store_find(struct db *db, const char *login, struct arena *a, struct account *out)
{
        sqlite3_stmt *st =
            db_stmt(db, "SELECT " ACCOUNT_COLUMNS " FROM app_user u WHERE u.login = :login");
        if (st == NULL)
                return STORE_ERROR;
        db_bind_text(st, ":login", login);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
                read_account(st, a, out);
        sqlite3_reset(st);
        return rc == SQLITE_ROW ? STORE_OK : rc == SQLITE_DONE ? STORE_NOT_FOUND : STORE_ERROR;
}

static int
step_write(struct db *db, sqlite3_stmt *st)
{
        int rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc == SQLITE_DONE)
                return STORE_OK;
        if (rc == SQLITE_CONSTRAINT_UNIQUE)
                return STORE_DUPLICATE;
        log_error("account write: %s", sqlite3_errmsg(db->h));
        return STORE_ERROR;
}

static int
write_regions(struct db *db, long long id, const char **regions)
{
        sqlite3_stmt *st = db_stmt(db, "DELETE FROM user_region WHERE user_id = :u");
        if (st == NULL)
                return STORE_ERROR;
        db_bind_int(st, ":u", id);
        int rc = step_write(db, st);
        for (size_t i = 0; rc == STORE_OK && regions && regions[i]; i++) {
                st = db_stmt(db, "INSERT INTO user_region (user_id, region_code) VALUES (:u, :r)");
                if (st == NULL)
                        return STORE_ERROR;
                db_bind_int(st, ":u", id);
                db_bind_text(st, ":r", regions[i]);
                rc = step_write(db, st);
        }
        return rc;
}

/* Checks the row's version inside the open transaction. */
static int
check_version(struct db *db, long long id, long long expected)
{
        sqlite3_stmt *st = db_stmt(db, "SELECT version FROM app_user WHERE id = :id");
        if (st == NULL)
                return STORE_ERROR;
        db_bind_int(st, ":id", id);
        int rc = sqlite3_step(st);
        long long v = rc == SQLITE_ROW ? db_col_int(st, 0) : -1;
        sqlite3_reset(st);
        if (rc == SQLITE_DONE)
                return STORE_NOT_FOUND;
        if (rc != SQLITE_ROW)
                return STORE_ERROR;
        return v == expected ? STORE_OK : STORE_CONFLICT;
}

static int
delete_sessions(struct db *db, long long id, const char *keep)
{
        sqlite3_stmt *st =
            db_stmt(db, "DELETE FROM session WHERE user_id = :u AND id_hash <> :keep");
        if (st == NULL)
                return STORE_ERROR;
        db_bind_int(st, ":u", id);
        db_bind_text(st, ":keep", keep ? keep : "");
        return step_write(db, st);
}

static int
finish(struct db *db, int rc)
{
        if (rc == STORE_OK && db_commit(db) != 0)
                rc = STORE_ERROR;
        if (rc != STORE_OK)
                db_rollback(db);
        return rc;
}

int
account_store_insert(struct db *db, struct account *acc, const char *hash, struct arena *a)
{
        if (db_begin(db) != 0)
                return STORE_ERROR;
        acc->created_at = acc->updated_at = db_now(a);
        sqlite3_stmt *st =
            db_stmt(db, "INSERT INTO app_user (login, password_hash, role, lang, disabled,"
                        " must_change_password, created_at, updated_at, version)"
                        " VALUES (:login, :hash, :role, :lang, 0, :must, :now, :now, 1)");
        int rc = STORE_ERROR;
        if (st == NULL)
                return finish(db, rc);
        db_bind_text(st, ":login", acc->login);
        db_bind_text(st, ":hash", hash);
        db_bind_text(st, ":role", acc->role);
        db_bind_text(st, ":lang", acc->lang ? acc->lang : "ar");
        db_bind_int(st, ":must", acc->must_change_password);
        db_bind_text(st, ":now", acc->created_at);
        rc = step_write(db, st);
        if (rc == STORE_OK) {
                acc->id = sqlite3_last_insert_rowid(db->h);
                acc->version = 1;
                rc = write_regions(db, acc->id, acc->regions);
        }
        return finish(db, rc);
}

int
account_store_update(struct db *db, struct account *acc, long long expected_version,
                     struct arena *a)
{
        if (db_begin(db) != 0)
                return STORE_ERROR;
        int rc = check_version(db, acc->id, expected_version);
        if (rc != STORE_OK)
                return finish(db, rc);
        acc->updated_at = db_now(a);
        sqlite3_stmt *st = db_stmt(db, "UPDATE app_user SET role = :role, lang = :lang,"
                                       " updated_at = :now, version = version + 1"
                                       " WHERE id = :id AND version = :version");
        if (st == NULL)
                return finish(db, STORE_ERROR);
        db_bind_text(st, ":role", acc->role);
        db_bind_text(st, ":lang", acc->lang);
        db_bind_text(st, ":now", acc->updated_at);
        db_bind_int(st, ":id", acc->id);
        db_bind_int(st, ":version", expected_version);
        rc = step_write(db, st);
        if (rc == STORE_OK && sqlite3_changes(db->h) != 1)
                rc = STORE_CONFLICT;
        if (rc == STORE_OK)
                rc = write_regions(db, acc->id, acc->regions);
        if (rc == STORE_OK)
                acc->version = expected_version + 1;
        return finish(db, rc);
}

int
account_store_set_disabled(struct db *db, long long id, int disabled, long long expected_version,
                           struct arena *a)
{
        if (db_begin(db) != 0)
                return STORE_ERROR;
        int rc = check_version(db, id, expected_version);
        if (rc != STORE_OK)
                return finish(db, rc);
        sqlite3_stmt *st = db_stmt(db, "UPDATE app_user SET disabled = :d, updated_at = :now,"
                                       " version = version + 1 WHERE id = :id AND version = :v");
        if (st == NULL)
                return finish(db, STORE_ERROR);
        db_bind_int(st, ":d", disabled ? 1 : 0);
        db_bind_text(st, ":now", db_now(a));
        db_bind_int(st, ":id", id);
        db_bind_int(st, ":v", expected_version);
        rc = step_write(db, st);
        if (rc == STORE_OK && sqlite3_changes(db->h) != 1)
                rc = STORE_CONFLICT;
        if (rc == STORE_OK && disabled) {
                rc = delete_sessions(db, id, NULL);
                st = db_stmt(db, "DELETE FROM api_token WHERE user_id = :u");
                if (rc == STORE_OK && st == NULL)
                        rc = STORE_ERROR;
                if (rc == STORE_OK) {
                        db_bind_int(st, ":u", id);
                        rc = step_write(db, st);
                }
        }
        return finish(db, rc);
}

int
account_store_reset_password(struct db *db, long long id, const char *hash,
                             long long expected_version, struct arena *a)
{
        if (db_begin(db) != 0)
                return STORE_ERROR;
        int rc = check_version(db, id, expected_version);
        if (rc != STORE_OK)
                return finish(db, rc);
        sqlite3_stmt *st = db_stmt(db, "UPDATE app_user SET password_hash = :hash,"
                                       " must_change_password = 1, updated_at = :now,"
                                       " version = version + 1 WHERE id = :id AND version = :v");
        if (st == NULL)
                return finish(db, STORE_ERROR);
        db_bind_text(st, ":hash", hash);
        db_bind_text(st, ":now", db_now(a));
        db_bind_int(st, ":id", id);
        db_bind_int(st, ":v", expected_version);
        rc = step_write(db, st);
        if (rc == STORE_OK && sqlite3_changes(db->h) != 1)
                rc = STORE_CONFLICT;
        if (rc == STORE_OK)
                rc = delete_sessions(db, id, NULL);
        return finish(db, rc);
}

int
account_store_change_password(struct db *db, long long id, const char *hash,
                              const char *keep_session_hash, struct arena *a)
{
        if (db_begin(db) != 0)
                return STORE_ERROR;
        sqlite3_stmt *st = db_stmt(db, "UPDATE app_user SET password_hash = :hash,"
                                       " must_change_password = 0, updated_at = :now,"
                                       " version = version + 1 WHERE id = :id AND disabled = 0");
        if (st == NULL)
                return finish(db, STORE_ERROR);
        db_bind_text(st, ":hash", hash);
        db_bind_text(st, ":now", db_now(a));
        db_bind_int(st, ":id", id);
        int rc = step_write(db, st);
        if (rc == STORE_OK && sqlite3_changes(db->h) != 1)
                rc = STORE_NOT_FOUND;
        if (rc == STORE_OK)
                rc = delete_sessions(db, id, keep_session_hash);
        return finish(db, rc);
}
