/* selection_store.c: the SQL of selection runs, tie draws, outcomes and promotions. */
#include "selection/selection_store.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/arena.h"
#include "core/db.h"
#include "core/http.h"
#include "core/log.h"
#include "selection/call_store.h"
#include "selection/draw_store.h"

#define MAX_APPS 100000

static int
db_fail(struct db *db, const char *what)
{
        log_error("%s: %s", what, sqlite3_errmsg(db->h));
        return STORE_ERROR;
}

/* Women and members from the eligibility snapshot, else from the cooperative's row. */
static void
members_of(const char *snapshot, long long coop_women, long long coop_total, long long *women,
           long long *total)
{
        *women = coop_women;
        *total = coop_total;
        json_t *j = snapshot && snapshot[0] ? json_loads(snapshot, 0, NULL) : NULL;
        json_t *w = json_object_get(j, "members_women"), *t = json_object_get(j, "members_total");
        if (json_is_integer(w) && json_is_integer(t)) {
                *women = json_integer_value(w);
                *total = json_integer_value(t);
        }
        json_decref(j);
}

int
selection_store_inputs(struct db *db, struct arena *a, const struct call *c, struct run_input *out)
{
        memset(out, 0, sizeof(*out));
        sqlite3_stmt *st =
            db_stmt(db, "SELECT a.id, a.region_code, a.status, a.total, COALESCE(a.submitted_at,"
                        " a.created_at), COALESCE(a.eligibility_input, ''), co.members_women,"
                        " co.members_total FROM application a JOIN cooperative co ON co.id ="
                        " a.cooperative_id WHERE a.call_id = :call AND a.status NOT IN ('draft',"
                        " 'submitted', 'withdrawn') ORDER BY a.id LIMIT 100000");
        if (st == NULL)
                return STORE_ERROR;
        db_bind_int(st, ":call", c->id);
        size_t cap = 256, n = 0;
        struct sel_candidate *cand = arena_alloc(a, cap * sizeof(*cand));
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
                if (n == cap) {
                        struct sel_candidate *bigger = arena_alloc(a, 2 * cap * sizeof(*bigger));
                        memcpy(bigger, cand, n * sizeof(*cand));
                        cand = bigger;
                        cap *= 2;
                }
                struct sel_candidate *k = &cand[n++];
                memset(k, 0, sizeof(*k));
                k->id = db_col_int(st, 0);
                k->region = db_col_text(a, st, 1);
                const char *status = (const char *)sqlite3_column_text(st, 2);
                k->eligible = status && strcmp(status, "ineligible") != 0;
                k->fully_scored = sqlite3_column_type(st, 3) != SQLITE_NULL;
                k->total = k->fully_scored ? db_col_int(st, 3) : 0;
                /* "2026-03-01T10:00:00Z" as selection.h reads it. */
                k->submitted_at = db_col_text(a, st, 4);
                members_of((const char *)sqlite3_column_text(st, 5), db_col_int(st, 6),
                           db_col_int(st, 7), &k->members_women, &k->members_total);
        }
        sqlite3_reset(st);
        if (rc != SQLITE_DONE)
                return db_fail(db, "selection inputs");

        /* The gender-equality mean of each application's submitted evaluations, in hundredths
         * of a point, rounded half up: one query for the whole call. */
        st = db_stmt(db, "SELECT s.application_id, SUM(s.score), COUNT(*) FROM evaluation_score s"
                         " JOIN evaluation e ON e.application_id = s.application_id AND"
                         " e.evaluator_id = s.evaluator_id JOIN application a ON a.id ="
                         " s.application_id WHERE a.call_id = :call AND e.submitted_at IS NOT"
                         " NULL AND s.criterion_key = 'gender_equality'"
                         " GROUP BY s.application_id ORDER BY s.application_id");
        if (st == NULL)
                return STORE_ERROR;
        db_bind_int(st, ":call", c->id);
        size_t k = 0;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
                long long id = db_col_int(st, 0), sum = db_col_int(st, 1), cnt = db_col_int(st, 2);
                while (k < n && cand[k].id < id)
                        k++;
                if (k < n && cand[k].id == id && cnt > 0)
                        cand[k].gender_mean = (200 * sum + cnt) / (2 * cnt);
        }
        sqlite3_reset(st);
        if (rc != SQLITE_DONE)
                return db_fail(db, "selection gender means");

        struct sel_seats *seats = arena_alloc(a, (c->nseats ? c->nseats : 1) * sizeof(*seats));
        for (size_t i = 0; i < c->nseats; i++) {
                seats[i].region = c->seats[i].region;
                seats[i].seats = c->seats[i].seats;
        }
        out->in.candidates = cand;
        out->in.n = n;
        out->in.seats = seats;
        out->in.nseats = c->nseats;
        out->in.national_pool = c->national_pool;
        out->in.min_score = c->min_score;
        return STORE_OK;
}

