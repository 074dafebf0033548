/* privacy_pages.c: the register of processing activities (read, edit, print, CSV), the
 * person page's consent and objection section with its forms, and the printable access page. */
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/csvout.h"
#include "admin/audit_web.h"
#include "core/i18n.h"
#include "privacy/privacy_web.h"
#include "registry/person_store.h"
#include "web/layout.h"
#include "web/pages.h"

static const char *
form_get(void *ctx, const char *name)
{
        return req_form(ctx, name);
}

/* A long date from "YYYY-MM-DD" (the text itself when it does not parse). */
static const char *
long_date(struct request *req, const char *iso)
{
        struct date d;
        if (iso && iso[0] && date_parse(iso, &d) == 0)
                return i18n_date(req->arena, req->lang, d);
        return iso ? iso : "";
}

/* A UTC timestamp "YYYY-MM-DDTHH:MM:SS..." as a long date and the time. */
static const char *
long_time(struct request *req, const char *ts)
{
        if (ts == NULL || strlen(ts) < 16)
                return ts ? ts : "";
        char day[11];
        memcpy(day, ts, 10);
        day[10] = '\0';
        return arena_printf(req->arena, "%s %.5s UTC", long_date(req, day), ts + 11);
}

static const char *
person_name(struct request *req, const struct person *p)
{
        return lang_data(req->lang) == LANG_AR ? p->name_ar : p->name_fr;
}

/* ---- the register ---- */

/* "5 years, from the end of the person's last membership". */
static const char *
retention_text(struct request *req, const struct processing *p)
{
        enum lang L = req->lang;
        const char *span = p->retention_months == 0
                               ? _(L, "Not kept")
                               : i18n_age(req->arena, L, (int)(p->retention_months / 12),
                                          (int)(p->retention_months % 12));
        return arena_printf(req->arena, "%s, %s", span,
                            _(L, code_label(processing_starts, p->retention_start)));
}

static void
processing_facts(struct request *req, const struct processing *p)
{
        enum lang L = req->lang;
        html_raw_trusted(&req->out, "<dl class=\"facts processing\">");
        html_fact(req, _(L, "Purpose"), bitext_pick(&p->purpose, L), "wide");
        html_fact(req, _(L, "Legal basis"), _(L, code_label(processing_bases, p->legal_basis)),
                  NULL);
        html_fact(req, _(L, "Legal basis, in detail"), bitext_pick(&p->legal_basis_note, L),
                  "wide");
        html_fact(req, _(L, "Categories of data"), bitext_pick(&p->data_categories, L), "wide");
        html_fact(req, _(L, "Data subjects"), bitext_pick(&p->data_subjects, L), NULL);
        html_fact(req, _(L, "Recipients"), bitext_pick(&p->recipients, L), NULL);
        html_fact(req, _(L, "Retention period"), retention_text(req, p), NULL);
        const char *tr = bitext_pick(&p->transfers, L);
        html_fact(req, _(L, "Transfers outside Morocco"),
                  p->transfers_abroad ? tr
                  : tr[0]             ? tr
                                      : _(L, "None"),
                  NULL);
        html_fact(req, _(L, "Security measures"), bitext_pick(&p->security, L), "wide");
        html_raw_trusted(&req->out, "</dl>");
}

/* The register, for reading (with edit links and exports) or for printing. */
static void
register_page(struct request *req, int printable)
{
        enum lang L = req->lang;
        struct processing *items;
        size_t n;
        if (privacy_store_processing_list(req->db, req->arena, &items, &n) != STORE_OK) {
                reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
                return;
        }
        const char *title = _(L, "Register of processing activities");
        page_begin(req, title, "privacy");
        struct buf *b = &req->out;
        if (printable)
                html_printf(b, "<nav class=\"crumbs\"><a href=\"/admin/processing\">%s</a></nav>",
                            title);
        html_printf(b, "<div class=\"page-head\"><div><h1>%s</h1><p class=\"sub\">%s</p></div>",
                    title,
                    printable ? arena_printf(req->arena, _(L, "As of %s"),
                                             i18n_date(req->arena, L, date_today()))
                              : _(L, "Law 09-08: what murafiq does with personal data, for the "
                                     "declaration to the CNDP."));
        if (!printable)
                html_printf(b,
                            "<div class=\"actions\"><a class=\"button\" "
                            "href=\"/admin/processing/print\">%s</a>"
                            "<a class=\"button\" href=\"/admin/processing.csv\">%s</a>"
                            "<a class=\"button\" href=\"/api/v1/processing\">%s</a></div>",
                            _(L, "Printable version"), _(L, "Export CSV"), _(L, "Export JSON"));
        html_raw_trusted(b, "</div>");
        if (!printable)
                html_printf(b, "<p>%s</p>",
                            _(L, "The retention periods below are applied by the command murafiq "
                                 "retention purge: changing one here changes what it removes."));
        for (size_t i = 0; i < n; i++) {
                const struct processing *p = &items[i];
                html_printf(b,
                            "<section class=\"panel processing\" id=\"p-%s\">"
                            "<div class=\"page-head\"><h2>%s</h2>",
                            p->code, bitext_pick(&p->name, L));
                if (!printable)
                        html_printf(b,
                                    "<div class=\"actions\"><a class=\"button\" "
                                    "href=\"/admin/processing/%lld/edit\">%s</a></div>",
                                    p->id, _(L, "Edit"));
                html_raw_trusted(b, "</div>");
                processing_facts(req, p);
                html_raw_trusted(b, "</section>");
        }
        page_end(req);
}

