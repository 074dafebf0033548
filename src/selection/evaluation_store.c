/* evaluation_store.c: the SQL of evaluators, declarations and scores, and of the application's
 * total and status that follow from them. */
#include "selection/evaluation_store.h"

#include <string.h>

#include "core/arena.h"
#include "core/db.h"
#include "core/http.h"
#include "core/i18n.h"
#include "core/log.h"
#include "selection/call.h"
#include "selection/call_store.h"

#define APP_COLUMNS                                                                                \
        "a.id, a.call_id, a.cooperative_id, a.created_by, a.version, a.status, a.region_code,"     \
        " a.project_summary, a.total, c.register_number, c.name_ar, c.name_fr, c.members_total,"   \
        " c.members_women, c.members_youth"
#define APP_NCOLUMNS 15
#define APP_FROM     " FROM application a JOIN cooperative c ON c.id = a.cooperative_id"

static void
read_app(sqlite3_stmt *st, struct arena *a, int at, struct evaluation_app *out)
{
        memset(out, 0, sizeof(*out));
        out->id = db_col_int(st, at + 0);
        out->call_id = db_col_int(st, at + 1);
        out->cooperative_id = db_col_int(st, at + 2);
        out->created_by = db_col_int(st, at + 3);
        out->version = db_col_int(st, at + 4);
        out->status = db_col_text(a, st, at + 5);
        out->region_code = db_col_text(a, st, at + 6);
        out->project_summary = db_col_text(a, st, at + 7);
        out->has_total = sqlite3_column_type(st, at + 8) != SQLITE_NULL;
        out->total = db_col_int(st, at + 8);
        out->register_number = db_col_text(a, st, at + 9);
        out->coop_name_ar = db_col_text(a, st, at + 10);
        out->coop_name_fr = db_col_text(a, st, at + 11);
        out->members_total = db_col_int(st, at + 12);
        out->members_women = db_col_int(st, at + 13);
        out->members_youth = db_col_int(st, at + 14);
}

#define EVAL_COLUMNS                                                                               \
        "e.application_id, e.evaluator_id, e.assigned_by, u.login, u.role, b.login,"               \
        " e.assigned_at, e.no_conflict_at, e.conflict_at, e.submitted_at, e.conflict_note,"        \
        " e.comment, e.version"
#define EVAL_FROM                                                                                  \
        " FROM evaluation e JOIN app_user u ON u.id = e.evaluator_id"                              \
        " LEFT JOIN app_user b ON b.id = e.assigned_by"

static void
read_eval(sqlite3_stmt *st, struct arena *a, int at, struct evaluation *ev)
{
        memset(ev, 0, sizeof(*ev));
        ev->application_id = db_col_int(st, at + 0);
        ev->evaluator_id = db_col_int(st, at + 1);
        ev->assigned_by = db_col_int(st, at + 2);
        ev->evaluator_login = db_col_text(a, st, at + 3);
        ev->evaluator_role = db_col_text(a, st, at + 4);
        ev->assigned_by_login = db_col_text(a, st, at + 5);
        ev->assigned_at = db_col_text(a, st, at + 6);
        ev->no_conflict_at = db_col_text(a, st, at + 7);
        ev->conflict_at = db_col_text(a, st, at + 8);
        ev->submitted_at = db_col_text(a, st, at + 9);
        ev->conflict_note = db_col_text(a, st, at + 10);
        ev->comment = db_col_text(a, st, at + 11);
        ev->version = db_col_int(st, at + 12);
}

/* STORE_OK when the last step ended normally (a row or the end), else logs what failed. */
static int
done_rc(struct db *db, int rc, const char *what)
{
        if (rc == SQLITE_DONE || rc == SQLITE_ROW)
                return STORE_OK;
        log_error("%s: %s", what, sqlite3_errmsg(db->h));
        return STORE_ERROR;
}

/* ---- reads ---- */

int
evaluation_store_app(struct db *db, struct arena *a, const struct scope *scope, long long id,
                     struct evaluation_app *out)
{
        sqlite3_stmt *st = db_stmt(db, "SELECT " APP_COLUMNS APP_FROM
                                       " WHERE a.id = :id AND " SCOPE_SQL("a.region_code"));
        if (st == NULL)
                return STORE_ERROR;
        db_bind_int(st, ":id", id);
        store_bind_scope(st, scope);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
                read_app(st, a, 0, out);
        sqlite3_reset(st);
        return rc == SQLITE_ROW ? STORE_OK : rc == SQLITE_DONE ? STORE_NOT_FOUND : STORE_ERROR;
}

