/* audit.c: the hash-chained audit trail: the entry hash, the field-level diff, the SQL
 * functions and per-connection triggers that record every write, events, and verification. */
#include "audit.h"

#include <jansson.h>
#include <stdarg.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "db.h"
#include "log.h"

/* ---- the hash (pure) ---- */

static void
hash_field(crypto_generichash_state *h, const char *s)
{
        size_t n = s ? strlen(s) : 0;
        unsigned char len[8];
        for (int i = 0; i < 8; i++)
                len[i] = (unsigned char)((uint64_t)n >> (8 * i));
        crypto_generichash_update(h, len, sizeof(len));
        if (n)
                crypto_generichash_update(h, (const unsigned char *)s, n);
}

static void
hash_int(crypto_generichash_state *h, long long v)
{
        /* 0 is how a NULL column reads: both hash as the empty field. */
        char num[24] = "";
        if (v != 0)
                snprintf(num, sizeof(num), "%lld", v);
        hash_field(h, num);
}

void
audit_hash(const struct audit_entry *e, const char *prev_hash, char out[AUDIT_HASH_HEX])
{
        crypto_generichash_state h;
        unsigned char digest[32];
        crypto_generichash_init(&h, NULL, 0, sizeof(digest));
        hash_field(&h, "murafiq-audit-1");
        hash_int(&h, e->id);
        hash_field(&h, e->at);
        hash_int(&h, e->user_id);
        hash_field(&h, e->login);
        hash_field(&h, e->ip);
        hash_field(&h, e->action);
        hash_field(&h, e->entity);
        hash_int(&h, e->entity_id);
        hash_field(&h, e->detail);
        hash_field(&h, prev_hash);
        crypto_generichash_final(&h, digest, sizeof(digest));
        sodium_bin2hex(out, AUDIT_HASH_HEX, digest, sizeof(digest));
}

/* ---- the diff (pure) ---- */

int
audit_column_is_secret(const char *column)
{
        /* "_hash" covers password_hash; must_change_password stays a readable flag. */
        static const char *const marks[] = {"_hash", "secret",   "national_id",
                                            "token", "recovery", "key"};
        for (size_t i = 0; i < sizeof(marks) / sizeof(marks[0]); i++)
                if (strstr(column, marks[i]))
                        return 1;
        return 0;
}

/* A value worth listing on an insert or a delete: not NULL, not the empty string. */
static int
has_value(const json_t *v)
{
        return v && !json_is_null(v) && !(json_is_string(v) && json_string_length(v) == 0);
}

char *
audit_diff(const char *before_json, const char *after_json)
{
        json_t *before = before_json ? json_loads(before_json, 0, NULL) : NULL;
        json_t *after = after_json ? json_loads(after_json, 0, NULL) : NULL;
        json_t *changes = json_object();
        char *out = NULL;
        if ((before_json && !json_is_object(before)) || (after_json && !json_is_object(after)) ||
            (!before && !after) || changes == NULL)
                goto done;
        /* Columns in the order of the table (the order json_object was given them). */
        const json_t *keys = after ? after : before;
        const char *col;
        json_t *unused;
        json_object_foreach((json_t *)keys, col, unused)
        {
                (void)unused;
                json_t *b = before ? json_object_get(before, col) : NULL;
                json_t *a = after ? json_object_get(after, col) : NULL;
                if (before && after) {
                        if (json_equal(b ? b : json_null(), a ? a : json_null()))
                                continue;
                } else if (!has_value(before ? b : a)) {
                        continue;
                }
                json_t *pair = json_array();
                if (audit_column_is_secret(col)) {
                        json_array_append_new(pair,
                                              has_value(b) ? json_string("***") : json_null());
                        json_array_append_new(pair,
                                              has_value(a) ? json_string("***") : json_null());
                } else {
                        json_array_append(pair, b ? b : json_null());
                        json_array_append(pair, a ? a : json_null());
                }
                json_object_set_new(changes, col, pair);
        }
        if (json_object_size(changes) == 0)
                goto done;
        json_t *detail = json_pack("{s:O}", "changes", changes);
        out = json_dumps(detail, JSON_COMPACT | JSON_PRESERVE_ORDER);
        json_decref(detail);
done:
        json_decref(changes);
        json_decref(before);
        json_decref(after);
        return out;
}

