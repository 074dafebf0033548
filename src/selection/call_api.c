/* call_api.c: the JSON API of calls (/api/v1/calls): the call with its grid and seats, its
 * versioned rules and their preview, the screening of the registry, one cooperative's
 * eligibility. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/i18n.h"
#include "registry/coop_store.h"
#include "registry/geo.h"
#include "selection/call_web.h"
#include "selection/scoring.h"
#include "web/api.h"
#include "web/layout.h"
#include "web/pages.h"

#define SCREEN_PER_PAGE_DEFAULT 50
#define SCREEN_PER_PAGE_MAX     500

static json_t *
points_json(long long h)
{
        return h % 100 == 0 ? json_integer(h / 100) : json_real((double)h / 100.0);
}

static json_t *
call_json(const struct call *c, int full)
{
        json_t *o = json_pack(
            "{s:I, s:I, s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:b, s:o, s:I, s:I,"
            " s:s, s:s}",
            "id", (json_int_t)c->id, "tranche_id", (json_int_t)c->tranche_id, "tranche_number",
            (json_int_t)c->tranche_number, "program_id", (json_int_t)c->program_id, "program_code",
            c->program_code, "code", c->code, "title_ar", c->title_ar, "title_fr", c->title_fr,
            "title_en", c->title_en, "opens_on", c->opens_on, "closes_on", c->closes_on,
            "reference_date", c->reference_date, "min_score", points_json(c->min_score),
            "national_pool", c->national_pool, "disagreement_gap", points_json(c->disagreement_gap),
            "rules_version", (json_int_t)c->rules_version, "version", (json_int_t)c->version,
            "created_at", c->created_at, "updated_at", c->updated_at);
        if (o == NULL)
                return NULL;
        json_object_set_new(o, "phase",
                            json_string(call_phase_code(call_phase_on(c, date_today()))));
        if (!full)
                return o;
        json_t *crit = json_array();
        for (size_t i = 0; i < c->ncriteria; i++) {
                const struct call_criterion *k = &c->criteria[i];
                json_array_append_new(
                    crit, json_pack("{s:s, s:s, s:s, s:s, s:I, s:I}", "key", k->key, "label_ar",
                                    k->label_ar, "label_fr", k->label_fr, "label_en", k->label_en,
                                    "weight", (json_int_t)k->weight, "max", (json_int_t)k->max));
        }
        json_object_set_new(o, "criteria", crit);
        json_t *seats = json_object();
        for (size_t i = 0; i < c->nseats; i++)
                json_object_set_new(seats, c->seats[i].region, json_integer(c->seats[i].seats));
        json_object_set_new(o, "seats", seats);
        json_t *rules = eligibility_rules_to_json(c->rules, c->nrules);
        json_object_set_new(o, "rules", rules ? rules : json_array());
        return o;
}

void
api_call_list(struct request *req)
{
        struct errs e;
        errs_init(&e, req->arena, req->lang);
        long long tranche = 0;
        if (v_int(&e, "tranche", req_query(req, "tranche"), 0, 1, 1LL << 62, 0, &tranche) != 0) {
                reply_error(req, ERR_BAD_REQUEST, NULL, e.list, e.n);
                return;
        }
        struct call *items;
        size_t n;
        if (call_store_list(req->db, req->arena, tranche, &items, &n) != STORE_OK) {
                reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
                return;
        }
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++)
                json_array_append_new(arr, call_json(&items[i], 0));
        reply_json(req, 200, json_pack("{s:o, s:I}", "items", arr, "total", (json_int_t)n));
}

void
api_call_get(struct request *req)
{
        struct call c;
        if (call_load_or_reply(req, &c) != 0)
                return;
        reply_json(req, 200, call_json(&c, 1));
}

/* Points arrive as a number (62.5) or a string ("62.5"); json_field_get reads strings and
 * integers only, so a real is written back as text first (at most two decimals). */
static int
points_to_text(json_t *obj, const char *name, struct errs *e)
{
        json_t *v = json_object_get(obj, name);
        if (v == NULL || !json_is_real(v))
                return 0;
        double d = json_real_value(v) * 100.0;
        double r = round(d);
        if (!isfinite(d) || fabs(d - r) > 1e-6 || r < 0 || r > 10000) {
                errs_add(e, name,
                         "Enter points from 0 to 100, with at most two decimals (for "
                         "example 62.5).");
                return -1;
        }
        char text[48];
        long long h = (long long)r;
        snprintf(text, sizeof(text), "%lld.%02lld", h / 100, h % 100);
        json_object_set_new(obj, name, json_string(text));
        return 0;
}