int
selection_store_counts(struct db *db, long long call_id, struct sel_counts *out)
{
        memset(out, 0, sizeof(*out));
        sqlite3_stmt *st = db_stmt(db, "SELECT status, COUNT(*), SUM(total IS NULL) FROM"
                                       " application WHERE call_id = :call GROUP BY status");
        if (st == NULL)
                return STORE_ERROR;
        db_bind_int(st, ":call", call_id);
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
                const char *s = (const char *)sqlite3_column_text(st, 0);
                int k = s ? application_status_from_code(s) : -1;
                if (k >= 0)
                        out->by_status[k] = db_col_int(st, 1);
                if (s && strcmp(s, "eligible") == 0)
                        out->unscored = db_col_int(st, 2);
        }
        sqlite3_reset(st);
        return rc == SQLITE_DONE ? STORE_OK : db_fail(db, "selection counts");
}

static const char *
group_key(struct arena *a, const struct sel_tie_group *g)
{
        const char *k = "";
        for (size_t i = 0; i < g->n; i++)
                k = arena_printf(a, "%s%s%lld", k, i ? "," : "", g->ids[i]);
        return k;
}

int
selection_store_ties(struct db *db, struct arena *a, const struct call *c,
                     const struct sel_tie_group *groups, size_t n, long long user_id,
                     struct sel_tie_order **orders, size_t *norders, long long **pending,
                     size_t *npending)
{
        *orders = arena_alloc(a, (n ? n : 1) * sizeof(**orders));
        *pending = arena_alloc(a, (n ? n : 1) * sizeof(**pending));
        *norders = *npending = 0;
        if (n == 0)
                return STORE_OK;
        if (db_begin(db) != 0)
                return STORE_ERROR;
        for (size_t i = 0; i < n; i++) {
                const struct sel_tie_group *g = &groups[i];
                const char *key = group_key(a, g);
                sqlite3_stmt *st = db_stmt(db, "SELECT draw_id FROM selection_tie WHERE call_id ="
                                               " :call AND group_ids = :ids");
                if (st == NULL)
                        goto fail;
                db_bind_int(st, ":call", c->id);
                db_bind_text(st, ":ids", key);
                int rc = sqlite3_step(st);
                long long draw_id = rc == SQLITE_ROW ? db_col_int(st, 0) : 0;
                sqlite3_reset(st);
                if (rc != SQLITE_ROW && rc != SQLITE_DONE)
                        goto fail;
                if (draw_id == 0) {
                        /* The pool names each application by id and cooperative, in id order:
                         * pool position p is g->ids[p - 1]. */
                        const char **labels = arena_alloc(a, g->n * sizeof(*labels));
                        for (size_t k = 0; k < g->n; k++) {
                                st = db_stmt(db, "SELECT co.register_number, co.name_fr FROM"
                                                 " application a JOIN cooperative co ON co.id ="
                                                 " a.cooperative_id WHERE a.id = :id");
                                if (st == NULL)
                                        goto fail;
                                db_bind_int(st, ":id", g->ids[k]);
                                rc = sqlite3_step(st);
                                labels[k] = rc == SQLITE_ROW
                                                ? arena_printf(a, "%lld %s %s", g->ids[k],
                                                               sqlite3_column_text(st, 0),
                                                               sqlite3_column_text(st, 1))
                                                : arena_printf(a, "%lld", g->ids[k]);
                                sqlite3_reset(st);
                        }
                        struct draw d = {0};
                        d.title = arena_printf(a, "%s: tie at rank %lld (%s)", c->code,
                                               g->first_rank, key);
                        d.description = arena_printf(
                            a,
                            "Applications %s have the same total, gender-equality mean, share "
                            "of women members and submission time in call %s.",
                            key, c->code);
                        d.select_count = (long long)g->n;
                        if (draw_store_create_tx(db, a, &d, labels, g->n, user_id) != STORE_OK)
                                goto fail;
                        st = db_stmt(db, "INSERT INTO selection_tie (call_id, group_ids, total,"
                                         " draw_id) VALUES (:call, :ids, :total, :draw)");
                        if (st == NULL)
                                goto fail;
                        db_bind_int(st, ":call", c->id);
                        db_bind_text(st, ":ids", key);
                        db_bind_int(st, ":total", g->total);
                        db_bind_int(st, ":draw", d.id);
                        rc = sqlite3_step(st);
                        sqlite3_reset(st);
                        if (rc != SQLITE_DONE)
                                goto fail;
                        (*pending)[(*npending)++] = d.id;
                        continue;
                }
                struct draw_detail dd;
                if (draw_store_get(db, a, draw_id, &dd) != STORE_OK)
                        goto fail;
                if (strcmp(dd.d.status, "drawn") != 0 || dd.nresult != g->n) {
                        (*pending)[(*npending)++] = draw_id;
                        continue;
                }
                long long *ids = arena_alloc(a, g->n * sizeof(*ids));
                for (size_t k = 0; k < g->n; k++) {
                        long long pos = dd.result[k];
                        if (pos < 1 || (size_t)pos > g->n)
                                goto fail;
                        ids[k] = g->ids[pos - 1];
                }
                (*orders)[*norders].ids = ids;
                (*orders)[(*norders)++].n = g->n;
        }
        if (db_commit(db) != 0)
                goto fail;
        return STORE_OK;
fail:
        db_fail(db, "selection ties");
        db_rollback(db);
        return STORE_ERROR;
}

