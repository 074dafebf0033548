/* fuzz_application_csv.c: the import of applications from CSV (selection/application_csv.c)
 * into an in-memory database holding three cooperatives (registers 2017/28-05, 2020/20-03 and
 * 2025/39-03, region 03) and the demo's Mourafaka call (id 1), whole scope. Any file gives a
 * report (or a fatal line), never a crash or an open transaction. */
#include "core/http.h"
#include "demo/demo_programs.h"
#include "registry/coop.h"
#include "registry/coop_store.h"
#include "registry/store.h"
#include "selection/application_csv.h"

#include "fuzz.h"

static struct db *db;
static long long user_id;

/* The fixtures go through the stores, as the server writes them: no SQL here. */
static void
add_coop(struct arena *a, const char *reg, const char *name)
{
        struct scope all = {.user_id = 0, .all = 1};
        struct coop c = {0};
        c.register_number = reg;
        c.name_ar = name;
        c.name_fr = name;
        c.legal_date = "2024-02-03";
        c.activity_start_date = "2024-05-01";
        c.sector = "agriculture";
        c.activity = c.address = c.phone = c.email = c.notes = "";
        c.region_code = "03";
        c.province_code = "03.231";
        c.members_total = 9;
        c.members_women = 4;
        c.status = "active";
        long long similar = 0;
        if (coop_store_insert(db, &all, &c, 1, &similar, a) != STORE_OK)
                abort();
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
        (void)argc, (void)argv;
        fuzz_init_process();
        db = fuzz_db();
        struct arena *a = arena_new();
        add_coop(a, "2017/28-05", "Amal");
        add_coop(a, "2020/20-03", "Waha");
        add_coop(a, "2025/39-03", "Nour");
        const char *why = NULL;
        user_id = auth_user_create(db, "fuzzer", "admin", NULL, "durable-fuzz-entry-2026", &why);
        if (user_id <= 0 || db_begin(db) != 0 || demo_programs(db, 1) != 0 || db_commit(db) != 0)
                abort();
        arena_free(a);
        return 0;
}
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        if (size < 1)
                return 0;
        struct arena *a = arena_new();
        struct scope scope = {.user_id = user_id, .all = 1};
        struct app_import_report r;
        memset(&r, 0, sizeof(r));
        int rc = application_csv_import(db, &scope, 1, user_id, (const char *)data + 1, size - 1,
                                        data[0] & 1, LANG_AR, a, &r);
        FUZZ_ASSERT(rc == 0 || rc == -1);
        FUZZ_ASSERT(sqlite3_get_autocommit(db->h)); /* no transaction left open */
        for (size_t i = 0; rc == 0 && i < r.nerrors; i++)
                FUZZ_ASSERT(r.errors[i].message != NULL && r.errors[i].field != NULL);
        arena_free(a);
        return 0;
}
