/* http.c: libmicrohttpd glue: request lifecycle, authentication, routing, responses. */
#include "http.h"

#include <errno.h>
#include <malloc.h>
#include <microhttpd.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include "arena.h"
#include "audit.h"
#include "auth.h"
#include "db.h"
#include "embed.h"
#include "fault.h"
#include "log.h"
#include "text.h"

char asset_version[17];

static const struct server_config *config;

/* One database connection per server thread, opened on first use; all are closed at stop. */
static _Thread_local struct db *thread_db;
static pthread_mutex_t db_list_lock = PTHREAD_MUTEX_INITIALIZER;
static struct db *db_list[256];
static size_t db_count;

static struct db *
request_db(void)
{
        if (thread_db)
                return thread_db;
        struct db *db = db_open(config->db_path, 0);
        if (db == NULL)
                return NULL;
        pthread_mutex_lock(&db_list_lock);
        if (db_count < sizeof(db_list) / sizeof(db_list[0]))
                db_list[db_count++] = db;
        pthread_mutex_unlock(&db_list_lock);
        thread_db = db;
        return db;
}

static double
now_ms(void)
{
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

/* ---- request accessors ---- */

const char *
req_query(struct request *req, const char *key)
{
        return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, key);
}

const char *
req_query_str(struct request *req, const char *key)
{
        const char *v = req_query(req, key);
        return v ? v : "";
}

const char *
req_form(struct request *req, const char *key)
{
        /* The last value wins: a checkbox follows a hidden field of the same name carrying
         * its unticked value, so a ticked box sends both, "0" then "1". */
        for (size_t i = req->nform; i-- > 0;)
                if (strcmp(req->form[i].key, key) == 0)
                        return req->form[i].value;
        return NULL;
}

const char *
req_header(struct request *req, const char *key)
{
        return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, key);
}

const char *
req_cookie(struct request *req, const char *key)
{
        return MHD_lookup_connection_value(req->conn, MHD_COOKIE_KIND, key);
}

static const char *const role_names[ROLE_COUNT] = {"admin", "program_manager", "regional_officer",
                                                   "coach", "viewer"};

const char *
role_label(enum role role)
{
        static const char *const labels[ROLE_COUNT] = {N_("Administrator"), N_("Program manager"),
                                                       N_("Regional officer"), N_("Coach"),
                                                       N_("Viewer")};
        return (unsigned)role < ROLE_COUNT ? labels[role] : "?";
}

const char *
role_name(enum role role)
{
        return (unsigned)role < ROLE_COUNT ? role_names[role] : "?";
}

int
role_from_name(const char *name)
{
        for (int i = 0; name && i < ROLE_COUNT; i++)
                if (strcmp(name, role_names[i]) == 0)
                        return i;
        return -1;
}

int
user_can(const struct user *u, enum perm perm)
{
        if (u == NULL)
                return 0;
        enum role r = u->role;
        int manager = r == ROLE_ADMIN || r == ROLE_PROGRAM_MANAGER;
        switch (perm) {
        case PERM_NONE:
        case PERM_COOP_READ:
        case PERM_EVALUATE:
                return 1;
        case PERM_COOP_WRITE:
        case PERM_PERSON_WRITE:
        case PERM_NATIONAL_ID:
        case PERM_EXPORT:
                return manager || r == ROLE_REGIONAL_OFFICER;
        case PERM_APPLICATION_READ:
        case PERM_APPLICATION_WRITE:
                return manager || r == ROLE_REGIONAL_OFFICER;
        case PERM_PERSON_READ:
                return manager || r == ROLE_REGIONAL_OFFICER || r == ROLE_COACH;
        case PERM_ORG_WRITE:
        case PERM_PROGRAM_MANAGE:
                return manager;
        case PERM_ADMIN:
                return r == ROLE_ADMIN;
        }
        return 0;
}

/* ---- responses ---- */

void
reply_redirect(struct request *req, const char *location)
{
        req->status = 303;
        req->location = location;
}

void
reply_json(struct request *req, int status, json_t *j)
{
        req->status = status;
        req->content_type = "application/json; charset=utf-8";
        char *s = json_dumps(j, JSON_COMPACT);
        if (s) {
                buf_puts(&req->out, s);
                free(s);
        }
        json_decref(j);
}

void
reply_cookie(struct request *req, const char *cookie)
{
        if (req->nset_cookie < (int)(sizeof(req->set_cookie) / sizeof(req->set_cookie[0])))
                req->set_cookie[req->nset_cookie++] = cookie;
}

const char *
cookie_name(enum cookie c)
{
        /* __Host- makes the browser refuse the cookie unless it is Secure, Path=/ and without
         * Domain: a sibling subdomain or a plain-http page cannot plant one. */
        static const char *const names[2][4] = {
            {"mq_session", "mq_pre", "mq_lang", "mq_pending"},
            {"__Host-mq_session", "__Host-mq_pre", "__Host-mq_lang", "__Host-mq_pending"},
        };
        return names[config && config->behind_tls ? 1 : 0][c];
}

void
reply_set_cookie(struct request *req, enum cookie c, const char *value, const char *attrs)
{
        reply_cookie(req, arena_printf(req->arena, "%s=%s; Path=/; %s%s", cookie_name(c), value,
                                       attrs, config && config->behind_tls ? "; Secure" : ""));
}

void
reply_stream(struct request *req, const char *content_type, const struct stream *s)
{
        req->stream = arena_alloc(req->arena, sizeof(*req->stream));
        *req->stream = *s;
        req->status = 200;
        req->content_type = content_type;
}

