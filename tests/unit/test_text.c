/* test_text.c: UTF-8 validation, trimming and search folding. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/arena.h"
#include "core/text.h"

/* Strings in each group must fold to the same key; `want` is that key when not NULL. */
static const struct fold_group {
        const char *want;
        const char *in[5];
} fold_groups[] = {
    {"cooperative feminine",
     {"Coopérative Féminine", "cooperative feminine", "COOPÉRATIVE  FÉMININE"}},
    {"تعاونيه", {"تَعَاوُنِيَّة", "تعاونيه", "تعاونية", "تـعـاونية", "تعاونيّة"}},
    {"امل", {"أمل", "إمل", "آمل", "امل", "ٱمل"}},
    {"مصطفي", {"مصطفى", "مصطفي"}},
    {"و", {"ؤ", "و"}},
    {"ي", {"ئ", "ي", "ى"}},
    {"a b", {"  a,  b ", "a--b", "A\t\n\r B", "(a) [b]!", "a\u00a0b"}},
    {"الرحمن", {"الرَّحْمٰن", "الرحمن"}},
    {"francais", {"Français", "FRANÇAIS", "francais"}},
    {"ait", {"Aït", "AÏT", "ait"}},
    {"", {"", "   ", "...", "\t-\n"}},
    {"o brien 2", {"O'Brien 2", "o brien, 2"}},
    {"zwnj", {"zw\xe2\x80\x8cnj", "zwnj"}},
    {"strasse", {"Straße", "STRASSE"}},
};

static void
test_fold_groups(void **state)
{
        (void)state;
        struct arena *a = arena_new();
        for (size_t g = 0; g < sizeof(fold_groups) / sizeof(fold_groups[0]); g++) {
                const struct fold_group *fg = &fold_groups[g];
                const char *key = text_fold(a, fg->in[0]);
                assert_non_null(key);
                if (fg->want)
                        assert_string_equal(key, fg->want);
                for (size_t i = 1; i < 5 && fg->in[i]; i++) {
                        const char *k = text_fold(a, fg->in[i]);
                        assert_non_null(k);
                        assert_string_equal(k, key);
                }
        }
        arena_free(a);
}

static void
test_fold_distinct(void **state)
{
        (void)state;
        static const char *pairs[][2] = {
            {"امل", "عمل"},
            {"cooperative", "cooperatives"},
            {"ب", "ت"},
        };
        struct arena *a = arena_new();
        for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++)
                assert_string_not_equal(text_fold(a, pairs[i][0]), text_fold(a, pairs[i][1]));
        arena_free(a);
}

static void
test_fold_invalid(void **state)
{
        (void)state;
        static const char *bad[] = {
            "abc\xc0\xaf", "\xed\xa0\x80", "\xf5\x80\x80\x80", "caf\xc3", "\xe2\x82",
            "\x80",        "\xff",
        };
        struct arena *a = arena_new();
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
                assert_null(text_fold(a, bad[i]));
        assert_null(text_fold(a, NULL));
        arena_free(a);
}

/* Long input takes the arena path rather than the stack buffers. */
static void
test_fold_long(void **state)
{
        (void)state;
        static const char unit[] = "\xc3\x89\xd8\xaa\xd9\x8e\xd9\x80 "; /* "Éتَـ " */
        static const char folded[] = "e\xd8\xaa ";                      /* "eت " */
        enum { N = 1000 };
        struct arena *a = arena_new();
        char *in = arena_alloc(a, N * (sizeof(unit) - 1) + 1);
        char *want = arena_alloc(a, N * (sizeof(folded) - 1) + 1);
        for (size_t i = 0; i < N; i++) {
                memcpy(in + i * (sizeof(unit) - 1), unit, sizeof(unit) - 1);
                memcpy(want + i * (sizeof(folded) - 1), folded, sizeof(folded) - 1);
        }
        want[N * (sizeof(folded) - 1) - 1] = '\0'; /* no trailing space */
        assert_string_equal(text_fold(a, in), want);
        arena_free(a);
}

static const struct utf8_case {
        const char *s;
        size_t len;
        int valid;
} utf8_cases[] = {
    {"", 0, 1},
    {"plain ascii", 11, 1},
    {"\xd8\xaa\xd8\xb9\xd8\xa7\xd9\x88\xd9\x86\xd9\x8a\xd8\xa9", 14, 1}, /* تعاونية */
    {"tab\tnl\ncr\r", 10, 1},
    {"\xf0\x9f\x98\x80", 4, 1}, /* U+1F600 */
    {"\xf4\x8f\xbf\xbf", 4, 1}, /* U+10FFFF */
    {"\xef\xbf\xbd", 3, 1},     /* U+FFFD */
    {"\xc0\xaf", 2, 0},         /* overlong '/' */
    {"\xe0\x80\xaf", 3, 0},     /* overlong '/' */
    {"\xf0\x80\x80\xaf", 4, 0}, /* overlong '/' */
    {"\xed\xa0\x80", 3, 0},     /* lone surrogate */
    {"\xed\xbf\xbf", 3, 0},     /* lone surrogate */
    {"\xf4\x90\x80\x80", 4, 0}, /* > U+10FFFF */
    {"\xf5\x80\x80\x80", 4, 0}, /* invalid lead */
    {"\xff", 1, 0},
    {"\x80", 1, 0},         /* lone continuation */
    {"\xd8", 1, 0},         /* truncated */
    {"\xe2\x82", 2, 0},     /* truncated */
    {"\xf0\x9f\x98", 3, 0}, /* truncated */
    {"\xe2\x28\xa1", 3, 0}, /* bad continuation */
    {"a\0b", 3, 0},         /* NUL */
    {"a\x01", 2, 0},        /* C0 control */
    {"\x1b[0m", 4, 0},      /* escape */
    {"\x7f", 1, 1},         /* DEL is not C0 */
};

static void
test_valid_utf8(void **state)
{
        (void)state;
        for (size_t i = 0; i < sizeof(utf8_cases) / sizeof(utf8_cases[0]); i++) {
                const struct utf8_case *c = &utf8_cases[i];
                if (text_valid_utf8(c->s, c->len) != c->valid)
                        fail_msg("case %zu: want %d", i, c->valid);
        }
}

static void
test_length_trim(void **state)
{
        (void)state;
        struct arena *a = arena_new();
        assert_int_equal(text_length(""), 0);
        assert_int_equal(text_length("abc"), 3);
        assert_int_equal(text_length("تعاونية"), 7);
        assert_int_equal(text_length("é\xf0\x9f\x98\x80"), 2);
        assert_string_equal(text_trim(a, "  a b \t\n"), "a b");
        assert_string_equal(text_trim(a, "\u00a0تعاونية\u3000"), "تعاونية"); /* NBSP, ideographic */
        assert_string_equal(text_trim(a, "   "), "");
        assert_string_equal(text_trim(a, ""), "");
        assert_null(text_trim(a, NULL));
        arena_free(a);
}

int
main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_fold_groups),  cmocka_unit_test(test_fold_distinct),
            cmocka_unit_test(test_fold_invalid), cmocka_unit_test(test_fold_long),
            cmocka_unit_test(test_valid_utf8),   cmocka_unit_test(test_length_trim),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
