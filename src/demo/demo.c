/* demo.c: generates deterministic demonstration data shaped like the national register. */
#include "demo.h"
#include "demo_programs.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/audit.h"
#include "core/dates.h"
#include "core/db.h"
#include "core/log.h"
#include "core/text.h"
#include "registry/geo.h"
#include "registry/org.h"
#include "registry/person_store.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

#define COOPS_SMALL    2000
#define COOPS_NATIONAL 65000
#define FIRST_YEAR     1995
#define LAST_YEAR      2026 /* legal dates end the day before DEMO_REFERENCE_DATE */

/* ---- Random numbers: xoshiro256** seeded by splitmix64 (integers only, so the output is the
 * same on every platform; rand() is neither portable nor good). ------------------------------ */

struct rng {
        uint64_t s[4];
};

uint64_t
demo_splitmix64(uint64_t *x)
{
        uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
}

static void
rng_seed(struct rng *r, uint64_t seed)
{
        for (int i = 0; i < 4; i++)
                r->s[i] = demo_splitmix64(&seed);
}

static uint64_t
rotl(uint64_t x, int k)
{
        return (x << k) | (x >> (64 - k));
}

static uint64_t
rng_next(struct rng *r)
{
        uint64_t *s = r->s;
        uint64_t result = rotl(s[1] * 5, 7) * 9;
        uint64_t t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = rotl(s[3], 45);
        return result;
}

