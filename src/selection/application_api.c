/* application_api.c: the application JSON API (/api/v1/applications and the import of a call). */
#include <string.h>

#include <jansson.h>

#include "core/arena.h"
#include "core/i18n.h"
#include "selection/application_csv.h"
#include "selection/application_web.h"
#include "selection/call_store.h"
#include "web/api.h"
#include "web/layout.h"
#include "web/pages.h"

static json_t *
int_or_null(long long v, int set)
{
        return set ? json_integer(v) : json_null();
}

/* The fields of a list item; the detail adds the eligibility. */
static json_t *
app_json(const struct application *a)
{
        json_t *o = json_object();
        json_object_set_new(o, "id", json_integer(a->id));
        json_object_set_new(o, "call_id", json_integer(a->call_id));
        json_object_set_new(o, "call_code", json_string(a->call_code));
        json_object_set_new(o, "cooperative_id", json_integer(a->cooperative_id));
        json_object_set_new(o, "register_number", json_string(a->coop_register_number));
        json_object_set_new(o, "cooperative_name_ar", json_string(a->coop_name_ar));
        json_object_set_new(o, "cooperative_name_fr", json_string(a->coop_name_fr));
        json_object_set_new(o, "region_code", json_string(a->region_code));
        json_object_set_new(o, "status", json_string(a->status));
        json_object_set_new(o, "project_summary", json_string(a->project_summary));
        json_object_set_new(o, "requested_support", json_string(a->requested_support));
        json_object_set_new(o, "submitted_at", json_str_or_null(a->submitted_at));
        json_object_set_new(o, "rules_version",
                            int_or_null(a->rules_version, a->rules_version > 0));
        json_object_set_new(o, "evaluated_at", json_str_or_null(a->evaluated_at));
        json_object_set_new(o, "total", int_or_null(a->total, a->total >= 0));
        json_object_set_new(o, "created_by", json_str_or_null(a->created_by_login));
        json_object_set_new(o, "version", json_integer(a->version));
        json_object_set_new(o, "created_at", json_string(a->created_at));
        json_object_set_new(o, "updated_at", json_string(a->updated_at));
        return o;
}

/* The detail: the stored breakdown and inputs, each rule with its explanation in the caller's
 * language (computed again from the stored inputs). */
static json_t *
app_detail_json(struct request *req, const struct application *a)
{
        json_t *o = app_json(a);
        json_error_t jerr;
        json_t *el = a->eligibility[0] ? json_loads(a->eligibility, 0, &jerr) : NULL;
        json_t *in = a->eligibility_input[0] ? json_loads(a->eligibility_input, 0, &jerr) : NULL;
        struct app_explained x;
        json_t *rules = json_object_get(el, "rules");
        if (json_is_array(rules) && application_explain(req, a, &x) == 0 && x.replayed &&
            x.agrees && x.n == json_array_size(rules))
                for (size_t i = 0; i < x.n; i++)
                        json_object_set_new(json_array_get(rules, i), "explanation",
                                            json_string(x.lines[i].explanation));
        json_object_set_new(o, "eligibility", el ? el : json_null());
        json_object_set_new(o, "eligibility_input", in ? in : json_null());
        return o;
}

static int
load_or_reply(struct request *req, struct application *app)
{
        int rc = application_store_get(req->db, &req->user->scope, req->id, req->arena, app);
        if (rc == STORE_OK && !application_can_read(req, app))
                rc = STORE_NOT_FOUND;
        if (rc != STORE_OK) {
                reply_store_error(req, rc);
                return -1;
        }
        return 0;
}

void
api_application_list(struct request *req)
{
        struct errs e;
        errs_init(&e, req->arena, req->lang);
        struct application_filter f;
        long long page, per_page;
        application_filter_from_query(req, &f, &e, &page, &per_page);
        if (e.n) {
                reply_error(req, ERR_BAD_REQUEST, NULL, e.list, e.n);
                return;
        }
        struct application *items;
        size_t n;
        long long total, counts[APP_STATUS_COUNT];
        if (application_store_list(req->db, &req->user->scope, &f, req->arena, &items, &n, &total,
                                   counts) != STORE_OK) {
                reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
                return;
        }
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++)
                json_array_append_new(arr, app_json(&items[i]));
        json_t *cj = json_object();
        for (int s = 0; s < APP_STATUS_COUNT; s++)
                json_object_set_new(cj, application_status_code((enum app_status)s),
                                    json_integer(counts[s]));
        reply_json(req, 200,
                   json_pack("{s:o, s:I, s:I, s:I, s:o}", "items", arr, "total", (json_int_t)total,
                             "page", (json_int_t)page, "per_page", (json_int_t)per_page, "counts",
                             cj));
}