/* The application status an outcome gives, or NULL when it keeps its own. */
static const char *
status_of(enum sel_status s)
{
        switch (s) {
        case SEL_SELECTED_REGIONAL:
        case SEL_SELECTED_NATIONAL:
                return "selected";
        case SEL_WAITLISTED:
                return "waitlisted";
        case SEL_REJECTED_BELOW_MINIMUM:
                return "rejected";
        default:
                return NULL;
        }
}

/* Moves application id to status (when it is not there already) with an event. */
static int
set_status(struct db *db, struct arena *a, long long id, const char *status, const char *reason,
           long long user_id, const char *now)
{
        sqlite3_stmt *st = db_stmt(db, "SELECT status FROM application WHERE id = :id");
        if (st == NULL)
                return STORE_ERROR;
        db_bind_int(st, ":id", id);
        int rc = sqlite3_step(st);
        char *from = rc == SQLITE_ROW ? db_col_text(a, st, 0) : NULL;
        sqlite3_reset(st);
        if (from == NULL)
                return STORE_ERROR;
        if (strcmp(from, status) == 0)
                return STORE_OK;
        st = db_stmt(db, "UPDATE application SET status = :status, version = version + 1,"
                         " updated_at = :now WHERE id = :id");
        if (st == NULL)
                return STORE_ERROR;
        db_bind_text(st, ":status", status);
        db_bind_text(st, ":now", now);
        db_bind_int(st, ":id", id);
        rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc != SQLITE_DONE)
                return STORE_ERROR;
        st = db_stmt(db, "INSERT INTO application_event (application_id, from_status, to_status,"
                         " reason, user_id, at) VALUES (:id, :from, :to, :reason, :user, :now)");
        if (st == NULL)
                return STORE_ERROR;
        db_bind_int(st, ":id", id);
        db_bind_text(st, ":from", from);
        db_bind_text(st, ":to", status);
        db_bind_text(st, ":reason", reason);
        if (user_id > 0)
                db_bind_int(st, ":user", user_id);
        else
                db_bind_null(st, ":user");
        db_bind_text(st, ":now", now);
        rc = sqlite3_step(st);
        sqlite3_reset(st);
        return rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}

