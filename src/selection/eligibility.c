/* eligibility.c: eligibility rules of a call: validation, JSON form, evaluation, explanations. */
#include "eligibility.h"

#include <assert.h>
#include <stdarg.h>
#include <string.h>

#include "core/arena.h"
#include "core/validate.h"
#include "registry/coop.h"

#define YEARS_MAX   100
#define MEMBERS_MAX 1000000
/* An explanation names at most this many allowed codes, then says "…". */
#define LIST_SHOWN 12

static const struct code_label kinds[ELIG_KIND_COUNT] = {
    [ELIG_MAX_LEGAL_AGE] = {"max_legal_age", N_("Maximum legal age")},
    [ELIG_UNDER_LEGAL_AGE] = {"under_legal_age", N_("Legal age under")},
    [ELIG_MIN_ACTIVITY] = {"min_activity", N_("Minimum years of activity")},
    [ELIG_REGIONS] = {"regions", N_("Regions allowed")},
    [ELIG_PROVINCES] = {"provinces", N_("Provinces allowed")},
    [ELIG_SECTORS] = {"sectors", N_("Sectors allowed")},
    [ELIG_SOULALYATE_ONLY] = {"soulalyate_only", N_("Soulalyate cooperatives only")},
    [ELIG_WOMEN] = {"women", N_("Women members")},
    [ELIG_MEMBERS] = {"members", N_("Number of members")},
    [ELIG_STATUS_ACTIVE] = {"status_active", N_("Status active")},
    [ELIG_NOT_ACCOMPANIED] = {"not_accompanied", N_("Not already accompanied")},
};

const char *
eligibility_kind_code(enum elig_kind kind)
{
        return (unsigned)kind < ELIG_KIND_COUNT ? kinds[kind].code : "";
}

const char *
eligibility_kind_label(enum elig_kind kind)
{
        return (unsigned)kind < ELIG_KIND_COUNT ? kinds[kind].label : "";
}

int
eligibility_kind_is_duration(enum elig_kind k)
{
        return k == ELIG_MAX_LEGAL_AGE || k == ELIG_UNDER_LEGAL_AGE || k == ELIG_MIN_ACTIVITY;
}

int
eligibility_kind_is_list(enum elig_kind k)
{
        return k == ELIG_REGIONS || k == ELIG_PROVINCES || k == ELIG_SECTORS;
}

void
eligibility_input_set(struct elig_input *in, const struct coop *c, int already_accompanied)
{
        memset(in, 0, sizeof(*in));
        in->coop = c;
        in->has_legal_date = c->legal_date && date_parse(c->legal_date, &in->legal_date) == 0;
        in->has_activity_start =
            c->activity_start_date && date_parse(c->activity_start_date, &in->activity_start) == 0;
        in->already_accompanied = already_accompanied != 0;
}

/* ---- The decision: one function shared by the screen and the full evaluation. ---- */

/* What check() found, enough to explain it without measuring again. */
struct measure {
        int pass;
        enum elig_reason reason;
        struct age age; /* durations */
};

/* Compares an exact age with a limit of years+months (and 0 days): <0, 0, >0. */
static int
age_cmp(struct age age, int years, int months)
{
        if (age.years != years)
                return age.years < years ? -1 : 1;
        if (age.months != months)
                return age.months < months ? -1 : 1;
        return age.days > 0;
}

/* The exact age of what started on `from` as of ref, or why there is none. */
static enum elig_reason
age_on(int has, struct date from, struct date ref, struct age *age)
{
        if (!has)
                return ELIG_DATE_MISSING;
        if (date_cmp(from, ref) > 0)
                return ELIG_DATE_AFTER_REFERENCE;
        *age = date_age(from, ref);
        return ELIG_MEASURED;
}

static int
code_in(const struct elig_rule *r, const char *code)
{
        if (code == NULL)
                return 0;
        for (size_t i = 0; i < r->ncodes; i++)
                if (strcmp(r->codes[i], code) == 0)
                        return 1;
        return 0;
}

