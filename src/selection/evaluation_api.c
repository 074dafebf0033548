/* evaluation_api.c: the JSON API of evaluations: an evaluator's list and own evaluation
 * (declare, save, submit), a manager's view of an application's evaluations (assign, remove,
 * reopen), a call's evaluation overview and its bulk assignment, and the users to assign. */
#include <string.h>

#include "core/arena.h"
#include "core/i18n.h"
#include "core/validate.h"
#include "registry/geo.h"
#include "selection/call_web.h"
#include "selection/evaluation_web.h"
#include "web/api.h"
#include "web/layout.h"
#include "web/pages.h"

#define PER_PAGE_DEFAULT 50
#define PER_PAGE_MAX     200
#define COMMENT_MAX      4000
#define NOTE_MAX         1000
#define REASON_MAX       500

/* Points as a JSON number (87.35, or 87 when whole). */
static json_t *
points_json(long long h)
{
        return h % 100 == 0 ? json_integer(h / 100) : json_real((double)h / 100.0);
}

static json_t *
str_or_null(const char *s)
{
        return json_str_or_null(s);
}

/* What an evaluator may see of an application (evaluation_store.h says which fields). */
static json_t *
app_json(const struct evaluation_app *app, int manager)
{
        json_t *o = json_pack(
            "{s:I, s:I, s:s, s:s, s:s, s:{s:I, s:s, s:s, s:s, s:I, s:I, s:I}}", "id",
            (json_int_t)app->id, "call_id", (json_int_t)app->call_id, "status", app->status,
            "region_code", app->region_code, "project_summary", app->project_summary, "cooperative",
            "id", (json_int_t)app->cooperative_id, "register_number", app->register_number,
            "name_ar", app->coop_name_ar, "name_fr", app->coop_name_fr, "members_total",
            (json_int_t)app->members_total, "members_women", (json_int_t)app->members_women,
            "members_youth", (json_int_t)app->members_youth);
        if (o && manager) {
                json_object_set_new(o, "total",
                                    app->has_total ? points_json(app->total) : json_null());
                json_object_set_new(o, "total_hundredths",
                                    app->has_total ? json_integer(app->total) : json_null());
                json_object_set_new(o, "version", json_integer(app->version));
        }
        return o;
}

static json_t *
criteria_json(const struct call *c)
{
        json_t *arr = json_array();
        for (size_t i = 0; i < c->ncriteria; i++) {
                const struct call_criterion *k = &c->criteria[i];
                json_array_append_new(
                    arr, json_pack("{s:s, s:s, s:s, s:s, s:I, s:I}", "key", k->key, "label_ar",
                                   k->label_ar, "label_fr", k->label_fr, "label_en", k->label_en,
                                   "weight", (json_int_t)k->weight, "max", (json_int_t)k->max));
        }
        return arr;
}

static json_t *
scores_json(const struct scoring_grid *g, const long long *scores)
{
        json_t *o = json_object();
        for (size_t k = 0; k < g->n; k++)
                json_object_set_new(o, g->criteria[k].key,
                                    scores[k] >= 0 ? json_integer(scores[k]) : json_null());
        return o;
}

/* One evaluation's own fields. */
static json_t *
evaluation_json(const struct evaluation *ev, const struct scoring_grid *g, const long long *scores,
                int has_own, long long own)
{
        json_t *o = json_pack(
            "{s:I, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:s, s:s, s:I}", "evaluator_id",
            (json_int_t)ev->evaluator_id, "evaluator_login", ev->evaluator_login, "evaluator_role",
            ev->evaluator_role, "state", evaluation_state_code(evaluation_state_of(ev)),
            "assigned_at", str_or_null(ev->assigned_at), "no_conflict_at",
            str_or_null(ev->no_conflict_at), "conflict_at", str_or_null(ev->conflict_at),
            "submitted_at", str_or_null(ev->submitted_at), "conflict_note", ev->conflict_note,
            "comment", ev->comment, "version", (json_int_t)ev->version);
        if (o == NULL)
                return NULL;
        json_object_set_new(o, "assigned_by", str_or_null(ev->assigned_by_login));
        json_object_set_new(o, "scores", scores_json(g, scores));
        json_object_set_new(o, "total", has_own ? points_json(own) : json_null());
        json_object_set_new(o, "total_hundredths", has_own ? json_integer(own) : json_null());
        return o;
}

