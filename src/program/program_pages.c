/* program_pages.c: the program pages: list, detail with targets against reached, create and
 * edit (partners, pillars and components as rows of the same form), tranches with their phases
 * and regional targets. */
#include <string.h>

#include "core/arena.h"
#include "core/i18n.h"
#include "registry/geo.h"
#include "registry/org_store.h"
#include "program/program_web.h"
#include "web/layout.h"
#include "web/pages.h"

/* Spare empty rows a form offers after the filled ones (more after saving). */
#define SPARE_ROWS 2

struct program_refs
program_refs_of(struct request *req)
{
        struct program_refs r = {program_store_org_exists, req->db, web_geo};
        return r;
}

const char *
program_conflict_message(struct request *req, int tranche, int api)
{
        if (api)
                return tranche ? _(req->lang, "Someone else changed this tranche since you read "
                                              "it. Read it again, then send your change with its "
                                              "new version.")
                               : _(req->lang, "Someone else changed this program since you read "
                                              "it. Read it again, then send your change with its "
                                              "new version.");
        return tranche ? _(req->lang, "Someone else changed this tranche while you were editing "
                                      "it. Open it again to see their changes, then make yours.")
                       : _(req->lang, "Someone else changed this program while you were editing "
                                      "it. Open it again to see their changes, then make yours.");
}

static const char *
num(struct request *req, long long v)
{
        return arena_printf(req->arena, "%lld", v);
}

/* The value a form field shows: what was posted when the form comes back with errors, else
 * the record's. */
static const char *
shown(struct request *req, int posted, const char *name, const char *record)
{
        if (!posted)
                return record ? record : "";
        const char *v = req_form(req, name);
        return v ? v : "";
}

static const char *
row(struct request *req, const char *list, size_t i, const char *field)
{
        return arena_printf(req->arena, "%s.%zu.%s", list, i, field);
}

static const char *
years_text(struct request *req, long long from, long long to)
{
        if (from == to)
                return num(req, from);
        return arena_printf(req->arena, "%lld–%lld", from, to);
}

static const char *
operator_text(struct request *req, const struct program *p)
{
        if (p->operator_id <= 0)
                return "";
        const char *name =
            lang_data(req->lang) == LANG_AR ? p->operator_name_ar : p->operator_name_fr;
        if (p->operator_acronym[0])
                return arena_printf(req->arena, "%s (%s)", name, p->operator_acronym);
        return name;
}

/* "60 of 1,000 (6%)" with a bar, or the count alone when there is no target. */
static void
html_progress(struct request *req, long long reached, long long target)
{
        enum lang L = req->lang;
        struct buf *b = &req->out;
        int pct = program_percent(reached, target);
        if (pct < 0) {
                html_printf(b, "<span class=\"progress\">%s</span>",
                            arena_printf(req->arena, _(L, "%s reached, no target"),
                                         i18n_int(req->arena, L, reached)));
                return;
        }
        html_printf(
            b,
            "<span class=\"progress\"><progress max=\"%lld\" value=\"%lld\">%d%%</progress> "
            "<span>%s</span></span>",
            target, reached < target ? reached : target, pct,
            arena_printf(req->arena, _(L, "%s of %s (%s%%)"), i18n_int(req->arena, L, reached),
                         i18n_int(req->arena, L, target), i18n_int(req->arena, L, pct)));
}

static int
get_program_or_reply(struct request *req, long long id, struct program *p)
{
        int rc = program_store_get(req->db, id, req->arena, p);
        if (rc != STORE_OK) {
                reply_store_error(req, rc);
                return -1;
        }
        return 0;
}

/* ---- list ---------------------------------------------------------------------------------- */

void
page_program_list(struct request *req)
{
        enum lang L = req->lang;
        struct program *items = NULL;
        size_t n = 0;
        if (program_store_list(req->db, req->arena, &items, &n) != STORE_OK) {
                reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
                return;
        }
        page_begin(req, _(L, "Programs"), "programs");
        struct buf *b = &req->out;
        html_printf(b, "<div class=\"page-head\"><h1>%s</h1><div class=\"actions\">",
                    _(L, "Programs"));
        if (user_can(req->user, PERM_PROGRAM_MANAGE))
                html_printf(b, "<a class=\"button primary\" href=\"/programs/new\">%s</a>",
                            _(L, "New program"));
        html_raw_trusted(b, "</div></div>");
        html_printf(
            b, "<div class=\"list-head\"><p class=\"count\" role=\"status\">%s</p></div>",
            arena_printf(req->arena, _(L, "%s programs"), i18n_int(req->arena, L, (long long)n)));
        if (n == 0) {
                html_printf(b, "<p class=\"empty\">%s</p>", _(L, "No program is recorded yet."));
                page_end(req);
                return;
        }
        html_printf(b,
                    "<div class=\"table-wrap\"><table class=\"list\"><thead><tr>"
                    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead><tbody>",
                    _(L, "Program"), _(L, "Code"), _(L, "Years"), _(L, "Operator"),
                    _(L, "Cooperatives: reached against target"));
        for (size_t i = 0; i < n; i++) {
                const struct program *p = &items[i];
                html_printf(b,
                            "<tr><th scope=\"row\" data-label=\"%s\"><a href=\"/programs/%lld\">"
                            "<bdi>%s</bdi></a></th><td data-label=\"%s\" class=\"ltr\"><bdi>%s"
                            "</bdi></td><td data-label=\"%s\">%s</td>"
                            "<td data-label=\"%s\"><bdi>%s</bdi></td><td data-label=\"%s\">",
                            _(L, "Program"), p->id, program_name(p, L), _(L, "Code"), p->code,
                            _(L, "Years"), years_text(req, p->start_year, p->end_year),
                            _(L, "Operator"), p->operator_id > 0 ? operator_text(req, p) : "—",
                            _(L, "Cooperatives: reached against target"));
                html_progress(req, p->reached, p->target_total);
                html_raw_trusted(b, "</td></tr>");
        }
        html_raw_trusted(b, "</tbody></table></div>");
        page_end(req);
}

