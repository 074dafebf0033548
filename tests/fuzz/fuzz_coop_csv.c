/* fuzz_coop_csv.c: the cooperative CSV import (registry/coop_csv.c, libcsv) into an in-memory
 * database: any file must give a report, never a crash, and the database must stay whole. The
 * first byte chooses all-or-nothing. */
#include "core/http.h"
#include "registry/coop_csv.h"

#include "fuzz.h"

static struct db *db;
static const struct geo *geo;
static FILE *sink;
static unsigned runs;

static void
open_db(void)
{
        if (geo)
                geo_cache_free(geo);
        db_close(db);
        db = fuzz_db();
        geo = geo_cache_load(db);
        if (geo == NULL)
                abort();
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
        (void)argc, (void)argv;
        fuzz_init_process();
        sink = fopen("/dev/null", "w");
        if (sink == NULL)
                abort();
        open_db();
        return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        if (size < 1)
                return 0;
        /* Imported rows accumulate: a fresh database now and then keeps runs fast. */
        if (++runs % 500 == 0)
                open_db();
        FILE *in = fmemopen((void *)(data + 1), size - 1 ? size - 1 : 1, "r");
        if (in == NULL)
                return 0;
        if (size == 1)
                fgetc(in); /* an empty file: fmemopen refuses a size of 0 */
        struct import_result res = {0};
        int rc = coop_csv_import(db, geo, in, data[0] & 1, LANG_FR, sink, NULL, &res);
        fclose(in);
        FUZZ_ASSERT(rc == 0 || rc == -1);
        FUZZ_ASSERT(res.inserted + res.rejected <= res.rows);
        FUZZ_ASSERT(sqlite3_get_autocommit(db->h)); /* no transaction left open */
        return 0;
}