void
row_stream_init(struct row_stream *rs, struct arena *row,
                int (*next)(void *ctx, struct arena *row, struct buf *out), void *ctx)
{
        memset(rs, 0, sizeof(*rs));
        rs->next = next;
        rs->ctx = ctx;
        rs->row = row;
        buf_init(&rs->pending, row, 1u << 20);
}

long
row_stream_fill(struct row_stream *rs, char *out, size_t max)
{
        size_t n = 0;
        while (n < max) {
                if (rs->off == rs->pending.len) {
                        if (rs->finished)
                                break;
                        /* The pending row is sent: forget it and build the next one. */
                        arena_reset(rs->row);
                        buf_init(&rs->pending, rs->row, 1u << 20);
                        rs->off = 0;
                        int rc = rs->next(rs->ctx, rs->row, &rs->pending);
                        if (rc < 0 || rs->pending.err)
                                return -1;
                        if (rc == 0) {
                                rs->finished = 1;
                                break;
                        }
                }
                size_t k = rs->pending.len - rs->off;
                if (k > max - n)
                        k = max - n;
                memcpy(out + n, rs->pending.data + rs->off, k);
                rs->off += k;
                n += k;
        }
        return (long)n;
}

struct db *
http_open_db(void)
{
        return db_open(config->db_path, 0);
}

static ssize_t
stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
        (void)pos;
        struct stream *s = cls;
        long n = s->fill(s->ctx, buf, max);
        if (n < 0)
                return MHD_CONTENT_READER_END_WITH_ERROR;
        return n == 0 ? MHD_CONTENT_READER_END_OF_STREAM : (ssize_t)n;
}

static void
stream_free(void *cls)
{
        struct stream *s = cls;
        s->done(s->ctx);
        free(s);
}

/* ---- form bodies ---- */

static enum MHD_Result
on_form_field(void *cls, enum MHD_ValueKind kind, const char *key, const char *filename,
              const char *content_type, const char *transfer_encoding, const char *data,
              uint64_t off, size_t size)
{
        (void)kind, (void)filename, (void)content_type, (void)transfer_encoding;
        struct request *req = cls;
        /* A value can arrive in pieces: later pieces extend the last field of that key. */
        if (off > 0 && req->nform > 0 && strcmp(req->form[req->nform - 1].key, key) == 0) {
                struct param *p = &req->form[req->nform - 1];
                size_t old = strlen(p->value);
                char *v = arena_alloc(req->arena, old + size + 1);
                memcpy(v, p->value, old);
                memcpy(v + old, data, size);
                p->value = v;
                return MHD_YES;
        }
        if (req->nform == req->capform) {
                size_t cap = req->capform ? req->capform * 2 : 32;
                if (cap > 4096)
                        return MHD_NO;
                struct param *np = arena_alloc(req->arena, cap * sizeof(*np));
                if (req->nform)
                        memcpy(np, req->form, req->nform * sizeof(*np));
                req->form = np;
                req->capform = cap;
        }
        req->form[req->nform].key = arena_strdup(req->arena, key);
        req->form[req->nform].value = arena_strndup(req->arena, data ? data : "", size);
        req->nform++;
        return MHD_YES;
}

/* ---- authentication, routing ---- */

static int
match_route(const char *pattern, const char *path, long long *id)
{
        while (*pattern && *path) {
                if (strncmp(pattern, "{id}", 4) == 0) {
                        long long v = 0;
                        int digits = 0;
                        while (*path >= '0' && *path <= '9') {
                                if (v > 100000000000LL)
                                        return 0;
                                v = v * 10 + (*path - '0');
                                path++, digits++;
                        }
                        if (digits == 0 || v <= 0)
                                return 0;
                        *id = v;
                        pattern += 4;
                        continue;
                }
                if (*pattern != *path)
                        return 0;
                pattern++, path++;
        }
        return *pattern == '\0' && *path == '\0';
}

static void
authenticate(struct request *req)
{
        const char *authz = req_header(req, MHD_HTTP_HEADER_AUTHORIZATION);
        if (authz && strncasecmp(authz, "Bearer ", 7) == 0) {
                req->user = auth_token_user(req->db, req->arena, authz + 7);
                req->via_token = req->user != NULL;
                return;
        }
        const char *sid = req_cookie(req, cookie_name(COOKIE_SESSION));
        if (sid && strlen(sid) == 32) {
                const char *csrf = NULL;
                req->user = auth_session_user(req->db, req->arena, sid, &csrf);
                if (req->user) {
                        req->session = sid;
                        req->csrf = csrf;
                }
        }
}

static enum MHD_Result
valid_param(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
        (void)kind;
        const char **bad = cls;
        if (!text_valid_utf8(key, strlen(key)) ||
            (value && !text_valid_utf8(value, strlen(value)))) {
                *bad = key;
                return MHD_NO;
        }
        return MHD_YES;
}

/* Returns the name of the first parameter that is not valid UTF-8, or NULL. */
static const char *
invalid_param(struct request *req)
{
        const char *bad = NULL;
        MHD_get_connection_values(req->conn, MHD_GET_ARGUMENT_KIND, valid_param, &bad);
        for (size_t i = 0; bad == NULL && i < req->nform; i++)
                if (!text_valid_utf8(req->form[i].key, strlen(req->form[i].key)) ||
                    !text_valid_utf8(req->form[i].value, strlen(req->form[i].value)))
                        bad = req->form[i].key;
        return bad;
}

static void
choose_language(struct request *req)
{
        if (req->user) {
                req->lang = req->user->lang;
                return;
        }
        int l = lang_from_code(req_cookie(req, cookie_name(COOKIE_LANG)));
        req->lang = l < 0 ? LANG_DEFAULT : (enum lang)l;
}