/* ---- detail -------------------------------------------------------------------------------- */

/* A table of targets against reached: one row per year (years) or per region. */
static void
targets_table(struct request *req, const char *caption, const struct program_target_row *r,
              size_t n, int years)
{
        enum lang L = req->lang;
        struct buf *b = &req->out;
        const char *key = years ? _(L, "Year") : _(L, "Region");
        html_printf(b,
                    "<div class=\"table-wrap\"><table class=\"list\"><caption>%s</caption><thead>"
                    "<tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th><th "
                    "scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead><tbody>",
                    caption, key, _(L, "Target"), _(L, "Reached"), _(L, "Progress"));
        for (size_t i = 0; i < n; i++) {
                html_printf(b,
                            "<tr><th scope=\"row\" data-label=\"%s\">%s</th>"
                            "<td data-label=\"%s\" class=\"num\">%s</td>"
                            "<td data-label=\"%s\" class=\"num\">%s</td><td data-label=\"%s\">",
                            key, years ? num(req, r[i].year) : region_name(req, r[i].region_code),
                            _(L, "Target"), i18n_int(req->arena, L, r[i].target), _(L, "Reached"),
                            i18n_int(req->arena, L, r[i].reached), _(L, "Progress"));
                html_progress(req, r[i].reached, r[i].target);
                html_raw_trusted(b, "</td></tr>");
        }
        html_raw_trusted(b, "</tbody></table></div>");
}

static void
partners_section(struct request *req, const struct program *p)
{
        enum lang L = req->lang;
        struct buf *b = &req->out;
        html_printf(b, "<section class=\"panel\" id=\"partners\"><h2>%s</h2>", _(L, "Partners"));
        if (p->n_partners == 0) {
                html_printf(b, "<p class=\"empty\">%s</p>", _(L, "No partner is recorded."));
        } else {
                html_printf(b,
                            "<div class=\"table-wrap\"><table class=\"list\"><thead><tr>"
                            "<th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead>"
                            "<tbody>",
                            _(L, "Organisation"), _(L, "Role"));
                for (size_t i = 0; i < p->n_partners; i++) {
                        const struct program_partner *pp = &p->partners[i];
                        const char *name = lang_data(L) == LANG_AR ? pp->name_ar : pp->name_fr;
                        html_printf(b,
                                    "<tr><th scope=\"row\" data-label=\"%s\"><a "
                                    "href=\"/organisations/%lld\"><bdi>%s</bdi></a>",
                                    _(L, "Organisation"), pp->organisation_id, name);
                        if (pp->acronym[0])
                                html_printf(b, "<small><bdi>%s</bdi></small>", pp->acronym);
                        html_printf(b, "</th><td data-label=\"%s\">%s</td></tr>", _(L, "Role"),
                                    _(L, code_label(program_partner_roles, pp->role)));
                }
                html_raw_trusted(b, "</tbody></table></div>");
        }
        html_raw_trusted(b, "</section>");
}

static void
pillars_components_section(struct request *req, const struct program *p)
{
        enum lang L = req->lang;
        struct buf *b = &req->out;
        html_printf(b, "<section class=\"panel\" id=\"pillars\"><h2>%s</h2>", _(L, "Pillars"));
        if (p->n_pillars == 0) {
                html_printf(b, "<p class=\"empty\">%s</p>", _(L, "No pillar is recorded."));
        } else {
                html_raw_trusted(b, "<ol>");
                for (size_t i = 0; i < p->n_pillars; i++)
                        html_printf(b, "<li><bdi>%s</bdi></li>",
                                    program_pillar_name(&p->pillars[i], L));
                html_raw_trusted(b, "</ol>");
        }
        html_printf(b, "</section><section class=\"panel\" id=\"components\"><h2>%s</h2>",
                    _(L, "Components"));
        if (p->n_components == 0) {
                html_printf(b, "<p class=\"empty\">%s</p>", _(L, "No component is recorded."));
        } else {
                html_printf(b,
                            "<div class=\"table-wrap\"><table class=\"list\"><thead><tr>"
                            "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                            "<th scope=\"col\">%s</th></tr></thead><tbody>",
                            _(L, "Component"), _(L, "Sessions"), _(L, "Duration in months"));
                for (size_t i = 0; i < p->n_components; i++) {
                        const struct program_component *c = &p->components[i];
                        html_printf(
                            b,
                            "<tr><th scope=\"row\" data-label=\"%s\">%s</th>"
                            "<td data-label=\"%s\" class=\"num\">%s</td>"
                            "<td data-label=\"%s\" class=\"num\">%s</td></tr>",
                            _(L, "Component"), _(L, code_label(program_component_kinds, c->kind)),
                            _(L, "Sessions"), c->sessions ? num(req, c->sessions) : "—",
                            _(L, "Duration in months"), c->months ? num(req, c->months) : "—");
                }
                html_raw_trusted(b, "</tbody></table></div>");
        }
        html_raw_trusted(b, "</section>");
}

