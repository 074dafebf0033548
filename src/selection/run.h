/* run.h: the record of a selection run as JSON: what it read (so that anyone can replay it)
 * and what it decided, and the replay itself with the withdrawals since (pure: no I/O). */
#ifndef MURAFIQ_RUN_H
#define MURAFIQ_RUN_H

#include <jansson.h>
#include <stddef.h>

#include "selection/selection.h"

struct arena;

/* A run's inputs: selection_run's input and the drawn orders of its tied groups. */
struct run_input {
        struct sel_input in;
        struct sel_tie_order *orders;
        size_t norders;
};

/*
 * {"min_score", "national_pool", "seats": {"03": 40}, "candidates": [{"id", "region", "total",
 * "gender_mean", "members_women", "members_total", "submitted_at", "eligible",
 * "fully_scored"}], "tie_orders": [[12, 7, 30]]}. New reference; NULL when out of memory.
 */
json_t *run_input_to_json(const struct run_input *r);

/* Reads what run_input_to_json wrote into *r (strings and arrays in a). Returns 0, or -1 when
 * the JSON does not have that shape (selection_run then checks the values). */
int run_input_from_json(json_t *j, struct arena *a, struct run_input *r);

/* {"national_seats", "national_filled", "regions": [{"region", "seats", "filled",
 * "waitlisted"}], "outcomes": [{"id", "region", "status", "reason", "rank", "total", "by",
 * "waitlist", "region_waitlist"}]}. New reference; NULL when out of memory. */
json_t *run_result_to_json(const struct sel_result *r);

/*
 * Replays a run: selection_run on the recorded inputs, then selection_promote for each id of
 * withdrawn[0..nwithdrawn), in the order they withdrew. Fills *out (in a). Returns SEL_OK, or
 * what selection_run returned, or SEL_INVALID when a withdrawn id is not in the run.
 */
int run_replay(const struct run_input *r, const long long *withdrawn, size_t nwithdrawn,
               struct arena *a, struct sel_result *out, struct sel_problem *p);

#endif
