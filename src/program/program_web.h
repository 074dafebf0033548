/* program_web.h: what the program pages and the program API share. */
#ifndef MURAFIQ_PROGRAM_WEB_H
#define MURAFIQ_PROGRAM_WEB_H

#include "core/http.h"
#include "program/program_store.h"

/* What validation looks up for a request: organisations in its database, the server's
 * geography. */
struct program_refs program_refs_of(struct request *req);

/* The message of a stale version (409), for a program (tranche = 0) or a tranche, in the
 * request's language; api selects the wording for API callers. */
const char *program_conflict_message(struct request *req, int tranche, int api);

#endif
