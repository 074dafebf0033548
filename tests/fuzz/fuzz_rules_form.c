/* fuzz_rules_form.c: the rules editor's form (selection/call_form.c) as a browser could send
 * it, once libmicrohttpd has decoded it: the input is lines "name=value" (an unknown name is
 * kept, as the server keeps every field). Values that are not UTF-8 are dropped, as dispatch
 * refuses them. Whatever is accepted must be rules the JSON reader accepts too. */
#include <jansson.h>

#include "core/http.h"
#include "core/text.h"
#include "core/validate.h"
#include "selection/call_form.h"

#include "fuzz.h"

static struct db *db;
static const struct geo *geo;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
        (void)argc, (void)argv;
        fuzz_init_process();
        db = fuzz_db();
        geo = geo_cache_load(db);
        if (geo == NULL)
                abort();
        return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct arena *a = arena_new();
        char *s = fuzz_cstr(a, data, size);
        struct param form[256];
        size_t n = 0;
        for (char *line = s, *next; line && n < 256; line = next) {
                next = strchr(line, '\n');
                if (next)
                        *next++ = '\0';
                char *eq = strchr(line, '=');
                if (eq == NULL)
                        continue;
                *eq = '\0';
                if (!text_valid_utf8(line, strlen(line)) ||
                    !text_valid_utf8(eq + 1, strlen(eq + 1)))
                        continue;
                form[n].key = line;
                form[n++].value = eq + 1;
        }
        struct errs e;
        errs_init(&e, a, LANG_FR);
        struct elig_rule *rules = NULL;
        size_t nr = 0;
        if (call_rules_from_form(form, n, geo, &e, &rules, &nr) == 0) {
                FUZZ_ASSERT(e.n == 0 && nr <= ELIG_MAX_RULES);
                json_t *j = eligibility_rules_to_json(rules, nr);
                struct elig_rule *back = NULL;
                size_t nb = 0;
                struct errs e2;
                errs_init(&e2, a, LANG_FR);
                FUZZ_ASSERT(j && eligibility_rules_from_json(j, a, &back, &nb, &e2) == 0 &&
                            nb == nr);
                json_decref(j);
        } else {
                FUZZ_ASSERT(e.n > 0); /* a refused form says which field */
                for (size_t i = 0; i < e.n; i++)
                        FUZZ_ASSERT(e.list[i].field && e.list[i].msg && e.list[i].msg[0]);
        }
        arena_free(a);
        return 0;
}
