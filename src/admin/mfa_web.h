/* mfa_web.h: what the account pages take from the second factor's pages. */
#ifndef MURAFIQ_MFA_WEB_H
#define MURAFIQ_MFA_WEB_H

#include "core/http.h"

/* The "Second factor" section of an account's page (admin): on or off, and the reset form
 * (which carries the account's version). */
void mfa_account_section(struct request *req, long long user_id, long long version);

#endif