/* Anonymous visitors get a pre-login token (cookie + hidden field) so the login and language
 * forms carry a CSRF token like every other POST. */
static void
prelogin_token(struct request *req)
{
        const char *pre = req_cookie(req, cookie_name(COOKIE_PRELOGIN));
        if (pre && strlen(pre) == 32) {
                req->csrf = pre;
                return;
        }
        req->csrf = auth_random_hex(req->arena, 16);
        reply_set_cookie(req, COOKIE_PRELOGIN, req->csrf, "HttpOnly; SameSite=Strict");
}

static int
csrf_ok(struct request *req)
{
        if (req->via_token)
                return 1;
        const char *sent = req_form(req, "csrf");
        if (sent == NULL)
                sent = req_header(req, "X-CSRF-Token");
        return auth_equal(sent, req->csrf);
}

static void
serve_asset(struct request *req, const char *name)
{
        const struct embedded_file *f = embedded_find(embedded_assets, name);
        if (f == NULL) {
                reply_error(req, ERR_NOT_FOUND, NULL, NULL, 0);
                return;
        }
        const char *ext = strrchr(name, '.');
        req->content_type = "application/octet-stream";
        if (ext && strcmp(ext, ".css") == 0)
                req->content_type = "text/css; charset=utf-8";
        else if (ext && strcmp(ext, ".js") == 0)
                req->content_type = "text/javascript; charset=utf-8";
        else if (ext && strcmp(ext, ".svg") == 0)
                req->content_type = "image/svg+xml";
        req->status = 200;
        req->cache = "public, max-age=604800, immutable";
        req->static_body = f->data;
        req->static_size = f->size;
}

/* The routes a user whose password must be changed may still reach. */
static int
password_change_allows(const struct route *route)
{
        static const char *const open[] = {"/account/password", "/logout", "/lang",
                                           "/healthz",          "/login",  NULL};
        for (size_t i = 0; open[i]; i++)
                if (strcmp(route->pattern, open[i]) == 0)
                        return 1;
        return 0;
}

static void
add_query_arg(void *ctx, const char *key, const char *value)
{
        struct buf *b = ctx;
        if (b->len)
                buf_putc(b, '&');
        buf_url_encode(b, key);
        buf_putc(b, '=');
        buf_url_encode(b, value);
}

/* A download (CSV, JSON, text) is an export: the trail says who took what, with its filters. */
static void
audit_export(struct request *req)
{
        struct buf q;
        buf_init(&q, req->arena, 4096);
        req_query_each(req, add_query_arg, &q);
        audit_event_pairs(req->db, "export", "", 0, "path", req->path, "query", buf_str(&q), NULL);
}

/* The routes a user whose role requires the second factor may reach before setting it up. */
static int
second_factor_allows(const struct route *route)
{
        return strncmp(route->pattern, "/account/security", 17) == 0 ||
               strcmp(route->pattern, "/login/totp") == 0 || password_change_allows(route);
}

static void
dispatch(struct request *req)
{
        req->is_api = strncmp(req->path, "/api/", 5) == 0;
        if (req->body_too_large) {
                reply_error(req, ERR_TOO_LARGE, NULL, NULL, 0);
                return;
        }
        if (req->method == METHOD_GET && strncmp(req->path, "/assets/", 8) == 0) {
                serve_asset(req, req->path + 8);
                return;
        }
        const struct route *route = NULL;
        int path_known = 0;
        for (const struct route *r = routes; r->pattern; r++) {
                long long id = 0;
                if (!match_route(r->pattern, req->path, &id))
                        continue;
                path_known = 1;
                if (r->method == req->method) {
                        route = r;
                        req->id = id;
                        break;
                }
        }
        req->db = request_db();
        if (req->db == NULL) {
                reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
                return;
        }
        authenticate(req);
        /* The audit trail names this user and address for whatever the request writes. */
        audit_set_actor(req->db, req->user ? req->user->id : 0, req->user ? req->user->login : "",
                        req->client_ip);
        choose_language(req);
        if (route == NULL) {
                reply_error(req, path_known ? ERR_METHOD : ERR_NOT_FOUND, NULL, NULL, 0);
                return;
        }
        if (route->flags & ROUTE_API)
                req->is_api = 1;
        if (req->user == NULL) {
                if (!(route->flags & ROUTE_PUBLIC)) {
                        if (req->is_api) {
                                reply_error(req, ERR_UNAUTHENTICATED, NULL, NULL, 0);
                        } else {
                                struct buf loc;
                                buf_init(&loc, req->arena, 4096);
                                buf_puts(&loc, "/login?next=");
                                buf_url_encode(&loc, req->path);
                                reply_redirect(req, buf_str(&loc));
                        }
                        return;
                }
                if (!req->is_api)
                        prelogin_token(req);
        }
        /* After a password reset, only the change form (and leaving) is open until it is used. */
        if (req->user && req->user->must_change_password && !password_change_allows(route)) {
                if (req->is_api)
                        reply_error(req, ERR_PASSWORD_CHANGE, NULL, NULL, 0);
                else
                        reply_redirect(req, "/account/password");
                return;
        }
        /* A role that requires the second factor: its setup first (bearer tokens are given by an
         * administrator and do not log in, so they are not asked). */
        if (req->user && !req->via_token && !second_factor_allows(route) &&
            auth_second_factor_due(req->db, req->user)) {
                if (req->is_api)
                        reply_error(req, ERR_SECOND_FACTOR, NULL, NULL, 0);
                else
                        reply_redirect(req, "/account/security");
                return;
        }
        if (req->user && !user_can(req->user, route->perm)) {
                reply_error(req, ERR_FORBIDDEN, NULL, NULL, 0);
                return;
        }
        if (req->method != METHOD_GET) {
                if (!req->is_form && req->body.len > 0) {
                        json_error_t jerr;
                        req->json = json_loadb(req->body.data, req->body.len, 0, &jerr);
                        if (req->json == NULL) {
                                reply_error(
                                    req, ERR_BAD_REQUEST,
                                    arena_printf(req->arena, "%s: %s",
                                                 _(req->lang, "The request body is not valid JSON"),
                                                 jerr.text),
                                    NULL, 0);
                                return;
                        }
                }
                if (!csrf_ok(req)) {
                        reply_error(req, ERR_FORBIDDEN,
                                    _(req->lang, "The form has expired or did not come from this "
                                                 "site. Reload the page and try again."),
                                    NULL, 0);
                        return;
                }
        }
        const char *bad = invalid_param(req);
        if (bad) {
                struct field_error fe = {arena_strdup(req->arena, "?"),
                                         _(req->lang, "This text is not valid UTF-8.")};
                if (text_valid_utf8(bad, strlen(bad)))
                        fe.field = bad;
                reply_error(req, ERR_BAD_REQUEST,
                            _(req->lang, "The request contains text that is not valid UTF-8."), &fe,
                            1);
                return;
        }
        route->handler(req);
        if (req->disposition && req->status == 200)
                audit_export(req);
}

