/* call_store.c: the SQL of calls, their rules, criteria and seats, and the screening scan. */
#include "selection/call_store.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/arena.h"
#include "core/db.h"
#include "core/http.h"
#include "core/log.h"
#include "registry/coop.h"
#include "selection/scoring.h"

#define TRANCHE_COLUMNS                                                                            \
        "t.id, t.program_id, t.number, t.start_year, t.end_year, p.code, p.name_ar, p.name_fr,"    \
        " p.name_en"

static void
read_tranche(sqlite3_stmt *st, struct arena *a, struct call_tranche *t)
{
        t->id = db_col_int(st, 0);
        t->program_id = db_col_int(st, 1);
        t->number = db_col_int(st, 2);
        t->start_year = db_col_int(st, 3);
        t->end_year = db_col_int(st, 4);
        t->program_code = db_col_text(a, st, 5);
        t->program_name_ar = db_col_text(a, st, 6);
        t->program_name_fr = db_col_text(a, st, 7);
        t->program_name_en = db_col_text(a, st, 8);
}

int
call_store_tranches(struct db *db, struct arena *a, struct call_tranche **out, size_t *n)
{
        sqlite3_stmt *st = db_stmt(db, "SELECT " TRANCHE_COLUMNS " FROM tranche t"
                                       " JOIN program p ON p.id = t.program_id"
                                       " ORDER BY p.code, t.number LIMIT 1000");
        *n = 0;
        if (st == NULL)
                return STORE_ERROR;
        *out = arena_alloc(a, 1000 * sizeof(**out));
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW)
                read_tranche(st, a, &(*out)[(*n)++]);
        sqlite3_reset(st);
        if (rc != SQLITE_DONE) {
                log_error("call tranches: %s", sqlite3_errmsg(db->h));
                return STORE_ERROR;
        }
        return STORE_OK;
}

int
call_store_tranche(struct db *db, struct arena *a, long long id, struct call_tranche *out)
{
        sqlite3_stmt *st = db_stmt(db, "SELECT " TRANCHE_COLUMNS " FROM tranche t"
                                       " JOIN program p ON p.id = t.program_id WHERE t.id = :id");
        if (st == NULL)
                return STORE_ERROR;
        db_bind_int(st, ":id", id);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
                read_tranche(st, a, out);
        sqlite3_reset(st);
        return rc == SQLITE_ROW ? STORE_OK : rc == SQLITE_DONE ? STORE_NOT_FOUND : STORE_ERROR;
}

#define CALL_COLUMNS                                                                               \
        "c.id, c.tranche_id, c.code, c.title_ar, c.title_fr, c.title_en, c.opens_on,"              \
        " c.closes_on, c.reference_date, c.min_score, c.national_pool, c.disagreement_gap,"        \
        " c.rules_version, c.version, c.created_at, c.updated_at, t.program_id, t.number,"         \
        " p.code, p.name_ar, p.name_fr, p.name_en"
#define CALL_FROM                                                                                  \
        " FROM program_call c JOIN tranche t ON t.id = c.tranche_id"                               \
        " JOIN program p ON p.id = t.program_id"

static void
read_call(sqlite3_stmt *st, struct arena *a, struct call *c)
{
        memset(c, 0, sizeof(*c));
        c->id = db_col_int(st, 0);
        c->tranche_id = db_col_int(st, 1);
        c->code = db_col_text(a, st, 2);
        c->title_ar = db_col_text(a, st, 3);
        c->title_fr = db_col_text(a, st, 4);
        c->title_en = db_col_text(a, st, 5);
        c->opens_on = db_col_text(a, st, 6);
        c->closes_on = db_col_text(a, st, 7);
        c->reference_date = db_col_text(a, st, 8);
        c->min_score = db_col_int(st, 9);
        c->national_pool = (int)db_col_int(st, 10);
        c->disagreement_gap = db_col_int(st, 11);
        c->rules_version = db_col_int(st, 12);
        c->version = db_col_int(st, 13);
        c->created_at = db_col_text(a, st, 14);
        c->updated_at = db_col_text(a, st, 15);
        c->program_id = db_col_int(st, 16);
        c->tranche_number = db_col_int(st, 17);
        c->program_code = db_col_text(a, st, 18);
        c->program_name_ar = db_col_text(a, st, 19);
        c->program_name_fr = db_col_text(a, st, 20);
        c->program_name_en = db_col_text(a, st, 21);
}

