/* selection_pages.c: a call's selection (readiness, run, ranked outcomes, tie draws, replay
 * check), its dashboard with an SVG chart, and the printable decision letter. */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/arena.h"
#include "core/i18n.h"
#include "registry/geo.h"
#include "selection/call_web.h"
#include "selection/selection_store.h"
#include "selection/selection_web.h"
#include "web/layout.h"
#include "web/pages.h"

/* ---- shared with selection_api.c ---- */

const char *
selection_status_label(enum sel_status s)
{
        switch (s) {
        case SEL_SELECTED_REGIONAL:
                return N_("Selected (regional seat)");
        case SEL_SELECTED_NATIONAL:
                return N_("Selected (national pool)");
        case SEL_WAITLISTED:
                return N_("Waitlisted");
        case SEL_REJECTED_BELOW_MINIMUM:
                return N_("Rejected: below the minimum score");
        case SEL_NOT_RANKED_INELIGIBLE:
                return N_("Not ranked: not eligible");
        case SEL_NOT_RANKED_UNSCORED:
                return N_("Not ranked: not fully scored");
        case SEL_WITHDRAWN:
                return N_("Withdrawn");
        }
        return "";
}

int
selection_status_from_code(const char *code)
{
        for (int s = SEL_SELECTED_REGIONAL; s <= SEL_WITHDRAWN; s++)
                if (strcmp(selection_status_code((enum sel_status)s), code) == 0)
                        return s;
        return -1;
}

int
selection_reason_from_code(const char *code)
{
        for (int r = SEL_REASON_REGIONAL_SEAT; r <= SEL_REASON_PROMOTED_NATIONAL; r++)
                if (strcmp(selection_reason_code((enum sel_reason)r), code) == 0)
                        return r;
        return -1;
}

const char *
selection_reason_text(enum lang L, enum sel_reason r)
{
        switch (r) {
        case SEL_REASON_REGIONAL_SEAT:
                return _(L, "Among the best-ranked applications of its region, within the "
                            "region's seats.");
        case SEL_REASON_NATIONAL_POOL:
                return _(L, "Among the best remaining applications, for the seats that regions "
                            "could not fill.");
        case SEL_REASON_SEATS_FULL:
                return _(L, "At or above the minimum score, but every seat is taken: on the "
                            "waitlist in rank order.");
        case SEL_REASON_BELOW_MINIMUM:
                return _(L, "The total is below the call's minimum score.");
        case SEL_REASON_INELIGIBLE:
                return _(L, "The cooperative does not meet the call's eligibility rules.");
        case SEL_REASON_NOT_FULLY_SCORED:
                return _(L, "An evaluation was missing when the selection ran.");
        case SEL_REASON_WITHDRAWN:
                return _(L, "The application was withdrawn after the selection.");
        case SEL_REASON_PROMOTED_REGIONAL:
                return _(L, "Promoted from its region's waitlist after a withdrawal.");
        case SEL_REASON_PROMOTED_NATIONAL:
                return _(L, "Promoted from the national waitlist after a withdrawal.");
        }
        return "";
}

int
selection_try_run(struct request *req, const struct call *c, int confirm_unscored,
                  struct selection_attempt *out)
{
        memset(out, 0, sizeof(*out));
        struct arena *a = req->arena;
        if (selection_store_counts(req->db, c->id, &out->counts) != STORE_OK)
                return -1;
        if (out->counts.unscored > 0 && !confirm_unscored) {
                out->outcome = SELECTION_UNSCORED;
                return 0;
        }
        struct run_input ri;
        if (selection_store_inputs(req->db, a, c, &ri) != STORE_OK)
                return -1;
        struct sel_tie_group *groups;
        size_t ng;
        struct sel_problem p;
        if (selection_ties(&ri.in, a, &groups, &ng, &p) != SEL_OK) {
                out->outcome = SELECTION_INVALID;
                out->problem = p;
                return 0;
        }
        if (selection_store_ties(req->db, a, c, groups, ng, req->user->id, &ri.orders, &ri.norders,
                                 &out->pending, &out->npending) != STORE_OK)
                return -1;
        if (out->npending > 0) {
                out->outcome = SELECTION_NEEDS_DRAW;
                return 0;
        }
        struct sel_result r;
        int rc = selection_run(&ri.in, ri.orders, ri.norders, a, &r, &p);
        if (rc != SEL_OK) {
                out->outcome = SELECTION_INVALID;
                out->problem = p;
                return 0;
        }
        if (selection_store_record(req->db, a, c, &ri, &r, req->user->id, &out->run_id,
                                   &out->number) != STORE_OK)
                return -1;
        out->outcome = SELECTION_DONE;
        return 0;
}

