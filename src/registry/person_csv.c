/* person_csv.c: the people CSV export (/people/export.csv), streamed row by row. People who
 * objected (law 09-08, art. 9) are left out, and so is the national ID number: an export is
 * not essential to anyone's file. */
#include <stdlib.h>

#include "core/arena.h"
#include "core/csvout.h"
#include "core/db.h"
#include "registry/person_store.h"
#include "web/layout.h"
#include "web/pages.h"

struct person_export {
        struct db *db;
        sqlite3_stmt *st;
        struct arena *arena;
        struct row_stream rows;
};

static void
export_done(void *ctx)
{
        struct person_export *x = ctx;
        if (x->st)
                sqlite3_reset(x->st);
        db_close(x->db);
        arena_free(x->arena);
        free(x);
}

static int
export_row(void *ctx, struct arena *row, struct buf *out)
{
        struct person_export *x = ctx;
        struct person p;
        int rc = person_store_export_next(x->st, row, &p);
        if (rc <= 0)
                return rc;
        csv_put_field(out, arena_printf(row, "%lld", p.id), 1);
        const char *cols[] = {p.name_ar,     p.name_fr,       p.sex,        p.birth_date, p.phone,
                              p.region_code, p.province_code, p.created_at, p.updated_at};
        for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++)
                csv_put_field(out, cols[i] ? cols[i] : "", 0);
        buf_puts(out, "\r\n");
        return 1;
}

static long
export_fill(void *ctx, char *out, size_t max)
{
        return row_stream_fill(&((struct person_export *)ctx)->rows, out, max);
}

void
page_person_export(struct request *req)
{
        /* Its own connection: the thread's connection serves other requests meanwhile. */
        struct person_export *x = xcalloc(1, sizeof(*x));
        x->arena = arena_new();
        x->db = http_open_db();
        x->st = x->db ? person_store_export_cursor(x->db, &req->user->scope) : NULL;
        if (x->st == NULL) {
                export_done(x);
                reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
                return;
        }
        row_stream_init(&x->rows, x->arena, export_row, x);
        static const char *const header[] = {
            "id",    "name_ar",     "name_fr",       "sex",        "birth_date",
            "phone", "region_code", "province_code", "created_at", "updated_at"};
        for (size_t i = 0; i < sizeof(header) / sizeof(header[0]); i++)
                csv_put_field(&x->rows.pending, header[i], i == 0);
        buf_puts(&x->rows.pending, "\r\n");
        struct stream s = {export_fill, export_done, x};
        reply_stream(req, "text/csv; charset=utf-8", &s);
        req->disposition = "attachment; filename=\"people.csv\"";
}
