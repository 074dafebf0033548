/* program.c: validation of programs and tranches, and their targets against what is reached. */
#include "program/program.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "registry/geo.h"

const struct code_label program_partner_roles[] = {
    {"funder", N_("Funder")},
    {"academic_partner", N_("Academic partner")},
    {"implementer", N_("Implementer")},
    {"technical_partner", N_("Technical partner")},
    {"public_partner", N_("Public partner")},
    {"other", N_("Other role")},
    {NULL, NULL},
};

const char *const program_partner_role_codes[] = {
    "funder", "academic_partner", "implementer", "technical_partner", "public_partner", "other",
    NULL};

const struct code_label program_component_kinds[] = {
    {"strategic_diagnosis", N_("Strategic diagnosis")},
    {"collective_training", N_("Collective training")},
    {"individual_coaching", N_("Individual coaching")},
    {"access_to_financing", N_("Access to financing")},
    {NULL, NULL},
};

const char *const program_component_kind_codes[] = {"strategic_diagnosis", "collective_training",
                                                    "individual_coaching", "access_to_financing",
                                                    NULL};

const char *const program_fields[] = {
    "code",       "name_ar",  "name_fr",      "name_en",         "operator_id", "description",
    "start_year", "end_year", "target_total", "target_per_year", "partners",    "pillars",
    "components", NULL};

const char *const tranche_fields[] = {"number", "start_year",     "end_year", "target_total",
                                      "phases", "region_targets", NULL};

/* The value to keep in the record: the checked one, else what was sent (so that a form shown
 * again keeps what the person typed), else the old one. */
static const char *
keep(const char *checked, const char *sent, const char *old)
{
        return checked ? checked : sent ? sent : old;
}

static int
blank(const char *v)
{
        if (v == NULL)
                return 1;
        while (*v == ' ' || *v == '\t' || *v == '\r' || *v == '\n')
                v++;
        return *v == '\0';
}

/* A whole number field: not sent keeps *val (an unset required value, 0, counts as empty).
 * Returns 0, or -1 after adding an error. */
static int
int_field(struct errs *e, field_get_fn get, void *ctx, const char *name, int required,
          long long min, long long max, long long *val)
{
        const char *v = get(ctx, name);
        if (v == NULL)
                v = required && *val == 0 ? "" : arena_printf(e->arena, "%lld", *val);
        long long out = 0;
        if (v_int(e, name, v, required, min, max, 0, &out) != 0)
                return -1;
        *val = out;
        return 0;
}

/* The name of field f of row i of list: "partners.2.role", in the arena. */
static const char *
row_name(struct errs *e, const char *list, size_t i, const char *f)
{
        return arena_printf(e->arena, "%s.%zu.%s", list, i, f);
}

/* Reads "<list>.count". Returns 1 with *n when the list was sent, 0 when it was not (keep the
 * list), -1 after an error on the list. */
static int
list_count(struct errs *e, field_get_fn get, void *ctx, const char *list, size_t max, size_t *n)
{
        const char *v = get(ctx, arena_printf(e->arena, "%s.count", list));
        if (v == NULL)
                return 0;
        long long c = 0;
        if (v_int(e, list, v, 0, 0, 1000, 0, &c) != 0)
                return -1;
        if ((size_t)c > max) {
                errs_add(e, list, "At most %d rows are allowed here.", (int)max);
                return -1;
        }
        *n = (size_t)c;
        return 1;
}

/* 1 when s holds only ASCII letters, digits, '_' and '-'. */
static int
code_chars_ok(const char *s)
{
        for (const char *p = s; *p; p++)
                if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                      (*p >= '0' && *p <= '9') || *p == '_' || *p == '-'))
                        return 0;
        return 1;
}

/* s with ASCII letters in upper (upper = 1) or lower case, in the arena. */
static char *
ascii_case(struct arena *a, const char *s, int upper)
{
        char *out = arena_strdup(a, s);
        for (char *p = out; *p; p++) {
                if (upper && *p >= 'a' && *p <= 'z')
                        *p = (char)(*p - 'a' + 'A');
                else if (!upper && *p >= 'A' && *p <= 'Z')
                        *p = (char)(*p - 'A' + 'a');
        }
        return out;
}