void
page_processing_list(struct request *req)
{
        register_page(req, 0);
}

void
page_processing_print(struct request *req)
{
        register_page(req, 1);
}

void
page_processing_csv(struct request *req)
{
        struct processing *items;
        size_t n;
        if (privacy_store_processing_list(req->db, req->arena, &items, &n) != STORE_OK) {
                reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
                return;
        }
        struct buf *b = &req->out;
        csv_put_field(b, "code", 1);
        csv_put_field(b, "position", 0);
        for (size_t k = 0; processing_fields[k]; k++)
                csv_put_field(b, processing_fields[k], 0);
        buf_puts(b, "\r\n");
        for (size_t i = 0; i < n; i++) {
                json_t *j = privacy_processing_json(&items[i]);
                csv_put_field(b, items[i].code, 1);
                csv_put_field(b, arena_printf(req->arena, "%lld", items[i].position), 0);
                for (size_t k = 0; processing_fields[k]; k++) {
                        json_t *v = json_object_get(j, processing_fields[k]);
                        const char *s =
                            json_is_string(v) ? json_string_value(v)
                            : json_is_integer(v)
                                ? arena_printf(req->arena, "%lld", (long long)json_integer_value(v))
                            : json_is_boolean(v) ? (json_is_true(v) ? "1" : "0")
                                                 : "";
                        csv_put_field(b, s, 0);
                }
                buf_puts(b, "\r\n");
                json_decref(j);
        }
        req->status = 200;
        req->content_type = "text/csv; charset=utf-8";
        req->disposition = "attachment; filename=\"processing-register.csv\"";
}

static int
processing_or_reply(struct request *req, struct processing *p)
{
        int rc = privacy_store_processing_get(req->db, req->id, req->arena, p);
        if (rc != STORE_OK) {
                reply_store_error(req, rc);
                return -1;
        }
        return 0;
}

static void
processing_form(struct request *req, const struct processing *p, const struct errs *e)
{
        enum lang L = req->lang;
        const char *title = _(L, "Edit the processing");
        page_begin(req, title, "privacy");
        struct buf *b = &req->out;
        html_printf(b, "<nav class=\"crumbs\"><a href=\"/admin/processing\">%s</a></nav>",
                    _(L, "Register of processing activities"));
        html_printf(b, "<h1>%s</h1><p class=\"sub\"><bdi>%s</bdi></p>", title,
                    bitext_pick(&p->name, L));
        form_error_summary(req, e);
        html_printf(b,
                    "<form method=\"post\" action=\"/admin/processing/%lld\" class=\"record\" "
                    "novalidate>",
                    p->id);
        page_csrf(req);
        html_printf(b, "<input type=\"hidden\" name=\"version\" value=\"%lld\">", p->version);
        for (const struct processing_text_field *f = processing_text_fields; f->base; f++) {
                const struct bitext *t = (const struct bitext *)((const char *)p + f->off);
                html_printf(b, "<fieldset><legend>%s</legend>", _(L, f->label));
                for (int k = 0; k < 2; k++) {
                        struct form_field ff = {
                            .name = arena_printf(req->arena, "%s_%s", f->base, k ? "fr" : "ar"),
                            .label = k ? _(L, "In French") : _(L, "In Arabic"),
                            .value = k ? t->fr : t->ar,
                            .type = f->multiline ? "textarea" : "text",
                            .required = f->required,
                            .maxlen = strcmp(f->base, "name") == 0 ? PROCESSING_NAME_MAX
                                                                   : PROCESSING_TEXT_MAX,
                            .dir = k ? "ltr" : "rtl",
                            .extra = k ? "lang=\"fr\"" : "lang=\"ar\""};
                        /* Both languages share one label: the summary names the field fully. */
                        form_input(req, &ff, e);
                        form_remember_label(
                            req, ff.name,
                            arena_printf(req->arena, "%s (%s)", _(L, f->label), ff.label));
                }
                if (strcmp(f->base, "legal_basis_note") == 0) {
                        struct select_option *opts;
                        size_t nopts;
                        form_code_options(req, processing_bases, &opts, &nopts);
                        form_select(req, "legal_basis", _(L, "Legal basis"), opts, nopts,
                                    p->legal_basis, _(L, "Choose"), e);
                }
                if (strcmp(f->base, "transfers") == 0)
                        form_checkbox(req, "transfers_abroad",
                                      _(L, "Data are transferred outside Morocco"),
                                      p->transfers_abroad, e);
                html_raw_trusted(b, "</fieldset>");
                if (strcmp(f->base, "recipients") == 0) {
                        html_printf(b, "<fieldset><legend>%s</legend>", _(L, "Retention period"));
                        struct form_field m = {
                            .name = "retention_months",
                            .label = _(L, "Months"),
                            .value = arena_printf(req->arena, "%lld", p->retention_months),
                            .type = "number",
                            .required = 1,
                            .maxlen = 4,
                            .dir = "ltr",
                            .hint = _(L, "Whole months, from 0 to 1,200 (100 years)."),
                            .extra = "inputmode=\"numeric\" min=\"0\" max=\"1200\""};
                        form_input(req, &m, e);
                        struct select_option *opts;
                        size_t nopts;
                        form_code_options(req, processing_starts, &opts, &nopts);
                        form_select(req, "retention_start", _(L, "Counted"), opts, nopts,
                                    p->retention_start, _(L, "Choose"), e);
                        html_raw_trusted(b, "</fieldset>");
                }
        }
        html_printf(b,
                    "<div class=\"form-actions\"><button class=\"primary\">%s</button>"
                    "<a href=\"/admin/processing#p-%s\">%s</a></div></form>",
                    _(L, "Save the processing"), p->code, _(L, "Cancel"));
        page_end(req);
}

