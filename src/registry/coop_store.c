/* coop_store.c: SQL for cooperatives. Every query carries the caller's region scope. */
#include "registry/coop_store.h"

#include <string.h>

#include "core/arena.h"
#include "core/db.h"
#include "core/http.h"
#include "core/log.h"
#include "core/text.h"

#define COOP_COLUMNS                                                                               \
        "id, register_number, name_ar, name_fr, legal_date, COALESCE(activity_start_date, ''),"    \
        " sector, activity, region_code, province_code, COALESCE(commune_code, ''), address,"      \
        " phone, email, members_total, members_women, members_youth, is_soulalyate,"               \
        " is_women_only, status, notes, version, created_at, updated_at"

static void
read_coop(sqlite3_stmt *st, struct arena *a, struct coop *c)
{
        int i = 0;
        c->id = db_col_int(st, i++);
        c->register_number = db_col_text(a, st, i++);
        c->name_ar = db_col_text(a, st, i++);
        c->name_fr = db_col_text(a, st, i++);
        c->legal_date = db_col_text(a, st, i++);
        c->activity_start_date = db_col_text(a, st, i++);
        c->sector = db_col_text(a, st, i++);
        c->activity = db_col_text(a, st, i++);
        c->region_code = db_col_text(a, st, i++);
        c->province_code = db_col_text(a, st, i++);
        c->commune_code = db_col_text(a, st, i++);
        c->address = db_col_text(a, st, i++);
        c->phone = db_col_text(a, st, i++);
        c->email = db_col_text(a, st, i++);
        c->members_total = db_col_int(st, i++);
        c->members_women = db_col_int(st, i++);
        c->members_youth = db_col_int(st, i++);
        c->is_soulalyate = (int)db_col_int(st, i++);
        c->is_women_only = (int)db_col_int(st, i++);
        c->status = db_col_text(a, st, i++);
        c->notes = db_col_text(a, st, i++);
        c->version = db_col_int(st, i++);
        c->created_at = db_col_text(a, st, i++);
        c->updated_at = db_col_text(a, st, i++);
}

/* The filters but the search and the region; unused ones are bound to '' and switch themselves
 * off. */
#define COOP_OTHER_FILTERS                                                                         \
        "(:province = '' OR province_code = :province)"                                            \
        " AND (:sector = '' OR sector = :sector)"                                                  \
        " AND (:status = '' OR status = :status)"                                                  \
        " AND (:legal_from = '' OR legal_date >= :legal_from)"                                     \
        " AND (:legal_to = '' OR legal_date <= :legal_to)"

/* Without a search word (a query of signs only, like "-", has none). */
#define COOP_FILTERS                                                                               \
        SCOPE_SQL("region_code")                                                                   \
        " AND (:region = '' OR region_code = :region) AND " COOP_OTHER_FILTERS
#define COOP_WHERE " WHERE " COOP_FILTERS
/* With a region chosen, a plain equality lets the planner read that region through the index
 * cooperative_scope: an optional filter (:region = '' OR ...) cannot use an index, so without
 * it a list walked the name index and looked up all 65,000 rows (national scale: 270 ms). */
#define COOP_WHERE_REGION " WHERE region_code = :region AND " COOP_FILTERS

/* With search words: the ids from coop_word (COOP_WORD_IDS), plus the cooperative whose register
 * number is the query as typed. A search in a region thus reads its matches only, not every
 * cooperative of the region (instr over 5,000 names: 16 list pages a second at national
 * scale). */
#define COOP_MATCH(word_region, coop_region)                                                       \
        COOP_WORD_IDS(word_region)                                                                 \
        " UNION SELECT id FROM cooperative WHERE register_number = :q AND " coop_region
#define COOP_MATCH_REGION                                                                          \
        COOP_MATCH("w.region_code = :region AND " SCOPE_SQL("w.region_code"),                      \
                   "region_code = :region AND " SCOPE_SQL("region_code"))
#define COOP_MATCH_ANY                                                                             \
        COOP_MATCH("w.region_code IN (SELECT code FROM region WHERE " SCOPE_SQL("code") ")",       \
                   SCOPE_SQL("region_code"))
