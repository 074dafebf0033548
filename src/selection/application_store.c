/* application_store.c: the SQL of applications and of their history. Every query carries the
 * caller's region scope on the application's region. */
#include "selection/application_store.h"

#include <string.h>

#include "core/arena.h"
#include "core/db.h"
#include "core/http.h"
#include "core/log.h"
#include "registry/coop_store.h"
#include "selection/call_store.h"
#include "selection/selection_store.h"

#define APP_COLUMNS                                                                                \
        "a.id, a.call_id, a.cooperative_id, a.region_code, a.status, a.project_summary,"           \
        " a.requested_support, COALESCE(a.submitted_at, ''), COALESCE(a.rules_version, 0),"        \
        " COALESCE(a.eligibility, ''), COALESCE(a.eligibility_input, ''),"                         \
        " COALESCE(a.evaluated_at, ''), COALESCE(a.total, -1), COALESCE(a.created_by, 0),"         \
        " a.version, a.created_at, a.updated_at, COALESCE(u.login, ''), c.register_number,"        \
        " c.name_ar, c.name_fr, pc.code, pc.title_ar, pc.title_fr, pc.title_en, t.program_id"
#define APP_FROM                                                                                   \
        " FROM application a JOIN cooperative c ON c.id = a.cooperative_id"                        \
        " JOIN program_call pc ON pc.id = a.call_id JOIN tranche t ON t.id = pc.tranche_id"        \
        " LEFT JOIN app_user u ON u.id = a.created_by"

static void
read_app(sqlite3_stmt *st, struct arena *a, struct application *o)
{
        int i = 0;
        o->id = db_col_int(st, i++);
        o->call_id = db_col_int(st, i++);
        o->cooperative_id = db_col_int(st, i++);
        o->region_code = db_col_text(a, st, i++);
        o->status = db_col_text(a, st, i++);
        o->project_summary = db_col_text(a, st, i++);
        o->requested_support = db_col_text(a, st, i++);
        o->submitted_at = db_col_text(a, st, i++);
        o->rules_version = db_col_int(st, i++);
        o->eligibility = db_col_text(a, st, i++);
        o->eligibility_input = db_col_text(a, st, i++);
        o->evaluated_at = db_col_text(a, st, i++);
        o->total = db_col_int(st, i++);
        o->created_by = db_col_int(st, i++);
        o->version = db_col_int(st, i++);
        o->created_at = db_col_text(a, st, i++);
        o->updated_at = db_col_text(a, st, i++);
        o->created_by_login = db_col_text(a, st, i++);
        o->coop_register_number = db_col_text(a, st, i++);
        o->coop_name_ar = db_col_text(a, st, i++);
        o->coop_name_fr = db_col_text(a, st, i++);
        o->call_code = db_col_text(a, st, i++);
        o->call_title_ar = db_col_text(a, st, i++);
        o->call_title_fr = db_col_text(a, st, i++);
        o->call_title_en = db_col_text(a, st, i++);
        o->program_id = db_col_int(st, i++);
}

/* The filters but the status and the search; then with the search, the words of the
 * cooperative's name (the same search as the cooperatives' list) or its register number. */
#define APP_FILTERS                                                                                \
        " WHERE " SCOPE_SQL("a.region_code") " AND (:call = 0 OR a.call_id = :call)"               \
                                             " AND (:region = '' OR a.region_code = :region)"
#define APP_WHERE                                                                                  \
        APP_FILTERS " AND (c.register_number = :q OR :w1 = '' OR c.id IN (" COOP_WORD_IDS_ALL "))"

static void
bind_filter(sqlite3_stmt *st, const struct scope *scope, const struct application_filter *f,
            struct arena *a)
{
        store_bind_scope(st, scope);
        db_bind_int(st, ":call", f->call_id);
        db_bind_text(st, ":region", f->region ? f->region : "");
        db_bind_text(st, ":q", f->q_raw ? f->q_raw : "");
        store_bind_words(st, f->q, a);
}

