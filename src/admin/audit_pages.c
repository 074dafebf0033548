/* audit_pages.c: the audit trail for admins (filters, pages, chain check) and the history
 * panel of record pages. */
#include <jansson.h>
#include <string.h>

#include "admin/audit_web.h"
#include "core/arena.h"
#include "core/i18n.h"
#include "registry/store.h"
#include "web/layout.h"
#include "web/pages.h"

static const struct code_label action_labels[] = {
    {"insert", N_("Created")},
    {"update", N_("Changed")},
    {"delete", N_("Deleted")},
    {"login", N_("Logged in")},
    {"login_failed", N_("Failed login")},
    {"logout", N_("Logged out")},
    {"refused", N_("Refused")},
    {"export", N_("Export")},
    {"demo_generated", N_("Demo data generated")},
    {"second_factor_enabled", N_("Second factor turned on")},
    {"second_factor_disabled", N_("Second factor turned off")},
    {"second_factor_reset", N_("Second factor reset")},
    {"second_factor_failed", N_("Wrong second-factor code")},
    {"recovery_codes_regenerated", N_("Recovery codes replaced")},
    {"recovery_code_used", N_("Recovery code used")},
    {NULL, NULL},
};

/* Tables as the trail names them; another table shows its own name. */
static const struct {
        const char *entity, *label, *path;
} entities[] = {
    {"cooperative", N_("Cooperative"), "/cooperatives/"},
    {"person", N_("Person"), "/people/"},
    {"membership", N_("Membership"), NULL},
    {"organisation", N_("Organisation"), "/organisations/"},
    {"app_user", N_("Account"), "/admin/users/"},
    {"user_region", N_("Account region"), NULL},
    {"api_token", N_("API token"), NULL},
    {"program", N_("Program"), "/programs/"},
    {"tranche", N_("Tranche"), "/tranches/"},
    {"program_call", N_("Call for applications"), "/calls/"},
    {"call_rules", N_("Eligibility rules"), NULL},
    {"application", N_("Application"), "/applications/"},
    {"evaluation", N_("Evaluation"), NULL},
    {"selection_run", N_("Selection run"), NULL},
    {"draw", N_("Draw"), "/draws/"},
};

/* Columns shown under a label the pages already use; other columns keep their own name. */
static const struct code_label column_labels[] = {
    {"name_ar", N_("Arabic name")},
    {"name_fr", N_("French name")},
    {"register_number", N_("Register number")},
    {"legal_date", N_("Legal creation date")},
    {"sector", N_("Sector")},
    {"activity", N_("Activity")},
    {"region_code", N_("Region")},
    {"province_code", N_("Province or prefecture")},
    {"commune_code", N_("Commune")},
    {"address", N_("Address")},
    {"phone", N_("Phone")},
    {"email", N_("E-mail")},
    {"website", N_("Website")},
    {"members_total", N_("Number of members")},
    {"members_women", N_("Women members")},
    {"status", N_("Status")},
    {"notes", N_("Notes")},
    {"sex", N_("Sex")},
    {"birth_date", N_("Birth date")},
    {"role", N_("Role")},
    {"login", N_("Login")},
    {"lang", N_("Language")},
    {"disabled", N_("Disabled")},
    {NULL, NULL},
};

const char *
audit_action_label(const char *action)
{
        for (const struct code_label *l = action_labels; l->code; l++)
                if (strcmp(l->code, action) == 0)
                        return l->label;
        return NULL;
}

const char *
audit_entity_label(const char *entity)
{
        for (size_t i = 0; i < sizeof(entities) / sizeof(entities[0]); i++)
                if (strcmp(entities[i].entity, entity) == 0)
                        return entities[i].label;
        return NULL;
}

static const char *
entity_path(const char *entity)
{
        for (size_t i = 0; i < sizeof(entities) / sizeof(entities[0]); i++)
                if (strcmp(entities[i].entity, entity) == 0)
                        return entities[i].path;
        return NULL;
}

void
audit_filter_from_query(struct request *req, struct audit_filter *f, struct errs *e,
                        long long *page)
{
        memset(f, 0, sizeof(*f));
        f->login = v_text(e, "login", req_query_str(req, "login"), 0, 64, 0);
        f->entity = v_text(e, "entity", req_query_str(req, "entity"), 0, 64, 0);
        f->action = v_text(e, "action", req_query_str(req, "action"), 0, 64, 0);
        v_int(e, "entity_id", req_query_str(req, "entity_id"), 0, 1, (1LL << 62), 0, &f->entity_id);
        struct date from, to;
        int has_from = 0, has_to = 0;
        if (v_date(e, "from", req_query_str(req, "from"), 0, &from, &has_from) == 0 && has_from)
                f->from = req_query_str(req, "from");
        if (v_date(e, "to", req_query_str(req, "to"), 0, &to, &has_to) == 0 && has_to)
                f->to = req_query_str(req, "to");
        if (has_from && has_to && date_cmp(from, to) > 0)
                errs_add(e, "to", "The end date is before the start date.");
        if (v_int(e, "page", req_query_str(req, "page"), 0, 1, 1000000, 1, page) != 0)
                *page = 1;
}