void
page_processing_edit(struct request *req)
{
        struct processing p;
        if (processing_or_reply(req, &p) == 0)
                processing_form(req, &p, NULL);
}

void
page_processing_update(struct request *req)
{
        struct processing p;
        if (processing_or_reply(req, &p) != 0)
                return;
        struct errs e;
        errs_init(&e, req->arena, req->lang);
        long long expected = 0;
        if (v_int(&e, "version", req_form(req, "version"), 1, 1, 1LL << 62, 0, &expected) != 0) {
                reply_error(req, ERR_BAD_REQUEST, NULL, e.list, e.n);
                return;
        }
        /* An unticked box sends only the hidden 0; a form without the field keeps the flag. */
        if (processing_apply(&p, &e, form_get, req) != 0) {
                processing_form(req, &p, &e);
                req->status = 422;
                return;
        }
        int rc = privacy_store_processing_update(req->db, &p, expected, req->arena);
        if (rc == STORE_OK)
                reply_redirect(req, arena_printf(req->arena, "/admin/processing#p-%s", p.code));
        else if (rc == STORE_CONFLICT)
                reply_error(req, ERR_CONFLICT,
                            _(req->lang, "Someone else changed this processing while you were "
                                         "editing. Open it again to see their changes, then make "
                                         "yours."),
                            NULL, 0);
        else
                reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
}

/* ---- the person's section: consents and objection ---- */

int
privacy_person_or_reply(struct request *req, struct person *p)
{
        int rc = person_store_read(req->db, &req->user->scope, req->id,
                                   user_can(req->user, PERM_NATIONAL_ID), req->arena, p);
        if (rc != STORE_OK) {
                reply_store_error(req, rc);
                return -1;
        }
        return 0;
}

/* Which form of the section failed, so that its fields show the errors and what was typed. */
enum failed_form { FAILED_NONE, FAILED_CONSENT, FAILED_WITHDRAW, FAILED_OBJECTION };

struct section_state {
        const struct errs *e;
        enum failed_form failed;
        long long consent_id; /* FAILED_WITHDRAW: which consent */
};

static const char *
posted_or(struct request *req, const struct section_state *s, enum failed_form f, const char *name,
          const char *dflt)
{
        const char *v = s->failed == f ? req_form(req, name) : NULL;
        return v ? v : dflt;
}

