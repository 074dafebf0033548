/* person_store.c: SQL for people and memberships. Every query carries the caller's scope. */
#include "registry/person_store.h"

#include <string.h>

#include <sodium.h>

#include "core/arena.h"
#include "core/audit.h"
#include "core/db.h"
#include "core/http.h"
#include "core/log.h"
#include "core/secret.h"
#include "core/text.h"
#include "privacy/privacy_store.h"

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

/* The national ID is not among them: only person_store_read decrypts it, when asked. */
#define PERSON_COLUMNS                                                                             \
        "id, name_ar, name_fr, sex, birth_date, phone, region_code,"                               \
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
        p->national_id = NULL; /* not read */
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
        if (db_has_param(st, ":region"))
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

/* ---- the national ID number, encrypted at rest ---- */

int
person_nid_seal(const char *national_id, struct person_nid *out)
{
        out->box_len = 0;
        out->has = 0;
        if (national_id == NULL || national_id[0] == '\0')
                return 0;
        const struct secret_key *k = secret_key_process();
        if (k == NULL) {
                log_error("person: no key file loaded: national ID numbers cannot be written");
                return -1;
        }
        if (secret_hash(k, national_id, out->hash) != 0)
                return -1;
        out->box_len = secret_seal(k, national_id, strlen(national_id), out->box);
        if (out->box_len == 0)
                return -1;
        out->has = 1;
        return 0;
}

/* The number in box (n bytes) decrypted into the arena: "" when there is none, NULL when it
 * does not open with the process's key. */
static char *
nid_open(struct arena *a, long long id, const void *box, size_t n)
{
        if (box == NULL || n == 0)
                return arena_strdup(a, "");
        char *out = secret_open_text(a, box, n);
        if (out == NULL)
                log_error("person %lld: the national ID number does not open with %s", id,
                          secret_unopened_why());
        return out;
}

int
person_store_read(struct db *db, const struct scope *scope, long long id, int with_national_id,
                  struct arena *a, struct person *out)
{
        sqlite3_stmt *st =
            db_stmt(db, "SELECT " PERSON_COLUMNS ", national_id_box FROM person WHERE id = :id"
                        " AND " SCOPE_SQL("region_code"));
        if (st == NULL)
                return STORE_ERROR;
        db_bind_int(st, ":id", id);
        store_bind_scope(st, scope);
        int rc = sqlite3_step(st), src = STORE_ERROR;
        if (rc == SQLITE_ROW) {
                read_person(st, a, out);
                src = STORE_OK;
                /* Decrypted only for those who may see it: others never hold it, even here. */
                if (with_national_id) {
                        out->national_id = nid_open(a, out->id, sqlite3_column_blob(st, 11),
                                                    (size_t)sqlite3_column_bytes(st, 11));
                        if (out->national_id == NULL)
                                src = STORE_UNREADABLE;
                }
        } else if (rc == SQLITE_DONE) {
                src = STORE_NOT_FOUND;
        }
        sqlite3_reset(st);
        return src;
}

int
person_store_get(struct db *db, const struct scope *scope, long long id, struct arena *a,
                 struct person *out)
{
        return person_store_read(db, scope, id, 0, a, out);
}

char *
person_name_fold(struct arena *a, const struct person *p)
{
        char *joined =
            arena_printf(a, "%s %s", p->name_ar ? p->name_ar : "", p->name_fr ? p->name_fr : "");
        char *f = text_fold(a, joined);
        return f ? f : arena_strdup(a, "");
}

