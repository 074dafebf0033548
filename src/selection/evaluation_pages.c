/* evaluation_pages.c: the pages of evaluations: an evaluator's list and their own evaluation of
 * an application (declaration, scores, submission), a manager's view of an application's
 * evaluations with the assignment of evaluators, and a call's evaluation overview. */
#include <stdlib.h>
#include <string.h>

#include <unicode/unum.h>
#include <unicode/ustring.h>

#include "core/arena.h"
#include "core/db.h"
#include "core/i18n.h"
#include "core/validate.h"
#include "registry/geo.h"
#include "selection/call_store.h"
#include "selection/call_web.h"
#include "selection/evaluation_web.h"
#include "web/layout.h"
#include "web/pages.h"

#define MINE_PER_PAGE     50
#define OVERVIEW_PER_PAGE 50
#define COMMENT_MAX       4000
#define NOTE_MAX          1000
#define REASON_MAX        500

/* ---- shared with evaluation_api.c ---- */

const char *const eval_statuses[EVAL_STATUSES_N + 1] = {
    "draft",    "submitted",  "eligible", "ineligible", "scored",
    "selected", "waitlisted", "rejected", "withdrawn",  NULL};

const char *
eval_status_label(const char *status)
{
        static const struct code_label labels[] = {
            {"draft", N_("Draft")},           {"submitted", N_("Submitted")},
            {"eligible", N_("Eligible")},     {"ineligible", N_("Not eligible")},
            {"scored", N_("Scored")},         {"selected", N_("Selected")},
            {"waitlisted", N_("Waitlisted")}, {"rejected", N_("Not selected")},
            {"withdrawn", N_("Withdrawn")},   {NULL, NULL}};
        return code_label(labels, status);
}

int
eval_open(const struct evaluation_app *app)
{
        return strcmp(app->status, "eligible") == 0 || strcmp(app->status, "scored") == 0;
}

const char *
eval_coop_name(struct request *req, const struct evaluation_app *app)
{
        return lang_data(req->lang) == LANG_AR ? app->coop_name_ar : app->coop_name_fr;
}

const char *
eval_criterion_label(struct request *req, const struct call_criterion *k)
{
        switch (lang_data(req->lang)) {
        case LANG_AR:
                return k->label_ar;
        case LANG_FR:
                return k->label_fr;
        default:
                return k->label_en;
        }
}

/* Loads the call and its grid for v->app. */
static int
load_call_grid(struct request *req, struct eval_app_view *v)
{
        if (call_store_get(req->db, req->arena, v->app.call_id, &v->call) != STORE_OK)
                return -1;
        if (call_grid(&v->call, req->arena, &v->grid) != 0) {
                v->grid.criteria = NULL;
                v->grid.n = 0;
        }
        return 0;
}

int
eval_load_mine(struct request *req, struct eval_mine_view *out)
{
        memset(out, 0, sizeof(*out));
        int rc = evaluation_store_app_of(req->db, req->arena, req->id, req->user->id, &out->v.app);
        if (rc == STORE_OK)
                rc = evaluation_store_get(req->db, req->arena, req->id, req->user->id, &out->ev);
        if (rc == STORE_OK && load_call_grid(req, &out->v) != 0)
                rc = STORE_ERROR;
        if (rc != STORE_OK) {
                reply_store_error(req, rc);
                return -1;
        }
        out->state = evaluation_state_of(&out->ev);
        out->scores =
            arena_alloc(req->arena, (out->v.grid.n ? out->v.grid.n : 1) * sizeof(*out->scores));
        evaluation_scores_in_grid(&out->v.grid, &out->ev, out->scores);
        int full = out->v.grid.n > 0;
        for (size_t k = 0; k < out->v.grid.n; k++)
                full &= out->scores[k] >= 0;
        if (full)
                out->has_own = scoring_total(&out->v.grid, out->scores, 1, &out->own) == 0;
        return 0;
}

static int
summarize(struct request *req, const struct call *c, const struct scoring_grid *g,
          struct evaluation *evs, size_t n, long long **scores, struct evaluation_summary *sum)
{
        memset(sum, 0, sizeof(*sum));
        if (g->n == 0) {
                sum->assigned = n;
                return 0;
        }
        struct evaluation_sheet *sheets = arena_alloc(req->arena, (n ? n : 1) * sizeof(*sheets));
        for (size_t i = 0; i < n; i++) {
                long long *s = arena_alloc(req->arena, g->n * sizeof(*s));
                evaluation_scores_in_grid(g, &evs[i], s);
                sheets[i].state = evaluation_state_of(&evs[i]);
                sheets[i].scores = s;
                if (scores)
                        scores[i] = s;
        }
        return evaluation_summarize(g, sheets, n, c->disagreement_gap, sum);
}

int
eval_load_all(struct request *req, long long id, struct eval_all_view *out)
{
        memset(out, 0, sizeof(*out));
        int rc = evaluation_store_app(req->db, req->arena, &req->user->scope, id, &out->v.app);
        if (rc == STORE_OK && load_call_grid(req, &out->v) != 0)
                rc = STORE_ERROR;
        if (rc == STORE_OK)
                rc = evaluation_store_list(req->db, req->arena, id, &out->evs, &out->n);
        if (rc == STORE_OK) {
                out->scores = arena_alloc(req->arena, (out->n ? out->n : 1) * sizeof(long long *));
                if (summarize(req, &out->v.call, &out->v.grid, out->evs, out->n, out->scores,
                              &out->sum) != 0)
                        rc = STORE_ERROR;
        }
        if (rc != STORE_OK) {
                reply_store_error(req, rc);
                return -1;
        }
        return 0;
}

int
eval_summary_of(struct request *req, const struct call *c, const struct scoring_grid *g,
                long long application_id, struct evaluation_summary *out)
{
        struct evaluation *evs;
        size_t n;
        if (evaluation_store_list(req->db, req->arena, application_id, &evs, &n) != STORE_OK)
                return -1;
        return summarize(req, c, g, evs, n, NULL, out);
}

void
eval_reply_store(struct request *req, int rc)
{
        enum lang L = req->lang;
        switch (rc) {
        case STORE_NOT_FOUND:
                reply_error(req, ERR_NOT_FOUND, NULL, NULL, 0);
                return;
        case EVAL_STORE_CLOSED:
                reply_error(req, ERR_CONFLICT,
                            _(L, "This application is not open to evaluation: only eligible or "
                                 "scored applications are evaluated."),
                            NULL, 0);
                return;
        case EVAL_STORE_UNDECLARED:
                reply_error(req, ERR_CONFLICT,
                            _(L, "Declare first that you have no conflict of interest with this "
                                 "cooperative; then you can score."),
                            NULL, 0);
                return;
        case EVAL_STORE_STATE:
                reply_error(req, ERR_CONFLICT,
                            _(L, "This evaluation cannot be changed in its present state: it is "
                                 "submitted, or a conflict of interest was declared."),
                            NULL, 0);
                return;
        case STORE_CONFLICT:
                reply_error(req, ERR_CONFLICT,
                            _(L, "This evaluation changed since you opened it. Open it again to "
                                 "see the changes, then make yours."),
                            NULL, 0);
                return;
        case STORE_DUPLICATE:
                reply_error(req, ERR_CONFLICT,
                            _(L, "This person is already an evaluator of this application."), NULL,
                            0);
                return;
        default:
                reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
        }
}