void
api_application_get(struct request *req)
{
        struct application app;
        if (load_or_reply(req, &app) != 0)
                return;
        reply_json(req, 200, app_detail_json(req, &app));
}

void
api_application_events(struct request *req)
{
        struct application app;
        if (load_or_reply(req, &app) != 0)
                return;
        struct application_event *ev;
        size_t n;
        if (application_store_events(req->db, &req->user->scope, app.id, req->arena, &ev, &n) !=
            STORE_OK) {
                reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
                return;
        }
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++)
                json_array_append_new(
                    arr,
                    json_pack("{s:I, s:o, s:s, s:s, s:o, s:o, s:s}", "id", (json_int_t)ev[i].id,
                              "from_status", json_str_or_null(ev[i].from_status), "to_status",
                              ev[i].to_status, "reason", ev[i].reason, "user_id",
                              int_or_null(ev[i].user_id, ev[i].user_id > 0), "user",
                              json_str_or_null(ev[i].user_login), "at", ev[i].at));
        reply_json(req, 200, json_pack("{s:o, s:I}", "items", arr, "total", (json_int_t)n));
}

/* Refuses a body that is not a JSON object (an empty body counts as {} when empty_ok). */
static int
body_or_reply(struct request *req, int empty_ok)
{
        if (req->json == NULL && empty_ok)
                return 0;
        if (!json_is_object(req->json)) {
                reply_error(req, ERR_BAD_REQUEST,
                            _(req->lang, "Send a JSON object with the application's fields."), NULL,
                            0);
                return -1;
        }
        return 0;
}

static const char *const create_fields[] = {
    "call_id", "cooperative_id", "register_number", "project_summary", "requested_support", NULL};
/* Fields of an answer that may be sent back with a PATCH, and are ignored. */
static const char *const read_only_fields[] = {"id",
                                               "call_id",
                                               "call_code",
                                               "cooperative_id",
                                               "register_number",
                                               "region_code",
                                               "status",
                                               "cooperative_name_ar",
                                               "cooperative_name_fr",
                                               "submitted_at",
                                               "rules_version",
                                               "evaluated_at",
                                               "total",
                                               "created_by",
                                               "created_at",
                                               "updated_at",
                                               "eligibility",
                                               "eligibility_input",
                                               "version",
                                               NULL};

void
api_application_create(struct request *req)
{
        struct errs e;
        errs_init(&e, req->arena, req->lang);
        if (body_or_reply(req, 0) != 0)
                return;
        if (json_check_fields(req->json, create_fields, NULL, &e) != 0) {
                reply_error(req, ERR_VALIDATION, NULL, e.list, e.n);
                return;
        }
        struct json_fields jf = {req->json, &e, req->arena};
        struct application app;
        struct call call;
        enum app_error err;
        if (application_prepare_new(req, &app, &call, &e, json_field_get, &jf, &err) != 0) {
                reply_error(req, err,
                            err == ERR_VALIDATION || err == ERR_INTERNAL ? NULL : e.list[0].msg,
                            e.list, e.n);
                return;
        }
        long long existing = 0;
        int rc = application_store_insert(req->db, &req->user->scope, &app, req->user->id,
                                          &existing, req->arena);
        if (rc == STORE_DUPLICATE) {
                const char *msg = application_duplicate_text(req->lang, req->arena, existing);
                struct field_error fe = {json_object_get(req->json, "cooperative_id")
                                             ? "cooperative_id"
                                             : "register_number",
                                         msg};
                reply_error(req, ERR_CONFLICT, msg, &fe, 1);
                return;
        }
        if (rc != STORE_OK) {
                application_reply_failure(req, rc, APP_OK, APP_ACT_CREATE);
                return;
        }
        if (application_store_get(req->db, &req->user->scope, app.id, req->arena, &app) !=
            STORE_OK) {
                reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
                return;
        }
        reply_json(req, 201, app_detail_json(req, &app));
        req->location = arena_printf(req->arena, "/api/v1/applications/%lld", app.id);
}

