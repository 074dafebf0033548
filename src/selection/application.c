/* application.c: the application record, its checks and the machine of its statuses. */
#include "selection/application.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/arena.h"
#include "core/i18n.h"
#include "selection/eligibility.h"

const struct code_label application_statuses[] = {
    {"draft", N_("Draft")},           {"submitted", N_("Submitted")},
    {"eligible", N_("Eligible")},     {"ineligible", N_("Not eligible")},
    {"scored", N_("Scored")},         {"selected", N_("Selected")},
    {"waitlisted", N_("Waitlisted")}, {"rejected", N_("Rejected")},
    {"withdrawn", N_("Withdrawn")},   {NULL, NULL},
};

const char *const application_status_codes[] = {
    "draft",    "submitted",  "eligible", "ineligible", "scored",
    "selected", "waitlisted", "rejected", "withdrawn",  NULL,
};

const char *
application_status_code(enum app_status s)
{
        return (unsigned)s < APP_STATUS_COUNT ? application_status_codes[s] : NULL;
}

int
application_status_from_code(const char *code)
{
        for (int i = 0; code && i < APP_STATUS_COUNT; i++)
                if (strcmp(code, application_status_codes[i]) == 0)
                        return i;
        return -1;
}

const char *
application_status_label(const char *code)
{
        return code_label(application_statuses, code);
}

const char *
application_status_badge(const char *code)
{
        /* The colours the stylesheet already has: green for what goes on, red for what stops,
         * amber for what waits, blue for what is under way, grey for what was given up. */
        static const char *const badges[APP_STATUS_COUNT] = {
            [APP_DRAFT] = "draft",         [APP_SUBMITTED] = "published",
            [APP_ELIGIBLE] = "eligible",   [APP_INELIGIBLE] = "ineligible",
            [APP_SCORED] = "upcoming",     [APP_SELECTED] = "active",
            [APP_WAITLISTED] = "dormant",  [APP_REJECTED] = "ineligible",
            [APP_WITHDRAWN] = "dissolved",
        };
        int s = application_status_from_code(code);
        return s < 0 ? "dissolved" : badges[s];
}

unsigned
application_actor(enum role r)
{
        return (unsigned)r < ROLE_COUNT ? 1u << r : 0;
}

/* ---- the machine ---- */

#define PEOPLE   (APP_BY_ADMIN | APP_BY_MANAGER | APP_BY_OFFICER)
#define MANAGERS (APP_BY_ADMIN | APP_BY_MANAGER)
#define SYSTEM   APP_BY_SYSTEM

