/* mfa_store.c: SQL of the second factor; every write of more than one row is one transaction. */
#include "admin/mfa_store.h"

#include <string.h>

#include "core/arena.h"
#include "core/db.h"
#include "core/log.h"

static int
step_done(struct db *db, sqlite3_stmt *st)
{
        int rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc == SQLITE_DONE)
                return STORE_OK;
        log_error("second factor write: %s", sqlite3_errmsg(db->h));
        return STORE_ERROR;
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
mfa_store_get(struct db *db, long long user_id, struct arena *a, struct mfa_state *out)
{
        memset(out, 0, sizeof(*out));
        sqlite3_stmt *st = db_stmt(db, "SELECT secret, confirmed_at IS NOT NULL,"
                                       " coalesce(confirmed_at, ''), last_step,"
                                       " (SELECT count(*) FROM user_recovery_code r"
                                       " WHERE r.user_id = t.user_id AND r.used_at IS NULL)"
                                       " FROM user_totp t WHERE t.user_id = :u");
        if (st == NULL)
                return STORE_ERROR;
        db_bind_int(st, ":u", user_id);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
                out->secret = db_col_text(a, st, 0);
                out->enabled = db_col_int(st, 1) != 0;
                out->enrolling = !out->enabled;
                out->confirmed_at = db_col_text(a, st, 2);
                out->last_step = db_col_int(st, 3);
                out->recovery_left = db_col_int(st, 4);
        }
        sqlite3_reset(st);
        return rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}

int
mfa_store_begin(struct db *db, long long user_id, const char *secret, struct arena *a)
{
        if (db_begin(db) != 0)
                return STORE_ERROR;
        sqlite3_stmt *st = db_stmt(db, "SELECT confirmed_at IS NOT NULL FROM user_totp"
                                       " WHERE user_id = :u");
        if (st == NULL)
                return finish(db, STORE_ERROR);
        db_bind_int(st, ":u", user_id);
        int rc = sqlite3_step(st);
        int on = rc == SQLITE_ROW && db_col_int(st, 0) != 0;
        sqlite3_reset(st);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE)
                return finish(db, STORE_ERROR);
        if (on)
                return finish(db, STORE_CONFLICT);
        if (rc == SQLITE_ROW)
                st = db_stmt(db, "UPDATE user_totp SET secret = :s, last_step = 0,"
                                 " created_at = :now WHERE user_id = :u");
        else
                st = db_stmt(db, "INSERT INTO user_totp (user_id, secret, last_step, created_at)"
                                 " VALUES (:u, :s, 0, :now)");
        if (st == NULL)
                return finish(db, STORE_ERROR);
        db_bind_int(st, ":u", user_id);
        db_bind_text(st, ":s", secret);
        db_bind_text(st, ":now", db_now(a));
        return finish(db, step_done(db, st));
}

static int
insert_codes(struct db *db, long long user_id, const char *const *hashes, size_t n, const char *now)
{
        sqlite3_stmt *st = db_stmt(db, "DELETE FROM user_recovery_code WHERE user_id = :u");
        if (st == NULL)
                return STORE_ERROR;
        db_bind_int(st, ":u", user_id);
        int rc = step_done(db, st);
        for (size_t i = 0; rc == STORE_OK && i < n; i++) {
                st = db_stmt(db, "INSERT INTO user_recovery_code (user_id, code_hash, created_at)"
                                 " VALUES (:u, :h, :now)");
                if (st == NULL)
                        return STORE_ERROR;
                db_bind_int(st, ":u", user_id);
                db_bind_text(st, ":h", hashes[i]);
                db_bind_text(st, ":now", now);
                rc = step_done(db, st);
        }
        return rc;
}

int
mfa_store_confirm(struct db *db, long long user_id, long long step, const char *const *hashes,
                  size_t n, struct arena *a)
{
        if (db_begin(db) != 0)
                return STORE_ERROR;
        const char *now = db_now(a);
        sqlite3_stmt *st = db_stmt(db, "UPDATE user_totp SET confirmed_at = :now, last_step = :s"
                                       " WHERE user_id = :u AND confirmed_at IS NULL");
        if (st == NULL)
                return finish(db, STORE_ERROR);
        db_bind_text(st, ":now", now);
        db_bind_int(st, ":s", step);
        db_bind_int(st, ":u", user_id);
        int rc = step_done(db, st);
        if (rc == STORE_OK && sqlite3_changes(db->h) != 1)
                rc = STORE_CONFLICT;
        if (rc == STORE_OK)
                rc = insert_codes(db, user_id, hashes, n, now);
        return finish(db, rc);
}

int
mfa_store_use_step(struct db *db, long long user_id, long long step)
{
        /* One statement: of two requests with the same code, only one moves last_step. */
        sqlite3_stmt *st = db_stmt(db, "UPDATE user_totp SET last_step = :s WHERE user_id = :u"
                                       " AND confirmed_at IS NOT NULL AND last_step < :s");
        if (st == NULL)
                return STORE_ERROR;
        db_bind_int(st, ":s", step);
        db_bind_int(st, ":u", user_id);
        int rc = step_done(db, st);
        if (rc == STORE_OK && sqlite3_changes(db->h) != 1)
                rc = STORE_CONFLICT;
        return rc;
}

