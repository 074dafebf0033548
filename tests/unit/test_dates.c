/* test_dates.c: strict parsing, calendar arithmetic and exact ages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/dates.h"

static const struct parse_case {
        const char *s;
        int ok;
        struct date want;
} parse_cases[] = {
    {"2023-07-14", 1, {2023, 7, 14}},
    {"2024-02-29", 1, {2024, 2, 29}},
    {"2000-02-29", 1, {2000, 2, 29}},
    {"1900-01-01", 1, {1900, 1, 1}},
    {"2200-12-31", 1, {2200, 12, 31}},
    {"2025-02-29", 0, {0, 0, 0}},
    {"1900-02-29", 0, {0, 0, 0}}, /* 1900 is not a leap year */
    {"2100-02-29", 0, {0, 0, 0}},
    {"2023-02-31", 0, {0, 0, 0}},
    {"2023-04-31", 0, {0, 0, 0}},
    {"2023-13-01", 0, {0, 0, 0}},
    {"2023-00-10", 0, {0, 0, 0}},
    {"2023-01-00", 0, {0, 0, 0}},
    {"1899-12-31", 0, {0, 0, 0}},
    {"2201-01-01", 0, {0, 0, 0}},
    {"2023-1-05", 0, {0, 0, 0}},
    {"2023-01-5", 0, {0, 0, 0}},
    {"2023-01-05 ", 0, {0, 0, 0}},
    {" 2023-01-05", 0, {0, 0, 0}},
    {"2023/01/05", 0, {0, 0, 0}},
    {"2023-01-0a", 0, {0, 0, 0}},
    {"+023-01-05", 0, {0, 0, 0}},
    {"2023-+1-05", 0, {0, 0, 0}},
    {"20230105", 0, {0, 0, 0}},
    {"", 0, {0, 0, 0}},
    {NULL, 0, {0, 0, 0}},
};

static void
test_parse(void **state)
{
        (void)state;
        for (size_t i = 0; i < sizeof(parse_cases) / sizeof(parse_cases[0]); i++) {
                const struct parse_case *c = &parse_cases[i];
                struct date d = {-1, -1, -1};
                int rc = date_parse(c->s, &d);
                if (rc != (c->ok ? 0 : -1))
                        fail_msg("\"%s\": rc %d", c->s ? c->s : "(null)", rc);
                if (c->ok) {
                        assert_int_equal(date_cmp(d, c->want), 0);
                        char iso[11];
                        date_format_iso(d, iso);
                        assert_string_equal(iso, c->s);
                }
        }
}

static const struct age_case {
        struct date from, on;
        struct age want;
} age_cases[] = {
    {{2019, 7, 14}, {2023, 7, 14}, {4, 0, 0}}, /* exactly 4 years */
    {{2019, 7, 13}, {2023, 7, 14}, {4, 0, 1}}, /* one day more */
    {{2019, 7, 15}, {2023, 7, 14}, {3, 11, 29}},
    {{2023, 7, 14}, {2023, 7, 14}, {0, 0, 0}},
    {{2023, 7, 15}, {2023, 7, 14}, {0, 0, 0}}, /* from after on */
    {{2023, 1, 31}, {2023, 2, 28}, {0, 1, 0}}, /* month end clamps */
    {{2023, 1, 31}, {2023, 3, 1}, {0, 1, 1}},
    {{2023, 1, 15}, {2023, 3, 14}, {0, 1, 27}},
    {{2022, 12, 20}, {2023, 1, 5}, {0, 0, 16}},
    {{2020, 2, 29}, {2021, 2, 28}, {1, 0, 0}}, /* Feb 29 birthday in a common year */
    {{2020, 2, 29}, {2021, 2, 27}, {0, 11, 29}},
    {{2020, 2, 29}, {2021, 3, 1}, {1, 0, 1}},
    {{2020, 2, 29}, {2024, 2, 28}, {3, 11, 30}},
    {{2020, 2, 29}, {2024, 2, 29}, {4, 0, 0}}, /* leap year: the real anniversary */
    {{1950, 3, 1}, {2023, 2, 28}, {72, 11, 27}},
    {{1999, 12, 31}, {2000, 1, 1}, {0, 0, 1}},
};

static void
test_age(void **state)
{
        (void)state;
        for (size_t i = 0; i < sizeof(age_cases) / sizeof(age_cases[0]); i++) {
                const struct age_case *c = &age_cases[i];
                struct age got = date_age(c->from, c->on);
                if (got.years != c->want.years || got.months != c->want.months ||
                    got.days != c->want.days)
                        fail_msg("case %zu: got {%d,%d,%d} want {%d,%d,%d}", i, got.years,
                                 got.months, got.days, c->want.years, c->want.months, c->want.days);
        }
}

static void
test_add_years(void **state)
{
        (void)state;
        static const struct {
                struct date d;
                int n;
                struct date want;
        } cases[] = {
            {{2020, 2, 29}, 1, {2021, 2, 28}},   {{2020, 2, 29}, 4, {2024, 2, 29}},
            {{2020, 2, 29}, -1, {2019, 2, 28}},  {{2023, 7, 14}, -4, {2019, 7, 14}},
            {{2023, 12, 31}, 0, {2023, 12, 31}},
        };
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
                assert_int_equal(date_cmp(date_add_years(cases[i].d, cases[i].n), cases[i].want),
                                 0);
}

static void
test_days(void **state)
{
        (void)state;
        static const struct {
                struct date d;
                long days;
        } fixed[] = {
            {{1970, 1, 1}, 0},      {{1969, 12, 31}, -1},   {{2000, 3, 1}, 11017},
            {{1900, 1, 1}, -25567}, {{2023, 7, 14}, 19552}, {{2200, 12, 31}, 84370},
        };
        for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
                assert_int_equal(date_to_days(fixed[i].d), fixed[i].days);
                assert_int_equal(date_cmp(date_from_days(fixed[i].days), fixed[i].d), 0);
        }
        /* Every day from 1600 to 2400: round trip, consecutive, valid where in range. */
        struct date prev = date_from_days(date_to_days((struct date){1600, 1, 1}) - 1);
        for (long n = date_to_days((struct date){1600, 1, 1});
             n <= date_to_days((struct date){2400, 12, 31}); n++) {
                struct date d = date_from_days(n);
                assert_int_equal(date_to_days(d), n);
                assert_true(date_cmp(prev, d) < 0);
                if (d.y >= 1900 && d.y <= 2200)
                        assert_true(date_valid(d.y, d.m, d.d));
                prev = d;
        }
}

static void
test_cmp_today(void **state)
{
        (void)state;
        assert_true(date_cmp((struct date){2023, 1, 1}, (struct date){2023, 1, 2}) < 0);
        assert_true(date_cmp((struct date){2023, 2, 1}, (struct date){2023, 1, 31}) > 0);
        assert_true(date_cmp((struct date){2024, 1, 1}, (struct date){2023, 12, 31}) > 0);
        struct date t = date_today();
        assert_true(date_valid(t.y, t.m, t.d));
        assert_true(t.y >= 2024);
}

int
main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_parse),     cmocka_unit_test(test_age),
            cmocka_unit_test(test_add_years), cmocka_unit_test(test_days),
            cmocka_unit_test(test_cmp_today),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
