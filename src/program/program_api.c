/* program_api.c: the program JSON API (/api/v1/programs, /api/v1/tranches). */
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/i18n.h"
#include "program/program_web.h"
#include "web/api.h"
#include "web/layout.h"
#include "web/pages.h"

/* ---- answers ------------------------------------------------------------------------------- */

static json_t *
rows_json(const struct program_target_row *r, size_t n, int years)
{
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++) {
                json_t *o = json_pack("{s:I, s:I}", "target", (json_int_t)r[i].target, "reached",
                                      (json_int_t)r[i].reached);
                if (years)
                        json_object_set_new(o, "year", json_integer(r[i].year));
                else
                        json_object_set_new(o, "region_code", json_string(r[i].region_code));
                json_array_append_new(arr, o);
        }
        return arr;
}

static json_t *
tranche_json(const struct tranche *t)
{
        json_t *phases = json_array();
        for (size_t i = 0; i < t->n_phases; i++) {
                const struct phase *ph = &t->phases[i];
                json_array_append_new(
                    phases,
                    json_pack("{s:I, s:I, s:I, s:I, s:I}", "id", (json_int_t)ph->id, "number",
                              (json_int_t)ph->number, "year", (json_int_t)ph->year, "target_total",
                              (json_int_t)ph->target_total, "reached", (json_int_t)ph->reached));
        }
        json_t *targets = json_array();
        json_t *by_region = json_array();
        for (size_t i = 0; i < t->n_regions; i++) {
                const struct region_target *r = &t->regions[i];
                json_t *o = json_pack("{s:s, s:I, s:I}", "region_code", r->region_code, "target",
                                      (json_int_t)r->target, "reached", (json_int_t)r->reached);
                json_array_append(by_region, o);
                if (r->planned)
                        json_array_append(targets, o);
                json_decref(o);
        }
        return json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:o, s:o, s:o, s:I, s:s, s:s}", "id",
                         (json_int_t)t->id, "program_id", (json_int_t)t->program_id, "number",
                         (json_int_t)t->number, "start_year", (json_int_t)t->start_year, "end_year",
                         (json_int_t)t->end_year, "target_total", (json_int_t)t->target_total,
                         "reached", (json_int_t)t->reached, "phases", phases, "region_targets",
                         targets, "reached_by_region", by_region, "version", (json_int_t)t->version,
                         "created_at", t->created_at, "updated_at", t->updated_at);
}

/* The fields every answer about a program has (the list's items). */
static json_t *
program_head_json(const struct program *p)
{
        json_t *op = json_null();
        if (p->operator_id > 0)
                op = json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)p->operator_id, "name_ar",
                               p->operator_name_ar, "name_fr", p->operator_name_fr, "acronym",
                               p->operator_acronym);
        json_t *j = json_pack(
            "{s:I, s:s, s:s, s:s, s:s, s:o, s:o, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:s, s:s}",
            "id", (json_int_t)p->id, "code", p->code, "name_ar", p->name_ar, "name_fr", p->name_fr,
            "name_en", p->name_en, "operator_id",
            p->operator_id > 0 ? json_integer(p->operator_id) : json_null(), "operator", op,
            "description", p->description, "start_year", (json_int_t)p->start_year, "end_year",
            (json_int_t)p->end_year, "target_total", (json_int_t)p->target_total, "target_per_year",
            (json_int_t)p->target_per_year, "reached", (json_int_t)p->reached, "version",
            (json_int_t)p->version, "created_at", p->created_at, "updated_at", p->updated_at);
        return j;
}

