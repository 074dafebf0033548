/* application_pages.c: the application pages: list with filters and counts, the new and edit
 * forms, the detail with its eligibility explained and its history, the status changes
 * (submit, withdraw, re-evaluate) and the CSV import of a call. Also what the API shares
 * (application_web.h). */
#include <string.h>

#include <jansson.h>

#include "core/arena.h"
#include "core/i18n.h"
#include "core/text.h"
#include "registry/coop_store.h"
#include "registry/geo.h"
#include "registry/person_store.h"
#include "selection/application_csv.h"
#include "selection/application_web.h"
#include "selection/call_web.h"
#include "selection/eligibility.h"
#include "web/layout.h"
#include "web/pages.h"

#define PER_PAGE_DEFAULT 50
#define PER_PAGE_MAX     200

/* ---- shared with application_api.c ---- */

int
application_can_read(const struct request *req, const struct application *app)
{
        /* The store has applied the region scope already. The evaluation module will let an
         * assigned evaluator read the applications given to them: that rule goes here. */
        return app != NULL && user_can(req->user, PERM_APPLICATION_READ);
}

unsigned
application_actor_of(const struct request *req)
{
        return req->user ? application_actor(req->user->role) : 0;
}

void
application_filter_from_query(struct request *req, struct application_filter *f, struct errs *e,
                              long long *page, long long *per_page)
{
        memset(f, 0, sizeof(*f));
        const char *q = v_text(e, "q", req_query_str(req, "q"), 0, 200, 0);
        f->q_raw = q ? q : "";
        f->q = q ? text_fold(req->arena, q) : "";
        if (f->q == NULL)
                f->q = "";
        if (store_word_count(f->q) > STORE_MAX_WORDS)
                errs_add(e, "q", "Search with at most %d words.", STORE_MAX_WORDS);
        v_int(e, "call", req_query_str(req, "call"), 0, 1, 1LL << 62, 0, &f->call_id);
        const char *region = req_query_str(req, "region");
        f->region = "";
        if (region[0] && geo_region(web_geo, region) == NULL)
                errs_add(e, "region", "This region code does not exist.");
        else
                f->region = region;
        f->status = v_enum(e, "status", req_query_str(req, "status"), 0, application_status_codes);
        if (f->status == NULL)
                f->status = "";
        v_int(e, "page", req_query_str(req, "page"), 0, 1, 1000000, 1, page);
        v_int(e, "per_page", req_query_str(req, "per_page"), 0, 1, PER_PAGE_MAX, PER_PAGE_DEFAULT,
              per_page);
        if (*page < 1)
                *page = 1;
        if (*per_page < 1)
                *per_page = PER_PAGE_DEFAULT;
        f->limit = *per_page;
        f->offset = (*page - 1) * *per_page;
}

int
application_prepare_new(struct request *req, struct application *app, struct call *call,
                        struct errs *e, field_get_fn get, void *ctx, enum app_error *err)
{
        enum lang L = req->lang;
        *err = ERR_VALIDATION;
        memset(app, 0, sizeof(*app));
        memset(call, 0, sizeof(*call));
        app->project_summary = app->requested_support = "";
        enum app_refusal may = application_may_create(application_actor_of(req), CALL_OPEN);
        if (may != APP_OK) {
                *err = application_refusal_error(may);
                errs_add_text(e, "call_id", application_refusal_text(L, may, APP_ACT_CREATE));
                return -1;
        }
        long long call_id = 0;
        if (v_int(e, "call_id", get(ctx, "call_id"), 1, 1, 1LL << 62, 0, &call_id) == 0) {
                int rc = call_store_get(req->db, req->arena, call_id, call);
                if (rc == STORE_NOT_FOUND) {
                        errs_add(e, "call_id", "This call does not exist.");
                } else if (rc != STORE_OK) {
                        *err = ERR_INTERNAL;
                        return -1;
                } else {
                        app->call_id = call_id;
                }
        }
        const char *cid = get(ctx, "cooperative_id");
        if (cid && cid[0]) {
                long long id = 0;
                struct coop co;
                if (v_int(e, "cooperative_id", cid, 1, 1, 1LL << 62, 0, &id) == 0) {
                        int rc = coop_store_get(req->db, &req->user->scope, id, req->arena, &co);
                        if (rc == STORE_NOT_FOUND)
                                errs_add(e, "cooperative_id",
                                         "No cooperative with this number in your regions.");
                        else if (rc != STORE_OK) {
                                *err = ERR_INTERNAL;
                                return -1;
                        } else
                                app->cooperative_id = id;
                }
        } else {
                const char *reg =
                    v_text(e, "register_number", get(ctx, "register_number"), 1, 32, 0);
                if (reg) {
                        int rc = person_store_coop_by_register(req->db, &req->user->scope, reg,
                                                               &app->cooperative_id);
                        if (rc == STORE_NOT_FOUND)
                                errs_add(e, "register_number",
                                         "No cooperative with this register number in your "
                                         "regions.");
                        else if (rc != STORE_OK) {
                                *err = ERR_INTERNAL;
                                return -1;
                        }
                }
        }
        application_apply(app, e, get, ctx);
        if (e->n)
                return -1;
        may = application_may_create(application_actor_of(req), call_phase_on(call, date_today()));
        if (may != APP_OK) {
                *err = application_refusal_error(may);
                errs_add_text(e, "call_id", application_refusal_text(L, may, APP_ACT_CREATE));
                return -1;
        }
        return 0;
}

void
application_reply_failure(struct request *req, int rc, enum app_refusal why, enum app_action action)
{
        enum lang L = req->lang;
        switch (rc) {
        case STORE_NOT_FOUND:
                reply_error(req, ERR_NOT_FOUND, NULL, NULL, 0);
                return;
        case STORE_CONFLICT:
                if (why != APP_OK)
                        reply_error(req, application_refusal_error(why),
                                    application_refusal_text(L, why, action), NULL, 0);
                else
                        reply_error(req, ERR_CONFLICT,
                                    _(L, "Someone else changed this application since you read "
                                         "it. Open it again to see the change, then make yours."),
                                    NULL, 0);
                return;
        default:
                reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
        }
}

