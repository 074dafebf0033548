/* test_application.c: the status machine of applications (every change, allowed or refused, for
 * every actor and status), the checks of their fields, and the eligibility snapshot read back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/i18n.h"
#include "selection/application.h"
#include "selection/eligibility.h"

/* ---- the machine, written out as the specification reads ---- */

/* Who, in words: "P" people (admin, manager, officer), "M" managers (admin, manager), "S" the
 * system. */
struct spec {
        enum app_action action;
        const char *from, *to;
        const char *who;
        int reason;
};

static const struct spec machine[] = {
    {APP_ACT_SUBMIT, "draft", "submitted", "P", 0},
    {APP_ACT_EVALUATE, "submitted", "eligible", "S", 0},
    {APP_ACT_EVALUATE, "submitted", "ineligible", "S", 0},
    {APP_ACT_REEVALUATE, "eligible", "eligible", "M", 1},
    {APP_ACT_REEVALUATE, "eligible", "ineligible", "M", 1},
    {APP_ACT_REEVALUATE, "ineligible", "eligible", "M", 1},
    {APP_ACT_REEVALUATE, "ineligible", "ineligible", "M", 1},
    {APP_ACT_WITHDRAW, "draft", "withdrawn", "P", 1},
    {APP_ACT_WITHDRAW, "submitted", "withdrawn", "P", 1},
    {APP_ACT_WITHDRAW, "eligible", "withdrawn", "P", 1},
    {APP_ACT_WITHDRAW, "ineligible", "withdrawn", "P", 1},
    {APP_ACT_WITHDRAW, "scored", "withdrawn", "P", 1},
    {APP_ACT_WITHDRAW, "selected", "withdrawn", "P", 1},
    {APP_ACT_WITHDRAW, "waitlisted", "withdrawn", "P", 1},
    {APP_ACT_WITHDRAW, "rejected", "withdrawn", "P", 1},
    {APP_ACT_SCORE, "eligible", "scored", "S", 0},
    {APP_ACT_UNSCORE, "scored", "eligible", "S", 0},
    {APP_ACT_SELECT, "scored", "selected", "S", 0},
    {APP_ACT_SELECT, "waitlisted", "selected", "S", 0},
    {APP_ACT_SELECT, "rejected", "selected", "S", 0},
    {APP_ACT_WAITLIST, "scored", "waitlisted", "S", 0},
    {APP_ACT_WAITLIST, "selected", "waitlisted", "S", 0},
    {APP_ACT_WAITLIST, "rejected", "waitlisted", "S", 0},
    {APP_ACT_REJECT, "scored", "rejected", "S", 0},
    {APP_ACT_REJECT, "selected", "rejected", "S", 0},
    {APP_ACT_REJECT, "waitlisted", "rejected", "S", 0},
};
#define NMACHINE (sizeof(machine) / sizeof(machine[0]))

static const struct {
        const char *name;
        unsigned bit;
} actors[] = {
    {"admin", APP_BY_ADMIN}, {"manager", APP_BY_MANAGER}, {"officer", APP_BY_OFFICER},
    {"coach", APP_BY_COACH}, {"viewer", APP_BY_VIEWER},   {"system", APP_BY_SYSTEM},
};

static int
in_who(const char *who, unsigned bit)
{
        if (strchr(who, 'S') && bit == APP_BY_SYSTEM)
                return 1;
        if (strchr(who, 'M') && (bit == APP_BY_ADMIN || bit == APP_BY_MANAGER))
                return 1;
        if (strchr(who, 'P') &&
            (bit == APP_BY_ADMIN || bit == APP_BY_MANAGER || bit == APP_BY_OFFICER))
                return 1;
        return 0;
}

static enum app_status
st(const char *code)
{
        int s = application_status_from_code(code);
        assert_true(s >= 0);
        return (enum app_status)s;
}

