/* test_eligibility.c: eligibility rules: exact-day boundaries, each kind, explanations, JSON. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/i18n.h"
#include "core/validate.h"
#include "registry/coop.h"
#include "selection/eligibility.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* A valid active cooperative of Casablanca-Settat; the cases change what they test. */
static struct coop
base_coop(void)
{
        struct coop c;
        memset(&c, 0, sizeof(c));
        c.register_number = "2023/15-03";
        c.name_ar = "تعاونية الأمل";
        c.name_fr = "Coopérative Al Amal";
        c.legal_date = "2023-07-14";
        c.activity_start_date = "2023-09-01";
        c.sector = "handicraft";
        c.region_code = "03";
        c.province_code = "03.231";
        c.members_total = 12;
        c.members_women = 9;
        c.status = "active";
        return c;
}

static struct date
d(int y, int m, int day)
{
        struct date r = {y, m, day};
        return r;
}

/* ---- Exact-day boundaries of the duration rules ---- */

static const struct age_case {
        const char *name;
        enum elig_kind kind;
        int years, months;
        const char *date; /* legal date, or activity start for min_activity; NULL = missing */
        struct date ref;
        int pass;
        const char *measured;
} age_cases[] = {
    {"exactly 4 years", ELIG_MAX_LEGAL_AGE, 4, 0, "2021-07-14", {2025, 7, 14}, 1, "4y0m0d"},
    {"4 years and 1 day", ELIG_MAX_LEGAL_AGE, 4, 0, "2021-07-13", {2025, 7, 14}, 0, "4y0m1d"},
    {"1 day under 4 years", ELIG_MAX_LEGAL_AGE, 4, 0, "2021-07-15", {2025, 7, 14}, 1, "3y11m29d"},
    {"4 years 7 months", ELIG_MAX_LEGAL_AGE, 4, 0, "2020-12-14", {2025, 7, 14}, 0, "4y7m0d"},
    {"created on the reference date",
     ELIG_MAX_LEGAL_AGE,
     4,
     0,
     "2025-07-14",
     {2025, 7, 14},
     1,
     "0y0m0d"},
    {"created after the reference date",
     ELIG_MAX_LEGAL_AGE,
     4,
     0,
     "2025-07-15",
     {2025, 7, 14},
     0,
     "after_reference"},
    {"legal date missing", ELIG_MAX_LEGAL_AGE, 4, 0, NULL, {2025, 7, 14}, 0, "missing"},
    {"legal date malformed", ELIG_MAX_LEGAL_AGE, 4, 0, "2021-02-30", {2025, 7, 14}, 0, "missing"},
    /* 29 February: its anniversary is 29 February in leap years, 28 February otherwise. */
    {"29 Feb, 4 years on 29 Feb",
     ELIG_MAX_LEGAL_AGE,
     4,
     0,
     "2020-02-29",
     {2024, 2, 29},
     1,
     "4y0m0d"},
    {"29 Feb, 4 years and 1 day",
     ELIG_MAX_LEGAL_AGE,
     4,
     0,
     "2020-02-29",
     {2024, 3, 1},
     0,
     "4y0m1d"},
    {"29 Feb, the day before",
     ELIG_MAX_LEGAL_AGE,
     4,
     0,
     "2020-02-29",
     {2024, 2, 28},
     1,
     "3y11m30d"},
    {"29 Feb, 3 years on 28 Feb",
     ELIG_UNDER_LEGAL_AGE,
     3,
     0,
     "2020-02-29",
     {2023, 2, 28},
     0,
     "3y0m0d"},
    {"29 Feb, day before 3 years",
     ELIG_UNDER_LEGAL_AGE,
     3,
     0,
     "2020-02-29",
     {2023, 2, 27},
     1,
     "2y11m29d"},
    {"28 Feb in a leap year", ELIG_MAX_LEGAL_AGE, 4, 0, "2020-02-28", {2024, 2, 28}, 1, "4y0m0d"},
    {"28 Feb in a leap year, +1 day",
     ELIG_MAX_LEGAL_AGE,
     4,
     0,
     "2020-02-28",
     {2024, 2, 29},
     0,
     "4y0m1d"},
    {"under 3 years at exactly 3",
     ELIG_UNDER_LEGAL_AGE,
     3,
     0,
     "2022-05-10",
     {2025, 5, 10},
     0,
     "3y0m0d"},
    {"under 3 years, a day short",
     ELIG_UNDER_LEGAL_AGE,
     3,
     0,
     "2022-05-11",
     {2025, 5, 10},
     1,
     "2y11m29d"},
    {"under 3 years, after reference",
     ELIG_UNDER_LEGAL_AGE,
     3,
     0,
     "2025-05-11",
     {2025, 5, 10},
     0,
     "after_reference"},
    {"under 3 years, missing", ELIG_UNDER_LEGAL_AGE, 3, 0, NULL, {2025, 5, 10}, 0, "missing"},
    {"at most 4y6m, exactly", ELIG_MAX_LEGAL_AGE, 4, 6, "2021-01-31", {2025, 7, 31}, 1, "4y6m0d"},
    {"at most 4y6m, 1 day more",
     ELIG_MAX_LEGAL_AGE,
     4,
     6,
     "2021-01-30",
     {2025, 7, 31},
     0,
     "4y6m1d"},
    /* Month ends: 31 August + 6 months is 28 February (clamped). */
    {"at most 6 months, month end",
     ELIG_MAX_LEGAL_AGE,
     0,
     6,
     "2024-08-31",
     {2025, 2, 28},
     1,
     "0y6m0d"},
    {"activity exactly 1 year", ELIG_MIN_ACTIVITY, 1, 0, "2024-07-14", {2025, 7, 14}, 1, "1y0m0d"},
    {"activity 1 day short", ELIG_MIN_ACTIVITY, 1, 0, "2024-07-15", {2025, 7, 14}, 0, "0y11m29d"},
    {"activity 29 Feb, 28 Feb next",
     ELIG_MIN_ACTIVITY,
     1,
     0,
     "2024-02-29",
     {2025, 2, 28},
     1,
     "1y0m0d"},
    {"activity 29 Feb, 27 Feb next",
     ELIG_MIN_ACTIVITY,
     1,
     0,
     "2024-02-29",
     {2025, 2, 27},
     0,
     "0y11m29d"},
    {"activity start missing", ELIG_MIN_ACTIVITY, 1, 0, NULL, {2025, 7, 14}, 0, "missing"},
    {"activity start empty", ELIG_MIN_ACTIVITY, 1, 0, "", {2025, 7, 14}, 0, "missing"},
    {"activity after the reference",
     ELIG_MIN_ACTIVITY,
     1,
     0,
     "2025-08-01",
     {2025, 7, 14},
     0,
     "after_reference"},
    {"activity 5 years", ELIG_MIN_ACTIVITY, 1, 0, "2020-01-01", {2025, 7, 14}, 1, "5y6m13d"},
};

