/* org_web.h: what the organisation pages and the organisation API share. */
#ifndef MURAFIQ_ORG_WEB_H
#define MURAFIQ_ORG_WEB_H

#include "core/http.h"
#include "core/validate.h"
#include "registry/org_store.h"

/* Reads the list filters (q, kind, page, per_page) from the query string into f (strings in
 * the arena). Bad values add errors to e. */
void org_filter_from_query(struct request *req, struct org_filter *f, struct errs *e,
                           long long *page, long long *per_page);

#endif
