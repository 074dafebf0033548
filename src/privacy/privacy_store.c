/* privacy_store.c: SQL of the register, consents, objections, the access export's audit
 * entries and the retention purge. What concerns a person carries the region scope. */
#include "privacy/privacy_store.h"

#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/auth.h"
#include "core/db.h"
#include "core/http.h"
#include "core/log.h"

/* ---- the register ---- */

#define PROCESSING_COLUMNS                                                                         \
        "id, code, position, name_ar, name_fr, purpose_ar, purpose_fr, legal_basis,"               \
        " legal_basis_note_ar, legal_basis_note_fr, data_categories_ar, data_categories_fr,"       \
        " data_subjects_ar, data_subjects_fr, recipients_ar, recipients_fr, retention_months,"     \
        " retention_start, transfers_abroad, transfers_ar, transfers_fr, security_ar,"             \
        " security_fr, version, updated_at"

static void
read_bitext(sqlite3_stmt *st, struct arena *a, int *i, struct bitext *t)
{
        t->ar = db_col_text(a, st, (*i)++);
        t->fr = db_col_text(a, st, (*i)++);
}

static void
read_processing(sqlite3_stmt *st, struct arena *a, struct processing *p)
{
        int i = 0;
        p->id = db_col_int(st, i++);
        p->code = db_col_text(a, st, i++);
        p->position = db_col_int(st, i++);
        read_bitext(st, a, &i, &p->name);
        read_bitext(st, a, &i, &p->purpose);
        p->legal_basis = db_col_text(a, st, i++);
        read_bitext(st, a, &i, &p->legal_basis_note);
        read_bitext(st, a, &i, &p->data_categories);
        read_bitext(st, a, &i, &p->data_subjects);
        read_bitext(st, a, &i, &p->recipients);
        p->retention_months = db_col_int(st, i++);
        p->retention_start = db_col_text(a, st, i++);
        p->transfers_abroad = (int)db_col_int(st, i++);
        read_bitext(st, a, &i, &p->transfers);
        read_bitext(st, a, &i, &p->security);
        p->version = db_col_int(st, i++);
        p->updated_at = db_col_text(a, st, i++);
}

#define PROCESSING_MAX 50

int
privacy_store_processing_list(struct db *db, struct arena *a, struct processing **items, size_t *n)
{
        *n = 0;
        *items = arena_alloc(a, PROCESSING_MAX * sizeof(**items));
        sqlite3_stmt *st = db_stmt(db, "SELECT " PROCESSING_COLUMNS " FROM processing_activity"
                                       " ORDER BY position, id LIMIT :max");
        if (st == NULL)
                return STORE_ERROR;
        db_bind_int(st, ":max", PROCESSING_MAX);
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW)
                read_processing(st, a, &(*items)[(*n)++]);
        sqlite3_reset(st);
        return rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}

int
privacy_store_processing_get(struct db *db, long long id, struct arena *a, struct processing *out)
{
        sqlite3_stmt *st =
            db_stmt(db, "SELECT " PROCESSING_COLUMNS " FROM processing_activity WHERE id = :id");
        if (st == NULL)
                return STORE_ERROR;
        db_bind_int(st, ":id", id);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
                read_processing(st, a, out);
        sqlite3_reset(st);
        return rc == SQLITE_ROW ? STORE_OK : rc == SQLITE_DONE ? STORE_NOT_FOUND : STORE_ERROR;
}

static void
bind_bitext(sqlite3_stmt *st, const char *ar, const char *fr, const struct bitext *t)
{
        db_bind_text(st, ar, t->ar ? t->ar : "");
        db_bind_text(st, fr, t->fr ? t->fr : "");
}