int
selection_replay_check(struct request *req, const struct stored_run *run, int *identical)
{
        struct arena *a = req->arena;
        json_t *in = json_loads(run->input, 0, NULL);
        struct run_input ri;
        int bad = in == NULL || run_input_from_json(in, a, &ri) != 0;
        json_decref(in);
        long long *w;
        size_t nw;
        if (bad || selection_store_withdrawals(req->db, a, run, &w, &nw) != STORE_OK)
                return -1;
        struct sel_result r;
        if (run_replay(&ri, w, nw, a, &r, NULL) != SEL_OK) {
                *identical = 0;
                return 0;
        }
        json_t *mine = run_result_to_json(&r), *stored = json_loads(run->result, 0, NULL);
        *identical = mine && stored && json_equal(mine, stored);
        json_decref(mine);
        json_decref(stored);
        return 0;
}

int
selection_explain_snapshot(struct request *req, const struct call *c, const struct elig_rule *rules,
                           size_t n, const char *snapshot, enum lang lang, struct elig_result *out)
{
        struct arena *a = req->arena;
        json_t *j = json_loads(snapshot, 0, NULL);
        if (!json_is_object(j)) {
                json_decref(j);
                return -1;
        }
        struct coop co = {0};
        const char *text[][2] = {{"legal_date", NULL},  {"activity_start_date", NULL},
                                 {"region_code", NULL}, {"province_code", NULL},
                                 {"sector", NULL},      {"status", NULL}};
        for (size_t i = 0; i < sizeof(text) / sizeof(text[0]); i++) {
                json_t *v = json_object_get(j, text[i][0]);
                text[i][1] = arena_strdup(a, json_is_string(v) ? json_string_value(v) : "");
        }
        co.legal_date = text[0][1];
        co.activity_start_date = text[1][1];
        co.region_code = text[2][1];
        co.province_code = text[3][1];
        co.sector = text[4][1];
        co.status = text[5][1];
        co.members_total = json_integer_value(json_object_get(j, "members_total"));
        co.members_women = json_integer_value(json_object_get(j, "members_women"));
        co.is_soulalyate = json_is_true(json_object_get(j, "is_soulalyate"));
        co.is_women_only = json_is_true(json_object_get(j, "is_women_only"));
        int acc = json_is_true(json_object_get(j, "already_accompanied"));
        json_decref(j);
        struct date ref;
        if (date_parse(c->reference_date, &ref) != 0)
                return -1;
        struct elig_input in;
        eligibility_input_set(&in, &co, acc);
        in.name = call_code_name;
        in.name_ctx = req;
        return eligibility_evaluate(rules, n, &in, ref, lang, a, out);
}

/* ---- helpers of these pages ---- */

static void
crumbs(struct request *req, const struct call *c, const char *here)
{
        html_printf(&req->out,
                    "<nav class=\"crumbs\"><a href=\"/calls\">%s</a> › <a "
                    "href=\"/calls/%lld\"><bdi>%s</bdi></a> › %s</nav>",
                    _(req->lang, "Calls for applications"), c->id, call_title(req, c), here);
}

static const char *
points(struct request *req, long long h)
{
        return call_format_points(req->arena, h);
}

static const char *
badge_class(const char *status)
{
        if (strncmp(status, "selected", 8) == 0)
                return "selected";
        if (strcmp(status, "waitlisted") == 0)
                return "waitlisted";
        if (strcmp(status, "withdrawn") == 0)
                return "closed";
        return "ineligible";
}

