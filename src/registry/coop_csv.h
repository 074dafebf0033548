/* coop_csv.h: cooperatives as CSV (export and import), columns named like the API fields. */
#ifndef MURAFIQ_COOP_CSV_H
#define MURAFIQ_COOP_CSV_H

#include <stdio.h>

#include "core/i18n.h"

struct buf;
struct coop;
struct db;
struct geo;

/* Appends the header line / one record, quoted as RFC 4180 (libcsv). */
void coop_csv_header(struct buf *b);
void coop_csv_row(struct buf *b, const struct coop *c);

struct import_result {
        long rows, inserted, rejected;
};

/*
 * Imports cooperatives from CSV in (header row with API field names, any order; unknown
 * columns are an error). Each record is validated like a form; rejected records are written to
 * report as "line N: field: reason" in lang. Valid records are kept unless all_or_nothing, in
 * which case one rejected record rolls everything back. progress, when not NULL, receives a
 * progress bar (a terminal). Returns 0 (even with rejected rows), -1 on a fatal error.
 */
int coop_csv_import(struct db *db, const struct geo *g, FILE *in, int all_or_nothing,
                    enum lang lang, FILE *report, FILE *progress, struct import_result *res);

#endif
