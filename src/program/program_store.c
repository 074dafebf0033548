/* program_store.c: SQL for programs, their partners, pillars, components and tranches, and the
 * counts of accompanied cooperatives (program_cooperative) that targets are compared with. */
#include "program/program_store.h"

#include <string.h>

#include "core/arena.h"
#include "core/db.h"
#include "core/log.h"

/* Tranche numbers are 1 to 99 and unique in a program. */
#define TRANCHES_MAX 99

#define PROGRAM_COLUMNS                                                                            \
        "p.id, p.code, p.name_ar, p.name_fr, p.name_en, COALESCE(p.operator_id, 0),"               \
        " p.description, p.start_year, p.end_year, p.target_total, p.target_per_year, p.version,"  \
        " p.created_at, p.updated_at, COALESCE(o.name_ar, ''), COALESCE(o.name_fr, ''),"           \
        " COALESCE(o.acronym, ''),"                                                                \
        " (SELECT COUNT(*) FROM program_cooperative pc WHERE pc.program_id = p.id)"                \
        " FROM program p LEFT JOIN organisation o ON o.id = p.operator_id"

static void
read_program(sqlite3_stmt *st, struct arena *a, struct program *p)
{
        int i = 0;
        memset(p, 0, sizeof(*p));
        p->id = db_col_int(st, i++);
        p->code = db_col_text(a, st, i++);
        p->name_ar = db_col_text(a, st, i++);
        p->name_fr = db_col_text(a, st, i++);
        p->name_en = db_col_text(a, st, i++);
        p->operator_id = db_col_int(st, i++);
        p->description = db_col_text(a, st, i++);
        p->start_year = db_col_int(st, i++);
        p->end_year = db_col_int(st, i++);
        p->target_total = db_col_int(st, i++);
        p->target_per_year = db_col_int(st, i++);
        p->version = db_col_int(st, i++);
        p->created_at = db_col_text(a, st, i++);
        p->updated_at = db_col_text(a, st, i++);
        p->operator_name_ar = db_col_text(a, st, i++);
        p->operator_name_fr = db_col_text(a, st, i++);
        p->operator_acronym = db_col_text(a, st, i++);
        p->reached = db_col_int(st, i++);
}

static int
fail_stmt(struct db *db, sqlite3_stmt *st, const char *what)
{
        log_error("program store, %s: %s", what, sqlite3_errmsg(db->h));
        if (st)
                sqlite3_reset(st);
        return STORE_ERROR;
}

int
program_store_list(struct db *db, struct arena *a, struct program **items, size_t *n)
{
        *items = NULL;
        *n = 0;
        sqlite3_stmt *st =
            db_stmt(db, "SELECT " PROGRAM_COLUMNS " ORDER BY p.end_year DESC, p.code LIMIT 500");
        if (st == NULL)
                return STORE_ERROR;
        *items = arena_alloc(a, PROGRAM_LIST_MAX * sizeof(**items));
        int rc = SQLITE_DONE;
        while (*n < PROGRAM_LIST_MAX && (rc = sqlite3_step(st)) == SQLITE_ROW)
                read_program(st, a, &(*items)[(*n)++]);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE)
                return fail_stmt(db, st, "list");
        sqlite3_reset(st);
        return STORE_OK;
}

/* Reads the rows "key, count" of st (bound by the caller) into *out. */
static int
read_counts(struct db *db, sqlite3_stmt *st, struct arena *a, size_t cap,
            struct program_count **out, size_t *n)
{
        *out = arena_alloc(a, cap * sizeof(**out));
        *n = 0;
        int rc = SQLITE_DONE;
        while (*n < cap && (rc = sqlite3_step(st)) == SQLITE_ROW) {
                (*out)[*n].key = db_col_text(a, st, 0);
                (*out)[*n].n = db_col_int(st, 1);
                (*n)++;
        }
        if (rc != SQLITE_ROW && rc != SQLITE_DONE)
                return fail_stmt(db, st, "counts");
        sqlite3_reset(st);
        return STORE_OK;
}

#define TRANCHE_COLUMNS                                                                            \
        "t.id, t.program_id, t.number, t.start_year, t.end_year, t.target_total, t.version,"       \
        " t.created_at, t.updated_at,"                                                             \
        " (SELECT COUNT(*) FROM program_cooperative pc WHERE pc.tranche_id = t.id) FROM tranche t"

