/* log.h: one-line logs on stderr. */
#ifndef MURAFIQ_LOG_H
#define MURAFIQ_LOG_H

void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