static int
apply_partners(struct program *p, struct errs *e, field_get_fn get, void *ctx,
               const struct program_refs *refs)
{
        size_t n;
        int sent = list_count(e, get, ctx, "partners", PROGRAM_MAX_PARTNERS, &n);
        if (sent <= 0)
                return sent;
        struct program_partner *out = arena_alloc(e->arena, (n ? n : 1) * sizeof(*out));
        size_t k = 0;
        for (size_t i = 0; i < n; i++) {
                const char *fo = row_name(e, "partners", i, "organisation_id");
                const char *fr = row_name(e, "partners", i, "role");
                const char *vo = get(ctx, fo), *vr = get(ctx, fr);
                if (blank(vo) && blank(vr))
                        continue;
                struct program_partner *pp = &out[k++];
                if (v_int(e, fo, vo, 1, 1, 1LL << 62, 0, &pp->organisation_id) == 0 && refs &&
                    refs->org_exists && !refs->org_exists(refs->ctx, pp->organisation_id))
                        errs_add(e, fo, "This organisation does not exist.");
                pp->role = v_enum(e, fr, vr, 1, program_partner_role_codes);
                if (pp->role == NULL)
                        pp->role = vr ? vr : "";
                for (size_t j = 0; j + 1 < k; j++)
                        if (out[j].organisation_id == pp->organisation_id &&
                            strcmp(out[j].role, pp->role) == 0)
                                errs_add(e, fr,
                                         "This organisation already has this role in the "
                                         "program.");
        }
        p->partners = out;
        p->n_partners = k;
        return 1;
}

static int
apply_pillars(struct program *p, struct errs *e, field_get_fn get, void *ctx)
{
        size_t n;
        int sent = list_count(e, get, ctx, "pillars", PROGRAM_MAX_PILLARS, &n);
        if (sent <= 0)
                return sent;
        struct program_pillar *out = arena_alloc(e->arena, (n ? n : 1) * sizeof(*out));
        size_t k = 0;
        static const char *const names[] = {"code", "name_ar", "name_fr", "name_en"};
        for (size_t i = 0; i < n; i++) {
                const char *f[4], *v[4];
                int all_blank = 1;
                for (int j = 0; j < 4; j++) {
                        f[j] = row_name(e, "pillars", i, names[j]);
                        v[j] = get(ctx, f[j]);
                        if (!blank(v[j]))
                                all_blank = 0;
                }
                if (all_blank)
                        continue;
                struct program_pillar *pl = &out[k++];
                const char *c = v_text(e, f[0], v[0], 1, 32, 0);
                if (c && !code_chars_ok(c)) {
                        errs_add(e, f[0],
                                 "Use letters without accents, digits, hyphens or underscores, "
                                 "for example governance.");
                        c = NULL;
                }
                pl->code = c ? ascii_case(e->arena, c, 0) : v[0] ? v[0] : "";
                const char **m[3] = {&pl->name_ar, &pl->name_fr, &pl->name_en};
                for (int j = 1; j < 4; j++) {
                        const char *t = v_text(e, f[j], v[j], j < 3, 200, 0);
                        *m[j - 1] = keep(t, v[j], "");
                }
                for (size_t j = 0; c && j + 1 < k; j++)
                        if (strcmp(out[j].code, pl->code) == 0)
                                errs_add(e, f[0], "Another pillar of this program has this code.");
        }
        p->pillars = out;
        p->n_pillars = k;
        return 1;
}

