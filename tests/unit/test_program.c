/* test_program.c: validation of programs and tranches (program_apply, tranche_apply) and the
 * targets-against-reached tables. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/arena.h"
#include "core/db.h"
#include "core/i18n.h"
#include "program/program.h"
#include "registry/geo.h"

static const struct geo *geo;
static struct db *db;

/* A form as key/value pairs; fields not listed are "not sent". The first match wins, so a
 * case overrides a VALID field by listing it first. */
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

/* Organisations 1 to 10 exist. */
static int
org_exists(void *ctx, long long id)
{
        (void)ctx;
        return id >= 1 && id <= 10;
}

#define VALID                                                                                      \
        {"code", "MOURAFAKA"}, {"name_ar", "برنامج مرافقة"}, {"name_fr", "Programme Mourafaka"},   \
            {"start_year", "2023"}, {"end_year", "2026"}, {"target_total", "2000"},                \
        {                                                                                          \
                "target_per_year", "500"                                                           \
        }

#define A10 "AAAAAAAAAA"
#define A50 A10 A10 A10 A10 A10

struct apply_case {
        const char *name;
        struct kv form[24];
        const char *bad_field; /* NULL: valid */
};

static const struct apply_case program_cases[] = {
    {"valid", {VALID, {0, 0}}, NULL},
    {"lower-case code is accepted", {{"code", "mourafaka-4"}, VALID, {0, 0}}, NULL},
    {"no code", {{"code", ""}, VALID, {0, 0}}, "code"},
    {"code with a space", {{"code", "MOURA FAKA"}, VALID, {0, 0}}, "code"},
    {"code with an accent", {{"code", "ÉTÉ"}, VALID, {0, 0}}, "code"},
    {"code of 33", {{"code", A10 A10 A10 "AAA"}, VALID, {0, 0}}, "code"},
    {"no Arabic name", {{"name_ar", " "}, VALID, {0, 0}}, "name_ar"},
    {"no French name", {{"name_fr", ""}, VALID, {0, 0}}, "name_fr"},
    {"no English name is fine", {{"name_en", ""}, VALID, {0, 0}}, NULL},
    {"name of 201", {{"name_en", A50 A50 A50 A50 "A"}, VALID, {0, 0}}, "name_en"},
    {"name on two lines", {{"name_fr", "a\nb"}, VALID, {0, 0}}, "name_fr"},
    {"description on two lines", {{"description", "a\nb"}, VALID, {0, 0}}, NULL},
    {"existing operator", {{"operator_id", "1"}, VALID, {0, 0}}, NULL},
    {"no operator", {{"operator_id", ""}, VALID, {0, 0}}, NULL},
    {"unknown operator", {{"operator_id", "11"}, VALID, {0, 0}}, "operator_id"},
    {"operator not a number", {{"operator_id", "ODCO"}, VALID, {0, 0}}, "operator_id"},
    {"no first year", {{"start_year", ""}, VALID, {0, 0}}, "start_year"},
    {"year 1989", {{"start_year", "1989"}, VALID, {0, 0}}, "start_year"},
    {"year 2101", {{"end_year", "2101"}, VALID, {0, 0}}, "end_year"},
    {"end before start", {{"end_year", "2022"}, VALID, {0, 0}}, "end_year"},
    {"one-year program", {{"end_year", "2023"}, VALID, {0, 0}}, NULL},
    {"negative target", {{"target_total", "-1"}, VALID, {0, 0}}, "target_total"},
    {"target too large", {{"target_total", "10000001"}, VALID, {0, 0}}, "target_total"},
    {"per year above total", {{"target_per_year", "2001"}, VALID, {0, 0}}, "target_per_year"},
    {"per year without total", {{"target_total", "0"}, VALID, {0, 0}}, NULL},
    {"partners",
     {{"partners.count", "3"},
      {"partners.0.organisation_id", "1"},
      {"partners.0.role", "implementer"},
      {"partners.1.organisation_id", "2"},
      {"partners.1.role", "academic_partner"},
      {"partners.2.organisation_id", ""},
      {"partners.2.role", ""},
      VALID,
      {0, 0}},
     NULL},
    {"same organisation in two roles",
     {{"partners.count", "2"},
      {"partners.0.organisation_id", "1"},
      {"partners.0.role", "implementer"},
      {"partners.1.organisation_id", "1"},
      {"partners.1.role", "funder"},
      VALID,
      {0, 0}},
     NULL},
    {"same organisation and role twice",
     {{"partners.count", "2"},
      {"partners.0.organisation_id", "1"},
      {"partners.0.role", "funder"},
      {"partners.1.organisation_id", "1"},
      {"partners.1.role", "funder"},
      VALID,
      {0, 0}},
     "partners.1.role"},
    {"partner without role",
     {{"partners.count", "1"}, {"partners.0.organisation_id", "1"}, VALID, {0, 0}},
     "partners.0.role"},
    {"partner with an unknown role",
     {{"partners.count", "1"},
      {"partners.0.organisation_id", "1"},
      {"partners.0.role", "sponsor"},
      VALID,
      {0, 0}},
     "partners.0.role"},
    {"unknown partner",
     {{"partners.count", "1"},
      {"partners.0.organisation_id", "99"},
      {"partners.0.role", "funder"},
      VALID,
      {0, 0}},
     "partners.0.organisation_id"},
    {"too many partners", {{"partners.count", "21"}, VALID, {0, 0}}, "partners"},
    {"partners count not a number", {{"partners.count", "x"}, VALID, {0, 0}}, "partners"},
    {"pillars",
     {{"pillars.count", "2"},
      {"pillars.0.code", "Governance"},
      {"pillars.0.name_ar", "الحكامة"},
      {"pillars.0.name_fr", "Gouvernance"},
      {"pillars.1.code", "innovation"},
      {"pillars.1.name_ar", "الابتكار"},
      {"pillars.1.name_fr", "Innovation"},
      {"pillars.1.name_en", "Innovation"},
      VALID,
      {0, 0}},
     NULL},
    {"pillar code twice (case folded)",
     {{"pillars.count", "2"},
      {"pillars.0.code", "governance"},
      {"pillars.0.name_ar", "أ"},
      {"pillars.0.name_fr", "a"},
      {"pillars.1.code", "GOVERNANCE"},
      {"pillars.1.name_ar", "ب"},
      {"pillars.1.name_fr", "b"},
      VALID,
      {0, 0}},
     "pillars.1.code"},
    {"pillar without French name",
     {{"pillars.count", "1"},
      {"pillars.0.code", "marketing"},
      {"pillars.0.name_ar", "التسويق"},
      VALID,
      {0, 0}},
     "pillars.0.name_fr"},
    {"pillar code with a space",
     {{"pillars.count", "1"},
      {"pillars.0.code", "good governance"},
      {"pillars.0.name_ar", "أ"},
      {"pillars.0.name_fr", "a"},
      VALID,
      {0, 0}},
     "pillars.0.code"},
    {"components, coaching 12 over 24",
     {{"components.count", "2"},
      {"components.0.kind", "strategic_diagnosis"},
      {"components.1.kind", "individual_coaching"},
      {"components.1.sessions", "12"},
      {"components.1.months", "24"},
      VALID,
      {0, 0}},
     NULL},
    {"coaching without sessions",
     {{"components.count", "1"},
      {"components.0.kind", "individual_coaching"},
      {"components.0.months", "24"},
      VALID,
      {0, 0}},
     "components.0.sessions"},
    {"coaching without months",
     {{"components.count", "1"},
      {"components.0.kind", "individual_coaching"},
      {"components.0.sessions", "12"},
      VALID,
      {0, 0}},
     "components.0.months"},
    {"unticked coaching row is left out",
     {{"components.count", "1"},
      {"components.0.kind", "individual_coaching"},
      {"components.0.included", "0"},
      VALID,
      {0, 0}},
     NULL},
    {"component twice",
     {{"components.count", "2"},
      {"components.0.kind", "collective_training"},
      {"components.1.kind", "collective_training"},
      VALID,
      {0, 0}},
     "components.1.kind"},
    {"unknown component",
     {{"components.count", "1"}, {"components.0.kind", "coffee"}, VALID, {0, 0}},
     "components.0.kind"},
    {"months above 240",
     {{"components.count", "1"},
      {"components.0.kind", "collective_training"},
      {"components.0.months", "241"},
      VALID,
      {0, 0}},
     "components.0.months"},
    {"invalid UTF-8", {{"description", "caf\xC3\x28"}, VALID, {0, 0}}, "description"},
};

