/* test_draw.c: RFC 3797 draws: the RFC's worked example, key format, modulo, parsers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/arena.h"
#include "core/buf.h"
#include "selection/draw.h"

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

static void
hex16(const unsigned char d[16], char out[33])
{
        static const char digits[] = "0123456789ABCDEF";
        for (int i = 0; i < 16; i++) {
                out[2 * i] = digits[d[i] >> 4];
                out[2 * i + 1] = digits[d[i] & 15];
        }
        out[32] = '\0';
}

static void
unhex16(const char *s, unsigned char out[16])
{
        for (int i = 0; i < 16; i++) {
                unsigned v = 0;
                for (int k = 0; k < 2; k++) {
                        char c = s[2 * i + k];
                        v = v * 16 + (unsigned)(c <= '9' ? c - '0' : c - 'A' + 10);
                }
                out[i] = (unsigned char)v;
        }
}

/* Parses the sources text and returns its key string (in the arena). */
static const char *
key_of(struct arena *a, const char *sources_text)
{
        struct draw_source *src;
        size_t n, line;
        struct buf b;

        assert_int_equal(draw_parse_sources(a, sources_text, strlen(sources_text), &src, &n, &line),
                         DRAW_OK);
        buf_init(&b, a, 4096);
        assert_int_equal(draw_key(&b, src, n), 0);
        return buf_str(&b);
}

/*
 * RFC 3797 section 6, "Fully Worked Example": a pool of 25 volunteers, 10 to select; the three
 * sources are 9319, then 2 5 12 8 10 (announced in that order, sorted in the key), then
 * 9 18 26 34 41 45. The RFC prints the key, then for each selection the MD5 value in hex,
 * the divisor (entries remaining) and the selected volunteer's number.
 */
static const char rfc_sources[] = "9319\n2 5 12 8 10\n9 18 26 34 41 45\n";
static const char rfc_key[] = "9319./2.5.8.10.12./9.18.26.34.41.45./";
static const struct {
        const char *md5;
        unsigned divisor, selected;
} rfc_rows[] = {
    {"990DD0A5692A029A98B5E01AA28F3459", 25, 17}, {"3691E55CB63FCC37914430B2F70B5EC6", 24, 7},
    {"FE814EDF564C190AC1D25753979990FA", 23, 2},  {"1863CCACEB568C31D7DDBDF1D4E91387", 22, 16},
    {"F4AB33DF4889F0AF29C513905BE1D758", 21, 25}, {"13EAEB529F61ACFB9A29D0BA3A60DE4A", 20, 23},
    {"992DB77C382CA2BDB9727001F3CDCCD9", 19, 8},  {"63AB4258ECA922976811C7F55C383CE7", 18, 24},
    {"DFBC5AC97CED01B3A6E348E3CC63F40D", 17, 19}, {"31CB111C4A4EBE9287CEAE16FE51B909", 16, 13},
};

static void
test_rfc_example(void **state)
{
        struct arena *a = arena_new();
        size_t positions[LEN(rfc_rows)];

        (void)state;
        const char *key = key_of(a, rfc_sources);
        assert_string_equal(key, rfc_key);
        for (size_t j = 0; j < LEN(rfc_rows); j++) {
                unsigned char d[16];
                char hex[33];
                draw_digest(key, strlen(key), (uint16_t)j, d);
                hex16(d, hex);
                assert_string_equal(hex, rfc_rows[j].md5);
        }
        assert_int_equal(draw_select(key, 25, LEN(rfc_rows), positions), 0);
        for (size_t j = 0; j < LEN(rfc_rows); j++)
                assert_int_equal(positions[j] + 1, rfc_rows[j].selected);
        arena_free(a);
}

/*
 * A second published draw, the IETF NomCom 2013-2014 selection (pool 154), as recomputed with
 * the RFC's section 8 reference code: note the leading zero of the second source.
 */
static void
test_nomcom_2013(void **state)
{
        static const unsigned want[] = {138, 151, 89, 112, 117, 145, 118, 143, 144, 122, 95, 139};
        struct arena *a = arena_new();
        size_t positions[LEN(want)];

        (void)state;
        const char *key = key_of(a, "7 8 11 17 19 25 46\n08285182\n60115701\n2 3 18 26 32 33 42\n");
        assert_string_equal(key, "7.8.11.17.19.25.46./8285182./60115701./2.3.18.26.32.33.42./");
        assert_int_equal(draw_select(key, 154, LEN(want), positions), 0);
        for (size_t j = 0; j < LEN(want); j++)
                assert_int_equal(positions[j] + 1, want[j]);
        arena_free(a);
}