#define COOP_WHERE_SEARCH(match) " WHERE id IN (" match ") AND " COOP_OTHER_FILTERS

#define COOP_LIST(where, order)                                                                    \
        "SELECT " COOP_COLUMNS " FROM cooperative" where " ORDER BY " order                        \
        " LIMIT :limit OFFSET :offset"
/* A search sorts its matches on their ids and sort key alone, then reads the page's rows: the
 * sorter does not carry the whole rows of every match. The unary plus keeps SQLite from
 * walking a sort index over the whole table instead of reading the matches. */
#define COOP_LIST_SEARCH(match, order)                                                             \
        "SELECT " COOP_COLUMNS                                                                     \
        " FROM cooperative WHERE id IN (SELECT id FROM cooperative" COOP_WHERE_SEARCH(             \
            match) " ORDER BY +" order " LIMIT :limit OFFSET :offset)"                             \
                   " ORDER BY " order
#define COOP_ORDERS(list, where)                                                                   \
        {                                                                                          \
                {list(where, "name_fr COLLATE NOCASE, id"),                                        \
                 list(where, "name_fr COLLATE NOCASE DESC, id DESC")},                             \
                    {list(where, "name_ar, id"), list(where, "name_ar DESC, id DESC")},            \
                    {list(where, "legal_date, id"), list(where, "legal_date DESC, id DESC")},      \
                    {list(where, "register_number"), list(where, "register_number DESC")},         \
                {                                                                                  \
                        list(where, "members_total, id"),                                          \
                            list(where, "members_total DESC, id DESC")                             \
                }                                                                                  \
        }

enum coop_shape { SHAPE_ANY, SHAPE_REGION, SHAPE_SEARCH_ANY, SHAPE_SEARCH_REGION, SHAPE_COUNT };

/* One literal per shape, sort order and direction, so that each is a plain prepared
 * statement: list_sql[shape][sort][descending]. */
static const char *const list_sql[SHAPE_COUNT][COOP_SORT_COUNT][2] = {
    [SHAPE_ANY] = COOP_ORDERS(COOP_LIST, COOP_WHERE),
    [SHAPE_REGION] = COOP_ORDERS(COOP_LIST, COOP_WHERE_REGION),
    [SHAPE_SEARCH_ANY] = COOP_ORDERS(COOP_LIST_SEARCH, COOP_MATCH_ANY),
    [SHAPE_SEARCH_REGION] = COOP_ORDERS(COOP_LIST_SEARCH, COOP_MATCH_REGION),
};
/* [shape][other filters set]: a search with no other filter counts the ids alone. */
static const char *const count_sql[SHAPE_COUNT][2] = {
    [SHAPE_ANY] = {"SELECT COUNT(*) FROM cooperative" COOP_WHERE,
                   "SELECT COUNT(*) FROM cooperative" COOP_WHERE},
    [SHAPE_REGION] = {"SELECT COUNT(*) FROM cooperative" COOP_WHERE_REGION,
                      "SELECT COUNT(*) FROM cooperative" COOP_WHERE_REGION},
    [SHAPE_SEARCH_ANY] = {"SELECT COUNT(*) FROM (" COOP_MATCH_ANY ")",
                          "SELECT COUNT(*) FROM cooperative" COOP_WHERE_SEARCH(COOP_MATCH_ANY)},
    [SHAPE_SEARCH_REGION] = {"SELECT COUNT(*) FROM (" COOP_MATCH_REGION ")",
                             "SELECT COUNT(*) FROM cooperative" COOP_WHERE_SEARCH(
                                 COOP_MATCH_REGION)},
};

static int
has(const char *s)
{
        return s && s[0];
}

static enum coop_shape
shape_of(const struct coop_filter *f)
{
        int region = has(f->region);
        if (store_word_count(f->q) > 0)
                return region ? SHAPE_SEARCH_REGION : SHAPE_SEARCH_ANY;
        return region ? SHAPE_REGION : SHAPE_ANY;
}