static void
test_program_cases(void **state)
{
        (void)state;
        struct program_refs refs = {org_exists, NULL, geo};
        for (size_t i = 0; i < sizeof(program_cases) / sizeof(program_cases[0]); i++) {
                const struct apply_case *c = &program_cases[i];
                struct arena *a = arena_new();
                struct errs e;
                errs_init(&e, a, LANG_EN);
                struct program p = {0};
                int rc = program_apply(&p, &e, kv_get, (void *)c->form, &refs);
                if (c->bad_field == NULL) {
                        if (rc != 0)
                                fail_msg("%s: unexpected error on %s: %s", c->name, e.list[0].field,
                                         e.list[0].msg);
                } else {
                        if (rc == 0 || errs_for(&e, c->bad_field) == NULL)
                                fail_msg("%s: no error on %s (first: %s)", c->name, c->bad_field,
                                         e.n ? e.list[0].field : "none");
                        if (e.n != 1)
                                fail_msg("%s: %zu errors, expected only %s (first: %s)", c->name,
                                         e.n, c->bad_field, e.list[0].field);
                }
                arena_free(a);
        }
}

/* What is kept and normalised: codes upper-case, pillar codes lower-case, blank rows left
 * out, unsent lists kept, "0" rows empty a list. */
static void
test_program_normalises_and_keeps(void **state)
{
        (void)state;
        struct arena *a = arena_new();
        struct errs e;
        errs_init(&e, a, LANG_EN);
        struct program_refs refs = {org_exists, NULL, geo};
        struct program p = {0};
        const struct kv first[] = {{"code", " mourafaka "},
                                   {"partners.count", "3"},
                                   {"partners.0.organisation_id", ""},
                                   {"partners.1.organisation_id", "2"},
                                   {"partners.1.role", "funder"},
                                   {"pillars.count", "1"},
                                   {"pillars.0.code", "Governance"},
                                   {"pillars.0.name_ar", "الحكامة"},
                                   {"pillars.0.name_fr", "Gouvernance"},
                                   VALID,
                                   {0, 0}};
        assert_int_equal(program_apply(&p, &e, kv_get, (void *)first, &refs), 0);
        assert_string_equal(p.code, "MOURAFAKA");
        assert_int_equal(p.n_partners, 1);
        assert_int_equal(p.partners[0].organisation_id, 2);
        assert_int_equal(p.n_pillars, 1);
        assert_string_equal(p.pillars[0].code, "governance");
        assert_int_equal(p.start_year, 2023);

        const struct kv patch[] = {{"target_total", "3000"}, {"pillars.count", "0"}, {0, 0}};
        assert_int_equal(program_apply(&p, &e, kv_get, (void *)patch, &refs), 0);
        assert_int_equal(p.target_total, 3000);
        assert_int_equal(p.start_year, 2023);
        assert_int_equal(p.n_partners, 1);
        assert_int_equal(p.n_pillars, 0);
        assert_string_equal(p.name_fr, "Programme Mourafaka");

        /* A tranche outside new years is named. */
        struct tranche t = {.number = 3, .start_year = 2023, .end_year = 2024};
        p.tranches = &t;
        p.n_tranches = 1;
        const struct kv later[] = {{"start_year", "2024"}, {0, 0}};
        assert_int_equal(program_apply(&p, &e, kv_get, (void *)later, &refs), -1);
        assert_non_null(errs_for(&e, "start_year"));
        arena_free(a);
}

