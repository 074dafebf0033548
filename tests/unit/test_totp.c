/* test_totp.c: RFC 6238 codes, drift and replay, base32 and otpauth URIs, recovery codes, and
 * the QR code drawn as SVG. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <sodium.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/qr.h"
#include "core/totp.h"

static const unsigned char rfc_key[] = "12345678901234567890"; /* RFC 6238 appendix B, SHA1 */
#define RFC_KEYLEN 20

/* RFC 6238 appendix B, SHA1 column, 8 digits; the 6-digit codes are their last six. */
static void
test_rfc6238_vectors(void **state)
{
        (void)state;
        static const struct {
                long long t;
                const char *code8;
        } cases[] = {
            {59, "94287082"},         {1111111109, "07081804"}, {1111111111, "14050471"},
            {1234567890, "89005924"}, {2000000000, "69279037"}, {20000000000LL, "65353130"},
        };
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                char out[9];
                assert_int_equal(totp_code(rfc_key, RFC_KEYLEN, cases[i].t, 8, out), 0);
                assert_string_equal(out, cases[i].code8);
                assert_int_equal(totp_code(rfc_key, RFC_KEYLEN, cases[i].t, 6, out), 0);
                assert_string_equal(out, cases[i].code8 + 2);
        }
        char out[9];
        assert_int_equal(totp_code(rfc_key, RFC_KEYLEN, 59, 6, out), 0);
        assert_string_equal(out, "287082");
        assert_int_equal(totp_code(rfc_key, RFC_KEYLEN, 59, 5, out), -1); /* digits 6 to 8 */
        assert_int_equal(totp_step(59), 1);
        assert_int_equal(totp_step(60), 2);
}

static void
code_at(long long t, char out[7])
{
        assert_int_equal(totp_code(rfc_key, RFC_KEYLEN, t, 6, out), 0);
}

static void
test_drift(void **state)
{
        (void)state;
        const long long now = 1111111111; /* step 37037037 */
        const long long here = totp_step(now);
        char c[7];
        long long step = -1;
        /* The current step, the one before and the one after are accepted, and say which. */
        for (int d = -1; d <= 1; d++) {
                code_at(now + d * TOTP_STEP_SECONDS, c);
                step = -1;
                assert_int_equal(totp_verify(rfc_key, RFC_KEYLEN, c, now, 0, &step), TOTP_OK);
                assert_int_equal(step, here + d);
        }
        /* Two steps away is wrong, either way. */
        code_at(now - 2 * TOTP_STEP_SECONDS, c);
        assert_int_equal(totp_verify(rfc_key, RFC_KEYLEN, c, now, 0, &step), TOTP_WRONG);
        code_at(now + 2 * TOTP_STEP_SECONDS, c);
        assert_int_equal(totp_verify(rfc_key, RFC_KEYLEN, c, now, 0, &step), TOTP_WRONG);
        /* Spaces are allowed ("287 082"), anything else is malformed. */
        code_at(now, c);
        char spaced[8] = {c[0], c[1], c[2], ' ', c[3], c[4], c[5], '\0'};
        assert_int_equal(totp_verify(rfc_key, RFC_KEYLEN, spaced, now, 0, &step), TOTP_OK);
        assert_int_equal(totp_verify(rfc_key, RFC_KEYLEN, "12345", now, 0, &step), TOTP_MALFORMED);
        assert_int_equal(totp_verify(rfc_key, RFC_KEYLEN, "1234567", now, 0, &step),
                         TOTP_MALFORMED);
        assert_int_equal(totp_verify(rfc_key, RFC_KEYLEN, "12a456", now, 0, &step), TOTP_MALFORMED);
        assert_int_equal(totp_verify(rfc_key, RFC_KEYLEN, "", now, 0, &step), TOTP_MALFORMED);
        assert_int_equal(totp_verify(rfc_key, RFC_KEYLEN, NULL, now, 0, &step), TOTP_MALFORMED);
        /* A code of the right length that no step gives. */
        char wrong[7];
        memcpy(wrong, c, 7);
        wrong[0] = wrong[0] == '9' ? '0' : (char)(wrong[0] + 1);
        assert_int_equal(totp_verify(rfc_key, RFC_KEYLEN, wrong, now, 0, &step), TOTP_WRONG);
}