/* Decides rule r for in on ref. Allocation-free: the screen runs it 65,000 times a rule. */
static void
check(const struct elig_rule *r, const struct elig_input *in, struct date ref, struct measure *m)
{
        const struct coop *c = in->coop;

        memset(m, 0, sizeof(*m));
        m->reason = ELIG_MEASURED;
        switch (r->kind) {
        case ELIG_MAX_LEGAL_AGE:
                m->reason = age_on(in->has_legal_date, in->legal_date, ref, &m->age);
                m->pass = m->reason == ELIG_MEASURED && age_cmp(m->age, r->years, r->months) <= 0;
                break;
        case ELIG_UNDER_LEGAL_AGE:
                m->reason = age_on(in->has_legal_date, in->legal_date, ref, &m->age);
                m->pass = m->reason == ELIG_MEASURED && age_cmp(m->age, r->years, r->months) < 0;
                break;
        case ELIG_MIN_ACTIVITY:
                m->reason = age_on(in->has_activity_start, in->activity_start, ref, &m->age);
                m->pass = m->reason == ELIG_MEASURED && age_cmp(m->age, r->years, r->months) >= 0;
                break;
        case ELIG_REGIONS:
                m->pass = code_in(r, c->region_code);
                break;
        case ELIG_PROVINCES:
                m->pass = code_in(r, c->province_code);
                break;
        case ELIG_SECTORS:
                m->pass = code_in(r, c->sector);
                break;
        case ELIG_SOULALYATE_ONLY:
                m->pass = c->is_soulalyate != 0;
                break;
        case ELIG_WOMEN:
                if (r->women_only) {
                        m->pass = c->is_women_only != 0;
                } else if (c->members_total <= 0) {
                        m->reason = ELIG_NO_MEMBERS;
                } else {
                        /* Integers only: 50 % of 7 members needs 4 women, not 3.5. */
                        m->pass =
                            c->members_women * 100 >= (long long)r->women_share * c->members_total;
                }
                break;
        case ELIG_MEMBERS:
                m->pass = (!r->has_min || c->members_total >= r->members_min) &&
                          (!r->has_max || c->members_total <= r->members_max);
                break;
        case ELIG_STATUS_ACTIVE:
                m->pass = c->status != NULL && strcmp(c->status, "active") == 0;
                break;
        case ELIG_NOT_ACCOMPANIED:
                m->pass = !in->already_accompanied;
                break;
        case ELIG_KIND_COUNT:
                break;
        }
}

uint64_t
eligibility_screen_one(const struct elig_rule *rules, size_t n, const struct elig_input *in,
                       struct date reference)
{
        uint64_t failed = 0;
        struct measure m;

        assert(n <= ELIG_MAX_RULES);
        for (size_t i = 0; i < n && i < ELIG_MAX_RULES; i++) {
                check(&rules[i], in, reference, &m);
                if (!m.pass)
                        failed |= (uint64_t)1 << i;
        }
        return failed;
}

/* ---- Explanations ---- */

/* Formatting state: where strings go, in which language, and whether ICU failed once. */
struct say {
        struct arena *a;
        enum lang lang;
        int failed;
};

/* printf into the arena with an already translated format (from _(), so its directives are
 * those of the msgid: i18n-check runs msgfmt --check on every catalog). */
static const char *
say_line(struct say *s, const char *fmt, ...)
{
        va_list ap;
        char *r;

        va_start(ap, fmt);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
        r = arena_vprintf(s->a, fmt, ap);
#pragma GCC diagnostic pop
        va_end(ap);
        return r ? r : "";
}

static const char *
say_age(struct say *s, int years, int months)
{
        const char *r = i18n_age(s->a, s->lang, years, months);
        if (r == NULL) {
                s->failed = 1;
                r = arena_printf(s->a, "%dy%dm", years, months);
        }
        return r;
}

static const char *
say_date(struct say *s, struct date d)
{
        const char *r = i18n_date(s->a, s->lang, d);
        if (r == NULL) {
                char iso[11];
                s->failed = 1;
                date_format_iso(d, iso);
                r = arena_strdup(s->a, iso);
        }
        return r;
}

static const char *
say_int(struct say *s, long long v)
{
        const char *r = i18n_int(s->a, s->lang, v);
        if (r == NULL) {
                s->failed = 1;
                r = arena_printf(s->a, "%lld", v);
        }
        return r;
}

/* The name of a code for people: the caller's namer, else sector labels, else the code. */
static const char *
say_name(struct say *s, const struct elig_input *in, const char *kind, const char *code)
{
        const char *name = NULL;

        if (code == NULL || code[0] == '\0')
                return "—";
        if (in->name)
                name = in->name(in->name_ctx, kind, code);
        if (name == NULL && strcmp(kind, "sector") == 0)
                name = _(s->lang, code_label(coop_sectors, code));
        return name ? name : code;
}

