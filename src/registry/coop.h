/* coop.h: the cooperative record and its rules (pure: no I/O). */
#ifndef MURAFIQ_COOP_H
#define MURAFIQ_COOP_H

#include "core/dates.h"
#include "core/i18n.h"
#include "core/validate.h"

struct geo;

struct coop {
        long long id;
        const char *register_number;
        const char *name_ar, *name_fr;
        const char *legal_date;          /* YYYY-MM-DD */
        const char *activity_start_date; /* YYYY-MM-DD or "" */
        const char *sector, *activity;
        const char *region_code, *province_code, *commune_code; /* commune may be "" */
        const char *address, *phone, *email;
        long long members_total, members_women, members_youth;
        int is_soulalyate, is_women_only;
        const char *status; /* active, dormant, dissolved */
        const char *notes;
        long long version;
        const char *created_at, *updated_at;
};

/* Sector codes with their English labels (translated through the catalogs). */
extern const struct code_label coop_sectors[];  /* ends with {NULL, NULL} */
extern const struct code_label coop_statuses[]; /* active, dormant, dissolved */
extern const char *const coop_sector_codes[];   /* NULL-terminated, for v_enum */
extern const char *const coop_status_codes[];

/* Field names, in form and API order (NULL-terminated). */
extern const char *const coop_fields[];

/*
 * Applies the fields that get() returns (NULL = not sent: keep c's value) onto c, then checks
 * the whole record against geography g and the rules: required fields, lengths, real dates,
 * legal date not in the future (today), activity start not before the legal date, members
 * counts (women and youth not above total, women-only means all members are women, at least 5
 * members for an active cooperative), province within region, commune within province.
 * Returns 0 when valid, else -1 with every problem in e. Strings land in e->arena.
 */
int coop_apply(struct coop *c, struct errs *e, field_get_fn get, void *ctx, const struct geo *g,
               struct date today);

/* Legal age and years of activity on `on` (zeros when the date is missing or later). */
struct age coop_legal_age(const struct coop *c, struct date on);
struct age coop_activity_age(const struct coop *c, struct date on);

#endif