static void
read_tranche(sqlite3_stmt *st, struct arena *a, struct tranche *t)
{
        int i = 0;
        memset(t, 0, sizeof(*t));
        t->id = db_col_int(st, i++);
        t->program_id = db_col_int(st, i++);
        t->number = db_col_int(st, i++);
        t->start_year = db_col_int(st, i++);
        t->end_year = db_col_int(st, i++);
        t->target_total = db_col_int(st, i++);
        t->version = db_col_int(st, i++);
        t->created_at = db_col_text(a, st, i++);
        t->updated_at = db_col_text(a, st, i++);
        t->reached = db_col_int(st, i++);
}

/* The phases and region rows of t (its id set), with what each reached. */
static int
tranche_lists(struct db *db, struct tranche *t, struct arena *a)
{
        sqlite3_stmt *st = db_stmt(
            db, "SELECT ph.id, ph.number, ph.year, ph.target_total,"
                " (SELECT COUNT(*) FROM program_cooperative pc WHERE pc.tranche_id = ph.tranche_id"
                " AND substr(pc.since, 1, 4) = CAST(ph.year AS TEXT))"
                " FROM phase ph WHERE ph.tranche_id = :id ORDER BY ph.number");
        if (st == NULL)
                return STORE_ERROR;
        db_bind_int(st, ":id", t->id);
        t->phases = arena_alloc(a, 100 * sizeof(*t->phases));
        t->n_phases = 0;
        int rc = SQLITE_DONE;
        while (t->n_phases < 100 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
                struct phase *ph = &t->phases[t->n_phases++];
                ph->id = db_col_int(st, 0);
                ph->number = db_col_int(st, 1);
                ph->year = db_col_int(st, 2);
                ph->target_total = db_col_int(st, 3);
                ph->reached = db_col_int(st, 4);
        }
        if (rc != SQLITE_ROW && rc != SQLITE_DONE)
                return fail_stmt(db, st, "phases");
        sqlite3_reset(st);

        /* Regions with a target, and regions reached without one (planned = 0). */
        st = db_stmt(db, "SELECT region_code, SUM(target), MAX(planned), SUM(reached) FROM"
                         " (SELECT region_code, target, 1 AS planned, 0 AS reached"
                         " FROM tranche_region_target WHERE tranche_id = :id"
                         " UNION ALL SELECT region_code, 0, 0, COUNT(*) FROM program_cooperative"
                         " WHERE tranche_id = :id GROUP BY region_code) AS x"
                         " GROUP BY region_code ORDER BY region_code");
        if (st == NULL)
                return STORE_ERROR;
        db_bind_int(st, ":id", t->id);
        t->regions = arena_alloc(a, 100 * sizeof(*t->regions));
        t->n_regions = 0;
        while (t->n_regions < 100 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
                struct region_target *r = &t->regions[t->n_regions++];
                r->region_code = db_col_text(a, st, 0);
                r->target = db_col_int(st, 1);
                r->planned = (int)db_col_int(st, 2);
                r->reached = db_col_int(st, 3);
        }
        if (rc != SQLITE_ROW && rc != SQLITE_DONE)
                return fail_stmt(db, st, "region targets");
        sqlite3_reset(st);
        return STORE_OK;
}

