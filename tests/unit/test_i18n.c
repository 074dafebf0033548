/* test_i18n.c: embedded catalogs, language codes and ICU date/number/age formatting. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <pthread.h>

#include "core/arena.h"
#include "core/dates.h"
#include "core/i18n.h"

static int
setup(void **state)
{
        (void)state;
        return i18n_init();
}

static void
test_gettext(void **state)
{
        (void)state;
        static const struct {
                enum lang lang;
                const char *msgid, *want;
        } cases[] = {
            {LANG_AR, N_("Cooperatives"), "التعاونيات"},
            {LANG_FR, "Cooperatives", "Coopératives"},
            {LANG_EN, "Cooperatives", "Cooperatives"},
            {LANG_AR, "No such message in any catalog", "No such message in any catalog"},
            {LANG_FR, "Cooperativ", "Cooperativ"}, /* prefix of a msgid */
            {LANG_EN, "Cooperatives!", "Cooperatives!"},
            {LANG_FR, "", ""}, /* never the .mo header */
        };
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
                assert_string_equal(i18n_gettext(cases[i].lang, cases[i].msgid), cases[i].want);
        assert_string_equal(_(LANG_FR, "Cooperatives"), "Coopératives");
        assert_null(i18n_gettext(LANG_AR, NULL));
}

static void
test_langs(void **state)
{
        (void)state;
        static const struct {
                const char *code;
                int want;
        } cases[] = {
            {"ar", LANG_AR}, {"fr", LANG_FR}, {"en", LANG_EN}, {"FR", LANG_FR}, {"En", LANG_EN},
            {"", -1},        {"de", -1},      {"ar ", -1},     {"ara", -1},     {NULL, -1},
        };
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
                assert_int_equal(lang_from_code(cases[i].code), cases[i].want);
        for (int l = 0; l < lang_count(); l++)
                assert_int_equal(lang_from_code(lang_code(l)), l);
        assert_true(lang_is_rtl(LANG_AR));
        assert_false(lang_is_rtl(LANG_FR));
        assert_false(lang_is_rtl(LANG_EN));
        assert_string_equal(lang_locale(LANG_AR), "ar_MA");
        assert_string_equal(lang_locale(LANG_FR), "fr_MA");
        assert_string_equal(lang_locale(LANG_EN), "en_GB");
}

/* Arabic-Indic (U+0660..0669) and Eastern Arabic-Indic (U+06F0..06F9) digits. */
static int
has_arabic_indic_digit(const char *s)
{
        const unsigned char *p = (const unsigned char *)s;
        for (; p[0] && p[1]; p++)
                if ((p[0] == 0xD9 && p[1] >= 0xA0 && p[1] <= 0xA9) ||
                    (p[0] == 0xDB && p[1] >= 0xB0 && p[1] <= 0xB9))
                        return 1;
        return 0;
}

static void
test_dates(void **state)
{
        (void)state;
        static const struct {
                enum lang lang;
                struct date d;
                const char *want;
        } cases[] = {
            {LANG_AR, {2023, 7, 14}, "يوليوز"},
            {LANG_AR, {2023, 8, 1}, "غشت"},
            {LANG_AR, {2023, 12, 1}, "دجنبر"},
            {LANG_AR, {2023, 7, 14}, "2023"},
            {LANG_AR, {2023, 7, 14}, "14"},
            {LANG_FR, {2023, 7, 14}, "juillet"},
            {LANG_FR, {2023, 8, 1}, "août"},
            {LANG_EN, {2023, 7, 14}, "July"},
            {LANG_EN, {1900, 1, 1}, "1 January 1900"},
            {LANG_EN, {2200, 12, 31}, "31 December 2200"},
            {LANG_FR, {2024, 2, 29}, "29 février 2024"},
        };
        struct arena *a = arena_new();
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                const char *s = i18n_date(a, cases[i].lang, cases[i].d);
                assert_non_null(s);
                if (strstr(s, cases[i].want) == NULL)
                        fail_msg("case %zu: \"%s\" lacks \"%s\"", i, s, cases[i].want);
                assert_false(has_arabic_indic_digit(s));
        }
        assert_string_equal(i18n_date(a, LANG_EN, (struct date){2023, 7, 14}), "14 July 2023");
        arena_free(a);
}