/* nid is the sealed national ID to write, or NULL to keep what the row has. */
static void
bind_person(sqlite3_stmt *st, const struct person *p, const char *fold,
            const struct person_nid *nid)
{
        db_bind_text(st, ":name_ar", p->name_ar);
        db_bind_text(st, ":name_fr", p->name_fr);
        db_bind_text(st, ":name_fold", fold);
        db_bind_text(st, ":sex", p->sex);
        db_bind_text(st, ":birth_date", p->birth_date ? p->birth_date : "");
        db_bind_text(st, ":phone", p->phone ? p->phone : "");
        const struct person_nid *n = nid;
        if (db_has_param(st, ":nid_keep"))
                db_bind_int(st, ":nid_keep", n == NULL);
        db_bind_blob(st, ":nid_box", n && n->has ? n->box : NULL, n ? n->box_len : 0);
        db_bind_blob(st, ":nid_hash", n && n->has ? n->hash : NULL, SECRET_HASH_BYTES);
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

/*
 * Seals p->national_id into *nid (nothing when it is NULL: the row keeps its number) and
 * checks, when the number is new for row self (0 for an insert), that no other person has it:
 * STORE_DUPLICATE. The check goes by the keyed hash, across every region: a number belongs
 * to one person wherever she is registered (the answer names no record).
 */
static int
nid_prepare(struct db *db, const struct person *p, long long self, struct person_nid *nid)
{
        nid->has = 0;
        nid->box_len = 0;
        if (p->national_id == NULL)
                return STORE_OK;
        if (person_nid_seal(p->national_id, nid) != 0)
                return STORE_ERROR;
        if (!nid->has)
                return STORE_OK;
        sqlite3_stmt *st = db_stmt(
            db, "SELECT 1 FROM person WHERE national_id_hash = :h AND id <> :self"
                " AND :h IS NOT (SELECT national_id_hash FROM person WHERE id = :self) LIMIT 1");
        if (st == NULL)
                return STORE_ERROR;
        db_bind_blob(st, ":h", nid->hash, SECRET_HASH_BYTES);
        db_bind_int(st, ":self", self);
        int rc = sqlite3_step(st);
        sqlite3_reset(st);
        return rc == SQLITE_ROW ? STORE_DUPLICATE : rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
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
        struct person_nid nid;
        rc = nid_prepare(db, p, 0, &nid);
        if (rc != STORE_OK)
                goto fail;
        sqlite3_stmt *st =
            db_stmt(db, "INSERT INTO person (name_ar, name_fr, name_fold, sex, birth_date, phone,"
                        " national_id_box, national_id_hash, region_code, province_code, version,"
                        " created_at, updated_at)"
                        " VALUES (:name_ar, :name_fr, :name_fold, :sex, :birth_date, :phone,"
                        " :nid_box, :nid_hash, :region_code, :province_code, 1, :now, :now)");
        rc = STORE_ERROR;
        if (st == NULL)
                goto fail;
        bind_person(st, p, person_name_fold(a, p), &nid);
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
        struct person_nid nid;
        rc = nid_prepare(db, p, p->id, &nid);
        if (rc != STORE_OK)
                goto fail;
        /* An unchanged number (same keyed hash) keeps its box: no new ciphertext, so the audit
         * trail records a change of the number only when there was one. */
        sqlite3_stmt *st = db_stmt(
            db, "UPDATE person SET name_ar = :name_ar, name_fr = :name_fr,"
                " name_fold = :name_fold, sex = :sex, birth_date = :birth_date, phone = :phone,"
                " national_id_box = CASE WHEN :nid_keep = 1 OR national_id_hash IS :nid_hash"
                " THEN national_id_box ELSE :nid_box END,"
                " national_id_hash = CASE WHEN :nid_keep = 1 THEN national_id_hash"
                " ELSE :nid_hash END,"
                " region_code = :region_code, province_code = :province_code,"
                " version = version + 1, updated_at = :now WHERE id = :id AND version = :version");
        rc = STORE_ERROR;
        if (st == NULL)
                goto fail;
        bind_person(st, p, person_name_fold(a, p), p->national_id ? &nid : NULL);
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

/* ---- the key of this database, and the sealing of numbers written before migration 013 ---- */

/* 1 when the database's recorded key is k, 0 when another, -1 on error; records k's id when
 * none is recorded yet and no box exists that k cannot open. Inside the caller's transaction. */
static int
key_matches(struct db *db, const struct secret_key *k)
{
        unsigned char id[SECRET_HASH_BYTES];
        secret_key_id(k, id);
        sqlite3_stmt *st = db_stmt(db, "SELECT key_id FROM secret_key_check WHERE id = 1");
        if (st == NULL)
                return -1;
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
                int same = sqlite3_column_bytes(st, 0) == SECRET_HASH_BYTES &&
                           sodium_memcmp(sqlite3_column_blob(st, 0), id, SECRET_HASH_BYTES) == 0;
                sqlite3_reset(st);
                return same;
        }
        sqlite3_reset(st);
        if (rc != SQLITE_DONE)
                return -1;
        /* No key recorded (a new database, or its row was deleted): a box that does not open
         * says the key is not the one the data was sealed with. */
        st = db_stmt(db, "SELECT id, national_id_box FROM person"
                         " WHERE national_id_box IS NOT NULL LIMIT 1");
        if (st == NULL)
                return -1;
        rc = sqlite3_step(st);
        int opens = 1;
        if (rc == SQLITE_ROW) {
                size_t n = (size_t)sqlite3_column_bytes(st, 1);
                char out[SECRET_BOX_MAX + 1];
                opens =
                    n <= SECRET_BOX_MAX && secret_open(k, sqlite3_column_blob(st, 1), n, out) >= 0;
                sodium_memzero(out, sizeof(out));
        }
        sqlite3_reset(st);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE)
                return -1;
        if (!opens)
                return 0;
        struct arena *a = arena_new();
        st = db_stmt(db, "INSERT INTO secret_key_check (id, key_id, created_at)"
                         " VALUES (1, :key_id, :now)");
        rc = st ? (db_bind_blob(st, ":key_id", id, sizeof(id)), db_bind_text(st, ":now", db_now(a)),
                   sqlite3_step(st))
                : SQLITE_ERROR;
        if (st)
                sqlite3_reset(st);
        arena_free(a);
        return rc == SQLITE_DONE ? 1 : -1;
}

