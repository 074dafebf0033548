/* application.h: a cooperative's application to a call, its fields and their rules, and the
 * machine of its statuses: which change is allowed from which status, and who may make it
 * (pure: no I/O). */
#ifndef MURAFIQ_APPLICATION_H
#define MURAFIQ_APPLICATION_H

#include <stddef.h>

#include "core/http.h"
#include "core/validate.h"
#include "registry/coop.h"
#include "selection/call.h"

struct arena;

/* The statuses, in the order an application goes through them. */
enum app_status {
        APP_DRAFT,
        APP_SUBMITTED,
        APP_ELIGIBLE,
        APP_INELIGIBLE,
        APP_SCORED,
        APP_SELECTED,
        APP_WAITLISTED,
        APP_REJECTED,
        APP_WITHDRAWN,
        APP_STATUS_COUNT
};

/* Status codes with their English labels (msgids), in enum order. */
extern const struct code_label application_statuses[]; /* ends with {NULL, NULL} */
extern const char *const application_status_codes[];   /* NULL-terminated, for v_enum */

/* "draft", ... ; NULL for an out-of-range value. */
const char *application_status_code(enum app_status s);
/* The status of a code, or -1 when unknown. */
int application_status_from_code(const char *code);
/* The English label (msgid) of a status code, the code itself when unknown. */
const char *application_status_label(const char *code);
/* The badge colour class of a status (the stylesheet's existing badge-* classes). */
const char *application_status_badge(const char *code);

/* The changes of an application. Those made by the system are made by other modules: the
 * evaluation module scores, the selection run selects, waitlists and rejects. */
enum app_action {
        APP_ACT_SUBMIT,     /* draft -> submitted */
        APP_ACT_EVALUATE,   /* submitted -> eligible | ineligible, right after submitting */
        APP_ACT_REEVALUATE, /* eligible | ineligible -> eligible | ineligible */
        APP_ACT_WITHDRAW,   /* any status but withdrawn -> withdrawn */
        APP_ACT_SCORE,      /* eligible -> scored, once every evaluator has submitted */
        APP_ACT_UNSCORE,    /* scored -> eligible, when an evaluation is reopened */
        /* The selection run, from scored, or again from its own outcome when it runs again: */
        APP_ACT_SELECT,   /* scored | waitlisted | rejected -> selected */
        APP_ACT_WAITLIST, /* scored | selected | rejected -> waitlisted */
        APP_ACT_REJECT,   /* scored | selected | waitlisted -> rejected */
        /* Not status changes, judged by the same rules of who may: */
        APP_ACT_CREATE, /* a new draft */
        APP_ACT_EDIT,   /* the project of a draft */
        APP_ACT_COUNT
};

/* Who makes a change: a person in one of the roles, or the program itself. */
#define APP_BY_ADMIN   (1u << ROLE_ADMIN)
#define APP_BY_MANAGER (1u << ROLE_PROGRAM_MANAGER)
#define APP_BY_OFFICER (1u << ROLE_REGIONAL_OFFICER)
#define APP_BY_COACH   (1u << ROLE_COACH)
#define APP_BY_VIEWER  (1u << ROLE_VIEWER)
#define APP_BY_SYSTEM  (1u << ROLE_COUNT)
/* The actor bit of a person of role r. */
unsigned application_actor(enum role r);

/* One allowed change. */
struct app_transition {
        enum app_action action;
        enum app_status from, to;
        unsigned by;      /* APP_BY_* bits of who may make it */
        int needs_reason; /* a reason must be given (it is recorded in the history) */
};

/* The whole machine (n entries): every allowed change. */
extern const struct app_transition application_transitions[];
extern const size_t application_ntransitions;

/* Why a change is refused. */
enum app_refusal {
        APP_OK = 0,
        APP_REFUSED_ROLE,   /* the actor may not make this change at all (403) */
        APP_REFUSED_SYSTEM, /* only the program makes it (evaluation, selection run) (403) */
        APP_REFUSED_STATUS, /* not from this status (409) */
        APP_REFUSED_REASON, /* a reason is required (422) */
        APP_REFUSED_PHASE,  /* outside the call's dates, for an officer (409) */
};

/* The entry for action from -> to, or NULL when the machine has none. */
const struct app_transition *application_transition(enum app_action action, enum app_status from,
                                                    enum app_status to);

/*
 * Whether actor (APP_BY_* bits, usually application_actor(role)) may make action from status
 * `from` to status `to`, with reason (NULL or blank = none). The role is judged before the
 * status, so that an officer asking to re-evaluate learns that the change is not theirs.
 */