static int
apply_components(struct program *p, struct errs *e, field_get_fn get, void *ctx)
{
        size_t n;
        int sent = list_count(e, get, ctx, "components", PROGRAM_MAX_COMPONENTS, &n);
        if (sent <= 0)
                return sent;
        struct program_component *out = arena_alloc(e->arena, (n ? n : 1) * sizeof(*out));
        size_t k = 0;
        for (size_t i = 0; i < n; i++) {
                const char *fk = row_name(e, "components", i, "kind");
                const char *fs = row_name(e, "components", i, "sessions");
                const char *fm = row_name(e, "components", i, "months");
                const char *fi = row_name(e, "components", i, "included");
                const char *vk = get(ctx, fk), *vs = get(ctx, fs), *vm = get(ctx, fm);
                const char *vi = get(ctx, fi);
                int included = 1;
                if (vi && v_bool(e, fi, vi, &included) != 0)
                        continue;
                if (!included || (blank(vk) && blank(vs) && blank(vm)))
                        continue;
                struct program_component *c = &out[k++];
                c->kind = v_enum(e, fk, vk, 1, program_component_kind_codes);
                int ok_s = v_int(e, fs, vs, 0, 0, 1000, 0, &c->sessions) == 0;
                int ok_m = v_int(e, fm, vm, 0, 0, 240, 0, &c->months) == 0;
                if (c->kind == NULL) {
                        c->kind = vk ? vk : "";
                        continue;
                }
                for (size_t j = 0; j + 1 < k; j++)
                        if (strcmp(out[j].kind, c->kind) == 0)
                                errs_add(e, fk, "This component is listed twice.");
                if (strcmp(c->kind, "individual_coaching") == 0) {
                        if (ok_s && c->sessions < 1)
                                errs_add(e, fs,
                                         "Give the number of coaching sessions, for example 12.");
                        if (ok_m && c->months < 1)
                                errs_add(e, fm,
                                         "Give how many months the coaching lasts, for example "
                                         "24.");
                }
        }
        p->components = out;
        p->n_components = k;
        return 1;
}

static const struct {
        const char *name;
        int required;
} program_text_fields[] = {
    {"name_ar", 1},
    {"name_fr", 1},
    {"name_en", 0},
};

int
program_apply(struct program *p, struct errs *e, field_get_fn get, void *ctx,
              const struct program_refs *refs)
{
        size_t before = e->n;
        const char *v, *t;

        v = get(ctx, "code");
        t = v_text(e, "code", v ? v : p->code, 1, 32, 0);
        if (t && !code_chars_ok(t)) {
                errs_add(e, "code",
                         "Use letters without accents, digits, hyphens or underscores, for "
                         "example MOURAFAKA.");
                t = NULL;
        }
        p->code = t ? ascii_case(e->arena, t, 1) : keep(NULL, v, p->code);

        const char **members[] = {&p->name_ar, &p->name_fr, &p->name_en};
        for (size_t i = 0; i < 3; i++) {
                v = get(ctx, program_text_fields[i].name);
                t = v_text(e, program_text_fields[i].name, v ? v : *members[i],
                           program_text_fields[i].required, 200, 0);
                *members[i] = keep(t, v, *members[i]);
        }
        v = get(ctx, "description");
        t = v_text(e, "description", v ? v : p->description, 0, 4000, 1);
        p->description = keep(t, v, p->description);

        if (int_field(e, get, ctx, "operator_id", 0, 0, 1LL << 62, &p->operator_id) == 0 &&
            p->operator_id > 0 && refs && refs->org_exists &&
            !refs->org_exists(refs->ctx, p->operator_id))
                errs_add(e, "operator_id", "This organisation does not exist.");

        int years_ok = int_field(e, get, ctx, "start_year", 1, PROGRAM_YEAR_MIN, PROGRAM_YEAR_MAX,
                                 &p->start_year) == 0;
        years_ok &= int_field(e, get, ctx, "end_year", 1, PROGRAM_YEAR_MIN, PROGRAM_YEAR_MAX,
                              &p->end_year) == 0;
        if (years_ok && p->end_year < p->start_year) {
                errs_add(e, "end_year", "The last year cannot be before the first year.");
                years_ok = 0;
        }
        for (size_t i = 0; years_ok && i < p->n_tranches; i++) {
                const struct tranche *tr = &p->tranches[i];
                if (tr->start_year < p->start_year || tr->end_year > p->end_year) {
                        errs_add(e, tr->start_year < p->start_year ? "start_year" : "end_year",
                                 "Tranche %lld runs from %lld to %lld: the program's years must "
                                 "include it.",
                                 tr->number, tr->start_year, tr->end_year);
                        break;
                }
        }
        int total_ok =
            int_field(e, get, ctx, "target_total", 0, 0, PROGRAM_MAX_TARGET, &p->target_total) == 0;
        if (int_field(e, get, ctx, "target_per_year", 0, 0, PROGRAM_MAX_TARGET,
                      &p->target_per_year) == 0 &&
            total_ok && p->target_total > 0 && p->target_per_year > p->target_total)
                errs_add(e, "target_per_year",
                         "The target per year cannot be above the target in total.");

        apply_partners(p, e, get, ctx, refs);
        apply_pillars(p, e, get, ctx);
        apply_components(p, e, get, ctx);
        return e->n == before ? 0 : -1;
}