int
evaluation_store_app_of(struct db *db, struct arena *a, long long id, long long me,
                        struct evaluation_app *out)
{
        sqlite3_stmt *st = db_stmt(db, "SELECT " APP_COLUMNS APP_FROM
                                       " JOIN evaluation e ON e.application_id = a.id"
                                       " WHERE a.id = :id AND e.evaluator_id = :me");
        if (st == NULL)
                return STORE_ERROR;
        db_bind_int(st, ":id", id);
        db_bind_int(st, ":me", me);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
                read_app(st, a, 0, out);
        sqlite3_reset(st);
        return rc == SQLITE_ROW ? STORE_OK : rc == SQLITE_DONE ? STORE_NOT_FOUND : STORE_ERROR;
}

static int
read_scores(struct db *db, struct arena *a, struct evaluation *ev)
{
        sqlite3_stmt *st = db_stmt(db, "SELECT criterion_key, score FROM evaluation_score"
                                       " WHERE application_id = :a AND evaluator_id = :u"
                                       " ORDER BY criterion_key LIMIT 32");
        if (st == NULL)
                return STORE_ERROR;
        db_bind_int(st, ":a", ev->application_id);
        db_bind_int(st, ":u", ev->evaluator_id);
        ev->scores = arena_alloc(a, SCORING_MAX_CRITERIA * sizeof(*ev->scores));
        ev->nscores = 0;
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW && ev->nscores < SCORING_MAX_CRITERIA) {
                ev->scores[ev->nscores].key = db_col_text(a, st, 0);
                ev->scores[ev->nscores++].score = db_col_int(st, 1);
        }
        sqlite3_reset(st);
        return done_rc(db, rc, "evaluation scores");
}

int
evaluation_store_get(struct db *db, struct arena *a, long long application_id,
                     long long evaluator_id, struct evaluation *out)
{
        sqlite3_stmt *st = db_stmt(db, "SELECT " EVAL_COLUMNS EVAL_FROM
                                       " WHERE e.application_id = :a AND e.evaluator_id = :u");
        if (st == NULL)
                return STORE_ERROR;
        db_bind_int(st, ":a", application_id);
        db_bind_int(st, ":u", evaluator_id);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
                read_eval(st, a, 0, out);
        sqlite3_reset(st);
        if (rc != SQLITE_ROW)
                return rc == SQLITE_DONE ? STORE_NOT_FOUND : STORE_ERROR;
        return read_scores(db, a, out);
}

/* Orders evaluations by application, then evaluator, for the binary search below. */
static int
cmp_eval(const void *pa, const void *pb)
{
        const struct evaluation *a = *(struct evaluation *const *)pa;
        const struct evaluation *b = *(struct evaluation *const *)pb;
        if (a->application_id != b->application_id)
                return a->application_id < b->application_id ? -1 : 1;
        return (a->evaluator_id > b->evaluator_id) - (a->evaluator_id < b->evaluator_id);
}

/* Gives evs[0..n) their scores from st, which yields (application_id, evaluator_id, key,
 * score) rows: one statement for them all instead of one per evaluation. */
static int
attach_scores(struct db *db, sqlite3_stmt *st, struct arena *a, struct evaluation *evs, size_t n)
{
        struct evaluation **index = arena_alloc(a, (n ? n : 1) * sizeof(*index));
        for (size_t i = 0; i < n; i++) {
                index[i] = &evs[i];
                evs[i].scores = arena_alloc(a, SCORING_MAX_CRITERIA * sizeof(*evs[i].scores));
                evs[i].nscores = 0;
        }
        qsort(index, n, sizeof(*index), cmp_eval);
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
                struct evaluation key = {.application_id = db_col_int(st, 0),
                                         .evaluator_id = db_col_int(st, 1)};
                struct evaluation *kp = &key,
                                  **hit = bsearch(&kp, index, n, sizeof(*index), cmp_eval);
                if (hit == NULL || (*hit)->nscores >= SCORING_MAX_CRITERIA)
                        continue;
                (*hit)->scores[(*hit)->nscores].key = db_col_text(a, st, 2);
                (*hit)->scores[(*hit)->nscores++].score = db_col_int(st, 3);
        }
        sqlite3_reset(st);
        return done_rc(db, rc, "evaluation scores");
}

int
evaluation_store_list(struct db *db, struct arena *a, long long application_id,
                      struct evaluation **out, size_t *n)
{
        sqlite3_stmt *st =
            db_stmt(db, "SELECT " EVAL_COLUMNS EVAL_FROM " WHERE e.application_id = :a"
                        " ORDER BY e.assigned_at, e.evaluator_id LIMIT 100");
        *n = 0;
        if (st == NULL)
                return STORE_ERROR;
        db_bind_int(st, ":a", application_id);
        *out = arena_alloc(a, SCORING_MAX_EVALS * sizeof(**out));
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW && *n < SCORING_MAX_EVALS)
                read_eval(st, a, 0, &(*out)[(*n)++]);
        sqlite3_reset(st);
        if (done_rc(db, rc, "evaluation list") != STORE_OK)
                return STORE_ERROR;
        st = db_stmt(db, "SELECT application_id, evaluator_id, criterion_key, score FROM"
                         " evaluation_score WHERE application_id = :a LIMIT 3200");
        if (st == NULL)
                return STORE_ERROR;
        db_bind_int(st, ":a", application_id);
        return attach_scores(db, st, a, *out, *n);
}

