/* account_store.h: user accounts in the database (table app_user, user_region). */
#ifndef MURAFIQ_ACCOUNT_STORE_H
#define MURAFIQ_ACCOUNT_STORE_H

#include <stddef.h>

#include "admin/account.h"
#include "registry/store.h"

struct arena;
struct db;

/* Lists every account, by login, into *items (arena). */
int account_store_list(struct db *db, struct arena *a, struct account **items, size_t *n);

/* Reads one account (by id, or by login when login is not NULL); STORE_NOT_FOUND when absent. */
int account_store_get(struct db *db, long long id, struct arena *a, struct account *out);
int account_store_find(struct db *db, const char *login, struct arena *a, struct account *out);

/* Inserts acc with the argon2id hash given (must_change_password as acc says); sets id and
 * version. STORE_DUPLICATE when the login is taken. One transaction. */
int account_store_insert(struct db *db, struct account *acc, const char *hash, struct arena *a);

/* Writes role, regions and language of acc->id from expected_version (STORE_CONFLICT when it
 * changed since, STORE_NOT_FOUND when absent). One transaction. */
int account_store_update(struct db *db, struct account *acc, long long expected_version,
                         struct arena *a);

/* Disables (disabled = 1) or re-enables an account from expected_version. Disabling deletes
 * the account's sessions and API tokens in the same transaction, so they stop working at once. */
int account_store_set_disabled(struct db *db, long long id, int disabled,
                               long long expected_version, struct arena *a);

/* An administrator's reset: sets the hash, requires a change at next login and ends the
 * account's sessions, from expected_version. One transaction. */
int account_store_reset_password(struct db *db, long long id, const char *hash,
                                 long long expected_version, struct arena *a);

/* The user's own change: sets the hash, clears the forced change and ends every other session
 * of the account (keep_session_hash is the one kept, or NULL). One transaction. */
int account_store_change_password(struct db *db, long long id, const char *hash,
                                  const char *keep_session_hash, struct arena *a);

#endif