int
application_explain(struct request *req, const struct application *app, struct app_explained *out)
{
        memset(out, 0, sizeof(*out));
        out->reference_date = "";
        if (app->eligibility == NULL || app->eligibility[0] == '\0')
                return 0;
        json_error_t jerr;
        json_t *stored = json_loads(app->eligibility, 0, &jerr);
        json_t *lines = json_object_get(stored, "rules");
        if (!json_is_array(lines)) {
                json_decref(stored);
                return 0;
        }
        out->evaluated = 1;
        out->eligible = json_is_true(json_object_get(stored, "eligible"));
        out->n = json_array_size(lines);
        out->lines = arena_alloc(req->arena, (out->n ? out->n : 1) * sizeof(*out->lines));
        for (size_t i = 0; i < out->n; i++) {
                json_t *l = json_array_get(lines, i);
                struct app_explained_line *x = &out->lines[i];
                x->kind = arena_strdup(req->arena, json_string_value(json_object_get(l, "kind")));
                x->measured =
                    arena_strdup(req->arena, json_string_value(json_object_get(l, "measured")));
                x->pass = json_is_true(json_object_get(l, "pass"));
                x->rule = x->explanation = "";
                if (x->kind == NULL)
                        x->kind = "";
                if (x->measured == NULL)
                        x->measured = "";
        }
        json_decref(stored);

        /* Replay: the rules of the version used, on the inputs kept, on the date kept. */
        struct coop co;
        int acc;
        const char *ref;
        if (application_input_read(app->eligibility_input, req->arena, &co, &acc, &ref) != 0)
                return 0;
        out->reference_date = ref;
        const char *rules_text;
        int rc = application_store_rules_text(req->db, app->call_id, app->rules_version, req->arena,
                                              &rules_text);
        if (rc == STORE_ERROR)
                return -1;
        if (rc != STORE_OK)
                return 0;
        json_t *arr = json_loads(rules_text, 0, &jerr);
        struct errs e;
        errs_init(&e, req->arena, req->lang);
        struct elig_rule *rules;
        size_t nrules;
        rc = arr ? eligibility_rules_from_json(arr, req->arena, &rules, &nrules, &e) : -1;
        json_decref(arr);
        if (rc != 0 || nrules != out->n)
                return 0;
        struct call c = {0};
        c.reference_date = ref;
        struct elig_result er;
        if (call_explain(req, &c, rules, nrules, &co, acc, &er) != 0)
                return 0;
        out->replayed = 1;
        out->agrees = er.eligible == out->eligible;
        for (size_t i = 0; i < out->n; i++) {
                struct app_explained_line *x = &out->lines[i];
                x->rule = call_rule_text(req, &rules[i]);
                x->explanation = er.lines[i].explanation ? er.lines[i].explanation : "";
                if (er.lines[i].pass != x->pass ||
                    strcmp(eligibility_kind_code(rules[i].kind), x->kind) != 0)
                        out->agrees = 0;
        }
        return 0;
}

const char *
application_call_title(const struct request *req, const struct application *app)
{
        switch (lang_data(req->lang)) {
        case LANG_AR:
                return app->call_title_ar;
        case LANG_FR:
                return app->call_title_fr;
        default:
                return app->call_title_en;
        }
}

const char *
application_coop_name(const struct request *req, const struct application *app)
{
        return lang_data(req->lang) == LANG_AR ? app->coop_name_ar : app->coop_name_fr;
}

/* ---- helpers of the pages ---- */

static const char *
coop_other_name(const struct request *req, const struct application *app)
{
        return lang_data(req->lang) == LANG_AR ? app->coop_name_fr : app->coop_name_ar;
}

static const char *
form_get(void *ctx, const char *name)
{
        return req_form(ctx, name);
}

/* "12 December 2026 at 10:05 UTC" from a stored timestamp (2026-12-12T10:05:00Z). */
static const char *
when(struct request *req, const char *iso)
{
        struct date d;
        char day[11];
        if (iso == NULL || strlen(iso) < 16)
                return "";
        memcpy(day, iso, 10);
        day[10] = '\0';
        if (date_parse(day, &d) != 0)
                return iso;
        return arena_printf(req->arena, _(req->lang, "%s at %s UTC"),
                            i18n_date(req->arena, req->lang, d),
                            arena_strndup(req->arena, iso + 11, 5));
}

static const char *
day_text(struct request *req, const char *iso)
{
        struct date d;
        if (iso == NULL || date_parse(iso, &d) != 0)
                return iso ? iso : "";
        return i18n_date(req->arena, req->lang, d);
}

static void
status_badge(struct request *req, const char *status)
{
        html_status_badge(req, application_status_badge(status),
                          _(req->lang, application_status_label(status)));
}

static const char *
app_number(struct request *req, long long id)
{
        return arena_printf(req->arena, _(req->lang, "Application no. %lld"), id);
}

/* Loads application req->id for reading; answers 404 (or 500) and returns -1 otherwise. */
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

static void
crumbs(struct request *req, const struct application *app)
{
        struct buf *b = &req->out;
        const char *sep = lang_is_rtl(req->lang) ? " ‹ " : " › ";
        html_printf(b, "<nav class=\"crumbs\"><a href=\"/applications\">%s</a>",
                    _(req->lang, "Applications"));
        if (app)
                html_printf(b, "%s<a href=\"/applications?call=%lld\"><bdi>%s</bdi></a>", sep,
                            app->call_id, application_call_title(req, app));
        html_raw_trusted(b, "</nav>");
}

/* ---- list ---- */

static void
call_options(struct request *req, struct select_option **opts, size_t *n)
{
        struct call *calls = NULL;
        size_t nc = 0;
        *n = 0;
        if (call_store_list(req->db, req->arena, 0, &calls, &nc) != STORE_OK)
                nc = 0;
        *opts = arena_alloc(req->arena, (nc ? nc : 1) * sizeof(**opts));
        for (size_t i = 0; i < nc; i++) {
                (*opts)[i].value = arena_printf(req->arena, "%lld", calls[i].id);
                (*opts)[i].label =
                    arena_printf(req->arena, "%s (%s)", call_title(req, &calls[i]), calls[i].code);
        }
        *n = nc;
}