static int
apply_phases(struct tranche *t, struct errs *e, field_get_fn get, void *ctx, int years_ok)
{
        size_t n;
        int sent = list_count(e, get, ctx, "phases", TRANCHE_MAX_PHASES, &n);
        if (sent <= 0)
                return sent;
        struct phase *out = arena_alloc(e->arena, (n ? n : 1) * sizeof(*out));
        size_t k = 0;
        for (size_t i = 0; i < n; i++) {
                const char *fn = row_name(e, "phases", i, "number");
                const char *fy = row_name(e, "phases", i, "year");
                const char *ft = row_name(e, "phases", i, "target_total");
                const char *vn = get(ctx, fn), *vy = get(ctx, fy), *vt = get(ctx, ft);
                if (blank(vn) && blank(vy) && blank(vt))
                        continue;
                struct phase *ph = &out[k++];
                if (v_int(e, fn, vn, 1, 1, 99, 0, &ph->number) == 0)
                        for (size_t j = 0; j + 1 < k; j++)
                                if (out[j].number == ph->number)
                                        errs_add(e, fn, "Another phase has this number.");
                if (v_int(e, fy, vy, 1, PROGRAM_YEAR_MIN, PROGRAM_YEAR_MAX, 0, &ph->year) == 0 &&
                    years_ok && (ph->year < t->start_year || ph->year > t->end_year))
                        errs_add(e, fy, "The year of a phase must be within the tranche's years.");
                v_int(e, ft, vt, 0, 0, PROGRAM_MAX_TARGET, 0, &ph->target_total);
        }
        /* Phases in order of their numbers (insertion sort: at most 12). */
        for (size_t i = 1; i < k; i++)
                for (size_t j = i; j > 0 && out[j - 1].number > out[j].number; j--) {
                        struct phase x = out[j];
                        out[j] = out[j - 1];
                        out[j - 1] = x;
                }
        /* Keep the ids of the phases that stay, so that the store updates them in place. */
        for (size_t i = 0; i < k; i++) {
                out[i].id = 0;
                for (size_t j = 0; j < t->n_phases; j++)
                        if (t->phases[j].number == out[i].number)
                                out[i].id = t->phases[j].id;
        }
        t->phases = out;
        t->n_phases = k;
        return 1;
}

