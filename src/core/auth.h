/* auth.h: passwords (argon2id), sessions, CSRF tokens and API tokens. */
#ifndef MURAFIQ_AUTH_H
#define MURAFIQ_AUTH_H

#include <stddef.h>

struct arena;
struct db;
struct user;

#define SESSION_IDLE_SECONDS (30 * 60)
#define SESSION_MAX_SECONDS  (12 * 60 * 60)

/* Initialises libsodium. Returns 0 or -1. */
int auth_init(void);
/* Writes n random bytes as 2n hex characters into the arena. */
char *auth_random_hex(struct arena *a, size_t n);
/* Hash of a secret for storage at rest (BLAKE2b-256, hex). */
char *auth_token_hash(struct arena *a, const char *secret);
/* Constant-time string equality; 0 when different or either is NULL. */
int auth_equal(const char *a, const char *b);

/* argon2id hash string of password, or NULL on failure (out of memory). */
char *auth_hash_password(struct arena *a, const char *password);

/* Creates a user with the given role, regions (NULL-terminated, may be NULL) and password.
 * Returns the new id, or -1 with *why set to a static English reason. */
long long auth_user_create(struct db *db, const char *login, const char *role, const char **regions,
                           const char *password, const char **why);

/* Checks login and password; on success returns the user id, else -1 (same answer whether the
 * login exists or not, and the hash is computed either way, to not reveal which). */
long long auth_check_password(struct db *db, struct arena *a, const char *login,
                              const char *password);

/* Starts a session for user id: returns the session id for the cookie (only its hash is
 * stored) and sets *csrf. NULL on failure. */
char *auth_session_start(struct db *db, struct arena *a, long long user_id, char **csrf);
/* Loads the user of a live session (idle and absolute timeouts applied; touches last_seen).
 * Returns NULL when unknown or expired; sets *csrf. */
struct user *auth_session_user(struct db *db, struct arena *a, const char *session_id,
                               const char **csrf);
void auth_session_end(struct db *db, struct arena *a, const char *session_id);

/* Creates an API token for login: returns it (printed once), or NULL. */
char *auth_token_create(struct db *db, struct arena *a, const char *login);
/* Loads the user of a bearer token, or NULL. */
struct user *auth_token_user(struct db *db, struct arena *a, const char *token);

/* Loads user id with role, language and regions, or NULL when missing or disabled. */
struct user *auth_load_user(struct db *db, struct arena *a, long long id);
/* Remembers the user's language. */
int auth_set_lang(struct db *db, long long user_id, const char *lang);

#endif