/* Reads "criteria" (a list of objects) when present; replaces c's. */
static void
criteria_from_json(json_t *arr, struct call *c, struct errs *e, struct arena *a)
{
        if (!json_is_array(arr) || json_array_size(arr) > SCORING_MAX_CRITERIA) {
                errs_add(e, "criteria", "Give the criteria as a list of at most %d objects.",
                         SCORING_MAX_CRITERIA);
                return;
        }
        size_t n = json_array_size(arr);
        struct call_criterion *k = arena_alloc(a, (n ? n : 1) * sizeof(*k));
        static const char *const fields[] = {"key",    "label_ar", "label_fr", "label_en",
                                             "weight", "max",      NULL};
        size_t before = e->n;
        for (size_t i = 0; i < n; i++) {
                json_t *o = json_array_get(arr, i);
                const char *at = arena_printf(a, "criteria[%zu]", i);
                if (!json_is_object(o)) {
                        errs_add(e, at, "Each criterion must be an object.");
                        continue;
                }
                const char *key;
                json_t *v;
                json_object_foreach(o, key, v)
                {
                        int known = 0;
                        for (const char *const *f = fields; *f; f++)
                                known |= strcmp(*f, key) == 0;
                        if (!known)
                                errs_add(e,
                                         strlen(key) <= 40 ? arena_printf(a, "%s.%s", at, key) : at,
                                         "Unknown field.");
                }
                const char **texts[] = {&k[i].key, &k[i].label_ar, &k[i].label_fr, &k[i].label_en};
                for (size_t f = 0; f < 4; f++) {
                        json_t *s = json_object_get(o, fields[f]);
                        *texts[f] = json_is_string(s) ? json_string_value(s) : "";
                        if (s && !json_is_string(s))
                                errs_add(e, arena_printf(a, "%s.%s", at, fields[f]),
                                         "This field has the wrong type.");
                }
                long long *nums[] = {&k[i].weight, &k[i].max};
                for (size_t f = 0; f < 2; f++) {
                        json_t *s = json_object_get(o, fields[4 + f]);
                        if (!json_is_integer(s))
                                errs_add(e, arena_printf(a, "%s.%s", at, fields[4 + f]),
                                         "Must be a whole number.");
                        else
                                *nums[f] = json_integer_value(s);
                }
        }
        if (e->n != before)
                return;
        call_criteria_check(k, n, e);
        c->criteria = k;
        c->ncriteria = n;
}

/* Reads "seats" ({"03": 40, ...}) when present; replaces c's. */
static void
seats_from_json(json_t *obj, struct call *c, struct errs *e, struct arena *a)
{
        if (!json_is_object(obj)) {
                errs_add(e, "seats", "Give the seats as an object of region codes and numbers.");
                return;
        }
        struct call_seat *s = arena_alloc(a, (json_object_size(obj) + 1) * sizeof(*s));
        size_t n = 0;
        const char *key;
        json_t *v;
        json_object_foreach(obj, key, v)
        {
                const struct geo_region *r = geo_region(web_geo, key);
                if (r == NULL) {
                        errs_add(e, "seats", "This region code does not exist.");
                        continue;
                }
                if (!json_is_integer(v)) {
                        errs_add(e, arena_printf(a, "seats.%s", r->code),
                                 "Must be a whole number.");
                        continue;
                }
                s[n].region = r->code;
                s[n++].seats = json_integer_value(v);
        }
        call_seats_check(s, n, web_geo, e);
        c->seats = s;
        c->nseats = n;
}

static const char *const extra_fields[] = {
    "criteria",      "seats",          "rules",      "version", "id",
    "rules_version", "created_at",     "updated_at", "phase",   "program_id",
    "program_code",  "tranche_number", NULL};