void
page_application_list(struct request *req)
{
        enum lang L = req->lang;
        struct arena *a = req->arena;
        struct errs e;
        errs_init(&e, a, L);
        struct application_filter f;
        long long page, per_page;
        application_filter_from_query(req, &f, &e, &page, &per_page);
        struct application *items = NULL;
        size_t n = 0;
        long long total = 0, counts[APP_STATUS_COUNT] = {0};
        if (e.n == 0 && application_store_list(req->db, &req->user->scope, &f, a, &items, &n,
                                               &total, counts) != STORE_OK) {
                reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
                return;
        }
        struct call call = {0};
        int have_call = f.call_id > 0 && call_store_get(req->db, a, f.call_id, &call) == STORE_OK;

        page_begin(req, _(L, "Applications"), "applications");
        struct buf *b = &req->out;
        html_printf(b, "<div class=\"page-head\"><div><h1>%s</h1>", _(L, "Applications"));
        if (have_call)
                html_printf(b, "<p class=\"sub\"><a href=\"/calls/%lld\"><bdi>%s</bdi></a></p>",
                            call.id, call_title(req, &call));
        html_raw_trusted(b, "</div><div class=\"actions\">");
        if (user_can(req->user, PERM_APPLICATION_WRITE)) {
                html_printf(b, "<a class=\"button primary\" href=\"/applications/new%s\">%s</a>",
                            have_call ? arena_printf(a, "?call=%lld", call.id) : "",
                            _(L, "New application"));
                if (have_call)
                        html_printf(b,
                                    "<a class=\"button\" href=\"/calls/%lld/applications/import\">"
                                    "%s</a>",
                                    call.id, _(L, "Import from CSV"));
        }
        html_raw_trusted(b, "</div></div>");

        html_raw_trusted(
            b, "<form class=\"filters\" method=\"get\" action=\"/applications\" role=\"search\">");
        form_error_summary(req, &e);
        struct form_field fq = {.name = "q",
                                .label = _(L, "Search by cooperative name or register number"),
                                .value = req_query_str(req, "q"),
                                .type = "search",
                                .quiet = 1,
                                .maxlen = 200,
                                .dir = "auto"};
        form_input(req, &fq, &e);
        struct select_option *opts;
        size_t nopts;
        call_options(req, &opts, &nopts);
        form_select(req, "call", _(L, "Call"), opts, nopts, req_query_str(req, "call"),
                    _(L, "All calls"), &e);
        form_region_options(req, 0, &opts, &nopts);
        form_select(req, "region", _(L, "Region"), opts, nopts, req_query_str(req, "region"),
                    _(L, "All regions"), &e);
        form_code_options(req, application_statuses, &opts, &nopts);
        form_select(req, "status", _(L, "Status"), opts, nopts, req_query_str(req, "status"),
                    _(L, "All statuses"), &e);
        html_printf(b,
                    "<div class=\"filter-actions\"><button class=\"primary\">%s</button>"
                    "<a href=\"/applications\">%s</a></div></form>",
                    _(L, "Apply filters"), _(L, "Clear filters"));

        html_printf(b, "<div class=\"list-head\"><p class=\"count\" role=\"status\">%s</p></div>",
                    arena_printf(a, _(L, "%s applications match"), i18n_int(a, L, total)));
        /* The counts by status for the same filters: each a link to the list of that status. */
        long long all = 0;
        for (int s = 0; s < APP_STATUS_COUNT; s++)
                all += counts[s];
        if (all > 0) {
                html_printf(b,
                            "<details class=\"panel\"><summary>%s</summary><table class=\"grid\">"
                            "<thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr>"
                            "</thead><tbody>",
                            _(L, "By status"), _(L, "Status"), _(L, "Applications"));
                for (int s = 0; s < APP_STATUS_COUNT; s++) {
                        if (counts[s] == 0)
                                continue;
                        const char *code = application_status_code((enum app_status)s);
                        struct buf href;
                        buf_init(&href, a, 4096);
                        buf_puts(&href, "/applications?status=");
                        buf_puts(&href, code);
                        if (f.call_id)
                                buf_printf(&href, "&call=%lld", f.call_id);
                        if (f.region[0]) {
                                buf_puts(&href, "&region=");
                                buf_url_encode(&href, f.region);
                        }
                        if (f.q_raw[0]) {
                                buf_puts(&href, "&q=");
                                buf_url_encode(&href, f.q_raw);
                        }
                        html_printf(b, "<tr><th scope=\"row\"><a href=\"%s\">", buf_str(&href));
                        status_badge(req, code);
                        html_printf(b, "</a></th><td>%s</td></tr>", i18n_int(a, L, counts[s]));
                }
                html_raw_trusted(b, "</tbody></table></details>");
        }
        if (n == 0) {
                html_printf(b, "<p class=\"empty\">%s</p>",
                            _(L, "No application matches these filters."));
        } else {
                html_printf(b,
                            "<div class=\"table-wrap\"><table class=\"list\"><thead><tr>"
                            "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                            "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                            "<th scope=\"col\">%s</th></tr></thead><tbody>",
                            _(L, "Cooperative"), _(L, "Call"), _(L, "Region"), _(L, "Status"),
                            _(L, "Submitted"));
                for (size_t i = 0; i < n; i++) {
                        struct application *x = &items[i];
                        html_printf(b,
                                    "<tr><th scope=\"row\" data-label=\"%s\"><a "
                                    "href=\"/applications/%lld\"><bdi>%s</bdi></a>"
                                    "<small class=\"ltr\"><bdi>%s</bdi></small></th>",
                                    _(L, "Cooperative"), x->id, application_coop_name(req, x),
                                    x->coop_register_number);
                        html_printf(b,
                                    "<td data-label=\"%s\"><bdi>%s</bdi></td>"
                                    "<td data-label=\"%s\">%s</td><td data-label=\"%s\">",
                                    _(L, "Call"), application_call_title(req, x), _(L, "Region"),
                                    region_name(req, x->region_code), _(L, "Status"));
                        status_badge(req, x->status);
                        html_printf(b, "</td><td data-label=\"%s\">%s</td></tr>", _(L, "Submitted"),
                                    x->submitted_at[0] ? when(req, x->submitted_at) : "—");
                }
                html_raw_trusted(b, "</tbody></table></div>");
                html_pagination(req, "/applications", page, per_page, total);
        }
        page_end(req);
        if (e.n)
                req->status = 400;
}

