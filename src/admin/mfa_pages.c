/* mfa_pages.c: the second factor's pages: one's own setup (/account/security), the second step
 * of a login (/login/totp), the admin's policy (/admin/security) and reset of an account. */
#include <string.h>
#include <time.h>

#include "admin/mfa_store.h"
#include "admin/mfa_web.h"
#include "core/arena.h"
#include "core/audit.h"
#include "core/auth.h"
#include "core/i18n.h"
#include "core/qr.h"
#include "core/totp.h"
#include "core/validate.h"
#include "web/layout.h"
#include "web/pages.h"

#define TOTP_ISSUER "murafiq"

/* ---- shared pieces ---- */

/* Checks a typed code against the user's secret (state read by the caller) at this moment. */
static enum totp_result
check_code(struct request *req, const struct mfa_state *st, const char *code, long long *step)
{
        unsigned char *key;
        size_t keylen;
        if (st->secret == NULL || totp_base32_decode(req->arena, st->secret, &key, &keylen) != 0)
                return TOTP_WRONG;
        return totp_verify(key, keylen, code, (long long)time(NULL), st->last_step, step);
}

/* Draws TOTP_RECOVERY_COUNT recovery codes: *shown (what the user reads once) and their hashes. */
static void
draw_recovery(struct request *req, long long user_id, const char ***shown, const char ***hashes)
{
        *shown = arena_alloc(req->arena, TOTP_RECOVERY_COUNT * sizeof(**shown));
        *hashes = arena_alloc(req->arena, TOTP_RECOVERY_COUNT * sizeof(**hashes));
        for (size_t i = 0; i < TOTP_RECOVERY_COUNT; i++) {
                char *c = totp_recovery_new(req->arena);
                (*shown)[i] = c;
                (*hashes)[i] =
                    totp_recovery_hash(req->arena, user_id, totp_recovery_normalise(req->arena, c));
        }
}

/* The page that shows new recovery codes, once. */
static void
recovery_page(struct request *req, const char *const *codes, const char *intro)
{
        enum lang L = req->lang;
        page_begin(req, _(L, "Your recovery codes"), NULL);
        struct buf *b = &req->out;
        html_printf(b, "<div class=\"panel narrow\"><h1>%s</h1>", _(L, "Your recovery codes"));
        if (intro)
                html_printf(b, "<div class=\"notice\" role=\"status\"><p>%s</p></div>", intro);
        html_printf(b, "<p>%s</p><ol class=\"recovery-codes\" dir=\"ltr\">",
                    _(L, "If you lose your phone, log in with one of these codes instead of the "
                         "code from the app. Each code works once. Write them down or print them "
                         "and keep them in a safe place: they are shown only now."));
        for (size_t i = 0; i < TOTP_RECOVERY_COUNT; i++)
                html_printf(b, "<li><code>%s</code></li>", codes[i]);
        html_printf(b,
                    "</ol><div class=\"form-actions\"><a class=\"button primary\" "
                    "href=\"/account/security\">%s</a></div></div>",
                    _(L, "I have kept them"));
        page_end(req);
}

/* ---- one's own second factor: /account/security ---- */

static void
code_field(struct request *req, const struct errs *e, const char *label)
{
        struct form_field f = {.name = "code",
                               .label = label,
                               .hint = _(req->lang, "The 6 digits your app shows now."),
                               .required = 1,
                               .maxlen = 8,
                               .dir = "ltr",
                               .extra = "inputmode=\"numeric\" autocomplete=\"one-time-code\" "
                                        "autocapitalize=\"none\" class=\"code\""};
        form_input(req, &f, e);
}