int
privacy_store_processing_update(struct db *db, struct processing *p, long long expected_version,
                                struct arena *a)
{
        if (db_begin(db) != 0)
                return STORE_ERROR;
        int rc = STORE_ERROR;
        char *now = db_now(a);
        sqlite3_stmt *st = db_stmt(
            db, "UPDATE processing_activity SET name_ar = :name_ar, name_fr = :name_fr,"
                " purpose_ar = :purpose_ar, purpose_fr = :purpose_fr, legal_basis = :basis,"
                " legal_basis_note_ar = :note_ar, legal_basis_note_fr = :note_fr,"
                " data_categories_ar = :cat_ar, data_categories_fr = :cat_fr,"
                " data_subjects_ar = :subj_ar, data_subjects_fr = :subj_fr,"
                " recipients_ar = :rec_ar, recipients_fr = :rec_fr, retention_months = :months,"
                " retention_start = :start, transfers_abroad = :abroad,"
                " transfers_ar = :tr_ar, transfers_fr = :tr_fr, security_ar = :sec_ar,"
                " security_fr = :sec_fr, version = version + 1, updated_at = :now"
                " WHERE id = :id AND version = :version");
        if (st == NULL)
                goto fail;
        bind_bitext(st, ":name_ar", ":name_fr", &p->name);
        bind_bitext(st, ":purpose_ar", ":purpose_fr", &p->purpose);
        db_bind_text(st, ":basis", p->legal_basis);
        bind_bitext(st, ":note_ar", ":note_fr", &p->legal_basis_note);
        bind_bitext(st, ":cat_ar", ":cat_fr", &p->data_categories);
        bind_bitext(st, ":subj_ar", ":subj_fr", &p->data_subjects);
        bind_bitext(st, ":rec_ar", ":rec_fr", &p->recipients);
        db_bind_int(st, ":months", p->retention_months);
        db_bind_text(st, ":start", p->retention_start);
        db_bind_int(st, ":abroad", p->transfers_abroad ? 1 : 0);
        bind_bitext(st, ":tr_ar", ":tr_fr", &p->transfers);
        bind_bitext(st, ":sec_ar", ":sec_fr", &p->security);
        db_bind_text(st, ":now", now);
        db_bind_int(st, ":id", p->id);
        db_bind_int(st, ":version", expected_version);
        int step = sqlite3_step(st);
        sqlite3_reset(st);
        if (step != SQLITE_DONE) {
                log_error("processing update: %s", sqlite3_errmsg(db->h));
                goto fail;
        }
        if (sqlite3_changes(db->h) != 1) {
                rc = STORE_CONFLICT;
                goto fail;
        }
        if (db_commit(db) != 0)
                goto fail;
        p->version = expected_version + 1;
        p->updated_at = now;
        return STORE_OK;
fail:
        db_rollback(db);
        return rc;
}

/* The retention of the register's entry code, in months, in *months. */
static int
retention_of(struct db *db, const char *code, long long *months)
{
        sqlite3_stmt *st =
            db_stmt(db, "SELECT retention_months FROM processing_activity WHERE code = :code");
        if (st == NULL)
                return STORE_ERROR;
        db_bind_text(st, ":code", code);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
                *months = db_col_int(st, 0);
        sqlite3_reset(st);
        if (rc != SQLITE_ROW)
                log_error("purge: the register has no entry %s", code);
        return rc == SQLITE_ROW ? STORE_OK : STORE_ERROR;
}

/* ---- consents ---- */

#define WORDINGS_MAX 50

int
privacy_store_wordings(struct db *db, struct arena *a, struct consent_wording **items, size_t *n)
{
        *n = 0;
        *items = arena_alloc(a, WORDINGS_MAX * sizeof(**items));
        sqlite3_stmt *st = db_stmt(db, "SELECT id, version, text_ar, text_fr, text_en"
                                       " FROM consent_wording ORDER BY version LIMIT :max");
        if (st == NULL)
                return STORE_ERROR;
        db_bind_int(st, ":max", WORDINGS_MAX);
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
                struct consent_wording *w = &(*items)[(*n)++];
                w->id = db_col_int(st, 0);
                w->version = db_col_int(st, 1);
                w->text_ar = db_col_text(a, st, 2);
                w->text_fr = db_col_text(a, st, 3);
                w->text_en = db_col_text(a, st, 4);
        }
        sqlite3_reset(st);
        return rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}

/* Every column of a consent after "SELECT", with the person in scope. */
#define CONSENT_SELECT                                                                             \
        " c.id, c.person_id, w.version, c.given_on, c.channel, COALESCE(c.collected_by, 0),"       \
        " COALESCE(u.login, ''), COALESCE(c.withdrawn_on, ''), c.version, c.created_at,"           \
        " c.updated_at FROM consent c JOIN consent_wording w ON w.id = c.wording_id"               \
        " JOIN person p ON p.id = c.person_id LEFT JOIN app_user u ON u.id = c.collected_by"       \
        " WHERE c.person_id = :p AND " SCOPE_SQL("p.region_code")