/* The table in the code is the specification above, entry for entry. */
static void
test_table_is_the_specification(void **state)
{
        (void)state;
        assert_int_equal(application_ntransitions, NMACHINE);
        for (size_t i = 0; i < NMACHINE; i++) {
                const struct app_transition *t = application_transition(
                    machine[i].action, st(machine[i].from), st(machine[i].to));
                assert_non_null(t);
                assert_int_equal(t->needs_reason, machine[i].reason);
                for (size_t k = 0; k < sizeof(actors) / sizeof(actors[0]); k++)
                        assert_int_equal(!!(t->by & actors[k].bit),
                                         in_who(machine[i].who, actors[k].bit));
        }
}

/* Every actor, every change, every pair of statuses: allowed exactly where the specification
 * says, and refused with the right reason elsewhere. */
static void
test_every_change(void **state)
{
        (void)state;
        long checked = 0, allowed = 0;
        for (size_t k = 0; k < sizeof(actors) / sizeof(actors[0]); k++) {
                unsigned bit = actors[k].bit;
                for (int act = 0; act <= APP_ACT_REJECT; act++) {
                        /* May this actor make this change at all (from some status)? */
                        int any_role = 0, only_system = 1;
                        for (size_t i = 0; i < NMACHINE; i++) {
                                if ((int)machine[i].action != act)
                                        continue;
                                any_role |= in_who(machine[i].who, bit);
                                only_system &= strcmp(machine[i].who, "S") == 0;
                        }
                        for (int from = 0; from < APP_STATUS_COUNT; from++)
                                for (int to = 0; to < APP_STATUS_COUNT; to++) {
                                        const struct spec *sp = NULL;
                                        for (size_t i = 0; i < NMACHINE; i++)
                                                if ((int)machine[i].action == act &&
                                                    (int)st(machine[i].from) == from &&
                                                    (int)st(machine[i].to) == to)
                                                        sp = &machine[i];
                                        enum app_refusal want;
                                        if (!any_role)
                                                want = only_system ? APP_REFUSED_SYSTEM
                                                                   : APP_REFUSED_ROLE;
                                        else if (sp == NULL)
                                                want = APP_REFUSED_STATUS;
                                        else if (!in_who(sp->who, bit))
                                                want = APP_REFUSED_ROLE;
                                        else
                                                want = APP_OK;
                                        enum app_refusal got = application_check(
                                            bit, (enum app_action)act, (enum app_status)from,
                                            (enum app_status)to, "a reason");
                                        if (got != want)
                                                fail_msg("%s: action %d from %s to %s: got %d, "
                                                         "want %d",
                                                         actors[k].name, act,
                                                         application_status_code(from),
                                                         application_status_code(to), got, want);
                                        /* Without a reason, a change that needs one is
                                         * refused for that reason only. */
                                        if (want == APP_OK && sp->reason)
                                                assert_int_equal(
                                                    application_check(bit, (enum app_action)act,
                                                                      (enum app_status)from,
                                                                      (enum app_status)to, " \n"),
                                                    APP_REFUSED_REASON);
                                        allowed += want == APP_OK;
                                        checked++;
                                }
                }
        }
        assert_int_equal(checked, 6L * 9 * APP_STATUS_COUNT * APP_STATUS_COUNT);
        /* A submission and 8 withdrawals for 3 people, 4 re-evaluations for 2, and 13 changes
         * for the system. */
        assert_int_equal(allowed, 3 + 3 * 8 + 2 * 4 + 13);
}

/* The cases people meet, with the answer they get. */
struct case_ {
        const char *name;
        unsigned actor;
        enum app_action action;
        const char *from;
        const char *reason;
        enum app_refusal want;
        enum app_error error;
};