/* ---- new and edit ---- */

static void
application_form(struct request *req, const struct application *app, const char *register_number,
                 const struct errs *e)
{
        enum lang L = req->lang;
        int editing = app->id > 0;
        const char *title = editing ? _(L, "Edit application") : _(L, "New application");
        page_begin(req, title, "applications");
        struct buf *b = &req->out;
        crumbs(req, editing ? app : NULL);
        html_printf(b, "<h1>%s</h1>", title);
        if (editing)
                html_printf(b,
                            "<p class=\"sub\"><bdi>%s</bdi> · <span class=\"ltr\"><bdi>%s</bdi>"
                            "</span></p>",
                            application_coop_name(req, app), app->coop_register_number);
        form_error_summary(req, e);
        if (editing)
                html_printf(b,
                            "<form method=\"post\" action=\"/applications/%lld\" class=\"record\" "
                            "novalidate>",
                            app->id);
        else
                html_raw_trusted(
                    b,
                    "<form method=\"post\" action=\"/applications\" class=\"record\" novalidate>");
        page_csrf(req);
        if (editing) {
                html_printf(b, "<input type=\"hidden\" name=\"version\" value=\"%lld\">",
                            app->version);
        } else {
                struct select_option *opts;
                size_t nopts;
                call_options(req, &opts, &nopts);
                const char *sel = app->call_id ? arena_printf(req->arena, "%lld", app->call_id)
                                               : req_query_str(req, "call");
                form_select(req, "call_id", _(L, "Call"), opts, nopts, sel, _(L, "Choose a call"),
                            e);
                struct form_field reg = {
                    .name = "register_number",
                    .label = _(L, "Register number of the cooperative"),
                    .value = register_number,
                    .hint = _(L, "As on its registration, for example 2023/15-03. The "
                                 "cooperative must be in the registry, in your regions."),
                    .required = 1,
                    .maxlen = 32,
                    .dir = "ltr"};
                form_input(req, &reg, e);
        }
        struct form_field summary = {
            .name = "project_summary",
            .label = _(L, "Project summary"),
            .value = app->project_summary,
            .hint = _(L, "What the cooperative wants to do, for whom, and why it is viable. "
                         "Needed to submit; at most 4,000 characters."),
            .type = "textarea",
            .maxlen = APP_SUMMARY_MAX,
            .dir = "auto"};
        form_input(req, &summary, e);
        struct form_field support = {
            .name = "requested_support",
            .label = _(L, "Support requested"),
            .value = app->requested_support,
            .hint = _(L, "Training, coaching, equipment, certification, financing... At most "
                         "2,000 characters."),
            .type = "textarea",
            .maxlen = APP_SUPPORT_MAX,
            .dir = "auto"};
        form_input(req, &support, e);
        html_printf(b,
                    "<div class=\"form-actions\"><button class=\"primary\">%s</button>"
                    "<a href=\"%s\">%s</a></div></form>",
                    _(L, "Save application"),
                    editing ? arena_printf(req->arena, "/applications/%lld", app->id)
                            : "/applications",
                    _(L, "Cancel"));
        page_end(req);
}

void
page_application_new(struct request *req)
{
        struct application app = {0};
        app.project_summary = app.requested_support = "";
        application_form(req, &app, "", NULL);
}

void
page_application_create(struct request *req)
{
        struct errs e;
        errs_init(&e, req->arena, req->lang);
        struct application app;
        struct call call;
        enum app_error err;
        const char *reg = req_form(req, "register_number");
        if (application_prepare_new(req, &app, &call, &e, form_get, req, &err) != 0) {
                if (err == ERR_INTERNAL) {
                        reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
                        return;
                }
                application_form(req, &app, reg ? reg : "", &e);
                req->status = err == ERR_CONFLICT ? 409 : err == ERR_FORBIDDEN ? 403 : 422;
                return;
        }
        long long existing = 0;
        int rc = application_store_insert(req->db, &req->user->scope, &app, req->user->id,
                                          &existing, req->arena);
        switch (rc) {
        case STORE_OK:
                reply_redirect(req, arena_printf(req->arena, "/applications/%lld", app.id));
                return;
        case STORE_DUPLICATE:
                errs_add_text(&e, "register_number",
                              application_duplicate_text(req->lang, req->arena, existing));
                application_form(req, &app, reg ? reg : "", &e);
                req->status = 409;
                return;
        case STORE_NOT_FOUND:
                errs_add(&e, "register_number",
                         "No cooperative with this register number in your regions.");
                application_form(req, &app, reg ? reg : "", &e);
                req->status = 422;
                return;
        default:
                reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
        }
}

void
page_application_edit(struct request *req)
{
        struct application app;
        if (load_or_reply(req, &app) != 0)
                return;
        int from = application_status_from_code(app.status);
        enum app_refusal why =
            application_may_edit(application_actor_of(req), (enum app_status)from);
        if (why != APP_OK) {
                reply_error(req, application_refusal_error(why),
                            application_refusal_text(req->lang, why, APP_ACT_EDIT), NULL, 0);
                return;
        }
        application_form(req, &app, "", NULL);
}