static void
read_consent(sqlite3_stmt *st, struct arena *a, struct consent *c)
{
        int i = 0;
        c->id = db_col_int(st, i++);
        c->person_id = db_col_int(st, i++);
        c->wording_version = db_col_int(st, i++);
        c->given_on = db_col_text(a, st, i++);
        c->channel = db_col_text(a, st, i++);
        c->collected_by = db_col_int(st, i++);
        c->collector = db_col_text(a, st, i++);
        c->withdrawn_on = db_col_text(a, st, i++);
        c->version = db_col_int(st, i++);
        c->created_at = db_col_text(a, st, i++);
        c->updated_at = db_col_text(a, st, i++);
}

int
privacy_store_consents(struct db *db, const struct scope *scope, long long person_id,
                       struct arena *a, struct consent **items, size_t *n)
{
        *n = 0;
        *items = arena_alloc(a, PRIVACY_CONSENTS_MAX * sizeof(**items));
        sqlite3_stmt *st =
            db_stmt(db, "SELECT" CONSENT_SELECT " ORDER BY c.given_on DESC, c.id DESC LIMIT :max");
        if (st == NULL)
                return STORE_ERROR;
        db_bind_int(st, ":p", person_id);
        db_bind_int(st, ":max", PRIVACY_CONSENTS_MAX);
        store_bind_scope(st, scope);
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW)
                read_consent(st, a, &(*items)[(*n)++]);
        sqlite3_reset(st);
        return rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}

int
privacy_store_consent_get(struct db *db, const struct scope *scope, long long person_id,
                          long long consent_id, struct arena *a, struct consent *out)
{
        sqlite3_stmt *st = db_stmt(db, "SELECT" CONSENT_SELECT " AND c.id = :c");
        if (st == NULL)
                return STORE_ERROR;
        db_bind_int(st, ":p", person_id);
        db_bind_int(st, ":c", consent_id);
        store_bind_scope(st, scope);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
                read_consent(st, a, out);
        sqlite3_reset(st);
        return rc == SQLITE_ROW ? STORE_OK : rc == SQLITE_DONE ? STORE_NOT_FOUND : STORE_ERROR;
}

int
privacy_store_consent_insert(struct db *db, const struct scope *scope, struct consent *c,
                             struct arena *a)
{
        if (db_begin(db) != 0)
                return STORE_ERROR;
        int rc = STORE_ERROR;
        char *now = db_now(a);
        /* The person must be in scope and the wording must exist: otherwise nothing is
         * inserted, which says STORE_NOT_FOUND. */
        sqlite3_stmt *st = db_stmt(
            db, "INSERT INTO consent (person_id, wording_id, given_on, channel, collected_by,"
                " withdrawn_on, version, created_at, updated_at)"
                " SELECT p.id, w.id, :given, :channel, :user, NULLIF(:withdrawn, ''), 1, :now, :now"
                " FROM person p, consent_wording w WHERE p.id = :p AND w.version = :wv"
                " AND " SCOPE_SQL("p.region_code"));
        if (st == NULL)
                goto fail;
        db_bind_text(st, ":given", c->given_on);
        db_bind_text(st, ":channel", c->channel);
        if (c->collected_by > 0)
                db_bind_int(st, ":user", c->collected_by);
        else
                db_bind_null(st, ":user");
        db_bind_text(st, ":withdrawn", c->withdrawn_on ? c->withdrawn_on : "");
        db_bind_text(st, ":now", now);
        db_bind_int(st, ":p", c->person_id);
        db_bind_int(st, ":wv", c->wording_version);
        store_bind_scope(st, scope);
        int step = sqlite3_step(st);
        sqlite3_reset(st);
        if (step != SQLITE_DONE) {
                log_error("consent insert: %s", sqlite3_errmsg(db->h));
                goto fail;
        }
        if (sqlite3_changes(db->h) != 1) {
                rc = STORE_NOT_FOUND;
                goto fail;
        }
        c->id = sqlite3_last_insert_rowid(db->h);
        if (db_commit(db) != 0)
                goto fail;
        c->version = 1;
        c->created_at = c->updated_at = now;
        return STORE_OK;
fail:
        db_rollback(db);
        return rc;
}

