/* audit_web.h: what the audit pages, the audit API and the record pages share. */
#ifndef MURAFIQ_AUDIT_WEB_H
#define MURAFIQ_AUDIT_WEB_H

#include "admin/audit_store.h"
#include "core/http.h"
#include "core/validate.h"

/* Reads the filters (login, entity, entity_id, action, from, to, page) from the query string;
 * bad values add errors to e. */
void audit_filter_from_query(struct request *req, struct audit_filter *f, struct errs *e,
                             long long *page);

/* A record page's "History" panel: the latest entries about (entity, id), with a link to the
 * whole trail for admins. The caller has already shown the record, so its scope is checked. */
void audit_history_section(struct request *req, const char *entity, long long id);

/* The English label msgid of an action or an entity ("update" -> "Changed"), or NULL. */
const char *audit_action_label(const char *action);
const char *audit_entity_label(const char *entity);

#endif
