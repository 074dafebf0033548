/* test_auth.c: accounts, passwords, sessions and tokens against an in-memory database. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
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

        char *token = auth_token_create(db, a, "officer");
        assert_non_null(token);
        assert_non_null(auth_token_user(db, a, token));
        token[strlen(token) - 1] ^= 1;
        assert_null(auth_token_user(db, a, token));
        assert_null(auth_token_create(db, a, "nobody-at-all"));
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
            cmocka_unit_test(test_user_create_rules),
            cmocka_unit_test(test_password_and_scope),
            cmocka_unit_test(test_sessions_and_tokens),
            cmocka_unit_test(test_equal),
        };
        return cmocka_run_group_tests(tests, setup, teardown);
}