static void
consents_part(struct request *req, const struct person *p, const struct section_state *s,
              const struct consent *c, size_t nc, const struct consent_wording *w, size_t nw)
{
        enum lang L = req->lang;
        struct buf *b = &req->out;
        int can_write = user_can(req->user, PERM_PERSON_WRITE);
        char today[11];
        date_format_iso(date_today(), today);
        html_printf(b, "<h3>%s</h3>", _(L, "Consents"));
        if (nc == 0) {
                html_printf(b, "<p class=\"empty\">%s</p>", _(L, "No consent is recorded."));
        } else {
                html_printf(b,
                            "<div class=\"table-wrap\"><table class=\"list consents\"><thead><tr>"
                            "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                            "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                            "<th scope=\"col\">%s</th></tr></thead><tbody>",
                            _(L, "Given on"), _(L, "Wording"), _(L, "Channel"),
                            _(L, "Collected by"), _(L, "Status"));
        }
        for (size_t i = 0; i < nc; i++) {
                const struct consent *k = &c[i];
                html_printf(b,
                            "<tr id=\"consent-%lld\"><th scope=\"row\" data-label=\"%s\">%s</th>"
                            "<td data-label=\"%s\">%s</td><td data-label=\"%s\">%s</td>"
                            "<td data-label=\"%s\"><bdi>%s</bdi></td><td data-label=\"%s\">"
                            "<div class=\"consent-status\">",
                            k->id, _(L, "Given on"), long_date(req, k->given_on), _(L, "Wording"),
                            arena_printf(req->arena, _(L, "Version %lld"), k->wording_version),
                            _(L, "Channel"), _(L, code_label(consent_channels, k->channel)),
                            _(L, "Collected by"), k->collector[0] ? k->collector : "—",
                            _(L, "Status"));
                if (k->withdrawn_on[0]) {
                        html_printf(b, "<span class=\"badge badge-withdrawn\">%s</span>",
                                    arena_printf(req->arena, _(L, "Withdrawn on %s"),
                                                 long_date(req, k->withdrawn_on)));
                } else {
                        html_printf(b, "<span class=\"badge badge-active\">%s</span>",
                                    _(L, "In force"));
                        if (can_write) {
                                int mine = s->failed == FAILED_WITHDRAW && s->consent_id == k->id;
                                const char *err = mine ? errs_for(s->e, "withdrawn_on") : NULL;
                                /* Only the form that failed takes the field's plain id, which
                                 * the error summary links to. */
                                const char *fid =
                                    mine ? "f-withdrawn_on"
                                         : arena_printf(req->arena, "f-withdrawn_on-%lld", k->id);
                                if (mine)
                                        form_remember_label(req, "withdrawn_on",
                                                            _(L, "Withdrawn on"));
                                html_printf(b,
                                            "<form method=\"post\" class=\"withdraw%s\" "
                                            "action=\"/people/%lld/consents/withdraw\">",
                                            err ? " has-error" : "", p->id);
                                page_csrf(req);
                                html_printf(b,
                                            "<input type=\"hidden\" name=\"consent_id\" "
                                            "value=\"%lld\"><label for=\"%s\">%s</label>",
                                            k->id, fid, _(L, "Withdrawn on"));
                                if (err)
                                        html_printf(
                                            b, "<p class=\"error\" id=\"e-withdrawn_on\">%s</p>",
                                            err);
                                html_printf(b,
                                            "<input type=\"date\" id=\"%s\" name=\"withdrawn_on\" "
                                            "value=\"%s\" dir=\"ltr\" required%s>"
                                            "<button class=\"secondary\">%s</button></form>",
                                            fid,
                                            mine && req_form(req, "withdrawn_on")
                                                ? req_form(req, "withdrawn_on")
                                                : today,
                                            err ? " aria-invalid=\"true\" "
                                                  "aria-describedby=\"e-withdrawn_on\""
                                                : "",
                                            _(L, "Record the withdrawal"));
                        }
                }
                html_raw_trusted(b, "</div></td></tr>");
        }
        if (nc)
                html_raw_trusted(b, "</tbody></table></div>");
        if (!can_write || nw == 0)
                return;
        const struct errs *e = s->failed == FAILED_CONSENT ? s->e : NULL;
        html_printf(b, "<h4>%s</h4>", _(L, "Record a consent"));
        html_printf(b,
                    "<form method=\"post\" action=\"/people/%lld/consents\" class=\"record\" "
                    "novalidate>",
                    p->id);
        page_csrf(req);
        struct select_option *opts = arena_alloc(req->arena, nw * sizeof(*opts));
        for (size_t i = 0; i < nw; i++) {
                opts[i].value = arena_printf(req->arena, "%lld", w[i].version);
                opts[i].label = arena_printf(req->arena, _(L, "Version %lld"), w[i].version);
        }
        form_select(req, "wording_version", _(L, "Wording read to or signed by the person"), opts,
                    nw, posted_or(req, s, FAILED_CONSENT, "wording_version", opts[nw - 1].value),
                    NULL, e);
        html_printf(b, "<details class=\"wording\"><summary>%s</summary>",
                    _(L, "Read the wordings"));
        for (size_t i = nw; i-- > 0;)
                html_printf(b, "<p><strong>%s</strong> %s</p>",
                            arena_printf(req->arena, _(L, "Version %lld"), w[i].version),
                            consent_wording_text(&w[i], L));
        html_raw_trusted(b, "</details>");
        struct form_field given = {.name = "given_on",
                                   .label = _(L, "Given on"),
                                   .value = posted_or(req, s, FAILED_CONSENT, "given_on", today),
                                   .type = "date",
                                   .required = 1,
                                   .maxlen = 10,
                                   .dir = "ltr"};
        form_input(req, &given, e);
        struct select_option *ch;
        size_t nch;
        form_code_options(req, consent_channels, &ch, &nch);
        form_select(req, "channel", _(L, "Channel"), ch, nch,
                    posted_or(req, s, FAILED_CONSENT, "channel", ""), _(L, "Choose"), e);
        html_printf(b,
                    "<p class=\"hint\">%s</p><div class=\"form-actions\"><button "
                    "class=\"primary\">%s</button></div></form>",
                    _(L, "You are recorded as the person who collected this consent."),
                    _(L, "Record the consent"));
}

