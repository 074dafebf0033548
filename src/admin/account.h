/* account.h: a user account and the rules of its fields (pure: no I/O). */
#ifndef MURAFIQ_ACCOUNT_H
#define MURAFIQ_ACCOUNT_H

#include <stddef.h>

#include "core/validate.h"

#define ACCOUNT_LOGIN_MIN    3
#define ACCOUNT_LOGIN_MAX    40
#define ACCOUNT_PASSWORD_MIN 12
#define ACCOUNT_PASSWORD_MAX 128
#define ACCOUNT_MAX_REGIONS  12

struct account {
        long long id;
        const char *login;
        const char *role;     /* a role_name() */
        const char **regions; /* NULL-terminated region codes */
        const char *lang;     /* a catalog's code */
        int disabled;
        int must_change_password;
        const char *last_login_at; /* "" when never */
        const char *created_at, *updated_at;
        long long version;
};

/* Answers 1 when code is an existing region code (the caller's geography), else 0. */
typedef int (*region_exists_fn)(void *ctx, const char *code);

/* 1 when login has 3 to 40 characters among a-z 0-9 . _ - */
int account_login_ok(const char *login);

/* 1 when password has 12 to 128 characters (any characters, counted in UTF-8). */
int account_password_ok(const char *password);

/*
 * Checks acc: the login (only when creating), the role (one of the five), the language (an
 * existing catalog), the regions (each existing by region_exists, none twice, at most 12;
 * at least one for a regional officer). Returns 0 when valid, else -1 with every problem in e
 * under the fields "login", "role", "lang" and "regions".
 */
int account_check(const struct account *acc, int creating, struct errs *e,
                  region_exists_fn region_exists, void *ctx);

/* Checks a new password (field name given) of the account login (may be NULL: not checked):
 * its length, that it does not contain the login, and, when confirm is not NULL, that it
 * equals it (error under "password_confirm"). Returns 0 or -1 with the errors in e. */
int account_check_password(const char *password, const char *confirm, const char *login,
                           const char *field, struct errs *e);

/* The number of codes of a NULL-terminated list (NULL counts 0). */
size_t account_region_count(const char *const *regions);

#endif
