/* demo_cycle.c: applications to the demo's open call, entered, submitted and scored through the
 * same stores as the pages, so that a new user finds a call under way. */
#include "demo/demo_cycle.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/db.h"
#include "core/http.h"
#include "core/log.h"
#include "demo/demo.h"
#include "registry/coop.h"
#include "selection/application_store.h"
#include "selection/call_store.h"
#include "selection/evaluation_store.h"

static long long
user_id(struct db *db, const char *login)
{
        sqlite3_stmt *st = db_stmt(db, "SELECT id FROM app_user WHERE login = :login");
        if (st == NULL)
                return 0;
        db_bind_text(st, ":login", login);
        long long id = sqlite3_step(st) == SQLITE_ROW ? db_col_int(st, 0) : 0;
        sqlite3_reset(st);
        return id;
}

/* The applicants: each region's first eligible cooperatives (in id order) up to one and a half
 * times its seats, and one ineligible for every ten, as the screening finds them. */
struct pick {
        const struct call *call;
        struct date ref;
        long long *ids;
        char (*regions)[3];
        size_t n, cap;
        long long taken[SCREEN_MAX_REGIONS][2]; /* eligible, ineligible per region index */
};

static long long
seats_of(const struct call *c, const char *region)
{
        for (size_t i = 0; i < c->nseats; i++)
                if (strcmp(c->seats[i].region, region) == 0)
                        return c->seats[i].seats;
        return 0;
}

static int
pick_one(void *ctx, const struct coop *co, int accompanied)
{
        struct pick *p = ctx;
        int r = (co->region_code[0] - '0') * 10 + (co->region_code[1] - '0');
        if (r < 1 || r > 12 || p->n == p->cap)
                return 0;
        struct elig_input in;
        eligibility_input_set(&in, co, accompanied);
        int ok = eligibility_screen_one(p->call->rules, p->call->nrules, &in, p->ref) == 0;
        long long want = seats_of(p->call, co->region_code) * 3 / 2;
        long long *t = p->taken[r];
        if (ok ? t[0] >= want : t[1] * 10 >= t[0] + 1)
                return 0;
        t[ok ? 0 : 1]++;
        memcpy(p->regions[p->n], co->region_code, 3);
        p->ids[p->n++] = co->id;
        return 0;
}

int
demo_cycle(struct db *db, unsigned long seed, FILE *progress)
{
        struct arena *a = arena_new();
        int rc = -1;
        uint64_t rng = (uint64_t)seed * 0x2545f4914f6cdd1dULL + 17;
        struct call c;
        sqlite3_stmt *st = db_stmt(db, "SELECT id FROM program_call WHERE code = 'MRF-T4-2026'");
        long long call_id = st && sqlite3_step(st) == SQLITE_ROW ? db_col_int(st, 0) : 0;
        if (st)
                sqlite3_reset(st);
        long long admin = user_id(db, "admin"), o3 = user_id(db, "officer03"),
                  o6 = user_id(db, "officer06");
        long long evaluators[2] = {user_id(db, "evaluator1"), user_id(db, "evaluator2")};
        if (call_id == 0 || admin == 0 || o3 == 0 || o6 == 0 || evaluators[0] == 0 ||
            evaluators[1] == 0 || call_store_get(db, a, call_id, &c) != STORE_OK ||
            date_parse(c.reference_date, &(struct date){0}) != 0)
                goto done;
        struct pick p = {.call = &c, .cap = 4000};
        date_parse(c.reference_date, &p.ref);
        p.ids = arena_alloc(a, p.cap * sizeof(*p.ids));
        p.regions = arena_alloc(a, p.cap * sizeof(*p.regions));
        struct scope all = {admin, 1};
        if (call_store_screen(db, &all, c.program_id, "", pick_one, &p) != STORE_OK)
                goto done;

        static const char *const projects[] = {
            "Extension de l'unité de production et mise aux normes ONSSA",
            "Achat d'équipements de conditionnement et création d'une marque",
            "Formation des membres à la gestion et à la commercialisation en ligne",
            "تطوير وحدة التحويل واقتناء معدات التلفيف",
            "تسويق المنتوجات عبر المعارض والمنصات الرقمية",
        };
        long long made = 0, scored = 0;
        for (size_t i = 0; i < p.n; i++) {
                struct arena *row = arena_new();
                struct application app = {0};
                app.call_id = call_id;
                app.cooperative_id = p.ids[i];
                app.project_summary = projects[demo_splitmix64(&rng) % 5];
                app.requested_support = "";
                long long existing = 0;
                /* Regions 03 and 06 have officers: they enter their own; the admin the rest. */
                long long by = strcmp(p.regions[i], "03") == 0   ? o3
                               : strcmp(p.regions[i], "06") == 0 ? o6
                                                                 : admin;
                enum app_refusal why = APP_OK;
                struct application now;
                if (application_store_insert(db, &all, &app, by, &existing, row) != STORE_OK ||
                    application_store_submit(db, &all, app.id, app.version, by, row, &now, &why) !=
                        STORE_OK) {
                        arena_free(row);
                        goto done;
                }
                made++;
                /* Nine eligible applications in ten are fully scored by two evaluators; the
                 * tenth waits for its second evaluation. */
                if (strcmp(now.status, "eligible") == 0) {
                        size_t bad = 0;
                        if (evaluation_store_assign(db, row, app.id, evaluators, 2, admin, &bad) !=
                            STORE_OK) {
                                arena_free(row);
                                goto done;
                        }
                        int second = (demo_splitmix64(&rng) % 10) != 0;
                        int quality =
                            (int)(demo_splitmix64(&rng) % 7); /* how good the project is, 0..6 */
                        for (int e = 0; e < 1 + second; e++) {
                                struct evaluation_score sc[SCORING_MAX_CRITERIA];
                                for (size_t k = 0; k < c.ncriteria; k++) {
                                        long long s = 3 + quality +
                                                      (long long)(demo_splitmix64(&rng) % 3) - 1;
                                        sc[k].key = c.criteria[k].key;
                                        sc[k].score = s < 0                   ? 0
                                                      : s > c.criteria[k].max ? c.criteria[k].max
                                                                              : s;
                                }
                                long long v;
                                if (evaluation_store_declare(db, row, app.id, evaluators[e], 0,
                                                             "") != STORE_OK ||
                                    evaluation_store_save(db, row, app.id, evaluators[e], sc,
                                                          c.ncriteria, "", 1, 0, &v) != STORE_OK) {
                                        arena_free(row);
                                        goto done;
                                }
                        }
                        scored += second;
                }
                arena_free(row);
        }
        if (progress)
                fprintf(progress, "demo: %lld applications to %s, %lld of them fully scored\n",
                        made, c.code, scored);
        rc = 0;
done:
        if (rc != 0)
                log_error("demo cycle: %s", sqlite3_errmsg(db->h));
        arena_free(a);
        return rc;
}