static json_t *
program_json(const struct program *p, struct arena *a)
{
        json_t *j = program_head_json(p);
        json_t *partners = json_array();
        for (size_t i = 0; i < p->n_partners; i++) {
                const struct program_partner *pp = &p->partners[i];
                json_array_append_new(partners,
                                      json_pack("{s:I, s:s, s:s, s:s, s:s}", "organisation_id",
                                                (json_int_t)pp->organisation_id, "role", pp->role,
                                                "name_ar", pp->name_ar ? pp->name_ar : "",
                                                "name_fr", pp->name_fr ? pp->name_fr : "",
                                                "acronym", pp->acronym ? pp->acronym : ""));
        }
        json_t *pillars = json_array();
        for (size_t i = 0; i < p->n_pillars; i++) {
                const struct program_pillar *pl = &p->pillars[i];
                json_array_append_new(pillars, json_pack("{s:s, s:s, s:s, s:s}", "code", pl->code,
                                                         "name_ar", pl->name_ar, "name_fr",
                                                         pl->name_fr, "name_en", pl->name_en));
        }
        json_t *components = json_array();
        for (size_t i = 0; i < p->n_components; i++) {
                const struct program_component *c = &p->components[i];
                json_array_append_new(components, json_pack("{s:s, s:I, s:I}", "kind", c->kind,
                                                            "sessions", (json_int_t)c->sessions,
                                                            "months", (json_int_t)c->months));
        }
        json_t *tranches = json_array();
        for (size_t i = 0; i < p->n_tranches; i++)
                json_array_append_new(tranches, tranche_json(&p->tranches[i]));
        struct program_target_row *rows;
        size_t n = program_year_rows(p, a, &rows);
        json_object_set_new(j, "reached_by_year", rows_json(rows, n, 1));
        n = program_region_rows(p, a, &rows);
        json_object_set_new(j, "reached_by_region", rows_json(rows, n, 0));
        json_object_set_new(j, "partners", partners);
        json_object_set_new(j, "pillars", pillars);
        json_object_set_new(j, "components", components);
        json_object_set_new(j, "tranches", tranches);
        return j;
}

/* ---- reading bodies ------------------------------------------------------------------------ */

/* A field_get_fn over a body whose lists are arrays of objects: "code" is a top-level field,
 * "partners.count" the length of the array "partners" (NULL when absent, 0 for null), and
 * "partners.2.role" the field "role" of its third object. Values are read as json_field_get
 * reads them, and type errors name the whole path. */
struct body {
        json_t *root;
        struct errs *e;
        struct arena *a;
};

static const char *
body_get(void *ctx, const char *name)
{
        struct body *c = ctx;
        const char *dot = strchr(name, '.');
        if (dot == NULL) {
                struct json_fields jf = {c->root, c->e, c->a};
                return json_field_get(&jf, name);
        }
        char *list = arena_strndup(c->a, name, (size_t)(dot - name));
        json_t *arr = json_object_get(c->root, list);
        if (strcmp(dot + 1, "count") == 0) {
                if (arr == NULL)
                        return NULL;
                if (json_is_null(arr))
                        return "0";
                if (!json_is_array(arr)) {
                        errs_add(c->e, list, "Send a list (a JSON array) here.");
                        return NULL;
                }
                return arena_printf(c->a, "%zu", json_array_size(arr));
        }
        if (!json_is_array(arr))
                return NULL;
        char *end;
        unsigned long idx = strtoul(dot + 1, &end, 10);
        if (*end != '.')
                return NULL;
        json_t *item = json_array_get(arr, idx);
        if (!json_is_object(item)) {
                errs_add(c->e, arena_strndup(c->a, name, (size_t)(end - name)),
                         "Send each row as a JSON object.");
                return NULL;
        }
        json_t *v = json_object_get(item, end + 1);
        if (v == NULL)
                return NULL;
        /* json_field_get names its errors by the key: read through a one-key object under the
         * full path, so the error says which row. */
        json_t *one = json_object();
        json_object_set(one, name, v);
        struct json_fields jf = {one, c->e, c->a};
        const char *s = json_field_get(&jf, arena_strdup(c->a, name));
        if (s && json_is_string(v))
                s = arena_strdup(c->a, s); /* the string belongs to `one` */
        json_decref(one);
        return s;
}

static int
listed(const char *const *names, const char *key)
{
        for (size_t i = 0; names && names[i]; i++)
                if (strcmp(names[i], key) == 0)
                        return 1;
        return 0;
}

