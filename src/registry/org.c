/* org.c: organisation validation. */
#include "registry/org.h"

#include <string.h>
#include <strings.h>

#include "core/arena.h"
#include "core/text.h"

#include "core/i18n.h"
#include "registry/geo.h"

const struct code_label org_kinds[] = {
    {"partner", N_("Partner")},
    {"funder", N_("Funder")},
    {"public_body", N_("Public body")},
    {"association", N_("Association")},
    {"university", N_("University or school")},
    {"other", N_("Other")},
    {NULL, NULL},
};

const char *const org_kind_codes[] = {"partner",    "funder", "public_body", "association",
                                      "university", "other",  NULL};

const char *const org_fields[] = {"name_ar", "name_fr", "acronym", "kind",  "region_code",
                                  "phone",   "email",   "website", "notes", NULL};

int
org_website_ok(const char *s)
{
        const char *host;
        if (strncasecmp(s, "https://", 8) == 0)
                host = s + 8;
        else if (strncasecmp(s, "http://", 7) == 0)
                host = s + 7;
        else
                return 0;
        /* The host: letters, digits, dots, hyphens, a port, or non-ASCII (IDN) bytes. */
        const char *p = host;
        for (; *p && *p != '/' && *p != '?' && *p != '#'; p++) {
                unsigned char c = (unsigned char)*p;
                if (!(c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                      (c >= '0' && c <= '9') || c == '.' || c == '-' || c == ':'))
                        return 0;
        }
        if (p == host || host[0] == '.' || host[0] == ':' || host[0] == '-')
                return 0;
        for (; *p; p++)
                if ((unsigned char)*p <= ' ' || *p == 0x7f || *p == '"' || *p == '<' || *p == '>' ||
                    *p == '\\')
                        return 0;
        return 1;
}

/* The value to keep in the record: the checked one, else what was sent (so that a form shown
 * again with its errors keeps what the person typed), else the old one. */
static const char *
keep(const char *checked, const char *sent, const char *old)
{
        return checked ? checked : sent ? sent : old;
}

static const char **
text_member(struct org *o, const char *name)
{
        if (strcmp(name, "name_ar") == 0)
                return &o->name_ar;
        if (strcmp(name, "name_fr") == 0)
                return &o->name_fr;
        if (strcmp(name, "acronym") == 0)
                return &o->acronym;
        return &o->notes;
}

static const struct {
        const char *name;
        int required;
        size_t max;
        int multiline;
} text_fields[] = {
    {"name_ar", 1, 200, 0},
    {"name_fr", 1, 200, 0},
    {"acronym", 0, 30, 0},
    {"notes", 0, 4000, 1},
};

int
org_apply(struct org *o, struct errs *e, field_get_fn get, void *ctx, const struct geo *g)
{
        const char *v, *t;
        size_t before = e->n;

        for (size_t i = 0; i < sizeof(text_fields) / sizeof(text_fields[0]); i++) {
                const char **m = text_member(o, text_fields[i].name);
                v = get(ctx, text_fields[i].name);
                t = v_text(e, text_fields[i].name, v ? v : *m, text_fields[i].required,
                           text_fields[i].max, text_fields[i].multiline);
                *m = keep(t, v, *m);
        }

        v = get(ctx, "kind");
        t = v_enum(e, "kind", v ? v : o->kind, 1, org_kind_codes);
        o->kind = keep(t, v, o->kind);

        v = get(ctx, "region_code");
        if (v)
                o->region_code = v;
        if (o->region_code == NULL || o->region_code[0] == '\0') {
                o->region_code = "";
        } else {
                const struct geo_region *r = geo_region(g, o->region_code);
                if (r == NULL)
                        errs_add(e, "region_code", "This region code does not exist.");
                else
                        o->region_code = r->code;
        }

        t = v_phone(e, "phone", (v = get(ctx, "phone")) ? v : o->phone);
        o->phone = keep(t, v, o->phone);
        t = v_email(e, "email", (v = get(ctx, "email")) ? v : o->email);
        o->email = keep(t, v, o->email);
        v = get(ctx, "website");
        t = v_text(e, "website", v ? v : o->website, 0, 200, 0);
        if (t && t[0] && !org_website_ok(t)) {
                errs_add(e, "website",
                         "Enter a web address starting with https:// or http://, "
                         "like https://www.example.ma.");
                t = NULL;
        }
        o->website = keep(t, v, o->website);
        return e->n == before ? 0 : -1;
}

char *
org_fold(struct arena *a, const char *name_ar, const char *name_fr, const char *acronym)
{
        char *joined = arena_printf(a, "%s %s %s", name_ar ? name_ar : "", name_fr ? name_fr : "",
                                    acronym ? acronym : "");
        char *f = text_fold(a, joined);
        return f ? f : arena_strdup(a, "");
}
