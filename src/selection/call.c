/* call.c: the rules of a call record, its grid and seats, and the screening tally. Pure. */
#include "selection/call.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/i18n.h"
#include "registry/geo.h"
#include "selection/scoring.h"

const char *const call_fields[] = {
    "tranche_id", "code",           "title_ar",  "title_fr",      "title_en",         "opens_on",
    "closes_on",  "reference_date", "min_score", "national_pool", "disagreement_gap", NULL,
};

/* The value to keep: the checked one, else what was sent (so that a form shown again keeps
 * what the person typed), else the old one. */
static const char *
keep(const char *checked, const char *sent, const char *old)
{
        return checked ? checked : sent ? sent : old;
}

int
call_parse_points(const char *s, long long *hundredths)
{
        long long whole = 0, frac = 0;
        int nwhole = 0, nfrac = 0;
        const char *p = s;

        if (s == NULL)
                return -1;
        while (isdigit((unsigned char)*p) && nwhole < 4)
                whole = whole * 10 + (*p++ - '0'), nwhole++;
        if (nwhole == 0)
                return -1;
        /* A comma is how French writes decimals: accept both. */
        if (*p == '.' || *p == ',') {
                p++;
                while (isdigit((unsigned char)*p) && nfrac < 3)
                        frac = frac * 10 + (*p++ - '0'), nfrac++;
                if (nfrac == 0 || nfrac > 2)
                        return -1;
                if (nfrac == 1)
                        frac *= 10;
        }
        if (*p != '\0')
                return -1;
        long long v = whole * 100 + frac;
        if (v > 10000)
                return -1;
        *hundredths = v;
        return 0;
}

const char *
call_format_points(struct arena *a, long long h)
{
        if (h % 100 == 0)
                return arena_printf(a, "%lld", h / 100);
        if (h % 10 == 0)
                return arena_printf(a, "%lld.%lld", h / 100, (h % 100) / 10);
        return arena_printf(a, "%lld.%02lld", h / 100, h % 100);
}

/* Reads points into *out under field; keeps *out when the field was not sent. */
static void
apply_points(struct errs *e, const char *field, const char *sent, long long *out)
{
        if (sent == NULL)
                return;
        const char *t = v_text(e, field, sent, 1, 10, 0);
        if (t == NULL)
                return;
        if (call_parse_points(t, out) != 0)
                errs_add(e, field,
                         "Enter points from 0 to 100, with at most two decimals (for example "
                         "62.5).");
}

static int
code_ok(const char *s)
{
        size_t n = strlen(s);
        if (n < 2 || n > 40)
                return 0;
        for (size_t i = 0; i < n; i++)
                if (!isalnum((unsigned char)s[i]) && s[i] != '_' && s[i] != '-')
                        return 0;
        return 1;
}

static const char *
apply_date(struct errs *e, const char *field, const char *sent, const char *old, struct date *d,
           int *set)
{
        const char *v = sent ? sent : old;
        *set = 0;
        const char *t = v_text(e, field, v, 1, 10, 0);
        if (t == NULL)
                return keep(NULL, sent, old);
        if (v_date(e, field, t, 1, d, set) != 0)
                return keep(NULL, sent, old);
        return t;
}

int
call_apply(struct call *c, struct errs *e, field_get_fn get, void *ctx)
{
        size_t before = e->n;
        const char *v, *t;

        v = get(ctx, "tranche_id");
        if (v || c->tranche_id <= 0) {
                long long id = 0;
                if (v_int(e, "tranche_id", v, 1, 1, 1LL << 62, 0, &id) == 0)
                        c->tranche_id = id;
        }

        v = get(ctx, "code");
        t = v_text(e, "code", v ? v : c->code, 1, 40, 0);
        if (t && !code_ok(t)) {
                errs_add(e, "code",
                         "Use 2 to 40 letters, digits, hyphens or underscores, for example "
                         "MRF-T4-2026.");
                t = NULL;
        }
        if (t) {
                char *up = arena_strdup(e->arena, t);
                for (char *p = up; *p; p++)
                        *p = (char)toupper((unsigned char)*p);
                t = up;
        }
        c->code = keep(t, v, c->code);

        static const struct {
                const char *name;
                size_t off;
        } titles[] = {
            {"title_ar", offsetof(struct call, title_ar)},
            {"title_fr", offsetof(struct call, title_fr)},
            {"title_en", offsetof(struct call, title_en)},
        };
        for (size_t i = 0; i < 3; i++) {
                const char **m = (const char **)((char *)c + titles[i].off);
                v = get(ctx, titles[i].name);
                t = v_text(e, titles[i].name, v ? v : *m, 1, 200, 0);
                *m = keep(t, v, *m);
        }

        struct date opens, closes, ref;
        int has_opens, has_closes, has_ref;
        c->opens_on =
            apply_date(e, "opens_on", get(ctx, "opens_on"), c->opens_on, &opens, &has_opens);
        c->closes_on =
            apply_date(e, "closes_on", get(ctx, "closes_on"), c->closes_on, &closes, &has_closes);
        c->reference_date = apply_date(e, "reference_date", get(ctx, "reference_date"),
                                       c->reference_date, &ref, &has_ref);
        if (has_opens && has_closes && date_cmp(closes, opens) < 0)
                errs_add(e, "closes_on", "The closing date is before the opening date.");

        apply_points(e, "min_score", get(ctx, "min_score"), &c->min_score);
        apply_points(e, "disagreement_gap", get(ctx, "disagreement_gap"), &c->disagreement_gap);

        v = get(ctx, "national_pool");
        if (v) {
                int b = 0;
                if (v_bool(e, "national_pool", v, &b) == 0)
                        c->national_pool = b;
        }
        return e->n == before ? 0 : -1;
}