/* ---- helpers of these pages ---- */

/* The locale's decimal separator ("," in ar_MA and fr_MA, "." in en_GB), from ICU, once per
 * thread and language. */
static const char *
decimal_sep(struct request *req)
{
        static _Thread_local char seps[16][8];
        int L = (int)req->lang;
        if (L < 0 || L >= 16)
                return ".";
        if (seps[L][0] == '\0') {
                UErrorCode err = U_ZERO_ERROR;
                UNumberFormat *f =
                    unum_open(UNUM_DECIMAL, NULL, 0, lang_locale(req->lang), NULL, &err);
                UChar u[4];
                int32_t n = U_SUCCESS(err)
                                ? unum_getSymbol(f, UNUM_DECIMAL_SEPARATOR_SYMBOL, u, 4, &err)
                                : 0;
                int32_t len = 0;
                if (U_SUCCESS(err) && n > 0)
                        u_strToUTF8(seps[L], (int32_t)sizeof(seps[L]) - 1, &len, u, n, &err);
                if (U_FAILURE(err) || len <= 0 || len >= (int32_t)sizeof(seps[L]))
                        memcpy(seps[L], ".", 2);
                else
                        seps[L][len] = '\0';
                if (f)
                        unum_close(f);
        }
        return seps[L];
}

/* Points with two decimals in the request's locale ("87,35"). */
static const char *
points(struct request *req, long long h)
{
        return evaluation_points(req->arena, h, decimal_sep(req));
}

/* A timestamp "YYYY-MM-DDTHH:MM:SSZ" as a date in the request's language; "" stays "". */
static const char *
when(struct request *req, const char *ts)
{
        struct date d;
        if (ts == NULL || strlen(ts) < 10)
                return "";
        char day[11];
        memcpy(day, ts, 10);
        day[10] = '\0';
        if (date_parse(day, &d) != 0)
                return ts;
        return i18n_date(req->arena, req->lang, d);
}

static void
state_badge(struct request *req, enum evaluation_state s)
{
        /* Colours of the stylesheet's existing badges; the word says the state. */
        static const char *const cls[] = {[EVALUATION_TO_DECLARE] = "upcoming",
                                          [EVALUATION_CONFLICT] = "closed",
                                          [EVALUATION_DRAFT] = "draft",
                                          [EVALUATION_SUBMITTED] = "eligible"};
        html_status_badge(req, cls[s], _(req->lang, evaluation_state_label(s)));
}

static void
app_status_badge(struct request *req, const char *status)
{
        const char *cls = strcmp(status, "scored") == 0     ? "published"
                          : strcmp(status, "eligible") == 0 ? "eligible"
                                                            : "closed";
        html_status_badge(req, cls, _(req->lang, eval_status_label(status)));
}

static void
disagreement_badge(struct request *req, const struct evaluation_summary *s)
{
        /* A short badge (it does not wrap), then the spread as text that may; in one wrapper,
         * as a stacked table cell lays out its children as flex items. */
        html_raw_trusted(&req->out, "<span>");
        html_status_badge(req, "ineligible", _(req->lang, "Disagreement"));
        html_printf(
            &req->out, " %s</span>",
            arena_printf(req->arena, _(req->lang, "%s points apart"), points(req, s->spread)));
}

static const char *
sep_arrow(struct request *req)
{
        return lang_is_rtl(req->lang) ? " ‹ " : " › ";
}

/* The cooperative facts an evaluator may see: name, register number, region, members. */
static void
coop_facts(struct request *req, const struct eval_app_view *v)
{
        enum lang L = req->lang;
        struct arena *a = req->arena;
        const struct evaluation_app *app = &v->app;
        html_printf(&req->out, "<dl class=\"facts\">");
        html_printf(&req->out,
                    "<div class=\"fact\"><dt>%s</dt><dd><span class=\"ltr\"><bdi>%s</bdi></span>"
                    "</dd></div>",
                    _(L, "Register number"), app->register_number);
        html_fact(req, _(L, "Region"), region_name(req, app->region_code), NULL);
        html_fact(req, _(L, "Members"),
                  arena_printf(a, _(L, "%s, of whom %s women and %s young people"),
                               i18n_int(a, L, app->members_total),
                               i18n_int(a, L, app->members_women),
                               i18n_int(a, L, app->members_youth)),
                  NULL);
        html_fact(req, _(L, "Call"), call_title(req, &v->call), NULL);
        html_raw_trusted(&req->out, "</dl>");
}

/* The weight of criterion k as a share of the grid's weights ("25%"). */
static const char *
weight_share(struct request *req, const struct scoring_grid *g, size_t k)
{
        long long w = 0;
        for (size_t i = 0; i < g->n; i++)
                w += g->criteria[i].weight;
        long long h = w ? (10000 * g->criteria[k].weight + w / 2) / w : 0;
        return arena_printf(req->arena, "%s%%", call_format_points(req->arena, h));
}

/* Reads the form's evaluators (the repeated field "evaluator") into ids. Returns how many, or
 * -1 after an error under "evaluator". */
static long long
form_evaluators(struct request *req, struct errs *e, long long **ids)
{
        size_t n = 0;
        *ids = arena_alloc(req->arena, (req->nform ? req->nform : 1) * sizeof(**ids));
        for (size_t i = 0; i < req->nform; i++) {
                if (strcmp(req->form[i].key, "evaluator") != 0 || req->form[i].value[0] == '\0')
                        continue;
                long long id;
                if (v_int(e, "evaluator", req->form[i].value, 1, 1, 1LL << 62, 0, &id) != 0)
                        return -1;
                (*ids)[n++] = id;
        }
        if (n == 0) {
                errs_add(e, "evaluator", "Choose at least one evaluator.");
                return -1;
        }
        return (long long)n;
}

/* Checkboxes of the users that may be assigned (skip: the ids already assigned, and the
 * creator). Returns how many were offered. */
static size_t
evaluator_boxes(struct request *req, const long long *skip, size_t nskip, long long creator,
                const struct errs *e)
{
        enum lang L = req->lang;
        struct buf *b = &req->out;
        struct evaluation_user *users;
        size_t n = 0, shown = 0;
        evaluation_store_users(req->db, req->arena, &users, &n);
        const char *err = errs_for(e, "evaluator");
        form_remember_label(req, "evaluator", _(L, "Evaluators"));
        html_printf(b, "<fieldset id=\"f-evaluator\" class=\"field%s\"%s><legend>%s</legend>",
                    err ? " has-error" : "", err ? " aria-describedby=\"e-evaluator\"" : "",
                    _(L, "Evaluators"));
        if (err)
                html_printf(b, "<p class=\"error\" id=\"e-evaluator\">%s</p>", err);
        for (size_t i = 0; i < n; i++) {
                int skipped = users[i].id == creator;
                for (size_t k = 0; k < nskip && !skipped; k++)
                        skipped = skip[k] == users[i].id;
                if (skipped)
                        continue;
                int role = role_from_name(users[i].role);
                html_printf(b,
                            "<div class=\"field check\"><input type=\"checkbox\" "
                            "id=\"f-evaluator-%lld\" name=\"evaluator\" value=\"%lld\">"
                            "<label for=\"f-evaluator-%lld\"><bdi>%s</bdi> · %s</label></div>",
                            users[i].id, users[i].id, users[i].id, users[i].login,
                            role >= 0 ? _(L, role_label((enum role)role)) : users[i].role);
                shown++;
        }
        if (shown == 0)
                html_printf(b, "<p>%s</p>", _(L, "Everyone who could evaluate it is assigned."));
        html_raw_trusted(b, "</fieldset>");
        return shown;
}

