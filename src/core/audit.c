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
#include "text.h"
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

/* The last entry of the chain (id 0 and the genesis hash when there is none). Read by a
 * statement of its own, not in the SQL that appends: an INSERT that reads its own table
 * first copies the rows it writes into a temporary B-tree, one opened and freed per audited
 * write (with the subquery that read the head, a fifth of an import's time). */
static int
chain_head(sqlite3_context *ctx, long long *id, char hash[AUDIT_HASH_HEX])
{
        struct db *db = sqlite3_user_data(ctx);
        sqlite3_stmt *st =
            db_stmt(db, "SELECT id, hash FROM main.audit_log ORDER BY id DESC LIMIT 1");
        int rc = st ? sqlite3_step(st) : SQLITE_ERROR;
        *id = 0;
        snprintf(hash, AUDIT_HASH_HEX, "%s", AUDIT_GENESIS);
        if (rc == SQLITE_ROW) {
                *id = sqlite3_column_int64(st, 0);
                snprintf(hash, AUDIT_HASH_HEX, "%s", value_text(sqlite3_column_value(st, 1)));
        }
        if (st)
                sqlite3_reset(st);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
                sqlite3_result_error(ctx, "audit: the chain's head cannot be read", -1);
                return -1;
        }
        return 0;
}

static void
sql_audit_next_id(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
        (void)argc, (void)argv;
        long long id;
        char hash[AUDIT_HASH_HEX];
        if (chain_head(ctx, &id, hash) == 0)
                sqlite3_result_int64(ctx, id + 1);
}