static void
test_age_boundaries(void **state)
{
        (void)state;
        struct arena *a = arena_new();
        for (size_t i = 0; i < N(age_cases); i++) {
                const struct age_case *t = &age_cases[i];
                struct coop c = base_coop();
                struct elig_rule r = {.kind = t->kind, .years = t->years, .months = t->months};
                struct elig_input in;
                struct elig_result res;

                if (t->kind == ELIG_MIN_ACTIVITY) {
                        c.legal_date = "2019-01-01";
                        c.activity_start_date = t->date;
                } else {
                        c.legal_date = t->date;
                }
                eligibility_input_set(&in, &c, 0);
                assert_int_equal(eligibility_evaluate(&r, 1, &in, t->ref, LANG_EN, a, &res), 0);
                if (res.lines[0].pass != t->pass || strcmp(res.lines[0].measured, t->measured))
                        fail_msg("%s: pass %d measured %s", t->name, res.lines[0].pass,
                                 res.lines[0].measured);
                assert_int_equal(res.eligible, t->pass);
                assert_int_equal(eligibility_screen_one(&r, 1, &in, t->ref), t->pass ? 0 : 1);
                assert_true(res.lines[0].explanation[0] != '\0');
        }
        arena_free(a);
}

/* ---- Each kind, passing and failing ---- */

enum tweak {
        T_NONE,
        T_REGION_06,
        T_PROVINCE_01,
        T_SECTOR_ARGAN,
        T_SOULALYATE,
        T_WOMEN_ONLY,
        T_MEMBERS_7_WOMEN_3,
        T_MEMBERS_7_WOMEN_4,
        T_MEMBERS_0,
        T_MEMBERS_50,
        T_DORMANT,
        T_ACCOMPANIED,
};

static void
apply_tweak(struct coop *c, int *accompanied, enum tweak t)
{
        switch (t) {
        case T_NONE:
                break;
        case T_REGION_06:
                c->region_code = "06";
                c->province_code = "06.141";
                break;
        case T_PROVINCE_01:
                c->region_code = "01";
                c->province_code = "01.511";
                break;
        case T_SECTOR_ARGAN:
                c->sector = "argan";
                break;
        case T_SOULALYATE:
                c->is_soulalyate = 1;
                break;
        case T_WOMEN_ONLY:
                c->is_women_only = 1;
                c->members_women = c->members_total;
                break;
        case T_MEMBERS_7_WOMEN_3:
                c->members_total = 7;
                c->members_women = 3;
                break;
        case T_MEMBERS_7_WOMEN_4:
                c->members_total = 7;
                c->members_women = 4;
                break;
        case T_MEMBERS_0:
                c->members_total = 0;
                c->members_women = 0;
                break;
        case T_MEMBERS_50:
                c->members_total = 50;
                c->members_women = 10;
                break;
        case T_DORMANT:
                c->status = "dormant";
                break;
        case T_ACCOMPANIED:
                *accompanied = 1;
                break;
        }
}

static const char *const regions_03_01[] = {"03", "01"};
static const char *const provinces_03_231[] = {"03.231"};
static const char *const sectors_argan_agri[] = {"argan", "agriculture"};