static void
test_int(void **state)
{
        (void)state;
        struct arena *a = arena_new();
        /* Grouping separators vary (ICU may use U+202F or '.' in French): compare digits only. */
        for (int l = 0; l < lang_count(); l++) {
                const char *s = i18n_int(a, l, 65315);
                char digits[32];
                size_t n = 0;
                assert_non_null(s);
                for (; *s && n < sizeof(digits) - 1; s++)
                        if (*s >= '0' && *s <= '9')
                                digits[n++] = *s;
                digits[n] = '\0';
                assert_string_equal(digits, "65315");
        }
        assert_string_equal(i18n_int(a, LANG_EN, 65315), "65,315");
        assert_string_equal(i18n_int(a, LANG_EN, -1234567), "-1,234,567");
        assert_string_equal(i18n_int(a, LANG_EN, 0), "0");
        assert_int_not_equal(strcmp(i18n_int(a, LANG_FR, 65315), "65315"), 0); /* grouped */
        assert_false(has_arabic_indic_digit(i18n_int(a, LANG_AR, 1234567890)));
        arena_free(a);
}

static void
test_age(void **state)
{
        (void)state;
        static const struct {
                enum lang lang;
                int years, months;
                const char *want;
        } exact[] = {
            {LANG_EN, 4, 7, "4 years 7 months"},
            {LANG_EN, 1, 0, "1 year"},
            {LANG_EN, 0, 1, "1 month"},
            {LANG_EN, 0, 0, "0 months"},
            {LANG_EN, 2, 1, "2 years 1 month"},
            {LANG_AR, 4, 0, "4 سنوات"},
            {LANG_AR, 2, 0, "سنتان"},
            {LANG_AR, 0, 7, "7 أشهر"},
        };
        struct arena *a = arena_new();
        for (int l = 0; l < lang_count(); l++) {
                const char *s = i18n_age(a, l, 4, 7);
                assert_non_null(s);
                assert_non_null(strstr(s, "4"));
                assert_non_null(strstr(s, "7"));
                assert_true(strstr(s, "4") < strstr(s, "7"));
                assert_false(has_arabic_indic_digit(s));
        }
        for (size_t i = 0; i < sizeof(exact) / sizeof(exact[0]); i++) {
                const char *s = i18n_age(a, exact[i].lang, exact[i].years, exact[i].months);
                assert_non_null(s);
                assert_string_equal(s, exact[i].want);
        }
        assert_non_null(strstr(i18n_age(a, LANG_FR, 4, 7), "ans"));
        assert_non_null(strstr(i18n_age(a, LANG_FR, 4, 7), "mois"));
        arena_free(a);
}

/* Writes a .mo image of the n (msgid, msgstr) pairs into out; returns its size. */
static size_t
build_mo(unsigned char *out, size_t cap, int big_endian, const char *const (*pairs)[2], int n)
{
        size_t str = 28 + (size_t)n * 16, size = str;
        uint32_t words[7] = {0x950412de, 0, (uint32_t)n, 28, 28 + (uint32_t)n * 8, 0, 0};
        memset(out, 0, cap);
        for (int i = 0; i < 7 + 4 * n; i++) {
                uint32_t v;
                if (i < 7) {
                        v = words[i];
                } else {
                        int k = (i - 7) / 2 % n, t = (i - 7) / (2 * n), len_word = (i - 7) % 2 == 0;
                        const char *p = pairs[k][t];
                        if (len_word) {
                                v = (uint32_t)strlen(p);
                        } else {
                                v = (uint32_t)size;
                                assert_true(size + strlen(p) + 1 <= cap);
                                memcpy(out + size, p, strlen(p) + 1);
                                size += strlen(p) + 1;
                        }
                }
                for (int b = 0; b < 4; b++)
                        out[i * 4 + b] = (unsigned char)(v >> (big_endian ? 24 - 8 * b : 8 * b));
        }
        assert_true(str <= size);
        return size;
}