static int
apply_regions(struct tranche *t, struct errs *e, field_get_fn get, void *ctx, const struct geo *g)
{
        size_t n;
        int sent = list_count(e, get, ctx, "region_targets", TRANCHE_MAX_REGIONS, &n);
        if (sent <= 0)
                return sent;
        struct region_target *out = arena_alloc(e->arena, (n ? n : 1) * sizeof(*out));
        size_t k = 0;
        for (size_t i = 0; i < n; i++) {
                const char *fr = row_name(e, "region_targets", i, "region_code");
                const char *ft = row_name(e, "region_targets", i, "target");
                const char *vr = get(ctx, fr), *vt = get(ctx, ft);
                if (blank(vt))
                        continue;
                struct region_target *rt = &out[k++];
                rt->planned = 1;
                const struct geo_region *r = vr ? geo_region(g, vr) : NULL;
                if (blank(vr))
                        errs_add(e, fr, "Choose a region.");
                else if (r == NULL)
                        errs_add(e, fr, "This region code does not exist.");
                rt->region_code = r ? r->code : vr ? vr : "";
                for (size_t j = 0; r && j + 1 < k; j++)
                        if (strcmp(out[j].region_code, rt->region_code) == 0)
                                errs_add(e, fr, "This region is listed twice.");
                v_int(e, ft, vt, 1, 0, PROGRAM_MAX_TARGET, 0, &rt->target);
        }
        for (size_t i = 1; i < k; i++)
                for (size_t j = i; j > 0 && strcmp(out[j - 1].region_code, out[j].region_code) > 0;
                     j--) {
                        struct region_target x = out[j];
                        out[j] = out[j - 1];
                        out[j - 1] = x;
                }
        t->regions = out;
        t->n_regions = k;
        return 1;
}

int
tranche_apply(struct tranche *t, const struct program *p, struct errs *e, field_get_fn get,
              void *ctx, const struct geo *g)
{
        size_t before = e->n;
        int_field(e, get, ctx, "number", 1, 1, 99, &t->number);
        int years_ok = int_field(e, get, ctx, "start_year", 1, PROGRAM_YEAR_MIN, PROGRAM_YEAR_MAX,
                                 &t->start_year) == 0;
        years_ok &= int_field(e, get, ctx, "end_year", 1, PROGRAM_YEAR_MIN, PROGRAM_YEAR_MAX,
                              &t->end_year) == 0;
        if (years_ok && t->end_year < t->start_year) {
                errs_add(e, "end_year", "The last year cannot be before the first year.");
                years_ok = 0;
        }
        if (years_ok && (t->start_year < p->start_year || t->end_year > p->end_year)) {
                errs_add(e, t->start_year < p->start_year ? "start_year" : "end_year",
                         "A tranche must be within the program's years (%lld to %lld).",
                         p->start_year, p->end_year);
                years_ok = 0;
        }
        int total_ok =
            int_field(e, get, ctx, "target_total", 0, 0, PROGRAM_MAX_TARGET, &t->target_total) == 0;
        size_t at = e->n;
        apply_phases(t, e, get, ctx, years_ok);
        int phases_ok = e->n == at;
        at = e->n;
        apply_regions(t, e, get, ctx, g);
        int regions_ok = e->n == at;

        /* Phases that do not fit the years (sent before, or years changed now). */
        for (size_t i = 0; years_ok && phases_ok && i < t->n_phases; i++)
                if (t->phases[i].year < t->start_year || t->phases[i].year > t->end_year) {
                        errs_add(e, "phases", "Phase %lld is set in %lld, outside the tranche.",
                                 t->phases[i].number, t->phases[i].year);
                        break;
                }
        if (total_ok && phases_ok) {
                long long sum = 0;
                for (size_t i = 0; i < t->n_phases; i++)
                        sum += t->phases[i].target_total;
                if (sum > t->target_total)
                        errs_add(e, "phases",
                                 "The phases' targets add up to %lld, more than the tranche's "
                                 "target of %lld.",
                                 sum, t->target_total);
        }
        if (total_ok && regions_ok) {
                long long sum = 0;
                for (size_t i = 0; i < t->n_regions; i++)
                        sum += t->regions[i].target;
                if (sum > t->target_total)
                        errs_add(e, "region_targets",
                                 "The regions' targets add up to %lld, more than the tranche's "
                                 "target of %lld.",
                                 sum, t->target_total);
        }
        return e->n == before ? 0 : -1;
}