/* Uniform in [0, n), n > 0 (multiply-shift: the bias is below 2^-32 and irrelevant here). */
static uint32_t
rng_below(struct rng *r, uint32_t n)
{
        return (uint32_t)(((rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

/* 1 with probability p/1000. */
static int
rng_permille(struct rng *r, unsigned p)
{
        return rng_below(r, 1000) < p;
}

/* Uniform in [lo, hi]. */
static long
rng_range(struct rng *r, long lo, long hi)
{
        return lo + (long)rng_below(r, (uint32_t)(hi - lo + 1));
}

/* An index drawn with the given weights. */
static size_t
rng_weighted(struct rng *r, const unsigned *w, size_t n)
{
        unsigned total = 0;
        for (size_t i = 0; i < n; i++)
                total += w[i];
        unsigned x = rng_below(r, total);
        for (size_t i = 0; i < n; i++) {
                if (x < w[i])
                        return i;
                x -= w[i];
        }
        return n - 1;
}

/* ---- The shape of the register ------------------------------------------------------------ */

/* Sector shares are per 10,000: agriculture 63.67% (ODCO, end June 2020), handicraft 16% and
 * housing 5% as in the published percentage breakdowns; the small sectors are estimates (no
 * recent national figures exist). women_mixed is the share of women, per thousand, among the
 * members of cooperatives that are not women-only, tuned so that women are about 34.5% of all
 * members (ODCO, end Nov 2025). */
static const struct sector {
        const char *code;
        unsigned share;
        unsigned women_mixed;
        int soulalyate; /* soulalyate cooperatives occur in this sector */
} sectors[] = {
    {"agriculture", 6400, 250, 1},  {"handicraft", 1600, 420, 1},    {"housing", 500, 200, 0},
    {"argan", 300, 550, 1},         {"fishing", 200, 60, 0},         {"forestry", 100, 150, 1},
    {"food_products", 200, 450, 1}, {"trade_services", 300, 300, 0}, {"transport", 100, 50, 0},
    {"other", 300, 300, 1},
};

/* Region shares in percent: the undated ODCO shares (coop_stats.md section 3), with
 * Laâyoune-Sakia El Hamra brought down from a doubtful 12% to 5% and the rest spread on the
 * populous regions. */
static const struct {
        const char *code;
        unsigned weight;
} region_weights[] = {
    {"01", 8},  {"02", 8}, {"03", 11}, {"04", 8}, {"05", 8}, {"06", 10},
    {"07", 12}, {"08", 8}, {"09", 15}, {"10", 5}, {"11", 5}, {"12", 2},
};

/* Argan cooperatives: the arganeraie of Souss-Massa, Essaouira, Chichaoua and Sidi Ifni. */
static const struct {
        const char *code;
        unsigned weight;
} argan_provinces[] = {
    {"09.541", 25}, {"09.163", 15}, {"09.581", 12}, {"09.001", 10}, {"09.273", 5},
    {"07.211", 18}, {"07.161", 5},  {"10.473", 7},  {"10.261", 3},
};

/* Fishing cooperatives: coastal provinces (uniform). */
static const char *const coastal_provinces[] = {
    "01.511", "01.573", "01.571", "01.227", "01.331", "01.051", "01.151", "02.381",
    "02.167", "02.113", "04.421", "04.441", "04.501", "04.281", "06.141", "06.371",
    "06.181", "06.111", "06.467", "07.211", "07.431", "09.001", "09.163", "09.581",
    "10.521", "10.473", "11.321", "11.121", "11.537", "12.391",
};

/* Cooperatives created per year, in hundreds (the register grew from about 15,000 in 2015 to
 * 65,000 in 2025, about 5,000 a year lately; LAST_YEAR is partial). */
static const unsigned year_weights[LAST_YEAR - FIRST_YEAR + 1] = {
    3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  /* 1995-2004 */
    6,  6,  6,  6,  6,  6,                  /* 2005-2010 */
    12, 12, 12, 12,                         /* 2011-2014 */
    20, 22, 25, 40, 50, 65, 60, 62, 50, 50, /* 2015-2024 */
    50, 40,                                 /* 2025-2026 */
};

/* Identity card letters by region (CIN prefixes of the region's cities). */
static const char *const cin_prefixes[12][6] = {
    {"K", "KB", "L", "LA", "R", NULL},
    {"F", "FA", "FB", "S", NULL},
    {"C", "CD", "D", "Z", NULL},
    {"A", "AB", "AE", "G", "X", NULL},
    {"I", "IA", "Q", NULL},
    {"B", "BE", "BH", "BK", "M", "W"},
    {"E", "EE", "H", "HA", NULL},
    {"U", "UC", "ZG", NULL},
    {"J", "JA", "JB", "JE", NULL},
    {"JC", "JF", NULL},
    {"SH", "SJ", NULL},
    {"VA", NULL},
};

static const char *const email_domains[] = {"gmail.com", "gmail.com", "yahoo.fr", "hotmail.com",
                                            "outlook.fr"};

/* ---- Generator state ------------------------------------------------------------------------ */

/* The geography resolved once: provinces per region, and weights for argan and fishing. */
struct place {
        const struct geo_province *province;
        const struct geo_commune *communes;
        size_t n_communes;
};

struct gen {
        struct db *db;
        const struct geo *g;
        struct rng rng;
        struct arena *a;
        struct place *places; /* one per province, in g->provinces order */
        const struct place *by_region[12];
        size_t n_by_region[12];
        unsigned region_w[12];
        const struct place *argan[COUNT(argan_provinces)];
        unsigned argan_w[COUNT(argan_provinces)];
        size_t n_argan;
        const struct place *coastal[COUNT(coastal_provinces)];
        size_t n_coastal;
        size_t act_first[COUNT(sectors)], act_count[COUNT(sectors)];
        unsigned *act_w; /* weights of demo_activities */
        unsigned reg_seq[LAST_YEAR - FIRST_YEAR + 1][12];
        unsigned long person_no;
        uint32_t cin_offset;
        long ref_days, youth_cut_days, born_min_days, born_max_days;
};

/* One member before insertion. */
struct member {
        const char *name_ar, *name_fr, *sex, *birth, *phone, *cin;
        int young;
};

static const struct place *
place_of(const struct gen *s, const char *province_code)
{
        for (size_t i = 0; i < s->g->n_provinces; i++)
                if (strcmp(s->places[i].province->code, province_code) == 0)
                        return &s->places[i];
        return NULL;
}

static int
region_index(const char *code)
{
        int n = (code[0] - '0') * 10 + (code[1] - '0');
        return n >= 1 && n <= 12 ? n - 1 : -1;
}

/* Resolves the tables above against the geography. Returns 0, or -1 when it is not loaded. */
static int
gen_init(struct gen *s)
{
        const struct geo *g = s->g;
        if (g == NULL || g->n_provinces == 0) {
                log_error("demo: the geography is not loaded (run init first)");
                return -1;
        }
        s->places = xcalloc(g->n_provinces, sizeof(*s->places));
        for (size_t i = 0; i < g->n_provinces; i++) {
                struct place *p = &s->places[i];
                p->province = &g->provinces[i];
                p->communes = geo_communes_of(g, p->province->code, &p->n_communes);
        }
        for (size_t r = 0; r < COUNT(region_weights); r++) {
                int ri = region_index(region_weights[r].code);
                const struct geo_province *first;
                size_t n;
                first = geo_provinces_of(g, region_weights[r].code, &n);
                if (ri < 0 || first == NULL)
                        continue;
                /* g->provinces is grouped by region, so the places are too. */
                s->by_region[ri] = &s->places[first - g->provinces];
                s->n_by_region[ri] = n;
                s->region_w[ri] = region_weights[r].weight;
        }
        for (size_t i = 0; i < 12; i++)
                if (s->n_by_region[i] == 0) {
                        log_error("demo: region %02zu has no provinces", i + 1);
                        return -1;
                }
        for (size_t i = 0; i < COUNT(argan_provinces); i++) {
                const struct place *p = place_of(s, argan_provinces[i].code);
                if (p) {
                        s->argan[s->n_argan] = p;
                        s->argan_w[s->n_argan++] = argan_provinces[i].weight;
                }
        }
        for (size_t i = 0; i < COUNT(coastal_provinces); i++) {
                const struct place *p = place_of(s, coastal_provinces[i]);
                if (p)
                        s->coastal[s->n_coastal++] = p;
        }
        s->act_w = xcalloc(demo_n_activities, sizeof(*s->act_w));
        for (size_t i = 0; i < demo_n_activities; i++)
                s->act_w[i] = demo_activities[i].weight;
        for (size_t k = 0; k < COUNT(sectors); k++) {
                size_t i = 0;
                while (i < demo_n_activities && strcmp(demo_activities[i].sector, sectors[k].code))
                        i++;
                s->act_first[k] = i;
                while (i < demo_n_activities &&
                       strcmp(demo_activities[i].sector, sectors[k].code) == 0)
                        i++;
                s->act_count[k] = i - s->act_first[k];
                if (s->act_count[k] == 0) {
                        log_error("demo: no activity for sector %s", sectors[k].code);
                        return -1;
                }
        }
        struct date ref;
        if (date_parse(DEMO_REFERENCE_DATE, &ref) != 0)
                return -1;
        s->ref_days = date_to_days(ref);
        s->youth_cut_days = date_to_days(date_add_years(ref, -DEMO_YOUTH_AGE));
        s->born_min_days = date_to_days((struct date){1950, 1, 1});
        s->born_max_days = date_to_days((struct date){2006, 12, 31});
        s->cin_offset = rng_below(&s->rng, 1000000);
        return 0;
}

static void
gen_free(struct gen *s)
{
        free(s->places);
        free(s->act_w);
        arena_free(s->a);
}

static char *
iso_date(struct arena *a, long days)
{
        char buf[11];
        date_format_iso(date_from_days(days), buf);
        return arena_strdup(a, buf);
}

static char *
mobile(struct gen *s)
{
        return arena_printf(s->a, "0%u %02u %02u %02u %02u", 6 + rng_below(&s->rng, 2),
                            rng_below(&s->rng, 100), rng_below(&s->rng, 100),
                            rng_below(&s->rng, 100), rng_below(&s->rng, 100));
}

static const char *
fold2(struct arena *a, const char *ar, const char *fr)
{
        const char *f = text_fold(a, arena_printf(a, "%s %s", ar, fr));
        return f ? f : "";
}

/* "alamal" from "Al Amal": lower-case ASCII letters and digits only. */
static char *
slug(struct arena *a, const char *s)
{
        size_t n = strlen(s);
        char *out = arena_alloc(a, n + 1);
        size_t k = 0;
        for (size_t i = 0; i < n; i++) {
                char c = s[i];
                if (c >= 'A' && c <= 'Z')
                        out[k++] = (char)(c - 'A' + 'a');
                else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
                        out[k++] = c;
        }
        out[k] = '\0';
        return k ? out : arena_strdup(a, "coop");
}

static void
make_member(struct gen *s, struct member *m, int female, const char *region_code)
{
        struct rng *r = &s->rng;
        const struct demo_pair *first =
            female ? &demo_first_women[rng_below(r, (uint32_t)demo_n_first_women)]
                   : &demo_first_men[rng_below(r, (uint32_t)demo_n_first_men)];
        const struct demo_pair *family = &demo_family[rng_below(r, (uint32_t)demo_n_family)];
        m->name_ar = arena_printf(s->a, "%s %s", first->ar, family->ar);
        m->name_fr = arena_printf(s->a, "%s %s", first->fr, family->fr);
        m->sex = female ? "F" : "M";
        long born;
        /* About 2.3% of members are young (ODCO, end Nov 2025: 18,036 of 788,969). */
        m->young = rng_permille(r, 23);
        if (m->young) {
                born = rng_range(r, s->youth_cut_days + 1, s->born_max_days);
        } else {
                /* Triangular between 1950 and the youth limit: most members are 40 to 60. */
                long span = s->youth_cut_days - s->born_min_days;
                born = s->born_min_days + rng_range(r, 0, span / 2) + rng_range(r, 0, span / 2);
        }
        m->birth = iso_date(s->a, born);
        m->phone = rng_permille(r, 800) ? mobile(s) : "";
        m->cin = "";
        if (rng_permille(r, 700)) {
                int ri = region_index(region_code);
                const char *const *pre = cin_prefixes[ri < 0 ? 0 : ri];
                size_t np = 0;
                while (np < 6 && pre[np])
                        np++;
                /* A bijection of the person number onto six digits keeps numbers unique up to a
                 * million people. */
                uint32_t digits = (uint32_t)((s->person_no * 387403ULL + s->cin_offset) % 1000000);
                m->cin = arena_printf(s->a, "%s%06u", pre[rng_below(r, (uint32_t)np)], digits);
        }
        s->person_no++;
}

/* Members per cooperative: at least 5 (law 112-12), mostly under a dozen, a few hundreds;
 * about 12 on average as in the register (788,969 members for 65,315 cooperatives). */
static long
members_total(struct gen *s, const char *sector)
{
        struct rng *r = &s->rng;
        if (strcmp(sector, "housing") == 0)
                return rng_range(r, 10, 74);
        unsigned x = rng_below(r, 1000);
        if (x < 880)
                return rng_range(r, 5, 11);
        if (x < 980)
                return rng_range(r, 12, 29);
        if (x < 998)
                return rng_range(r, 31, 80);
        return rng_range(r, 91, 300);
}

static const char *
status_for(struct gen *s, int year)
{
        int age = LAST_YEAR - year;
        unsigned dormant = age < 2 ? 50 : age < 8 ? 150 : 200;
        unsigned dissolved = age < 2 ? 5 : age < 8 ? 20 : 55;
        unsigned x = rng_below(&s->rng, 1000);
        if (x < dissolved)
                return "dissolved";
        if (x < dissolved + dormant)
                return "dormant";
        return "active";
}

static int
insert_orgs(struct gen *s)
{
        for (size_t i = 0; i < demo_n_orgs; i++) {
                const struct demo_org *o = &demo_orgs[i];
                sqlite3_stmt *st = db_stmt(
                    s->db, "INSERT INTO organisation (name_ar, name_fr, name_fold, acronym, kind,"
                           " region_code, website, version, created_at, updated_at)"
                           " VALUES (:ar, :fr, :fold, :acronym, :kind, :region, :website, 1,"
                           " :ts, :ts)");
                if (st == NULL || db_bind_text(st, ":ar", o->ar) ||
                    db_bind_text(st, ":fr", o->fr) ||
                    db_bind_text(st, ":fold", org_fold(s->a, o->ar, o->fr, o->acronym)) ||
                    db_bind_text(st, ":acronym", o->acronym) ||
                    db_bind_text(st, ":kind", o->kind) ||
                    db_bind_text(st, ":region", o->region_code) ||
                    db_bind_text(st, ":website", o->website) ||
                    db_bind_text(st, ":ts", DEMO_TIMESTAMP) || sqlite3_step(st) != SQLITE_DONE)
                        return -1;
        }
        arena_reset(s->a);
        return 0;
}

/* Generates and inserts one cooperative with its members. Returns the number of members, or -1. */
static long
insert_coop(struct gen *s)
{
        struct rng *r = &s->rng;
        struct arena *a = s->a;
        size_t k = COUNT(sectors);
        unsigned sw[COUNT(sectors)];
        for (size_t i = 0; i < k; i++)
                sw[i] = sectors[i].share;
        const struct sector *sec = &sectors[rng_weighted(r, sw, k)];
        size_t si = (size_t)(sec - sectors);
        const struct demo_activity *act =
            &demo_activities[s->act_first[si] +
                             rng_weighted(r, s->act_w + s->act_first[si], s->act_count[si])];

        /* Where. */
        const struct place *pl;
        if (strcmp(sec->code, "argan") == 0 && s->n_argan)
                pl = s->argan[rng_weighted(r, s->argan_w, s->n_argan)];
        else if (strcmp(sec->code, "fishing") == 0 && s->n_coastal && rng_permille(r, 850))
                pl = s->coastal[rng_below(r, (uint32_t)s->n_coastal)];
        else {
                size_t ri = rng_weighted(r, s->region_w, 12);
                pl = &s->by_region[ri][rng_below(r, (uint32_t)s->n_by_region[ri])];
        }
        const struct geo_province *prov = pl->province;
        const struct geo_commune *com =
            pl->n_communes ? &pl->communes[rng_below(r, (uint32_t)pl->n_communes)] : NULL;
        int rural = com && strcmp(com->kind, "rural") == 0;

        /* When. */
        int year = FIRST_YEAR + (int)rng_weighted(r, year_weights, COUNT(year_weights));
        long y0 = date_to_days((struct date){year, 1, 1});
        long y1 = year == LAST_YEAR ? s->ref_days - 1 : date_to_days((struct date){year, 12, 31});
        long legal = rng_range(r, y0, y1);
        const char *start = NULL;
        if (rng_permille(r, 850)) {
                long d = legal + rng_range(r, 0, 548);
                if (d < s->ref_days)
                        start = iso_date(a, d);
        }

        /* Who. */
        int soulalyate = sec->soulalyate && rural && rng_permille(r, 45);
        int women_only = rng_permille(r, soulalyate ? 400 : act->women_permille);
        unsigned women_share = soulalyate ? 600 : sec->women_mixed;
        long total = members_total(s, sec->code);
        struct member *mem = arena_alloc(a, (size_t)total * sizeof(*mem));
        long women = 0, young = 0;
        for (long j = 0; j < total; j++) {
                int female = women_only || rng_permille(r, women_share);
                /* A mixed cooperative has at least one man. */
                if (!women_only && j == total - 1 && women == total - 1)
                        female = 0;
                make_member(s, &mem[j], female, prov->region_code);
                women += female;
                young += mem[j].young;
        }

        /* The name. */
        const char *word_ar, *word_fr;
        if (com && rng_permille(r, 200)) {
                word_ar = com->name[LANG_AR];
                word_fr = com->name[LANG_FR];
        } else {
                const struct demo_pair *w =
                    &demo_coop_words[rng_below(r, (uint32_t)demo_n_coop_words)];
                word_ar = w->ar;
                word_fr = w->fr;
        }
        const char *lead_ar = "تعاونية";
        if (soulalyate)
                lead_ar = "تعاونية السلاليات";
        else if (women_only)
                lead_ar = rng_permille(r, 500) ? "تعاونية نساء" : "التعاونية النسوية";
        char *name_ar = arena_printf(a, "%s %s %s", lead_ar, word_ar, act->ar);
        char *name_fr = arena_printf(a, "Coopérative%s%s%s%s %s%s%s", *act->fr_pre ? " " : "",
                                     act->fr_pre, women_only && !soulalyate ? " féminine" : "",
                                     soulalyate ? " des Soulalyates" : "", word_fr,
                                     *act->fr_post ? " " : "", act->fr_post);

        /* Register number: year/sequence-region, the sequence rising per year and region. */
        int ri = region_index(prov->region_code);
        unsigned *seq = &s->reg_seq[year - FIRST_YEAR][ri < 0 ? 0 : ri];
        *seq += *seq == 0 ? 1 + rng_below(r, 40) : 1 + rng_below(r, 3);
        char *reg = arena_printf(a, "%d/%u-%s", year, *seq, prov->region_code);

        /* Contact. */
        const char *address = "";
        unsigned x = rng_below(r, 1000);
        if (com && rural) {
                const struct demo_pair *d = &demo_douars[rng_below(r, (uint32_t)demo_n_douars)];
                if (x < 600)
                        address =
                            arena_printf(a, "Douar %s, commune %s", d->fr, com->name[LANG_FR]);
                else if (x < 900)
                        address = arena_printf(a, "دوار %s، جماعة %s", d->ar, com->name[LANG_AR]);
        } else if (com) {
                const struct demo_pair *q = &demo_quarters[rng_below(r, (uint32_t)demo_n_quarters)];
                const struct demo_pair *st = &demo_streets[rng_below(r, (uint32_t)demo_n_streets)];
                unsigned no = 1 + rng_below(r, 250);
                if (x < 600)
                        address = arena_printf(a, "N° %u, %s, %s, %s", no, st->fr, q->fr,
                                               com->name[LANG_FR]);
                else if (x < 900)
                        address = arena_printf(a, "رقم %u، %s، %s، %s", no, st->ar, q->ar,
                                               com->name[LANG_AR]);
        }
        const char *phone = "";
        x = rng_below(r, 1000);
        if (x < 700)
                phone = mobile(s);
        else if (x < 800)
                phone = arena_printf(a, "05 %02u %02u %02u %02u", 20 + rng_below(r, 40),
                                     rng_below(r, 100), rng_below(r, 100), rng_below(r, 100));
        const char *email = "";
        if (rng_permille(r, 250))
                email = arena_printf(a, "coop.%s%u@%s", slug(a, word_fr), 1 + rng_below(r, 999),
                                     email_domains[rng_below(r, COUNT(email_domains))]);
        const char *notes =
            rng_permille(r, 40) ? demo_notes[rng_below(r, (uint32_t)demo_n_notes)] : "";
        const char *status = status_for(s, year);

        sqlite3_stmt *st = db_stmt(
            s->db,
            "INSERT INTO cooperative (register_number, name_ar, name_fr, name_fold, legal_date,"
            " activity_start_date, sector, activity, region_code, province_code, commune_code,"
            " address, phone, email, members_total, members_women, members_youth, is_soulalyate,"
            " is_women_only, status, notes, version, created_at, updated_at)"
            " VALUES (:reg, :ar, :fr, :fold, :legal, :start, :sector, :activity, :region,"
            " :province, :commune, :address, :phone, :email, :total, :women, :youth, :soul,"
            " :wonly, :status, :notes, 1, :ts, :ts)");
        if (st == NULL || db_bind_text(st, ":reg", reg) || db_bind_text(st, ":ar", name_ar) ||
            db_bind_text(st, ":fr", name_fr) ||
            db_bind_text(st, ":fold", fold2(a, name_ar, name_fr)) ||
            db_bind_text(st, ":legal", iso_date(a, legal)) || db_bind_text(st, ":start", start) ||
            db_bind_text(st, ":sector", sec->code) ||
            db_bind_text(st, ":activity", act->activity) ||
            db_bind_text(st, ":region", prov->region_code) ||
            db_bind_text(st, ":province", prov->code) ||
            db_bind_text(st, ":commune", com ? com->code : NULL) ||
            db_bind_text(st, ":address", address) || db_bind_text(st, ":phone", phone) ||
            db_bind_text(st, ":email", email) || db_bind_int(st, ":total", total) ||
            db_bind_int(st, ":women", women) || db_bind_int(st, ":youth", young) ||
            db_bind_int(st, ":soul", soulalyate) || db_bind_int(st, ":wonly", women_only) ||
            db_bind_text(st, ":status", status) || db_bind_text(st, ":notes", notes) ||
            db_bind_text(st, ":ts", DEMO_TIMESTAMP) || sqlite3_step(st) != SQLITE_DONE)
                return -1;
        long long coop_id = sqlite3_last_insert_rowid(s->db->h);

        long long first_person = 0, last_person = 0;
        for (long j = 0; j < total; j++) {
                const struct member *m = &mem[j];
                /* Encrypted like every national ID number (registry/person_store.h). */
                struct person_nid nid;
                if (person_nid_seal(m->cin, &nid) != 0)
                        return -1;
                st = db_stmt(s->db,
                             "INSERT INTO person (name_ar, name_fr, name_fold, sex, birth_date,"
                             " phone, national_id_box, national_id_hash, region_code,"
                             " province_code, version, created_at, updated_at)"
                             " VALUES (:ar, :fr, :fold, :sex, :birth, :phone, :nid_box,"
                             " :nid_hash, :region, :province, 1, :ts, :ts)");
                if (st == NULL || db_bind_text(st, ":ar", m->name_ar) ||
                    db_bind_text(st, ":fr", m->name_fr) ||
                    db_bind_text(st, ":fold", fold2(a, m->name_ar, m->name_fr)) ||
                    db_bind_text(st, ":sex", m->sex) || db_bind_text(st, ":birth", m->birth) ||
                    db_bind_text(st, ":phone", m->phone) ||
                    db_bind_blob(st, ":nid_box", nid.has ? nid.box : NULL, nid.box_len) ||
                    db_bind_blob(st, ":nid_hash", nid.has ? nid.hash : NULL, sizeof(nid.hash)) ||
                    db_bind_text(st, ":region", prov->region_code) ||
                    db_bind_text(st, ":province", prov->code) ||
                    db_bind_text(st, ":ts", DEMO_TIMESTAMP) || sqlite3_step(st) != SQLITE_DONE)
                        return -1;
                last_person = sqlite3_last_insert_rowid(s->db->h);
                if (j == 0)
                        first_person = last_person;
        }
        /* The members, in the order they were made: the first three hold the offices. One
         * statement for the cooperative rather than one per member (the national set has
         * 787,570): a statement's fixed cost (its journal, the role check's IN list) was most
         * of an insert's. */
        st = db_stmt(s->db, "INSERT INTO membership (person_id, cooperative_id, role)"
                            " SELECT id, :coop, CASE id - :first WHEN 0 THEN 'president'"
                            " WHEN 1 THEN 'treasurer' WHEN 2 THEN 'secretary' ELSE 'member' END"
                            " FROM person WHERE id BETWEEN :first AND :last ORDER BY id");
        if (st == NULL || db_bind_int(st, ":coop", coop_id) ||
            db_bind_int(st, ":first", first_person) || db_bind_int(st, ":last", last_person) ||
            sqlite3_step(st) != SQLITE_DONE || sqlite3_changes(s->db->h) != total)
                return -1;
        return total;
}

static int
audit_eventf_demo(struct db *db, long coops, unsigned long people, unsigned long seed)
{
        char c[24], p[24], r[24];
        snprintf(c, sizeof(c), "%ld", coops);
        snprintf(p, sizeof(p), "%lu", people);
        snprintf(r, sizeof(r), "%lu", seed);
        return audit_event_pairs(db, "demo_generated", "", 0, "cooperatives", c, "members", p,
                                 "seed", r, NULL);
}

int
demo_generate(struct db *db, const struct geo *g, int national, unsigned long seed, FILE *progress)
{
        struct gen *s = xcalloc(1, sizeof(*s));
        int began = 0;
        int rc = -1;
        s->db = db;
        s->g = g;
        s->a = arena_new();
        rng_seed(&s->rng, (uint64_t)seed);
        if (gen_init(s) != 0)
                goto fail;

        long n = national ? COOPS_NATIONAL : COOPS_SMALL;
        unsigned long people = 0;
        /* One transaction writes the whole file (about 350 MB): with SQLite's 2 MB page cache
         * the indexes' pages were spilled to the WAL and read back all along (a third of the
         * time, in the kernel). 256 MB holds the indexes; the default comes back after. */
        db_exec(db, "PRAGMA cache_size=-262144");
        if (db_begin(db) != 0)
                goto fail;
        began = 1;
        /* The generated registry is one event in the audit trail, not 800,000 entries; the
         * programs and the call after it are recorded as any write. Suspended, not only
         * off: an idle trigger still ran per row. */
        if (audit_suspend(db) != 0)
                goto fail_sql;
        if (insert_orgs(s) != 0)
                goto fail_sql;
        int shown = 0;
        for (long i = 0; i < n; i++) {
                long m = insert_coop(s);
                if (m < 0)
                        goto fail_sql;
                people += (unsigned long)m;
                arena_reset(s->a);
                if (progress && (int)((i + 1) * 10 / n) > shown) {
                        shown = (int)((i + 1) * 10 / n);
                        fprintf(progress, "demo: %3d%%  %ld cooperatives, %lu members\n",
                                shown * 10, i + 1, people);
                        fflush(progress);
                }
        }
        if (audit_resume(db) != 0)
                goto fail_sql;
        if (audit_eventf_demo(db, n, people, seed) != 0 || demo_programs(db, seed) != 0)
                goto fail;
        if (db_commit(db) != 0)
                goto fail;
        rc = 0;
        goto done;
fail_sql:
        log_error("demo: insert failed: %s", sqlite3_errmsg(db->h));
fail:
        if (began)
                db_rollback(db);
done:
        db_exec(db, "PRAGMA cache_size=-2000"); /* SQLite's default, which db_open keeps */
        gen_free(s);
        free(s);
        return rc;
}