/* Writes the outcomes of r for run_id (replacing any), and the statuses they give. */
static int
write_outcomes(struct db *db, struct arena *a, long long run_id, long long number,
               const struct sel_result *r, long long user_id, const char *now)
{
        sqlite3_stmt *st = db_stmt(db, "DELETE FROM selection_outcome WHERE run_id = :run");
        if (st == NULL)
                return STORE_ERROR;
        db_bind_int(st, ":run", run_id);
        int rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc != SQLITE_DONE)
                return STORE_ERROR;
        for (size_t i = 0; i < r->n; i++) {
                const struct sel_outcome *o = &r->outcomes[i];
                st = db_stmt(db, "INSERT INTO selection_outcome (run_id, application_id,"
                                 " region_code, status, reason, rank, total, waitlist,"
                                 " region_waitlist, separated_by) VALUES (:run, :app, :region,"
                                 " :status, :reason, :rank, :total, :wl, :rwl, :by)");
                if (st == NULL)
                        return STORE_ERROR;
                db_bind_int(st, ":run", run_id);
                db_bind_int(st, ":app", o->id);
                db_bind_text(st, ":region", o->region);
                db_bind_text(st, ":status", selection_status_code(o->status));
                db_bind_text(st, ":reason", selection_reason_code(o->reason));
                db_bind_int(st, ":rank", o->rank);
                db_bind_int(st, ":total", o->total);
                db_bind_int(st, ":wl", o->waitlist);
                db_bind_int(st, ":rwl", o->region_waitlist);
                db_bind_text(st, ":by", selection_by_code(o->by));
                rc = sqlite3_step(st);
                sqlite3_reset(st);
                if (rc != SQLITE_DONE)
                        return STORE_ERROR;
                const char *status = status_of(o->status);
                if (status && set_status(db, a, o->id, status,
                                         arena_printf(a, "selection run %lld: %s", number,
                                                      selection_reason_code(o->reason)),
                                         user_id, now) != STORE_OK)
                        return STORE_ERROR;
        }
        return STORE_OK;
}

/* The program's accompanied cooperatives of call c follow the selected applications of r. */
static int
sync_accompanied(struct db *db, struct arena *a, const struct call *c, const char *now)
{
        sqlite3_stmt *st = db_stmt(
            db, "DELETE FROM program_cooperative WHERE program_id = :program AND source ="
                " 'selection' AND tranche_id = :tranche AND cooperative_id IN (SELECT"
                " cooperative_id FROM application WHERE call_id = :call AND status <> 'selected')");
        if (st == NULL)
                return STORE_ERROR;
        db_bind_int(st, ":program", c->program_id);
        db_bind_int(st, ":tranche", c->tranche_id);
        db_bind_int(st, ":call", c->id);
        int rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc != SQLITE_DONE)
                return STORE_ERROR;
        st = db_stmt(db, "INSERT INTO program_cooperative (program_id, cooperative_id, tranche_id,"
                         " region_code, since, source) SELECT :program, a.cooperative_id,"
                         " :tranche, a.region_code, :since, 'selection' FROM application a"
                         " WHERE a.call_id = :call AND a.status = 'selected' AND NOT EXISTS"
                         " (SELECT 1 FROM program_cooperative p WHERE p.program_id = :program"
                         " AND p.cooperative_id = a.cooperative_id)");
        if (st == NULL)
                return STORE_ERROR;
        db_bind_int(st, ":program", c->program_id);
        db_bind_int(st, ":tranche", c->tranche_id);
        db_bind_text(st, ":since", arena_printf(a, "%.10s", now)); /* the date of the run */
        db_bind_int(st, ":call", c->id);
        rc = sqlite3_step(st);
        sqlite3_reset(st);
        return rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}

static char *
dump(json_t *j)
{
        char *s = j ? json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
        json_decref(j);
        return s;
}