void
page_application_update(struct request *req)
{
        struct application app;
        if (load_or_reply(req, &app) != 0)
                return;
        struct errs e;
        errs_init(&e, req->arena, req->lang);
        long long expected = 0;
        if (v_int(&e, "version", req_form(req, "version"), 1, 1, 1LL << 62, 0, &expected) != 0) {
                reply_error(req, ERR_BAD_REQUEST, NULL, e.list, e.n);
                return;
        }
        int from = application_status_from_code(app.status);
        enum app_refusal why =
            application_may_edit(application_actor_of(req), (enum app_status)from);
        if (why != APP_OK) {
                reply_error(req, application_refusal_error(why),
                            application_refusal_text(req->lang, why, APP_ACT_EDIT), NULL, 0);
                return;
        }
        if (application_apply(&app, &e, form_get, req) != 0) {
                application_form(req, &app, "", &e);
                req->status = 422;
                return;
        }
        int rc = application_store_update(req->db, &req->user->scope, &app, expected, req->arena);
        if (rc == STORE_OK)
                reply_redirect(req, arena_printf(req->arena, "/applications/%lld", app.id));
        else
                application_reply_failure(req, rc, APP_OK, APP_ACT_EDIT);
}

/* ---- detail ---- */

static void
eligibility_panel(struct request *req, const struct application *app)
{
        enum lang L = req->lang;
        struct arena *a = req->arena;
        struct buf *b = &req->out;
        struct app_explained x;
        html_printf(b,
                    "<section class=\"panel\" aria-labelledby=\"h-eligibility\">"
                    "<h2 id=\"h-eligibility\">%s</h2>",
                    _(L, "Eligibility"));
        if (application_explain(req, app, &x) != 0 || !x.evaluated) {
                html_printf(b, "<p class=\"empty\">%s</p></section>",
                            _(L, "Eligibility is evaluated when the application is submitted, "
                                 "with the call's rules on its reference date."));
                return;
        }
        html_printf(b, "<p class=\"big\">");
        html_status_badge(req, x.eligible ? "eligible" : "ineligible",
                          x.eligible ? _(L, "Eligible") : _(L, "Not eligible"));
        html_printf(b, "</p><p>%s</p><p class=\"sub\">%s</p>",
                    x.eligible ? _(L, "The cooperative met every rule of the call.")
                               : _(L, "The cooperative did not meet every rule of the call."),
                    arena_printf(a,
                                 _(L, "Rules version %s, on the reference date of %s; evaluated "
                                      "on %s."),
                                 i18n_int(a, L, app->rules_version),
                                 day_text(req, x.reference_date), when(req, app->evaluated_at)));
        if (!x.replayed || !x.agrees)
                html_printf(b, "<p class=\"warning\">%s</p>",
                            _(L, "The explanations could not be computed again from the kept "
                                 "inputs: the verdicts below are those recorded."));
        html_raw_trusted(b, "<ul class=\"checks\">");
        for (size_t i = 0; i < x.n; i++) {
                const struct app_explained_line *l = &x.lines[i];
                /* Without the rules, the kind of each rule names it. */
                const char *rule = l->rule[0] ? l->rule : l->kind;
                for (int k = 0; k < ELIG_KIND_COUNT && !l->rule[0]; k++)
                        if (strcmp(eligibility_kind_code((enum elig_kind)k), l->kind) == 0)
                                rule = _(L, eligibility_kind_label((enum elig_kind)k));
                html_printf(
                    b, "<li class=\"%s\"><span class=\"mark\">%s</span> <strong>%s</strong>",
                    l->pass ? "pass" : "fail", l->pass ? _(L, "Passed") : _(L, "Failed"), rule);
                if (l->explanation[0] && x.agrees)
                        html_printf(b, "<br>%s", l->explanation);
                else
                        html_printf(b, "<br><span class=\"ltr\"><bdi>%s</bdi></span>", l->measured);
                html_raw_trusted(b, "</li>");
        }
        html_raw_trusted(b, "</ul></section>");
}

static void
history_panel(struct request *req, const struct application *app)
{
        enum lang L = req->lang;
        struct buf *b = &req->out;
        struct application_event *ev;
        size_t n;
        html_printf(b,
                    "<section class=\"panel\" aria-labelledby=\"h-history\">"
                    "<h2 id=\"h-history\">%s</h2>",
                    _(L, "History"));
        if (application_store_events(req->db, &req->user->scope, app->id, req->arena, &ev, &n) !=
            STORE_OK) {
                html_printf(b, "<p class=\"warning\">%s</p></section>",
                            _(L, "The history could not be read."));
                return;
        }
        html_printf(b,
                    "<div class=\"table-wrap\"><table class=\"list\"><thead><tr>"
                    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                    "<th scope=\"col\">%s</th></tr></thead><tbody>",
                    _(L, "Change"), _(L, "When"), _(L, "By"), _(L, "Reason"));
        const char *arrow = lang_is_rtl(L) ? " ← " : " → ";
        for (size_t i = 0; i < n; i++) {
                html_printf(b, "<tr><th scope=\"row\" data-label=\"%s\">", _(L, "Change"));
                if (ev[i].from_status[0]) {
                        status_badge(req, ev[i].from_status);
                        html_printf(b, "%s", arrow);
                } else {
                        html_printf(b, "%s ", _(L, "Created as"));
                }
                status_badge(req, ev[i].to_status);
                html_printf(b,
                            "</th><td data-label=\"%s\">%s</td><td data-label=\"%s\"><bdi>%s</bdi>"
                            "</td><td data-label=\"%s\"><span class=\"notes\" dir=\"auto\">%s"
                            "</span></td></tr>",
                            _(L, "When"), when(req, ev[i].at), _(L, "By"),
                            ev[i].user_login[0] ? ev[i].user_login : _(L, "murafiq"),
                            _(L, "Reason"), ev[i].reason[0] ? ev[i].reason : "—");
        }
        html_raw_trusted(b, "</tbody></table></div></section>");
}