/* "Souss-Massa, Drâa-Tafilalet, …": the first LIST_SHOWN names of the allowed codes. */
static const char *
say_list(struct say *s, const struct elig_input *in, const char *kind, const struct elig_rule *r)
{
        const char *sep = lang_is_rtl(s->lang) ? "، " : ", ";
        const char *list = "";

        for (size_t i = 0; i < r->ncodes && i < LIST_SHOWN; i++)
                list = arena_printf(s->a, "%s%s%s", list, i ? sep : "",
                                    say_name(s, in, kind, r->codes[i]));
        if (r->ncodes > LIST_SHOWN)
                list = arena_printf(s->a, "%s%s…", list, sep);
        return list;
}

static const char *
explain_legal_age(struct say *s, const struct elig_rule *r, const struct elig_input *in,
                  struct date ref, const struct measure *m)
{
        enum lang l = s->lang;
        const char *limit = say_age(s, r->years, r->months);

        if (m->reason == ELIG_DATE_MISSING)
                return say_line(s, _(l, "The legal date is missing, so the legal age cannot be "
                                        "checked."));
        if (m->reason == ELIG_DATE_AFTER_REFERENCE)
                return say_line(s, _(l, "Created on %s, after the reference date of %s."),
                                say_date(s, in->legal_date), say_date(s, ref));
        const char *age = say_age(s, m->age.years, m->age.months);
        if (r->kind == ELIG_UNDER_LEGAL_AGE)
                return m->pass ? say_line(s, _(l, "Legal age %s, under %s."), age, limit)
                               : say_line(s, _(l, "Legal age %s, not under %s."), age, limit);
        if (m->pass)
                return say_line(s, _(l, "Legal age %s, within the maximum of %s."), age, limit);
        /* Older by days only: "4 years, more than the maximum of 4 years" would read wrong. */
        if (m->age.years == r->years && m->age.months == r->months)
                return say_line(s,
                                _(l, "Created on %s, more than %s before the reference date of "
                                     "%s."),
                                say_date(s, in->legal_date), limit, say_date(s, ref));
        return say_line(s, _(l, "Legal age %s, more than the maximum of %s."), age, limit);
}

static const char *
explain_activity(struct say *s, const struct elig_rule *r, const struct elig_input *in,
                 struct date ref, const struct measure *m)
{
        enum lang l = s->lang;
        const char *limit = say_age(s, r->years, r->months);

        if (m->reason == ELIG_DATE_MISSING)
                return say_line(s, _(l, "The activity start date is missing, so the years of "
                                        "activity cannot be counted."));
        if (m->reason == ELIG_DATE_AFTER_REFERENCE)
                return say_line(s, _(l, "Activity starts on %s, after the reference date of %s."),
                                say_date(s, in->activity_start), say_date(s, ref));
        const char *age = say_age(s, m->age.years, m->age.months);
        return m->pass
                   ? say_line(s, _(l, "Activity for %s, at least the minimum of %s."), age, limit)
                   : say_line(s, _(l, "Activity for %s, less than the minimum of %s."), age, limit);
}

static const char *
explain_list(struct say *s, const struct elig_rule *r, const struct elig_input *in,
             const struct measure *m)
{
        enum lang l = s->lang;
        const struct coop *c = in->coop;

        switch (r->kind) {
        case ELIG_REGIONS: {
                const char *name = say_name(s, in, "region", c->region_code);
                return m->pass
                           ? say_line(s, _(l, "Region %s is among the allowed regions."), name)
                           : say_line(s, _(l, "Region %s is not among the allowed regions (%s)."),
                                      name, say_list(s, in, "region", r));
        }
        case ELIG_PROVINCES: {
                const char *name = say_name(s, in, "province", c->province_code);
                return m->pass
                           ? say_line(s, _(l, "Province %s is among the allowed provinces."), name)
                           : say_line(s,
                                      _(l, "Province %s is not among the allowed provinces (%s)."),
                                      name, say_list(s, in, "province", r));
        }
        default: {
                const char *name = say_name(s, in, "sector", c->sector);
                return m->pass
                           ? say_line(s, _(l, "Sector %s is among the allowed sectors."), name)
                           : say_line(s, _(l, "Sector %s is not among the allowed sectors (%s)."),
                                      name, say_list(s, in, "sector", r));
        }
        }
}