/* The request ran out of memory: its allocation jumped out of the handler, wherever it was.
 * Undo its open transaction and reset its statements, forget what it had written or set, and
 * answer 500 in its format, saying whether its change was committed before (saved: the
 * failure came while preparing the answer); if even that runs out of memory, a fixed
 * plain-text 500. */
static void
request_out_of_memory(struct request *req, int saved)
{
        log_error("%s: out of memory; %s", req->path,
                  saved ? "its change was committed before" : "the request is rolled back");
        if (req->db)
                db_abandon(req->db);
        choose_language(req); /* the failure may have come before it was chosen */
        req->location = NULL;
        req->disposition = NULL;
        req->retry_after = NULL;
        req->cache = NULL;
        req->nset_cookie = 0;
        req->summary_errs = NULL;
        req->nlabels = 0;
        jmp_buf again;
        if (setjmp(again) == 0) {
                arena_on_fail(req->arena, &again);
                reply_error(req, ERR_INTERNAL,
                            saved ? _(req->lang, "Your change was saved, but the answer could "
                                                 "not be prepared. Reload the page to see it.")
                                  : NULL,
                            NULL, 0);
                return;
        }
        if (req->stream) {
                req->stream->done(req->stream->ctx);
                req->stream = NULL;
        }
        static const char fixed[] = "500 Internal Server Error: out of memory\n";
        req->status = 500;
        req->content_type = "text/plain; charset=utf-8";
        req->static_body = fixed;
        req->static_size = sizeof(fixed) - 1;
}

/* ---- libmicrohttpd callbacks ---- */

static void
add_common_headers(struct MHD_Response *resp, struct request *req)
{
        MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
        MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
        MHD_add_response_header(resp, "X-Frame-Options", "DENY");
        MHD_add_response_header(resp, "Content-Security-Policy",
                                "default-src 'self'; img-src 'self' data:; style-src 'self'; "
                                "script-src 'self'; form-action 'self'; frame-ancestors 'none'; "
                                "base-uri 'none'");
        MHD_add_response_header(resp, "Cache-Control", req->cache ? req->cache : "no-store");
        if (config->behind_tls)
                MHD_add_response_header(resp, "Strict-Transport-Security",
                                        "max-age=31536000; includeSubDomains");
        if (req->content_type)
                MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, req->content_type);
        if (req->location)
                MHD_add_response_header(resp, MHD_HTTP_HEADER_LOCATION, req->location);
        if (req->disposition)
                MHD_add_response_header(resp, "Content-Disposition", req->disposition);
        for (int i = 0; i < req->nset_cookie; i++)
                MHD_add_response_header(resp, MHD_HTTP_HEADER_SET_COOKIE, req->set_cookie[i]);
        if (req->retry_after)
                MHD_add_response_header(resp, "Retry-After", req->retry_after);
        if (fault_per_request() && fault_fired()) /* fault build only: the test knows it hit */
                MHD_add_response_header(resp, "X-Murafiq-Fault-Fired", "1");
}

/* A request and what the worker hands back to the I/O thread. req comes first: a struct
 * request * of an exchange is the exchange. */
struct exchange {
        struct request req;
        struct MHD_Response *response; /* made by the worker, queued once resumed */
        double queued_ms;
        int streaming;     /* the response reads the arena until it is sent */
        int released;      /* the arena is freed: only the fields below remain */
        char log_user[64]; /* for the completion's log line */
        char log_path[256];
};

/* Frees the request's arena once its response is made. libmicrohttpd holds its own copy of
 * the body and headers, and a response may wait long to be sent when a thousand connections
 * share two I/O threads: the arena's page, rows and forms would wait with it. A stream reads
 * its arena until the end, so it keeps it until at_end (the completion). What the completion
 * logs is kept in ex. */