static const struct case_ cases[] = {
    {"officer submits a draft", APP_BY_OFFICER, APP_ACT_SUBMIT, "draft", NULL, APP_OK, 0},
    {"manager submits a draft", APP_BY_MANAGER, APP_ACT_SUBMIT, "draft", NULL, APP_OK, 0},
    {"submit twice", APP_BY_ADMIN, APP_ACT_SUBMIT, "eligible", NULL, APP_REFUSED_STATUS,
     ERR_CONFLICT},
    {"submit a withdrawn one", APP_BY_OFFICER, APP_ACT_SUBMIT, "withdrawn", NULL,
     APP_REFUSED_STATUS, ERR_CONFLICT},
    {"coach submits", APP_BY_COACH, APP_ACT_SUBMIT, "draft", NULL, APP_REFUSED_ROLE, ERR_FORBIDDEN},
    {"viewer withdraws", APP_BY_VIEWER, APP_ACT_WITHDRAW, "draft", "x", APP_REFUSED_ROLE,
     ERR_FORBIDDEN},
    {"officer re-evaluates", APP_BY_OFFICER, APP_ACT_REEVALUATE, "ineligible", "data fixed",
     APP_REFUSED_ROLE, ERR_FORBIDDEN},
    {"manager re-evaluates an ineligible one", APP_BY_MANAGER, APP_ACT_REEVALUATE, "ineligible",
     "legal date corrected", APP_OK, 0},
    {"manager re-evaluates without a reason", APP_BY_MANAGER, APP_ACT_REEVALUATE, "eligible", "",
     APP_REFUSED_REASON, ERR_VALIDATION},
    {"admin re-evaluates a draft", APP_BY_ADMIN, APP_ACT_REEVALUATE, "draft", "x",
     APP_REFUSED_STATUS, ERR_CONFLICT},
    {"admin re-evaluates a scored one", APP_BY_ADMIN, APP_ACT_REEVALUATE, "scored", "x",
     APP_REFUSED_STATUS, ERR_CONFLICT},
    {"officer withdraws a selected one", APP_BY_OFFICER, APP_ACT_WITHDRAW, "selected",
     "the cooperative declined", APP_OK, 0},
    {"withdraw without a reason", APP_BY_OFFICER, APP_ACT_WITHDRAW, "draft", NULL,
     APP_REFUSED_REASON, ERR_VALIDATION},
    {"withdraw with blanks only", APP_BY_ADMIN, APP_ACT_WITHDRAW, "eligible", " \t\r\n",
     APP_REFUSED_REASON, ERR_VALIDATION},
    {"withdraw twice", APP_BY_ADMIN, APP_ACT_WITHDRAW, "withdrawn", "again", APP_REFUSED_STATUS,
     ERR_CONFLICT},
    {"a manager scores", APP_BY_MANAGER, APP_ACT_SCORE, "eligible", NULL, APP_REFUSED_SYSTEM,
     ERR_FORBIDDEN},
    {"an admin selects", APP_BY_ADMIN, APP_ACT_SELECT, "scored", NULL, APP_REFUSED_SYSTEM,
     ERR_FORBIDDEN},
    {"an officer evaluates", APP_BY_OFFICER, APP_ACT_EVALUATE, "submitted", NULL,
     APP_REFUSED_SYSTEM, ERR_FORBIDDEN},
    {"the system scores", APP_BY_SYSTEM, APP_ACT_SCORE, "eligible", NULL, APP_OK, 0},
    {"the system scores an ineligible one", APP_BY_SYSTEM, APP_ACT_SCORE, "ineligible", NULL,
     APP_REFUSED_STATUS, ERR_CONFLICT},
    {"the system waitlists", APP_BY_SYSTEM, APP_ACT_WAITLIST, "scored", NULL, APP_OK, 0},
    {"the system selects from the waitlist", APP_BY_SYSTEM, APP_ACT_SELECT, "waitlisted", NULL,
     APP_OK, 0},
    {"the system rejects a draft", APP_BY_SYSTEM, APP_ACT_REJECT, "draft", NULL, APP_REFUSED_STATUS,
     ERR_CONFLICT},
    {"the system does not submit", APP_BY_SYSTEM, APP_ACT_SUBMIT, "draft", NULL, APP_REFUSED_ROLE,
     ERR_FORBIDDEN},
};