/* ---- my evaluations ---- */

static const char *
call_title_of(struct request *req, const struct evaluation_mine *m)
{
        switch (lang_data(req->lang)) {
        case LANG_AR:
                return m->call_title_ar;
        case LANG_FR:
                return m->call_title_fr;
        default:
                return m->call_title_en;
        }
}

void
page_evaluation_list(struct request *req)
{
        enum lang L = req->lang;
        struct arena *a = req->arena;
        struct errs e;
        errs_init(&e, a, L);
        static const char *const codes[] = {"to_declare", "draft", "submitted", "conflict", NULL};
        const char *state = v_enum(&e, "state", req_query_str(req, "state"), 0, codes);
        long long page = query_page(req);
        struct evaluation_mine *rows = NULL;
        size_t n = 0;
        long long total = 0;
        if (e.n == 0 && evaluation_store_mine(req->db, a, req->user->id, state ? state : "",
                                              (page - 1) * MINE_PER_PAGE, MINE_PER_PAGE, &rows, &n,
                                              &total) != STORE_OK) {
                reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
                return;
        }
        const char *title = _(L, "My evaluations");
        page_begin(req, title, "evaluations");
        struct buf *b = &req->out;
        html_printf(b,
                    "<div class=\"page-head\"><div><h1>%s</h1><p class=\"sub\">%s</p></div></div>",
                    title,
                    _(L, "The applications you were asked to evaluate. Declare any conflict of "
                         "interest before you score."));
        html_printf(b, "<form class=\"filters\" method=\"get\" action=\"/evaluations\" "
                       "role=\"search\">");
        form_error_summary(req, &e);
        struct select_option opts[4];
        for (size_t i = 0; i < 4; i++) {
                int s = evaluation_state_from_code(codes[i]);
                opts[i].value = codes[i];
                opts[i].label = _(L, evaluation_state_label((enum evaluation_state)s));
        }
        form_select(req, "state", _(L, "State"), opts, 4, req_query_str(req, "state"),
                    _(L, "All states"), &e);
        html_printf(b,
                    "<div class=\"filter-actions\"><button class=\"primary\">%s</button>"
                    "<a href=\"/evaluations\">%s</a></div></form>",
                    _(L, "Apply filters"), _(L, "Clear filters"));
        if (e.n) {
                page_end(req);
                req->status = 400;
                return;
        }
        html_printf(b, "<div class=\"list-head\"><p class=\"count\" role=\"status\">%s</p></div>",
                    arena_printf(a, _(L, "%s evaluations"), i18n_int(a, L, total)));
        if (n == 0) {
                html_printf(b, "<p class=\"empty\">%s</p>",
                            _(L, "No application is assigned to you with these filters."));
                page_end(req);
                return;
        }
        html_printf(b,
                    "<div class=\"table-wrap\"><table class=\"list\"><thead><tr>"
                    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead><tbody>",
                    _(L, "Cooperative"), _(L, "Call"), _(L, "Region"), _(L, "State"),
                    _(L, "Assigned on"));
        for (size_t i = 0; i < n; i++) {
                struct evaluation_mine *m = &rows[i];
                html_printf(b,
                            "<tr><th scope=\"row\" data-label=\"%s\"><a "
                            "href=\"/applications/%lld/evaluation\"><bdi>%s</bdi></a>"
                            "<small class=\"ltr\"><bdi>%s</bdi></small></th>",
                            _(L, "Cooperative"), m->app.id, eval_coop_name(req, &m->app),
                            m->app.register_number);
                html_printf(b,
                            "<td data-label=\"%s\"><bdi>%s</bdi></td><td data-label=\"%s\">%s</td>"
                            "<td data-label=\"%s\">",
                            _(L, "Call"), call_title_of(req, m), _(L, "Region"),
                            region_name(req, m->app.region_code), _(L, "State"));
                state_badge(req, evaluation_state_of(&m->ev));
                html_printf(b, "</td><td data-label=\"%s\">%s</td></tr>", _(L, "Assigned on"),
                            when(req, m->ev.assigned_at));
        }
        html_raw_trusted(b, "</tbody></table></div>");
        html_pagination(req, "/evaluations", page, MINE_PER_PAGE, total);
        page_end(req);
}

/* ---- my evaluation of one application ---- */

/*
 * The evaluator's page. texts (grid order; NULL: from the stored scores) and comment are what
 * a refused form sent back; e its errors.
 */
