/* privacy.c: validation of the register, consents and objections; retention arithmetic. */
#include "privacy/privacy.h"

#include <stddef.h>
#include <string.h>

#include "core/arena.h"

const struct code_label processing_bases[] = {
    {"consent", N_("Consent of the data subject")},
    {"contract", N_("Performance of a contract")},
    {"legal_obligation", N_("Legal obligation")},
    {"public_interest", N_("Task carried out in the public interest")},
    {"legitimate_interest", N_("Legitimate interest")},
    {NULL, NULL},
};
const char *const processing_basis_codes[] = {
    "consent", "contract", "legal_obligation", "public_interest", "legitimate_interest", NULL};

const struct code_label processing_starts[] = {
    {"membership_end", N_("from the end of the person's last membership")},
    {"call_closed", N_("from the closing of the call")},
    {"support_end", N_("from the end of the support")},
    {"event", N_("from the event recorded")},
    {NULL, NULL},
};
const char *const processing_start_codes[] = {"membership_end", "call_closed", "support_end",
                                              "event", NULL};

#define TEXT_FIELD(b, l, req, ml)                                                                  \
        {                                                                                          \
#b, l, offsetof(struct processing, b), req, ml                                     \
        }
const struct processing_text_field processing_text_fields[] = {
    TEXT_FIELD(name, N_("Name of the processing"), 1, 0),
    TEXT_FIELD(purpose, N_("Purpose"), 1, 1),
    TEXT_FIELD(legal_basis_note, N_("Legal basis, in detail"), 0, 1),
    TEXT_FIELD(data_categories, N_("Categories of data"), 1, 1),
    TEXT_FIELD(data_subjects, N_("Data subjects"), 1, 1),
    TEXT_FIELD(recipients, N_("Recipients"), 1, 1),
    TEXT_FIELD(transfers, N_("Transfers outside Morocco"), 0, 1),
    TEXT_FIELD(security, N_("Security measures"), 0, 1),
    {NULL, NULL, 0, 0, 0},
};

const char *const processing_fields[] = {"name_ar",
                                         "name_fr",
                                         "purpose_ar",
                                         "purpose_fr",
                                         "legal_basis",
                                         "legal_basis_note_ar",
                                         "legal_basis_note_fr",
                                         "data_categories_ar",
                                         "data_categories_fr",
                                         "data_subjects_ar",
                                         "data_subjects_fr",
                                         "recipients_ar",
                                         "recipients_fr",
                                         "retention_months",
                                         "retention_start",
                                         "transfers_abroad",
                                         "transfers_ar",
                                         "transfers_fr",
                                         "security_ar",
                                         "security_fr",
                                         NULL};

const struct code_label consent_channels[] = {
    {"paper", N_("Paper form")},
    {"oral", N_("Oral")},
    {"digital", N_("Digital")},
    {NULL, NULL},
};
const char *const consent_channel_codes[] = {"paper", "oral", "digital", NULL};
const char *const consent_fields[] = {"given_on", "wording_version", "channel", "withdrawn_on",
                                      NULL};
const char *const objection_fields[] = {"objected_on", "reason", NULL};

const char *
bitext_pick(const struct bitext *t, enum lang lang)
{
        const char *first = lang_data(lang) == LANG_AR ? t->ar : t->fr;
        const char *other = lang_data(lang) == LANG_AR ? t->fr : t->ar;
        return first && first[0] ? first : other ? other : "";
}

const char *
consent_wording_text(const struct consent_wording *w, enum lang lang)
{
        enum lang d = lang_data(lang);
        const char *t = d == LANG_AR ? w->text_ar : d == LANG_EN ? w->text_en : w->text_fr;
        return t && t[0] ? t : w->text_fr;
}

/* The value to keep: the checked one, else what was sent (a form shown again keeps what was
 * typed), else the old one. */
static const char *
keep(const char *checked, const char *sent, const char *old)
{
        return checked ? checked : sent ? sent : old;
}

int
processing_apply(struct processing *p, struct errs *e, field_get_fn get, void *ctx)
{
        size_t before = e->n;
        for (const struct processing_text_field *f = processing_text_fields; f->base; f++) {
                struct bitext *t = (struct bitext *)((char *)p + f->off);
                size_t max =
                    strcmp(f->base, "name") == 0 ? PROCESSING_NAME_MAX : PROCESSING_TEXT_MAX;
                for (int k = 0; k < 2; k++) {
                        const char *name =
                            arena_printf(e->arena, "%s_%s", f->base, k == 0 ? "ar" : "fr");
                        const char **slot = k == 0 ? &t->ar : &t->fr;
                        const char *sent = get(ctx, name);
                        const char *v = sent ? sent : *slot ? *slot : "";
                        const char *ok = v_text(e, name, v, f->required, max, f->multiline);
                        *slot = keep(ok, sent, *slot);
                }
        }
        const char *sent = get(ctx, "legal_basis");
        const char *basis =
            v_enum(e, "legal_basis", sent ? sent : p->legal_basis, 1, processing_basis_codes);
        p->legal_basis = keep(basis, sent, p->legal_basis);
        sent = get(ctx, "retention_start");
        const char *start = v_enum(e, "retention_start", sent ? sent : p->retention_start, 1,
                                   processing_start_codes);
        p->retention_start = keep(start, sent, p->retention_start);
        sent = get(ctx, "retention_months");
        if (sent) {
                long long m = p->retention_months;
                if (v_int(e, "retention_months", sent, 1, 0, PROCESSING_RETENTION_MAX, 0, &m) == 0)
                        p->retention_months = m;
        } else if (p->retention_months < 0 || p->retention_months > PROCESSING_RETENTION_MAX) {
                errs_add(e, "retention_months", "Enter a number between %lld and %lld.", 0LL,
                         (long long)PROCESSING_RETENTION_MAX);
        }
        sent = get(ctx, "transfers_abroad");
        if (sent) {
                int abroad = 0;
                if (v_bool(e, "transfers_abroad", sent, &abroad) == 0)
                        p->transfers_abroad = abroad;
        }
        if (p->transfers_abroad && !errs_for(e, "transfers_ar") && !errs_for(e, "transfers_fr")) {
                if (p->transfers.ar == NULL || p->transfers.ar[0] == '\0')
                        errs_add(e, "transfers_ar",
                                 "Name the countries and the safeguards of the transfers.");
                if (p->transfers.fr == NULL || p->transfers.fr[0] == '\0')
                        errs_add(e, "transfers_fr",
                                 "Name the countries and the safeguards of the transfers.");
        }
        return e->n == before ? 0 : -1;
}