static const struct kind_case {
        const char *name;
        struct elig_rule rule;
        enum tweak tweak;
        int pass;
        const char *measured;
} kind_cases[] = {
    {"region allowed",
     {.kind = ELIG_REGIONS, .codes = regions_03_01, .ncodes = 2},
     T_NONE,
     1,
     "03"},
    {"region not allowed",
     {.kind = ELIG_REGIONS, .codes = regions_03_01, .ncodes = 2},
     T_REGION_06,
     0,
     "06"},
    {"province allowed",
     {.kind = ELIG_PROVINCES, .codes = provinces_03_231, .ncodes = 1},
     T_NONE,
     1,
     "03.231"},
    {"province not allowed",
     {.kind = ELIG_PROVINCES, .codes = provinces_03_231, .ncodes = 1},
     T_PROVINCE_01,
     0,
     "01.511"},
    {"sector allowed",
     {.kind = ELIG_SECTORS, .codes = sectors_argan_agri, .ncodes = 2},
     T_SECTOR_ARGAN,
     1,
     "argan"},
    {"sector not allowed",
     {.kind = ELIG_SECTORS, .codes = sectors_argan_agri, .ncodes = 2},
     T_NONE,
     0,
     "handicraft"},
    {"soulalyate", {.kind = ELIG_SOULALYATE_ONLY}, T_SOULALYATE, 1, "1"},
    {"not soulalyate", {.kind = ELIG_SOULALYATE_ONLY}, T_NONE, 0, "0"},
    {"women-only", {.kind = ELIG_WOMEN, .women_only = 1}, T_WOMEN_ONLY, 1, "1"},
    {"not women-only", {.kind = ELIG_WOMEN, .women_only = 1}, T_NONE, 0, "0"},
    {"75% women, min 50", {.kind = ELIG_WOMEN, .women_share = 50}, T_NONE, 1, "9/12"},
    {"75% women, min 75", {.kind = ELIG_WOMEN, .women_share = 75}, T_NONE, 1, "9/12"},
    {"75% women, min 76", {.kind = ELIG_WOMEN, .women_share = 76}, T_NONE, 0, "9/12"},
    {"3 of 7 women, min 50",
     {.kind = ELIG_WOMEN, .women_share = 50},
     T_MEMBERS_7_WOMEN_3,
     0,
     "3/7"},
    {"4 of 7 women, min 50",
     {.kind = ELIG_WOMEN, .women_share = 50},
     T_MEMBERS_7_WOMEN_4,
     1,
     "4/7"},
    {"no members, share", {.kind = ELIG_WOMEN, .women_share = 1}, T_MEMBERS_0, 0, "0/0"},
    {"members within both",
     {.kind = ELIG_MEMBERS, .has_min = 1, .members_min = 12, .has_max = 1, .members_max = 12},
     T_NONE,
     1,
     "12"},
    {"members below min", {.kind = ELIG_MEMBERS, .has_min = 1, .members_min = 13}, T_NONE, 0, "12"},
    {"members above max", {.kind = ELIG_MEMBERS, .has_max = 1, .members_max = 11}, T_NONE, 0, "12"},
    {"members max only",
     {.kind = ELIG_MEMBERS, .has_max = 1, .members_max = 49},
     T_MEMBERS_50,
     0,
     "50"},
    {"members 0, min 5",
     {.kind = ELIG_MEMBERS, .has_min = 1, .members_min = 5},
     T_MEMBERS_0,
     0,
     "0"},
    {"status active", {.kind = ELIG_STATUS_ACTIVE}, T_NONE, 1, "active"},
    {"status dormant", {.kind = ELIG_STATUS_ACTIVE}, T_DORMANT, 0, "dormant"},
    {"not accompanied", {.kind = ELIG_NOT_ACCOMPANIED}, T_NONE, 1, "0"},
    {"already accompanied", {.kind = ELIG_NOT_ACCOMPANIED}, T_ACCOMPANIED, 0, "1"},
};

static void
test_kinds(void **state)
{
        (void)state;
        struct arena *a = arena_new();
        struct date ref = {2025, 7, 14};
        for (size_t i = 0; i < N(kind_cases); i++) {
                const struct kind_case *t = &kind_cases[i];
                struct coop c = base_coop();
                int accompanied = 0;
                struct elig_input in;
                struct elig_result res;

                apply_tweak(&c, &accompanied, t->tweak);
                eligibility_input_set(&in, &c, accompanied);
                assert_int_equal(eligibility_evaluate(&t->rule, 1, &in, ref, LANG_FR, a, &res), 0);
                if (res.lines[0].pass != t->pass || strcmp(res.lines[0].measured, t->measured))
                        fail_msg("%s: pass %d measured %s", t->name, res.lines[0].pass,
                                 res.lines[0].measured);
                assert_int_equal(res.lines[0].kind, t->rule.kind);
                assert_int_equal(eligibility_screen_one(&t->rule, 1, &in, ref), t->pass ? 0 : 1);
                assert_true(res.lines[0].explanation[0] != '\0');
        }
        arena_free(a);
}

/* ---- Explanations carry the numbers, in every language ---- */

static const char *
region_name(void *ctx, const char *kind, const char *code)
{
        (void)ctx;
        if (strcmp(kind, "region") == 0 && strcmp(code, "03") == 0)
                return "Casablanca-Settat";
        if (strcmp(kind, "region") == 0 && strcmp(code, "09") == 0)
                return "Souss-Massa";
        return NULL;
}

