/* csvout.h: writing RFC 4180 CSV fields into a buffer (quoting by libcsv). */
#ifndef MURAFIQ_CSVOUT_H
#define MURAFIQ_CSVOUT_H

struct buf;

/* Appends s as one quoted CSV field, preceded by a comma unless first. */
void csv_put_field(struct buf *b, const char *s, int first);

#endif
