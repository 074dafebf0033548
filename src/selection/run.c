/* run.c: a selection run's inputs and results as JSON, and its replay. Pure. */
#include "selection/run.h"

#include <string.h>

#include "core/arena.h"

json_t *
run_input_to_json(const struct run_input *r)
{
        const struct sel_input *in = &r->in;
        json_t *seats = json_object(), *cands = json_array(), *orders = json_array();
        int bad = seats == NULL || cands == NULL || orders == NULL;
        for (size_t i = 0; !bad && i < in->nseats; i++)
                bad |= json_object_set_new(seats, in->seats[i].region,
                                           json_integer(in->seats[i].seats));
        for (size_t i = 0; !bad && i < in->n; i++) {
                const struct sel_candidate *c = &in->candidates[i];
                bad |= json_array_append_new(
                    cands,
                    json_pack("{s:I, s:s, s:I, s:I, s:I, s:I, s:s, s:b, s:b}", "id",
                              (json_int_t)c->id, "region", c->region, "total", (json_int_t)c->total,
                              "gender_mean", (json_int_t)c->gender_mean, "members_women",
                              (json_int_t)c->members_women, "members_total",
                              (json_int_t)c->members_total, "submitted_at",
                              c->submitted_at ? c->submitted_at : "", "eligible", c->eligible,
                              "fully_scored", c->fully_scored));
        }
        for (size_t i = 0; !bad && i < r->norders; i++) {
                json_t *o = json_array();
                for (size_t k = 0; o && k < r->orders[i].n; k++)
                        json_array_append_new(o, json_integer(r->orders[i].ids[k]));
                bad |= json_array_append_new(orders, o);
        }
        if (bad) {
                json_decref(seats);
                json_decref(cands);
                json_decref(orders);
                return NULL;
        }
        return json_pack("{s:I, s:b, s:o, s:o, s:o}", "min_score", (json_int_t)in->min_score,
                         "national_pool", in->national_pool, "seats", seats, "candidates", cands,
                         "tie_orders", orders);
}

static int
get_int(json_t *o, const char *k, long long *out)
{
        json_t *v = json_object_get(o, k);
        if (!json_is_integer(v))
                return -1;
        *out = json_integer_value(v);
        return 0;
}

static const char *
get_str(json_t *o, const char *k, struct arena *a)
{
        json_t *v = json_object_get(o, k);
        return json_is_string(v) ? arena_strdup(a, json_string_value(v)) : NULL;
}

int
run_input_from_json(json_t *j, struct arena *a, struct run_input *r)
{
        memset(r, 0, sizeof(*r));
        json_t *seats = json_object_get(j, "seats"), *cands = json_object_get(j, "candidates");
        json_t *orders = json_object_get(j, "tie_orders"),
               *pool = json_object_get(j, "national_pool");
        if (!json_is_object(j) || !json_is_object(seats) || !json_is_array(cands) ||
            !json_is_array(orders) || !json_is_boolean(pool) ||
            get_int(j, "min_score", &r->in.min_score) != 0)
                return -1;
        r->in.national_pool = json_is_true(pool);
        size_t ns = json_object_size(seats), nc = json_array_size(cands);
        struct sel_seats *s = arena_alloc(a, (ns ? ns : 1) * sizeof(*s));
        const char *key;
        json_t *v;
        size_t i = 0;
        json_object_foreach(seats, key, v)
        {
                if (!json_is_integer(v))
                        return -1;
                s[i].region = arena_strdup(a, key);
                s[i++].seats = json_integer_value(v);
        }
        r->in.seats = s;
        r->in.nseats = ns;
        struct sel_candidate *c = arena_alloc(a, (nc ? nc : 1) * sizeof(*c));
        json_array_foreach(cands, i, v)
        {
                json_t *el = json_object_get(v, "eligible"),
                       *fs = json_object_get(v, "fully_scored");
                c[i].region = get_str(v, "region", a);
                c[i].submitted_at = get_str(v, "submitted_at", a);
                if (!json_is_object(v) || c[i].region == NULL || c[i].submitted_at == NULL ||
                    !json_is_boolean(el) || !json_is_boolean(fs) || get_int(v, "id", &c[i].id) ||
                    get_int(v, "total", &c[i].total) ||
                    get_int(v, "gender_mean", &c[i].gender_mean) ||
                    get_int(v, "members_women", &c[i].members_women) ||
                    get_int(v, "members_total", &c[i].members_total))
                        return -1;
                c[i].eligible = json_is_true(el);
                c[i].fully_scored = json_is_true(fs);
        }
        r->in.candidates = c;
        r->in.n = nc;
        size_t no = json_array_size(orders);
        r->orders = arena_alloc(a, (no ? no : 1) * sizeof(*r->orders));
        json_array_foreach(orders, i, v)
        {
                if (!json_is_array(v))
                        return -1;
                size_t n = json_array_size(v), k;
                long long *ids = arena_alloc(a, (n ? n : 1) * sizeof(*ids));
                json_t *id;
                json_array_foreach(v, k, id)
                {
                        if (!json_is_integer(id))
                                return -1;
                        ids[k] = json_integer_value(id);
                }
                r->orders[i].ids = ids;
                r->orders[i].n = n;
        }
        r->norders = no;
        return 0;
}

json_t *
run_result_to_json(const struct sel_result *r)
{
        json_t *regions = json_array(), *outs = json_array();
        int bad = regions == NULL || outs == NULL;
        for (size_t i = 0; !bad && i < r->nregions; i++) {
                const struct sel_region *g = &r->regions[i];
                bad |= json_array_append_new(
                    regions, json_pack("{s:s, s:I, s:I, s:I}", "region", g->region, "seats",
                                       (json_int_t)g->seats, "filled", (json_int_t)g->filled,
                                       "waitlisted", (json_int_t)g->waitlisted));
        }
        for (size_t i = 0; !bad && i < r->n; i++) {
                const struct sel_outcome *o = &r->outcomes[i];
                bad |= json_array_append_new(
                    outs, json_pack("{s:I, s:s, s:s, s:s, s:I, s:I, s:s, s:I, s:I}", "id",
                                    (json_int_t)o->id, "region", o->region, "status",
                                    selection_status_code(o->status), "reason",
                                    selection_reason_code(o->reason), "rank", (json_int_t)o->rank,
                                    "total", (json_int_t)o->total, "by", selection_by_code(o->by),
                                    "waitlist", (json_int_t)o->waitlist, "region_waitlist",
                                    (json_int_t)o->region_waitlist));
        }
        if (bad) {
                json_decref(regions);
                json_decref(outs);
                return NULL;
        }
        return json_pack("{s:I, s:I, s:o, s:o}", "national_seats", (json_int_t)r->national_seats,
                         "national_filled", (json_int_t)r->national_filled, "regions", regions,
                         "outcomes", outs);
}

int
run_replay(const struct run_input *r, const long long *withdrawn, size_t nwithdrawn,
           struct arena *a, struct sel_result *out, struct sel_problem *p)
{
        int rc = selection_run(&r->in, r->orders, r->norders, a, out, p);
        if (rc != SEL_OK)
                return rc;
        for (size_t i = 0; i < nwithdrawn; i++)
                if (selection_promote(out, withdrawn[i], NULL) < 0)
                        return SEL_INVALID;
        return SEL_OK;
}