static void
api_call_save(struct request *req, struct call *c)
{
        enum lang L = req->lang;
        struct errs e;
        errs_init(&e, req->arena, L);
        if (!json_is_object(req->json)) {
                reply_error(req, ERR_BAD_REQUEST,
                            _(L, "Send a JSON object with the call's fields."), NULL, 0);
                return;
        }
        int creating = c->id == 0;
        if (json_check_fields(req->json, call_fields, extra_fields, &e) != 0) {
                reply_error(req, ERR_VALIDATION, NULL, e.list, e.n);
                return;
        }
        long long expected = c->version;
        json_t *jv = json_object_get(req->json, "version");
        if (jv && !json_is_integer(jv))
                errs_add(&e, "version", "This field has the wrong type.");
        else if (jv)
                expected = json_integer_value(jv);
        points_to_text(req->json, "min_score", &e);
        points_to_text(req->json, "disagreement_gap", &e);
        struct json_fields jf = {req->json, &e, req->arena};
        call_apply(c, &e, json_field_get, &jf);
        json_t *crit = json_object_get(req->json, "criteria");
        if (crit)
                criteria_from_json(crit, c, &e, req->arena);
        json_t *seats = json_object_get(req->json, "seats");
        if (seats)
                seats_from_json(seats, c, &e, req->arena);
        json_t *rules = json_object_get(req->json, "rules");
        if (rules && !creating)
                errs_add(&e, "rules",
                         "Change the rules through /api/v1/calls/{id}/rules, which "
                         "keeps every version.");
        if (creating) {
                if (rules) {
                        struct elig_rule *r;
                        size_t n;
                        if (eligibility_rules_from_json(rules, req->arena, &r, &n, &e) == 0 &&
                            call_rules_check(r, n, web_geo, &e) == 0) {
                                c->rules = r;
                                c->nrules = n;
                        }
                } else {
                        size_t n;
                        c->rules = (struct elig_rule *)eligibility_mourafaka_defaults(&n);
                        c->nrules = n;
                }
                if (!crit) {
                        size_t n;
                        const struct call_criterion *def = call_default_criteria(&n);
                        c->criteria = arena_alloc(req->arena, n * sizeof(*c->criteria));
                        for (size_t i = 0; i < n; i++) {
                                c->criteria[i] = def[i];
                                c->criteria[i].label_ar = _(LANG_AR, def[i].label_en);
                                c->criteria[i].label_fr = _(LANG_FR, def[i].label_en);
                        }
                        c->ncriteria = n;
                }
        }
        if (e.n) {
                reply_error(req, ERR_VALIDATION, NULL, e.list, e.n);
                return;
        }
        if (!creating && crit && call_grid_frozen(req, c, &e) != 0) {
                if (e.n)
                        reply_error(req, ERR_CONFLICT, NULL, e.list, e.n);
                else
                        reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
                return;
        }
        int rc = creating ? call_store_insert(req->db, req->arena, c, req->user->id)
                          : call_store_update(req->db, req->arena, c, expected);
        switch (rc) {
        case STORE_OK: {
                struct call fresh;
                if (call_store_get(req->db, req->arena, c->id, &fresh) != STORE_OK) {
                        reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
                        return;
                }
                reply_json(req, creating ? 201 : 200, call_json(&fresh, 1));
                if (creating)
                        req->location = arena_printf(req->arena, "/api/v1/calls/%lld", c->id);
                return;
        }
        case STORE_DUPLICATE: {
                struct field_error f = {"code", _(L, "Another call already has this code.")};
                reply_error(req, ERR_CONFLICT, NULL, &f, 1);
                return;
        }
        case STORE_NOT_FOUND:
                if (!creating) {
                        struct call_tranche t;
                        if (call_store_tranche(req->db, req->arena, c->tranche_id, &t) ==
                            STORE_OK) {
                                reply_error(req, ERR_NOT_FOUND, NULL, NULL, 0);
                                return;
                        }
                }
                errs_add(&e, "tranche_id", "This tranche does not exist.");
                reply_error(req, ERR_VALIDATION, NULL, e.list, e.n);
                return;
        case STORE_CONFLICT:
                reply_error(req, ERR_CONFLICT,
                            _(L, "Someone else changed this call since you read it. Read it "
                                 "again, then send your change with its new version."),
                            NULL, 0);
                return;
        default:
                reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
        }
}

void
api_call_create(struct request *req)
{
        struct call c = {0};
        c.national_pool = 1;
        c.disagreement_gap = 1500;
        api_call_save(req, &c);
}

void
api_call_patch(struct request *req)
{
        struct call c;
        if (call_load_or_reply(req, &c) != 0)
                return;
        api_call_save(req, &c);
}

void
api_call_rules_get(struct request *req)
{
        struct call c;
        if (call_load_or_reply(req, &c) != 0)
                return;
        struct call_rules_version *hist;
        size_t n;
        if (call_store_rules_history(req->db, req->arena, c.id, &hist, &n) != STORE_OK) {
                reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
                return;
        }
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++) {
                json_t *rules = json_loads(hist[i].rules, 0, NULL);
                json_array_append_new(arr, json_pack("{s:I, s:o, s:o, s:s}", "version",
                                                     (json_int_t)hist[i].version, "rules",
                                                     rules ? rules : json_null(), "changed_by",
                                                     json_str_or_null(hist[i].changed_by),
                                                     "changed_at", hist[i].changed_at));
        }
        json_t *cur = eligibility_rules_to_json(c.rules, c.nrules);
        reply_json(req, 200,
                   json_pack("{s:I, s:o, s:o}", "rules_version", (json_int_t)c.rules_version,
                             "rules", cur ? cur : json_array(), "history", arr));
}