/* The setup in progress: the QR code, the secret to type, and the form for the first code. */
static void
setup_section(struct request *req, const struct mfa_state *st, const struct errs *e)
{
        enum lang L = req->lang;
        struct buf *b = &req->out;
        const char *uri = totp_uri(req->arena, TOTP_ISSUER, req->user->login, st->secret);
        html_printf(b, "<section class=\"panel\" id=\"setup\"><h2>%s</h2><ol class=\"steps\">",
                    _(L, "Set up the second factor"));
        html_printf(b, "<li>%s</li>",
                    _(L, "Install an authenticator app on your phone (FreeOTP, Aegis, Google "
                         "Authenticator, Microsoft Authenticator...)."));
        html_printf(b, "<li>%s<div class=\"qr-box\">",
                    _(L, "In the app, add an account and scan this QR code:"));
        if (uri == NULL || qr_svg(b, uri, _(L, "QR code of your second factor's secret"), 232) < 0)
                html_printf(b, "<p class=\"error\">%s</p>",
                            _(L, "The QR code could not be drawn: type the key instead."));
        html_printf(b,
                    "</div><p>%s</p><p class=\"secret\" dir=\"ltr\"><code>%s</code></p>"
                    "<p class=\"hint\">%s</p></li>",
                    _(L, "Or, if you cannot scan it, type this key in the app:"),
                    totp_secret_groups(req->arena, st->secret),
                    _(L, "Time-based, 6 digits, every 30 seconds. The spaces do not matter."));
        html_printf(b, "<li>%s</li></ol>",
                    _(L, "Type the code the app shows to confirm. Only then is the second factor "
                         "turned on."));
        form_error_summary(req, e);
        html_raw_trusted(b, "<form method=\"post\" action=\"/account/security/confirm\" "
                            "novalidate>");
        page_csrf(req);
        code_field(req, e, _(L, "Code from the app"));
        html_printf(b,
                    "<div class=\"form-actions\"><button class=\"primary\">%s</button></div>"
                    "</form>",
                    _(L, "Turn on the second factor"));
        html_raw_trusted(b, "<form method=\"post\" action=\"/account/security/setup\">");
        page_csrf(req);
        html_printf(b,
                    "<div class=\"form-actions\"><button>%s</button></div></form>"
                    "</section>",
                    _(L, "Start again with a new key"));
}

static void
security_page(struct request *req, const struct errs *e, const char *notice)
{
        enum lang L = req->lang;
        struct mfa_state st;
        int required = mfa_store_role_requires(req->db, req->user->role);
        if (mfa_store_get(req->db, req->user->id, req->arena, &st) != STORE_OK || required < 0) {
                reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
                return;
        }
        page_begin(req, _(L, "Second factor"), NULL);
        struct buf *b = &req->out;
        html_printf(b, "<div class=\"page-head\"><h1>%s</h1></div>", _(L, "Second factor"));
        if (notice)
                html_printf(b, "<div class=\"panel notice\" role=\"status\"><p>%s</p></div>",
                            notice);
        html_printf(b, "<section class=\"panel\"><h2>%s</h2><p>", _(L, "Status"));
        if (st.enabled)
                html_status_badge(req, "active", _(L, "On"));
        else
                html_status_badge(req, "dissolved", _(L, "Off"));
        html_printf(b, " %s</p>",
                    st.enabled ? _(L, "Each login asks for a code from your app after your "
                                      "password.")
                               : _(L, "Your account is protected by your password only."));
        if (required)
                html_printf(b, "<p class=\"notice-inline\">%s</p>",
                            st.enabled
                                ? _(L, "Your role requires the second factor: it cannot be "
                                       "turned off. If you lose your phone, use a recovery code "
                                       "or ask an administrator to reset it.")
                                : _(L, "Your role requires the second factor. Set it up to go "
                                       "on: the other pages stay closed until then."));
        html_raw_trusted(b, "</section>");

        if (st.enrolling && !st.enabled && st.secret) { /* else it is drawn again */
                setup_section(req, &st, e);
        } else if (!st.enabled) {
                html_printf(b, "<section class=\"panel\"><h2>%s</h2><p>%s</p>",
                            _(L, "Set up the second factor"),
                            _(L, "A second factor asks, after your password, for a 6-digit code "
                                 "that an app on your phone makes every 30 seconds. Someone who "
                                 "learns your password still cannot log in."));
                html_raw_trusted(b, "<form method=\"post\" action=\"/account/security/setup\">");
                page_csrf(req);
                html_printf(b,
                            "<div class=\"form-actions\"><button class=\"primary\">%s</button>"
                            "</div></form></section>",
                            _(L, "Set up"));
        } else {
                html_printf(b, "<section class=\"panel\"><h2>%s</h2><p>%s</p>",
                            _(L, "Recovery codes"),
                            arena_printf(req->arena, _(L, "%s unused recovery codes left."),
                                         i18n_int(req->arena, L, st.recovery_left)));
                html_printf(b, "<p class=\"hint\">%s</p>",
                            _(L, "Making new codes invalidates the old ones."));
                html_raw_trusted(b, "<form method=\"post\" action=\"/account/security/recovery\">");
                page_csrf(req);
                html_printf(b,
                            "<div class=\"form-actions\"><button>%s</button></div></form>"
                            "</section>",
                            _(L, "Make new recovery codes"));
                if (!required) {
                        html_printf(b, "<section class=\"panel\"><h2>%s</h2><p>%s</p>",
                                    _(L, "Turn off the second factor"),
                                    _(L, "Type a current code from your app to turn it off."));
                        form_error_summary(req, e);
                        html_raw_trusted(b, "<form method=\"post\" "
                                            "action=\"/account/security/disable\" novalidate>");
                        page_csrf(req);
                        code_field(req, e, _(L, "Code from the app"));
                        html_printf(b,
                                    "<div class=\"form-actions\"><button>%s</button></div>"
                                    "</form></section>",
                                    _(L, "Turn off the second factor"));
                }
        }
        html_printf(b, "<p><a href=\"/account/password\">%s</a></p>", _(L, "Change your password"));
        page_end(req);
}

