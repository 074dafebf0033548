/* application_csv.c: bulk import of applications from CSV text (libcsv), with a per-row report. */
#include "selection/application_csv.h"

#include <csv.h>
#include <string.h>

#include "core/arena.h"
#include "core/db.h"
#include "core/http.h"
#include "core/log.h"
#include "core/validate.h"
#include "registry/person_store.h"
#include "selection/application_store.h"

const char *const application_csv_columns[] = {"register_number", "project_summary",
                                               "requested_support", NULL};

#define MAX_COLUMNS 8

struct importer {
        struct db *db;
        const struct scope *scope;
        long long call_id, user_id;
        enum lang lang;
        struct arena *a;
        struct app_import_report *r;
        size_t caperrors, capcreated;

        int header_done;
        int db_failed;
        const char *columns[MAX_COLUMNS];
        int ncolumns;
        char *fields[MAX_COLUMNS];
        int nfields;
        int too_many;
        long line, record_line;
};

static void
add_error(struct importer *im, long line, const char *field, const char *msg)
{
        struct app_import_report *r = im->r;
        if (r->nerrors == im->caperrors) {
                size_t cap = im->caperrors ? 2 * im->caperrors : 16;
                struct app_import_error *p = arena_alloc(im->a, cap * sizeof(*p));
                if (r->nerrors)
                        memcpy(p, r->errors, r->nerrors * sizeof(*p));
                r->errors = p;
                im->caperrors = cap;
        }
        r->errors[r->nerrors].line = line;
        r->errors[r->nerrors].field = field;
        r->errors[r->nerrors].message = msg;
        r->nerrors++;
}

static void
add_created(struct importer *im, long long id, const char *regno)
{
        struct app_import_report *r = im->r;
        if (r->ncreated == im->capcreated) {
                size_t cap = im->capcreated ? 2 * im->capcreated : 16;
                struct app_import_created *p = arena_alloc(im->a, cap * sizeof(*p));
                if (r->ncreated)
                        memcpy(p, r->created, r->ncreated * sizeof(*p));
                r->created = p;
                im->capcreated = cap;
        }
        r->created[r->ncreated].line = im->record_line;
        r->created[r->ncreated].id = id;
        r->created[r->ncreated].register_number = regno;
        r->ncreated++;
}

static void
fatal(struct importer *im, long line, const char *msg)
{
        if (im->r->fatal == NULL)
                im->r->fatal = arena_printf(im->a, _(im->lang, "line %ld: %s"), line, msg);
}

static void
on_field(void *data, size_t len, void *ctx)
{
        struct importer *im = ctx;
        if (im->nfields >= MAX_COLUMNS) {
                im->too_many = 1;
                return;
        }
        im->fields[im->nfields++] = arena_strndup(im->a, data ? data : "", len);
}

static const char *
row_get(void *ctx, const char *name)
{
        struct importer *im = ctx;
        for (int i = 0; i < im->ncolumns && i < im->nfields; i++)
                if (strcmp(im->columns[i], name) == 0)
                        return im->fields[i];
        return NULL;
}

static void
on_header(struct importer *im)
{
        im->header_done = 1;
        if (im->too_many) {
                fatal(im, 1, _(im->lang, "The header has too many columns."));
                return;
        }
        for (int i = 0; i < im->nfields; i++) {
                const char *name = im->fields[i];
                /* A byte order mark that a spreadsheet put before the first name. */
                if (i == 0 && strncmp(name, "\xEF\xBB\xBF", 3) == 0)
                        name += 3;
                im->columns[i] = NULL;
                for (int k = 0; application_csv_columns[k]; k++)
                        if (strcmp(name, application_csv_columns[k]) == 0)
                                im->columns[i] = application_csv_columns[k];
                if (im->columns[i] == NULL) {
                        fatal(im, 1,
                              arena_printf(im->a,
                                           _(im->lang, "Unknown column \"%s\": the columns are "
                                                       "register_number, project_summary and "
                                                       "requested_support."),
                                           name));
                        return;
                }
                for (int k = 0; k < i; k++)
                        if (im->columns[k] == im->columns[i]) {
                                fatal(im, 1,
                                      arena_printf(im->a,
                                                   _(im->lang, "The column \"%s\" appears twice."),
                                                   name));
                                return;
                        }
        }
        im->ncolumns = im->nfields;
        for (int i = 0; i < im->ncolumns; i++)
                if (strcmp(im->columns[i], "register_number") == 0)
                        return;
        fatal(im, 1, _(im->lang, "The column \"register_number\" is missing."));
}