/* The regions of a recorded result, as JSON. */
static json_t *
result_json(const struct stored_run *run)
{
        return run ? json_loads(run->result, 0, NULL) : NULL;
}

/*
 * A horizontal bar chart of seats (light) and filled seats (accent) per region, as SVG; the
 * same figures are in the table next to it. Bars grow from the start of the line (right in
 * Arabic: the stylesheet mirrors the SVG in right-to-left pages, and the labels are outside it).
 */
static void
seats_chart(struct request *req, json_t *regions)
{
        struct buf *b = &req->out;
        long long max = 1;
        size_t i;
        json_t *g;
        json_array_foreach(regions, i, g)
        {
                long long s = json_integer_value(json_object_get(g, "seats"));
                long long f = json_integer_value(json_object_get(g, "filled"));
                if (s > max)
                        max = s;
                if (f > max)
                        max = f;
        }
        html_printf(b, "<figure class=\"chart\"><figcaption>%s</figcaption><ul class=\"bars\">",
                    _(req->lang, "Seats filled against seats, by region"));
        json_array_foreach(regions, i, g)
        {
                const char *code = json_string_value(json_object_get(g, "region"));
                long long s = json_integer_value(json_object_get(g, "seats"));
                long long f = json_integer_value(json_object_get(g, "filled"));
                html_printf(b,
                            "<li><span class=\"bar-label\">%s</span><svg class=\"bar2\" "
                            "viewBox=\"0 0 1000 20\" preserveAspectRatio=\"none\" "
                            "aria-hidden=\"true\" focusable=\"false\"><rect width=\"%lld\" "
                            "height=\"20\" class=\"bar-bg\"></rect><rect width=\"%lld\" y=\"4\" "
                            "height=\"12\" class=\"bar-fg\"></rect></svg><span "
                            "class=\"bar-num\">%s</span></li>",
                            region_name(req, code ? code : ""), 1000 * s / max, 1000 * f / max,
                            arena_printf(req->arena, "%s / %s", i18n_int(req->arena, req->lang, f),
                                         i18n_int(req->arena, req->lang, s)));
        }
        html_raw_trusted(b, "</ul></figure>");
}

/* ---- selection page ---- */

