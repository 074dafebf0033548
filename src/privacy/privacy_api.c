/* privacy_api.c: the register as JSON (/api/v1/processing), consents and objections of a
 * person (/api/v1/people/{id}/consents, .../objection), and the access export (data.json). */
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/i18n.h"
#include "privacy/privacy_web.h"
#include "registry/person_store.h"
#include "web/api.h"
#include "web/layout.h"
#include "web/pages.h"

static void
set_bitext(json_t *j, const char *base, const struct bitext *t)
{
        char key[64];
        snprintf(key, sizeof(key), "%s_ar", base);
        json_object_set_new(j, key, json_string(t->ar ? t->ar : ""));
        snprintf(key, sizeof(key), "%s_fr", base);
        json_object_set_new(j, key, json_string(t->fr ? t->fr : ""));
}

json_t *
privacy_processing_json(const struct processing *p)
{
        json_t *j = json_pack("{s:I, s:s, s:I}", "id", (json_int_t)p->id, "code", p->code,
                              "position", (json_int_t)p->position);
        for (const struct processing_text_field *f = processing_text_fields; f->base; f++)
                set_bitext(j, f->base, (const struct bitext *)((const char *)p + f->off));
        json_object_set_new(j, "legal_basis", json_string(p->legal_basis));
        json_object_set_new(j, "retention_months", json_integer(p->retention_months));
        json_object_set_new(j, "retention_start", json_string(p->retention_start));
        json_object_set_new(j, "transfers_abroad", json_boolean(p->transfers_abroad));
        json_object_set_new(j, "version", json_integer(p->version));
        json_object_set_new(j, "updated_at", json_string(p->updated_at));
        return j;
}

void
api_processing_list(struct request *req)
{
        struct processing *items;
        size_t n;
        if (privacy_store_processing_list(req->db, req->arena, &items, &n) != STORE_OK) {
                reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
                return;
        }
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++)
                json_array_append_new(arr, privacy_processing_json(&items[i]));
        reply_json(req, 200, json_pack("{s:o, s:I}", "items", arr, "total", (json_int_t)n));
}

void
api_processing_get(struct request *req)
{
        struct processing p;
        int rc = privacy_store_processing_get(req->db, req->id, req->arena, &p);
        if (rc != STORE_OK) {
                reply_store_error(req, rc);
                return;
        }
        reply_json(req, 200, privacy_processing_json(&p));
}

void
api_processing_patch(struct request *req)
{
        struct processing p;
        int rc = privacy_store_processing_get(req->db, req->id, req->arena, &p);
        if (rc != STORE_OK) {
                reply_store_error(req, rc);
                return;
        }
        struct errs e;
        errs_init(&e, req->arena, req->lang);
        if (!json_is_object(req->json)) {
                reply_error(req, ERR_BAD_REQUEST,
                            _(req->lang, "Send a JSON object with the fields to change."), NULL, 0);
                return;
        }
        static const char *const extra[] = {"version",  "id",         "code",
                                            "position", "updated_at", NULL};
        if (json_check_fields(req->json, processing_fields, extra, &e) != 0) {
                reply_error(req, ERR_VALIDATION, NULL, e.list, e.n);
                return;
        }
        long long expected = p.version;
        json_t *jv = json_object_get(req->json, "version");
        if (jv && !json_is_integer(jv))
                errs_add(&e, "version", "This field has the wrong type.");
        else if (jv)
                expected = json_integer_value(jv);
        struct json_fields jf = {req->json, &e, req->arena};
        if (processing_apply(&p, &e, json_field_get, &jf) != 0 || e.n) {
                reply_error(req, ERR_VALIDATION, NULL, e.list, e.n);
                return;
        }
        rc = privacy_store_processing_update(req->db, &p, expected, req->arena);
        if (rc == STORE_OK)
                reply_json(req, 200, privacy_processing_json(&p));
        else if (rc == STORE_CONFLICT)
                reply_error(req, ERR_CONFLICT,
                            _(req->lang, "Someone else changed this processing since you read it. "
                                         "Read it again, then send your change with its new "
                                         "version."),
                            NULL, 0);
        else
                reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
}

/* ---- consents and objection ---- */

static json_t *
consent_json(const struct consent *c)
{
        json_t *j = json_pack("{s:I, s:I, s:I, s:s, s:s, s:o, s:I, s:s, s:s}", "id",
                              (json_int_t)c->id, "person_id", (json_int_t)c->person_id,
                              "wording_version", (json_int_t)c->wording_version, "given_on",
                              c->given_on, "channel", c->channel, "withdrawn_on",
                              json_str_or_null(c->withdrawn_on), "version", (json_int_t)c->version,
                              "created_at", c->created_at, "updated_at", c->updated_at);
        json_object_set_new(
            j, "collected_by",
            c->collected_by > 0
                ? json_pack("{s:I, s:s}", "id", (json_int_t)c->collected_by, "login", c->collector)
                : json_null());
        return j;
}