static void
tranche_block(struct request *req, const struct tranche *t, int can_write)
{
        enum lang L = req->lang;
        struct buf *b = &req->out;
        html_printf(
            b, "<section class=\"panel\" id=\"tranche-%lld\"><div class=\"page-head\"><h3>%s</h3>",
            t->number,
            arena_printf(req->arena, _(L, "Tranche %lld, %s"), t->number,
                         years_text(req, t->start_year, t->end_year)));
        html_printf(
            b, "<div class=\"actions\"><a class=\"button\" href=\"/calls?tranche=%lld\">%s</a>",
            t->id, _(L, "Calls for applications"));
        if (can_write)
                html_printf(b,
                            "<a class=\"button\" href=\"/calls/new?tranche=%lld\">%s</a>"
                            "<a class=\"button\" href=\"/tranches/%lld/edit\">%s</a>",
                            t->id, _(L, "New call"), t->id,
                            arena_printf(req->arena, _(L, "Edit tranche %lld"), t->number));
        html_raw_trusted(b, "</div>");
        html_printf(b, "</div><p>%s ", _(L, "Cooperatives reached:"));
        html_progress(req, t->reached, t->target_total);
        html_raw_trusted(b, "</p>");
        if (t->n_phases) {
                html_printf(
                    b,
                    "<div class=\"table-wrap\"><table class=\"list\"><caption>%s</caption>"
                    "<thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead><tbody>",
                    _(L, "Phases"), _(L, "Phase"), _(L, "Year"), _(L, "Target"), _(L, "Reached"));
                for (size_t i = 0; i < t->n_phases; i++) {
                        const struct phase *ph = &t->phases[i];
                        html_printf(b,
                                    "<tr><th scope=\"row\" data-label=\"%s\">%s</th>"
                                    "<td data-label=\"%s\">%lld</td><td data-label=\"%s\" "
                                    "class=\"num\">%s</td><td data-label=\"%s\">",
                                    _(L, "Phase"),
                                    arena_printf(req->arena, _(L, "Phase %lld"), ph->number),
                                    _(L, "Year"), ph->year, _(L, "Target"),
                                    i18n_int(req->arena, L, ph->target_total), _(L, "Reached"));
                        html_progress(req, ph->reached, ph->target_total);
                        html_raw_trusted(b, "</td></tr>");
                }
                html_raw_trusted(b, "</tbody></table></div>");
        }
        if (t->n_regions) {
                struct program_target_row *r = arena_alloc(req->arena, t->n_regions * sizeof(*r));
                for (size_t i = 0; i < t->n_regions; i++) {
                        r[i].region_code = t->regions[i].region_code;
                        r[i].target = t->regions[i].target;
                        r[i].reached = t->regions[i].reached;
                }
                targets_table(req, _(L, "By region"), r, t->n_regions, 0);
        }
        html_raw_trusted(b, "</section>");
}

void
page_program_show(struct request *req)
{
        enum lang L = req->lang;
        struct program p;
        if (get_program_or_reply(req, req->id, &p) != 0)
                return;
        int can_write = user_can(req->user, PERM_PROGRAM_MANAGE);
        page_begin(req, program_name(&p, L), "programs");
        struct buf *b = &req->out;
        html_printf(b, "<nav class=\"crumbs\"><a href=\"/programs\">%s</a></nav>",
                    _(L, "Programs"));
        html_printf(b,
                    "<div class=\"page-head\"><div><h1><bdi>%s</bdi></h1><p class=\"sub\">"
                    "<bdi>%s</bdi></p></div><div class=\"actions\">",
                    program_name(&p, L), lang_data(L) == LANG_AR ? p.name_fr : p.name_ar);
        if (can_write)
                html_printf(b,
                            "<a class=\"button\" href=\"/programs/%lld/edit\">%s</a>"
                            "<a class=\"button\" href=\"/programs/%lld/tranches/new\">%s</a>",
                            p.id, _(L, "Edit"), p.id, _(L, "Add a tranche"));
        html_raw_trusted(b, "</div></div>");

        html_printf(b, "<section class=\"panel\"><h2>%s</h2><dl class=\"facts\">", _(L, "Program"));
        html_fact(req, _(L, "Code"), p.code, "ltr");
        html_fact(req, _(L, "Years"), years_text(req, p.start_year, p.end_year), NULL);
        if (p.operator_id > 0)
                html_printf(b,
                            "<div class=\"fact\"><dt>%s</dt><dd><a href=\"/organisations/%lld\">"
                            "<bdi>%s</bdi></a></dd></div>",
                            _(L, "Operator"), p.operator_id, operator_text(req, &p));
        else
                html_fact(req, _(L, "Operator"), "", NULL);
        html_fact(req, _(L, "Target in total"),
                  p.target_total ? i18n_int(req->arena, L, p.target_total) : "", NULL);
        html_fact(req, _(L, "Target per year"),
                  p.target_per_year ? i18n_int(req->arena, L, p.target_per_year) : "", NULL);
        html_fact(req, _(L, "Name in Arabic"), p.name_ar, NULL);
        html_fact(req, _(L, "Name in French"), p.name_fr, NULL);
        html_fact(req, _(L, "Name in English"), p.name_en, NULL);
        html_raw_trusted(b, "</dl>");
        if (p.description[0])
                html_printf(b, "<h3>%s</h3><p class=\"notes\" dir=\"auto\">%s</p>",
                            _(L, "Description"), p.description);
        html_raw_trusted(b, "</section>");

        html_printf(b, "<section class=\"panel\" id=\"targets\"><h2>%s</h2><p>%s ",
                    _(L, "Targets and what is reached"), _(L, "Cooperatives reached in total:"));
        html_progress(req, p.reached, p.target_total);
        html_raw_trusted(b, "</p>");
        struct program_target_row *rows;
        size_t n = program_year_rows(&p, req->arena, &rows);
        if (n)
                targets_table(req, _(L, "By year"), rows, n, 1);
        n = program_region_rows(&p, req->arena, &rows);
        if (n)
                targets_table(req, _(L, "By region, every tranche"), rows, n, 0);
        html_raw_trusted(b, "</section>");

        partners_section(req, &p);
        pillars_components_section(req, &p);

        html_printf(b, "<section id=\"tranches\"><h2>%s</h2>", _(L, "Tranches and phases"));
        if (p.n_tranches == 0)
                html_printf(b, "<p class=\"empty\">%s</p>", _(L, "No tranche is recorded."));
        for (size_t i = 0; i < p.n_tranches; i++)
                tranche_block(req, &p.tranches[i], can_write);
        html_raw_trusted(b, "</section>");
        page_end(req);
}