static void
objection_part(struct request *req, const struct person *p, const struct section_state *s,
               const struct objection *o, int objected)
{
        enum lang L = req->lang;
        struct buf *b = &req->out;
        int can_write = user_can(req->user, PERM_PERSON_WRITE);
        html_printf(b, "<h3>%s</h3>", _(L, "Objection"));
        if (objected) {
                html_printf(b,
                            "<div class=\"warning\" role=\"status\"><p><strong>%s</strong></p>"
                            "<p><bdi>%s</bdi></p><p class=\"sub\">%s</p></div>",
                            arena_printf(req->arena, _(L, "This person objected on %s."),
                                         long_date(req, o->objected_on)),
                            o->reason,
                            _(L, "They are left out of the people export, of mailing and contact "
                                 "lists and of statistics that name people."));
                if (can_write) {
                        html_printf(b,
                                    "<form method=\"post\" action=\"/people/%lld/objection/lift\" "
                                    "class=\"inline\">",
                                    p->id);
                        page_csrf(req);
                        html_printf(b, "<button class=\"secondary\">%s</button></form>",
                                    _(L, "Lift the objection"));
                }
                return;
        }
        html_printf(b, "<p class=\"empty\">%s</p>", _(L, "No objection is recorded."));
        if (!can_write)
                return;
        const struct errs *e = s->failed == FAILED_OBJECTION ? s->e : NULL;
        char today[11];
        date_format_iso(date_today(), today);
        html_printf(b,
                    "<details class=\"objection\"%s><summary>%s</summary>"
                    "<form method=\"post\" action=\"/people/%lld/objection\" class=\"record\" "
                    "novalidate>",
                    e ? " open" : "", _(L, "Record an objection"), p->id);
        page_csrf(req);
        struct form_field d = {.name = "objected_on",
                               .label = _(L, "Objected on"),
                               .value = posted_or(req, s, FAILED_OBJECTION, "objected_on", today),
                               .type = "date",
                               .required = 1,
                               .maxlen = 10,
                               .dir = "ltr"};
        form_input(req, &d, e);
        struct form_field r = {
            .name = "reason",
            .label = _(L, "Reason given by the person"),
            .value = posted_or(req, s, FAILED_OBJECTION, "reason", ""),
            .type = "textarea",
            .required = 1,
            .maxlen = OBJECTION_REASON_MAX,
            .dir = "auto",
            .hint = _(L, "Law 09-08, article 9: the person may object for legitimate reasons.")};
        form_input(req, &r, e);
        html_printf(b,
                    "<div class=\"form-actions\"><button class=\"primary\">%s</button></div>"
                    "</form></details>",
                    _(L, "Record the objection"));
}

static void
section(struct request *req, const struct person *p, const struct section_state *s)
{
        enum lang L = req->lang;
        struct buf *b = &req->out;
        struct consent *c = NULL;
        struct consent_wording *w = NULL;
        size_t nc = 0, nw = 0;
        struct objection o;
        int orc = privacy_store_objection_get(req->db, &req->user->scope, p->id, req->arena, &o);
        if (privacy_store_consents(req->db, &req->user->scope, p->id, req->arena, &c, &nc) !=
                STORE_OK ||
            privacy_store_wordings(req->db, req->arena, &w, &nw) != STORE_OK ||
            (orc != STORE_OK && orc != STORE_NOT_FOUND)) {
                html_printf(b, "<p class=\"error\">%s</p>",
                            _(L, "The consents could not be read."));
                return;
        }
        html_printf(b, "<section class=\"panel privacy\" id=\"privacy\"><h2>%s</h2>",
                    _(L, "Personal data (law 09-08)"));
        if (s->e)
                form_error_summary(req, s->e);
        consents_part(req, p, s, c, nc, w, nw);
        objection_part(req, p, s, &o, orc == STORE_OK);
        html_printf(b,
                    "<h3>%s</h3><p>%s</p><p class=\"actions\"><a class=\"button\" "
                    "href=\"/people/%lld/data\">%s</a>"
                    "<a class=\"button\" href=\"/people/%lld/data.json\">%s</a></p>",
                    _(L, "Right of access"),
                    _(L, "Everything murafiq holds about this person, to give them on request. "
                         "Corrections are made by editing the record."),
                    p->id, _(L, "Data held, printable"), p->id, _(L, "Data held, JSON"));
        html_raw_trusted(b, "</section>");
}

