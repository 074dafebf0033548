/* person.c: person validation (names, sex, birth date, phone, CIN, place) and age. */
#include "registry/person.h"

#include <string.h>

#include "core/arena.h"
#include "core/i18n.h"
#include "registry/geo.h"

const struct code_label person_sexes[] = {
    {"F", N_("Woman")},
    {"M", N_("Man")},
    {NULL, NULL},
};

const char *const person_sex_codes[] = {"F", "M", NULL};

const struct code_label person_roles[] = {
    {"president", N_("President")},
    {"treasurer", N_("Treasurer")},
    {"secretary", N_("Secretary")},
    {"member", N_("Member")},
    {NULL, NULL},
};

const char *const person_role_codes[] = {"president", "treasurer", "secretary", "member", NULL};

const char *const person_fields[] = {"name_ar",     "name_fr",       "sex",
                                     "birth_date",  "phone",         "national_id",
                                     "region_code", "province_code", NULL};

const char *
person_role_label(const char *role)
{
        for (const struct code_label *r = person_roles; r->code; r++)
                if (role && strcmp(r->code, role) == 0)
                        return r->label;
        return N_("Member");
}

static const char *
or_empty(const char *s)
{
        return s ? s : "";
}

/* The value to keep in the record: the checked one, else what was sent (so that a form shown
 * again with its errors keeps what the person typed), else the old one. */
static const char *
keep(const char *checked, const char *sent, const char *old)
{
        return checked ? checked : sent ? sent : old;
}

static int
is_digit(char c)
{
        return c >= '0' && c <= '9';
}

/* "YYYY" (four digits) -> the year; -1 otherwise. */
static int
parse_year(const char *s)
{
        if (strlen(s) != 4)
                return -1;
        int y = 0;
        for (int i = 0; i < 4; i++) {
                if (!is_digit(s[i]))
                        return -1;
                y = y * 10 + (s[i] - '0');
        }
        return y;
}

/* Checks and normalises the birth date; returns the value to store or NULL after an error. */
static const char *
check_birth_date(struct errs *e, const char *value, struct date today)
{
        const char *t = v_text(e, "birth_date", value, 0, 10, 0);
        if (t == NULL || t[0] == '\0')
                return t;
        int year = parse_year(t);
        if (year >= 0) {
                if (year < 1900 || year > today.y) {
                        errs_add(e, "birth_date", "Enter a birth year between 1900 and %d.",
                                 today.y);
                        return NULL;
                }
                return t;
        }
        struct date d;
        if (date_parse(t, &d) != 0) {
                errs_add(e, "birth_date",
                         "Enter the birth date as YYYY-MM-DD, or only the year as YYYY.");
                return NULL;
        }
        if (date_cmp(d, today) > 0) {
                errs_add(e, "birth_date", "The birth date cannot be in the future.");
                return NULL;
        }
        return t;
}

/* Checks the national ID (letters and digits, at most 20); returns it uppercased, or NULL. */
static const char *
check_national_id(struct errs *e, const char *value)
{
        const char *t = v_text(e, "national_id", value, 0, PERSON_NATIONAL_ID_MAX, 0);
        if (t == NULL || t[0] == '\0')
                return t;
        char *up = arena_strdup(e->arena, t);
        for (char *c = up; *c; c++) {
                if (*c >= 'a' && *c <= 'z')
                        *c = (char)(*c - 'a' + 'A');
                else if (!((*c >= 'A' && *c <= 'Z') || is_digit(*c))) {
                        errs_add(e, "national_id",
                                 "Use only Latin letters and digits in the national ID number, "
                                 "without spaces.");
                        return NULL;
                }
        }
        return up;
}

int
person_apply(struct person *p, struct errs *e, field_get_fn get, void *ctx, const struct geo *g,
             struct date today, int with_national_id)
{
        const char *v, *t;
        size_t before = e->n;

        static const char *const names[] = {"name_ar", "name_fr"};
        const char **members[] = {&p->name_ar, &p->name_fr};
        for (int i = 0; i < 2; i++) {
                v = get(ctx, names[i]);
                t = v_text(e, names[i], v ? v : *members[i], 1, 200, 0);
                *members[i] = keep(t, v, *members[i]);
        }

        v = get(ctx, "sex");
        t = v_enum(e, "sex", v ? v : p->sex, 1, person_sex_codes);
        p->sex = keep(t, v, p->sex);

        v = get(ctx, "birth_date");
        t = check_birth_date(e, v ? v : p->birth_date, today);
        p->birth_date = keep(t, v, p->birth_date);

        v = get(ctx, "phone");
        t = v_phone(e, "phone", v ? v : p->phone);
        p->phone = keep(t, v, p->phone);

        if (with_national_id) {
                v = get(ctx, "national_id");
                t = check_national_id(e, v ? v : p->national_id);
                p->national_id = keep(t, v, p->national_id);
        }

        /* Place: the region is required; the province, when given, must be inside it. */
        v = get(ctx, "region_code");
        if (v)
                p->region_code = v;
        v = get(ctx, "province_code");
        if (v)
                p->province_code = v;
        const struct geo_region *r = NULL;
        const struct geo_province *pr = NULL;
        if (or_empty(p->region_code)[0] == '\0')
                errs_add(e, "region_code", "Choose a region.");
        else if ((r = geo_region(g, p->region_code)) == NULL)
                errs_add(e, "region_code", "This region code does not exist.");
        if (or_empty(p->province_code)[0] == '\0')
                p->province_code = "";
        else if ((pr = geo_province(g, p->province_code)) == NULL)
                errs_add(e, "province_code", "This province code does not exist.");
        else if (r && strcmp(pr->region_code, r->code) != 0)
                errs_add(e, "province_code", "This province is not in the chosen region.");
        if (r)
                p->region_code = r->code;
        if (pr)
                p->province_code = pr->code;
        return e->n == before ? 0 : -1;
}

int
person_age(const struct person *p, struct date on)
{
        const char *b = or_empty(p->birth_date);
        int year = parse_year(b);
        if (year >= 0)
                return year <= on.y ? on.y - year : -1;
        struct date d;
        if (date_parse(b, &d) != 0 || date_cmp(d, on) > 0)
                return -1;
        return date_age(d, on).years;
}