static void
test_replay(void **state)
{
        (void)state;
        const long long now = 2000000000;
        const long long here = totp_step(now);
        char c[7];
        long long step = -1;
        code_at(now, c);
        assert_int_equal(totp_verify(rfc_key, RFC_KEYLEN, c, now, 0, &step), TOTP_OK);
        assert_int_equal(step, here);
        /* The same code again, at the same time or 20 s later in the next step: a replay. */
        assert_int_equal(totp_verify(rfc_key, RFC_KEYLEN, c, now, step, &step), TOTP_REPLAY);
        assert_int_equal(totp_verify(rfc_key, RFC_KEYLEN, c, now + 20, here, &step), TOTP_REPLAY);
        /* The previous step's code after the current one was used: older, refused. */
        code_at(now - TOTP_STEP_SECONDS, c);
        assert_int_equal(totp_verify(rfc_key, RFC_KEYLEN, c, now, here, &step), TOTP_REPLAY);
        /* The next step's code is newer: accepted, and it becomes the last one used. */
        code_at(now + TOTP_STEP_SECONDS, c);
        step = -1;
        assert_int_equal(totp_verify(rfc_key, RFC_KEYLEN, c, now, here, &step), TOTP_OK);
        assert_int_equal(step, here + 1);
        assert_int_equal(totp_verify(rfc_key, RFC_KEYLEN, c, now, here + 1, &step), TOTP_REPLAY);
}