void
privacy_person_section(struct request *req, const struct person *p)
{
        struct section_state s = {NULL, FAILED_NONE, 0};
        section(req, p, &s);
}

/* A page with the section alone, its failed form showing e's errors (status: the caller's). */
static void
section_page(struct request *req, const struct person *p, const struct section_state *s, int status)
{
        enum lang L = req->lang;
        page_begin(req, person_name(req, p), "people");
        html_printf(&req->out,
                    "<nav class=\"crumbs\"><a href=\"/people\">%s</a> › <a "
                    "href=\"/people/%lld\"><bdi>%s</bdi></a></nav>",
                    _(L, "People"), p->id, person_name(req, p));
        html_printf(&req->out, "<h1><bdi>%s</bdi></h1>", person_name(req, p));
        section(req, p, s);
        page_end(req);
        req->status = status;
}

static const char *
back_to(struct request *req, long long id, const char *anchor)
{
        return arena_printf(req->arena, "/people/%lld#%s", id, anchor);
}

void
page_consent_create(struct request *req)
{
        struct person p;
        if (privacy_person_or_reply(req, &p) != 0)
                return;
        struct consent_wording *w;
        size_t nw;
        if (privacy_store_wordings(req->db, req->arena, &w, &nw) != STORE_OK) {
                reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
                return;
        }
        long long *versions = arena_alloc(req->arena, (nw + 1) * sizeof(*versions));
        for (size_t i = 0; i < nw; i++)
                versions[i] = w[i].version;
        struct errs e;
        errs_init(&e, req->arena, req->lang);
        struct consent c = {.person_id = p.id, .collected_by = req->user->id};
        struct section_state s = {&e, FAILED_CONSENT, 0};
        if (consent_apply(&c, &e, form_get, req, versions, nw, date_today()) != 0) {
                section_page(req, &p, &s, 422);
                return;
        }
        int rc = privacy_store_consent_insert(req->db, &req->user->scope, &c, req->arena);
        if (rc == STORE_OK)
                reply_redirect(req, back_to(req, p.id, "privacy"));
        else
                reply_store_error(req, rc);
}

void
page_consent_withdraw(struct request *req)
{
        struct person p;
        if (privacy_person_or_reply(req, &p) != 0)
                return;
        struct errs e;
        errs_init(&e, req->arena, req->lang);
        long long cid = 0;
        if (v_int(&e, "consent_id", req_form(req, "consent_id"), 1, 1, 1LL << 62, 0, &cid) != 0) {
                reply_error(req, ERR_BAD_REQUEST, NULL, e.list, e.n);
                return;
        }
        struct consent c;
        int rc = privacy_store_consent_get(req->db, &req->user->scope, p.id, cid, req->arena, &c);
        if (rc != STORE_OK) {
                reply_store_error(req, rc);
                return;
        }
        const char *on = NULL;
        struct section_state s = {&e, FAILED_WITHDRAW, cid};
        if (consent_check_withdrawal(&c, &e, req_form(req, "withdrawn_on"), date_today(), &on) !=
            0) {
                section_page(req, &p, &s, c.withdrawn_on[0] ? 409 : 422);
                return;
        }
        rc = privacy_store_consent_withdraw(req->db, &req->user->scope, p.id, cid, on, req->arena);
        if (rc == STORE_OK)
                reply_redirect(req, back_to(req, p.id, "privacy"));
        else if (rc == STORE_CONFLICT)
                reply_error(req, ERR_CONFLICT, _(req->lang, "This consent is withdrawn already."),
                            NULL, 0);
        else
                reply_store_error(req, rc);
}

void
page_objection_set(struct request *req)
{
        struct person p;
        if (privacy_person_or_reply(req, &p) != 0)
                return;
        struct errs e;
        errs_init(&e, req->arena, req->lang);
        struct objection o = {0};
        struct section_state s = {&e, FAILED_OBJECTION, 0};
        if (objection_apply(&o, &e, form_get, req, date_today()) != 0) {
                section_page(req, &p, &s, 422);
                return;
        }
        int rc = privacy_store_objection_set(req->db, &req->user->scope, p.id, &o, req->user->id,
                                             req->arena);
        if (rc == STORE_OK)
                reply_redirect(req, back_to(req, p.id, "privacy"));
        else
                reply_store_error(req, rc);
}