static int
program_lists(struct db *db, struct program *p, struct arena *a)
{
        int rc = SQLITE_DONE;
        sqlite3_stmt *st = db_stmt(
            db, "SELECT pp.organisation_id, pp.role, o.name_ar, o.name_fr, o.acronym"
                " FROM program_partner pp JOIN organisation o ON o.id = pp.organisation_id"
                " WHERE pp.program_id = :id ORDER BY pp.position, pp.organisation_id, pp.role");
        if (st == NULL)
                return STORE_ERROR;
        db_bind_int(st, ":id", p->id);
        p->partners = arena_alloc(a, PROGRAM_MAX_PARTNERS * sizeof(*p->partners));
        while (p->n_partners < PROGRAM_MAX_PARTNERS && (rc = sqlite3_step(st)) == SQLITE_ROW) {
                struct program_partner *pp = &p->partners[p->n_partners++];
                pp->organisation_id = db_col_int(st, 0);
                pp->role = db_col_text(a, st, 1);
                pp->name_ar = db_col_text(a, st, 2);
                pp->name_fr = db_col_text(a, st, 3);
                pp->acronym = db_col_text(a, st, 4);
        }
        if (rc != SQLITE_ROW && rc != SQLITE_DONE)
                return fail_stmt(db, st, "partners");
        sqlite3_reset(st);

        st = db_stmt(db, "SELECT code, name_ar, name_fr, name_en FROM program_pillar"
                         " WHERE program_id = :id ORDER BY position");
        if (st == NULL)
                return STORE_ERROR;
        db_bind_int(st, ":id", p->id);
        p->pillars = arena_alloc(a, PROGRAM_MAX_PILLARS * sizeof(*p->pillars));
        while (p->n_pillars < PROGRAM_MAX_PILLARS && (rc = sqlite3_step(st)) == SQLITE_ROW) {
                struct program_pillar *pl = &p->pillars[p->n_pillars++];
                pl->code = db_col_text(a, st, 0);
                pl->name_ar = db_col_text(a, st, 1);
                pl->name_fr = db_col_text(a, st, 2);
                pl->name_en = db_col_text(a, st, 3);
        }
        if (rc != SQLITE_ROW && rc != SQLITE_DONE)
                return fail_stmt(db, st, "pillars");
        sqlite3_reset(st);

        st = db_stmt(db, "SELECT kind, sessions, months FROM program_component"
                         " WHERE program_id = :id ORDER BY CASE kind"
                         " WHEN 'strategic_diagnosis' THEN 1 WHEN 'collective_training' THEN 2"
                         " WHEN 'individual_coaching' THEN 3 ELSE 4 END");
        if (st == NULL)
                return STORE_ERROR;
        db_bind_int(st, ":id", p->id);
        p->components = arena_alloc(a, PROGRAM_MAX_COMPONENTS * sizeof(*p->components));
        while (p->n_components < PROGRAM_MAX_COMPONENTS && (rc = sqlite3_step(st)) == SQLITE_ROW) {
                struct program_component *c = &p->components[p->n_components++];
                c->kind = db_col_text(a, st, 0);
                c->sessions = db_col_int(st, 1);
                c->months = db_col_int(st, 2);
        }
        if (rc != SQLITE_ROW && rc != SQLITE_DONE)
                return fail_stmt(db, st, "components");
        sqlite3_reset(st);

        st = db_stmt(db, "SELECT " TRANCHE_COLUMNS " WHERE t.program_id = :id ORDER BY t.number");
        if (st == NULL)
                return STORE_ERROR;
        db_bind_int(st, ":id", p->id);
        p->tranches = arena_alloc(a, TRANCHES_MAX * sizeof(*p->tranches));
        while (p->n_tranches < TRANCHES_MAX && (rc = sqlite3_step(st)) == SQLITE_ROW)
                read_tranche(st, a, &p->tranches[p->n_tranches++]);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE)
                return fail_stmt(db, st, "tranches");
        sqlite3_reset(st);
        for (size_t i = 0; i < p->n_tranches; i++)
                if (tranche_lists(db, &p->tranches[i], a) != STORE_OK)
                        return STORE_ERROR;

        st = db_stmt(db, "SELECT substr(since, 1, 4), COUNT(*) FROM program_cooperative"
                         " WHERE program_id = :id GROUP BY substr(since, 1, 4) ORDER BY 1");
        if (st == NULL)
                return STORE_ERROR;
        db_bind_int(st, ":id", p->id);
        if (read_counts(db, st, a, 200, &p->reached_years, &p->n_reached_years) != STORE_OK)
                return STORE_ERROR;
        st = db_stmt(db, "SELECT region_code, COUNT(*) FROM program_cooperative"
                         " WHERE program_id = :id GROUP BY region_code ORDER BY region_code");
        if (st == NULL)
                return STORE_ERROR;
        db_bind_int(st, ":id", p->id);
        return read_counts(db, st, a, 100, &p->reached_regions, &p->n_reached_regions);
}