static void
mine_page(struct request *req, const struct eval_mine_view *m, const char *const *texts,
          const char *comment, const struct errs *e)
{
        enum lang L = req->lang;
        struct arena *a = req->arena;
        const struct eval_app_view *v = &m->v;
        const char *name = eval_coop_name(req, &v->app);
        const char *title = arena_printf(a, _(L, "Evaluation of %s"), name);
        page_begin(req, title, "evaluations");
        struct buf *b = &req->out;
        html_printf(b, "<nav class=\"crumbs\"><a href=\"/evaluations\">%s</a>%s<bdi>%s</bdi></nav>",
                    _(L, "My evaluations"), sep_arrow(req), name);
        html_printf(b,
                    "<div class=\"page-head\"><div><h1><bdi>%s</bdi></h1><p class=\"sub\">%s</p>"
                    "</div><div class=\"actions\">",
                    name, _(L, "Your evaluation"));
        state_badge(req, m->state);
        html_raw_trusted(b, "</div></div>");
        const char *done = req_query_str(req, "done");
        if (strcmp(done, "saved") == 0)
                html_printf(b, "<p class=\"notice\" role=\"status\">%s</p>",
                            _(L, "Your draft is saved. Submit it once every criterion is scored."));
        else if (strcmp(done, "submitted") == 0)
                html_printf(b, "<p class=\"notice\" role=\"status\">%s</p>",
                            _(L, "Your evaluation is submitted. Thank you."));

        html_printf(b, "<section class=\"panel\"><h2>%s</h2>", _(L, "The application"));
        coop_facts(req, v);
        html_printf(b, "<h3>%s</h3>", _(L, "Project summary"));
        if (v->app.project_summary[0])
                html_printf(b, "<p class=\"notes\" dir=\"auto\">%s</p>", v->app.project_summary);
        else
                html_printf(b, "<p>%s</p>", _(L, "No summary was given."));
        html_raw_trusted(b, "</section>");

        if (!eval_open(&v->app) && m->state != EVALUATION_SUBMITTED) {
                html_printf(b, "<p class=\"warning\">%s</p>",
                            _(L, "This application is not open to evaluation any more."));
                page_end(req);
                return;
        }

        if (m->state == EVALUATION_TO_DECLARE) {
                html_printf(b, "<section class=\"panel narrow\"><h2>%s</h2>",
                            _(L, "Conflict of interest"));
                form_error_summary(req, e);
                html_printf(b,
                            "<p>%s</p><form method=\"post\" "
                            "action=\"/applications/%lld/evaluation/declare\">",
                            _(L, "Before you see the scoring grid, say whether you have a conflict "
                                 "of interest with this cooperative."),
                            v->app.id);
                page_csrf(req);
                form_checkbox(req, "no_conflict",
                              _(L, "I declare that I have no family, professional, financial or "
                                   "other personal link with this cooperative or its members, and "
                                   "no interest in the outcome of its application."),
                              0, e);
                html_printf(b,
                            "<div class=\"form-actions\"><button class=\"primary\">%s</button>"
                            "</div></form>",
                            _(L, "Declare and start scoring"));
                html_printf(b,
                            "<h3>%s</h3><form method=\"post\" "
                            "action=\"/applications/%lld/evaluation/conflict\">",
                            _(L, "I have a conflict of interest"), v->app.id);
                page_csrf(req);
                struct form_field note = {
                    .name = "note",
                    .label = _(L, "What the conflict is"),
                    .hint = _(L, "Seen only by the program managers, who will assign someone "
                                 "else."),
                    .type = "textarea",
                    .maxlen = NOTE_MAX,
                    .dir = "auto"};
                form_input(req, &note, e);
                html_printf(b,
                            "<div class=\"form-actions\"><button>%s</button></div></form>"
                            "</section>",
                            _(L, "Declare a conflict of interest"));
                page_end(req);
                return;
        }
        if (m->state == EVALUATION_CONFLICT) {
                html_printf(b, "<p class=\"warning\">%s</p>",
                            arena_printf(a,
                                         _(L, "You declared a conflict of interest on %s: you "
                                              "do not evaluate this application."),
                                         when(req, m->ev.conflict_at)));
                page_end(req);
                return;
        }

        const struct scoring_grid *g = &v->grid;
        if (m->state == EVALUATION_SUBMITTED) {
                html_printf(b, "<section class=\"panel\"><h2>%s</h2><p class=\"sub\">%s</p>",
                            _(L, "Your scores"),
                            arena_printf(a,
                                         _(L, "Submitted on %s. A program manager can reopen it."),
                                         when(req, m->ev.submitted_at)));
                html_printf(b,
                            "<div class=\"table-wrap\"><table class=\"grid\"><thead><tr>"
                            "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                            "<th scope=\"col\">%s</th></tr></thead><tbody>",
                            _(L, "Criterion"), _(L, "Weight"), _(L, "Score"));
                for (size_t k = 0; k < g->n; k++)
                        html_printf(b,
                                    "<tr><th scope=\"row\"><bdi>%s</bdi></th><td>%s</td>"
                                    "<td>%s</td></tr>",
                                    eval_criterion_label(req, &v->call.criteria[k]),
                                    weight_share(req, g, k),
                                    m->scores[k] >= 0
                                        ? arena_printf(a, _(L, "%s of %s"),
                                                       i18n_int(a, L, m->scores[k]),
                                                       i18n_int(a, L, g->criteria[k].max))
                                        : "-");
                html_printf(b,
                            "</tbody><tfoot><tr><th scope=\"row\">%s</th><td></td><td>%s</td>"
                            "</tr></tfoot></table></div>",
                            _(L, "Your total"),
                            m->has_own ? arena_printf(a, _(L, "%s out of 100"), points(req, m->own))
                                       : "-");
                if (m->ev.comment[0])
                        html_printf(b, "<h3>%s</h3><p class=\"notes\" dir=\"auto\">%s</p>",
                                    _(L, "Your comment"), m->ev.comment);
                html_raw_trusted(b, "</section>");
                page_end(req);
                return;
        }

        /* A draft: the scoring form. */
        html_printf(b, "<section class=\"panel narrow\"><h2>%s</h2>", _(L, "Scores"));
        form_error_summary(req, e);
        if (g->n == 0) {
                html_printf(b, "<p class=\"warning\">%s</p>",
                            _(L, "The call has no scoring grid yet."));
                html_raw_trusted(b, "</section>");
                page_end(req);
                return;
        }
        html_printf(b,
                    "<p>%s</p><form method=\"post\" action=\"/applications/%lld/evaluation\" "
                    "novalidate>",
                    _(L, "Give each criterion a whole score. You can save a draft and come back; "
                         "once submitted, your evaluation can no longer be changed."),
                    v->app.id);
        page_csrf(req);
        html_printf(b, "<input type=\"hidden\" name=\"version\" value=\"%lld\">", m->ev.version);
        for (size_t k = 0; k < g->n; k++) {
                const char *field = arena_printf(a, "scores.%s", g->criteria[k].key);
                const char *label = eval_criterion_label(req, &v->call.criteria[k]);
                const char *err = errs_for(e, field);
                const char *value = texts               ? (texts[k] ? texts[k] : "")
                                    : m->scores[k] >= 0 ? arena_printf(a, "%lld", m->scores[k])
                                                        : "";
                form_remember_label(req, field, label);
                html_printf(b, "<div class=\"field%s\"><label for=\"f-%s\"><bdi>%s</bdi></label>",
                            err ? " has-error" : "", field, label);
                html_printf(b, "<p class=\"hint\" id=\"h-%s\">%s</p>", field,
                            arena_printf(a, _(L, "Weight %s. A whole number from 0 to %s."),
                                         weight_share(req, g, k),
                                         i18n_int(a, L, g->criteria[k].max)));
                if (err)
                        html_printf(b, "<p class=\"error\" id=\"e-%s\">%s</p>", field, err);
                html_printf(b,
                            "<input id=\"f-%s\" name=\"%s\" type=\"number\" inputmode=\"numeric\" "
                            "min=\"0\" max=\"%lld\" step=\"1\" value=\"%s\" dir=\"ltr\" "
                            "aria-describedby=\"%s-%s\"%s></div>",
                            field, field, g->criteria[k].max, value, err ? "e" : "h", field,
                            err ? " aria-invalid=\"true\"" : "");
        }
        /* Errors of criteria the grid does not have (a stale or forged form) need a place the
         * summary can link to. */
        for (size_t i = 0; e && i < e->n; i++)
                if (strncmp(e->list[i].field, "scores.", 7) == 0 &&
                    scoring_grid_find(g, e->list[i].field + 7) < 0)
                        html_printf(b, "<p class=\"error\" id=\"f-%s\">%s</p>", e->list[i].field,
                                    e->list[i].msg);
        struct form_field c = {.name = "comment",
                               .label = _(L, "Comment"),
                               .hint = _(L, "What the program managers should know about your "
                                            "scores."),
                               .value = comment ? comment : m->ev.comment,
                               .type = "textarea",
                               .maxlen = COMMENT_MAX,
                               .dir = "auto"};
        form_input(req, &c, e);
        html_printf(b,
                    "<div class=\"form-actions\"><button class=\"primary\" name=\"action\" "
                    "value=\"submit\">%s</button><button name=\"action\" value=\"save\">%s"
                    "</button></div></form></section>",
                    _(L, "Submit the evaluation"), _(L, "Save as draft"));
        page_end(req);
}

void
page_evaluation_show(struct request *req)
{
        struct eval_mine_view m;
        if (eval_load_mine(req, &m) != 0)
                return;
        mine_page(req, &m, NULL, NULL, NULL);
}

