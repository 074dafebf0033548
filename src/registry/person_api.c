/* person_api.c: the people JSON API (/api/v1/people). */
#include <string.h>

#include "core/arena.h"
#include "core/i18n.h"
#include "registry/geo.h"
#include "registry/person_web.h"
#include "web/api.h"
#include "web/layout.h"
#include "web/pages.h"

/* One person as JSON. full (the single-record answers, never lists) adds the memberships m
 * and, when the caller may see it, national_id. */
static json_t *
person_json(struct request *req, const struct person *p, const struct person_membership *m,
            size_t nm, int full)
{
        json_t *j = json_pack("{s:I, s:s, s:s, s:s, s:o, s:s, s:s, s:o, s:I, s:s, s:s}", "id",
                              (json_int_t)p->id, "name_ar", p->name_ar, "name_fr", p->name_fr,
                              "sex", p->sex, "birth_date", json_str_or_null(p->birth_date), "phone",
                              p->phone, "region_code", p->region_code, "province_code",
                              json_str_or_null(p->province_code), "version", (json_int_t)p->version,
                              "created_at", p->created_at, "updated_at", p->updated_at);
        if (full && user_can(req->user, PERM_NATIONAL_ID))
                json_object_set_new(j, "national_id", json_str_or_null(p->national_id));
        if (full) {
                json_t *arr = json_array();
                for (size_t i = 0; i < nm; i++)
                        json_array_append_new(arr, json_pack("{s:I, s:s}", "cooperative_id",
                                                             (json_int_t)m[i].cooperative_id,
                                                             "role", m[i].role));
                json_object_set_new(j, "memberships", arr);
        }
        return j;
}

/* The single-record answer: the person with memberships. */
static void
reply_person(struct request *req, int status, const struct person *p)
{
        struct person_membership *m = NULL;
        size_t nm = 0;
        if (person_store_memberships(req->db, &req->user->scope, p->id, req->arena, &m, &nm) !=
            STORE_OK) {
                reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
                return;
        }
        reply_json(req, status, person_json(req, p, m, nm, 1));
}

void
api_person_list(struct request *req)
{
        struct errs e;
        errs_init(&e, req->arena, req->lang);
        struct person_filter f;
        long long page, per_page;
        person_filter_from_query(req, &f, &e, &page, &per_page);
        if (e.n) {
                reply_error(req, ERR_BAD_REQUEST, NULL, e.list, e.n);
                return;
        }
        struct person *items;
        size_t n;
        long long total;
        if (person_store_list(req->db, &req->user->scope, &f, req->arena, &items, &n, &total) !=
            STORE_OK) {
                reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
                return;
        }
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++)
                json_array_append_new(arr, person_json(req, &items[i], NULL, 0, 0));
        reply_json(req, 200,
                   json_pack("{s:o, s:I, s:I, s:I}", "items", arr, "total", (json_int_t)total,
                             "page", (json_int_t)page, "per_page", (json_int_t)per_page));
}

void
api_person_get(struct request *req)
{
        struct person p;
        int rc = person_store_read(req->db, &req->user->scope, req->id,
                                   user_can(req->user, PERM_NATIONAL_ID), req->arena, &p);
        if (rc != STORE_OK) {
                reply_store_error(req, rc);
                return;
        }
        reply_person(req, 200, &p);
}

/* Fields of an answer that may be sent back, and are ignored. */
static const char *const read_only_fields[] = {"version",    "id",         "memberships",
                                               "created_at", "updated_at", NULL};

static void
api_person_save(struct request *req, struct person *p)
{
        struct errs e;
        errs_init(&e, req->arena, req->lang);
        if (!json_is_object(req->json)) {
                reply_error(req, ERR_BAD_REQUEST,
                            _(req->lang, "Send a JSON object with the person's fields."), NULL, 0);
                return;
        }
        if (json_check_fields(req->json, person_fields, read_only_fields, &e) != 0) {
                reply_error(req, ERR_VALIDATION, NULL, e.list, e.n);
                return;
        }
        int may_nid = user_can(req->user, PERM_NATIONAL_ID);
        if (!may_nid && json_object_get(req->json, "national_id")) {
                struct field_error fe = {
                    "national_id",
                    _(req->lang, "You are not allowed to see or change national ID numbers.")};
                reply_error(req, ERR_FORBIDDEN, fe.msg, &fe, 1);
                return;
        }
        struct json_fields jf = {req->json, &e, req->arena};
        long long expected = p->version;
        json_t *jv = json_object_get(req->json, "version");
        if (jv && !json_is_integer(jv))
                errs_add(&e, "version", "This field has the wrong type.");
        else if (jv)
                expected = json_integer_value(jv);
        if (person_apply(p, &e, json_field_get, &jf, web_geo, date_today(), may_nid) != 0 || e.n) {
                reply_error(req, ERR_VALIDATION, NULL, e.list, e.n);
                return;
        }
        int creating = p->id == 0;
        int rc = creating
                     ? person_store_insert(req->db, &req->user->scope, p, req->arena)
                     : person_store_update(req->db, &req->user->scope, p, expected, req->arena);
        struct field_error fe;
        switch (rc) {
        case STORE_OK:
                reply_person(req, creating ? 201 : 200, p);
                if (creating && req->status == 201)
                        req->location = arena_printf(req->arena, "/api/v1/people/%lld", p->id);
                return;
        case STORE_DUPLICATE:
                fe.field = "national_id";
                fe.msg = _(req->lang, "Another person is registered with this national ID number.");
                reply_error(req, ERR_CONFLICT, fe.msg, &fe, 1);
                return;
        case STORE_FORBIDDEN:
                fe.field = "region_code";
                fe.msg = _(req->lang, "You can only record people of your regions.");
                reply_error(req, ERR_FORBIDDEN, fe.msg, &fe, 1);
                return;
        case STORE_CONFLICT:
                reply_error(req, ERR_CONFLICT,
                            _(req->lang,
                              "Someone else changed this person since you read it. "
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
api_person_create(struct request *req)
{
        struct person p = {0};
        api_person_save(req, &p);
}

void
api_person_patch(struct request *req)
{
        struct person p;
        int rc = person_store_read(req->db, &req->user->scope, req->id,
                                   user_can(req->user, PERM_NATIONAL_ID), req->arena, &p);
        if (rc != STORE_OK) {
                reply_store_error(req, rc);
                return;
        }
        api_person_save(req, &p);
}