static const char *
explain_women(struct say *s, const struct elig_rule *r, const struct elig_input *in,
              const struct measure *m)
{
        enum lang l = s->lang;
        const struct coop *c = in->coop;

        if (r->women_only)
                return m->pass ? say_line(s, _(l, "The cooperative is a women-only cooperative."))
                               : say_line(s, _(l, "The cooperative is not a women-only "
                                                  "cooperative; the call requires one."));
        if (m->reason == ELIG_NO_MEMBERS)
                return say_line(s, _(l, "The cooperative has no members recorded, so its share of "
                                        "women cannot be computed."));
        /* The share rounded down, so that it never reads as reaching a minimum it misses. */
        long long pct = c->members_women * 100 / c->members_total;
        const char *women = say_int(s, c->members_women), *total = say_int(s, c->members_total);
        const char *share = say_int(s, pct), *min = say_int(s, r->women_share);
        return m->pass ? say_line(s,
                                  _(l, "Women are %s of the %s members (%s%%), at least the "
                                       "minimum of %s%%."),
                                  women, total, share, min)
                       : say_line(s,
                                  _(l, "Women are %s of the %s members (%s%%), less than the "
                                       "minimum of %s%%."),
                                  women, total, share, min);
}

static const char *
explain_members(struct say *s, const struct elig_rule *r, const struct elig_input *in)
{
        enum lang l = s->lang;
        long long v = in->coop->members_total;
        const char *count = say_int(s, v);

        if (r->has_min && v < r->members_min)
                return say_line(s, _(l, "%s members, fewer than the minimum of %s."), count,
                                say_int(s, r->members_min));
        if (r->has_max && v > r->members_max)
                return say_line(s, _(l, "%s members, more than the maximum of %s."), count,
                                say_int(s, r->members_max));
        if (r->has_min && r->has_max)
                return say_line(s, _(l, "%s members, between %s and %s."), count,
                                say_int(s, r->members_min), say_int(s, r->members_max));
        if (r->has_min)
                return say_line(s, _(l, "%s members, at least the minimum of %s."), count,
                                say_int(s, r->members_min));
        return say_line(s, _(l, "%s members, at most the maximum of %s."), count,
                        say_int(s, r->members_max));
}

static const char *
explain(struct say *s, const struct elig_rule *r, const struct elig_input *in, struct date ref,
        const struct measure *m)
{
        enum lang l = s->lang;
        const struct coop *c = in->coop;

        switch (r->kind) {
        case ELIG_MAX_LEGAL_AGE:
        case ELIG_UNDER_LEGAL_AGE:
                return explain_legal_age(s, r, in, ref, m);
        case ELIG_MIN_ACTIVITY:
                return explain_activity(s, r, in, ref, m);
        case ELIG_REGIONS:
        case ELIG_PROVINCES:
        case ELIG_SECTORS:
                return explain_list(s, r, in, m);
        case ELIG_SOULALYATE_ONLY:
                return m->pass ? say_line(s, _(l, "The cooperative is a soulalyate cooperative."))
                               : say_line(s, _(l, "The cooperative is not a soulalyate "
                                                  "cooperative; the call is for soulalyate "
                                                  "cooperatives only."));
        case ELIG_WOMEN:
                return explain_women(s, r, in, m);
        case ELIG_MEMBERS:
                return explain_members(s, r, in);
        case ELIG_STATUS_ACTIVE:
                return m->pass
                           ? say_line(s, _(l, "The cooperative's status is active."))
                           : say_line(s, _(l, "The cooperative's status is %s, not active."),
                                      _(l, code_label(coop_statuses, c->status ? c->status : "")));
        case ELIG_NOT_ACCOMPANIED:
                return m->pass ? say_line(s, _(l, "The cooperative is not already accompanied "
                                                  "by this program."))
                               : say_line(s, _(l, "The cooperative is already accompanied by this "
                                                  "program."));
        case ELIG_KIND_COUNT:
                break;
        }
        return "";
}