void
page_evaluation_declare(struct request *req)
{
        struct eval_mine_view m;
        if (eval_load_mine(req, &m) != 0)
                return;
        struct errs e;
        errs_init(&e, req->arena, req->lang);
        int yes = 0;
        if (v_bool(&e, "no_conflict", req_form(req, "no_conflict"), &yes) == 0 && !yes)
                errs_add(&e, "no_conflict",
                         "Tick the box to declare that you have no conflict of interest, or "
                         "declare your conflict below.");
        if (e.n) {
                mine_page(req, &m, NULL, NULL, &e);
                req->status = 422;
                return;
        }
        int rc = evaluation_store_declare(req->db, req->arena, req->id, req->user->id, 0, NULL);
        if (rc != STORE_OK) {
                eval_reply_store(req, rc);
                return;
        }
        reply_redirect(req, arena_printf(req->arena, "/applications/%lld/evaluation", req->id));
}

void
page_evaluation_conflict(struct request *req)
{
        struct eval_mine_view m;
        if (eval_load_mine(req, &m) != 0)
                return;
        struct errs e;
        errs_init(&e, req->arena, req->lang);
        const char *note = v_text(&e, "note", req_form(req, "note"), 0, NOTE_MAX, 1);
        if (e.n) {
                mine_page(req, &m, NULL, NULL, &e);
                req->status = 422;
                return;
        }
        int rc = evaluation_store_declare(req->db, req->arena, req->id, req->user->id, 1, note);
        if (rc != STORE_OK) {
                eval_reply_store(req, rc);
                return;
        }
        reply_redirect(req, arena_printf(req->arena, "/applications/%lld/evaluation", req->id));
}

void
page_evaluation_save(struct request *req)
{
        enum lang L = req->lang;
        struct arena *a = req->arena;
        struct eval_mine_view m;
        if (eval_load_mine(req, &m) != 0)
                return;
        if (m.state == EVALUATION_TO_DECLARE) {
                eval_reply_store(req, EVAL_STORE_UNDECLARED);
                return;
        }
        if (m.state != EVALUATION_DRAFT) {
                eval_reply_store(req, EVAL_STORE_STATE);
                return;
        }
        struct errs e;
        errs_init(&e, a, L);
        static const char *const actions[] = {"save", "submit", NULL};
        const char *action = v_enum(&e, "action", req_form(req, "action"), 1, actions);
        long long version = 0;
        v_int(&e, "version", req_form(req, "version"), 0, 1, 1LL << 62, 0, &version);
        if (e.n) {
                reply_error(req, ERR_BAD_REQUEST, NULL, e.list, e.n);
                return;
        }
        const struct scoring_grid *g = &m.v.grid;
        /* Every "scores.*" field of the form; what was typed is shown again on an error. */
        struct evaluation_score_text *in =
            arena_alloc(a, (req->nform ? req->nform : 1) * sizeof(*in));
        const char **texts = arena_alloc(a, (g->n ? g->n : 1) * sizeof(*texts));
        memset(texts, 0, (g->n ? g->n : 1) * sizeof(*texts));
        size_t n = 0;
        for (size_t i = 0; i < req->nform; i++) {
                if (strncmp(req->form[i].key, "scores.", 7) != 0)
                        continue;
                in[n].key = req->form[i].key + 7;
                in[n].value = req->form[i].value;
                int k = scoring_grid_find(g, in[n].key);
                if (k >= 0)
                        texts[k] = in[n].value;
                n++;
        }
        for (size_t k = 0; k < g->n; k++)
                if (texts[k] == NULL && m.scores[k] >= 0)
                        texts[k] = arena_printf(a, "%lld", m.scores[k]);
        evaluation_apply_scores(g, in, n, m.scores, &e);
        const char *comment = v_text(&e, "comment", req_form(req, "comment"), 0, COMMENT_MAX, 1);
        int submit = strcmp(action, "submit") == 0;
        if (e.n == 0 && submit)
                evaluation_check_complete(g, m.scores, &e);
        if (e.n) {
                mine_page(req, &m, texts, req_form(req, "comment"), &e);
                req->status = 422;
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
                                       comment ? comment : m.ev.comment, submit, version, NULL);
        if (rc != STORE_OK) {
                eval_reply_store(req, rc);
                return;
        }
        reply_redirect(req, arena_printf(a, "/applications/%lld/evaluation?done=%s", req->id,
                                         submit ? "submitted" : "saved"));
}

/* ---- a manager's view of an application's evaluations ---- */