int
selection_store_record(struct db *db, struct arena *a, const struct call *c,
                       const struct run_input *ri, const struct sel_result *r, long long user_id,
                       long long *run_id, long long *number)
{
        char *input = dump(run_input_to_json(ri)), *result = dump(run_result_to_json(r));
        int rc = STORE_ERROR;
        if (input == NULL || result == NULL || db_begin(db) != 0)
                goto out;
        const char *now = db_now(a);
        sqlite3_stmt *st = db_stmt(db, "UPDATE selection_run SET is_current = 0 WHERE call_id ="
                                       " :call AND is_current = 1");
        if (st == NULL)
                goto fail;
        db_bind_int(st, ":call", c->id);
        int s = sqlite3_step(st);
        sqlite3_reset(st);
        if (s != SQLITE_DONE)
                goto fail;
        st = db_stmt(db, "INSERT INTO selection_run (call_id, number, rules_version, input,"
                         " result, is_current, run_by, run_at) VALUES (:call, (SELECT"
                         " COALESCE(MAX(number), 0) + 1 FROM selection_run WHERE call_id ="
                         " :call), :rules, :input, :result, 1, :user, :now)");
        if (st == NULL)
                goto fail;
        db_bind_int(st, ":call", c->id);
        db_bind_int(st, ":rules", c->rules_version);
        db_bind_text(st, ":input", input);
        db_bind_text(st, ":result", result);
        if (user_id > 0)
                db_bind_int(st, ":user", user_id);
        else
                db_bind_null(st, ":user");
        db_bind_text(st, ":now", now);
        s = sqlite3_step(st);
        sqlite3_reset(st);
        if (s != SQLITE_DONE)
                goto fail;
        *run_id = sqlite3_last_insert_rowid(db->h);
        st = db_stmt(db, "SELECT number FROM selection_run WHERE id = :id");
        if (st == NULL)
                goto fail;
        db_bind_int(st, ":id", *run_id);
        s = sqlite3_step(st);
        *number = s == SQLITE_ROW ? db_col_int(st, 0) : 0;
        sqlite3_reset(st);
        if (*number == 0 || write_outcomes(db, a, *run_id, *number, r, user_id, now) != STORE_OK ||
            sync_accompanied(db, a, c, now) != STORE_OK)
                goto fail;
        if (db_commit(db) != 0)
                goto fail;
        rc = STORE_OK;
        goto out;
fail:
        db_fail(db, "selection record");
        db_rollback(db);
out:
        free(input);
        free(result);
        return rc;
}

#define RUN_COLUMNS                                                                                \
        " r.id, r.call_id, r.number, r.rules_version, r.input, r.result, COALESCE(u.login, ''),"   \
        " r.run_at FROM selection_run r LEFT JOIN app_user u ON u.id = r.run_by"

static void
read_run(sqlite3_stmt *st, struct arena *a, struct stored_run *out)
{
        out->id = db_col_int(st, 0);
        out->call_id = db_col_int(st, 1);
        out->number = db_col_int(st, 2);
        out->rules_version = db_col_int(st, 3);
        out->input = db_col_text(a, st, 4);
        out->result = db_col_text(a, st, 5);
        out->run_by = db_col_text(a, st, 6);
        out->run_at = db_col_text(a, st, 7);
}

int
selection_store_current(struct db *db, struct arena *a, long long call_id, struct stored_run *out)
{
        sqlite3_stmt *st =
            db_stmt(db, "SELECT" RUN_COLUMNS " WHERE r.call_id = :call AND r.is_current = 1");
        if (st == NULL)
                return STORE_ERROR;
        db_bind_int(st, ":call", call_id);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
                read_run(st, a, out);
        sqlite3_reset(st);
        return rc == SQLITE_ROW ? STORE_OK : rc == SQLITE_DONE ? STORE_NOT_FOUND : STORE_ERROR;
}

int
selection_store_run(struct db *db, struct arena *a, long long run_id, struct stored_run *out)
{
        sqlite3_stmt *st = db_stmt(db, "SELECT" RUN_COLUMNS " WHERE r.id = :id");
        if (st == NULL)
                return STORE_ERROR;
        db_bind_int(st, ":id", run_id);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
                read_run(st, a, out);
        sqlite3_reset(st);
        return rc == SQLITE_ROW ? STORE_OK : rc == SQLITE_DONE ? STORE_NOT_FOUND : STORE_ERROR;
}

