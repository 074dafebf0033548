/* buf.c: arena-backed string builder. */
#include "buf.h"

#include <stdio.h>
#include <string.h>

#include "arena.h"

void
buf_init(struct buf *b, struct arena *arena, size_t max)
{
        memset(b, 0, sizeof(*b));
        b->arena = arena;
        b->max = max;
}

static int
buf_grow(struct buf *b, size_t extra)
{
        if (b->err)
                return -1;
        if (extra > b->max || b->len > b->max - extra) {
                b->err = 1;
                return -1;
        }
        size_t need = b->len + extra + 1;
        if (need <= b->cap)
                return 0;
        size_t cap = b->cap ? b->cap : 256;
        while (cap < need)
                cap *= 2;
        char *p = arena_alloc(b->arena, cap);
        if (b->len)
                memcpy(p, b->data, b->len);
        b->data = p;
        b->cap = cap;
        return 0;
}

void
buf_append(struct buf *b, const void *p, size_t n)
{
        if (n == 0 || buf_grow(b, n) != 0)
                return;
        memcpy(b->data + b->len, p, n);
        b->len += n;
        b->data[b->len] = '\0';
}

void
buf_puts(struct buf *b, const char *s)
{
        if (s)
                buf_append(b, s, strlen(s));
}

void
buf_putc(struct buf *b, char c)
{
        buf_append(b, &c, 1);
}

void
buf_printf(struct buf *b, const char *fmt, ...)
{
        char small[256];
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(small, sizeof(small), fmt, ap);
        va_end(ap);
        if (n < 0)
                return;
        if ((size_t)n < sizeof(small)) {
                buf_append(b, small, (size_t)n);
                return;
        }
        if (buf_grow(b, (size_t)n) != 0)
                return;
        va_start(ap, fmt);
        vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
        va_end(ap);
        b->len += (size_t)n;
}

const char *
buf_str(struct buf *b)
{
        return b->len ? b->data : "";
}

void
buf_url_encode(struct buf *b, const char *s)
{
        static const char hex[] = "0123456789ABCDEF";
        for (; s && *s; s++) {
                unsigned char c = (unsigned char)*s;
                if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.' || c == '~' || c == '/') {
                        buf_putc(b, (char)c);
                } else {
                        char enc[3] = {'%', hex[c >> 4], hex[c & 15]};
                        buf_append(b, enc, 3);
                }
        }
}

void
buf_insert(struct buf *b, size_t pos, const void *p, size_t n)
{
        if (n == 0 || pos > b->len || buf_grow(b, n) != 0)
                return;
        memmove(b->data + pos + n, b->data + pos, b->len - pos);
        memcpy(b->data + pos, p, n);
        b->len += n;
        b->data[b->len] = '\0';
}
