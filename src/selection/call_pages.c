/* call_pages.c: the pages of calls for applications: list, detail, create and edit, the
 * eligibility rules editor with its live preview, the screening of the registry, and the
 * explained eligibility of one cooperative. */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/arena.h"
#include "core/csvout.h"
#include "core/db.h"
#include "core/i18n.h"
#include "registry/coop_store.h"
#include "registry/geo.h"
#include "registry/person_store.h"
#include "selection/call_form.h"
#include "selection/call_web.h"
#include "selection/scoring.h"
#include "web/layout.h"
#include "web/pages.h"

#define SCREEN_PER_PAGE 50

/* ---- shared with call_api.c ---- */

const char *
call_title(struct request *req, const struct call *c)
{
        switch (lang_data(req->lang)) {
        case LANG_AR:
                return c->title_ar;
        case LANG_FR:
                return c->title_fr;
        default:
                return c->title_en;
        }
}

const char *
call_program_name(struct request *req, const struct call *c)
{
        switch (lang_data(req->lang)) {
        case LANG_AR:
                return c->program_name_ar;
        case LANG_FR:
                return c->program_name_fr;
        default:
                return c->program_name_en;
        }
}

const char *
call_code_name(void *ctx, const char *kind, const char *code)
{
        struct request *req = ctx;
        if (strcmp(kind, "region") == 0)
                return region_name(req, code);
        if (strcmp(kind, "province") == 0)
                return province_name(req, code);
        return NULL;
}

struct screen_ctx {
        struct request *req;
        const struct elig_rule *rules;
        size_t nrules;
        struct date ref;
        const char *region;
        enum screen_filter filter;
        long long offset, limit;
        struct screen_view *out;
};

static const char *
dup(struct arena *a, const char *s)
{
        return arena_strdup(a, s ? s : "");
}

static int
screen_one(void *ctx, const struct coop *c, int accompanied)
{
        struct screen_ctx *x = ctx;
        struct elig_input in;
        eligibility_input_set(&in, c, accompanied);
        uint64_t failed = eligibility_screen_one(x->rules, x->nrules, &in, x->ref);
        screen_add(&x->out->tally, c->region_code, failed);
        if (x->region[0] && strcmp(c->region_code, x->region) != 0)
                return 0;
        if ((x->filter == SCREEN_ELIGIBLE && failed) || (x->filter == SCREEN_INELIGIBLE && !failed))
                return 0;
        long long k = x->out->matched++;
        if (k < x->offset || k >= x->offset + x->limit)
                return 0;
        /* Only the rows of the page are copied: the rest of the pass allocates nothing. */
        struct arena *a = x->req->arena;
        struct screen_row *r = &x->out->rows[x->out->nrows++];
        r->c = *c;
        r->c.register_number = dup(a, c->register_number);
        r->c.name_ar = dup(a, c->name_ar);
        r->c.name_fr = dup(a, c->name_fr);
        r->c.legal_date = dup(a, c->legal_date);
        r->c.activity_start_date = dup(a, c->activity_start_date);
        r->c.sector = dup(a, c->sector);
        r->c.region_code = dup(a, c->region_code);
        r->c.province_code = dup(a, c->province_code);
        r->c.status = dup(a, c->status);
        r->accompanied = accompanied;
        r->failed = failed;
        return 0;
}

int
call_screen(struct request *req, const struct call *c, const struct elig_rule *rules, size_t nrules,
            const char *region, enum screen_filter filter, long long offset, long long limit,
            struct screen_view *out)
{
        memset(out, 0, sizeof(*out));
        screen_init(&out->tally, nrules);
        struct screen_ctx x = {req,    rules,  nrules, {0, 0, 0}, region ? region : "",
                               filter, offset, limit,  out};
        if (date_parse(c->reference_date, &x.ref) != 0)
                return -1;
        if (limit > 0)
                out->rows = arena_alloc(req->arena, (size_t)limit * sizeof(*out->rows));
        int rc = call_store_screen(req->db, &req->user->scope, c->program_id, "", screen_one, &x);
        screen_sort_regions(&out->tally);
        return rc == STORE_OK ? 0 : -1;
}

int
call_explain(struct request *req, const struct call *c, const struct elig_rule *rules,
             size_t nrules, const struct coop *coop, int accompanied, struct elig_result *out)
{
        struct date ref;
        if (date_parse(c->reference_date, &ref) != 0)
                return -1;
        struct elig_input in;
        eligibility_input_set(&in, coop, accompanied);
        in.name = call_code_name;
        in.name_ctx = req;
        return eligibility_evaluate(rules, nrules, &in, ref, req->lang, req->arena, out);
}

/* The labels of a rule's codes, joined with the language's list separator. */
static const char *
codes_text(struct request *req, const struct elig_rule *r)
{
        const char *sep = lang_is_rtl(req->lang) ? "، " : ", ";
        const char *out = "";
        for (size_t i = 0; i < r->ncodes; i++) {
                const char *name = r->codes[i];
                if (r->kind == ELIG_REGIONS)
                        name = region_name(req, name);
                else if (r->kind == ELIG_PROVINCES)
                        name = province_name(req, name);
                else
                        name = _(req->lang, code_label(coop_sectors, name));
                out = arena_printf(req->arena, "%s%s%s", out, i ? sep : "", name);
        }
        return out;
}

const char *
call_rule_text(struct request *req, const struct elig_rule *r)
{
        enum lang L = req->lang;
        struct arena *a = req->arena;
        switch (r->kind) {
        case ELIG_MAX_LEGAL_AGE:
                return arena_printf(a, _(L, "Legal age at most %s"),
                                    i18n_age(a, L, r->years, r->months));
        case ELIG_UNDER_LEGAL_AGE:
                return arena_printf(a, _(L, "Legal age under %s"),
                                    i18n_age(a, L, r->years, r->months));
        case ELIG_MIN_ACTIVITY:
                return arena_printf(a, _(L, "At least %s of activity"),
                                    i18n_age(a, L, r->years, r->months));
        case ELIG_REGIONS:
                return arena_printf(a, _(L, "Region among: %s"), codes_text(req, r));
        case ELIG_PROVINCES:
                return arena_printf(a, _(L, "Province or prefecture among: %s"),
                                    codes_text(req, r));
        case ELIG_SECTORS:
                return arena_printf(a, _(L, "Sector among: %s"), codes_text(req, r));
        case ELIG_SOULALYATE_ONLY:
                return _(L, "Soulalyate cooperatives only");
        case ELIG_WOMEN:
                if (r->women_only)
                        return _(L, "Women-only cooperatives");
                return arena_printf(a, _(L, "At least %s%% of the members are women"),
                                    i18n_int(a, L, r->women_share));
        case ELIG_MEMBERS:
                if (r->has_min && r->has_max)
                        return arena_printf(a, _(L, "Between %s and %s members"),
                                            i18n_int(a, L, r->members_min),
                                            i18n_int(a, L, r->members_max));
                if (r->has_min)
                        return arena_printf(a, _(L, "At least %s members"),
                                            i18n_int(a, L, r->members_min));
                return arena_printf(a, _(L, "At most %s members"), i18n_int(a, L, r->members_max));
        case ELIG_STATUS_ACTIVE:
                return _(L, "Status active");
        case ELIG_NOT_ACCOMPANIED:
                return _(L, "Not already accompanied by this program");
        case ELIG_KIND_COUNT:
                break;
        }
        return "";
}

/* ---- helpers of these pages ---- */

int
call_load_or_reply(struct request *req, struct call *c)
{
        int rc = call_store_get(req->db, req->arena, req->id, c);
        if (rc != STORE_OK) {
                reply_store_error(req, rc);
                return -1;
        }
        return 0;
}

static const char *
date_text(struct request *req, const char *iso)
{
        struct date d;
        if (iso == NULL || date_parse(iso, &d) != 0)
                return iso ? iso : "";
        return i18n_date(req->arena, req->lang, d);
}

static void
phase_badge(struct request *req, const struct call *c)
{
        enum call_phase p = call_phase_on(c, date_today());
        html_status_badge(req, call_phase_code(p), _(req->lang, call_phase_label(p)));
}

static const char *
tranche_text(struct request *req, const char *program, long long number)
{
        return arena_printf(req->arena, _(req->lang, "%s, tranche %s"), program,
                            i18n_int(req->arena, req->lang, number));
}

static void
call_crumbs(struct request *req, const struct call *c, const char *here)
{
        struct buf *b = &req->out;
        /* U+203A is a mirrored character: in a right-to-left line it points left by itself. */
        const char *sep = " › ";
        html_printf(b, "<nav class=\"crumbs\"><a href=\"/calls\">%s</a>",
                    _(req->lang, "Calls for applications"));
        if (c)
                html_printf(b, "%s<a href=\"/calls/%lld\"><bdi>%s</bdi></a>", sep, c->id,
                            call_title(req, c));
        if (here)
                html_printf(b, "%s%s", sep, here);
        html_raw_trusted(b, "</nav>");
}

/* ---- list ---- */

