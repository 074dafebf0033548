/* account_api.c: the account administration JSON API (/api/v1/users, admin only). */
#include <string.h>

#include "admin/account_web.h"
#include "core/arena.h"
#include "core/auth.h"
#include "core/i18n.h"
#include "web/api.h"
#include "web/layout.h"
#include "web/pages.h"

static json_t *
account_json(const struct account *a)
{
        json_t *regions = json_array();
        for (size_t i = 0; a->regions && a->regions[i]; i++)
                json_array_append_new(regions, json_string(a->regions[i]));
        return json_pack("{s:I, s:s, s:s, s:o, s:s, s:b, s:b, s:o, s:I, s:s, s:s}", "id",
                         (json_int_t)a->id, "login", a->login, "role", a->role, "regions", regions,
                         "lang", a->lang, "disabled", a->disabled, "must_change_password",
                         a->must_change_password, "last_login_at",
                         json_str_or_null(a->last_login_at), "version", (json_int_t)a->version,
                         "created_at", a->created_at, "updated_at", a->updated_at);
}

void
api_account_list(struct request *req)
{
        struct account *items;
        size_t n;
        if (account_store_list(req->db, req->arena, &items, &n) != STORE_OK) {
                reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
                return;
        }
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++)
                json_array_append_new(arr, account_json(&items[i]));
        reply_json(req, 200, json_pack("{s:o, s:I}", "items", arr, "total", (json_int_t)n));
}

static void
reply_account(struct request *req, int status, long long id)
{
        struct account acc;
        int rc = account_store_get(req->db, id, req->arena, &acc);
        if (rc != STORE_OK) {
                account_reply_error(req, rc);
                return;
        }
        reply_json(req, status, account_json(&acc));
}

void
api_account_get(struct request *req)
{
        reply_account(req, 200, req->id);
}

/* The body as an object (an absent body counts as {}), or NULL after answering 400. */
static json_t *
body_object(struct request *req)
{
        if (req->json == NULL)
                return req->json = json_object();
        if (!json_is_object(req->json)) {
                reply_error(req, ERR_BAD_REQUEST, _(req->lang, "Send a JSON object."), NULL, 0);
                return NULL;
        }
        return req->json;
}

/* "regions": an array of strings; NULL when absent (keep), else the NULL-terminated codes. */
static const char **
json_regions(struct request *req, json_t *obj, struct errs *e, int *sent)
{
        json_t *r = json_object_get(obj, "regions");
        *sent = r != NULL;
        if (r == NULL)
                return NULL;
        if (!json_is_array(r) || json_array_size(r) > 64) {
                errs_add(e, "regions", "Send a list of region codes, like [\"03\"].");
                return NULL;
        }
        const char **out = arena_alloc(req->arena, (json_array_size(r) + 1) * sizeof(*out));
        size_t n = 0, i;
        json_t *v;
        json_array_foreach(r, i, v)
        {
                if (!json_is_string(v)) {
                        errs_add(e, "regions", "Send a list of region codes, like [\"03\"].");
                        return NULL;
                }
                out[n++] = arena_strdup(req->arena, json_string_value(v));
        }
        out[n] = NULL;
        return out;
}

/* The "version" sent (else the record's), or -1 after an error in e. */
static long long
json_version(json_t *obj, long long current, struct errs *e)
{
        json_t *jv = json_object_get(obj, "version");
        if (jv == NULL)
                return current;
        if (!json_is_integer(jv)) {
                errs_add(e, "version", "This field has the wrong type.");
                return -1;
        }
        return json_integer_value(jv);
}

static const char *const create_fields[] = {"login", "role", "regions", "lang", "password", NULL};
static const char *const patch_fields[] = {"role", "regions", "lang", NULL};
static const char *const read_only_fields[] = {"id",
                                               "version",
                                               "disabled",
                                               "created_at",
                                               "updated_at",
                                               "last_login_at",
                                               "must_change_password",
                                               NULL};

void
api_account_create(struct request *req)
{
        json_t *obj = body_object(req);
        if (obj == NULL)
                return;
        struct errs e;
        errs_init(&e, req->arena, req->lang);
        if (json_check_fields(obj, create_fields, NULL, &e) != 0) {
                reply_error(req, ERR_VALIDATION, NULL, e.list, e.n);
                return;
        }
        struct json_fields jf = {obj, &e, req->arena};
        int sent;
        /* One field a statement: the expressions of an initializer list are not ordered. */
        const char *login = json_field_get(&jf, "login");
        const char *role = json_field_get(&jf, "role");
        const char *lang = json_field_get(&jf, "lang");
        const char *pw = json_field_get(&jf, "password");
        struct account acc = {.login = login ? login : "",
                              .role = role ? role : "",
                              .lang = lang ? lang : "ar",
                              .must_change_password = 1};
        if (pw == NULL)
                pw = "";
        acc.regions = json_regions(req, obj, &e, &sent);
        if (e.n == 0)
                account_check(&acc, 1, &e, account_region_exists, NULL);
        account_check_password(pw, NULL, acc.login, "password", &e);
        if (e.n) {
                reply_error(req, ERR_VALIDATION, NULL, e.list, e.n);
                return;
        }
        const char *hash = account_hash(req, pw);
        int rc = hash ? account_store_insert(req->db, &acc, hash, req->arena) : STORE_ERROR;
        if (rc != STORE_OK) {
                account_reply_error(req, rc);
                return;
        }
        reply_account(req, 201, acc.id);
        req->location = arena_printf(req->arena, "/api/v1/users/%lld", acc.id);
}

