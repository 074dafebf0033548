/* html.c: escaping emitters; the only way markup reaches a response. */
#include "html.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void
html_text(struct buf *b, const char *s)
{
        if (s == NULL)
                return;
        const char *run = s;
        for (; *s; s++) {
                const char *rep;
                switch (*s) {
                case '&':
                        rep = "&amp;";
                        break;
                case '<':
                        rep = "&lt;";
                        break;
                case '>':
                        rep = "&gt;";
                        break;
                case '"':
                        rep = "&quot;";
                        break;
                case '\'':
                        rep = "&#39;";
                        break;
                default:
                        continue;
                }
                buf_append(b, run, (size_t)(s - run));
                buf_puts(b, rep);
                run = s + 1;
        }
        buf_append(b, run, (size_t)(s - run));
}

void
html_raw_trusted(struct buf *b, const char *s)
{
        buf_puts(b, s);
}

void
html_url_arg(struct buf *b, const char *s)
{
        /* Percent-encoding leaves only characters that need no HTML escaping. */
        buf_url_encode(b, s);
}

void
html_printf(struct buf *b, const char *fmt, ...)
{
        va_list ap;
        va_start(ap, fmt);
        const char *run = fmt;
        char num[32];
        for (const char *p = fmt; *p; p++) {
                if (*p != '%')
                        continue;
                buf_append(b, run, (size_t)(p - run));
                p++;
                if (*p == 's') {
                        html_text(b, va_arg(ap, const char *));
                } else if (*p == 'd') {
                        snprintf(num, sizeof(num), "%d", va_arg(ap, int));
                        buf_puts(b, num);
                } else if (*p == 'u') {
                        snprintf(num, sizeof(num), "%u", va_arg(ap, unsigned));
                        buf_puts(b, num);
                } else if (*p == 'z' && p[1] == 'u') {
                        p++;
                        snprintf(num, sizeof(num), "%zu", va_arg(ap, size_t));
                        buf_puts(b, num);
                } else if (*p == 'l' && p[1] == 'd') {
                        p++;
                        snprintf(num, sizeof(num), "%ld", va_arg(ap, long));
                        buf_puts(b, num);
                } else if (*p == 'l' && p[1] == 'l' && p[2] == 'd') {
                        p += 2;
                        snprintf(num, sizeof(num), "%lld", va_arg(ap, long long));
                        buf_puts(b, num);
                } else if (*p == '%') {
                        buf_putc(b, '%');
                } else {
                        /* An unsupported directive is a programming error: show it, loudly. */
                        buf_puts(b, "[bad-format]");
                        if (*p == '\0')
                                break;
                }
                run = p + 1;
        }
        if (*run)
                buf_puts(b, run);
        va_end(ap);
}