static const char *const regions_01_09[] = {"01", "09"};

/* Durations of 1 and 2 are avoided: Arabic says them in words (سنة، سنتان), not digits. */
static const struct explain_case {
        const char *name;
        struct elig_rule rule;
        const char *legal, *activity;
        enum tweak tweak;
        int pass;
        const char *numbers[5]; /* each must appear, in this order */
} explain_cases[] = {
    {"4y7m over 4y",
     {.kind = ELIG_MAX_LEGAL_AGE, .years = 4},
     "2020-12-14",
     NULL,
     T_NONE,
     0,
     {"4", "7", "4"}},
    {"3y5m within 4y",
     {.kind = ELIG_MAX_LEGAL_AGE, .years = 4},
     "2022-02-14",
     NULL,
     T_NONE,
     1,
     {"3", "5", "4"}},
    /* One day over shows the dates, since "4 years, more than 4 years" would read wrong. */
    {"1 day over 4y",
     {.kind = ELIG_MAX_LEGAL_AGE, .years = 4},
     "2021-07-13",
     NULL,
     T_NONE,
     0,
     {"13", "2021", "4", "14", "2025"}},
    {"3y not under 3y",
     {.kind = ELIG_UNDER_LEGAL_AGE, .years = 3},
     "2022-07-14",
     NULL,
     T_NONE,
     0,
     {"3", "3"}},
    {"created after reference",
     {.kind = ELIG_UNDER_LEGAL_AGE, .years = 3},
     "2025-08-02",
     NULL,
     T_NONE,
     0,
     {"2", "2025", "14", "2025"}},
    {"4y4m of activity, min 5",
     {.kind = ELIG_MIN_ACTIVITY, .years = 5},
     "2019-01-01",
     "2021-03-14",
     T_NONE,
     0,
     {"4", "4", "5"}},
    {"6y5m of activity, min 3",
     {.kind = ELIG_MIN_ACTIVITY, .years = 3},
     "2019-01-01",
     "2019-02-14",
     T_NONE,
     1,
     {"6", "5", "3"}},
    {"women 9 of 12",
     {.kind = ELIG_WOMEN, .women_share = 80},
     "2023-07-14",
     NULL,
     T_NONE,
     0,
     {"9", "12", "75", "80"}},
    {"women 4 of 7",
     {.kind = ELIG_WOMEN, .women_share = 50},
     "2023-07-14",
     NULL,
     T_MEMBERS_7_WOMEN_4,
     1,
     {"4", "7", "57", "50"}},
    {"members 12 below 15",
     {.kind = ELIG_MEMBERS, .has_min = 1, .members_min = 15},
     "2023-07-14",
     NULL,
     T_NONE,
     0,
     {"12", "15"}},
    {"members 12 within 5..30",
     {.kind = ELIG_MEMBERS, .has_min = 1, .members_min = 5, .has_max = 1, .members_max = 30},
     "2023-07-14",
     NULL,
     T_NONE,
     1,
     {"12", "5", "30"}},
    {"members 50 over 49",
     {.kind = ELIG_MEMBERS, .has_max = 1, .members_max = 49},
     "2023-07-14",
     NULL,
     T_MEMBERS_50,
     0,
     {"50", "49"}},
};

/* Arabic-Indic digits (U+0660..U+0669 are D9 A0..D9 A9): ar_MA uses Western digits. */
static int
has_arabic_indic_digit(const char *s)
{
        for (; *s; s++)
                if ((unsigned char)s[0] == 0xD9 && (unsigned char)s[1] >= 0xA0 &&
                    (unsigned char)s[1] <= 0xA9)
                        return 1;
        return 0;
}

