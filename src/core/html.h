/* html.h: HTML emitters that escape by default. */
#ifndef MURAFIQ_HTML_H
#define MURAFIQ_HTML_H

#include "buf.h"

/*
 * Appends fmt to b. Every %s argument is HTML-escaped (text and attribute safe: & < > " ').
 * Supported: %s %d %u %ld %lld %zu %%. A NULL %s prints nothing.
 * Raw markup goes only through html_raw_trusted, so reviewers can grep for it.
 */
void html_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends s escaped. */
void html_text(struct buf *b, const char *s);
/* Appends s as-is: only for literals and markup the program itself built. */
void html_raw_trusted(struct buf *b, const char *s);
/* Appends s percent-encoded for a URL query value (RFC 3986 unreserved kept), then escaped. */
void html_url_arg(struct buf *b, const char *s);

#endif