/* Key string formatting (section 4 steps 1 to 3), from the sources text. */
static const struct {
        const char *sources, *key;
} key_cases[] = {
    {"7\n", "7./"},
    {"0\n", "0./"},
    {"000\n", "0./"},
    {"007 010\n", "7.10./"},
    {"3 1 2", "1.2.3./"},                         /* no final newline */
    {"5 5 1\n", "1.5.5./"},                       /* repeated values are kept */
    {"10 9 100\n", "9.10.100./"},                 /* numeric order, not text order */
    {"2\n1\n", "2./1./"},                         /* sources stay in announced order */
    {"  4\t 2  \n", "2.4./"},                     /* spaces and tabs separate */
    {"1 2\r\n3\r\n", "1.2./3./"},                 /* CRLF line ends */
    {"\357\273\2779\n", "9./"},                   /* after a UTF-8 byte order mark */
    {"1000000000000000\n", "1000000000000000./"}, /* 10^15, the largest value */
};

static void
test_key_format(void **state)
{
        (void)state;
        for (size_t i = 0; i < LEN(key_cases); i++) {
                struct arena *a = arena_new();
                const char *key = key_of(a, key_cases[i].sources);
                if (strcmp(key, key_cases[i].key) != 0)
                        fail_msg("case %zu: key %s, want %s", i, key, key_cases[i].key);
                arena_free(a);
        }
}

static void
test_key_refusals(void **state)
{
        struct arena *a = arena_new();
        const uint64_t ok[] = {3, 1}, big[] = {1, DRAW_MAX_VALUE + 1};
        uint64_t many[DRAW_MAX_VALUES + 1] = {0};
        struct draw_source src[DRAW_MAX_SOURCES + 1];
        struct buf b;

        (void)state;
        for (size_t i = 0; i < LEN(src); i++)
                src[i] = (struct draw_source){ok, 2};
        buf_init(&b, a, 4096);
        assert_int_equal(draw_key(&b, src, 0), -1);
        assert_int_equal(draw_key(&b, src, DRAW_MAX_SOURCES + 1), -1);
        buf_init(&b, a, 4096);
        assert_int_equal(draw_key(&b, src, DRAW_MAX_SOURCES), 0);
        assert_int_equal(ok[0], 3); /* the caller's values are not sorted in place */
        struct draw_source bad[] = {{ok, 0}, {big, 2}, {many, DRAW_MAX_VALUES + 1}};
        for (size_t i = 0; i < LEN(bad); i++) {
                buf_init(&b, a, 4096);
                assert_int_equal(draw_key(&b, &bad[i], 1), -1);
        }
        buf_init(&b, a, 4); /* "1.3./" needs 5 bytes */
        assert_int_equal(draw_key(&b, src, 1), -1);
        arena_free(a);
}

/* The counter is two bytes, most significant first: j = 300 is 0x01 0x2C on both sides. */
static void
test_digest_two_byte_counter(void **state)
{
        unsigned char d[16];
        char hex[33];

        (void)state;
        draw_digest(rfc_key, strlen(rfc_key), 300, d);
        hex16(d, hex);
        assert_string_equal(hex, "931235E81C7B3194C84AB4A5A04CD62D");
}

static const struct {
        const char *value;
        uint32_t divisor, remainder;
} mod_cases[] = {
    {"FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF", 1, 0},
    {"FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF", 2, 1},
    {"FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF", 3, 0}, /* 2^128 - 1 = (2^2)^64 - 1 */
    {"FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF", 7, 3},
    {"FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF", 25, 5},
    {"FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF", 65535, 0},
    {"FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF", 65536, 65535},
    {"FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF", 100000, 11455},
    {"FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF", 4294967295u, 0},
    {"00000000000000000000000000000000", 25, 0},
    {"00000000000000000000000000000005", 3, 2},                    /* only the last byte counts */
    {"01000000000000000000000000000000", 1000, 576},               /* 2^120 */
    {"01000000000000000000000000000000", 99991, 32232},            /* 2^120, prime divisor */
    {"01000000000000000000000000000000", 4294967291u, 2097152000}, /* 2^120, largest prime */
    {"990DD0A5692A029A98B5E01AA28F3459", 25, 16}, /* RFC 3797 section 6, first draw */
    {"3691E55CB63FCC37914430B2F70B5EC6", 24, 6},
    {"FE814EDF564C190AC1D25753979990FA", 23, 1},
};

