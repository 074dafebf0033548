/* http.h: the request every handler receives, the response it builds, and the route table. */
#ifndef MURAFIQ_HTTP_H
#define MURAFIQ_HTTP_H

#include <jansson.h>
#include <stddef.h>

#include "buf.h"
#include "i18n.h"

struct arena;
struct db;
struct MHD_Connection;
struct errs;

enum method { METHOD_GET, METHOD_POST, METHOD_PATCH, METHOD_OTHER };

enum role {
        ROLE_ADMIN,
        ROLE_PROGRAM_MANAGER,
        ROLE_REGIONAL_OFFICER,
        ROLE_COACH,
        ROLE_VIEWER,
        ROLE_COUNT
};

/* What a role may do. Routes name one permission; the router checks it before the handler. */
enum perm {
        PERM_NONE = 0,       /* any logged-in user */
        PERM_COOP_READ,      /* cooperatives and organisations */
        PERM_COOP_WRITE,     /* create and edit cooperatives */
        PERM_PERSON_READ,    /* people (personal data) */
        PERM_PERSON_WRITE,   /* create and edit people and memberships */
        PERM_NATIONAL_ID,    /* see national ID numbers */
        PERM_ORG_WRITE,      /* create and edit organisations */
        PERM_EXPORT,         /* CSV exports */
        PERM_PROGRAM_MANAGE, /* programs, calls and their rules, selection runs, draws */
        /* Applications of the user's regions: read them; create, edit, submit, withdraw and
         * import them (which transitions a role may make: selection/application.c). */
        PERM_APPLICATION_READ,
        PERM_APPLICATION_WRITE,
        /* Evaluate the applications assigned to you (any logged-in user: which ones is the
         * evaluation store's "WHERE evaluator_id = :me"). */
        PERM_EVALUATE,
        PERM_ADMIN, /* account administration: the admin role only */
};

/*
 * Region scope of the logged-in user, applied by the storage layer to every registry query:
 * all = 1 for roles with national reach; otherwise only rows whose region_code is one of the
 * user's regions (table user_region) are visible.
 */
struct scope {
        long long user_id;
        int all;
};

struct user {
        long long id;
        const char *login;
        enum role role;
        enum lang lang;
        struct scope scope;
        const char **regions;     /* NULL-terminated region codes (may be empty) */
        int must_change_password; /* set by a reset: every page leads to /account/password */
};

struct param {
        const char *key, *value;
};

struct field_error {
        const char *field; /* form / JSON field name */
        const char *msg;   /* already translated message */
};

#define MAX_FIELD_ERRORS 32

struct request {
        struct arena *arena;
        struct MHD_Connection *conn;
        struct db *db;
        enum method method;
        const char *path;
        const char *client_ip;
        double started_ms;
        long long id; /* the {id} of the route, when it has one */
        int is_api;   /* JSON errors instead of HTML pages */

        /* Body: urlencoded forms are parsed into form[]; JSON into json; else raw. */
        struct buf body;
        size_t body_bytes;
        int body_too_large;
        int is_form; /* application/x-www-form-urlencoded */
        void *post_processor;
        struct param *form;
        size_t nform, capform;
        json_t *json;

        struct user *user;   /* NULL when anonymous */
        const char *csrf;    /* the token forms must carry */
        const char *session; /* the session id (from the cookie), if any */
        int via_token;       /* authenticated by Authorization: Bearer */
        enum lang lang;

        /* Form rendering: the labels of the fields shown so far, and where the error summary
         * goes (web/layout.c fills it in at page_end, once every label is known). */
        struct param *labels;
        size_t nlabels, caplabels;
        const struct errs *summary_errs;
        size_t summary_at;

        /* Response. */
        int status;
        const char *content_type;
        struct buf out;
        const char *location;
        const char *disposition; /* Content-Disposition, for downloads */
        const char *retry_after; /* Retry-After (seconds), for 429 and 503 answers */
        const char *set_cookie[4];
        int nset_cookie;
        const char *cache;       /* Cache-Control; default no-store */
        const void *static_body; /* served as-is (embedded asset) */
        size_t static_size;
        struct stream *stream; /* produced piece by piece after the handler (exports) */
};

typedef void (*handler_fn)(struct request *req);

/* Route flags. */
#define ROUTE_PUBLIC 1u /* no login needed */
#define ROUTE_API    2u /* JSON answers; Bearer tokens accepted */

struct route {
        enum method method;
        const char *pattern; /* "/cooperatives/{id}/edit": {id} matches a positive integer */
        handler_fn handler;
        unsigned flags;
        enum perm perm;
};

/* The route table (src/web/routes.c), ending with a NULL pattern. */
extern const struct route routes[];