/* A date from PRIVACY_DATE_MIN_YEAR to today on field, required or not; *out set when given.
 * Returns 1 when a valid date was given, 0 when empty (and allowed), -1 after an error. */
static int
past_date(struct errs *e, const char *field, const char *value, int required, struct date today,
          struct date *out)
{
        int set = 0;
        if (v_date(e, field, value, required, out, &set) != 0)
                return -1;
        if (!set)
                return 0;
        if (out->y < PRIVACY_DATE_MIN_YEAR) {
                errs_add(e, field, "Enter a date from %d on.", PRIVACY_DATE_MIN_YEAR);
                return -1;
        }
        if (date_cmp(*out, today) > 0) {
                errs_add(e, field, "This date is in the future.");
                return -1;
        }
        return 1;
}

static const char *
iso(struct arena *a, struct date d)
{
        char *s = arena_alloc(a, 11);
        date_format_iso(d, s);
        return s;
}

int
consent_apply(struct consent *c, struct errs *e, field_get_fn get, void *ctx,
              const long long *versions, size_t n, struct date today)
{
        size_t before = e->n;
        struct date given = {0}, withdrawn = {0};
        int has_given = past_date(e, "given_on", get(ctx, "given_on"), 1, today, &given);
        if (has_given > 0)
                c->given_on = iso(e->arena, given);
        long long v = 0;
        if (v_int(e, "wording_version", get(ctx, "wording_version"), 1, 1, 1LL << 31, 0, &v) == 0) {
                size_t i = 0;
                while (i < n && versions[i] != v)
                        i++;
                if (i == n)
                        errs_add(e, "wording_version", "Choose one of the wordings offered.");
                else
                        c->wording_version = v;
        }
        const char *ch = v_enum(e, "channel", get(ctx, "channel"), 1, consent_channel_codes);
        if (ch)
                c->channel = ch;
        int has_w = past_date(e, "withdrawn_on", get(ctx, "withdrawn_on"), 0, today, &withdrawn);
        c->withdrawn_on = "";
        if (has_w > 0) {
                if (has_given > 0 && date_cmp(withdrawn, given) < 0)
                        errs_add(e, "withdrawn_on",
                                 "A consent is withdrawn on or after the day it was given.");
                else
                        c->withdrawn_on = iso(e->arena, withdrawn);
        }
        return e->n == before ? 0 : -1;
}

int
consent_check_withdrawal(const struct consent *c, struct errs *e, const char *value,
                         struct date today, const char **out)
{
        size_t before = e->n;
        struct date w, given;
        if (c->withdrawn_on && c->withdrawn_on[0]) {
                errs_add(e, "withdrawn_on", "This consent is withdrawn already.");
                return -1;
        }
        if (past_date(e, "withdrawn_on", value, 1, today, &w) <= 0)
                return -1;
        if (date_parse(c->given_on, &given) == 0 && date_cmp(w, given) < 0)
                errs_add(e, "withdrawn_on",
                         "A consent is withdrawn on or after the day it was given.");
        if (e->n != before)
                return -1;
        *out = iso(e->arena, w);
        return 0;
}

int
objection_apply(struct objection *o, struct errs *e, field_get_fn get, void *ctx, struct date today)
{
        size_t before = e->n;
        struct date d;
        if (past_date(e, "objected_on", get(ctx, "objected_on"), 1, today, &d) > 0)
                o->objected_on = iso(e->arena, d);
        const char *r = v_text(e, "reason", get(ctx, "reason"), 1, OBJECTION_REASON_MAX, 1);
        if (r)
                o->reason = r;
        return e->n == before ? 0 : -1;
}

/* ---- retention ---- */

static int
days_in_month(int y, int m)
{
        static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        return m == 2 && leap ? 29 : days[m - 1];
}

struct date
privacy_add_months(struct date d, int n)
{
        long total = (long)d.y * 12 + (d.m - 1) + n;
        struct date r;
        r.y = (int)(total / 12);
        r.m = (int)(total % 12) + 1;
        int last = days_in_month(r.y, r.m);
        r.d = d.d > last ? last : d.d;
        return r;
}

int
privacy_due(struct date start, int months, struct date as_of)
{
        return date_cmp(as_of, privacy_add_months(start, months)) > 0;
}

int
privacy_person_start(const char *created_at, const char *last_ended, struct date *out)
{
        if (last_ended && last_ended[0] && date_parse(last_ended, out) == 0)
                return 0;
        char day[11];
        if (created_at == NULL || strlen(created_at) < 10)
                return -1;
        memcpy(day, created_at, 10);
        day[10] = '\0';
        return date_parse(day, out);
}
