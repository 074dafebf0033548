/* validate.h: field validation that collects every error, translated, with its field name.
 * The same checks serve HTML forms, the JSON API and CSV import. */
#ifndef MURAFIQ_VALIDATE_H
#define MURAFIQ_VALIDATE_H

#include <stddef.h>

#include "dates.h"
#include "http.h"

struct arena;

struct errs {
        struct arena *arena;
        enum lang lang;
        struct field_error list[MAX_FIELD_ERRORS];
        size_t n;
};

/* Reads a field by name; NULL when the field was not sent. */
typedef const char *(*field_get_fn)(void *ctx, const char *name);

void errs_init(struct errs *e, struct arena *a, enum lang lang);
/* Adds an error for field: msgid is translated to e->lang, then formatted with the arguments. */
void errs_add(struct errs *e, const char *field, const char *msgid, ...);
/* Adds an error whose message is already translated (one relayed from another check). */
void errs_add_text(struct errs *e, const char *field, const char *msg);
/* The message for field, or NULL (also when e is NULL: a form shown without errors). */
const char *errs_for(const struct errs *e, const char *field);

/*
 * Text: trimmed; must be valid UTF-8 (no control characters but tab and new lines when multiline),
 * at most maxchars characters, non-empty when required. Returns the trimmed text (in the arena,
 * "" when absent and optional), or NULL after adding an error.
 */
const char *v_text(struct errs *e, const char *field, const char *value, int required,
                   size_t maxchars, int multiline);
/* Whole number in [min, max]; sets *out. Empty and not required: *out = dflt. 0, or -1 + error. */
int v_int(struct errs *e, const char *field, const char *value, int required, long long min,
          long long max, long long dflt, long long *out);
/* Date YYYY-MM-DD, a real calendar date. Empty and not required: *set = 0. 0, or -1 + error. */
int v_date(struct errs *e, const char *field, const char *value, int required, struct date *out,
           int *set);
/* One of the NULL-terminated allowed codes. Returns the matching static code, or NULL + error. */
const char *v_enum(struct errs *e, const char *field, const char *value, int required,
                   const char *const *allowed);
/* Boolean: "1", "true", "on", "yes" / "0", "false", "off", "no", "" (absent). */
int v_bool(struct errs *e, const char *field, const char *value, int *out);
/* Optional e-mail address, loosely checked (one @, a dot in the domain, no spaces). */
const char *v_email(struct errs *e, const char *field, const char *value);
/* Optional phone number: digits, spaces, +, -, dots, parentheses; 6 to 20 digits. */
const char *v_phone(struct errs *e, const char *field, const char *value);

#endif