static void
exchange_release(struct exchange *ex, int at_end)
{
        struct request *req = &ex->req;
        if (ex->released || (ex->streaming && !at_end))
                return;
        snprintf(ex->log_path, sizeof(ex->log_path), "%s", req->path);
        snprintf(ex->log_user, sizeof(ex->log_user), "%s", req->user ? req->user->login : "-");
        json_decref(req->json);
        arena_free(req->arena);
        /* What the I/O thread still reads; the rest is zeroed, so that a late use of the
         * arena's pointers fails loudly. */
        struct request kept = {.conn = req->conn,
                               .status = req->status,
                               .method = req->method,
                               .started_ms = req->started_ms,
                               .path = ex->log_path};
        *req = kept;
        ex->released = 1;
}

/* Builds the response of a handled request (on the thread that ran its handler). NULL when
 * libmicrohttpd could not allocate it: the connection is then closed. */
static struct MHD_Response *
make_response(struct request *req)
{
        struct MHD_Response *resp;
        if (req->stream) {
                /* The stream outlives the request's arena: it gets its own copy. */
                struct stream *st = xmalloc(sizeof(*st));
                *st = *req->stream;
                req->stream = NULL;
                ((struct exchange *)req)->streaming = 1;
                resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 32768, stream_read, st,
                                                         stream_free);
                if (resp == NULL) {
                        stream_free(st);
                        return NULL;
                }
        } else if (req->static_body)
                resp = MHD_create_response_from_buffer(req->static_size, (void *)req->static_body,
                                                       MHD_RESPMEM_PERSISTENT);
        else
                resp = MHD_create_response_from_buffer(req->out.len, req->out.data,
                                                       MHD_RESPMEM_MUST_COPY);
        if (resp == NULL)
                return NULL;
        if (req->out.err) { /* the page outgrew its buffer: a bug, never a truncated page */
                MHD_destroy_response(resp);
                req->status = 500;
                resp = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
                if (resp == NULL)
                        return NULL;
        }
        add_common_headers(resp, req);
        return resp;
}

/* Queues the response made for req (on the connection's own thread). */
static enum MHD_Result
queue_response(struct request *req, struct MHD_Response *resp)
{
        if (resp == NULL)
                return MHD_NO;
        enum MHD_Result r = MHD_queue_response(req->conn, (unsigned)req->status, resp);
        MHD_destroy_response(resp);
        exchange_release((struct exchange *)req, 0);
        return r;
}

static enum MHD_Result
count_content_length(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
        (void)kind, (void)value;
        int *n = cls;
        if (strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH) == 0)
                (*n)++;
        if (strcasecmp(key, MHD_HTTP_HEADER_TRANSFER_ENCODING) == 0)
                (*n) += 100;
        return MHD_YES;
}

/* The client's address as text ("-" when unknown): the peer, or behind the TLS proxy the last
 * X-Forwarded-For entry, the one the proxy itself appended (earlier ones are the client's say). */
static const char *
client_address(struct request *req)
{
        const char *xff = config->behind_tls ? req_header(req, "X-Forwarded-For") : NULL;
        if (xff && *xff) {
                const char *last = strrchr(xff, ',');
                last = last ? last + 1 : xff;
                while (*last == ' ' || *last == '\t')
                        last++;
                size_t n = strcspn(last, " \t");
                unsigned char probe[sizeof(struct in6_addr)];
                char *ip = arena_alloc(req->arena, n + 1);
                memcpy(ip, last, n);
                ip[n] = '\0';
                if (n > 0 &&
                    (inet_pton(AF_INET, ip, probe) == 1 || inet_pton(AF_INET6, ip, probe) == 1))
                        return ip;
        }
        const union MHD_ConnectionInfo *ci =
            MHD_get_connection_info(req->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
        char text[INET6_ADDRSTRLEN] = "-";
        if (ci && ci->client_addr) {
                const struct sockaddr *sa = ci->client_addr;
                if (sa->sa_family == AF_INET)
                        inet_ntop(AF_INET,
                                  &((const struct sockaddr_in *)(const void *)sa)->sin_addr, text,
                                  sizeof(text));
                else if (sa->sa_family == AF_INET6)
                        inet_ntop(AF_INET6,
                                  &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, text,
                                  sizeof(text));
        }
        return arena_strdup(req->arena, text);
}

/* ---- overload: connection limit, header deadline, bounded work queue ---- */

/*
 * libmicrohttpd's threads only read, parse and write; handlers run on a fixed pool of workers
 * (each with its own database connection) fed by a bounded queue. The queue is the bound on
 * requests in flight: a request that finds it full, or a connection beyond the connection
 * limit, gets an immediate 503 with Retry-After from the I/O thread, which a slow handler
 * never blocks. A request that waited in the queue longer than the connection timeout gets
 * the same 503 instead of running: its client has most likely given up, and a server coming
 * out of overload first drains such requests at the cost of a 503 each, not of a handler.
 */

/* Every open connection, for the header deadline and the connection limit. */
struct conn_state {
        struct conn_state *prev, *next;
        int fd;
        double since_ms; /* accepted, or its last request completed */
        int busy;        /* between a request's complete headers and its completion */
        int cut;         /* shut down by the deadline */
};
static pthread_mutex_t conn_lock = PTHREAD_MUTEX_INITIALIZER;
static struct conn_state conn_ring = {&conn_ring, &conn_ring, -1, 0, 0, 0};
static unsigned conn_open;

static pthread_mutex_t work_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t work_cond = PTHREAD_COND_INITIALIZER;
static struct exchange **work_ring;
static size_t work_cap, work_head, work_len;
static int work_stop;

static void
on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
              enum MHD_ConnectionNotificationCode code)
{
        (void)cls;
        struct conn_state *cs = *socket_context;
        if (code == MHD_CONNECTION_NOTIFY_STARTED) {
                const union MHD_ConnectionInfo *ci =
                    MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
                cs = xcalloc(1, sizeof(*cs));
                cs->fd = ci ? ci->connect_fd : -1;
                cs->since_ms = now_ms();
                pthread_mutex_lock(&conn_lock);
                cs->next = &conn_ring;
                cs->prev = conn_ring.prev;
                conn_ring.prev->next = cs;
                conn_ring.prev = cs;
                conn_open++;
                pthread_mutex_unlock(&conn_lock);
                *socket_context = cs;
                return;
        }
        if (cs == NULL)
                return;
        /* libmicrohttpd notifies the close before it closes the socket, so the deadline
         * (under the same lock) never shuts down a descriptor that was reused. */
        pthread_mutex_lock(&conn_lock);
        cs->prev->next = cs->next;
        cs->next->prev = cs->prev;
        conn_open--;
        pthread_mutex_unlock(&conn_lock);
        free(cs);
        *socket_context = NULL;
}

