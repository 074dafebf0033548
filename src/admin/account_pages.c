/* account_pages.c: account administration pages (admin) and the change of one's own password. */
#include <string.h>
#include <time.h>

#include "admin/account_web.h"
#include "admin/mfa_web.h"
#include "core/arena.h"
#include "core/auth.h"
#include "core/dates.h"
#include "core/i18n.h"
#include "registry/geo.h"
#include "web/layout.h"
#include "web/pages.h"

int
account_region_exists(void *ctx, const char *code)
{
        (void)ctx;
        return geo_region(web_geo, code) != NULL;
}

const char *
account_hash(struct request *req, const char *password)
{
        return auth_hash_password(req->arena, password);
}

void
account_reply_error(struct request *req, int rc)
{
        const char *msg = NULL;
        enum app_error err = account_store_error(req, rc, &msg);
        reply_error(req, err, msg, NULL, 0);
}

enum app_error
account_store_error(struct request *req, int rc, const char **message)
{
        *message = NULL;
        switch (rc) {
        case STORE_NOT_FOUND:
                return ERR_NOT_FOUND;
        case STORE_DUPLICATE:
                *message = _(req->lang, "This login is taken already.");
                return ERR_CONFLICT;
        case STORE_CONFLICT:
                *message = _(req->lang, "Someone else changed this account since you read it. "
                                        "Open it again to see their changes, then make yours.");
                return ERR_CONFLICT;
        default:
                return ERR_INTERNAL;
        }
}

static const char *
account_regions_text(struct request *req, const struct account *acc)
{
        if (acc->regions == NULL || acc->regions[0] == NULL)
                return _(req->lang, "All regions");
        struct buf b;
        buf_init(&b, req->arena, 4096);
        for (size_t i = 0; acc->regions[i]; i++) {
                if (i)
                        buf_puts(&b, ", ");
                buf_puts(&b, region_name(req, acc->regions[i]));
        }
        return buf_str(&b);
}

static void
account_status(struct request *req, const struct account *acc)
{
        enum lang L = req->lang;
        if (acc->disabled)
                html_status_badge(req, "dissolved", _(L, "Disabled"));
        else
                html_status_badge(req, "active", _(L, "Enabled"));
        if (acc->must_change_password)
                html_printf(&req->out, " <span class=\"badge badge-dormant\">%s</span>",
                            _(L, "Must change password"));
}

/* "2026-12-01T20:47:36Z" -> "2026-12-01 20:47 UTC": shorter, and it wraps as one piece. */
static const char *
timestamp_text(struct request *req, const char *at)
{
        if (strlen(at) < 16)
                return at;
        return arena_printf(req->arena, "%.10s %.5s UTC", at, at + 11);
}

static const char *
last_login_text(struct request *req, const struct account *acc)
{
        return acc->last_login_at[0] ? timestamp_text(req, acc->last_login_at)
                                     : _(req->lang, "Never");
}