int
application_store_list(struct db *db, const struct scope *scope, const struct application_filter *f,
                       struct arena *a, struct application **items, size_t *n, long long *total,
                       long long counts[APP_STATUS_COUNT])
{
        long long by_status[APP_STATUS_COUNT] = {0};
        *items = NULL;
        *n = 0;
        *total = 0;
        /* One pass counts every status; the total of the list follows from it. Without a
         * search, the cooperatives are not joined: the join looked up one cooperative per
         * application for nothing (perf: most of the list page's time). */
        int search = f->q_raw && f->q_raw[0];
        sqlite3_stmt *st =
            search ? db_stmt(db, "SELECT a.status, COUNT(*) FROM application a JOIN cooperative c"
                                 " ON c.id = a.cooperative_id" APP_WHERE " GROUP BY a.status")
                   : db_stmt(db, "SELECT a.status, COUNT(*) FROM application a" APP_FILTERS
                                 " GROUP BY a.status");
        if (st == NULL)
                return STORE_ERROR;
        if (search) {
                bind_filter(st, scope, f, a);
        } else {
                store_bind_scope(st, scope);
                db_bind_int(st, ":call", f->call_id);
                db_bind_text(st, ":region", f->region ? f->region : "");
        }
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
                int s = application_status_from_code((const char *)sqlite3_column_text(st, 0));
                if (s >= 0)
                        by_status[s] = db_col_int(st, 1);
        }
        sqlite3_reset(st);
        if (rc != SQLITE_DONE)
                goto fail;
        int want = f->status && f->status[0] ? application_status_from_code(f->status) : -1;
        for (int s = 0; s < APP_STATUS_COUNT; s++) {
                if (want < 0 || want == s)
                        *total += by_status[s];
                if (counts)
                        counts[s] = by_status[s];
        }
        if (*total == 0 || f->offset >= *total)
                return STORE_OK;

        st = db_stmt(db, "SELECT " APP_COLUMNS APP_FROM APP_WHERE
                         " AND (:status = '' OR a.status = :status)"
                         " ORDER BY a.id DESC LIMIT :limit OFFSET :offset");
        if (st == NULL)
                return STORE_ERROR;
        bind_filter(st, scope, f, a);
        db_bind_text(st, ":status", f->status ? f->status : "");
        db_bind_int(st, ":limit", f->limit);
        db_bind_int(st, ":offset", f->offset);
        size_t cap = (size_t)(f->limit > 0 && f->limit < 1000 ? f->limit : 1000);
        *items = arena_alloc(a, cap * sizeof(**items));
        while (*n < cap && (rc = sqlite3_step(st)) == SQLITE_ROW)
                read_app(st, a, &(*items)[(*n)++]);
        sqlite3_reset(st);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE)
                goto fail;
        return STORE_OK;
fail:
        log_error("application list: %s", sqlite3_errmsg(db->h));
        return STORE_ERROR;
}

int
application_store_get(struct db *db, const struct scope *scope, long long id, struct arena *a,
                      struct application *out)
{
        sqlite3_stmt *st = db_stmt(db, "SELECT " APP_COLUMNS APP_FROM " WHERE a.id = :id"
                                       " AND " SCOPE_SQL("a.region_code"));
        if (st == NULL)
                return STORE_ERROR;
        db_bind_int(st, ":id", id);
        store_bind_scope(st, scope);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
                read_app(st, a, out);
        sqlite3_reset(st);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE)
                log_error("application get: %s", sqlite3_errmsg(db->h));
        return rc == SQLITE_ROW ? STORE_OK : rc == SQLITE_DONE ? STORE_NOT_FOUND : STORE_ERROR;
}

#define EVENTS_MAX 500