/* Adds "Unknown field." for every key of a row of list that is neither in fields nor extra. */
static void
check_rows(json_t *obj, const char *list, const char *const *fields, const char *const *extra,
           struct errs *e)
{
        json_t *arr = json_object_get(obj, list);
        if (!json_is_array(arr))
                return;
        size_t i;
        json_t *item;
        json_array_foreach(arr, i, item)
        {
                if (!json_is_object(item))
                        continue;
                const char *key;
                json_t *v;
                json_object_foreach(item, key, v)
                {
                        if (!listed(fields, key) && !listed(extra, key))
                                errs_add(e, arena_printf(e->arena, "%s.%zu.%s", list, i, key),
                                         "Unknown field.");
                }
        }
}

static const char *const program_read_only[] = {
    "id",      "version",         "created_at",        "updated_at", "operator",
    "reached", "reached_by_year", "reached_by_region", "tranches",   NULL};
static const char *const tranche_read_only[] = {
    "id",         "program_id", "version",           "created_at",
    "updated_at", "reached",    "reached_by_region", NULL};
static const char *const partner_fields[] = {"organisation_id", "role", NULL};
static const char *const partner_read_only[] = {"name_ar", "name_fr", "acronym", NULL};
static const char *const pillar_fields[] = {"code", "name_ar", "name_fr", "name_en", NULL};
static const char *const component_fields[] = {"kind", "sessions", "months", NULL};
static const char *const phase_fields[] = {"number", "year", "target_total", NULL};
static const char *const phase_read_only[] = {"id", "reached", NULL};
static const char *const region_fields[] = {"region_code", "target", NULL};
static const char *const region_read_only[] = {"reached", NULL};

/* Checks the body's shape and reads "version" into *expected. Returns 0, or -1 after
 * answering. */
static int
body_or_reply(struct request *req, struct errs *e, const char *const *fields,
              const char *const *read_only, long long *expected, const char *what)
{
        if (!json_is_object(req->json)) {
                reply_error(req, ERR_BAD_REQUEST, what, NULL, 0);
                return -1;
        }
        json_check_fields(req->json, fields, read_only, e);
        if (fields == program_fields) {
                check_rows(req->json, "partners", partner_fields, partner_read_only, e);
                check_rows(req->json, "pillars", pillar_fields, NULL, e);
                check_rows(req->json, "components", component_fields, NULL, e);
        } else {
                check_rows(req->json, "phases", phase_fields, phase_read_only, e);
                check_rows(req->json, "region_targets", region_fields, region_read_only, e);
        }
        json_t *jv = json_object_get(req->json, "version");
        if (jv && !json_is_integer(jv))
                errs_add(e, "version", "This field has the wrong type.");
        else if (jv)
                *expected = json_integer_value(jv);
        if (e->n) {
                reply_error(req, ERR_VALIDATION, NULL, e->list, e->n);
                return -1;
        }
        return 0;
}

/* ---- programs ------------------------------------------------------------------------------ */

void
api_program_list(struct request *req)
{
        struct program *items;
        size_t n;
        if (program_store_list(req->db, req->arena, &items, &n) != STORE_OK) {
                reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
                return;
        }
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++)
                json_array_append_new(arr, program_head_json(&items[i]));
        reply_json(req, 200, json_pack("{s:o, s:I}", "items", arr, "total", (json_int_t)n));
}

static int
program_or_reply(struct request *req, long long id, struct program *p)
{
        int rc = program_store_get(req->db, id, req->arena, p);
        if (rc != STORE_OK) {
                reply_store_error(req, rc);
                return -1;
        }
        return 0;
}

void
api_program_get(struct request *req)
{
        struct program p;
        if (program_or_reply(req, req->id, &p) != 0)
                return;
        reply_json(req, 200, program_json(&p, req->arena));
}

