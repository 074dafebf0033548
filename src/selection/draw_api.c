/* draw_api.c: the draw JSON API (/api/v1/draws): list, create a draft, read, publish, result. */
#include <string.h>

#include "core/arena.h"
#include "core/i18n.h"
#include "selection/draw.h"
#include "selection/draw_web.h"
#include "web/api.h"
#include "web/layout.h"
#include "web/pages.h"

#define PER_PAGE_DEFAULT 50
#define PER_PAGE_MAX     200
#define MAX_TEXT_BODY    (1u << 20)

/* A draw as the API shows it; with its pool and result when dd is given. */
static json_t *
draw_json(const struct draw *d, const struct draw_detail *dd, struct arena *a)
{
        int drawn = strcmp(d->status, "drawn") == 0;
        json_t *j = json_pack(
            "{s:I, s:s, s:s, s:I, s:s, s:s, s:I, s:o, s:o, s:o, s:o, s:o, s:I, s:s, s:s}", "id",
            (json_int_t)d->id, "title", d->title, "description", d->description, "select_count",
            (json_int_t)d->select_count, "sources_announced", d->sources_announced, "status",
            d->status, "pool_size", (json_int_t)d->pool_size, "published_at",
            json_str_or_null(d->published_at), "drawn_at", json_str_or_null(d->drawn_at), "sources",
            drawn ? json_string(d->sources) : json_null(), "key",
            drawn ? json_string(d->key_string) : json_null(), "public_url",
            strcmp(d->status, "draft") == 0
                ? json_null()
                : json_string(arena_printf(a, "/public/draws/%lld", d->id)),
            "version", (json_int_t)d->version, "created_at", d->created_at, "updated_at",
            d->updated_at);
        if (dd == NULL || j == NULL)
                return j;
        json_t *pool = json_array();
        for (size_t i = 0; i < dd->nentries; i++)
                json_array_append_new(pool, json_string(dd->entries[i]));
        json_object_set_new(j, "pool", pool);
        json_t *result = json_array();
        for (size_t i = 0; i < dd->nresult; i++) {
                long long p = dd->result[i];
                const char *entry = p >= 1 && (size_t)p <= dd->nentries ? dd->entries[p - 1] : "";
                json_array_append_new(result,
                                      json_pack("{s:I, s:I, s:s}", "rank", (json_int_t)i + 1,
                                                "position", (json_int_t)p, "entry", entry));
        }
        json_object_set_new(j, "result", result);
        return j;
}

/* Loads draw req->id as the caller may see it; answers and returns -1 otherwise. */
static int
load_or_reply(struct request *req, struct draw_detail *dd)
{
        int rc = draw_store_get(req->db, req->arena, req->id, dd);
        if (rc == STORE_OK && !draw_visible(req, &dd->d))
                rc = STORE_NOT_FOUND;
        if (rc != STORE_OK) {
                reply_store_error(req, rc);
                return -1;
        }
        return 0;
}

/* Checks that the body is an object (or absent, when optional) with only the allowed fields,
 * and reads "version" (0 when absent). Answers and returns -1 otherwise. */
static int
body_or_reply(struct request *req, const char *const *fields, int optional, long long *version,
              struct errs *e)
{
        static const char *const none[] = {NULL};
        *version = 0;
        if (req->json == NULL && optional)
                return 0;
        if (!json_is_object(req->json)) {
                reply_error(req, ERR_BAD_REQUEST,
                            _(req->lang, "Send a JSON object with the draw's fields."), NULL, 0);
                return -1;
        }
        if (json_check_fields(req->json, fields, none, e) != 0) {
                reply_error(req, ERR_VALIDATION, NULL, e->list, e->n);
                return -1;
        }
        json_t *jv = json_object_get(req->json, "version");
        if (jv && (!json_is_integer(jv) || json_integer_value(jv) < 1)) {
                errs_add(e, "version", "This field has the wrong type.");
                reply_error(req, ERR_VALIDATION, NULL, e->list, e->n);
                return -1;
        }
        if (jv)
                *version = json_integer_value(jv);
        return 0;
}

void
api_draw_list(struct request *req)
{
        struct errs e;
        errs_init(&e, req->arena, req->lang);
        long long page, per_page;
        v_int(&e, "page", req_query_str(req, "page"), 0, 1, 1000000, 1, &page);
        v_int(&e, "per_page", req_query_str(req, "per_page"), 0, 1, PER_PAGE_MAX, PER_PAGE_DEFAULT,
              &per_page);
        if (e.n) {
                reply_error(req, ERR_BAD_REQUEST, NULL, e.list, e.n);
                return;
        }
        struct draw *items;
        size_t n;
        long long total;
        if (draw_store_list(req->db, req->arena, user_can(req->user, PERM_PROGRAM_MANAGE), per_page,
                            (page - 1) * per_page, &items, &n, &total) != STORE_OK) {
                reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
                return;
        }
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++)
                json_array_append_new(arr, draw_json(&items[i], NULL, req->arena));
        reply_json(req, 200,
                   json_pack("{s:o, s:I, s:I, s:I}", "items", arr, "total", (json_int_t)total,
                             "page", (json_int_t)page, "per_page", (json_int_t)per_page));
}

void
api_draw_get(struct request *req)
{
        struct draw_detail dd;
        if (load_or_reply(req, &dd) != 0)
                return;
        reply_json(req, 200, draw_json(&dd.d, &dd, req->arena));
}

/* The pool of a create request as text: a string as it is, an array of strings one a line.
 * NULL when absent or after adding an error to e. */
