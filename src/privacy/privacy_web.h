/* privacy_web.h: what the privacy pages, the privacy API and the person page share. */
#ifndef MURAFIQ_PRIVACY_WEB_H
#define MURAFIQ_PRIVACY_WEB_H

#include <jansson.h>

#include "core/http.h"
#include "privacy/privacy_store.h"
#include "registry/person.h"

/* The person page's section on personal data: consents (with the forms to record and withdraw
 * one, for writers), the objection, and the links to the access export. p was read through the
 * scoped person store. */
void privacy_person_section(struct request *req, const struct person *p);

/* The person req->id read through the scoped store (with the national ID when the user may see
 * it) into *p, or an answer already given (404 outside scope) and -1. */
int privacy_person_or_reply(struct request *req, struct person *p);

/* Everything murafiq holds about p (right of access, law 09-08 art. 7), as JSON: the record,
 * memberships with cooperative names, consents, objection and audit entries. NULL after an
 * answer was given (database error). */
json_t *privacy_access_json(struct request *req, const struct person *p);

/* One entry of the register as JSON (the API's and the export's shape: flat fields). */
json_t *privacy_processing_json(const struct processing *p);

#endif