static void
test_explanations(void **state)
{
        (void)state;
        struct arena *a = arena_new();
        struct date ref = {2025, 7, 14};
        const enum lang langs[] = {LANG_AR, LANG_FR, LANG_EN};
        for (size_t l = 0; l < N(langs); l++) {
                for (size_t i = 0; i < N(explain_cases); i++) {
                        const struct explain_case *t = &explain_cases[i];
                        struct coop c = base_coop();
                        int accompanied = 0;
                        struct elig_input in;
                        struct elig_result res;

                        c.legal_date = t->legal;
                        c.activity_start_date = t->activity;
                        apply_tweak(&c, &accompanied, t->tweak);
                        eligibility_input_set(&in, &c, accompanied);
                        assert_int_equal(
                            eligibility_evaluate(&t->rule, 1, &in, ref, langs[l], a, &res), 0);
                        const char *s = res.lines[0].explanation;
                        if (res.lines[0].pass != t->pass)
                                fail_msg("%s: pass %d", t->name, res.lines[0].pass);
                        assert_false(has_arabic_indic_digit(s));
                        const char *at = s;
                        for (size_t k = 0; k < N(t->numbers) && t->numbers[k]; k++) {
                                const char *hit = strstr(at, t->numbers[k]);
                                /* Word order differs by language: look from the start again. */
                                if (hit == NULL)
                                        hit = strstr(s, t->numbers[k]);
                                if (hit == NULL)
                                        fail_msg("%s [%s]: no %s in \"%s\"", t->name,
                                                 lang_code(langs[l]), t->numbers[k], s);
                                at = hit + strlen(t->numbers[k]);
                        }
                }
        }
        /* English wording of the example of the issue. */
        struct coop c = base_coop();
        struct elig_rule r = {.kind = ELIG_MAX_LEGAL_AGE, .years = 4};
        struct elig_input in;
        struct elig_result res;
        c.legal_date = "2020-12-14";
        eligibility_input_set(&in, &c, 0);
        eligibility_evaluate(&r, 1, &in, ref, LANG_EN, a, &res);
        assert_string_equal(res.lines[0].explanation,
                            "Legal age 4 years 7 months, more than the maximum of 4 years.");
        c.legal_date = "2022-05-14";
        eligibility_input_set(&in, &c, 0);
        eligibility_evaluate(&r, 1, &in, ref, LANG_EN, a, &res);
        assert_string_equal(res.lines[0].explanation,
                            "Legal age 3 years 2 months, within the maximum of 4 years.");
        /* The French words are there too (the catalogs translate ages through ICU). */
        c.legal_date = "2020-12-14";
        eligibility_input_set(&in, &c, 0);
        eligibility_evaluate(&r, 1, &in, ref, LANG_FR, a, &res);
        assert_non_null(strstr(res.lines[0].explanation, "ans"));
        assert_non_null(strstr(res.lines[0].explanation, "mois"));

        /* Region names come from the caller; codes are printed otherwise. */
        struct elig_rule rr = {.kind = ELIG_REGIONS, .codes = regions_01_09, .ncodes = 2};
        c = base_coop();
        eligibility_input_set(&in, &c, 0);
        eligibility_evaluate(&rr, 1, &in, ref, LANG_EN, a, &res);
        assert_non_null(strstr(res.lines[0].explanation, "03"));
        assert_non_null(strstr(res.lines[0].explanation, "01"));
        in.name = region_name;
        eligibility_evaluate(&rr, 1, &in, ref, LANG_EN, a, &res);
        assert_non_null(strstr(res.lines[0].explanation, "Casablanca-Settat"));
        assert_non_null(strstr(res.lines[0].explanation, "Souss-Massa"));
        assert_null(strstr(res.lines[0].explanation, "03"));
        /* The missing activity date has an explanation of its own. */
        struct elig_rule ra = {.kind = ELIG_MIN_ACTIVITY, .years = 1};
        c.activity_start_date = "";
        eligibility_input_set(&in, &c, 0);
        eligibility_evaluate(&ra, 1, &in, ref, LANG_EN, a, &res);
        assert_int_equal(res.lines[0].reason, ELIG_DATE_MISSING);
        assert_non_null(strstr(res.lines[0].explanation, "missing"));
        arena_free(a);
}

/* ---- Rules as data ---- */

static const char *const all_regions[] = {"01", "02", "03", "04", "05", "06",
                                          "07", "08", "09", "10", "11", "12"};
static const char *const some_provinces[] = {"03.231", "01.511", "09.001"};
static const char *const all_sectors[] = {
    "agriculture", "handicraft",    "housing",        "argan",     "fishing",
    "forestry",    "food_products", "trade_services", "transport", "other"};

static const struct elig_rule every_kind[] = {
    {.kind = ELIG_MAX_LEGAL_AGE, .years = 4},
    {.kind = ELIG_UNDER_LEGAL_AGE, .years = 2, .months = 11},
    {.kind = ELIG_MIN_ACTIVITY, .months = 6},
    {.kind = ELIG_REGIONS, .codes = all_regions, .ncodes = N(all_regions)},
    {.kind = ELIG_PROVINCES, .codes = some_provinces, .ncodes = N(some_provinces)},
    {.kind = ELIG_SECTORS, .codes = all_sectors, .ncodes = N(all_sectors)},
    {.kind = ELIG_SOULALYATE_ONLY},
    {.kind = ELIG_WOMEN, .women_only = 1},
    {.kind = ELIG_WOMEN, .women_share = 100},
    {.kind = ELIG_MEMBERS, .has_min = 1, .members_min = 0},
    {.kind = ELIG_MEMBERS, .has_max = 1, .members_max = 1000000},
    {.kind = ELIG_MEMBERS, .has_min = 1, .members_min = 5, .has_max = 1, .members_max = 5},
    {.kind = ELIG_STATUS_ACTIVE},
    {.kind = ELIG_NOT_ACCOMPANIED},
};

static void
assert_rules_equal(const struct elig_rule *x, const struct elig_rule *y, size_t n)
{
        for (size_t i = 0; i < n; i++) {
                assert_int_equal(x[i].kind, y[i].kind);
                assert_int_equal(x[i].years, y[i].years);
                assert_int_equal(x[i].months, y[i].months);
                assert_int_equal(x[i].ncodes, y[i].ncodes);
                for (size_t j = 0; j < x[i].ncodes; j++)
                        assert_string_equal(x[i].codes[j], y[i].codes[j]);
                assert_int_equal(x[i].women_only, y[i].women_only);
                assert_int_equal(x[i].women_share, y[i].women_share);
                assert_int_equal(x[i].has_min, y[i].has_min);
                assert_int_equal(x[i].has_max, y[i].has_max);
                assert_int_equal(x[i].members_min, y[i].members_min);
                assert_int_equal(x[i].members_max, y[i].members_max);
        }
}