/* Marks the connection of req busy (complete headers) or idle again (request completed).
 * Returns the number of open connections. */
static unsigned
conn_mark(struct MHD_Connection *conn, int busy)
{
        const union MHD_ConnectionInfo *ci =
            MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
        struct conn_state *cs = ci ? ci->socket_context : NULL;
        pthread_mutex_lock(&conn_lock);
        if (cs) {
                cs->busy = busy;
                cs->since_ms = now_ms();
        }
        unsigned n = conn_open;
        pthread_mutex_unlock(&conn_lock);
        return n;
}

/* libmicrohttpd's own timeout counts from the last byte received, so a client trickling a
 * header byte now and then is never cut by it. This deadline counts from the connection's
 * accept (or its previous request's end) to its next complete headers: past it, the socket
 * is shut down (not closed: libmicrohttpd, on its thread, then sees the end and closes). */
static void
conn_cut_late(double timeout_ms)
{
        double now = now_ms();
        pthread_mutex_lock(&conn_lock);
        for (struct conn_state *cs = conn_ring.next; cs != &conn_ring; cs = cs->next)
                if (!cs->busy && !cs->cut && cs->fd >= 0 && now - cs->since_ms > timeout_ms) {
                        shutdown(cs->fd, SHUT_RDWR);
                        cs->cut = 1;
                }
        pthread_mutex_unlock(&conn_lock);
}

/* The fast answer beyond the server's limits: no database, no page frame. */
static void
reply_busy(struct request *req)
{
        req->is_api = strncmp(req->path, "/api/", 5) == 0;
        choose_language(req);
        const char *msg = _(req->lang, "The server is busy. Please try again in a moment.");
        req->status = 503;
        req->retry_after = "2";
        buf_init(&req->out, req->arena, 8u << 20);
        if (req->is_api) {
                json_t *j =
                    json_pack("{s:{s:s,s:s}}", "error", "code", "overloaded", "message", msg);
                reply_json(req, 503, j);
        } else {
                req->content_type = "text/plain; charset=utf-8";
                buf_puts(&req->out, msg);
                buf_puts(&req->out, "\n");
        }
}

static struct MHD_Response *
take_response(struct exchange *ex)
{
        struct MHD_Response *r = ex->response;
        ex->response = NULL;
        return r;
}

/* Runs the handler of req and makes its response, on one thread (the fault injection of the
 * test build arms, and reads, its state on the thread that runs the request). */
static void
handle(struct request *req)
{
        struct exchange *ex = (struct exchange *)req;
        if (fault_per_request())
                fault_arm(req_header(req, "X-Murafiq-Fault"));
        /* An allocation failure anywhere in the handler jumps back here (arena_on_fail). */
        const volatile unsigned long commits = thread_db ? thread_db->commits : 0;
        jmp_buf oom;
        if (setjmp(oom) == 0) {
                arena_on_fail(req->arena, &oom);
                dispatch(req);
        } else {
                request_out_of_memory(req, req->db && req->db->commits != commits);
        }
        arena_on_fail(req->arena, NULL);
        ex->response = make_response(req);
        fault_arm(NULL);
}

/* The queue also refuses while its oldest request has waited longer than this
 * (cfg->max_wait_s): the count alone would refuse cheap requests that the workers clear in a
 * moment and let slow ones wait for seconds. */
static double work_max_wait_ms = 5000.0;

/* Queues ex for a worker and suspends its connection; -1 when the queue is full or late. */
static int
work_submit(struct exchange *ex)
{
        double now = now_ms();
        pthread_mutex_lock(&work_lock);
        if (work_len == work_cap || work_stop ||
            (work_len > 0 && now - work_ring[work_head]->queued_ms > work_max_wait_ms)) {
                pthread_mutex_unlock(&work_lock);
                return -1;
        }
        /* Suspended before a worker can see it, so its resume never comes first. */
        MHD_suspend_connection(ex->req.conn);
        ex->queued_ms = now;
        work_ring[(work_head + work_len) % work_cap] = ex;
        work_len++;
        pthread_cond_signal(&work_cond);
        pthread_mutex_unlock(&work_lock);
        return 0;
}

/* Whether the client of a queued request has closed its side: libmicrohttpd does not watch a
 * suspended connection, so after a load stops the queue holds the requests of every client
 * that left. Peeking costs one system call and spares a handler run for each. */
static int
peer_gone(struct MHD_Connection *conn)
{
        const union MHD_ConnectionInfo *ci =
            MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
        if (ci == NULL)
                return 0;
        char c;
        ssize_t n = recv(ci->connect_fd, &c, 1, MSG_PEEK | MSG_DONTWAIT);
        return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR);
}