void
page_security(struct request *req)
{
        const char *done = req_query(req, "done");
        const char *notice = NULL;
        if (done && strcmp(done, "off") == 0)
                notice = _(req->lang, "The second factor is off.");
        security_page(req, NULL, notice);
}

void
page_security_setup(struct request *req)
{
        const char *secret = totp_secret_new(req->arena);
        int rc = secret ? mfa_store_begin(req->db, req->user->id, secret, req->arena) : STORE_ERROR;
        if (rc == STORE_CONFLICT) {
                reply_error(req, ERR_CONFLICT,
                            _(req->lang, "The second factor is on already. Turn it off first to "
                                         "set up a new phone."),
                            NULL, 0);
                return;
        }
        if (rc != STORE_OK) {
                reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
                return;
        }
        reply_redirect(req, "/account/security#setup");
}

/* A wrong code typed while logged in: logged and in the audit trail. */
static void
record_wrong_code(struct request *req, long long user_id, enum totp_result r, const char *where)
{
        const char *why =
            r == TOTP_REPLAY ? "replayed second factor code" : "wrong second factor code";
        auth_log_failure(req->user ? req->user->login : "", req->client_ip, why);
        audit_event_pairs(req->db, "second_factor_failed", "app_user", user_id, "reason", why,
                          "where", where, NULL);
}

static const char *
wrong_code_message(enum totp_result r)
{
        return r == TOTP_MALFORMED ? N_("Type the 6 digits the app shows.")
               : r == TOTP_REPLAY  ? N_("This code was used already. Wait for the next one.")
                                   : N_("This code is not right. Check the time of your phone and "
                                         "type the code the app shows now.");
}