int
program_store_get(struct db *db, long long id, struct arena *a, struct program *out)
{
        sqlite3_stmt *st = db_stmt(db, "SELECT " PROGRAM_COLUMNS " WHERE p.id = :id");
        if (st == NULL)
                return STORE_ERROR;
        db_bind_int(st, ":id", id);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
                read_program(st, a, out);
        sqlite3_reset(st);
        if (rc == SQLITE_DONE)
                return STORE_NOT_FOUND;
        if (rc != SQLITE_ROW)
                return fail_stmt(db, NULL, "get");
        return program_lists(db, out, a);
}

int
program_store_org_exists(void *ctx, long long id)
{
        struct db *db = ctx;
        sqlite3_stmt *st = db_stmt(db, "SELECT 1 FROM organisation WHERE id = :id");
        if (st == NULL)
                return 0;
        db_bind_int(st, ":id", id);
        int rc = sqlite3_step(st);
        sqlite3_reset(st);
        return rc == SQLITE_ROW;
}

static int
step_write(struct db *db, sqlite3_stmt *st)
{
        int rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc == SQLITE_DONE)
                return STORE_OK;
        log_error("program write: %s", sqlite3_errmsg(db->h));
        return STORE_ERROR;
}

/* STORE_DUPLICATE when another program (not id) has this code. */
static int
code_taken(struct db *db, const char *code, long long id)
{
        sqlite3_stmt *st =
            db_stmt(db, "SELECT id FROM program WHERE code = :code AND id <> :id LIMIT 1");
        if (st == NULL)
                return STORE_ERROR;
        db_bind_text(st, ":code", code);
        db_bind_int(st, ":id", id);
        int rc = sqlite3_step(st);
        sqlite3_reset(st);
        return rc == SQLITE_ROW ? STORE_DUPLICATE : rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}

static void
bind_program(sqlite3_stmt *st, const struct program *p)
{
        db_bind_text(st, ":code", p->code);
        db_bind_text(st, ":name_ar", p->name_ar);
        db_bind_text(st, ":name_fr", p->name_fr);
        db_bind_text(st, ":name_en", p->name_en ? p->name_en : "");
        if (p->operator_id > 0)
                db_bind_int(st, ":operator_id", p->operator_id);
        else
                db_bind_null(st, ":operator_id");
        db_bind_text(st, ":description", p->description ? p->description : "");
        db_bind_int(st, ":start_year", p->start_year);
        db_bind_int(st, ":end_year", p->end_year);
        db_bind_int(st, ":target_total", p->target_total);
        db_bind_int(st, ":target_per_year", p->target_per_year);
        db_bind_text(st, ":now", p->updated_at);
}

/* Replaces the partners, pillars and components of p->id with p's. */
static int
write_lists(struct db *db, const struct program *p)
{
        sqlite3_stmt *st = db_stmt(db, "DELETE FROM program_partner WHERE program_id = :id");
        if (st == NULL)
                return STORE_ERROR;
        db_bind_int(st, ":id", p->id);
        if (step_write(db, st) != STORE_OK)
                return STORE_ERROR;
        for (size_t i = 0; i < p->n_partners; i++) {
                st = db_stmt(db, "INSERT INTO program_partner (program_id, organisation_id, role,"
                                 " position) VALUES (:id, :org, :role, :position)");
                if (st == NULL)
                        return STORE_ERROR;
                db_bind_int(st, ":id", p->id);
                db_bind_int(st, ":org", p->partners[i].organisation_id);
                db_bind_text(st, ":role", p->partners[i].role);
                db_bind_int(st, ":position", (long long)i + 1);
                if (step_write(db, st) != STORE_OK)
                        return STORE_ERROR;
        }
        st = db_stmt(db, "DELETE FROM program_pillar WHERE program_id = :id");
        if (st == NULL)
                return STORE_ERROR;
        db_bind_int(st, ":id", p->id);
        if (step_write(db, st) != STORE_OK)
                return STORE_ERROR;
        for (size_t i = 0; i < p->n_pillars; i++) {
                st = db_stmt(db, "INSERT INTO program_pillar (program_id, position, code, name_ar,"
                                 " name_fr, name_en) VALUES (:id, :position, :code, :name_ar,"
                                 " :name_fr, :name_en)");
                if (st == NULL)
                        return STORE_ERROR;
                const struct program_pillar *pl = &p->pillars[i];
                db_bind_int(st, ":id", p->id);
                db_bind_int(st, ":position", (long long)i + 1);
                db_bind_text(st, ":code", pl->code);
                db_bind_text(st, ":name_ar", pl->name_ar);
                db_bind_text(st, ":name_fr", pl->name_fr);
                db_bind_text(st, ":name_en", pl->name_en ? pl->name_en : "");
                if (step_write(db, st) != STORE_OK)
                        return STORE_ERROR;
        }
        st = db_stmt(db, "DELETE FROM program_component WHERE program_id = :id");
        if (st == NULL)
                return STORE_ERROR;
        db_bind_int(st, ":id", p->id);
        if (step_write(db, st) != STORE_OK)
                return STORE_ERROR;
        for (size_t i = 0; i < p->n_components; i++) {
                st = db_stmt(db, "INSERT INTO program_component (program_id, kind, sessions,"
                                 " months) VALUES (:id, :kind, :sessions, :months)");
                if (st == NULL)
                        return STORE_ERROR;
                db_bind_int(st, ":id", p->id);
                db_bind_text(st, ":kind", p->components[i].kind);
                db_bind_int(st, ":sessions", p->components[i].sessions);
                db_bind_int(st, ":months", p->components[i].months);
                if (step_write(db, st) != STORE_OK)
                        return STORE_ERROR;
        }
        return STORE_OK;
}