/* Binds name when the statement has it: the shapes leave out the filters they do not need. */
static void
bind_some(sqlite3_stmt *st, const char *name, const char *value)
{
        if (db_has_param(st, name))
                db_bind_text(st, name, value ? value : "");
}

static void
bind_filter(sqlite3_stmt *st, const struct scope *scope, const struct coop_filter *f,
            struct arena *a)
{
        store_bind_scope(st, scope);
        bind_some(st, ":region", f->region);
        bind_some(st, ":province", f->province);
        bind_some(st, ":sector", f->sector);
        bind_some(st, ":status", f->status);
        bind_some(st, ":legal_from", f->legal_from);
        bind_some(st, ":legal_to", f->legal_to);
        bind_some(st, ":q", f->q_raw);
        if (db_has_param(st, ":w1"))
                store_bind_words(st, f->q, a);
}

int
coop_store_list(struct db *db, const struct scope *scope, const struct coop_filter *f,
                struct arena *a, struct coop **items, size_t *n, long long *total)
{
        *items = NULL;
        *n = 0;
        *total = 0;
        enum coop_shape shape = shape_of(f);
        int others = has(f->province) || has(f->sector) || has(f->status) || has(f->legal_from) ||
                     has(f->legal_to);
        const char *sql = count_sql[shape][others]; /* one of the literals above */
        sqlite3_stmt *st = db_stmt(db, sql);
        if (st == NULL)
                return STORE_ERROR;
        bind_filter(st, scope, f, a);
        if (sqlite3_step(st) != SQLITE_ROW)
                goto fail;
        *total = db_col_int(st, 0);
        sqlite3_reset(st);
        if (*total == 0 || f->offset >= *total)
                return STORE_OK;

        unsigned sort = (unsigned)f->sort < COOP_SORT_COUNT ? (unsigned)f->sort : 0;
        st = db_stmt(db, list_sql[shape][sort][f->desc ? 1 : 0]);
        if (st == NULL)
                return STORE_ERROR;
        bind_filter(st, scope, f, a);
        db_bind_int(st, ":limit", f->limit);
        db_bind_int(st, ":offset", f->offset);
        size_t cap = (size_t)(f->limit > 0 && f->limit < 1000 ? f->limit : 1000);
        *items = arena_alloc(a, cap * sizeof(**items));
        int rc;
        while (*n < cap && (rc = sqlite3_step(st)) == SQLITE_ROW)
                read_coop(st, a, &(*items)[(*n)++]);
        sqlite3_reset(st);
        return STORE_OK;
fail:
        log_error("coop list: %s", sqlite3_errmsg(db->h));
        sqlite3_reset(st);
        return STORE_ERROR;
}

sqlite3_stmt *
coop_store_cursor(struct db *db, const struct scope *scope, const struct coop_filter *f,
                  struct arena *a)
{
        sqlite3_stmt *st =
            store_word_count(f->q) > 0
                ? db_stmt(db, "SELECT " COOP_COLUMNS " FROM cooperative" COOP_WHERE_SEARCH(
                                  COOP_MATCH_ANY) " AND (:region = '' OR region_code = :region)"
                                                  " ORDER BY register_number")
                : db_stmt(db, "SELECT " COOP_COLUMNS " FROM cooperative" COOP_WHERE
                              " ORDER BY register_number");
        if (st)
                bind_filter(st, scope, f, a);
        return st;
}

int
coop_store_next(sqlite3_stmt *st, struct arena *a, struct coop *c)
{
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
                read_coop(st, a, c);
                return 1;
        }
        sqlite3_reset(st);
        return rc == SQLITE_DONE ? 0 : -1;
}

int
coop_store_each(struct db *db, const struct scope *scope, const struct coop_filter *f,
                struct arena *scratch, int (*row)(void *ctx, const struct coop *c), void *ctx)
{
        sqlite3_stmt *st = coop_store_cursor(db, scope, f, scratch);
        if (st == NULL)
                return STORE_ERROR;
        struct coop c;
        int rc;
        while ((rc = coop_store_next(st, scratch, &c)) == 1) {
                int stop = row(ctx, &c);
                arena_reset(scratch); /* the bindings were copied by SQLite: safe to drop */
                if (stop) {
                        sqlite3_reset(st);
                        break;
                }
        }
        return rc < 0 ? STORE_ERROR : STORE_OK;
}