static json_t *
mine_json(const struct eval_mine_view *m)
{
        json_t *o = evaluation_json(&m->ev, &m->v.grid, m->scores, m->has_own, m->own);
        if (o == NULL)
                return NULL;
        /* The evaluator's own view: who assigned them is the managers' business. */
        json_object_del(o, "assigned_by");
        json_object_set_new(o, "application", app_json(&m->v.app, 0));
        json_object_set_new(o, "criteria", criteria_json(&m->v.call));
        return o;
}

static json_t *
summary_json(const struct evaluation_summary *s, const struct scoring_grid *g, long long gap)
{
        json_t *means = json_object();
        for (size_t k = 0; k < g->n; k++)
                json_object_set_new(means, g->criteria[k].key,
                                    s->has_total ? points_json(s->means[k]) : json_null());
        return json_pack(
            "{s:I, s:I, s:I, s:I, s:b, s:o, s:o, s:o, s:b, s:o, s:o}", "assigned",
            (json_int_t)s->assigned, "expected", (json_int_t)s->expected, "submitted",
            (json_int_t)s->submitted, "conflicts", (json_int_t)s->conflicts, "complete",
            s->complete, "total", s->has_total ? points_json(s->total) : json_null(),
            "total_hundredths", s->has_total ? json_integer(s->total) : json_null(), "means", means,
            "disagreement", s->disagreement, "spread",
            s->has_total ? points_json(s->spread) : json_null(), "gap", points_json(gap));
}

static json_t *
all_json(const struct eval_all_view *v)
{
        json_t *evs = json_array();
        for (size_t i = 0; i < v->n; i++)
                json_array_append_new(evs, evaluation_json(&v->evs[i], &v->v.grid, v->scores[i],
                                                           v->sum.own[i] >= 0, v->sum.own[i]));
        return json_pack("{s:o, s:o, s:o, s:o}", "application", app_json(&v->v.app, 1), "criteria",
                         criteria_json(&v->v.call), "evaluations", evs, "summary",
                         summary_json(&v->sum, &v->v.grid, v->v.call.disagreement_gap));
}

/* The body must be an object whose fields are all in fields. */
static int
body_or_reply(struct request *req, const char *const *fields, struct errs *e)
{
        if (req->json == NULL) {
                req->json = json_object();
        }
        if (!json_is_object(req->json)) {
                reply_error(req, ERR_BAD_REQUEST,
                            _(req->lang, "Send a JSON object with the fields described in the API "
                                         "documentation."),
                            NULL, 0);
                return -1;
        }
        if (json_check_fields(req->json, fields, NULL, e) != 0) {
                reply_error(req, ERR_VALIDATION, NULL, e->list, e->n);
                return -1;
        }
        return 0;
}

static int
paging(struct request *req, struct errs *e, long long *page, long long *per_page)
{
        v_int(e, "page", req_query(req, "page"), 0, 1, 1000000, 1, page);
        v_int(e, "per_page", req_query(req, "per_page"), 0, 1, PER_PAGE_MAX, PER_PAGE_DEFAULT,
              per_page);
        return e->n ? -1 : 0;
}

/* ---- the evaluator's own ---- */

void
api_evaluation_list(struct request *req)
{
        struct arena *a = req->arena;
        struct errs e;
        errs_init(&e, a, req->lang);
        static const char *const codes[] = {"to_declare", "draft", "submitted", "conflict", NULL};
        const char *state = v_enum(&e, "state", req_query_str(req, "state"), 0, codes);
        long long page = 1, per_page = PER_PAGE_DEFAULT;
        paging(req, &e, &page, &per_page);
        if (e.n) {
                reply_error(req, ERR_BAD_REQUEST, NULL, e.list, e.n);
                return;
        }
        struct evaluation_mine *rows;
        size_t n;
        long long total;
        if (evaluation_store_mine(req->db, a, req->user->id, state ? state : "",
                                  (page - 1) * per_page, per_page, &rows, &n, &total) != STORE_OK) {
                reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
                return;
        }
        json_t *items = json_array();
        for (size_t i = 0; i < n; i++) {
                struct evaluation_mine *m = &rows[i];
                json_t *o = app_json(&m->app, 0);
                json_object_del(o, "project_summary");
                json_object_set_new(o, "application_id", json_integer(m->app.id));
                json_object_del(o, "id");
                json_object_set_new(o, "call_code", json_string(m->call_code));
                json_object_set_new(
                    o, "state", json_string(evaluation_state_code(evaluation_state_of(&m->ev))));
                json_object_set_new(o, "assigned_at", str_or_null(m->ev.assigned_at));
                json_object_set_new(o, "submitted_at", str_or_null(m->ev.submitted_at));
                json_array_append_new(items, o);
        }
        reply_json(req, 200,
                   json_pack("{s:o, s:I, s:I, s:I}", "items", items, "total", (json_int_t)total,
                             "page", (json_int_t)page, "per_page", (json_int_t)per_page));
}

