/* org_pages.c: the organisation pages: list with filters, detail, create, edit. */
#include <string.h>

#include "core/arena.h"
#include "core/i18n.h"
#include "core/text.h"
#include "registry/geo.h"
#include "registry/org_web.h"
#include "web/layout.h"
#include "web/pages.h"

#define PER_PAGE_DEFAULT 50
#define PER_PAGE_MAX     200

void
org_filter_from_query(struct request *req, struct org_filter *f, struct errs *e, long long *page,
                      long long *per_page)
{
        memset(f, 0, sizeof(*f));
        const char *q = v_text(e, "q", req_query_str(req, "q"), 0, 200, 0);
        f->q = q ? text_fold(req->arena, q) : "";
        if (f->q && store_word_count(f->q) > STORE_MAX_WORDS)
                errs_add(e, "q", "Search with at most %d words.", STORE_MAX_WORDS);
        if (f->q == NULL)
                f->q = "";
        f->kind = v_enum(e, "kind", req_query_str(req, "kind"), 0, org_kind_codes);
        if (f->kind == NULL)
                f->kind = "";
        f->by_name_ar = lang_data(req->lang) == LANG_AR;
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

static const char *
org_name(struct request *req, const struct org *o)
{
        return lang_data(req->lang) == LANG_AR ? o->name_ar : o->name_fr;
}

static const char *
org_other_name(struct request *req, const struct org *o)
{
        return lang_data(req->lang) == LANG_AR ? o->name_fr : o->name_ar;
}

static void
kind_options(struct request *req, struct select_option **opts, size_t *n)
{
        size_t count = 0;
        while (org_kinds[count].code)
                count++;
        *opts = arena_alloc(req->arena, count * sizeof(**opts));
        for (size_t i = 0; i < count; i++) {
                (*opts)[i].value = org_kinds[i].code;
                (*opts)[i].label = _(req->lang, org_kinds[i].label);
        }
        *n = count;
}

static const char *
org_region_text(struct request *req, const struct org *o)
{
        return o->region_code[0] ? region_name(req, o->region_code) : _(req->lang, "National");
}

void
page_org_list(struct request *req)
{
        enum lang L = req->lang;
        struct errs e;
        errs_init(&e, req->arena, L);
        struct org_filter f;
        long long page, per_page;
        org_filter_from_query(req, &f, &e, &page, &per_page);
        struct org *items = NULL;
        size_t n = 0;
        long long total = 0;
        if (e.n == 0 && org_store_list(req->db, &f, req->arena, &items, &n, &total) != STORE_OK) {
                reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
                return;
        }
        page_begin(req, _(L, "Organisations"), "orgs");
        struct buf *b = &req->out;
        html_printf(b, "<div class=\"page-head\"><h1>%s</h1><div class=\"actions\">",
                    _(L, "Organisations"));
        if (user_can(req->user, PERM_ORG_WRITE))
                html_printf(b, "<a class=\"button primary\" href=\"/organisations/new\">%s</a>",
                            _(L, "New organisation"));
        html_raw_trusted(b, "</div></div>");

        html_raw_trusted(
            b, "<form class=\"filters\" method=\"get\" action=\"/organisations\" role=\"search\">");
        form_error_summary(req, &e);
        struct form_field fq = {.name = "q",
                                .label = _(L, "Search by name or acronym"),
                                .value = req_query_str(req, "q"),
                                .type = "search",
                                .maxlen = 200,
                                .dir = "auto"};
        form_input(req, &fq, &e);
        struct select_option *opts;
        size_t nopts;
        kind_options(req, &opts, &nopts);
        form_select(req, "kind", _(L, "Kind"), opts, nopts, req_query_str(req, "kind"),
                    _(L, "All kinds"), &e);
        html_printf(b,
                    "<div class=\"filter-actions\"><button class=\"primary\">%s</button>"
                    "<a href=\"/organisations\">%s</a></div></form>",
                    _(L, "Apply filters"), _(L, "Clear filters"));

        html_printf(b, "<div class=\"list-head\"><p class=\"count\" role=\"status\">%s</p></div>",
                    arena_printf(req->arena, _(L, "%s organisations match"),
                                 i18n_int(req->arena, L, total)));
        if (n == 0) {
                html_printf(b, "<p class=\"empty\">%s</p>",
                            _(L, "No organisation matches these filters."));
        } else {
                html_printf(
                    b,
                    "<div class=\"table-wrap\"><table class=\"list\"><thead><tr>"
                    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead><tbody>",
                    _(L, "Name"), _(L, "Acronym"), _(L, "Kind"), _(L, "Region"));
                for (size_t i = 0; i < n; i++) {
                        struct org *o = &items[i];
                        html_printf(b,
                                    "<tr><th scope=\"row\" data-label=\"%s\"><a "
                                    "href=\"/organisations/%lld\">"
                                    "<bdi>%s</bdi></a><small><bdi>%s</bdi></small></th>",
                                    _(L, "Name"), o->id, org_name(req, o), org_other_name(req, o));
                        html_printf(
                            b,
                            "<td data-label=\"%s\"><bdi>%s</bdi></td><td data-label=\"%s\">%s</td>"
                            "<td data-label=\"%s\">%s</td></tr>",
                            _(L, "Acronym"), o->acronym[0] ? o->acronym : "—", _(L, "Kind"),
                            _(L, code_label(org_kinds, o->kind)), _(L, "Region"),
                            org_region_text(req, o));
                }
                html_raw_trusted(b, "</tbody></table></div>");
                html_pagination(req, "/organisations", page, per_page, total);
        }
        page_end(req);
        if (e.n)
                req->status = 400;
}

void
page_org_show(struct request *req)
{
        enum lang L = req->lang;
        struct org o;
        int rc = org_store_get(req->db, req->id, req->arena, &o);
        if (rc != STORE_OK) {
                reply_store_error(req, rc);
                return;
        }
        page_begin(req, org_name(req, &o), "orgs");
        struct buf *b = &req->out;
        html_printf(b, "<nav class=\"crumbs\"><a href=\"/organisations\">%s</a></nav>",
                    _(L, "Organisations"));
        html_printf(b,
                    "<div class=\"page-head\"><div><h1><bdi>%s</bdi></h1><p "
                    "class=\"sub\"><bdi>%s</bdi></p></div>"
                    "<div class=\"actions\">",
                    org_name(req, &o), org_other_name(req, &o));
        if (user_can(req->user, PERM_ORG_WRITE))
                html_printf(b, "<a class=\"button\" href=\"/organisations/%lld/edit\">%s</a>", o.id,
                            _(L, "Edit"));
        html_raw_trusted(b, "</div></div>");
        html_printf(b, "<section class=\"panel\"><h2>%s</h2><dl class=\"facts\">",
                    _(L, "Identity"));
        html_fact(req, _(L, "Name in Arabic"), o.name_ar, NULL);
        html_fact(req, _(L, "Name in French"), o.name_fr, NULL);
        html_fact(req, _(L, "Acronym"), o.acronym, NULL);
        html_fact(req, _(L, "Kind"), _(L, code_label(org_kinds, o.kind)), NULL);
        html_fact(req, _(L, "Region"), org_region_text(req, &o), NULL);
        html_printf(b, "</dl></section><section class=\"panel\"><h2>%s</h2><dl class=\"facts\">",
                    _(L, "Contact"));
        html_fact(req, _(L, "Phone"), o.phone, "ltr");
        html_fact(req, _(L, "E-mail"), o.email, "ltr");
        /* Only an http(s) address becomes a link, whatever path the row came in by. */
        if (o.website[0] && org_website_ok(o.website))
                html_printf(b,
                            "<div class=\"fact\"><dt>%s</dt><dd class=\"ltr\"><a href=\"%s\" "
                            "rel=\"noopener noreferrer\">"
                            "<bdi>%s</bdi></a></dd></div>",
                            _(L, "Website"), o.website, o.website);
        else
                html_fact(req, _(L, "Website"), o.website, "ltr");
        html_raw_trusted(b, "</dl>");
        if (o.notes[0])
                html_printf(b, "<h3>%s</h3><p class=\"notes\" dir=\"auto\">%s</p>", _(L, "Notes"),
                            o.notes);
        html_raw_trusted(b, "</section>");
        page_end(req);
}

static void
org_form(struct request *req, const struct org *o, const struct errs *e)
{
        enum lang L = req->lang;
        int editing = o->id > 0;
        const char *title = editing ? _(L, "Edit organisation") : _(L, "New organisation");
        page_begin(req, title, "orgs");
        struct buf *b = &req->out;
        html_printf(b, "<nav class=\"crumbs\"><a href=\"/organisations\">%s</a></nav><h1>%s</h1>",
                    _(L, "Organisations"), title);
        form_error_summary(req, e);
        if (editing)
                html_printf(b,
                            "<form method=\"post\" action=\"/organisations/%lld\" class=\"record\" "
                            "novalidate>",
                            o->id);
        else
                html_raw_trusted(
                    b,
                    "<form method=\"post\" action=\"/organisations\" class=\"record\" novalidate>");
        page_csrf(req);
        if (editing)
                html_printf(b, "<input type=\"hidden\" name=\"version\" value=\"%lld\">",
                            o->version);
        html_printf(b, "<fieldset><legend>%s</legend>", _(L, "Identity"));
        struct form_field names[] = {
            {.name = "name_ar",
             .label = _(L, "Name in Arabic"),
             .value = o->name_ar,
             .required = 1,
             .maxlen = 200,
             .dir = "rtl",
             .extra = "lang=\"ar\""},
            {.name = "name_fr",
             .label = _(L, "Name in French"),
             .value = o->name_fr,
             .required = 1,
             .maxlen = 200,
             .dir = "ltr",
             .extra = "lang=\"fr\""},
            {.name = "acronym",
             .label = _(L, "Acronym"),
             .value = o->acronym,
             .maxlen = 30,
             .dir = "auto"},
        };
        for (size_t i = 0; i < 3; i++)
                form_input(req, &names[i], e);
        struct select_option *opts;
        size_t nopts;
        kind_options(req, &opts, &nopts);
        form_select(req, "kind", _(L, "Kind"), opts, nopts, o->kind, _(L, "Choose a kind"), e);
        form_region_options(req, 1, &opts, &nopts);
        form_select(req, "region_code", _(L, "Region"), opts, nopts, o->region_code,
                    _(L, "National (no region)"), e);
        html_printf(b, "</fieldset><fieldset><legend>%s</legend>", _(L, "Contact"));
        struct form_field contact[] = {
            {.name = "phone",
             .label = _(L, "Phone"),
             .value = o->phone,
             .type = "tel",
             .maxlen = 32,
             .dir = "ltr",
             .extra = "autocomplete=\"tel\""},
            {.name = "email",
             .label = _(L, "E-mail"),
             .value = o->email,
             .type = "email",
             .maxlen = 254,
             .dir = "ltr"},
            {.name = "website",
             .label = _(L, "Website"),
             .value = o->website,
             .type = "url",
             .maxlen = 200,
             .dir = "ltr",
             .hint = _(L, "For example https://www.example.ma")},
        };
        for (size_t i = 0; i < 3; i++)
                form_input(req, &contact[i], e);
        html_raw_trusted(b, "</fieldset>");
        struct form_field notes = {.name = "notes",
                                   .label = _(L, "Notes"),
                                   .value = o->notes,
                                   .type = "textarea",
                                   .maxlen = 4000,
                                   .dir = "auto"};
        form_input(req, &notes, e);
        html_printf(b,
                    "<div class=\"form-actions\"><button class=\"primary\">%s</button>"
                    "<a href=\"%s\">%s</a></div></form>",
                    _(L, "Save organisation"),
                    editing ? arena_printf(req->arena, "/organisations/%lld", o->id)
                            : "/organisations",
                    _(L, "Cancel"));
        page_end(req);
}

void
page_org_new(struct request *req)
{
        struct org o = {0};
        org_form(req, &o, NULL);
}

static const char *
form_get(void *ctx, const char *name)
{
        return req_form(ctx, name);
}

/* Saves the posted form onto o (new when o->id == 0); answers the page. */
static void
org_save(struct request *req, struct org *o)
{
        struct errs e;
        errs_init(&e, req->arena, req->lang);
        long long expected = 0;
        if (o->id > 0 &&
            v_int(&e, "version", req_form(req, "version"), 1, 1, 1LL << 62, 0, &expected) != 0) {
                reply_error(req, ERR_BAD_REQUEST, NULL, e.list, e.n);
                return;
        }
        if (org_apply(o, &e, form_get, req, web_geo) != 0) {
                org_form(req, o, &e);
                req->status = 422;
                return;
        }
        int rc = o->id > 0 ? org_store_update(req->db, o, expected, req->arena)
                           : org_store_insert(req->db, o, req->arena);
        switch (rc) {
        case STORE_OK:
                reply_redirect(req, arena_printf(req->arena, "/organisations/%lld", o->id));
                return;
        case STORE_CONFLICT:
                reply_error(req, ERR_CONFLICT,
                            _(req->lang,
                              "Someone else changed this organisation while you were editing it. "
                              "Open it again to see their changes, then make yours."),
                            NULL, 0);
                return;
        case STORE_NOT_FOUND:
                reply_error(req, ERR_NOT_FOUND, NULL, NULL, 0);
                return;
        default:
                reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
        }
}

void
page_org_create(struct request *req)
{
        struct org o = {0};
        org_save(req, &o);
}

void
page_org_edit(struct request *req)
{
        struct org o;
        int rc = org_store_get(req->db, req->id, req->arena, &o);
        if (rc != STORE_OK) {
                reply_store_error(req, rc);
                return;
        }
        org_form(req, &o, NULL);
}

void
page_org_update(struct request *req)
{
        struct org o;
        int rc = org_store_get(req->db, req->id, req->arena, &o);
        if (rc != STORE_OK) {
                reply_store_error(req, rc);
                return;
        }
        org_save(req, &o);
}