static void
test_json_round_trip(void **state)
{
        (void)state;
        struct arena *a = arena_new();
        struct errs e;
        struct elig_rule *back = NULL;
        size_t n = 0;

        errs_init(&e, a, LANG_EN);
        json_t *j = eligibility_rules_to_json(every_kind, N(every_kind));
        assert_non_null(j);
        assert_int_equal(eligibility_rules_from_json(j, a, &back, &n, &e), 0);
        assert_int_equal(e.n, 0);
        assert_int_equal(n, N(every_kind));
        assert_rules_equal(every_kind, back, n);
        /* And the JSON again is the same text. */
        json_t *j2 = eligibility_rules_to_json(back, n);
        char *s1 = json_dumps(j, JSON_COMPACT), *s2 = json_dumps(j2, JSON_COMPACT);
        assert_string_equal(s1, s2);
        assert_non_null(strstr(s1, "{\"kind\":\"max_legal_age\",\"years\":4,\"months\":0}"));
        free(s1);
        free(s2);
        json_decref(j);
        json_decref(j2);

        /* The defaults, and an empty rule set. */
        const struct elig_rule *def = eligibility_mourafaka_defaults(&n);
        assert_int_equal(n, 4);
        assert_int_equal(def[0].kind, ELIG_MAX_LEGAL_AGE);
        assert_int_equal(def[0].years, 4);
        assert_int_equal(def[0].months, 0);
        assert_int_equal(def[1].kind, ELIG_MIN_ACTIVITY);
        assert_int_equal(def[1].years, 1);
        assert_int_equal(def[2].kind, ELIG_STATUS_ACTIVE);
        assert_int_equal(def[3].kind, ELIG_NOT_ACCOMPANIED);
        j = eligibility_rules_to_json(def, n);
        assert_int_equal(eligibility_rules_from_json(j, a, &back, &n, &e), 0);
        assert_rules_equal(def, back, n);
        json_decref(j);
        j = json_array();
        assert_int_equal(eligibility_rules_from_json(j, a, &back, &n, &e), 0);
        assert_int_equal(n, 0);
        json_decref(j);
        arena_free(a);
}

static const struct bad_case {
        const char *json;
        const char *field; /* the first error's field */
} bad_cases[] = {
    {"{}", "rules"},
    {"[1]", "rules[0]"},
    {"[{}]", "rules[0].kind"},
    {"[{\"kind\":7}]", "rules[0].kind"},
    {"[{\"kind\":\"max_age\",\"years\":4}]", "rules[0].kind"},
    {"[{\"kind\":\"status_active\"},{\"kind\":\"max_legal_age\",\"years\":-1}]", "rules[1].years"},
    {"[{\"kind\":\"max_legal_age\",\"years\":101}]", "rules[0].years"},
    {"[{\"kind\":\"max_legal_age\",\"years\":4.5}]", "rules[0].years"},
    {"[{\"kind\":\"max_legal_age\",\"years\":\"4\"}]", "rules[0].years"},
    {"[{\"kind\":\"max_legal_age\",\"years\":4,\"months\":12}]", "rules[0].months"},
    {"[{\"kind\":\"under_legal_age\",\"years\":3,\"months\":-1}]", "rules[0].months"},
    {"[{\"kind\":\"under_legal_age\"}]", "rules[0].years"},
    {"[{\"kind\":\"min_activity\",\"years\":0,\"months\":0}]", "rules[0].years"},
    {"[{\"kind\":\"min_activity\",\"years\":1,\"days\":3}]", "rules[0].days"},
    {"[{\"kind\":\"regions\"}]", "rules[0].codes"},
    {"[{\"kind\":\"regions\",\"codes\":\"03\"}]", "rules[0].codes"},
    {"[{\"kind\":\"regions\",\"codes\":[]}]", "rules[0].codes"},
    {"[{\"kind\":\"regions\",\"codes\":[\"03\",\"13\"]}]", "rules[0].codes[1]"},
    {"[{\"kind\":\"regions\",\"codes\":[\"00\"]}]", "rules[0].codes[0]"},
    {"[{\"kind\":\"regions\",\"codes\":[\"3\"]}]", "rules[0].codes[0]"},
    {"[{\"kind\":\"regions\",\"codes\":[3]}]", "rules[0].codes[0]"},
    {"[{\"kind\":\"regions\",\"codes\":[\"03\",\"03\"]}]", "rules[0].codes[1]"},
    {"[{\"kind\":\"provinces\",\"codes\":[\"03231\"]}]", "rules[0].codes[0]"},
    {"[{\"kind\":\"provinces\",\"codes\":[\"13.231\"]}]", "rules[0].codes[0]"},
    {"[{\"kind\":\"provinces\",\"codes\":[\"03.23\"]}]", "rules[0].codes[0]"},
    {"[{\"kind\":\"provinces\",\"codes\":[\"03.2a1\"]}]", "rules[0].codes[0]"},
    {"[{\"kind\":\"sectors\",\"codes\":[\"mining\"]}]", "rules[0].codes[0]"},
    {"[{\"kind\":\"sectors\",\"codes\":[\"Argan\"]}]", "rules[0].codes[0]"},
    {"[{\"kind\":\"women\"}]", "rules[0].min_share"},
    {"[{\"kind\":\"women\",\"women_only\":false}]", "rules[0].min_share"},
    {"[{\"kind\":\"women\",\"women_only\":1}]", "rules[0].women_only"},
    {"[{\"kind\":\"women\",\"min_share\":0}]", "rules[0].min_share"},
    {"[{\"kind\":\"women\",\"min_share\":101}]", "rules[0].min_share"},
    {"[{\"kind\":\"women\",\"women_only\":true,\"min_share\":50}]", "rules[0].min_share"},
    {"[{\"kind\":\"members\"}]", "rules[0].min"},
    {"[{\"kind\":\"members\",\"min\":-1}]", "rules[0].min"},
    {"[{\"kind\":\"members\",\"max\":1000001}]", "rules[0].max"},
    {"[{\"kind\":\"members\",\"min\":10,\"max\":9}]", "rules[0].max"},
    {"[{\"kind\":\"soulalyate_only\",\"years\":3}]", "rules[0].years"},
    {"[{\"kind\":\"not_accompanied\",\"program\":\"x\"}]", "rules[0].program"},
};