static void
test_mod128(void **state)
{
        (void)state;
        for (size_t i = 0; i < LEN(mod_cases); i++) {
                unsigned char v[16];
                unhex16(mod_cases[i].value, v);
                uint32_t r = draw_mod128(v, mod_cases[i].divisor);
                if (r != mod_cases[i].remainder)
                        fail_msg("case %zu: %s mod %u = %u, want %u", i, mod_cases[i].value,
                                 mod_cases[i].divisor, r, mod_cases[i].remainder);
        }
}

/* The straightforward reading of section 4: an array of remaining positions, one removed. */
static void
naive_select(const char *key, size_t pool, size_t select, size_t *out)
{
        size_t *left = malloc(pool * sizeof(*left));
        assert_non_null(left);
        for (size_t i = 0; i < pool; i++)
                left[i] = i;
        for (size_t j = 0; j < select; j++) {
                unsigned char d[16];
                draw_digest(key, strlen(key), (uint16_t)j, d);
                size_t r = draw_mod128(d, (uint32_t)(pool - j));
                out[j] = left[r];
                memmove(left + r, left + r + 1, (pool - j - r - 1) * sizeof(*left));
        }
        free(left);
}

static void
test_select_whole_pool_is_permutation(void **state)
{
        enum { POOL = 1000 };
        static size_t got[POOL], want[POOL];
        static unsigned char seen[POOL];

        (void)state;
        assert_int_equal(draw_select(rfc_key, POOL, POOL, got), 0);
        memset(seen, 0, sizeof(seen));
        for (size_t i = 0; i < POOL; i++) {
                assert_true(got[i] < POOL);
                assert_int_equal(seen[got[i]], 0);
                seen[got[i]] = 1;
        }
        naive_select(rfc_key, POOL, POOL, want);
        assert_memory_equal(got, want, sizeof(got));
        /* Drawing fewer gives the same first selections (the RFC's repeatability). */
        size_t first[7];
        assert_int_equal(draw_select(rfc_key, POOL, 7, first), 0);
        assert_memory_equal(first, got, sizeof(first));
        size_t one;
        assert_int_equal(draw_select(rfc_key, 1, 1, &one), 0);
        assert_int_equal(one, 0);
}

static void
test_select_largest(void **state)
{
        size_t *got = malloc(DRAW_MAX_SELECT * sizeof(*got));
        size_t *want = malloc(DRAW_MAX_SELECT * sizeof(*want));

        (void)state;
        assert_non_null(got);
        assert_non_null(want);
        assert_int_equal(draw_select(rfc_key, DRAW_MAX_POOL, DRAW_MAX_SELECT, got), 0);
        naive_select(rfc_key, DRAW_MAX_POOL, 300, want); /* j up to 299: past one byte */
        assert_memory_equal(got, want, 300 * sizeof(*got));
        free(got);
        free(want);
}

static void
test_select_refusals(void **state)
{
        size_t out[30];

        (void)state;
        assert_int_equal(draw_select(rfc_key, 25, 0, out), -1);
        assert_int_equal(draw_select(rfc_key, 25, 26, out), -1);
        assert_int_equal(draw_select(rfc_key, 0, 1, out), -1);
        assert_int_equal(draw_select(NULL, 25, 1, out), -1);
        assert_int_equal(draw_select(rfc_key, DRAW_MAX_POOL + 1, 1, out), -1);
        assert_int_equal(draw_select(rfc_key, DRAW_MAX_POOL, DRAW_MAX_SELECT + 1, out), -1);
}

