/* demo_programs.c: the Mourafaka program of the demo data, from the seeds (000, 001). */
#include "demo/demo_programs.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/db.h"
#include "core/log.h"
#include "demo/demo.h"
#include "registry/org.h"
#include "selection/call.h"
#include "selection/eligibility.h"

#define TRANCHE_TARGET       1000 /* 500 cooperatives a year, two years a tranche */
#define ACCOMPANIED_PERMILLE 30   /* of the register, in tranche 3 */

static unsigned
below(uint64_t *x, unsigned n)
{
        return (unsigned)(((demo_splitmix64(x) >> 32) * (uint64_t)n) >> 32);
}

/* The organisation whose French name or acronym is given; created (kind, national) when
 * absent. Returns its id, or 0 on error. */
static long long
org_id(struct db *db, struct arena *a, const char *name_ar, const char *name_fr,
       const char *acronym, const char *kind)
{
        sqlite3_stmt *st =
            db_stmt(db, "SELECT id FROM organisation WHERE name_fr = :fr"
                        " OR (:acronym <> '' AND acronym = :acronym) ORDER BY id LIMIT 1");
        if (st == NULL)
                return 0;
        db_bind_text(st, ":fr", name_fr);
        db_bind_text(st, ":acronym", acronym);
        long long id = 0;
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
                id = db_col_int(st, 0);
        sqlite3_reset(st);
        if (rc == SQLITE_ROW)
                return id;
        if (rc != SQLITE_DONE)
                return 0;
        st = db_stmt(db, "INSERT INTO organisation (name_ar, name_fr, name_fold, acronym, kind,"
                         " region_code, website, version, created_at, updated_at)"
                         " VALUES (:ar, :fr, :fold, :acronym, :kind, NULL, '', 1, :ts, :ts)");
        if (st == NULL || db_bind_text(st, ":ar", name_ar) || db_bind_text(st, ":fr", name_fr) ||
            db_bind_text(st, ":fold", org_fold(a, name_ar, name_fr, acronym)) ||
            db_bind_text(st, ":acronym", acronym) || db_bind_text(st, ":kind", kind) ||
            db_bind_text(st, ":ts", DEMO_TIMESTAMP) || sqlite3_step(st) != SQLITE_DONE)
                return 0;
        return sqlite3_last_insert_rowid(db->h);
}

static const struct {
        const char *code, *ar, *fr, *en;
} pillars[] = {
    {"governance", "الحكامة الجيدة", "Bonne gouvernance", "Good governance"},
    {"innovation", "الابتكار", "Innovation", "Innovation"},
    {"marketing", "التسويق", "Commercialisation", "Marketing"},
};

static const struct {
        const char *kind;
        int sessions, months;
} components[] = {
    {"strategic_diagnosis", 0, 0},
    {"collective_training", 0, 0},
    {"individual_coaching", 12, 24},
    {"access_to_financing", 0, 0},
};

/* Inserts a tranche with one phase a year and targets per region in proportion to the
 * register (largest remainders, so they sum to the total). Returns its id, or 0. */