int
program_store_insert(struct db *db, struct program *p, struct arena *a)
{
        if (db_begin(db) != 0)
                return STORE_ERROR;
        int rc = code_taken(db, p->code, 0);
        if (rc != STORE_OK)
                goto fail;
        rc = STORE_ERROR;
        p->created_at = p->updated_at = db_now(a);
        sqlite3_stmt *st = db_stmt(
            db, "INSERT INTO program (code, name_ar, name_fr, name_en, operator_id, description,"
                " start_year, end_year, target_total, target_per_year, version, created_at,"
                " updated_at) VALUES (:code, :name_ar, :name_fr, :name_en, :operator_id,"
                " :description, :start_year, :end_year, :target_total, :target_per_year, 1,"
                " :now, :now)");
        if (st == NULL)
                goto fail;
        bind_program(st, p);
        if (step_write(db, st) != STORE_OK)
                goto fail;
        p->id = sqlite3_last_insert_rowid(db->h);
        if (write_lists(db, p) != STORE_OK)
                goto fail;
        if (db_commit(db) != 0)
                goto fail;
        p->version = 1;
        return STORE_OK;
fail:
        p->id = 0;
        db_rollback(db);
        return rc;
}

/* The version of row id of a table (one literal per table); STORE_NOT_FOUND when absent. */
static int
version_of(sqlite3_stmt *st, long long id, long long *version)
{
        if (st == NULL)
                return STORE_ERROR;
        db_bind_int(st, ":id", id);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
                *version = db_col_int(st, 0);
        sqlite3_reset(st);
        return rc == SQLITE_ROW ? STORE_OK : rc == SQLITE_DONE ? STORE_NOT_FOUND : STORE_ERROR;
}

int
program_store_update(struct db *db, struct program *p, long long expected_version, struct arena *a)
{
        if (db_begin(db) != 0)
                return STORE_ERROR;
        long long version = 0;
        int rc =
            version_of(db_stmt(db, "SELECT version FROM program WHERE id = :id"), p->id, &version);
        if (rc != STORE_OK)
                goto fail;
        if (version != expected_version) {
                rc = STORE_CONFLICT;
                goto fail;
        }
        rc = code_taken(db, p->code, p->id);
        if (rc != STORE_OK)
                goto fail;
        rc = STORE_ERROR;
        p->updated_at = db_now(a);
        sqlite3_stmt *st = db_stmt(
            db, "UPDATE program SET code = :code, name_ar = :name_ar, name_fr = :name_fr,"
                " name_en = :name_en, operator_id = :operator_id, description = :description,"
                " start_year = :start_year, end_year = :end_year, target_total = :target_total,"
                " target_per_year = :target_per_year, version = version + 1, updated_at = :now"
                " WHERE id = :id AND version = :version");
        if (st == NULL)
                goto fail;
        bind_program(st, p);
        db_bind_int(st, ":id", p->id);
        db_bind_int(st, ":version", expected_version);
        if (step_write(db, st) != STORE_OK)
                goto fail;
        if (sqlite3_changes(db->h) != 1) {
                rc = STORE_CONFLICT;
                goto fail;
        }
        if (write_lists(db, p) != STORE_OK)
                goto fail;
        if (db_commit(db) != 0)
                goto fail;
        p->version = expected_version + 1;
        return STORE_OK;
fail:
        db_rollback(db);
        return rc;
}