void
page_call_list(struct request *req)
{
        enum lang L = req->lang;
        struct errs e;
        errs_init(&e, req->arena, L);
        long long tranche = 0;
        if (v_int(&e, "tranche", req_query(req, "tranche"), 0, 1, 1LL << 62, 0, &tranche) != 0) {
                reply_error(req, ERR_BAD_REQUEST, NULL, e.list, e.n);
                return;
        }
        struct call *items;
        size_t n;
        if (call_store_list(req->db, req->arena, tranche, &items, &n) != STORE_OK) {
                reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
                return;
        }
        page_begin(req, _(L, "Calls for applications"), "programs");
        struct buf *b = &req->out;
        html_printf(b, "<div class=\"page-head\"><h1>%s</h1><div class=\"actions\">",
                    _(L, "Calls for applications"));
        if (user_can(req->user, PERM_PROGRAM_MANAGE))
                html_printf(b, "<a class=\"button primary\" href=\"/calls/new%s\">%s</a>",
                            tranche ? arena_printf(req->arena, "?tranche=%lld", tranche) : "",
                            _(L, "New call"));
        html_raw_trusted(b, "</div></div>");
        html_printf(
            b, "<div class=\"list-head\"><p class=\"count\" role=\"status\">%s</p></div>",
            arena_printf(req->arena, _(L, "%s calls"), i18n_int(req->arena, L, (long long)n)));
        if (n == 0) {
                html_printf(b, "<p class=\"empty\">%s</p>", _(L, "No call yet."));
                page_end(req);
                return;
        }
        html_printf(b,
                    "<div class=\"table-wrap\"><table class=\"list\"><thead><tr>"
                    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead><tbody>",
                    _(L, "Call"), _(L, "Program"), _(L, "Opens"), _(L, "Closes"), _(L, "Status"));
        for (size_t i = 0; i < n; i++) {
                struct call *c = &items[i];
                html_printf(b,
                            "<tr><th scope=\"row\" data-label=\"%s\"><a href=\"/calls/%lld\">"
                            "<bdi>%s</bdi></a><small class=\"ltr\"><bdi>%s</bdi></small></th>",
                            _(L, "Call"), c->id, call_title(req, c), c->code);
                html_printf(b, "<td data-label=\"%s\"><bdi>%s</bdi></td>", _(L, "Program"),
                            tranche_text(req, call_program_name(req, c), c->tranche_number));
                html_printf(b, "<td data-label=\"%s\">%s</td><td data-label=\"%s\">%s</td>",
                            _(L, "Opens"), date_text(req, c->opens_on), _(L, "Closes"),
                            date_text(req, c->closes_on));
                html_printf(b, "<td data-label=\"%s\">", _(L, "Status"));
                phase_badge(req, c);
                html_raw_trusted(b, "</td></tr>");
        }
        html_raw_trusted(b, "</tbody></table></div>");
        page_end(req);
}

/* ---- detail ---- */

static void
rules_list(struct request *req, const struct elig_rule *rules, size_t n)
{
        struct buf *b = &req->out;
        if (n == 0) {
                html_printf(
                    b, "<p>%s</p>",
                    _(req->lang, "No rule: every cooperative of the registry is eligible."));
                return;
        }
        html_raw_trusted(b, "<ul class=\"rules\">");
        for (size_t i = 0; i < n; i++)
                html_printf(b, "<li>%s</li>", call_rule_text(req, &rules[i]));
        html_raw_trusted(b, "</ul>");
}

static const char *
criterion_label(struct request *req, const struct call_criterion *k)
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

void
page_call_show(struct request *req)
{
        enum lang L = req->lang;
        struct call c;
        if (call_load_or_reply(req, &c) != 0)
                return;
        struct arena *a = req->arena;
        page_begin(req, call_title(req, &c), "programs");
        struct buf *b = &req->out;
        call_crumbs(req, NULL, NULL);
        html_printf(b,
                    "<div class=\"page-head\"><div><h1><bdi>%s</bdi></h1>"
                    "<p class=\"sub\"><bdi>%s</bdi> · <span class=\"ltr\"><bdi>%s</bdi></span></p>"
                    "</div><div class=\"actions\">",
                    call_title(req, &c),
                    tranche_text(req, call_program_name(req, &c), c.tranche_number), c.code);
        html_printf(b,
                    "<a class=\"button primary\" href=\"/calls/%lld/screening\">%s</a>"
                    "<a class=\"button\" href=\"/calls/%lld/eligibility\">%s</a>",
                    c.id, _(L, "Screen the registry"), c.id, _(L, "Check a cooperative"));
        if (user_can(req->user, PERM_APPLICATION_READ))
                html_printf(b,
                            "<a class=\"button\" href=\"/applications?call=%lld\">%s</a>"
                            "<a class=\"button\" href=\"/calls/%lld/selection\">%s</a>",
                            c.id, _(L, "Applications"), c.id, _(L, "Selection"));
        if (user_can(req->user, PERM_PROGRAM_MANAGE))
                html_printf(b, "<a class=\"button\" href=\"/calls/%lld/evaluations\">%s</a>", c.id,
                            _(L, "Evaluations"));
        if (user_can(req->user, PERM_APPLICATION_WRITE))
                html_printf(b,
                            "<a class=\"button\" href=\"/calls/%lld/applications/import\">%s</a>",
                            c.id, _(L, "Import applications"));
        html_printf(b, "<a class=\"button\" href=\"/calls/%lld/dashboard\">%s</a>", c.id,
                    _(L, "Dashboard"));
        if (user_can(req->user, PERM_PROGRAM_MANAGE))
                html_printf(b,
                            "<a class=\"button\" href=\"/calls/%lld/rules\">%s</a>"
                            "<a class=\"button\" href=\"/calls/%lld/edit\">%s</a>",
                            c.id, _(L, "Edit the rules"), c.id, _(L, "Edit"));
        html_raw_trusted(b, "</div></div>");

        html_printf(b, "<section class=\"panel\"><h2>%s</h2><dl class=\"facts\">",
                    _(L, "The call"));
        html_printf(b, "<div class=\"fact\"><dt>%s</dt><dd>", _(L, "Status"));
        phase_badge(req, &c);
        html_raw_trusted(b, "</dd></div>");
        html_fact(req, _(L, "Opens"), date_text(req, c.opens_on), NULL);
        html_fact(req, _(L, "Closes"), date_text(req, c.closes_on), NULL);
        html_fact(req, _(L, "Reference date for eligibility"), date_text(req, c.reference_date),
                  NULL);
        html_fact(req, _(L, "Minimum score"),
                  arena_printf(a, _(L, "%s out of 100"), call_format_points(a, c.min_score)), NULL);
        html_fact(req, _(L, "Seats left empty by a region"),
                  c.national_pool ? _(L, "go to a national pool") : _(L, "stay empty"), NULL);
        html_fact(req, _(L, "Evaluators disagree beyond"),
                  arena_printf(a, _(L, "%s points"), call_format_points(a, c.disagreement_gap)),
                  NULL);
        html_raw_trusted(b, "</dl></section>");

        html_printf(b, "<section class=\"panel\"><h2>%s</h2><p class=\"sub\">%s</p>",
                    _(L, "Eligibility rules"),
                    arena_printf(a, _(L, "Version %s, evaluated on %s."),
                                 i18n_int(a, L, c.rules_version),
                                 date_text(req, c.reference_date)));
        rules_list(req, c.rules, c.nrules);
        html_raw_trusted(b, "</section>");

        html_printf(b, "<section class=\"panel\"><h2>%s</h2>", _(L, "Scoring grid"));
        long long wsum = 0;
        for (size_t i = 0; i < c.ncriteria; i++)
                wsum += c.criteria[i].weight;
        html_printf(
            b,
            "<div class=\"table-wrap\"><table class=\"grid\"><thead><tr><th scope=\"col\">%s"
            "</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead><tbody>",
            _(L, "Criterion"), _(L, "Weight"), _(L, "Scored out of"));
        for (size_t i = 0; i < c.ncriteria; i++)
                html_printf(
                    b, "<tr><th scope=\"row\"><bdi>%s</bdi></th><td>%s</td><td>%s</td></tr>",
                    criterion_label(req, &c.criteria[i]),
                    wsum ? arena_printf(a, "%s%%",
                                        call_format_points(a, 10000 * c.criteria[i].weight / wsum))
                         : "0",
                    i18n_int(a, L, c.criteria[i].max));
        html_raw_trusted(b, "</tbody></table></div></section>");

        html_printf(b, "<section class=\"panel\"><h2>%s</h2>", _(L, "Seats per region"));
        long long total = 0;
        for (size_t i = 0; i < c.nseats; i++)
                total += c.seats[i].seats;
        if (c.nseats == 0) {
                html_printf(b, "<p>%s</p>", _(L, "No seat is set yet."));
        } else {
                html_printf(b,
                            "<div class=\"table-wrap\"><table class=\"grid\"><thead><tr><th "
                            "scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead><tbody>",
                            _(L, "Region"), _(L, "Seats"));
                for (size_t i = 0; i < c.nseats; i++)
                        html_printf(b, "<tr><th scope=\"row\">%s</th><td>%s</td></tr>",
                                    region_name(req, c.seats[i].region),
                                    i18n_int(a, L, c.seats[i].seats));
                html_printf(b,
                            "</tbody><tfoot><tr><th scope=\"row\">%s</th><td>%s</td></tr></tfoot>"
                            "</table></div>",
                            _(L, "Total"), i18n_int(a, L, total));
        }
        html_raw_trusted(b, "</section>");
        page_end(req);
}