int
evaluation_store_list_call(struct db *db, struct arena *a, const struct scope *scope,
                           long long call_id, struct evaluation **out, size_t *n)
{
        sqlite3_stmt *st = db_stmt(
            db, "SELECT " EVAL_COLUMNS EVAL_FROM " JOIN application a ON a.id = e.application_id"
                " WHERE a.call_id = :call AND " SCOPE_SQL(
                    "a.region_code") " ORDER BY e.application_id, e.assigned_at, e.evaluator_id "
                                     "LIMIT 200000");
        *n = 0;
        if (st == NULL)
                return STORE_ERROR;
        db_bind_int(st, ":call", call_id);
        store_bind_scope(st, scope);
        size_t cap = 64;
        *out = arena_alloc(a, cap * sizeof(**out));
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
                if (*n == cap) {
                        struct evaluation *bigger = arena_alloc(a, 2 * cap * sizeof(*bigger));
                        memcpy(bigger, *out, *n * sizeof(**out));
                        *out = bigger;
                        cap *= 2;
                }
                read_eval(st, a, 0, &(*out)[(*n)++]);
        }
        sqlite3_reset(st);
        if (done_rc(db, rc, "call evaluations") != STORE_OK)
                return STORE_ERROR;
        st = db_stmt(db, "SELECT s.application_id, s.evaluator_id, s.criterion_key, s.score FROM"
                         " evaluation_score s JOIN application a ON a.id = s.application_id"
                         " WHERE a.call_id = :call AND " SCOPE_SQL("a.region_code"));
        if (st == NULL)
                return STORE_ERROR;
        db_bind_int(st, ":call", call_id);
        store_bind_scope(st, scope);
        return attach_scores(db, st, a, *out, *n);
}

/* The state of an evaluation row in SQL, as evaluation_state_of computes it. */
#define STATE_SQL                                                                                  \
        "(CASE WHEN e.conflict_at IS NOT NULL THEN 'conflict'"                                     \
        " WHEN e.submitted_at IS NOT NULL THEN 'submitted'"                                        \
        " WHEN e.no_conflict_at IS NOT NULL THEN 'draft' ELSE 'to_declare' END)"

int
evaluation_store_mine(struct db *db, struct arena *a, long long me, const char *state,
                      long long offset, long long limit, struct evaluation_mine **out, size_t *n,
                      long long *total)
{
        *n = 0;
        *total = 0;
        sqlite3_stmt *st =
            db_stmt(db, "SELECT COUNT(*) FROM evaluation e WHERE e.evaluator_id = :me"
                        " AND (:state = '' OR " STATE_SQL " = :state)");
        if (st == NULL)
                return STORE_ERROR;
        db_bind_int(st, ":me", me);
        db_bind_text(st, ":state", state);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
                *total = db_col_int(st, 0);
        sqlite3_reset(st);
        if (rc != SQLITE_ROW) {
                done_rc(db, rc, "my evaluations count");
                return STORE_ERROR;
        }

        st = db_stmt(db, "SELECT " APP_COLUMNS ", " EVAL_COLUMNS
                         ", p.code, p.title_ar, p.title_fr, p.title_en" APP_FROM
                         " JOIN evaluation e ON e.application_id = a.id"
                         " JOIN app_user u ON u.id = e.evaluator_id"
                         " LEFT JOIN app_user b ON b.id = e.assigned_by"
                         " JOIN program_call p ON p.id = a.call_id"
                         " WHERE e.evaluator_id = :me AND (:state = '' OR " STATE_SQL " = :state)"
                         " ORDER BY (CASE " STATE_SQL " WHEN 'to_declare' THEN 0 WHEN 'draft'"
                         " THEN 1 ELSE 2 END), e.assigned_at DESC, a.id DESC"
                         " LIMIT :limit OFFSET :offset");
        if (st == NULL)
                return STORE_ERROR;
        db_bind_int(st, ":me", me);
        db_bind_text(st, ":state", state);
        db_bind_int(st, ":limit", limit);
        db_bind_int(st, ":offset", offset);
        *out = arena_alloc(a, (size_t)(limit > 0 ? limit : 1) * sizeof(**out));
        while ((rc = sqlite3_step(st)) == SQLITE_ROW && (long long)*n < limit) {
                struct evaluation_mine *m = &(*out)[(*n)++];
                read_app(st, a, 0, &m->app);
                read_eval(st, a, APP_NCOLUMNS, &m->ev);
                m->call_code = db_col_text(a, st, APP_NCOLUMNS + 13);
                m->call_title_ar = db_col_text(a, st, APP_NCOLUMNS + 14);
                m->call_title_fr = db_col_text(a, st, APP_NCOLUMNS + 15);
                m->call_title_en = db_col_text(a, st, APP_NCOLUMNS + 16);
        }
        sqlite3_reset(st);
        return done_rc(db, rc, "my evaluations");
}

