/* validate.c: field checks shared by forms, API and import. */
#include "validate.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "i18n.h"
#include "text.h"

void
errs_init(struct errs *e, struct arena *a, enum lang lang)
{
        memset(e, 0, sizeof(*e));
        e->arena = a;
        e->lang = lang;
}

void
errs_add(struct errs *e, const char *field, const char *msgid, ...)
{
        if (e->n >= MAX_FIELD_ERRORS || errs_for(e, field))
                return; /* one message per field: the first is the most useful */
        va_list ap;
        va_start(ap, msgid);
        /* msgid is a literal from our sources; its translation keeps the same directives, which
         * i18n-check verifies with msgfmt --check. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
        char *msg = arena_vprintf(e->arena, i18n_gettext(e->lang, msgid), ap);
#pragma GCC diagnostic pop
        va_end(ap);
        e->list[e->n].field = field;
        e->list[e->n].msg = msg;
        e->n++;
}

void
errs_add_text(struct errs *e, const char *field, const char *msg)
{
        if (e->n >= MAX_FIELD_ERRORS || errs_for(e, field))
                return;
        e->list[e->n].field = field;
        e->list[e->n].msg = msg;
        e->n++;
}

const char *
errs_for(const struct errs *e, const char *field)
{
        if (e == NULL)
                return NULL;
        for (size_t i = 0; i < e->n; i++)
                if (strcmp(e->list[i].field, field) == 0)
                        return e->list[i].msg;
        return NULL;
}

const char *
v_text(struct errs *e, const char *field, const char *value, int required, size_t maxchars,
       int multiline)
{
        if (value == NULL)
                value = "";
        size_t len = strlen(value);
        if (!text_valid_utf8(value, len)) {
                errs_add(e, field, "This text is not valid UTF-8.");
                return NULL;
        }
        if (!multiline && (strchr(value, '\n') || strchr(value, '\r') || strchr(value, '\t'))) {
                errs_add(e, field, "Write this on one line.");
                return NULL;
        }
        char *t = text_trim(e->arena, value);
        if (required && t[0] == '\0') {
                errs_add(e, field, "Enter a value.");
                return NULL;
        }
        size_t n = text_length(t);
        if (n > maxchars) {
                errs_add(e, field, "Write at most %d characters (you wrote %d).", (int)maxchars,
                         n > 99999999 ? 99999999 : (int)n);
                return NULL;
        }
        return t;
}

int
v_int(struct errs *e, const char *field, const char *value, int required, long long min,
      long long max, long long dflt, long long *out)
{
        if (value == NULL || value[0] == '\0') {
                if (required) {
                        errs_add(e, field, "Enter a number.");
                        return -1;
                }
                *out = dflt;
                return 0;
        }
        const char *p = value;
        while (*p == ' ')
                p++;
        if (*p == '-' && min >= 0) {
                errs_add(e, field, "Enter a number that is zero or more.");
                return -1;
        }
        const char *digits = *p == '-' || *p == '+' ? p + 1 : p;
        if (!isdigit((unsigned char)*digits)) {
                errs_add(e, field, "Enter a whole number, in digits.");
                return -1;
        }
        char *end;
        errno = 0;
        long long v = strtoll(p, &end, 10);
        while (*end == ' ')
                end++;
        if (*end != '\0') {
                errs_add(e, field, "Enter a whole number, in digits.");
                return -1;
        }
        if (errno == ERANGE || v < min || v > max) {
                errs_add(e, field, "Enter a number between %lld and %lld.", min, max);
                return -1;
        }
        *out = v;
        return 0;
}

int
v_date(struct errs *e, const char *field, const char *value, int required, struct date *out,
       int *set)
{
        *set = 0;
        if (value == NULL || value[0] == '\0') {
                if (required) {
                        errs_add(e, field, "Enter a date.");
                        return -1;
                }
                return 0;
        }
        if (date_parse(value, out) != 0) {
                errs_add(e, field, "Enter a real date as YYYY-MM-DD, for example 2023-07-14.");
                return -1;
        }
        *set = 1;
        return 0;
}

const char *
v_enum(struct errs *e, const char *field, const char *value, int required,
       const char *const *allowed)
{
        if (value == NULL || value[0] == '\0') {
                if (required)
                        errs_add(e, field, "Choose a value.");
                return required ? NULL : "";
        }
        for (size_t i = 0; allowed[i]; i++)
                if (strcmp(value, allowed[i]) == 0)
                        return allowed[i];
        errs_add(e, field, "Choose one of the values offered.");
        return NULL;
}

int
v_bool(struct errs *e, const char *field, const char *value, int *out)
{
        static const char *const yes[] = {"1", "true", "on", "yes", NULL};
        static const char *const no[] = {"", "0", "false", "off", "no", NULL};
        if (value == NULL)
                value = "";
        for (size_t i = 0; yes[i]; i++)
                if (strcmp(value, yes[i]) == 0)
                        return *out = 1, 0;
        for (size_t i = 0; no[i]; i++)
                if (strcmp(value, no[i]) == 0)
                        return *out = 0, 0;
        errs_add(e, field, "Answer yes or no.");
        return -1;
}

const char *
v_email(struct errs *e, const char *field, const char *value)
{
        const char *t = v_text(e, field, value, 0, 254, 0);
        if (t == NULL || t[0] == '\0')
                return t;
        const char *at = strchr(t, '@');
        if (at == NULL || at == t || strchr(at + 1, '@') || strchr(t, ' ') ||
            strchr(at + 1, '.') == NULL || at[1] == '.' || t[strlen(t) - 1] == '.') {
                errs_add(e, field, "Enter an e-mail address like name@example.ma.");
                return NULL;
        }
        return t;
}

const char *
v_phone(struct errs *e, const char *field, const char *value)
{
        const char *t = v_text(e, field, value, 0, 32, 0);
        if (t == NULL || t[0] == '\0')
                return t;
        int digits = 0;
        for (const char *p = t; *p; p++) {
                if (isdigit((unsigned char)*p))
                        digits++;
                else if (!strchr(" +-.()", *p)) {
                        errs_add(e, field, "Enter a phone number in digits, like 06 12 34 56 78.");
                        return NULL;
                }
        }
        if (digits < 6 || digits > 20) {
                errs_add(e, field, "Enter a phone number in digits, like 06 12 34 56 78.");
                return NULL;
        }
        return t;
}
