/* test_html.c: the HTML emitters escape by default; the buffer latches its limit. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/html.h"

static void
test_printf_escapes_every_string(void **state)
{
        (void)state;
        struct arena *a = arena_new();
        struct buf b;
        buf_init(&b, a, 4096);
        html_printf(&b, "<td title=\"%s\">%s %d%%</td>", "a\"b", "<script>'x'&</script>", 42);
        assert_string_equal(
            buf_str(&b),
            "<td title=\"a&quot;b\">&lt;script&gt;&#39;x&#39;&amp;&lt;/script&gt; 42%</td>");
        arena_free(a);
}

static void
test_printf_numbers_and_null(void **state)
{
        (void)state;
        struct arena *a = arena_new();
        struct buf b;
        buf_init(&b, a, 4096);
        const char *volatile none = NULL; /* hidden from the compiler's format check */
        html_printf(&b, "%lld|%ld|%zu|%u|[%s]", -9000000000LL, 7L, (size_t)3, 4u, none);
        assert_string_equal(buf_str(&b), "-9000000000|7|3|4|[]");
        arena_free(a);
}

static void
test_url_arg_encodes(void **state)
{
        (void)state;
        struct arena *a = arena_new();
        struct buf b;
        buf_init(&b, a, 4096);
        html_url_arg(&b, "a b&c=\"d\"/é");
        assert_string_equal(buf_str(&b), "a%20b%26c%3D%22d%22/%C3%A9");
        arena_free(a);
}

static void
test_buf_latches_limit(void **state)
{
        (void)state;
        struct arena *a = arena_new();
        struct buf b;
        buf_init(&b, a, 10);
        buf_puts(&b, "0123456789");
        assert_int_equal(b.err, 0);
        buf_puts(&b, "x");
        assert_int_equal(b.err, 1);
        buf_puts(&b, ""); /* nothing more is appended once the limit is hit */
        assert_int_equal(b.len, 10);
        assert_string_equal(buf_str(&b), "0123456789");
        arena_free(a);
}

static void
test_buf_insert(void **state)
{
        (void)state;
        struct arena *a = arena_new();
        struct buf b;
        buf_init(&b, a, 64);
        buf_puts(&b, "<form></form>");
        buf_insert(&b, 6, "<ul></ul>", 9);
        assert_string_equal(buf_str(&b), "<form><ul></ul></form>");
        buf_insert(&b, 0, "x", 1);
        buf_insert(&b, b.len, "y", 1);
        assert_string_equal(buf_str(&b), "x<form><ul></ul></form>y");
        buf_insert(&b, b.len + 1, "z", 1); /* past the end: ignored */
        assert_int_equal(b.len, 24);
        arena_free(a);
}

static void
test_arena_large_and_reset(void **state)
{
        (void)state;
        struct arena *a = arena_new();
        char *big = arena_alloc(a, 100000);
        memset(big, 'x', 100000);
        char *s = arena_printf(a, "%s-%d", "n", 5);
        assert_string_equal(s, "n-5");
        arena_reset(a);
        char *t = arena_strndup(a, "abcdef", 3);
        assert_string_equal(t, "abc");
        arena_free(a);
}

int
main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_printf_escapes_every_string),
            cmocka_unit_test(test_printf_numbers_and_null),
            cmocka_unit_test(test_url_arg_encodes),
            cmocka_unit_test(test_buf_latches_limit),
            cmocka_unit_test(test_buf_insert),
            cmocka_unit_test(test_arena_large_and_reset),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