#define CALL_LIST_MAX 500

int
call_store_list(struct db *db, struct arena *a, long long tranche_id, struct call **out, size_t *n)
{
        sqlite3_stmt *st = db_stmt(db, "SELECT " CALL_COLUMNS CALL_FROM
                                       " WHERE (:tranche = 0 OR c.tranche_id = :tranche)"
                                       " ORDER BY c.opens_on DESC, c.id DESC LIMIT 500");
        *n = 0;
        if (st == NULL)
                return STORE_ERROR;
        db_bind_int(st, ":tranche", tranche_id);
        *out = arena_alloc(a, CALL_LIST_MAX * sizeof(**out));
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW)
                read_call(st, a, &(*out)[(*n)++]);
        sqlite3_reset(st);
        if (rc != SQLITE_DONE) {
                log_error("call list: %s", sqlite3_errmsg(db->h));
                return STORE_ERROR;
        }
        return STORE_OK;
}

/* Parses stored rules. They were validated when saved: a failure here means the row was
 * changed by hand, which is logged and answered as an error. */
static int
parse_rules(struct arena *a, const char *text, struct elig_rule **rules, size_t *n)
{
        json_error_t jerr;
        json_t *j = json_loads(text, 0, &jerr);
        struct errs e;
        errs_init(&e, a, LANG_EN);
        int rc = j ? eligibility_rules_from_json(j, a, rules, n, &e) : -1;
        json_decref(j);
        if (rc != 0)
                log_error("stored rules unreadable: %s", e.n ? e.list[0].msg : jerr.text);
        return rc;
}

int
call_store_get(struct db *db, struct arena *a, long long id, struct call *out)
{
        sqlite3_stmt *st = db_stmt(db, "SELECT " CALL_COLUMNS CALL_FROM " WHERE c.id = :id");
        if (st == NULL)
                return STORE_ERROR;
        db_bind_int(st, ":id", id);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
                read_call(st, a, out);
        sqlite3_reset(st);
        if (rc != SQLITE_ROW)
                return rc == SQLITE_DONE ? STORE_NOT_FOUND : STORE_ERROR;

        st = db_stmt(db, "SELECT key, label_ar, label_fr, label_en, weight, max_score"
                         " FROM call_criterion WHERE call_id = :id ORDER BY position");
        if (st == NULL)
                return STORE_ERROR;
        db_bind_int(st, ":id", id);
        out->criteria = arena_alloc(a, SCORING_MAX_CRITERIA * sizeof(*out->criteria));
        while ((rc = sqlite3_step(st)) == SQLITE_ROW && out->ncriteria < SCORING_MAX_CRITERIA) {
                struct call_criterion *k = &out->criteria[out->ncriteria++];
                k->key = db_col_text(a, st, 0);
                k->label_ar = db_col_text(a, st, 1);
                k->label_fr = db_col_text(a, st, 2);
                k->label_en = db_col_text(a, st, 3);
                k->weight = db_col_int(st, 4);
                k->max = db_col_int(st, 5);
        }
        sqlite3_reset(st);

        st = db_stmt(db, "SELECT region_code, seats FROM call_seat WHERE call_id = :id"
                         " ORDER BY region_code");
        if (st == NULL)
                return STORE_ERROR;
        db_bind_int(st, ":id", id);
        out->seats = arena_alloc(a, 32 * sizeof(*out->seats));
        while ((rc = sqlite3_step(st)) == SQLITE_ROW && out->nseats < 32) {
                out->seats[out->nseats].region = db_col_text(a, st, 0);
                out->seats[out->nseats++].seats = db_col_int(st, 1);
        }
        sqlite3_reset(st);

        st = db_stmt(db, "SELECT rules FROM call_rules WHERE call_id = :id AND version = :v");
        if (st == NULL)
                return STORE_ERROR;
        db_bind_int(st, ":id", id);
        db_bind_int(st, ":v", out->rules_version);
        rc = sqlite3_step(st);
        char *text = rc == SQLITE_ROW ? db_col_text(a, st, 0) : NULL;
        sqlite3_reset(st);
        if (text == NULL || parse_rules(a, text, &out->rules, &out->nrules) != 0) {
                log_error("call %lld: rules version %lld missing or unreadable", id,
                          out->rules_version);
                return STORE_ERROR;
        }
        return STORE_OK;
}