/* Reads {"rules": [...]} (and, when need_version, "rules_version") from the body. */
static int
body_rules(struct request *req, struct errs *e, int need_version, struct elig_rule **rules,
           size_t *n, long long *base)
{
        static const char *const fields[] = {"rules", "rules_version", NULL};
        if (!json_is_object(req->json)) {
                reply_error(req, ERR_BAD_REQUEST,
                            _(req->lang, "Send a JSON object with the list of rules."), NULL, 0);
                return -1;
        }
        json_check_fields(req->json, fields, NULL, e);
        json_t *v = json_object_get(req->json, "rules_version");
        if (need_version && !json_is_integer(v))
                errs_add(e, "rules_version",
                         "Give the version of the rules your change starts from.");
        else if (v)
                *base = json_integer_value(v);
        json_t *arr = json_object_get(req->json, "rules");
        if (arr == NULL)
                errs_add(e, "rules", "Give the list of rules (an empty list admits everyone).");
        else if (eligibility_rules_from_json(arr, req->arena, rules, n, e) == 0)
                call_rules_check(*rules, *n, web_geo, e);
        if (e->n) {
                reply_error(req, ERR_VALIDATION, NULL, e->list, e->n);
                return -1;
        }
        return 0;
}

void
api_call_rules_post(struct request *req)
{
        enum lang L = req->lang;
        struct call c;
        if (call_load_or_reply(req, &c) != 0)
                return;
        struct errs e;
        errs_init(&e, req->arena, L);
        struct elig_rule *rules = NULL;
        size_t n = 0;
        long long base = 0;
        if (body_rules(req, &e, 1, &rules, &n, &base) != 0)
                return;
        long long nv = 0;
        int rc =
            call_store_save_rules(req->db, req->arena, c.id, base, rules, n, req->user->id, &nv);
        if (rc == STORE_CONFLICT) {
                reply_error(req, ERR_CONFLICT,
                            _(L, "Someone else saved other rules for this call since you read "
                                 "them. Read them again, then send your change with the new "
                                 "version."),
                            NULL, 0);
                return;
        }
        if (rc != STORE_OK) {
                reply_store_error(req, rc);
                return;
        }
        json_t *cur = eligibility_rules_to_json(rules, n);
        reply_json(req, 201,
                   json_pack("{s:I, s:o}", "rules_version", (json_int_t)nv, "rules",
                             cur ? cur : json_array()));
        req->location = arena_printf(req->arena, "/api/v1/calls/%lld/rules", c.id);
}

static json_t *
tally_json(const struct screen_tally *t, const struct elig_rule *rules, size_t n)
{
        json_t *rs = json_array();
        for (size_t i = 0; i < n; i++)
                json_array_append_new(rs, json_pack("{s:s, s:I, s:I}", "kind",
                                                    eligibility_kind_code(rules[i].kind), "pass",
                                                    (json_int_t)t->pass[i], "fail_only",
                                                    (json_int_t)t->only_fail[i]));
        json_t *regions = json_array();
        for (size_t i = 0; i < t->nregions; i++)
                json_array_append_new(
                    regions, json_pack("{s:s, s:I, s:I}", "region_code", t->regions[i].code,
                                       "eligible", (json_int_t)t->regions[i].eligible, "ineligible",
                                       (json_int_t)t->regions[i].ineligible));
        return json_pack("{s:I, s:I, s:o, s:o}", "total", (json_int_t)t->total, "eligible",
                         (json_int_t)t->eligible, "rules", rs, "regions", regions);
}

void
api_call_rules_preview(struct request *req)
{
        struct call c;
        if (call_load_or_reply(req, &c) != 0)
                return;
        struct errs e;
        errs_init(&e, req->arena, req->lang);
        struct elig_rule *rules = NULL;
        size_t n = 0;
        long long base = 0;
        if (body_rules(req, &e, 0, &rules, &n, &base) != 0)
                return;
        struct screen_view sv;
        if (call_screen(req, &c, rules, n, "", SCREEN_ALL, 0, 0, &sv) != 0) {
                reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
                return;
        }
        reply_json(req, 200, tally_json(&sv.tally, rules, n));
}