/* ---- the connection's actor ---- */

void
audit_set_actor(struct db *db, long long user_id, const char *login, const char *ip)
{
        db->actor.user_id = user_id;
        snprintf(db->actor.login, sizeof(db->actor.login), "%s", login ? login : "");
        snprintf(db->actor.ip, sizeof(db->actor.ip), "%s", ip ? ip : "");
}

void
audit_set_enabled(struct db *db, int on)
{
        db->actor.off = !on;
}

/* ---- SQL functions the triggers call ---- */

static void
sql_audit_on(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
        (void)argc, (void)argv;
        const struct db *db = sqlite3_user_data(ctx);
        sqlite3_result_int(ctx, !db->actor.off);
}

static void
sql_audit_user(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
        (void)argc, (void)argv;
        const struct db *db = sqlite3_user_data(ctx);
        if (db->actor.user_id > 0)
                sqlite3_result_int64(ctx, db->actor.user_id);
        else
                sqlite3_result_null(ctx);
}

static void
sql_audit_login(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
        (void)argc, (void)argv;
        const struct db *db = sqlite3_user_data(ctx);
        sqlite3_result_text(ctx, db->actor.login, -1, SQLITE_TRANSIENT);
}

static void
sql_audit_ip(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
        (void)argc, (void)argv;
        const struct db *db = sqlite3_user_data(ctx);
        sqlite3_result_text(ctx, db->actor.ip, -1, SQLITE_TRANSIENT);
}

static void
sql_audit_diff(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
        (void)argc;
        const char *b = (const char *)sqlite3_value_text(argv[0]);
        const char *a = (const char *)sqlite3_value_text(argv[1]);
        char *d = audit_diff(b, a);
        if (d == NULL) {
                sqlite3_result_null(ctx);
                return;
        }
        sqlite3_result_text(ctx, d, -1, SQLITE_TRANSIENT);
        free(d);
}

static const char *
value_text(sqlite3_value *v)
{
        const char *s = (const char *)sqlite3_value_text(v);
        return s ? s : "";
}

/* audit_hash(id, at, user_id, login, ip, action, entity, entity_id, detail, prev_hash) */
static void
sql_audit_hash(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
        (void)argc;
        struct audit_entry e = {
            .id = sqlite3_value_int64(argv[0]),
            .at = value_text(argv[1]),
            .user_id = sqlite3_value_int64(argv[2]),
            .login = value_text(argv[3]),
            .ip = value_text(argv[4]),
            .action = value_text(argv[5]),
            .entity = value_text(argv[6]),
            .entity_id = sqlite3_value_int64(argv[7]),
            .detail = value_text(argv[8]),
        };
        char out[AUDIT_HASH_HEX];
        audit_hash(&e, value_text(argv[9]), out);
        sqlite3_result_text(ctx, out, -1, SQLITE_TRANSIENT);
}

/* ---- triggers ---- */

/* Tables that are not records: the trail itself, migrations, reference geography loaded by
 * init, the churn of sessions and throttling (logins and failures are events instead), and
 * search indexes derived from audited columns by triggers. */
static int
table_is_audited(const char *t)
{
        static const char *const skip[] = {"audit_log",     "schema_migration", "session",
                                           "login_pending", "login_failure",    "region",
                                           "province",      "commune",          "coop_word"};
        if (strncmp(t, "sqlite_", 7) == 0)
                return 0;
        for (size_t i = 0; i < sizeof(skip) / sizeof(skip[0]); i++)
                if (strcmp(t, skip[i]) == 0)
                        return 0;
        return 1;
}

