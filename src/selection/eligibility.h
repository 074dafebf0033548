/* eligibility.h: the eligibility rules of a call as data, evaluated and explained (pure). */
#ifndef MURAFIQ_ELIGIBILITY_H
#define MURAFIQ_ELIGIBILITY_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/dates.h"
#include "core/i18n.h"

struct arena;
struct coop;
struct errs;

/* The kinds of rule. Stored rules and snapshots name them by code, never by number. */
enum elig_kind {
        ELIG_MAX_LEGAL_AGE,   /* legal age at most years+months (inclusive, exact to the day) */
        ELIG_UNDER_LEGAL_AGE, /* legal age strictly under years+months */
        ELIG_MIN_ACTIVITY,    /* at least years+months of activity since activity_start_date */
        ELIG_REGIONS,         /* region_code among codes */
        ELIG_PROVINCES,       /* province_code among codes */
        ELIG_SECTORS,         /* sector among codes */
        ELIG_SOULALYATE_ONLY, /* is_soulalyate */
        ELIG_WOMEN,           /* is_women_only, or at least women_share % of members are women */
        ELIG_MEMBERS,         /* members_total within [members_min, members_max] */
        ELIG_STATUS_ACTIVE,   /* status "active" */
        ELIG_NOT_ACCOMPANIED, /* not already accompanied by the same program */
        ELIG_KIND_COUNT
};

/* A rule set holds at most this many rules, so that a failure mask fits in 64 bits. */
#define ELIG_MAX_RULES 64
/* A code list (regions, provinces, sectors) holds at most this many codes. */
#define ELIG_MAX_CODES 128

/* One rule. Only the fields of its kind are meaningful; the others stay zero. */
struct elig_rule {
        enum elig_kind kind;
        int years, months;        /* durations: years 0..100, months 0..11, not both 0 */
        const char *const *codes; /* regions ("01".."12"), provinces ("RR.PPP"), sectors */
        size_t ncodes;            /* >= 1 for the three list kinds */
        int women_only;           /* women: 1 = the women-only flag is required ... */
        int women_share;          /* ... else the minimum share of women members, 1..100 % */
        int has_min, has_max;     /* members: which bounds apply (one at least) */
        long long members_min;    /* members: at least this many members, 0..1000000 */
        long long members_max;    /* members: at most this many, >= members_min */
};

/* Names a code for an explanation ("03" -> "Casablanca-Settat"); kind is "region",
 * "province" or "sector". Returns NULL to print the code itself. */
typedef const char *(*elig_name_fn)(void *ctx, const char *kind, const char *code);

/*
 * What the rules look at: the cooperative and what the caller computed for it. Dates are parsed
 * once (eligibility_input_set), not per rule, so that screening the registry stays cheap.
 */
struct elig_input {
        const struct coop *coop;    /* region_code, province_code, sector, members_total,
                                     * members_women, is_soulalyate, is_women_only, status */
        struct date legal_date;     /* meaningful when has_legal_date */
        struct date activity_start; /* meaningful when has_activity_start */
        int has_legal_date, has_activity_start;
        int already_accompanied; /* already accompanied by the same program (caller's query) */
        elig_name_fn name;       /* optional, for explanations: NULL prints region and province
                                  * codes and the catalog's sector labels */
        void *name_ctx;
};

/* Why a rule passed or failed, beyond the comparison of its measured value. */
enum elig_reason {
        ELIG_MEASURED,             /* the value was measured and compared */
        ELIG_DATE_MISSING,         /* the date the rule needs is missing (or malformed) */
        ELIG_DATE_AFTER_REFERENCE, /* the date is later than the reference date */
        ELIG_NO_MEMBERS,           /* a share of women among 0 members */
};

/* The outcome of one rule. */
struct elig_line {
        enum elig_kind kind;
        int pass;
        enum elig_reason reason;
        /* Machine form of what was measured, for the audit snapshot: an age "4y7m0d", a code
         * ("03", "03.231", "argan", "active"), a flag "1"/"0", a count "12", a share of women
         * "9/12" (women/members, exact), or "missing" / "after_reference". */
        const char *measured;
        const char *explanation; /* one sentence in the requested language, with the numbers */
};

struct elig_result {
        int eligible;    /* every rule passed (an empty rule set admits everyone) */
        uint64_t failed; /* bit i set when rules[i] failed, as eligibility_screen_one */
        size_t n;
        struct elig_line *lines; /* n lines, in the order of the rules; in the arena */
};

/* The JSON code of a kind ("max_legal_age", ...) and its English label (N_, translate it). */
const char *eligibility_kind_code(enum elig_kind kind);
const char *eligibility_kind_label(enum elig_kind kind);

/* 1 for the kinds measured as a duration (years and months) and for those holding a list of
 * codes (regions, provinces, sectors). */
int eligibility_kind_is_duration(enum elig_kind kind);
int eligibility_kind_is_list(enum elig_kind kind);

/* Fills *in from c (kept by pointer: it must outlive *in), parsing its legal and activity start
 * dates once (a malformed date counts as missing). name and name_ctx are set to NULL. */
void eligibility_input_set(struct elig_input *in, const struct coop *c, int already_accompanied);

/*
 * Evaluates the n rules (n <= ELIG_MAX_RULES, validated as eligibility_rules_from_json does) for
 * in on the reference date, explaining each in lang. Fills *out (lines and strings in a).
 * Returns 0, or -1 when a formatting step failed (ICU); *out is then still filled, explanations
 * possibly empty.
 */
int eligibility_evaluate(const struct elig_rule *rules, size_t n, const struct elig_input *in,
                         struct date reference, enum lang lang, struct arena *a,
                         struct elig_result *out);

/*
 * The same decision without explanations, allocation-free, for screening the registry: returns
 * the mask of failed rules (bit i for rules[i]; 0 = eligible). Agrees with
 * eligibility_evaluate's failed mask for every input.
 */
uint64_t eligibility_screen_one(const struct elig_rule *rules, size_t n,
                                const struct elig_input *in, struct date reference);

/* The rules as a JSON array of objects {"kind": ..., parameters}. New reference; NULL when out of
 * memory. The form eligibility_rules_from_json reads. */
json_t *eligibility_rules_to_json(const struct elig_rule *rules, size_t n);

/*
 * Reads and validates a JSON array of rules. Every problem is added to e with a field name such
 * as "rules[2].months" (unknown kind or field, wrong type, negative years, months > 11, share
 * outside 1..100, min > max, empty or malformed code lists...). On success sets *rules (in a) and
 * *n and returns 0; otherwise returns -1 and leaves them untouched.
 */
int eligibility_rules_from_json(json_t *arr, struct arena *a, struct elig_rule **rules, size_t *n,
                                struct errs *e);

/* The Mourafaka rules: legal age at most 4 years, at least 1 year of activity, status active,
 * not already accompanied. Static; sets *n. */
const struct elig_rule *eligibility_mourafaka_defaults(size_t *n);

/* The audit snapshot of an evaluation: {"eligible": bool, "rules": [{"kind", "pass",
 * "measured"}]}, and of the inputs it used. New references; NULL when out of memory. */
json_t *eligibility_result_to_json(const struct elig_result *r);
json_t *eligibility_input_to_json(const struct elig_input *in);

#endif