enum call_phase
call_phase_on(const struct call *c, struct date today)
{
        struct date o, cl;
        if (date_parse(c->opens_on, &o) == 0 && date_cmp(today, o) < 0)
                return CALL_UPCOMING;
        if (date_parse(c->closes_on, &cl) == 0 && date_cmp(today, cl) > 0)
                return CALL_CLOSED;
        return CALL_OPEN;
}

const char *
call_phase_code(enum call_phase p)
{
        return p == CALL_UPCOMING ? "upcoming" : p == CALL_OPEN ? "open" : "closed";
}

const char *
call_phase_label(enum call_phase p)
{
        return p == CALL_UPCOMING ? N_("Not yet open") : p == CALL_OPEN ? N_("Open") : N_("Closed");
}

int
call_seats_check(const struct call_seat *seats, size_t n, const struct geo *g, struct errs *e)
{
        size_t before = e->n;
        for (size_t i = 0; i < n; i++) {
                const struct geo_region *r =
                    seats[i].region ? geo_region(g, seats[i].region) : NULL;
                if (r == NULL) {
                        errs_add(e, "seats", "This region code does not exist.");
                        continue;
                }
                const char *field = arena_printf(e->arena, "seats.%s", r->code);
                for (size_t j = 0; j < i; j++)
                        if (seats[j].region && strcmp(seats[j].region, r->code) == 0)
                                errs_add(e, field, "This region appears twice.");
                if (seats[i].seats < 0 || seats[i].seats > 100000)
                        errs_add(e, field, "Enter a number between %lld and %lld.", 0LL, 100000LL);
        }
        return e->n == before ? 0 : -1;
}

int
call_grid(const struct call *c, struct arena *a, struct scoring_grid *g)
{
        if (c->ncriteria == 0)
                return -1;
        struct scoring_criterion *k = arena_alloc(a, c->ncriteria * sizeof(*k));
        for (size_t i = 0; i < c->ncriteria; i++) {
                k[i].key = c->criteria[i].key;
                k[i].weight = c->criteria[i].weight;
                k[i].max = c->criteria[i].max;
        }
        g->criteria = k;
        g->n = c->ncriteria;
        return 0;
}

int
call_criteria_check(const struct call_criterion *crit, size_t n, struct errs *e)
{
        size_t before = e->n;
        struct call tmp = {.criteria = (struct call_criterion *)crit, .ncriteria = n};
        struct scoring_grid g;

        if (n == 0) {
                errs_add(e, "criteria", "Give the grid at least one criterion.");
                return -1;
        }
        for (size_t i = 0; i < n; i++) {
                const char *labels[] = {crit[i].label_ar, crit[i].label_fr, crit[i].label_en};
                const char *names[] = {"label_ar", "label_fr", "label_en"};
                for (size_t k = 0; k < 3; k++)
                        v_text(e, arena_printf(e->arena, "criteria[%zu].%s", i, names[k]),
                               labels[k], 1, 200, 0);
        }
        call_grid(&tmp, e->arena, &g);
        size_t bad = 0;
        enum scoring_error se = scoring_grid_check(&g, &bad);
        if (se != SCORING_OK) {
                const char *field = "criteria";
                if (se == SCORING_BAD_KEY || se == SCORING_DUPLICATE_KEY)
                        field = arena_printf(e->arena, "criteria[%zu].key", bad);
                else if (se == SCORING_BAD_WEIGHT)
                        field = arena_printf(e->arena, "criteria[%zu].weight", bad);
                else if (se == SCORING_BAD_MAX || se == SCORING_MAXIMA_TOO_VARIED)
                        field = arena_printf(e->arena, "criteria[%zu].max", bad);
                errs_add(e, field, scoring_error_message(se));
        }
        return e->n == before ? 0 : -1;
}