/* ---- the program form ---------------------------------------------------------------------- */

/* The organisations as select options ("Name (ACRONYM)"), in the request's data language. */
static void
org_options(struct request *req, struct select_option **opts, size_t *n)
{
        struct org_filter f = {.q = "", .kind = "", .limit = 1000, .offset = 0};
        f.by_name_ar = lang_data(req->lang) == LANG_AR;
        struct org *items = NULL;
        size_t count = 0;
        long long total = 0;
        if (org_store_list(req->db, &f, req->arena, &items, &count, &total) != STORE_OK)
                count = 0;
        *opts = arena_alloc(req->arena, (count ? count : 1) * sizeof(**opts));
        for (size_t i = 0; i < count; i++) {
                const struct org *o = &items[i];
                const char *name = f.by_name_ar ? o->name_ar : o->name_fr;
                (*opts)[i].value = num(req, o->id);
                (*opts)[i].label =
                    o->acronym[0] ? arena_printf(req->arena, "%s (%s)", name, o->acronym) : name;
        }
        *n = count;
}

/* An error of a whole list (a fieldset), shown at its top. */
static void
list_error(struct request *req, const struct errs *e, const char *list, const char *label)
{
        form_remember_label(req, list, label);
        const char *err = e ? errs_for(e, list) : NULL;
        if (err)
                html_printf(&req->out, "<p class=\"error\" id=\"e-%s\">%s</p>", list, err);
}

/* The number of rows a list shows: the posted count when the form comes back, else the
 * record's rows and a few spare ones, within max. */
static size_t
rows_shown(struct request *req, int posted, const char *list, size_t n, size_t max)
{
        size_t rows = n + SPARE_ROWS;
        if (posted) {
                const char *v = req_form(req, arena_printf(req->arena, "%s.count", list));
                long long c = 0;
                struct errs tmp;
                errs_init(&tmp, req->arena, req->lang);
                if (v && v_int(&tmp, list, v, 1, 0, (long long)max, 0, &c) == 0)
                        rows = (size_t)c;
        }
        return rows > max ? max : rows;
}

static void
partner_rows(struct request *req, const struct program *p, const struct errs *e, int posted)
{
        enum lang L = req->lang;
        struct buf *b = &req->out;
        html_printf(b, "<fieldset id=\"f-partners\"><legend>%s</legend><p class=\"hint\">%s</p>",
                    _(L, "Partners"),
                    _(L, "Each organisation with its role. Leave a row empty to remove it; save to "
                         "get more empty rows."));
        list_error(req, e, "partners", _(L, "Partners"));
        struct select_option *orgs, *roles;
        size_t norgs, nroles;
        org_options(req, &orgs, &norgs);
        form_code_options(req, program_partner_roles, &roles, &nroles);
        size_t rows = rows_shown(req, posted, "partners", p->n_partners, PROGRAM_MAX_PARTNERS);
        html_printf(b, "<input type=\"hidden\" name=\"partners.count\" value=\"%zu\">", rows);
        for (size_t i = 0; i < rows; i++) {
                const struct program_partner *pp = i < p->n_partners ? &p->partners[i] : NULL;
                const char *fo = row(req, "partners", i, "organisation_id");
                const char *fr = row(req, "partners", i, "role");
                form_select(req, fo, arena_printf(req->arena, _(L, "Partner %zu"), i + 1), orgs,
                            norgs, shown(req, posted, fo, pp ? num(req, pp->organisation_id) : ""),
                            _(L, "No organisation"), e);
                form_select(req, fr, arena_printf(req->arena, _(L, "Role of partner %zu"), i + 1),
                            roles, nroles, shown(req, posted, fr, pp ? pp->role : ""),
                            _(L, "Choose a role"), e);
        }
        html_raw_trusted(b, "</fieldset>");
}