int
evaluation_store_overview(struct db *db, struct arena *a, const struct scope *scope,
                          long long call_id, const char *region, const char *status,
                          long long offset, long long limit, struct evaluation_overview **out,
                          size_t *n, long long *total)
{
        *n = 0;
        *total = 0;
        sqlite3_stmt *st = db_stmt(db, "SELECT COUNT(*) FROM application a WHERE a.call_id = :call"
                                       " AND (:region = '' OR a.region_code = :region)"
                                       " AND (:status = '' OR a.status = :status)"
                                       " AND " SCOPE_SQL("a.region_code"));
        if (st == NULL)
                return STORE_ERROR;
        db_bind_int(st, ":call", call_id);
        db_bind_text(st, ":region", region);
        db_bind_text(st, ":status", status);
        store_bind_scope(st, scope);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
                *total = db_col_int(st, 0);
        sqlite3_reset(st);
        if (rc != SQLITE_ROW) {
                done_rc(db, rc, "evaluation overview count");
                return STORE_ERROR;
        }

        st = db_stmt(db,
                     "SELECT " APP_COLUMNS ","
                     " (SELECT COUNT(*) FROM evaluation e WHERE e.application_id = a.id),"
                     " (SELECT COUNT(*) FROM evaluation e WHERE e.application_id = a.id"
                     "  AND e.submitted_at IS NOT NULL AND e.conflict_at IS NULL),"
                     " (SELECT COUNT(*) FROM evaluation e WHERE e.application_id = a.id"
                     "  AND e.conflict_at IS NOT NULL)" APP_FROM " WHERE a.call_id = :call"
                     " AND (:region = '' OR a.region_code = :region)"
                     " AND (:status = '' OR a.status = :status)"
                     " AND " SCOPE_SQL("a.region_code") " ORDER BY a.region_code, c.name_fr, a.id"
                                                        " LIMIT :limit OFFSET :offset");
        if (st == NULL)
                return STORE_ERROR;
        db_bind_int(st, ":call", call_id);
        db_bind_text(st, ":region", region);
        db_bind_text(st, ":status", status);
        store_bind_scope(st, scope);
        db_bind_int(st, ":limit", limit);
        db_bind_int(st, ":offset", offset);
        *out = arena_alloc(a, (size_t)(limit > 0 ? limit : 1) * sizeof(**out));
        while ((rc = sqlite3_step(st)) == SQLITE_ROW && (long long)*n < limit) {
                struct evaluation_overview *o = &(*out)[(*n)++];
                read_app(st, a, 0, &o->app);
                o->assigned = db_col_int(st, APP_NCOLUMNS);
                o->submitted = db_col_int(st, APP_NCOLUMNS + 1);
                o->conflicts = db_col_int(st, APP_NCOLUMNS + 2);
        }
        sqlite3_reset(st);
        return done_rc(db, rc, "evaluation overview");
}

#define USERS_MAX 1000

int
evaluation_store_users(struct db *db, struct arena *a, struct evaluation_user **out, size_t *n)
{
        sqlite3_stmt *st = db_stmt(db, "SELECT id, login, role FROM app_user WHERE disabled = 0"
                                       " ORDER BY login LIMIT 1000");
        *n = 0;
        if (st == NULL)
                return STORE_ERROR;
        *out = arena_alloc(a, USERS_MAX * sizeof(**out));
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW && *n < USERS_MAX) {
                struct evaluation_user *u = &(*out)[(*n)++];
                u->id = db_col_int(st, 0);
                u->login = db_col_text(a, st, 1);
                u->role = db_col_text(a, st, 2);
        }
        sqlite3_reset(st);
        return done_rc(db, rc, "evaluation users");
}

/* ---- writes ---- */

/* Reasons of the application events these writes cause (English; msgids for the pages). */
static const char reason_complete[] = N_("Every evaluation submitted.");
static const char reason_assigned[] = N_("An evaluator was assigned.");
static const char reason_removed[] = N_("An evaluator was removed.");
static const char reason_reopened[] = N_("An evaluation was reopened.");

struct app_state {
        long long call_id, created_by, version;
        const char *status;
        int has_total;
        long long total;
};