int
application_store_events(struct db *db, const struct scope *scope, long long id, struct arena *a,
                         struct application_event **out, size_t *n)
{
        *n = 0;
        *out = NULL;
        sqlite3_stmt *st = db_stmt(
            db, "SELECT e.id, COALESCE(e.from_status, ''), e.to_status, e.reason,"
                " COALESCE(e.user_id, 0), COALESCE(u.login, ''), e.at FROM application_event e"
                " JOIN application a ON a.id = e.application_id LEFT JOIN app_user u"
                " ON u.id = e.user_id WHERE e.application_id = :id"
                " AND " SCOPE_SQL("a.region_code") " ORDER BY e.id LIMIT 500");
        if (st == NULL)
                return STORE_ERROR;
        db_bind_int(st, ":id", id);
        store_bind_scope(st, scope);
        *out = arena_alloc(a, EVENTS_MAX * sizeof(**out));
        int rc = SQLITE_DONE;
        while (*n < EVENTS_MAX && (rc = sqlite3_step(st)) == SQLITE_ROW) {
                struct application_event *e = &(*out)[(*n)++];
                e->id = db_col_int(st, 0);
                e->from_status = db_col_text(a, st, 1);
                e->to_status = db_col_text(a, st, 2);
                e->reason = db_col_text(a, st, 3);
                e->user_id = db_col_int(st, 4);
                e->user_login = db_col_text(a, st, 5);
                e->at = db_col_text(a, st, 6);
        }
        sqlite3_reset(st);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
                log_error("application events: %s", sqlite3_errmsg(db->h));
                return STORE_ERROR;
        }
        return STORE_OK;
}

static int
step_write(struct db *db, sqlite3_stmt *st, const char *what)
{
        int rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc == SQLITE_DONE)
                return STORE_OK;
        if (sqlite3_extended_errcode(db->h) == SQLITE_CONSTRAINT_UNIQUE)
                return STORE_DUPLICATE;
        log_error("%s: %s", what, sqlite3_errmsg(db->h));
        return STORE_ERROR;
}

/* One line of the history. from is NULL for the creation; user_id 0 for none. */
static int
add_event(struct db *db, long long app_id, const char *from, const char *to, const char *reason,
          long long user_id, const char *at)
{
        sqlite3_stmt *st =
            db_stmt(db, "INSERT INTO application_event (application_id, from_status, to_status,"
                        " reason, user_id, at) VALUES (:app, :from, :to, :reason, :user, :at)");
        if (st == NULL)
                return STORE_ERROR;
        db_bind_int(st, ":app", app_id);
        if (from)
                db_bind_text(st, ":from", from);
        else
                db_bind_null(st, ":from");
        db_bind_text(st, ":to", to);
        db_bind_text(st, ":reason", reason ? reason : "");
        if (user_id > 0)
                db_bind_int(st, ":user", user_id);
        else
                db_bind_null(st, ":user");
        db_bind_text(st, ":at", at);
        return step_write(db, st, "application event");
}