static void
test_load_mo(void **state)
{
        (void)state;
        static const char *const good[][2] = {{"", "Content-Type: text/plain; charset=UTF-8\n"},
                                              {"Apple", "Pomme"},
                                              {"Pear", ""},
                                              {"Plum", "Prune"}};
        static const char *const unsorted[][2] = {{"Plum", "Prune"}, {"Apple", "Pomme"}};
        static unsigned char mo[512], bad[512];
        for (int be = 0; be < 2; be++) {
                size_t n = build_mo(mo, sizeof(mo), be, good, 4);
                assert_int_equal(i18n_load_mo(LANG_FR, mo, n), 0);
                assert_string_equal(i18n_gettext(LANG_FR, "Apple"), "Pomme");
                assert_string_equal(i18n_gettext(LANG_FR, "Plum"), "Prune");
                assert_string_equal(i18n_gettext(LANG_FR, "Pear"), "Pear"); /* untranslated */
                assert_string_equal(i18n_gettext(LANG_FR, "Cooperatives"), "Cooperatives");

                /* Every truncation of a valid image is refused. */
                for (size_t cut = 0; cut < n; cut++)
                        assert_int_equal(i18n_load_mo(LANG_FR, mo, cut), -1);
                /* So is a corrupted magic, revision, count, table offset or string offset. */
                static const size_t word_at[] = {0, 4, 8, 12, 16, 28 + 4, 28 + 32 + 4};
                for (size_t i = 0; i < sizeof(word_at) / sizeof(word_at[0]); i++) {
                        memcpy(bad, mo, n);
                        bad[word_at[i] + (be ? 0 : 3)] ^= 0x80; /* most significant byte */
                        if (i18n_load_mo(LANG_FR, bad, n) != -1)
                                fail_msg("corrupt word at %zu accepted", word_at[i]);
                }
                /* A missing terminating NUL. */
                memcpy(bad, mo, n);
                bad[n - 1] = 'x';
                assert_int_equal(i18n_load_mo(LANG_FR, bad, n), -1);
                assert_string_equal(i18n_gettext(LANG_FR, "Apple"), "Apple");
                n = build_mo(mo, sizeof(mo), be, unsorted, 2);
                assert_int_equal(i18n_load_mo(LANG_FR, mo, n), -1);
        }
        assert_int_equal(i18n_load_mo(LANG_FR, NULL, 0), -1);
        assert_int_equal(i18n_init(), 0);
        assert_string_equal(i18n_gettext(LANG_FR, "Cooperatives"), "Coopératives");
}

/* Each thread opens its own formatters; results must not depend on the thread. */
enum { THREAD_ROUNDS = 200 };
static char *reference[THREAD_ROUNDS][3];

static void
format_round(struct arena *a, int i, char *out[3])
{
        enum lang l = (enum lang)(i % lang_count());
        out[0] = i18n_date(a, l, date_from_days(19000 + i));
        out[1] = i18n_age(a, l, i % 9, i % 12);
        out[2] = i18n_int(a, l, (long long)i * 1000);
}

static void *
format_many(void *arg)
{
        struct arena *a = arena_new();
        intptr_t ok = 1;
        (void)arg;
        for (int i = 0; i < THREAD_ROUNDS; i++) {
                char *got[3];
                format_round(a, i, got);
                for (int k = 0; k < 3; k++)
                        if (got[k] == NULL || strcmp(got[k], reference[i][k]) != 0)
                                ok = 0;
        }
        arena_free(a);
        return (void *)ok;
}