/* "2026-12-01T21:53:43.036Z" -> "2026-12-01 21:53:43 UTC". */
static const char *
at_text(struct request *req, const char *at)
{
        if (strlen(at) < 19)
                return at;
        return arena_printf(req->arena, "%.10s %.8s UTC", at, at + 11);
}

/* A value of the detail as text: strings as they are (cut when long), the rest as JSON. */
static const char *
value_text(struct request *req, const json_t *v)
{
        if (v == NULL || json_is_null(v))
                return "";
        if (json_is_string(v)) {
                const char *s = json_string_value(v);
                size_t n = strlen(s);
                if (n <= 160)
                        return s;
                /* Cut on a character boundary. */
                size_t k = 160;
                while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
                        k--;
                return arena_printf(req->arena, "%.*s…", (int)k, s);
        }
        char *d = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
        const char *out = arena_strdup(req->arena, d ? d : "");
        free(d);
        return out;
}

static void
field_html(struct request *req, const char *column)
{
        const char *label = code_label(column_labels, column);
        if (label && strcmp(label, column) != 0)
                html_printf(&req->out, "<li><span class=\"field\">%s</span> ", _(req->lang, label));
        else
                html_printf(&req->out, "<li><code class=\"field\">%s</code> ", column);
}

static void
detail_html(struct request *req, const char *detail)
{
        struct buf *b = &req->out;
        json_t *d = json_loads(detail, 0, NULL);
        json_t *changes = json_object_get(d, "changes");
        const char *k;
        json_t *v;
        if (json_is_object(changes)) {
                html_raw_trusted(b, "<ul class=\"changes\">");
                json_object_foreach(changes, k, v)
                {
                        const json_t *before = json_array_get(v, 0), *after = json_array_get(v, 1);
                        field_html(req, k);
                        /* An empty side (a field set for the first time, or cleared) shows
                         * nothing rather than an empty mark. */
                        const char *bt = value_text(req, before), *at = value_text(req, after);
                        if (bt[0])
                                html_printf(b, "<del><bdi>%s</bdi></del> ", bt);
                        if (at[0])
                                html_printf(b, "<ins><bdi>%s</bdi></ins>", at);
                        html_raw_trusted(b, "</li>");
                }
                html_raw_trusted(b, "</ul>");
        } else if (json_is_object(d) && json_object_size(d) > 0) {
                html_raw_trusted(b, "<ul class=\"changes\">");
                json_object_foreach(d, k, v)
                {
                        field_html(req, k);
                        html_printf(b, "<bdi>%s</bdi></li>", value_text(req, v));
                }
                html_raw_trusted(b, "</ul>");
        }
        json_decref(d);
}

static void
entity_html(struct request *req, const struct audit_entry *e)
{
        struct buf *b = &req->out;
        if (e->entity[0] == '\0')
                return;
        const char *label = audit_entity_label(e->entity);
        const char *name = label ? _(req->lang, label) : e->entity;
        const char *path = entity_path(e->entity);
        if (path && e->entity_id > 0 && strcmp(e->action, "delete") != 0)
                html_printf(b, "<a href=\"%s%lld\">%s <bdi>#%lld</bdi></a>", path, e->entity_id,
                            name, e->entity_id);
        else if (e->entity_id > 0)
                html_printf(b, "%s <bdi>#%lld</bdi>", name, e->entity_id);
        else
                html_printf(b, "%s", name);
}

static void
action_html(struct request *req, const char *action)
{
        const char *label = audit_action_label(action);
        const char *cls = strcmp(action, "refused") == 0 || strcmp(action, "login_failed") == 0
                              ? "dissolved"
                          : strcmp(action, "delete") == 0 ? "dormant"
                                                          : "active";
        html_status_badge(req, cls, label ? _(req->lang, label) : action);
}

