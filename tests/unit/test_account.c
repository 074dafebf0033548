/* test_account.c: account rules (account_check, logins, passwords), table-driven. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "admin/account.h"
#include "core/arena.h"
#include "core/i18n.h"

static int
known_region(void *ctx, const char *code)
{
        (void)ctx;
        static const char *const codes[] = {"01", "02", "03", "04", "05", "06",
                                            "07", "08", "09", "10", "11", "12"};
        for (size_t i = 0; i < 12; i++)
                if (strcmp(code, codes[i]) == 0)
                        return 1;
        return 0;
}

static void
test_logins(void **state)
{
        (void)state;
        static const struct {
                const char *login;
                int ok;
        } cases[] = {
            {"abc", 1},
            {"officer.03", 1},
            {"a_b-c.d", 1},
            {"0123456789012345678901234567890123456789", 1},  /* 40 */
            {"01234567890123456789012345678901234567890", 0}, /* 41 */
            {"ab", 0},
            {"", 0},
            {"Admin", 0},
            {"with space", 0},
            {"<script>", 0},
            {"é-accent", 0},
            {"a/b", 0},
            {NULL, 0},
        };
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
                assert_int_equal(account_login_ok(cases[i].login), cases[i].ok);
}

static void
test_passwords(void **state)
{
        (void)state;
        char long128[129], long129[130];
        memset(long128, 'x', 128);
        long128[128] = '\0';
        memset(long129, 'x', 129);
        long129[129] = '\0';
        static const char arabic12[] = "كلمةالمرورطو"; /* 12 characters, 24 bytes */
        const struct {
                const char *pw;
                int ok;
        } cases[] = {
            {"123456789012", 1},
            {"12345678901", 0},
            {"", 0},
            {long128, 1},
            {long129, 0},
            {arabic12, 1},
            {"كلمة المرو", 0}, /* 10 characters, more than 12 bytes */
            {"\xff\xfe invalid utf8", 0},
            {NULL, 0},
        };
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
                assert_int_equal(account_password_ok(cases[i].pw), cases[i].ok);

        struct arena *a = arena_new();
        struct errs e;
        errs_init(&e, a, LANG_EN);
        assert_int_equal(account_check_password("tajine-argan-sahara", "tajine-argan-sahara", NULL,
                                                "password", &e),
                         0);
        assert_int_equal(account_check_password("tajine-argan-sahara", "tajine-argan-sahari", NULL,
                                                "password", &e),
                         -1);
        assert_string_equal(e.list[0].field, "password_confirm");
        errs_init(&e, a, LANG_EN);
        assert_int_equal(account_check_password("short", "short", NULL, "password", &e), -1);
        assert_string_equal(e.list[0].field, "password");
        errs_init(&e, a, LANG_EN);
        assert_int_equal(
            account_check_password("my-Officer03-pass", NULL, "officer03", "password", &e), -1);
        assert_string_equal(e.list[0].field, "password");
        assert_string_equal(e.list[0].msg, "The password must not contain the login.");
        errs_init(&e, a, LANG_EN);
        assert_int_equal(
            account_check_password("my-officer-pass03", NULL, "officer03", "password", &e), 0);
        arena_free(a);
}