#define ROW_COLUMNS                                                                                \
        " o.application_id, a.cooperative_id, co.register_number, co.name_ar, co.name_fr,"         \
        " o.region_code, a.status, o.status, o.reason, o.separated_by, o.rank, o.total,"           \
        " o.waitlist, o.region_waitlist, o.run_id FROM selection_outcome o JOIN application a ON"  \
        " a.id ="                                                                                  \
        " o.application_id JOIN cooperative co ON co.id = a.cooperative_id"

static void
read_row(sqlite3_stmt *st, struct arena *a, struct sel_row *r)
{
        r->application_id = db_col_int(st, 0);
        r->cooperative_id = db_col_int(st, 1);
        r->register_number = db_col_text(a, st, 2);
        r->name_ar = db_col_text(a, st, 3);
        r->name_fr = db_col_text(a, st, 4);
        r->region = db_col_text(a, st, 5);
        r->app_status = db_col_text(a, st, 6);
        r->status = db_col_text(a, st, 7);
        r->reason = db_col_text(a, st, 8);
        r->by = db_col_text(a, st, 9);
        r->rank = db_col_int(st, 10);
        r->total = db_col_int(st, 11);
        r->waitlist = db_col_int(st, 12);
        r->region_waitlist = db_col_int(st, 13);
}

int
selection_store_outcomes(struct db *db, struct arena *a, const struct scope *scope,
                         long long run_id, const char *region, struct sel_row **out, size_t *n)
{
        sqlite3_stmt *st = db_stmt(
            db, "SELECT" ROW_COLUMNS " WHERE o.run_id = :run AND (:region = '' OR o.region_code"
                " = :region) AND " SCOPE_SQL("o.region_code") " ORDER BY o.rank = 0, o.rank,"
                                                              " o.application_id LIMIT 5000");
        *n = 0;
        if (st == NULL)
                return STORE_ERROR;
        db_bind_int(st, ":run", run_id);
        db_bind_text(st, ":region", region ? region : "");
        store_bind_scope(st, scope);
        size_t cap = 64;
        *out = arena_alloc(a, cap * sizeof(**out));
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
                if (*n == cap) {
                        struct sel_row *bigger = arena_alloc(a, 2 * cap * sizeof(*bigger));
                        memcpy(bigger, *out, *n * sizeof(**out));
                        *out = bigger;
                        cap *= 2;
                }
                read_row(st, a, &(*out)[(*n)++]);
        }
        sqlite3_reset(st);
        return rc == SQLITE_DONE ? STORE_OK : db_fail(db, "selection outcomes");
}

int
selection_store_outcome_of(struct db *db, struct arena *a, long long application_id,
                           struct sel_row *out, struct stored_run *run)
{
        sqlite3_stmt *st = db_stmt(db, "SELECT" ROW_COLUMNS " JOIN selection_run r ON r.id ="
                                       " o.run_id WHERE o.application_id = :app AND"
                                       " r.is_current = 1");
        if (st == NULL)
                return STORE_ERROR;
        db_bind_int(st, ":app", application_id);
        int rc = sqlite3_step(st);
        long long run_id = 0;
        if (rc == SQLITE_ROW) {
                read_row(st, a, out);
                run_id = db_col_int(st, 14);
        }
        sqlite3_reset(st);
        if (rc != SQLITE_ROW)
                return rc == SQLITE_DONE ? STORE_NOT_FOUND : STORE_ERROR;
        return run_id ? selection_store_run(db, a, run_id, run) : STORE_ERROR;
}

