/* person_store.c: SQL for people and memberships. Every query carries the caller's scope. */
#include "registry/person_store.h"

#include <string.h>

#include "core/arena.h"
#include "core/db.h"
#include "core/http.h"
#include "core/i18n.h"

const char *
person_role_label(const char *role)
{
        if (strcmp(role, "president") == 0)
                return N_("President");
        if (strcmp(role, "treasurer") == 0)
                return N_("Treasurer");
        if (strcmp(role, "secretary") == 0)
                return N_("Secretary");
        return N_("Member");
}

int
person_store_members(struct db *db, const struct scope *scope, long long coop_id,
                     struct arena *a, struct person_member **out, size_t *n)
{
        *n = 0;
        *out = arena_alloc(a, PERSON_MEMBERS_MAX * sizeof(**out));
        sqlite3_stmt *st = db_stmt(
                db, "SELECT p.id, p.name_ar, p.name_fr, p.sex, m.role FROM membership m"
                    " JOIN person p ON p.id = m.person_id WHERE m.cooperative_id = :c AND "
                    SCOPE_SQL("p.region_code")
                    " ORDER BY CASE m.role WHEN 'president' THEN 0 WHEN 'treasurer' THEN 1"
                    " WHEN 'secretary' THEN 2 ELSE 3 END, p.name_fr LIMIT :max");
        if (st == NULL)
                return STORE_ERROR;
        db_bind_int(st, ":c", coop_id);
        db_bind_int(st, ":max", PERSON_MEMBERS_MAX);
        store_bind_scope(st, scope);
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
                struct person_member *m = &(*out)[(*n)++];
                m->person_id = db_col_int(st, 0);
                m->name_ar = db_col_text(a, st, 1);
                m->name_fr = db_col_text(a, st, 2);
                m->sex = db_col_text(a, st, 3);
                m->role = db_col_text(a, st, 4);
        }
        sqlite3_reset(st);
        return rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}
