/* draw_web.h: what the draw pages and the draw API share (checks, computation, messages). */
#ifndef MURAFIQ_DRAW_WEB_H
#define MURAFIQ_DRAW_WEB_H

#include <stddef.h>

#include "core/http.h"
#include "core/validate.h"
#include "selection/draw_store.h"

/* The fields of a new draw, in the order the forms show them. */
extern const char *const draw_fields[];

/*
 * Reads a new draw through get (title, description, select_count, sources_announced) and its
 * pool from pool_text (one entry a line; NULL when not sent), checks them and fills d and
 * *entries / *nentries (in the arena). Every problem goes to e under its field name, the pool's
 * naming the line at fault. Returns 0, or -1 when e holds an error.
 */
int draw_apply(struct request *req, struct draw *d, const char *pool_text, const char ***entries,
               size_t *nentries, struct errs *e, field_get_fn get, void *ctx);

/* The outcome of draw_compute, in the request's arena. */
struct draw_outcome {
        const char *sources;  /* the values as parsed, one source a line, separated by spaces */
        const char *key;      /* the RFC 3797 key string */
        long long *positions; /* 1-based pool positions, select_count of them, in order */
        size_t n;
};

/*
 * Parses sources_text (one source a line) for the published draw dd and computes the key and
 * the selection (RFC 3797 section 4). Problems go to e under "sources", naming the line.
 * Returns 0, or -1 when e holds an error.
 */
int draw_compute(struct request *req, const struct draw_detail *dd, const char *sources_text,
                 struct errs *e, struct draw_outcome *out);

/* 1 when the logged-in user may see the draw: drafts only for those who manage draws. */
int draw_visible(const struct request *req, const struct draw *d);

/* The translated word for a status (draft, published, drawn). */
const char *draw_status_label(enum lang L, const char *status);

/*
 * For a write on dd in state `want` ("draft" to publish, "published" to draw) at version
 * (0: any): answers 409 with the reason and returns -1 when the draw is in another state or
 * changed since; returns 0 when the write may go on.
 */
int draw_check_state_or_reply(struct request *req, const struct draw *d, const char *want,
                              long long version);

/* Answers a store failure of a write (conflict found at write time, not found, internal). */
void draw_reply_store_error(struct request *req, int rc);

#endif
