/* auth.h: passwords (argon2id), sessions, CSRF tokens and API tokens. */
#ifndef MURAFIQ_AUTH_H
#define MURAFIQ_AUTH_H

#include <stddef.h>

struct arena;
struct db;
struct user;

/* Session lifetimes: the defaults, and the most `serve --session-idle/--session-max` may set
 * (what a sweep of dead sessions may rely on). */
#define SESSION_IDLE_SECONDS (30 * 60)
#define SESSION_MAX_SECONDS  (12 * 60 * 60)
#define SESSION_IDLE_LIMIT   (4 * 60 * 60)
#define SESSION_MAX_LIMIT    (24 * 60 * 60)

/* API tokens live 90 days unless created for another number of days (at most ten years). */
#define TOKEN_DAYS_DEFAULT 90
#define TOKEN_DAYS_MAX     3650

/* Sets the idle and absolute session lifetimes of this process (seconds, within 60 and the
 * limits above). Returns 0, or -1 and changes nothing. */
int auth_set_session_limits(long long idle_seconds, long long max_seconds);

/* Initialises libsodium and reads MURAFIQ_THROTTLE_SCALE (once). Returns 0 or -1. */
int auth_init(void);
/* Writes n random bytes as 2n hex characters into the arena. */
char *auth_random_hex(struct arena *a, size_t n);
/* Hash of a secret for storage at rest (BLAKE2b-256, hex). */
char *auth_token_hash(struct arena *a, const char *secret);
/* Constant-time string equality; 0 when different or either is NULL. */
int auth_equal(const char *a, const char *b);

/* argon2id hash string of password, or NULL on failure (out of memory). */
char *auth_hash_password(struct arena *a, const char *password);

/* 1 when password contains login, ignoring ASCII case (logins are ASCII); 0 when it does not or
 * login is NULL or empty. Pure. */
int auth_password_has_login(const char *password, const char *login);

/* Why password is too easy to guess, or NULL: libpwquality's checks (cracklib's dictionary,
 * simplistic sequences, palindromes, the login in some form; no composition rules, as ASVS
 * 2.1.9 asks), then cracklib on its core without the digits and signs around it
 * ("password1234" is "password"). Returns one of "dictionary", "simple", "login", or
 * "unchecked" when the dictionary cannot be read (the password is then refused). Serialised:
 * cracklib is not thread-safe. */
const char *auth_password_weakness(const char *password, const char *login);

/* Creates a user with the given role, regions (NULL-terminated, may be NULL) and password.
 * Returns the new id, or -1 with *why set to a static English reason. */
long long auth_user_create(struct db *db, const char *login, const char *role, const char **regions,
                           const char *password, const char **why);

/* Checks login and password; on success returns the user id, else -1 (same answer whether the
 * login exists or not, and the hash is computed either way, to not reveal which). */
long long auth_check_password(struct db *db, struct arena *a, const char *login,
                              const char *password);

/* The same, and *reason (OUT, static English, may be NULL) says why it failed: "unknown login",
 * "wrong password" or "database error". On success the hash is replaced when libsodium says its
 * parameters are below the current ones (crypto_pwhash_str_needs_rehash). */
long long auth_check_password_why(struct db *db, struct arena *a, const char *login,
                                  const char *password, const char **reason);

/*
 * Throttling of failed logins, per login as typed and per client address. Past `limit` failures
 * within the window, attempts are refused until the last failure plus a delay that starts at
 * THROTTLE_BASE_MS and doubles with each further failure, up to THROTTLE_MAX_MS. The state is
 * the login_failure table, so it holds across threads and restarts. MURAFIQ_THROTTLE_SCALE
 * (a factor in (0, 1], for tests) shortens the delays, not the window.
 */
#define THROTTLE_WINDOW_MS   (15LL * 60 * 1000)
#define THROTTLE_LOGIN_LIMIT 5
#define THROTTLE_IP_LIMIT    20
#define THROTTLE_BASE_MS     (60LL * 1000)
#define THROTTLE_MAX_MS      (15LL * 60 * 1000)