int
coop_store_get(struct db *db, const struct scope *scope, long long id, struct arena *a,
               struct coop *out)
{
        sqlite3_stmt *st = db_stmt(db, "SELECT " COOP_COLUMNS " FROM cooperative WHERE id = :id"
                                       " AND " SCOPE_SQL("region_code"));
        if (st == NULL)
                return STORE_ERROR;
        db_bind_int(st, ":id", id);
        store_bind_scope(st, scope);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
                read_coop(st, a, out);
        sqlite3_reset(st);
        return rc == SQLITE_ROW ? STORE_OK : rc == SQLITE_DONE ? STORE_NOT_FOUND : STORE_ERROR;
}

char *
coop_name_fold(struct arena *a, const struct coop *c)
{
        char *joined =
            arena_printf(a, "%s %s", c->name_ar ? c->name_ar : "", c->name_fr ? c->name_fr : "");
        char *f = text_fold(a, joined);
        return f ? f : arena_strdup(a, "");
}

/* A cooperative with the same folded names in the same province, other than self. */
static long long
find_similar(struct db *db, const char *province, const char *fold, long long self)
{
        sqlite3_stmt *st = db_stmt(db, "SELECT id FROM cooperative WHERE province_code = :p"
                                       " AND name_fold = :f AND id <> :self LIMIT 1");
        if (st == NULL)
                return -1;
        db_bind_text(st, ":p", province);
        db_bind_text(st, ":f", fold);
        db_bind_int(st, ":self", self);
        long long id = sqlite3_step(st) == SQLITE_ROW ? db_col_int(st, 0) : 0;
        sqlite3_reset(st);
        return id;
}

static void
bind_coop(sqlite3_stmt *st, const struct coop *c, const char *fold)
{
        db_bind_text(st, ":register_number", c->register_number);
        db_bind_text(st, ":name_ar", c->name_ar);
        db_bind_text(st, ":name_fr", c->name_fr);
        db_bind_text(st, ":name_fold", fold);
        db_bind_text(st, ":legal_date", c->legal_date);
        if (c->activity_start_date && c->activity_start_date[0])
                db_bind_text(st, ":activity_start_date", c->activity_start_date);
        else
                db_bind_null(st, ":activity_start_date");
        db_bind_text(st, ":sector", c->sector);
        db_bind_text(st, ":activity", c->activity ? c->activity : "");
        db_bind_text(st, ":region_code", c->region_code);
        db_bind_text(st, ":province_code", c->province_code);
        if (c->commune_code && c->commune_code[0])
                db_bind_text(st, ":commune_code", c->commune_code);
        else
                db_bind_null(st, ":commune_code");
        db_bind_text(st, ":address", c->address ? c->address : "");
        db_bind_text(st, ":phone", c->phone ? c->phone : "");
        db_bind_text(st, ":email", c->email ? c->email : "");
        db_bind_int(st, ":members_total", c->members_total);
        db_bind_int(st, ":members_women", c->members_women);
        db_bind_int(st, ":members_youth", c->members_youth);
        db_bind_int(st, ":is_soulalyate", c->is_soulalyate);
        db_bind_int(st, ":is_women_only", c->is_women_only);
        db_bind_text(st, ":status", c->status);
        db_bind_text(st, ":notes", c->notes ? c->notes : "");
        db_bind_text(st, ":now", c->updated_at);
}

static int
step_write(struct db *db, sqlite3_stmt *st)
{
        int rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc == SQLITE_DONE)
                return STORE_OK;
        if (rc == SQLITE_CONSTRAINT_UNIQUE)
                return STORE_DUPLICATE;
        log_error("coop write: %s", sqlite3_errmsg(db->h));
        return STORE_ERROR;
}