/* The entries as a table; with_entity adds the record column (not on a record's own page). */
static void
entries_table(struct request *req, const struct audit_entry *items, size_t n, int with_entity)
{
        enum lang L = req->lang;
        struct buf *b = &req->out;
        html_printf(b,
                    "<div class=\"table-wrap\"><table class=\"list audit\"><thead><tr>"
                    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>",
                    _(L, "When"), _(L, "Who"), _(L, "Action"));
        if (with_entity)
                html_printf(b, "<th scope=\"col\">%s</th>", _(L, "Record"));
        html_printf(b, "<th scope=\"col\">%s</th></tr></thead><tbody>", _(L, "Details"));
        for (size_t i = 0; i < n; i++) {
                const struct audit_entry *e = &items[i];
                html_printf(b,
                            "<tr id=\"audit-%lld\"><td data-label=\"%s\" class=\"ltr\">"
                            "<bdi>%s</bdi></td><td data-label=\"%s\"><bdi>%s</bdi>",
                            e->id, _(L, "When"), at_text(req, e->at), _(L, "Who"),
                            e->login[0] ? e->login : "—");
                if (e->ip[0])
                        html_printf(b, "<small class=\"ip\"><bdi>%s</bdi></small>", e->ip);
                html_printf(b, "</td><td data-label=\"%s\">", _(L, "Action"));
                action_html(req, e->action);
                html_raw_trusted(b, "</td>");
                if (with_entity) {
                        html_printf(b, "<td data-label=\"%s\">", _(L, "Record"));
                        entity_html(req, e);
                        html_raw_trusted(b, "</td>");
                }
                html_printf(b, "<td data-label=\"%s\">", _(L, "Details"));
                detail_html(req, e->detail);
                html_raw_trusted(b, "</td></tr>");
        }
        html_raw_trusted(b, "</tbody></table></div>");
}

static void
keep_filter_arg(void *ctx, const char *key, const char *value)
{
        struct buf *q = ctx;
        if (strcmp(key, "page") == 0 || value[0] == '\0')
                return;
        buf_putc(q, strchr(buf_str(q), '?') ? '&' : '?');
        buf_url_encode(q, key);
        buf_putc(q, '=');
        buf_url_encode(q, value);
}

static void
pager(struct request *req, long long page, int more)
{
        if (page <= 1 && !more)
                return;
        struct buf q;
        buf_init(&q, req->arena, 8192);
        buf_puts(&q, "/admin/audit");
        req_query_each(req, keep_filter_arg, &q);
        buf_puts(&q, strchr(buf_str(&q), '?') ? "&page=" : "?page=");
        struct buf *b = &req->out;
        html_printf(b, "<nav class=\"pager\" aria-label=\"%s\">", _(req->lang, "Pages"));
        if (page > 1)
                html_printf(b, "<a rel=\"prev\" href=\"%s%lld\">%s</a>", buf_str(&q), page - 1,
                            _(req->lang, "Newer"));
        html_printf(b, "<span>%s</span>",
                    arena_printf(req->arena, _(req->lang, "Page %s"),
                                 i18n_int(req->arena, req->lang, page)));
        if (more)
                html_printf(b, "<a rel=\"next\" href=\"%s%lld\">%s</a>", buf_str(&q), page + 1,
                            _(req->lang, "Older"));
        html_raw_trusted(b, "</nav>");
}

void
page_audit_list(struct request *req)
{
        enum lang L = req->lang;
        struct errs e;
        errs_init(&e, req->arena, L);
        struct audit_filter f;
        long long page;
        audit_filter_from_query(req, &f, &e, &page);
        struct audit_entry *items = NULL;
        size_t n = 0;
        int more = 0;
        const char **ents = NULL;
        if (audit_store_entities(req->db, req->arena, &ents) != STORE_OK ||
            (e.n == 0 &&
             audit_store_list(req->db, req->arena, &f, page, &items, &n, &more) != STORE_OK)) {
                reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
                return;
        }
        page_begin(req, _(L, "Audit trail"), "audit");
        struct buf *b = &req->out;
        html_printf(b,
                    "<div class=\"page-head\"><h1>%s</h1><div class=\"actions\">"
                    "<a class=\"button\" href=\"/admin/audit/verify\">%s</a></div></div>",
                    _(L, "Audit trail"), _(L, "Verify the chain"));
        html_printf(b, "<p class=\"lead\">%s</p>",
                    _(L, "Every change, login, refusal and export, newest first. Entries cannot "
                         "be changed: each one carries the fingerprint of the one before it."));

        html_raw_trusted(b, "<form class=\"filters\" method=\"get\" action=\"/admin/audit\" "
                            "role=\"search\">");
        form_error_summary(req, &e);
        struct form_field flogin = {.name = "login",
                                    .label = _(L, "Login"),
                                    .value = req_query_str(req, "login"),
                                    .maxlen = 64,
                                    .dir = "ltr",
                                    .quiet = 1};
        form_input(req, &flogin, &e);
        size_t ne = 0;
        while (ents[ne])
                ne++;
        struct select_option *eo = arena_alloc(req->arena, (ne + 1) * sizeof(*eo));
        for (size_t i = 0; i < ne; i++) {
                const char *label = audit_entity_label(ents[i]);
                eo[i] = (struct select_option){ents[i], label ? _(L, label) : ents[i]};
        }
        form_select(req, "entity", _(L, "Record type"), eo, ne, req_query_str(req, "entity"),
                    _(L, "All records"), &e);
        struct form_field fid = {.name = "entity_id",
                                 .label = _(L, "Record number"),
                                 .value = req_query_str(req, "entity_id"),
                                 .type = "number",
                                 .quiet = 1,
                                 .extra = "min=\"1\" inputmode=\"numeric\""};
        form_input(req, &fid, &e);
        size_t na = sizeof(action_labels) / sizeof(action_labels[0]) - 1;
        struct select_option *ao = arena_alloc(req->arena, na * sizeof(*ao));
        for (size_t i = 0; i < na; i++)
                ao[i] = (struct select_option){action_labels[i].code, _(L, action_labels[i].label)};
        form_select(req, "action", _(L, "Action"), ao, na, req_query_str(req, "action"),
                    _(L, "All actions"), &e);
        struct form_field ffrom = {.name = "from",
                                   .label = _(L, "From"),
                                   .value = req_query_str(req, "from"),
                                   .type = "date",
                                   .quiet = 1};
        struct form_field fto = {.name = "to",
                                 .label = _(L, "To"),
                                 .value = req_query_str(req, "to"),
                                 .type = "date",
                                 .quiet = 1};
        form_input(req, &ffrom, &e);
        form_input(req, &fto, &e);
        html_printf(b,
                    "<div class=\"filter-actions\"><button class=\"primary\">%s</button>"
                    "<a href=\"/admin/audit\">%s</a></div></form>",
                    _(L, "Apply filters"), _(L, "Clear filters"));
        if (e.n == 0 && n == 0)
                html_printf(b, "<p class=\"empty\">%s</p>",
                            _(L, "No entry matches these filters."));
        else if (n > 0)
                entries_table(req, items, n, 1);
        pager(req, page, more);
        page_end(req);
        if (e.n)
                req->status = 400;
}

