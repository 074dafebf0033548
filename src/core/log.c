/* log.c: timestamped one-line logs on stderr (one write per line, safe across threads). */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

static void
log_line(const char *level, const char *fmt, va_list ap)
{
        char line[2048];
        time_t t = time(NULL);
        struct tm tm;
        gmtime_r(&t, &tm);
        size_t n = strftime(line, sizeof(line), "%Y-%m-%dT%H:%M:%SZ ", &tm);
        int k = snprintf(line + n, sizeof(line) - n, "%s", level);
        if (k > 0)
                n += (size_t)k;
        k = vsnprintf(line + n, sizeof(line) - n - 1, fmt, ap);
        if (k > 0)
                n += (size_t)k < sizeof(line) - n - 1 ? (size_t)k : sizeof(line) - n - 2;
        line[n++] = '\n';
        ssize_t w = write(2, line, n);
        (void)w;
}

void
log_info(const char *fmt, ...)
{
        va_list ap;
        va_start(ap, fmt);
        log_line("", fmt, ap);
        va_end(ap);
}

void
log_error(const char *fmt, ...)
{
        va_list ap;
        va_start(ap, fmt);
        log_line("error: ", fmt, ap);
        va_end(ap);
}