static void
manage_page(struct request *req, const struct eval_all_view *v, const struct errs *e)
{
        enum lang L = req->lang;
        struct arena *a = req->arena;
        const struct evaluation_app *app = &v->v.app;
        const struct scoring_grid *g = &v->v.grid;
        const struct evaluation_summary *s = &v->sum;
        const char *name = eval_coop_name(req, app);
        const char *title = arena_printf(a, _(L, "Evaluations of %s"), name);
        page_begin(req, title, "programs");
        struct buf *b = &req->out;
        html_printf(b,
                    "<nav class=\"crumbs\"><a href=\"/calls/%lld\"><bdi>%s</bdi></a>%s"
                    "<a href=\"/calls/%lld/evaluations\">%s</a>%s<bdi>%s</bdi></nav>",
                    v->v.call.id, call_title(req, &v->v.call), sep_arrow(req), v->v.call.id,
                    _(L, "Evaluations"), sep_arrow(req), name);
        html_printf(b,
                    "<div class=\"page-head\"><div><h1><bdi>%s</bdi></h1><p class=\"sub\">%s</p>"
                    "</div><div class=\"actions\">",
                    name, _(L, "Evaluations and scores"));
        app_status_badge(req, app->status);
        html_raw_trusted(b, "</div></div>");
        form_error_summary(req, e);

        /* The result. */
        html_printf(b, "<section class=\"panel\"><h2>%s</h2>", _(L, "Result"));
        if (s->has_total) {
                html_printf(b, "<p class=\"big\" id=\"total\">%s</p>",
                            arena_printf(a, _(L, "%s out of 100"), points(req, s->total)));
                if (!s->complete)
                        html_printf(b, "<p class=\"warning\">%s</p>",
                                    arena_printf(a,
                                                 _(L, "Provisional: %s of %s expected evaluations "
                                                      "are submitted."),
                                                 i18n_int(a, L, (long long)s->submitted),
                                                 i18n_int(a, L, (long long)s->expected)));
                if (s->disagreement) {
                        html_raw_trusted(b, "<p id=\"disagreement\">");
                        disagreement_badge(req, s);
                        html_printf(b, " %s</p>",
                                    arena_printf(a, _(L, "(the call allows %s points)."),
                                                 points(req, v->v.call.disagreement_gap)));
                }
        } else {
                html_printf(b, "<p>%s</p>",
                            s->assigned ? _(L, "No evaluation is submitted yet.")
                                        : _(L, "No evaluator is assigned yet."));
        }
        html_printf(b, "<dl class=\"facts\">");
        html_fact(req, _(L, "Evaluators assigned"), i18n_int(a, L, (long long)s->assigned), NULL);
        html_fact(req, _(L, "Submitted"), i18n_int(a, L, (long long)s->submitted), NULL);
        html_fact(req, _(L, "Conflicts of interest declared"),
                  i18n_int(a, L, (long long)s->conflicts), NULL);
        html_fact(req, _(L, "Register number"), app->register_number, "ltr");
        html_fact(req, _(L, "Region"), region_name(req, app->region_code), NULL);
        html_raw_trusted(b, "</dl></section>");

        /* Scores: criteria by evaluators (submitted ones), with the means. */
        size_t nsub = 0;
        for (size_t i = 0; i < v->n; i++)
                nsub += s->own[i] >= 0;
        if (nsub > 0 && g->n > 0) {
                html_printf(b, "<section class=\"panel\"><h2>%s</h2>", _(L, "Scores"));
                html_printf(b,
                            "<div class=\"table-wrap scroll\"><table class=\"grid\" id=\"scores\">"
                            "<thead><tr><th scope=\"col\">%s</th>",
                            _(L, "Criterion"));
                for (size_t i = 0; i < v->n; i++)
                        if (s->own[i] >= 0)
                                html_printf(b, "<th scope=\"col\"><bdi>%s</bdi></th>",
                                            v->evs[i].evaluator_login);
                html_printf(b, "<th scope=\"col\">%s</th></tr></thead><tbody>", _(L, "Mean"));
                for (size_t k = 0; k < g->n; k++) {
                        html_printf(
                            b, "<tr><th scope=\"row\"><bdi>%s</bdi> <small>%s</small></th>",
                            eval_criterion_label(req, &v->v.call.criteria[k]),
                            arena_printf(a, _(L, "out of %s"), i18n_int(a, L, g->criteria[k].max)));
                        for (size_t i = 0; i < v->n; i++)
                                if (s->own[i] >= 0)
                                        html_printf(b, "<td>%s</td>",
                                                    i18n_int(a, L, v->scores[i][k]));
                        html_printf(b, "<td>%s</td></tr>", points(req, s->means[k]));
                }
                html_printf(b, "</tbody><tfoot><tr><th scope=\"row\">%s</th>",
                            _(L, "Total out of 100"));
                for (size_t i = 0; i < v->n; i++)
                        if (s->own[i] >= 0)
                                html_printf(b, "<td>%s</td>", points(req, s->own[i]));
                html_printf(b, "<td>%s</td></tr></tfoot></table></div></section>",
                            points(req, s->total));
        }

        /* The evaluators. */
        html_printf(b, "<section class=\"panel\"><h2>%s</h2>", _(L, "Evaluators"));
        if (v->n == 0)
                html_printf(b, "<p>%s</p>", _(L, "No evaluator is assigned yet."));
        int open = eval_open(app);
        for (size_t i = 0; i < v->n; i++) {
                const struct evaluation *ev = &v->evs[i];
                enum evaluation_state st = evaluation_state_of(ev);
                int role = role_from_name(ev->evaluator_role);
                html_printf(b, "<article class=\"panel\" id=\"evaluator-%lld\"><h3><bdi>%s</bdi> ",
                            ev->evaluator_id, ev->evaluator_login);
                html_printf(b, "<small>%s</small> ",
                            role >= 0 ? _(L, role_label((enum role)role)) : ev->evaluator_role);
                state_badge(req, st);
                html_raw_trusted(b, "</h3><dl class=\"facts\">");
                html_fact(req, _(L, "Assigned on"), when(req, ev->assigned_at), NULL);
                if (ev->no_conflict_at[0])
                        html_fact(req, _(L, "No conflict of interest declared on"),
                                  when(req, ev->no_conflict_at), NULL);
                if (ev->conflict_at[0])
                        html_fact(req, _(L, "Conflict of interest declared on"),
                                  when(req, ev->conflict_at), NULL);
                if (ev->submitted_at[0])
                        html_fact(req, _(L, "Submitted on"), when(req, ev->submitted_at), NULL);
                if (s->own[i] >= 0)
                        html_fact(req, _(L, "Total of this evaluation"),
                                  arena_printf(a, _(L, "%s out of 100"), points(req, s->own[i])),
                                  NULL);
                html_raw_trusted(b, "</dl>");
                if (ev->conflict_note[0])
                        html_printf(b, "<p class=\"notes\" dir=\"auto\">%s</p>", ev->conflict_note);
                if (st == EVALUATION_SUBMITTED && ev->comment[0])
                        html_printf(b, "<h4>%s</h4><p class=\"notes\" dir=\"auto\">%s</p>",
                                    _(L, "Comment"), ev->comment);
                if (open && st == EVALUATION_SUBMITTED) {
                        const char *field = arena_printf(a, "reason-%lld", ev->evaluator_id);
                        html_printf(b,
                                    "<form method=\"post\" "
                                    "action=\"/applications/%lld/evaluations/reopen\">",
                                    app->id);
                        page_csrf(req);
                        html_printf(b,
                                    "<input type=\"hidden\" name=\"evaluator_id\" value=\"%lld\">",
                                    ev->evaluator_id);
                        const char *err = errs_for(e, field);
                        form_remember_label(req, field, _(L, "Why reopen it"));
                        html_printf(b,
                                    "<div class=\"field%s\"><label for=\"f-%s\">%s</label>"
                                    "<p class=\"hint\" id=\"h-%s\">%s</p>",
                                    err ? " has-error" : "", field, _(L, "Why reopen it"), field,
                                    _(L, "Kept in the history. The evaluator can then change "
                                         "the scores and submit again."));
                        if (err)
                                html_printf(b, "<p class=\"error\" id=\"e-%s\">%s</p>", field, err);
                        html_printf(b,
                                    "<input id=\"f-%s\" name=\"reason\" maxlength=\"%d\" "
                                    "dir=\"auto\" aria-describedby=\"%s-%s\"%s></div>",
                                    field, REASON_MAX, err ? "e" : "h", field,
                                    err ? " aria-invalid=\"true\"" : "");
                        html_printf(b,
                                    "<div class=\"form-actions\"><button>%s</button></div></form>",
                                    _(L, "Reopen this evaluation"));
                } else if (open) {
                        html_printf(b,
                                    "<form method=\"post\" "
                                    "action=\"/applications/%lld/evaluators/remove\">",
                                    app->id);
                        page_csrf(req);
                        html_printf(b,
                                    "<input type=\"hidden\" name=\"evaluator_id\" value=\"%lld\">"
                                    "<div class=\"form-actions\"><button>%s</button></div></form>",
                                    ev->evaluator_id, _(L, "Remove this evaluator"));
                }
                html_raw_trusted(b, "</article>");
        }
        html_raw_trusted(b, "</section>");

        /* Assigning. */
        if (open) {
                html_printf(b, "<section class=\"panel narrow\"><h2>%s</h2>",
                            _(L, "Assign evaluators"));
                html_printf(b,
                            "<p>%s</p><form method=\"post\" "
                            "action=\"/applications/%lld/evaluators\">",
                            _(L, "Each evaluator sees only the applications assigned to them, and "
                                 "declares any conflict of interest before scoring."),
                            app->id);
                page_csrf(req);
                long long *skip = arena_alloc(a, (v->n ? v->n : 1) * sizeof(*skip));
                for (size_t i = 0; i < v->n; i++)
                        skip[i] = v->evs[i].evaluator_id;
                evaluator_boxes(req, skip, v->n, app->created_by, e);
                html_printf(b,
                            "<div class=\"form-actions\"><button class=\"primary\">%s</button>"
                            "</div></form></section>",
                            _(L, "Assign"));
        } else {
                html_printf(b, "<p class=\"warning\">%s</p>",
                            _(L, "Only eligible or scored applications are evaluated."));
        }
        page_end(req);
}

void
page_evaluation_manage(struct request *req)
{
        struct eval_all_view v;
        if (eval_load_all(req, req->id, &v) != 0)
                return;
        manage_page(req, &v, NULL);
}

