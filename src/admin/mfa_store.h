/* mfa_store.h: the second factor in the database: TOTP secrets (user_totp), one-time recovery
 * codes (user_recovery_code, hashes only) and the per-role policy (second_factor_policy). */
#ifndef MURAFIQ_MFA_STORE_H
#define MURAFIQ_MFA_STORE_H

#include <stddef.h>

#include "core/http.h"
#include "registry/store.h"

struct arena;
struct db;

struct mfa_state {
        int enabled;             /* confirmed: every login asks for a code */
        int enrolling;           /* a secret was drawn, no code confirmed it yet */
        const char *secret;      /* base32, when enabled or enrolling (arena), else NULL; NULL
                                  * too when it does not open with the key file */
        long long last_step;     /* the last time step accepted */
        long long recovery_left; /* unused recovery codes */
        const char *confirmed_at;
};

/* Reads the state of user_id into *out (all zero when the user never started). */
int mfa_store_get(struct db *db, long long user_id, struct arena *a, struct mfa_state *out);

/* Encrypts with the process's key the secrets an earlier version stored as text (one
 * transaction); *sealed is how many. */
int mfa_store_seal_plain(struct db *db, long long *sealed);

/* Starts (or starts again) the setup with a new secret, sealed with the process's key.
 * STORE_CONFLICT when the factor is on already (it must be turned off first). */
int mfa_store_begin(struct db *db, long long user_id, const char *secret, struct arena *a);

/* The first right code: turns the factor on (from the setup's secret, STORE_CONFLICT when none
 * or when it is on already), remembers step as used and replaces the recovery codes with the n
 * hashes given. One transaction. */
int mfa_store_confirm(struct db *db, long long user_id, long long step, const char *const *hashes,
                      size_t n, struct arena *a);

/* Records step as the last one used, only if it is newer than the last (STORE_CONFLICT when
 * another request used it or a later one meanwhile: a replay). */
int mfa_store_use_step(struct db *db, long long user_id, long long step);

/* Spends the unused recovery code of this hash (STORE_NOT_FOUND when none matches). */
int mfa_store_use_recovery(struct db *db, long long user_id, const char *hash, struct arena *a);

/* Replaces every recovery code of user_id with the n hashes given (STORE_CONFLICT when the
 * factor is off). One transaction. */
int mfa_store_replace_recovery(struct db *db, long long user_id, const char *const *hashes,
                               size_t n, struct arena *a);

/* Turns the factor off: forgets the secret and the recovery codes. STORE_NOT_FOUND when it was
 * not on. One transaction. */
int mfa_store_disable(struct db *db, long long user_id);

/* An administrator's reset (lost phone): turns the factor off and ends the account's sessions
 * and pending logins, in one transaction. STORE_NOT_FOUND when the account does not exist,
 * STORE_CONFLICT when expected_version (-1: any) is not the account's version. */
int mfa_store_reset(struct db *db, long long user_id, long long expected_version);

/* The policy: required[r] is 1 when role r must use the second factor. */
int mfa_store_policy(struct db *db, int required[ROLE_COUNT]);
/* Writes the whole policy in one transaction. */
int mfa_store_set_policy(struct db *db, const int required[ROLE_COUNT]);
/* 1 when role must use the second factor, 0 when not, -1 on error. */
int mfa_store_role_requires(struct db *db, enum role role);

#endif