int
privacy_store_consent_withdraw(struct db *db, const struct scope *scope, long long person_id,
                               long long consent_id, const char *withdrawn_on, struct arena *a)
{
        if (db_begin(db) != 0)
                return STORE_ERROR;
        struct consent old;
        int rc = privacy_store_consent_get(db, scope, person_id, consent_id, a, &old);
        if (rc != STORE_OK)
                goto fail;
        if (old.withdrawn_on[0]) {
                rc = STORE_CONFLICT;
                goto fail;
        }
        rc = STORE_ERROR;
        sqlite3_stmt *st =
            db_stmt(db, "UPDATE consent SET withdrawn_on = :w, version = version + 1,"
                        " updated_at = :now WHERE id = :c AND person_id = :p"
                        " AND withdrawn_on IS NULL");
        if (st == NULL)
                goto fail;
        db_bind_text(st, ":w", withdrawn_on);
        db_bind_text(st, ":now", db_now(a));
        db_bind_int(st, ":c", consent_id);
        db_bind_int(st, ":p", person_id);
        int step = sqlite3_step(st);
        sqlite3_reset(st);
        if (step != SQLITE_DONE || sqlite3_changes(db->h) != 1) {
                log_error("consent withdraw: %s", sqlite3_errmsg(db->h));
                goto fail;
        }
        if (db_commit(db) != 0)
                goto fail;
        return STORE_OK;
fail:
        db_rollback(db);
        return rc;
}

/* ---- objections ---- */

int
privacy_store_objection_get(struct db *db, const struct scope *scope, long long person_id,
                            struct arena *a, struct objection *out)
{
        memset(out, 0, sizeof(*out));
        sqlite3_stmt *st = db_stmt(
            db, "SELECT o.objected_on, o.reason, COALESCE(o.recorded_by, 0), COALESCE(u.login, ''),"
                " o.recorded_at FROM person_objection o JOIN person p ON p.id = o.person_id"
                " LEFT JOIN app_user u ON u.id = o.recorded_by"
                " WHERE o.person_id = :p AND " SCOPE_SQL("p.region_code"));
        if (st == NULL)
                return STORE_ERROR;
        db_bind_int(st, ":p", person_id);
        store_bind_scope(st, scope);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
                out->objected_on = db_col_text(a, st, 0);
                out->reason = db_col_text(a, st, 1);
                out->recorded_by = db_col_int(st, 2);
                out->recorder = db_col_text(a, st, 3);
                out->recorded_at = db_col_text(a, st, 4);
        }
        sqlite3_reset(st);
        return rc == SQLITE_ROW ? STORE_OK : rc == SQLITE_DONE ? STORE_NOT_FOUND : STORE_ERROR;
}

int
privacy_store_objection_set(struct db *db, const struct scope *scope, long long person_id,
                            const struct objection *o, long long user_id, struct arena *a)
{
        if (db_begin(db) != 0)
                return STORE_ERROR;
        int rc = STORE_ERROR;
        sqlite3_stmt *st =
            db_stmt(db, "INSERT INTO person_objection (person_id, objected_on, reason, recorded_by,"
                        " recorded_at) SELECT id, :d, :r, :u, :now FROM person WHERE id = :p"
                        " AND " SCOPE_SQL("region_code") " ON CONFLICT (person_id) DO UPDATE SET"
                                                         " objected_on = excluded.objected_on,"
                                                         " reason = excluded.reason,"
                                                         " recorded_by = excluded.recorded_by,"
                                                         " recorded_at = excluded.recorded_at");
        if (st == NULL)
                goto fail;
        db_bind_text(st, ":d", o->objected_on);
        db_bind_text(st, ":r", o->reason);
        if (user_id > 0)
                db_bind_int(st, ":u", user_id);
        else
                db_bind_null(st, ":u");
        db_bind_text(st, ":now", db_now(a));
        db_bind_int(st, ":p", person_id);
        store_bind_scope(st, scope);
        int step = sqlite3_step(st);
        sqlite3_reset(st);
        if (step != SQLITE_DONE) {
                log_error("objection: %s", sqlite3_errmsg(db->h));
                goto fail;
        }
        if (sqlite3_changes(db->h) != 1) {
                rc = STORE_NOT_FOUND;
                goto fail;
        }
        if (db_commit(db) != 0)
                goto fail;
        return STORE_OK;
fail:
        db_rollback(db);
        return rc;
}

int
privacy_store_objection_lift(struct db *db, const struct scope *scope, long long person_id)
{
        if (db_begin(db) != 0)
                return STORE_ERROR;
        int rc = STORE_ERROR;
        sqlite3_stmt *st = db_stmt(db, "DELETE FROM person_objection WHERE person_id = :p"
                                       " AND person_id IN (SELECT id FROM person WHERE id = :p"
                                       " AND " SCOPE_SQL("region_code") ")");
        if (st == NULL)
                goto fail;
        db_bind_int(st, ":p", person_id);
        store_bind_scope(st, scope);
        int step = sqlite3_step(st);
        sqlite3_reset(st);
        if (step != SQLITE_DONE) {
                log_error("objection lift: %s", sqlite3_errmsg(db->h));
                goto fail;
        }
        if (sqlite3_changes(db->h) != 1) {
                rc = STORE_NOT_FOUND;
                goto fail;
        }
        if (db_commit(db) != 0)
                goto fail;
        return STORE_OK;
fail:
        db_rollback(db);
        return rc;
}