void
page_security_confirm(struct request *req)
{
        struct mfa_state st;
        if (mfa_store_get(req->db, req->user->id, req->arena, &st) != STORE_OK) {
                reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
                return;
        }
        /* The input first: a code that is not six digits is the same 422 in every state. */
        long long step = 0;
        enum totp_result r =
            totp_normalise_code(req->arena, req_form(req, "code")) ? TOTP_WRONG : TOTP_MALFORMED;
        if (r != TOTP_MALFORMED && !st.enrolling) {
                reply_error(req, ERR_CONFLICT,
                            st.enabled ? _(req->lang, "The second factor is on already.")
                                       : _(req->lang, "Start the setup first."),
                            NULL, 0);
                return;
        }
        if (r != TOTP_MALFORMED)
                r = check_code(req, &st, req_form(req, "code"), &step);
        if (r != TOTP_OK) {
                if (r != TOTP_MALFORMED)
                        record_wrong_code(req, req->user->id, r, "setup");
                struct errs e;
                errs_init(&e, req->arena, req->lang);
                errs_add(&e, "code", wrong_code_message(r));
                security_page(req, &e, NULL);
                req->status = 422;
                return;
        }
        const char **shown, **hashes;
        draw_recovery(req, req->user->id, &shown, &hashes);
        int rc = mfa_store_confirm(req->db, req->user->id, step, hashes, TOTP_RECOVERY_COUNT,
                                   req->arena);
        if (rc != STORE_OK) {
                reply_error(req, rc == STORE_CONFLICT ? ERR_CONFLICT : ERR_INTERNAL, NULL, NULL, 0);
                return;
        }
        audit_event(req->db, "second_factor_enabled", "app_user", req->user->id, NULL);
        recovery_page(req, shown,
                      _(req->lang, "The second factor is on. From now on, each login asks for a "
                                   "code from your app."));
}

void
page_security_recovery(struct request *req)
{
        const char **shown, **hashes;
        draw_recovery(req, req->user->id, &shown, &hashes);
        int rc = mfa_store_replace_recovery(req->db, req->user->id, hashes, TOTP_RECOVERY_COUNT,
                                            req->arena);
        if (rc == STORE_CONFLICT) {
                reply_error(req, ERR_CONFLICT,
                            _(req->lang, "The second factor is off: there are no recovery codes "
                                         "to make."),
                            NULL, 0);
                return;
        }
        if (rc != STORE_OK) {
                reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
                return;
        }
        audit_event(req->db, "recovery_codes_regenerated", "app_user", req->user->id, NULL);
        recovery_page(req, shown,
                      _(req->lang, "New recovery codes were made. The old ones no longer work."));
}

void
page_security_disable(struct request *req)
{
        int required = mfa_store_role_requires(req->db, req->user->role);
        struct mfa_state st;
        if (required < 0 || mfa_store_get(req->db, req->user->id, req->arena, &st) != STORE_OK) {
                reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
                return;
        }
        if (required) {
                reply_error(req, ERR_FORBIDDEN,
                            _(req->lang, "Your role requires the second factor: it cannot be "
                                         "turned off."),
                            NULL, 0);
                return;
        }
        if (!st.enabled) {
                reply_error(req, ERR_CONFLICT, _(req->lang, "The second factor is off already."),
                            NULL, 0);
                return;
        }
        long long step = 0;
        enum totp_result r = check_code(req, &st, req_form(req, "code"), &step);
        if (r == TOTP_OK && mfa_store_use_step(req->db, req->user->id, step) == STORE_CONFLICT)
                r = TOTP_REPLAY;
        if (r != TOTP_OK) {
                if (r != TOTP_MALFORMED)
                        record_wrong_code(req, req->user->id, r, "disable");
                struct errs e;
                errs_init(&e, req->arena, req->lang);
                errs_add(&e, "code", wrong_code_message(r));
                security_page(req, &e, NULL);
                req->status = 422;
                return;
        }
        if (mfa_store_disable(req->db, req->user->id) != STORE_OK) {
                reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
                return;
        }
        audit_event(req->db, "second_factor_disabled", "app_user", req->user->id, NULL);
        reply_redirect(req, "/account/security?done=off");
}

/* ---- the second step of a login: /login/totp ---- */

/* Only local paths may be gone to after login (no open redirect); as pages_auth.c does. */
static const char *
safe_next(const char *next)
{
        if (next == NULL || next[0] != '/' || next[1] == '/' || next[1] == '\\' ||
            strchr(next, '\r') || strchr(next, '\n'))
                return "/";
        return next;
}

