/* buf.h: growable byte buffer in an arena, with a hard maximum and a latched error. */
#ifndef MURAFIQ_BUF_H
#define MURAFIQ_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct arena;

struct buf {
        struct arena *arena;
        char *data; /* always NUL-terminated when len > 0 */
        size_t len, cap, max;
        int err; /* set once an append would pass max; later appends are ignored */
};

/* Prepares an empty buffer whose memory lives in arena and never exceeds max bytes. */
void buf_init(struct buf *b, struct arena *arena, size_t max);
void buf_append(struct buf *b, const void *p, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
/* Raw printf: no escaping. For HTML use html_printf. */
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Inserts n bytes at offset pos (<= len), moving the rest. */
void buf_insert(struct buf *b, size_t pos, const void *p, size_t n);
/* Appends s percent-encoded (RFC 3986 unreserved characters and '/' kept as they are). */
void buf_url_encode(struct buf *b, const char *s);
/* Returns the NUL-terminated contents ("" when empty). */
const char *buf_str(struct buf *b);

#endif