int
mfa_store_use_recovery(struct db *db, long long user_id, const char *hash, struct arena *a)
{
        sqlite3_stmt *st = db_stmt(db, "UPDATE user_recovery_code SET used_at = :now"
                                       " WHERE user_id = :u AND code_hash = :h AND used_at IS NULL"
                                       " AND EXISTS (SELECT 1 FROM user_totp t WHERE"
                                       " t.user_id = :u AND t.confirmed_at IS NOT NULL)");
        if (st == NULL)
                return STORE_ERROR;
        db_bind_text(st, ":now", db_now(a));
        db_bind_int(st, ":u", user_id);
        db_bind_text(st, ":h", hash);
        int rc = step_done(db, st);
        if (rc == STORE_OK && sqlite3_changes(db->h) != 1)
                rc = STORE_NOT_FOUND;
        return rc;
}

int
mfa_store_replace_recovery(struct db *db, long long user_id, const char *const *hashes, size_t n,
                           struct arena *a)
{
        if (db_begin(db) != 0)
                return STORE_ERROR;
        int on = 0;
        sqlite3_stmt *st = db_stmt(db, "SELECT count(*) FROM user_totp WHERE user_id = :u"
                                       " AND confirmed_at IS NOT NULL");
        if (st == NULL)
                return finish(db, STORE_ERROR);
        db_bind_int(st, ":u", user_id);
        if (sqlite3_step(st) == SQLITE_ROW)
                on = db_col_int(st, 0) > 0;
        sqlite3_reset(st);
        if (!on)
                return finish(db, STORE_CONFLICT);
        return finish(db, insert_codes(db, user_id, hashes, n, db_now(a)));
}

/* Deletes the factor of user_id inside the open transaction; *had says whether it was on. */
static int
delete_factor(struct db *db, long long user_id, int *had)
{
        sqlite3_stmt *st = db_stmt(db, "DELETE FROM user_recovery_code WHERE user_id = :u");
        if (st == NULL)
                return STORE_ERROR;
        db_bind_int(st, ":u", user_id);
        int rc = step_done(db, st);
        st = rc == STORE_OK ? db_stmt(db, "DELETE FROM user_totp WHERE user_id = :u") : NULL;
        if (st == NULL)
                return STORE_ERROR;
        db_bind_int(st, ":u", user_id);
        rc = step_done(db, st);
        *had = rc == STORE_OK && sqlite3_changes(db->h) > 0;
        return rc;
}

int
mfa_store_disable(struct db *db, long long user_id)
{
        if (db_begin(db) != 0)
                return STORE_ERROR;
        int had = 0;
        int rc = delete_factor(db, user_id, &had);
        if (rc == STORE_OK && !had)
                rc = STORE_NOT_FOUND;
        return finish(db, rc);
}

int
mfa_store_reset(struct db *db, long long user_id, long long expected_version)
{
        if (db_begin(db) != 0)
                return STORE_ERROR;
        sqlite3_stmt *st = db_stmt(db, "SELECT version FROM app_user WHERE id = :u");
        if (st == NULL)
                return finish(db, STORE_ERROR);
        db_bind_int(st, ":u", user_id);
        int rc0 = sqlite3_step(st);
        long long version = rc0 == SQLITE_ROW ? db_col_int(st, 0) : -1;
        sqlite3_reset(st);
        if (rc0 != SQLITE_ROW)
                return finish(db, rc0 == SQLITE_DONE ? STORE_NOT_FOUND : STORE_ERROR);
        if (expected_version >= 0 && expected_version != version)
                return finish(db, STORE_CONFLICT);
        int had = 0;
        int rc = delete_factor(db, user_id, &had);
        /* Whoever is logged in as the account now may be the one who has the phone. */
        st = rc == STORE_OK ? db_stmt(db, "DELETE FROM session WHERE user_id = :u") : NULL;
        if (rc == STORE_OK && st == NULL)
                rc = STORE_ERROR;
        if (rc == STORE_OK) {
                db_bind_int(st, ":u", user_id);
                rc = step_done(db, st);
        }
        st = rc == STORE_OK ? db_stmt(db, "DELETE FROM login_pending WHERE user_id = :u") : NULL;
        if (rc == STORE_OK && st == NULL)
                rc = STORE_ERROR;
        if (rc == STORE_OK) {
                db_bind_int(st, ":u", user_id);
                rc = step_done(db, st);
        }
        return finish(db, rc);
}

int
mfa_store_policy(struct db *db, int required[ROLE_COUNT])
{
        for (int i = 0; i < ROLE_COUNT; i++)
                required[i] = 0;
        sqlite3_stmt *st = db_stmt(db, "SELECT role, required FROM second_factor_policy");
        if (st == NULL)
                return STORE_ERROR;
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
                int r = role_from_name((const char *)sqlite3_column_text(st, 0));
                if (r >= 0)
                        required[r] = db_col_int(st, 1) != 0;
        }
        sqlite3_reset(st);
        return rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}

int
mfa_store_set_policy(struct db *db, const int required[ROLE_COUNT])
{
        if (db_begin(db) != 0)
                return STORE_ERROR;
        int rc = STORE_OK;
        for (int i = 0; rc == STORE_OK && i < ROLE_COUNT; i++) {
                sqlite3_stmt *st = db_stmt(db, "UPDATE second_factor_policy SET required = :q"
                                               " WHERE role = :r AND required <> :q");
                if (st == NULL)
                        return finish(db, STORE_ERROR);
                db_bind_text(st, ":r", role_name((enum role)i));
                db_bind_int(st, ":q", required[i] ? 1 : 0);
                rc = step_done(db, st);
        }
        return finish(db, rc);
}

int
mfa_store_role_requires(struct db *db, enum role role)
{
        int required[ROLE_COUNT];
        if (mfa_store_policy(db, required) != STORE_OK)
                return -1;
        return (unsigned)role < ROLE_COUNT ? required[role] : -1;
}