/* Easy to guess: libpwquality and cracklib's dictionary (Debian's cracklib-runtime). */
static void
test_weak_passwords(void **state)
{
        (void)state;
        static const char dict[] = "This password is a common word or built on one, easy to "
                                   "guess. Choose another, for example several unrelated words.";
        static const char simple[] = "This password is too simple (a sequence, a repetition or a "
                                     "palindrome). Choose another, for example several unrelated "
                                     "words.";
        const struct {
                const char *pw, *login, *msg; /* msg NULL: accepted */
        } cases[] = {
            {"password1234", NULL, dict},   /* the word, digits after it */
            {"2024sunshine!!", NULL, dict}, /* and around it */
            {"monkey123456", NULL, dict},
            {"abcdefghijkl", NULL, dict}, /* cracklib: simplistic/systematic */
            {"123456789012", NULL, dict},
            {"aaaaaaaaaaaa", NULL, simple}, /* a palindrome */
            {"30reciffo-tajine", "officer03",
             "The password must not contain the login, even written another way."},
            {"tajine-argan-sahara", NULL, NULL},
            {"murafiq-demo-2026", "admin", NULL},
            {"temporaire-2026-xyz", "coach", NULL},
            {"كلمةالمرورطويلة", NULL, NULL},
            {"qwertzuiop-marrakech", NULL, NULL},
        };
        struct arena *a = arena_new();
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                struct errs e;
                errs_init(&e, a, LANG_EN);
                int rc = account_check_password(cases[i].pw, NULL, cases[i].login, "password", &e);
                if (cases[i].msg == NULL) {
                        if (rc != 0)
                                fail_msg("%s: refused: %s", cases[i].pw, e.list[0].msg);
                        continue;
                }
                if (rc != -1)
                        fail_msg("%s: accepted", cases[i].pw);
                assert_string_equal(e.list[0].field, "password");
                assert_string_equal(e.list[0].msg, cases[i].msg);
        }
        arena_free(a);
}

static void
test_check(void **state)
{
        (void)state;
        static const char *none[] = {NULL};
        static const char *r03[] = {"03", NULL};
        static const char *r03_06[] = {"03", "06", NULL};
        static const char *twice[] = {"03", "03", NULL};
        static const char *unknown[] = {"99", NULL};
        static const char *all13[] = {"01", "02", "03", "04", "05", "06", "07",
                                      "08", "09", "10", "11", "12", "12", NULL};
        static const struct {
                const char *login, *role, *lang;
                const char **regions;
                int creating;
                const char *bad_field; /* NULL: valid */
        } cases[] = {
            {"newadmin", "admin", "ar", none, 1, NULL},
            {"off1", "regional_officer", "fr", r03, 1, NULL},
            {"off2", "regional_officer", "en", r03_06, 1, NULL},
            {"coach2", "coach", "ar", r03, 1, NULL},
            {"viewer2", "viewer", "ar", none, 1, NULL},
            {"off3", "regional_officer", "ar", none, 1, "regions"},
            {"off4", "regional_officer", "ar", unknown, 1, "regions"},
            {"off5", "regional_officer", "ar", twice, 1, "regions"},
            {"off6", "coach", "ar", all13, 1, "regions"},
            {"x", "admin", "ar", none, 1, "login"},
            {"x", "admin", "ar", none, 0, NULL}, /* the login is not edited */
            {"<script>", "admin", "ar", none, 1, "login"},
            {"someone", "superuser", "ar", none, 1, "role"},
            {"someone", "", "ar", none, 1, "role"},
            {"someone", "viewer", "xx", none, 1, "lang"},
        };
        struct arena *a = arena_new();
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                struct errs e;
                errs_init(&e, a, LANG_EN);
                struct account acc = {.login = cases[i].login,
                                      .role = cases[i].role,
                                      .lang = cases[i].lang,
                                      .regions = cases[i].regions};
                int rc = account_check(&acc, cases[i].creating, &e, known_region, NULL);
                if (cases[i].bad_field == NULL) {
                        assert_int_equal(rc, 0);
                        assert_int_equal(e.n, 0);
                } else {
                        assert_int_equal(rc, -1);
                        assert_int_equal(e.n, 1);
                        assert_string_equal(e.list[0].field, cases[i].bad_field);
                }
        }
        arena_free(a);
}

static void
test_region_count(void **state)
{
        (void)state;
        static const char *two[] = {"01", "02", NULL};
        assert_int_equal(account_region_count(NULL), 0);
        assert_int_equal(account_region_count(two), 2);
}

int
main(void)
{
        if (i18n_init() != 0)
                return 1;
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_logins),         cmocka_unit_test(test_passwords),
            cmocka_unit_test(test_weak_passwords), cmocka_unit_test(test_check),
            cmocka_unit_test(test_region_count),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