static void
pillar_rows(struct request *req, const struct program *p, const struct errs *e, int posted)
{
        enum lang L = req->lang;
        struct buf *b = &req->out;
        html_printf(b, "<fieldset id=\"f-pillars\"><legend>%s</legend><p class=\"hint\">%s</p>",
                    _(L, "Pillars"),
                    _(L, "For example governance, innovation, marketing, in the program's order. "
                         "Leave a row empty to remove it."));
        list_error(req, e, "pillars", _(L, "Pillars"));
        size_t rows = rows_shown(req, posted, "pillars", p->n_pillars, PROGRAM_MAX_PILLARS);
        html_printf(b, "<input type=\"hidden\" name=\"pillars.count\" value=\"%zu\">", rows);
        for (size_t i = 0; i < rows; i++) {
                const struct program_pillar *pl = i < p->n_pillars ? &p->pillars[i] : NULL;
                struct form_field f[] = {
                    {.name = row(req, "pillars", i, "code"),
                     .label = arena_printf(req->arena, _(L, "Pillar %zu: code"), i + 1),
                     .value = pl ? pl->code : "",
                     .maxlen = 32,
                     .quiet = 1,
                     .dir = "ltr"},
                    {.name = row(req, "pillars", i, "name_ar"),
                     .label = arena_printf(req->arena, _(L, "Pillar %zu: name in Arabic"), i + 1),
                     .value = pl ? pl->name_ar : "",
                     .maxlen = 200,
                     .quiet = 1,
                     .dir = "rtl",
                     .extra = "lang=\"ar\""},
                    {.name = row(req, "pillars", i, "name_fr"),
                     .label = arena_printf(req->arena, _(L, "Pillar %zu: name in French"), i + 1),
                     .value = pl ? pl->name_fr : "",
                     .maxlen = 200,
                     .quiet = 1,
                     .dir = "ltr",
                     .extra = "lang=\"fr\""},
                    {.name = row(req, "pillars", i, "name_en"),
                     .label = arena_printf(req->arena, _(L, "Pillar %zu: name in English"), i + 1),
                     .value = pl ? pl->name_en : "",
                     .maxlen = 200,
                     .dir = "ltr",
                     .extra = "lang=\"en\""},
                };
                for (size_t k = 0; k < 4; k++) {
                        f[k].value = shown(req, posted, f[k].name, f[k].value);
                        form_input(req, &f[k], e);
                }
        }
        html_raw_trusted(b, "</fieldset>");
}

static void
component_rows(struct request *req, const struct program *p, const struct errs *e, int posted)
{
        enum lang L = req->lang;
        struct buf *b = &req->out;
        html_printf(b, "<fieldset id=\"f-components\"><legend>%s</legend>", _(L, "Components"));
        list_error(req, e, "components", _(L, "Components"));
        html_printf(b, "<input type=\"hidden\" name=\"components.count\" value=\"%d\">",
                    PROGRAM_MAX_COMPONENTS);
        for (size_t i = 0; i < PROGRAM_MAX_COMPONENTS; i++) {
                const char *kind = program_component_kinds[i].code;
                const char *label = _(L, program_component_kinds[i].label);
                const struct program_component *c = NULL;
                for (size_t k = 0; k < p->n_components; k++)
                        if (strcmp(p->components[k].kind, kind) == 0)
                                c = &p->components[k];
                const char *fi = row(req, "components", i, "included");
                int included = c != NULL;
                if (posted) {
                        const char *v = req_form(req, fi);
                        included = v && strcmp(v, "1") == 0;
                }
                html_printf(b,
                            "<fieldset><legend>%s</legend><input type=\"hidden\" name=\"%s\" "
                            "value=\"%s\">",
                            label, row(req, "components", i, "kind"), kind);
                form_checkbox(req, fi, _(L, "Part of this program"), included, e);
                struct form_field f[] = {
                    {.name = row(req, "components", i, "sessions"),
                     .label = arena_printf(req->arena, _(L, "%s: number of sessions"), label),
                     .value = c && c->sessions ? num(req, c->sessions) : "",
                     .type = "number",
                     .maxlen = 4,
                     .dir = "ltr"},
                    {.name = row(req, "components", i, "months"),
                     .label = arena_printf(req->arena, _(L, "%s: duration in months"), label),
                     .value = c && c->months ? num(req, c->months) : "",
                     .type = "number",
                     .maxlen = 3,
                     .dir = "ltr"},
                };
                for (size_t k = 0; k < 2; k++) {
                        f[k].value = shown(req, posted, f[k].name, f[k].value);
                        form_input(req, &f[k], e);
                }
                html_raw_trusted(b, "</fieldset>");
        }
        html_raw_trusted(b, "</fieldset>");
}