const struct app_transition application_transitions[] = {
    {APP_ACT_SUBMIT, APP_DRAFT, APP_SUBMITTED, PEOPLE, 0},
    /* Submitting evaluates eligibility at once, in the same transaction. */
    {APP_ACT_EVALUATE, APP_SUBMITTED, APP_ELIGIBLE, SYSTEM, 0},
    {APP_ACT_EVALUATE, APP_SUBMITTED, APP_INELIGIBLE, SYSTEM, 0},
    /* After a correction of the rules or of the cooperative's data. */
    {APP_ACT_REEVALUATE, APP_ELIGIBLE, APP_ELIGIBLE, MANAGERS, 1},
    {APP_ACT_REEVALUATE, APP_ELIGIBLE, APP_INELIGIBLE, MANAGERS, 1},
    {APP_ACT_REEVALUATE, APP_INELIGIBLE, APP_ELIGIBLE, MANAGERS, 1},
    {APP_ACT_REEVALUATE, APP_INELIGIBLE, APP_INELIGIBLE, MANAGERS, 1},
    {APP_ACT_WITHDRAW, APP_DRAFT, APP_WITHDRAWN, PEOPLE, 1},
    {APP_ACT_WITHDRAW, APP_SUBMITTED, APP_WITHDRAWN, PEOPLE, 1},
    {APP_ACT_WITHDRAW, APP_ELIGIBLE, APP_WITHDRAWN, PEOPLE, 1},
    {APP_ACT_WITHDRAW, APP_INELIGIBLE, APP_WITHDRAWN, PEOPLE, 1},
    {APP_ACT_WITHDRAW, APP_SCORED, APP_WITHDRAWN, PEOPLE, 1},
    {APP_ACT_WITHDRAW, APP_SELECTED, APP_WITHDRAWN, PEOPLE, 1},
    {APP_ACT_WITHDRAW, APP_WAITLISTED, APP_WITHDRAWN, PEOPLE, 1},
    {APP_ACT_WITHDRAW, APP_REJECTED, APP_WITHDRAWN, PEOPLE, 1},
    /* The evaluation module, once every assigned evaluator has submitted; back when an
     * evaluation is reopened. */
    {APP_ACT_SCORE, APP_ELIGIBLE, APP_SCORED, SYSTEM, 0},
    {APP_ACT_UNSCORE, APP_SCORED, APP_ELIGIBLE, SYSTEM, 0},
    /* The selection run: ranking, seats per region, waitlist; run again (a seat freed, a
     * correction), it may move an application between its outcomes. */
    {APP_ACT_SELECT, APP_SCORED, APP_SELECTED, SYSTEM, 0},
    {APP_ACT_SELECT, APP_WAITLISTED, APP_SELECTED, SYSTEM, 0},
    {APP_ACT_SELECT, APP_REJECTED, APP_SELECTED, SYSTEM, 0},
    {APP_ACT_WAITLIST, APP_SCORED, APP_WAITLISTED, SYSTEM, 0},
    {APP_ACT_WAITLIST, APP_SELECTED, APP_WAITLISTED, SYSTEM, 0},
    {APP_ACT_WAITLIST, APP_REJECTED, APP_WAITLISTED, SYSTEM, 0},
    {APP_ACT_REJECT, APP_SCORED, APP_REJECTED, SYSTEM, 0},
    {APP_ACT_REJECT, APP_SELECTED, APP_REJECTED, SYSTEM, 0},
    {APP_ACT_REJECT, APP_WAITLISTED, APP_REJECTED, SYSTEM, 0},
};

const size_t application_ntransitions =
    sizeof(application_transitions) / sizeof(application_transitions[0]);

const struct app_transition *
application_transition(enum app_action action, enum app_status from, enum app_status to)
{
        for (size_t i = 0; i < application_ntransitions; i++) {
                const struct app_transition *t = &application_transitions[i];
                if (t->action == action && t->from == from && t->to == to)
                        return t;
        }
        return NULL;
}

static int
blank(const char *s)
{
        for (; s && *s; s++)
                if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
                        return 0;
        return 1;
}

/* Who may make action at all (from any status), as APP_BY_* bits. */
static unsigned
action_actors(enum app_action action)
{
        unsigned by = 0;
        for (size_t i = 0; i < application_ntransitions; i++)
                if (application_transitions[i].action == action)
                        by |= application_transitions[i].by;
        return by;
}

static enum app_refusal
judge_actor(unsigned actor, enum app_action action)
{
        unsigned by = action_actors(action);
        if (by & actor)
                return APP_OK;
        return by == SYSTEM ? APP_REFUSED_SYSTEM : APP_REFUSED_ROLE;
}

enum app_refusal
application_check(unsigned actor, enum app_action action, enum app_status from, enum app_status to,
                  const char *reason)
{
        enum app_refusal r = judge_actor(actor, action);
        if (r != APP_OK)
                return r;
        const struct app_transition *t = application_transition(action, from, to);
        if (t == NULL)
                return APP_REFUSED_STATUS;
        if (!(t->by & actor))
                return t->by == SYSTEM ? APP_REFUSED_SYSTEM : APP_REFUSED_ROLE;
        if (t->needs_reason && blank(reason))
                return APP_REFUSED_REASON;
        return APP_OK;
}

