/* coop_web.h: what the cooperative pages and the cooperative API share. */
#ifndef MURAFIQ_COOP_WEB_H
#define MURAFIQ_COOP_WEB_H

#include "core/http.h"
#include "core/validate.h"
#include "registry/coop_store.h"

/* Reads the list filters (q, region, province, sector, status, age_min, age_max, sort, order,
 * page, per_page) from the query string into f. Bad values add errors to e. */
void coop_filter_from_query(struct request *req, struct coop_filter *f, struct errs *e,
                            long long *page, long long *per_page);

#endif
