/* auth.c: passwords, sessions and tokens; secrets are stored only as hashes. */
#include "auth.h"

#include <sodium.h>
#include <string.h>
#include <time.h>

#include "arena.h"
#include "db.h"
#include "http.h"
#include "log.h"

int
auth_init(void)
{
        return sodium_init() < 0 ? -1 : 0;
}

char *
auth_random_hex(struct arena *a, size_t n)
{
        unsigned char raw[64];
        if (n > sizeof(raw))
                n = sizeof(raw);
        randombytes_buf(raw, n);
        char *hex = arena_alloc(a, 2 * n + 1);
        sodium_bin2hex(hex, 2 * n + 1, raw, n);
        return hex;
}

char *
auth_token_hash(struct arena *a, const char *secret)
{
        unsigned char h[32];
        crypto_generichash(h, sizeof(h), (const unsigned char *)secret, strlen(secret), NULL, 0);
        char *hex = arena_alloc(a, 65);
        sodium_bin2hex(hex, 65, h, sizeof(h));
        return hex;
}

int
auth_equal(const char *a, const char *b)
{
        if (a == NULL || b == NULL)
                return 0;
        size_t n = strlen(a);
        if (n != strlen(b) || n == 0)
                return 0;
        return sodium_memcmp(a, b, n) == 0;
}

char *
auth_hash_password(struct arena *a, const char *password)
{
        char *out = arena_alloc(a, crypto_pwhash_STRBYTES);
        if (crypto_pwhash_str_alg(
                out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0)
                return NULL;
        return out;
}

long long
auth_user_create(struct db *db, const char *login, const char *role, const char **regions,
                 const char *password, const char **why)
{
        struct arena *a = arena_new();
        long long id = -1;
        *why = "database error";
        if (role_from_name(role) < 0) {
                *why = "unknown role (admin, program_manager, regional_officer, coach, viewer)";
                goto done;
        }
        size_t plen = strlen(password);
        if (plen < 12 || plen > 128) {
                *why = "the password must have 12 to 128 characters";
                goto done;
        }
        if (strcmp(role, "regional_officer") == 0 && (regions == NULL || regions[0] == NULL)) {
                *why = "a regional officer needs at least one --region";
                goto done;
        }
        char *hash = auth_hash_password(a, password);
        if (hash == NULL) {
                *why = "out of memory while hashing the password";
                goto done;
        }
        if (db_begin(db) != 0)
                goto done;
        sqlite3_stmt *st =
            db_stmt(db, "INSERT INTO app_user (login, password_hash, role, created_at)"
                        " VALUES (:login, :hash, :role, :now)");
        if (st == NULL)
                goto fail;
        db_bind_text(st, ":login", login);
        db_bind_text(st, ":hash", hash);
        db_bind_text(st, ":role", role);
        db_bind_text(st, ":now", db_now(a));
        int rc = sqlite3_step(st);
        if (rc == SQLITE_CONSTRAINT_UNIQUE) {
                *why = "this login exists already";
                goto fail;
        }
        if (rc != SQLITE_DONE)
                goto fail;
        long long uid = sqlite3_last_insert_rowid(db->h);
        for (size_t i = 0; regions && regions[i]; i++) {
                st = db_stmt(db, "INSERT INTO user_region (user_id, region_code) VALUES (:u, :r)");
                if (st == NULL)
                        goto fail;
                db_bind_int(st, ":u", uid);
                db_bind_text(st, ":r", regions[i]);
                rc = sqlite3_step(st);
                if (rc != SQLITE_DONE) {
                        *why = rc == SQLITE_CONSTRAINT_FOREIGNKEY   ? "unknown region code"
                               : rc == SQLITE_CONSTRAINT_PRIMARYKEY ? "a region is given twice"
                                                                    : "database error";
                        goto fail;
                }
        }
        if (db_commit(db) != 0)
                goto fail;
        id = uid;
        *why = NULL;
        goto done;
fail:
        db_rollback(db);
done:
        arena_free(a);
        return id;
}

long long
auth_check_password(struct db *db, struct arena *a, const char *login, const char *password)
{
        /* A fixed dummy hash so that an unknown login costs the same time as a known one. */
        static char dummy[crypto_pwhash_STRBYTES];
        if (dummy[0] == '\0') {
                char tmp[crypto_pwhash_STRBYTES];
                if (crypto_pwhash_str_alg(
                        tmp, "murafiq-dummy", 13, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) == 0)
                        memcpy(dummy, tmp, sizeof(dummy));
        }
        sqlite3_stmt *st = db_stmt(db, "SELECT id, password_hash FROM app_user"
                                       " WHERE login = :login AND disabled = 0");
        if (st == NULL)
                return -1;
        db_bind_text(st, ":login", login);
        long long id = -1;
        const char *hash = dummy;
        if (sqlite3_step(st) == SQLITE_ROW) {
                id = db_col_int(st, 0);
                hash = db_col_text(a, st, 1);
        }
        sqlite3_reset(st);
        int ok = crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
        return ok && id > 0 ? id : -1;
}

char *
auth_session_start(struct db *db, struct arena *a, long long user_id, char **csrf)
{
        char *sid = auth_random_hex(a, 16);
        *csrf = auth_random_hex(a, 16);
        long long now = (long long)time(NULL);
        sqlite3_stmt *st = db_stmt(db, "INSERT INTO session (id_hash, user_id, csrf_token,"
                                       " created_at, last_seen) VALUES (:h, :u, :c, :now, :now)");
        if (st == NULL)
                return NULL;
        db_bind_text(st, ":h", auth_token_hash(a, sid));
        db_bind_int(st, ":u", user_id);
        db_bind_text(st, ":c", *csrf);
        db_bind_int(st, ":now", now);
        int rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc != SQLITE_DONE)
                return NULL;
        /* A session starts only at a login: this is the account's last login. */
        st = db_stmt(db, "UPDATE app_user SET last_login_at = :at WHERE id = :u");
        if (st) {
                db_bind_text(st, ":at", db_now(a));
                db_bind_int(st, ":u", user_id);
                sqlite3_step(st);
                sqlite3_reset(st);
        }
        /* Expired sessions are swept at each login: cheap, and no timer thread is needed. */
        st = db_stmt(db, "DELETE FROM session WHERE last_seen < :idle OR created_at < :max");
        if (st) {
                db_bind_int(st, ":idle", now - SESSION_IDLE_SECONDS);
                db_bind_int(st, ":max", now - SESSION_MAX_SECONDS);
                sqlite3_step(st);
                sqlite3_reset(st);
        }
        return sid;
}