static long long
add_tranche(struct db *db, long long program, int number, int first_year, int total)
{
        sqlite3_stmt *st = db_stmt(
            db, "INSERT INTO tranche (program_id, number, start_year, end_year, target_total,"
                " version, created_at, updated_at) VALUES (:program, :number, :first, :last,"
                " :total, 1, :ts, :ts)");
        if (st == NULL || db_bind_int(st, ":program", program) ||
            db_bind_int(st, ":number", number) || db_bind_int(st, ":first", first_year) ||
            db_bind_int(st, ":last", first_year + 1) || db_bind_int(st, ":total", total) ||
            db_bind_text(st, ":ts", DEMO_TIMESTAMP) || sqlite3_step(st) != SQLITE_DONE)
                return 0;
        long long id = sqlite3_last_insert_rowid(db->h);
        for (int ph = 1; ph <= 2; ph++) {
                st = db_stmt(db, "INSERT INTO phase (tranche_id, number, year, target_total)"
                                 " VALUES (:tranche, :number, :year, :target)");
                if (st == NULL || db_bind_int(st, ":tranche", id) ||
                    db_bind_int(st, ":number", ph) ||
                    db_bind_int(st, ":year", first_year + ph - 1) ||
                    db_bind_int(st, ":target", total / 2) || sqlite3_step(st) != SQLITE_DONE)
                        return 0;
        }

        char codes[12][3];
        long long counts[12], all = 0;
        size_t n = 0;
        st = db_stmt(db, "SELECT region_code, COUNT(*) FROM cooperative GROUP BY region_code"
                         " ORDER BY region_code");
        if (st == NULL)
                return 0;
        int rc;
        while (n < 12 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
                snprintf(codes[n], sizeof(codes[n]), "%s",
                         (const char *)sqlite3_column_text(st, 0));
                counts[n] = db_col_int(st, 1);
                all += counts[n++];
        }
        sqlite3_reset(st);
        if (all == 0)
                return id;
        long long target[12], rem[12], given = 0;
        for (size_t i = 0; i < n; i++) {
                target[i] = counts[i] * total / all;
                rem[i] = counts[i] * total % all;
                given += target[i];
        }
        while (given < total) {
                size_t best = 0;
                for (size_t i = 1; i < n; i++)
                        if (rem[i] > rem[best])
                                best = i;
                target[best]++;
                rem[best] = -1;
                given++;
        }
        for (size_t i = 0; i < n; i++) {
                st = db_stmt(db, "INSERT INTO tranche_region_target (tranche_id, region_code,"
                                 " target) VALUES (:tranche, :region, :target)");
                if (st == NULL || db_bind_int(st, ":tranche", id) ||
                    db_bind_text(st, ":region", codes[i]) ||
                    db_bind_int(st, ":target", target[i]) || sqlite3_step(st) != SQLITE_DONE)
                        return 0;
        }
        return id;
}

/* About 3% of the cooperatives created before 2023, accompanied since a day of 2023 or 2024. */
static int
add_accompanied(struct db *db, long long program, long long tranche, uint64_t *rng)
{
        struct {
                long long id;
                char region[3];
        } *picked = xcalloc(TRANCHE_TARGET, sizeof(*picked));
        size_t n = 0;
        sqlite3_stmt *st = db_stmt(db, "SELECT id, region_code FROM cooperative"
                                       " WHERE legal_date < '2023-01-01' ORDER BY id");
        int rc = SQLITE_DONE;
        while (st && n < TRANCHE_TARGET && (rc = sqlite3_step(st)) == SQLITE_ROW) {
                if (below(rng, 1000) >= ACCOMPANIED_PERMILLE)
                        continue;
                picked[n].id = db_col_int(st, 0);
                snprintf(picked[n].region, sizeof(picked[n].region), "%s",
                         (const char *)sqlite3_column_text(st, 1));
                n++;
        }
        if (st)
                sqlite3_reset(st);
        int ok = st != NULL && (rc == SQLITE_ROW || rc == SQLITE_DONE);
        for (size_t i = 0; ok && i < n; i++) {
                char since[11];
                snprintf(since, sizeof(since), "%04u-%02u-%02u", 2023 + below(rng, 2),
                         1 + below(rng, 12), 1 + below(rng, 28));
                st = db_stmt(db, "INSERT INTO program_cooperative (program_id, cooperative_id,"
                                 " tranche_id, region_code, since, source)"
                                 " VALUES (:program, :coop, :tranche, :region, :since, 'record')");
                ok = st && !db_bind_int(st, ":program", program) &&
                     !db_bind_int(st, ":coop", picked[i].id) &&
                     !db_bind_int(st, ":tranche", tranche) &&
                     !db_bind_text(st, ":region", picked[i].region) &&
                     !db_bind_text(st, ":since", since) && sqlite3_step(st) == SQLITE_DONE;
        }
        free(picked);
        return ok ? 0 : -1;
}

/* The call of tranche 4 for 2026, with the Mourafaka rules (version 1), the default grid with its
 * labels in Arabic and French, and one year's seats per region (half of each tranche target).
 * Returns 0 or -1. */
