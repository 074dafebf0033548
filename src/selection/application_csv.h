/* application_csv.h: applications to a call imported in bulk from CSV, with a report that names
 * the line and the reason of every rejected row. */
#ifndef MURAFIQ_APPLICATION_CSV_H
#define MURAFIQ_APPLICATION_CSV_H

#include <stddef.h>

#include "core/i18n.h"

struct arena;
struct db;
struct scope;

/* At most this many rows per import (the body of a request is at most 1 MB anyway). */
#define APP_IMPORT_MAX_ROWS 5000

/* The columns an import reads (header names, any order; register_number required). */
extern const char *const application_csv_columns[];

/* One problem of a row. */
struct app_import_error {
        long line;           /* the line where the row starts, from 1 (the header) */
        const char *field;   /* the column, or "-" for the whole row */
        const char *message; /* translated */
};

/* One application created (or that would have been, before an all-or-nothing rollback). */
struct app_import_created {
        long line;
        long long id;
        const char *register_number;
};

struct app_import_report {
        long rows;     /* records read, the header excluded */
        long inserted; /* applications kept */
        long rejected; /* rows refused */
        int saved;     /* the valid rows were kept (0 after an all-or-nothing rollback or a fatal
                        * error) */
        const char *fatal; /* the file could not be read ("line N: ..."): nothing kept; or NULL */
        struct app_import_error *errors;
        size_t nerrors;
        struct app_import_created *created; /* empty when nothing was kept */
        size_t ncreated;
};

/*
 * Imports drafts of applications to call_id from the CSV text csv[0..len): a header row naming
 * columns of application_csv_columns, then one cooperative a row, found by its register number
 * within scope (a row of a cooperative outside scope is rejected like an unknown one). Each row
 * is checked like a form; a cooperative that already applied is rejected naming the existing
 * application. One transaction: valid rows are kept unless all_or_nothing and a row was
 * rejected. Messages in lang; everything in a. Returns 0 with *r filled (also when the file is
 * unreadable: r->fatal), or -1 on a database error (nothing kept).
 */
int application_csv_import(struct db *db, const struct scope *scope, long long call_id,
                           long long user_id, const char *csv, size_t len, int all_or_nothing,
                           enum lang lang, struct arena *a, struct app_import_report *r);

#endif