static void *
work_main(void *arg)
{
        (void)arg;
        for (;;) {
                pthread_mutex_lock(&work_lock);
                while (work_len == 0 && !work_stop)
                        pthread_cond_wait(&work_cond, &work_lock);
                if (work_len == 0) {
                        pthread_mutex_unlock(&work_lock);
                        return NULL;
                }
                struct exchange *ex = work_ring[work_head];
                work_head = (work_head + 1) % work_cap;
                work_len--;
                pthread_mutex_unlock(&work_lock);
                if (now_ms() - ex->queued_ms > config->timeout_s * 1000.0 ||
                    peer_gone(ex->req.conn)) {
                        reply_busy(&ex->req);
                        ex->response = make_response(&ex->req);
                } else {
                        handle(&ex->req);
                }
                if (ex->response == NULL) /* out of memory in libmicrohttpd: close */
                        ex->response =
                            MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
                exchange_release(ex, 0);
                MHD_resume_connection(ex->req.conn);
        }
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
           const char *version, const char *upload_data, size_t *upload_size, void **con_cls)
{
        (void)cls, (void)version;
        struct request *req = *con_cls;
        if (req == NULL) {
                struct arena *a = arena_new();
                struct exchange *ex = xcalloc(1, sizeof(*ex)); /* outlives the arena */
                req = &ex->req;
                req->arena = a;
                req->conn = conn;
                req->started_ms = now_ms();
                req->path = arena_strdup(a, url);
                req->client_ip = client_address(req);
                req->status = 500; /* only the success path sets 200 */
                req->content_type = "text/html; charset=utf-8";
                req->lang = LANG_DEFAULT;
                buf_init(&req->out, a, 8u << 20);
                buf_init(&req->body, a, config->max_body);
                req->method = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0 ? METHOD_GET
                              : strcmp(method, "POST") == 0  ? METHOD_POST
                              : strcmp(method, "PATCH") == 0 ? METHOD_PATCH
                                                             : METHOD_OTHER;
                *con_cls = req;
                int n = 0;
                MHD_get_connection_values(conn, MHD_HEADER_KIND, count_content_length, &n);
                if (n > 1) {
                        /* Two Content-Length headers, or one with chunked encoding: request
                         * smuggling territory. Refuse and close. */
                        req->status = 400;
                        return MHD_NO;
                }
                if (conn_mark(conn, 1) > config->max_connections) {
                        /* Beyond the connection limit: answered at once, and closed (a
                         * response queued with the headers ends the connection). */
                        reply_busy(req);
                        return queue_response(req, make_response(req));
                }
                const char *ct = req_header(req, MHD_HTTP_HEADER_CONTENT_TYPE);
                if (req->method != METHOD_GET && ct &&
                    strncasecmp(ct, "application/x-www-form-urlencoded", 33) == 0) {
                        req->is_form = 1;
                        req->post_processor =
                            MHD_create_post_processor(conn, 16384, on_form_field, req);
                }
                return MHD_YES;
        }
        struct exchange *ex = (struct exchange *)req;
        if (ex->response) /* back from a worker (resumed); its arena is freed already */
                return queue_response(req, take_response(ex));
        if (ex->released) { /* answered early (503): the rest of the body is dropped */
                *upload_size = 0;
                return MHD_YES;
        }
        if (*upload_size > 0) {
                req->body_bytes += *upload_size;
                if (req->body_bytes > config->max_body)
                        req->body_too_large = 1;
                else if (req->post_processor)
                        MHD_post_process(req->post_processor, upload_data, *upload_size);
                else
                        buf_append(&req->body, upload_data, *upload_size);
                *upload_size = 0;
                return MHD_YES;
        }
        if (req->post_processor) {
                MHD_destroy_post_processor(req->post_processor);
                req->post_processor = NULL;
        }
        /* Assets need no database: answered here, without a worker. */
        if (req->method == METHOD_GET && strncmp(req->path, "/assets/", 8) == 0) {
                handle(req);
                return queue_response(req, take_response(ex));
        }
        if (work_submit(ex) != 0) {
                reply_busy(req);
                return queue_response(req, make_response(req));
        }
        return MHD_YES; /* suspended until a worker has handled it */
}

static void
on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
             enum MHD_RequestTerminationCode toe)
{
        (void)cls, (void)toe;
        struct request *req = *con_cls;
        if (req == NULL)
                return;
        conn_mark(conn, 0);
        struct MHD_Response *unsent = take_response((struct exchange *)req);
        if (unsent) /* made by a worker for a connection that closed meanwhile */
                MHD_destroy_response(unsent);
        struct exchange *ex = (struct exchange *)req;
        exchange_release(ex, 1);
        static const char *const mnames[] = {"GET", "POST", "PATCH", "OTHER"};
        log_info("%s %s %d %.1fms %s", mnames[req->method], req->path, req->status,
                 now_ms() - req->started_ms, ex->log_user);
        free(ex);
        *con_cls = NULL;
}

static int
parse_listen(const char *listen, struct sockaddr_in *sa)
{
        char host[64];
        const char *colon = strrchr(listen, ':');
        if (colon == NULL || (size_t)(colon - listen) >= sizeof(host))
                return -1;
        memcpy(host, listen, (size_t)(colon - listen));
        host[colon - listen] = '\0';
        char *end;
        errno = 0;
        long port = strtol(colon + 1, &end, 10);
        if (errno || *end || port < 1 || port > 65535)
                return -1;
        memset(sa, 0, sizeof(*sa));
        sa->sin_family = AF_INET;
        sa->sin_port = htons((uint16_t)port);
        return inet_pton(AF_INET, host, &sa->sin_addr) == 1 ? 0 : -1;
}

