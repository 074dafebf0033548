/* coop_pages.c: the cooperative pages: list with filters, detail, create, edit, CSV export. */
#include <stdlib.h>
#include <string.h>

#include "admin/audit_web.h"
#include "core/arena.h"
#include "core/db.h"
#include "core/i18n.h"
#include "core/text.h"
#include "registry/coop_csv.h"
#include "registry/coop_web.h"
#include "registry/geo.h"
#include "registry/person_store.h"
#include "web/layout.h"
#include "web/pages.h"

#define PER_PAGE_DEFAULT 50
#define PER_PAGE_MAX     200

void
coop_filter_from_query(struct request *req, struct coop_filter *f, struct errs *e, long long *page,
                       long long *per_page)
{
        memset(f, 0, sizeof(*f));
        const char *q = v_text(e, "q", req_query_str(req, "q"), 0, 200, 0);
        f->q_raw = q ? q : "";
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
        f->sector = v_enum(e, "sector", req_query_str(req, "sector"), 0, coop_sector_codes);
        f->status = v_enum(e, "status", req_query_str(req, "status"), 0, coop_status_codes);
        if (f->sector == NULL)
                f->sector = "";
        if (f->status == NULL)
                f->status = "";

        /* Legal age in whole years, as of today: age >= min  <=> legal_date <= today - min years;
         * age <= max <=> legal_date > today - (max + 1) years. */
        long long age_min = -1, age_max = -1;
        v_int(e, "age_min", req_query_str(req, "age_min"), 0, 0, 150, -1, &age_min);
        v_int(e, "age_max", req_query_str(req, "age_max"), 0, 0, 150, -1, &age_max);
        struct date today = date_today();
        char iso[11];
        f->legal_from = f->legal_to = "";
        if (age_min >= 0) {
                date_format_iso(date_add_years(today, -(int)age_min), iso);
                f->legal_to = arena_strdup(req->arena, iso);
        }
        if (age_max >= 0) {
                struct date d =
                    date_from_days(date_to_days(date_add_years(today, -(int)age_max - 1)) + 1);
                date_format_iso(d, iso);
                f->legal_from = arena_strdup(req->arena, iso);
        }
        static const char *const sorts[] = {"name_fr",         "name_ar",       "legal_date",
                                            "register_number", "members_total", NULL};
        const char *sort = v_enum(e, "sort", req_query_str(req, "sort"), 0, sorts);
        f->sort = lang_data(req->lang) == LANG_AR ? COOP_SORT_NAME_AR : COOP_SORT_NAME_FR;
        for (int i = 0; sort && sort[0] && sorts[i]; i++)
                if (strcmp(sort, sorts[i]) == 0)
                        f->sort = (enum coop_sort)i;
        static const char *const orders[] = {"asc", "desc", NULL};
        const char *order = v_enum(e, "order", req_query_str(req, "order"), 0, orders);
        f->desc = order && strcmp(order, "desc") == 0;
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
coop_name(struct request *req, const struct coop *c)
{
        return lang_data(req->lang) == LANG_AR ? c->name_ar : c->name_fr;
}

static const char *
coop_other_name(struct request *req, const struct coop *c)
{
        return lang_data(req->lang) == LANG_AR ? c->name_fr : c->name_ar;
}

static void
age_text(struct request *req, struct buf *b, struct age a)
{
        html_text(b, i18n_age(req->arena, req->lang, a.years, a.months));
}

struct query_copy {
        struct buf *b;
        int first;
};

static void
copy_filter_arg(void *ctx, const char *key, const char *value)
{
        struct query_copy *qc = ctx;
        if (value[0] == '\0' || strcmp(key, "page") == 0 || strcmp(key, "per_page") == 0)
                return;
        buf_putc(qc->b, qc->first ? '?' : '&');
        qc->first = 0;
        buf_url_encode(qc->b, key);
        buf_putc(qc->b, '=');
        buf_url_encode(qc->b, value);
}

void
page_coop_list(struct request *req)
{
        enum lang L = req->lang;
        struct errs e;
        errs_init(&e, req->arena, L);
        struct coop_filter f;
        long long page, per_page;
        coop_filter_from_query(req, &f, &e, &page, &per_page);
        struct coop *items = NULL;
        size_t n = 0;
        long long total = 0;
        if (e.n == 0 && coop_store_list(req->db, &req->user->scope, &f, req->arena, &items, &n,
                                        &total) != STORE_OK) {
                reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
                return;
        }
        page_begin(req, _(L, "Cooperatives"), "coops");
        struct buf *b = &req->out;
        html_printf(b, "<div class=\"page-head\"><h1>%s</h1><div class=\"actions\">",
                    _(L, "Cooperatives"));
        if (user_can(req->user, PERM_COOP_WRITE))
                html_printf(b, "<a class=\"button primary\" href=\"/cooperatives/new\">%s</a>",
                            _(L, "New cooperative"));
        html_raw_trusted(b, "</div></div>");

        /* Filters: a GET form, so a filtered list is a link that can be shared. */
        html_printf(
            b, "<form class=\"filters\" method=\"get\" action=\"/cooperatives\" role=\"search\">");
        form_error_summary(req, &e);
        struct form_field fq = {.name = "q",
                                .label = _(L, "Search by name or register number"),
                                .value = req_query_str(req, "q"),
                                .type = "search",
                                .maxlen = 200,
                                .dir = "auto",
                                .quiet = 1};
        form_input(req, &fq, &e);
        struct select_option *opts;
        size_t nopts;
        form_region_options(req, 0, &opts, &nopts);
        form_select(req, "region", _(L, "Region"), opts, nopts, req_query_str(req, "region"),
                    _(L, "All regions"), &e);
        form_province_select(req, "province", _(L, "Province or prefecture"),
                             req_query_str(req, "province"), _(L, "All provinces and prefectures"),
                             0, &e);
        form_code_options(req, coop_sectors, &opts, &nopts);
        form_select(req, "sector", _(L, "Sector"), opts, nopts, req_query_str(req, "sector"),
                    _(L, "All sectors"), &e);
        form_code_options(req, coop_statuses, &opts, &nopts);
        form_select(req, "status", _(L, "Status"), opts, nopts, req_query_str(req, "status"),
                    _(L, "All statuses"), &e);
        html_printf(b, "<fieldset class=\"range\"><legend>%s</legend>", _(L, "Legal age (years)"));
        struct form_field fmin = {.name = "age_min",
                                  .label = _(L, "from"),
                                  .type = "number",
                                  .value = req_query_str(req, "age_min"),
                                  .quiet = 1,
                                  .extra = "min=\"0\" max=\"150\" inputmode=\"numeric\""};
        struct form_field fmax = {.name = "age_max",
                                  .label = _(L, "to"),
                                  .type = "number",
                                  .value = req_query_str(req, "age_max"),
                                  .quiet = 1,
                                  .extra = "min=\"0\" max=\"150\" inputmode=\"numeric\""};
        form_input(req, &fmin, &e);
        form_input(req, &fmax, &e);
        html_raw_trusted(b, "</fieldset>");
        struct select_option sorts[] = {
            {"name_ar", _(L, "Arabic name")},
            {"name_fr", _(L, "French name")},
            {"legal_date", _(L, "Legal creation date")},
            {"register_number", _(L, "Register number")},
            {"members_total", _(L, "Number of members")},
        };
        form_select(req, "sort", _(L, "Sort by"), sorts, 5,
                    req_query_str(req, "sort")[0]
                        ? req_query_str(req, "sort")
                        : (lang_data(L) == LANG_AR ? "name_ar" : "name_fr"),
                    NULL, &e);
        struct select_option orders[] = {{"asc", _(L, "Ascending")}, {"desc", _(L, "Descending")}};
        form_select(req, "order", _(L, "Order"), orders, 2, req_query_str(req, "order"), NULL, &e);
        html_printf(b,
                    "<div class=\"filter-actions\"><button class=\"primary\">%s</button>"
                    "<a href=\"/cooperatives\">%s</a></div></form>",
                    _(L, "Apply filters"), _(L, "Clear filters"));

        html_printf(b, "<div class=\"list-head\"><p class=\"count\" role=\"status\">%s</p>",
                    arena_printf(req->arena, _(L, "%s cooperatives match"),
                                 i18n_int(req->arena, L, total)));
        if (user_can(req->user, PERM_EXPORT)) {
                /* The export keeps the list's filters (not its page). */
                struct buf q;
                buf_init(&q, req->arena, 8192);
                buf_puts(&q, "/cooperatives/export.csv");
                struct query_copy qc = {&q, 1};
                req_query_each(req, copy_filter_arg, &qc);
                html_printf(b, "<a class=\"button\" href=\"%s\" download>%s</a>", buf_str(&q),
                            _(L, "Export CSV"));
        }
        html_raw_trusted(b, "</div>");
        if (n == 0) {
                html_printf(b, "<p class=\"empty\">%s</p>",
                            _(L, "No cooperative matches these filters."));
        } else {
                html_printf(
                    b,
                    "<div class=\"table-wrap\"><table class=\"list\"><thead><tr>"
                    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                    "<th scope=\"col\">%s</th></tr></thead><tbody>",
                    _(L, "Name"), _(L, "Register number"), _(L, "Province"), _(L, "Sector"),
                    _(L, "Members (women)"), _(L, "Legal age"), _(L, "Status"));
                struct date today = date_today();
                for (size_t i = 0; i < n; i++) {
                        struct coop *c = &items[i];
                        html_printf(b,
                                    "<tr><th scope=\"row\" data-label=\"%s\"><a "
                                    "href=\"/cooperatives/%lld\">"
                                    "<bdi>%s</bdi></a><small><bdi>%s</bdi></small></th>",
                                    _(L, "Name"), c->id, coop_name(req, c),
                                    coop_other_name(req, c));
                        html_printf(b, "<td data-label=\"%s\" class=\"ltr\"><bdi>%s</bdi></td>",
                                    _(L, "Register number"), c->register_number);
                        html_printf(b, "<td data-label=\"%s\">%s</td><td data-label=\"%s\">%s</td>",
                                    _(L, "Province"), province_name(req, c->province_code),
                                    _(L, "Sector"), _(L, code_label(coop_sectors, c->sector)));
                        html_printf(b, "<td data-label=\"%s\" class=\"num\">%s (%s)</td>",
                                    _(L, "Members (women)"),
                                    i18n_int(req->arena, L, c->members_total),
                                    i18n_int(req->arena, L, c->members_women));
                        html_printf(b, "<td data-label=\"%s\">", _(L, "Legal age"));
                        age_text(req, b, coop_legal_age(c, today));
                        html_printf(b, "</td><td data-label=\"%s\">", _(L, "Status"));
                        html_status_badge(req, c->status,
                                          _(L, code_label(coop_statuses, c->status)));
                        html_raw_trusted(b, "</td></tr>");
                }
                html_raw_trusted(b, "</tbody></table></div>");
                html_pagination(req, "/cooperatives", page, per_page, total);
        }
        page_end(req);
        if (e.n)
                req->status = 400;
}

static void
members_section(struct request *req, const struct coop *c)
{
        enum lang L = req->lang;
        struct person_member *m = NULL;
        size_t n = 0;
        if (person_store_members(req->db, &req->user->scope, c->id, req->arena, &m, &n) != STORE_OK)
                return;
        struct buf *b = &req->out;
        html_printf(b, "<section class=\"panel\"><h2>%s</h2>", _(L, "Members recorded"));
        if (n == 0) {
                html_printf(b, "<p class=\"empty\">%s</p></section>",
                            _(L, "No member is recorded yet."));
                return;
        }
        html_printf(
            b,
            "<div class=\"table-wrap\"><table class=\"list\"><thead><tr><th scope=\"col\">%s</th>"
            "<th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead><tbody>",
            _(L, "Name"), _(L, "Role"), _(L, "Sex"));
        for (size_t i = 0; i < n; i++)
                html_printf(b,
                            "<tr><th scope=\"row\" data-label=\"%s\"><a "
                            "href=\"/people/%lld\"><bdi>%s</bdi></a></th>"
                            "<td data-label=\"%s\">%s</td><td data-label=\"%s\">%s</td></tr>",
                            _(L, "Name"), m[i].person_id,
                            lang_data(L) == LANG_AR ? m[i].name_ar : m[i].name_fr, _(L, "Role"),
                            _(L, person_role_label(m[i].role)), _(L, "Sex"),
                            m[i].sex[0] == 'F' ? _(L, "Woman") : _(L, "Man"));
        html_raw_trusted(b, "</tbody></table></div>");
        if (n >= PERSON_MEMBERS_MAX)
                html_printf(b, "<p><a href=\"/people?cooperative=%lld\">%s</a></p>", c->id,
                            _(L, "See all members"));
        html_raw_trusted(b, "</section>");
}

void
page_coop_show(struct request *req)
{
        enum lang L = req->lang;
        struct coop c;
        int rc = coop_store_get(req->db, &req->user->scope, req->id, req->arena, &c);
        if (rc != STORE_OK) {
                reply_store_error(req, rc);
                return;
        }
        page_begin(req, coop_name(req, &c), "coops");
        struct buf *b = &req->out;
        html_printf(b, "<nav class=\"crumbs\"><a href=\"/cooperatives\">%s</a></nav>",
                    _(L, "Cooperatives"));
        html_printf(b,
                    "<div class=\"page-head\"><div><h1><bdi>%s</bdi></h1><p "
                    "class=\"sub\"><bdi>%s</bdi></p></div>"
                    "<div class=\"actions\">",
                    coop_name(req, &c), coop_other_name(req, &c));
        html_status_badge(req, c.status, _(L, code_label(coop_statuses, c.status)));
        if (user_can(req->user, PERM_COOP_WRITE))
                html_printf(b, "<a class=\"button\" href=\"/cooperatives/%lld/edit\">%s</a>", c.id,
                            _(L, "Edit"));
        html_raw_trusted(b, "</div></div>");

        struct date today = date_today(), d;
        html_printf(b, "<section class=\"panel\"><h2>%s</h2><dl class=\"facts\">",
                    _(L, "Identity"));
        html_fact(req, _(L, "Register number"), c.register_number, "ltr");
        html_fact(req, _(L, "Name in Arabic"), c.name_ar, NULL);
        html_fact(req, _(L, "Name in French"), c.name_fr, NULL);
        html_fact(req, _(L, "Legal creation date"),
                  date_parse(c.legal_date, &d) == 0 ? i18n_date(req->arena, L, d) : c.legal_date,
                  NULL);
        struct age la = coop_legal_age(&c, today);
        html_fact(req, _(L, "Legal age"), i18n_age(req->arena, L, la.years, la.months), NULL);
        const char *start = "";
        const char *years = "";
        if (c.activity_start_date[0] && date_parse(c.activity_start_date, &d) == 0) {
                start = i18n_date(req->arena, L, d);
                struct age aa = coop_activity_age(&c, today);
                years = i18n_age(req->arena, L, aa.years, aa.months);
        }
        html_fact(req, _(L, "Activity start date"), start, NULL);
        html_fact(req, _(L, "Years of activity"), years, NULL);
        html_fact(req, _(L, "Sector"), _(L, code_label(coop_sectors, c.sector)), NULL);
        html_fact(req, _(L, "Activity"), c.activity, NULL);
        html_printf(b, "</dl></section><section class=\"panel\"><h2>%s</h2><dl class=\"facts\">",
                    _(L, "Place and contact"));
        html_fact(req, _(L, "Region"), region_name(req, c.region_code), NULL);
        html_fact(req, _(L, "Province or prefecture"), province_name(req, c.province_code), NULL);
        html_fact(req, _(L, "Commune"), c.commune_code[0] ? commune_name(req, c.commune_code) : "",
                  NULL);
        html_fact(req, _(L, "Address"), c.address, NULL);
        html_fact(req, _(L, "Phone"), c.phone, "ltr");
        html_fact(req, _(L, "E-mail"), c.email, "ltr");
        html_printf(b, "</dl></section><section class=\"panel\"><h2>%s</h2><dl class=\"facts\">",
                    _(L, "Members"));
        html_fact(req, _(L, "Number of members"), i18n_int(req->arena, L, c.members_total), NULL);
        html_fact(req, _(L, "Women"), i18n_int(req->arena, L, c.members_women), NULL);
        html_fact(req, _(L, "Young people"), i18n_int(req->arena, L, c.members_youth), NULL);
        html_fact(req, _(L, "Women-only cooperative"), c.is_women_only ? _(L, "Yes") : _(L, "No"),
                  NULL);
        html_fact(req, _(L, "Soulalyate cooperative"), c.is_soulalyate ? _(L, "Yes") : _(L, "No"),
                  NULL);
        html_raw_trusted(b, "</dl>");
        if (c.notes[0])
                html_printf(b, "<h3>%s</h3><p class=\"notes\" dir=\"auto\">%s</p>", _(L, "Notes"),
                            c.notes);
        html_raw_trusted(b, "</section>");
        if (user_can(req->user, PERM_PERSON_READ))
                members_section(req, &c);
        audit_history_section(req, "cooperative", c.id);
        page_end(req);
}

static void
coop_form(struct request *req, const struct coop *c, const struct errs *e, long long similar_id)
{
        enum lang L = req->lang;
        int editing = c->id > 0;
        const char *title = editing ? _(L, "Edit cooperative") : _(L, "New cooperative");
        page_begin(req, title, "coops");
        struct buf *b = &req->out;
        html_printf(b, "<nav class=\"crumbs\"><a href=\"/cooperatives\">%s</a></nav><h1>%s</h1>",
                    _(L, "Cooperatives"), title);
        form_error_summary(req, e);
        if (editing)
                html_printf(b,
                            "<form method=\"post\" action=\"/cooperatives/%lld\" class=\"record\" "
                            "novalidate>",
                            c->id);
        else
                html_raw_trusted(
                    b,
                    "<form method=\"post\" action=\"/cooperatives\" class=\"record\" novalidate>");
        page_csrf(req);
        if (editing)
                html_printf(b, "<input type=\"hidden\" name=\"version\" value=\"%lld\">",
                            c->version);
        if (similar_id > 0) {
                html_printf(b,
                            "<div class=\"warning\" role=\"alert\"><p>%s <a "
                            "href=\"/cooperatives/%lld\" target=\"_blank\">%s</a></p>",
                            _(L, "A cooperative with a nearly identical name already exists in "
                                 "this province."),
                            similar_id, _(L, "See it"));
                form_checkbox(req, "confirm_similar",
                              _(L, "This is a different cooperative: save it anyway"), 0, NULL);
                html_raw_trusted(b, "</div>");
        }
        char num[3][24];
        snprintf(num[0], sizeof(num[0]), "%lld", c->members_total);
        snprintf(num[1], sizeof(num[1]), "%lld", c->members_women);
        snprintf(num[2], sizeof(num[2]), "%lld", c->members_youth);

        html_printf(b, "<fieldset><legend>%s</legend>", _(L, "Identity"));
        struct form_field fields[] = {
            {.name = "register_number",
             .label = _(L, "Register number"),
             .value = c->register_number,
             .hint = _(L, "As written on the registration certificate."),
             .required = 1,
             .maxlen = 32,
             .dir = "ltr"},
            {.name = "name_ar",
             .label = _(L, "Name in Arabic"),
             .value = c->name_ar,
             .required = 1,
             .maxlen = 200,
             .dir = "rtl",
             .extra = "lang=\"ar\""},
            {.name = "name_fr",
             .label = _(L, "Name in French"),
             .value = c->name_fr,
             .required = 1,
             .maxlen = 200,
             .dir = "ltr",
             .extra = "lang=\"fr\""},
            {.name = "legal_date",
             .label = _(L, "Legal creation date"),
             .value = c->legal_date,
             .type = "date",
             .required = 1,
             .dir = "ltr",
             .hint = _(L, "Date of registration in the local register.")},
            {.name = "activity_start_date",
             .label = _(L, "Activity start date"),
             .value = c->activity_start_date,
             .type = "date",
             .dir = "ltr"},
        };
        for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
                form_input(req, &fields[i], e);
        struct select_option *opts;
        size_t nopts;
        form_code_options(req, coop_sectors, &opts, &nopts);
        form_select(req, "sector", _(L, "Sector"), opts, nopts, c->sector, _(L, "Choose a sector"),
                    e);
        struct form_field act = {.name = "activity",
                                 .label = _(L, "Activity"),
                                 .value = c->activity,
                                 .maxlen = 200,
                                 .dir = "auto"};
        form_input(req, &act, e);
        form_code_options(req, coop_statuses, &opts, &nopts);
        form_select(req, "status", _(L, "Status"), opts, nopts, c->status ? c->status : "active",
                    NULL, e);
        html_printf(b, "</fieldset><fieldset><legend>%s</legend>", _(L, "Place and contact"));
        form_region_options(req, 0, &opts, &nopts);
        form_select(req, "region_code", _(L, "Region"), opts, nopts, c->region_code,
                    _(L, "Choose a region"), e);
        form_province_select(req, "province_code", _(L, "Province or prefecture"), c->province_code,
                             _(L, "Choose a province or prefecture"), 0, e);
        /* Communes of the chosen province; app.js reloads them when the province changes. */
        size_t ncm = 0;
        const struct geo_commune *cm =
            c->province_code ? geo_communes_of(web_geo, c->province_code, &ncm) : NULL;
        struct select_option *copts = arena_alloc(req->arena, (ncm + 1) * sizeof(*copts));
        for (size_t i = 0; i < ncm; i++) {
                copts[i].value = cm[i].code;
                copts[i].label = cm[i].name[lang_data(L)];
        }
        form_select(req, "commune_code", _(L, "Commune"), copts, ncm, c->commune_code,
                    _(L, "Not specified"), e);
        struct form_field place[] = {
            {.name = "address",
             .label = _(L, "Address"),
             .value = c->address,
             .maxlen = 300,
             .dir = "auto"},
            {.name = "phone",
             .label = _(L, "Phone"),
             .value = c->phone,
             .type = "tel",
             .maxlen = 32,
             .dir = "ltr",
             .extra = "autocomplete=\"tel\""},
            {.name = "email",
             .label = _(L, "E-mail"),
             .value = c->email,
             .type = "email",
             .maxlen = 254,
             .dir = "ltr"},
        };
        for (size_t i = 0; i < 3; i++)
                form_input(req, &place[i], e);
        html_printf(b, "</fieldset><fieldset><legend>%s</legend>", _(L, "Members"));
        struct form_field counts[] = {
            {.name = "members_total",
             .label = _(L, "Number of members"),
             .value = num[0],
             .type = "number",
             .required = 1,
             .dir = "ltr",
             .extra = "min=\"0\" inputmode=\"numeric\""},
            {.name = "members_women",
             .label = _(L, "Women"),
             .value = num[1],
             .type = "number",
             .required = 1,
             .dir = "ltr",
             .extra = "min=\"0\" inputmode=\"numeric\""},
            {.name = "members_youth",
             .label = _(L, "Young people"),
             .value = num[2],
             .type = "number",
             .required = 1,
             .dir = "ltr",
             .extra = "min=\"0\" inputmode=\"numeric\"",
             .hint = _(L, "Members aged 18 to 35.")},
        };
        for (size_t i = 0; i < 3; i++)
                form_input(req, &counts[i], e);
        form_checkbox(req, "is_women_only", _(L, "Women-only cooperative"), c->is_women_only, e);
        form_checkbox(req, "is_soulalyate",
                      _(L, "Soulalyate cooperative (collective land community)"), c->is_soulalyate,
                      e);
        struct form_field notes = {.name = "notes",
                                   .label = _(L, "Notes"),
                                   .value = c->notes,
                                   .type = "textarea",
                                   .maxlen = 4000,
                                   .dir = "auto"};
        html_raw_trusted(b, "</fieldset>");
        form_input(req, &notes, e);
        html_printf(b,
                    "<div class=\"form-actions\"><button class=\"primary\">%s</button>"
                    "<a href=\"%s\">%s</a></div></form>",
                    _(L, "Save cooperative"),
                    editing ? arena_printf(req->arena, "/cooperatives/%lld", c->id)
                            : "/cooperatives",
                    _(L, "Cancel"));
        page_end(req);
}

void
page_coop_new(struct request *req)
{
        struct coop c = {0};
        c.status = "active";
        if (!req->user->scope.all && req->user->regions[0] && !req->user->regions[1])
                c.region_code = req->user->regions[0]; /* one region: preselect it */
        coop_form(req, &c, NULL, 0);
}

static const char *
form_get(void *ctx, const char *name)
{
        return req_form(ctx, name);
}

/* Saves the posted form onto c (new when c->id == 0); answers the page. */
static void
coop_save(struct request *req, struct coop *c)
{
        struct errs e;
        errs_init(&e, req->arena, req->lang);
        long long expected = 0;
        if (c->id > 0 &&
            v_int(&e, "version", req_form(req, "version"), 1, 1, 1LL << 62, 0, &expected) != 0) {
                reply_error(req, ERR_BAD_REQUEST, NULL, e.list, e.n);
                return;
        }
        int confirm = 0;
        v_bool(&e, "confirm_similar", req_form(req, "confirm_similar"), &confirm);
        if (coop_apply(c, &e, form_get, req, web_geo, date_today()) != 0) {
                coop_form(req, c, &e, 0);
                req->status = 422;
                return;
        }
        long long similar = 0;
        int rc = c->id > 0 ? coop_store_update(req->db, &req->user->scope, c, expected, confirm,
                                               &similar, req->arena)
                           : coop_store_insert(req->db, &req->user->scope, c, confirm, &similar,
                                               req->arena);
        switch (rc) {
        case STORE_OK:
                reply_redirect(req, arena_printf(req->arena, "/cooperatives/%lld", c->id));
                return;
        case STORE_DUPLICATE:
                errs_add(&e, "register_number",
                         "A cooperative with this register number is already recorded.");
                coop_form(req, c, &e, 0);
                req->status = 409;
                return;
        case STORE_POSSIBLE_DUPLICATE:
                coop_form(req, c, NULL, similar);
                req->status = 409;
                return;
        case STORE_FORBIDDEN:
                errs_add(&e, "region_code", "You can only record cooperatives of your regions.");
                coop_form(req, c, &e, 0);
                req->status = 403;
                return;
        case STORE_CONFLICT:
                reply_error(req, ERR_CONFLICT,
                            _(req->lang,
                              "Someone else changed this cooperative while you were editing it. "
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
page_coop_create(struct request *req)
{
        struct coop c = {0};
        coop_save(req, &c);
}

void
page_coop_edit(struct request *req)
{
        struct coop c;
        int rc = coop_store_get(req->db, &req->user->scope, req->id, req->arena, &c);
        if (rc != STORE_OK) {
                reply_store_error(req, rc);
                return;
        }
        coop_form(req, &c, NULL, 0);
}

void
page_coop_update(struct request *req)
{
        struct coop c;
        int rc = coop_store_get(req->db, &req->user->scope, req->id, req->arena, &c);
        if (rc != STORE_OK) {
                reply_store_error(req, rc);
                return;
        }
        coop_save(req, &c);
}

void
page_geo_communes(struct request *req)
{
        req->is_api = 1;
        size_t n = 0;
        const struct geo_commune *cm = geo_communes_of(web_geo, req_query_str(req, "province"), &n);
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++)
                json_array_append_new(arr, json_pack("{s:s, s:s}", "code", cm[i].code, "name",
                                                     cm[i].name[lang_data(req->lang)]));
        reply_json(req, 200, arr);
        req->cache = "private, max-age=86400";
}

/* The state of a streamed CSV export: its own connection and statement, and its rows. */
struct coop_export {
        struct db *db;
        sqlite3_stmt *st;
        struct arena *arena;
        struct row_stream rows;
};

static void
export_done(void *ctx)
{
        struct coop_export *x = ctx;
        if (x->st)
                sqlite3_reset(x->st);
        db_close(x->db);
        arena_free(x->arena);
        free(x);
}

static int
export_row(void *ctx, struct arena *row, struct buf *out)
{
        struct coop_export *x = ctx;
        struct coop c;
        int rc = coop_store_next(x->st, row, &c);
        if (rc > 0)
                coop_csv_row(out, &c);
        return rc;
}

static long
export_fill(void *ctx, char *out, size_t max)
{
        return row_stream_fill(&((struct coop_export *)ctx)->rows, out, max);
}

void
page_coop_export(struct request *req)
{
        struct errs e;
        errs_init(&e, req->arena, req->lang);
        struct coop_filter f;
        long long page, per_page;
        coop_filter_from_query(req, &f, &e, &page, &per_page);
        if (e.n) {
                reply_error(req, ERR_BAD_REQUEST, NULL, e.list, e.n);
                return;
        }
        /* Its own connection: the thread's connection serves other requests meanwhile. */
        struct coop_export *x = xcalloc(1, sizeof(*x));
        x->arena = arena_new();
        x->db = http_open_db();
        x->st = x->db ? coop_store_cursor(x->db, &req->user->scope, &f, x->arena) : NULL;
        if (x->st == NULL) {
                export_done(x);
                reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
                return;
        }
        row_stream_init(&x->rows, x->arena, export_row, x);
        coop_csv_header(&x->rows.pending);
        struct stream s = {export_fill, export_done, x};
        reply_stream(req, "text/csv; charset=utf-8", &s);
        req->disposition = "attachment; filename=\"cooperatives.csv\"";
}