/* The machine form of what check() measured (see struct elig_line). */
static const char *
measured(struct arena *a, const struct elig_rule *r, const struct elig_input *in,
         const struct measure *m)
{
        const struct coop *c = in->coop;

        if (m->reason == ELIG_DATE_MISSING)
                return "missing";
        if (m->reason == ELIG_DATE_AFTER_REFERENCE)
                return "after_reference";
        switch (r->kind) {
        case ELIG_MAX_LEGAL_AGE:
        case ELIG_UNDER_LEGAL_AGE:
        case ELIG_MIN_ACTIVITY:
                return arena_printf(a, "%dy%dm%dd", m->age.years, m->age.months, m->age.days);
        case ELIG_REGIONS:
                return arena_strdup(a, c->region_code ? c->region_code : "");
        case ELIG_PROVINCES:
                return arena_strdup(a, c->province_code ? c->province_code : "");
        case ELIG_SECTORS:
                return arena_strdup(a, c->sector ? c->sector : "");
        case ELIG_SOULALYATE_ONLY:
                return c->is_soulalyate ? "1" : "0";
        case ELIG_WOMEN:
                if (r->women_only)
                        return c->is_women_only ? "1" : "0";
                return arena_printf(a, "%lld/%lld", c->members_women, c->members_total);
        case ELIG_MEMBERS:
                return arena_printf(a, "%lld", c->members_total);
        case ELIG_STATUS_ACTIVE:
                return arena_strdup(a, c->status ? c->status : "");
        case ELIG_NOT_ACCOMPANIED:
                return in->already_accompanied ? "1" : "0";
        case ELIG_KIND_COUNT:
                break;
        }
        return "";
}

int
eligibility_evaluate(const struct elig_rule *rules, size_t n, const struct elig_input *in,
                     struct date reference, enum lang lang, struct arena *a,
                     struct elig_result *out)
{
        struct say s = {a, lang, 0};
        struct measure m;

        assert(n <= ELIG_MAX_RULES);
        if (n > ELIG_MAX_RULES)
                n = ELIG_MAX_RULES;
        memset(out, 0, sizeof(*out));
        out->n = n;
        out->lines = arena_alloc(a, (n ? n : 1) * sizeof(*out->lines));
        for (size_t i = 0; i < n; i++) {
                struct elig_line *line = &out->lines[i];
                check(&rules[i], in, reference, &m);
                line->kind = rules[i].kind;
                line->pass = m.pass;
                line->reason = m.reason;
                line->measured = measured(a, &rules[i], in, &m);
                line->explanation = explain(&s, &rules[i], in, reference, &m);
                if (!m.pass)
                        out->failed |= (uint64_t)1 << i;
        }
        out->eligible = out->failed == 0;
        return s.failed ? -1 : 0;
}

/* ---- Rules as JSON ---- */

json_t *
eligibility_rules_to_json(const struct elig_rule *rules, size_t n)
{
        json_t *arr = json_array(), *o = NULL, *codes;
        int bad = arr == NULL;

        for (size_t i = 0; !bad && i < n; i++) {
                const struct elig_rule *r = &rules[i];
                o = json_object();
                if (o == NULL)
                        goto fail;
                bad |= json_object_set_new(o, "kind", json_string(eligibility_kind_code(r->kind)));
                if (eligibility_kind_is_duration(r->kind)) {
                        bad |= json_object_set_new(o, "years", json_integer(r->years));
                        bad |= json_object_set_new(o, "months", json_integer(r->months));
                } else if (eligibility_kind_is_list(r->kind)) {
                        codes = json_array();
                        for (size_t j = 0; codes && j < r->ncodes; j++)
                                bad |= json_array_append_new(codes, json_string(r->codes[j]));
                        bad |= json_object_set_new(o, "codes", codes);
                } else if (r->kind == ELIG_WOMEN) {
                        if (r->women_only)
                                bad |= json_object_set_new(o, "women_only", json_true());
                        else
                                bad |= json_object_set_new(o, "min_share",
                                                           json_integer(r->women_share));
                } else if (r->kind == ELIG_MEMBERS) {
                        if (r->has_min)
                                bad |= json_object_set_new(o, "min", json_integer(r->members_min));
                        if (r->has_max)
                                bad |= json_object_set_new(o, "max", json_integer(r->members_max));
                }
                bad |= json_array_append_new(arr, o);
                o = NULL;
        }
        if (bad)
                goto fail;
        return arr;
fail:
        json_decref(o);
        json_decref(arr);
        return NULL;
}

/* The fields each kind accepts besides "kind" (NULL-terminated). */
static const char *const duration_fields[] = {"years", "months", NULL};
static const char *const list_fields[] = {"codes", NULL};
static const char *const women_fields[] = {"women_only", "min_share", NULL};
static const char *const members_fields[] = {"min", "max", NULL};
static const char *const no_fields[] = {NULL};

