/* selection_api.c: the JSON API of selection runs: a call's current run, running it, and any
 * run's recorded inputs and result with a replay check. */
#include <string.h>

#include <jansson.h>

#include "core/arena.h"
#include "core/i18n.h"
#include "selection/call_store.h"
#include "selection/call_web.h"
#include "selection/selection_store.h"
#include "selection/selection_web.h"
#include "web/api.h"
#include "web/layout.h"
#include "web/pages.h"

static json_t *
rows_json(const struct sel_row *rows, size_t n)
{
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++) {
                const struct sel_row *r = &rows[i];
                json_array_append_new(
                    arr,
                    json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:I,"
                              " s:s}",
                              "application_id", (json_int_t)r->application_id, "cooperative_id",
                              (json_int_t)r->cooperative_id, "register_number", r->register_number,
                              "name_ar", r->name_ar, "name_fr", r->name_fr, "region_code",
                              r->region, "status", r->status, "reason", r->reason, "rank",
                              (json_int_t)r->rank, "total", (json_int_t)r->total, "waitlist",
                              (json_int_t)r->waitlist, "region_waitlist",
                              (json_int_t)r->region_waitlist, "separated_by", r->by));
        }
        return arr;
}

static json_t *
run_json(struct request *req, const struct stored_run *run)
{
        struct sel_row *rows;
        size_t n = 0;
        if (selection_store_outcomes(req->db, req->arena, &req->user->scope, run->id, "", &rows,
                                     &n) != STORE_OK)
                return NULL;
        json_t *res = json_loads(run->result, 0, NULL);
        json_t *o = json_pack(
            "{s:I, s:I, s:I, s:I, s:s, s:o, s:O, s:O, s:O, s:o}", "id", (json_int_t)run->id,
            "call_id", (json_int_t)run->call_id, "number", (json_int_t)run->number, "rules_version",
            (json_int_t)run->rules_version, "run_at", run->run_at, "run_by",
            json_string(run->run_by), "regions", json_object_get(res, "regions"), "national_seats",
            json_object_get(res, "national_seats"), "national_filled",
            json_object_get(res, "national_filled"), "outcomes", rows_json(rows, n));
        json_decref(res);
        return o;
}

void
api_call_selection(struct request *req)
{
        struct call c;
        if (call_load_or_reply(req, &c) != 0)
                return;
        struct stored_run run;
        int rc = selection_store_current(req->db, req->arena, c.id, &run);
        if (rc != STORE_OK) {
                reply_error(req, rc == STORE_NOT_FOUND ? ERR_NOT_FOUND : ERR_INTERNAL,
                            rc == STORE_NOT_FOUND
                                ? _(req->lang, "The selection of this call has not run yet.")
                                : NULL,
                            NULL, 0);
                return;
        }
        json_t *o = run_json(req, &run);
        if (o == NULL) {
                reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
                return;
        }
        reply_json(req, 200, o);
}

void
api_call_selection_run(struct request *req)
{
        enum lang L = req->lang;
        struct call c;
        if (call_load_or_reply(req, &c) != 0)
                return;
        int confirm = 0;
        if (req->json && !json_is_object(req->json)) {
                reply_error(req, ERR_BAD_REQUEST, _(L, "Send a JSON object."), NULL, 0);
                return;
        }
        if (req->json) {
                static const char *const fields[] = {"confirm_unscored", NULL};
                struct errs e;
                errs_init(&e, req->arena, L);
                json_t *v = json_object_get(req->json, "confirm_unscored");
                json_check_fields(req->json, fields, NULL, &e);
                if (v && !json_is_boolean(v))
                        errs_add(&e, "confirm_unscored", "Must be true or false.");
                if (e.n) {
                        reply_error(req, ERR_VALIDATION, NULL, e.list, e.n);
                        return;
                }
                confirm = json_is_true(v);
        }
        struct selection_attempt att;
        if (selection_try_run(req, &c, confirm, &att) != 0) {
                reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
                return;
        }
        switch (att.outcome) {
        case SELECTION_DONE: {
                struct stored_run run;
                json_t *o = selection_store_run(req->db, req->arena, att.run_id, &run) == STORE_OK
                                ? run_json(req, &run)
                                : NULL;
                if (o == NULL) {
                        reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
                        return;
                }
                reply_json(req, 201, o);
                req->location = arena_printf(req->arena, "/api/v1/selection-runs/%lld", att.run_id);
                return;
        }
        case SELECTION_UNSCORED: {
                struct field_error f = {
                    "confirm_unscored",
                    arena_printf(req->arena,
                                 _(L, "%s eligible applications are not fully scored; send "
                                      "\"confirm_unscored\": true to run without them."),
                                 i18n_int(req->arena, L, att.counts.unscored))};
                reply_error(req, ERR_VALIDATION, NULL, &f, 1);
                return;
        }
        case SELECTION_NEEDS_DRAW: {
                json_t *draws = json_array();
                for (size_t i = 0; i < att.npending; i++)
                        json_array_append_new(draws, json_integer(att.pending[i]));
                json_t *err = json_pack(
                    "{s:{s:s, s:s, s:o}}", "error", "code", "needs_draw", "message",
                    _(L, "Some applications are tied on every rule: each draw listed must be "
                         "published and drawn before the selection can run."),
                    "draws", draws);
                reply_json(req, 409, err);
                return;
        }
        case SELECTION_INVALID:
                reply_error(req, ERR_CONFLICT,
                            arena_printf(req->arena,
                                         _(L, "The selection cannot run: %s (item %s)."),
                                         selection_error_code(att.problem.code),
                                         i18n_int(req->arena, L, (long long)att.problem.index)),
                            NULL, 0);
                return;
        }
}

void
api_selection_run_get(struct request *req)
{
        struct stored_run run;
        int rc = selection_store_run(req->db, req->arena, req->id, &run);
        if (rc != STORE_OK) {
                reply_store_error(req, rc);
                return;
        }
        int same = 0;
        if (selection_replay_check(req, &run, &same) != 0) {
                reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
                return;
        }
        json_t *o = run_json(req, &run);
        if (o == NULL) {
                reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
                return;
        }
        json_object_set_new(o, "input", json_loads(run.input, 0, NULL));
        json_object_set_new(o, "result", json_loads(run.result, 0, NULL));
        json_object_set_new(o, "replay_identical", json_boolean(same));
        reply_json(req, 200, o);
}