static json_t *
objection_json(const struct objection *o)
{
        return json_pack(
            "{s:s, s:s, s:o, s:s}", "objected_on", o->objected_on, "reason", o->reason,
            "recorded_by",
            o->recorded_by > 0
                ? json_pack("{s:I, s:s}", "id", (json_int_t)o->recorded_by, "login", o->recorder)
                : json_null(),
            "recorded_at", o->recorded_at);
}

/* The person's consents as {"items": [...]}, or NULL after an answer. */
static json_t *
consents_json(struct request *req, long long person_id, const struct consent_wording *w, size_t nw)
{
        struct consent *c;
        size_t n;
        if (privacy_store_consents(req->db, &req->user->scope, person_id, req->arena, &c, &n) !=
            STORE_OK) {
                reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
                return NULL;
        }
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++) {
                json_t *j = consent_json(&c[i]);
                for (size_t k = 0; k < nw; k++)
                        if (w[k].version == c[i].wording_version) {
                                json_object_set_new(j, "wording_ar", json_string(w[k].text_ar));
                                json_object_set_new(j, "wording_fr", json_string(w[k].text_fr));
                                json_object_set_new(j, "wording_en", json_string(w[k].text_en));
                        }
                json_array_append_new(arr, j);
        }
        return arr;
}

void
api_consent_list(struct request *req)
{
        struct person p;
        if (privacy_person_or_reply(req, &p) != 0)
                return;
        json_t *arr = consents_json(req, p.id, NULL, 0);
        if (arr)
                reply_json(req, 200, json_pack("{s:o}", "items", arr));
}

static int
body_object_or_reply(struct request *req)
{
        if (json_is_object(req->json))
                return 0;
        reply_error(req, ERR_BAD_REQUEST, _(req->lang, "Send a JSON object with the fields."), NULL,
                    0);
        return -1;
}

void
api_consent_create(struct request *req)
{
        struct person p;
        if (privacy_person_or_reply(req, &p) != 0 || body_object_or_reply(req) != 0)
                return;
        struct errs e;
        errs_init(&e, req->arena, req->lang);
        if (json_check_fields(req->json, consent_fields, NULL, &e) != 0) {
                reply_error(req, ERR_VALIDATION, NULL, e.list, e.n);
                return;
        }
        struct consent_wording *w;
        size_t nw;
        if (privacy_store_wordings(req->db, req->arena, &w, &nw) != STORE_OK) {
                reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
                return;
        }
        long long *versions = arena_alloc(req->arena, (nw + 1) * sizeof(*versions));
        for (size_t i = 0; i < nw; i++)
                versions[i] = w[i].version;
        struct json_fields jf = {req->json, &e, req->arena};
        struct consent c = {.person_id = p.id, .collected_by = req->user->id};
        if (consent_apply(&c, &e, json_field_get, &jf, versions, nw, date_today()) != 0 || e.n) {
                reply_error(req, ERR_VALIDATION, NULL, e.list, e.n);
                return;
        }
        int rc = privacy_store_consent_insert(req->db, &req->user->scope, &c, req->arena);
        if (rc != STORE_OK) {
                reply_store_error(req, rc);
                return;
        }
        c.collector = req->user->login;
        reply_json(req, 201, consent_json(&c));
        req->location = arena_printf(req->arena, "/api/v1/people/%lld/consents", p.id);
}

void
api_consent_withdraw(struct request *req)
{
        struct person p;
        if (privacy_person_or_reply(req, &p) != 0 || body_object_or_reply(req) != 0)
                return;
        struct errs e;
        errs_init(&e, req->arena, req->lang);
        static const char *const fields[] = {"consent_id", "withdrawn_on", NULL};
        if (json_check_fields(req->json, fields, NULL, &e) != 0) {
                reply_error(req, ERR_VALIDATION, NULL, e.list, e.n);
                return;
        }
        struct json_fields jf = {req->json, &e, req->arena};
        long long cid = 0;
        if (v_int(&e, "consent_id", json_field_get(&jf, "consent_id"), 1, 1, 1LL << 62, 0, &cid) !=
            0) {
                reply_error(req, ERR_VALIDATION, NULL, e.list, e.n);
                return;
        }
        struct consent c;
        int rc = privacy_store_consent_get(req->db, &req->user->scope, p.id, cid, req->arena, &c);
        if (rc != STORE_OK) {
                reply_store_error(req, rc);
                return;
        }
        const char *on = NULL;
        if (consent_check_withdrawal(&c, &e, json_field_get(&jf, "withdrawn_on"), date_today(),
                                     &on) != 0) {
                reply_error(req, c.withdrawn_on[0] ? ERR_CONFLICT : ERR_VALIDATION, NULL, e.list,
                            e.n);
                return;
        }
        rc = privacy_store_consent_withdraw(req->db, &req->user->scope, p.id, cid, on, req->arena);
        if (rc == STORE_OK)
                rc = privacy_store_consent_get(req->db, &req->user->scope, p.id, cid, req->arena,
                                               &c);
        if (rc == STORE_OK)
                reply_json(req, 200, consent_json(&c));
        else if (rc == STORE_CONFLICT)
                reply_error(req, ERR_CONFLICT, _(req->lang, "This consent is withdrawn already."),
                            NULL, 0);
        else
                reply_store_error(req, rc);
}