static void
selection_page(struct request *req, const struct call *c, const struct selection_attempt *att,
               const char *notice)
{
        enum lang L = req->lang;
        struct arena *a = req->arena;
        struct buf *b = &req->out;
        const char *title = _(L, "Selection");
        struct sel_counts counts;
        if (selection_store_counts(req->db, c->id, &counts) != STORE_OK) {
                reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
                return;
        }
        struct stored_run run;
        int has_run = selection_store_current(req->db, a, c->id, &run) == STORE_OK;
        page_begin(req, title, "programs");
        crumbs(req, c, title);
        html_printf(b,
                    "<div class=\"page-head\"><div><h1>%s</h1><p class=\"sub\"><bdi>%s</bdi></p>"
                    "</div><div class=\"actions\"><a class=\"button\" "
                    "href=\"/calls/%lld/dashboard\">%s</a></div></div>",
                    title, call_title(req, c), c->id, _(L, "Dashboard"));
        if (notice)
                html_printf(b, "<p class=\"notice\" role=\"status\">%s</p>", notice);

        /* Readiness: what the run will read. */
        html_printf(b, "<section class=\"panel\"><h2>%s</h2><dl class=\"facts\">",
                    _(L, "Applications"));
        static const struct {
                int index;
                const char *label;
        } shown[] = {{APP_ELIGIBLE, N_("Eligible, not yet fully scored")},
                     {APP_SCORED, N_("Scored")},
                     {APP_INELIGIBLE, N_("Not eligible")},
                     {APP_SELECTED, N_("Selected")},
                     {APP_WAITLISTED, N_("Waitlisted")},
                     {APP_REJECTED, N_("Rejected")},
                     {APP_WITHDRAWN, N_("Withdrawn")},
                     {APP_DRAFT, N_("Drafts")}};
        for (size_t i = 0; i < sizeof(shown) / sizeof(shown[0]); i++)
                html_fact(req, _(L, shown[i].label),
                          i18n_int(a, L, counts.by_status[shown[i].index]), NULL);
        html_printf(
            b, "</dl><p class=\"hint\">%s</p>",
            arena_printf(a,
                         _(L, "Minimum score %s; seats a region cannot fill %s. Ties are "
                              "broken by the gender-equality score, the share of women "
                              "members, the earlier submission, then a public draw."),
                         points(req, c->min_score),
                         c->national_pool ? _(L, "go to a national pool") : _(L, "stay empty")));

        if (att && att->outcome == SELECTION_NEEDS_DRAW) {
                html_printf(b, "<div class=\"warning\" role=\"alert\"><p>%s</p><ul>",
                            _(L, "Some applications are tied on every rule: a publicly verifiable "
                                 "draw must order them. Publish each draw, announce its random "
                                 "sources, enter them, then run the selection again."));
                for (size_t i = 0; i < att->npending; i++)
                        html_printf(
                            b, "<li><a href=\"/draws/%lld\">%s</a></li>", att->pending[i],
                            arena_printf(a, _(L, "Draw %s"), i18n_int(a, L, att->pending[i])));
                html_raw_trusted(b, "</ul></div>");
        } else if (att && att->outcome == SELECTION_INVALID) {
                html_printf(b, "<div class=\"warning\" role=\"alert\"><p>%s</p></div>",
                            arena_printf(a, _(L, "The selection cannot run: %s (item %s)."),
                                         selection_error_code(att->problem.code),
                                         i18n_int(a, L, (long long)att->problem.index)));
        }
        if (user_can(req->user, PERM_PROGRAM_MANAGE)) {
                html_printf(b,
                            "<form method=\"post\" action=\"/calls/%lld/selection\" "
                            "class=\"run-form\">",
                            c->id);
                page_csrf(req);
                if (counts.unscored > 0) {
                        struct errs none;
                        errs_init(&none, a, L);
                        if (att && att->outcome == SELECTION_UNSCORED)
                                errs_add(&none, "confirm_unscored",
                                         "Tick this box to run the selection although some "
                                         "applications are not fully scored.");
                        form_checkbox(
                            req, "confirm_unscored",
                            arena_printf(a,
                                         _(L, "Run although %s eligible applications are not "
                                              "fully scored (they will not be ranked)"),
                                         i18n_int(a, L, counts.unscored)),
                            0, &none);
                }
                html_printf(b, "<button class=\"primary\">%s</button></form>",
                            has_run ? _(L, "Run the selection again") : _(L, "Run the selection"));
        }
        html_raw_trusted(b, "</section>");

        if (!has_run) {
                html_printf(b, "<p class=\"empty\">%s</p>", _(L, "The selection has not run yet."));
                page_end(req);
                return;
        }
        json_t *res = result_json(&run);
        json_t *regions = json_object_get(res, "regions");
        html_printf(b, "<section class=\"panel\"><h2>%s</h2><p class=\"sub\">%s</p>",
                    arena_printf(a, _(L, "Run %s"), i18n_int(a, L, run.number)),
                    arena_printf(a, _(L, "Run on %s by %s, with version %s of the rules."),
                                 run.run_at, run.run_by[0] ? run.run_by : "—",
                                 i18n_int(a, L, run.rules_version)));
        html_printf(b, "<p><a href=\"/calls/%lld/selection/replay\">%s</a>", c->id,
                    _(L, "Replay this run and compare"));
        if (user_can(req->user, PERM_PROGRAM_MANAGE))
                html_printf(b, " · <a href=\"/api/v1/selection-runs/%lld\">%s</a>", run.id,
                            _(L, "Its recorded inputs and result (JSON)"));
        html_raw_trusted(b, "</p>");
        seats_chart(req, regions);
        html_printf(b,
                    "<div class=\"table-wrap\"><table class=\"grid\"><thead><tr><th "
                    "scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th><th "
                    "scope=\"col\">%s</th></tr></thead><tbody>",
                    _(L, "Region"), _(L, "Seats"), _(L, "Filled"), _(L, "Waitlisted"));
        size_t i;
        json_t *g;
        json_array_foreach(regions, i, g)
        {
                const char *code = json_string_value(json_object_get(g, "region"));
                html_printf(b,
                            "<tr><th scope=\"row\">%s</th><td>%s</td><td>%s</td><td>%s</td></tr>",
                            region_name(req, code ? code : ""),
                            i18n_int(a, L, json_integer_value(json_object_get(g, "seats"))),
                            i18n_int(a, L, json_integer_value(json_object_get(g, "filled"))),
                            i18n_int(a, L, json_integer_value(json_object_get(g, "waitlisted"))));
        }
        html_printf(b,
                    "</tbody><tfoot><tr><th scope=\"row\">%s</th><td>%s</td><td>%s</td><td></td>"
                    "</tr></tfoot></table></div></section>",
                    _(L, "National pool"),
                    i18n_int(a, L, json_integer_value(json_object_get(res, "national_seats"))),
                    i18n_int(a, L, json_integer_value(json_object_get(res, "national_filled"))));
        json_decref(res);

        struct sel_row *rows;
        size_t n;
        if (selection_store_outcomes(req->db, a, &req->user->scope, run.id, "", &rows, &n) !=
            STORE_OK) {
                page_end(req);
                return;
        }
        html_printf(b, "<section class=\"ranking\"><h2>%s</h2>", _(L, "Ranking"));
        html_printf(b,
                    "<div class=\"table-wrap\"><table class=\"list\"><thead><tr><th "
                    "scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th><th "
                    "scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                    "</tr></thead><tbody>",
                    _(L, "Cooperative"), _(L, "Rank"), _(L, "Region"), _(L, "Total"),
                    _(L, "Decision"), _(L, "Letter"));
        for (size_t k = 0; k < n; k++) {
                const struct sel_row *r = &rows[k];
                int s = selection_status_from_code(r->status);
                html_printf(b,
                            "<tr><th scope=\"row\" data-label=\"%s\"><a "
                            "href=\"/applications/%lld\"><bdi>%s</bdi></a><small "
                            "class=\"ltr\"><bdi>%s</bdi></small></th>",
                            _(L, "Cooperative"), r->application_id,
                            lang_data(L) == LANG_AR ? r->name_ar : r->name_fr, r->register_number);
                html_printf(b, "<td data-label=\"%s\">%s</td><td data-label=\"%s\">%s</td>",
                            _(L, "Rank"), r->rank ? i18n_int(a, L, r->rank) : "—", _(L, "Region"),
                            region_name(req, r->region));
                html_printf(b, "<td data-label=\"%s\" class=\"num\">%s</td><td data-label=\"%s\">",
                            _(L, "Total"), r->rank ? points(req, r->total) : "—", _(L, "Decision"));
                html_status_badge(req, badge_class(r->status),
                                  s >= 0 ? _(L, selection_status_label((enum sel_status)s))
                                         : r->status);
                if (r->waitlist)
                        html_printf(b, " <small>%s</small>",
                                    arena_printf(a, _(L, "waitlist %s, in its region %s"),
                                                 i18n_int(a, L, r->waitlist),
                                                 i18n_int(a, L, r->region_waitlist)));
                html_printf(
                    b,
                    "</td><td data-label=\"%s\"><a href=\"/applications/%lld/letter\">%s</a>"
                    "</td></tr>",
                    _(L, "Letter"), r->application_id, _(L, "Decision letter"));
        }
        html_raw_trusted(b, "</tbody></table></div></section>");
        page_end(req);
}