#define TVALID                                                                                     \
        {"number", "4"}, {"start_year", "2025"}, {"end_year", "2026"},                             \
        {                                                                                          \
                "target_total", "1000"                                                             \
        }

static const struct apply_case tranche_cases[] = {
    {"valid", {TVALID, {0, 0}}, NULL},
    {"no number", {{"number", ""}, TVALID, {0, 0}}, "number"},
    {"number 0", {{"number", "0"}, TVALID, {0, 0}}, "number"},
    {"number 100", {{"number", "100"}, TVALID, {0, 0}}, "number"},
    {"before the program", {{"start_year", "2022"}, TVALID, {0, 0}}, "start_year"},
    {"after the program", {{"end_year", "2027"}, TVALID, {0, 0}}, "end_year"},
    {"end before start", {{"end_year", "2024"}, TVALID, {0, 0}}, "end_year"},
    {"phases, 500 a year",
     {{"phases.count", "3"},
      {"phases.0.number", "1"},
      {"phases.0.year", "2025"},
      {"phases.0.target_total", "500"},
      {"phases.1.number", "2"},
      {"phases.1.year", "2026"},
      {"phases.1.target_total", "500"},
      {"phases.2.number", ""},
      TVALID,
      {0, 0}},
     NULL},
    {"phases above the target",
     {{"phases.count", "2"},
      {"phases.0.number", "1"},
      {"phases.0.year", "2025"},
      {"phases.0.target_total", "600"},
      {"phases.1.number", "2"},
      {"phases.1.year", "2026"},
      {"phases.1.target_total", "500"},
      TVALID,
      {0, 0}},
     "phases"},
    {"phase outside the tranche",
     {{"phases.count", "1"}, {"phases.0.number", "1"}, {"phases.0.year", "2024"}, TVALID, {0, 0}},
     "phases.0.year"},
    {"phase without year",
     {{"phases.count", "1"}, {"phases.0.number", "1"}, TVALID, {0, 0}},
     "phases.0.year"},
    {"two phases 1",
     {{"phases.count", "2"},
      {"phases.0.number", "1"},
      {"phases.0.year", "2025"},
      {"phases.1.number", "1"},
      {"phases.1.year", "2026"},
      TVALID,
      {0, 0}},
     "phases.1.number"},
    {"region targets summing to the total",
     {{"region_targets.count", "3"},
      {"region_targets.0.region_code", "01"},
      {"region_targets.0.target", "400"},
      {"region_targets.1.region_code", "11"},
      {"region_targets.1.target", "600"},
      {"region_targets.2.region_code", "12"},
      {"region_targets.2.target", ""},
      TVALID,
      {0, 0}},
     NULL},
    {"region targets above the total",
     {{"region_targets.count", "2"},
      {"region_targets.0.region_code", "01"},
      {"region_targets.0.target", "400"},
      {"region_targets.1.region_code", "02"},
      {"region_targets.1.target", "601"},
      TVALID,
      {0, 0}},
     "region_targets"},
    {"unknown region",
     {{"region_targets.count", "1"},
      {"region_targets.0.region_code", "13"},
      {"region_targets.0.target", "1"},
      TVALID,
      {0, 0}},
     "region_targets.0.region_code"},
    {"region twice",
     {{"region_targets.count", "2"},
      {"region_targets.0.region_code", "03"},
      {"region_targets.0.target", "1"},
      {"region_targets.1.region_code", "03"},
      {"region_targets.1.target", "2"},
      TVALID,
      {0, 0}},
     "region_targets.1.region_code"},
    {"negative region target",
     {{"region_targets.count", "1"},
      {"region_targets.0.region_code", "03"},
      {"region_targets.0.target", "-5"},
      TVALID,
      {0, 0}},
     "region_targets.0.target"},
    {"too many phases", {{"phases.count", "13"}, TVALID, {0, 0}}, "phases"},
};

