/* account_web.h: what the account pages and the account API share. */
#ifndef MURAFIQ_ACCOUNT_WEB_H
#define MURAFIQ_ACCOUNT_WEB_H

#include "admin/account_store.h"
#include "core/http.h"

/* A region_exists_fn over the server's geography (ctx unused). */
int account_region_exists(void *ctx, const char *code);

/* The translated message of a refused save (store result rc), or NULL for STORE_OK. */
enum app_error account_store_error(struct request *req, int rc, const char **message);

/* Answers the error of a refused store call (rc != STORE_OK). */
void account_reply_error(struct request *req, int rc);

/* Hashes password for storage, or NULL (out of memory). */
const char *account_hash(struct request *req, const char *password);

#endif
