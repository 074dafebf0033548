/* totp.c: RFC 6238 codes through liboath, base32 secrets, otpauth URIs and recovery codes. */
#include "totp.h"

#include <liboath/oath.h>
#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"

static pthread_once_t oath_once = PTHREAD_ONCE_INIT;
static int oath_ready = -1;

static void
oath_start(void)
{
        oath_ready = oath_init() == OATH_OK ? 0 : -1;
}

int
totp_code(const unsigned char *key, size_t keylen, long long t, unsigned digits, char *out)
{
        pthread_once(&oath_once, oath_start);
        if (oath_ready != 0 || digits < 6 || digits > 8 || t < 0)
                return -1;
        return oath_totp_generate((const char *)key, keylen, (time_t)t, TOTP_STEP_SECONDS, 0,
                                  digits, out) == OATH_OK
                   ? 0
                   : -1;
}

long long
totp_step(long long t)
{
        return t < 0 ? 0 : t / TOTP_STEP_SECONDS;
}

char *
totp_normalise_code(struct arena *a, const char *typed)
{
        if (typed == NULL)
                return NULL;
        char out[TOTP_DIGITS + 1];
        size_t n = 0;
        for (const char *p = typed; *p; p++) {
                if (*p == ' ' || *p == '\t' || *p == '-')
                        continue;
                if (*p < '0' || *p > '9' || n == TOTP_DIGITS)
                        return NULL;
                out[n++] = *p;
        }
        if (n != TOTP_DIGITS)
                return NULL;
        out[n] = '\0';
        return arena_strdup(a, out);
}

enum totp_result
totp_verify(const unsigned char *key, size_t keylen, const char *code, long long now,
            long long last_step, long long *step)
{
        char typed[TOTP_DIGITS + 1];
        size_t n = 0;
        for (const char *p = code ? code : ""; *p; p++) {
                if (*p == ' ' || *p == '\t' || *p == '-')
                        continue;
                if (*p < '0' || *p > '9' || n == TOTP_DIGITS)
                        return TOTP_MALFORMED;
                typed[n++] = *p;
        }
        if (n != TOTP_DIGITS)
                return TOTP_MALFORMED;
        typed[n] = '\0';
        long long here = totp_step(now), fresh = -1;
        int seen = 0;
        /* Every candidate is computed and compared, whatever matched before: the time taken
         * says nothing about which step (if any) was right. A code matching only steps at or
         * before last_step was used already (replay). */
        for (long long s = here - TOTP_DRIFT_STEPS; s <= here + TOTP_DRIFT_STEPS; s++) {
                char want[TOTP_DIGITS + 1];
                if (s < 0 || totp_code(key, keylen, s * TOTP_STEP_SECONDS, TOTP_DIGITS, want) != 0)
                        continue;
                int same = sodium_memcmp(want, typed, TOTP_DIGITS) == 0;
                seen |= same;
                if (same && s > last_step && fresh < 0)
                        fresh = s;
        }
        if (fresh >= 0) {
                *step = fresh;
                return TOTP_OK;
        }
        return seen ? TOTP_REPLAY : TOTP_WRONG;
}

char *
totp_base32(struct arena *a, const unsigned char *raw, size_t n)
{
        pthread_once(&oath_once, oath_start);
        char *out = NULL;
        size_t len = 0;
        if (oath_ready != 0 || oath_base32_encode((const char *)raw, n, &out, &len) != OATH_OK)
                return NULL;
        while (len > 0 && out[len - 1] == '=')
                len--;
        char *s = arena_strndup(a, out, len);
        free(out);
        return s;
}

int
totp_base32_decode(struct arena *a, const char *b32, unsigned char **out, size_t *n)
{
        pthread_once(&oath_once, oath_start);
        char *raw = NULL;
        size_t len = 0;
        if (oath_ready != 0 || b32 == NULL ||
            oath_base32_decode(b32, strlen(b32), &raw, &len) != OATH_OK)
                return -1;
        *out = arena_alloc(a, len ? len : 1);
        memcpy(*out, raw, len);
        *n = len;
        sodium_memzero(raw, len);
        free(raw);
        return 0;
}