static void
test_base32_and_uri(void **state)
{
        (void)state;
        struct arena *a = arena_new();
        /* RFC 4648 test vectors, without the padding. */
        assert_string_equal(totp_base32(a, (const unsigned char *)"foobar", 6), "MZXW6YTBOI");
        assert_string_equal(totp_base32(a, rfc_key, RFC_KEYLEN),
                            "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        unsigned char *raw;
        size_t n;
        assert_int_equal(totp_base32_decode(a, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", &raw, &n), 0);
        assert_int_equal(n, RFC_KEYLEN);
        assert_memory_equal(raw, rfc_key, RFC_KEYLEN);
        assert_int_equal(totp_base32_decode(a, "not base32!", &raw, &n), -1);
        /* A new secret: 20 random bytes are 32 base32 characters, different each time. */
        char *s1 = totp_secret_new(a), *s2 = totp_secret_new(a);
        assert_int_equal(strlen(s1), 32);
        assert_string_not_equal(s1, s2);
        assert_int_equal(totp_base32_decode(a, s1, &raw, &n), 0);
        assert_int_equal(n, TOTP_SECRET_BYTES);
        assert_string_equal(totp_secret_groups(a, "GEZDGNBVGY3TQOJQ"), "GEZD GNBV GY3T QOJQ");
        assert_string_equal(totp_secret_groups(a, "ABCDEF"), "ABCD EF");
        assert_string_equal(totp_uri(a, "murafiq", "admin", "GEZDGNBV"),
                            "otpauth://totp/murafiq:admin?secret=GEZDGNBV&issuer=murafiq"
                            "&algorithm=SHA1&digits=6&period=30");
        /* The account is percent-encoded: a colon, a space or an ampersand cannot change the
         * URI's meaning. */
        assert_string_equal(totp_uri(a, "murafiq", "a b:c&d", "X"),
                            "otpauth://totp/murafiq:a%20b%3Ac%26d?secret=X&issuer=murafiq"
                            "&algorithm=SHA1&digits=6&period=30");
        arena_free(a);
}

static void
test_recovery_codes(void **state)
{
        (void)state;
        struct arena *a = arena_new();
        char *prev = NULL;
        for (int i = 0; i < 50; i++) {
                char *c = totp_recovery_new(a);
                assert_int_equal(strlen(c), TOTP_RECOVERY_CHARS + 1);
                assert_int_equal(c[5], '-');
                for (const char *p = c; *p; p++)
                        assert_null(strchr("01ilo", *p));
                char *norm = totp_recovery_normalise(a, c);
                assert_non_null(norm);
                assert_int_equal(strlen(norm), TOTP_RECOVERY_CHARS);
                if (prev)
                        assert_string_not_equal(c, prev);
                prev = c;
        }
        /* Typed in capitals, with spaces or without the dash: the same code. */
        assert_string_equal(totp_recovery_normalise(a, "K7M2P-X9QRT"), "k7m2px9qrt");
        assert_string_equal(totp_recovery_normalise(a, " k7m2p x9qrt "), "k7m2px9qrt");
        assert_string_equal(totp_recovery_normalise(a, "k7m2px9qrt"), "k7m2px9qrt");
        assert_null(totp_recovery_normalise(a, "k7m2p-x9qr"));   /* too short */
        assert_null(totp_recovery_normalise(a, "k7m2p-x9qrtt")); /* too long */
        assert_null(totp_recovery_normalise(a, "k7m2p-x9qr0"));  /* 0 is not in the alphabet */
        assert_null(totp_recovery_normalise(a, "k7m2p-x9q\xc3\xa9"));
        assert_null(totp_recovery_normalise(a, NULL));
        /* The hash depends on the user and the code, and is 64 hex characters. */
        char *h1 = totp_recovery_hash(a, 1, "k7m2px9qrt");
        assert_int_equal(strlen(h1), 64);
        assert_string_equal(h1, totp_recovery_hash(a, 1, "k7m2px9qrt"));
        assert_string_not_equal(h1, totp_recovery_hash(a, 2, "k7m2px9qrt"));
        assert_string_not_equal(h1, totp_recovery_hash(a, 1, "k7m2px9qru"));
        /* Six-digit codes: spaces dropped, anything else refused. */
        assert_string_equal(totp_normalise_code(a, "123 456"), "123456");
        assert_null(totp_normalise_code(a, "12345"));
        assert_null(totp_normalise_code(a, "12345x"));
        arena_free(a);
}

/* The number after `attr="` in s, or -1. */
static int
attr_int(const char *s, const char *attr)
{
        const char *p = strstr(s, attr);
        int v = -1;
        if (p == NULL || sscanf(p + strlen(attr), "%d", &v) != 1)
                return -1;
        return v;
}

static void
test_qr_svg(void **state)
{
        (void)state;
        struct arena *a = arena_new();
        struct buf b;
        /* A short text fits version 1 (21 modules), a long URI needs a bigger symbol. */
        buf_init(&b, a, 1u << 20);
        int v1 = qr_svg(&b, "murafiq", "QR <code> & \"x\"", 200);
        assert_int_equal(v1, 1);
        const char *svg = buf_str(&b);
        assert_int_equal(strncmp(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\"", 39), 0);
        assert_non_null(strstr(svg, "viewBox=\"0 0 29 29\"")); /* 21 + 2 x 4 quiet modules */
        assert_int_equal(attr_int(svg, "width=\""), 200);
        assert_non_null(strstr(svg, "aria-label=\"QR &lt;code&gt; &amp; &quot;x&quot;\""));
        assert_null(strstr(svg, "style"));
        const char *tail = "\"></path></svg>";
        assert_string_equal(svg + strlen(svg) - strlen(tail), tail);
        /* Well-formed: one svg, one rect and one path, each closed, nothing else in it. */
        assert_ptr_equal(strstr(svg, "<svg"), svg);
        assert_null(strstr(svg + 1, "<svg"));
        assert_non_null(strstr(svg, "<rect "));
        assert_non_null(strstr(svg, "</rect><path "));
        const char *d = strstr(svg, " d=\"");
        assert_non_null(d);
        /* The path only holds moves and lines: M x y h n v1 h-n z, inside the symbol. */
        int runs = 0;
        for (const char *p = d + 4; *p != '"'; runs++) {
                int x, y, n, m, used = 0;
                assert_int_equal(sscanf(p, "M%d %dh%dv1h-%dz%n", &x, &y, &n, &m, &used), 4);
                assert_true(used > 0);
                assert_int_equal(n, m);
                assert_true(x >= 4 && y >= 4 && n >= 1 && x + n <= 25 && y < 25);
                p += used;
        }
        assert_true(runs > 21); /* three finder patterns alone give more rows than that */

        buf_init(&b, a, 1u << 20);
        const char *uri = "otpauth://totp/murafiq:officer03?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
                          "&issuer=murafiq&algorithm=SHA1&digits=6&period=30";
        int v = qr_svg(&b, uri, "QR", 240);
        assert_true(v > 1);
        char want[64];
        int size = 17 + 4 * v + 2 * QR_QUIET_ZONE;
        snprintf(want, sizeof(want), "viewBox=\"0 0 %d %d\"", size, size);
        assert_non_null(strstr(buf_str(&b), want));
        arena_free(a);
}

int
main(void)
{
        if (sodium_init() < 0)
                return 1;
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_rfc6238_vectors), cmocka_unit_test(test_drift),
            cmocka_unit_test(test_replay),          cmocka_unit_test(test_base32_and_uri),
            cmocka_unit_test(test_recovery_codes),  cmocka_unit_test(test_qr_svg),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