static const struct {
        const char *text;
        int code;
        size_t line;
} source_errors[] = {
    {"", DRAW_ERR_NO_SOURCE, 0},
    {"\xEF\xBB\xBF", DRAW_ERR_NO_SOURCE, 0},
    {"\n", DRAW_ERR_EMPTY_SOURCE, 1},
    {"1 2\n\n3\n", DRAW_ERR_EMPTY_SOURCE, 2},
    {"1 2\n   \n", DRAW_ERR_EMPTY_SOURCE, 2},
    {"1 2\n3\n\n", DRAW_ERR_EMPTY_SOURCE, 3},
    {"1 2\n3 x\n", DRAW_ERR_NOT_A_NUMBER, 2},
    {"12a\n", DRAW_ERR_NOT_A_NUMBER, 1},
    {"1,2\n", DRAW_ERR_NOT_A_NUMBER, 1},
    {"1.5\n", DRAW_ERR_NOT_A_NUMBER, 1},
    {"+3\n", DRAW_ERR_NOT_A_NUMBER, 1},
    {"W 4-1\n", DRAW_ERR_NOT_A_NUMBER, 1},
    {"# comment\n", DRAW_ERR_NOT_A_NUMBER, 1},
    {"1\n2\n-3\n", DRAW_ERR_NEGATIVE, 3},
    {"4 -0\n", DRAW_ERR_NEGATIVE, 1},
    {"1000000000000001\n", DRAW_ERR_TOO_LARGE, 1},
    {"5\n99999999999999999999999999\n", DRAW_ERR_TOO_LARGE, 2},
};

static void
test_parse_sources_errors(void **state)
{
        (void)state;
        for (size_t i = 0; i < LEN(source_errors); i++) {
                struct arena *a = arena_new();
                struct draw_source *src = (void *)1;
                size_t n = 99, line = 99;
                int rc = draw_parse_sources(a, source_errors[i].text, strlen(source_errors[i].text),
                                            &src, &n, &line);
                if (rc != source_errors[i].code || line != source_errors[i].line)
                        fail_msg("case %zu: code %d line %zu, want code %d line %zu", i, rc, line,
                                 source_errors[i].code, source_errors[i].line);
                assert_null(src);
                assert_int_equal(n, 0);
                assert_string_not_equal(draw_error_message(rc), "unknown error");
                arena_free(a);
        }
}

static void
test_parse_sources_limits(void **state)
{
        struct arena *a = arena_new();
        char text[1024];
        struct draw_source *src;
        size_t n, line, len = 0;

        (void)state;
        for (int i = 0; i < DRAW_MAX_VALUES; i++)
                len += (size_t)snprintf(text + len, sizeof(text) - len, "%d ", i);
        assert_int_equal(draw_parse_sources(a, text, len, &src, &n, &line), DRAW_OK);
        assert_int_equal(src[0].n, DRAW_MAX_VALUES);
        len += (size_t)snprintf(text + len, sizeof(text) - len, "64\n");
        assert_int_equal(draw_parse_sources(a, text, len, &src, &n, &line),
                         DRAW_ERR_TOO_MANY_VALUES);
        assert_int_equal(line, 1);
        len = 0;
        for (int i = 0; i <= DRAW_MAX_SOURCES; i++)
                len += (size_t)snprintf(text + len, sizeof(text) - len, "%d\n", i);
        assert_int_equal(draw_parse_sources(a, text, len, &src, &n, &line),
                         DRAW_ERR_TOO_MANY_SOURCES);
        assert_int_equal(line, DRAW_MAX_SOURCES + 1);
        arena_free(a);
}

static void
test_parse_pool(void **state)
{
        struct arena *a = arena_new();
        static const char text[] = "\xEF\xBB\xBF"
                                   "Coopérative Tifaout\r\n"
                                   "تعاونية الأمل\n"
                                   "  spaces kept  \n"
                                   "last, no newline";
        const char **pool;
        size_t n, line;

        (void)state;
        assert_int_equal(draw_parse_pool(a, text, strlen(text), &pool, &n, &line), DRAW_OK);
        assert_int_equal(n, 4);
        assert_string_equal(pool[0], "Coopérative Tifaout");
        assert_string_equal(pool[1], "تعاونية الأمل");
        assert_string_equal(pool[2], "  spaces kept  ");
        assert_string_equal(pool[3], "last, no newline");
        arena_free(a);
}