/* Server configuration shared by all threads (set before start). */
struct server_config {
        const char *db_path;
        const char *listen; /* "127.0.0.1:8080" */
        unsigned threads;
        size_t max_body;
        /* Served through a TLS reverse proxy: cookies get the __Host- prefix and Secure, every
         * response carries HSTS, and the client address is the last X-Forwarded-For entry. */
        int behind_tls;
        /* Overload (docs/PERFORMANCE.md): seconds a connection may take to send a request's
         * headers, counted from its accept or its previous request's end, and to stay idle;
         * open connections beyond max_connections are answered 503; requests waiting for a
         * handler thread beyond max_inflight, or while the oldest has waited max_wait_s
         * seconds (0: 5), are answered 503. */
        unsigned timeout_s;
        unsigned max_connections;
        unsigned max_inflight;
        unsigned max_wait_s;
};

/* Runs the server until SIGINT/SIGTERM. Returns 0 on a clean stop, -1 on start failure. */
int http_serve(const struct server_config *cfg);

/* Request helpers. */
const char *req_query(struct request *req, const char *key);     /* URL query argument or NULL */
const char *req_query_str(struct request *req, const char *key); /* the same, "" when absent */
const char *req_form(struct request *req, const char *key);   /* form field (last value) or NULL */
const char *req_header(struct request *req, const char *key); /* request header or NULL */
const char *req_cookie(struct request *req, const char *key);
/* The user may do perm (role check only; region scope is the storage layer's job). */
int user_can(const struct user *u, enum perm perm);
const char *role_name(enum role role);
/* The English label msgid of a role ("Regional officer"), to translate with _(). */
const char *role_label(enum role role);
int role_from_name(const char *name);

/* Response helpers. */
void reply_redirect(struct request *req, const char *location);
/* Sets a JSON body (takes the reference of j) and status. */
void reply_json(struct request *req, int status, json_t *j);
void reply_cookie(struct request *req, const char *cookie);
/* The cookies murafiq sets, named "mq_session"... or, behind TLS, "__Host-mq_session"... */
/* COOKIE_PENDING holds a login waiting for its second factor (admin/mfa_pages.c). */
enum cookie { COOKIE_SESSION, COOKIE_PRELOGIN, COOKIE_LANG, COOKIE_PENDING };
const char *cookie_name(enum cookie c);
/* Sets cookie c to value (copied into the arena) with Path=/, then attrs ("HttpOnly;
 * SameSite=Lax; Max-Age=0"), then Secure behind TLS. */
void reply_set_cookie(struct request *req, enum cookie c, const char *value, const char *attrs);

/* Error answers, rendered as an HTML page or a JSON object by src/web/errors.c. */
enum app_error {
        ERR_BAD_REQUEST,     /* 400 bad_request */
        ERR_UNAUTHENTICATED, /* 401 unauthenticated */
        ERR_FORBIDDEN,       /* 403 forbidden */
        ERR_NOT_FOUND,       /* 404 not_found */
        ERR_METHOD,          /* 405 method_not_allowed */
        ERR_CONFLICT,        /* 409 conflict */
        ERR_TOO_LARGE,       /* 413 too_large */
        ERR_VALIDATION,      /* 422 validation_failed */
        ERR_INTERNAL,        /* 500 internal */
        ERR_PASSWORD_CHANGE, /* 403 password_change_required */
        ERR_SECOND_FACTOR,   /* 403 second_factor_required (role requires it, not set up) */
};
/* Answers err with message (translated; NULL gives the error's default) and field errors. */
void reply_error(struct request *req, enum app_error err, const char *message,
                 const struct field_error *fields, size_t nfields);

/* A version string of the embedded assets, for cache-busting links ("?v=..."). */
extern char asset_version[17];

/*
 * A response body produced after the handler returns, piece by piece, so that a large export
 * never sits whole in memory. fill() writes at most max bytes into out and returns how many;
 * 0 ends the body, -1 aborts the connection. done() is always called once, to free ctx. The
 * request's arena is gone by then: ctx owns everything it needs.
 */
struct stream {
        long (*fill)(void *ctx, char *out, size_t max);
        void (*done)(void *ctx);
        void *ctx;
};
/*
 * A body made of rows, each built only when the previous one is sent: next(ctx, row, out)
 * appends one row to out (allocating in row, which is reset between rows) and returns 1, 0 at
 * the end, -1 on error. Initialise with row_stream_init, which leaves pending empty so that a
 * header may be appended to it first; a stream's fill() then calls row_stream_fill.
 */
struct row_stream {
        int (*next)(void *ctx, struct arena *row, struct buf *out);
        void *ctx;
        struct arena *row;
        struct buf pending; /* the row being sent */
        size_t off;         /* how much of it is sent */
        int finished;
};
void row_stream_init(struct row_stream *rs, struct arena *row,
                     int (*next)(void *ctx, struct arena *row, struct buf *out), void *ctx);
long row_stream_fill(struct row_stream *rs, char *out, size_t max);

/* Answers 200 with content_type and the stream s (copied into the request). */
void reply_stream(struct request *req, const char *content_type, const struct stream *s);
/* Opens a new connection to the server's database, for a stream to own (db_close it in done). */
struct db *http_open_db(void);

/* Calls fn for each URL query argument, in order. */
void req_query_each(struct request *req, void (*fn)(void *ctx, const char *key, const char *value),
                    void *ctx);

#endif
