/* draw.c: RFC 3797 key string, digests and selection; parsers of sources and pools. Pure. */
#include "selection/draw.h"

#include <stdlib.h>
#include <string.h>

#include <nettle/md5.h>
#include <nettle/version.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/text.h"

static const char *const error_messages[] = {
    [DRAW_OK] = "no error",
    [DRAW_ERR_NO_SOURCE] = "there is no random source",
    [DRAW_ERR_EMPTY_SOURCE] = "empty source: a blank line",
    [DRAW_ERR_NOT_A_NUMBER] = "not a whole number: a source is whole numbers separated by spaces",
    [DRAW_ERR_NEGATIVE] = "negative number: the values of a source are 0 or more",
    [DRAW_ERR_TOO_LARGE] = "number too large: at most 1000000000000000 (10^15)",
    [DRAW_ERR_TOO_MANY_VALUES] = "too many values in one source (at most 64)",
    [DRAW_ERR_TOO_MANY_SOURCES] = "too many sources (at most 32)",
    [DRAW_ERR_EMPTY_POOL] = "the pool has no entry",
    [DRAW_ERR_BLANK_ENTRY] = "blank entry: each line of the pool names one entry",
    [DRAW_ERR_BAD_TEXT] = "invalid text: not UTF-8, or a control character such as a tab",
    [DRAW_ERR_ENTRY_TOO_LONG] = "entry too long (at most 1000 bytes)",
    [DRAW_ERR_POOL_TOO_LARGE] = "too many entries in the pool (at most 100000)",
};

const char *
draw_error_message(int code)
{
        if (code < 0 || (size_t)code >= sizeof(error_messages) / sizeof(error_messages[0]) ||
            error_messages[code] == NULL)
                return "unknown error";
        return error_messages[code];
}

/* ---- key string ---- */

static int
cmp_u64(const void *pa, const void *pb)
{
        uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;
        return (a > b) - (a < b);
}

int
draw_key(struct buf *out, const struct draw_source *sources, size_t n)
{
        uint64_t sorted[DRAW_MAX_VALUES];

        if (n == 0 || n > DRAW_MAX_SOURCES)
                return -1;
        for (size_t i = 0; i < n; i++) {
                const struct draw_source *s = &sources[i];
                if (s->n == 0 || s->n > DRAW_MAX_VALUES)
                        return -1;
                memcpy(sorted, s->values, s->n * sizeof(sorted[0]));
                /* Section 4 step 2: smallest to largest, whatever order they were given in. */
                qsort(sorted, s->n, sizeof(sorted[0]), cmp_u64);
                for (size_t k = 0; k < s->n; k++) {
                        if (sorted[k] > DRAW_MAX_VALUE)
                                return -1;
                        /* Step 1: decimal without leading zeroes, terminated by a period. */
                        buf_printf(out, "%llu.", (unsigned long long)sorted[k]);
                }
                buf_putc(out, '/');
        }
        return out->err ? -1 : 0;
}

/* ---- digests and selection ---- */

void
draw_digest(const char *key, size_t len, uint16_t j, unsigned char out[16])
{
        const uint8_t counter[2] = {(uint8_t)(j >> 8), (uint8_t)(j & 0xff)};
        struct md5_ctx ctx;

        md5_init(&ctx);
        md5_update(&ctx, sizeof(counter), counter);
        md5_update(&ctx, len, (const uint8_t *)key);
        md5_update(&ctx, sizeof(counter), counter);
#if NETTLE_VERSION_MAJOR >= 4
        md5_digest(&ctx, out);
#else
        md5_digest(&ctx, MD5_DIGEST_SIZE, out);
#endif
}

uint32_t
draw_mod128(const unsigned char v[16], uint32_t divisor)
{
        /* (r * 256 + byte) < 2^40 since r < divisor < 2^32: no overflow in 64 bits. */
        uint64_t r = 0;

        if (divisor == 0)
                return 0;
        for (int i = 0; i < 16; i++)
                r = ((r << 8) | v[i]) % divisor;
        return (uint32_t)r;
}

/*
 * The entries not yet selected, as a Fenwick tree of 0/1 counts over pool positions, so that
 * "the (r+1)-th remaining entry in pool order" costs O(log P) instead of a scan.
 */
static void
fenwick_add(uint32_t *tree, size_t size, size_t pos, int delta)
{
        for (size_t i = pos + 1; i <= size; i += i & (~i + 1))
                tree[i] = (uint32_t)((int64_t)tree[i] + delta);
}

/* Returns the 0-based position of the (rank+1)-th remaining entry; rank < remaining. */
static size_t
fenwick_find(const uint32_t *tree, size_t size, size_t rank)
{
        size_t pos = 0, step = 1;

        while (step * 2 <= size)
                step *= 2;
        for (; step > 0; step /= 2) {
                if (pos + step <= size && tree[pos + step] <= rank) {
                        pos += step;
                        rank -= tree[pos];
                }
        }
        return pos; /* tree index pos + 1, that is 0-based position pos */
}

int
draw_select(const char *key, size_t pool_size, size_t select, size_t *out_positions)
{
        if (key == NULL || select == 0 || select > pool_size || select > DRAW_MAX_SELECT ||
            pool_size > DRAW_MAX_POOL)
                return -1;
        uint32_t *tree = calloc(pool_size + 1, sizeof(*tree));
        if (tree == NULL)
                return -1;
        for (size_t i = 1; i <= pool_size; i++) {
                tree[i] += 1;
                size_t parent = i + (i & (~i + 1));
                if (parent <= pool_size)
                        tree[parent] += tree[i];
        }
        size_t len = strlen(key);
        for (size_t j = 0; j < select; j++) {
                unsigned char digest[16];
                draw_digest(key, len, (uint16_t)j, digest);
                uint32_t r = draw_mod128(digest, (uint32_t)(pool_size - j));
                size_t pos = fenwick_find(tree, pool_size, r);
                out_positions[j] = pos;
                fenwick_add(tree, pool_size, pos, -1);
        }
        free(tree);
        return 0;
}