/* The forms of the changes the user may make now. */
static void
action_forms(struct request *req, const struct application *app, const struct errs *e)
{
        enum lang L = req->lang;
        struct buf *b = &req->out;
        if (!user_can(req->user, PERM_APPLICATION_WRITE))
                return;
        unsigned actor = application_actor_of(req);
        enum app_status from = (enum app_status)application_status_from_code(app->status);
        if (application_check_any(actor, APP_ACT_SUBMIT, from, NULL) == APP_OK) {
                html_printf(b,
                            "<section class=\"panel\" aria-labelledby=\"h-submit\"><h2 "
                            "id=\"h-submit\">%s</h2><p>%s</p>"
                            "<form method=\"post\" action=\"/applications/%lld/submit\">",
                            _(L, "Submit"),
                            _(L, "Submitting freezes the project and evaluates the cooperative's "
                                 "eligibility at once, with the call's current rules on its "
                                 "reference date."),
                            app->id);
                page_csrf(req);
                html_printf(b,
                            "<input type=\"hidden\" name=\"version\" value=\"%lld\">"
                            "<button class=\"primary\">%s</button></form></section>",
                            app->version, _(L, "Submit the application"));
        }
        if (application_check_any(actor, APP_ACT_REEVALUATE, from, "-") == APP_OK) {
                html_printf(b,
                            "<section class=\"panel\" aria-labelledby=\"h-reevaluate\"><h2 "
                            "id=\"h-reevaluate\">%s</h2>"
                            "<form method=\"post\" action=\"/applications/%lld/reevaluate\">",
                            _(L, "Evaluate again"), app->id);
                page_csrf(req);
                html_printf(b, "<input type=\"hidden\" name=\"version\" value=\"%lld\">",
                            app->version);
                struct form_field r = {
                    .name = "reevaluate_reason",
                    .label = _(L, "Reason"),
                    .value = e ? req_form(req, "reevaluate_reason") : "",
                    .hint = _(L, "For example: the rules were corrected, or the cooperative's "
                                 "legal date was wrong. The new evaluation uses the call's "
                                 "current rules and the cooperative's current data."),
                    .type = "textarea",
                    .required = 1,
                    .maxlen = APP_REASON_MAX,
                    .dir = "auto"};
                form_input(req, &r, e);
                html_printf(b, "<button>%s</button></form></section>",
                            _(L, "Evaluate eligibility again"));
        }
        if (application_check_any(actor, APP_ACT_WITHDRAW, from, "-") == APP_OK) {
                html_printf(b,
                            "<section class=\"panel\" aria-labelledby=\"h-withdraw\"><h2 "
                            "id=\"h-withdraw\">%s</h2>"
                            "<form method=\"post\" action=\"/applications/%lld/withdraw\">",
                            _(L, "Withdraw"), app->id);
                page_csrf(req);
                html_printf(b, "<input type=\"hidden\" name=\"version\" value=\"%lld\">",
                            app->version);
                struct form_field r = {.name = "withdraw_reason",
                                       .label = _(L, "Reason"),
                                       .value = e ? req_form(req, "withdraw_reason") : "",
                                       .hint = _(L, "Why the application is withdrawn: it is "
                                                    "kept in its history."),
                                       .type = "textarea",
                                       .required = 1,
                                       .maxlen = APP_REASON_MAX,
                                       .dir = "auto"};
                form_input(req, &r, e);
                html_printf(b, "<button>%s</button></form></section>",
                            _(L, "Withdraw the application"));
        }
}

/* A text of several lines, each line a paragraph of its own direction (an Arabic line and a
 * French one in the same summary each read their way). */
static void
paragraphs(struct request *req, const char *text)
{
        if (text == NULL || text[0] == '\0') {
                html_raw_trusted(&req->out, "<p>—</p>");
                return;
        }
        const char *p = text;
        for (;;) {
                const char *nl = strchr(p, '\n');
                size_t n = nl ? (size_t)(nl - p) : strlen(p);
                if (n > 0 && p[n - 1] == '\r')
                        n--;
                html_printf(&req->out, "<p class=\"notes\" dir=\"auto\">%s</p>",
                            arena_strndup(req->arena, p, n));
                if (nl == NULL)
                        break;
                p = nl + 1;
        }
}

static void
render_detail(struct request *req, const struct application *app, const struct errs *e)
{
        enum lang L = req->lang;
        struct buf *b = &req->out;
        page_begin(req, application_coop_name(req, app), "applications");
        crumbs(req, app);
        html_printf(b,
                    "<div class=\"page-head\"><div><h1><bdi>%s</bdi></h1><p class=\"sub\">"
                    "<bdi>%s</bdi> · <span class=\"ltr\"><bdi>%s</bdi></span></p>"
                    "<p class=\"big\">",
                    application_coop_name(req, app), coop_other_name(req, app),
                    app->coop_register_number);
        status_badge(req, app->status);
        html_raw_trusted(b, "</p></div><div class=\"actions\">");
        if (user_can(req->user, PERM_APPLICATION_WRITE) &&
            application_may_edit(application_actor_of(req),
                                 (enum app_status)application_status_from_code(app->status)) ==
                APP_OK)
                html_printf(b, "<a class=\"button\" href=\"/applications/%lld/edit\">%s</a>",
                            app->id, _(L, "Edit"));
        int s = application_status_from_code(app->status);
        /* The evaluations of the application (selection/evaluation_pages.c), for those who
         * assign evaluators. */
        if (user_can(req->user, PERM_PROGRAM_MANAGE) &&
            (s == APP_ELIGIBLE || s == APP_SCORED || s == APP_SELECTED || s == APP_WAITLISTED ||
             s == APP_REJECTED))
                html_printf(b, "<a class=\"button\" href=\"/applications/%lld/evaluations\">%s</a>",
                            app->id, _(L, "Evaluations"));
        /* The decision letter (selection/selection_pages.c), once there is a decision. */
        if (s == APP_INELIGIBLE || s == APP_SELECTED || s == APP_WAITLISTED || s == APP_REJECTED)
                html_printf(b, "<a class=\"button\" href=\"/applications/%lld/letter\">%s</a>",
                            app->id, _(L, "Decision letter"));
        html_raw_trusted(b, "</div></div>");
        form_error_summary(req, e);

        html_printf(b, "<section class=\"panel\"><h2>%s</h2><dl class=\"facts\">",
                    app_number(req, app->id));
        html_printf(b,
                    "<div class=\"fact\"><dt>%s</dt><dd><a href=\"/calls/%lld\"><bdi>%s</bdi></a>"
                    "</dd></div>",
                    _(L, "Call"), app->call_id, application_call_title(req, app));
        html_printf(b,
                    "<div class=\"fact\"><dt>%s</dt><dd><a href=\"/cooperatives/%lld\"><bdi>%s"
                    "</bdi></a></dd></div>",
                    _(L, "Cooperative"), app->cooperative_id, application_coop_name(req, app));
        html_fact(req, _(L, "Region"), region_name(req, app->region_code), NULL);
        html_fact(req, _(L, "Created by"), app->created_by_login, NULL);
        html_fact(req, _(L, "Created on"), when(req, app->created_at), NULL);
        html_fact(req, _(L, "Submitted on"),
                  app->submitted_at[0] ? when(req, app->submitted_at) : "", NULL);
        html_raw_trusted(b, "</dl></section>");

        html_printf(b, "<section class=\"panel\"><h2>%s</h2><h3>%s</h3>", _(L, "Project"),
                    _(L, "Project summary"));
        paragraphs(req, app->project_summary);
        html_printf(b, "<h3>%s</h3>", _(L, "Support requested"));
        paragraphs(req, app->requested_support);
        html_raw_trusted(b, "</section>");
        eligibility_panel(req, app);
        action_forms(req, app, e);
        history_panel(req, app);
        page_end(req);
}