void
page_account_list(struct request *req)
{
        enum lang L = req->lang;
        struct account *items;
        size_t n;
        if (account_store_list(req->db, req->arena, &items, &n) != STORE_OK) {
                reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
                return;
        }
        page_begin(req, _(L, "Accounts"), "accounts");
        struct buf *b = &req->out;
        html_printf(b,
                    "<div class=\"page-head\"><h1>%s</h1><div class=\"actions\">"
                    "<a class=\"button\" href=\"/admin/security\">%s</a>"
                    "<a class=\"button primary\" href=\"/admin/users/new\">%s</a></div></div>",
                    _(L, "Accounts"), _(L, "Second factor policy"), _(L, "New account"));
        html_printf(
            b, "<div class=\"list-head\"><p class=\"count\" role=\"status\">%s</p></div>",
            arena_printf(req->arena, _(L, "%s accounts"), i18n_int(req->arena, L, (long long)n)));
        html_printf(b,
                    "<div class=\"table-wrap\"><table class=\"list\"><thead><tr>"
                    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead><tbody>",
                    _(L, "Login"), _(L, "Role"), _(L, "Regions"), _(L, "Status"),
                    _(L, "Last login"));
        for (size_t i = 0; i < n; i++) {
                struct account *a = &items[i];
                int role = role_from_name(a->role);
                html_printf(b,
                            "<tr><th scope=\"row\" data-label=\"%s\"><a href=\"/admin/users/%lld\">"
                            "<bdi>%s</bdi></a></th><td data-label=\"%s\">%s</td>"
                            "<td data-label=\"%s\">%s</td><td data-label=\"%s\">",
                            _(L, "Login"), a->id, a->login, _(L, "Role"),
                            role < 0 ? a->role : _(L, role_label((enum role)role)), _(L, "Regions"),
                            account_regions_text(req, a), _(L, "Status"));
                account_status(req, a);
                html_printf(b, "</td><td data-label=\"%s\"><bdi>%s</bdi></td></tr>",
                            _(L, "Last login"), last_login_text(req, a));
        }
        html_raw_trusted(b, "</tbody></table></div>");
        page_end(req);
}

/* The role select and the region boxes of the create and edit forms. */
static void
role_and_regions(struct request *req, const struct account *acc, const struct errs *e)
{
        enum lang L = req->lang;
        struct buf *b = &req->out;
        struct select_option roles[ROLE_COUNT];
        for (int i = 0; i < ROLE_COUNT; i++) {
                roles[i].value = role_name((enum role)i);
                roles[i].label = _(L, role_label((enum role)i));
        }
        form_select(req, "role", _(L, "Role"), roles, ROLE_COUNT, acc->role, _(L, "Choose a role"),
                    e);
        const char *err = errs_for(e, "regions");
        form_remember_label(req, "regions", _(L, "Regions"));
        html_printf(b,
                    "<fieldset class=\"field%s\" id=\"f-regions\"><legend>%s</legend>"
                    "<p class=\"hint\">%s</p>",
                    err ? " has-error" : "", _(L, "Regions"),
                    _(L, "Required for a regional officer. A coach or viewer without regions "
                         "reads the whole country."));
        if (err)
                html_printf(b, "<p class=\"error\">%s</p>", err);
        for (size_t i = 0; i < web_geo->n_regions; i++) {
                const char *code = web_geo->regions[i].code;
                int on = 0;
                for (size_t k = 0; acc->regions && acc->regions[k]; k++)
                        on |= strcmp(acc->regions[k], code) == 0;
                html_printf(b,
                            "<div class=\"field check\"><input type=\"checkbox\" id=\"r-%s\" "
                            "name=\"regions\" value=\"%s\"%s><label for=\"r-%s\">%s</label></div>",
                            code, code, on ? " checked" : "", code, region_name(req, code));
        }
        html_raw_trusted(b, "</fieldset>");
        struct select_option langs[8];
        size_t nl = 0;
        for (int i = 0; i < lang_count() && nl < 8; i++, nl++) {
                langs[nl].value = lang_code((enum lang)i);
                langs[nl].label = lang_native_name((enum lang)i);
        }
        form_select(req, "lang", _(L, "Language"), langs, nl, acc->lang, NULL, e);
}