static long long
count_of(const struct program_count *c, size_t n, const char *key)
{
        for (size_t i = 0; i < n; i++)
                if (strcmp(c[i].key, key) == 0)
                        return c[i].n;
        return 0;
}

size_t
program_year_rows(const struct program *p, struct arena *a, struct program_target_row **rows)
{
        long long lo = p->start_year, hi = p->end_year;
        for (size_t i = 0; i < p->n_reached_years; i++) {
                long long y = strtoll(p->reached_years[i].key, NULL, 10);
                if (y >= PROGRAM_YEAR_MIN && y <= PROGRAM_YEAR_MAX) {
                        if (lo == 0 || y < lo)
                                lo = y;
                        if (y > hi)
                                hi = y;
                }
        }
        if (lo == 0 || hi < lo) {
                *rows = NULL;
                return 0;
        }
        size_t n = (size_t)(hi - lo + 1);
        struct program_target_row *r = arena_alloc(a, n * sizeof(*r));
        for (size_t i = 0; i < n; i++) {
                long long y = lo + (long long)i;
                int phased = 0;
                long long target = 0;
                for (size_t k = 0; k < p->n_tranches; k++)
                        for (size_t j = 0; j < p->tranches[k].n_phases; j++)
                                if (p->tranches[k].phases[j].year == y) {
                                        phased = 1;
                                        target += p->tranches[k].phases[j].target_total;
                                }
                if (!phased && y >= p->start_year && y <= p->end_year)
                        target = p->target_per_year;
                char key[24];
                snprintf(key, sizeof(key), "%lld", y);
                r[i].year = y;
                r[i].target = target;
                r[i].reached = count_of(p->reached_years, p->n_reached_years, key);
        }
        *rows = r;
        return n;
}

size_t
program_region_rows(const struct program *p, struct arena *a, struct program_target_row **rows)
{
        size_t cap = p->n_reached_regions;
        for (size_t k = 0; k < p->n_tranches; k++)
                cap += p->tranches[k].n_regions;
        struct program_target_row *r = arena_alloc(a, (cap ? cap : 1) * sizeof(*r));
        size_t n = 0;
        for (size_t k = 0; k < p->n_tranches; k++)
                for (size_t j = 0; j < p->tranches[k].n_regions; j++) {
                        const struct region_target *rt = &p->tranches[k].regions[j];
                        size_t i = 0;
                        while (i < n && strcmp(r[i].region_code, rt->region_code) != 0)
                                i++;
                        if (i == n)
                                r[n++].region_code = rt->region_code;
                        r[i].target += rt->target;
                }
        for (size_t j = 0; j < p->n_reached_regions; j++) {
                size_t i = 0;
                while (i < n && strcmp(r[i].region_code, p->reached_regions[j].key) != 0)
                        i++;
                if (i == n)
                        r[n++].region_code = p->reached_regions[j].key;
                r[i].reached = p->reached_regions[j].n;
        }
        for (size_t i = 1; i < n; i++)
                for (size_t j = i; j > 0 && strcmp(r[j - 1].region_code, r[j].region_code) > 0;
                     j--) {
                        struct program_target_row x = r[j];
                        r[j] = r[j - 1];
                        r[j - 1] = x;
                }
        *rows = r;
        return n;
}

int
program_percent(long long reached, long long target)
{
        if (target <= 0)
                return -1;
        long long pct = reached * 100 / target;
        return pct > 1000000 ? 1000000 : (int)pct;
}

const char *
program_name(const struct program *p, enum lang lang)
{
        enum lang d = lang_data(lang);
        if (d == LANG_AR)
                return p->name_ar;
        if (d == LANG_EN && p->name_en && p->name_en[0])
                return p->name_en;
        return p->name_fr;
}

const char *
program_pillar_name(const struct program_pillar *pl, enum lang lang)
{
        enum lang d = lang_data(lang);
        if (d == LANG_AR)
                return pl->name_ar;
        if (d == LANG_EN && pl->name_en && pl->name_en[0])
                return pl->name_en;
        return pl->name_fr;
}