void
page_call_selection(struct request *req)
{
        struct call c;
        if (call_load_or_reply(req, &c) != 0)
                return;
        selection_page(req, &c, NULL,
                       req_query(req, "ran") ? _(req->lang, "The selection ran and is recorded.")
                                             : NULL);
}

void
page_call_selection_run(struct request *req)
{
        struct call c;
        if (call_load_or_reply(req, &c) != 0)
                return;
        const char *confirm = req_form(req, "confirm_unscored");
        struct selection_attempt att;
        if (selection_try_run(req, &c, confirm && strcmp(confirm, "1") == 0, &att) != 0) {
                reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
                return;
        }
        if (att.outcome == SELECTION_DONE) {
                reply_redirect(req, arena_printf(req->arena, "/calls/%lld/selection?ran=1", c.id));
                return;
        }
        selection_page(req, &c, &att, NULL);
        req->status = att.outcome == SELECTION_UNSCORED ? 422 : 409;
}

void
page_call_selection_replay(struct request *req)
{
        enum lang L = req->lang;
        struct call c;
        if (call_load_or_reply(req, &c) != 0)
                return;
        struct stored_run run;
        int rc = selection_store_current(req->db, req->arena, c.id, &run);
        if (rc == STORE_NOT_FOUND) {
                const char *t = _(L, "Replay of the selection");
                page_begin(req, t, "programs");
                crumbs(req, &c, t);
                html_printf(&req->out, "<h1>%s</h1><p class=\"empty\">%s</p>", t,
                            _(L, "The selection has not run yet."));
                page_end(req);
                return;
        }
        if (rc != STORE_OK) {
                reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
                return;
        }
        int same = 0;
        if (selection_replay_check(req, &run, &same) != 0) {
                reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
                return;
        }
        const char *title = _(L, "Replay of the selection");
        page_begin(req, title, "programs");
        crumbs(req, &c, title);
        html_printf(&req->out,
                    "<h1>%s</h1><section class=\"panel verdict %s\"><p class=\"big\">%s</p>"
                    "<p>%s</p></section>",
                    title, same ? "ok" : "ko",
                    same ? _(L, "Identical: the recorded inputs give the recorded result.")
                         : _(L, "Different: the recorded inputs do not give the recorded result."),
                    _(L,
                      "The run was computed again from the inputs it recorded (the candidates, "
                      "their totals and tie-break values, the seats, the minimum score and the "
                      "drawn orders of ties), then every withdrawal since was applied in order."));
        html_printf(&req->out, "<p><a href=\"/calls/%lld/selection\">%s</a></p>", c.id,
                    _(L, "Back to the selection"));
        page_end(req);
}