/* ---- create and edit ---- */

/* The form's criteria: the call's, then two empty rows to add criteria. */
#define EXTRA_CRITERIA 2

static void
call_form(struct request *req, const struct call *c, const struct errs *e)
{
        enum lang L = req->lang;
        struct arena *a = req->arena;
        int editing = c->id > 0;
        const char *title = editing ? _(L, "Edit the call") : _(L, "New call");
        page_begin(req, title, "programs");
        struct buf *b = &req->out;
        call_crumbs(req, editing ? c : NULL, editing ? _(L, "Edit") : NULL);
        html_printf(b, "<h1>%s</h1>", title);
        form_error_summary(req, e);
        if (editing)
                html_printf(b,
                            "<form method=\"post\" action=\"/calls/%lld\" class=\"record\" "
                            "novalidate>",
                            c->id);
        else
                html_raw_trusted(b, "<form method=\"post\" action=\"/calls\" class=\"record\" "
                                    "novalidate>");
        page_csrf(req);
        if (editing)
                html_printf(b, "<input type=\"hidden\" name=\"version\" value=\"%lld\">",
                            c->version);

        html_printf(b, "<fieldset><legend>%s</legend>", _(L, "The call"));
        struct call_tranche *tr;
        size_t ntr = 0;
        if (call_store_tranches(req->db, a, &tr, &ntr) != STORE_OK)
                ntr = 0;
        struct select_option *opts = arena_alloc(a, (ntr ? ntr : 1) * sizeof(*opts));
        for (size_t i = 0; i < ntr; i++) {
                const char *pname = lang_data(L) == LANG_AR   ? tr[i].program_name_ar
                                    : lang_data(L) == LANG_FR ? tr[i].program_name_fr
                                                              : tr[i].program_name_en;
                opts[i].value = arena_printf(a, "%lld", tr[i].id);
                opts[i].label =
                    arena_printf(a, "%s (%lld–%lld)", tranche_text(req, pname, tr[i].number),
                                 tr[i].start_year, tr[i].end_year);
        }
        form_select(req, "tranche_id", _(L, "Program and tranche"), opts, ntr,
                    c->tranche_id > 0 ? arena_printf(a, "%lld", c->tranche_id) : "",
                    _(L, "Choose a tranche"), e);
        struct form_field fields[] = {
            {.name = "code",
             .label = _(L, "Code"),
             .value = c->code,
             .required = 1,
             .maxlen = 40,
             .dir = "ltr",
             .hint = _(L, "Letters, digits and hyphens, for example MRF-T4-2026.")},
            {.name = "title_ar",
             .label = _(L, "Title in Arabic"),
             .value = c->title_ar,
             .required = 1,
             .maxlen = 200,
             .dir = "rtl",
             .extra = "lang=\"ar\""},
            {.name = "title_fr",
             .label = _(L, "Title in French"),
             .value = c->title_fr,
             .required = 1,
             .maxlen = 200,
             .dir = "ltr",
             .extra = "lang=\"fr\""},
            {.name = "title_en",
             .label = _(L, "Title in English"),
             .value = c->title_en,
             .required = 1,
             .maxlen = 200,
             .dir = "ltr",
             .extra = "lang=\"en\""},
        };
        for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
                form_input(req, &fields[i], e);
        html_printf(b, "</fieldset><fieldset><legend>%s</legend>", _(L, "Dates"));
        struct form_field dates[] = {
            {.name = "opens_on",
             .label = _(L, "Opens on"),
             .value = c->opens_on,
             .type = "date",
             .required = 1},
            {.name = "closes_on",
             .label = _(L, "Closes on"),
             .value = c->closes_on,
             .type = "date",
             .required = 1},
            {.name = "reference_date",
             .label = _(L, "Reference date for eligibility"),
             .value = c->reference_date,
             .type = "date",
             .required = 1,
             .hint = _(L, "Legal age and years of activity are measured on this day.")},
        };
        for (size_t i = 0; i < 3; i++)
                form_input(req, &dates[i], e);
        html_printf(b, "</fieldset><fieldset><legend>%s</legend>", _(L, "Selection"));
        struct form_field sel[] = {
            {.name = "min_score",
             .label = _(L, "Minimum score"),
             .value = errs_for(e, "min_score") ? req_form(req, "min_score")
                                               : call_format_points(a, c->min_score),
             .required = 1,
             .maxlen = 6,
             .dir = "ltr",
             .extra = "inputmode=\"decimal\"",
             .hint = _(L, "Points out of 100; applications below it are rejected.")},
            {.name = "disagreement_gap",
             .label = _(L, "Evaluators disagree beyond"),
             .value = errs_for(e, "disagreement_gap") ? req_form(req, "disagreement_gap")
                                                      : call_format_points(a, c->disagreement_gap),
             .required = 1,
             .maxlen = 6,
             .dir = "ltr",
             .extra = "inputmode=\"decimal\"",
             .hint = _(L, "Points: two evaluators' totals further apart than this are flagged.")},
        };
        for (size_t i = 0; i < 2; i++)
                form_input(req, &sel[i], e);
        form_checkbox(req, "national_pool",
                      _(L, "Seats a region cannot fill go to a national pool"), c->national_pool,
                      e);
        html_raw_trusted(b, "</fieldset>");

        /* Scoring grid: one row per criterion, two empty rows to add one. */
        html_printf(b, "<fieldset class=\"grid-rows\"><legend>%s</legend><p class=\"hint\">%s</p>",
                    _(L, "Scoring grid"),
                    _(L, "Each criterion is scored from 0 to its maximum; weights are relative. "
                         "Leave a row empty to remove it."));
        for (size_t i = 0; i < c->ncriteria + EXTRA_CRITERIA; i++) {
                const struct call_criterion *k = i < c->ncriteria ? &c->criteria[i] : NULL;
                html_printf(
                    b, "<div class=\"criterion\"><p class=\"criterion-title\">%s</p>",
                    arena_printf(a, _(L, "Criterion %s"), i18n_int(a, L, (long long)i + 1)));
                struct form_field kf[] = {
                    {.name = arena_printf(a, "criteria[%zu].key", i),
                     .label = _(L, "Key"),
                     .value = k ? k->key : "",
                     .quiet = 1,
                     .maxlen = 32,
                     .dir = "ltr"},
                    {.name = arena_printf(a, "criteria[%zu].label_ar", i),
                     .label = _(L, "Label in Arabic"),
                     .value = k ? k->label_ar : "",
                     .quiet = 1,
                     .maxlen = 200,
                     .dir = "rtl"},
                    {.name = arena_printf(a, "criteria[%zu].label_fr", i),
                     .label = _(L, "Label in French"),
                     .value = k ? k->label_fr : "",
                     .quiet = 1,
                     .maxlen = 200,
                     .dir = "ltr"},
                    {.name = arena_printf(a, "criteria[%zu].label_en", i),
                     .label = _(L, "Label in English"),
                     .value = k ? k->label_en : "",
                     .quiet = 1,
                     .maxlen = 200,
                     .dir = "ltr"},
                    {.name = arena_printf(a, "criteria[%zu].weight", i),
                     .label = _(L, "Weight"),
                     .value = k ? arena_printf(a, "%lld", k->weight) : "",
                     .quiet = 1,
                     .maxlen = 4,
                     .dir = "ltr",
                     .extra = "inputmode=\"numeric\""},
                    {.name = arena_printf(a, "criteria[%zu].max", i),
                     .label = _(L, "Scored out of"),
                     .value = k ? arena_printf(a, "%lld", k->max) : "",
                     .quiet = 1,
                     .maxlen = 4,
                     .dir = "ltr",
                     .extra = "inputmode=\"numeric\""},
                };
                for (size_t f = 0; f < sizeof(kf) / sizeof(kf[0]); f++)
                        form_input(req, &kf[f], e);
                html_raw_trusted(b, "</div>");
        }
        html_raw_trusted(b, "</fieldset>");

        html_printf(b, "<fieldset class=\"seats\"><legend>%s</legend><p class=\"hint\">%s</p>",
                    _(L, "Seats per region"), _(L, "Leave empty for a region without seats."));
        for (size_t i = 0; i < web_geo->n_regions; i++) {
                const char *code = web_geo->regions[i].code;
                const char *value = "";
                for (size_t s = 0; s < c->nseats; s++)
                        if (strcmp(c->seats[s].region, code) == 0)
                                value = arena_printf(a, "%lld", c->seats[s].seats);
                const char *name = arena_printf(a, "seats.%s", code);
                if (errs_for(e, name))
                        value = req_form(req, name);
                struct form_field sf = {.name = name,
                                        .label = region_name(req, code),
                                        .value = value,
                                        .quiet = 1,
                                        .maxlen = 6,
                                        .dir = "ltr",
                                        .extra = "inputmode=\"numeric\""};
                form_input(req, &sf, e);
        }
        html_printf(b,
                    "</fieldset><div class=\"form-actions\"><button class=\"primary\">%s</button>"
                    "<a href=\"%s\">%s</a></div></form>",
                    _(L, "Save the call"),
                    editing ? arena_printf(a, "/calls/%lld", c->id) : "/calls", _(L, "Cancel"));
        page_end(req);
}