static const char *
pool_text(struct request *req, struct errs *e)
{
        json_t *jp = json_object_get(req->json, "pool");
        if (jp == NULL)
                return NULL;
        if (json_is_string(jp))
                return json_string_value(jp);
        if (!json_is_array(jp)) {
                errs_add(e, "pool", "This field has the wrong type.");
                return NULL;
        }
        struct buf b;
        buf_init(&b, req->arena, MAX_TEXT_BODY);
        size_t i;
        json_t *v;
        json_array_foreach(jp, i, v)
        {
                const char *s = json_is_string(v) ? json_string_value(v) : NULL;
                if (s == NULL || strlen(s) != json_string_length(v) || strchr(s, '\n') ||
                    strchr(s, '\r')) {
                        errs_add(e, "pool", "Entry %zu of the pool is not one line of text.",
                                 i + 1);
                        return NULL;
                }
                buf_puts(&b, s);
                buf_putc(&b, '\n');
        }
        return buf_str(&b);
}

void
api_draw_create(struct request *req)
{
        struct errs e;
        errs_init(&e, req->arena, req->lang);
        long long unused;
        if (body_or_reply(req, draw_fields, 0, &unused, &e) != 0)
                return;
        struct json_fields jf = {req->json, &e, req->arena};
        const char *pool = pool_text(req, &e);
        struct draw d;
        const char **entries;
        size_t n;
        /* A type error of the pool (pool_text) stays: errs keeps the first message a field. */
        if (draw_apply(req, &d, pool, &entries, &n, &e, json_field_get, &jf) != 0) {
                reply_error(req, ERR_VALIDATION, NULL, e.list, e.n);
                return;
        }
        int rc =
            draw_store_create(req->db, req->arena, &d, entries, n, req->user ? req->user->id : 0);
        struct draw_detail dd;
        if (rc == STORE_OK)
                rc = draw_store_get(req->db, req->arena, d.id, &dd);
        if (rc != STORE_OK) {
                draw_reply_store_error(req, rc);
                return;
        }
        reply_json(req, 201, draw_json(&dd.d, &dd, req->arena));
        req->location = arena_printf(req->arena, "/api/v1/draws/%lld", d.id);
}

/* Answers the draw after a write. */
static void
reply_draw(struct request *req, long long id)
{
        struct draw_detail dd;
        int rc = draw_store_get(req->db, req->arena, id, &dd);
        if (rc != STORE_OK) {
                draw_reply_store_error(req, rc);
                return;
        }
        reply_json(req, 200, draw_json(&dd.d, &dd, req->arena));
}

void
api_draw_publish(struct request *req)
{
        static const char *const fields[] = {"version", NULL};
        struct errs e;
        errs_init(&e, req->arena, req->lang);
        struct draw_detail dd;
        long long version;
        if (load_or_reply(req, &dd) != 0 || body_or_reply(req, fields, 1, &version, &e) != 0 ||
            draw_check_state_or_reply(req, &dd.d, "draft", version) != 0)
                return;
        int rc = draw_store_publish(req->db, req->arena, dd.d.id, version ? version : dd.d.version);
        if (rc != STORE_OK) {
                draw_reply_store_error(req, rc);
                return;
        }
        reply_draw(req, dd.d.id);
}

/* The sources of a result request as text: a string as it is; an array of arrays of whole
 * numbers, one source a line. NULL when absent or after adding an error to e. */
static const char *
sources_text(struct request *req, struct errs *e)
{
        json_t *js = json_object_get(req->json, "sources");
        if (js == NULL)
                return NULL;
        if (json_is_string(js)) {
                if (strlen(json_string_value(js)) != json_string_length(js)) {
                        errs_add(e, "sources", "This field has the wrong type.");
                        return NULL;
                }
                return json_string_value(js);
        }
        if (!json_is_array(js)) {
                errs_add(e, "sources", "This field has the wrong type.");
                return NULL;
        }
        struct buf b;
        buf_init(&b, req->arena, MAX_TEXT_BODY);
        size_t i, k;
        json_t *src, *v;
        json_array_foreach(js, i, src)
        {
                if (!json_is_array(src)) {
                        errs_add(e, "sources", "Source %zu must be a list of whole numbers.",
                                 i + 1);
                        return NULL;
                }
                json_array_foreach(src, k, v)
                {
                        if (!json_is_integer(v)) {
                                errs_add(e, "sources",
                                         "Source %zu must be a list of whole numbers.", i + 1);
                                return NULL;
                        }
                        buf_printf(&b, k ? " %lld" : "%lld", (long long)json_integer_value(v));
                }
                buf_putc(&b, '\n');
        }
        return buf_str(&b);
}

void
api_draw_result(struct request *req)
{
        static const char *const fields[] = {"sources", "version", NULL};
        struct errs e;
        errs_init(&e, req->arena, req->lang);
        struct draw_detail dd;
        long long version;
        if (load_or_reply(req, &dd) != 0 || body_or_reply(req, fields, 0, &version, &e) != 0 ||
            draw_check_state_or_reply(req, &dd.d, "published", version) != 0)
                return;
        const char *text = sources_text(req, &e);
        struct draw_outcome o;
        if (e.n || draw_compute(req, &dd, text, &e, &o) != 0) {
                reply_error(req, ERR_VALIDATION, NULL, e.list, e.n);
                return;
        }
        int rc = draw_store_record(req->db, req->arena, dd.d.id, version ? version : dd.d.version,
                                   o.sources, o.key, o.positions, o.n);
        if (rc != STORE_OK) {
                draw_reply_store_error(req, rc);
                return;
        }
        reply_draw(req, dd.d.id);
}
