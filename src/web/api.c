/* api.c: JSON body helpers shared by the API endpoints. */
#include "web/api.h"

#include <string.h>

#include "core/arena.h"
#include "core/validate.h"

const char *
json_field_get(void *ctx, const char *name)
{
        struct json_fields *jf = ctx;
        json_t *v = json_object_get(jf->obj, name);
        if (v == NULL)
                return NULL;
        switch (json_typeof(v)) {
        case JSON_STRING:
                /* A string with an embedded NUL cannot be stored faithfully: refuse it. */
                if (strlen(json_string_value(v)) != json_string_length(v)) {
                        errs_add(jf->e, name, "This text is not valid UTF-8.");
                        return NULL;
                }
                return json_string_value(v);
        case JSON_INTEGER:
                return arena_printf(jf->a, "%lld", (long long)json_integer_value(v));
        case JSON_TRUE:
                return "1";
        case JSON_FALSE:
                return "0";
        case JSON_NULL:
                return "";
        default:
                errs_add(jf->e, name, "This field has the wrong type.");
                return NULL;
        }
}

static int
listed(const char *const *names, const char *key)
{
        for (size_t i = 0; names && names[i]; i++)
                if (strcmp(names[i], key) == 0)
                        return 1;
        return 0;
}

int
json_check_fields(json_t *obj, const char *const *fields, const char *const *extra, struct errs *e)
{
        const char *key;
        json_t *v;
        size_t before = e->n;
        json_object_foreach(obj, key, v)
        {
                if (!listed(fields, key) && !listed(extra, key))
                        errs_add(e, arena_strdup(e->arena, key), "Unknown field.");
        }
        return e->n == before ? 0 : -1;
}

json_t *
json_str_or_null(const char *s)
{
        return s && s[0] ? json_string(s) : json_null();
}
