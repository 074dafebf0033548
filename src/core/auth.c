/* auth.c: passwords, sessions and tokens; secrets are stored only as hashes. */
#include "auth.h"

#include <stddef.h>

#include <crack.h> /* after stddef.h: it uses size_t without including it */
#include <ctype.h>
#include <pthread.h>
#include <pwquality.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "arena.h"
#include "db.h"
#include "http.h"
#include "log.h"

/* argon2id parameters: libsodium's "interactive" level is t=2, m=64 MiB (p is always 1), above
 * OWASP ASVS's t=2, m=19 MiB, p=1. A login with a hash made with lower ones is rehashed. */
#define AUTH_OPSLIMIT crypto_pwhash_OPSLIMIT_INTERACTIVE
#define AUTH_MEMLIMIT crypto_pwhash_MEMLIMIT_INTERACTIVE
_Static_assert(AUTH_OPSLIMIT >= 2 && AUTH_MEMLIMIT >= 19u * 1024 * 1024,
               "argon2id below OWASP ASVS's t=2, m=19 MiB");

/* Factor applied to throttling delays; set once at start, read by every thread. */
static double throttle_scale = 1.0;

int
auth_init(void)
{
        const char *scale = getenv("MURAFIQ_THROTTLE_SCALE");
        if (scale && *scale) {
                char *end = NULL;
                double f = strtod(scale, &end);
                if (end && *end == '\0' && f > 0 && f <= 1)
                        throttle_scale = f;
        }
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
        if (crypto_pwhash_str_alg(out, password, strlen(password), AUTH_OPSLIMIT, AUTH_MEMLIMIT,
                                  crypto_pwhash_ALG_ARGON2ID13) != 0)
                return NULL;
        return out;
}