static void
sql_audit_prev_hash(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
        (void)argc, (void)argv;
        long long id;
        char hash[AUDIT_HASH_HEX];
        if (chain_head(ctx, &id, hash) == 0)
                sqlite3_result_text(ctx, hash, -1, SQLITE_TRANSIENT);
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

/* ---- the diff of a row's SQL values (the triggers' fast path) ---- */

/* audit_changes gives the detail audit_diff would give for json_object(...) of the same
 * values, byte for byte (the audit pages, the API and the hash chain read it), without
 * writing and parsing JSON per row. So it follows both trips of the old path: SQLite's
 * json_object on the way in, jansson's parse and dump on the way out. */

/* One column value as the JSON path saw it. */
struct jval {
        int type; /* SQLITE_NULL, SQLITE_INTEGER, SQLITE_FLOAT or SQLITE_TEXT */
        sqlite3_int64 i;
        json_t *real; /* the parsed number, as jansson held it */
        const unsigned char *s;
        int n;
};

/* Reads v. Returns 0; 1 when json_loads would have refused the whole object (then no
 * entry is written, as before); -1 when json_object would have failed the statement. */
static int
jval_read(sqlite3_value *v, struct jval *out)
{
        memset(out, 0, sizeof(*out));
        out->type = v ? sqlite3_value_type(v) : SQLITE_NULL;
        switch (out->type) {
        case SQLITE_NULL:
                return 0;
        case SQLITE_INTEGER:
                out->i = sqlite3_value_int64(v);
                return 0;
        case SQLITE_FLOAT: {
                /* json_object's own format, then jansson's reading of it ("Inf" is refused). */
                char num[64];
                sqlite3_snprintf(sizeof(num), num, "%!0.15g", sqlite3_value_double(v));
                out->real = json_loads(num, JSON_DECODE_ANY, NULL);
                return json_is_real(out->real) ? 0 : 1;
        }
        case SQLITE_TEXT:
                out->s = sqlite3_value_text(v);
                out->n = sqlite3_value_bytes(v);
                if (out->s == NULL)
                        return -1;
                /* json_loads refuses \u0000 and invalid UTF-8. */
                if (memchr(out->s, 0, (size_t)out->n) ||
                    !text_wellformed_utf8((const char *)out->s, (size_t)out->n))
                        return 1;
                return 0;
        default:
                return -1; /* "JSON cannot hold BLOB values" */
        }
}

static void
jval_clear(struct jval *v)
{
        json_decref(v->real);
        v->real = NULL;
}

/* json_equal of the two values as jansson held them. */
static int
jval_equal(const struct jval *a, const struct jval *b)
{
        if (a->type != b->type)
                return 0;
        switch (a->type) {
        case SQLITE_INTEGER:
                return a->i == b->i;
        case SQLITE_FLOAT:
                return json_real_value(a->real) == json_real_value(b->real);
        case SQLITE_TEXT:
                return a->n == b->n && memcmp(a->s, b->s, (size_t)a->n) == 0;
        default:
                return 1;
        }
}

static int
jval_has_value(const struct jval *v)
{
        return v->type != SQLITE_NULL && !(v->type == SQLITE_TEXT && v->n == 0);
}

/* A JSON string as json_dumps writes it: only '"', '\\' and controls escaped, the rest as
 * UTF-8, unescaped ('/' included). */
static void
put_json_string(sqlite3_str *o, const unsigned char *s, int n)
{
        static const char hexd[] = "0123456789ABCDEF";
        sqlite3_str_appendchar(o, 1, '"');
        int run = 0;
        for (int i = 0; i < n; i++) {
                unsigned char c = s[i];
                if (c >= 0x20 && c != '"' && c != '\\')
                        continue;
                if (i > run)
                        sqlite3_str_append(o, (const char *)s + run, i - run);
                run = i + 1;
                char esc[7] = {'\\', 0};
                switch (c) {
                case '"':
                case '\\':
                        esc[1] = (char)c;
                        break;
                case '\b':
                        esc[1] = 'b';
                        break;
                case '\f':
                        esc[1] = 'f';
                        break;
                case '\n':
                        esc[1] = 'n';
                        break;
                case '\r':
                        esc[1] = 'r';
                        break;
                case '\t':
                        esc[1] = 't';
                        break;
                default:
                        memcpy(esc + 1, "u00", 3);
                        esc[4] = hexd[c >> 4];
                        esc[5] = hexd[c & 15];
                        break;
                }
                sqlite3_str_appendall(o, esc);
        }
        if (n > run)
                sqlite3_str_append(o, (const char *)s + run, n - run);
        sqlite3_str_appendchar(o, 1, '"');
}

static int
put_jval(sqlite3_str *o, const struct jval *v)
{
        switch (v->type) {
        case SQLITE_INTEGER:
                sqlite3_str_appendf(o, "%lld", v->i);
                return 0;
        case SQLITE_FLOAT: {
                char *num = json_dumps(v->real, JSON_ENCODE_ANY | JSON_COMPACT);
                if (num == NULL)
                        return 1; /* as json_dumps failing did: no entry */
                sqlite3_str_appendall(o, num);
                free(num);
                return 0;
        }
        case SQLITE_TEXT:
                put_json_string(o, v->s, v->n);
                return 0;
        default:
                sqlite3_str_appendall(o, "null");
                return 0;
        }
}

/* audit_changes(shape, name, [before,] [after,] ...): the detail of one row's write. shape
 * is the kind ('i'nsert: name and NEW value per column; 'u'pdate: name, OLD, NEW; 'd'elete:
 * name, OLD) then one mark per column: '*' for a secret (its value arrives as hex), '-'
 * otherwise. NULL when nothing changed. */
static void
sql_audit_changes(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
        const char *shape = argc > 0 ? (const char *)sqlite3_value_text(argv[0]) : NULL;
        char kind = shape ? shape[0] : 0;
        int per = kind == 'u' ? 3 : 2;
        int n = shape ? (int)strlen(shape) - 1 : 0;
        if ((kind != 'i' && kind != 'u' && kind != 'd') || argc != 1 + per * n) {
                sqlite3_result_error(ctx, "audit_changes: malformed call", -1);
                return;
        }
        sqlite3_str *o = sqlite3_str_new(sqlite3_context_db_handle(ctx));
        struct jval b = {0}, a = {0};
        int listed = 0, rc = 0;
        for (int i = 0; i < n && rc >= 0; i++) {
                sqlite3_value **col = argv + 1 + per * i;
                /* After a refusal, read on only for a BLOB, which json_object failed on. */
                int r = jval_read(kind == 'i' ? NULL : col[1], &b);
                int r2 = jval_read(kind == 'u' ? col[2] : kind == 'i' ? col[1] : NULL, &a);
                if (r < 0 || r2 < 0)
                        rc = -1;
                else if (r > 0 || r2 > 0)
                        rc = 1;
                int skip = rc != 0 || (kind == 'u' ? jval_equal(&b, &a)
                                                   : !jval_has_value(kind == 'i' ? &a : &b));
                if (!skip) {
                        const unsigned char *name = sqlite3_value_text(col[0]);
                        sqlite3_str_appendall(o, listed++ ? "," : "{\"changes\":{");
                        put_json_string(o, name, sqlite3_value_bytes(col[0]));
                        sqlite3_str_appendall(o, ":[");
                        if (shape[1 + i] == '*') {
                                sqlite3_str_appendall(o, jval_has_value(&b) ? "\"***\"," : "null,");
                                sqlite3_str_appendall(o, jval_has_value(&a) ? "\"***\"" : "null");
                        } else {
                                rc = put_jval(o, &b);
                                sqlite3_str_appendchar(o, 1, ',');
                                if (rc == 0)
                                        rc = put_jval(o, &a);
                        }
                        sqlite3_str_appendchar(o, 1, ']');
                }
                jval_clear(&b);
                jval_clear(&a);
        }
        if (rc == 0 && listed)
                sqlite3_str_appendall(o, "}}");
        if (sqlite3_str_errcode(o) == SQLITE_NOMEM) {
                sqlite3_free(sqlite3_str_finish(o));
                sqlite3_result_error_nomem(ctx);
                return;
        }
        int len = sqlite3_str_length(o);
        char *out = sqlite3_str_finish(o);
        if (rc < 0) {
                sqlite3_result_error(ctx, "JSON cannot hold BLOB values", -1);
        } else if (rc > 0 || !listed) {
                sqlite3_result_null(ctx);
        } else {
                sqlite3_result_text(ctx, out, len, sqlite3_free);
                return;
        }
        sqlite3_free(out);
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

/* audit_changes('shape', 'col', OLD."col", NEW."col", ...) for one kind of write (the
 * fast path, see sql_audit_changes). Returns -1 when the call would pass more arguments
 * than SQLite allows a function (127): the table then takes the json_object path. */
static int
put_row_changes(struct buf *b, char kind, const char *before, const char *after,
                const char *const *cols, const int *hex, int n)
{
        int per = 1 + (before != NULL) + (after != NULL);
        if (1 + per * n > 127)
                return -1;
        buf_printf(b, "audit_changes('%c", kind);
        for (int i = 0; i < n; i++)
                buf_putc(b, audit_column_is_secret(cols[i]) ? '*' : '-');
        buf_putc(b, '\'');
        const char *rows[2] = {before, after};
        for (int i = 0; i < n; i++) {
                buf_puts(b, ",'");
                buf_puts(b, cols[i]); /* schema names hold no quote: checked by the caller */
                buf_putc(b, '\'');
                for (int r = 0; r < 2; r++) {
                        if (rows[r] == NULL)
                                continue;
                        buf_puts(b, hex[i] ? ",hex(" : ",");
                        buf_puts(b, rows[r]);
                        buf_putc(b, '.');
                        put_ident(b, cols[i]);
                        if (hex[i])
                                buf_putc(b, ')');
                }
        }
        buf_putc(b, ')');
        return 0;
}

/* The part every trigger and audit_event share: take the next id and the previous hash,
 * then insert with the hash of the whole entry. The LIMIT keeps v a subquery of its own
 * (SQLite does not flatten a subquery with a LIMIT into a query with a WHERE): flattened,
 * each use of v.detail called the diff again, four times a row. */
#define AUDIT_INSERT_HEAD                                                                          \
        "INSERT INTO audit_log (id, at, user_id, login, ip, action, entity, entity_id,"            \
        " detail, prev_hash, hash)"                                                                \
        " SELECT v.id, v.at, v.uid, v.login, v.ip, v.action, v.entity, v.eid, v.detail,"           \
        " v.prev, audit_hash(v.id, v.at, v.uid, v.login, v.ip, v.action, v.entity, v.eid,"         \
        " v.detail, v.prev)"                                                                       \
        " FROM (SELECT audit_next_id() AS id, strftime('%Y-%m-%dT%H:%M:%fZ', 'now') AS at,"        \
        " audit_user() AS uid, audit_login() AS login, audit_ip() AS ip,"
#define AUDIT_INSERT_TAIL " audit_prev_hash() AS prev LIMIT 1) AS v WHERE v.detail IS NOT NULL"

static int
create_triggers(struct db *db, struct arena *a, const char *table)
{
        enum { MAXCOLS = 128 };
        const char *cols[MAXCOLS];
        int hex[MAXCOLS];
        int n = 0, names_utf8 = 1;
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
                names_utf8 &= text_wellformed_utf8(c, strlen(c)); /* json_loads' check */
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
                buf_printf(&b, "' AS entity, %s.rowid AS eid, ",
                           kinds[k].after ? kinds[k].after : kinds[k].before);
                /* Names jansson would refuse keep the old path, which records nothing. */
                if (names_utf8 && put_row_changes(&b, kinds[k].action[0], kinds[k].before,
                                                  kinds[k].after, cols, hex, n) == 0) {
                        buf_puts(&b, " AS detail," AUDIT_INSERT_TAIL "; END");
                        if (b.err || db_exec(db, buf_str(&b)) != 0)
                                return -1;
                        continue;
                }
                buf_puts(&b, "audit_diff(");
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

static int install_triggers(struct db *db);

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
            {"audit_next_id", 0, sql_audit_next_id, 0},
            {"audit_prev_hash", 0, sql_audit_prev_hash, 0},
            {"audit_diff", 2, sql_audit_diff, SQLITE_DETERMINISTIC},
            {"audit_changes", -1, sql_audit_changes, SQLITE_DETERMINISTIC},
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
        return install_triggers(db);
}

/* The names sql lists (its first column; at most cap), copied into a: their count, or -1.
 * Read whole before triggers are made or dropped, which changes the schema being read. */
static int
schema_names(struct db *db, struct arena *a, const char *sql, const char **out, int cap)
{
        sqlite3_stmt *st = db_stmt(db, sql);
        if (st == NULL)
                return -1;
        int n = 0;
        while (n < cap && sqlite3_step(st) == SQLITE_ROW)
                if (sqlite3_column_text(st, 0))
                        out[n++] = arena_strdup(a, (const char *)sqlite3_column_text(st, 0));
        sqlite3_reset(st);
        return n;
}

/* The triggers of every audited table. */
static int
install_triggers(struct db *db)
{
        struct arena *a = arena_new();
        int rc = -1;
        const char *tables[256];
        int nt = schema_names(db, a,
                              "SELECT name FROM main.sqlite_schema WHERE type = 'table'"
                              " ORDER BY name",
                              tables, 256);
        if (nt < 0)
                goto done;
        for (int i = 0; i < nt; i++) {
                const char *t = tables[i];
                if (table_is_audited(t) && !strchr(t, '\'') && !strchr(t, '"') &&
                    create_triggers(db, a, t) != 0)
                        goto done;
        }
        rc = 0;
done:
        arena_free(a);
        return rc;
}

int
audit_suspend(struct db *db)
{
        audit_set_enabled(db, 0);
        struct arena *a = arena_new();
        int rc = -1;
        const char *names[1024];
        int n = schema_names(db, a,
                             "SELECT name FROM temp.sqlite_schema WHERE type = 'trigger'"
                             " AND name LIKE 'audit\\_%' ESCAPE '\\'",
                             names, 1024);
        if (n < 0)
                goto done;
        for (int i = 0; i < n; i++) {
                struct buf b;
                buf_init(&b, a, 4096);
                buf_puts(&b, "DROP TRIGGER temp.");
                put_ident(&b, names[i]);
                if (b.err || db_exec(db, buf_str(&b)) != 0)
                        goto done;
        }
        rc = 0;
done:
        arena_free(a);
        return rc;
}

int
audit_resume(struct db *db)
{
        /* The triggers only: SQLite refuses to register a function again while a statement
         * of the connection is active. */
        if (install_triggers(db) != 0)
                return -1;
        audit_set_enabled(db, 1);
        return 0;
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