void
api_objection_set(struct request *req)
{
        struct person p;
        if (privacy_person_or_reply(req, &p) != 0 || body_object_or_reply(req) != 0)
                return;
        struct errs e;
        errs_init(&e, req->arena, req->lang);
        if (json_check_fields(req->json, objection_fields, NULL, &e) != 0) {
                reply_error(req, ERR_VALIDATION, NULL, e.list, e.n);
                return;
        }
        struct json_fields jf = {req->json, &e, req->arena};
        struct objection o = {0};
        if (objection_apply(&o, &e, json_field_get, &jf, date_today()) != 0 || e.n) {
                reply_error(req, ERR_VALIDATION, NULL, e.list, e.n);
                return;
        }
        int rc = privacy_store_objection_set(req->db, &req->user->scope, p.id, &o, req->user->id,
                                             req->arena);
        if (rc == STORE_OK)
                rc = privacy_store_objection_get(req->db, &req->user->scope, p.id, req->arena, &o);
        if (rc == STORE_OK)
                reply_json(req, 200, objection_json(&o));
        else
                reply_store_error(req, rc);
}

void
api_objection_lift(struct request *req)
{
        struct person p;
        if (privacy_person_or_reply(req, &p) != 0)
                return;
        int rc = privacy_store_objection_lift(req->db, &req->user->scope, p.id);
        if (rc == STORE_OK)
                reply_json(req, 200, json_pack("{s:o}", "objection", json_null()));
        else
                reply_store_error(req, rc);
}

/* ---- the access export ---- */

json_t *
privacy_access_json(struct request *req, const struct person *p)
{
        struct person_membership *m;
        size_t nm;
        struct consent_wording *w;
        size_t nw;
        struct objection o;
        struct privacy_audit_entry *au;
        size_t na;
        int has_audit;
        int orc = privacy_store_objection_get(req->db, &req->user->scope, p->id, req->arena, &o);
        if (person_store_memberships(req->db, &req->user->scope, p->id, req->arena, &m, &nm) !=
                STORE_OK ||
            privacy_store_wordings(req->db, req->arena, &w, &nw) != STORE_OK ||
            (orc != STORE_OK && orc != STORE_NOT_FOUND) ||
            privacy_store_audit(req->db, p->id, req->arena, &au, &na, &has_audit) != STORE_OK) {
                reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
                return NULL;
        }
        json_t *consents = consents_json(req, p->id, w, nw);
        if (consents == NULL)
                return NULL;
        json_t *person = json_pack(
            "{s:I, s:s, s:s, s:s, s:o, s:s, s:s, s:o, s:I, s:s, s:s}", "id", (json_int_t)p->id,
            "name_ar", p->name_ar, "name_fr", p->name_fr, "sex", p->sex, "birth_date",
            json_str_or_null(p->birth_date), "phone", p->phone, "region_code", p->region_code,
            "province_code", json_str_or_null(p->province_code), "version", (json_int_t)p->version,
            "created_at", p->created_at, "updated_at", p->updated_at);
        /* Read by person_store_read only when the user may see it (NULL otherwise). */
        if (user_can(req->user, PERM_NATIONAL_ID) && p->national_id)
                json_object_set_new(person, "national_id", json_str_or_null(p->national_id));
        json_t *ms = json_array();
        for (size_t i = 0; i < nm; i++)
                json_array_append_new(ms,
                                      json_pack("{s:I, s:s, s:s, s:s, s:s}", "cooperative_id",
                                                (json_int_t)m[i].cooperative_id, "register_number",
                                                m[i].register_number, "name_ar", m[i].name_ar,
                                                "name_fr", m[i].name_fr, "role", m[i].role));
        json_t *audit = has_audit ? json_array() : json_null();
        for (size_t i = 0; has_audit && i < na; i++) {
                json_error_t err;
                json_t *d = json_loads(au[i].detail, 0, &err);
                json_array_append_new(
                    audit, json_pack("{s:s, s:s, s:s, s:s, s:I, s:o}", "at", au[i].at, "login",
                                     au[i].login, "action", au[i].action, "entity", au[i].entity,
                                     "entity_id", (json_int_t)au[i].entity_id, "detail",
                                     d ? d : json_string(au[i].detail)));
        }
        char today[11];
        date_format_iso(date_today(), today);
        return json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:o}", "law", "09-08", "extracted_on",
                         today, "person", person, "memberships", ms, "consents", consents,
                         "objection", orc == STORE_OK ? objection_json(&o) : json_null(), "audit",
                         audit);
}

void
page_person_data_json(struct request *req)
{
        req->is_api = 1; /* errors as JSON, like the download itself */
        struct person p;
        if (privacy_person_or_reply(req, &p) != 0)
                return;
        json_t *j = privacy_access_json(req, &p);
        if (j == NULL)
                return;
        reply_json(req, 200, j);
        req->disposition =
            arena_printf(req->arena, "attachment; filename=\"person-%lld-data.json\"", p.id);
}