/* ---- dashboard ---- */

void
page_call_dashboard(struct request *req)
{
        enum lang L = req->lang;
        struct arena *a = req->arena;
        struct call c;
        if (call_load_or_reply(req, &c) != 0)
                return;
        struct sel_region_status *rs;
        size_t nrs;
        if (selection_store_by_region(req->db, a, &req->user->scope, c.id, &rs, &nrs) != STORE_OK) {
                reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
                return;
        }
        struct stored_run run;
        int has_run = selection_store_current(req->db, a, c.id, &run) == STORE_OK;
        const char *title = _(L, "Dashboard");
        page_begin(req, title, "programs");
        struct buf *b = &req->out;
        crumbs(req, &c, title);
        html_printf(b,
                    "<div class=\"page-head\"><div><h1>%s</h1><p class=\"sub\"><bdi>%s</bdi></p>"
                    "</div><div class=\"actions\"><a class=\"button\" "
                    "href=\"/calls/%lld/selection\">%s</a></div></div>",
                    title, call_title(req, &c), c.id, _(L, "Selection"));
        static const int cols[] = {APP_DRAFT,    APP_ELIGIBLE,   APP_INELIGIBLE, APP_SCORED,
                                   APP_SELECTED, APP_WAITLISTED, APP_REJECTED,   APP_WITHDRAWN};
        static const char *const col_labels[] = {N_("Drafts"),   N_("Eligible"), N_("Not eligible"),
                                                 N_("Scored"),   N_("Selected"), N_("Waitlisted"),
                                                 N_("Rejected"), N_("Withdrawn")};
        html_printf(b, "<section class=\"panel\"><h2>%s</h2>",
                    _(L, "Applications by region and status"));
        if (nrs == 0) {
                html_printf(b, "<p class=\"empty\">%s</p>", _(L, "No application yet."));
        } else {
                html_printf(b,
                            "<div class=\"table-wrap scroll\"><table class=\"grid\"><thead><tr>"
                            "<th scope=\"col\">%s</th>",
                            _(L, "Region"));
                for (size_t k = 0; k < 8; k++)
                        html_printf(b, "<th scope=\"col\">%s</th>", _(L, col_labels[k]));
                html_printf(b, "<th scope=\"col\">%s</th></tr></thead><tbody>", _(L, "Total"));
                long long sums[8] = {0}, all = 0;
                for (size_t i = 0; i < nrs; i++) {
                        long long t = 0;
                        html_printf(b, "<tr><th scope=\"row\">%s</th>",
                                    region_name(req, rs[i].region));
                        for (size_t k = 0; k < 8; k++) {
                                long long v = rs[i].by_status[cols[k]];
                                html_printf(b, "<td>%s</td>", i18n_int(a, L, v));
                                sums[k] += v;
                        }
                        for (size_t k = 0; k < APP_STATUS_COUNT; k++)
                                t += rs[i].by_status[k];
                        all += t;
                        html_printf(b, "<td>%s</td></tr>", i18n_int(a, L, t));
                }
                html_printf(b, "</tbody><tfoot><tr><th scope=\"row\">%s</th>", _(L, "Total"));
                for (size_t k = 0; k < 8; k++)
                        html_printf(b, "<td>%s</td>", i18n_int(a, L, sums[k]));
                html_printf(b, "<td>%s</td></tr></tfoot></table></div>", i18n_int(a, L, all));
        }
        html_raw_trusted(b, "</section>");

        html_printf(b, "<section class=\"panel\"><h2>%s</h2>", _(L, "Seats filled against seats"));
        if (!has_run) {
                html_printf(b, "<p class=\"empty\">%s</p>", _(L, "The selection has not run yet."));
        } else {
                json_t *res = result_json(&run);
                seats_chart(req, json_object_get(res, "regions"));
                html_printf(
                    b, "<p>%s</p>",
                    arena_printf(
                        a, _(L, "National pool: %s of %s seats filled."),
                        i18n_int(a, L, json_integer_value(json_object_get(res, "national_filled"))),
                        i18n_int(a, L,
                                 json_integer_value(json_object_get(res, "national_seats")))));
                json_decref(res);
        }
        html_raw_trusted(b, "</section>");
        page_end(req);
}