static int
step_done(struct db *db, sqlite3_stmt *st, const char *what)
{
        int rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc == SQLITE_DONE)
                return STORE_OK;
        if ((sqlite3_extended_errcode(db->h) == SQLITE_CONSTRAINT_UNIQUE))
                return STORE_DUPLICATE;
        log_error("%s: %s", what, sqlite3_errmsg(db->h));
        return STORE_ERROR;
}

static int
tranche_exists(struct db *db, long long id)
{
        sqlite3_stmt *st = db_stmt(db, "SELECT 1 FROM tranche WHERE id = :id");
        if (st == NULL)
                return -1;
        db_bind_int(st, ":id", id);
        int rc = sqlite3_step(st);
        sqlite3_reset(st);
        return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

static int
code_taken(struct db *db, const char *code, long long except_id)
{
        sqlite3_stmt *st =
            db_stmt(db, "SELECT 1 FROM program_call WHERE code = :code AND id <> :id");
        if (st == NULL)
                return -1;
        db_bind_text(st, ":code", code);
        db_bind_int(st, ":id", except_id);
        int rc = sqlite3_step(st);
        sqlite3_reset(st);
        return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

static void
bind_call(sqlite3_stmt *st, const struct call *c)
{
        db_bind_int(st, ":tranche_id", c->tranche_id);
        db_bind_text(st, ":code", c->code);
        db_bind_text(st, ":title_ar", c->title_ar);
        db_bind_text(st, ":title_fr", c->title_fr);
        db_bind_text(st, ":title_en", c->title_en);
        db_bind_text(st, ":opens_on", c->opens_on);
        db_bind_text(st, ":closes_on", c->closes_on);
        db_bind_text(st, ":reference_date", c->reference_date);
        db_bind_int(st, ":min_score", c->min_score);
        db_bind_int(st, ":national_pool", c->national_pool ? 1 : 0);
        db_bind_int(st, ":gap", c->disagreement_gap);
        db_bind_text(st, ":now", c->updated_at);
}

/* Replaces the criteria and seats of c->id with c's. Inside the caller's transaction. */
static int
write_grid_and_seats(struct db *db, const struct call *c)
{
        sqlite3_stmt *st = db_stmt(db, "DELETE FROM call_criterion WHERE call_id = :id");
        if (st == NULL)
                return STORE_ERROR;
        db_bind_int(st, ":id", c->id);
        int rc = step_done(db, st, "call criteria");
        if (rc != STORE_OK)
                return rc;
        for (size_t i = 0; i < c->ncriteria; i++) {
                const struct call_criterion *k = &c->criteria[i];
                st = db_stmt(db, "INSERT INTO call_criterion (call_id, position, key, label_ar,"
                                 " label_fr, label_en, weight, max_score) VALUES (:id, :pos,"
                                 " :key, :ar, :fr, :en, :weight, :max)");
                if (st == NULL)
                        return STORE_ERROR;
                db_bind_int(st, ":id", c->id);
                db_bind_int(st, ":pos", (long long)i + 1);
                db_bind_text(st, ":key", k->key);
                db_bind_text(st, ":ar", k->label_ar);
                db_bind_text(st, ":fr", k->label_fr);
                db_bind_text(st, ":en", k->label_en);
                db_bind_int(st, ":weight", k->weight);
                db_bind_int(st, ":max", k->max);
                if ((rc = step_done(db, st, "call criterion")) != STORE_OK)
                        return rc == STORE_DUPLICATE ? STORE_ERROR : rc;
        }
        st = db_stmt(db, "DELETE FROM call_seat WHERE call_id = :id");
        if (st == NULL)
                return STORE_ERROR;
        db_bind_int(st, ":id", c->id);
        if ((rc = step_done(db, st, "call seats")) != STORE_OK)
                return rc;
        for (size_t i = 0; i < c->nseats; i++) {
                st = db_stmt(db, "INSERT INTO call_seat (call_id, region_code, seats)"
                                 " VALUES (:id, :region, :seats)");
                if (st == NULL)
                        return STORE_ERROR;
                db_bind_int(st, ":id", c->id);
                db_bind_text(st, ":region", c->seats[i].region);
                db_bind_int(st, ":seats", c->seats[i].seats);
                if ((rc = step_done(db, st, "call seat")) != STORE_OK)
                        return rc == STORE_DUPLICATE ? STORE_ERROR : rc;
        }
        return STORE_OK;
}

/* Writes rules as version `version` of call_id. Inside the caller's transaction. */
static int
write_rules(struct db *db, struct arena *a, long long call_id, long long version,
            const struct elig_rule *rules, size_t n, long long user_id)
{
        json_t *j = eligibility_rules_to_json(rules, n);
        char *text = j ? json_dumps(j, JSON_COMPACT) : NULL;
        json_decref(j);
        if (text == NULL)
                return STORE_ERROR;
        sqlite3_stmt *st = db_stmt(db, "INSERT INTO call_rules (call_id, version, rules,"
                                       " changed_by, changed_at) VALUES (:id, :v, :rules,"
                                       " :user, :now)");
        if (st == NULL) {
                free(text);
                return STORE_ERROR;
        }
        db_bind_int(st, ":id", call_id);
        db_bind_int(st, ":v", version);
        db_bind_text(st, ":rules", text);
        if (user_id > 0)
                db_bind_int(st, ":user", user_id);
        else
                db_bind_null(st, ":user");
        db_bind_text(st, ":now", db_now(a));
        int rc = step_done(db, st, "call rules");
        free(text);
        return rc == STORE_DUPLICATE ? STORE_CONFLICT : rc;
}

int
call_store_insert(struct db *db, struct arena *a, struct call *c, long long user_id)
{
        if (db_begin(db) != 0)
                return STORE_ERROR;
        int rc = STORE_ERROR;
        int t = tranche_exists(db, c->tranche_id);
        if (t <= 0) {
                rc = t == 0 ? STORE_NOT_FOUND : STORE_ERROR;
                goto fail;
        }
        t = code_taken(db, c->code, 0);
        if (t != 0) {
                rc = t == 1 ? STORE_DUPLICATE : STORE_ERROR;
                goto fail;
        }
        c->created_at = c->updated_at = db_now(a);
        sqlite3_stmt *st = db_stmt(
            db, "INSERT INTO program_call (tranche_id, code, title_ar, title_fr, title_en,"
                " opens_on, closes_on, reference_date, min_score, national_pool,"
                " disagreement_gap, rules_version, version, created_at, updated_at) VALUES"
                " (:tranche_id, :code, :title_ar, :title_fr, :title_en, :opens_on, :closes_on,"
                " :reference_date, :min_score, :national_pool, :gap, 1, 1, :now, :now)");
        if (st == NULL)
                goto fail;
        bind_call(st, c);
        if ((rc = step_done(db, st, "call insert")) != STORE_OK)
                goto fail;
        c->id = sqlite3_last_insert_rowid(db->h);
        if ((rc = write_grid_and_seats(db, c)) != STORE_OK)
                goto fail;
        if ((rc = write_rules(db, a, c->id, 1, c->rules, c->nrules, user_id)) != STORE_OK)
                goto fail;
        if (db_commit(db) != 0) {
                rc = STORE_ERROR;
                goto fail;
        }
        c->version = 1;
        c->rules_version = 1;
        return STORE_OK;
fail:
        db_rollback(db);
        c->id = 0;
        return rc;
}

int
call_store_update(struct db *db, struct arena *a, struct call *c, long long expected_version)
{
        if (db_begin(db) != 0)
                return STORE_ERROR;
        int rc = STORE_ERROR;
        int t = tranche_exists(db, c->tranche_id);
        if (t <= 0) {
                rc = t == 0 ? STORE_NOT_FOUND : STORE_ERROR;
                goto fail;
        }
        t = code_taken(db, c->code, c->id);
        if (t != 0) {
                rc = t == 1 ? STORE_DUPLICATE : STORE_ERROR;
                goto fail;
        }
        c->updated_at = db_now(a);
        sqlite3_stmt *st = db_stmt(
            db, "UPDATE program_call SET tranche_id = :tranche_id, code = :code,"
                " title_ar = :title_ar, title_fr = :title_fr, title_en = :title_en,"
                " opens_on = :opens_on, closes_on = :closes_on, reference_date = :reference_date,"
                " min_score = :min_score, national_pool = :national_pool,"
                " disagreement_gap = :gap, version = version + 1, updated_at = :now"
                " WHERE id = :id AND version = :version");
        if (st == NULL)
                goto fail;
        bind_call(st, c);
        db_bind_int(st, ":id", c->id);
        db_bind_int(st, ":version", expected_version);
        if ((rc = step_done(db, st, "call update")) != STORE_OK)
                goto fail;
        if (sqlite3_changes(db->h) != 1) {
                /* Either gone or changed: tell which. */
                st = db_stmt(db, "SELECT 1 FROM program_call WHERE id = :id");
                rc = STORE_ERROR;
                if (st == NULL)
                        goto fail;
                db_bind_int(st, ":id", c->id);
                int r = sqlite3_step(st);
                sqlite3_reset(st);
                rc = r == SQLITE_ROW ? STORE_CONFLICT : STORE_NOT_FOUND;
                goto fail;
        }
        if ((rc = write_grid_and_seats(db, c)) != STORE_OK)
                goto fail;
        if (db_commit(db) != 0) {
                rc = STORE_ERROR;
                goto fail;
        }
        c->version = expected_version + 1;
        return STORE_OK;
fail:
        db_rollback(db);
        return rc;
}

int
call_store_save_rules(struct db *db, struct arena *a, long long call_id,
                      long long expected_rules_version, const struct elig_rule *rules, size_t n,
                      long long user_id, long long *new_version)
{
        if (db_begin(db) != 0)
                return STORE_ERROR;
        int rc = STORE_ERROR;
        sqlite3_stmt *st = db_stmt(db, "UPDATE program_call SET rules_version ="
                                       " rules_version + 1, updated_at = :now"
                                       " WHERE id = :id AND rules_version = :v");
        if (st == NULL)
                goto fail;
        db_bind_text(st, ":now", db_now(a));
        db_bind_int(st, ":id", call_id);
        db_bind_int(st, ":v", expected_rules_version);
        if ((rc = step_done(db, st, "call rules version")) != STORE_OK)
                goto fail;
        if (sqlite3_changes(db->h) != 1) {
                st = db_stmt(db, "SELECT 1 FROM program_call WHERE id = :id");
                rc = STORE_ERROR;
                if (st == NULL)
                        goto fail;
                db_bind_int(st, ":id", call_id);
                int r = sqlite3_step(st);
                sqlite3_reset(st);
                rc = r == SQLITE_ROW ? STORE_CONFLICT : STORE_NOT_FOUND;
                goto fail;
        }
        rc = write_rules(db, a, call_id, expected_rules_version + 1, rules, n, user_id);
        if (rc != STORE_OK)
                goto fail;
        if (db_commit(db) != 0) {
                rc = STORE_ERROR;
                goto fail;
        }
        *new_version = expected_rules_version + 1;
        return STORE_OK;
fail:
        db_rollback(db);
        return rc;
}

int
call_store_rules_history(struct db *db, struct arena *a, long long call_id,
                         struct call_rules_version **out, size_t *n)
{
        sqlite3_stmt *st = db_stmt(db, "SELECT r.version, r.rules, COALESCE(u.login, ''),"
                                       " r.changed_at FROM call_rules r LEFT JOIN app_user u"
                                       " ON u.id = r.changed_by WHERE r.call_id = :id"
                                       " ORDER BY r.version DESC LIMIT 200");
        *n = 0;
        if (st == NULL)
                return STORE_ERROR;
        db_bind_int(st, ":id", call_id);
        *out = arena_alloc(a, 200 * sizeof(**out));
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
                struct call_rules_version *v = &(*out)[(*n)++];
                v->version = db_col_int(st, 0);
                v->rules = db_col_text(a, st, 1);
                v->changed_by = db_col_text(a, st, 2);
                v->changed_at = db_col_text(a, st, 3);
        }
        sqlite3_reset(st);
        if (rc != SQLITE_DONE) {
                log_error("call rules history: %s", sqlite3_errmsg(db->h));
                return STORE_ERROR;
        }
        return STORE_OK;
}

static const char *
col(sqlite3_stmt *st, int i)
{
        const unsigned char *s = sqlite3_column_text(st, i);
        return s ? (const char *)s : "";
}

#define SCREEN_COLUMNS                                                                             \
        " c.id, c.register_number, c.name_ar, c.name_fr, c.legal_date,"                            \
        " COALESCE(c.activity_start_date, ''), c.sector, c.region_code, c.province_code,"          \
        " c.members_total, c.members_women, c.is_soulalyate, c.is_women_only, c.status,"           \
        " pc.cooperative_id IS NOT NULL FROM cooperative c LEFT JOIN program_cooperative pc"       \
        " ON pc.program_id = :program AND pc.cooperative_id = c.id"

struct sqlite3_stmt *
call_store_screen_open(struct db *db, const struct scope *scope, long long program_id,
                       const char *region)
{
        /*
         * One pass in id order (the rowid: no sort) over the table itself: sorting by region,
         * or an optional filter written (:region = '' OR ...) makes the planner walk an index and
         * look every row up, which costs ten times the scan at national scale. So the whole
         * registry and one region are two statements. The strings are read in place.
         */
        int one = region && region[0];
        sqlite3_stmt *st = one ? db_stmt(db, "SELECT" SCREEN_COLUMNS
                                             " WHERE c.region_code = :region AND " SCOPE_SQL(
                                                 "c.region_code") " ORDER BY c.id")
                               : db_stmt(db, "SELECT" SCREEN_COLUMNS
                                             " WHERE " SCOPE_SQL("c.region_code") " ORDER BY c.id");
        if (st == NULL)
                return NULL;
        db_bind_int(st, ":program", program_id);
        if (one)
                db_bind_text(st, ":region", region);
        store_bind_scope(st, scope);
        return st;
}

int
call_store_screen_next(struct sqlite3_stmt *st, struct coop *c, int *already_accompanied)
{
        int rc = sqlite3_step(st);
        if (rc != SQLITE_ROW) {
                if (rc != SQLITE_DONE)
                        log_error("call screen: %s", sqlite3_errmsg(sqlite3_db_handle(st)));
                sqlite3_reset(st);
                return rc == SQLITE_DONE ? 0 : -1;
        }
        memset(c, 0, sizeof(*c));
        c->id = sqlite3_column_int64(st, 0);
        c->register_number = col(st, 1);
        c->name_ar = col(st, 2);
        c->name_fr = col(st, 3);
        c->legal_date = col(st, 4);
        c->activity_start_date = col(st, 5);
        c->sector = col(st, 6);
        c->region_code = col(st, 7);
        c->province_code = col(st, 8);
        c->members_total = sqlite3_column_int64(st, 9);
        c->members_women = sqlite3_column_int64(st, 10);
        c->is_soulalyate = sqlite3_column_int(st, 11);
        c->is_women_only = sqlite3_column_int(st, 12);
        c->status = col(st, 13);
        *already_accompanied = sqlite3_column_int(st, 14);
        return 1;
}

int
call_store_screen(struct db *db, const struct scope *scope, long long program_id,
                  const char *region, call_screen_fn fn, void *ctx)
{
        sqlite3_stmt *st = call_store_screen_open(db, scope, program_id, region);
        if (st == NULL)
                return STORE_ERROR;
        struct coop c;
        int acc, rc;
        while ((rc = call_store_screen_next(st, &c, &acc)) == 1) {
                if (fn(ctx, &c, acc) != 0) {
                        sqlite3_reset(st);
                        return STORE_OK;
                }
        }
        return rc == 0 ? STORE_OK : STORE_ERROR;
}

int
call_store_accompanied(struct db *db, long long program_id, long long cooperative_id)
{
        sqlite3_stmt *st = db_stmt(db, "SELECT 1 FROM program_cooperative WHERE program_id ="
                                       " :program AND cooperative_id = :coop");
        if (st == NULL)
                return -1;
        db_bind_int(st, ":program", program_id);
        db_bind_int(st, ":coop", cooperative_id);
        int rc = sqlite3_step(st);
        sqlite3_reset(st);
        return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int
call_store_has_scores(struct db *db, long long call_id)
{
        sqlite3_stmt *st = db_stmt(db, "SELECT 1 FROM evaluation_score s JOIN application a ON"
                                       " a.id = s.application_id WHERE a.call_id = :call LIMIT 1");
        if (st == NULL)
                return -1;
        db_bind_int(st, ":call", call_id);
        int rc = sqlite3_step(st);
        sqlite3_reset(st);
        return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}