static void
compute_asset_version(void)
{
        crypto_generichash_state st;
        unsigned char h[8];
        crypto_generichash_init(&st, NULL, 0, sizeof(h));
        for (const struct embedded_file *f = embedded_assets; f->name; f++)
                crypto_generichash_update(&st, f->data, f->size);
        crypto_generichash_final(&st, h, sizeof(h));
        sodium_bin2hex(asset_version, sizeof(asset_version), h, sizeof(h));
}

int
http_serve(const struct server_config *cfg)
{
        config = cfg;
        struct sockaddr_in sa;
        if (parse_listen(cfg->listen, &sa) != 0) {
                log_error("--listen must be IPv4:PORT, e.g. 127.0.0.1:8080 (got %s)", cfg->listen);
                return -1;
        }
        compute_asset_version();
        /* Block the stop signals in every thread; the main thread waits for them below. */
        sigset_t stop;
        sigemptyset(&stop);
        sigaddset(&stop, SIGINT);
        sigaddset(&stop, SIGTERM);
        pthread_sigmask(SIG_BLOCK, &stop, NULL);
        signal(SIGPIPE, SIG_IGN);

        /* The workers run the handlers (cfg->threads of them); the queue holds what is in
         * flight beyond them. */
        work_cap = cfg->max_inflight;
        work_max_wait_ms = 1000.0 * (cfg->max_wait_s ? cfg->max_wait_s : 5);
        work_ring = xcalloc(work_cap, sizeof(*work_ring));
        work_head = work_len = 0;
        work_stop = 0;
        pthread_t *workers = xcalloc(cfg->threads, sizeof(*workers));
        unsigned nworkers = 0;
        for (; nworkers < cfg->threads; nworkers++)
                if (pthread_create(&workers[nworkers], NULL, work_main, NULL) != 0)
                        break;
        /* Connections beyond max_connections are answered 503; libmicrohttpd's own limit is
         * above it so that they are answered rather than left unaccepted. Two I/O threads
         * suffice: they never run a handler. Each connection's memory pool holds its request
         * headers and the response headers (bodies are streamed through it to the handler's
         * buffer, or are the response's own): 16 KB. With 1,000 connections the pool is most
         * of the server's memory: 32 KB, libmicrohttpd's default, measured 14 MB more at that
         * load, and 64 KB another 32 MB. */
        unsigned hard_limit = cfg->max_connections + 64;
        struct MHD_Daemon *d = NULL;
        if (nworkers == cfg->threads)
                d = MHD_start_daemon(
                    MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME |
                        MHD_USE_ERROR_LOG,
                    ntohs(sa.sin_port), NULL, NULL, on_request, NULL, MHD_OPTION_SOCK_ADDR, &sa,
                    MHD_OPTION_THREAD_POOL_SIZE, cfg->threads < 2 ? cfg->threads : 2u,
                    MHD_OPTION_CONNECTION_TIMEOUT, cfg->timeout_s, MHD_OPTION_CONNECTION_LIMIT,
                    hard_limit, MHD_OPTION_PER_IP_CONNECTION_LIMIT, hard_limit,
                    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)16384,
                    MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned)1024, MHD_OPTION_NOTIFY_COMPLETED,
                    on_completed, NULL, MHD_OPTION_NOTIFY_CONNECTION, on_connection, NULL,
                    MHD_OPTION_END);
        int rc = 0;
        if (d == NULL) {
                log_error("cannot listen on %s: %s", cfg->listen, strerror(errno));
                rc = -1;
        } else {
                log_info("murafiq serving http://%s/ with %u threads%s", cfg->listen, cfg->threads,
                         cfg->behind_tls ? ", behind a TLS proxy" : "");
                /* Wait for a stop signal, cutting late connections four times a timeout. */
                long tick_ms = cfg->timeout_s * 250L;
                if (tick_ms > 1000)
                        tick_ms = 1000;
                struct timespec tick = {tick_ms / 1000, (tick_ms % 1000) * 1000000L};
                int sig;
                while ((sig = sigtimedwait(&stop, NULL, &tick)) < 0) {
                        conn_cut_late(cfg->timeout_s * 1000.0);
                        /* Give back what the requests' arenas freed: glibc keeps it in each
                         * thread's heap otherwise, and a past peak would stay resident. */
                        malloc_trim(0);
                }
                log_info("stopping on signal %d", sig);
        }
        /* Workers finish what is queued (their connections resume into the stopping daemon,
         * which closes them), then the daemon stops. */
        pthread_mutex_lock(&work_lock);
        work_stop = 1;
        pthread_cond_broadcast(&work_cond);
        pthread_mutex_unlock(&work_lock);
        for (unsigned i = 0; i < nworkers; i++)
                pthread_join(workers[i], NULL);
        free(workers);
        if (d)
                MHD_stop_daemon(d);
        free(work_ring);
        work_ring = NULL;
        if (rc != 0)
                return rc;
        for (size_t i = 0; i < db_count; i++)
                db_close(db_list[i]);
        db_count = 0;
        return 0;
}

struct query_each_ctx {
        void (*fn)(void *ctx, const char *key, const char *value);
        void *ctx;
};

static enum MHD_Result
query_each_cb(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
        (void)kind;
        struct query_each_ctx *q = cls;
        q->fn(q->ctx, key, value ? value : "");
        return MHD_YES;
}

void
req_query_each(struct request *req, void (*fn)(void *ctx, const char *key, const char *value),
               void *ctx)
{
        struct query_each_ctx q = {fn, ctx};
        MHD_get_connection_values(req->conn, MHD_GET_ARGUMENT_KIND, query_each_cb, &q);
}