static void
api_program_save(struct request *req, struct program *p)
{
        struct errs e;
        errs_init(&e, req->arena, req->lang);
        long long expected = p->version;
        if (body_or_reply(req, &e, program_fields, program_read_only, &expected,
                          _(req->lang, "Send a JSON object with the program's fields.")) != 0)
                return;
        struct body body = {req->json, &e, req->arena};
        struct program_refs refs = program_refs_of(req);
        if (program_apply(p, &e, body_get, &body, &refs) != 0 || e.n) {
                reply_error(req, ERR_VALIDATION, NULL, e.list, e.n);
                return;
        }
        int creating = p->id == 0;
        int rc = creating ? program_store_insert(req->db, p, req->arena)
                          : program_store_update(req->db, p, expected, req->arena);
        struct program saved;
        switch (rc) {
        case STORE_OK:
                if (program_or_reply(req, p->id, &saved) != 0)
                        return;
                reply_json(req, creating ? 201 : 200, program_json(&saved, req->arena));
                if (creating)
                        req->location = arena_printf(req->arena, "/api/v1/programs/%lld", p->id);
                return;
        case STORE_DUPLICATE:
                errs_add(&e, "code", "Another program has this code.");
                reply_error(req, ERR_CONFLICT, NULL, e.list, e.n);
                return;
        case STORE_CONFLICT:
                reply_error(req, ERR_CONFLICT, program_conflict_message(req, 0, 1), NULL, 0);
                return;
        case STORE_NOT_FOUND:
                reply_error(req, ERR_NOT_FOUND, NULL, NULL, 0);
                return;
        default:
                reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
        }
}

void
api_program_create(struct request *req)
{
        struct program p = {0};
        p.code = p.name_ar = p.name_fr = p.name_en = p.description = "";
        api_program_save(req, &p);
}

void
api_program_patch(struct request *req)
{
        struct program p;
        if (program_or_reply(req, req->id, &p) != 0)
                return;
        api_program_save(req, &p);
}

/* ---- tranches ------------------------------------------------------------------------------ */

static void
api_tranche_save(struct request *req, const struct program *p, struct tranche *t)
{
        struct errs e;
        errs_init(&e, req->arena, req->lang);
        long long expected = t->version;
        if (body_or_reply(req, &e, tranche_fields, tranche_read_only, &expected,
                          _(req->lang, "Send a JSON object with the tranche's fields.")) != 0)
                return;
        struct body body = {req->json, &e, req->arena};
        if (tranche_apply(t, p, &e, body_get, &body, web_geo) != 0 || e.n) {
                reply_error(req, ERR_VALIDATION, NULL, e.list, e.n);
                return;
        }
        int creating = t->id == 0;
        int rc = creating ? tranche_store_insert(req->db, t, req->arena)
                          : tranche_store_update(req->db, t, expected, req->arena);
        struct tranche saved;
        switch (rc) {
        case STORE_OK:
                rc = tranche_store_get(req->db, t->id, req->arena, &saved);
                if (rc != STORE_OK) {
                        reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
                        return;
                }
                reply_json(req, creating ? 201 : 200, tranche_json(&saved));
                if (creating)
                        req->location = arena_printf(req->arena, "/api/v1/tranches/%lld", t->id);
                return;
        case STORE_DUPLICATE:
                errs_add(&e, "number", "This program already has a tranche with this number.");
                reply_error(req, ERR_CONFLICT, NULL, e.list, e.n);
                return;
        case STORE_CONFLICT:
                reply_error(req, ERR_CONFLICT, program_conflict_message(req, 1, 1), NULL, 0);
                return;
        case STORE_NOT_FOUND:
                reply_error(req, ERR_NOT_FOUND, NULL, NULL, 0);
                return;
        default:
                reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
        }
}

void
api_tranche_create(struct request *req)
{
        struct program p;
        if (program_or_reply(req, req->id, &p) != 0)
                return;
        struct tranche t = {0};
        t.program_id = p.id;
        api_tranche_save(req, &p, &t);
}

static int
tranche_or_reply(struct request *req, struct tranche *t)
{
        int rc = tranche_store_get(req->db, req->id, req->arena, t);
        if (rc != STORE_OK) {
                reply_store_error(req, rc);
                return -1;
        }
        return 0;
}

void
api_tranche_get(struct request *req)
{
        struct tranche t;
        if (tranche_or_reply(req, &t) != 0)
                return;
        reply_json(req, 200, tranche_json(&t));
}

void
api_tranche_patch(struct request *req)
{
        struct tranche t;
        struct program p;
        if (tranche_or_reply(req, &t) != 0 || program_or_reply(req, t.program_id, &p) != 0)
                return;
        api_tranche_save(req, &p, &t);
}