struct user *
auth_load_user(struct db *db, struct arena *a, long long id)
{
        sqlite3_stmt *st = db_stmt(db, "SELECT login, role, lang, must_change_password"
                                       " FROM app_user WHERE id = :id AND disabled = 0");
        if (st == NULL)
                return NULL;
        db_bind_int(st, ":id", id);
        if (sqlite3_step(st) != SQLITE_ROW) {
                sqlite3_reset(st);
                return NULL;
        }
        struct user *u = arena_alloc(a, sizeof(*u));
        u->id = id;
        u->login = db_col_text(a, st, 0);
        int role = role_from_name((const char *)sqlite3_column_text(st, 1));
        int lang = lang_from_code((const char *)sqlite3_column_text(st, 2));
        u->must_change_password = db_col_int(st, 3) != 0;
        sqlite3_reset(st);
        if (role < 0)
                return NULL;
        u->role = (enum role)role;
        u->lang = lang < 0 ? LANG_DEFAULT : (enum lang)lang;
        u->scope.user_id = id;
        u->scope.all = u->role == ROLE_ADMIN || u->role == ROLE_PROGRAM_MANAGER;

        st = db_stmt(db, "SELECT region_code FROM user_region WHERE user_id = :id ORDER BY 1");
        if (st == NULL)
                return NULL;
        db_bind_int(st, ":id", id);
        const char *codes[16];
        size_t n = 0;
        while (sqlite3_step(st) == SQLITE_ROW && n < 15)
                codes[n++] = db_col_text(a, st, 0);
        sqlite3_reset(st);
        u->regions = arena_alloc(a, (n + 1) * sizeof(*u->regions));
        memcpy(u->regions, codes, n * sizeof(*codes));
        /* Coaches and viewers without regions read the whole country; officers never do. */
        if (n == 0 && (u->role == ROLE_COACH || u->role == ROLE_VIEWER))
                u->scope.all = 1;
        return u;
}