/* The create/edit form of p; e holds the errors of a posted form (NULL on first display). */
static void
program_form(struct request *req, const struct program *p, const struct errs *e)
{
        enum lang L = req->lang;
        int editing = p->id > 0;
        int posted = e != NULL;
        const char *title = editing ? _(L, "Edit program") : _(L, "New program");
        page_begin(req, title, "programs");
        struct buf *b = &req->out;
        html_printf(b, "<nav class=\"crumbs\"><a href=\"/programs\">%s</a></nav><h1>%s</h1>",
                    _(L, "Programs"), title);
        form_error_summary(req, e);
        if (editing)
                html_printf(b,
                            "<form method=\"post\" action=\"/programs/%lld\" class=\"record\" "
                            "novalidate>",
                            p->id);
        else
                html_raw_trusted(
                    b, "<form method=\"post\" action=\"/programs\" class=\"record\" novalidate>");
        page_csrf(req);
        if (editing)
                html_printf(b, "<input type=\"hidden\" name=\"version\" value=\"%s\">",
                            posted ? shown(req, 1, "version", "") : num(req, p->version));
        html_printf(b, "<fieldset><legend>%s</legend>", _(L, "Program"));
        struct form_field idf[] = {
            {.name = "code",
             .label = _(L, "Code"),
             .value = p->code,
             .hint = _(L, "Letters, digits and hyphens, for example MOURAFAKA."),
             .required = 1,
             .maxlen = 32,
             .dir = "ltr"},
            {.name = "name_ar",
             .label = _(L, "Name in Arabic"),
             .value = p->name_ar,
             .required = 1,
             .maxlen = 200,
             .dir = "rtl",
             .extra = "lang=\"ar\""},
            {.name = "name_fr",
             .label = _(L, "Name in French"),
             .value = p->name_fr,
             .required = 1,
             .maxlen = 200,
             .dir = "ltr",
             .extra = "lang=\"fr\""},
            {.name = "name_en",
             .label = _(L, "Name in English"),
             .value = p->name_en,
             .maxlen = 200,
             .dir = "ltr",
             .extra = "lang=\"en\""},
        };
        for (size_t i = 0; i < 4; i++) {
                idf[i].value = shown(req, posted, idf[i].name, idf[i].value);
                form_input(req, &idf[i], e);
        }
        struct select_option *orgs;
        size_t norgs;
        org_options(req, &orgs, &norgs);
        form_select(
            req, "operator_id", _(L, "Operator"), orgs, norgs,
            shown(req, posted, "operator_id", p->operator_id > 0 ? num(req, p->operator_id) : ""),
            _(L, "No operator yet"), e);
        struct form_field desc = {.name = "description",
                                  .label = _(L, "Description"),
                                  .value = shown(req, posted, "description", p->description),
                                  .type = "textarea",
                                  .maxlen = 4000,
                                  .dir = "auto"};
        form_input(req, &desc, e);
        html_printf(b, "</fieldset><fieldset><legend>%s</legend>", _(L, "Years and targets"));
        struct form_field yf[] = {
            {.name = "start_year",
             .label = _(L, "First year"),
             .value = p->start_year ? num(req, p->start_year) : "",
             .type = "number",
             .required = 1,
             .maxlen = 4,
             .dir = "ltr"},
            {.name = "end_year",
             .label = _(L, "Last year"),
             .value = p->end_year ? num(req, p->end_year) : "",
             .type = "number",
             .required = 1,
             .maxlen = 4,
             .dir = "ltr"},
            {.name = "target_total",
             .label = _(L, "Target in total (cooperatives)"),
             .value = p->target_total ? num(req, p->target_total) : "",
             .type = "number",
             .maxlen = 8,
             .dir = "ltr"},
            {.name = "target_per_year",
             .label = _(L, "Target per year (cooperatives)"),
             .value = p->target_per_year ? num(req, p->target_per_year) : "",
             .type = "number",
             .maxlen = 8,
             .dir = "ltr"},
        };
        for (size_t i = 0; i < 4; i++) {
                yf[i].value = shown(req, posted, yf[i].name, yf[i].value);
                form_input(req, &yf[i], e);
        }
        html_raw_trusted(b, "</fieldset>");
        partner_rows(req, p, e, posted);
        pillar_rows(req, p, e, posted);
        component_rows(req, p, e, posted);
        html_printf(b,
                    "<div class=\"form-actions\"><button class=\"primary\">%s</button>"
                    "<a href=\"%s\">%s</a></div></form>",
                    _(L, "Save program"),
                    editing ? arena_printf(req->arena, "/programs/%lld", p->id) : "/programs",
                    _(L, "Cancel"));
        page_end(req);
}

void
page_program_new(struct request *req)
{
        struct program p = {0};
        p.code = p.name_ar = p.name_fr = p.name_en = p.description = "";
        program_form(req, &p, NULL);
}

static const char *
form_get(void *ctx, const char *name)
{
        return req_form(ctx, name);
}

static void
program_save(struct request *req, struct program *p)
{
        struct errs e;
        errs_init(&e, req->arena, req->lang);
        long long expected = 0;
        if (p->id > 0 &&
            v_int(&e, "version", req_form(req, "version"), 1, 1, 1LL << 62, 0, &expected) != 0) {
                reply_error(req, ERR_BAD_REQUEST, NULL, e.list, e.n);
                return;
        }
        struct program_refs refs = program_refs_of(req);
        if (program_apply(p, &e, form_get, req, &refs) != 0) {
                program_form(req, p, &e);
                req->status = 422;
                return;
        }
        int rc = p->id > 0 ? program_store_update(req->db, p, expected, req->arena)
                           : program_store_insert(req->db, p, req->arena);
        switch (rc) {
        case STORE_OK:
                reply_redirect(req, arena_printf(req->arena, "/programs/%lld", p->id));
                return;
        case STORE_DUPLICATE:
                errs_add(&e, "code", "Another program has this code.");
                program_form(req, p, &e);
                req->status = 409;
                return;
        case STORE_CONFLICT:
                reply_error(req, ERR_CONFLICT, program_conflict_message(req, 0, 0), NULL, 0);
                return;
        case STORE_NOT_FOUND:
                reply_error(req, ERR_NOT_FOUND, NULL, NULL, 0);
                return;
        default:
                reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
        }
}