static json_t *
result_json(const struct elig_result *er)
{
        json_t *lines = json_array();
        for (size_t i = 0; i < er->n; i++)
                json_array_append_new(lines, json_pack("{s:s, s:b, s:s, s:s}", "kind",
                                                       eligibility_kind_code(er->lines[i].kind),
                                                       "pass", er->lines[i].pass, "measured",
                                                       er->lines[i].measured, "explanation",
                                                       er->lines[i].explanation));
        return lines;
}

void
api_call_screening(struct request *req)
{
        struct call c;
        if (call_load_or_reply(req, &c) != 0)
                return;
        struct errs e;
        errs_init(&e, req->arena, req->lang);
        static const char *const results[] = {"eligible", "ineligible", NULL};
        const char *region = req_query_str(req, "region");
        if (region[0]) {
                const struct geo_region *g = geo_region(web_geo, region);
                if (g == NULL)
                        errs_add(&e, "region", "This region code does not exist.");
                else
                        region = g->code;
        }
        const char *res = v_enum(&e, "result", req_query_str(req, "result"), 0, results);
        enum screen_filter f = res == NULL || res[0] == '\0'  ? SCREEN_ALL
                               : strcmp(res, "eligible") == 0 ? SCREEN_ELIGIBLE
                                                              : SCREEN_INELIGIBLE;
        long long page = 1, per_page = SCREEN_PER_PAGE_DEFAULT;
        v_int(&e, "page", req_query_str(req, "page"), 0, 1, 1000000, 1, &page);
        v_int(&e, "per_page", req_query_str(req, "per_page"), 0, 0, SCREEN_PER_PAGE_MAX,
              SCREEN_PER_PAGE_DEFAULT, &per_page);
        if (e.n) {
                reply_error(req, ERR_BAD_REQUEST, NULL, e.list, e.n);
                return;
        }
        struct screen_view sv;
        if (call_screen(req, &c, c.rules, c.nrules, region, f, (page - 1) * per_page, per_page,
                        &sv) != 0) {
                reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
                return;
        }
        json_t *items = json_array();
        for (size_t i = 0; i < sv.nrows; i++) {
                const struct screen_row *r = &sv.rows[i];
                struct elig_result er;
                call_explain(req, &c, c.rules, c.nrules, &r->c, r->accompanied, &er);
                json_array_append_new(
                    items,
                    json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:b, s:o}", "cooperative_id",
                              (json_int_t)r->c.id, "register_number", r->c.register_number,
                              "name_ar", r->c.name_ar, "name_fr", r->c.name_fr, "region_code",
                              r->c.region_code, "province_code", r->c.province_code, "eligible",
                              r->failed == 0, "rules", result_json(&er)));
        }
        json_t *out = tally_json(&sv.tally, c.rules, c.nrules);
        json_object_set_new(out, "call_id", json_integer(c.id));
        json_object_set_new(out, "rules_version", json_integer(c.rules_version));
        json_object_set_new(out, "reference_date", json_string(c.reference_date));
        json_object_set_new(out, "matched", json_integer(sv.matched));
        json_object_set_new(out, "page", json_integer(page));
        json_object_set_new(out, "per_page", json_integer(per_page));
        json_object_set_new(out, "items", items);
        reply_json(req, 200, out);
}

void
api_call_eligibility(struct request *req)
{
        struct call c;
        if (call_load_or_reply(req, &c) != 0)
                return;
        struct errs e;
        errs_init(&e, req->arena, req->lang);
        long long coop_id = 0;
        if (v_int(&e, "cooperative", req_query(req, "cooperative"), 1, 1, 1LL << 62, 0, &coop_id) !=
            0) {
                reply_error(req, ERR_BAD_REQUEST, NULL, e.list, e.n);
                return;
        }
        struct coop co;
        int rc = coop_store_get(req->db, &req->user->scope, coop_id, req->arena, &co);
        if (rc != STORE_OK) {
                reply_store_error(req, rc);
                return;
        }
        int acc = call_store_accompanied(req->db, c.program_id, co.id);
        struct elig_result er;
        if (acc < 0 || call_explain(req, &c, c.rules, c.nrules, &co, acc, &er) != 0) {
                reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
                return;
        }
        struct elig_input in;
        eligibility_input_set(&in, &co, acc);
        json_t *snap = eligibility_input_to_json(&in);
        reply_json(req, 200,
                   json_pack("{s:I, s:I, s:I, s:s, s:b, s:o, s:o}", "call_id", (json_int_t)c.id,
                             "cooperative_id", (json_int_t)co.id, "rules_version",
                             (json_int_t)c.rules_version, "reference_date", c.reference_date,
                             "eligible", er.eligible, "rules", result_json(&er), "input",
                             snap ? snap : json_null()));
}