void
page_objection_lift(struct request *req)
{
        struct person p;
        if (privacy_person_or_reply(req, &p) != 0)
                return;
        int rc = privacy_store_objection_lift(req->db, &req->user->scope, p.id);
        if (rc == STORE_OK)
                reply_redirect(req, back_to(req, p.id, "privacy"));
        else
                reply_store_error(req, rc);
}

/* ---- the printable access page ---- */

static const char *
json_text(json_t *o, const char *key)
{
        const char *s = json_string_value(json_object_get(o, key));
        return s ? s : "";
}

/* The privacy module's tables, as the history names them (the trail's own labels first). */
static const struct code_label privacy_entities[] = {
    {"consent", N_("Consent")},
    {"person_objection", N_("Objection")},
    {"membership_end", N_("End of membership")},
    {NULL, NULL},
};

/* A JSON value of the trail as text ("" for null). */
static const char *
value_text(struct request *req, const json_t *v)
{
        if (v == NULL || json_is_null(v))
                return "";
        if (json_is_string(v))
                return json_string_value(v);
        char *d = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
        const char *out = arena_strdup(req->arena, d ? d : "");
        free(d);
        return out;
}

/* {"column": [before, after]} as a list: the column, the old value struck, the new one. */
static void
changes_html(struct request *req, json_t *changes)
{
        struct buf *b = &req->out;
        if (!json_is_object(changes))
                return;
        const char *k;
        json_t *v;
        html_raw_trusted(b, "<ul class=\"changes\">");
        json_object_foreach(changes, k, v)
        {
                const char *before = value_text(req, json_array_get(v, 0));
                const char *after = value_text(req, json_array_get(v, 1));
                html_printf(b, "<li><code class=\"field\">%s</code> ", k);
                if (before[0])
                        html_printf(b, "<del><bdi>%s</bdi></del> ", before);
                if (after[0])
                        html_printf(b, "<ins><bdi>%s</bdi></ins>", after);
                html_raw_trusted(b, "</li>");
        }
        html_raw_trusted(b, "</ul>");
}

