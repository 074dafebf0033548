/* test_arena.c: the arena's allocation failure: a request's arena jumps to its recovery point
 * (core/http.c answers 500 from there) instead of aborting the process. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/arena.h"

static void
test_failure_jumps_to_the_target(void **state)
{
        (void)state;
        struct arena *a = arena_new();
        char *before = arena_strdup(a, "kept");
        jmp_buf to;
        volatile int jumped = 0;
        if (setjmp(to) == 0) {
                arena_on_fail(a, &to);
                /* A block larger than any size_t can describe: block_new fails, as when malloc
                 * returns NULL (a real malloc failure cannot be provoked under ASan). */
                arena_alloc(a, SIZE_MAX - 40);
                fail_msg("arena_alloc returned after a failed allocation");
        } else {
                jumped = 1;
        }
        assert_int_equal(jumped, 1);
        /* The arena still works, and what it held is intact. */
        assert_string_equal(before, "kept");
        char *after = arena_strdup(a, "after");
        assert_string_equal(after, "after");
        arena_free(a);
}

static void
test_the_target_is_taken_once(void **state)
{
        (void)state;
        struct arena *a = arena_new();
        jmp_buf first, second;
        volatile int hits = 0;
        if (setjmp(first) == 0) {
                arena_on_fail(a, &first);
                arena_alloc(a, SIZE_MAX - 8); /* refused before any block: the size guard */
        } else {
                hits++;
        }
        /* The recovery code sets its own target before allocating again. */
        if (hits == 1 && setjmp(second) == 0) {
                arena_on_fail(a, &second);
                arena_alloc(a, SIZE_MAX - 40);
        } else {
                hits++;
        }
        assert_int_equal(hits, 2);
        arena_on_fail(a, NULL);
        assert_non_null(arena_alloc(a, 64));
        arena_free(a);
}

int
main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_failure_jumps_to_the_target),
            cmocka_unit_test(test_the_target_is_taken_once),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
