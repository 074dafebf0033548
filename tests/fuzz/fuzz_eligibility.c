/* fuzz_eligibility.c: a call's eligibility rules as JSON (selection/eligibility.c): read and
 * validated, then evaluated on a cooperative both ways (explained, and the allocation-free
 * screening), which must agree; the rules written back must read back the same. */
#include <jansson.h>

#include "core/validate.h"
#include "registry/coop.h"
#include "selection/eligibility.h"

#include "fuzz.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
        (void)argc, (void)argv;
        fuzz_init_process();
        return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        json_t *j = json_loadb((const char *)data, size, 0, NULL);
        if (j == NULL)
                return 0;
        struct arena *a = arena_new();
        struct errs e;
        errs_init(&e, a, LANG_AR);
        struct elig_rule *rules = NULL;
        size_t n = 0;
        if (eligibility_rules_from_json(j, a, &rules, &n, &e) == 0) {
                FUZZ_ASSERT(n <= ELIG_MAX_RULES);
                struct coop c = {0};
                c.register_number = "2023/15-03";
                c.name_ar = "تعاونية الأمل";
                c.name_fr = "Coopérative Al Amal";
                c.legal_date = "2023-07-14";
                c.activity_start_date = "2023-09-01";
                c.sector = "handicraft";
                c.region_code = "03";
                c.province_code = "03.231";
                c.members_total = 12;
                c.members_women = 9;
                c.status = "active";
                struct elig_input in;
                eligibility_input_set(&in, &c, 0);
                struct elig_result res;
                eligibility_evaluate(rules, n, &in, fuzz_today(), LANG_FR, a, &res);
                FUZZ_ASSERT(res.n == n);
                FUZZ_ASSERT(res.failed == eligibility_screen_one(rules, n, &in, fuzz_today()));
                FUZZ_ASSERT(res.eligible == (res.failed == 0));
                /* What is stored is what was read. */
                json_t *out = eligibility_rules_to_json(rules, n);
                FUZZ_ASSERT(out != NULL);
                struct elig_rule *back = NULL;
                size_t nb = 0;
                struct errs e2;
                errs_init(&e2, a, LANG_AR);
                FUZZ_ASSERT(eligibility_rules_from_json(out, a, &back, &nb, &e2) == 0 && nb == n);
                json_t *again = eligibility_rules_to_json(back, nb);
                FUZZ_ASSERT(json_equal(out, again));
                json_decref(again);
                json_decref(out);
        } else {
                FUZZ_ASSERT(e.n > 0); /* a refusal always says why */
        }
        json_decref(j);
        arena_free(a);
        return 0;
}
