/* audit_api.c: the audit trail as JSON (admin): the filtered list and the chain check. */
#include <jansson.h>

#include "admin/audit_web.h"
#include "core/arena.h"
#include "registry/store.h"
#include "web/pages.h"

static json_t *
entry_json(const struct audit_entry *e)
{
        json_t *detail = json_loads(e->detail, 0, NULL);
        return json_pack(
            "{s:I, s:s, s:o, s:s, s:s, s:s, s:o, s:o, s:o, s:s, s:s}", "id", (json_int_t)e->id,
            "at", e->at, "user_id", e->user_id > 0 ? json_integer(e->user_id) : json_null(),
            "login", e->login, "ip", e->ip, "action", e->action, "entity",
            e->entity[0] ? json_string(e->entity) : json_null(), "entity_id",
            e->entity_id > 0 ? json_integer(e->entity_id) : json_null(), "detail",
            detail ? detail : json_object(), "prev_hash", e->prev_hash, "hash", e->hash);
}

void
api_audit_list(struct request *req)
{
        struct errs e;
        errs_init(&e, req->arena, req->lang);
        struct audit_filter f;
        long long page;
        audit_filter_from_query(req, &f, &e, &page);
        if (e.n) {
                reply_error(req, ERR_VALIDATION, NULL, e.list, e.n);
                return;
        }
        struct audit_entry *items;
        size_t n;
        int more;
        if (audit_store_list(req->db, req->arena, &f, page, &items, &n, &more) != STORE_OK) {
                reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
                return;
        }
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++)
                json_array_append_new(arr, entry_json(&items[i]));
        reply_json(req, 200,
                   json_pack("{s:o, s:I, s:I, s:b}", "items", arr, "page", (json_int_t)page,
                             "per_page", (json_int_t)AUDIT_PAGE_SIZE, "more", more));
}

void
api_audit_verify(struct request *req)
{
        long long bad = 0;
        const char *why = NULL;
        long long n = audit_verify(req->db, &bad, &why);
        if (n < 0 && bad == 0) {
                reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
                return;
        }
        if (n >= 0)
                reply_json(req, 200,
                           json_pack("{s:b, s:I}", "intact", 1, "entries", (json_int_t)n));
        else
                reply_json(req, 200,
                           json_pack("{s:b, s:I, s:s}", "intact", 0, "broken_at", (json_int_t)bad,
                                     "reason", why));
}
