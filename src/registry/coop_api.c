/* coop_api.c: the cooperative JSON API (/api/v1/cooperatives). */
#include <string.h>

#include "core/arena.h"
#include "core/i18n.h"
#include "registry/coop_web.h"
#include "registry/geo.h"
#include "web/api.h"
#include "web/layout.h"
#include "web/pages.h"

static json_t *
coop_json(const struct coop *c)
{
        struct age a = coop_legal_age(c, date_today());
        return json_pack(
            "{s:I, s:s, s:s, s:s, s:s, s:o, s:s, s:s, s:s, s:s, s:o, s:s, s:s, s:s, s:I, s:I,"
            " s:I, s:b, s:b, s:s, s:s, s:I, s:{s:i, s:i, s:i}, s:s, s:s}",
            "id", (json_int_t)c->id, "register_number", c->register_number, "name_ar", c->name_ar,
            "name_fr", c->name_fr, "legal_date", c->legal_date, "activity_start_date",
            c->activity_start_date[0] ? json_string(c->activity_start_date) : json_null(), "sector",
            c->sector, "activity", c->activity, "region_code", c->region_code, "province_code",
            c->province_code, "commune_code",
            c->commune_code[0] ? json_string(c->commune_code) : json_null(), "address", c->address,
            "phone", c->phone, "email", c->email, "members_total", (json_int_t)c->members_total,
            "members_women", (json_int_t)c->members_women, "members_youth",
            (json_int_t)c->members_youth, "is_soulalyate", c->is_soulalyate, "is_women_only",
            c->is_women_only, "status", c->status, "notes", c->notes, "version",
            (json_int_t)c->version, "legal_age", "years", a.years, "months", a.months, "days",
            a.days, "created_at", c->created_at, "updated_at", c->updated_at);
}

void
api_coop_list(struct request *req)
{
        struct errs e;
        errs_init(&e, req->arena, req->lang);
        struct coop_filter f;
        long long page, per_page;
        coop_filter_from_query(req, &f, &e, &page, &per_page);
        if (e.n) {
                reply_error(req, ERR_BAD_REQUEST, NULL, e.list, e.n);
                return;
        }
        struct coop *items;
        size_t n;
        long long total;
        if (coop_store_list(req->db, &req->user->scope, &f, req->arena, &items, &n, &total) !=
            STORE_OK) {
                reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
                return;
        }
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++)
                json_array_append_new(arr, coop_json(&items[i]));
        reply_json(req, 200,
                   json_pack("{s:o, s:I, s:I, s:I}", "items", arr, "total", (json_int_t)total,
                             "page", (json_int_t)page, "per_page", (json_int_t)per_page));
}

void
api_coop_get(struct request *req)
{
        struct coop c;
        int rc = coop_store_get(req->db, &req->user->scope, req->id, req->arena, &c);
        if (rc != STORE_OK) {
                reply_store_error(req, rc);
                return;
        }
        reply_json(req, 200, coop_json(&c));
}

/* Fields of an answer that may be sent back, and are ignored. */
static const char *const read_only_fields[] = {"version",    "confirm_similar", "id", "legal_age",
                                               "created_at", "updated_at",      NULL};

static void
api_coop_save(struct request *req, struct coop *c)
{
        struct errs e;
        errs_init(&e, req->arena, req->lang);
        if (!json_is_object(req->json)) {
                reply_error(req, ERR_BAD_REQUEST,
                            _(req->lang, "Send a JSON object with the cooperative's fields."), NULL,
                            0);
                return;
        }
        if (json_check_fields(req->json, coop_fields, read_only_fields, &e) != 0) {
                reply_error(req, ERR_VALIDATION, NULL, e.list, e.n);
                return;
        }
        struct json_fields jf = {req->json, &e, req->arena};
        long long expected = c->version;
        json_t *jv = json_object_get(req->json, "version");
        if (jv && !json_is_integer(jv))
                errs_add(&e, "version", "This field has the wrong type.");
        else if (jv)
                expected = json_integer_value(jv);
        int confirm = json_is_true(json_object_get(req->json, "confirm_similar"));
        if (coop_apply(c, &e, json_field_get, &jf, web_geo, date_today()) != 0 || e.n) {
                reply_error(req, ERR_VALIDATION, NULL, e.list, e.n);
                return;
        }
        long long similar = 0;
        int creating = c->id == 0;
        int rc = creating ? coop_store_insert(req->db, &req->user->scope, c, confirm, &similar,
                                              req->arena)
                          : coop_store_update(req->db, &req->user->scope, c, expected, confirm,
                                              &similar, req->arena);
        struct field_error fe;
        switch (rc) {
        case STORE_OK:
                reply_json(req, creating ? 201 : 200, coop_json(c));
                if (creating)
                        req->location =
                            arena_printf(req->arena, "/api/v1/cooperatives/%lld", c->id);
                return;
        case STORE_DUPLICATE:
                fe.field = "register_number";
                fe.msg =
                    _(req->lang, "A cooperative with this register number is already recorded.");
                reply_error(req, ERR_CONFLICT, fe.msg, &fe, 1);
                return;
        case STORE_POSSIBLE_DUPLICATE:
                fe.field = "name_fr";
                fe.msg = arena_printf(req->arena, "%s (id %lld)",
                                      _(req->lang, "A cooperative with a nearly identical name "
                                                   "already exists in this province."),
                                      similar);
                reply_error(
                    req, ERR_CONFLICT,
                    _(req->lang,
                      "Possible duplicate: send \"confirm_similar\": true to save it anyway."),
                    &fe, 1);
                return;
        case STORE_FORBIDDEN:
                fe.field = "region_code";
                fe.msg = _(req->lang, "You can only record cooperatives of your regions.");
                reply_error(req, ERR_FORBIDDEN, fe.msg, &fe, 1);
                return;
        case STORE_CONFLICT:
                reply_error(req, ERR_CONFLICT,
                            _(req->lang,
                              "Someone else changed this cooperative since you read it. "
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
api_coop_create(struct request *req)
{
        struct coop c = {0};
        c.status = "active";
        api_coop_save(req, &c);
}

void
api_coop_patch(struct request *req)
{
        struct coop c;
        int rc = coop_store_get(req->db, &req->user->scope, req->id, req->arena, &c);
        if (rc != STORE_OK) {
                reply_store_error(req, rc);
                return;
        }
        api_coop_save(req, &c);
}
