/* coop_csv.c: CSV export and import of cooperatives (libcsv for quoting and parsing). */
#include "registry/coop_csv.h"

#include <csv.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/csvout.h"
#include "core/db.h"
#include "core/http.h"
#include "core/log.h"
#include "core/validate.h"
#include "registry/coop.h"
#include "registry/coop_store.h"

static const char *const csv_columns[] = {"id",
                                          "register_number",
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

void
coop_csv_header(struct buf *b)
{
        for (int i = 0; csv_columns[i]; i++)
                csv_put_field(b, csv_columns[i], i == 0);
        buf_puts(b, "\r\n");
}

void
coop_csv_row(struct buf *b, const struct coop *c)
{
        char n[5][24];
        snprintf(n[0], sizeof(n[0]), "%lld", c->id);
        snprintf(n[1], sizeof(n[1]), "%lld", c->members_total);
        snprintf(n[2], sizeof(n[2]), "%lld", c->members_women);
        snprintf(n[3], sizeof(n[3]), "%lld", c->members_youth);
        const char *v[] = {n[0],
                           c->register_number,
                           c->name_ar,
                           c->name_fr,
                           c->legal_date,
                           c->activity_start_date,
                           c->sector,
                           c->activity,
                           c->region_code,
                           c->province_code,
                           c->commune_code,
                           c->address,
                           c->phone,
                           c->email,
                           n[1],
                           n[2],
                           n[3],
                           c->is_soulalyate ? "1" : "0",
                           c->is_women_only ? "1" : "0",
                           c->status,
                           c->notes};
        for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
                csv_put_field(b, v[i] ? v[i] : "", i == 0);
        buf_puts(b, "\r\n");
}

/* ---- import ---- */

#define MAX_COLUMNS 32

struct importer {
        struct db *db;
        const struct geo *geo;
        struct arena *row_arena;
        enum lang lang;
        FILE *report;
        int all_or_nothing;
        struct date today;
        struct import_result *res;
        struct scope scope;

        int header_done;
        int fatal;
        const char *columns[MAX_COLUMNS]; /* field name of each column, NULL = "id" (ignored) */
        int ncolumns;
        char *fields[MAX_COLUMNS];
        int nfields;
        int too_many;
        long line, record_line;
};

static void
on_field(void *data, size_t len, void *ctx)
{
        struct importer *im = ctx;
        if (im->nfields >= MAX_COLUMNS) {
                im->too_many = 1;
                return;
        }
        im->fields[im->nfields++] = arena_strndup(im->row_arena, data ? data : "", len);
}

static const char *
row_get(void *ctx, const char *name)
{
        struct importer *im = ctx;
        for (int i = 0; i < im->ncolumns && i < im->nfields; i++)
                if (im->columns[i] && strcmp(im->columns[i], name) == 0)
                        return im->fields[i];
        return NULL;
}

static void
reject(struct importer *im, const char *field, const char *msg)
{
        im->res->rejected++;
        if (im->report)
                fprintf(im->report, "line %ld: %s: %s\n", im->record_line, field, msg);
}

static void
on_header(struct importer *im)
{
        im->header_done = 1;
        for (int i = 0; i < im->nfields; i++) {
                const char *name = im->fields[i];
                int known = 0;
                for (int k = 0; csv_columns[k]; k++)
                        if (strcmp(name, csv_columns[k]) == 0) {
                                im->columns[i] = csv_columns[k];
                                known = 1;
                        }
                if (!known) {
                        log_error(
                            "line 1: unknown column \"%s\" (expected the API field names, e.g. "
                            "register_number,name_ar,name_fr,...)",
                            name);
                        im->fatal = 1;
                        return;
                }
                for (int k = 0; k < i; k++)
                        if (im->columns[k] == im->columns[i]) {
                                log_error("line 1: column \"%s\" appears twice", name);
                                im->fatal = 1;
                                return;
                        }
        }
        im->ncolumns = im->nfields;
        static const char *const required[] = {"register_number", "name_ar",       "name_fr",
                                               "legal_date",      "sector",        "region_code",
                                               "province_code",   "members_total", NULL};
        for (int k = 0; required[k]; k++) {
                int found = 0;
                for (int i = 0; i < im->ncolumns; i++)
                        found |= im->columns[i] && strcmp(im->columns[i], required[k]) == 0;
                if (!found) {
                        log_error("line 1: the column \"%s\" is missing", required[k]);
                        im->fatal = 1;
                        return;
                }
        }
        for (int i = 0; i < im->ncolumns; i++)
                if (strcmp(im->columns[i], "id") == 0)
                        im->columns[i] = NULL; /* ids are assigned by the database */
}

static void
on_row(int term, void *ctx)
{
        (void)term;
        struct importer *im = ctx;
        if (im->fatal)
                return;
        if (!im->header_done) {
                on_header(im);
                goto next;
        }
        im->res->rows++;
        if (im->too_many || im->nfields != im->ncolumns) {
                reject(im, "-",
                       arena_printf(
                           im->row_arena,
                           i18n_gettext(im->lang, "This row has %d fields; the header has %d."),
                           im->too_many ? MAX_COLUMNS + 1 : im->nfields, im->ncolumns));
                goto next;
        }
        struct errs e;
        errs_init(&e, im->row_arena, im->lang);
        struct coop c = {0};
        c.status = "active";
        if (coop_apply(&c, &e, row_get, im, im->geo, im->today) != 0) {
                /* Every problem of the row on one line each, with the same line number. */
                for (size_t i = 0; i < e.n; i++) {
                        reject(im, e.list[i].field, e.list[i].msg);
                        if (i > 0)
                                im->res->rejected--; /* one rejected row, several reasons */
                }
                goto next;
        }
        int rc = coop_store_insert_tx(im->db, &im->scope, &c, im->row_arena);
        if (rc == STORE_DUPLICATE)
                reject(
                    im, "register_number",
                    i18n_gettext(im->lang,
                                 "A cooperative with this register number is already recorded."));
        else if (rc != STORE_OK) {
                reject(im, "-", i18n_gettext(im->lang, "The database refused this row."));
                im->fatal = 1;
        } else
                im->res->inserted++;
next:
        im->nfields = 0;
        im->too_many = 0;
        arena_reset(im->row_arena);
}

static void
progress_bar(FILE *out, long done, long total)
{
        if (total <= 0)
                return;
        int width = 40, filled = (int)(width * done / total);
        fprintf(out, "\r[");
        for (int i = 0; i < width; i++)
                fputc(i < filled ? '#' : '.', out);
        fprintf(out, "] %3ld%%", 100 * done / total);
        fflush(out);
}

int
coop_csv_import(struct db *db, const struct geo *g, FILE *in, int all_or_nothing, enum lang lang,
                FILE *report, FILE *progress, struct import_result *res)
{
        memset(res, 0, sizeof(*res));
        struct importer im = {.db = db,
                              .geo = g,
                              .lang = lang,
                              .report = report,
                              .all_or_nothing = all_or_nothing,
                              .today = date_today(),
                              .res = res};
        im.scope.all = 1; /* the command line acts for the administrator */
        im.row_arena = arena_new();
        struct csv_parser p;
        int rc = -1;
        if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
                arena_free(im.row_arena);
                return -1;
        }
        long total_bytes = 0;
        if (progress) {
                long here = ftell(in);
                if (here >= 0 && fseek(in, 0, SEEK_END) == 0) {
                        total_bytes = ftell(in);
                        fseek(in, here, SEEK_SET);
                }
        }
        /* The whole file is one transaction: with SQLite's 2 MB page cache the indexes'
         * pages (about 25 MB for the national registry) were spilled to the WAL and read
         * back row after row. 32 MB holds them; the default comes back after. */
        db_exec(db, "PRAGMA cache_size=-32768");
        if (db_begin(db) != 0)
                goto done;
        /* Fed line by line so that a rejected record can be reported with its line number. */
        char *line = NULL;
        size_t cap = 0;
        ssize_t len;
        long bytes = 0;
        while (!im.fatal && (len = getline(&line, &cap, in)) >= 0) {
                im.line++;
                bytes += len;
                /* A record starts on this line unless a quoted field is still open (pstate 0:
                 * libcsv's "row not begun"). */
                if (im.nfields == 0 && p.pstate == 0)
                        im.record_line = im.line;
                if (csv_parse(&p, line, (size_t)len, on_field, on_row, &im) != (size_t)len) {
                        im.record_line = im.line;
                        log_error("line %ld: %s", im.line, csv_strerror(csv_error(&p)));
                        im.fatal = 1;
                        break;
                }
                if (progress && total_bytes > 0 && im.line % 2000 == 0)
                        progress_bar(progress, bytes, total_bytes);
        }
        free(line);
        if (!im.fatal && csv_fini(&p, on_field, on_row, &im) != 0) {
                log_error("line %ld: %s", im.line, csv_strerror(csv_error(&p)));
                im.fatal = 1;
        }
        if (progress && total_bytes > 0) {
                progress_bar(progress, total_bytes, total_bytes);
                fputc('\n', progress);
        }
        if (!im.header_done && !im.fatal) {
                log_error("the file is empty: a header row is expected");
                im.fatal = 1;
        }
        if (im.fatal || (all_or_nothing && res->rejected > 0)) {
                db_rollback(db);
                res->inserted = 0;
                rc = im.fatal ? -1 : 0;
                goto done;
        }
        if (db_commit(db) != 0) {
                db_rollback(db);
                res->inserted = 0;
                goto done;
        }
        rc = 0;
done:
        db_exec(db, "PRAGMA cache_size=-2000"); /* SQLite's default, which db_open keeps */
        csv_free(&p);
        arena_free(im.row_arena);
        return rc;
}