void
page_application_show(struct request *req)
{
        struct application app;
        if (load_or_reply(req, &app) != 0)
                return;
        render_detail(req, &app, NULL);
}

/* ---- status changes ---- */

/* Reads the version the form was drawn from; answers 400 and returns -1 when missing. */
static int
form_version(struct request *req, long long *version)
{
        struct errs e;
        errs_init(&e, req->arena, req->lang);
        if (v_int(&e, "version", req_form(req, "version"), 1, 1, 1LL << 62, 0, version) != 0) {
                reply_error(req, ERR_BAD_REQUEST, NULL, e.list, e.n);
                return -1;
        }
        return 0;
}

void
page_application_submit(struct request *req)
{
        enum lang L = req->lang;
        struct application app;
        long long version;
        if (load_or_reply(req, &app) != 0 || form_version(req, &version) != 0)
                return;
        enum app_status from = (enum app_status)application_status_from_code(app.status);
        enum app_refusal why =
            application_check_any(application_actor_of(req), APP_ACT_SUBMIT, from, NULL);
        if (why != APP_OK) {
                reply_error(req, application_refusal_error(why),
                            application_refusal_text(L, why, APP_ACT_SUBMIT), NULL, 0);
                return;
        }
        if (version != app.version) {
                application_reply_failure(req, STORE_CONFLICT, APP_OK, APP_ACT_SUBMIT);
                return;
        }
        struct errs e;
        errs_init(&e, req->arena, L);
        if (application_check_submittable(&app, &e) != 0) {
                reply_error(req, ERR_VALIDATION,
                            _(L, "Edit the application to write its project summary, then "
                                 "submit it."),
                            e.list, e.n);
                return;
        }
        int rc = application_store_submit(req->db, &req->user->scope, app.id, version,
                                          req->user->id, req->arena, &app, &why);
        if (rc == STORE_OK)
                reply_redirect(req, arena_printf(req->arena, "/applications/%lld", app.id));
        else
                application_reply_failure(req, rc, why, APP_ACT_SUBMIT);
}

/* Withdraw and re-evaluate: a reason from the form field `field`. */
static void
reasoned_change(struct request *req, enum app_action action, const char *field)
{
        enum lang L = req->lang;
        struct application app;
        long long version;
        if (load_or_reply(req, &app) != 0 || form_version(req, &version) != 0)
                return;
        enum app_status from = (enum app_status)application_status_from_code(app.status);
        struct errs e;
        errs_init(&e, req->arena, L);
        const char *reason = application_reason(&e, req_form(req, field), 1);
        enum app_refusal why =
            application_check_any(application_actor_of(req), action, from, reason ? reason : "");
        if (why != APP_OK && why != APP_REFUSED_REASON) {
                reply_error(req, application_refusal_error(why),
                            application_refusal_text(L, why, action), NULL, 0);
                return;
        }
        if (version != app.version) {
                application_reply_failure(req, STORE_CONFLICT, APP_OK, action);
                return;
        }
        if (reason == NULL || why == APP_REFUSED_REASON) {
                struct errs shown;
                errs_init(&shown, req->arena, L);
                errs_add_text(&shown, field,
                              e.n ? e.list[0].msg : application_refusal_text(L, why, action));
                render_detail(req, &app, &shown);
                req->status = 422;
                return;
        }
        int rc = action == APP_ACT_WITHDRAW
                     ? application_store_withdraw(req->db, &req->user->scope, app.id, version,
                                                  reason, req->user->id, req->arena, &app, &why)
                     : application_store_reevaluate(req->db, &req->user->scope, app.id, version,
                                                    reason, req->user->id, req->arena, &app, &why);
        if (rc == STORE_OK)
                reply_redirect(req, arena_printf(req->arena, "/applications/%lld", app.id));
        else
                application_reply_failure(req, rc, why, action);
}

void
page_application_withdraw(struct request *req)
{
        reasoned_change(req, APP_ACT_WITHDRAW, "withdraw_reason");
}

void
page_application_reevaluate(struct request *req)
{
        reasoned_change(req, APP_ACT_REEVALUATE, "reevaluate_reason");
}

/* ---- import ---- */