void
api_evaluation_get(struct request *req)
{
        struct eval_mine_view m;
        if (eval_load_mine(req, &m) != 0)
                return;
        reply_json(req, 200, mine_json(&m));
}

/* Answers with the evaluator's evaluation as it is now. */
static void
reply_mine(struct request *req)
{
        struct eval_mine_view m;
        if (eval_load_mine(req, &m) != 0)
                return;
        reply_json(req, 200, mine_json(&m));
}

void
api_evaluation_declare(struct request *req)
{
        struct eval_mine_view m;
        if (eval_load_mine(req, &m) != 0)
                return;
        struct errs e;
        errs_init(&e, req->arena, req->lang);
        static const char *const fields[] = {"no_conflict", NULL};
        if (body_or_reply(req, fields, &e) != 0)
                return;
        json_t *v = json_object_get(req->json, "no_conflict");
        if (!json_is_true(v)) {
                errs_add(&e, "no_conflict",
                         "Send true to declare that you have no conflict of interest, or declare "
                         "your conflict instead.");
                reply_error(req, ERR_VALIDATION, NULL, e.list, e.n);
                return;
        }
        int rc = evaluation_store_declare(req->db, req->arena, req->id, req->user->id, 0, NULL);
        if (rc != STORE_OK) {
                eval_reply_store(req, rc);
                return;
        }
        reply_mine(req);
}

void
api_evaluation_conflict(struct request *req)
{
        struct eval_mine_view m;
        if (eval_load_mine(req, &m) != 0)
                return;
        struct errs e;
        errs_init(&e, req->arena, req->lang);
        static const char *const fields[] = {"note", NULL};
        if (body_or_reply(req, fields, &e) != 0)
                return;
        struct json_fields jf = {req->json, &e, req->arena};
        const char *note = v_text(&e, "note", json_field_get(&jf, "note"), 0, NOTE_MAX, 1);
        if (e.n) {
                reply_error(req, ERR_VALIDATION, NULL, e.list, e.n);
                return;
        }
        int rc = evaluation_store_declare(req->db, req->arena, req->id, req->user->id, 1, note);
        if (rc != STORE_OK) {
                eval_reply_store(req, rc);
                return;
        }
        reply_mine(req);
}