static void default_criteria(struct request *req, struct call *c);

void
page_call_new(struct request *req)
{
        struct call c = {0};
        c.national_pool = 1;
        c.disagreement_gap = 1500;
        c.min_score = 5000;
        c.tranche_id = 0;
        const char *t = req_query(req, "tranche");
        if (t)
                c.tranche_id = strtoll(t, NULL, 10);
        default_criteria(req, &c);
        call_form(req, &c, NULL);
}

static const char *
form_get(void *ctx, const char *name)
{
        return req_form(ctx, name);
}

/* Reads the grid rows of the form into c (criteria in the arena); rows left wholly empty are
 * dropped. Problems go to e. */
static void
grid_from_form(struct request *req, struct call *c, struct errs *e)
{
        struct arena *a = req->arena;
        int sent = 0;
        for (size_t i = 0; i < req->nform && !sent; i++)
                sent = strncmp(req->form[i].key, "criteria[", 9) == 0;
        if (!sent)
                return; /* a form without the grid keeps it (the defaults for a new call) */
        size_t cap = SCORING_MAX_CRITERIA + EXTRA_CRITERIA;
        struct call_criterion *k = arena_alloc(a, cap * sizeof(*k));
        size_t n = 0;
        for (size_t i = 0; i < cap; i++) {
                const char *names[] = {"key", "label_ar", "label_fr", "label_en", "weight", "max"};
                const char *v[6];
                int any = 0;
                for (size_t f = 0; f < 6; f++) {
                        v[f] = req_form(req, arena_printf(a, "criteria[%zu].%s", i, names[f]));
                        if (v[f] && v[f][0])
                                any = 1;
                }
                if (!any)
                        continue;
                /* Errors keep the row's position in the form, whatever rows were dropped. */
                struct call_criterion *r = &k[n];
                r->key = v[0] ? v[0] : "";
                r->label_ar = v[1] ? v[1] : "";
                r->label_fr = v[2] ? v[2] : "";
                r->label_en = v[3] ? v[3] : "";
                v_int(e, arena_printf(a, "criteria[%zu].weight", i), v[4], 1, 1, SCORING_MAX_WEIGHT,
                      0, &r->weight);
                v_int(e, arena_printf(a, "criteria[%zu].max", i), v[5], 1, 1, SCORING_MAX_MAX, 0,
                      &r->max);
                struct errs one;
                errs_init(&one, a, req->lang);
                call_criteria_check(r, 1, &one);
                for (size_t j = 0; j < one.n; j++) {
                        const char *f = one.list[j].field;
                        const char *dot = strchr(f, '.');
                        errs_add_text(e, arena_printf(a, "criteria[%zu]%s", i, dot ? dot : ""),
                                      one.list[j].msg);
                }
                n++;
        }
        c->criteria = k;
        c->ncriteria = n;
        /* Keys must be distinct across rows. */
        for (size_t i = 0; i < n; i++)
                for (size_t j = 0; j < i; j++)
                        if (strcmp(k[i].key, k[j].key) == 0 && k[i].key[0])
                                errs_add(e, "criteria", "Two criteria have the key %s.", k[i].key);
        if (n == 0)
                errs_add(e, "criteria", "Give the grid at least one criterion.");
}

/* Reads the seats of the form ("seats.03"...) into c; an empty field is a region without seats. */
static void
seats_from_form(struct request *req, struct call *c, struct errs *e)
{
        struct arena *a = req->arena;
        struct call_seat *s = arena_alloc(a, web_geo->n_regions * sizeof(*s));
        size_t ns = 0;
        for (size_t i = 0; i < web_geo->n_regions; i++) {
                const char *code = web_geo->regions[i].code;
                const char *name = arena_printf(a, "seats.%s", code);
                const char *v = req_form(req, name);
                if (v == NULL || v[0] == '\0')
                        continue;
                long long seats = 0;
                if (v_int(e, name, v, 1, 0, 100000, 0, &seats) == 0) {
                        s[ns].region = code;
                        s[ns++].seats = seats;
                }
        }
        c->seats = s;
        c->nseats = ns;
}

int
call_grid_frozen(struct request *req, const struct call *c, struct errs *e)
{
        struct call stored;
        if (call_store_get(req->db, req->arena, c->id, &stored) != STORE_OK)
                return -1;
        if (call_criteria_same_scoring(stored.criteria, stored.ncriteria, c->criteria,
                                       c->ncriteria))
                return 0;
        int scored = call_store_has_scores(req->db, c->id);
        if (scored < 0)
                return -1;
        if (scored == 0)
                return 0;
        errs_add(e, "criteria",
                 "Evaluators have already scored applications of this call: its criteria, weights "
                 "and maxima can no longer change (labels can).");
        return -1;
}

static void
call_save(struct request *req, struct call *c)
{
        enum lang L = req->lang;
        struct errs e;
        errs_init(&e, req->arena, L);
        long long expected = 0;
        if (c->id > 0 &&
            v_int(&e, "version", req_form(req, "version"), 1, 1, 1LL << 62, 0, &expected) != 0) {
                reply_error(req, ERR_BAD_REQUEST, NULL, e.list, e.n);
                return;
        }
        call_apply(c, &e, form_get, req);
        grid_from_form(req, c, &e);
        seats_from_form(req, c, &e);
        if (e.n) {
                call_form(req, c, &e);
                req->status = 422;
                return;
        }
        int creating = c->id == 0;
        if (!creating && call_grid_frozen(req, c, &e) != 0) {
                if (e.n) {
                        call_form(req, c, &e);
                        req->status = 409;
                } else {
                        reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
                }
                return;
        }
        if (creating) {
                size_t n;
                const struct elig_rule *def = eligibility_mourafaka_defaults(&n);
                c->rules = (struct elig_rule *)def;
                c->nrules = n;
        }
        int rc = creating ? call_store_insert(req->db, req->arena, c, req->user->id)
                          : call_store_update(req->db, req->arena, c, expected);
        switch (rc) {
        case STORE_OK:
                reply_redirect(req, arena_printf(req->arena, "/calls/%lld", c->id));
                return;
        case STORE_DUPLICATE:
                errs_add(&e, "code", "Another call already has this code.");
                call_form(req, c, &e);
                req->status = 409;
                return;
        case STORE_NOT_FOUND:
                if (!creating) {
                        /* The call or its new tranche: tell which. */
                        struct call_tranche t;
                        if (call_store_tranche(req->db, req->arena, c->tranche_id, &t) ==
                            STORE_OK) {
                                reply_error(req, ERR_NOT_FOUND, NULL, NULL, 0);
                                return;
                        }
                }
                errs_add(&e, "tranche_id", "This tranche does not exist.");
                call_form(req, c, &e);
                req->status = 422;
                return;
        case STORE_CONFLICT:
                reply_error(req, ERR_CONFLICT,
                            _(L, "Someone else changed this call while you were editing it. "
                                 "Open it again to see their changes, then make yours."),
                            NULL, 0);
                return;
        default:
                reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
        }
}

/* The default grid, its labels in the three languages. */
static void
default_criteria(struct request *req, struct call *c)
{
        size_t n;
        const struct call_criterion *def = call_default_criteria(&n);
        c->criteria = arena_alloc(req->arena, n * sizeof(*c->criteria));
        for (size_t i = 0; i < n; i++) {
                c->criteria[i] = def[i];
                c->criteria[i].label_ar = _(LANG_AR, def[i].label_en);
                c->criteria[i].label_fr = _(LANG_FR, def[i].label_en);
        }
        c->ncriteria = n;
}

void
page_call_create(struct request *req)
{
        struct call c = {0};
        c.national_pool = 1;
        c.disagreement_gap = 1500;
        default_criteria(req, &c);
        call_save(req, &c);
}

void
page_call_edit(struct request *req)
{
        struct call c;
        if (call_load_or_reply(req, &c) != 0)
                return;
        call_form(req, &c, NULL);
}

void
page_call_update(struct request *req)
{
        struct call c;
        if (call_load_or_reply(req, &c) != 0)
                return;
        call_save(req, &c);
}

/* ---- the rules editor ---- */

/* Reads the rules of the editor form (selection/call_form.c, pure, so it can be fuzzed). */
static int
rules_from_form(struct request *req, struct errs *e, struct elig_rule **rules, size_t *n)
{
        return call_rules_from_form(req->form, req->nform, web_geo, e, rules, n);
}

static const struct elig_rule *
rule_of_kind(const struct elig_rule *rules, size_t n, enum elig_kind k)
{
        for (size_t i = 0; i < n; i++)
                if (rules[i].kind == k)
                        return &rules[i];
        return NULL;
}

static int
rule_has_code(const struct elig_rule *r, const char *code)
{
        for (size_t i = 0; r && i < r->ncodes; i++)
                if (strcmp(r->codes[i], code) == 0)
                        return 1;
        return 0;
}

