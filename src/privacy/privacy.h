/* privacy.h: law 09-08 records and their rules (pure: no I/O): the register of processing
 * activities, consents, the objection flag, and the retention arithmetic of the purge. */
#ifndef MURAFIQ_PRIVACY_H
#define MURAFIQ_PRIVACY_H

#include <stddef.h>

#include "core/dates.h"
#include "core/i18n.h"
#include "core/validate.h"

#define PROCESSING_TEXT_MAX      4000 /* characters of a text field of the register */
#define PROCESSING_NAME_MAX      200
#define PROCESSING_RETENTION_MAX 1200 /* months (100 years) */
#define OBJECTION_REASON_MAX     1000
#define PRIVACY_DATE_MIN_YEAR    1990 /* no consent or objection is older than murafiq's data */

/* A text of the register in the data's two languages. */
struct bitext {
        const char *ar, *fr;
};

/* One entry of the register of processing activities (a "traitement" of the CNDP form). */
struct processing {
        long long id;
        const char *code; /* registry, applications, evaluations, coaching, accounts, signin */
        long long position;
        struct bitext name, purpose;
        const char *legal_basis; /* a processing_basis_codes value */
        struct bitext legal_basis_note, data_categories, data_subjects, recipients;
        long long retention_months;
        const char *retention_start; /* a processing_start_codes value */
        int transfers_abroad;        /* 0: none outside Morocco */
        struct bitext transfers, security;
        long long version;
        const char *updated_at;
};

/* The text fields of the register, each with an _ar and an _fr column/field: the field names
 * are "<base>_ar" and "<base>_fr". */
struct processing_text_field {
        const char *base;  /* "purpose" */
        const char *label; /* English msgid: "Purpose" */
        size_t off;        /* offsetof(struct processing, purpose) */
        int required;      /* both languages required */
        int multiline;
};
extern const struct processing_text_field processing_text_fields[]; /* ends with base NULL */

extern const struct code_label processing_bases[]; /* legal bases with their msgids */
extern const char *const processing_basis_codes[];
extern const struct code_label processing_starts[]; /* what starts a retention period */
extern const char *const processing_start_codes[];

/* Every field name of the register (form and API order, NULL-terminated). */
extern const char *const processing_fields[];

/* The text of t that a reader of lang sees: Arabic for Arabic pages, else French; the other
 * language when that one is empty. */
const char *bitext_pick(const struct bitext *t, enum lang lang);

/*
 * Applies the fields that get() returns (NULL = not sent: keep the value) onto p, then checks
 * the whole entry: names required in both languages (at most 200 characters), the purpose,
 * data categories, data subjects and recipients required in both languages, every text at most
 * 4,000 characters; legal basis and retention start from their code lists; retention a whole
 * number of months from 0 to 1,200; transfers_abroad a boolean, and when set the transfers
 * text is required (which countries, which safeguards). Returns 0, or -1 with every problem in
 * e (translated, per field). Strings land in e->arena.
 */
int processing_apply(struct processing *p, struct errs *e, field_get_fn get, void *ctx);

/* A consent wording (a version of the text a person agrees to). */
struct consent_wording {
        long long id, version;
        const char *text_ar, *text_fr, *text_en;
};
/* The text of w for lang (its data language; French when that text is empty). */
const char *consent_wording_text(const struct consent_wording *w, enum lang lang);

/* A consent of a person. */
struct consent {
        long long id, person_id;
        long long wording_version;
        const char *given_on;     /* YYYY-MM-DD */
        const char *channel;      /* paper, oral, digital */
        long long collected_by;   /* the user who recorded it */
        const char *collector;    /* that user's login (read only) */
        const char *withdrawn_on; /* "" while in force */
        long long version;
        const char *created_at, *updated_at;
};
extern const struct code_label consent_channels[];
extern const char *const consent_channel_codes[];
extern const char *const consent_fields[]; /* given_on, wording_version, channel, withdrawn_on */

/*
 * Checks a new consent from get(): given_on a real date from 1990 to today; wording_version
 * one of the n versions in `versions`; channel paper, oral or digital; withdrawn_on empty or a
 * date from given_on to today. Fills c (strings in e->arena). Returns 0 or -1 with errors.
 */
int consent_apply(struct consent *c, struct errs *e, field_get_fn get, void *ctx,
                  const long long *versions, size_t n, struct date today);

/* Checks a withdrawal date of consent c (in force): a real date from c->given_on to today.
 * Returns 0 with *out set to the date, or -1 with an error on field "withdrawn_on". */
int consent_check_withdrawal(const struct consent *c, struct errs *e, const char *value,
                             struct date today, const char **out);

/* The objection of a person (opposition, art. 9). */
struct objection {
        const char *objected_on; /* YYYY-MM-DD; NULL or "" when the person has not objected */
        const char *reason;
        long long recorded_by;
        const char *recorder; /* login (read only) */
        const char *recorded_at;
};
extern const char *const objection_fields[]; /* objected_on, reason */
/* Checks an objection from get(): objected_on a real date from 1990 to today, reason required
 * (at most 1,000 characters, several lines allowed). Returns 0 or -1 with errors. */
int objection_apply(struct objection *o, struct errs *e, field_get_fn get, void *ctx,
                    struct date today);

/* ---- retention ---- */

/* d plus n months (n may be negative); the day is clamped to the end of a shorter month
 * (31 January + 1 month = 28 or 29 February). */
struct date privacy_add_months(struct date d, int n);

/*
 * A record whose retention started on `start` and lasts `months` is due for the purge on
 * `as_of` when as_of is later than start + months: kept through the whole last day of its
 * period, removed from the next day on. months = 0: due from the day after start.
 */
int privacy_due(struct date start, int months, struct date as_of);

/* The retention start of a person without a current membership: the latest end of a
 * membership (ended_on, "" when none ended), else the day the record was created
 * (created_at, "YYYY-MM-DDTHH:MM:SSZ"). Returns 0, or -1 when neither parses. */
int privacy_person_start(const char *created_at, const char *last_ended, struct date *out);

/* What a purge removes, per category. */
struct purge_counts {
        long long people;         /* people without a current membership, past retention */
        long long consents;       /* consents withdrawn more than the retention ago */
        long long sessions;       /* sessions expired at the purge's date */
        long long login_failures; /* failed logins older than the sign-in retention */
        /* The retention periods applied (months), from the register. */
        long long people_months, consent_months, login_failure_months;
};

/* `murafiq retention purge` (privacy_cli.c): the command line's entry. */
int cmd_retention(int argc, char **argv);

#endif