/* Reads the application's state in the transaction; STORE_NOT_FOUND or EVAL_STORE_CLOSED. */
static int
app_state(struct db *db, struct arena *a, long long id, struct app_state *s)
{
        sqlite3_stmt *st = db_stmt(db, "SELECT call_id, created_by, version, status, total"
                                       " FROM application WHERE id = :id");
        if (st == NULL)
                return STORE_ERROR;
        db_bind_int(st, ":id", id);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
                s->call_id = db_col_int(st, 0);
                s->created_by = db_col_int(st, 1);
                s->version = db_col_int(st, 2);
                s->status = db_col_text(a, st, 3);
                s->has_total = sqlite3_column_type(st, 4) != SQLITE_NULL;
                s->total = db_col_int(st, 4);
        }
        sqlite3_reset(st);
        if (rc != SQLITE_ROW)
                return rc == SQLITE_DONE ? STORE_NOT_FOUND : STORE_ERROR;
        if (strcmp(s->status, "eligible") != 0 && strcmp(s->status, "scored") != 0)
                return EVAL_STORE_CLOSED;
        return STORE_OK;
}

static int
step_done(struct db *db, sqlite3_stmt *st, const char *what)
{
        if (st == NULL)
                return STORE_ERROR;
        int rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc != SQLITE_DONE) {
                log_error("%s: %s", what, sqlite3_errmsg(db->h));
                return STORE_ERROR;
        }
        return STORE_OK;
}

static int
audit(struct db *db, struct arena *a, long long app, long long evaluator, const char *action,
      const char *reason, long long by)
{
        sqlite3_stmt *st =
            db_stmt(db, "INSERT INTO evaluation_event (application_id, evaluator_id, action,"
                        " reason, user_id, at) VALUES (:a, :e, :action, :reason, :by, :at)");
        if (st == NULL)
                return STORE_ERROR;
        db_bind_int(st, ":a", app);
        db_bind_int(st, ":e", evaluator);
        db_bind_text(st, ":action", action);
        db_bind_text(st, ":reason", reason ? reason : "");
        if (by > 0)
                db_bind_int(st, ":by", by);
        else
                db_bind_null(st, ":by");
        db_bind_text(st, ":at", db_now(a));
        return step_done(db, st, "evaluation event");
}

/*
 * Computes the application's total again from its evaluations, inside the caller's
 * transaction: complete (every expected evaluation submitted) sets the total and moves an
 * eligible application to scored; otherwise the total is cleared and a scored application
 * goes back to eligible with `reason`. A status change is an application_event by `by`; any
 * change bumps the application's version.
 */
static int
recompute(struct db *db, struct arena *a, long long app, long long by, const char *reason)
{
        struct app_state s;
        int rc = app_state(db, a, app, &s);
        if (rc != STORE_OK)
                return rc == EVAL_STORE_CLOSED ? STORE_OK : rc;
        struct call c;
        struct scoring_grid g;
        if (call_store_get(db, a, s.call_id, &c) != STORE_OK)
                return STORE_ERROR;
        struct evaluation *evs;
        size_t n;
        if (evaluation_store_list(db, a, app, &evs, &n) != STORE_OK)
                return STORE_ERROR;
        struct evaluation_summary sum = {0};
        if (call_grid(&c, a, &g) == 0) {
                struct evaluation_sheet *sheets = arena_alloc(a, (n ? n : 1) * sizeof(*sheets));
                for (size_t i = 0; i < n; i++) {
                        long long *scores = arena_alloc(a, g.n * sizeof(*scores));
                        evaluation_scores_in_grid(&g, &evs[i], scores);
                        sheets[i].state = evaluation_state_of(&evs[i]);
                        sheets[i].scores = scores;
                }
                if (evaluation_summarize(&g, sheets, n, c.disagreement_gap, &sum) != 0) {
                        log_error("application %lld: its scores do not fit the grid", app);
                        return STORE_ERROR;
                }
        }
        const char *status = s.status;
        if (sum.complete && strcmp(s.status, "eligible") == 0)
                status = "scored";
        else if (!sum.complete && strcmp(s.status, "scored") == 0)
                status = "eligible";
        int total_changed = sum.complete ? !s.has_total || s.total != sum.total : s.has_total;
        int status_changed = strcmp(status, s.status) != 0;
        if (!total_changed && !status_changed)
                return STORE_OK;
        const char *now = db_now(a);
        sqlite3_stmt *st = db_stmt(db, "UPDATE application SET total = :total, status = :status,"
                                       " version = version + 1, updated_at = :now WHERE id = :id");
        if (st == NULL)
                return STORE_ERROR;
        if (sum.complete)
                db_bind_int(st, ":total", sum.total);
        else
                db_bind_null(st, ":total");
        db_bind_text(st, ":status", status);
        db_bind_text(st, ":now", now);
        db_bind_int(st, ":id", app);
        if (step_done(db, st, "application total") != STORE_OK)
                return STORE_ERROR;
        if (!status_changed)
                return STORE_OK;
        st = db_stmt(db, "INSERT INTO application_event (application_id, from_status, to_status,"
                         " reason, user_id, at) VALUES (:a, :from, :to, :reason, :by, :at)");
        if (st == NULL)
                return STORE_ERROR;
        db_bind_int(st, ":a", app);
        db_bind_text(st, ":from", s.status);
        db_bind_text(st, ":to", status);
        db_bind_text(st, ":reason", sum.complete ? reason_complete : reason);
        db_bind_int(st, ":by", by);
        db_bind_text(st, ":at", now);
        return step_done(db, st, "application event");
}