static void
test_cases(void **state)
{
        (void)state;
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                const struct case_ *c = &cases[i];
                enum app_refusal got =
                    application_check_any(c->actor, c->action, st(c->from), c->reason);
                if (got != c->want)
                        fail_msg("%s: got %d, want %d", c->name, got, c->want);
                if (got != APP_OK) {
                        assert_int_equal(application_refusal_error(got), c->error);
                        for (int L = LANG_AR; L <= LANG_EN; L++) {
                                const char *t =
                                    application_refusal_text((enum lang)L, got, c->action);
                                assert_non_null(t);
                                assert_true(strlen(t) > 10);
                        }
                }
        }
        /* The messages are translated (or at least given) in every language. */
        assert_string_not_equal(
            application_refusal_text(LANG_EN, APP_REFUSED_STATUS, APP_ACT_SUBMIT),
            application_refusal_text(LANG_EN, APP_REFUSED_STATUS, APP_ACT_WITHDRAW));
}

static void
test_create_and_edit(void **state)
{
        (void)state;
        static const struct {
                unsigned actor;
                enum call_phase phase;
                enum app_refusal want;
        } create[] = {
            {APP_BY_OFFICER, CALL_OPEN, APP_OK},
            {APP_BY_OFFICER, CALL_UPCOMING, APP_REFUSED_PHASE},
            {APP_BY_OFFICER, CALL_CLOSED, APP_REFUSED_PHASE},
            {APP_BY_MANAGER, CALL_OPEN, APP_OK},
            {APP_BY_MANAGER, CALL_CLOSED, APP_OK}, /* late or paper applications */
            {APP_BY_ADMIN, CALL_UPCOMING, APP_OK},
            {APP_BY_COACH, CALL_OPEN, APP_REFUSED_ROLE},
            {APP_BY_VIEWER, CALL_OPEN, APP_REFUSED_ROLE},
            {APP_BY_SYSTEM, CALL_OPEN, APP_REFUSED_ROLE},
        };
        for (size_t i = 0; i < sizeof(create) / sizeof(create[0]); i++)
                assert_int_equal(application_may_create(create[i].actor, create[i].phase),
                                 create[i].want);
        assert_int_equal(application_refusal_error(APP_REFUSED_PHASE), ERR_CONFLICT);
        for (int s = 0; s < APP_STATUS_COUNT; s++) {
                assert_int_equal(application_may_edit(APP_BY_OFFICER, (enum app_status)s),
                                 s == APP_DRAFT ? APP_OK : APP_REFUSED_STATUS);
                assert_int_equal(application_may_edit(APP_BY_VIEWER, (enum app_status)s),
                                 APP_REFUSED_ROLE);
        }
}

static void
test_statuses(void **state)
{
        (void)state;
        for (int s = 0; s < APP_STATUS_COUNT; s++) {
                const char *code = application_status_code((enum app_status)s);
                assert_non_null(code);
                assert_string_equal(application_status_codes[s], code);
                assert_string_equal(application_statuses[s].code, code);
                assert_int_equal(application_status_from_code(code), s);
                assert_true(strlen(application_status_badge(code)) > 0);
        }
        assert_null(application_status_codes[APP_STATUS_COUNT]);
        assert_null(application_status_code(APP_STATUS_COUNT));
        assert_int_equal(application_status_from_code("accepted"), -1);
        assert_int_equal(application_status_from_code(NULL), -1);
        assert_string_equal(application_status_label("ineligible"), "Not eligible");
        assert_int_equal(application_actor(ROLE_REGIONAL_OFFICER), APP_BY_OFFICER);
        assert_int_equal(application_actor(ROLE_COUNT), 0);
}

/* ---- fields ---- */

struct kv {
        const char *k, *v;
};

static const char *
kv_get(void *ctx, const char *name)
{
        for (const struct kv *p = ctx; p->k; p++)
                if (strcmp(p->k, name) == 0)
                        return p->v;
        return NULL;
}

static char *
repeat(struct arena *a, const char *unit, size_t n)
{
        size_t len = strlen(unit);
        char *s = arena_alloc(a, len * n + 1);
        for (size_t i = 0; i < n; i++)
                memcpy(s + i * len, unit, len);
        return s;
}