/* Shows the manager's page again with the errors of one of its forms (status). */
static void
manage_again(struct request *req, struct errs *e, int status)
{
        struct eval_all_view v;
        if (eval_load_all(req, req->id, &v) != 0)
                return;
        manage_page(req, &v, e);
        req->status = status;
}

void
page_evaluation_assign(struct request *req)
{
        struct errs e;
        errs_init(&e, req->arena, req->lang);
        long long *ids;
        long long n = form_evaluators(req, &e, &ids);
        if (n < 0) {
                manage_again(req, &e, 422);
                return;
        }
        size_t bad = 0;
        int rc = evaluation_store_assign(req->db, req->arena, req->id, ids, (size_t)n,
                                         req->user->id, &bad);
        switch (rc) {
        case STORE_OK:
                reply_redirect(req,
                               arena_printf(req->arena, "/applications/%lld/evaluations", req->id));
                return;
        case EVAL_STORE_CREATOR:
                errs_add(&e, "evaluator",
                         "The person who entered the application cannot evaluate it.");
                manage_again(req, &e, 422);
                return;
        case EVAL_STORE_DISABLED:
                errs_add(&e, "evaluator", "This account does not exist or is disabled.");
                manage_again(req, &e, 422);
                return;
        case STORE_DUPLICATE:
                errs_add(&e, "evaluator",
                         "This person is already an evaluator of this application.");
                manage_again(req, &e, 409);
                return;
        case EVAL_STORE_TOO_MANY:
                errs_add(&e, "evaluator", "An application can have at most %d evaluators.",
                         SCORING_MAX_EVALS);
                manage_again(req, &e, 422);
                return;
        case STORE_NOT_FOUND:
                /* Not in the caller's scope, or gone. */
                reply_error(req, ERR_NOT_FOUND, NULL, NULL, 0);
                return;
        default:
                eval_reply_store(req, rc);
        }
}

/* Reads evaluator_id of the form; answers 400 and returns -1 when missing. */
static int
form_evaluator_id(struct request *req, long long *id)
{
        struct errs e;
        errs_init(&e, req->arena, req->lang);
        if (v_int(&e, "evaluator_id", req_form(req, "evaluator_id"), 1, 1, 1LL << 62, 0, id) != 0) {
                reply_error(req, ERR_BAD_REQUEST, NULL, e.list, e.n);
                return -1;
        }
        return 0;
}

/* Answers 404 unless the application is in the manager's scope. */
static int
manager_app(struct request *req)
{
        struct evaluation_app app;
        int rc = evaluation_store_app(req->db, req->arena, &req->user->scope, req->id, &app);
        if (rc != STORE_OK) {
                reply_store_error(req, rc);
                return -1;
        }
        return 0;
}

void
page_evaluation_remove(struct request *req)
{
        long long evaluator;
        if (manager_app(req) != 0 || form_evaluator_id(req, &evaluator) != 0)
                return;
        int rc = evaluation_store_remove(req->db, req->arena, req->id, evaluator, req->user->id);
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
        reply_redirect(req, arena_printf(req->arena, "/applications/%lld/evaluations", req->id));
}

void
page_evaluation_reopen(struct request *req)
{
        long long evaluator;
        if (manager_app(req) != 0 || form_evaluator_id(req, &evaluator) != 0)
                return;
        struct errs e;
        errs_init(&e, req->arena, req->lang);
        /* The error names the field of this evaluator's form: each has its own. */
        const char *reason = v_text(&e, arena_printf(req->arena, "reason-%lld", evaluator),
                                    req_form(req, "reason"), 1, REASON_MAX, 0);
        if (e.n) {
                manage_again(req, &e, 422);
                return;
        }
        int rc =
            evaluation_store_reopen(req->db, req->arena, req->id, evaluator, req->user->id, reason);
        if (rc == EVAL_STORE_STATE) {
                reply_error(req, ERR_CONFLICT,
                            _(req->lang, "Only a submitted evaluation can be reopened."), NULL, 0);
                return;
        }
        if (rc != STORE_OK) {
                eval_reply_store(req, rc);
                return;
        }
        reply_redirect(req, arena_printf(req->arena, "/applications/%lld/evaluations", req->id));
}

/* ---- a call's evaluation overview ---- */

static int
overview_filters(struct request *req, struct errs *e, const char **region, const char **status)
{
        const char *r = req_query_str(req, "region");
        *region = "";
        if (r[0]) {
                const struct geo_region *g = geo_region(web_geo, r);
                if (g == NULL)
                        errs_add(e, "region", "This region code does not exist.");
                else
                        *region = g->code;
        }
        const char *s = v_enum(e, "status", req_query_str(req, "status"), 0, eval_statuses);
        *status = s ? s : "";
        return e->n ? -1 : 0;
}

