/* person_web.h: what the people pages and the people API share. */
#ifndef MURAFIQ_PERSON_WEB_H
#define MURAFIQ_PERSON_WEB_H

#include "core/http.h"
#include "core/validate.h"
#include "registry/person_store.h"

/* Reads the list filters (q, region, province, sex, cooperative, page, per_page) from the
 * query string into f (strings in the arena). Bad values add errors to e. */
void person_filter_from_query(struct request *req, struct person_filter *f, struct errs *e,
                              long long *page, long long *per_page);

#endif