static void
import_form(struct request *req, const struct call *c, const struct errs *e)
{
        enum lang L = req->lang;
        struct buf *b = &req->out;
        page_begin(req, _(L, "Import applications"), "applications");
        const char *sep = lang_is_rtl(L) ? " ‹ " : " › ";
        html_printf(b,
                    "<nav class=\"crumbs\"><a href=\"/applications\">%s</a>%s<a "
                    "href=\"/applications?call=%lld\"><bdi>%s</bdi></a></nav><h1>%s</h1>",
                    _(L, "Applications"), sep, c->id, call_title(req, c),
                    _(L, "Import applications"));
        if (application_may_create(application_actor_of(req), call_phase_on(c, date_today())) !=
            APP_OK)
                html_printf(b, "<p class=\"warning\">%s</p>",
                            application_refusal_text(L, APP_REFUSED_PHASE, APP_ACT_CREATE));
        form_error_summary(req, e);
        html_printf(b,
                    "<form method=\"post\" action=\"/calls/%lld/applications/import\" "
                    "class=\"record\" novalidate>",
                    c->id);
        page_csrf(req);
        const char *v = req_form(req, "csv");
        struct form_field csv = {
            .name = "csv",
            .label = _(L, "Applications as CSV"),
            .value = v ? v : "",
            .hint = _(L, "Paste the rows of a spreadsheet saved as CSV (UTF-8, commas). The first "
                         "row names the columns: register_number (required), project_summary, "
                         "requested_support. Each row becomes a draft application of the "
                         "cooperative with that register number, in your regions."),
            .type = "textarea",
            .required = 1,
            .dir = "ltr"};
        form_input(req, &csv, e);
        form_checkbox(
            req, "all_or_nothing", _(L, "All or nothing: import no row if any row is rejected"),
            req_form(req, "all_or_nothing") && strcmp(req_form(req, "all_or_nothing"), "1") == 0,
            e);
        html_printf(b,
                    "<div class=\"form-actions\"><button class=\"primary\">%s</button>"
                    "<a href=\"/applications?call=%lld\">%s</a></div></form>",
                    _(L, "Import applications"), c->id, _(L, "Cancel"));
        page_end(req);
}

void
page_application_import(struct request *req)
{
        struct call c;
        int rc = call_store_get(req->db, req->arena, req->id, &c);
        if (rc != STORE_OK) {
                reply_store_error(req, rc);
                return;
        }
        import_form(req, &c, NULL);
}

static void
import_report_page(struct request *req, const struct call *c, const struct app_import_report *r)
{
        enum lang L = req->lang;
        struct arena *a = req->arena;
        struct buf *b = &req->out;
        page_begin(req, _(L, "Import report"), "applications");
        const char *sep = lang_is_rtl(L) ? " ‹ " : " › ";
        html_printf(b,
                    "<nav class=\"crumbs\"><a href=\"/applications\">%s</a>%s<a "
                    "href=\"/applications?call=%lld\"><bdi>%s</bdi></a></nav><h1>%s</h1>",
                    _(L, "Applications"), sep, c->id, call_title(req, c), _(L, "Import report"));
        html_printf(b, "<section class=\"panel\" role=\"status\"><p class=\"big\">%s</p><p>%s</p>",
                    arena_printf(a,
                                 _(L, "%s rows read: %s applications created, %s rows rejected."),
                                 i18n_int(a, L, r->rows), i18n_int(a, L, r->inserted),
                                 i18n_int(a, L, r->rejected)),
                    r->saved ? _(L, "The valid rows were saved as draft applications.")
                             : _(L, "Nothing was saved: all or nothing was asked and some rows "
                                    "were rejected."));
        html_raw_trusted(b, "</section>");
        if (r->nerrors) {
                html_printf(b,
                            "<section class=\"panel\"><h2>%s</h2><div class=\"table-wrap\">"
                            "<table class=\"list\"><thead><tr><th scope=\"col\">%s</th>"
                            "<th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead>"
                            "<tbody>",
                            _(L, "Rejected rows"), _(L, "Line"), _(L, "Column"), _(L, "Reason"));
                for (size_t i = 0; i < r->nerrors; i++)
                        html_printf(
                            b,
                            "<tr><th scope=\"row\" data-label=\"%s\">%s</th>"
                            "<td data-label=\"%s\" class=\"ltr\"><bdi>%s</bdi></td>"
                            "<td data-label=\"%s\">%s</td></tr>",
                            _(L, "Line"),
                            arena_printf(a, _(L, "Line %s"), i18n_int(a, L, r->errors[i].line)),
                            _(L, "Column"), r->errors[i].field, _(L, "Reason"),
                            r->errors[i].message);
                html_raw_trusted(b, "</tbody></table></div></section>");
        }
        if (r->ncreated) {
                html_printf(b, "<section class=\"panel\"><h2>%s</h2><ul class=\"rules\">",
                            _(L, "Applications created"));
                for (size_t i = 0; i < r->ncreated; i++)
                        html_printf(b,
                                    "<li><a href=\"/applications/%lld\">%s</a> · <span "
                                    "class=\"ltr\"><bdi>%s</bdi></span></li>",
                                    r->created[i].id, app_number(req, r->created[i].id),
                                    r->created[i].register_number);
                html_raw_trusted(b, "</ul></section>");
        }
        html_printf(b,
                    "<p><a class=\"button\" href=\"/applications?call=%lld\">%s</a> "
                    "<a href=\"/calls/%lld/applications/import\">%s</a></p>",
                    c->id, _(L, "See the applications of this call"), c->id,
                    _(L, "Import more applications"));
        page_end(req);
}

void
page_application_import_post(struct request *req)
{
        enum lang L = req->lang;
        struct call c;
        int rc = call_store_get(req->db, req->arena, req->id, &c);
        if (rc != STORE_OK) {
                reply_store_error(req, rc);
                return;
        }
        struct errs e;
        errs_init(&e, req->arena, L);
        enum app_refusal why =
            application_may_create(application_actor_of(req), call_phase_on(&c, date_today()));
        if (why != APP_OK) {
                reply_error(req, application_refusal_error(why),
                            application_refusal_text(L, why, APP_ACT_CREATE), NULL, 0);
                return;
        }
        int all = 0;
        const char *csv = req_form(req, "csv");
        v_bool(&e, "all_or_nothing", req_form(req, "all_or_nothing"), &all);
        if (csv == NULL || csv[0] == '\0')
                errs_add(&e, "csv", "Paste the CSV text of the applications.");
        if (e.n) {
                import_form(req, &c, &e);
                req->status = 422;
                return;
        }
        struct app_import_report r;
        if (application_csv_import(req->db, &req->user->scope, c.id, req->user->id, csv,
                                   strlen(csv), all, L, req->arena, &r) != 0) {
                reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
                return;
        }
        if (r.fatal) {
                errs_add_text(&e, "csv", r.fatal);
                import_form(req, &c, &e);
                req->status = 422;
                return;
        }
        import_report_page(req, &c, &r);
}
