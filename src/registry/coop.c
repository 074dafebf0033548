/* coop.c: cooperative validation and computed ages. */
#include "coop.h"

#include <stdio.h>
#include <string.h>

#include "core/arena.h"

#include "core/i18n.h"
#include "registry/geo.h"

const struct code_label coop_sectors[] = {
    {"agriculture", N_("Agriculture")},
    {"handicraft", N_("Handicraft")},
    {"housing", N_("Housing")},
    {"argan", N_("Argan")},
    {"fishing", N_("Fishing")},
    {"forestry", N_("Forestry")},
    {"food_products", N_("Food products")},
    {"trade_services", N_("Trade and services")},
    {"transport", N_("Transport")},
    {"other", N_("Other")},
    {NULL, NULL},
};

const char *const coop_sector_codes[] = {
    "agriculture",   "handicraft",     "housing",   "argan", "fishing", "forestry",
    "food_products", "trade_services", "transport", "other", NULL};

const struct code_label coop_statuses[] = {
    {"active", N_("Active")},
    {"dormant", N_("Dormant")},
    {"dissolved", N_("Dissolved")},
    {NULL, NULL},
};

const char *const coop_status_codes[] = {"active", "dormant", "dissolved", NULL};

const char *const coop_fields[] = {"register_number",
                                   "name_ar",
                                   "name_fr",
                                   "legal_date",
                                   "activity_start_date",
                                   "sector",
                                   "activity",
                                   "region_code",
                                   "province_code",
                                   "commune_code",
                                   "address",
                                   "phone",
                                   "email",
                                   "members_total",
                                   "members_women",
                                   "members_youth",
                                   "is_soulalyate",
                                   "is_women_only",
                                   "status",
                                   "notes",
                                   NULL};

static int
register_number_ok(const char *s)
{
        for (; *s; s++) {
                char ch = *s;
                if (!((ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'Z') ||
                      (ch >= 'a' && ch <= 'z') || ch == '/' || ch == '-' || ch == '.' || ch == ' '))
                        return 0;
        }
        return 1;
}

/* Text fields: name, required, max characters, multiline; the setter picks the member. */
static const char **
text_member(struct coop *c, const char *name)
{
        if (strcmp(name, "register_number") == 0)
                return &c->register_number;
        if (strcmp(name, "name_ar") == 0)
                return &c->name_ar;
        if (strcmp(name, "name_fr") == 0)
                return &c->name_fr;
        if (strcmp(name, "activity") == 0)
                return &c->activity;
        if (strcmp(name, "address") == 0)
                return &c->address;
        if (strcmp(name, "notes") == 0)
                return &c->notes;
        return NULL;
}

static const struct {
        const char *name;
        int required;
        size_t max;
        int multiline;
} text_fields[] = {
    {"register_number", 1, 32, 0}, {"name_ar", 1, 200, 0}, {"name_fr", 1, 200, 0},
    {"activity", 0, 200, 0},       {"address", 0, 300, 0}, {"notes", 0, 4000, 1},
};

static const char *
or_empty(const char *s)
{
        return s ? s : "";
}

int
coop_apply(struct coop *c, struct errs *e, field_get_fn get, void *ctx, const struct geo *g,
           struct date today)
{
        const char *v;
        size_t before = e->n;

        for (size_t i = 0; i < sizeof(text_fields) / sizeof(text_fields[0]); i++) {
                const char **m = text_member(c, text_fields[i].name);
                v = get(ctx, text_fields[i].name);
                const char *t = v_text(e, text_fields[i].name, v ? v : *m, text_fields[i].required,
                                       text_fields[i].max, text_fields[i].multiline);
                if (t)
                        *m = t;
        }
        if (!errs_for(e, "register_number") && !register_number_ok(c->register_number))
                errs_add(
                    e, "register_number",
                    "Use only letters, digits, spaces and the signs / - . in the register number.");

        struct date legal = {0, 0, 0}, start = {0, 0, 0};
        int legal_set = 0, start_set = 0;
        v = get(ctx, "legal_date");
        if (v_date(e, "legal_date", v ? v : c->legal_date, 1, &legal, &legal_set) == 0 &&
            legal_set) {
                char iso[11];
                date_format_iso(legal, iso);
                c->legal_date = arena_strdup(e->arena, iso);
                if (date_cmp(legal, today) > 0)
                        errs_add(e, "legal_date",
                                 "The legal creation date cannot be in the future.");
        }
        v = get(ctx, "activity_start_date");
        if (v_date(e, "activity_start_date", v ? v : c->activity_start_date, 0, &start,
                   &start_set) == 0) {
                char iso[11] = "";
                if (start_set)
                        date_format_iso(start, iso);
                c->activity_start_date = arena_strdup(e->arena, iso);
                if (start_set && date_cmp(start, today) > 0)
                        errs_add(e, "activity_start_date",
                                 "The activity start date cannot be in the future.");
                else if (start_set && legal_set && date_cmp(start, legal) < 0)
                        errs_add(e, "activity_start_date",
                                 "Activity cannot start before the legal creation date.");
        }