/* Loads the {id} account, or answers and returns -1. */
static int
load(struct request *req, struct account *acc)
{
        int rc = account_store_get(req->db, req->id, req->arena, acc);
        if (rc != STORE_OK) {
                account_reply_error(req, rc);
                return -1;
        }
        return 0;
}

static void
reply_write(struct request *req, int rc)
{
        if (rc == STORE_OK) {
                reply_account(req, 200, req->id);
                return;
        }
        account_reply_error(req, rc);
}

void
api_account_patch(struct request *req)
{
        struct account acc;
        json_t *obj = body_object(req);
        if (obj == NULL || load(req, &acc) != 0)
                return;
        struct errs e;
        errs_init(&e, req->arena, req->lang);
        if (json_check_fields(obj, patch_fields, read_only_fields, &e) != 0) {
                reply_error(req, ERR_VALIDATION, NULL, e.list, e.n);
                return;
        }
        struct json_fields jf = {obj, &e, req->arena};
        const char *v;
        int sent;
        if ((v = json_field_get(&jf, "role")))
                acc.role = v;
        if ((v = json_field_get(&jf, "lang")))
                acc.lang = v;
        const char **regions = json_regions(req, obj, &e, &sent);
        if (sent)
                acc.regions = regions;
        long long expected = json_version(obj, acc.version, &e);
        if (e.n == 0)
                account_check(&acc, 0, &e, account_region_exists, NULL);
        if (e.n) {
                reply_error(req, ERR_VALIDATION, NULL, e.list, e.n);
                return;
        }
        reply_write(req, account_store_update(req->db, &acc, expected, req->arena));
}

static const char *const version_only[] = {"version", NULL};

static void
set_disabled(struct request *req, int disabled)
{
        struct account acc;
        json_t *obj = body_object(req);
        if (obj == NULL || load(req, &acc) != 0)
                return;
        struct errs e;
        errs_init(&e, req->arena, req->lang);
        json_check_fields(obj, version_only, NULL, &e);
        long long expected = json_version(obj, acc.version, &e);
        if (e.n) {
                reply_error(req, ERR_VALIDATION, NULL, e.list, e.n);
                return;
        }
        if (disabled && acc.id == req->user->id) {
                reply_error(req, ERR_CONFLICT,
                            _(req->lang, "You cannot disable your own account. Ask another "
                                         "administrator."),
                            NULL, 0);
                return;
        }
        reply_write(req,
                    account_store_set_disabled(req->db, acc.id, disabled, expected, req->arena));
}

void
api_account_disable(struct request *req)
{
        set_disabled(req, 1);
}

void
api_account_enable(struct request *req)
{
        set_disabled(req, 0);
}

static const char *const password_fields[] = {"password", "version", NULL};

void
api_account_password(struct request *req)
{
        struct account acc;
        json_t *obj = body_object(req);
        if (obj == NULL || load(req, &acc) != 0)
                return;
        struct errs e;
        errs_init(&e, req->arena, req->lang);
        json_check_fields(obj, password_fields, NULL, &e);
        struct json_fields jf = {obj, &e, req->arena};
        const char *pw = json_field_get(&jf, "password");
        long long expected = json_version(obj, acc.version, &e);
        const char *made = NULL;
        if (pw == NULL || pw[0] == '\0')
                pw = made = auth_random_hex(req->arena, 8);
        while (made && auth_password_has_login(pw, acc.login))
                pw = made = auth_random_hex(req->arena, 8);
        account_check_password(pw, NULL, acc.login, "password", &e);
        if (e.n) {
                reply_error(req, ERR_VALIDATION, NULL, e.list, e.n);
                return;
        }
        const char *hash = account_hash(req, pw);
        int rc = hash ? account_store_reset_password(req->db, acc.id, hash, expected, req->arena)
                      : STORE_ERROR;
        if (rc != STORE_OK) {
                reply_write(req, rc);
                return;
        }
        if (account_store_get(req->db, acc.id, req->arena, &acc) != STORE_OK) {
                reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
                return;
        }
        json_t *j = account_json(&acc);
        if (made)
                json_object_set_new(j, "temporary_password", json_string(made));
        reply_json(req, 200, j);
}
