/* draw.h: publicly verifiable draws, RFC 3797 section 4 exactly (pure: no I/O, no database). */
#ifndef MURAFIQ_DRAW_H
#define MURAFIQ_DRAW_H

#include <stddef.h>
#include <stdint.h>

struct arena;
struct buf;

/*
 * The rules implemented, with their place in RFC 3797 ("Publicly Verifiable Nominations
 * Committee (NomCom) Random Selection", June 2004). Section 6 is the RFC's fully worked
 * example and section 8 its reference code; tests/unit/test_draw.c reproduces section 6.
 *
 * Key string (section 4, steps 1 to 3; reference code in section 8):
 *  - each value is written in decimal without leading zeroes ("0" for zero) and terminated by
 *    a period: 08285182 gives "8285182.";
 *  - the values of each source are ordered from the smallest to the largest (repeated values
 *    kept), then the source is terminated by "/": "2 5 12 8 10" gives "2.5.8.10.12./"; a
 *    source of a single value is that value and "/": "9319./";
 *  - the sources are concatenated in the order they were announced (one per line here), and
 *    each character is taken as its ASCII code: "9319./2.5.8.10.12./9.18.26.34.41.45./". The
 *    key has no terminating NUL, newline or space in what is hashed.
 *  - Section 4 also allows fractional values ("with a period separating the whole from the
 *    fractional part", trailing zeroes removed). This implementation accepts whole numbers
 *    only (0 to DRAW_MAX_VALUE); a source that is not a list of whole numbers (text, scores
 *    written "4-1", decimals, signs) is refused rather than guessed at.
 *
 * Selection (section 4, last paragraphs; reference code in section 8):
 *  - the pool is numbered 1 to P in its published order;
 *  - for j = 0, 1, ..., N-1: the digest D_j = MD5(J || key || J), where J is j as two bytes,
 *    most significant first (0x00 0x00, then 0x00 0x01, ...), and the key is hashed without
 *    any terminator;
 *  - D_j is read as an unsigned 128-bit integer, most significant byte first; its remainder
 *    modulo the number of entries still in the pool (P - j) is computed exactly by long
 *    division over the 16 bytes (draw_mod128);
 *  - remainder r selects the (r+1)-th entry among those not yet selected, counted in pool
 *    order; that entry is removed and the rest keep their order;
 *  - so N is at most P, and at most 65,536 because j must fit in two bytes.
 */

#define DRAW_MAX_VALUE   1000000000000000ULL /* 10^15: larger values are refused */
#define DRAW_MAX_SOURCES 32                  /* sources in one key */
#define DRAW_MAX_VALUES  64                  /* values in one source */
#define DRAW_MAX_POOL    100000              /* entries in a pool */
#define DRAW_MAX_SELECT  65536               /* j is a two-byte counter */
#define DRAW_MAX_ENTRY   1000                /* bytes in one pool entry */

/* One random source as announced: its values in any order (draw_key sorts a copy). */
struct draw_source {
        const uint64_t *values;
        size_t n; /* at least 1 */
};

/* Stable result codes of the parsers; draw_error_message gives each its English message. */
enum draw_error {
        DRAW_OK = 0,
        DRAW_ERR_NO_SOURCE,       /* no source at all */
        DRAW_ERR_EMPTY_SOURCE,    /* a blank line in the sources */
        DRAW_ERR_NOT_A_NUMBER,    /* something other than digits and spaces */
        DRAW_ERR_NEGATIVE,        /* a value written with a minus sign */
        DRAW_ERR_TOO_LARGE,       /* a value above DRAW_MAX_VALUE */
        DRAW_ERR_TOO_MANY_VALUES, /* more than DRAW_MAX_VALUES in one source */
        DRAW_ERR_TOO_MANY_SOURCES,
        DRAW_ERR_EMPTY_POOL,     /* no entry at all */
        DRAW_ERR_BLANK_ENTRY,    /* an empty or white-space-only line in the pool */
        DRAW_ERR_BAD_TEXT,       /* not UTF-8, or a control character such as a tab */
        DRAW_ERR_ENTRY_TOO_LONG, /* more than DRAW_MAX_ENTRY bytes */
        DRAW_ERR_POOL_TOO_LARGE, /* more than DRAW_MAX_POOL entries */
};

/* Returns the English message of a draw_error code, for the command line (a literal). Pages
 * translate the code instead: these strings are not in the catalogs. */
const char *draw_error_message(int code);

/*
 * Appends the RFC 3797 key string of sources[0..n) to out. Returns 0, or -1 (out unchanged
 * or partly written) when n is 0 or above DRAW_MAX_SOURCES, a source has no value or more
 * than DRAW_MAX_VALUES, a value is above DRAW_MAX_VALUE, or out reached its maximum.
 * The sources are not modified.
 */
int draw_key(struct buf *out, const struct draw_source *sources, size_t n);

/*
 * Writes to out the MD5 digest of the two bytes of j (most significant first), the len
 * bytes of key, then the two bytes of j again: the j-th value of section 4 (j counts from 0).
 */
void draw_digest(const char *key, size_t len, uint16_t j, unsigned char out[16]);

/*
 * Returns the remainder of the 16-byte big-endian unsigned integer v divided by divisor,
 * exactly (long division one byte at a time). divisor is 1 to 2^32 - 1.
 */
uint32_t draw_mod128(const unsigned char v[16], uint32_t divisor);

/*
 * Draws select entries from a pool of pool_size (RFC 3797 section 4) with the NUL-terminated
 * key. Writes to out_positions[0..select) the 0-based pool positions, in selection order.
 * Returns 0, or -1 when select is 0, above pool_size or above DRAW_MAX_SELECT, pool_size is
 * above DRAW_MAX_POOL, or memory runs out. Selecting the whole pool gives a permutation.
 */
int draw_select(const char *key, size_t pool_size, size_t select, size_t *out_positions);

/*
 * Parses a sources text: one source a line, its values in decimal separated by spaces or
 * tabs (leading zeroes allowed; they are dropped in the key). A final newline is optional,
 * CR before LF and a leading UTF-8 byte order mark are ignored. On success returns DRAW_OK
 * with *out (n sources, arrays in the arena); otherwise returns a draw_error and sets *line
 * to the 1-based line at fault (0 when it concerns the whole text).
 */
int draw_parse_sources(struct arena *a, const char *text, size_t len, struct draw_source **out,
                       size_t *n, size_t *line);

/*
 * Parses a pool text: one entry a line, in published order, kept as written (a final newline
 * optional, CR before LF and a leading byte order mark ignored). Each line must be valid
 * UTF-8 without control characters (tabs included, since the output is tab-separated), at
 * most DRAW_MAX_ENTRY bytes, and not blank; at most DRAW_MAX_POOL entries. On success returns
 * DRAW_OK with *out (n NUL-terminated strings in the arena); otherwise a draw_error and *line
 * as for draw_parse_sources.
 */
int draw_parse_pool(struct arena *a, const char *text, size_t len, const char ***out, size_t *n,
                    size_t *line);

/*
 * `murafiq draw --pool FILE --sources FILE --select N [--show-key]`: prints the selection,
 * one line each: rank, 1-based pool position, entry, separated by tabs (after `key<TAB>KEY`
 * with --show-key). Returns 0, 2 for a usage error, 1 for other failures.
 */
int cmd_draw(int argc, char **argv);

#endif
