/* person_store.c: SQL for people and memberships. Every query carries the caller's scope. */
#include "registry/person_store.h"

#include <string.h>

#include "core/arena.h"
#include "core/db.h"
#include "core/http.h"
#include "core/log.h"
#include "core/text.h"

int
person_store_members(struct db *db, const struct scope *scope, long long coop_id, struct arena *a,
                     struct person_member **out, size_t *n)
{
        *n = 0;
        *out = arena_alloc(a, PERSON_MEMBERS_MAX * sizeof(**out));
        sqlite3_stmt *st = db_stmt(
            db, "SELECT p.id, p.name_ar, p.name_fr, p.sex, m.role FROM membership m"
                " JOIN person p ON p.id = m.person_id WHERE m.cooperative_id = :c AND " SCOPE_SQL(
                    "p.region_code") " ORDER BY CASE m.role WHEN 'president' THEN 0 WHEN "
                                     "'treasurer' THEN 1"
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

#define PERSON_COLUMNS                                                                             \
        "id, name_ar, name_fr, sex, birth_date, phone, national_id, region_code,"                  \
        " COALESCE(province_code, ''), version, created_at, updated_at"

static void
read_person(sqlite3_stmt *st, struct arena *a, struct person *p)
{
        int i = 0;
        p->id = db_col_int(st, i++);
        p->name_ar = db_col_text(a, st, i++);
        p->name_fr = db_col_text(a, st, i++);
        p->sex = db_col_text(a, st, i++);
        p->birth_date = db_col_text(a, st, i++);
        p->phone = db_col_text(a, st, i++);
        p->national_id = db_col_text(a, st, i++);
        p->region_code = db_col_text(a, st, i++);
        p->province_code = db_col_text(a, st, i++);
        p->version = db_col_int(st, i++);
        p->created_at = db_col_text(a, st, i++);
        p->updated_at = db_col_text(a, st, i++);
}

/*
 * The filters of a list; unused ones are bound to '' (or 0) and switch themselves off. The
 * cooperative filter needs the cooperative in scope too, so that it reveals no membership of
 * a cooperative the caller cannot see.
 *
 * Two shapes, because at national scale (790,000 people) the plan matters: the national shape
 * (a user who sees every region, no region filter) has no region condition, so a page walks
 * the name index and stops after one page; the regional shape puts the scope and region
 * conditions on the 12-row region table, so that SQLite reads person through its region index.
 */
#define PERSON_FILTERS                                                                             \
        " AND (:province = '' OR province_code = :province)"                                       \
        " AND (:sex = '' OR sex = :sex)"                                                           \
        " AND (:coop = 0 OR id IN (SELECT m.person_id FROM membership m"                           \
        " JOIN cooperative c ON c.id = m.cooperative_id WHERE m.cooperative_id = :coop"            \
        " AND " SCOPE_SQL("c.region_code") "))"                                                    \
                                           " AND " WORDS_SQL
#define PERSON_WHERE_NATIONAL " WHERE 1 = 1" PERSON_FILTERS
#define PERSON_WHERE_REGIONAL                                                                      \
        " WHERE region_code IN (SELECT code FROM region WHERE (:region = '' OR code = :region)"    \
        " AND " SCOPE_SQL("code") ")" PERSON_FILTERS

#define PERSON_LIST(where, order)                                                                  \
        "SELECT " PERSON_COLUMNS " FROM person" where " ORDER BY " order                           \
        " LIMIT :limit OFFSET :offset"

enum person_shape { SHAPE_NATIONAL, SHAPE_NATIONAL_SEARCH, SHAPE_REGIONAL, SHAPE_COUNT };

/* [shape][order: French name, Arabic name]. A national search orders by "+name": the unary
 * plus keeps SQLite from walking the name index, which would visit most of the table before
 * finding one page of matches; a scan with a top-N sort is faster there. */
static const char *const list_sql[SHAPE_COUNT][2] = {
    [SHAPE_NATIONAL] = {PERSON_LIST(PERSON_WHERE_NATIONAL, "name_fr COLLATE NOCASE, id"),
                        PERSON_LIST(PERSON_WHERE_NATIONAL, "name_ar, id")},
    [SHAPE_NATIONAL_SEARCH] = {PERSON_LIST(PERSON_WHERE_NATIONAL, "+name_fr COLLATE NOCASE, id"),
                               PERSON_LIST(PERSON_WHERE_NATIONAL, "+name_ar, id")},
    [SHAPE_REGIONAL] = {PERSON_LIST(PERSON_WHERE_REGIONAL, "name_fr COLLATE NOCASE, id"),
                        PERSON_LIST(PERSON_WHERE_REGIONAL, "name_ar, id")},
};
static const char *const count_sql[SHAPE_COUNT] = {
    [SHAPE_NATIONAL] = "SELECT COUNT(*) FROM person" PERSON_WHERE_NATIONAL,
    [SHAPE_NATIONAL_SEARCH] = "SELECT COUNT(*) FROM person" PERSON_WHERE_NATIONAL,
    [SHAPE_REGIONAL] = "SELECT COUNT(*) FROM person" PERSON_WHERE_REGIONAL,
};

static void
bind_filter(sqlite3_stmt *st, const struct scope *scope, const struct person_filter *f,
            struct arena *a)
{
        store_bind_scope(st, scope);
        if (sqlite3_bind_parameter_index(st, ":region"))
                db_bind_text(st, ":region", f->region ? f->region : "");
        db_bind_text(st, ":province", f->province ? f->province : "");
        db_bind_text(st, ":sex", f->sex ? f->sex : "");
        db_bind_int(st, ":coop", f->cooperative > 0 ? f->cooperative : 0);
        store_bind_words(st, f->q, a);
}

int
person_store_list(struct db *db, const struct scope *scope, const struct person_filter *f,
                  struct arena *a, struct person **items, size_t *n, long long *total)
{
        *items = NULL;
        *n = 0;
        *total = 0;
        int has_q = f->q && f->q[0];
        /* The members of one cooperative are few: the regional shape finds them through the
         * membership index whatever the user's reach. */
        enum person_shape shape = !scope->all || (f->region && f->region[0]) || f->cooperative > 0
                                      ? SHAPE_REGIONAL
                                  : has_q ? SHAPE_NATIONAL_SEARCH
                                          : SHAPE_NATIONAL;
        int unfiltered =
            shape == SHAPE_NATIONAL && !(f->province && f->province[0]) && !(f->sex && f->sex[0]);
        /* Nothing to filter: the count is the table's, which SQLite reads from an index. */
        const char *sql = unfiltered ? "SELECT COUNT(*) FROM person" : count_sql[shape];
        sqlite3_stmt *st = db_stmt(db, sql);
        if (st == NULL)
                return STORE_ERROR;
        if (!unfiltered)
                bind_filter(st, scope, f, a);
        if (sqlite3_step(st) != SQLITE_ROW)
                goto fail;
        *total = db_col_int(st, 0);
        sqlite3_reset(st);
        if (*total == 0 || f->offset >= *total)
                return STORE_OK;

        st = db_stmt(db, list_sql[shape][f->by_name_ar ? 1 : 0]);
        if (st == NULL)
                return STORE_ERROR;
        bind_filter(st, scope, f, a);
        db_bind_int(st, ":limit", f->limit);
        db_bind_int(st, ":offset", f->offset);
        size_t cap = (size_t)(f->limit > 0 && f->limit < 1000 ? f->limit : 1000);
        *items = arena_alloc(a, cap * sizeof(**items));
        int rc = SQLITE_DONE;
        while (*n < cap && (rc = sqlite3_step(st)) == SQLITE_ROW)
                read_person(st, a, &(*items)[(*n)++]);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE)
                goto fail;
        sqlite3_reset(st);
        return STORE_OK;
fail:
        log_error("person list: %s", sqlite3_errmsg(db->h));
        sqlite3_reset(st);
        return STORE_ERROR;
}

int
person_store_get(struct db *db, const struct scope *scope, long long id, struct arena *a,
                 struct person *out)
{
        sqlite3_stmt *st = db_stmt(db, "SELECT " PERSON_COLUMNS " FROM person WHERE id = :id"
                                       " AND " SCOPE_SQL("region_code"));
        if (st == NULL)
                return STORE_ERROR;
        db_bind_int(st, ":id", id);
        store_bind_scope(st, scope);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
                read_person(st, a, out);
        sqlite3_reset(st);
        return rc == SQLITE_ROW ? STORE_OK : rc == SQLITE_DONE ? STORE_NOT_FOUND : STORE_ERROR;
}

char *
person_name_fold(struct arena *a, const struct person *p)
{
        char *joined =
            arena_printf(a, "%s %s", p->name_ar ? p->name_ar : "", p->name_fr ? p->name_fr : "");
        char *f = text_fold(a, joined);
        return f ? f : arena_strdup(a, "");
}

static void
bind_person(sqlite3_stmt *st, const struct person *p, const char *fold)
{
        db_bind_text(st, ":name_ar", p->name_ar);
        db_bind_text(st, ":name_fr", p->name_fr);
        db_bind_text(st, ":name_fold", fold);
        db_bind_text(st, ":sex", p->sex);
        db_bind_text(st, ":birth_date", p->birth_date ? p->birth_date : "");
        db_bind_text(st, ":phone", p->phone ? p->phone : "");
        db_bind_text(st, ":national_id", p->national_id ? p->national_id : "");
        db_bind_text(st, ":region_code", p->region_code);
        if (p->province_code && p->province_code[0])
                db_bind_text(st, ":province_code", p->province_code);
        else
                db_bind_null(st, ":province_code");
        db_bind_text(st, ":now", p->updated_at);
}

static int
step_write(struct db *db, sqlite3_stmt *st, const char *what)
{
        int rc = sqlite3_step(st);
        int ext = sqlite3_extended_errcode(db->h);
        sqlite3_reset(st);
        if (rc == SQLITE_DONE)
                return STORE_OK;
        if (ext == SQLITE_CONSTRAINT_PRIMARYKEY || ext == SQLITE_CONSTRAINT_UNIQUE)
                return STORE_DUPLICATE;
        log_error("%s: %s", what, sqlite3_errmsg(db->h));
        return STORE_ERROR;
}

int
person_store_insert(struct db *db, const struct scope *scope, struct person *p, struct arena *a)
{
        if (db_begin(db) != 0)
                return STORE_ERROR;
        int rc = STORE_FORBIDDEN;
        if (!store_region_in_scope(db, scope, p->region_code))
                goto fail;
        p->created_at = p->updated_at = db_now(a);
        sqlite3_stmt *st =
            db_stmt(db, "INSERT INTO person (name_ar, name_fr, name_fold, sex, birth_date, phone,"
                        " national_id, region_code, province_code, version, created_at, updated_at)"
                        " VALUES (:name_ar, :name_fr, :name_fold, :sex, :birth_date, :phone,"
                        " :national_id, :region_code, :province_code, 1, :now, :now)");
        rc = STORE_ERROR;
        if (st == NULL)
                goto fail;
        bind_person(st, p, person_name_fold(a, p));
        rc = step_write(db, st, "person insert");
        if (rc != STORE_OK)
                goto fail;
        p->id = sqlite3_last_insert_rowid(db->h);
        p->version = 1;
        if (db_commit(db) != 0) {
                rc = STORE_ERROR;
                goto fail;
        }
        return STORE_OK;
fail:
        db_rollback(db);
        return rc;
}

int
person_store_update(struct db *db, const struct scope *scope, struct person *p,
                    long long expected_version, struct arena *a)
{
        if (db_begin(db) != 0)
                return STORE_ERROR;
        struct person old;
        int rc = person_store_get(db, scope, p->id, a, &old);
        if (rc != STORE_OK)
                goto fail;
        if (old.version != expected_version) {
                rc = STORE_CONFLICT;
                goto fail;
        }
        if (!store_region_in_scope(db, scope, p->region_code)) {
                rc = STORE_FORBIDDEN;
                goto fail;
        }
        p->updated_at = db_now(a);
        sqlite3_stmt *st =
            db_stmt(db, "UPDATE person SET name_ar = :name_ar, name_fr = :name_fr,"
                        " name_fold = :name_fold, sex = :sex, birth_date = :birth_date,"
                        " phone = :phone, national_id = :national_id, region_code = :region_code,"
                        " province_code = :province_code, version = version + 1, updated_at = :now"
                        " WHERE id = :id AND version = :version");
        rc = STORE_ERROR;
        if (st == NULL)
                goto fail;
        bind_person(st, p, person_name_fold(a, p));
        db_bind_int(st, ":id", p->id);
        db_bind_int(st, ":version", expected_version);
        rc = step_write(db, st, "person update");
        if (rc != STORE_OK)
                goto fail;
        if (sqlite3_changes(db->h) != 1) {
                rc = STORE_CONFLICT;
                goto fail;
        }
        if (db_commit(db) != 0) {
                rc = STORE_ERROR;
                goto fail;
        }
        p->version = expected_version + 1;
        p->created_at = old.created_at;
        return STORE_OK;
fail:
        db_rollback(db);
        return rc;
}

int
person_store_memberships(struct db *db, const struct scope *scope, long long person_id,
                         struct arena *a, struct person_membership **out, size_t *n)
{
        *n = 0;
        *out = arena_alloc(a, PERSON_MEMBERSHIPS_MAX * sizeof(**out));
        sqlite3_stmt *st =
            db_stmt(db, "SELECT c.id, c.register_number, c.name_ar, c.name_fr, m.role"
                        " FROM membership m JOIN person p ON p.id = m.person_id"
                        " JOIN cooperative c ON c.id = m.cooperative_id"
                        " WHERE m.person_id = :p AND " SCOPE_SQL("p.region_code") " AND " SCOPE_SQL(
                            "c.region_code") " ORDER BY c.register_number LIMIT :max");
        if (st == NULL)
                return STORE_ERROR;
        db_bind_int(st, ":p", person_id);
        db_bind_int(st, ":max", PERSON_MEMBERSHIPS_MAX);
        store_bind_scope(st, scope);
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
                struct person_membership *m = &(*out)[(*n)++];
                m->cooperative_id = db_col_int(st, 0);
                m->register_number = db_col_text(a, st, 1);
                m->name_ar = db_col_text(a, st, 2);
                m->name_fr = db_col_text(a, st, 3);
                m->role = db_col_text(a, st, 4);
        }
        sqlite3_reset(st);
        return rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}

