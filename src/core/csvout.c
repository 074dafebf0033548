/* csvout.c: RFC 4180 fields through libcsv's csv_write. */
#include "core/csvout.h"

#include <csv.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"

void
csv_put_field(struct buf *b, const char *s, int first)
{
        if (!first)
                buf_putc(b, ',');
        size_t n = strlen(s);
        /* csv_write needs at most 2n + 2 bytes: every quote doubled, plus the enclosing pair. */
        char small[512];
        char *out = 2 * n + 2 <= sizeof(small) ? small : xmalloc(2 * n + 2);
        size_t w = csv_write(out, 2 * n + 2, s, n);
        buf_append(b, out, w);
        if (out != small)
                free(out);
}