/* ---- the audit entries about a person ---- */

int
privacy_store_audit(struct db *db, long long person_id, struct arena *a,
                    struct privacy_audit_entry **items, size_t *n, int *available)
{
        *n = 0;
        *items = NULL;
        *available = 0;
        sqlite3_stmt *st = db_stmt(db, "SELECT 1 FROM sqlite_master WHERE type = 'table'"
                                       " AND name = 'audit_log'");
        if (st == NULL)
                return STORE_ERROR;
        int rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc == SQLITE_DONE)
                return STORE_OK;
        if (rc != SQLITE_ROW)
                return STORE_ERROR;
        *available = 1;
        *items = arena_alloc(a, PRIVACY_AUDIT_MAX * sizeof(**items));
        /* The person's row and objection (its rowid is the person's id), the consents still
         * held, and the rows that name the person in their changes (memberships and their
         * ends, consents). json_extract is SQLite's (PostgreSQL: detail::json #>> ...). */
        st = db_stmt(
            db, "SELECT at, login, action, entity, COALESCE(entity_id, 0), detail FROM audit_log"
                " WHERE (entity IN ('person', 'person_objection') AND entity_id = :p)"
                " OR (entity = 'consent' AND entity_id IN"
                " (SELECT id FROM consent WHERE person_id = :p))"
                " OR (entity IN ('membership', 'membership_end', 'consent')"
                " AND (json_extract(detail, '$.changes.person_id[0]') = :p"
                " OR json_extract(detail, '$.changes.person_id[1]') = :p))"
                " ORDER BY id LIMIT :max");
        if (st == NULL)
                return STORE_ERROR;
        db_bind_int(st, ":p", person_id);
        db_bind_int(st, ":max", PRIVACY_AUDIT_MAX);
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
                struct privacy_audit_entry *e = &(*items)[(*n)++];
                e->at = db_col_text(a, st, 0);
                e->login = db_col_text(a, st, 1);
                e->action = db_col_text(a, st, 2);
                e->entity = db_col_text(a, st, 3);
                e->entity_id = db_col_int(st, 4);
                e->detail = db_col_text(a, st, 5);
        }
        sqlite3_reset(st);
        return rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}

/* ---- the retention purge ---- */

/* A growable list of row ids in an arena. */
struct ids {
        long long *v;
        size_t n, cap;
};

static void
ids_push(struct ids *l, struct arena *a, long long id)
{
        if (l->n == l->cap) {
                size_t cap = l->cap ? 2 * l->cap : 256;
                long long *v = arena_alloc(a, cap * sizeof(*v));
                if (l->n)
                        memcpy(v, l->v, l->n * sizeof(*v));
                l->v = v;
                l->cap = cap;
        }
        l->v[l->n++] = id;
}

/* Runs the one-parameter statement sql for every id of l; 0 or -1. */
static int
each_id(struct db *db, const char *sql, const struct ids *l)
{
        for (size_t i = 0; i < l->n; i++) {
                sqlite3_stmt *st = db_stmt(db, sql);
                if (st == NULL)
                        return -1;
                db_bind_int(st, ":id", l->v[i]);
                int rc = sqlite3_step(st);
                sqlite3_reset(st);
                if (rc != SQLITE_DONE) {
                        log_error("purge: %s", sqlite3_errmsg(db->h));
                        return -1;
                }
        }
        return 0;
}

/* The people without a current membership whose registry retention is over on as_of. */
static int
due_people(struct db *db, struct arena *a, struct date as_of, int months, struct ids *out)
{
        sqlite3_stmt *st = db_stmt(
            db, "SELECT p.id, p.created_at, COALESCE((SELECT MAX(e.ended_on) FROM membership_end e"
                " WHERE e.person_id = p.id), '') FROM person p"
                " WHERE NOT EXISTS (SELECT 1 FROM membership m WHERE m.person_id = p.id)");
        if (st == NULL)
                return -1;
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
                struct date start;
                const char *created = (const char *)sqlite3_column_text(st, 1);
                const char *ended = (const char *)sqlite3_column_text(st, 2);
                if (privacy_person_start(created, ended, &start) != 0) {
                        log_error("purge: person %lld has no readable dates; kept",
                                  db_col_int(st, 0));
                        continue;
                }
                if (privacy_due(start, months, as_of))
                        ids_push(out, a, db_col_int(st, 0));
        }
        sqlite3_reset(st);
        return rc == SQLITE_DONE ? 0 : -1;
}