/* Columns that change on every write without saying anything: bookkeeping and derived. */
static int
column_is_noise(const char *c)
{
        size_t n = strlen(c);
        return strcmp(c, "id") == 0 || strcmp(c, "version") == 0 || strcmp(c, "created_at") == 0 ||
               strcmp(c, "updated_at") == 0 || strcmp(c, "last_login_at") == 0 ||
               strcmp(c, "last_seen") == 0 || (n > 5 && strcmp(c + n - 5, "_fold") == 0);
}

/* An identifier from the schema, double-quoted. */
static void
put_ident(struct buf *b, const char *s)
{
        buf_putc(b, '"');
        for (; *s; s++) {
                if (*s == '"')
                        buf_putc(b, '"');
                buf_putc(b, *s);
        }
        buf_putc(b, '"');
}

/* The json_object(...) of the row's columns as seen through OLD or NEW. Secret and BLOB
 * columns enter as hex, so that the diff can tell a change without holding the value. */
static int
put_row_object(struct buf *b, const char *row, const char *const *cols, const int *hex, int n)
{
        /* SQLite's default limit is 127 arguments to a function. */
        if (n > 60)
                return -1;
        buf_puts(b, "json_object(");
        for (int i = 0; i < n; i++) {
                if (i)
                        buf_putc(b, ',');
                buf_putc(b, '\'');
                buf_puts(b, cols[i]); /* schema names hold no quote: checked by the caller */
                buf_puts(b, "',");
                if (hex[i])
                        buf_puts(b, "hex(");
                buf_puts(b, row);
                buf_putc(b, '.');
                put_ident(b, cols[i]);
                if (hex[i])
                        buf_putc(b, ')');
        }
        buf_putc(b, ')');
        return 0;
}

/* The part every trigger and audit_event share: compute the next id and the previous hash,
 * then insert with the hash of the whole entry. */
#define AUDIT_INSERT_HEAD                                                                          \
        "INSERT INTO audit_log (id, at, user_id, login, ip, action, entity, entity_id,"            \
        " detail, prev_hash, hash)"                                                                \
        " SELECT v.id, v.at, v.uid, v.login, v.ip, v.action, v.entity, v.eid, v.detail,"           \
        " v.prev, audit_hash(v.id, v.at, v.uid, v.login, v.ip, v.action, v.entity, v.eid,"         \
        " v.detail, v.prev)"                                                                       \
        " FROM (SELECT COALESCE(l.id, 0) + 1 AS id, strftime('%Y-%m-%dT%H:%M:%fZ', 'now') AS at,"  \
        " audit_user() AS uid, audit_login() AS login, audit_ip() AS ip,"
#define AUDIT_INSERT_TAIL                                                                          \
        " COALESCE(l.hash, '" AUDIT_GENESIS "') AS prev"                                           \
        " FROM (SELECT 1) LEFT JOIN (SELECT id, hash FROM main.audit_log"                          \
        " ORDER BY id DESC LIMIT 1) AS l) AS v WHERE v.detail IS NOT NULL"