/* The "version" of a body (0 when not sent); -1 after answering a wrong type. */
static int
body_version(struct request *req, long long *version)
{
        *version = 0;
        json_t *v = req->json ? json_object_get(req->json, "version") : NULL;
        if (v == NULL)
                return 0;
        if (!json_is_integer(v) || json_integer_value(v) < 1) {
                struct field_error fe = {"version", _(req->lang, "This field has the wrong type.")};
                reply_error(req, ERR_VALIDATION, NULL, &fe, 1);
                return -1;
        }
        *version = json_integer_value(v);
        return 0;
}

void
api_application_patch(struct request *req)
{
        struct application app;
        if (load_or_reply(req, &app) != 0 || body_or_reply(req, 0) != 0)
                return;
        struct errs e;
        errs_init(&e, req->arena, req->lang);
        if (json_check_fields(req->json, application_fields, read_only_fields, &e) != 0) {
                reply_error(req, ERR_VALIDATION, NULL, e.list, e.n);
                return;
        }
        long long version;
        if (body_version(req, &version) != 0)
                return;
        if (version == 0)
                version = app.version;
        enum app_refusal why = application_may_edit(
            application_actor_of(req), (enum app_status)application_status_from_code(app.status));
        if (why != APP_OK) {
                reply_error(req, application_refusal_error(why),
                            application_refusal_text(req->lang, why, APP_ACT_EDIT), NULL, 0);
                return;
        }
        struct json_fields jf = {req->json, &e, req->arena};
        if (application_apply(&app, &e, json_field_get, &jf) != 0 || e.n) {
                reply_error(req, ERR_VALIDATION, NULL, e.list, e.n);
                return;
        }
        int rc = application_store_update(req->db, &req->user->scope, &app, version, req->arena);
        if (rc != STORE_OK) {
                application_reply_failure(req, rc, APP_OK, APP_ACT_EDIT);
                return;
        }
        if (application_store_get(req->db, &req->user->scope, app.id, req->arena, &app) !=
            STORE_OK) {
                reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
                return;
        }
        reply_json(req, 200, app_detail_json(req, &app));
}

/* The status changes: submit (no reason), withdraw and re-evaluate (a reason). */
static void
api_change(struct request *req, enum app_action action)
{
        enum lang L = req->lang;
        struct application app;
        if (load_or_reply(req, &app) != 0 || body_or_reply(req, 1) != 0)
                return;
        struct errs e;
        errs_init(&e, req->arena, L);
        static const char *const submit_fields[] = {"version", NULL};
        static const char *const reason_fields[] = {"version", "reason", NULL};
        if (req->json &&
            json_check_fields(req->json, action == APP_ACT_SUBMIT ? submit_fields : reason_fields,
                              NULL, &e) != 0) {
                reply_error(req, ERR_VALIDATION, NULL, e.list, e.n);
                return;
        }
        long long version;
        if (body_version(req, &version) != 0)
                return;
        const char *reason = NULL;
        if (action != APP_ACT_SUBMIT) {
                struct json_fields jf = {req->json, &e, req->arena};
                const char *raw = req->json ? json_field_get(&jf, "reason") : NULL;
                reason = e.n ? NULL : application_reason(&e, raw, 0);
                if (e.n) {
                        reply_error(req, ERR_VALIDATION, NULL, e.list, e.n);
                        return;
                }
        }
        enum app_status from = (enum app_status)application_status_from_code(app.status);
        enum app_refusal why =
            application_check_any(application_actor_of(req), action, from, reason);
        if (why != APP_OK) {
                const char *msg = application_refusal_text(L, why, action);
                struct field_error fe = {"reason", msg};
                reply_error(req, application_refusal_error(why), msg, &fe,
                            why == APP_REFUSED_REASON ? 1 : 0);
                return;
        }
        if (version > 0 && version != app.version) {
                application_reply_failure(req, STORE_CONFLICT, APP_OK, action);
                return;
        }
        if (action == APP_ACT_SUBMIT && application_check_submittable(&app, &e) != 0) {
                reply_error(req, ERR_VALIDATION, NULL, e.list, e.n);
                return;
        }
        long long expected = version > 0 ? version : app.version;
        int rc;
        switch (action) {
        case APP_ACT_SUBMIT:
                rc = application_store_submit(req->db, &req->user->scope, app.id, expected,
                                              req->user->id, req->arena, &app, &why);
                break;
        case APP_ACT_WITHDRAW:
                rc = application_store_withdraw(req->db, &req->user->scope, app.id, expected,
                                                reason, req->user->id, req->arena, &app, &why);
                break;
        default:
                rc = application_store_reevaluate(req->db, &req->user->scope, app.id, expected,
                                                  reason, req->user->id, req->arena, &app, &why);
        }
        if (rc != STORE_OK) {
                application_reply_failure(req, rc, why, action);
                return;
        }
        if (application_store_get(req->db, &req->user->scope, app.id, req->arena, &app) !=
            STORE_OK) {
                reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
                return;
        }
        reply_json(req, 200, app_detail_json(req, &app));
}