static void
test_fields(void **state)
{
        (void)state;
        struct arena *a = arena_new();
        struct {
                const char *name;
                const char *summary, *support;
                const char *bad; /* the field in error, or NULL */
        } fields[] = {
            {"empty draft", "", "", NULL},
            {"several lines", "Ligne 1\nLigne 2\r\n\tTab", "Formation\nÉquipement", NULL},
            {"Arabic", "مشروع تثمين منتجات الأركان", "", NULL},
            {"summary of 4000", repeat(a, "a", 4000), "", NULL},
            {"summary of 4000 Arabic letters", repeat(a, "ب", 4000), "", NULL},
            {"summary of 4001", repeat(a, "a", 4001), "", "project_summary"},
            {"summary of 100 KB", repeat(a, "abcdefghij", 10240), "", "project_summary"},
            {"support of 2000", "", repeat(a, "é", 2000), NULL},
            {"support of 2001", "", repeat(a, "x", 2001), "requested_support"},
            {"invalid UTF-8", "caf\xc3", "", "project_summary"},
            {"overlong encoding", "\xc0\xaf", "", "project_summary"},
            {"control character", "bell\x07", "", "project_summary"},
        };
        for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
                struct errs e;
                errs_init(&e, a, LANG_EN);
                struct kv form[] = {{"project_summary", fields[i].summary},
                                    {"requested_support", fields[i].support},
                                    {0, 0}};
                struct application app = {0};
                int rc = application_apply(&app, &e, kv_get, form);
                if (fields[i].bad == NULL) {
                        if (rc != 0)
                                fail_msg("%s: %s: %s", fields[i].name, e.list[0].field,
                                         e.list[0].msg);
                } else {
                        assert_int_equal(rc, -1);
                        assert_int_equal(e.n, 1);
                        assert_string_equal(e.list[0].field, fields[i].bad);
                }
        }
        /* Trimmed; a field not sent keeps its value. */
        struct errs e;
        errs_init(&e, a, LANG_EN);
        struct application app = {0};
        struct kv first[] = {{"project_summary", "  Miel du Moyen Atlas \n"}, {0, 0}};
        assert_int_equal(application_apply(&app, &e, kv_get, first), 0);
        assert_string_equal(app.project_summary, "Miel du Moyen Atlas");
        assert_string_equal(app.requested_support, "");
        struct kv second[] = {{"requested_support", "Certification ONSSA"}, {0, 0}};
        assert_int_equal(application_apply(&app, &e, kv_get, second), 0);
        assert_string_equal(app.project_summary, "Miel du Moyen Atlas");
        assert_string_equal(app.requested_support, "Certification ONSSA");
        assert_int_equal(application_check_submittable(&app, &e), 0);
        /* Submitting needs a summary. */
        app.project_summary = " \n ";
        assert_int_equal(application_check_submittable(&app, &e), -1);
        assert_string_equal(e.list[e.n - 1].field, "project_summary");
        /* Reasons. */
        errs_init(&e, a, LANG_EN);
        assert_null(application_reason(&e, "  ", 1));
        assert_string_equal(e.list[0].field, "reason");
        assert_string_equal(application_reason(&e, " Doublon \n", 1), "Doublon");
        assert_string_equal(application_reason(&e, NULL, 0), "");
        assert_null(application_reason(&e, repeat(a, "r", APP_REASON_MAX + 1), 1));
        const char *dup = application_duplicate_text(LANG_EN, a, 42);
        assert_non_null(strstr(dup, "42"));
        arena_free(a);
}

/* ---- the snapshot of an evaluation ---- */