static void
account_new_form(struct request *req, const struct account *acc, const struct errs *e)
{
        enum lang L = req->lang;
        page_begin(req, _(L, "New account"), "accounts");
        struct buf *b = &req->out;
        html_printf(b, "<nav class=\"crumbs\"><a href=\"/admin/users\">%s</a></nav><h1>%s</h1>",
                    _(L, "Accounts"), _(L, "New account"));
        form_error_summary(req, e);
        html_raw_trusted(b, "<form method=\"post\" action=\"/admin/users\" class=\"record\" "
                            "novalidate>");
        page_csrf(req);
        struct form_field login = {.name = "login",
                                   .label = _(L, "Login"),
                                   .value = acc->login,
                                   .hint = _(L, "3 to 40 characters: a to z, digits, . _ -"),
                                   .required = 1,
                                   .maxlen = 40,
                                   .dir = "ltr",
                                   .extra = "autocomplete=\"off\" autocapitalize=\"none\""};
        form_input(req, &login, e);
        role_and_regions(req, acc, e);
        struct form_field pw = {.name = "password",
                                .label = _(L, "Temporary password"),
                                .type = "password",
                                .hint = _(L, "12 to 128 characters. Give it to the person: they "
                                             "must change it at their first login."),
                                .required = 1,
                                .maxlen = 128,
                                .dir = "ltr",
                                .extra = "autocomplete=\"new-password\""};
        form_input(req, &pw, e);
        html_printf(b,
                    "<div class=\"form-actions\"><button class=\"primary\">%s</button>"
                    "<a href=\"/admin/users\">%s</a></div></form>",
                    _(L, "Create account"), _(L, "Cancel"));
        page_end(req);
}

void
page_account_new(struct request *req)
{
        struct account acc = {.login = "", .role = "", .lang = "ar"};
        account_new_form(req, &acc, NULL);
}

/* The region codes ticked in the form (every value of the field "regions"). */
static const char **
form_regions(struct request *req)
{
        const char **out = arena_alloc(req->arena, (req->nform + 1) * sizeof(*out));
        size_t n = 0;
        for (size_t i = 0; i < req->nform; i++)
                if (strcmp(req->form[i].key, "regions") == 0 && req->form[i].value[0])
                        out[n++] = req->form[i].value;
        out[n] = NULL;
        return out;
}

static const char *
form_or(struct request *req, const char *name, const char *dflt)
{
        const char *v = req_form(req, name);
        return v ? v : dflt;
}

void
page_account_create(struct request *req)
{
        struct errs e;
        errs_init(&e, req->arena, req->lang);
        struct account acc = {.login = form_or(req, "login", ""),
                              .role = form_or(req, "role", ""),
                              .lang = form_or(req, "lang", "ar"),
                              .regions = form_regions(req),
                              .must_change_password = 1};
        const char *pw = form_or(req, "password", "");
        account_check(&acc, 1, &e, account_region_exists, NULL);
        account_check_password(pw, NULL, acc.login, "password", &e);
        if (e.n) {
                account_new_form(req, &acc, &e);
                req->status = 422;
                return;
        }
        const char *hash = account_hash(req, pw);
        int rc = hash ? account_store_insert(req->db, &acc, hash, req->arena) : STORE_ERROR;
        if (rc == STORE_DUPLICATE) {
                errs_add(&e, "login", "This login is taken already.");
                account_new_form(req, &acc, &e);
                req->status = 409;
                return;
        }
        if (rc != STORE_OK) {
                account_reply_error(req, rc);
                return;
        }
        reply_redirect(req, arena_printf(req->arena, "/admin/users/%lld", acc.id));
}

/* The detail page: facts, the edit form, disable or enable, and the password reset. notice is
 * a translated message shown on top (or NULL); temp a temporary password to show once. */
static void tokens_section(struct request *req, const struct account *acc);