/* Seals up to 500 plain numbers; returns how many, or -1. */
static long
seal_batch(struct db *db)
{
        enum { BATCH = 500 };
        struct arena *a = arena_new();
        long long *ids = arena_alloc(a, BATCH * sizeof(*ids));
        char **plain = arena_alloc(a, BATCH * sizeof(*plain));
        long n = 0;
        sqlite3_stmt *st =
            db_stmt(db, "SELECT id, national_id FROM person WHERE national_id <> '' LIMIT 500");
        if (st == NULL)
                goto fail;
        int rc = SQLITE_DONE;
        while (n < BATCH && (rc = sqlite3_step(st)) == SQLITE_ROW) {
                ids[n] = db_col_int(st, 0);
                plain[n] = db_col_text(a, st, 1);
                n++;
        }
        sqlite3_reset(st);
        if (n < BATCH && rc != SQLITE_DONE)
                goto fail;
        for (long i = 0; i < n; i++) {
                struct person_nid nid;
                /* Stored by earlier versions uppercased, letters and digits: sealed as is. */
                if (person_nid_seal(plain[i], &nid) != 0)
                        goto fail;
                sodium_memzero(plain[i], strlen(plain[i]));
                st = db_stmt(db, "UPDATE person SET national_id = '', national_id_box = :box,"
                                 " national_id_hash = :hash WHERE id = :id");
                if (st == NULL || db_bind_blob(st, ":box", nid.box, nid.box_len) ||
                    db_bind_blob(st, ":hash", nid.hash, sizeof(nid.hash)) ||
                    db_bind_int(st, ":id", ids[i]) || sqlite3_step(st) != SQLITE_DONE) {
                        if (st)
                                sqlite3_reset(st);
                        goto fail;
                }
                sqlite3_reset(st);
        }
        arena_free(a);
        return n;
fail:
        log_error("sealing the national ID numbers: %s", sqlite3_errmsg(db->h));
        arena_free(a);
        return -1;
}

int
person_store_key_check(struct db *db, long long *sealed)
{
        *sealed = 0;
        const struct secret_key *k = secret_key_process();
        if (k == NULL)
                return STORE_ERROR;
        /* Freed cells are zeroed, so that no plain number stays in the file's free space. */
        if (db_exec(db, "PRAGMA secure_delete = ON") != 0 || db_begin(db) != 0)
                return STORE_ERROR;
        int rc = STORE_ERROR;
        int m = key_matches(db, k);
        if (m <= 0) {
                rc = m == 0 ? STORE_UNREADABLE : STORE_ERROR;
                goto fail;
        }
        /* One audit event for the whole sealing rather than a record per person. */
        audit_set_enabled(db, 0);
        long n;
        while ((n = seal_batch(db)) > 0)
                *sealed += n;
        audit_set_enabled(db, 1);
        if (n < 0)
                goto fail;
        if (*sealed > 0) {
                char detail[64];
                snprintf(detail, sizeof(detail), "{\"sealed\": %lld}", *sealed);
                if (audit_event(db, "national_id_sealed", "person", 0, detail) != 0)
                        goto fail;
        }
        if (db_commit(db) != 0)
                goto fail;
        db_exec(db, "PRAGMA secure_delete = OFF");
        if (*sealed > 0) {
                /* The old pages, plain numbers included, may still be in the main file until a
                 * checkpoint overwrites them, and in pages freed before: rewrite the file. */
                if (db_exec(db, "VACUUM") != 0 || db_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)"))
                        return STORE_ERROR;
        }
        return STORE_OK;
fail:
        audit_set_enabled(db, 1);
        db_rollback(db);
        db_exec(db, "PRAGMA secure_delete = OFF");
        *sealed = 0;
        return rc;
}

/* ---- the people export ---- */

sqlite3_stmt *
person_store_export_cursor(struct db *db, const struct scope *scope)
{
        /* An export is not essential: people who objected are left out (law 09-08, art. 9). */
        sqlite3_stmt *st = db_stmt(
            db, "SELECT " PERSON_COLUMNS " FROM person WHERE " SCOPE_SQL(
                    "region_code") " AND " PRIVACY_NOT_OBJECTED_SQL("person.id") " ORDER BY id");
        if (st)
                store_bind_scope(st, scope);
        return st;
}

int
person_store_export_next(sqlite3_stmt *st, struct arena *a, struct person *p)
{
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
                read_person(st, a, p);
                return 1;
        }
        sqlite3_reset(st);
        return rc == SQLITE_DONE ? 0 : -1;
}