/* A checkbox of a code list ("regions.codes" = code); ids stay unique per code. */
static void
code_box(struct request *req, const char *kind, const char *code, const char *label, int checked)
{
        html_printf(&req->out,
                    "<div class=\"field check\"><input type=\"checkbox\" id=\"f-%s.codes-%s\" "
                    "name=\"%s.codes\" value=\"%s\"%s><label for=\"f-%s.codes-%s\">%s</label>"
                    "</div>",
                    kind, code, kind, code, checked ? " checked" : "", kind, code, label);
}

/* The preview cell of a rule: filled by the server, and again by app.js as the form changes. */
static void
preview_cell(struct request *req, const char *key, const struct screen_tally *t, long long pass)
{
        html_printf(&req->out, "<p class=\"preview\" data-preview=\"%s\" aria-live=\"polite\">",
                    key);
        if (t)
                html_printf(&req->out, "%s",
                            arena_printf(req->arena, _(req->lang, "%s of %s cooperatives pass"),
                                         i18n_int(req->arena, req->lang, pass),
                                         i18n_int(req->arena, req->lang, t->total)));
        html_raw_trusted(&req->out, "</p>");
}

/* The rules editor: every kind of rule with its parameters, ticked when rules has it; with
 * the counts of t (NULL: none yet) for each rule and for all of them. */
static void
rules_form(struct request *req, const struct call *c, const struct elig_rule *rules, size_t n,
           long long base_version, const struct screen_tally *t, const struct errs *e,
           const char *notice)
{
        enum lang L = req->lang;
        struct arena *a = req->arena;
        const char *title = _(L, "Eligibility rules");
        page_begin(req, title, "programs");
        struct buf *b = &req->out;
        call_crumbs(req, c, title);
        html_printf(
            b, "<div class=\"page-head\"><div><h1>%s</h1><p class=\"sub\">%s</p></div></div>",
            title,
            arena_printf(a, _(L, "Evaluated on the reference date, %s. Current version: %s."),
                         date_text(req, c->reference_date), i18n_int(a, L, c->rules_version)));
        if (notice)
                html_printf(b, "<p class=\"notice\" role=\"status\">%s</p>", notice);
        form_error_summary(req, e);
        html_printf(
            b,
            "<form method=\"post\" action=\"/calls/%lld/rules\" class=\"record rules-editor\" "
            "data-preview-url=\"/calls/%lld/rules/preview\" novalidate>",
            c->id, c->id);
        page_csrf(req);
        html_printf(b, "<input type=\"hidden\" name=\"rules_version\" value=\"%lld\">",
                    base_version);

        /* What the rules let through, all together: the first thing a manager looks at. */
        html_printf(b, "<div class=\"preview-total panel\"><h2>%s</h2>", _(L, "Live preview"));
        html_printf(b,
                    "<p class=\"preview big\" data-preview=\"all\" data-count=\"%lld\" "
                    "aria-live=\"polite\">",
                    t ? t->eligible : -1);
        if (t)
                html_printf(b, "%s",
                            arena_printf(a, _(L, "%s of %s cooperatives meet every rule"),
                                         i18n_int(a, L, t->eligible), i18n_int(a, L, t->total)));
        html_printf(b, "</p><p class=\"hint\">%s</p></div>",
                    _(L, "Counted over the cooperatives you can see, as you change the rules."));

        size_t ti = 0; /* index of the rule in the tally: the order of the ticked kinds */
        for (int k = 0; k < ELIG_KIND_COUNT; k++) {
                enum elig_kind kind = (enum elig_kind)k;
                const char *code = eligibility_kind_code(kind);
                const struct elig_rule *r = rule_of_kind(rules, n, kind);
                html_printf(b, "<fieldset class=\"rule\"><legend>%s</legend>",
                            _(L, eligibility_kind_label(kind)));
                form_checkbox(req, arena_printf(a, "%s.on", code), _(L, "Apply this rule"),
                              r != NULL, e);
                if (eligibility_kind_is_duration(kind)) {
                        html_raw_trusted(b, "<div class=\"inline\">");
                        struct form_field d[] = {
                            {.name = arena_printf(a, "%s.years", code),
                             .label = _(L, "Years"),
                             .value = r ? arena_printf(a, "%d", r->years) : "",
                             .quiet = 1,
                             .maxlen = 3,
                             .dir = "ltr",
                             .extra = "inputmode=\"numeric\""},
                            {.name = arena_printf(a, "%s.months", code),
                             .label = _(L, "Months"),
                             .value = r ? arena_printf(a, "%d", r->months) : "",
                             .quiet = 1,
                             .maxlen = 2,
                             .dir = "ltr",
                             .extra = "inputmode=\"numeric\""},
                        };
                        form_input(req, &d[0], e);
                        form_input(req, &d[1], e);
                        html_raw_trusted(b, "</div>");
                } else if (kind == ELIG_REGIONS || kind == ELIG_SECTORS) {
                        const char *field = arena_printf(a, "%s.codes", code);
                        const char *err = errs_for(e, field);
                        form_remember_label(req, arena_printf(a, "%s.codes-list", code),
                                            _(L, eligibility_kind_label(kind)));
                        html_printf(b, "<div class=\"codes%s\" id=\"f-%s.codes-list\">",
                                    err ? " has-error" : "", code);
                        if (err)
                                html_printf(b, "<p class=\"error\">%s</p>", err);
                        if (kind == ELIG_REGIONS) {
                                for (size_t i = 0; i < web_geo->n_regions; i++)
                                        code_box(req, code, web_geo->regions[i].code,
                                                 region_name(req, web_geo->regions[i].code),
                                                 rule_has_code(r, web_geo->regions[i].code));
                        } else {
                                for (size_t i = 0; coop_sectors[i].code; i++)
                                        code_box(req, code, coop_sectors[i].code,
                                                 _(L, coop_sectors[i].label),
                                                 rule_has_code(r, coop_sectors[i].code));
                        }
                        html_raw_trusted(b, "</div>");
                } else if (kind == ELIG_PROVINCES) {
                        const char *err = errs_for(e, "provinces.codes");
                        form_remember_label(req, "provinces.codes-list",
                                            _(L, eligibility_kind_label(kind)));
                        html_printf(b, "<div class=\"codes%s\" id=\"f-provinces.codes-list\">",
                                    err ? " has-error" : "");
                        if (err)
                                html_printf(b, "<p class=\"error\">%s</p>", err);
                        for (size_t g = 0; g < web_geo->n_regions; g++) {
                                size_t np;
                                const struct geo_province *p =
                                    geo_provinces_of(web_geo, web_geo->regions[g].code, &np);
                                int open = 0;
                                for (size_t i = 0; i < np; i++)
                                        open |= rule_has_code(r, p[i].code);
                                html_printf(b, "<details%s><summary>%s</summary>",
                                            open ? " open" : "",
                                            region_name(req, web_geo->regions[g].code));
                                for (size_t i = 0; i < np; i++)
                                        code_box(req, code, p[i].code,
                                                 province_name(req, p[i].code),
                                                 rule_has_code(r, p[i].code));
                                html_raw_trusted(b, "</details>");
                        }
                        html_raw_trusted(b, "</div>");
                } else if (kind == ELIG_WOMEN) {
                        int only = r && r->women_only;
                        html_printf(b,
                                    "<div class=\"field check\"><input type=\"radio\" "
                                    "id=\"f-women.mode-only\" "
                                    "name=\"women.mode\" value=\"only\"%s><label "
                                    "for=\"f-women.mode-only\">%s</label></div>"
                                    "<div class=\"field check\"><input type=\"radio\" "
                                    "id=\"f-women.mode-share\" "
                                    "name=\"women.mode\" value=\"share\"%s><label "
                                    "for=\"f-women.mode-share\">%s</label></div>",
                                    only ? " checked" : "", _(L, "Women-only cooperatives"),
                                    only ? "" : " checked",
                                    _(L, "At least a share of women members"));
                        struct form_field s = {
                            .name = "women.min_share",
                            .label = _(L, "Minimum share of women (%)"),
                            .value = r && !only ? arena_printf(a, "%d", r->women_share) : "",
                            .quiet = 1,
                            .maxlen = 3,
                            .dir = "ltr",
                            .extra = "inputmode=\"numeric\""};
                        form_input(req, &s, e);
                } else if (kind == ELIG_MEMBERS) {
                        html_raw_trusted(b, "<div class=\"inline\">");
                        struct form_field m[] = {
                            {.name = "members.min",
                             .label = _(L, "At least"),
                             .value =
                                 r && r->has_min ? arena_printf(a, "%lld", r->members_min) : "",
                             .quiet = 1,
                             .maxlen = 7,
                             .dir = "ltr",
                             .extra = "inputmode=\"numeric\""},
                            {.name = "members.max",
                             .label = _(L, "At most"),
                             .value =
                                 r && r->has_max ? arena_printf(a, "%lld", r->members_max) : "",
                             .quiet = 1,
                             .maxlen = 7,
                             .dir = "ltr",
                             .extra = "inputmode=\"numeric\""},
                        };
                        form_input(req, &m[0], e);
                        form_input(req, &m[1], e);
                        html_raw_trusted(b, "</div>");
                }
                long long pass = 0;
                if (t && r && ti < t->nrules)
                        pass = t->pass[ti];
                preview_cell(req, code, r ? t : NULL, pass);
                if (r)
                        ti++;
                html_raw_trusted(b, "</fieldset>");
        }
        html_printf(
            b,
            "<div class=\"form-actions\"><button class=\"primary\" name=\"action\" "
            "value=\"save\">%s</button><button name=\"action\" value=\"preview\">%s</button>"
            "<a href=\"/calls/%lld\">%s</a></div></form>",
            _(L, "Save as a new version"), _(L, "Preview without saving"), c->id, _(L, "Cancel"));

        struct call_rules_version *hist;
        size_t nh = 0;
        if (call_store_rules_history(req->db, a, c->id, &hist, &nh) == STORE_OK && nh) {
                html_printf(b, "<section class=\"panel\"><h2>%s</h2><ol class=\"history\">",
                            _(L, "Versions of the rules"));
                for (size_t i = 0; i < nh; i++)
                        html_printf(
                            b, "<li><a href=\"/calls/%lld/rules?version=%lld\">%s</a> · %s%s</li>",
                            c->id, hist[i].version,
                            arena_printf(a, _(L, "Version %s"), i18n_int(a, L, hist[i].version)),
                            hist[i].changed_at,
                            hist[i].changed_by[0] ? arena_printf(a, " · %s", hist[i].changed_by)
                                                  : "");
                html_raw_trusted(b, "</ol></section>");
        }
        page_end(req);
}