static void
test_tranche_cases(void **state)
{
        (void)state;
        struct program p = {.id = 1, .start_year = 2023, .end_year = 2026};
        for (size_t i = 0; i < sizeof(tranche_cases) / sizeof(tranche_cases[0]); i++) {
                const struct apply_case *c = &tranche_cases[i];
                struct arena *a = arena_new();
                struct errs e;
                errs_init(&e, a, LANG_EN);
                struct tranche t = {0};
                int rc = tranche_apply(&t, &p, &e, kv_get, (void *)c->form, geo);
                if (c->bad_field == NULL) {
                        if (rc != 0)
                                fail_msg("%s: unexpected error on %s: %s", c->name, e.list[0].field,
                                         e.list[0].msg);
                } else {
                        if (rc == 0 || errs_for(&e, c->bad_field) == NULL)
                                fail_msg("%s: no error on %s (first: %s)", c->name, c->bad_field,
                                         e.n ? e.list[0].field : "none");
                        if (e.n != 1)
                                fail_msg("%s: %zu errors, expected only %s (first: %s)", c->name,
                                         e.n, c->bad_field, e.list[0].field);
                }
                arena_free(a);
        }
}

/* Phases are sorted and keep the ids of the phases with the same number; regions sorted. */
static void
test_tranche_keeps_phase_ids(void **state)
{
        (void)state;
        struct arena *a = arena_new();
        struct errs e;
        errs_init(&e, a, LANG_EN);
        struct program p = {.id = 1, .start_year = 2023, .end_year = 2026};
        struct phase old[] = {{.id = 7, .number = 1, .year = 2025}, {.id = 8, .number = 2}};
        struct tranche t = {.id = 3,
                            .number = 4,
                            .start_year = 2025,
                            .end_year = 2026,
                            .target_total = 1000,
                            .phases = old,
                            .n_phases = 2};
        const struct kv form[] = {{"phases.count", "2"},
                                  {"phases.0.number", "3"},
                                  {"phases.0.year", "2026"},
                                  {"phases.1.number", "1"},
                                  {"phases.1.year", "2025"},
                                  {"region_targets.count", "2"},
                                  {"region_targets.0.region_code", "11"},
                                  {"region_targets.0.target", "5"},
                                  {"region_targets.1.region_code", "02"},
                                  {"region_targets.1.target", "6"},
                                  {0, 0}};
        assert_int_equal(tranche_apply(&t, &p, &e, kv_get, (void *)form, geo), 0);
        assert_int_equal(t.n_phases, 2);
        assert_int_equal(t.phases[0].number, 1);
        assert_int_equal(t.phases[0].id, 7);
        assert_int_equal(t.phases[1].number, 3);
        assert_int_equal(t.phases[1].id, 0);
        assert_int_equal(t.n_regions, 2);
        assert_string_equal(t.regions[0].region_code, "02");
        assert_true(t.regions[0].planned);
        assert_int_equal(t.target_total, 1000); /* not sent: kept */
        arena_free(a);
}