static void
test_evaluation_snapshot(void **state)
{
        (void)state;
        struct arena *a = arena_new();
        size_t nrules;
        const struct elig_rule *rules = eligibility_mourafaka_defaults(&nrules);
        struct call c = {0};
        c.reference_date = "2026-03-15";
        c.rules = (struct elig_rule *)rules;
        c.nrules = nrules;
        c.rules_version = 3;
        struct {
                const char *legal_date;
                int eligible;
                const char *measured_age;
        } ages[] = {
            {"2022-03-15", 1, "4y0m0d"}, /* exactly 4 years on the reference date */
            {"2022-03-14", 0, "4y0m1d"}, /* one day older */
        };
        for (size_t i = 0; i < 2; i++) {
                struct coop co = {0};
                co.legal_date = ages[i].legal_date;
                co.activity_start_date = "2023-01-01";
                co.region_code = "03";
                co.province_code = "03.231";
                co.sector = "agriculture";
                co.status = "active";
                co.members_total = 12;
                co.members_women = 7;
                struct app_evaluation ev;
                assert_int_equal(application_evaluate(&c, &co, 0, a, &ev), 0);
                assert_int_equal(ev.eligible, ages[i].eligible);
                assert_int_equal(ev.rules_version, 3);
                json_error_t err;
                json_t *r = json_loads(ev.result, 0, &err);
                assert_non_null(r);
                assert_int_equal(json_is_true(json_object_get(r, "eligible")), ages[i].eligible);
                json_t *first = json_array_get(json_object_get(r, "rules"), 0);
                assert_string_equal(json_string_value(json_object_get(first, "kind")),
                                    "max_legal_age");
                assert_string_equal(json_string_value(json_object_get(first, "measured")),
                                    ages[i].measured_age);
                json_decref(r);
                /* The inputs read back give the same decision, on the same date. */
                struct coop back;
                int acc;
                const char *ref;
                assert_int_equal(application_input_read(ev.input, a, &back, &acc, &ref), 0);
                assert_string_equal(ref, "2026-03-15");
                assert_string_equal(back.legal_date, ages[i].legal_date);
                assert_string_equal(back.region_code, "03");
                assert_int_equal(back.members_women, 7);
                assert_int_equal(acc, 0);
                struct elig_input in;
                eligibility_input_set(&in, &back, acc);
                struct date d;
                assert_int_equal(date_parse(ref, &d), 0);
                assert_int_equal(eligibility_screen_one(rules, nrules, &in, d) == 0,
                                 ages[i].eligible);
        }
        /* Accompanied already: the last rule fails, and the snapshot says so. */
        struct coop co = {.legal_date = "2024-01-01",
                          .activity_start_date = "2024-01-02",
                          .region_code = "06",
                          .province_code = "06.141",
                          .sector = "argan",
                          .status = "active",
                          .members_total = 9,
                          .members_women = 9,
                          .is_women_only = 1};
        struct app_evaluation ev;
        assert_int_equal(application_evaluate(&c, &co, 1, a, &ev), 0);
        assert_int_equal(ev.eligible, 0);
        struct coop back;
        int acc;
        const char *ref;
        assert_int_equal(application_input_read(ev.input, a, &back, &acc, &ref), 0);
        assert_int_equal(acc, 1);
        assert_int_equal(back.is_women_only, 1);
        /* Malformed snapshots are refused. */
        assert_int_equal(application_input_read("[]", a, &back, &acc, &ref), -1);
        assert_int_equal(application_input_read("{\"legal_date\": 1}", a, &back, &acc, &ref), -1);
        assert_int_equal(application_input_read(NULL, a, &back, &acc, &ref), -1);
        /* A call without a reference date cannot be evaluated. */
        c.reference_date = "2026-02-30";
        assert_int_equal(application_evaluate(&c, &co, 0, a, &ev), -1);
        arena_free(a);
}

static int
setup(void **state)
{
        (void)state;
        return i18n_init();
}

int
main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_table_is_the_specification),
            cmocka_unit_test(test_every_change),
            cmocka_unit_test(test_cases),
            cmocka_unit_test(test_create_and_edit),
            cmocka_unit_test(test_statuses),
            cmocka_unit_test(test_fields),
            cmocka_unit_test(test_evaluation_snapshot),
        };
        return cmocka_run_group_tests(tests, setup, NULL);
}