void
api_application_submit(struct request *req)
{
        api_change(req, APP_ACT_SUBMIT);
}

void
api_application_withdraw(struct request *req)
{
        api_change(req, APP_ACT_WITHDRAW);
}

void
api_application_reevaluate(struct request *req)
{
        api_change(req, APP_ACT_REEVALUATE);
}

void
api_application_import(struct request *req)
{
        enum lang L = req->lang;
        struct call c;
        int rc = call_store_get(req->db, req->arena, req->id, &c);
        if (rc != STORE_OK) {
                reply_store_error(req, rc);
                return;
        }
        if (body_or_reply(req, 0) != 0)
                return;
        struct errs e;
        errs_init(&e, req->arena, L);
        static const char *const fields[] = {"csv", "all_or_nothing", NULL};
        if (json_check_fields(req->json, fields, NULL, &e) != 0) {
                reply_error(req, ERR_VALIDATION, NULL, e.list, e.n);
                return;
        }
        enum app_refusal why =
            application_may_create(application_actor_of(req), call_phase_on(&c, date_today()));
        if (why != APP_OK) {
                reply_error(req, application_refusal_error(why),
                            application_refusal_text(L, why, APP_ACT_CREATE), NULL, 0);
                return;
        }
        json_t *csv = json_object_get(req->json, "csv");
        json_t *all = json_object_get(req->json, "all_or_nothing");
        if (!json_is_string(csv) || json_string_length(csv) == 0)
                errs_add(&e, "csv", "Send the CSV text of the applications.");
        else if (strlen(json_string_value(csv)) != json_string_length(csv))
                errs_add(&e, "csv", "This text is not valid UTF-8.");
        if (all && !json_is_boolean(all))
                errs_add(&e, "all_or_nothing", "This field has the wrong type.");
        if (e.n) {
                reply_error(req, ERR_VALIDATION, NULL, e.list, e.n);
                return;
        }
        struct app_import_report r;
        if (application_csv_import(req->db, &req->user->scope, c.id, req->user->id,
                                   json_string_value(csv), json_string_length(csv),
                                   json_is_true(all), L, req->arena, &r) != 0) {
                reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
                return;
        }
        if (r.fatal) {
                struct field_error fe = {"csv", r.fatal};
                reply_error(req, ERR_VALIDATION, r.fatal, &fe, 1);
                return;
        }
        json_t *errors = json_array(), *created = json_array();
        for (size_t i = 0; i < r.nerrors; i++)
                json_array_append_new(
                    errors, json_pack("{s:I, s:s, s:s}", "line", (json_int_t)r.errors[i].line,
                                      "field", r.errors[i].field, "message", r.errors[i].message));
        for (size_t i = 0; i < r.ncreated; i++)
                json_array_append_new(
                    created, json_pack("{s:I, s:I, s:s}", "line", (json_int_t)r.created[i].line,
                                       "id", (json_int_t)r.created[i].id, "register_number",
                                       r.created[i].register_number));
        reply_json(req, 200,
                   json_pack("{s:I, s:I, s:I, s:b, s:o, s:o}", "rows", (json_int_t)r.rows,
                             "inserted", (json_int_t)r.inserted, "rejected", (json_int_t)r.rejected,
                             "saved", r.saved, "errors", errors, "created", created));
}