struct user *
auth_session_user(struct db *db, struct arena *a, const char *session_id, const char **csrf)
{
        long long now = (long long)time(NULL);
        sqlite3_stmt *st = db_stmt(db, "SELECT user_id, csrf_token, created_at, last_seen"
                                       " FROM session WHERE id_hash = :h");
        if (st == NULL)
                return NULL;
        const char *h = auth_token_hash(a, session_id);
        db_bind_text(st, ":h", h);
        if (sqlite3_step(st) != SQLITE_ROW) {
                sqlite3_reset(st);
                return NULL;
        }
        long long uid = db_col_int(st, 0);
        *csrf = db_col_text(a, st, 1);
        long long created = db_col_int(st, 2), seen = db_col_int(st, 3);
        sqlite3_reset(st);
        if (now - seen > SESSION_IDLE_SECONDS || now - created > SESSION_MAX_SECONDS)
                return NULL;
        if (now - seen >= 60) { /* touch at most once a minute: fewer writes */
                st = db_stmt(db, "UPDATE session SET last_seen = :now WHERE id_hash = :h");
                if (st) {
                        db_bind_int(st, ":now", now);
                        db_bind_text(st, ":h", h);
                        sqlite3_step(st);
                        sqlite3_reset(st);
                }
        }
        return auth_load_user(db, a, uid);
}

void
auth_session_end(struct db *db, struct arena *a, const char *session_id)
{
        sqlite3_stmt *st = db_stmt(db, "DELETE FROM session WHERE id_hash = :h");
        if (st == NULL)
                return;
        db_bind_text(st, ":h", auth_token_hash(a, session_id));
        sqlite3_step(st);
        sqlite3_reset(st);
}

char *
auth_token_create(struct db *db, struct arena *a, const char *login)
{
        sqlite3_stmt *st = db_stmt(db, "SELECT id FROM app_user WHERE login = :l AND disabled = 0");
        if (st == NULL)
                return NULL;
        db_bind_text(st, ":l", login);
        if (sqlite3_step(st) != SQLITE_ROW) {
                sqlite3_reset(st);
                return NULL;
        }
        long long uid = db_col_int(st, 0);
        sqlite3_reset(st);
        char *token = arena_printf(a, "mq_%s", auth_random_hex(a, 24));
        st = db_stmt(db, "INSERT INTO api_token (token_hash, user_id, created_at)"
                         " VALUES (:h, :u, :now)");
        if (st == NULL)
                return NULL;
        db_bind_text(st, ":h", auth_token_hash(a, token));
        db_bind_int(st, ":u", uid);
        db_bind_int(st, ":now", (long long)time(NULL));
        int rc = sqlite3_step(st);
        sqlite3_reset(st);
        return rc == SQLITE_DONE ? token : NULL;
}

struct user *
auth_token_user(struct db *db, struct arena *a, const char *token)
{
        sqlite3_stmt *st = db_stmt(db, "SELECT user_id FROM api_token WHERE token_hash = :h");
        if (st == NULL)
                return NULL;
        db_bind_text(st, ":h", auth_token_hash(a, token));
        long long uid = -1;
        if (sqlite3_step(st) == SQLITE_ROW)
                uid = db_col_int(st, 0);
        sqlite3_reset(st);
        return uid > 0 ? auth_load_user(db, a, uid) : NULL;
}

int
auth_set_lang(struct db *db, long long user_id, const char *lang)
{
        sqlite3_stmt *st = db_stmt(db, "UPDATE app_user SET lang = :lang WHERE id = :id");
        if (st == NULL)
                return -1;
        db_bind_text(st, ":lang", lang);
        db_bind_int(st, ":id", user_id);
        int rc = sqlite3_step(st);
        sqlite3_reset(st);
        return rc == SQLITE_DONE ? 0 : -1;
}
