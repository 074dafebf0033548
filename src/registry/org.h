/* org.h: the organisation record (partners, funders, public bodies...) and its rules (pure). */
#ifndef MURAFIQ_ORG_H
#define MURAFIQ_ORG_H

#include "core/validate.h"
#include "registry/coop.h"

struct geo;

struct org {
        long long id;
        const char *name_ar, *name_fr;
        const char *acronym;     /* "" when none */
        const char *kind;        /* an org_kind_codes value */
        const char *region_code; /* "" for a national organisation */
        const char *phone, *email, *website, *notes;
        long long version;
        const char *created_at, *updated_at;
};

/* Kinds with their English labels (msgids). */
extern const struct code_label org_kinds[]; /* ends with {NULL, NULL} */
extern const char *const org_kind_codes[];  /* NULL-terminated, for v_enum */

/* Field names, in form and API order (NULL-terminated). */
extern const char *const org_fields[];

/*
 * Applies the fields that get() returns (NULL = not sent: keep o's value) onto o, then checks
 * the whole record against geography g: names required (at most 200 characters), acronym at
 * most 30, kind one of org_kind_codes, region optional but existing, phone, e-mail, website
 * an http or https address of at most 200 characters, notes at most 4000 (several lines).
 * Returns 0 when valid, else -1 with every problem in e; a field that fails keeps the value
 * sent (for showing the form again), so o must not be saved then. Strings land in e->arena.
 */
int org_apply(struct org *o, struct errs *e, field_get_fn get, void *ctx, const struct geo *g);

/* 1 when s is an absolute http:// or https:// address with a host and no white space or
 * control characters; 0 otherwise. */
int org_website_ok(const char *s);

/* The search form of an organisation: its names and acronym, folded (text_fold), in a. */
char *org_fold(struct arena *a, const char *name_ar, const char *name_fr, const char *acronym);

#endif