static const struct {
        const char *text;
        int code;
        size_t line;
} pool_errors[] = {
    {"", DRAW_ERR_EMPTY_POOL, 0},
    {"\n", DRAW_ERR_BLANK_ENTRY, 1},
    {"a\nb\n\nc\n", DRAW_ERR_BLANK_ENTRY, 3},
    {"a\n \t \n", DRAW_ERR_BLANK_ENTRY, 2},
    {"a\r\n\r\n", DRAW_ERR_BLANK_ENTRY, 2},
    {"a\nb\n\n", DRAW_ERR_BLANK_ENTRY, 3},
    {"a\nb\xff\n", DRAW_ERR_BAD_TEXT, 2},
    {"a\n\xc3\n", DRAW_ERR_BAD_TEXT, 2},
    {"a\tb\n", DRAW_ERR_BAD_TEXT, 1},
    {"a\nb\rc\n", DRAW_ERR_BAD_TEXT, 2},
    {"a\nb\x01\n", DRAW_ERR_BAD_TEXT, 2},
};

static void
test_parse_pool_errors(void **state)
{
        (void)state;
        for (size_t i = 0; i < LEN(pool_errors); i++) {
                struct arena *a = arena_new();
                const char **pool = (void *)1;
                size_t n = 99, line = 99;
                int rc = draw_parse_pool(a, pool_errors[i].text, strlen(pool_errors[i].text), &pool,
                                         &n, &line);
                if (rc != pool_errors[i].code || line != pool_errors[i].line)
                        fail_msg("case %zu: code %d line %zu, want code %d line %zu", i, rc, line,
                                 pool_errors[i].code, pool_errors[i].line);
                assert_null(pool);
                assert_int_equal(n, 0);
                arena_free(a);
        }
        /* A NUL inside the text is refused too (files are read as bytes). */
        struct arena *a = arena_new();
        const char **pool;
        size_t n, line;
        assert_int_equal(draw_parse_pool(a, "a\nb\0c\n", 6, &pool, &n, &line), DRAW_ERR_BAD_TEXT);
        assert_int_equal(line, 2);
        arena_free(a);
}

static void
test_parse_pool_limits(void **state)
{
        struct arena *a = arena_new();
        size_t cap = (DRAW_MAX_POOL + 1) * 2 + DRAW_MAX_ENTRY + 2;
        char *text = malloc(cap);
        const char **pool;
        size_t n, line, len = 0;

        (void)state;
        assert_non_null(text);
        for (size_t i = 0; i < DRAW_MAX_POOL; i++) {
                text[len++] = 'x';
                text[len++] = '\n';
        }
        assert_int_equal(draw_parse_pool(a, text, len, &pool, &n, &line), DRAW_OK);
        assert_int_equal(n, DRAW_MAX_POOL);
        text[len++] = 'y';
        assert_int_equal(draw_parse_pool(a, text, len, &pool, &n, &line), DRAW_ERR_POOL_TOO_LARGE);
        assert_int_equal(line, DRAW_MAX_POOL + 1);

        len = 0;
        text[len++] = 'a';
        text[len++] = '\n';
        memset(text + len, 'e', DRAW_MAX_ENTRY);
        assert_int_equal(draw_parse_pool(a, text, len + DRAW_MAX_ENTRY, &pool, &n, &line), DRAW_OK);
        text[len + DRAW_MAX_ENTRY] = 'e';
        assert_int_equal(draw_parse_pool(a, text, len + DRAW_MAX_ENTRY + 1, &pool, &n, &line),
                         DRAW_ERR_ENTRY_TOO_LONG);
        assert_int_equal(line, 2);
        free(text);
        arena_free(a);
}

int
main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_rfc_example),
            cmocka_unit_test(test_nomcom_2013),
            cmocka_unit_test(test_key_format),
            cmocka_unit_test(test_key_refusals),
            cmocka_unit_test(test_digest_two_byte_counter),
            cmocka_unit_test(test_mod128),
            cmocka_unit_test(test_select_whole_pool_is_permutation),
            cmocka_unit_test(test_select_largest),
            cmocka_unit_test(test_select_refusals),
            cmocka_unit_test(test_parse_sources_errors),
            cmocka_unit_test(test_parse_sources_limits),
            cmocka_unit_test(test_parse_pool),
            cmocka_unit_test(test_parse_pool_errors),
            cmocka_unit_test(test_parse_pool_limits),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