static void
second_step_form(struct request *req, const char *error)
{
        enum lang L = req->lang;
        page_begin(req, _(L, "Second step of the login"), NULL);
        struct buf *b = &req->out;
        html_printf(b, "<div class=\"panel narrow\"><h1>%s</h1>", _(L, "Second step of the login"));
        if (error)
                html_printf(b, "<div class=\"error-summary\" role=\"alert\"><p>%s</p></div>",
                            error);
        html_printf(b, "<p>%s</p>",
                    _(L, "Your password is right. Now type the 6-digit code that your "
                         "authenticator app shows for murafiq."));
        html_raw_trusted(b, "<form method=\"post\" action=\"/login/totp\" novalidate>");
        page_csrf(req);
        struct form_field f = {.name = "code",
                               .label = _(L, "Code from the app"),
                               .hint = _(L, "Lost your phone? Type one of your recovery codes "
                                            "instead (like k7m2p-x9qrt)."),
                               .required = 1,
                               .maxlen = 20,
                               .dir = "ltr",
                               .extra = "autocomplete=\"one-time-code\" autocapitalize=\"none\" "
                                        "autofocus class=\"code\""};
        form_input(req, &f, NULL);
        html_printf(b,
                    "<div class=\"form-actions\"><button class=\"primary\">%s</button>"
                    "<a href=\"/login\">%s</a></div></form></div>",
                    _(L, "Log in"), _(L, "Cancel"));
        page_end(req);
}

/* No (live) pending login: the password step must be done again. */
static void
second_step_expired(struct request *req)
{
        enum lang L = req->lang;
        reply_set_cookie(req, COOKIE_PENDING, "", "HttpOnly; SameSite=Strict; Max-Age=0");
        page_begin(req, _(L, "Second step of the login"), NULL);
        html_printf(&req->out,
                    "<div class=\"panel narrow\"><h1>%s</h1><p>%s</p><p><a class=\"button "
                    "primary\" href=\"/login\">%s</a></p></div>",
                    _(L, "Second step of the login"),
                    _(L, "This login has expired or was not started in this browser. Log in "
                         "again with your password."),
                    _(L, "Log in"));
        page_end(req);
}

void
page_login_totp(struct request *req)
{
        if (req->user) {
                reply_redirect(req, "/");
                return;
        }
        const char *next = NULL;
        if (auth_pending_user(req->db, req->arena, req_cookie(req, cookie_name(COOKIE_PENDING)),
                              &next) < 0) {
                second_step_expired(req);
                return;
        }
        second_step_form(req, NULL);
}