/* Pure: the delay in ms after `failures` failures when `limit` are allowed: 0 below the limit,
 * base_ms at the limit, doubled for each failure beyond, never more than max_ms. */
long long auth_throttle_delay_ms(long long failures, long long limit, long long base_ms,
                                 long long max_ms);
/* Pure: whole seconds to announce in Retry-After for a wait of ms milliseconds (at least 1). */
long long auth_retry_after_seconds(long long ms);

/* Called before checking a password. When login or ip is throttled, returns the seconds to wait
 * (> 0) and records nothing. Otherwise records the attempt as a failure (auth_throttle_clear
 * removes it when the password is right) and returns 0. -1 on database error. */
long long auth_throttle_begin(struct db *db, const char *login, const char *ip);
/* A successful login: forgets the failures of login, from every address. */
void auth_throttle_clear(struct db *db, const char *login);
/* One log line for a failed login: the login as typed (escaped), the address, the reason. */
void auth_log_failure(const char *login, const char *ip, const char *reason);

/* Starts a session for user id: returns the session id for the cookie (only its hash is
 * stored) and sets *csrf. NULL on failure. */
char *auth_session_start(struct db *db, struct arena *a, long long user_id, char **csrf);
/* Loads the user of a live session (idle and absolute timeouts applied; touches last_seen).
 * Returns NULL when unknown or expired; sets *csrf. */
struct user *auth_session_user(struct db *db, struct arena *a, const char *session_id,
                               const char **csrf);
void auth_session_end(struct db *db, struct arena *a, const char *session_id);

/* Creates an API token for login, valid days days (1 to TOKEN_DAYS_MAX), with a label saying
 * what it is for: returns it (shown once, stored only as a hash), or NULL. */
char *auth_token_create(struct db *db, struct arena *a, const char *login, int days,
                        const char *label);
/* Loads the user of a bearer token that has not expired, or NULL. */
struct user *auth_token_user(struct db *db, struct arena *a, const char *token);

/* An API token as the admin sees it: never the token itself. */
struct api_token_info {
        long long id;
        long long user_id;
        const char *login, *label;
        long long created_at, expires_at; /* unix seconds */
};
/* The tokens of one user (user_id > 0) or of everyone (0), newest first. Returns 0 or -1. */
int auth_token_list(struct db *db, struct arena *a, long long user_id, struct api_token_info **out,
                    size_t *n);
/* Revokes (deletes) token id. Returns 1 when done, 0 when there is no such token, -1. */
int auth_token_revoke(struct db *db, long long id, long long *user_id);

/* Loads user id with role, language and regions, or NULL when missing or disabled. */
struct user *auth_load_user(struct db *db, struct arena *a, long long id);
/* Remembers the user's language. */
int auth_set_lang(struct db *db, long long user_id, const char *lang);

/*
 * The second step of a login (second factor). After a right password, a user with the second
 * factor on gets a pending login, not a session: a random id for a cookie of its own (only its
 * hash is stored, with the user and where to go next), which expires after
 * LOGIN_PENDING_SECONDS (MURAFIQ_LOGIN_PENDING_SECONDS, for tests, may only shorten it).
 */
#define LOGIN_PENDING_SECONDS (5 * 60)
/* The lifetime of a pending login in seconds, as configured. */
long long auth_pending_lifetime(void);
/* Starts a pending login for user_id, to continue to next: returns the cookie value, or NULL. */
char *auth_pending_start(struct db *db, struct arena *a, long long user_id, const char *next);
/* The user of a live pending login (and *next, OUT, arena), or -1 when unknown or expired. */
long long auth_pending_user(struct db *db, struct arena *a, const char *pending_id,
                            const char **next);
/* Ends a pending login (after its second step, or when it is abandoned). */
void auth_pending_end(struct db *db, struct arena *a, const char *pending_id);
/* 1 when user_id has the second factor on, 0 when not, -1 on database error. */
int auth_second_factor_on(struct db *db, long long user_id);
/* 1 when u's role requires the second factor and u has not set it up (every page then leads
 * to its setup), else 0. A database error counts as due: the setup page then says more. */
int auth_second_factor_due(struct db *db, const struct user *u);

#endif