char *
totp_secret_new(struct arena *a)
{
        unsigned char raw[TOTP_SECRET_BYTES];
        randombytes_buf(raw, sizeof(raw));
        char *s = totp_base32(a, raw, sizeof(raw));
        sodium_memzero(raw, sizeof(raw));
        return s;
}

char *
totp_secret_groups(struct arena *a, const char *b32)
{
        size_t n = strlen(b32);
        char *out = arena_alloc(a, n + n / 4 + 1);
        size_t k = 0;
        for (size_t i = 0; i < n; i++) {
                if (i > 0 && i % 4 == 0)
                        out[k++] = ' ';
                out[k++] = b32[i];
        }
        out[k] = '\0';
        return out;
}

/* Percent-encoding of everything but RFC 3986's unreserved characters. */
static void
uri_encode(struct buf *b, const char *s)
{
        static const char hex[] = "0123456789ABCDEF";
        for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
                if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                    (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' || *p == '_' || *p == '~') {
                        buf_append(b, (const char *)p, 1);
                } else {
                        char e[3] = {'%', hex[*p >> 4], hex[*p & 15]};
                        buf_append(b, e, 3);
                }
        }
}

char *
totp_uri(struct arena *a, const char *issuer, const char *account, const char *b32)
{
        struct buf b;
        buf_init(&b, a, 4096);
        buf_puts(&b, "otpauth://totp/");
        uri_encode(&b, issuer);
        buf_puts(&b, ":");
        uri_encode(&b, account);
        buf_puts(&b, "?secret=");
        uri_encode(&b, b32);
        buf_puts(&b, "&issuer=");
        uri_encode(&b, issuer);
        buf_puts(&b, "&algorithm=SHA1&digits=6&period=30");
        return b.err ? NULL : arena_strdup(a, buf_str(&b));
}

/* 31 characters without 0 o 1 l i: nothing to confuse when read off paper. */
static const char recovery_alphabet[] = "23456789abcdefghjkmnpqrstuvwxyz";

char *
totp_recovery_new(struct arena *a)
{
        char *out = arena_alloc(a, TOTP_RECOVERY_CHARS + 2);
        size_t k = 0;
        for (size_t i = 0; i < TOTP_RECOVERY_CHARS; i++) {
                if (i == TOTP_RECOVERY_CHARS / 2)
                        out[k++] = '-';
                out[k++] = recovery_alphabet[randombytes_uniform(sizeof(recovery_alphabet) - 1)];
        }
        out[k] = '\0';
        return out;
}

char *
totp_recovery_normalise(struct arena *a, const char *typed)
{
        if (typed == NULL)
                return NULL;
        char out[TOTP_RECOVERY_CHARS + 1];
        size_t n = 0;
        for (const char *p = typed; *p; p++) {
                char c = *p;
                if (c == ' ' || c == '-' || c == '\t')
                        continue;
                if (c >= 'A' && c <= 'Z')
                        c = (char)(c - 'A' + 'a');
                if (strchr(recovery_alphabet, c) == NULL || c == '\0' || n == TOTP_RECOVERY_CHARS)
                        return NULL;
                out[n++] = c;
        }
        if (n != TOTP_RECOVERY_CHARS)
                return NULL;
        out[n] = '\0';
        return arena_strdup(a, out);
}

char *
totp_recovery_hash(struct arena *a, long long user_id, const char *normalised)
{
        char *msg = arena_printf(a, "murafiq-recovery:%lld:%s", user_id, normalised);
        unsigned char h[32];
        crypto_generichash(h, sizeof(h), (const unsigned char *)msg, strlen(msg), NULL, 0);
        char *hex = arena_alloc(a, 65);
        sodium_bin2hex(hex, 65, h, sizeof(h));
        return hex;
}