enum app_refusal
application_check_any(unsigned actor, enum app_action action, enum app_status from,
                      const char *reason)
{
        enum app_refusal best = judge_actor(actor, action);
        if (best != APP_OK)
                return best;
        best = APP_REFUSED_STATUS;
        for (int to = 0; to < APP_STATUS_COUNT; to++) {
                if (application_transition(action, from, (enum app_status)to) == NULL)
                        continue;
                enum app_refusal r =
                    application_check(actor, action, from, (enum app_status)to, reason);
                if (r == APP_OK)
                        return APP_OK;
                /* A missing reason says more than a status that is fine. */
                if (r == APP_REFUSED_REASON || best == APP_REFUSED_STATUS)
                        best = r;
        }
        return best;
}

enum app_refusal
application_may_create(unsigned actor, enum call_phase phase)
{
        if (actor & MANAGERS)
                return APP_OK;
        if (!(actor & APP_BY_OFFICER))
                return APP_REFUSED_ROLE;
        return phase == CALL_OPEN ? APP_OK : APP_REFUSED_PHASE;
}

enum app_refusal
application_may_edit(unsigned actor, enum app_status from)
{
        if (!(actor & PEOPLE))
                return APP_REFUSED_ROLE;
        return from == APP_DRAFT ? APP_OK : APP_REFUSED_STATUS;
}

const char *
application_refusal_text(enum lang L, enum app_refusal why, enum app_action action)
{
        switch (why) {
        case APP_OK:
                return "";
        case APP_REFUSED_ROLE:
                if (action == APP_ACT_REEVALUATE)
                        return _(L, "Only program managers and administrators can evaluate an "
                                    "application again.");
                return _(L, "Your role does not allow this change of an application.");
        case APP_REFUSED_SYSTEM:
                return _(L, "This status is set by murafiq itself: by the evaluation once every "
                            "evaluator has scored, or by the selection run.");
        case APP_REFUSED_REASON:
                return _(L, "Give the reason for this change: it is kept in the application's "
                            "history.");
        case APP_REFUSED_PHASE:
                return _(L, "This call is not open: an application can be created only between "
                            "its opening and closing dates. A program manager can record a late "
                            "application.");
        case APP_REFUSED_STATUS:
                break;
        }
        switch (action) {
        case APP_ACT_SUBMIT:
                return _(L, "Only a draft can be submitted, and this application is not a draft "
                            "any more.");
        case APP_ACT_EDIT:
                return _(L, "Only a draft can be edited: this application was submitted or "
                            "withdrawn.");
        case APP_ACT_REEVALUATE:
                return _(L, "Only an eligible or ineligible application can be evaluated again.");
        case APP_ACT_WITHDRAW:
                return _(L, "This application is already withdrawn.");
        default:
                return _(L, "This change is not possible from the application's current status.");
        }
}

enum app_error
application_refusal_error(enum app_refusal why)
{
        switch (why) {
        case APP_REFUSED_ROLE:
        case APP_REFUSED_SYSTEM:
                return ERR_FORBIDDEN;
        case APP_REFUSED_REASON:
                return ERR_VALIDATION;
        default:
                return ERR_CONFLICT;
        }
}

/* ---- the record ---- */

const char *const application_fields[] = {"project_summary", "requested_support", NULL};

/* The checked value, else what was sent (a form shown again keeps what was typed), else the
 * old one. */
static const char *
keep(const char *checked, const char *sent, const char *old)
{
        return checked ? checked : sent ? sent : old;
}