static int
finish(struct db *db, int rc)
{
        if (rc == STORE_OK && db_commit(db) != 0)
                rc = STORE_ERROR;
        if (rc != STORE_OK)
                db_rollback(db);
        return rc;
}

/* Whether user id exists and is active: STORE_OK or EVAL_STORE_DISABLED. */
static int
user_active(struct db *db, long long id)
{
        sqlite3_stmt *st = db_stmt(db, "SELECT disabled FROM app_user WHERE id = :id");
        if (st == NULL)
                return STORE_ERROR;
        db_bind_int(st, ":id", id);
        int rc = sqlite3_step(st);
        int disabled = rc == SQLITE_ROW ? (int)db_col_int(st, 0) : 1;
        sqlite3_reset(st);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE)
                return STORE_ERROR;
        return disabled ? EVAL_STORE_DISABLED : STORE_OK;
}

static long long
count_evaluations(struct db *db, long long app)
{
        sqlite3_stmt *st = db_stmt(db, "SELECT COUNT(*) FROM evaluation WHERE application_id = :a");
        if (st == NULL)
                return -1;
        db_bind_int(st, ":a", app);
        long long n = sqlite3_step(st) == SQLITE_ROW ? db_col_int(st, 0) : -1;
        sqlite3_reset(st);
        return n;
}

/* Inserts one assignment unless it exists: 1 inserted, 0 already there, or STORE_ERROR. */
static int
insert_assignment(struct db *db, struct arena *a, long long app, long long user, long long by)
{
        sqlite3_stmt *st = db_stmt(
            db, "INSERT INTO evaluation (application_id, evaluator_id, assigned_by, assigned_at)"
                " VALUES (:a, :u, :by, :at) ON CONFLICT (application_id, evaluator_id) DO NOTHING");
        if (st == NULL)
                return STORE_ERROR;
        db_bind_int(st, ":a", app);
        db_bind_int(st, ":u", user);
        db_bind_int(st, ":by", by);
        db_bind_text(st, ":at", db_now(a));
        if (step_done(db, st, "evaluation assign") != STORE_OK)
                return STORE_ERROR;
        if (sqlite3_changes(db->h) == 0)
                return 0;
        return audit(db, a, app, user, "assigned", "", by) == STORE_OK ? 1 : STORE_ERROR;
}

/* Checks ids: each an active user, none twice. Sets *bad on refusal. */
static int
check_users(struct db *db, const long long *ids, size_t n, size_t *bad)
{
        for (size_t i = 0; i < n; i++) {
                *bad = i;
                for (size_t j = 0; j < i; j++)
                        if (ids[j] == ids[i])
                                return STORE_DUPLICATE;
                int rc = user_active(db, ids[i]);
                if (rc != STORE_OK)
                        return rc;
        }
        return STORE_OK;
}

int
evaluation_store_assign(struct db *db, struct arena *a, long long application_id,
                        const long long *ids, size_t n, long long by, size_t *bad)
{
        struct app_state s;
        size_t dummy;
        if (bad == NULL)
                bad = &dummy;
        *bad = 0;
        if (db_begin(db) != 0)
                return STORE_ERROR;
        int rc = app_state(db, a, application_id, &s);
        if (rc == STORE_OK)
                rc = check_users(db, ids, n, bad);
        long long have = rc == STORE_OK ? count_evaluations(db, application_id) : 0;
        if (have < 0)
                rc = STORE_ERROR;
        if (rc == STORE_OK && have + (long long)n > SCORING_MAX_EVALS)
                rc = EVAL_STORE_TOO_MANY;
        for (size_t i = 0; rc == STORE_OK && i < n; i++) {
                *bad = i;
                if (s.created_by > 0 && ids[i] == s.created_by) {
                        rc = EVAL_STORE_CREATOR;
                        break;
                }
                int ins = insert_assignment(db, a, application_id, ids[i], by);
                rc = ins < 0 ? ins : ins == 0 ? STORE_DUPLICATE : STORE_OK;
        }
        if (rc == STORE_OK)
                rc = recompute(db, a, application_id, by, reason_assigned);
        return finish(db, rc);
}

#define CALL_APPS_MAX 100000