static void
test_threads(void **state)
{
        (void)state;
        struct arena *a = arena_new();
        pthread_t th[4];
        for (int i = 0; i < THREAD_ROUNDS; i++) {
                format_round(a, i, reference[i]);
                for (int k = 0; k < 3; k++)
                        assert_non_null(reference[i][k]);
        }
        for (int i = 0; i < 4; i++)
                assert_int_equal(pthread_create(&th[i], NULL, format_many, NULL), 0);
        for (int i = 0; i < 4; i++) {
                void *ok;
                assert_int_equal(pthread_join(th[i], &ok), 0);
                assert_true(ok == (void *)1);
        }
        arena_free(a);
}

/* A fourth language is a catalog and nothing else: its header says how it is written. */
static void
test_new_language_is_a_catalog(void **state)
{
        (void)state;
        static const char *const zgh[][2] = {
            {"", "Content-Type: text/plain; charset=UTF-8\nLanguage: zgh\n"
                 "X-Murafiq-Native-Name: \xe2\xb5\x9c\xe2\xb4\xb0\xe2\xb5\x8e\xe2\xb4\xb0"
                 "\xe2\xb5\xa3\xe2\xb5\x89\xe2\xb5\x96\xe2\xb5\x9c\n"
                 "X-Murafiq-Direction: ltr\nX-Murafiq-Locale: zgh_MA\nX-Murafiq-Data-Names: ar\n"},
            {"Cooperatives", "\xe2\xb5\x9c\xe2\xb5\x89\xe2\xb5\x8f\xe2\xb5\x8e"},
        };
        static unsigned char mo[1024];
        size_t n = build_mo(mo, sizeof(mo), 0, zgh, 2);
        int before = lang_count();
        /* A catalog whose file name and Language disagree is refused. */
        assert_int_equal(i18n_add_mo("tzm.mo", mo, n), -1);
        assert_int_equal(lang_count(), before);
        int l = i18n_add_mo("zgh.mo", mo, n);
        assert_int_equal(l, before);
        assert_int_equal(lang_count(), before + 1);
        assert_int_equal(lang_from_code("zgh"), l);
        assert_string_equal(lang_code((enum lang)l), "zgh");
        assert_string_equal(lang_native_name((enum lang)l),
                            "\xe2\xb5\x9c\xe2\xb4\xb0\xe2\xb5\x8e\xe2\xb4\xb0\xe2\xb5\xa3"
                            "\xe2\xb5\x89\xe2\xb5\x96\xe2\xb5\x9c");
        assert_false(lang_is_rtl((enum lang)l));
        assert_int_equal(lang_data((enum lang)l), LANG_AR);
        assert_string_equal(lang_locale((enum lang)l), "zgh_MA");
        assert_string_equal(_((enum lang)l, "Cooperatives"),
                            "\xe2\xb5\x9c\xe2\xb5\x89\xe2\xb5\x8f\xe2\xb5\x8e");
        assert_string_equal(_((enum lang)l, "Region"), "Region"); /* untranslated: English */
        struct arena *a = arena_new();
        struct date d = {2023, 7, 14};
        const char *s = i18n_date(a, (enum lang)l, d);
        assert_non_null(s);
        assert_non_null(strstr(s, "2023"));
        assert_non_null(i18n_int(a, (enum lang)l, 65315));
        arena_free(a);
        /* The built-in languages keep their places and data names. */
        assert_int_equal(lang_data(LANG_FR), LANG_FR);
        assert_int_equal(lang_from_code("ar"), LANG_AR);
}

int
main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_gettext), cmocka_unit_test(test_langs),
            cmocka_unit_test(test_dates),   cmocka_unit_test(test_int),
            cmocka_unit_test(test_age),     cmocka_unit_test(test_load_mo),
            cmocka_unit_test(test_threads), cmocka_unit_test(test_new_language_is_a_catalog),
        };
        return cmocka_run_group_tests(tests, setup, NULL);
}