static void
overview_page(struct request *req, const struct call *c, const struct errs *bulk_errs)
{
        enum lang L = req->lang;
        struct arena *a = req->arena;
        struct errs e;
        errs_init(&e, a, L);
        const char *region, *status;
        overview_filters(req, &e, &region, &status);
        long long page = query_page(req);
        struct evaluation_overview *rows = NULL;
        size_t n = 0;
        long long total = 0;
        if (e.n == 0 &&
            evaluation_store_overview(req->db, a, &req->user->scope, c->id, region, status,
                                      (page - 1) * OVERVIEW_PER_PAGE, OVERVIEW_PER_PAGE, &rows, &n,
                                      &total) != STORE_OK) {
                reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
                return;
        }
        struct scoring_grid g = {0};
        if (call_grid(c, a, &g) != 0)
                g.n = 0;
        const char *title = _(L, "Evaluations");
        page_begin(req, arena_printf(a, "%s · %s", title, call_title(req, c)), "programs");
        struct buf *b = &req->out;
        html_printf(b,
                    "<nav class=\"crumbs\"><a href=\"/calls\">%s</a>%s<a href=\"/calls/%lld\">"
                    "<bdi>%s</bdi></a>%s%s</nav>",
                    _(L, "Calls for applications"), sep_arrow(req), c->id, call_title(req, c),
                    sep_arrow(req), title);
        html_printf(b,
                    "<div class=\"page-head\"><div><h1>%s</h1><p class=\"sub\"><bdi>%s</bdi></p>",
                    title, call_title(req, c));
        html_printf(b, "<p class=\"sub\">%s</p></div></div>",
                    arena_printf(a,
                                 _(L, "Evaluators disagree when their totals differ by more "
                                      "than %s points."),
                                 points(req, c->disagreement_gap)));
        const char *added = req_query(req, "added");
        const char *apps = req_query(req, "apps");
        long long na = 0, np = 0;
        struct errs ignore;
        errs_init(&ignore, a, L);
        if (added && apps && v_int(&ignore, "added", added, 1, 0, 1LL << 40, 0, &na) == 0 &&
            v_int(&ignore, "apps", apps, 1, 0, 1LL << 40, 0, &np) == 0)
                html_printf(b, "<p class=\"notice\" role=\"status\">%s</p>",
                            arena_printf(a,
                                         _(L, "%s assignments made on %s eligible applications."),
                                         i18n_int(a, L, na), i18n_int(a, L, np)));

        html_printf(b,
                    "<form class=\"filters\" method=\"get\" action=\"/calls/%lld/evaluations\" "
                    "role=\"search\">",
                    c->id);
        if (!bulk_errs)
                form_error_summary(req, &e);
        struct select_option *ropts;
        size_t nr;
        form_region_options(req, 1, &ropts, &nr);
        form_select(req, "region", _(L, "Region"), ropts, nr, region, _(L, "All regions"), &e);
        struct select_option sopts[EVAL_STATUSES_N];
        for (size_t i = 0; i < EVAL_STATUSES_N; i++) {
                sopts[i].value = eval_statuses[i];
                sopts[i].label = _(L, eval_status_label(eval_statuses[i]));
        }
        form_select(req, "status", _(L, "Status"), sopts, EVAL_STATUSES_N,
                    req_query_str(req, "status"), _(L, "All statuses"), &e);
        html_printf(b,
                    "<div class=\"filter-actions\"><button class=\"primary\">%s</button>"
                    "<a href=\"/calls/%lld/evaluations\">%s</a></div></form>",
                    _(L, "Apply filters"), c->id, _(L, "Clear filters"));
        if (e.n) {
                page_end(req);
                req->status = 400;
                return;
        }
        html_printf(b, "<div class=\"list-head\"><p class=\"count\" role=\"status\">%s</p></div>",
                    arena_printf(a, _(L, "%s applications match"), i18n_int(a, L, total)));
        if (n == 0) {
                html_printf(b, "<p class=\"empty\">%s</p>",
                            _(L, "No application matches these filters."));
        } else {
                html_printf(
                    b,
                    "<div class=\"table-wrap\"><table class=\"list\" id=\"overview\">"
                    "<thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead><tbody>",
                    _(L, "Cooperative"), _(L, "Region"), _(L, "Status"),
                    _(L, "Evaluations submitted"), _(L, "Total out of 100"), _(L, "Agreement"));
        }
        /* Every evaluation of the call in two statements, rather than some per row. */
        struct evaluation *all = NULL;
        size_t nall = 0;
        if (n > 0 && evaluation_store_list_call(req->db, a, &req->user->scope, c->id, &all,
                                                &nall) != STORE_OK)
                nall = 0;
        for (size_t i = 0; i < n; i++) {
                struct evaluation_overview *o = &rows[i];
                struct evaluation_summary s;
                size_t lo = 0, hi = nall;
                while (lo < hi) { /* the first evaluation of this application */
                        size_t mid = lo + (hi - lo) / 2;
                        if (all[mid].application_id < o->app.id)
                                lo = mid + 1;
                        else
                                hi = mid;
                }
                size_t end = lo;
                while (end < nall && all[end].application_id == o->app.id)
                        end++;
                if (summarize(req, c, &g, all + lo, end - lo, NULL, &s) != 0)
                        memset(&s, 0, sizeof(s));
                html_printf(b,
                            "<tr id=\"app-%lld\"><th scope=\"row\" data-label=\"%s\"><a "
                            "href=\"/applications/%lld/evaluations\"><bdi>%s</bdi></a>"
                            "<small class=\"ltr\"><bdi>%s</bdi></small></th>",
                            o->app.id, _(L, "Cooperative"), o->app.id, eval_coop_name(req, &o->app),
                            o->app.register_number);
                html_printf(b, "<td data-label=\"%s\">%s</td><td data-label=\"%s\">",
                            _(L, "Region"), region_name(req, o->app.region_code), _(L, "Status"));
                app_status_badge(req, o->app.status);
                const char *progress =
                    arena_printf(a, _(L, "%s of %s"), i18n_int(a, L, o->submitted),
                                 i18n_int(a, L, o->assigned - o->conflicts));
                if (o->conflicts)
                        progress = arena_printf(a, _(L, "%s; conflicts of interest: %s"), progress,
                                                i18n_int(a, L, o->conflicts));
                html_printf(b, "</td><td data-label=\"%s\">%s</td><td data-label=\"%s\">%s</td>",
                            _(L, "Evaluations submitted"), progress, _(L, "Total out of 100"),
                            o->app.has_total ? points(req, o->app.total)
                            : s.has_total
                                ? arena_printf(a, _(L, "%s (provisional)"), points(req, s.total))
                                : "-");
                html_printf(b, "<td data-label=\"%s\">", _(L, "Agreement"));
                if (s.disagreement)
                        disagreement_badge(req, &s);
                else if (s.submitted >= 2)
                        html_printf(b, "%s", _(L, "Within the gap"));
                else
                        html_raw_trusted(b, "-");
                html_raw_trusted(b, "</td></tr>");
        }
        if (n > 0) {
                html_raw_trusted(b, "</tbody></table></div>");
                html_pagination(req, arena_printf(a, "/calls/%lld/evaluations", c->id), page,
                                OVERVIEW_PER_PAGE, total);
        }

        html_printf(b, "<section class=\"panel narrow\"><h2>%s</h2>",
                    _(L, "Assign evaluators to many applications"));
        if (bulk_errs)
                form_error_summary(req, bulk_errs);
        html_printf(b, "<p>%s</p><form method=\"post\" action=\"/calls/%lld/evaluators\">",
                    _(L, "The evaluators you tick are assigned to every eligible application of "
                         "the call (of one region, if you choose one), except those they are "
                         "already assigned to or entered themselves."),
                    c->id);
        page_csrf(req);
        form_select(req, "bulk_region", _(L, "Region"), ropts, nr, req_form(req, "bulk_region"),
                    _(L, "All regions"), bulk_errs);
        evaluator_boxes(req, NULL, 0, 0, bulk_errs);
        html_printf(b,
                    "<div class=\"form-actions\"><button class=\"primary\">%s</button></div>"
                    "</form></section>",
                    _(L, "Assign to every eligible application"));
        page_end(req);
}

void
page_evaluation_overview(struct request *req)
{
        struct call c;
        if (call_load_or_reply(req, &c) != 0)
                return;
        overview_page(req, &c, NULL);
}

void
page_evaluation_assign_call(struct request *req)
{
        struct call c;
        if (call_load_or_reply(req, &c) != 0)
                return;
        struct errs e;
        errs_init(&e, req->arena, req->lang);
        const char *region = "";
        const char *r = req_form(req, "bulk_region");
        if (r && r[0]) {
                const struct geo_region *g = geo_region(web_geo, r);
                if (g == NULL)
                        errs_add(&e, "bulk_region", "This region code does not exist.");
                else
                        region = g->code;
        }
        long long *ids = NULL;
        long long n = form_evaluators(req, &e, &ids);
        if (e.n) {
                overview_page(req, &c, &e);
                req->status = 422;
                return;
        }
        long long added = 0, apps = 0;
        size_t bad = 0;
        int rc = evaluation_store_assign_call(req->db, req->arena, &req->user->scope, c.id, region,
                                              ids, (size_t)n, req->user->id, &added, &apps, &bad);
        if (rc == EVAL_STORE_DISABLED || rc == STORE_DUPLICATE) {
                errs_add(&e, "evaluator", "This account does not exist or is disabled.");
                overview_page(req, &c, &e);
                req->status = 422;
                return;
        }
        if (rc != STORE_OK) {
                eval_reply_store(req, rc);
                return;
        }
        reply_redirect(req, arena_printf(req->arena, "/calls/%lld/evaluations?added=%lld&apps=%lld",
                                         c.id, added, apps));
}