int
evaluation_store_assign_call(struct db *db, struct arena *a, const struct scope *scope,
                             long long call_id, const char *region, const long long *ids, size_t n,
                             long long by, long long *added, long long *apps, size_t *bad)
{
        size_t dummy;
        if (bad == NULL)
                bad = &dummy;
        *bad = 0;
        *added = *apps = 0;
        if (db_begin(db) != 0)
                return STORE_ERROR;
        int rc = check_users(db, ids, n, bad);
        if (rc != STORE_OK)
                return finish(db, rc);
        sqlite3_stmt *st = db_stmt(db, "SELECT id, created_by FROM application"
                                       " WHERE call_id = :call AND status = 'eligible'"
                                       " AND (:region = '' OR region_code = :region)"
                                       " AND " SCOPE_SQL("region_code") " ORDER BY id"
                                                                        " LIMIT 100000");
        if (st == NULL)
                return finish(db, STORE_ERROR);
        db_bind_int(st, ":call", call_id);
        db_bind_text(st, ":region", region);
        store_bind_scope(st, scope);
        struct {
                long long id, created_by;
        } *list = NULL;
        size_t cap = 0, count = 0;
        int step;
        while ((step = sqlite3_step(st)) == SQLITE_ROW && count < CALL_APPS_MAX) {
                if (count == cap) {
                        size_t ncap = cap ? 2 * cap : 256;
                        void *p = arena_alloc(a, ncap * sizeof(*list));
                        if (count)
                                memcpy(p, list, count * sizeof(*list));
                        list = p;
                        cap = ncap;
                }
                list[count].id = db_col_int(st, 0);
                list[count++].created_by = db_col_int(st, 1);
        }
        sqlite3_reset(st);
        if (done_rc(db, step, "evaluation call applications") != STORE_OK)
                return finish(db, STORE_ERROR);
        for (size_t i = 0; rc == STORE_OK && i < count; i++) {
                long long have = count_evaluations(db, list[i].id);
                if (have < 0) {
                        rc = STORE_ERROR;
                        break;
                }
                for (size_t k = 0; k < n && rc == STORE_OK; k++) {
                        if (ids[k] == list[i].created_by || have >= SCORING_MAX_EVALS)
                                continue;
                        int ins = insert_assignment(db, a, list[i].id, ids[k], by);
                        if (ins < 0)
                                rc = ins;
                        *added += ins > 0;
                        have += ins > 0;
                }
        }
        *apps = (long long)count;
        return finish(db, rc);
}

/* Reads the evaluation in the transaction, with the application's state. */
static int
load(struct db *db, struct arena *a, long long app, long long evaluator, struct app_state *s,
     struct evaluation *ev)
{
        int rc = app_state(db, a, app, s);
        if (rc == STORE_NOT_FOUND || rc == STORE_ERROR)
                return rc;
        int rc2 = evaluation_store_get(db, a, app, evaluator, ev);
        /* Not assigned answers "not found" before "closed": the evaluator must not learn
         * anything of an application that is not theirs. */
        return rc2 != STORE_OK ? rc2 : rc;
}

int
evaluation_store_remove(struct db *db, struct arena *a, long long application_id,
                        long long evaluator_id, long long by)
{
        struct app_state s;
        struct evaluation ev;
        if (db_begin(db) != 0)
                return STORE_ERROR;
        int rc = load(db, a, application_id, evaluator_id, &s, &ev);
        if (rc == STORE_OK && evaluation_state_of(&ev) == EVALUATION_SUBMITTED)
                rc = EVAL_STORE_STATE;
        if (rc == STORE_OK) {
                sqlite3_stmt *st = db_stmt(db, "DELETE FROM evaluation_score"
                                               " WHERE application_id = :a AND evaluator_id = :u");
                if (st) {
                        db_bind_int(st, ":a", application_id);
                        db_bind_int(st, ":u", evaluator_id);
                }
                rc = step_done(db, st, "evaluation remove scores");
        }
        if (rc == STORE_OK) {
                sqlite3_stmt *st = db_stmt(db, "DELETE FROM evaluation"
                                               " WHERE application_id = :a AND evaluator_id = :u");
                if (st) {
                        db_bind_int(st, ":a", application_id);
                        db_bind_int(st, ":u", evaluator_id);
                }
                rc = step_done(db, st, "evaluation remove");
        }
        if (rc == STORE_OK)
                rc = audit(db, a, application_id, evaluator_id, "removed", "", by);
        if (rc == STORE_OK)
                rc = recompute(db, a, application_id, by, reason_removed);
        return finish(db, rc);
}