static int
add_call(struct db *db, long long tranche)
{
        sqlite3_stmt *st =
            db_stmt(db, "INSERT INTO program_call (tranche_id, code, title_ar, title_fr, title_en,"
                        " opens_on, closes_on, reference_date, min_score, national_pool,"
                        " disagreement_gap, rules_version, version, created_at, updated_at) VALUES"
                        " (:tranche, 'MRF-T4-2026', :ar, :fr, :en, '2026-10-01', '2027-01-31',"
                        " '2027-01-31', 6000, 1, 1500, 1, 1, :ts, :ts)");
        if (st == NULL || db_bind_int(st, ":tranche", tranche) ||
            db_bind_text(st, ":ar", "طلب ترشيح مرافقة، الشطر الرابع، فوج 2026") ||
            db_bind_text(st, ":fr", "Appel à candidatures Mourafaka, tranche 4, promotion 2026") ||
            db_bind_text(st, ":en", "Mourafaka call for applications, tranche 4, 2026 intake") ||
            db_bind_text(st, ":ts", DEMO_TIMESTAMP) || sqlite3_step(st) != SQLITE_DONE)
                return -1;
        long long call = sqlite3_last_insert_rowid(db->h);
        size_t n;
        const struct elig_rule *rules = eligibility_mourafaka_defaults(&n);
        json_t *j = eligibility_rules_to_json(rules, n);
        char *text = j ? json_dumps(j, JSON_COMPACT) : NULL;
        json_decref(j);
        st = db_stmt(db, "INSERT INTO call_rules (call_id, version, rules, changed_by, changed_at)"
                         " VALUES (:call, 1, :rules, NULL, :ts)");
        int bad = text == NULL || st == NULL || db_bind_int(st, ":call", call) ||
                  db_bind_text(st, ":rules", text) || db_bind_text(st, ":ts", DEMO_TIMESTAMP) ||
                  sqlite3_step(st) != SQLITE_DONE;
        free(text);
        if (bad)
                return -1;
        const struct call_criterion *crit = call_default_criteria(&n);
        for (size_t i = 0; i < n; i++) {
                st = db_stmt(db, "INSERT INTO call_criterion (call_id, position, key, label_ar,"
                                 " label_fr, label_en, weight, max_score) VALUES (:call, :pos,"
                                 " :key, :ar, :fr, :en, :weight, :max)");
                if (st == NULL || db_bind_int(st, ":call", call) ||
                    db_bind_int(st, ":pos", (long long)i + 1) ||
                    db_bind_text(st, ":key", crit[i].key) ||
                    db_bind_text(st, ":ar", i18n_gettext(LANG_AR, crit[i].label_en)) ||
                    db_bind_text(st, ":fr", i18n_gettext(LANG_FR, crit[i].label_en)) ||
                    db_bind_text(st, ":en", crit[i].label_en) ||
                    db_bind_int(st, ":weight", crit[i].weight) ||
                    db_bind_int(st, ":max", crit[i].max) || sqlite3_step(st) != SQLITE_DONE)
                        return -1;
        }
        st = db_stmt(db, "INSERT INTO call_seat (call_id, region_code, seats) SELECT :call,"
                         " region_code, target / 2 FROM tranche_region_target"
                         " WHERE tranche_id = :tranche");
        if (st == NULL || db_bind_int(st, ":call", call) || db_bind_int(st, ":tranche", tranche) ||
            sqlite3_step(st) != SQLITE_DONE)
                return -1;
        return 0;
}