int
tranche_store_get(struct db *db, long long id, struct arena *a, struct tranche *out)
{
        sqlite3_stmt *st = db_stmt(db, "SELECT " TRANCHE_COLUMNS " WHERE t.id = :id");
        if (st == NULL)
                return STORE_ERROR;
        db_bind_int(st, ":id", id);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
                read_tranche(st, a, out);
        sqlite3_reset(st);
        if (rc == SQLITE_DONE)
                return STORE_NOT_FOUND;
        if (rc != SQLITE_ROW)
                return fail_stmt(db, NULL, "tranche");
        return tranche_lists(db, out, a);
}

/* STORE_DUPLICATE when another tranche (not t->id) of the program has t's number. */
static int
number_taken(struct db *db, const struct tranche *t)
{
        sqlite3_stmt *st = db_stmt(db, "SELECT id FROM tranche WHERE program_id = :program AND"
                                       " number = :number AND id <> :id LIMIT 1");
        if (st == NULL)
                return STORE_ERROR;
        db_bind_int(st, ":program", t->program_id);
        db_bind_int(st, ":number", t->number);
        db_bind_int(st, ":id", t->id);
        int rc = sqlite3_step(st);
        sqlite3_reset(st);
        return rc == SQLITE_ROW ? STORE_DUPLICATE : rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}

static int
in_phases(const struct tranche *t, long long id)
{
        for (size_t i = 0; i < t->n_phases; i++)
                if (t->phases[i].id == id)
                        return 1;
        return 0;
}

/* Sets the phases and region targets of t->id to t's: phases that stay keep their id. */
static int
write_tranche_lists(struct db *db, const struct tranche *t, struct arena *a)
{
        sqlite3_stmt *st = db_stmt(db, "SELECT id FROM phase WHERE tranche_id = :id");
        if (st == NULL)
                return STORE_ERROR;
        db_bind_int(st, ":id", t->id);
        long long old[100];
        size_t n_old = 0;
        int rc = SQLITE_DONE;
        while (n_old < 100 && (rc = sqlite3_step(st)) == SQLITE_ROW)
                old[n_old++] = db_col_int(st, 0);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE)
                return fail_stmt(db, st, "old phases");
        sqlite3_reset(st);
        for (size_t i = 0; i < n_old; i++) {
                if (in_phases(t, old[i]))
                        continue;
                st = db_stmt(db, "DELETE FROM phase WHERE id = :id");
                if (st == NULL)
                        return STORE_ERROR;
                db_bind_int(st, ":id", old[i]);
                if (step_write(db, st) != STORE_OK)
                        return STORE_ERROR;
        }
        for (size_t i = 0; i < t->n_phases; i++) {
                const struct phase *ph = &t->phases[i];
                if (ph->id > 0)
                        st = db_stmt(db, "UPDATE phase SET year = :year, target_total = :target"
                                         " WHERE id = :phase AND tranche_id = :id"
                                         " AND number = :number");
                else
                        st = db_stmt(db, "INSERT INTO phase (tranche_id, number, year,"
                                         " target_total) VALUES (:id, :number, :year, :target)");
                if (st == NULL)
                        return STORE_ERROR;
                if (ph->id > 0)
                        db_bind_int(st, ":phase", ph->id);
                db_bind_int(st, ":id", t->id);
                db_bind_int(st, ":number", ph->number);
                db_bind_int(st, ":year", ph->year);
                db_bind_int(st, ":target", ph->target_total);
                if (step_write(db, st) != STORE_OK)
                        return STORE_ERROR;
        }
        st = db_stmt(db, "DELETE FROM tranche_region_target WHERE tranche_id = :id");
        if (st == NULL)
                return STORE_ERROR;
        db_bind_int(st, ":id", t->id);
        if (step_write(db, st) != STORE_OK)
                return STORE_ERROR;
        for (size_t i = 0; i < t->n_regions; i++) {
                if (!t->regions[i].planned)
                        continue;
                st = db_stmt(db, "INSERT INTO tranche_region_target (tranche_id, region_code,"
                                 " target) VALUES (:id, :region, :target)");
                if (st == NULL)
                        return STORE_ERROR;
                db_bind_int(st, ":id", t->id);
                db_bind_text(st, ":region", t->regions[i].region_code);
                db_bind_int(st, ":target", t->regions[i].target);
                if (step_write(db, st) != STORE_OK)
                        return STORE_ERROR;
        }
        (void)a;
        return STORE_OK;
}