static void
account_page(struct request *req, const struct account *acc, const struct errs *e,
             const char *notice, const char *temp)
{
        enum lang L = req->lang;
        page_begin(req, acc->login, "accounts");
        struct buf *b = &req->out;
        html_printf(b,
                    "<nav class=\"crumbs\"><a href=\"/admin/users\">%s</a></nav>"
                    "<div class=\"page-head\"><h1><bdi>%s</bdi></h1></div>",
                    _(L, "Accounts"), acc->login);
        if (notice)
                html_printf(b, "<div class=\"panel notice\" role=\"status\"><p>%s</p>", notice);
        if (notice && temp)
                html_printf(b, "<p class=\"ltr\"><code>%s</code></p>", temp);
        if (notice)
                html_raw_trusted(b, "</div>");
        int role = role_from_name(acc->role);
        html_printf(b, "<section class=\"panel\"><h2>%s</h2><dl class=\"facts\">", _(L, "Account"));
        html_fact(req, _(L, "Login"), acc->login, "ltr");
        html_fact(req, _(L, "Role"), role < 0 ? acc->role : _(L, role_label((enum role)role)),
                  NULL);
        html_fact(req, _(L, "Regions"), account_regions_text(req, acc), NULL);
        html_printf(b, "<div class=\"fact\"><dt>%s</dt><dd>", _(L, "Status"));
        account_status(req, acc);
        html_raw_trusted(b, "</dd></div>");
        html_fact(req, _(L, "Last login"), last_login_text(req, acc), "ltr");
        html_fact(req, _(L, "Created"), timestamp_text(req, acc->created_at), "ltr");
        html_raw_trusted(b, "</dl></section>");

        html_printf(b, "<section class=\"panel\"><h2>%s</h2>", _(L, "Role and regions"));
        form_error_summary(req, e);
        html_printf(b,
                    "<form method=\"post\" action=\"/admin/users/%lld\" class=\"record\" "
                    "novalidate>",
                    acc->id);
        page_csrf(req);
        html_printf(b, "<input type=\"hidden\" name=\"version\" value=\"%lld\">", acc->version);
        role_and_regions(req, acc, e);
        html_printf(b,
                    "<div class=\"form-actions\"><button class=\"primary\">%s</button></div>"
                    "</form></section>",
                    _(L, "Save account"));

        html_printf(b, "<section class=\"panel\"><h2>%s</h2>", _(L, "Reset the password"));
        html_printf(b,
                    "<form method=\"post\" action=\"/admin/users/%lld/password\" class=\"record\" "
                    "novalidate>",
                    acc->id);
        page_csrf(req);
        html_printf(b, "<input type=\"hidden\" name=\"version\" value=\"%lld\">", acc->version);
        struct form_field pw = {.name = "password",
                                .label = _(L, "Temporary password"),
                                .type = "password",
                                .hint = _(L, "Leave empty to have one made and shown once. The "
                                             "person must change it at their next login."),
                                .maxlen = 128,
                                .dir = "ltr",
                                .extra = "autocomplete=\"new-password\""};
        form_input(req, &pw, e);
        html_printf(b, "<div class=\"form-actions\"><button>%s</button></div></form></section>",
                    _(L, "Reset the password"));

        html_printf(b, "<section class=\"panel\"><h2>%s</h2>",
                    acc->disabled ? _(L, "Enable the account") : _(L, "Disable the account"));
        html_printf(b, "<p>%s</p>",
                    acc->disabled
                        ? _(L, "The person will be able to log in again.")
                        : _(L, "The person is logged out at once, and their API tokens stop "
                               "working."));
        html_printf(b, "<form method=\"post\" action=\"/admin/users/%lld/%s\">", acc->id,
                    acc->disabled ? "enable" : "disable");
        page_csrf(req);
        html_printf(b,
                    "<input type=\"hidden\" name=\"version\" value=\"%lld\">"
                    "<div class=\"form-actions\"><button>%s</button></div></form></section>",
                    acc->version,
                    acc->disabled ? _(L, "Enable the account") : _(L, "Disable the account"));
        mfa_account_section(req, acc->id, acc->version);
        tokens_section(req, acc);
        page_end(req);
}

/* "2026-12-01 20:47 UTC" from unix seconds. */
static const char *
unix_time_text(struct request *req, long long t)
{
        char out[24];
        date_format_utc_minute(t, out);
        return arena_strdup(req->arena, out);
}

/* The account's API tokens (never the tokens themselves), each revocable, and a form for a
 * new one. */
