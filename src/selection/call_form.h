/* call_form.h: the rules editor's form (src/selection/call_pages.c) read into eligibility rules,
 * apart from the request so that it is pure and fuzzed (tests/fuzz/fuzz_rules_form.c). */
#ifndef MURAFIQ_CALL_FORM_H
#define MURAFIQ_CALL_FORM_H

#include <stddef.h>

#include "selection/eligibility.h"

struct errs;
struct geo;
struct param;

/*
 * Reads the rules of the editor form form[0..nform) (later values of a name win, as req_form):
 * each kind ticked ("<kind>.on" = "1") with its parameters ("<kind>.years", ".months",
 * ".codes" (repeated), "women.mode" and "women.min_share", "members.min", "members.max"),
 * checked against the geography g. Problems go to e under the editor's field names, in e's
 * language; everything lands in e->arena. Returns 0 with *rules and *n set, or -1.
 */
int call_rules_from_form(const struct param *form, size_t nform, const struct geo *g,
                         struct errs *e, struct elig_rule **rules, size_t *n);

#endif