void
page_login_totp_post(struct request *req)
{
        enum lang L = req->lang;
        if (req->user) {
                reply_redirect(req, "/");
                return;
        }
        const char *pid = req_cookie(req, cookie_name(COOKIE_PENDING));
        const char *next = "/";
        long long uid = auth_pending_user(req->db, req->arena, pid, &next);
        struct user *u = uid > 0 ? auth_load_user(req->db, req->arena, uid) : NULL;
        if (u == NULL) {
                second_step_expired(req);
                req->status = 401;
                return;
        }
        /* Every code counts as a failed login until it is right, in the same throttle as the
         * password (whose own attempt is still counted: it is cleared only here). */
        audit_set_actor(req->db, 0, u->login, req->client_ip);
        long long wait = auth_throttle_begin(req->db, u->login, req->client_ip);
        if (wait != 0) {
                auth_log_failure(u->login, req->client_ip,
                                 wait > 0 ? "throttled" : "database error");
                if (wait < 0) {
                        reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
                        return;
                }
                audit_event_pairs(req->db, "login_failed", "app_user", uid, "reason", "throttled",
                                  NULL);
                second_step_form(req, _(L, "Too many failed attempts. Wait a few minutes, then "
                                           "try again."));
                req->retry_after = arena_printf(req->arena, "%lld", wait);
                req->status = 429;
                return;
        }
        const char *code = req_form(req, "code");
        const char *how = NULL, *why = "wrong second factor code";
        struct mfa_state st;
        if (code && strlen(code) <= 64 &&
            mfa_store_get(req->db, uid, req->arena, &st) == STORE_OK && st.enabled) {
                long long step = 0;
                enum totp_result r = TOTP_MALFORMED;
                if (totp_normalise_code(req->arena, code))
                        r = check_code(req, &st, code, &step);
                if (r == TOTP_OK && mfa_store_use_step(req->db, uid, step) == STORE_OK) {
                        how = "totp";
                } else if (r == TOTP_OK || r == TOTP_REPLAY) {
                        why = "replayed second factor code";
                } else {
                        const char *norm = totp_recovery_normalise(req->arena, code);
                        if (norm && mfa_store_use_recovery(
                                        req->db, uid, totp_recovery_hash(req->arena, uid, norm),
                                        req->arena) == STORE_OK)
                                how = "recovery";
                }
        }
        if (how == NULL) {
                auth_log_failure(u->login, req->client_ip, why);
                audit_event_pairs(req->db, "login_failed", "app_user", uid, "reason", why, NULL);
                second_step_form(req, strcmp(why, "replayed second factor code") == 0
                                          ? _(L, "This code was used already. Wait for the next "
                                                 "one.")
                                          : _(L, "This code is not right."));
                req->status = 401;
                return;
        }
        auth_throttle_clear(req->db, u->login);
        auth_pending_end(req->db, req->arena, pid);
        char *csrf = NULL;
        char *sid = auth_session_start(req->db, req->arena, uid, &csrf);
        if (sid == NULL) {
                reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
                return;
        }
        audit_set_actor(req->db, uid, u->login, req->client_ip);
        if (strcmp(how, "recovery") == 0)
                audit_event(req->db, "recovery_code_used", "app_user", uid, NULL);
        audit_event_pairs(req->db, "login", "app_user", uid, "second_factor", how, NULL);
        reply_set_cookie(req, COOKIE_SESSION, sid, "HttpOnly; SameSite=Lax; Max-Age=43200");
        reply_set_cookie(req, COOKIE_PENDING, "", "HttpOnly; SameSite=Strict; Max-Age=0");
        reply_set_cookie(req, COOKIE_PRELOGIN, "", "HttpOnly; SameSite=Strict; Max-Age=0");
        reply_redirect(req, safe_next(next));
}

int
mfa_login_second_step(struct request *req, long long user_id, const char *next)
{
        int on = auth_second_factor_on(req->db, user_id);
        if (on <= 0)
                return on;
        char *pid = auth_pending_start(req->db, req->arena, user_id, safe_next(next));
        if (pid == NULL)
                return -1;
        reply_set_cookie(req, COOKIE_PENDING, pid,
                         arena_printf(req->arena, "HttpOnly; SameSite=Strict; Max-Age=%lld",
                                      auth_pending_lifetime()));
        reply_redirect(req, "/login/totp");
        return 1;
}

/* ---- the administrator's side: policy and reset ---- */