/* Shows one past version of the rules, read-only. */
static void
rules_version_page(struct request *req, const struct call *c, long long version)
{
        enum lang L = req->lang;
        struct arena *a = req->arena;
        struct call_rules_version *hist;
        size_t nh = 0;
        if (call_store_rules_history(req->db, a, c->id, &hist, &nh) != STORE_OK) {
                reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
                return;
        }
        const struct call_rules_version *v = NULL;
        for (size_t i = 0; i < nh; i++)
                if (hist[i].version == version)
                        v = &hist[i];
        if (v == NULL) {
                reply_error(req, ERR_NOT_FOUND, NULL, NULL, 0);
                return;
        }
        json_t *j = json_loads(v->rules, 0, NULL);
        struct elig_rule *rules = NULL;
        size_t n = 0;
        struct errs e;
        errs_init(&e, a, L);
        int rc = j ? eligibility_rules_from_json(j, a, &rules, &n, &e) : -1;
        json_decref(j);
        if (rc != 0) {
                reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
                return;
        }
        const char *title =
            arena_printf(a, _(L, "Eligibility rules, version %s"), i18n_int(a, L, version));
        page_begin(req, title, "programs");
        struct buf *b = &req->out;
        call_crumbs(req, c, title);
        html_printf(b, "<h1>%s</h1><p class=\"sub\">%s%s</p><section class=\"panel\">", title,
                    v->changed_at, v->changed_by[0] ? arena_printf(a, " · %s", v->changed_by) : "");
        rules_list(req, rules, n);
        html_printf(b, "</section><p><a href=\"/calls/%lld/rules\">%s</a></p>", c->id,
                    _(L, "Back to the current rules"));
        page_end(req);
}

void
page_call_rules(struct request *req)
{
        struct call c;
        if (call_load_or_reply(req, &c) != 0)
                return;
        const char *v = req_query(req, "version");
        if (v) {
                struct errs e;
                errs_init(&e, req->arena, req->lang);
                long long version = 0;
                if (v_int(&e, "version", v, 1, 1, 1LL << 62, 0, &version) != 0) {
                        reply_error(req, ERR_BAD_REQUEST, NULL, e.list, e.n);
                        return;
                }
                rules_version_page(req, &c, version);
                return;
        }
        struct screen_view sv;
        if (call_screen(req, &c, c.rules, c.nrules, "", SCREEN_ALL, 0, 0, &sv) != 0) {
                reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
                return;
        }
        const char *notice = NULL;
        if (req_query(req, "saved"))
                notice = arena_printf(req->arena, _(req->lang, "Saved as version %s."),
                                      i18n_int(req->arena, req->lang, c.rules_version));
        rules_form(req, &c, c.rules, c.nrules, c.rules_version, &sv.tally, NULL, notice);
}

void
page_call_rules_post(struct request *req)
{
        enum lang L = req->lang;
        struct call c;
        if (call_load_or_reply(req, &c) != 0)
                return;
        struct errs e;
        errs_init(&e, req->arena, L);
        long long base = 0;
        if (v_int(&e, "rules_version", req_form(req, "rules_version"), 1, 1, 1LL << 62, 0, &base) !=
            0) {
                reply_error(req, ERR_BAD_REQUEST, NULL, e.list, e.n);
                return;
        }
        struct elig_rule *rules = NULL;
        size_t n = 0;
        if (rules_from_form(req, &e, &rules, &n) != 0) {
                /* Show the form as sent: what was ticked stays ticked. Without valid rules the
                 * preview has nothing to count. */
                rules_form(req, &c, c.rules, c.nrules, base, NULL, &e, NULL);
                req->status = 422;
                return;
        }
        const char *action = req_form(req, "action");
        if (action && strcmp(action, "preview") == 0) {
                struct screen_view sv;
                if (call_screen(req, &c, rules, n, "", SCREEN_ALL, 0, 0, &sv) != 0) {
                        reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
                        return;
                }
                rules_form(req, &c, rules, n, base, &sv.tally, NULL,
                           _(L, "Preview: these rules are not saved yet."));
                return;
        }
        long long nv = 0;
        int rc =
            call_store_save_rules(req->db, req->arena, c.id, base, rules, n, req->user->id, &nv);
        switch (rc) {
        case STORE_OK:
                reply_redirect(req, arena_printf(req->arena, "/calls/%lld/rules?saved=1", c.id));
                return;
        case STORE_CONFLICT:
                reply_error(req, ERR_CONFLICT,
                            _(L, "Someone else saved other rules for this call while you were "
                                 "editing them. Open the rules again to see their version, then "
                                 "make your change."),
                            NULL, 0);
                return;
        case STORE_NOT_FOUND:
                reply_error(req, ERR_NOT_FOUND, NULL, NULL, 0);
                return;
        default:
                reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
        }
}

/* The counts of the editor's rules as JSON, for app.js's live preview: {"total", "eligible",
 * "rules": {"max_legal_age": passing, ...}, "text": {...}} or {"errors": {field: message}}. */
void
page_call_rules_preview(struct request *req)
{
        enum lang L = req->lang;
        req->is_api = 1;
        struct call c;
        if (call_load_or_reply(req, &c) != 0)
                return;
        struct errs e;
        errs_init(&e, req->arena, L);
        struct elig_rule *rules = NULL;
        size_t n = 0;
        if (rules_from_form(req, &e, &rules, &n) != 0) {
                json_t *errs = json_object();
                for (size_t i = 0; i < e.n; i++)
                        json_object_set_new(errs, e.list[i].field, json_string(e.list[i].msg));
                reply_json(req, 200, json_pack("{s:o}", "errors", errs));
                return;
        }
        struct screen_view sv;
        if (call_screen(req, &c, rules, n, "", SCREEN_ALL, 0, 0, &sv) != 0) {
                reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
                return;
        }
        struct arena *a = req->arena;
        json_t *text = json_object();
        json_object_set_new(
            text, "all",
            json_string(arena_printf(a, _(L, "%s of %s cooperatives meet every rule"),
                                     i18n_int(a, L, sv.tally.eligible),
                                     i18n_int(a, L, sv.tally.total))));
        json_t *pass = json_object();
        for (size_t i = 0; i < n; i++) {
                const char *code = eligibility_kind_code(rules[i].kind);
                json_object_set_new(pass, code, json_integer(sv.tally.pass[i]));
                json_object_set_new(text, code,
                                    json_string(arena_printf(a, _(L, "%s of %s cooperatives pass"),
                                                             i18n_int(a, L, sv.tally.pass[i]),
                                                             i18n_int(a, L, sv.tally.total))));
        }
        reply_json(req, 200,
                   json_pack("{s:I, s:I, s:o, s:o}", "total", (json_int_t)sv.tally.total,
                             "eligible", (json_int_t)sv.tally.eligible, "rules", pass, "text",
                             text));
}

/* ---- screening ---- */

/* Reads the screening filters (region, result, page) from the query. */
static int
screen_filters(struct request *req, struct errs *e, const char **region, enum screen_filter *f,
               long long *page)
{
        static const char *const results[] = {"eligible", "ineligible", NULL};
        const char *r = req_query_str(req, "region");
        *region = "";
        if (r[0]) {
                const struct geo_region *g = geo_region(web_geo, r);
                if (g == NULL)
                        errs_add(e, "region", "This region code does not exist.");
                else
                        *region = g->code;
        }
        const char *res = v_enum(e, "result", req_query_str(req, "result"), 0, results);
        *f = res == NULL || res[0] == '\0'  ? SCREEN_ALL
             : strcmp(res, "eligible") == 0 ? SCREEN_ELIGIBLE
                                            : SCREEN_INELIGIBLE;
        v_int(e, "page", req_query_str(req, "page"), 0, 1, 1000000, 1, page);
        if (*page < 1)
                *page = 1;
        return e->n ? -1 : 0;
}