int
application_store_insert_tx(struct db *db, const struct scope *scope, struct application *app,
                            long long user_id, long long *existing_id, struct arena *a)
{
        *existing_id = 0;
        sqlite3_stmt *st = db_stmt(db, "SELECT region_code FROM cooperative WHERE id = :id"
                                       " AND " SCOPE_SQL("region_code"));
        if (st == NULL)
                return STORE_ERROR;
        db_bind_int(st, ":id", app->cooperative_id);
        store_bind_scope(st, scope);
        int rc = sqlite3_step(st);
        const char *region = rc == SQLITE_ROW ? db_col_text(a, st, 0) : NULL;
        sqlite3_reset(st);
        if (rc != SQLITE_ROW)
                return rc == SQLITE_DONE ? STORE_NOT_FOUND : STORE_ERROR;

        st = db_stmt(db, "SELECT 1 FROM program_call WHERE id = :id");
        if (st == NULL)
                return STORE_ERROR;
        db_bind_int(st, ":id", app->call_id);
        rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc != SQLITE_ROW)
                return rc == SQLITE_DONE ? STORE_NOT_FOUND : STORE_ERROR;

        st = db_stmt(db, "SELECT id FROM application WHERE call_id = :call"
                         " AND cooperative_id = :coop");
        if (st == NULL)
                return STORE_ERROR;
        db_bind_int(st, ":call", app->call_id);
        db_bind_int(st, ":coop", app->cooperative_id);
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
                *existing_id = db_col_int(st, 0);
        sqlite3_reset(st);
        if (rc == SQLITE_ROW)
                return STORE_DUPLICATE;
        if (rc != SQLITE_DONE)
                return STORE_ERROR;

        const char *now = db_now(a);
        st = db_stmt(db, "INSERT INTO application (call_id, cooperative_id, region_code, status,"
                         " project_summary, requested_support, created_by, version, created_at,"
                         " updated_at) VALUES (:call, :coop, :region, 'draft', :summary,"
                         " :support, :user, 1, :now, :now)");
        if (st == NULL)
                return STORE_ERROR;
        db_bind_int(st, ":call", app->call_id);
        db_bind_int(st, ":coop", app->cooperative_id);
        db_bind_text(st, ":region", region);
        db_bind_text(st, ":summary", app->project_summary ? app->project_summary : "");
        db_bind_text(st, ":support", app->requested_support ? app->requested_support : "");
        if (user_id > 0)
                db_bind_int(st, ":user", user_id);
        else
                db_bind_null(st, ":user");
        db_bind_text(st, ":now", now);
        rc = step_write(db, st, "application insert");
        if (rc != STORE_OK)
                return rc;
        app->id = sqlite3_last_insert_rowid(db->h);
        app->region_code = region;
        app->status = "draft";
        app->version = 1;
        app->created_by = user_id;
        app->created_at = app->updated_at = now;
        return add_event(db, app->id, NULL, "draft", "", user_id, now);
}

int
application_store_insert(struct db *db, const struct scope *scope, struct application *app,
                         long long user_id, long long *existing_id, struct arena *a)
{
        if (db_begin(db) != 0)
                return STORE_ERROR;
        int rc = application_store_insert_tx(db, scope, app, user_id, existing_id, a);
        if (rc == STORE_OK && db_commit(db) != 0)
                rc = STORE_ERROR;
        if (rc != STORE_OK)
                db_rollback(db);
        return rc;
}

int
application_store_update(struct db *db, const struct scope *scope, struct application *app,
                         long long expected_version, struct arena *a)
{
        if (db_begin(db) != 0)
                return STORE_ERROR;
        struct application old;
        int rc = application_store_get(db, scope, app->id, a, &old);
        if (rc != STORE_OK)
                goto fail;
        rc = STORE_CONFLICT;
        if (old.version != expected_version || strcmp(old.status, "draft") != 0)
                goto fail;
        const char *now = db_now(a);
        sqlite3_stmt *st = db_stmt(
            db, "UPDATE application SET project_summary = :summary, requested_support = :support,"
                " version = version + 1, updated_at = :now WHERE id = :id AND version = :version"
                " AND status = 'draft'");
        rc = STORE_ERROR;
        if (st == NULL)
                goto fail;
        db_bind_text(st, ":summary", app->project_summary);
        db_bind_text(st, ":support", app->requested_support);
        db_bind_text(st, ":now", now);
        db_bind_int(st, ":id", app->id);
        db_bind_int(st, ":version", expected_version);
        rc = step_write(db, st, "application update");
        if (rc != STORE_OK)
                goto fail;
        if (sqlite3_changes(db->h) != 1) {
                rc = STORE_CONFLICT;
                goto fail;
        }
        if (db_commit(db) != 0) {
                rc = STORE_ERROR;
                goto fail;
        }
        app->version = expected_version + 1;
        app->updated_at = now;
        return STORE_OK;
fail:
        db_rollback(db);
        return rc;
}