static void
tokens_section(struct request *req, const struct account *acc)
{
        enum lang L = req->lang;
        struct buf *b = &req->out;
        struct api_token_info *t = NULL;
        size_t n = 0;
        if (auth_token_list(req->db, req->arena, acc->id, &t, &n) != 0)
                return;
        html_printf(b, "<section class=\"panel\" id=\"tokens\"><h2>%s</h2><p>%s</p>",
                    _(L, "API tokens"),
                    _(L, "A token lets a program use the API as this person, without the second "
                         "factor, until it expires or is revoked."));
        if (n == 0)
                html_printf(b, "<p class=\"empty\">%s</p>", _(L, "No API token."));
        else {
                html_printf(b,
                            "<div class=\"table-wrap\"><table class=\"list\"><thead><tr>"
                            "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                            "<th scope=\"col\">%s</th><th scope=\"col\"></th></tr></thead><tbody>",
                            _(L, "Label"), _(L, "Created"), _(L, "Expires"));
                long long now = (long long)time(NULL);
                for (size_t i = 0; i < n; i++) {
                        html_printf(b,
                                    "<tr><th scope=\"row\" data-label=\"%s\"><bdi>%s</bdi></th>"
                                    "<td data-label=\"%s\" class=\"ltr\"><bdi>%s</bdi></td>"
                                    "<td data-label=\"%s\" class=\"ltr\"><bdi>%s</bdi>",
                                    _(L, "Label"), t[i].label[0] ? t[i].label : "—",
                                    _(L, "Created"), unix_time_text(req, t[i].created_at),
                                    _(L, "Expires"), unix_time_text(req, t[i].expires_at));
                        if (t[i].expires_at <= now)
                                html_printf(b, " <span class=\"badge badge-dissolved\">%s</span>",
                                            _(L, "Expired"));
                        html_printf(b,
                                    "</td><td><form method=\"post\" action=\"/admin/tokens/%lld/"
                                    "revoke\">",
                                    t[i].id);
                        page_csrf(req);
                        html_printf(b, "<button>%s</button></form></td></tr>", _(L, "Revoke"));
                }
                html_raw_trusted(b, "</tbody></table></div>");
        }
        if (!acc->disabled) {
                html_printf(b,
                            "<form method=\"post\" action=\"/admin/users/%lld/tokens\" "
                            "class=\"record\" novalidate>",
                            acc->id);
                page_csrf(req);
                struct form_field label = {.name = "label",
                                           .label = _(L, "What the token is for"),
                                           .maxlen = 100,
                                           .dir = "auto"};
                struct form_field days = {.name = "days",
                                          .label = _(L, "Valid for (days)"),
                                          .value = "90",
                                          .type = "number",
                                          .required = 1,
                                          .extra = "min=\"1\" max=\"3650\" inputmode=\"numeric\""};
                form_input(req, &label, NULL);
                form_input(req, &days, NULL);
                html_printf(b, "<div class=\"form-actions\"><button>%s</button></div></form>",
                            _(L, "Create a token"));
        }
        html_raw_trusted(b, "</section>");
}

void
page_token_create(struct request *req)
{
        enum lang L = req->lang;
        struct account acc;
        if (account_store_get(req->db, req->id, req->arena, &acc) != STORE_OK) {
                reply_error(req, ERR_NOT_FOUND, NULL, NULL, 0);
                return;
        }
        struct errs e;
        errs_init(&e, req->arena, L);
        const char *label = v_text(&e, "label", req_form(req, "label"), 0, 100, 0);
        long long days = 0;
        v_int(&e, "days", req_form(req, "days"), 1, 1, TOKEN_DAYS_MAX, TOKEN_DAYS_DEFAULT, &days);
        if (e.n == 0 && acc.disabled)
                errs_add(&e, "days", "A disabled account cannot get a token.");
        if (e.n) {
                reply_error(req, ERR_VALIDATION, NULL, e.list, e.n);
                return;
        }
        char *token = auth_token_create(req->db, req->arena, acc.login, (int)days, label);
        if (token == NULL) {
                reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
                return;
        }
        page_begin(req, _(L, "API tokens"), "accounts");
        html_printf(&req->out,
                    "<div class=\"panel\"><h1>%s</h1><p>%s</p><p class=\"ltr\"><code "
                    "id=\"new-token\">%s</code></p><p><a href=\"/admin/users/%lld#tokens\">%s</a>"
                    "</p></div>",
                    _(L, "API tokens"),
                    _(L, "Copy this token now: it is shown once, and only its fingerprint is "
                         "kept."),
                    token, acc.id, _(L, "Back to the account"));
        page_end(req);
        req->cache = "no-store";
}