int
application_apply(struct application *a, struct errs *e, field_get_fn get, void *ctx)
{
        size_t before = e->n;
        const char *v = get(ctx, "project_summary");
        const char *t =
            v_text(e, "project_summary", v ? v : a->project_summary, 0, APP_SUMMARY_MAX, 1);
        a->project_summary = keep(t, v, a->project_summary ? a->project_summary : "");
        v = get(ctx, "requested_support");
        t = v_text(e, "requested_support", v ? v : a->requested_support, 0, APP_SUPPORT_MAX, 1);
        a->requested_support = keep(t, v, a->requested_support ? a->requested_support : "");
        return e->n == before ? 0 : -1;
}

int
application_check_submittable(const struct application *a, struct errs *e)
{
        if (blank(a->project_summary)) {
                errs_add(e, "project_summary",
                         "Write the project summary before submitting the application.");
                return -1;
        }
        return 0;
}

const char *
application_duplicate_text(enum lang L, struct arena *a, long long existing_id)
{
        return arena_printf(a,
                            _(L, "This cooperative has already applied to this call: see "
                                 "application no. %lld."),
                            existing_id);
}

const char *
application_reason(struct errs *e, const char *value, int needs_reason)
{
        return v_text(e, "reason", value, needs_reason, APP_REASON_MAX, 1);
}

/* ---- eligibility ---- */

static const char *
dump(struct arena *a, json_t *j)
{
        if (j == NULL)
                return NULL;
        char *s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
        json_decref(j);
        if (s == NULL)
                return NULL;
        char *out = arena_strdup(a, s);
        free(s);
        return out;
}

int
application_evaluate(const struct call *c, const struct coop *co, int already_accompanied,
                     struct arena *a, struct app_evaluation *out)
{
        memset(out, 0, sizeof(*out));
        struct date ref;
        if (c->reference_date == NULL || date_parse(c->reference_date, &ref) != 0)
                return -1;
        struct elig_input in;
        eligibility_input_set(&in, co, already_accompanied);
        struct elig_result res;
        /* The explanations are not kept: pages explain the stored inputs again in the reader's
         * language. The decision does not depend on the language. */
        eligibility_evaluate(c->rules, c->nrules, &in, ref, LANG_EN, a, &res);
        json_t *input = eligibility_input_to_json(&in);
        if (input == NULL ||
            json_object_set_new(input, "reference_date", json_string(c->reference_date)) != 0) {
                json_decref(input);
                return -1;
        }
        out->eligible = res.eligible;
        out->rules_version = c->rules_version;
        out->result = dump(a, eligibility_result_to_json(&res));
        out->input = dump(a, input);
        return out->result && out->input ? 0 : -1;
}

static const char *
str_of(json_t *o, const char *key, struct arena *a)
{
        json_t *v = json_object_get(o, key);
        return json_is_string(v) ? arena_strdup(a, json_string_value(v)) : "";
}

int
application_input_read(const char *input_json, struct arena *a, struct coop *co, int *accompanied,
                       const char **reference)
{
        memset(co, 0, sizeof(*co));
        *accompanied = 0;
        *reference = "";
        json_error_t err;
        json_t *o = input_json ? json_loads(input_json, 0, &err) : NULL;
        if (!json_is_object(o)) {
                json_decref(o);
                return -1;
        }
        co->legal_date = str_of(o, "legal_date", a);
        co->activity_start_date = str_of(o, "activity_start_date", a);
        co->region_code = str_of(o, "region_code", a);
        co->province_code = str_of(o, "province_code", a);
        co->sector = str_of(o, "sector", a);
        co->status = str_of(o, "status", a);
        co->members_total = json_integer_value(json_object_get(o, "members_total"));
        co->members_women = json_integer_value(json_object_get(o, "members_women"));
        co->is_soulalyate = json_is_true(json_object_get(o, "is_soulalyate"));
        co->is_women_only = json_is_true(json_object_get(o, "is_women_only"));
        *accompanied = json_is_true(json_object_get(o, "already_accompanied"));
        *reference = str_of(o, "reference_date", a);
        json_decref(o);
        struct date d;
        return date_parse(*reference, &d) == 0 ? 0 : -1;
}