static const char *const *
fields_of(enum elig_kind k)
{
        if (eligibility_kind_is_duration(k))
                return duration_fields;
        if (eligibility_kind_is_list(k))
                return list_fields;
        if (k == ELIG_WOMEN)
                return women_fields;
        if (k == ELIG_MEMBERS)
                return members_fields;
        return no_fields;
}

/* What the readers below share: the errors and the prefix "rules[i]" of field names. */
struct reader {
        struct errs *e;
        const char *prefix;
};

static const char *
field_name(struct reader *rd, const char *name)
{
        return arena_printf(rd->e->arena, "%s.%s", rd->prefix, name);
}

/* Reads optional integer field name of o into *out when present and within [min, max], with
 * the message range_msg (an errs_add msgid) otherwise. Returns 1 when set, 0 when absent, -1. */
static int
read_int(struct reader *rd, json_t *o, const char *name, long long min, long long max,
         const char *range_msg, long long *out)
{
        json_t *v = json_object_get(o, name);

        if (v == NULL)
                return 0;
        if (!json_is_integer(v)) {
                errs_add(rd->e, field_name(rd, name), "Must be a whole number.");
                return -1;
        }
        if (json_integer_value(v) < min || json_integer_value(v) > max) {
                errs_add(rd->e, field_name(rd, name), range_msg);
                return -1;
        }
        *out = json_integer_value(v);
        return 1;
}

static int
digits(const char *s, size_t n)
{
        for (size_t i = 0; i < n; i++)
                if (s[i] < '0' || s[i] > '9')
                        return 0;
        return 1;
}

/* "01".."12": two digits, a region of Morocco's twelve. */
static int
region_code_ok(const char *s)
{
        if (strlen(s) != 2 || !digits(s, 2))
                return 0;
        int v = (s[0] - '0') * 10 + (s[1] - '0');
        return v >= 1 && v <= 12;
}

/* "RR.PPP": a region code, a dot, three digits (the HCP province code). */
static int
province_code_ok(const char *s)
{
        char region[3];

        if (strlen(s) != 6 || s[2] != '.' || !digits(s + 3, 3))
                return 0;
        region[0] = s[0];
        region[1] = s[1];
        region[2] = '\0';
        return region_code_ok(region);
}

static int
sector_code_ok(const char *s)
{
        for (const char *const *p = coop_sector_codes; *p; p++)
                if (strcmp(*p, s) == 0)
                        return 1;
        return 0;
}

static int
read_codes(struct reader *rd, json_t *o, struct arena *a, struct elig_rule *r)
{
        json_t *arr = json_object_get(o, "codes"), *v;
        const char **codes;
        size_t n, i;
        int ok = 1;

        if (arr == NULL || !json_is_array(arr)) {
                errs_add(rd->e, field_name(rd, "codes"), "Give a list of codes.");
                return -1;
        }
        n = json_array_size(arr);
        if (n == 0) {
                errs_add(rd->e, field_name(rd, "codes"), "Give at least one code.");
                return -1;
        }
        if (n > ELIG_MAX_CODES) {
                errs_add(rd->e, field_name(rd, "codes"), "Too many codes (at most %d).",
                         ELIG_MAX_CODES);
                return -1;
        }
        codes = arena_alloc(a, n * sizeof(*codes));
        json_array_foreach(arr, i, v)
        {
                const char *field = arena_printf(rd->e->arena, "%s.codes[%zu]", rd->prefix, i);
                const char *s = json_string_value(v);
                if (s == NULL) {
                        errs_add(rd->e, field, "Each code must be text.");
                        ok = 0;
                        continue;
                }
                if (r->kind == ELIG_REGIONS && !region_code_ok(s)) {
                        errs_add(rd->e, field, "A region code is two digits, from 01 to 12.");
                        ok = 0;
                } else if (r->kind == ELIG_PROVINCES && !province_code_ok(s)) {
                        errs_add(rd->e, field,
                                 "A province code is its region's code, a dot and three digits "
                                 "(03.231).");
                        ok = 0;
                } else if (r->kind == ELIG_SECTORS && !sector_code_ok(s)) {
                        errs_add(rd->e, field, "Unknown sector.");
                        ok = 0;
                } else {
                        for (size_t j = 0; j < i; j++)
                                if (codes[j] && strcmp(codes[j], s) == 0) {
                                        errs_add(rd->e, field, "This code appears twice.");
                                        ok = 0;
                                }
                }
                codes[i] = arena_strdup(a, s);
        }
        if (!ok)
                return -1;
        r->codes = codes;
        r->ncodes = n;
        return 0;
}