static void
import_row(struct importer *im)
{
        struct app_import_report *r = im->r;
        long line = im->record_line;
        r->rows++;
        if (r->rows > APP_IMPORT_MAX_ROWS) {
                fatal(im, line,
                      arena_printf(im->a, _(im->lang, "An import holds at most %d rows."),
                                   APP_IMPORT_MAX_ROWS));
                return;
        }
        if (im->too_many || im->nfields != im->ncolumns) {
                r->rejected++;
                add_error(im, line, "-",
                          arena_printf(im->a,
                                       _(im->lang, "This row has %d fields; the header has %d."),
                                       im->too_many ? MAX_COLUMNS + 1 : im->nfields, im->ncolumns));
                return;
        }
        struct errs e;
        errs_init(&e, im->a, im->lang);
        struct application app = {0};
        app.call_id = im->call_id;
        app.project_summary = app.requested_support = "";
        const char *regno = v_text(&e, "register_number", row_get(im, "register_number"), 1, 32, 0);
        application_apply(&app, &e, row_get, im);
        if (regno && e.n == 0) {
                int rc =
                    person_store_coop_by_register(im->db, im->scope, regno, &app.cooperative_id);
                if (rc == STORE_NOT_FOUND)
                        errs_add(&e, "register_number",
                                 "No cooperative with this register number in your regions.");
                else if (rc != STORE_OK)
                        im->db_failed = 1;
        }
        if (im->db_failed)
                return;
        if (e.n) {
                r->rejected++;
                for (size_t i = 0; i < e.n; i++)
                        add_error(im, line, e.list[i].field, e.list[i].msg);
                return;
        }
        long long existing = 0;
        int rc =
            application_store_insert_tx(im->db, im->scope, &app, im->user_id, &existing, im->a);
        if (rc == STORE_DUPLICATE) {
                r->rejected++;
                add_error(im, line, "register_number",
                          application_duplicate_text(im->lang, im->a, existing));
        } else if (rc == STORE_NOT_FOUND) {
                r->rejected++;
                add_error(im, line, "register_number",
                          _(im->lang, "No cooperative with this register number in your regions."));
        } else if (rc != STORE_OK) {
                im->db_failed = 1;
        } else {
                r->inserted++;
                add_created(im, app.id, regno);
        }
}

static void
on_row(int term, void *ctx)
{
        (void)term;
        struct importer *im = ctx;
        if (im->r->fatal == NULL && !im->db_failed) {
                if (!im->header_done)
                        on_header(im);
                else
                        import_row(im);
        }
        im->nfields = 0;
        im->too_many = 0;
}

int
application_csv_import(struct db *db, const struct scope *scope, long long call_id,
                       long long user_id, const char *csv, size_t len, int all_or_nothing,
                       enum lang lang, struct arena *a, struct app_import_report *r)
{
        memset(r, 0, sizeof(*r));
        struct importer im = {.db = db,
                              .scope = scope,
                              .call_id = call_id,
                              .user_id = user_id,
                              .lang = lang,
                              .a = a,
                              .r = r};
        struct csv_parser p;
        if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
                return -1;
        if (db_begin(db) != 0) {
                csv_free(&p);
                return -1;
        }
        /* Fed line by line so that a rejected record is reported with the line it starts on. */
        size_t off = 0;
        while (off < len && r->fatal == NULL && !im.db_failed) {
                const char *nl = memchr(csv + off, '\n', len - off);
                size_t n = nl ? (size_t)(nl - (csv + off)) + 1 : len - off;
                im.line++;
                if (im.nfields == 0 && p.pstate == 0)
                        im.record_line = im.line;
                if (csv_parse(&p, csv + off, n, on_field, on_row, &im) != n) {
                        fatal(&im, im.line,
                              _(lang, "This line is not valid CSV: a quote is misplaced."));
                        break;
                }
                off += n;
        }
        if (r->fatal == NULL && !im.db_failed && csv_fini(&p, on_field, on_row, &im) != 0)
                fatal(&im, im.record_line, _(lang, "A quoted field is not closed."));
        csv_free(&p);
        if (r->fatal == NULL && !im.header_done)
                fatal(&im, 1, _(lang, "The text is empty: a header row is expected."));
        if (im.db_failed) {
                db_rollback(db);
                return -1;
        }
        if (r->fatal || (all_or_nothing && r->rejected > 0)) {
                db_rollback(db);
                r->inserted = 0;
                r->ncreated = 0;
                return 0;
        }
        if (db_commit(db) != 0) {
                db_rollback(db);
                return -1;
        }
        r->saved = 1;
        return 0;
}
