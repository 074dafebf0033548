/* fuzz_run.c: a selection run's recorded input as JSON (selection/run.c), read back and replayed
 * (selection/selection.c) as the run page does to check a record; a replay is deterministic. */
#include <jansson.h>

#include "selection/run.h"
#include "selection/selection.h"

#include "fuzz.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
        (void)argc, (void)argv;
        return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        json_t *j = json_loadb((const char *)data, size, 0, NULL);
        if (j == NULL)
                return 0;
        struct arena *a = arena_new();
        struct run_input r;
        if (run_input_from_json(j, a, &r) == 0 && r.in.n <= 2000) {
                /* A withdrawal of the first candidate, as the promotions replay it. */
                long long withdrawn[1] = {r.in.n ? r.in.candidates[0].id : 1};
                struct sel_result x, y;
                struct sel_problem p;
                int rx = run_replay(&r, withdrawn, r.in.n ? 1 : 0, a, &x, &p);
                int ry = run_replay(&r, withdrawn, r.in.n ? 1 : 0, a, &y, &p);
                FUZZ_ASSERT(rx == ry);
                if (rx == SEL_OK) {
                        json_t *jx = run_result_to_json(&x), *jy = run_result_to_json(&y);
                        FUZZ_ASSERT(jx && jy && json_equal(jx, jy));
                        json_decref(jx);
                        json_decref(jy);
                }
                json_t *back = run_input_to_json(&r);
                FUZZ_ASSERT(back != NULL);
                json_decref(back);
        }
        json_decref(j);
        arena_free(a);
        return 0;
}