int
selection_store_withdrawals(struct db *db, struct arena *a, const struct stored_run *run,
                            long long **ids, size_t *n)
{
        sqlite3_stmt *st = db_stmt(
            db, "SELECT e.application_id FROM application_event e JOIN selection_outcome o ON"
                " o.application_id = e.application_id AND o.run_id = :run WHERE e.to_status ="
                " 'withdrawn' AND e.at >= :at ORDER BY e.id LIMIT 100000");
        *n = 0;
        if (st == NULL)
                return STORE_ERROR;
        db_bind_int(st, ":run", run->id);
        db_bind_text(st, ":at", run->run_at);
        size_t cap = 16;
        *ids = arena_alloc(a, cap * sizeof(**ids));
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
                if (*n == cap) {
                        long long *bigger = arena_alloc(a, 2 * cap * sizeof(*bigger));
                        memcpy(bigger, *ids, *n * sizeof(**ids));
                        *ids = bigger;
                        cap *= 2;
                }
                (*ids)[(*n)++] = db_col_int(st, 0);
        }
        sqlite3_reset(st);
        return rc == SQLITE_DONE ? STORE_OK : db_fail(db, "selection withdrawals");
}

int
selection_store_after_withdrawal(struct db *db, struct arena *a, long long application_id,
                                 long long user_id, long long *promoted)
{
        *promoted = 0;
        struct sel_row row;
        struct stored_run run;
        int rc = selection_store_outcome_of(db, a, application_id, &row, &run);
        if (rc == STORE_NOT_FOUND)
                return STORE_OK; /* not in a run: nothing to promote */
        if (rc != STORE_OK)
                return rc;
        json_t *j = json_loads(run.input, 0, NULL);
        struct run_input ri;
        int bad = j == NULL || run_input_from_json(j, a, &ri) != 0;
        json_decref(j);
        long long *withdrawn;
        size_t nw;
        if (bad || selection_store_withdrawals(db, a, &run, &withdrawn, &nw) != STORE_OK)
                return STORE_ERROR;
        /* Replay everything before this withdrawal, then this one, to learn who it promotes. */
        struct sel_result before, after;
        size_t k = 0;
        while (k < nw && withdrawn[k] != application_id)
                k++;
        if (k == nw)
                return STORE_ERROR; /* the caller records the withdrawal first */
        if (run_replay(&ri, withdrawn, k, a, &before, NULL) != SEL_OK ||
            run_replay(&ri, withdrawn, k + 1, a, &after, NULL) != SEL_OK)
                return STORE_ERROR;
        const char *now = db_now(a);
        if (write_outcomes(db, a, run.id, run.number, &after, user_id, now) != STORE_OK)
                return STORE_ERROR;
        /* Keep the recorded result the current state of the run. */
        char *result = dump(run_result_to_json(&after));
        sqlite3_stmt *st = db_stmt(db, "UPDATE selection_run SET result = :result WHERE id = :id");
        if (result == NULL || st == NULL) {
                free(result);
                return STORE_ERROR;
        }
        db_bind_text(st, ":result", result);
        db_bind_int(st, ":id", run.id);
        int s = sqlite3_step(st);
        sqlite3_reset(st);
        free(result);
        if (s != SQLITE_DONE)
                return STORE_ERROR;
        for (size_t i = 0; i < after.n; i++) {
                const struct sel_outcome *o = &after.outcomes[i];
                if (o->reason != SEL_REASON_PROMOTED_REGIONAL &&
                    o->reason != SEL_REASON_PROMOTED_NATIONAL)
                        continue;
                int was = 0;
                for (size_t b = 0; b < before.n; b++)
                        if (before.outcomes[b].id == o->id)
                                was = before.outcomes[b].reason == o->reason;
                if (!was)
                        *promoted = o->id;
        }
        if (*promoted) {
                struct call c = {0};
                if (call_store_get(db, a, run.call_id, &c) != STORE_OK ||
                    sync_accompanied(db, a, &c, now) != STORE_OK)
                        return STORE_ERROR;
        }
        return STORE_OK;
}