/*
 * Opens the transaction of a status change: reads the application within scope and checks its
 * version (expected 0: any) and that its status allows action. On success the transaction is
 * open; otherwise it is rolled back.
 */
static int
begin_change(struct db *db, const struct scope *scope, long long id, long long expected,
             enum app_action action, struct arena *a, struct application *app,
             enum app_refusal *why)
{
        *why = APP_OK;
        if (db_begin(db) != 0)
                return STORE_ERROR;
        int rc = application_store_get(db, scope, id, a, app);
        if (rc != STORE_OK) {
                db_rollback(db);
                return rc;
        }
        if (expected > 0 && app->version != expected) {
                db_rollback(db);
                return STORE_CONFLICT;
        }
        int from = application_status_from_code(app->status);
        /* Every actor and a reason: only the status is judged here (the caller judged the
         * role and the reason). */
        if (from < 0 || application_check_any(~0u, action, (enum app_status)from, "-") != APP_OK) {
                *why = APP_REFUSED_STATUS;
                db_rollback(db);
                return STORE_CONFLICT;
        }
        return STORE_OK;
}

static int
end_change(struct db *db, int rc)
{
        if (rc == STORE_OK && db_commit(db) != 0)
                rc = STORE_ERROR;
        if (rc != STORE_OK)
                db_rollback(db);
        return rc;
}

/* Evaluates app's eligibility now (inside the caller's transaction). */
static int
evaluate(struct db *db, const struct application *app, struct arena *a, struct app_evaluation *ev)
{
        struct call c;
        if (call_store_get(db, a, app->call_id, &c) != STORE_OK)
                return STORE_ERROR;
        /* The application passed the caller's scope; its cooperative is read as it is now,
         * wherever it is. */
        struct scope all = {.user_id = 0, .all = 1};
        struct coop co;
        if (coop_store_get(db, &all, app->cooperative_id, a, &co) != STORE_OK)
                return STORE_ERROR;
        int acc = call_store_accompanied(db, c.program_id, co.id);
        if (acc < 0 || application_evaluate(&c, &co, acc, a, ev) != 0)
                return STORE_ERROR;
        return STORE_OK;
}

/* Stores an evaluation and the new status (submitted_at set when submitting). */
static int
store_evaluation(struct db *db, struct application *app, const struct app_evaluation *ev,
                 int submitting, const char *now)
{
        const char *to = ev->eligible ? "eligible" : "ineligible";
        sqlite3_stmt *st;
        if (submitting)
                st = db_stmt(db, "UPDATE application SET status = :to, submitted_at = :now,"
                                 " rules_version = :rv, eligibility = :el,"
                                 " eligibility_input = :input, evaluated_at = :now,"
                                 " version = version + 1, updated_at = :now"
                                 " WHERE id = :id AND version = :version");
        else
                st = db_stmt(db, "UPDATE application SET status = :to, rules_version = :rv,"
                                 " eligibility = :el, eligibility_input = :input,"
                                 " evaluated_at = :now, version = version + 1, updated_at = :now"
                                 " WHERE id = :id AND version = :version");
        if (st == NULL)
                return STORE_ERROR;
        db_bind_text(st, ":to", to);
        db_bind_text(st, ":now", now);
        db_bind_int(st, ":rv", ev->rules_version);
        db_bind_text(st, ":el", ev->result);
        db_bind_text(st, ":input", ev->input);
        db_bind_int(st, ":id", app->id);
        db_bind_int(st, ":version", app->version);
        int rc = step_write(db, st, "application evaluation");
        if (rc != STORE_OK)
                return rc;
        if (sqlite3_changes(db->h) != 1)
                return STORE_CONFLICT;
        app->status = to;
        if (submitting)
                app->submitted_at = now;
        app->rules_version = ev->rules_version;
        app->eligibility = ev->result;
        app->eligibility_input = ev->input;
        app->evaluated_at = now;
        app->version++;
        app->updated_at = now;
        return STORE_OK;
}