static void
policy_page(struct request *req, const char *notice)
{
        enum lang L = req->lang;
        int required[ROLE_COUNT];
        if (mfa_store_policy(req->db, required) != STORE_OK) {
                reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
                return;
        }
        page_begin(req, _(L, "Second factor policy"), "accounts");
        struct buf *b = &req->out;
        html_printf(b,
                    "<nav class=\"crumbs\"><a href=\"/admin/users\">%s</a></nav>"
                    "<div class=\"page-head\"><h1>%s</h1></div>",
                    _(L, "Accounts"), _(L, "Second factor policy"));
        if (notice)
                html_printf(b, "<div class=\"panel notice\" role=\"status\"><p>%s</p></div>",
                            notice);
        html_printf(b, "<section class=\"panel\"><p>%s</p><p class=\"hint\">%s</p>",
                    _(L, "Tick the roles whose users must use a second factor (a code from an "
                         "app on their phone). Those who have not set it up are sent to its setup "
                         "at their next page; the others may turn it on if they wish."),
                    _(L, "API tokens are not affected: an administrator gives them to a person "
                         "or a program, and they do not log in."));
        html_raw_trusted(b, "<form method=\"post\" action=\"/admin/security\" class=\"record\">");
        page_csrf(req);
        html_printf(b, "<fieldset class=\"field\"><legend>%s</legend>",
                    _(L, "A second factor is required for"));
        for (int i = 0; i < ROLE_COUNT; i++)
                form_checkbox(req, role_name((enum role)i), _(L, role_label((enum role)i)),
                              required[i], NULL);
        html_printf(b,
                    "</fieldset><div class=\"form-actions\"><button class=\"primary\">%s</button>"
                    "</div></form></section>",
                    _(L, "Save the policy"));
        page_end(req);
}

void
page_admin_security(struct request *req)
{
        const char *saved = req_query(req, "saved");
        policy_page(req, saved ? _(req->lang, "The policy was saved.") : NULL);
}

void
page_admin_security_post(struct request *req)
{
        int required[ROLE_COUNT];
        for (int i = 0; i < ROLE_COUNT; i++) {
                /* The form sends each box's hidden 0: a role left out is a broken form. */
                const char *v = req_form(req, role_name((enum role)i));
                if (v == NULL || (strcmp(v, "0") != 0 && strcmp(v, "1") != 0)) {
                        struct field_error fe = {role_name((enum role)i),
                                                 _(req->lang, "Send 0 or 1.")};
                        reply_error(req, ERR_VALIDATION, NULL, &fe, 1);
                        return;
                }
                required[i] = strcmp(v, "1") == 0;
        }
        if (mfa_store_set_policy(req->db, required) != STORE_OK) {
                reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
                return;
        }
        reply_redirect(req, "/admin/security?saved=1");
}

void
page_account_totp_reset(struct request *req)
{
        struct errs e;
        errs_init(&e, req->arena, req->lang);
        long long v = 0;
        if (v_int(&e, "version", req_form(req, "version"), 1, 1, 1LL << 62, 0, &v) != 0) {
                reply_error(req, ERR_BAD_REQUEST, NULL, e.list, e.n);
                return;
        }
        int rc = mfa_store_reset(req->db, req->id, v);
        if (rc == STORE_CONFLICT) {
                reply_error(req, ERR_CONFLICT,
                            _(req->lang, "Someone else changed this account since you read it. "
                                         "Open it again to see their changes, then make yours."),
                            NULL, 0);
                return;
        }
        if (rc != STORE_OK) {
                reply_error(req, rc == STORE_NOT_FOUND ? ERR_NOT_FOUND : ERR_INTERNAL, NULL, NULL,
                            0);
                return;
        }
        audit_event(req->db, "second_factor_reset", "app_user", req->id, NULL);
        reply_redirect(req, arena_printf(req->arena, "/admin/users/%lld?totp=reset", req->id));
}

void
mfa_account_section(struct request *req, long long user_id, long long version)
{
        enum lang L = req->lang;
        struct buf *b = &req->out;
        struct mfa_state st;
        if (mfa_store_get(req->db, user_id, req->arena, &st) != STORE_OK)
                return;
        html_printf(b, "<section class=\"panel\" id=\"second-factor\"><h2>%s</h2>",
                    _(L, "Second factor"));
        const char *q = req_query(req, "totp");
        if (q && strcmp(q, "reset") == 0)
                html_printf(b, "<p class=\"notice-inline\" role=\"status\">%s</p>",
                            _(L, "The second factor was reset, and the person was logged out. "
                                 "They set it up again at their next login if their role "
                                 "requires it."));
        html_raw_trusted(b, "<p>");
        if (st.enabled)
                html_status_badge(req, "active", _(L, "On"));
        else
                html_status_badge(req, "dissolved", _(L, "Off"));
        html_printf(b, " %s</p>",
                    _(L, "If the person lost their phone, reset the second factor: they are logged "
                         "out at once and can log in with their password only, then set it up "
                         "again."));
        html_printf(b, "<form method=\"post\" action=\"/admin/users/%lld/totp-reset\">", user_id);
        page_csrf(req);
        html_printf(b, "<input type=\"hidden\" name=\"version\" value=\"%lld\">", version);
        html_printf(b, "<div class=\"form-actions\"><button>%s</button></div></form></section>",
                    _(L, "Reset the second factor"));
}