int
coop_store_insert_tx(struct db *db, const struct scope *scope, struct coop *c, struct arena *a)
{
        if (!store_region_in_scope(db, scope, c->region_code))
                return STORE_FORBIDDEN;
        char *fold = coop_name_fold(a, c);
        c->created_at = c->updated_at = db_now(a);
        sqlite3_stmt *st = db_stmt(
            db, "INSERT INTO cooperative (register_number, name_ar, name_fr, name_fold,"
                " legal_date, activity_start_date, sector, activity, region_code, province_code,"
                " commune_code, address, phone, email, members_total, members_women,"
                " members_youth, is_soulalyate, is_women_only, status, notes, version,"
                " created_at, updated_at) VALUES (:register_number, :name_ar, :name_fr,"
                " :name_fold, :legal_date, :activity_start_date, :sector, :activity,"
                " :region_code, :province_code, :commune_code, :address, :phone, :email,"
                " :members_total, :members_women, :members_youth, :is_soulalyate,"
                " :is_women_only, :status, :notes, 1, :now, :now)");
        if (st == NULL)
                return STORE_ERROR;
        bind_coop(st, c, fold);
        int rc = step_write(db, st);
        if (rc == STORE_OK) {
                c->id = sqlite3_last_insert_rowid(db->h);
                c->version = 1;
        }
        return rc;
}

int
coop_store_insert(struct db *db, const struct scope *scope, struct coop *c, int confirm_similar,
                  long long *similar_id, struct arena *a)
{
        *similar_id = 0;
        if (db_begin(db) != 0)
                return STORE_ERROR;
        int rc = STORE_ERROR;
        if (!confirm_similar) {
                long long other = find_similar(db, c->province_code, coop_name_fold(a, c), 0);
                if (other != 0) {
                        *similar_id = other;
                        rc = other < 0 ? STORE_ERROR : STORE_POSSIBLE_DUPLICATE;
                        goto fail;
                }
        }
        rc = coop_store_insert_tx(db, scope, c, a);
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
coop_store_update(struct db *db, const struct scope *scope, struct coop *c,
                  long long expected_version, int confirm_similar, long long *similar_id,
                  struct arena *a)
{
        *similar_id = 0;
        if (db_begin(db) != 0)
                return STORE_ERROR;
        int rc = STORE_ERROR;
        struct coop old;
        rc = coop_store_get(db, scope, c->id, a, &old);
        if (rc != STORE_OK)
                goto fail;
        if (old.version != expected_version) {
                rc = STORE_CONFLICT;
                goto fail;
        }
        if (!store_region_in_scope(db, scope, c->region_code)) {
                rc = STORE_FORBIDDEN;
                goto fail;
        }
        char *fold = coop_name_fold(a, c);
        if (!confirm_similar) {
                long long other = find_similar(db, c->province_code, fold, c->id);
                if (other != 0) {
                        *similar_id = other;
                        rc = other < 0 ? STORE_ERROR : STORE_POSSIBLE_DUPLICATE;
                        goto fail;
                }
        }
        c->updated_at = db_now(a);
        sqlite3_stmt *st = db_stmt(
            db, "UPDATE cooperative SET register_number = :register_number, name_ar = :name_ar,"
                " name_fr = :name_fr, name_fold = :name_fold, legal_date = :legal_date,"
                " activity_start_date = :activity_start_date, sector = :sector,"
                " activity = :activity, region_code = :region_code,"
                " province_code = :province_code, commune_code = :commune_code,"
                " address = :address, phone = :phone, email = :email,"
                " members_total = :members_total, members_women = :members_women,"
                " members_youth = :members_youth, is_soulalyate = :is_soulalyate,"
                " is_women_only = :is_women_only, status = :status, notes = :notes,"
                " version = version + 1, updated_at = :now"
                " WHERE id = :id AND version = :version");
        if (st == NULL)
                goto fail;
        bind_coop(st, c, fold);
        db_bind_int(st, ":id", c->id);
        db_bind_int(st, ":version", expected_version);
        rc = step_write(db, st);
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
        c->version = expected_version + 1;
        c->created_at = old.created_at;
        return STORE_OK;
fail:
        db_rollback(db);
        return rc;
}