void
page_person_data(struct request *req)
{
        enum lang L = req->lang;
        struct person p;
        if (privacy_person_or_reply(req, &p) != 0)
                return;
        json_t *j = privacy_access_json(req, &p);
        if (j == NULL)
                return;
        const char *title = _(L, "Data held on a person");
        page_begin(req, title, "people");
        struct buf *b = &req->out;
        html_printf(b,
                    "<nav class=\"crumbs\"><a href=\"/people\">%s</a> › <a "
                    "href=\"/people/%lld\"><bdi>%s</bdi></a></nav>",
                    _(L, "People"), p.id, person_name(req, &p));
        html_printf(b,
                    "<article class=\"access\"><div class=\"page-head\"><div><h1>%s</h1>"
                    "<p class=\"sub\"><bdi>%s</bdi> · <bdi>%s</bdi></p></div>"
                    "<div class=\"actions no-print\"><a class=\"button\" "
                    "href=\"/people/%lld/data.json\">%s</a></div></div>",
                    title, p.name_ar, p.name_fr, p.id, _(L, "Data held, JSON"));
        html_printf(b, "<p>%s</p>",
                    arena_printf(req->arena,
                                 _(L, "Extract made on %s under law 09-08 (right of access, "
                                      "article 7). It lists every record murafiq holds about "
                                      "this person."),
                                 i18n_date(req->arena, L, date_today())));
        html_printf(b, "<section class=\"panel\"><h2>%s</h2><dl class=\"facts\">",
                    _(L, "Identity"));
        html_fact(req, _(L, "Name in Arabic"), p.name_ar, NULL);
        html_fact(req, _(L, "Name in French"), p.name_fr, NULL);
        html_fact(req, _(L, "Sex"), _(L, code_label(person_sexes, p.sex)), NULL);
        html_fact(req, _(L, "Birth date"), long_date(req, p.birth_date), NULL);
        if (user_can(req->user, PERM_NATIONAL_ID))
                html_fact(req, _(L, "National ID number"), p.national_id, "ltr");
        html_fact(req, _(L, "Phone"), p.phone, "ltr");
        html_fact(req, _(L, "Region"), region_name(req, p.region_code), NULL);
        html_fact(req, _(L, "Province or prefecture"),
                  p.province_code[0] ? province_name(req, p.province_code) : "", NULL);
        html_fact(req, _(L, "Recorded on"), long_time(req, p.created_at), NULL);
        html_fact(req, _(L, "Last changed on"), long_time(req, p.updated_at), NULL);
        html_raw_trusted(b, "</dl></section>");

        json_t *m = json_object_get(j, "memberships");
        html_printf(b, "<section class=\"panel\"><h2>%s</h2>", _(L, "Cooperatives"));
        if (json_array_size(m) == 0)
                html_printf(b, "<p class=\"empty\">%s</p>",
                            _(L, "This person is not recorded as a member of any cooperative."));
        else
                html_raw_trusted(b, "<ul>");
        for (size_t i = 0; i < json_array_size(m); i++) {
                json_t *x = json_array_get(m, i);
                html_printf(b, "<li><bdi>%s</bdi> (<bdi>%s</bdi>): %s</li>",
                            json_text(x, lang_data(L) == LANG_AR ? "name_ar" : "name_fr"),
                            json_text(x, "register_number"),
                            _(L, person_role_label(json_text(x, "role"))));
        }
        if (json_array_size(m))
                html_raw_trusted(b, "</ul>");
        html_raw_trusted(b, "</section>");

        json_t *cs = json_object_get(j, "consents");
        html_printf(b, "<section class=\"panel\"><h2>%s</h2>", _(L, "Consents"));
        if (json_array_size(cs) == 0)
                html_printf(b, "<p class=\"empty\">%s</p>", _(L, "No consent is recorded."));
        for (size_t i = 0; i < json_array_size(cs); i++) {
                json_t *x = json_array_get(cs, i);
                const char *wd = json_text(x, "withdrawn_on");
                html_printf(
                    b, "<p><strong>%s</strong> · %s · %s</p><blockquote>%s</blockquote>",
                    arena_printf(req->arena, _(L, "Given on %s"),
                                 long_date(req, json_text(x, "given_on"))),
                    _(L, code_label(consent_channels, json_text(x, "channel"))),
                    wd[0] ? arena_printf(req->arena, _(L, "Withdrawn on %s"), long_date(req, wd))
                          : _(L, "In force"),
                    json_text(x, lang_data(L) == LANG_AR   ? "wording_ar"
                                 : lang_data(L) == LANG_EN ? "wording_en"
                                                           : "wording_fr"));
        }
        html_raw_trusted(b, "</section>");

        json_t *ob = json_object_get(j, "objection");
        html_printf(b, "<section class=\"panel\"><h2>%s</h2>", _(L, "Objection"));
        if (json_is_object(ob))
                html_printf(b, "<p>%s</p><p><bdi>%s</bdi></p>",
                            arena_printf(req->arena, _(L, "This person objected on %s."),
                                         long_date(req, json_text(ob, "objected_on"))),
                            json_text(ob, "reason"));
        else
                html_printf(b, "<p class=\"empty\">%s</p>", _(L, "No objection is recorded."));
        html_raw_trusted(b, "</section>");

        json_t *au = json_object_get(j, "audit");
        html_printf(b, "<section class=\"panel\"><h2>%s</h2>", _(L, "History of the record"));
        if (!json_is_array(au) || json_array_size(au) == 0) {
                html_printf(b, "<p class=\"empty\">%s</p>", _(L, "No change is recorded."));
        } else {
                html_printf(b,
                            "<div class=\"table-wrap\"><table class=\"list history\"><thead><tr>"
                            "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                            "<th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead>"
                            "<tbody>",
                            _(L, "When"), _(L, "Who"), _(L, "What"), _(L, "Changes"));
                for (size_t i = 0; i < json_array_size(au); i++) {
                        json_t *x = json_array_get(au, i);
                        const char *action = audit_action_label(json_text(x, "action"));
                        const char *entity = audit_entity_label(json_text(x, "entity"));
                        if (entity == NULL)
                                entity = code_label(privacy_entities, json_text(x, "entity"));
                        html_printf(b,
                                    "<tr><th scope=\"row\" data-label=\"%s\">%s</th>"
                                    "<td data-label=\"%s\"><bdi>%s</bdi></td>"
                                    "<td data-label=\"%s\">%s · %s</td><td data-label=\"%s\">",
                                    _(L, "When"), long_time(req, json_text(x, "at")), _(L, "Who"),
                                    json_text(x, "login"), _(L, "What"),
                                    action ? _(L, action) : json_text(x, "action"),
                                    entity ? _(L, entity) : json_text(x, "entity"),
                                    _(L, "Changes"));
                        changes_html(req, json_object_get(json_object_get(x, "detail"), "changes"));
                        html_raw_trusted(b, "</td></tr>");
                }
                html_raw_trusted(b, "</tbody></table></div>");
        }
        html_raw_trusted(b, "</section></article>");
        json_decref(j);
        page_end(req);
}
