/* errors.c: one renderer for every error, as an HTML page or a JSON object. */
#include <string.h>

#include "core/arena.h"
#include "core/audit.h"
#include "core/http.h"
#include "core/i18n.h"
#include "registry/store.h"
#include "web/layout.h"

static const struct {
        int status;
        const char *code;
        const char *title; /* msgid */
} error_table[] = {
    [ERR_BAD_REQUEST] = {400, "bad_request", N_("The request is not valid.")},
    [ERR_UNAUTHENTICATED] = {401, "unauthenticated", N_("Log in to continue.")},
    [ERR_FORBIDDEN] = {403, "forbidden", N_("You are not allowed to do this.")},
    [ERR_NOT_FOUND] = {404, "not_found",
                       N_("This page or record does not exist, or is not in your regions.")},
    [ERR_METHOD] = {405, "method_not_allowed", N_("This action is not available here.")},
    [ERR_CONFLICT] = {409, "conflict", N_("This conflicts with existing data.")},
    [ERR_TOO_LARGE] = {413, "too_large", N_("What you sent is too large.")},
    [ERR_VALIDATION] = {422, "validation_failed", N_("Some fields need correcting.")},
    [ERR_INTERNAL] = {500, "internal",
                      N_("Something went wrong on our side. Nothing was saved; try again.")},
    [ERR_PASSWORD_CHANGE] = {403, "password_change_required",
                             N_("Change your password before going on.")},
    [ERR_SECOND_FACTOR] = {403, "second_factor_required",
                           N_("Set up the second factor before going on.")},
};

void
reply_error(struct request *req, enum app_error err, const char *message,
            const struct field_error *fields, size_t nfields)
{
        const char *msg = message ? message : _(req->lang, error_table[err].title);
        /* Refusals are part of the trail: who tried what (the router's permission and CSRF
         * checks, and the stores' region checks of writes, all come through here). */
        if (err == ERR_FORBIDDEN && req->db)
                audit_event_pairs(req->db, "refused", "", 0, "method",
                                  req->method == METHOD_GET     ? "GET"
                                  : req->method == METHOD_POST  ? "POST"
                                  : req->method == METHOD_PATCH ? "PATCH"
                                                                : "OTHER",
                                  "path", req->path, NULL);
        /* Drop whatever a handler had started to write. */
        req->out.len = 0;
        req->out.err = 0;
        req->static_body = NULL;
        if (req->stream) {
                req->stream->done(req->stream->ctx);
                req->stream = NULL;
        }
        req->location = NULL;
        if (req->is_api) {
                json_t *fj = json_object();
                for (size_t i = 0; i < nfields; i++)
                        json_object_set_new(fj, fields[i].field, json_string(fields[i].msg));
                json_t *j = json_pack("{s:{s:s, s:s, s:o}}", "error", "code", error_table[err].code,
                                      "message", msg, "fields", fj);
                reply_json(req, error_table[err].status, j);
                return;
        }
        page_begin(req, _(req->lang, error_table[err].title), NULL);
        html_printf(&req->out, "<div class=\"panel error-page\"><h1>%s</h1>",
                    _(req->lang, error_table[err].title));
        if (message)
                html_printf(&req->out, "<p>%s</p>", message);
        if (nfields) {
                html_raw_trusted(&req->out, "<ul>");
                for (size_t i = 0; i < nfields; i++)
                        html_printf(&req->out, "<li><code>%s</code>: %s</li>", fields[i].field,
                                    fields[i].msg);
                html_raw_trusted(&req->out, "</ul>");
        }
        if (err == ERR_UNAUTHENTICATED)
                html_printf(&req->out, "<p><a class=\"button\" href=\"/login\">%s</a></p>",
                            _(req->lang, "Log in"));
        else
                html_printf(&req->out, "<p><a href=\"/\">%s</a></p>",
                            _(req->lang, "Back to the start page"));
        html_raw_trusted(&req->out, "</div>");
        page_end(req);
        req->status = error_table[err].status;
}

void
reply_store_error(struct request *req, int rc)
{
        /* A record outside the caller's scope reads as absent (store.h): never say it exists. */
        if (rc == STORE_UNREADABLE) {
                reply_error(req, ERR_INTERNAL,
                            _(req->lang, "This record holds encrypted data that the server's key "
                                         "file does not open: the server was probably started "
                                         "with another key file than this database's. Tell "
                                         "the administrator."),
                            NULL, 0);
                return;
        }
        reply_error(req, rc == STORE_NOT_FOUND ? ERR_NOT_FOUND : ERR_INTERNAL, NULL, NULL, 0);
}
