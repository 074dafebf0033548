/* org_api.c: the organisation JSON API (/api/v1/organisations). */
#include <string.h>

#include "core/arena.h"
#include "core/i18n.h"
#include "registry/geo.h"
#include "registry/org_web.h"
#include "web/api.h"
#include "web/layout.h"
#include "web/pages.h"

static json_t *
org_json(const struct org *o)
{
        return json_pack(
            "{s:I, s:s, s:s, s:s, s:s, s:o, s:s, s:s, s:s, s:s, s:I, s:s, s:s}", "id",
            (json_int_t)o->id, "name_ar", o->name_ar, "name_fr", o->name_fr, "acronym", o->acronym,
            "kind", o->kind, "region_code", json_str_or_null(o->region_code), "phone", o->phone,
            "email", o->email, "website", o->website, "notes", o->notes, "version",
            (json_int_t)o->version, "created_at", o->created_at, "updated_at", o->updated_at);
}

void
api_org_list(struct request *req)
{
        struct errs e;
        errs_init(&e, req->arena, req->lang);
        struct org_filter f;
        long long page, per_page;
        org_filter_from_query(req, &f, &e, &page, &per_page);
        if (e.n) {
                reply_error(req, ERR_BAD_REQUEST, NULL, e.list, e.n);
                return;
        }
        struct org *items;
        size_t n;
        long long total;
        if (org_store_list(req->db, &f, req->arena, &items, &n, &total) != STORE_OK) {
                reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
                return;
        }
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++)
                json_array_append_new(arr, org_json(&items[i]));
        reply_json(req, 200,
                   json_pack("{s:o, s:I, s:I, s:I}", "items", arr, "total", (json_int_t)total,
                             "page", (json_int_t)page, "per_page", (json_int_t)per_page));
}

void
api_org_get(struct request *req)
{
        struct org o;
        int rc = org_store_get(req->db, req->id, req->arena, &o);
        if (rc != STORE_OK) {
                reply_store_error(req, rc);
                return;
        }
        reply_json(req, 200, org_json(&o));
}

/* Fields of an answer that may be sent back, and are ignored. */
static const char *const read_only_fields[] = {"version", "id", "created_at", "updated_at", NULL};

static void
api_org_save(struct request *req, struct org *o)
{
        struct errs e;
        errs_init(&e, req->arena, req->lang);
        if (!json_is_object(req->json)) {
                reply_error(req, ERR_BAD_REQUEST,
                            _(req->lang, "Send a JSON object with the organisation's fields."),
                            NULL, 0);
                return;
        }
        if (json_check_fields(req->json, org_fields, read_only_fields, &e) != 0) {
                reply_error(req, ERR_VALIDATION, NULL, e.list, e.n);
                return;
        }
        struct json_fields jf = {req->json, &e, req->arena};
        long long expected = o->version;
        json_t *jv = json_object_get(req->json, "version");
        if (jv && !json_is_integer(jv))
                errs_add(&e, "version", "This field has the wrong type.");
        else if (jv)
                expected = json_integer_value(jv);
        if (org_apply(o, &e, json_field_get, &jf, web_geo) != 0 || e.n) {
                reply_error(req, ERR_VALIDATION, NULL, e.list, e.n);
                return;
        }
        int creating = o->id == 0;
        int rc = creating ? org_store_insert(req->db, o, req->arena)
                          : org_store_update(req->db, o, expected, req->arena);
        switch (rc) {
        case STORE_OK:
                reply_json(req, creating ? 201 : 200, org_json(o));
                if (creating)
                        req->location =
                            arena_printf(req->arena, "/api/v1/organisations/%lld", o->id);
                return;
        case STORE_CONFLICT:
                reply_error(req, ERR_CONFLICT,
                            _(req->lang,
                              "Someone else changed this organisation since you read it. "
                              "Read it again, then send your change with its new version."),
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
api_org_create(struct request *req)
{
        struct org o = {0};
        api_org_save(req, &o);
}

void
api_org_patch(struct request *req)
{
        struct org o;
        int rc = org_store_get(req->db, req->id, req->arena, &o);
        if (rc != STORE_OK) {
                reply_store_error(req, rc);
                return;
        }
        api_org_save(req, &o);
}