static void
test_target_rows(void **state)
{
        (void)state;
        struct arena *a = arena_new();
        struct phase ph[] = {{.number = 1, .year = 2025, .target_total = 450},
                             {.number = 2, .year = 2026, .target_total = 550}};
        struct region_target rt3[] = {{"01", 100, 1, 0}, {"03", 50, 1, 0}};
        struct region_target rt4[] = {{"03", 70, 1, 0}};
        struct tranche tr[] = {
            {.number = 3, .start_year = 2023, .end_year = 2024, .regions = rt3, .n_regions = 2},
            {.number = 4,
             .start_year = 2025,
             .end_year = 2026,
             .phases = ph,
             .n_phases = 2,
             .regions = rt4,
             .n_regions = 1},
        };
        struct program_count years[] = {{"2022", 1}, {"2024", 30}, {"2025", 4}};
        struct program_count regions[] = {{"03", 20}, {"11", 15}};
        struct program p = {.start_year = 2023,
                            .end_year = 2026,
                            .target_per_year = 500,
                            .tranches = tr,
                            .n_tranches = 2,
                            .reached_years = years,
                            .n_reached_years = 3,
                            .reached_regions = regions,
                            .n_reached_regions = 2};
        struct program_target_row *r;
        size_t n = program_year_rows(&p, a, &r);
        assert_int_equal(n, 5); /* 2022 (reached before the program) to 2026 */
        assert_int_equal(r[0].year, 2022);
        assert_int_equal(r[0].target, 0);
        assert_int_equal(r[0].reached, 1);
        assert_int_equal(r[1].target, 500); /* no phase in 2023: the yearly target */
        assert_int_equal(r[2].reached, 30);
        assert_int_equal(r[3].target, 450); /* phase 1 of tranche 4 */
        assert_int_equal(r[3].reached, 4);
        assert_int_equal(r[4].target, 550);

        n = program_region_rows(&p, a, &r);
        assert_int_equal(n, 3);
        assert_string_equal(r[0].region_code, "01");
        assert_int_equal(r[0].target, 100);
        assert_int_equal(r[0].reached, 0);
        assert_string_equal(r[1].region_code, "03");
        assert_int_equal(r[1].target, 120);
        assert_int_equal(r[1].reached, 20);
        assert_string_equal(r[2].region_code, "11");
        assert_int_equal(r[2].target, 0);
        assert_int_equal(r[2].reached, 15);

        assert_int_equal(program_percent(60, 1000), 6);
        assert_int_equal(program_percent(1000, 1000), 100);
        assert_int_equal(program_percent(1950, 1000), 195);
        assert_int_equal(program_percent(5, 0), -1);
        arena_free(a);
}