/* Saves the body's scores and comment (PATCH semantics), submitting when submit is set. */
static void
save(struct request *req, int submit)
{
        struct arena *a = req->arena;
        struct eval_mine_view m;
        if (eval_load_mine(req, &m) != 0)
                return;
        struct errs e;
        errs_init(&e, a, req->lang);
        static const char *const fields[] = {"scores", "comment", "version", NULL};
        if (body_or_reply(req, fields, &e) != 0)
                return;
        if (m.state == EVALUATION_TO_DECLARE) {
                eval_reply_store(req, EVAL_STORE_UNDECLARED);
                return;
        }
        if (m.state != EVALUATION_DRAFT) {
                eval_reply_store(req, EVAL_STORE_STATE);
                return;
        }
        const struct scoring_grid *g = &m.v.grid;
        json_t *js = json_object_get(req->json, "scores");
        if (js && !json_is_object(js) && !json_is_null(js)) {
                errs_add(&e, "scores",
                         "Give the scores as an object of criterion keys and whole numbers.");
        } else if (js && json_is_object(js)) {
                size_t n = json_object_size(js), i = 0;
                struct evaluation_score_text *in = arena_alloc(a, (n ? n : 1) * sizeof(*in));
                const char *key;
                json_t *v;
                json_object_foreach(js, key, v)
                {
                        in[i].key = arena_strdup(a, key);
                        if (json_is_integer(v))
                                in[i].value =
                                    arena_printf(a, "%lld", (long long)json_integer_value(v));
                        else if (json_is_null(v))
                                in[i].value = "";
                        else
                                in[i].value = "not a whole number"; /* refused as such */
                        /* A negative integer arrives as "-1": refused by the same check. */
                        i++;
                }
                evaluation_apply_scores(g, in, i, m.scores, &e);
        }
        const char *comment = m.ev.comment;
        json_t *jc = json_object_get(req->json, "comment");
        if (jc) {
                struct json_fields jf = {req->json, &e, a};
                comment = v_text(&e, "comment", json_field_get(&jf, "comment"), 0, COMMENT_MAX, 1);
        }
        long long version = 0;
        json_t *jv = json_object_get(req->json, "version");
        if (jv && (!json_is_integer(jv) || json_integer_value(jv) < 1))
                errs_add(&e, "version", "This field has the wrong type.");
        else if (jv)
                version = json_integer_value(jv);
        if (e.n == 0 && submit)
                evaluation_check_complete(g, m.scores, &e);
        if (e.n) {
                reply_error(req, ERR_VALIDATION, NULL, e.list, e.n);
                return;
        }
        struct evaluation_score *scores = arena_alloc(a, (g->n ? g->n : 1) * sizeof(*scores));
        size_t ns = 0;
        for (size_t k = 0; k < g->n; k++)
                if (m.scores[k] >= 0) {
                        scores[ns].key = g->criteria[k].key;
                        scores[ns++].score = m.scores[k];
                }
        int rc = evaluation_store_save(req->db, a, req->id, req->user->id, scores, ns,
                                       comment ? comment : "", submit, version, NULL);
        if (rc != STORE_OK) {
                eval_reply_store(req, rc);
                return;
        }
        reply_mine(req);
}

void
api_evaluation_patch(struct request *req)
{
        save(req, 0);
}

void
api_evaluation_submit(struct request *req)
{
        save(req, 1);
}

/* ---- managers ---- */

static void
reply_all(struct request *req)
{
        struct eval_all_view v;
        if (eval_load_all(req, req->id, &v) != 0)
                return;
        reply_json(req, 200, all_json(&v));
}

void
api_evaluation_manage(struct request *req)
{
        reply_all(req);
}

/* Reads "evaluator_ids", a non-empty list of user ids. Returns how many, or -1 with an error. */
static long long
ids_from_json(struct request *req, struct errs *e, long long **ids)
{
        json_t *arr = json_object_get(req->json, "evaluator_ids");
        size_t n = json_is_array(arr) ? json_array_size(arr) : 0;
        if (n == 0 || n > SCORING_MAX_EVALS) {
                errs_add(e, "evaluator_ids", "Give a list of 1 to %d user ids.", SCORING_MAX_EVALS);
                return -1;
        }
        *ids = arena_alloc(req->arena, n * sizeof(**ids));
        for (size_t i = 0; i < n; i++) {
                json_t *v = json_array_get(arr, i);
                if (!json_is_integer(v) || json_integer_value(v) < 1) {
                        errs_add(e, arena_printf(req->arena, "evaluator_ids.%zu", i),
                                 "Must be a user id.");
                        return -1;
                }
                (*ids)[i] = json_integer_value(v);
        }
        return (long long)n;
}