static int
read_duration(struct reader *rd, json_t *o, struct elig_rule *r)
{
        long long years = 0, months = 0;
        int ry =
            read_int(rd, o, "years", 0, YEARS_MAX, N_("Years must be between 0 and 100."), &years);
        int rm = read_int(rd, o, "months", 0, 11, N_("Months must be between 0 and 11."), &months);

        if (ry < 0 || rm < 0)
                return -1;
        if (years == 0 && months == 0) {
                errs_add(rd->e, field_name(rd, "years"), "Give a duration of more than zero.");
                return -1;
        }
        r->years = (int)years;
        r->months = (int)months;
        return 0;
}

static int
read_women(struct reader *rd, json_t *o, struct elig_rule *r)
{
        json_t *only = json_object_get(o, "women_only");
        long long share = 0;
        int rs;

        if (only && !json_is_boolean(only)) {
                errs_add(rd->e, field_name(rd, "women_only"), "Must be true or false.");
                return -1;
        }
        rs = read_int(rd, o, "min_share", 1, 100,
                      N_("The minimum share of women is a percentage from 1 to 100."), &share);
        if (rs < 0)
                return -1;
        if (json_is_true(only) && rs > 0) {
                errs_add(rd->e, field_name(rd, "min_share"),
                         "Give either women-only or a minimum share of women, not both.");
                return -1;
        }
        if (!json_is_true(only) && rs == 0) {
                errs_add(rd->e, field_name(rd, "min_share"),
                         "Give either women-only or a minimum share of women.");
                return -1;
        }
        r->women_only = json_is_true(only);
        r->women_share = (int)share;
        return 0;
}

static int
read_members(struct reader *rd, json_t *o, struct elig_rule *r)
{
        long long min = 0, max = 0;
        const char *msg = N_("The number of members must be between 0 and 1000000.");
        int rmin = read_int(rd, o, "min", 0, MEMBERS_MAX, msg, &min);
        int rmax = read_int(rd, o, "max", 0, MEMBERS_MAX, msg, &max);

        if (rmin < 0 || rmax < 0)
                return -1;
        if (rmin == 0 && rmax == 0) {
                errs_add(rd->e, field_name(rd, "min"), "Give a minimum, a maximum or both.");
                return -1;
        }
        if (rmin > 0 && rmax > 0 && min > max) {
                errs_add(rd->e, field_name(rd, "max"), "The maximum is below the minimum.");
                return -1;
        }
        r->has_min = rmin > 0;
        r->has_max = rmax > 0;
        r->members_min = rmin > 0 ? min : 0;
        r->members_max = rmax > 0 ? max : 0;
        return 0;
}

/* Reads rule o (the prefix of rd names it) into *r. 0, or -1 with errors added. */
static int
read_rule(struct reader *rd, json_t *o, struct arena *a, struct elig_rule *r)
{
        json_t *kind = json_object_get(o, "kind"), *v;
        const char *key, *const *fields;
        int k = -1, ok = 1;

        if (!json_is_object(o)) {
                errs_add(rd->e, rd->prefix, "Each rule must be an object.");
                return -1;
        }
        if (kind == NULL || !json_is_string(kind)) {
                errs_add(rd->e, field_name(rd, "kind"), "Choose a kind of rule.");
                return -1;
        }
        for (int i = 0; i < ELIG_KIND_COUNT; i++)
                if (strcmp(kinds[i].code, json_string_value(kind)) == 0)
                        k = i;
        if (k < 0) {
                errs_add(rd->e, field_name(rd, "kind"), "Unknown kind of rule.");
                return -1;
        }
        memset(r, 0, sizeof(*r));
        r->kind = (enum elig_kind)k;
        fields = fields_of(r->kind);
        json_object_foreach(o, key, v)
        {
                int known = strcmp(key, "kind") == 0;
                for (const char *const *f = fields; !known && *f; f++)
                        known = strcmp(*f, key) == 0;
                if (!known) {
                        /* The key is the client's text: name it only when it is short. */
                        errs_add(rd->e, strlen(key) <= 40 ? field_name(rd, key) : rd->prefix,
                                 "Unknown field for this kind of rule.");
                        ok = 0;
                }
        }
        if (eligibility_kind_is_duration(r->kind))
                ok &= read_duration(rd, o, r) == 0;
        else if (eligibility_kind_is_list(r->kind))
                ok &= read_codes(rd, o, a, r) == 0;
        else if (r->kind == ELIG_WOMEN)
                ok &= read_women(rd, o, r) == 0;
        else if (r->kind == ELIG_MEMBERS)
                ok &= read_members(rd, o, r) == 0;
        return ok ? 0 : -1;
}