int
evaluation_store_declare(struct db *db, struct arena *a, long long application_id, long long me,
                         int conflict, const char *note)
{
        struct app_state s;
        struct evaluation ev;
        if (db_begin(db) != 0)
                return STORE_ERROR;
        int rc = load(db, a, application_id, me, &s, &ev);
        if (rc != STORE_OK)
                return finish(db, rc);
        enum evaluation_state state = evaluation_state_of(&ev);
        if (state != EVALUATION_TO_DECLARE) {
                int same = conflict ? state == EVALUATION_CONFLICT : state != EVALUATION_CONFLICT;
                db_rollback(db);
                return same ? STORE_OK : EVAL_STORE_STATE;
        }
        sqlite3_stmt *st =
            conflict
                ? db_stmt(db, "UPDATE evaluation SET conflict_at = :now, conflict_note = :note,"
                              " version = version + 1"
                              " WHERE application_id = :a AND evaluator_id = :u")
                : db_stmt(db, "UPDATE evaluation SET no_conflict_at = :now,"
                              " version = version + 1"
                              " WHERE application_id = :a AND evaluator_id = :u");
        if (st) {
                db_bind_text(st, ":now", db_now(a));
                if (conflict)
                        db_bind_text(st, ":note", note ? note : "");
                db_bind_int(st, ":a", application_id);
                db_bind_int(st, ":u", me);
        }
        rc = step_done(db, st, "evaluation declare");
        if (rc == STORE_OK)
                rc = audit(db, a, application_id, me, conflict ? "conflict" : "no_conflict",
                           conflict ? note : "", me);
        /* A conflict takes an evaluation out of those expected: the others may now be all. */
        if (rc == STORE_OK && conflict)
                rc = recompute(db, a, application_id, me, reason_removed);
        return finish(db, rc);
}

int
evaluation_store_save(struct db *db, struct arena *a, long long application_id, long long me,
                      const struct evaluation_score *scores, size_t n, const char *comment,
                      int submit, long long expected_version, long long *version)
{
        struct app_state s;
        struct evaluation ev;
        if (db_begin(db) != 0)
                return STORE_ERROR;
        int rc = load(db, a, application_id, me, &s, &ev);
        if (rc != STORE_OK)
                return finish(db, rc);
        switch (evaluation_state_of(&ev)) {
        case EVALUATION_TO_DECLARE:
                return finish(db, EVAL_STORE_UNDECLARED);
        case EVALUATION_CONFLICT:
        case EVALUATION_SUBMITTED:
                return finish(db, EVAL_STORE_STATE);
        case EVALUATION_DRAFT:
                break;
        }
        if (expected_version > 0 && expected_version != ev.version)
                return finish(db, STORE_CONFLICT);
        sqlite3_stmt *st = db_stmt(db, "DELETE FROM evaluation_score"
                                       " WHERE application_id = :a AND evaluator_id = :u");
        if (st) {
                db_bind_int(st, ":a", application_id);
                db_bind_int(st, ":u", me);
        }
        rc = step_done(db, st, "evaluation scores clear");
        for (size_t i = 0; rc == STORE_OK && i < n; i++) {
                st = db_stmt(db, "INSERT INTO evaluation_score (application_id, evaluator_id,"
                                 " criterion_key, score) VALUES (:a, :u, :k, :s)");
                if (st) {
                        db_bind_int(st, ":a", application_id);
                        db_bind_int(st, ":u", me);
                        db_bind_text(st, ":k", scores[i].key);
                        db_bind_int(st, ":s", scores[i].score);
                }
                rc = step_done(db, st, "evaluation score");
        }
        if (rc == STORE_OK) {
                st = db_stmt(db, "UPDATE evaluation SET comment = :comment,"
                                 " submitted_at = (CASE WHEN :submit = 1 THEN :now END),"
                                 " version = version + 1"
                                 " WHERE application_id = :a AND evaluator_id = :u");
                if (st) {
                        db_bind_text(st, ":comment", comment ? comment : "");
                        db_bind_int(st, ":submit", submit ? 1 : 0);
                        db_bind_text(st, ":now", db_now(a));
                        db_bind_int(st, ":a", application_id);
                        db_bind_int(st, ":u", me);
                }
                rc = step_done(db, st, "evaluation save");
        }
        if (rc == STORE_OK && submit)
                rc = audit(db, a, application_id, me, "submitted", "", me);
        if (rc == STORE_OK && submit)
                rc = recompute(db, a, application_id, me, reason_reopened);
        if (rc == STORE_OK && version)
                *version = ev.version + 1;
        return finish(db, rc);
}

int
evaluation_store_reopen(struct db *db, struct arena *a, long long application_id,
                        long long evaluator_id, long long by, const char *reason)
{
        struct app_state s;
        struct evaluation ev;
        if (db_begin(db) != 0)
                return STORE_ERROR;
        int rc = load(db, a, application_id, evaluator_id, &s, &ev);
        if (rc == STORE_OK && evaluation_state_of(&ev) != EVALUATION_SUBMITTED)
                rc = EVAL_STORE_STATE;
        if (rc == STORE_OK) {
                sqlite3_stmt *st = db_stmt(db, "UPDATE evaluation SET submitted_at = NULL,"
                                               " version = version + 1"
                                               " WHERE application_id = :a AND evaluator_id = :u");
                if (st) {
                        db_bind_int(st, ":a", application_id);
                        db_bind_int(st, ":u", evaluator_id);
                }
                rc = step_done(db, st, "evaluation reopen");
        }
        if (rc == STORE_OK)
                rc = audit(db, a, application_id, evaluator_id, "reopened", reason, by);
        if (rc == STORE_OK)
                rc = recompute(db, a, application_id, by, reason_reopened);
        return finish(db, rc);
}