        v = get(ctx, "sector");
        const char *code = v_enum(e, "sector", v ? v : c->sector, 1, coop_sector_codes);
        if (code)
                c->sector = code;
        v = get(ctx, "status");
        code =
            v_enum(e, "status", v ? v : (c->status ? c->status : "active"), 1, coop_status_codes);
        if (code)
                c->status = code;

        /* Geography: each level must exist and sit inside the one above. */
        v = get(ctx, "region_code");
        if (v)
                c->region_code = v;
        v = get(ctx, "province_code");
        if (v)
                c->province_code = v;
        v = get(ctx, "commune_code");
        if (v)
                c->commune_code = v;
        const struct geo_region *r = NULL;
        const struct geo_province *p = NULL;
        if (or_empty(c->region_code)[0] == '\0')
                errs_add(e, "region_code", "Choose a region.");
        else if ((r = geo_region(g, c->region_code)) == NULL)
                errs_add(e, "region_code", "This region code does not exist.");
        if (or_empty(c->province_code)[0] == '\0')
                errs_add(e, "province_code", "Choose a province or prefecture.");
        else if ((p = geo_province(g, c->province_code)) == NULL)
                errs_add(e, "province_code", "This province code does not exist.");
        else if (r && strcmp(p->region_code, r->code) != 0)
                errs_add(e, "province_code", "This province is not in the chosen region.");
        if (or_empty(c->commune_code)[0] != '\0') {
                const struct geo_commune *cm = geo_commune(g, c->commune_code);
                if (cm == NULL)
                        errs_add(e, "commune_code", "This commune code does not exist.");
                else if (p && strcmp(cm->province_code, p->code) != 0)
                        errs_add(e, "commune_code", "This commune is not in the chosen province.");
        } else {
                c->commune_code = "";
        }
        if (r)
                c->region_code = r->code;
        if (p)
                c->province_code = p->code;

        const char *t = v_phone(e, "phone", (v = get(ctx, "phone")) ? v : c->phone);
        if (t)
                c->phone = t;
        t = v_email(e, "email", (v = get(ctx, "email")) ? v : c->email);
        if (t)
                c->email = t;

        char num[32];
        static const char *const count_fields[] = {"members_total", "members_women",
                                                   "members_youth"};
        long long *counts[] = {&c->members_total, &c->members_women, &c->members_youth};
        int counts_ok = 1;
        for (int i = 0; i < 3; i++) {
                v = get(ctx, count_fields[i]);
                if (v == NULL) {
                        snprintf(num, sizeof(num), "%lld", *counts[i]);
                        v = num;
                }
                if (v_int(e, count_fields[i], v, i == 0, 0, 1000000, 0, counts[i]) != 0)
                        counts_ok = 0;
        }
        int flag_ok = 1;
        v = get(ctx, "is_soulalyate");
        if (v && v_bool(e, "is_soulalyate", v, &c->is_soulalyate) != 0)
                flag_ok = 0;
        v = get(ctx, "is_women_only");
        if (v && v_bool(e, "is_women_only", v, &c->is_women_only) != 0)
                flag_ok = 0;
        if (counts_ok) {
                if (c->members_women > c->members_total)
                        errs_add(e, "members_women", "There cannot be more women than members.");
                if (c->members_youth > c->members_total)
                        errs_add(e, "members_youth",
                                 "There cannot be more young members than members.");
                if (flag_ok && c->is_women_only && c->members_women != c->members_total)
                        errs_add(e, "members_women",
                                 "A women-only cooperative has only women members: women must "
                                 "equal the total.");
                if (c->status && strcmp(c->status, "active") == 0 && c->members_total < 5)
                        errs_add(e, "members_total",
                                 "An active cooperative has at least 5 members (law 112-12).");
        }
        return e->n == before ? 0 : -1;
}

struct age
coop_legal_age(const struct coop *c, struct date on)
{
        struct date d;
        struct age zero = {0, 0, 0};
        if (c->legal_date == NULL || date_parse(c->legal_date, &d) != 0 || date_cmp(d, on) > 0)
                return zero;
        return date_age(d, on);
}

struct age
coop_activity_age(const struct coop *c, struct date on)
{
        struct date d;
        struct age zero = {0, 0, 0};
        if (c->activity_start_date == NULL || date_parse(c->activity_start_date, &d) != 0 ||
            date_cmp(d, on) > 0)
                return zero;
        return date_age(d, on);
}