int
person_store_coop_by_register(struct db *db, const struct scope *scope, const char *regno,
                              long long *coop_id)
{
        *coop_id = 0;
        sqlite3_stmt *st = db_stmt(db, "SELECT id FROM cooperative WHERE register_number = :r"
                                       " AND " SCOPE_SQL("region_code"));
        if (st == NULL)
                return STORE_ERROR;
        db_bind_text(st, ":r", regno);
        store_bind_scope(st, scope);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
                *coop_id = db_col_int(st, 0);
        sqlite3_reset(st);
        return rc == SQLITE_ROW ? STORE_OK : rc == SQLITE_DONE ? STORE_NOT_FOUND : STORE_ERROR;
}

/* 1 when person_id and coop_id both exist within scope, 0 when not, -1 on error. */
static int
both_in_scope(struct db *db, const struct scope *scope, long long person_id, long long coop_id)
{
        sqlite3_stmt *st =
            db_stmt(db, "SELECT 1 FROM person p, cooperative c WHERE p.id = :p AND c.id = :c"
                        " AND " SCOPE_SQL("p.region_code") " AND " SCOPE_SQL("c.region_code"));
        if (st == NULL)
                return -1;
        db_bind_int(st, ":p", person_id);
        db_bind_int(st, ":c", coop_id);
        store_bind_scope(st, scope);
        int rc = sqlite3_step(st);
        sqlite3_reset(st);
        return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int
person_store_add_membership(struct db *db, const struct scope *scope, long long person_id,
                            long long coop_id, const char *role)
{
        if (db_begin(db) != 0)
                return STORE_ERROR;
        int rc = STORE_ERROR;
        int in = both_in_scope(db, scope, person_id, coop_id);
        if (in <= 0) {
                rc = in == 0 ? STORE_NOT_FOUND : STORE_ERROR;
                goto fail;
        }
        sqlite3_stmt *st = db_stmt(db, "INSERT INTO membership (person_id, cooperative_id, role)"
                                       " VALUES (:p, :c, :role)");
        if (st == NULL)
                goto fail;
        db_bind_int(st, ":p", person_id);
        db_bind_int(st, ":c", coop_id);
        db_bind_text(st, ":role", role);
        rc = step_write(db, st, "membership insert");
        if (rc != STORE_OK)
                goto fail;
        if (db_commit(db) != 0) {
                rc = STORE_ERROR;
                goto fail;
        }
        return STORE_OK;
fail:
        db_rollback(db);
        return rc;
}

int
person_store_remove_membership(struct db *db, const struct scope *scope, long long person_id,
                               long long coop_id)
{
        if (db_begin(db) != 0)
                return STORE_ERROR;
        int rc = STORE_ERROR;
        int in = both_in_scope(db, scope, person_id, coop_id);
        if (in <= 0) {
                rc = in == 0 ? STORE_NOT_FOUND : STORE_ERROR;
                goto fail;
        }
        sqlite3_stmt *st = db_stmt(db, "DELETE FROM membership WHERE person_id = :p"
                                       " AND cooperative_id = :c");
        if (st == NULL)
                goto fail;
        db_bind_int(st, ":p", person_id);
        db_bind_int(st, ":c", coop_id);
        rc = step_write(db, st, "membership delete");
        if (rc != STORE_OK)
                goto fail;
        if (sqlite3_changes(db->h) != 1) {
                rc = STORE_NOT_FOUND;
                goto fail;
        }
        if (db_commit(db) != 0) {
                rc = STORE_ERROR;
                goto fail;
        }
        return STORE_OK;
fail:
        db_rollback(db);
        return rc;
}