static void
test_validation(void **state)
{
        (void)state;
        struct arena *a = arena_new();
        for (size_t i = 0; i < N(bad_cases); i++) {
                struct errs e;
                struct elig_rule *rules = (struct elig_rule *)1; /* must stay untouched */
                size_t n = 99;
                json_error_t jerr;
                json_t *j = json_loads(bad_cases[i].json, 0, &jerr);

                assert_non_null(j);
                errs_init(&e, a, LANG_EN);
                if (eligibility_rules_from_json(j, a, &rules, &n, &e) != -1)
                        fail_msg("accepted: %s", bad_cases[i].json);
                if (e.n == 0 || strcmp(e.list[0].field, bad_cases[i].field) != 0)
                        fail_msg("%s: first error on %s, want %s", bad_cases[i].json,
                                 e.n ? e.list[0].field : "(none)", bad_cases[i].field);
                assert_true(e.list[0].msg[0] != '\0');
                assert_true(rules == (struct elig_rule *)1);
                assert_int_equal(n, 99);
                json_decref(j);
        }
        /* Every bad rule of a set is reported, not just the first. */
        struct errs e;
        struct elig_rule *rules;
        size_t n;
        json_t *j = json_loads("[{\"kind\":\"max_legal_age\",\"years\":4,\"months\":12},"
                               "{\"kind\":\"women\",\"min_share\":0},{\"kind\":\"nope\"}]",
                               0, NULL);
        errs_init(&e, a, LANG_FR);
        assert_int_equal(eligibility_rules_from_json(j, a, &rules, &n, &e), -1);
        assert_int_equal(e.n, 3);
        assert_non_null(errs_for(&e, "rules[0].months"));
        assert_non_null(errs_for(&e, "rules[1].min_share"));
        assert_non_null(errs_for(&e, "rules[2].kind"));
        json_decref(j);
        /* At most ELIG_MAX_RULES rules. */
        j = json_array();
        for (int i = 0; i <= ELIG_MAX_RULES; i++)
                json_array_append_new(j, json_pack("{s:s}", "kind", "status_active"));
        errs_init(&e, a, LANG_EN);
        assert_int_equal(eligibility_rules_from_json(j, a, &rules, &n, &e), -1);
        assert_non_null(errs_for(&e, "rules"));
        json_array_remove(j, 0);
        errs_init(&e, a, LANG_EN);
        assert_int_equal(eligibility_rules_from_json(j, a, &rules, &n, &e), 0);
        assert_int_equal(n, ELIG_MAX_RULES);
        json_decref(j);
        arena_free(a);
}

/* ---- The screen agrees with the full evaluation ---- */

static uint64_t rng_state = 0x9E3779B97F4A7C15u;

static unsigned
rnd(unsigned n)
{
        rng_state ^= rng_state << 13;
        rng_state ^= rng_state >> 7;
        rng_state ^= rng_state << 17;
        return (unsigned)(rng_state % n);
}

/* A cooperative with fields drawn around the boundaries the rule sets below test. */
static void
random_coop(struct coop *c, char *legal, char *activity, int *accompanied, struct date ref)
{
        static const char *const regions[] = {"01", "03", "06", "09"};
        static const char *const provinces[] = {"01.511", "03.231", "06.141", "09.001"};
        static const char *const statuses[] = {"active", "active", "active", "dormant",
                                               "dissolved"};
        *c = base_coop();
        /* Legal dates within 6 years of the reference, so 3- and 4-year limits are crossed. */
        struct date ld = date_from_days(date_to_days(ref) - (long)rnd(6 * 366) + 5);
        date_format_iso(ld, legal);
        c->legal_date = rnd(20) ? legal : "";
        struct date ad = date_from_days(date_to_days(ld) + (long)rnd(800));
        date_format_iso(ad, activity);
        c->activity_start_date = rnd(5) ? activity : "";
        unsigned k = rnd(4);
        c->region_code = regions[k];
        c->province_code = provinces[k];
        c->sector = coop_sector_codes[rnd(10)];
        c->members_total = rnd(40);
        c->members_women = c->members_total ? rnd((unsigned)c->members_total + 1) : 0;
        c->is_women_only = c->members_total && c->members_women == c->members_total;
        c->is_soulalyate = rnd(3) == 0;
        c->status = statuses[rnd(5)];
        *accompanied = rnd(6) == 0;
}