/* ---- decision letter ---- */

void
page_application_letter(struct request *req)
{
        struct arena *a = req->arena;
        struct sel_letter l;
        int rc = selection_store_letter(req->db, a, &req->user->scope, req->id, &l);
        if (rc != STORE_OK) {
                reply_store_error(req, rc);
                return;
        }
        struct call c;
        if (call_store_get(req->db, a, l.call_id, &c) != STORE_OK) {
                reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
                return;
        }
        /* The letter's language: ?lang=ar|fr|en, else the reader's. */
        enum lang L = req->lang;
        const char *ql = req_query(req, "lang");
        if (ql) {
                int lg = lang_from_code(ql);
                if (lg < 0) {
                        reply_error(req, ERR_BAD_REQUEST, NULL, NULL, 0);
                        return;
                }
                L = (enum lang)lg;
        }
        enum lang shown = req->lang;
        req->lang = L; /* the whole page, title and frame included, in the letter's language */
        const char *title = _(L, "Decision letter");
        page_begin(req, title, "programs");
        struct buf *b = &req->out;
        html_printf(b,
                    "<div class=\"no-print actions\"><a class=\"button\" "
                    "href=\"/applications/%lld\">%s</a>",
                    l.application_id, _(L, "Back to the application"));
        for (int i = 0; i < LANG_NAMES; i++)
                if (i != (int)L)
                        html_printf(b, "<a class=\"button\" href=\"?lang=%s\" lang=\"%s\">%s</a>",
                                    lang_code((enum lang)i), lang_code((enum lang)i),
                                    lang_native_name((enum lang)i));
        html_raw_trusted(b, "</div>");
        const char *coop = lang_data(L) == LANG_AR ? l.name_ar : l.name_fr;
        html_printf(b, "<article class=\"letter\"><p class=\"letter-from\"><bdi>%s</bdi><br>%s</p>",
                    call_program_name(req, &c),
                    arena_printf(a, _(L, "Tranche %lld"), c.tranche_number));
        html_printf(
            b,
            "<p class=\"letter-to\"><bdi>%s</bdi><br><span class=\"ltr\"><bdi>%s</bdi></span>"
            "<br>%s</p>",
            coop, l.register_number,
            arena_printf(a, "%s%s%s", province_name(req, l.province), lang_is_rtl(L) ? "، " : ", ",
                         region_name(req, l.region)));
        html_printf(
            b, "<h1>%s</h1>",
            arena_printf(a, _(L, "Decision on your application to: %s"), call_title(req, &c)));
        html_printf(b, "<p>%s</p>", _(L, "Dear members of the cooperative,"));
        const char *decision;
        const char *reason = "";
        if (l.has_outcome) {
                int s = selection_status_from_code(l.outcome.status);
                int r = selection_reason_from_code(l.outcome.reason);
                decision =
                    s >= 0 ? _(L, selection_status_label((enum sel_status)s)) : l.outcome.status;
                reason = r >= 0 ? selection_reason_text(L, (enum sel_reason)r) : "";
        } else if (strcmp(l.status, "ineligible") == 0) {
                decision = _(L, "Not eligible");
        } else if (strcmp(l.status, "withdrawn") == 0) {
                decision = _(L, "Withdrawn");
        } else {
                decision = _(L, "No decision yet: the selection has not run.");
        }
        html_printf(b, "<p class=\"decision\"><strong>%s</strong> %s</p>", _(L, "Decision:"),
                    decision);
        if (reason[0])
                html_printf(b, "<p>%s</p>", reason);
        if (l.has_outcome && l.outcome.rank > 0)
                html_printf(b, "<p>%s</p>",
                            arena_printf(a,
                                         _(L, "Your application obtained %s points out of 100 and "
                                              "ranked %s."),
                                         points(req, l.outcome.total),
                                         i18n_int(a, L, l.outcome.rank)));
        if (l.has_outcome && l.outcome.waitlist > 0)
                html_printf(b, "<p>%s</p>",
                            arena_printf(a,
                                         _(L, "It is number %s on the waitlist (number %s in its "
                                              "region). You will be told if a seat frees up."),
                                         i18n_int(a, L, l.outcome.waitlist),
                                         i18n_int(a, L, l.outcome.region_waitlist)));
        /* Eligibility, rule by rule, from the inputs recorded at submission. */
        struct elig_rule *rules;
        size_t nr;
        if (l.rules_version > 0 && l.eligibility_input[0] &&
            selection_store_rules_at(req->db, a, c.id, l.rules_version, &rules, &nr) == STORE_OK) {
                struct elig_result er;
                if (selection_explain_snapshot(req, &c, rules, nr, l.eligibility_input, L, &er) ==
                    0) {
                        html_printf(b, "<h2>%s</h2><ul class=\"checks\">",
                                    _(L, "Eligibility, rule by rule"));
                        for (size_t k = 0; k < er.n; k++)
                                html_printf(
                                    b, "<li class=\"%s\"><span class=\"mark\">%s</span> %s</li>",
                                    er.lines[k].pass ? "pass" : "fail",
                                    er.lines[k].pass ? _(L, "Passed") : _(L, "Failed"),
                                    er.lines[k].explanation);
                        html_raw_trusted(b, "</ul>");
                }
        }
        html_printf(b, "<p class=\"letter-sign\">%s<br><span class=\"sign-line\"></span></p>",
                    _(L, "For the program's selection committee"));
        html_raw_trusted(b, "</article>");
        page_end(req);
        req->lang = shown;
}