/* A horizontal bar of part/whole, as SVG (the page's CSP allows no inline style); the
 * numbers are written next to it, so it is hidden from screen readers. */
static void
bar(struct request *req, long long part, long long whole)
{
        long long permille = whole > 0 ? (1000 * part + whole / 2) / whole : 0;
        html_printf(&req->out,
                    "<svg class=\"bar\" viewBox=\"0 0 1000 12\" preserveAspectRatio=\"none\" "
                    "aria-hidden=\"true\" focusable=\"false\"><rect width=\"1000\" height=\"12\" "
                    "rx=\"6\" class=\"bar-bg\"></rect><rect width=\"%lld\" height=\"12\" rx=\"6\" "
                    "class=\"bar-fg\"></rect></svg>",
                    permille);
}

void
page_call_screening(struct request *req)
{
        enum lang L = req->lang;
        struct arena *a = req->arena;
        struct call c;
        if (call_load_or_reply(req, &c) != 0)
                return;
        struct errs e;
        errs_init(&e, a, L);
        const char *region;
        enum screen_filter filter;
        long long page;
        screen_filters(req, &e, &region, &filter, &page);
        struct screen_view sv;
        memset(&sv, 0, sizeof(sv));
        if (e.n == 0 && call_screen(req, &c, c.rules, c.nrules, region, filter,
                                    (page - 1) * SCREEN_PER_PAGE, SCREEN_PER_PAGE, &sv) != 0) {
                reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
                return;
        }
        const char *title = _(L, "Screening of the registry");
        page_begin(req, title, "programs");
        struct buf *b = &req->out;
        call_crumbs(req, &c, title);
        html_printf(
            b, "<div class=\"page-head\"><div><h1>%s</h1><p class=\"sub\">%s</p></div>", title,
            arena_printf(a, _(L, "Rules version %s, evaluated on %s."),
                         i18n_int(a, L, c.rules_version), date_text(req, c.reference_date)));
        html_printf(
            b,
            "<div class=\"actions\"><a class=\"button\" href=\"/calls/%lld/screening.csv%s\" "
            "download>%s</a></div></div>",
            c.id,
            arena_printf(a, "?region=%s&result=%s", region,
                         filter == SCREEN_ALL        ? ""
                         : filter == SCREEN_ELIGIBLE ? "eligible"
                                                     : "ineligible"),
            _(L, "Export as CSV"));
        if (e.n == 0) {
                html_printf(b, "<section class=\"panel summary\"><p class=\"big\">%s</p>",
                            arena_printf(a, _(L, "%s of %s cooperatives meet every rule."),
                                         i18n_int(a, L, sv.tally.eligible),
                                         i18n_int(a, L, sv.tally.total)));
                bar(req, sv.tally.eligible, sv.tally.total);
                html_raw_trusted(b, "</section>");

                html_printf(b, "<div class=\"two-cols\"><section class=\"panel\"><h2>%s</h2>",
                            _(L, "By region"));
                html_printf(
                    b,
                    "<div class=\"table-wrap\"><table class=\"grid\"><thead><tr><th "
                    "scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                    "</tr></thead><tbody>",
                    _(L, "Region"), _(L, "Eligible"), _(L, "Not eligible"));
                for (size_t i = 0; i < sv.tally.nregions; i++) {
                        const struct screen_region *r = &sv.tally.regions[i];
                        html_printf(
                            b,
                            "<tr><th scope=\"row\"><a href=\"?region=%s&amp;result=eligible\">"
                            "%s</a></th><td>%s</td><td>%s</td></tr>",
                            r->code, region_name(req, r->code), i18n_int(a, L, r->eligible),
                            i18n_int(a, L, r->ineligible));
                }
                html_raw_trusted(b, "</tbody></table></div></section>");
                html_printf(b, "<section class=\"panel\"><h2>%s</h2>", _(L, "By rule"));
                html_printf(
                    b,
                    "<div class=\"table-wrap\"><table class=\"grid\"><thead><tr><th "
                    "scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                    "</tr></thead><tbody>",
                    _(L, "Rule"), _(L, "Pass"), _(L, "Fail this rule only"));
                for (size_t i = 0; i < c.nrules; i++)
                        html_printf(b, "<tr><th scope=\"row\">%s</th><td>%s</td><td>%s</td></tr>",
                                    call_rule_text(req, &c.rules[i]),
                                    i18n_int(a, L, sv.tally.pass[i]),
                                    i18n_int(a, L, sv.tally.only_fail[i]));
                html_raw_trusted(b, "</tbody></table></div></section></div>");
        }

        html_printf(b,
                    "<form class=\"filters\" method=\"get\" action=\"/calls/%lld/screening\" "
                    "role=\"search\">",
                    c.id);
        form_error_summary(req, &e);
        struct select_option *ropts;
        size_t nr;
        form_region_options(req, 1, &ropts, &nr);
        form_select(req, "region", _(L, "Region"), ropts, nr, region, _(L, "All regions"), &e);
        struct select_option res[] = {{"eligible", _(L, "Eligible")},
                                      {"ineligible", _(L, "Not eligible")}};
        form_select(req, "result", _(L, "Result"), res, 2, req_query_str(req, "result"),
                    _(L, "All results"), &e);
        html_printf(b,
                    "<div class=\"filter-actions\"><button class=\"primary\">%s</button>"
                    "<a href=\"/calls/%lld/screening\">%s</a></div></form>",
                    _(L, "Apply filters"), c.id, _(L, "Clear filters"));
        if (e.n) {
                page_end(req);
                req->status = 400;
                return;
        }
        html_printf(b, "<div class=\"list-head\"><p class=\"count\" role=\"status\">%s</p></div>",
                    arena_printf(a, _(L, "%s cooperatives match"), i18n_int(a, L, sv.matched)));
        if (sv.nrows == 0) {
                html_printf(b, "<p class=\"empty\">%s</p>",
                            _(L, "No cooperative matches these filters."));
        } else {
                html_printf(b,
                            "<div class=\"table-wrap\"><table class=\"list\"><thead><tr>"
                            "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s"
                            "</th><th scope=\"col\">%s</th></tr></thead><tbody>",
                            _(L, "Cooperative"), _(L, "Province or prefecture"), _(L, "Result"),
                            _(L, "Reasons"));
                for (size_t i = 0; i < sv.nrows; i++) {
                        struct screen_row *r = &sv.rows[i];
                        const char *name = lang_data(L) == LANG_AR ? r->c.name_ar : r->c.name_fr;
                        html_printf(
                            b,
                            "<tr><th scope=\"row\" data-label=\"%s\"><a "
                            "href=\"/calls/%lld/eligibility?cooperative=%lld\"><bdi>%s</bdi>"
                            "</a><small class=\"ltr\"><bdi>%s</bdi></small></th>",
                            _(L, "Cooperative"), c.id, r->c.id, name, r->c.register_number);
                        html_printf(b, "<td data-label=\"%s\">%s</td><td data-label=\"%s\">",
                                    _(L, "Province or prefecture"),
                                    province_name(req, r->c.province_code), _(L, "Result"));
                        if (r->failed == 0)
                                html_status_badge(req, "eligible", _(L, "Eligible"));
                        else
                                html_status_badge(req, "ineligible", _(L, "Not eligible"));
                        html_printf(b, "</td><td data-label=\"%s\" class=\"reasons\">",
                                    _(L, "Reasons"));
                        if (r->failed == 0) {
                                html_printf(b, "%s", _(L, "Meets every rule."));
                        } else {
                                struct elig_result er;
                                call_explain(req, &c, c.rules, c.nrules, &r->c, r->accompanied,
                                             &er);
                                html_raw_trusted(b, "<ul>");
                                for (size_t k = 0; k < er.n; k++)
                                        if (!er.lines[k].pass)
                                                html_printf(b, "<li>%s</li>",
                                                            er.lines[k].explanation);
                                html_raw_trusted(b, "</ul>");
                        }
                        html_raw_trusted(b, "</td></tr>");
                }
                html_raw_trusted(b, "</tbody></table></div>");
                html_pagination(req, arena_printf(a, "/calls/%lld/screening", c.id), page,
                                SCREEN_PER_PAGE, sv.matched);
        }
        page_end(req);
}

/* The streamed CSV of a screening: its own connection, one cooperative per row. */
struct screen_export {
        struct db *db;
        sqlite3_stmt *st;
        struct arena *arena, *row;
        struct call c;
        struct date ref;
        const char *region;
        enum screen_filter filter;
        enum lang lang;
        struct row_stream rows;
};

static void
screen_export_done(void *ctx)
{
        struct screen_export *x = ctx;
        if (x->st)
                sqlite3_reset(x->st);
        db_close(x->db);
        arena_free(x->row);
        arena_free(x->arena);
        free(x);
}