static const char *const caravan_regions[] = {"01"};

static void
test_screen_agrees(void **state)
{
        (void)state;
        struct arena *a = arena_new();
        struct date ref = {2025, 2, 28};
        size_t ndef;
        const struct elig_rule *def = eligibility_mourafaka_defaults(&ndef);
        const struct elig_rule caravan[] = {
            {.kind = ELIG_UNDER_LEGAL_AGE, .years = 3},
            {.kind = ELIG_SOULALYATE_ONLY},
            {.kind = ELIG_REGIONS, .codes = caravan_regions, .ncodes = 1},
        };
        const struct {
                const struct elig_rule *rules;
                size_t n;
        } sets[] = {{def, ndef}, {caravan, N(caravan)}, {every_kind, N(every_kind)}};
        size_t eligible[N(sets)] = {0};

        for (int i = 0; i < 600; i++) {
                struct coop c;
                char legal[11], activity[11];
                int accompanied;
                struct elig_input in;

                random_coop(&c, legal, activity, &accompanied, ref);
                eligibility_input_set(&in, &c, accompanied);
                for (size_t s = 0; s < N(sets); s++) {
                        struct elig_result res;
                        uint64_t mask = eligibility_screen_one(sets[s].rules, sets[s].n, &in, ref);
                        eligibility_evaluate(sets[s].rules, sets[s].n, &in, ref, (enum lang)(i % 3),
                                             a, &res);
                        assert_int_equal(res.failed, mask);
                        assert_int_equal(res.eligible, mask == 0);
                        for (size_t r = 0; r < res.n; r++)
                                assert_int_equal(res.lines[r].pass, !(mask >> r & 1));
                        eligible[s] += mask == 0;
                }
                arena_reset(a);
        }
        /* The data crosses the boundaries: some pass, some fail. */
        for (size_t s = 0; s < 2; s++) {
                assert_true(eligible[s] > 0);
                assert_true(eligible[s] < 600);
        }
        arena_free(a);
}

/* ---- The audit snapshot ---- */

static void
test_snapshot(void **state)
{
        (void)state;
        struct arena *a = arena_new();
        size_t n;
        const struct elig_rule *def = eligibility_mourafaka_defaults(&n);
        struct coop c = base_coop();
        struct elig_input in;
        struct elig_result res;

        c.legal_date = "2020-12-14";
        eligibility_input_set(&in, &c, 1);
        assert_int_equal(eligibility_evaluate(def, n, &in, d(2025, 7, 14), LANG_AR, a, &res), 0);
        assert_false(res.eligible);
        assert_int_equal(res.failed, 1u | 8u);
        json_t *j = eligibility_result_to_json(&res);
        char *s = json_dumps(j, JSON_COMPACT);
        assert_string_equal(s,
                            "{\"eligible\":false,\"rules\":["
                            "{\"kind\":\"max_legal_age\",\"pass\":false,\"measured\":\"4y7m0d\"},"
                            "{\"kind\":\"min_activity\",\"pass\":true,\"measured\":\"1y10m13d\"},"
                            "{\"kind\":\"status_active\",\"pass\":true,\"measured\":\"active\"},"
                            "{\"kind\":\"not_accompanied\",\"pass\":false,\"measured\":\"1\"}]}");
        free(s);
        json_decref(j);
        j = eligibility_input_to_json(&in);
        assert_string_equal(json_string_value(json_object_get(j, "legal_date")), "2020-12-14");
        assert_string_equal(json_string_value(json_object_get(j, "activity_start_date")),
                            "2023-09-01");
        assert_true(json_is_true(json_object_get(j, "already_accompanied")));
        assert_int_equal(json_integer_value(json_object_get(j, "members_women")), 9);
        json_decref(j);
        c.activity_start_date = "";
        eligibility_input_set(&in, &c, 0);
        j = eligibility_input_to_json(&in);
        assert_true(json_is_null(json_object_get(j, "activity_start_date")));
        json_decref(j);
        /* An empty rule set admits everyone. */
        assert_int_equal(eligibility_evaluate(def, 0, &in, d(2025, 7, 14), LANG_EN, a, &res), 0);
        assert_true(res.eligible);
        assert_int_equal(res.n, 0);
        arena_free(a);
}

static int
setup(void **state)
{
        (void)state;
        return i18n_init();
}

int
main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_age_boundaries), cmocka_unit_test(test_kinds),
            cmocka_unit_test(test_explanations),   cmocka_unit_test(test_json_round_trip),
            cmocka_unit_test(test_validation),     cmocka_unit_test(test_screen_agrees),
            cmocka_unit_test(test_snapshot),
        };
        return cmocka_run_group_tests(tests, setup, NULL);
}