void
page_token_revoke(struct request *req)
{
        long long uid = 0;
        int done = auth_token_revoke(req->db, req->id, &uid);
        if (done < 0) {
                reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
                return;
        }
        if (done == 0) {
                reply_error(req, ERR_NOT_FOUND, NULL, NULL, 0);
                return;
        }
        reply_redirect(req, arena_printf(req->arena, "/admin/users/%lld#tokens", uid));
}

static int
load_or_reply(struct request *req, struct account *acc)
{
        int rc = account_store_get(req->db, req->id, req->arena, acc);
        if (rc != STORE_OK) {
                account_reply_error(req, rc);
                return -1;
        }
        return 0;
}

void
page_account_show(struct request *req)
{
        struct account acc;
        if (load_or_reply(req, &acc) == 0)
                account_page(req, &acc, NULL, NULL, NULL);
}

/* The posted version, or -1 after answering 400. */
static long long
form_version(struct request *req)
{
        struct errs e;
        errs_init(&e, req->arena, req->lang);
        long long v = 0;
        if (v_int(&e, "version", req_form(req, "version"), 1, 1, 1LL << 62, 0, &v) != 0) {
                reply_error(req, ERR_BAD_REQUEST, NULL, e.list, e.n);
                return -1;
        }
        return v;
}

static void
reply_store(struct request *req, int rc)
{
        if (rc == STORE_OK) {
                reply_redirect(req, arena_printf(req->arena, "/admin/users/%lld", req->id));
                return;
        }
        account_reply_error(req, rc);
}

void
page_account_update(struct request *req)
{
        struct account acc;
        if (load_or_reply(req, &acc) != 0)
                return;
        long long v = form_version(req);
        if (v < 0)
                return;
        struct errs e;
        errs_init(&e, req->arena, req->lang);
        acc.role = form_or(req, "role", acc.role);
        acc.lang = form_or(req, "lang", acc.lang);
        acc.regions = form_regions(req);
        if (account_check(&acc, 0, &e, account_region_exists, NULL) != 0) {
                account_page(req, &acc, &e, NULL, NULL);
                req->status = 422;
                return;
        }
        reply_store(req, account_store_update(req->db, &acc, v, req->arena));
}

static void
set_disabled(struct request *req, int disabled)
{
        struct account acc;
        if (load_or_reply(req, &acc) != 0)
                return;
        long long v = form_version(req);
        if (v < 0)
                return;
        if (disabled && acc.id == req->user->id) {
                reply_error(req, ERR_CONFLICT,
                            _(req->lang, "You cannot disable your own account. Ask another "
                                         "administrator."),
                            NULL, 0);
                return;
        }
        reply_store(req, account_store_set_disabled(req->db, acc.id, disabled, v, req->arena));
}

void
page_account_disable(struct request *req)
{
        set_disabled(req, 1);
}

void
page_account_enable(struct request *req)
{
        set_disabled(req, 0);
}

