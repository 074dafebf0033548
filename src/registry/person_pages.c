/* person_pages.c: the people pages: list with filters, detail with memberships, create, edit. */
#include <string.h>

#include "admin/audit_web.h"
#include "core/arena.h"
#include "core/i18n.h"
#include "core/text.h"
#include "privacy/privacy_web.h"
#include "registry/coop_store.h"
#include "registry/geo.h"
#include "registry/person_web.h"
#include "web/layout.h"
#include "web/pages.h"

#define PER_PAGE_DEFAULT 50
#define PER_PAGE_MAX     200

void
person_filter_from_query(struct request *req, struct person_filter *f, struct errs *e,
                         long long *page, long long *per_page)
{
        memset(f, 0, sizeof(*f));
        const char *q = v_text(e, "q", req_query_str(req, "q"), 0, 200, 0);
        f->q = q ? text_fold(req->arena, q) : "";
        if (f->q && store_word_count(f->q) > STORE_MAX_WORDS)
                errs_add(e, "q", "Search with at most %d words.", STORE_MAX_WORDS);
        if (f->q == NULL)
                f->q = "";
        f->region = req_query_str(req, "region");
        if (f->region[0] && geo_region(web_geo, f->region) == NULL)
                errs_add(e, "region", "This region code does not exist.");
        f->province = req_query_str(req, "province");
        if (f->province[0] && geo_province(web_geo, f->province) == NULL)
                errs_add(e, "province", "This province code does not exist.");
        f->sex = v_enum(e, "sex", req_query_str(req, "sex"), 0, person_sex_codes);
        if (f->sex == NULL)
                f->sex = "";
        v_int(e, "cooperative", req_query_str(req, "cooperative"), 0, 1, 1LL << 62, 0,
              &f->cooperative);
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
person_name(struct request *req, const struct person *p)
{
        return lang_data(req->lang) == LANG_AR ? p->name_ar : p->name_fr;
}

static const char *
person_other_name(struct request *req, const struct person *p)
{
        return lang_data(req->lang) == LANG_AR ? p->name_fr : p->name_ar;
}

/* The birth date as people read it: a long date, or the year alone. */
static const char *
birth_text(struct request *req, const struct person *p)
{
        struct date d;
        if (p->birth_date[0] && date_parse(p->birth_date, &d) == 0)
                return i18n_date(req->arena, req->lang, d);
        return p->birth_date;
}

void
page_person_list(struct request *req)
{
        enum lang L = req->lang;
        struct errs e;
        errs_init(&e, req->arena, L);
        struct person_filter f;
        long long page, per_page;
        person_filter_from_query(req, &f, &e, &page, &per_page);
        struct person *items = NULL;
        size_t n = 0;
        long long total = 0;
        if (e.n == 0 && person_store_list(req->db, &req->user->scope, &f, req->arena, &items, &n,
                                          &total) != STORE_OK) {
                reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
                return;
        }
        /* Members of one cooperative: name it, when the caller may see it. */
        struct coop c;
        int coop_known =
            e.n == 0 && f.cooperative > 0 &&
            coop_store_get(req->db, &req->user->scope, f.cooperative, req->arena, &c) == STORE_OK;

        page_begin(req, _(L, "People"), "people");
        struct buf *b = &req->out;
        html_printf(b, "<div class=\"page-head\"><h1>%s</h1><div class=\"actions\">",
                    _(L, "People"));
        if (user_can(req->user, PERM_PERSON_WRITE))
                html_printf(b, "<a class=\"button primary\" href=\"/people/new\">%s</a>",
                            _(L, "New person"));
        html_raw_trusted(b, "</div></div>");
        if (coop_known)
                html_printf(
                    b,
                    "<p class=\"context\">%s <a href=\"/cooperatives/%lld\"><bdi>%s</bdi></a></p>",
                    _(L, "Members of the cooperative"), c.id,
                    lang_data(L) == LANG_AR ? c.name_ar : c.name_fr);

        /* Filters: a GET form, so a filtered list is a link that can be shared. */
        html_raw_trusted(
            b, "<form class=\"filters\" method=\"get\" action=\"/people\" role=\"search\">");
        form_error_summary(req, &e);
        if (f.cooperative > 0)
                html_printf(b, "<input type=\"hidden\" name=\"cooperative\" value=\"%lld\">",
                            f.cooperative);
        struct form_field fq = {.name = "q",
                                .label = _(L, "Search by name"),
                                .value = req_query_str(req, "q"),
                                .type = "search",
                                .maxlen = 200,
                                .dir = "auto"};
        form_input(req, &fq, &e);
        struct select_option *opts;
        size_t nopts;
        form_region_options(req, 0, &opts, &nopts);
        form_select(req, "region", _(L, "Region"), opts, nopts, req_query_str(req, "region"),
                    _(L, "All regions"), &e);
        form_province_select(req, "province", _(L, "Province or prefecture"),
                             req_query_str(req, "province"), _(L, "All provinces and prefectures"),
                             0, &e);
        struct select_option sexes[] = {{"F", _(L, "Women")}, {"M", _(L, "Men")}};
        form_select(req, "sex", _(L, "Sex"), sexes, 2, req_query_str(req, "sex"), _(L, "Everyone"),
                    &e);
        html_printf(b,
                    "<div class=\"filter-actions\"><button class=\"primary\">%s</button>"
                    "<a href=\"/people\">%s</a></div></form>",
                    _(L, "Apply filters"), _(L, "Clear filters"));

        html_printf(
            b, "<div class=\"list-head\"><p class=\"count\" role=\"status\">%s</p></div>",
            arena_printf(req->arena, _(L, "%s people match"), i18n_int(req->arena, L, total)));
        if (n == 0) {
                html_printf(b, "<p class=\"empty\">%s</p>",
                            _(L, "No person matches these filters."));
        } else {
                html_printf(b,
                            "<div class=\"table-wrap\"><table class=\"list\"><thead><tr>"
                            "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                            "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                            "<th scope=\"col\">%s</th></tr></thead><tbody>",
                            _(L, "Name"), _(L, "Sex"), _(L, "Age"), _(L, "Region"),
                            _(L, "Province"));
                struct date today = date_today();
                for (size_t i = 0; i < n; i++) {
                        struct person *p = &items[i];
                        int age = person_age(p, today);
                        html_printf(
                            b,
                            "<tr><th scope=\"row\" data-label=\"%s\"><a href=\"/people/%lld\">"
                            "<bdi>%s</bdi></a><small><bdi>%s</bdi></small></th>",
                            _(L, "Name"), p->id, person_name(req, p), person_other_name(req, p));
                        html_printf(b,
                                    "<td data-label=\"%s\">%s</td><td data-label=\"%s\" "
                                    "class=\"num\">%s</td>",
                                    _(L, "Sex"), _(L, code_label(person_sexes, p->sex)),
                                    _(L, "Age"), age >= 0 ? i18n_int(req->arena, L, age) : "—");
                        html_printf(
                            b, "<td data-label=\"%s\">%s</td><td data-label=\"%s\">%s</td></tr>",
                            _(L, "Region"), region_name(req, p->region_code), _(L, "Province"),
                            p->province_code[0] ? province_name(req, p->province_code) : "—");
                }
                html_raw_trusted(b, "</tbody></table></div>");
                html_pagination(req, "/people", page, per_page, total);
        }
        page_end(req);
        if (e.n)
                req->status = 400;
}

/* The memberships of p, with a remove button each and a form to add one (for writers). The
 * add form keeps the posted values and shows e's errors. */
static void
memberships_section(struct request *req, const struct person *p, const struct errs *e,
                    const char *regno, const char *role)
{
        enum lang L = req->lang;
        struct buf *b = &req->out;
        struct person_membership *m = NULL;
        size_t n = 0;
        if (person_store_memberships(req->db, &req->user->scope, p->id, req->arena, &m, &n) !=
            STORE_OK)
                return;
        int can_write = user_can(req->user, PERM_PERSON_WRITE);
        html_printf(b, "<section class=\"panel\" id=\"memberships\"><h2>%s</h2>",
                    _(L, "Cooperatives"));
        if (n == 0) {
                html_printf(b, "<p class=\"empty\">%s</p>",
                            _(L, "This person is not recorded as a member of any cooperative."));
        } else {
                html_printf(b,
                            "<div class=\"table-wrap\"><table class=\"list\"><thead><tr>"
                            "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                            "<th scope=\"col\">%s</th>",
                            _(L, "Cooperative"), _(L, "Register number"), _(L, "Role"));
                if (can_write)
                        html_printf(
                            b, "<th scope=\"col\"><span class=\"visually-hidden\">%s</span></th>",
                            _(L, "Actions"));
                html_raw_trusted(b, "</tr></thead><tbody>");
                for (size_t i = 0; i < n; i++) {
                        html_printf(b,
                                    "<tr><th scope=\"row\" data-label=\"%s\"><a "
                                    "href=\"/cooperatives/%lld\">"
                                    "<bdi>%s</bdi></a></th><td data-label=\"%s\" "
                                    "class=\"ltr\"><bdi>%s</bdi></td>"
                                    "<td data-label=\"%s\">%s</td>",
                                    _(L, "Cooperative"), m[i].cooperative_id,
                                    lang_data(L) == LANG_AR ? m[i].name_ar : m[i].name_fr,
                                    _(L, "Register number"), m[i].register_number, _(L, "Role"),
                                    _(L, person_role_label(m[i].role)));
                        if (can_write) {
                                html_printf(
                                    b,
                                    "<td><form method=\"post\" "
                                    "action=\"/people/%lld/memberships/remove\" class=\"inline\">",
                                    p->id);
                                page_csrf(req);
                                html_printf(
                                    b,
                                    "<input type=\"hidden\" name=\"cooperative_id\" value=\"%lld\">"
                                    "<button class=\"secondary\">%s</button></form></td>",
                                    m[i].cooperative_id, _(L, "Remove from this cooperative"));
                        }
                        html_raw_trusted(b, "</tr>");
                }
                html_raw_trusted(b, "</tbody></table></div>");
        }
        if (can_write) {
                html_printf(b, "<h3>%s</h3>", _(L, "Add a membership"));
                form_error_summary(req, e);
                html_printf(b,
                            "<form method=\"post\" action=\"/people/%lld/memberships\" "
                            "class=\"record\" novalidate>",
                            p->id);
                page_csrf(req);
                struct form_field fr = {.name = "register_number",
                                        .label = _(L, "Register number of the cooperative"),
                                        .value = regno,
                                        .required = 1,
                                        .maxlen = 32,
                                        .dir = "ltr",
                                        .hint =
                                            _(L, "As written on the registration certificate.")};
                form_input(req, &fr, e);
                struct select_option *opts;
                size_t nopts;
                form_code_options(req, person_roles, &opts, &nopts);
                form_select(req, "role", _(L, "Role"), opts, nopts,
                            role && role[0] ? role : "member", NULL, e);
                html_printf(b,
                            "<div class=\"form-actions\"><button "
                            "class=\"primary\">%s</button></div></form>",
                            _(L, "Add membership"));
        }
        html_raw_trusted(b, "</section>");
}

/* The detail page of p; e, regno and role belong to the membership form (may be NULL). */
static void
person_show(struct request *req, const struct person *p, const struct errs *e, const char *regno,
            const char *role)
{
        enum lang L = req->lang;
        page_begin(req, person_name(req, p), "people");
        struct buf *b = &req->out;
        html_printf(b, "<nav class=\"crumbs\"><a href=\"/people\">%s</a></nav>", _(L, "People"));
        html_printf(b,
                    "<div class=\"page-head\"><div><h1><bdi>%s</bdi></h1><p "
                    "class=\"sub\"><bdi>%s</bdi></p></div>"
                    "<div class=\"actions\">",
                    person_name(req, p), person_other_name(req, p));
        if (user_can(req->user, PERM_PERSON_WRITE))
                html_printf(b, "<a class=\"button\" href=\"/people/%lld/edit\">%s</a>", p->id,
                            _(L, "Edit"));
        html_raw_trusted(b, "</div></div>");

        html_printf(b, "<section class=\"panel\"><h2>%s</h2><dl class=\"facts\">",
                    _(L, "Identity"));
        html_fact(req, _(L, "Name in Arabic"), p->name_ar, NULL);
        html_fact(req, _(L, "Name in French"), p->name_fr, NULL);
        html_fact(req, _(L, "Sex"), _(L, code_label(person_sexes, p->sex)), NULL);
        html_fact(req, _(L, "Birth date"), birth_text(req, p), NULL);
        int age = person_age(p, date_today());
        html_fact(req, _(L, "Age"), age >= 0 ? i18n_age(req->arena, L, age, 0) : "", NULL);
        if (user_can(req->user, PERM_NATIONAL_ID))
                html_fact(req, _(L, "National ID number"), p->national_id, "ltr");
        html_printf(b, "</dl></section><section class=\"panel\"><h2>%s</h2><dl class=\"facts\">",
                    _(L, "Place and contact"));
        html_fact(req, _(L, "Region"), region_name(req, p->region_code), NULL);
        html_fact(req, _(L, "Province or prefecture"),
                  p->province_code[0] ? province_name(req, p->province_code) : "", NULL);
        html_fact(req, _(L, "Phone"), p->phone, "ltr");
        html_raw_trusted(b, "</dl></section>");
        memberships_section(req, p, e, regno ? regno : "", role ? role : "");
        privacy_person_section(req, p);
        audit_history_section(req, "person", p->id);
        page_end(req);
}

static int
get_or_reply(struct request *req, struct person *p)
{
        int rc = person_store_read(req->db, &req->user->scope, req->id,
                                   user_can(req->user, PERM_NATIONAL_ID), req->arena, p);
        if (rc != STORE_OK) {
                reply_store_error(req, rc);
                return -1;
        }
        return 0;
}

void
page_person_show(struct request *req)
{
        struct person p;
        if (get_or_reply(req, &p) != 0)
                return;
        person_show(req, &p, NULL, NULL, NULL);
}

static void
person_form(struct request *req, const struct person *p, const struct errs *e)
{
        enum lang L = req->lang;
        int editing = p->id > 0;
        const char *title = editing ? _(L, "Edit person") : _(L, "New person");
        page_begin(req, title, "people");
        struct buf *b = &req->out;
        html_printf(b, "<nav class=\"crumbs\"><a href=\"/people\">%s</a></nav><h1>%s</h1>",
                    _(L, "People"), title);
        form_error_summary(req, e);
        if (editing)
                html_printf(
                    b, "<form method=\"post\" action=\"/people/%lld\" class=\"record\" novalidate>",
                    p->id);
        else
                html_raw_trusted(
                    b, "<form method=\"post\" action=\"/people\" class=\"record\" novalidate>");
        page_csrf(req);
        if (editing)
                html_printf(b, "<input type=\"hidden\" name=\"version\" value=\"%lld\">",
                            p->version);

        html_printf(b, "<fieldset><legend>%s</legend>", _(L, "Identity"));
        struct form_field names[] = {
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
        };
        for (size_t i = 0; i < 2; i++)
                form_input(req, &names[i], e);
        struct select_option *opts;
        size_t nopts;
        form_code_options(req, person_sexes, &opts, &nopts);
        form_select(req, "sex", _(L, "Sex"), opts, nopts, p->sex, _(L, "Choose"), e);
        struct form_field birth = {
            .name = "birth_date",
            .label = _(L, "Birth date"),
            .value = p->birth_date,
            .maxlen = 10,
            .dir = "ltr",
            .hint = _(L, "YYYY-MM-DD, or only the year (YYYY) when the day is not known."),
            .extra = "inputmode=\"numeric\""};
        form_input(req, &birth, e);
        if (user_can(req->user, PERM_NATIONAL_ID)) {
                struct form_field nid = {
                    .name = "national_id",
                    .label = _(L, "National ID number"),
                    .value = p->national_id,
                    .maxlen = PERSON_NATIONAL_ID_MAX,
                    .dir = "ltr",
                    .hint = _(L, "As on the national identity card (CIN), for example AB123456."),
                    .extra = "autocomplete=\"off\" autocapitalize=\"characters\""};
                form_input(req, &nid, e);
        }
        html_printf(b, "</fieldset><fieldset><legend>%s</legend>", _(L, "Place and contact"));
        form_region_options(req, 0, &opts, &nopts);
        form_select(req, "region_code", _(L, "Region"), opts, nopts, p->region_code,
                    _(L, "Choose a region"), e);
        form_province_select(req, "province_code", _(L, "Province or prefecture"), p->province_code,
                             _(L, "Not specified"), 1, e);
        struct form_field phone = {.name = "phone",
                                   .label = _(L, "Phone"),
                                   .value = p->phone,
                                   .type = "tel",
                                   .maxlen = 32,
                                   .dir = "ltr",
                                   .extra = "autocomplete=\"tel\""};
        form_input(req, &phone, e);
        html_printf(b,
                    "</fieldset><div class=\"form-actions\"><button class=\"primary\">%s</button>"
                    "<a href=\"%s\">%s</a></div></form>",
                    _(L, "Save person"),
                    editing ? arena_printf(req->arena, "/people/%lld", p->id) : "/people",
                    _(L, "Cancel"));
        page_end(req);
}

void
page_person_new(struct request *req)
{
        struct person p = {0};
        if (!req->user->scope.all && req->user->regions[0] && !req->user->regions[1])
                p.region_code = req->user->regions[0]; /* one region: preselect it */
        person_form(req, &p, NULL);
}

static const char *
form_get(void *ctx, const char *name)
{
        return req_form(ctx, name);
}

/* Saves the posted form onto p (new when p->id == 0); answers the page. */
static void
person_save(struct request *req, struct person *p)
{
        struct errs e;
        errs_init(&e, req->arena, req->lang);
        int may_nid = user_can(req->user, PERM_NATIONAL_ID);
        if (!may_nid && req_form(req, "national_id")) {
                reply_error(
                    req, ERR_FORBIDDEN,
                    _(req->lang, "You are not allowed to see or change national ID numbers."), NULL,
                    0);
                return;
        }
        long long expected = 0;
        if (p->id > 0 &&
            v_int(&e, "version", req_form(req, "version"), 1, 1, 1LL << 62, 0, &expected) != 0) {
                reply_error(req, ERR_BAD_REQUEST, NULL, e.list, e.n);
                return;
        }
        if (person_apply(p, &e, form_get, req, web_geo, date_today(), may_nid) != 0) {
                person_form(req, p, &e);
                req->status = 422;
                return;
        }
        int rc = p->id > 0
                     ? person_store_update(req->db, &req->user->scope, p, expected, req->arena)
                     : person_store_insert(req->db, &req->user->scope, p, req->arena);
        switch (rc) {
        case STORE_OK:
                reply_redirect(req, arena_printf(req->arena, "/people/%lld", p->id));
                return;
        case STORE_DUPLICATE:
                errs_add(&e, "national_id",
                         "Another person is registered with this national ID number.");
                person_form(req, p, &e);
                req->status = 409;
                return;
        case STORE_FORBIDDEN:
                errs_add(&e, "region_code", "You can only record people of your regions.");
                person_form(req, p, &e);
                req->status = 403;
                return;
        case STORE_CONFLICT:
                reply_error(req, ERR_CONFLICT,
                            _(req->lang,
                              "Someone else changed this person while you were editing. "
                              "Open the record again to see their changes, then make yours."),
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
page_person_create(struct request *req)
{
        struct person p = {0};
        person_save(req, &p);
}

void
page_person_edit(struct request *req)
{
        struct person p;
        if (get_or_reply(req, &p) != 0)
                return;
        person_form(req, &p, NULL);
}

void
page_person_update(struct request *req)
{
        struct person p;
        if (get_or_reply(req, &p) != 0)
                return;
        person_save(req, &p);
}

void
page_person_membership_add(struct request *req)
{
        struct person p;
        if (get_or_reply(req, &p) != 0)
                return;
        struct errs e;
        errs_init(&e, req->arena, req->lang);
        const char *regno =
            v_text(&e, "register_number", req_form(req, "register_number"), 1, 32, 0);
        const char *role = v_enum(&e, "role", req_form(req, "role"), 1, person_role_codes);
        long long coop_id = 0;
        int rc = STORE_OK;
        if (regno) {
                rc = person_store_coop_by_register(req->db, &req->user->scope, regno, &coop_id);
                if (rc == STORE_NOT_FOUND)
                        errs_add(&e, "register_number",
                                 "No cooperative with this register number is recorded in your "
                                 "regions.");
                else if (rc != STORE_OK)
                        goto internal;
        }
        int status = 422;
        if (e.n == 0) {
                rc = person_store_add_membership(req->db, &req->user->scope, p.id, coop_id, role);
                if (rc == STORE_OK) {
                        reply_redirect(req,
                                       arena_printf(req->arena, "/people/%lld#memberships", p.id));
                        return;
                }
                if (rc == STORE_DUPLICATE) {
                        errs_add(&e, "register_number",
                                 "This person is already a member of this cooperative.");
                        status = 409;
                } else if (rc == STORE_NOT_FOUND) {
                        reply_error(req, ERR_NOT_FOUND, NULL, NULL, 0);
                        return;
                } else {
                        goto internal;
                }
        }
        person_show(req, &p, &e, req_form(req, "register_number"), req_form(req, "role"));
        req->status = status;
        return;
internal:
        reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
}

void
page_person_membership_remove(struct request *req)
{
        struct person p;
        if (get_or_reply(req, &p) != 0)
                return;
        struct errs e;
        errs_init(&e, req->arena, req->lang);
        long long coop_id = 0;
        if (v_int(&e, "cooperative_id", req_form(req, "cooperative_id"), 1, 1, 1LL << 62, 0,
                  &coop_id) != 0) {
                reply_error(req, ERR_BAD_REQUEST, NULL, e.list, e.n);
                return;
        }
        int rc = person_store_remove_membership(req->db, &req->user->scope, p.id, coop_id);
        if (rc == STORE_OK)
                reply_redirect(req, arena_printf(req->arena, "/people/%lld#memberships", p.id));
        else
                reply_store_error(req, rc);
}
