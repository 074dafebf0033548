/* demo.h: deterministic, realistic demonstration data (cooperatives, members, organisations). */
#ifndef MURAFIQ_DEMO_H
#define MURAFIQ_DEMO_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct db;
struct geo;

/*
 * Fills an initialised database (geography loaded, registry empty) with demonstration data,
 * in one transaction: about 40 real organisations; cooperatives with their members as people
 * and memberships (one president, treasurer and secretary each). Scale: about 2,000
 * cooperatives, or 65,000 cooperatives and about 790,000 members when national is set, spread
 * like the national register (sectors, regions, creation years, women-only share, women and
 * youth among members). The same seed always gives the same rows, on any platform. Youth means
 * under 35 on DEMO_REFERENCE_DATE. When progress is non-NULL a line is written to it every 10%.
 * Returns 0, or -1 (logged) after rolling everything back.
 */
int demo_generate(struct db *db, const struct geo *g, int national, unsigned long seed,
                  FILE *progress);

/* The day the demo data describes: legal dates end before it; created_at/updated_at use it. */
/* splitmix64: the next number of the sequence of state *x. Each part of the demo keeps a state
 * of its own, so that adding one part does not shift the numbers of the others. */
uint64_t demo_splitmix64(uint64_t *x);

#define DEMO_REFERENCE_DATE "2026-11-01"
#define DEMO_TIMESTAMP      "2026-11-01T00:00:00Z"
/* Age under which a member counts as young in members_youth. */
#define DEMO_YOUTH_AGE 35

/* ---- Internal to src/demo: the tables of names.c, used by demo.c. ---- */

/* A name in Arabic and its usual French transliteration. */
struct demo_pair {
        const char *ar, *fr;
};

/* An activity of a sector, with the words that name a cooperative doing it:
 * "تعاونية <word> <ar>" and "Coopérative <fr_pre> <word> <fr_post>" (one of fr_pre or fr_post
 * is "", e.g. "Coopérative agricole Al Amal", "Coopérative Al Amal de tissage"). */
struct demo_activity {
        const char *sector;   /* sector code */
        const char *activity; /* the activity column, in French */
        const char *ar;       /* Arabic complement of the name */
        const char *fr_pre, *fr_post;
        unsigned weight;         /* relative frequency within the sector */
        unsigned women_permille; /* chance, in thousandths, that such a cooperative is women-only */
};

/* An organisation of the demo (real bodies; website "" when not known for sure). */
struct demo_org {
        const char *ar, *fr, *acronym, *kind, *region_code, *website;
};

extern const struct demo_pair demo_first_women[];
extern const size_t demo_n_first_women;
extern const struct demo_pair demo_first_men[];
extern const size_t demo_n_first_men;
extern const struct demo_pair demo_family[];
extern const size_t demo_n_family;
extern const struct demo_pair demo_coop_words[]; /* "الأمل" / "Al Amal" */
extern const size_t demo_n_coop_words;
extern const struct demo_pair demo_douars[]; /* rural addresses */
extern const size_t demo_n_douars;
extern const struct demo_pair demo_quarters[]; /* urban addresses */
extern const size_t demo_n_quarters;
extern const struct demo_pair demo_streets[];
extern const size_t demo_n_streets;
extern const char *const demo_notes[];
extern const size_t demo_n_notes;
extern const struct demo_activity demo_activities[];
extern const size_t demo_n_activities;
extern const struct demo_org demo_orgs[];
extern const size_t demo_n_orgs;

#endif
