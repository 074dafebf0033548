/* person.h: the person record (members and beneficiaries) and its rules (pure: no I/O). */
#ifndef MURAFIQ_PERSON_H
#define MURAFIQ_PERSON_H

#include "core/dates.h"
#include "core/validate.h"
#include "registry/coop.h"

struct geo;

struct person {
        long long id;
        const char *name_ar, *name_fr;
        const char *sex;           /* "F" or "M" */
        const char *birth_date;    /* "YYYY-MM-DD", a year "YYYY", or "" when unknown */
        const char *phone;         /* "" when unknown */
        const char *national_id;   /* CIN, uppercased; "" when unknown; NULL when not read */
        const char *region_code;   /* required */
        const char *province_code; /* "" when unknown */
        long long version;
        const char *created_at, *updated_at;
};

/* Sex codes and membership roles with their English labels (msgids). */
extern const struct code_label person_sexes[]; /* F, M; ends with {NULL, NULL} */
extern const char *const person_sex_codes[];   /* NULL-terminated, for v_enum */
extern const struct code_label person_roles[]; /* president, treasurer, secretary, member */
extern const char *const person_role_codes[];

/* The label msgid of a membership role code ("Member" for anything unknown). */
const char *person_role_label(const char *role);

/* Field names, in form and API order (NULL-terminated). */
extern const char *const person_fields[];

#define PERSON_NATIONAL_ID_MAX 20

/*
 * Applies the fields that get() returns (NULL = not sent: keep p's value) onto p, then checks
 * the whole record against geography g: names required (at most 200 characters), sex F or M,
 * birth date empty, a real date YYYY-MM-DD from 1900 to today, or a year YYYY from 1900 to
 * today's year; phone; region required and existing, province optional but inside the region.
 * national_id (at most 20 letters and digits, stored uppercased) is read only when
 * with_national_id is set; otherwise p->national_id is left as it is (NULL for a record read
 * without it: the store then keeps the stored number).
 * Returns 0 when valid, else -1 with every problem in e; a field that fails keeps the value
 * sent (for showing the form again), so p must not be saved then. Strings land in e->arena.
 */
int person_apply(struct person *p, struct errs *e, field_get_fn get, void *ctx, const struct geo *g,
                 struct date today, int with_national_id);

/* The person's age in whole years on `on`, from a full date or a year (then the age reached
 * during that year); -1 when the birth date is unknown or later than `on`. */
int person_age(const struct person *p, struct date on);

#endif
