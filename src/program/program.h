/* program.h: support programs (Mourafaka...), their tranches and phases, targets, partners,
 * pillars and components, and their rules (pure: no I/O). */
#ifndef MURAFIQ_PROGRAM_H
#define MURAFIQ_PROGRAM_H

#include <stddef.h>

#include "core/i18n.h"
#include "core/validate.h"

struct arena;
struct geo;

/* Bounds of the lists a program or tranche holds (forms show at most this many rows). */
#define PROGRAM_MAX_PARTNERS   20
#define PROGRAM_MAX_PILLARS    12
#define PROGRAM_MAX_COMPONENTS 4 /* one per kind */
#define TRANCHE_MAX_PHASES     12
#define TRANCHE_MAX_REGIONS    12
#define PROGRAM_MAX_TARGET     10000000LL
#define PROGRAM_YEAR_MIN       1990
#define PROGRAM_YEAR_MAX       2100

struct program_partner {
        long long organisation_id;
        const char *role; /* a program_partner_role_codes value */
        /* Of the organisation, filled by the store (not validated, not written). */
        const char *name_ar, *name_fr, *acronym;
};

struct program_pillar {
        const char *code;                        /* lower-case letters, digits, _ and - */
        const char *name_ar, *name_fr, *name_en; /* name_en may be "" */
};

struct program_component {
        const char *kind;           /* a program_component_kind_codes value */
        long long sessions, months; /* 0 when it does not apply */
};

/* A count of accompanied cooperatives (program_cooperative rows) under a key: a region code or
 * a year ("2025"). Filled by the store. */
struct program_count {
        const char *key;
        long long n;
};

struct phase {
        long long id;
        long long number, year, target_total;
        long long reached; /* store: the tranche's cooperatives whose `since` is in year */
};

struct region_target {
        const char *region_code;
        long long target;
        int planned;       /* 1: a target row (else a region reached without a target) */
        long long reached; /* store: the tranche's cooperatives of that region */
};

struct tranche {
        long long id, program_id;
        long long number, start_year, end_year, target_total;
        struct phase *phases; /* by number */
        size_t n_phases;
        struct region_target *regions; /* by region code; the store adds regions reached
                                          without a target (target 0) */
        size_t n_regions;
        long long reached; /* store */
        long long version;
        const char *created_at, *updated_at;
};

struct program {
        long long id;
        const char *code; /* upper-case letters, digits, _ and - ("MOURAFAKA") */
        const char *name_ar, *name_fr, *name_en; /* name_en may be "" */
        long long operator_id;                   /* 0 = none */
        const char *description;
        long long start_year, end_year, target_total, target_per_year;
        struct program_partner *partners;
        size_t n_partners;
        struct program_pillar *pillars; /* in the program's order */
        size_t n_pillars;
        struct program_component *components;
        size_t n_components;
        long long version;
        const char *created_at, *updated_at;

        /* Filled by the store when it reads a program (never written from here). */
        const char *operator_name_ar, *operator_name_fr, *operator_acronym;
        struct tranche *tranches; /* by number */
        size_t n_tranches;
        long long reached;                   /* every accompanied cooperative */
        struct program_count *reached_years; /* by year of `since` */
        size_t n_reached_years;
        struct program_count *reached_regions; /* by region code */
        size_t n_reached_regions;
};

/* Partner roles and component kinds, with their English labels (msgids). */
extern const struct code_label program_partner_roles[];   /* ends with {NULL, NULL} */
extern const char *const program_partner_role_codes[];    /* NULL-terminated, for v_enum */
extern const struct code_label program_component_kinds[]; /* in the accompaniment's order */
extern const char *const program_component_kind_codes[];

/* Top-level field names of a program and of a tranche, in form and API order
 * (NULL-terminated). The lists (partners, pillars, components; phases, region_targets) are
 * named separately. */
extern const char *const program_fields[];
extern const char *const tranche_fields[];

/* What validation must look up: whether an organisation exists (a callback, so that this file
 * stays free of I/O) and the geography. */
struct program_refs {
        int (*org_exists)(void *ctx, long long id); /* 1 when it exists */
        void *ctx;
        const struct geo *geo;
};

/*
 * Applies the fields that get() returns onto p (NULL = not sent: keep p's value), then checks
 * the whole record. Top-level fields: code (required, at most 32 letters, digits, _ or -,
 * stored upper-case), name_ar and name_fr (required) and name_en (optional), at most 200
 * characters each; operator_id (optional, an existing organisation); description (at most
 * 4,000 characters, several lines); start_year and end_year (required, 1990 to 2100, end not
 * before start, covering every tranche already in p->tranches); target_total and
 * target_per_year (0 to 10,000,000; per year not above the total when a total is set).
 *
 * Lists are read with indexed names: "<list>.count" gives the number of rows (NULL = not sent:
 * keep the list; "0" empties it), and row i's fields are "<list>.<i>.<field>":
 *   partners.i.organisation_id, partners.i.role (both required in a row; each pair once);
 *   pillars.i.code, .name_ar, .name_fr (required), .name_en (optional; codes unique, stored
 *     lower-case);
 *   components.i.kind (each kind once), .sessions (0 to 1000), .months (0 to 240), and
 *     .included ("0" leaves the row out, for a form's unticked box); individual coaching
 *     needs at least one session and one month.
 * A row whose fields are all empty is left out (a form's spare rows). Errors name the field
 * ("partners.1.role") or the list ("partners"). Returns 0 when valid, else -1 with every
 * problem in e; p must not be saved then. Strings and lists land in e->arena.
 */
int program_apply(struct program *p, struct errs *e, field_get_fn get, void *ctx,
                  const struct program_refs *refs);

/*
 * The same for a tranche of program p: number (required, 1 to 99), start_year and end_year
 * (required, within the program's years, end not before start), target_total (0 to
 * 10,000,000); phases.i.number (1 to 99, unique), .year (within the tranche's years),
 * .target_total; region_targets.i.region_code (an existing region, once each) and .target
 * (a row with an empty target is left out). The phases' targets, and the regions' targets,
 * may not add up to more than the tranche's target. Returns 0, or -1 with the problems in e.
 */
int tranche_apply(struct tranche *t, const struct program *p, struct errs *e, field_get_fn get,
                  void *ctx, const struct geo *g);

/* A row of a targets-against-reached table. */
struct program_target_row {
        const char *region_code; /* for region rows, else NULL */
        long long year;          /* for year rows, else 0 */
        long long target, reached;
};

/*
 * One row per year from start_year to end_year (and any other year something was reached):
 * the target of a year is the sum of the targets of the phases set in that year, or the
 * program's target_per_year when no phase is; reached from p->reached_years. Returns the
 * number of rows; *rows lands in a.
 */
size_t program_year_rows(const struct program *p, struct arena *a,
                         struct program_target_row **rows);

/* One row per region that has a target in a tranche or a cooperative reached: the sum of the
 * tranches' targets against p->reached_regions, by region code. */
size_t program_region_rows(const struct program *p, struct arena *a,
                           struct program_target_row **rows);

/* reached as a whole percentage of target (rounded down, may exceed 100), or -1 when target
 * is 0. */
int program_percent(long long reached, long long target);

/* The program's name in the data language of lang (English falls back to French). */
const char *program_name(const struct program *p, enum lang lang);
/* The pillar's name in the same way. */
const char *program_pillar_name(const struct program_pillar *pl, enum lang lang);

#endif