void
api_evaluation_assign(struct request *req)
{
        struct evaluation_app app;
        int rc = evaluation_store_app(req->db, req->arena, &req->user->scope, req->id, &app);
        if (rc != STORE_OK) {
                eval_reply_store(req, rc);
                return;
        }
        struct errs e;
        errs_init(&e, req->arena, req->lang);
        static const char *const fields[] = {"evaluator_ids", NULL};
        if (body_or_reply(req, fields, &e) != 0)
                return;
        long long *ids;
        long long n = ids_from_json(req, &e, &ids);
        if (n < 0) {
                reply_error(req, ERR_VALIDATION, NULL, e.list, e.n);
                return;
        }
        size_t bad = 0;
        rc = evaluation_store_assign(req->db, req->arena, req->id, ids, (size_t)n, req->user->id,
                                     &bad);
        const char *field = arena_printf(req->arena, "evaluator_ids.%zu", bad);
        switch (rc) {
        case STORE_OK:
                reply_all(req);
                return;
        case EVAL_STORE_CREATOR:
                errs_add(&e, field, "The person who entered the application cannot evaluate it.");
                reply_error(req, ERR_VALIDATION, NULL, e.list, e.n);
                return;
        case EVAL_STORE_DISABLED:
                errs_add(&e, field, "This account does not exist or is disabled.");
                reply_error(req, ERR_VALIDATION, NULL, e.list, e.n);
                return;
        case STORE_DUPLICATE:
                errs_add(&e, field, "This person is already an evaluator of this application.");
                reply_error(req, ERR_CONFLICT, NULL, e.list, e.n);
                return;
        case EVAL_STORE_TOO_MANY:
                errs_add(&e, "evaluator_ids", "An application can have at most %d evaluators.",
                         SCORING_MAX_EVALS);
                reply_error(req, ERR_VALIDATION, NULL, e.list, e.n);
                return;
        default:
                eval_reply_store(req, rc);
        }
}

/* Reads "evaluator_id" of the body (with the other fields allowed). 0, or -1 after replying. */
static int
evaluator_id(struct request *req, const char *const *fields, struct errs *e, long long *id)
{
        struct evaluation_app app;
        int rc = evaluation_store_app(req->db, req->arena, &req->user->scope, req->id, &app);
        if (rc != STORE_OK) {
                eval_reply_store(req, rc);
                return -1;
        }
        if (body_or_reply(req, fields, e) != 0)
                return -1;
        json_t *v = json_object_get(req->json, "evaluator_id");
        if (!json_is_integer(v) || json_integer_value(v) < 1) {
                errs_add(e, "evaluator_id", "Must be a user id.");
                reply_error(req, ERR_VALIDATION, NULL, e->list, e->n);
                return -1;
        }
        *id = json_integer_value(v);
        return 0;
}

void
api_evaluation_remove(struct request *req)
{
        struct errs e;
        errs_init(&e, req->arena, req->lang);
        static const char *const fields[] = {"evaluator_id", NULL};
        long long id;
        if (evaluator_id(req, fields, &e, &id) != 0)
                return;
        int rc = evaluation_store_remove(req->db, req->arena, req->id, id, req->user->id);
        if (rc == EVAL_STORE_STATE) {
                reply_error(req, ERR_CONFLICT,
                            _(req->lang, "This evaluation is submitted: reopen it before removing "
                                         "its evaluator."),
                            NULL, 0);
                return;
        }
        if (rc != STORE_OK) {
                eval_reply_store(req, rc);
                return;
        }
        reply_all(req);
}

void
api_evaluation_reopen(struct request *req)
{
        struct errs e;
        errs_init(&e, req->arena, req->lang);
        static const char *const fields[] = {"evaluator_id", "reason", NULL};
        long long id;
        if (evaluator_id(req, fields, &e, &id) != 0)
                return;
        struct json_fields jf = {req->json, &e, req->arena};
        const char *reason = v_text(&e, "reason", json_field_get(&jf, "reason"), 1, REASON_MAX, 0);
        if (e.n) {
                reply_error(req, ERR_VALIDATION, NULL, e.list, e.n);
                return;
        }
        int rc = evaluation_store_reopen(req->db, req->arena, req->id, id, req->user->id, reason);
        if (rc == EVAL_STORE_STATE) {
                reply_error(req, ERR_CONFLICT,
                            _(req->lang, "Only a submitted evaluation can be reopened."), NULL, 0);
                return;
        }
        if (rc != STORE_OK) {
                eval_reply_store(req, rc);
                return;
        }
        reply_all(req);
}

/* A region code from a query or a body: "" for none; NULL after an error. */
static const char *
region_arg(struct errs *e, const char *field, const char *r)
{
        if (r == NULL || r[0] == '\0')
                return "";
        const struct geo_region *g = geo_region(web_geo, r);
        if (g == NULL) {
                errs_add(e, field, "This region code does not exist.");
                return NULL;
        }
        return g->code;
}

