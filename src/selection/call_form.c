/* call_form.c: the rules editor's form read into eligibility rules: pure (the form's fields in,
 * rules or errors under the editor's field names out), so Save, Preview and the fuzzer share it. */
#include "call_form.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/arena.h"
#include "core/http.h"
#include "core/validate.h"
#include "selection/call.h"

/* The last value of key, as req_form reads a form (a ticked box follows its hidden "0"). */
static const char *
form_get(const struct param *form, size_t nform, const char *key)
{
        for (size_t i = nform; i-- > 0;)
                if (strcmp(form[i].key, key) == 0)
                        return form[i].value;
        return NULL;
}

/* Maps an error field of eligibility_rules_from_json ("rules[2].months", "rules[0].codes[3]")
 * to the editor's field ("min_activity.months", "regions.codes"), given the kind of each rule. */
static const char *
editor_field(struct arena *a, const char *field, const enum elig_kind *kinds, size_t n)
{
        if (strncmp(field, "rules[", 6) != 0)
                return "rules";
        char *end;
        unsigned long i = strtoul(field + 6, &end, 10);
        if (*end != ']' || i >= n)
                return "rules";
        const char *code = eligibility_kind_code(kinds[i]);
        const char *rest = end + 1;
        if (*rest != '.')
                return arena_printf(a, "%s.on", code);
        rest++;
        size_t len = strcspn(rest, "[");
        if (strncmp(rest, "kind", len) == 0 && len == 4)
                return arena_printf(a, "%s.on", code);
        if (kinds[i] == ELIG_WOMEN && len == 10 && strncmp(rest, "women_only", 10) == 0)
                return "women.min_share";
        return arena_printf(a, "%s.%.*s", code, (int)len, rest);
}

int
call_rules_from_form(const struct param *form, size_t nform, const struct geo *g, struct errs *e,
                     struct elig_rule **rules, size_t *n)
{
        struct arena *a = e->arena;
        json_t *arr = json_array();
        enum elig_kind kinds[ELIG_KIND_COUNT];
        size_t nk = 0;
        size_t before = e->n;
        for (int k = 0; k < ELIG_KIND_COUNT; k++) {
                const char *code = eligibility_kind_code((enum elig_kind)k);
                const char *on = form_get(form, nform, arena_printf(a, "%s.on", code));
                if (on == NULL || strcmp(on, "1") != 0)
                        continue;
                json_t *o = json_pack("{s:s}", "kind", code);
                if (eligibility_kind_is_duration((enum elig_kind)k)) {
                        const char *names[] = {"years", "months"};
                        for (int f = 0; f < 2; f++) {
                                const char *field = arena_printf(a, "%s.%s", code, names[f]);
                                long long v = 0;
                                if (v_int(e, field, form_get(form, nform, field), 0, 0, 1000, 0,
                                          &v) == 0)
                                        json_object_set_new(o, names[f], json_integer(v));
                        }
                } else if (eligibility_kind_is_list((enum elig_kind)k)) {
                        const char *field = arena_printf(a, "%s.codes", code);
                        json_t *codes = json_array();
                        for (size_t i = 0; i < nform; i++)
                                if (strcmp(form[i].key, field) == 0)
                                        json_array_append_new(codes, json_string(form[i].value));
                        json_object_set_new(o, "codes", codes);
                } else if (k == ELIG_WOMEN) {
                        const char *mode = form_get(form, nform, "women.mode");
                        if (mode && strcmp(mode, "only") == 0) {
                                json_object_set_new(o, "women_only", json_true());
                        } else {
                                long long v = 0;
                                if (v_int(e, "women.min_share",
                                          form_get(form, nform, "women.min_share"), 1, 0, 1000, 0,
                                          &v) == 0)
                                        json_object_set_new(o, "min_share", json_integer(v));
                        }
                } else if (k == ELIG_MEMBERS) {
                        const char *names[] = {"min", "max"};
                        for (int f = 0; f < 2; f++) {
                                const char *field = arena_printf(a, "members.%s", names[f]);
                                const char *v = form_get(form, nform, field);
                                long long x = 0;
                                if (v && v[0] && v_int(e, field, v, 0, 0, 100000000, 0, &x) == 0)
                                        json_object_set_new(o, names[f], json_integer(x));
                        }
                }
                json_array_append_new(arr, o);
                kinds[nk++] = (enum elig_kind)k;
        }
        if (e->n != before) {
                json_decref(arr);
                return -1;
        }
        struct errs je;
        errs_init(&je, a, e->lang);
        int rc = eligibility_rules_from_json(arr, a, rules, n, &je);
        if (rc == 0)
                rc = call_rules_check(*rules, *n, g, &je);
        json_decref(arr);
        for (size_t i = 0; i < je.n; i++)
                errs_add_text(e, editor_field(a, je.list[i].field, kinds, nk), je.list[i].msg);
        return rc == 0 && je.n == 0 ? 0 : -1;
}