static int
create_triggers(struct db *db, struct arena *a, const char *table)
{
        enum { MAXCOLS = 128 };
        const char *cols[MAXCOLS];
        int hex[MAXCOLS];
        int n = 0;
        sqlite3_stmt *st = db_stmt(db, "SELECT name, upper(type) FROM pragma_table_info(:t)");
        if (st == NULL || db_bind_text(st, ":t", table) != SQLITE_OK)
                return -1;
        while (sqlite3_step(st) == SQLITE_ROW) {
                const char *c = (const char *)sqlite3_column_text(st, 0);
                const char *type = (const char *)sqlite3_column_text(st, 1);
                if (c == NULL || column_is_noise(c))
                        continue;
                if (n == MAXCOLS || strchr(c, '\'') || strchr(c, '"')) {
                        sqlite3_reset(st);
                        log_error("audit: table %s: column %s cannot be audited", table, c);
                        return -1;
                }
                cols[n] = arena_strdup(a, c);
                hex[n] = audit_column_is_secret(c) || (type && strstr(type, "BLOB"));
                n++;
        }
        sqlite3_reset(st);
        static const struct {
                const char *event, *action, *before, *after;
        } kinds[] = {
            {"INSERT", "insert", NULL, "NEW"},
            {"UPDATE", "update", "OLD", "NEW"},
            {"DELETE", "delete", "OLD", NULL},
        };
        for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
                struct buf b;
                buf_init(&b, a, 1 << 20);
                buf_puts(&b, "CREATE TEMP TRIGGER ");
                put_ident(&b, arena_printf(a, "audit_%s_%s", table, kinds[k].action));
                buf_printf(&b, " AFTER %s ON main.", kinds[k].event);
                put_ident(&b, table);
                buf_puts(&b, " WHEN audit_on() BEGIN " AUDIT_INSERT_HEAD " '");
                buf_puts(&b, kinds[k].action);
                buf_puts(&b, "' AS action, '");
                buf_puts(&b, table); /* a schema name without quotes: checked by the caller */
                buf_printf(&b, "' AS entity, %s.rowid AS eid, audit_diff(",
                           kinds[k].after ? kinds[k].after : kinds[k].before);
                if (kinds[k].before) {
                        if (put_row_object(&b, kinds[k].before, cols, hex, n) != 0)
                                goto too_wide;
                } else {
                        buf_puts(&b, "NULL");
                }
                buf_putc(&b, ',');
                if (kinds[k].after) {
                        if (put_row_object(&b, kinds[k].after, cols, hex, n) != 0)
                                goto too_wide;
                } else {
                        buf_puts(&b, "NULL");
                }
                buf_puts(&b, ") AS detail," AUDIT_INSERT_TAIL "; END");
                if (b.err || db_exec(db, buf_str(&b)) != 0)
                        return -1;
        }
        return 0;
too_wide:
        log_error("audit: table %s has too many columns for one json_object", table);
        return -1;
}

int
audit_install(struct db *db)
{
        static const struct {
                const char *name;
                int nargs;
                void (*fn)(sqlite3_context *, int, sqlite3_value **);
                int flags;
        } fns[] = {
            {"audit_on", 0, sql_audit_on, 0},
            {"audit_user", 0, sql_audit_user, 0},
            {"audit_login", 0, sql_audit_login, 0},
            {"audit_ip", 0, sql_audit_ip, 0},
            {"audit_diff", 2, sql_audit_diff, SQLITE_DETERMINISTIC},
            {"audit_hash", 10, sql_audit_hash, SQLITE_DETERMINISTIC},
        };
        for (size_t i = 0; i < sizeof(fns) / sizeof(fns[0]); i++)
                if (sqlite3_create_function(db->h, fns[i].name, fns[i].nargs,
                                            SQLITE_UTF8 | fns[i].flags, db, fns[i].fn, NULL,
                                            NULL) != SQLITE_OK) {
                        log_error("audit: cannot register %s: %s", fns[i].name,
                                  sqlite3_errmsg(db->h));
                        return -1;
                }
        if (db->actor.login[0] == '\0')
                audit_set_actor(db, 0, "system", "");

        struct arena *a = arena_new();
        int rc = -1;
        sqlite3_stmt *st = db_stmt(db, "SELECT name FROM main.sqlite_schema WHERE type = 'table'"
                                       " ORDER BY name");
        if (st == NULL)
                goto done;
        const char *tables[256];
        int nt = 0;
        while (sqlite3_step(st) == SQLITE_ROW && nt < 256) {
                const char *t = (const char *)sqlite3_column_text(st, 0);
                if (t && table_is_audited(t) && !strchr(t, '\'') && !strchr(t, '"'))
                        tables[nt++] = arena_strdup(a, t);
        }
        sqlite3_reset(st);
        for (int i = 0; i < nt; i++)
                if (create_triggers(db, a, tables[i]) != 0)
                        goto done;
        rc = 0;
done:
        arena_free(a);
        return rc;
}

/* ---- events ---- */

