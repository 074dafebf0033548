/* account.c: the rules of an account's fields (pure). */
#include "admin/account.h"

#include <string.h>

#include "core/auth.h"
#include "core/i18n.h"
#include "core/text.h"

int
account_login_ok(const char *login)
{
        if (login == NULL)
                return 0;
        size_t n = strlen(login);
        return n >= ACCOUNT_LOGIN_MIN && n <= ACCOUNT_LOGIN_MAX &&
               strspn(login, "abcdefghijklmnopqrstuvwxyz0123456789._-") == n;
}

int
account_password_ok(const char *password)
{
        if (password == NULL || !text_valid_utf8(password, strlen(password)))
                return 0;
        size_t n = text_length(password);
        return n >= ACCOUNT_PASSWORD_MIN && n <= ACCOUNT_PASSWORD_MAX;
}

size_t
account_region_count(const char *const *regions)
{
        size_t n = 0;
        while (regions && regions[n])
                n++;
        return n;
}

int
account_check(const struct account *acc, int creating, struct errs *e,
              region_exists_fn region_exists, void *ctx)
{
        size_t before = e->n;
        if (creating && !account_login_ok(acc->login))
                errs_add(e, "login",
                         "Enter a login of 3 to 40 characters: lower-case letters a to z, digits "
                         "and . _ - only.");
        int role = role_from_name(acc->role);
        if (role < 0)
                errs_add(e, "role", "Choose one of the roles.");
        if (acc->lang && lang_from_code(acc->lang) < 0)
                errs_add(e, "lang", "Choose one of the languages.");
        size_t n = account_region_count((const char *const *)acc->regions);
        int bad = 0;
        for (size_t i = 0; i < n && !bad; i++) {
                if (!region_exists(ctx, acc->regions[i])) {
                        errs_add(e, "regions", "This region code does not exist.");
                        bad = 1;
                }
                for (size_t j = 0; j < i && !bad; j++)
                        if (strcmp(acc->regions[i], acc->regions[j]) == 0) {
                                errs_add(e, "regions", "A region is given twice.");
                                bad = 1;
                        }
        }
        if (!bad && n > ACCOUNT_MAX_REGIONS)
                errs_add(e, "regions", "Choose at most %d regions.", ACCOUNT_MAX_REGIONS);
        else if (!bad && n == 0 && role == ROLE_REGIONAL_OFFICER)
                errs_add(e, "regions", "A regional officer needs at least one region.");
        return e->n == before ? 0 : -1;
}

static void
weak_password_error(struct errs *e, const char *field, const char *weak)
{
        if (strcmp(weak, "dictionary") == 0)
                errs_add(e, field,
                         "This password is a common word or built on one, easy to guess. Choose "
                         "another, for example several unrelated words.");
        else if (strcmp(weak, "login") == 0)
                errs_add(e, field,
                         "The password must not contain the login, even written another way.");
        else if (strcmp(weak, "simple") == 0)
                errs_add(e, field,
                         "This password is too simple (a sequence, a repetition or a palindrome). "
                         "Choose another, for example several unrelated words.");
        else
                errs_add(e, field,
                         "The password could not be checked against the dictionary of common "
                         "passwords. Tell the administrator.");
}

int
account_check_password(const char *password, const char *confirm, const char *login,
                       const char *field, struct errs *e)
{
        size_t before = e->n;
        const char *weak;
        if (!account_password_ok(password))
                errs_add(e, field, "Enter a password of %d to %d characters.", ACCOUNT_PASSWORD_MIN,
                         ACCOUNT_PASSWORD_MAX);
        else if (auth_password_has_login(password, login))
                errs_add(e, field, "The password must not contain the login.");
        else if ((weak = auth_password_weakness(password, login)) != NULL)
                weak_password_error(e, field, weak);
        else if (confirm && strcmp(password, confirm) != 0)
                errs_add(e, "password_confirm", "The two passwords are not the same.");
        return e->n == before ? 0 : -1;
}