int
call_criteria_same_scoring(const struct call_criterion *a, size_t na,
                           const struct call_criterion *b, size_t nb)
{
        if (na != nb)
                return 0;
        for (size_t i = 0; i < na; i++)
                if (strcmp(a[i].key, b[i].key) != 0 || a[i].weight != b[i].weight ||
                    a[i].max != b[i].max)
                        return 0;
        return 1;
}

static const struct call_criterion default_criteria[] = {
    {"economic_viability", NULL, NULL, N_("Economic viability"), 25, 10},
    {"social_responsibility", NULL, NULL, N_("Social responsibility"), 20, 10},
    {"innovation", NULL, NULL, N_("Innovation"), 15, 10},
    {"territorial_approach", NULL, NULL, N_("Territorial approach"), 15, 10},
    {"gender_equality", NULL, NULL, N_("Gender equality"), 15, 10},
    {"national_alignment", NULL, NULL, N_("Alignment with national and environmental initiatives"),
     10, 10},
};

const struct call_criterion *
call_default_criteria(size_t *n)
{
        *n = sizeof(default_criteria) / sizeof(default_criteria[0]);
        return default_criteria;
}

int
call_rules_check(const struct elig_rule *rules, size_t n, const struct geo *g, struct errs *e)
{
        size_t before = e->n;
        for (size_t i = 0; i < n; i++) {
                for (size_t j = 0; j < i; j++)
                        if (rules[j].kind == rules[i].kind) {
                                errs_add(e, arena_printf(e->arena, "rules[%zu].kind", i),
                                         "This kind of rule appears twice: give each kind once.");
                                break;
                        }
                if (rules[i].kind != ELIG_REGIONS && rules[i].kind != ELIG_PROVINCES)
                        continue;
                for (size_t k = 0; k < rules[i].ncodes; k++) {
                        const char *code = rules[i].codes[k];
                        int known = rules[i].kind == ELIG_REGIONS ? geo_region(g, code) != NULL
                                                                  : geo_province(g, code) != NULL;
                        if (!known)
                                errs_add(e, arena_printf(e->arena, "rules[%zu].codes[%zu]", i, k),
                                         rules[i].kind == ELIG_REGIONS
                                             ? "This region code does not exist."
                                             : "This province code does not exist.");
                }
        }
        return e->n == before ? 0 : -1;
}

/* ---- screening tally ---- */

void
screen_init(struct screen_tally *t, size_t nrules)
{
        memset(t, 0, sizeof(*t));
        t->nrules = nrules > ELIG_MAX_RULES ? ELIG_MAX_RULES : nrules;
}

static struct screen_region *
tally_region(struct screen_tally *t, const char *code)
{
        for (size_t i = 0; i < t->nregions; i++)
                if (strcmp(t->regions[i].code, code) == 0)
                        return &t->regions[i];
        if (t->nregions == SCREEN_MAX_REGIONS || strlen(code) >= sizeof(t->regions[0].code))
                return NULL;
        struct screen_region *r = &t->regions[t->nregions++];
        memcpy(r->code, code, strlen(code) + 1);
        return r;
}

void
screen_add(struct screen_tally *t, const char *region, uint64_t failed)
{
        t->total++;
        if (failed == 0)
                t->eligible++;
        for (size_t i = 0; i < t->nrules; i++) {
                uint64_t bit = (uint64_t)1 << i;
                if (!(failed & bit))
                        t->pass[i]++;
                else if (failed == bit)
                        t->only_fail[i]++;
        }
        struct screen_region *r = tally_region(t, region ? region : "");
        if (r) {
                if (failed == 0)
                        r->eligible++;
                else
                        r->ineligible++;
        }
}

static int
cmp_region(const void *a, const void *b)
{
        return strcmp(((const struct screen_region *)a)->code,
                      ((const struct screen_region *)b)->code);
}

void
screen_sort_regions(struct screen_tally *t)
{
        qsort(t->regions, t->nregions, sizeof(t->regions[0]), cmp_region);
}