static const char *
export_name(void *ctx, const char *kind, const char *code)
{
        struct screen_export *x = ctx;
        enum lang d = lang_data(x->lang);
        if (strcmp(kind, "region") == 0) {
                const struct geo_region *r = geo_region(web_geo, code);
                return r ? r->name[d] : NULL;
        }
        if (strcmp(kind, "province") == 0) {
                const struct geo_province *p = geo_province(web_geo, code);
                return p ? p->name[d] : NULL;
        }
        return NULL;
}

/* Appends the next matching cooperative's line to out (a row_stream's next); 1, 0 at the end,
 * -1. */
static int
screen_export_row(void *ctx, struct arena *row, struct buf *out)
{
        struct screen_export *x = ctx;
        for (;;) {
                struct coop c;
                int acc;
                int rc = call_store_screen_next(x->st, &c, &acc);
                if (rc <= 0)
                        return rc;
                struct elig_input in; /* the statement keeps only x->region, when set */
                eligibility_input_set(&in, &c, acc);
                in.name = export_name;
                in.name_ctx = x;
                uint64_t failed = eligibility_screen_one(x->c.rules, x->c.nrules, &in, x->ref);
                if ((x->filter == SCREEN_ELIGIBLE && failed) ||
                    (x->filter == SCREEN_INELIGIBLE && !failed))
                        continue;
                const char *codes = "", *reasons = "";
                if (failed) {
                        struct elig_result er;
                        eligibility_evaluate(x->c.rules, x->c.nrules, &in, x->ref, x->lang, row,
                                             &er);
                        for (size_t k = 0; k < er.n; k++) {
                                if (er.lines[k].pass)
                                        continue;
                                int first = codes[0] == '\0';
                                codes = arena_printf(row, "%s%s%s", codes, first ? "" : " ",
                                                     eligibility_kind_code(er.lines[k].kind));
                                reasons = arena_printf(row, "%s%s%s", reasons, first ? "" : " | ",
                                                       er.lines[k].explanation);
                        }
                }
                char id[24];
                snprintf(id, sizeof(id), "%lld", c.id);
                const char *v[] = {id,
                                   c.register_number,
                                   c.name_ar,
                                   c.name_fr,
                                   c.region_code,
                                   c.province_code,
                                   c.sector,
                                   c.legal_date,
                                   c.activity_start_date,
                                   failed ? "no" : "yes",
                                   codes,
                                   reasons};
                for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
                        csv_put_field(out, v[i], i == 0);
                buf_puts(out, "\r\n");
                return out->err ? -1 : 1;
        }
}

static long
screen_export_fill(void *ctx, char *out, size_t max)
{
        return row_stream_fill(&((struct screen_export *)ctx)->rows, out, max);
}

void
page_call_screening_csv(struct request *req)
{
        struct errs e;
        errs_init(&e, req->arena, req->lang);
        const char *region;
        enum screen_filter filter;
        long long page;
        if (screen_filters(req, &e, &region, &filter, &page) != 0) {
                reply_error(req, ERR_BAD_REQUEST, NULL, e.list, e.n);
                return;
        }
        struct screen_export *x = xcalloc(1, sizeof(*x));
        x->arena = arena_new();
        x->row = arena_new();
        x->lang = req->lang;
        x->filter = filter;
        x->region = arena_strdup(x->arena, region);
        x->db = http_open_db();
        int rc = x->db ? call_store_get(x->db, x->arena, req->id, &x->c) : STORE_ERROR;
        if (rc == STORE_OK && date_parse(x->c.reference_date, &x->ref) != 0)
                rc = STORE_ERROR;
        if (rc == STORE_OK) {
                x->st =
                    call_store_screen_open(x->db, &req->user->scope, x->c.program_id, x->region);
                if (x->st == NULL)
                        rc = STORE_ERROR;
        }
        if (rc != STORE_OK) {
                screen_export_done(x);
                reply_store_error(req, rc);
                return;
        }
        row_stream_init(&x->rows, x->row, screen_export_row, x);
        static const char *const head[] = {"id",       "register_number", "name_ar",
                                           "name_fr",  "region_code",     "province_code",
                                           "sector",   "legal_date",      "activity_start_date",
                                           "eligible", "failed_rules",    "reasons"};
        for (size_t i = 0; i < sizeof(head) / sizeof(head[0]); i++)
                csv_put_field(&x->rows.pending, head[i], i == 0);
        buf_puts(&x->rows.pending, "\r\n");
        struct stream s = {screen_export_fill, screen_export_done, x};
        reply_stream(req, "text/csv; charset=utf-8", &s);
        req->disposition =
            arena_printf(req->arena, "attachment; filename=\"screening-%s.csv\"", x->c.code);
}

/* ---- one cooperative's eligibility ---- */

/* The lookup form of the eligibility page: a register number. */
static void
eligibility_lookup(struct request *req, const struct call *c, const struct errs *e)
{
        enum lang L = req->lang;
        const char *title = _(L, "Eligibility of a cooperative");
        page_begin(req, title, "programs");
        struct buf *b = &req->out;
        call_crumbs(req, c, _(L, "Eligibility"));
        html_printf(b, "<h1>%s</h1>", title);
        html_printf(b,
                    "<form method=\"get\" action=\"/calls/%lld/eligibility\" class=\"record\" "
                    "novalidate>",
                    c->id);
        form_error_summary(req, e);
        struct form_field f = {.name = "register",
                               .label = _(L, "Register number"),
                               .value = req_query_str(req, "register"),
                               .required = 1,
                               .maxlen = 40,
                               .dir = "ltr",
                               .hint = _(L, "As on the ODCO register, for example 2019/12-03.")};
        form_input(req, &f, e);
        html_printf(
            b, "<div class=\"form-actions\"><button class=\"primary\">%s</button></div></form>",
            _(L, "Check eligibility"));
        page_end(req);
}

void
page_call_eligibility(struct request *req)
{
        enum lang L = req->lang;
        struct arena *a = req->arena;
        struct call c;
        if (call_load_or_reply(req, &c) != 0)
                return;
        struct errs e;
        errs_init(&e, a, L);
        long long coop_id = 0;
        const char *regno = req_query(req, "register");
        if (req_query(req, "cooperative")) {
                if (v_int(&e, "cooperative", req_query(req, "cooperative"), 1, 1, 1LL << 62, 0,
                          &coop_id) != 0) {
                        reply_error(req, ERR_BAD_REQUEST, NULL, e.list, e.n);
                        return;
                }
        } else if (regno) {
                const char *t = v_text(&e, "register", regno, 1, 40, 0);
                int rc = t ? person_store_coop_by_register(req->db, &req->user->scope, t, &coop_id)
                           : STORE_NOT_FOUND;
                if (t && rc == STORE_NOT_FOUND)
                        errs_add(&e, "register",
                                 "No cooperative you can see has this register number.");
                else if (t && rc != STORE_OK) {
                        reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
                        return;
                }
                if (e.n) {
                        eligibility_lookup(req, &c, &e);
                        req->status = 422;
                        return;
                }
        } else {
                eligibility_lookup(req, &c, NULL);
                return;
        }
        struct coop co;
        int rc = coop_store_get(req->db, &req->user->scope, coop_id, a, &co);
        if (rc != STORE_OK) {
                reply_store_error(req, rc);
                return;
        }
        int acc = call_store_accompanied(req->db, c.program_id, co.id);
        struct elig_result er;
        if (acc < 0 || call_explain(req, &c, c.rules, c.nrules, &co, acc, &er) != 0) {
                reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
                return;
        }
        const char *name = lang_data(L) == LANG_AR ? co.name_ar : co.name_fr;
        page_begin(req, name, "programs");
        struct buf *b = &req->out;
        call_crumbs(req, &c, _(L, "Eligibility"));
        html_printf(b,
                    "<div class=\"page-head\"><div><h1><bdi>%s</bdi></h1><p class=\"sub\"><a "
                    "href=\"/cooperatives/%lld\" class=\"ltr\"><bdi>%s</bdi></a></p></div></div>",
                    name, co.id, co.register_number);
        html_printf(b, "<section class=\"panel verdict %s\"><p class=\"big\">",
                    er.eligible ? "ok" : "ko");
        html_status_badge(req, er.eligible ? "eligible" : "ineligible",
                          er.eligible ? _(L, "Eligible") : _(L, "Not eligible"));
        html_printf(b, " %s</p><p class=\"sub\">%s</p></section>",
                    er.eligible ? _(L, "This cooperative meets every rule of the call.")
                                : _(L, "This cooperative does not meet every rule of the call."),
                    arena_printf(a, _(L, "Rules version %s, evaluated on %s."),
                                 i18n_int(a, L, c.rules_version),
                                 date_text(req, c.reference_date)));
        html_printf(b, "<section class=\"panel\"><h2>%s</h2><ul class=\"checks\">",
                    _(L, "Rule by rule"));
        for (size_t i = 0; i < er.n; i++) {
                html_printf(b,
                            "<li class=\"%s\"><span class=\"mark\">%s</span> <strong>%s</strong>"
                            "<br>%s</li>",
                            er.lines[i].pass ? "pass" : "fail",
                            er.lines[i].pass ? _(L, "Passed") : _(L, "Failed"),
                            call_rule_text(req, &c.rules[i]), er.lines[i].explanation);
        }
        html_raw_trusted(b, "</ul></section>");
        page_end(req);
}
