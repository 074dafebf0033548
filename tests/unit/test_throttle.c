/* test_throttle.c: the delays of login throttling and their Retry-After (pure). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/auth.h"

static void
test_delay_table(void **state)
{
        (void)state;
        static const struct {
                long long failures, limit, want_ms;
        } cases[] = {
            {0, 5, 0},        {4, 5, 0},
            {5, 5, 60000},  /* at the limit: the base delay */
            {6, 5, 120000}, /* doubled for each failure beyond */
            {7, 5, 240000},   {8, 5, 480000},
            {9, 5, 900000},                         /* 960 s would pass the 15-minute cap */
            {50, 5, 900000},  {1000000, 5, 900000}, /* no overflow however many failures */
            {19, 20, 0},      {20, 20, 60000},
            {21, 20, 120000}, {3, 0, 0}, /* a limit below 1 throttles nothing */
        };
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
                assert_int_equal(auth_throttle_delay_ms(cases[i].failures, cases[i].limit,
                                                        THROTTLE_BASE_MS, THROTTLE_MAX_MS),
                                 cases[i].want_ms);
}

static void
test_retry_after(void **state)
{
        (void)state;
        assert_int_equal(auth_retry_after_seconds(-5), 1);
        assert_int_equal(auth_retry_after_seconds(0), 1);
        assert_int_equal(auth_retry_after_seconds(1), 1);
        assert_int_equal(auth_retry_after_seconds(1000), 1);
        assert_int_equal(auth_retry_after_seconds(1001), 2);
        assert_int_equal(auth_retry_after_seconds(900000), 900);
}

int
main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_delay_table),
            cmocka_unit_test(test_retry_after),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