int
eligibility_rules_from_json(json_t *arr, struct arena *a, struct elig_rule **rules, size_t *n,
                            struct errs *e)
{
        struct elig_rule *list;
        size_t count, i;
        json_t *o;
        int ok = 1;

        if (!json_is_array(arr)) {
                errs_add(e, "rules", "The rules must be a list.");
                return -1;
        }
        count = json_array_size(arr);
        if (count > ELIG_MAX_RULES) {
                errs_add(e, "rules", "Too many rules (at most %d).", ELIG_MAX_RULES);
                return -1;
        }
        list = arena_alloc(a, (count ? count : 1) * sizeof(*list));
        json_array_foreach(arr, i, o)
        {
                struct reader rd = {e, arena_printf(e->arena, "rules[%zu]", i)};
                if (read_rule(&rd, o, a, &list[i]) != 0)
                        ok = 0;
        }
        if (!ok)
                return -1;
        *rules = list;
        *n = count;
        return 0;
}

static const struct elig_rule mourafaka[] = {
    {.kind = ELIG_MAX_LEGAL_AGE, .years = 4},
    {.kind = ELIG_MIN_ACTIVITY, .years = 1},
    {.kind = ELIG_STATUS_ACTIVE},
    {.kind = ELIG_NOT_ACCOMPANIED},
};

const struct elig_rule *
eligibility_mourafaka_defaults(size_t *n)
{
        *n = sizeof(mourafaka) / sizeof(mourafaka[0]);
        return mourafaka;
}

/* ---- Audit snapshots ---- */

json_t *
eligibility_result_to_json(const struct elig_result *r)
{
        json_t *o = json_object(), *arr = json_array(), *line;
        int bad = o == NULL || arr == NULL;

        for (size_t i = 0; !bad && i < r->n; i++) {
                line = json_object();
                bad |= line == NULL;
                bad |= json_object_set_new(line, "kind",
                                           json_string(eligibility_kind_code(r->lines[i].kind)));
                bad |= json_object_set_new(line, "pass", json_boolean(r->lines[i].pass));
                bad |= json_object_set_new(line, "measured", json_string(r->lines[i].measured));
                bad |= json_array_append_new(arr, line);
        }
        if (bad)
                goto fail;
        if (json_object_set_new(o, "eligible", json_boolean(r->eligible)) != 0)
                goto fail;
        if (json_object_set_new(o, "rules", arr) != 0) {
                arr = NULL; /* set_new consumed it */
                goto fail;
        }
        return o;
fail:
        json_decref(arr);
        json_decref(o);
        return NULL;
}

static json_t *
str_or_null(const char *s)
{
        return s && s[0] ? json_string(s) : json_null();
}

json_t *
eligibility_input_to_json(const struct elig_input *in)
{
        const struct coop *c = in->coop;
        char legal[11], activity[11];
        json_t *o = json_object();

        if (o == NULL)
                return NULL;
        date_format_iso(in->legal_date, legal);
        date_format_iso(in->activity_start, activity);
        int bad = 0;
        bad |= json_object_set_new(o, "legal_date",
                                   in->has_legal_date ? json_string(legal) : json_null());
        bad |= json_object_set_new(o, "activity_start_date",
                                   in->has_activity_start ? json_string(activity) : json_null());
        bad |= json_object_set_new(o, "region_code", str_or_null(c->region_code));
        bad |= json_object_set_new(o, "province_code", str_or_null(c->province_code));
        bad |= json_object_set_new(o, "sector", str_or_null(c->sector));
        bad |= json_object_set_new(o, "members_total", json_integer(c->members_total));
        bad |= json_object_set_new(o, "members_women", json_integer(c->members_women));
        bad |= json_object_set_new(o, "is_soulalyate", json_boolean(c->is_soulalyate));
        bad |= json_object_set_new(o, "is_women_only", json_boolean(c->is_women_only));
        bad |= json_object_set_new(o, "status", str_or_null(c->status));
        bad |= json_object_set_new(o, "already_accompanied", json_boolean(in->already_accompanied));
        if (bad) {
                json_decref(o);
                return NULL;
        }
        return o;
}
