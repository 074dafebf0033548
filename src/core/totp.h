/* totp.h: time-based one-time passwords (RFC 6238, HMAC-SHA1, liboath), their base32 secrets and
 * otpauth:// URIs, and one-time recovery codes. Pure but for the random draws. */
#ifndef MURAFIQ_TOTP_H
#define MURAFIQ_TOTP_H

#include <stddef.h>

struct arena;

#define TOTP_STEP_SECONDS   30
#define TOTP_DIGITS         6
#define TOTP_SECRET_BYTES   20 /* 160 bits, RFC 4226's recommended key length */
#define TOTP_DRIFT_STEPS    1  /* the step before and the step after are accepted too */
#define TOTP_RECOVERY_COUNT 10
#define TOTP_RECOVERY_CHARS 10 /* shown as two groups of five: "k7m2p-x9qrt" */

/* The code of key (raw bytes) at unix time t, digits 6 to 8, into out (digits + 1 bytes).
 * Returns 0, or -1 when liboath refuses. */
int totp_code(const unsigned char *key, size_t keylen, long long t, unsigned digits, char *out);

/* The time step of unix time t. */
long long totp_step(long long t);

enum totp_result {
        TOTP_OK,        /* right, and newer than every code used before */
        TOTP_WRONG,     /* no step within the drift gives this code */
        TOTP_REPLAY,    /* right, but its step was used already (or an older one) */
        TOTP_MALFORMED, /* not six digits (spaces allowed) */
};
/* Checks a typed code against key at unix time now: the steps now-1, now and now+1 are tried
 * (constant-time comparison); a step not greater than last_step is a replay. On TOTP_OK *step
 * (OUT) is the step matched, to store as the new last_step. */
enum totp_result totp_verify(const unsigned char *key, size_t keylen, const char *code,
                             long long now, long long last_step, long long *step);

/* The typed code without its spaces when it is TOTP_DIGITS digits, else NULL (arena). */
char *totp_normalise_code(struct arena *a, const char *typed);

/* A new random secret of TOTP_SECRET_BYTES bytes (libsodium), as base32 without padding. */
char *totp_secret_new(struct arena *a);
/* base32 (RFC 4648, liboath) of n bytes, without '=' padding; NULL on failure. */
char *totp_base32(struct arena *a, const unsigned char *raw, size_t n);
/* Decodes base32 into *out (arena), its length in *n. Returns 0 or -1. */
int totp_base32_decode(struct arena *a, const char *b32, unsigned char **out, size_t *n);
/* The secret in groups of four characters separated by spaces, for typing by hand. */
char *totp_secret_groups(struct arena *a, const char *b32);

/* otpauth://totp/ISSUER:ACCOUNT?secret=...&issuer=ISSUER&algorithm=SHA1&digits=6&period=30,
 * with issuer and account percent-encoded (Key Uri Format). */
char *totp_uri(struct arena *a, const char *issuer, const char *account, const char *b32);

/* A new recovery code "xxxxx-xxxxx" from an alphabet without look-alikes (0 o 1 l i). */
char *totp_recovery_new(struct arena *a);
/* The typed recovery code in its stored form (lower case, without spaces or dashes) when it has
 * the right length and alphabet, else NULL. */
char *totp_recovery_normalise(struct arena *a, const char *typed);
/* The hash kept of a (normalised) recovery code of user_id: BLAKE2b-256, hex. */
char *totp_recovery_hash(struct arena *a, long long user_id, const char *normalised);

#endif
