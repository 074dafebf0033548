/* test_auth.c: accounts, passwords, sessions and tokens against an in-memory database. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sodium.h>
#include <string.h>

#include "core/arena.h"
#include "core/auth.h"
#include "core/db.h"
#include "core/http.h"
#include "core/i18n.h"
#include "registry/geo.h"

static struct db *db;

static void
test_user_create_rules(void **state)
{
        (void)state;
        const char *why = NULL;
        const char *r03[] = {"03", NULL};
        const char *bad_region[] = {"13", NULL};
        const char *twice[] = {"03", "03", NULL};
        assert_true(auth_user_create(db, "short", "viewer", NULL, "elevenchars", &why) < 0);
        assert_non_null(strstr(why, "12 to 128"));
        assert_true(
            auth_user_create(db, "nobody", "superuser", NULL, "a good long password", &why) < 0);
        assert_non_null(strstr(why, "unknown role"));
        assert_true(auth_user_create(db, "officer", "regional_officer", NULL,
                                     "a good long password", &why) < 0);
        assert_non_null(strstr(why, "--region"));
        assert_true(auth_user_create(db, "officer", "regional_officer", bad_region,
                                     "a good long password", &why) < 0);
        assert_string_equal(why, "unknown region code");
        assert_true(auth_user_create(db, "officer", "regional_officer", twice,
                                     "a good long password", &why) < 0);
        assert_string_equal(why, "a region is given twice");
        /* The refused creations left nothing behind, so the login is still free. */
        long long id =
            auth_user_create(db, "officer", "regional_officer", r03, "a good long password", &why);
        assert_true(id > 0);
        assert_null(why);
        assert_true(auth_user_create(db, "officer", "viewer", NULL, "another long password", &why) <
                    0);
        assert_string_equal(why, "this login exists already");
}

static void
test_password_and_scope(void **state)
{
        (void)state;
        struct arena *a = arena_new();
        assert_true(auth_check_password(db, a, "officer", "a good long password") > 0);
        assert_true(auth_check_password(db, a, "officer", "a good long passworD") < 0);
        assert_true(auth_check_password(db, a, "nobody-at-all", "a good long password") < 0);
        long long id = auth_check_password(db, a, "officer", "a good long password");
        struct user *u = auth_load_user(db, a, id);
        assert_non_null(u);
        assert_int_equal(u->role, ROLE_REGIONAL_OFFICER);
        assert_int_equal(u->scope.all, 0);
        assert_string_equal(u->regions[0], "03");
        assert_null(u->regions[1]);
        assert_false(user_can(u, PERM_ORG_WRITE));
        assert_true(user_can(u, PERM_COOP_WRITE));
        arena_free(a);
}

static void
test_sessions_and_tokens(void **state)
{
        (void)state;
        struct arena *a = arena_new();
        long long id = auth_check_password(db, a, "officer", "a good long password");
        char *csrf = NULL;
        char *sid = auth_session_start(db, a, id, &csrf);
        assert_non_null(sid);
        assert_int_equal(strlen(sid), 32);
        assert_int_equal(strlen(csrf), 32);
        const char *seen = NULL;
        struct user *u = auth_session_user(db, a, sid, &seen);
        assert_non_null(u);
        assert_string_equal(seen, csrf);
        /* Only the hash of the session id is stored. */
        sqlite3_stmt *st = db_stmt(db, "SELECT COUNT(*) FROM session WHERE id_hash = :h");
        db_bind_text(st, ":h", sid);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        assert_int_equal(sqlite3_column_int(st, 0), 0);
        sqlite3_reset(st);
        /* An idle session expires. */
        st = db_stmt(db, "UPDATE session SET last_seen = last_seen - :idle");
        db_bind_int(st, ":idle", SESSION_IDLE_SECONDS + 1);
        assert_int_equal(sqlite3_step(st), SQLITE_DONE);
        sqlite3_reset(st);
        assert_null(auth_session_user(db, a, sid, &seen));
        /* Logout ends a live session. */
        char *sid2 = auth_session_start(db, a, id, &csrf);
        assert_non_null(auth_session_user(db, a, sid2, &seen));
        auth_session_end(db, a, sid2);
        assert_null(auth_session_user(db, a, sid2, &seen));

        char *token = auth_token_create(db, a, "officer", TOKEN_DAYS_DEFAULT, "test");
        assert_non_null(token);
        assert_non_null(auth_token_user(db, a, token));
        token[strlen(token) - 1] ^= 1;
        assert_null(auth_token_user(db, a, token));
        assert_null(auth_token_create(db, a, "nobody-at-all", TOKEN_DAYS_DEFAULT, ""));
        arena_free(a);
}