static void
test_names_and_labels(void **state)
{
        (void)state;
        struct program p = {.name_ar = "مرافقة", .name_fr = "Mourafaka", .name_en = ""};
        assert_string_equal(program_name(&p, LANG_AR), "مرافقة");
        assert_string_equal(program_name(&p, LANG_EN), "Mourafaka");
        p.name_en = "Accompaniment";
        assert_string_equal(program_name(&p, LANG_EN), "Accompaniment");
        assert_string_equal(program_name(&p, LANG_FR), "Mourafaka");
        for (size_t i = 0; program_partner_role_codes[i]; i++)
                assert_string_not_equal(
                    code_label(program_partner_roles, program_partner_role_codes[i]),
                    program_partner_role_codes[i]);
        for (size_t i = 0; program_component_kind_codes[i]; i++)
                assert_string_equal(program_component_kinds[i].code,
                                    program_component_kind_codes[i]);
}

static int
setup(void **state)
{
        (void)state;
        if (i18n_init() != 0)
                return -1;
        db = db_open(":memory:", 1);
        if (db == NULL || geo_load(db) != 0)
                return -1;
        geo = geo_cache_load(db);
        return geo ? 0 : -1;
}

static int
teardown(void **state)
{
        (void)state;
        geo_cache_free(geo);
        db_close(db);
        return 0;
}

int
main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_program_cases),
            cmocka_unit_test(test_program_normalises_and_keeps),
            cmocka_unit_test(test_tranche_cases),
            cmocka_unit_test(test_tranche_keeps_phase_ids),
            cmocka_unit_test(test_target_rows),
            cmocka_unit_test(test_names_and_labels),
        };
        return cmocka_run_group_tests(tests, setup, teardown);
}