int
audit_event(struct db *db, const char *action, const char *entity, long long entity_id,
            const char *detail_json)
{
        if (db->actor.off)
                return 0;
        int own_tx = sqlite3_get_autocommit(db->h);
        if (own_tx && db_begin(db) != 0)
                return -1;
        /* A literal built from the two halves every trigger shares. */
        static const char sql[] =
            AUDIT_INSERT_HEAD " :action AS action, :entity AS entity,"
                              " :eid AS eid, :detail AS detail," AUDIT_INSERT_TAIL;
        sqlite3_stmt *st = db_stmt(db, sql);
        if (st == NULL || db_bind_text(st, ":action", action) ||
            db_bind_text(st, ":entity", entity ? entity : "") ||
            (entity_id > 0 ? db_bind_int(st, ":eid", entity_id) : db_bind_null(st, ":eid")) ||
            db_bind_text(st, ":detail", detail_json ? detail_json : "{}") ||
            sqlite3_step(st) != SQLITE_DONE)
                goto fail;
        sqlite3_reset(st);
        if (own_tx && db_commit(db) != 0)
                goto fail;
        return 0;
fail:
        log_error("audit: cannot record %s: %s", action, sqlite3_errmsg(db->h));
        if (st)
                sqlite3_reset(st);
        if (own_tx)
                db_rollback(db);
        return -1;
}

int
audit_event_pairs(struct db *db, const char *action, const char *entity, long long entity_id, ...)
{
        json_t *d = json_object();
        va_list ap;
        va_start(ap, entity_id);
        const char *k;
        while ((k = va_arg(ap, const char *)) != NULL) {
                const char *v = va_arg(ap, const char *);
                /* jansson refuses invalid UTF-8: such a value is recorded as null. */
                json_object_set_new(d, k, v ? json_string(v) : json_null());
        }
        va_end(ap);
        char *detail = json_dumps(d, JSON_COMPACT | JSON_PRESERVE_ORDER);
        json_decref(d);
        int rc = audit_event(db, action, entity, entity_id, detail);
        free(detail);
        return rc;
}

/* ---- verification ---- */

static const char *
col_text(sqlite3_stmt *st, int i)
{
        const char *s = (const char *)sqlite3_column_text(st, i);
        return s ? s : "";
}

long long
audit_verify(struct db *db, long long *bad_id, const char **why)
{
        *bad_id = 0;
        *why = NULL;
        sqlite3_stmt *st = db_stmt(db, "SELECT id, at, user_id, login, ip, action, entity,"
                                       " entity_id, detail, prev_hash, hash"
                                       " FROM audit_log ORDER BY id");
        if (st == NULL) {
                *why = "the audit log cannot be read";
                return -1;
        }
        char prev[AUDIT_HASH_HEX] = AUDIT_GENESIS;
        long long n = 0, last_id = 0;
        int step;
        while ((step = sqlite3_step(st)) == SQLITE_ROW) {
                struct audit_entry e = {
                    .id = sqlite3_column_int64(st, 0),
                    .at = col_text(st, 1),
                    .user_id = sqlite3_column_int64(st, 2),
                    .login = col_text(st, 3),
                    .ip = col_text(st, 4),
                    .action = col_text(st, 5),
                    .entity = col_text(st, 6),
                    .entity_id = sqlite3_column_int64(st, 7),
                    .detail = col_text(st, 8),
                    .prev_hash = col_text(st, 9),
                    .hash = col_text(st, 10),
                };
                char h[AUDIT_HASH_HEX];
                if (e.id != last_id + 1)
                        *why = "entries before it are missing";
                else if (strcmp(e.prev_hash, prev) != 0)
                        *why = "it does not link to the entry before it";
                else if (audit_hash(&e, prev, h), strcmp(h, e.hash) != 0)
                        *why = "its content does not match its hash";
                if (*why) {
                        *bad_id = e.id;
                        sqlite3_reset(st);
                        return -1;
                }
                snprintf(prev, sizeof(prev), "%s", e.hash);
                last_id = e.id;
                n++;
        }
        sqlite3_reset(st);
        if (step != SQLITE_DONE) {
                *why = "the audit log cannot be read";
                return -1;
        }
        return n;
}
