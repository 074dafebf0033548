/* fuzz_json.c: JSON bodies as the API reads them: parsed as dispatch parses them (jansson), then
 * each module's field check and apply function through json_field_get (web/api.c): cooperative,
 * person, organisation, call, application. The first byte chooses the module. */
#include <jansson.h>

#include "core/validate.h"
#include "registry/coop.h"
#include "registry/org.h"
#include "registry/person.h"
#include "selection/application.h"
#include "selection/call.h"
#include "web/api.h"

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
        if (size < 1)
                return 0;
        int module = data[0] % 5;
        json_error_t jerr;
        json_t *j = json_loadb((const char *)data + 1, size - 1, 0, &jerr);
        if (j == NULL)
                return 0;
        struct arena *a = arena_new();
        struct errs e;
        errs_init(&e, a, (enum lang)(data[0] / 5 % 3));
        if (json_is_object(j)) {
                struct json_fields jf = {j, &e, a};
                static const char *const extra[] = {"version", "id", NULL};
                switch (module) {
                case 0: {
                        struct coop c = {0};
                        json_check_fields(j, coop_fields, extra, &e);
                        coop_apply(&c, &e, json_field_get, &jf, geo, fuzz_today());
                        break;
                }
                case 1: {
                        struct person p = {0};
                        json_check_fields(j, person_fields, extra, &e);
                        person_apply(&p, &e, json_field_get, &jf, geo, fuzz_today(), 1);
                        break;
                }
                case 2: {
                        struct org o = {0};
                        json_check_fields(j, org_fields, extra, &e);
                        org_apply(&o, &e, json_field_get, &jf, geo);
                        break;
                }
                case 3: {
                        struct call c = {0};
                        json_check_fields(j, call_fields, extra, &e);
                        call_apply(&c, &e, json_field_get, &jf);
                        break;
                }
                default: {
                        struct application ap = {0};
                        json_check_fields(j, application_fields, extra, &e);
                        application_apply(&ap, &e, json_field_get, &jf);
                        break;
                }
                }
                /* Every refusal names a field and says why, in the request's language. */
                for (size_t i = 0; i < e.n; i++)
                        FUZZ_ASSERT(e.list[i].field != NULL && e.list[i].msg != NULL &&
                                    e.list[i].msg[0] != '\0');
        }
        json_decref(j);
        arena_free(a);
        return 0;
}