static char
ascii_lower(char c)
{
        return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

int
auth_password_has_login(const char *password, const char *login)
{
        if (password == NULL || login == NULL || login[0] == '\0')
                return 0;
        size_t n = strlen(login);
        for (const char *p = password; *p; p++) {
                size_t i = 0;
                while (i < n && p[i] && ascii_lower(p[i]) == ascii_lower(login[i]))
                        i++;
                if (i == n)
                        return 1;
        }
        return 0;
}

static long long session_idle = SESSION_IDLE_SECONDS, session_max = SESSION_MAX_SECONDS;

int
auth_set_session_limits(long long idle_seconds, long long max_seconds)
{
        if (idle_seconds < 60 || idle_seconds > SESSION_IDLE_LIMIT || max_seconds < 60 ||
            max_seconds > SESSION_MAX_LIMIT || idle_seconds > max_seconds)
                return -1;
        session_idle = idle_seconds;
        session_max = max_seconds;
        return 0;
}

static pthread_mutex_t cracklib_lock = PTHREAD_MUTEX_INITIALIZER;

const char *
auth_password_weakness(const char *password, const char *login)
{
        const char *why = NULL;
        pthread_mutex_lock(&cracklib_lock);
        pwquality_settings_t *pwq = pwquality_default_settings();
        if (pwq == NULL) {
                why = "unchecked";
                goto done;
        }
        /* Only what says "easy to guess": length is ours (12 to 128), and no character classes
         * are required. */
        pwquality_set_int_value(pwq, PWQ_SETTING_MIN_LENGTH, 6);
        pwquality_set_int_value(pwq, PWQ_SETTING_DIG_CREDIT, 0);
        pwquality_set_int_value(pwq, PWQ_SETTING_UP_CREDIT, 0);
        pwquality_set_int_value(pwq, PWQ_SETTING_LOW_CREDIT, 0);
        pwquality_set_int_value(pwq, PWQ_SETTING_OTH_CREDIT, 0);
        pwquality_set_int_value(pwq, PWQ_SETTING_MIN_CLASS, 0);
        pwquality_set_int_value(pwq, PWQ_SETTING_DICT_CHECK, 1);
        pwquality_set_int_value(pwq, PWQ_SETTING_USER_CHECK, 1);
        void *aux = NULL;
        int rc = pwquality_check(pwq, password, NULL, login && login[0] ? login : NULL, &aux);
        if (rc == PWQ_ERROR_CRACKLIB_CHECK && aux &&
            strstr((const char *)aux, "dictionary") == NULL &&
            strstr((const char *)aux, "simplistic") == NULL) {
                log_error("password check: cracklib: %s", (const char *)aux);
                why = "unchecked";
        } else if (rc == PWQ_ERROR_CRACKLIB_CHECK) {
                why = "dictionary";
        } else if (rc == PWQ_ERROR_USER_CHECK) {
                why = "login";
        } else if (rc < 0 && rc != PWQ_ERROR_MIN_LENGTH) {
                why = "simple"; /* palindrome, rotated, sequences, repeats */
        }
        if (why)
                goto done;
        /* The core: lower-case ASCII, without the digits, signs and spaces at both ends. */
        char core[129];
        size_t n = strlen(password);
        if (n >= sizeof(core))
                goto done;
        size_t b = 0, e = n;
        while (b < e && !isalpha((unsigned char)password[b]) &&
               !((unsigned char)password[b] & 0x80))
                b++;
        while (e > b && !isalpha((unsigned char)password[e - 1]) &&
               !((unsigned char)password[e - 1] & 0x80))
                e--;
        if (e - b < 4 || (b == 0 && e == n))
                goto done;
        for (size_t i = b; i < e; i++)
                core[i - b] = ascii_lower(password[i]);
        core[e - b] = '\0';
        const char *msg = FascistCheck(core, GetDefaultCracklibDict());
        if (msg && strstr(msg, "dictionary"))
                why = "dictionary";
done:
        pwquality_free_settings(pwq);
        pthread_mutex_unlock(&cracklib_lock);
        return why;
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
        if (auth_password_has_login(password, login)) {
                *why = "the password must not contain the login";
                goto done;
        }
        if (auth_password_weakness(password, login)) {
                *why = "the password is too easy to guess (a dictionary word, a sequence or the "
                       "login in some form)";
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

/* Replaces the hash of user id after a login with an outdated hash; a failure only logs. */
static void
rehash(struct db *db, struct arena *a, long long id, const char *password)
{
        char *hash = auth_hash_password(a, password);
        sqlite3_stmt *st =
            hash ? db_stmt(db, "UPDATE app_user SET password_hash = :h WHERE id = :u") : NULL;
        if (st == NULL) {
                log_error("cannot rehash the password of user %lld", id);
                return;
        }
        db_bind_text(st, ":h", hash);
        db_bind_int(st, ":u", id);
        if (sqlite3_step(st) != SQLITE_DONE)
                log_error("cannot rehash the password of user %lld", id);
        sqlite3_reset(st);
}

long long
auth_check_password_why(struct db *db, struct arena *a, const char *login, const char *password,
                        const char **reason)
{
        const char *why_dummy;
        if (reason == NULL)
                reason = &why_dummy;
        *reason = "database error";
        /* A fixed dummy hash so that an unknown login costs the same time as a known one. */
        static char dummy[crypto_pwhash_STRBYTES];
        if (dummy[0] == '\0') {
                char tmp[crypto_pwhash_STRBYTES];
                if (crypto_pwhash_str_alg(tmp, "murafiq-dummy", 13, AUTH_OPSLIMIT, AUTH_MEMLIMIT,
                                          crypto_pwhash_ALG_ARGON2ID13) == 0)
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
        if (id <= 0) {
                *reason = "unknown login";
                return -1;
        }
        if (!ok) {
                *reason = "wrong password";
                return -1;
        }
        if (crypto_pwhash_str_needs_rehash(hash, AUTH_OPSLIMIT, AUTH_MEMLIMIT) != 0)
                rehash(db, a, id, password);
        *reason = NULL;
        return id;
}

long long
auth_check_password(struct db *db, struct arena *a, const char *login, const char *password)
{
        return auth_check_password_why(db, a, login, password, NULL);
}

/* ---- throttling of failed logins ---- */

long long
auth_throttle_delay_ms(long long failures, long long limit, long long base_ms, long long max_ms)
{
        if (failures < limit || limit < 1)
                return 0;
        long long d = base_ms;
        for (long long k = limit; k < failures && d < max_ms; k++)
                d *= 2;
        return d < max_ms ? d : max_ms;
}

long long
auth_retry_after_seconds(long long ms)
{
        long long s = (ms + 999) / 1000;
        return s < 1 ? 1 : s;
}

static long long
now_ms(void)
{
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Milliseconds still to wait for failures counted by st (bound :k, :since) under limit. */
static int
throttle_wait(sqlite3_stmt *st, const char *key, long long since, long long limit, long long now,
              long long *wait)
{
        db_bind_text(st, ":k", key);
        db_bind_int(st, ":since", since);
        int rc = sqlite3_step(st);
        long long n = rc == SQLITE_ROW ? db_col_int(st, 0) : 0;
        long long last = rc == SQLITE_ROW ? db_col_int(st, 1) : 0;
        sqlite3_reset(st);
        if (rc != SQLITE_ROW)
                return -1;
        long long delay = (long long)((double)auth_throttle_delay_ms(n, limit, THROTTLE_BASE_MS,
                                                                     THROTTLE_MAX_MS) *
                                      throttle_scale);
        long long w = last + delay - now;
        if (delay > 0 && w > *wait)
                *wait = w;
        return 0;
}

long long
auth_throttle_begin(struct db *db, const char *login, const char *ip)
{
        long long now = now_ms(), since = now - THROTTLE_WINDOW_MS, wait = 0;
        /* Check and record in one write transaction, so that parallel guesses are serialised
         * and each sees the ones before it. */
        if (db_begin(db) != 0)
                return -1;
        sqlite3_stmt *by_login = db_stmt(db, "SELECT count(*), coalesce(max(at), 0) FROM"
                                             " login_failure WHERE login = :k AND at >= :since");
        sqlite3_stmt *by_ip = db_stmt(db, "SELECT count(*), coalesce(max(at), 0) FROM"
                                          " login_failure WHERE ip = :k AND at >= :since");
        if (by_login == NULL || by_ip == NULL ||
            throttle_wait(by_login, login, since, THROTTLE_LOGIN_LIMIT, now, &wait) != 0 ||
            throttle_wait(by_ip, ip, since, THROTTLE_IP_LIMIT, now, &wait) != 0)
                goto fail;
        if (wait > 0) {
                db_rollback(db);
                return auth_retry_after_seconds(wait);
        }
        sqlite3_stmt *st = db_stmt(db, "DELETE FROM login_failure WHERE at < :since");
        if (st == NULL)
                goto fail;
        db_bind_int(st, ":since", since);
        int rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc != SQLITE_DONE)
                goto fail;
        st = db_stmt(db, "INSERT INTO login_failure (login, ip, at) VALUES (:l, :ip, :at)");
        if (st == NULL)
                goto fail;
        db_bind_text(st, ":l", login);
        db_bind_text(st, ":ip", ip);
        db_bind_int(st, ":at", now);
        rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc != SQLITE_DONE || db_commit(db) != 0)
                goto fail;
        return 0;
fail:
        db_rollback(db);
        return -1;
}

void
auth_throttle_clear(struct db *db, const char *login)
{
        sqlite3_stmt *st = db_stmt(db, "DELETE FROM login_failure WHERE login = :l");
        if (st == NULL)
                return;
        db_bind_text(st, ":l", login);
        if (sqlite3_step(st) != SQLITE_DONE)
                log_error("cannot clear the failed logins of %s", login);
        sqlite3_reset(st);
}

void
auth_log_failure(const char *login, const char *ip, const char *reason)
{
        /* The login is what a stranger typed: control characters, quotes and backslashes are
         * written as \xNN so that a log line stays one line and cannot be forged. */
        char esc[64 * 4 + 1];
        size_t n = 0;
        for (const unsigned char *p = (const unsigned char *)(login ? login : "");
             *p && n + 5 < sizeof(esc); p++) {
                if (*p < 0x20 || *p == 0x7f || *p == '"' || *p == '\\')
                        n += (size_t)snprintf(esc + n, sizeof(esc) - n, "\\x%02x", *p);
                else
                        esc[n++] = (char)*p;
        }
        esc[n] = '\0';
        log_info("login failed: login=\"%s\" ip=%s reason=%s", esc, ip ? ip : "-",
                 reason ? reason : "-");
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
                db_bind_int(st, ":idle", now - session_idle);
                db_bind_int(st, ":max", now - session_max);
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
        if (now - seen > session_idle || now - created > session_max)
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
auth_token_create(struct db *db, struct arena *a, const char *login, int days, const char *label)
{
        if (days < 1 || days > TOKEN_DAYS_MAX)
                return NULL;
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
        st =
            db_stmt(db, "INSERT INTO api_token (token_hash, user_id, created_at, expires_at, label)"
                        " VALUES (:h, :u, :now, :exp, :label)");
        if (st == NULL)
                return NULL;
        long long now = (long long)time(NULL);
        db_bind_text(st, ":h", auth_token_hash(a, token));
        db_bind_int(st, ":u", uid);
        db_bind_int(st, ":now", now);
        db_bind_int(st, ":exp", now + (long long)days * 86400);
        db_bind_text(st, ":label", label ? label : "");
        int rc = sqlite3_step(st);
        sqlite3_reset(st);
        return rc == SQLITE_DONE ? token : NULL;
}

struct user *
auth_token_user(struct db *db, struct arena *a, const char *token)
{
        sqlite3_stmt *st = db_stmt(db, "SELECT user_id FROM api_token WHERE token_hash = :h"
                                       " AND expires_at > :now");
        if (st == NULL)
                return NULL;
        db_bind_text(st, ":h", auth_token_hash(a, token));
        db_bind_int(st, ":now", (long long)time(NULL));
        long long uid = -1;
        if (sqlite3_step(st) == SQLITE_ROW)
                uid = db_col_int(st, 0);
        sqlite3_reset(st);
        return uid > 0 ? auth_load_user(db, a, uid) : NULL;
}

int
auth_token_list(struct db *db, struct arena *a, long long user_id, struct api_token_info **out,
                size_t *n)
{
        *out = NULL;
        *n = 0;
        sqlite3_stmt *st = db_stmt(db, "SELECT t.rowid, t.user_id, u.login, t.label, t.created_at,"
                                       " t.expires_at FROM api_token t JOIN app_user u"
                                       " ON u.id = t.user_id WHERE (:u = 0 OR t.user_id = :u)"
                                       " ORDER BY t.rowid DESC");
        if (st == NULL)
                return -1;
        db_bind_int(st, ":u", user_id);
        size_t cap = 16;
        struct api_token_info *v = arena_alloc(a, cap * sizeof(*v));
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
                if (*n == cap) {
                        struct api_token_info *w = arena_alloc(a, 2 * cap * sizeof(*w));
                        memcpy(w, v, cap * sizeof(*w));
                        v = w;
                        cap *= 2;
                }
                v[*n] = (struct api_token_info){
                    .id = db_col_int(st, 0),
                    .user_id = db_col_int(st, 1),
                    .login = db_col_text(a, st, 2),
                    .label = db_col_text(a, st, 3),
                    .created_at = db_col_int(st, 4),
                    .expires_at = db_col_int(st, 5),
                };
                (*n)++;
        }
        sqlite3_reset(st);
        *out = v;
        return rc == SQLITE_DONE ? 0 : -1;
}

int
auth_token_revoke(struct db *db, long long id, long long *user_id)
{
        sqlite3_stmt *st = db_stmt(db, "DELETE FROM api_token WHERE rowid = :id RETURNING user_id");
        if (st == NULL)
                return -1;
        db_bind_int(st, ":id", id);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW && user_id)
                *user_id = db_col_int(st, 0);
        int done = rc == SQLITE_ROW;
        while (rc == SQLITE_ROW)
                rc = sqlite3_step(st);
        sqlite3_reset(st);
        return rc == SQLITE_DONE ? done : -1;
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

/* ---- the second step of a login ---- */

long long
auth_pending_lifetime(void)
{
        /* Tests shorten it to see it expire; it can never be made longer than the default. */
        const char *v = getenv("MURAFIQ_LOGIN_PENDING_SECONDS");
        if (v && *v) {
                char *end = NULL;
                long long s = strtoll(v, &end, 10);
                if (end && *end == '\0' && s >= 1 && s < LOGIN_PENDING_SECONDS)
                        return s;
        }
        return LOGIN_PENDING_SECONDS;
}

char *
auth_pending_start(struct db *db, struct arena *a, long long user_id, const char *next)
{
        char *pid = auth_random_hex(a, 16);
        long long now = (long long)time(NULL);
        /* Expired pending logins are swept here, like sessions at each login. */
        sqlite3_stmt *st = db_stmt(db, "DELETE FROM login_pending WHERE created_at < :since");
        if (st == NULL)
                return NULL;
        db_bind_int(st, ":since", now - LOGIN_PENDING_SECONDS);
        sqlite3_step(st);
        sqlite3_reset(st);
        st = db_stmt(db, "INSERT INTO login_pending (id_hash, user_id, next_path, created_at)"
                         " VALUES (:h, :u, :next, :now)");
        if (st == NULL)
                return NULL;
        db_bind_text(st, ":h", auth_token_hash(a, pid));
        db_bind_int(st, ":u", user_id);
        db_bind_text(st, ":next", next ? next : "/");
        db_bind_int(st, ":now", now);
        int rc = sqlite3_step(st);
        sqlite3_reset(st);
        return rc == SQLITE_DONE ? pid : NULL;
}

long long
auth_pending_user(struct db *db, struct arena *a, const char *pending_id, const char **next)
{
        if (pending_id == NULL || strlen(pending_id) != 32)
                return -1;
        sqlite3_stmt *st = db_stmt(db, "SELECT user_id, next_path, created_at FROM login_pending"
                                       " WHERE id_hash = :h");
        if (st == NULL)
                return -1;
        db_bind_text(st, ":h", auth_token_hash(a, pending_id));
        long long uid = -1, created = 0;
        if (sqlite3_step(st) == SQLITE_ROW) {
                uid = db_col_int(st, 0);
                *next = db_col_text(a, st, 1);
                created = db_col_int(st, 2);
        }
        sqlite3_reset(st);
        if (uid > 0 && (long long)time(NULL) - created >= auth_pending_lifetime())
                return -1;
        return uid;
}

void
auth_pending_end(struct db *db, struct arena *a, const char *pending_id)
{
        sqlite3_stmt *st = db_stmt(db, "DELETE FROM login_pending WHERE id_hash = :h");
        if (st == NULL || pending_id == NULL)
                return;
        db_bind_text(st, ":h", auth_token_hash(a, pending_id));
        sqlite3_step(st);
        sqlite3_reset(st);
}

int
auth_second_factor_on(struct db *db, long long user_id)
{
        sqlite3_stmt *st = db_stmt(db, "SELECT count(*) FROM user_totp"
                                       " WHERE user_id = :u AND confirmed_at IS NOT NULL");
        if (st == NULL)
                return -1;
        db_bind_int(st, ":u", user_id);
        int rc = sqlite3_step(st);
        int on = rc == SQLITE_ROW ? db_col_int(st, 0) > 0 : -1;
        sqlite3_reset(st);
        return on;
}

int
auth_second_factor_due(struct db *db, const struct user *u)
{
        sqlite3_stmt *st =
            db_stmt(db, "SELECT coalesce((SELECT required FROM second_factor_policy"
                        " WHERE role = :role), 0) AND NOT EXISTS (SELECT 1 FROM user_totp"
                        " WHERE user_id = :u AND confirmed_at IS NOT NULL)");
        if (st == NULL)
                return 1;
        db_bind_text(st, ":role", role_name(u->role));
        db_bind_int(st, ":u", u->id);
        int rc = sqlite3_step(st);
        int due = rc != SQLITE_ROW || db_col_int(st, 0) != 0; /* an error closes, not opens */
        sqlite3_reset(st);
        return due;
}