void
page_program_create(struct request *req)
{
        struct program p = {0};
        p.code = p.name_ar = p.name_fr = p.name_en = p.description = "";
        program_save(req, &p);
}

void
page_program_edit(struct request *req)
{
        struct program p;
        if (get_program_or_reply(req, req->id, &p) != 0)
                return;
        program_form(req, &p, NULL);
}

void
page_program_update(struct request *req)
{
        struct program p;
        if (get_program_or_reply(req, req->id, &p) != 0)
                return;
        program_save(req, &p);
}

/* ---- tranches ------------------------------------------------------------------------------ */

static void
tranche_form(struct request *req, const struct program *p, const struct tranche *t,
             const struct errs *e)
{
        enum lang L = req->lang;
        int editing = t->id > 0;
        int posted = e != NULL;
        const char *title = editing ? arena_printf(req->arena, _(L, "Edit tranche %lld"), t->number)
                                    : _(L, "New tranche");
        page_begin(req, title, "programs");
        struct buf *b = &req->out;
        html_printf(b,
                    "<nav class=\"crumbs\"><a href=\"/programs\">%s</a> › <a "
                    "href=\"/programs/%lld\"><bdi>%s</bdi></a></nav><h1>%s</h1>",
                    _(L, "Programs"), p->id, program_name(p, L), title);
        html_printf(b, "<p class=\"sub\">%s</p>",
                    arena_printf(req->arena, _(L, "The program runs from %lld to %lld."),
                                 p->start_year, p->end_year));
        form_error_summary(req, e);
        if (editing)
                html_printf(b,
                            "<form method=\"post\" action=\"/tranches/%lld\" class=\"record\" "
                            "novalidate>",
                            t->id);
        else
                html_printf(b,
                            "<form method=\"post\" action=\"/programs/%lld/tranches\" "
                            "class=\"record\" novalidate>",
                            p->id);
        page_csrf(req);
        if (editing)
                html_printf(b, "<input type=\"hidden\" name=\"version\" value=\"%s\">",
                            posted ? shown(req, 1, "version", "") : num(req, t->version));
        html_printf(b, "<fieldset><legend>%s</legend>", _(L, "Tranche"));
        struct form_field f[] = {
            {.name = "number",
             .label = _(L, "Number"),
             .value = t->number ? num(req, t->number) : "",
             .type = "number",
             .required = 1,
             .maxlen = 2,
             .dir = "ltr"},
            {.name = "start_year",
             .label = _(L, "First year"),
             .value = t->start_year ? num(req, t->start_year) : "",
             .type = "number",
             .required = 1,
             .maxlen = 4,
             .dir = "ltr"},
            {.name = "end_year",
             .label = _(L, "Last year"),
             .value = t->end_year ? num(req, t->end_year) : "",
             .type = "number",
             .required = 1,
             .maxlen = 4,
             .dir = "ltr"},
            {.name = "target_total",
             .label = _(L, "Target in total (cooperatives)"),
             .value = t->target_total ? num(req, t->target_total) : "",
             .type = "number",
             .maxlen = 8,
             .dir = "ltr"},
        };
        for (size_t i = 0; i < 4; i++) {
                f[i].value = shown(req, posted, f[i].name, f[i].value);
                form_input(req, &f[i], e);
        }
        html_printf(
            b, "</fieldset><fieldset id=\"f-phases\"><legend>%s</legend><p class=\"hint\">%s</p>",
            _(L, "Phases"),
            _(L, "A phase is set in one year, with its target. Leave a row empty to remove "
                 "it."));
        list_error(req, e, "phases", _(L, "Phases"));
        size_t rows = rows_shown(req, posted, "phases", t->n_phases, TRANCHE_MAX_PHASES);
        html_printf(b, "<input type=\"hidden\" name=\"phases.count\" value=\"%zu\">", rows);
        for (size_t i = 0; i < rows; i++) {
                const struct phase *ph = i < t->n_phases ? &t->phases[i] : NULL;
                struct form_field pf[] = {
                    {.name = row(req, "phases", i, "number"),
                     .label = arena_printf(req->arena, _(L, "Row %zu: phase number"), i + 1),
                     .value = ph ? num(req, ph->number) : "",
                     .type = "number",
                     .quiet = 1,
                     .maxlen = 2,
                     .dir = "ltr"},
                    {.name = row(req, "phases", i, "year"),
                     .label = arena_printf(req->arena, _(L, "Row %zu: year"), i + 1),
                     .value = ph ? num(req, ph->year) : "",
                     .type = "number",
                     .quiet = 1,
                     .maxlen = 4,
                     .dir = "ltr"},
                    {.name = row(req, "phases", i, "target_total"),
                     .label = arena_printf(req->arena, _(L, "Row %zu: target"), i + 1),
                     .value = ph ? num(req, ph->target_total) : "",
                     .type = "number",
                     .quiet = 1,
                     .maxlen = 8,
                     .dir = "ltr"},
                };
                for (size_t k = 0; k < 3; k++) {
                        pf[k].value = shown(req, posted, pf[k].name, pf[k].value);
                        form_input(req, &pf[k], e);
                }
        }
        html_printf(b,
                    "</fieldset><fieldset id=\"f-region_targets\"><legend>%s</legend><p "
                    "class=\"hint\">%s</p>",
                    _(L, "Targets by region"),
                    _(L, "Cooperatives to accompany in each region; leave empty for none. They may "
                         "not add up to more than the tranche's target."));
        list_error(req, e, "region_targets", _(L, "Targets by region"));
        size_t nreg =
            web_geo->n_regions < TRANCHE_MAX_REGIONS ? web_geo->n_regions : TRANCHE_MAX_REGIONS;
        html_printf(b, "<input type=\"hidden\" name=\"region_targets.count\" value=\"%zu\">", nreg);
        for (size_t i = 0; i < nreg; i++) {
                const struct geo_region *r = &web_geo->regions[i];
                const char *value = "";
                for (size_t k = 0; k < t->n_regions; k++)
                        if (t->regions[k].planned &&
                            strcmp(t->regions[k].region_code, r->code) == 0)
                                value = num(req, t->regions[k].target);
                html_printf(b, "<input type=\"hidden\" name=\"%s\" value=\"%s\">",
                            row(req, "region_targets", i, "region_code"), r->code);
                struct form_field rf = {.name = row(req, "region_targets", i, "target"),
                                        .label = r->name[lang_data(L)],
                                        .value = value,
                                        .type = "number",
                                        .quiet = 1,
                                        .maxlen = 8,
                                        .dir = "ltr"};
                rf.value = shown(req, posted, rf.name, rf.value);
                form_input(req, &rf, e);
        }
        html_printf(b,
                    "</fieldset><div class=\"form-actions\"><button class=\"primary\">%s</button>"
                    "<a href=\"/programs/%lld#tranches\">%s</a></div></form>",
                    _(L, "Save tranche"), p->id, _(L, "Cancel"));
        page_end(req);
}

