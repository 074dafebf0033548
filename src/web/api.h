/* api.h: what every JSON endpoint shares: reading fields of a body, refusing unknown ones. */
#ifndef MURAFIQ_API_H
#define MURAFIQ_API_H

#include <jansson.h>

struct arena;
struct errs;

/* The context of json_field_get: the body object, where type errors go, and an arena. */
struct json_fields {
        json_t *obj;
        struct errs *e;
        struct arena *a;
};

/* A field_get_fn over a JSON object: strings as they are, integers in decimal, booleans as
 * "1"/"0", null as "" (clear the field); NULL when absent. Other types, and strings with an
 * embedded NUL, add an error for the field and give NULL. */
const char *json_field_get(void *ctx, const char *name);

/* Adds an "Unknown field." error for every key of obj that is neither in fields nor in extra
 * (both NULL-terminated), so that a typo is never silently ignored. Returns 0 or -1. */
int json_check_fields(json_t *obj, const char *const *fields, const char *const *extra,
                      struct errs *e);

/* A JSON string, or null for NULL and "". */
json_t *json_str_or_null(const char *s);

#endif