void
page_audit_verify(struct request *req)
{
        enum lang L = req->lang;
        long long bad = 0;
        const char *why = NULL;
        long long n = audit_verify(req->db, &bad, &why);
        if (n < 0 && bad == 0) {
                reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
                return;
        }
        page_begin(req, _(L, "Verify the chain"), "audit");
        struct buf *b = &req->out;
        html_printf(b,
                    "<div class=\"page-head\"><h1>%s</h1><div class=\"actions\">"
                    "<a class=\"button\" href=\"/admin/audit\">%s</a></div></div>",
                    _(L, "Verify the chain"), _(L, "Audit trail"));
        if (n >= 0) {
                html_printf(b, "<div class=\"panel notice ok\" role=\"status\"><p>%s</p></div>",
                            arena_printf(req->arena,
                                         _(L, "The chain is intact: %s entries, each one "
                                              "matching its fingerprint and the one before it."),
                                         i18n_int(req->arena, L, n)));
        } else {
                const char *reason = strstr(why, "missing") ? _(L, "entries before it are missing")
                                     : strstr(why, "link")
                                         ? _(L, "it does not link to the entry before it")
                                         : _(L, "its content does not match its fingerprint");
                html_printf(b, "<div class=\"panel notice error\" role=\"alert\"><p>%s</p>",
                            arena_printf(req->arena,
                                         _(L, "The chain is broken at entry %s: %s. The trail "
                                              "was changed outside murafiq."),
                                         i18n_int(req->arena, L, bad), reason));
                html_printf(b, "<p><a href=\"/admin/audit?page=1#audit-%lld\">%s</a></p></div>",
                            bad, _(L, "Audit trail"));
        }
        html_printf(b, "<p>%s</p>",
                    _(L, "An administrator can run the same check on the server with "
                         "“murafiq audit verify”."));
        page_end(req);
}

void
audit_history_section(struct request *req, const char *entity, long long id)
{
        enum lang L = req->lang;
        struct audit_entry *items = NULL;
        size_t n = 0;
        if (audit_store_history(req->db, req->arena, entity, id, AUDIT_HISTORY_MAX, &items, &n) !=
            STORE_OK)
                return;
        struct buf *b = &req->out;
        html_printf(b, "<section class=\"panel history\"><h2>%s</h2>", _(L, "History"));
        if (n == 0)
                html_printf(b, "<p class=\"empty\">%s</p>",
                            _(L, "No change has been recorded since the audit trail began."));
        else
                entries_table(req, items, n, 0);
        if (user_can(req->user, PERM_ADMIN))
                html_printf(b,
                            "<p><a href=\"/admin/audit?entity=%s&amp;entity_id=%lld\">%s</a></p>",
                            entity, id, _(L, "The whole trail of this record"));
        html_raw_trusted(b, "</section>");
}
