/* mfa_store.c: SQL of the second factor; every write of more than one row is one transaction. */
#include "admin/mfa_store.h"

#include <string.h>

#include "core/arena.h"
#include "core/db.h"
#include "core/log.h"
#include "core/secret.h"

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

/* The TOTP secret is sealed with the key file, like national ID numbers: a copy of the
 * database alone (a backup, a stolen disk) then gives no one the codes of an account. An
 * earlier version stored it as text; mfa_store_seal_plain encrypts those. */

/* The secret of column i: opened when sealed (a BLOB), as is when text from an earlier version;
 * NULL when it does not open with the process's key. */
static const char *
secret_column(struct arena *a, sqlite3_stmt *st, int i, long long user_id)
{
        if (sqlite3_column_type(st, i) != SQLITE_BLOB)
                return db_col_text(a, st, i);
        char *out =
            secret_open_text(a, sqlite3_column_blob(st, i), (size_t)sqlite3_column_bytes(st, i));
        if (out == NULL)
                log_error("user %lld: the second factor's secret does not open with %s", user_id,
                          secret_unopened_why());
        return out;
}

/* Binds secret, sealed with the process's key, to :s; -1 without a key. */
static int
bind_sealed(sqlite3_stmt *st, const char *secret, struct arena *a)
{
        const struct secret_key *k = secret_key_process();
        size_t len = strlen(secret);
        if (k == NULL || len > SECRET_TEXT_MAX) {
                log_error("second factor: %s", k ? "secret too long" : "no key file loaded");
                return -1;
        }
        unsigned char *box = arena_alloc(a, len + SECRET_BOX_OVERHEAD);
        size_t n = secret_seal(k, secret, len, box);
        if (n == 0)
                return -1;
        db_bind_blob(st, ":s", box, n);
        return 0;
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
                out->secret = secret_column(a, st, 0, user_id);
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
        if (bind_sealed(st, secret, a) != 0) {
                sqlite3_reset(st);
                return finish(db, STORE_ERROR);
        }
        db_bind_text(st, ":now", db_now(a));
        return finish(db, step_done(db, st));
}

int
mfa_store_seal_plain(struct db *db, long long *sealed)
{
        *sealed = 0;
        struct arena *a = arena_new();
        int rc = STORE_ERROR;
        /* Freed cells are zeroed, so that no plain secret stays in the file's free space. */
        if (db_exec(db, "PRAGMA secure_delete = ON") != 0 || db_begin(db) != 0)
                goto done;
        /* One account at a time: sealed, it is no longer text (a one-time upgrade of a few
         * rows, not a hot path). */
        for (;;) {
                sqlite3_stmt *st = db_stmt(db, "SELECT user_id, secret FROM user_totp"
                                               " WHERE typeof(secret) = 'text' LIMIT 1");
                if (st == NULL)
                        goto fail;
                int step = sqlite3_step(st);
                long long id = step == SQLITE_ROW ? db_col_int(st, 0) : 0;
                const char *plain = step == SQLITE_ROW ? db_col_text(a, st, 1) : NULL;
                sqlite3_reset(st);
                if (step == SQLITE_DONE)
                        break;
                if (step != SQLITE_ROW)
                        goto fail;
                st = db_stmt(db, "UPDATE user_totp SET secret = :s WHERE user_id = :u");
                if (st == NULL)
                        goto fail;
                db_bind_int(st, ":u", id);
                if (bind_sealed(st, plain, a) != 0) {
                        sqlite3_reset(st);
                        goto fail;
                }
                if (step_done(db, st) != STORE_OK)
                        goto fail;
                (*sealed)++;
        }
        if (db_commit(db) != 0)
                goto fail;
        rc = STORE_OK;
        db_exec(db, "PRAGMA secure_delete = OFF");
        /* The old pages may still be in the main file until a checkpoint overwrites them, and
         * in pages freed before: rewrite the file, as for national ID numbers. */
        if (*sealed > 0 &&
            (db_exec(db, "VACUUM") != 0 || db_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)")))
                rc = STORE_ERROR;
        goto done;
fail:
        db_rollback(db);
        *sealed = 0;
done:
        db_exec(db, "PRAGMA secure_delete = OFF");
        arena_free(a);
        return rc;
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