int
demo_programs(struct db *db, unsigned long seed)
{
        uint64_t rng = (uint64_t)seed ^ 0x6d6f75726166616bULL; /* "mourafak" */
        struct arena *a = arena_new();
        int rc = -1;
        long long odco = org_id(db, a, "مكتب تنمية التعاون",
                                "Office du Développement de la Coopération", "ODCO", "public_body");
        long long um6p = org_id(db, a, "جامعة محمد السادس متعددة التخصصات التقنية",
                                "Université Mohammed VI Polytechnique", "UM6P", "university");
        long long ocp =
            org_id(db, a, "مؤسسة المكتب الشريف للفوسفاط", "Fondation OCP", "", "funder");
        long long sea =
            org_id(db, a, "كتابة الدولة المكلفة بالصناعة التقليدية والاقتصاد الاجتماعي والتضامني",
                   "Secrétariat d'État chargé de l'Artisanat et de l'Économie Sociale et Solidaire",
                   "SEAESS", "public_body");
        if (!odco || !um6p || !ocp || !sea)
                goto done;

        sqlite3_stmt *st = db_stmt(
            db, "INSERT INTO program (code, name_ar, name_fr, name_en, operator_id, description,"
                " start_year, end_year, target_total, target_per_year, version, created_at,"
                " updated_at) VALUES ('MOURAFAKA', :ar, :fr, :en, :operator, :description, 2023,"
                " 2026, 2000, 500, 1, :ts, :ts)");
        if (st == NULL || db_bind_text(st, ":ar", "برنامج مرافقة التعاونيات") ||
            db_bind_text(st, ":fr", "Programme Mourafaka d'accompagnement des coopératives") ||
            db_bind_text(st, ":en", "Mourafaka cooperative accompaniment program") ||
            db_bind_int(st, ":operator", odco) ||
            db_bind_text(st, ":description",
                         "Programme national d'accompagnement des coopératives de moins de "
                         "quatre ans : diagnostic stratégique, formation collective, "
                         "accompagnement individuel et accès au financement.\n"
                         "برنامج وطني لمواكبة التعاونيات: تشخيص استراتيجي، تكوين جماعي، دعم "
                         "فردي، وولوج للتمويل.") ||
            db_bind_text(st, ":ts", DEMO_TIMESTAMP) || sqlite3_step(st) != SQLITE_DONE)
                goto done;
        long long program = sqlite3_last_insert_rowid(db->h);

        const struct {
                long long org;
                const char *role;
        } partners[] = {
            {odco, "implementer"},
            {um6p, "academic_partner"},
            {ocp, "funder"},
            {sea, "public_partner"},
        };
        for (size_t i = 0; i < sizeof(partners) / sizeof(partners[0]); i++) {
                st = db_stmt(db, "INSERT INTO program_partner (program_id, organisation_id, role,"
                                 " position) VALUES (:program, :org, :role, :position)");
                if (st == NULL || db_bind_int(st, ":program", program) ||
                    db_bind_int(st, ":org", partners[i].org) ||
                    db_bind_text(st, ":role", partners[i].role) ||
                    db_bind_int(st, ":position", (long long)i + 1) ||
                    sqlite3_step(st) != SQLITE_DONE)
                        goto done;
        }
        for (size_t i = 0; i < sizeof(pillars) / sizeof(pillars[0]); i++) {
                st = db_stmt(db, "INSERT INTO program_pillar (program_id, position, code, name_ar,"
                                 " name_fr, name_en) VALUES (:program, :position, :code, :ar,"
                                 " :fr, :en)");
                if (st == NULL || db_bind_int(st, ":program", program) ||
                    db_bind_int(st, ":position", (long long)i + 1) ||
                    db_bind_text(st, ":code", pillars[i].code) ||
                    db_bind_text(st, ":ar", pillars[i].ar) ||
                    db_bind_text(st, ":fr", pillars[i].fr) ||
                    db_bind_text(st, ":en", pillars[i].en) || sqlite3_step(st) != SQLITE_DONE)
                        goto done;
        }
        for (size_t i = 0; i < sizeof(components) / sizeof(components[0]); i++) {
                st = db_stmt(db, "INSERT INTO program_component (program_id, kind, sessions,"
                                 " months) VALUES (:program, :kind, :sessions, :months)");
                if (st == NULL || db_bind_int(st, ":program", program) ||
                    db_bind_text(st, ":kind", components[i].kind) ||
                    db_bind_int(st, ":sessions", components[i].sessions) ||
                    db_bind_int(st, ":months", components[i].months) ||
                    sqlite3_step(st) != SQLITE_DONE)
                        goto done;
        }
        long long t3 = add_tranche(db, program, 3, 2023, TRANCHE_TARGET);
        long long t4 = t3 ? add_tranche(db, program, 4, 2025, TRANCHE_TARGET) : 0;
        if (t4 == 0 || add_call(db, t4) != 0)
                goto done;
        if (add_accompanied(db, program, t3, &rng) != 0)
                goto done;
        rc = 0;
done:
        if (rc != 0)
                log_error("demo programs: %s", sqlite3_errmsg(db->h));
        arena_free(a);
        return rc;
}