/* ---- API ---- */

static json_t *
policy_json(const int required[ROLE_COUNT])
{
        json_t *r = json_object();
        for (int i = 0; i < ROLE_COUNT; i++)
                json_object_set_new(r, role_name((enum role)i), json_boolean(required[i]));
        return json_pack("{s:o}", "required", r);
}

void
api_security_policy_get(struct request *req)
{
        int required[ROLE_COUNT];
        if (mfa_store_policy(req->db, required) != STORE_OK) {
                reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
                return;
        }
        reply_json(req, 200, policy_json(required));
}

void
api_security_policy_patch(struct request *req)
{
        int required[ROLE_COUNT];
        if (mfa_store_policy(req->db, required) != STORE_OK) {
                reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
                return;
        }
        json_t *obj = req->json, *r = obj ? json_object_get(obj, "required") : NULL;
        struct errs e;
        errs_init(&e, req->arena, req->lang);
        if (!json_is_object(obj) || json_object_size(obj) != 1 || !json_is_object(r)) {
                errs_add(&e, "required", "Send {\"required\": {\"role\": true or false, ...}}.");
        } else {
                const char *key;
                json_t *v;
                json_object_foreach(r, key, v)
                {
                        int role = role_from_name(key);
                        if (role < 0)
                                errs_add(&e, arena_printf(req->arena, "required.%s", key),
                                         "Unknown role.");
                        else if (!json_is_boolean(v))
                                errs_add(&e, arena_printf(req->arena, "required.%s", key),
                                         "This field has the wrong type.");
                        else
                                required[role] = json_is_true(v);
                }
        }
        if (e.n) {
                reply_error(req, ERR_VALIDATION, NULL, e.list, e.n);
                return;
        }
        if (mfa_store_set_policy(req->db, required) != STORE_OK) {
                reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
                return;
        }
        reply_json(req, 200, policy_json(required));
}

void
api_account_totp_reset(struct request *req)
{
        long long expected = -1;
        struct errs e;
        errs_init(&e, req->arena, req->lang);
        if (req->json && !json_is_object(req->json)) {
                reply_error(req, ERR_BAD_REQUEST, _(req->lang, "Send no body, or {}."), NULL, 0);
                return;
        }
        if (req->json) {
                const char *key;
                json_t *v;
                json_object_foreach(req->json, key, v)
                {
                        if (strcmp(key, "version") == 0 && json_is_integer(v))
                                expected = json_integer_value(v);
                        else if (strcmp(key, "version") == 0)
                                errs_add(&e, "version", "This field has the wrong type.");
                        else
                                errs_add(&e, arena_strdup(req->arena, key), "Unknown field.");
                }
        }
        if (e.n) {
                reply_error(req, ERR_VALIDATION, NULL, e.list, e.n);
                return;
        }
        int rc = mfa_store_reset(req->db, req->id, expected);
        if (rc == STORE_CONFLICT) {
                reply_error(req, ERR_CONFLICT, NULL, NULL, 0);
                return;
        }
        if (rc != STORE_OK) {
                reply_error(req, rc == STORE_NOT_FOUND ? ERR_NOT_FOUND : ERR_INTERNAL, NULL, NULL,
                            0);
                return;
        }
        audit_event(req->db, "second_factor_reset", "app_user", req->id, NULL);
        reply_json(req, 200,
                   json_pack("{s:I, s:b}", "id", (json_int_t)req->id, "second_factor", 0));
}