static void
test_equal(void **state)
{
        (void)state;
        assert_true(auth_equal("abc", "abc"));
        assert_false(auth_equal("abc", "abd"));
        assert_false(auth_equal("abc", "abcd"));
        assert_false(auth_equal("", ""));
        assert_false(auth_equal(NULL, "abc"));
}

static void
test_password_has_login(void **state)
{
        (void)state;
        static const struct {
                const char *password, *login;
                int want;
        } cases[] = {
            {"officer03-is-my-password", "officer03", 1},
            {"my OFFICER03 password", "officer03", 1}, /* case ignored */
            {"xxOfFiCeR03", "officer03", 1},
            {"a good long password", "officer03", 0},
            {"officer0-3 password", "officer03", 0},
            {"short", "officer03", 0}, /* shorter than the login */
            {"anything at all", "", 0},
            {"anything at all", NULL, 0},
            {"\xd9\x85\xd8\xb1\xd9\x81\xd9\x82 viewer", "viewer", 1},
        };
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
                assert_int_equal(auth_password_has_login(cases[i].password, cases[i].login),
                                 cases[i].want);
        const char *why = NULL;
        assert_true(auth_user_create(db, "karima", "viewer", NULL, "Karima-2026-password", &why) <
                    0);
        assert_non_null(strstr(why, "must not contain the login"));
}

/* A hash made with parameters below the current ones is replaced at the next good login. */
static void
test_rehash_on_login(void **state)
{
        (void)state;
        struct arena *a = arena_new();
        const char *why = NULL;
        long long id =
            auth_user_create(db, "rehashed", "viewer", NULL, "an old weak hash here", &why);
        assert_true(id > 0);
        char weak[crypto_pwhash_STRBYTES];
        assert_int_equal(crypto_pwhash_str_alg(
                             weak, "an old weak hash here", 21, crypto_pwhash_argon2id_OPSLIMIT_MIN,
                             crypto_pwhash_argon2id_MEMLIMIT_MIN, crypto_pwhash_ALG_ARGON2ID13),
                         0);
        sqlite3_stmt *st = db_stmt(db, "UPDATE app_user SET password_hash = :h WHERE id = :u");
        db_bind_text(st, ":h", weak);
        db_bind_int(st, ":u", id);
        assert_int_equal(sqlite3_step(st), SQLITE_DONE);
        sqlite3_reset(st);
        assert_int_equal(auth_check_password(db, a, "rehashed", "wrong password here"), -1);
        st = db_stmt(db, "SELECT password_hash FROM app_user WHERE id = :u");
        db_bind_int(st, ":u", id);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        assert_string_equal((const char *)sqlite3_column_text(st, 0), weak); /* not on a failure */
        sqlite3_reset(st);
        assert_int_equal(auth_check_password(db, a, "rehashed", "an old weak hash here"), id);
        db_bind_int(st, ":u", id);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        const char *now = (const char *)sqlite3_column_text(st, 0);
        assert_string_not_equal(now, weak);
        assert_int_equal(crypto_pwhash_str_needs_rehash(now, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                                        crypto_pwhash_MEMLIMIT_INTERACTIVE),
                         0);
        assert_non_null(strstr(now, "$argon2id$v=19$m=65536,t=2,p=1$"));
        sqlite3_reset(st);
        assert_int_equal(auth_check_password(db, a, "rehashed", "an old weak hash here"), id);
        arena_free(a);
}

static int
setup(void **state)
{
        (void)state;
        if (auth_init() != 0 || i18n_init() != 0)
                return -1;
        db = db_open(":memory:", 1);
        return db && geo_load(db) == 0 ? 0 : -1;
}

static int
teardown(void **state)
{
        (void)state;
        db_close(db);
        return 0;
}

int
main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_user_create_rules),   cmocka_unit_test(test_password_and_scope),
            cmocka_unit_test(test_sessions_and_tokens), cmocka_unit_test(test_equal),
            cmocka_unit_test(test_password_has_login),  cmocka_unit_test(test_rehash_on_login),
        };
        return cmocka_run_group_tests(tests, setup, teardown);
}
