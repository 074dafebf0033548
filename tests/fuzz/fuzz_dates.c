/* fuzz_dates.c: strict date parsing and the calendar arithmetic behind ages (core/dates.c). */
#include "core/dates.h"

#include "fuzz.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
        (void)argc, (void)argv;
        return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct arena *a = arena_new();
        char *s = fuzz_cstr(a, data, size);
        struct date d;
        if (date_parse(s, &d) == 0) {
                /* Only exact, real dates parse, and they print back as they were read. */
                FUZZ_ASSERT(date_valid(d.y, d.m, d.d));
                char iso[11];
                date_format_iso(d, iso);
                FUZZ_ASSERT(strcmp(iso, s) == 0);
                FUZZ_ASSERT(date_cmp(date_from_days(date_to_days(d)), d) == 0);
                struct date on = fuzz_today();
                struct age g = date_age(d, on);
                FUZZ_ASSERT(g.years >= 0 && g.months >= 0 && g.months < 12 && g.days >= 0 &&
                            g.days < 31);
                if (date_cmp(d, on) <= 0) {
                        /* from + age lands on `on`, never past it. */
                        struct date back = date_add_years(d, g.years);
                        FUZZ_ASSERT(date_cmp(back, on) <= 0);
                } else {
                        FUZZ_ASSERT(g.years == 0 && g.months == 0 && g.days == 0);
                }
                struct date later = date_add_years(d, 4);
                FUZZ_ASSERT(date_valid(later.y, later.m, later.d) || later.y > 2200);
        }
        arena_free(a);
        return 0;
}