void
page_tranche_new(struct request *req)
{
        struct program p;
        if (get_program_or_reply(req, req->id, &p) != 0)
                return;
        struct tranche t = {0};
        t.program_id = p.id;
        for (size_t i = 0; i < p.n_tranches; i++)
                if (p.tranches[i].number >= t.number)
                        t.number = p.tranches[i].number + 1;
        if (t.number == 0)
                t.number = 1;
        tranche_form(req, &p, &t, NULL);
}

static void
tranche_save(struct request *req, const struct program *p, struct tranche *t)
{
        struct errs e;
        errs_init(&e, req->arena, req->lang);
        long long expected = 0;
        if (t->id > 0 &&
            v_int(&e, "version", req_form(req, "version"), 1, 1, 1LL << 62, 0, &expected) != 0) {
                reply_error(req, ERR_BAD_REQUEST, NULL, e.list, e.n);
                return;
        }
        if (tranche_apply(t, p, &e, form_get, req, web_geo) != 0) {
                tranche_form(req, p, t, &e);
                req->status = 422;
                return;
        }
        int rc = t->id > 0 ? tranche_store_update(req->db, t, expected, req->arena)
                           : tranche_store_insert(req->db, t, req->arena);
        switch (rc) {
        case STORE_OK:
                reply_redirect(
                    req, arena_printf(req->arena, "/programs/%lld#tranche-%lld", p->id, t->number));
                return;
        case STORE_DUPLICATE:
                errs_add(&e, "number", "This program already has a tranche with this number.");
                tranche_form(req, p, t, &e);
                req->status = 409;
                return;
        case STORE_CONFLICT:
                reply_error(req, ERR_CONFLICT, program_conflict_message(req, 1, 0), NULL, 0);
                return;
        case STORE_NOT_FOUND:
                reply_error(req, ERR_NOT_FOUND, NULL, NULL, 0);
                return;
        default:
                reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
        }
}

void
page_tranche_create(struct request *req)
{
        struct program p;
        if (get_program_or_reply(req, req->id, &p) != 0)
                return;
        struct tranche t = {0};
        t.program_id = p.id;
        tranche_save(req, &p, &t);
}

/* Reads the tranche of the route and its program; -1 after answering. */
static int
tranche_and_program(struct request *req, struct tranche *t, struct program *p)
{
        int rc = tranche_store_get(req->db, req->id, req->arena, t);
        if (rc != STORE_OK) {
                reply_store_error(req, rc);
                return -1;
        }
        return get_program_or_reply(req, t->program_id, p);
}

void
page_tranche_edit(struct request *req)
{
        struct tranche t;
        struct program p;
        if (tranche_and_program(req, &t, &p) != 0)
                return;
        tranche_form(req, &p, &t, NULL);
}

void
page_tranche_update(struct request *req)
{
        struct tranche t;
        struct program p;
        if (tranche_and_program(req, &t, &p) != 0)
                return;
        tranche_save(req, &p, &t);
}
