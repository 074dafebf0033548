/* person_store.h: people (members and beneficiaries) in the database, within region scope. */
#ifndef MURAFIQ_PERSON_STORE_H
#define MURAFIQ_PERSON_STORE_H

#include <stddef.h>

#include "registry/store.h"

struct arena;
struct db;
struct scope;

#define PERSON_MEMBERS_MAX 200

struct person_member {
        long long person_id;
        const char *name_ar, *name_fr, *sex, *role;
};

/* The members of cooperative coop_id (at most PERSON_MEMBERS_MAX, officers first) whose
 * person record is within scope. */
int person_store_members(struct db *db, const struct scope *scope, long long coop_id,
                         struct arena *a, struct person_member **out, size_t *n);

/* The label msgid of a membership role code (president, treasurer, secretary, member). */
const char *person_role_label(const char *role);

#endif