static void
bind_tranche(sqlite3_stmt *st, const struct tranche *t)
{
        db_bind_int(st, ":number", t->number);
        db_bind_int(st, ":start_year", t->start_year);
        db_bind_int(st, ":end_year", t->end_year);
        db_bind_int(st, ":target_total", t->target_total);
        db_bind_text(st, ":now", t->updated_at);
}

int
tranche_store_insert(struct db *db, struct tranche *t, struct arena *a)
{
        if (db_begin(db) != 0)
                return STORE_ERROR;
        long long version = 0;
        int rc = version_of(db_stmt(db, "SELECT version FROM program WHERE id = :id"),
                            t->program_id, &version);
        if (rc != STORE_OK)
                goto fail;
        t->id = 0;
        rc = number_taken(db, t);
        if (rc != STORE_OK)
                goto fail;
        rc = STORE_ERROR;
        t->created_at = t->updated_at = db_now(a);
        sqlite3_stmt *st = db_stmt(
            db, "INSERT INTO tranche (program_id, number, start_year, end_year, target_total,"
                " version, created_at, updated_at) VALUES (:program, :number, :start_year,"
                " :end_year, :target_total, 1, :now, :now)");
        if (st == NULL)
                goto fail;
        db_bind_int(st, ":program", t->program_id);
        bind_tranche(st, t);
        if (step_write(db, st) != STORE_OK)
                goto fail;
        t->id = sqlite3_last_insert_rowid(db->h);
        if (write_tranche_lists(db, t, a) != STORE_OK)
                goto fail;
        if (db_commit(db) != 0)
                goto fail;
        t->version = 1;
        return STORE_OK;
fail:
        t->id = 0;
        db_rollback(db);
        return rc;
}

int
tranche_store_update(struct db *db, struct tranche *t, long long expected_version, struct arena *a)
{
        if (db_begin(db) != 0)
                return STORE_ERROR;
        long long version = 0;
        int rc =
            version_of(db_stmt(db, "SELECT version FROM tranche WHERE id = :id"), t->id, &version);
        if (rc != STORE_OK)
                goto fail;
        if (version != expected_version) {
                rc = STORE_CONFLICT;
                goto fail;
        }
        rc = number_taken(db, t);
        if (rc != STORE_OK)
                goto fail;
        rc = STORE_ERROR;
        t->updated_at = db_now(a);
        sqlite3_stmt *st =
            db_stmt(db, "UPDATE tranche SET number = :number, start_year = :start_year,"
                        " end_year = :end_year, target_total = :target_total,"
                        " version = version + 1, updated_at = :now"
                        " WHERE id = :id AND version = :version");
        if (st == NULL)
                goto fail;
        bind_tranche(st, t);
        db_bind_int(st, ":id", t->id);
        db_bind_int(st, ":version", expected_version);
        if (step_write(db, st) != STORE_OK)
                goto fail;
        if (sqlite3_changes(db->h) != 1) {
                rc = STORE_CONFLICT;
                goto fail;
        }
        if (write_tranche_lists(db, t, a) != STORE_OK)
                goto fail;
        if (db_commit(db) != 0)
                goto fail;
        t->version = expected_version + 1;
        return STORE_OK;
fail:
        db_rollback(db);
        return rc;
}