int
application_store_submit(struct db *db, const struct scope *scope, long long id,
                         long long expected_version, long long user_id, struct arena *a,
                         struct application *app, enum app_refusal *why)
{
        int rc = begin_change(db, scope, id, expected_version, APP_ACT_SUBMIT, a, app, why);
        if (rc != STORE_OK)
                return rc;
        const char *now = db_now(a);
        struct app_evaluation ev;
        rc = evaluate(db, app, a, &ev);
        if (rc == STORE_OK)
                rc = store_evaluation(db, app, &ev, 1, now);
        if (rc == STORE_OK)
                rc = add_event(db, id, "draft", "submitted", "", user_id, now);
        if (rc == STORE_OK)
                rc = add_event(db, id, "submitted", app->status, "", user_id, now);
        return end_change(db, rc);
}

int
application_store_reevaluate(struct db *db, const struct scope *scope, long long id,
                             long long expected_version, const char *reason, long long user_id,
                             struct arena *a, struct application *app, enum app_refusal *why)
{
        int rc = begin_change(db, scope, id, expected_version, APP_ACT_REEVALUATE, a, app, why);
        if (rc != STORE_OK)
                return rc;
        const char *from = app->status;
        const char *now = db_now(a);
        struct app_evaluation ev;
        rc = evaluate(db, app, a, &ev);
        if (rc == STORE_OK)
                rc = store_evaluation(db, app, &ev, 0, now);
        if (rc == STORE_OK)
                rc = add_event(db, id, from, app->status, reason, user_id, now);
        return end_change(db, rc);
}

int
application_store_withdraw(struct db *db, const struct scope *scope, long long id,
                           long long expected_version, const char *reason, long long user_id,
                           struct arena *a, struct application *app, enum app_refusal *why)
{
        int rc = begin_change(db, scope, id, expected_version, APP_ACT_WITHDRAW, a, app, why);
        if (rc != STORE_OK)
                return rc;
        const char *from = app->status;
        const char *now = db_now(a);
        sqlite3_stmt *st = db_stmt(db, "UPDATE application SET status = 'withdrawn',"
                                       " version = version + 1, updated_at = :now"
                                       " WHERE id = :id AND version = :version");
        rc = STORE_ERROR;
        if (st != NULL) {
                db_bind_text(st, ":now", now);
                db_bind_int(st, ":id", id);
                db_bind_int(st, ":version", app->version);
                rc = step_write(db, st, "application withdraw");
                if (rc == STORE_OK && sqlite3_changes(db->h) != 1)
                        rc = STORE_CONFLICT;
        }
        if (rc == STORE_OK) {
                app->status = "withdrawn";
                app->version++;
                app->updated_at = now;
                rc = add_event(db, id, from, "withdrawn", reason, user_id, now);
        }
        /* A seat it held goes to the next on the waitlist, in the same transaction. */
        long long promoted = 0;
        if (rc == STORE_OK)
                rc = selection_store_after_withdrawal(db, a, id, user_id, &promoted);
        return end_change(db, rc);
}

int
application_store_rules_text(struct db *db, long long call_id, long long version, struct arena *a,
                             const char **rules_json)
{
        *rules_json = NULL;
        sqlite3_stmt *st =
            db_stmt(db, "SELECT rules FROM call_rules WHERE call_id = :call AND version = :v");
        if (st == NULL)
                return STORE_ERROR;
        db_bind_int(st, ":call", call_id);
        db_bind_int(st, ":v", version);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
                *rules_json = db_col_text(a, st, 0);
        sqlite3_reset(st);
        return rc == SQLITE_ROW ? STORE_OK : rc == SQLITE_DONE ? STORE_NOT_FOUND : STORE_ERROR;
}