void
page_account_password(struct request *req)
{
        struct account acc;
        if (load_or_reply(req, &acc) != 0)
                return;
        long long v = form_version(req);
        if (v < 0)
                return;
        struct errs e;
        errs_init(&e, req->arena, req->lang);
        const char *pw = form_or(req, "password", "");
        const char *shown = NULL;
        /* A generated password is drawn again in the rare case it contains the login. */
        while (pw[0] == '\0' || (shown && auth_password_has_login(pw, acc.login)))
                pw = shown = auth_random_hex(req->arena, 8);
        if (account_check_password(pw, NULL, acc.login, "password", &e) != 0) {
                account_page(req, &acc, &e, NULL, NULL);
                req->status = 422;
                return;
        }
        const char *hash = account_hash(req, pw);
        int rc =
            hash ? account_store_reset_password(req->db, acc.id, hash, v, req->arena) : STORE_ERROR;
        if (rc != STORE_OK) {
                reply_store(req, rc);
                return;
        }
        if (account_store_get(req->db, acc.id, req->arena, &acc) != STORE_OK) {
                reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
                return;
        }
        account_page(req, &acc, NULL,
                     shown ? _(req->lang, "The password was reset. Give this temporary password "
                                          "to the person; it is shown only now:")
                           : _(req->lang, "The password was reset. The person must change it at "
                                          "their next login."),
                     shown);
}

/* ---- one's own password ---- */

static void
own_password_form(struct request *req, const struct errs *e)
{
        enum lang L = req->lang;
        page_begin(req, _(L, "Change your password"), NULL);
        struct buf *b = &req->out;
        html_printf(b, "<div class=\"panel narrow\"><h1>%s</h1>", _(L, "Change your password"));
        if (req->user->must_change_password)
                html_printf(b, "<p>%s</p>",
                            _(L, "Your password was set by an administrator. Choose your own "
                                 "before going on."));
        form_error_summary(req, e);
        html_raw_trusted(b, "<form method=\"post\" action=\"/account/password\" novalidate>");
        page_csrf(req);
        struct form_field f[] = {
            {.name = "current_password",
             .label = _(L, "Current password"),
             .type = "password",
             .required = 1,
             .maxlen = 128,
             .dir = "ltr",
             .extra = "autocomplete=\"current-password\""},
            {.name = "password",
             .label = _(L, "New password"),
             .type = "password",
             .hint = _(L, "12 to 128 characters."),
             .required = 1,
             .maxlen = 128,
             .dir = "ltr",
             .extra = "autocomplete=\"new-password\""},
            {.name = "password_confirm",
             .label = _(L, "New password again"),
             .type = "password",
             .required = 1,
             .maxlen = 128,
             .dir = "ltr",
             .extra = "autocomplete=\"new-password\""},
        };
        for (size_t i = 0; i < 3; i++)
                form_input(req, &f[i], e);
        html_printf(b,
                    "<div class=\"form-actions\"><button class=\"primary\">%s</button></div>"
                    "</form></div>",
                    _(L, "Change password"));
        html_printf(b, "<p class=\"panel narrow\"><a href=\"/account/security\">%s</a></p>",
                    _(L, "Second factor (codes from a phone app)"));
        page_end(req);
}

void
page_own_password(struct request *req)
{
        own_password_form(req, NULL);
}

void
page_own_password_post(struct request *req)
{
        struct errs e;
        errs_init(&e, req->arena, req->lang);
        const char *cur = form_or(req, "current_password", "");
        const char *pw = form_or(req, "password", "");
        const char *again = form_or(req, "password_confirm", "");
        if (strlen(cur) > 512 ||
            auth_check_password(req->db, req->arena, req->user->login, cur) != req->user->id)
                errs_add(&e, "current_password", "This is not your current password.");
        if (account_check_password(pw, again, req->user->login, "password", &e) == 0 &&
            strcmp(pw, cur) == 0)
                errs_add(&e, "password", "Choose a password different from the current one.");
        if (e.n) {
                own_password_form(req, &e);
                req->status = 422;
                return;
        }
        const char *hash = account_hash(req, pw);
        const char *keep = req->session ? auth_token_hash(req->arena, req->session) : NULL;
        int rc = hash ? account_store_change_password(req->db, req->user->id, hash,
                                                      req->via_token ? NULL : keep, req->arena)
                      : STORE_ERROR;
        if (rc != STORE_OK) {
                account_reply_error(req, rc);
                return;
        }
        reply_redirect(req, "/");
}