void
api_evaluation_overview(struct request *req)
{
        struct arena *a = req->arena;
        struct call c;
        if (call_load_or_reply(req, &c) != 0)
                return;
        struct errs e;
        errs_init(&e, a, req->lang);
        const char *region = region_arg(&e, "region", req_query(req, "region"));
        const char *status = v_enum(&e, "status", req_query_str(req, "status"), 0, eval_statuses);
        long long page = 1, per_page = PER_PAGE_DEFAULT;
        paging(req, &e, &page, &per_page);
        if (e.n) {
                reply_error(req, ERR_BAD_REQUEST, NULL, e.list, e.n);
                return;
        }
        struct evaluation_overview *rows;
        size_t n;
        long long total;
        if (evaluation_store_overview(req->db, a, &req->user->scope, c.id, region,
                                      status ? status : "", (page - 1) * per_page, per_page, &rows,
                                      &n, &total) != STORE_OK) {
                reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
                return;
        }
        struct scoring_grid g = {0};
        if (call_grid(&c, a, &g) != 0)
                g.n = 0;
        json_t *items = json_array();
        for (size_t i = 0; i < n; i++) {
                struct evaluation_overview *o = &rows[i];
                struct evaluation_summary s;
                if (eval_summary_of(req, &c, &g, o->app.id, &s) != 0) {
                        json_decref(items);
                        reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
                        return;
                }
                json_t *j = app_json(&o->app, 1);
                json_object_del(j, "project_summary");
                json_object_set_new(j, "assigned", json_integer(o->assigned));
                json_object_set_new(j, "submitted", json_integer(o->submitted));
                json_object_set_new(j, "conflicts", json_integer(o->conflicts));
                json_object_set_new(j, "complete", json_boolean(s.complete));
                json_object_set_new(j, "provisional_total",
                                    s.has_total ? points_json(s.total) : json_null());
                json_object_set_new(j, "disagreement", json_boolean(s.disagreement));
                json_object_set_new(j, "spread", s.has_total ? points_json(s.spread) : json_null());
                json_array_append_new(items, j);
        }
        reply_json(req, 200,
                   json_pack("{s:o, s:I, s:I, s:I, s:o}", "items", items, "total",
                             (json_int_t)total, "page", (json_int_t)page, "per_page",
                             (json_int_t)per_page, "gap", points_json(c.disagreement_gap)));
}

void
api_evaluation_assign_call(struct request *req)
{
        struct arena *a = req->arena;
        struct call c;
        if (call_load_or_reply(req, &c) != 0)
                return;
        struct errs e;
        errs_init(&e, a, req->lang);
        static const char *const fields[] = {"evaluator_ids", "region", NULL};
        if (body_or_reply(req, fields, &e) != 0)
                return;
        struct json_fields jf = {req->json, &e, a};
        const char *region = region_arg(&e, "region", json_field_get(&jf, "region"));
        long long *ids = NULL;
        long long n = ids_from_json(req, &e, &ids);
        if (e.n) {
                reply_error(req, ERR_VALIDATION, NULL, e.list, e.n);
                return;
        }
        long long added = 0, apps = 0;
        size_t bad = 0;
        int rc = evaluation_store_assign_call(req->db, a, &req->user->scope, c.id, region, ids,
                                              (size_t)n, req->user->id, &added, &apps, &bad);
        if (rc == EVAL_STORE_DISABLED || rc == STORE_DUPLICATE) {
                errs_add(&e, arena_printf(a, "evaluator_ids.%zu", bad),
                         rc == STORE_DUPLICATE ? "This user is listed twice."
                                               : "This account does not exist or is disabled.");
                reply_error(req, ERR_VALIDATION, NULL, e.list, e.n);
                return;
        }
        if (rc != STORE_OK) {
                eval_reply_store(req, rc);
                return;
        }
        reply_json(
            req, 200,
            json_pack("{s:I, s:I}", "added", (json_int_t)added, "applications", (json_int_t)apps));
}

void
api_evaluation_users(struct request *req)
{
        struct evaluation_user *users;
        size_t n;
        if (evaluation_store_users(req->db, req->arena, &users, &n) != STORE_OK) {
                reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
                return;
        }
        json_t *items = json_array();
        for (size_t i = 0; i < n; i++)
                json_array_append_new(items,
                                      json_pack("{s:I, s:s, s:s}", "id", (json_int_t)users[i].id,
                                                "login", users[i].login, "role", users[i].role));
        reply_json(req, 200, json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)n));
}