int
selection_store_letter(struct db *db, struct arena *a, const struct scope *scope,
                       long long application_id, struct sel_letter *out)
{
        memset(out, 0, sizeof(*out));
        sqlite3_stmt *st = db_stmt(
            db, "SELECT a.id, a.call_id, a.cooperative_id, co.register_number, co.name_ar,"
                " co.name_fr, co.address, a.region_code, co.province_code, a.status,"
                " COALESCE(a.submitted_at, ''), COALESCE(a.eligibility_input, ''),"
                " COALESCE(a.rules_version, 0), COALESCE(a.total, -1) FROM application a JOIN"
                " cooperative co ON co.id = a.cooperative_id WHERE a.id = :id AND " SCOPE_SQL(
                    "a.region_code"));
        if (st == NULL)
                return STORE_ERROR;
        db_bind_int(st, ":id", application_id);
        store_bind_scope(st, scope);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
                out->application_id = db_col_int(st, 0);
                out->call_id = db_col_int(st, 1);
                out->cooperative_id = db_col_int(st, 2);
                out->register_number = db_col_text(a, st, 3);
                out->name_ar = db_col_text(a, st, 4);
                out->name_fr = db_col_text(a, st, 5);
                out->address = db_col_text(a, st, 6);
                out->region = db_col_text(a, st, 7);
                out->province = db_col_text(a, st, 8);
                out->status = db_col_text(a, st, 9);
                out->submitted_at = db_col_text(a, st, 10);
                out->eligibility_input = db_col_text(a, st, 11);
                out->rules_version = db_col_int(st, 12);
                out->total = db_col_int(st, 13);
        }
        sqlite3_reset(st);
        if (rc != SQLITE_ROW)
                return rc == SQLITE_DONE ? STORE_NOT_FOUND : STORE_ERROR;
        struct stored_run run;
        rc = selection_store_outcome_of(db, a, application_id, &out->outcome, &run);
        if (rc == STORE_OK) {
                out->has_outcome = 1;
                out->run_number = run.number;
        }
        return rc == STORE_NOT_FOUND ? STORE_OK : rc;
}

int
selection_store_rules_at(struct db *db, struct arena *a, long long call_id, long long version,
                         struct elig_rule **rules, size_t *n)
{
        sqlite3_stmt *st = db_stmt(db, "SELECT rules FROM call_rules WHERE call_id = :call AND"
                                       " version = :v");
        if (st == NULL)
                return STORE_ERROR;
        db_bind_int(st, ":call", call_id);
        db_bind_int(st, ":v", version);
        int rc = sqlite3_step(st);
        char *text = rc == SQLITE_ROW ? db_col_text(a, st, 0) : NULL;
        sqlite3_reset(st);
        if (text == NULL)
                return rc == SQLITE_DONE ? STORE_NOT_FOUND : STORE_ERROR;
        json_t *j = json_loads(text, 0, NULL);
        struct errs e;
        errs_init(&e, a, LANG_EN);
        int ok = j && eligibility_rules_from_json(j, a, rules, n, &e) == 0;
        json_decref(j);
        return ok ? STORE_OK : STORE_ERROR;
}

int
selection_store_by_region(struct db *db, struct arena *a, const struct scope *scope,
                          long long call_id, struct sel_region_status **out, size_t *n)
{
        sqlite3_stmt *st =
            db_stmt(db, "SELECT region_code, status, COUNT(*) FROM application"
                        " WHERE call_id = :call AND " SCOPE_SQL(
                            "region_code") " GROUP BY region_code, status ORDER BY region_code");
        *n = 0;
        if (st == NULL)
                return STORE_ERROR;
        db_bind_int(st, ":call", call_id);
        store_bind_scope(st, scope);
        *out = arena_alloc(a, 16 * sizeof(**out));
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
                const char *region = (const char *)sqlite3_column_text(st, 0);
                const char *status = (const char *)sqlite3_column_text(st, 1);
                if (region == NULL || status == NULL)
                        continue;
                if (*n == 0 || strcmp((*out)[*n - 1].region, region) != 0) {
                        if (*n == 16)
                                break;
                        memset(&(*out)[*n], 0, sizeof(**out));
                        (*out)[(*n)++].region = arena_strdup(a, region);
                }
                int k = application_status_from_code(status);
                if (k >= 0)
                        (*out)[*n - 1].by_status[k] = db_col_int(st, 2);
        }
        sqlite3_reset(st);
        return rc == SQLITE_DONE || rc == SQLITE_ROW ? STORE_OK : db_fail(db, "selection regions");
}