/* The consents withdrawn more than `months` before as_of. */
static int
due_consents(struct db *db, struct arena *a, struct date as_of, int months, struct ids *out)
{
        sqlite3_stmt *st =
            db_stmt(db, "SELECT id, withdrawn_on FROM consent WHERE withdrawn_on IS NOT NULL");
        if (st == NULL)
                return -1;
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
                struct date w;
                const char *s = (const char *)sqlite3_column_text(st, 1);
                if (s && date_parse(s, &w) == 0 && privacy_due(w, months, as_of))
                        ids_push(out, a, db_col_int(st, 0));
        }
        sqlite3_reset(st);
        return rc == SQLITE_DONE ? 0 : -1;
}

/* The local date of a time in milliseconds since the epoch. */
static struct date
local_date_ms(long long ms)
{
        time_t t = (time_t)(ms / 1000);
        struct tm tm;
        localtime_r(&t, &tm);
        return (struct date){tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
}

/* The failed logins older than `months` on as_of (by rowid: the table has no key). */
static int
due_login_failures(struct db *db, struct arena *a, struct date as_of, int months, struct ids *out)
{
        sqlite3_stmt *st = db_stmt(db, "SELECT rowid, at FROM login_failure");
        if (st == NULL)
                return -1;
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW)
                if (privacy_due(local_date_ms(db_col_int(st, 1)), months, as_of))
                        ids_push(out, a, db_col_int(st, 0));
        sqlite3_reset(st);
        return rc == SQLITE_DONE ? 0 : -1;
}

int
privacy_store_purge(struct db *db, struct date as_of, int dry_run, struct purge_counts *out)
{
        memset(out, 0, sizeof(*out));
        if (retention_of(db, "registry", &out->people_months) != STORE_OK ||
            retention_of(db, "signin", &out->login_failure_months) != STORE_OK)
                return STORE_ERROR;
        out->consent_months = out->people_months;
        struct arena *a = arena_new();
        struct ids people = {0}, consents = {0}, failures = {0};
        if (db_begin(db) != 0) {
                arena_free(a);
                return STORE_ERROR;
        }
        /* Midnight at the start of as_of, local time: sessions idle or too old by then. */
        struct tm tm = {
            .tm_year = as_of.y - 1900, .tm_mon = as_of.m - 1, .tm_mday = as_of.d, .tm_isdst = -1};
        long long midnight = (long long)mktime(&tm);
        if (due_people(db, a, as_of, (int)out->people_months, &people) != 0 ||
            each_id(db, "DELETE FROM membership_end WHERE person_id = :id", &people) != 0 ||
            /* consents and objection go with the person (ON DELETE CASCADE) */
            each_id(db, "DELETE FROM person WHERE id = :id", &people) != 0 ||
            due_consents(db, a, as_of, (int)out->consent_months, &consents) != 0 ||
            each_id(db, "DELETE FROM consent WHERE id = :id", &consents) != 0 ||
            due_login_failures(db, a, as_of, (int)out->login_failure_months, &failures) != 0 ||
            each_id(db, "DELETE FROM login_failure WHERE rowid = :id", &failures) != 0)
                goto fail;
        sqlite3_stmt *st =
            db_stmt(db, "DELETE FROM session WHERE last_seen < :idle OR created_at < :max");
        if (st == NULL)
                goto fail;
        db_bind_int(st, ":idle", midnight - SESSION_IDLE_LIMIT);
        db_bind_int(st, ":max", midnight - SESSION_MAX_LIMIT);
        if (sqlite3_step(st) != SQLITE_DONE) {
                sqlite3_reset(st);
                goto fail;
        }
        sqlite3_reset(st);
        out->sessions = sqlite3_changes(db->h);
        out->people = (long long)people.n;
        out->consents = (long long)consents.n;
        out->login_failures = (long long)failures.n;
        if (dry_run)
                db_rollback(db);
        else if (db_commit(db) != 0)
                goto fail;
        arena_free(a);
        return STORE_OK;
fail:
        log_error("purge: %s", sqlite3_errmsg(db->h));
        db_rollback(db);
        arena_free(a);
        memset(out, 0, sizeof(*out));
        return STORE_ERROR;
}