/* ---- parsers ---- */

/* The next line of text[*at..len): sets its start and length (CR before LF removed). */
static int
next_line(const char *text, size_t len, size_t *at, const char **line, size_t *line_len)
{
        if (*at >= len)
                return 0;
        const char *start = text + *at;
        const char *nl = memchr(start, '\n', len - *at);
        size_t n = nl ? (size_t)(nl - start) : len - *at;
        *at += n + (nl ? 1 : 0);
        if (n > 0 && start[n - 1] == '\r')
                n--;
        *line = start;
        *line_len = n;
        return 1;
}

/* Skips a UTF-8 byte order mark, which some editors put at the start of text files. */
static size_t
skip_bom(const char *text, size_t len)
{
        return len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
}

static int
is_blank(char c)
{
        return c == ' ' || c == '\t';
}

/* Parses one line of whole numbers into values[]; returns DRAW_OK or a draw_error. */
static int
parse_source_line(const char *s, size_t len, uint64_t *values, size_t *n)
{
        size_t i = 0;

        *n = 0;
        for (;;) {
                while (i < len && is_blank(s[i]))
                        i++;
                if (i == len)
                        break;
                if (s[i] == '-' && i + 1 < len && s[i + 1] >= '0' && s[i + 1] <= '9')
                        return DRAW_ERR_NEGATIVE;
                uint64_t v = 0;
                size_t start = i;
                for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
                        v = v * 10 + (uint64_t)(s[i] - '0');
                        if (v > DRAW_MAX_VALUE)
                                return DRAW_ERR_TOO_LARGE;
                }
                if (i == start || (i < len && !is_blank(s[i])))
                        return DRAW_ERR_NOT_A_NUMBER;
                if (*n == DRAW_MAX_VALUES)
                        return DRAW_ERR_TOO_MANY_VALUES;
                values[(*n)++] = v;
        }
        return *n == 0 ? DRAW_ERR_EMPTY_SOURCE : DRAW_OK;
}

int
draw_parse_sources(struct arena *a, const char *text, size_t len, struct draw_source **out,
                   size_t *n, size_t *line)
{
        struct draw_source *sources = arena_alloc(a, DRAW_MAX_SOURCES * sizeof(*sources));
        size_t at = skip_bom(text, len), lineno = 0, count = 0, llen;
        const char *l;

        *out = NULL;
        *n = 0;
        *line = 0;
        while (next_line(text, len, &at, &l, &llen)) {
                uint64_t values[DRAW_MAX_VALUES];
                size_t nvalues;
                lineno++;
                int rc = parse_source_line(l, llen, values, &nvalues);
                if (rc == DRAW_OK && count == DRAW_MAX_SOURCES)
                        rc = DRAW_ERR_TOO_MANY_SOURCES;
                if (rc != DRAW_OK) {
                        *line = lineno;
                        return rc;
                }
                uint64_t *copy = arena_alloc(a, nvalues * sizeof(*copy));
                memcpy(copy, values, nvalues * sizeof(*copy));
                sources[count].values = copy;
                sources[count].n = nvalues;
                count++;
        }
        if (count == 0)
                return DRAW_ERR_NO_SOURCE;
        *out = sources;
        *n = count;
        return DRAW_OK;
}

/* Returns DRAW_OK when s[0..len) may be a pool entry, else the draw_error that refuses it. */
static int
check_entry(const char *s, size_t len)
{
        size_t i = 0;

        while (i < len && is_blank(s[i]))
                i++;
        if (i == len)
                return DRAW_ERR_BLANK_ENTRY;
        if (len > DRAW_MAX_ENTRY)
                return DRAW_ERR_ENTRY_TOO_LONG;
        /* text_valid_utf8 allows tab, CR and LF; none of them belongs inside an entry. */
        if (!text_valid_utf8(s, len) || memchr(s, '\t', len) || memchr(s, '\r', len))
                return DRAW_ERR_BAD_TEXT;
        return DRAW_OK;
}

int
draw_parse_pool(struct arena *a, const char *text, size_t len, const char ***out, size_t *n,
                size_t *line)
{
        size_t at = skip_bom(text, len), lines = 0, count = 0, llen;
        const char *l;

        *out = NULL;
        *n = 0;
        *line = 0;
        /* Count the lines first (up to one past the maximum) to allocate the array once. */
        for (size_t p = at; lines <= DRAW_MAX_POOL && next_line(text, len, &p, &l, &llen);)
                lines++;
        if (lines == 0)
                return DRAW_ERR_EMPTY_POOL;
        size_t cap = lines > DRAW_MAX_POOL ? DRAW_MAX_POOL : lines;
        const char **entries = arena_alloc(a, cap * sizeof(*entries));
        while (next_line(text, len, &at, &l, &llen)) {
                int rc = count == DRAW_MAX_POOL ? DRAW_ERR_POOL_TOO_LARGE : check_entry(l, llen);
                if (rc != DRAW_OK) {
                        *line = count + 1;
                        return rc;
                }
                entries[count++] = arena_strndup(a, l, llen);
        }
        *out = entries;
        *n = count;
        return DRAW_OK;
}