enum app_refusal application_check(unsigned actor, enum app_action action, enum app_status from,
                                   enum app_status to, const char *reason);

/* The same for an action whose target the caller does not choose (submit, withdraw): allowed
 * when some target is. */
enum app_refusal application_check_any(unsigned actor, enum app_action action, enum app_status from,
                                       const char *reason);

/* Whether actor may create an application to a call in phase: officers only while the call is
 * open; admins and managers in any phase, to record late or paper applications. */
enum app_refusal application_may_create(unsigned actor, enum call_phase phase);

/* Whether actor may edit the project of an application in status `from`: a draft, edited by
 * those who may submit it. */
enum app_refusal application_may_edit(unsigned actor, enum app_status from);

/* One sentence, in lang, saying why action is refused (static). */
const char *application_refusal_text(enum lang lang, enum app_refusal why, enum app_action action);
/* The HTTP error of a refusal. */
enum app_error application_refusal_error(enum app_refusal why);

/* ---- the record ---- */

#define APP_SUMMARY_MAX 4000
#define APP_SUPPORT_MAX 2000
#define APP_REASON_MAX  2000

struct application {
        long long id;
        long long call_id, cooperative_id;
        const char *region_code;
        const char *status; /* an application_status_codes value */
        const char *project_summary, *requested_support;
        const char *submitted_at; /* "" until submitted */
        long long rules_version;  /* 0 until evaluated */
        const char *eligibility;  /* JSON text, "" until evaluated */
        const char *eligibility_input;
        const char *evaluated_at;
        long long total; /* hundredths; -1 until scored */
        long long created_by;
        long long version;
        const char *created_at, *updated_at;

        /* Read with the application (not written by application_apply). */
        const char *created_by_login;
        const char *coop_register_number, *coop_name_ar, *coop_name_fr;
        const char *call_code, *call_title_ar, *call_title_fr, *call_title_en;
        long long program_id;
};

/* One status change of an application's history. */
struct application_event {
        long long id;
        const char *from_status; /* "" for the creation */
        const char *to_status;
        const char *reason;
        long long user_id; /* 0 when the system made it */
        const char *user_login;
        const char *at;
};

/* The fields a person writes, in form and API order (NULL-terminated). */
extern const char *const application_fields[];

/*
 * Applies project_summary and requested_support from get() (NULL = not sent: keep a's value)
 * and checks them: the summary at most APP_SUMMARY_MAX characters, the requested support at
 * most APP_SUPPORT_MAX, both valid UTF-8 and possibly on several lines, trimmed. Returns 0, or
 * -1 with every problem in e (a field that fails keeps what was sent, for the form shown
 * again). Strings land in e->arena.
 */
int application_apply(struct application *a, struct errs *e, field_get_fn get, void *ctx);

/* What submitting needs beyond application_apply: a project summary. 0, or -1 + error. */
int application_check_submittable(const struct application *a, struct errs *e);

/* The message, in lang and in a, refusing a second application of a cooperative to a call: it
 * names the existing application. */
const char *application_duplicate_text(enum lang lang, struct arena *a, long long existing_id);

/* Checks a reason for a change (at most APP_REASON_MAX characters, several lines allowed;
 * required when needs_reason). Returns the trimmed reason in e->arena, or NULL + error under
 * "reason". */
const char *application_reason(struct errs *e, const char *value, int needs_reason);

/* ---- eligibility, evaluated and kept ---- */

/* An evaluation as it is stored: what the status machine and the audit need. */
struct app_evaluation {
        int eligible;
        long long rules_version;
        const char *result; /* eligibility_result_to_json, as text */
        const char *input;  /* eligibility_input_to_json plus "reference_date", as text */
};

/*
 * Evaluates the call's current rules for cooperative co (already_accompanied by the call's
 * program or not) on the call's reference date. Fills *out with text in a. Returns 0, or -1
 * when the reference date is unreadable or out of memory.
 */
int application_evaluate(const struct call *c, const struct coop *co, int already_accompanied,
                         struct arena *a, struct app_evaluation *out);

/*
 * Reads back the inputs an evaluation stored (input_json) into *co (strings in a) and
 * *accompanied, and its reference date into *reference ("YYYY-MM-DD" in a), so that the same
 * evaluation can be replayed and explained in any language. Returns 0, or -1 when malformed.
 */
int application_input_read(const char *input_json, struct arena *a, struct coop *co,
                           int *accompanied, const char **reference);

#endif
