/* db.c: SQLite connection, migrations, statement cache and transactions. */
#include "db.h"

#include <assert.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "arena.h"
#include "audit.h"
#include "embed.h"
#include "log.h"

static int
db_migrate(struct db *db)
{
        int rc = -1;
        if (db_exec(
                db,
                "CREATE TABLE IF NOT EXISTS schema_migration ("
                " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)") != 0)
                return -1;
        int current = db_schema_version(db);
        for (const struct embedded_file *m = embedded_migrations; m->name; m++) {
                int number = (int)strtol(m->name, NULL, 10);
                if (number <= current)
                        continue;
                if (db_begin(db) != 0)
                        return -1;
                char *err = NULL;
                if (sqlite3_exec(db->h, (const char *)m->data, NULL, NULL, &err) != SQLITE_OK) {
                        log_error("migration %s failed: %s", m->name, err ? err : "?");
                        sqlite3_free(err);
                        goto fail;
                }
                sqlite3_stmt *st =
                    db_stmt(db, "INSERT INTO schema_migration (version, name, applied_at)"
                                " VALUES (:v, :n, :t)");
                char now[32];
                time_t t = time(NULL);
                strftime(now, sizeof(now), "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
                if (st == NULL || db_bind_int(st, ":v", number) ||
                    db_bind_text(st, ":n", m->name) || db_bind_text(st, ":t", now) ||
                    sqlite3_step(st) != SQLITE_DONE)
                        goto fail;
                if (db_commit(db) != 0)
                        goto fail;
                current = number;
        }
        rc = 0;
        return rc;
fail:
        db_rollback(db);
        return -1;
}

/* Process-wide settings, which SQLite takes only before its first use. */
static void
db_configure(void)
{
        /* A statement's journal (the pages it changes, kept to undo it alone) stays in memory
         * up to 1 MB instead of SQLite's 64 KB: an insert with its audit trigger touches
         * about 28 pages (115 KB), so every such write created, wrote and deleted a file in
         * /var/tmp; a bulk import spent more time in those writes than in the inserts. Only
         * writers hold one, one write transaction at a time. Fails harmlessly (the default
         * stays) when SQLite was already used, as by the fault build's VFS. */
        sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL, 1 << 20);
}

struct db *
db_open(const char *path, int create)
{
        static pthread_once_t once = PTHREAD_ONCE_INIT;
        pthread_once(&once, db_configure);
        struct db *db = xcalloc(1, sizeof(*db));
        int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
        if (sqlite3_open_v2(path, &db->h, flags, NULL) != SQLITE_OK) {
                log_error("cannot open database %s: %s", path,
                          db->h ? sqlite3_errmsg(db->h) : "out of memory");
                goto fail;
        }
        sqlite3_extended_result_codes(db->h, 1);
        sqlite3_busy_timeout(db->h, 5000);
        /* synchronous=FULL: the WAL is synced at every commit, so an acknowledged write
         * survives a power loss, not only a crash of the process. NORMAL syncs only at
         * checkpoints and could lose the last commits; FULL costs about 2 ms a write here
         * (docs/DURABILITY.md). */
        if (db_exec(db, "PRAGMA journal_mode=WAL") != 0 ||
            db_exec(db, "PRAGMA foreign_keys=ON") != 0 ||
            db_exec(db, "PRAGMA synchronous=FULL") != 0)
                goto fail;
        /* No memory-mapped reads (mmap_size stays 0). Each worker's connection maps the file
         * apart, and every page a scan touches then counts in the process's resident memory
         * once per mapping: 1 GB at national scale with 4 workers, for pages that are the
         * OS's cache. Reading through pread costs the screening of the national registry
         * nothing measurable (docs/PERFORMANCE.md), and the memory measured is the server's. */
        if (db_migrate(db) != 0)
                goto fail;
        /* Every write of this connection is recorded from here on (core/audit.h). */
        if (audit_install(db) != 0)
                goto fail;
        return db;
fail:
        db_close(db);
        return NULL;
}

void
db_close(struct db *db)
{
        if (db == NULL)
                return;
        for (int i = 0; i < DB_STMT_CACHE; i++)
                sqlite3_finalize(db->cache[i].st);
        sqlite3_close(db->h);
        free(db);
}

sqlite3_stmt *
db_stmt(struct db *db, const char *sql)
{
        /* Open addressing on the literal's address. */
        size_t h = ((uintptr_t)sql >> 3) % DB_STMT_CACHE;
        for (int probe = 0; probe < DB_STMT_CACHE; probe++) {
                size_t i = (h + (size_t)probe) % DB_STMT_CACHE;
                if (db->cache[i].sql == sql) {
                        sqlite3_stmt *st = db->cache[i].st;
                        sqlite3_reset(st);
                        sqlite3_clear_bindings(st);
                        return st;
                }
                if (db->cache[i].sql == NULL) {
                        sqlite3_stmt *st = NULL;
                        if (sqlite3_prepare_v3(db->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &st,
                                               NULL) != SQLITE_OK) {
                                log_error("prepare failed: %s: %s", sqlite3_errmsg(db->h), sql);
                                return NULL;
                        }
                        db->cache[i].sql = sql;
                        db->cache[i].st = st;
                        return st;
                }
        }
        log_error("statement cache full");
        abort();
}

static int
param_index(sqlite3_stmt *st, const char *name)
{
        int i = sqlite3_bind_parameter_index(st, name);
        /* A name that is not in the SQL is a bug in the caller, never user input. */
        assert(i > 0);
        return i;
}

int
db_bind_text(sqlite3_stmt *st, const char *name, const char *value)
{
        int i = param_index(st, name);
        if (i == 0)
                return SQLITE_RANGE;
        if (value == NULL)
                return sqlite3_bind_null(st, i);
        return sqlite3_bind_text(st, i, value, -1, SQLITE_TRANSIENT);
}

int
db_has_param(sqlite3_stmt *st, const char *name)
{
        return sqlite3_bind_parameter_index(st, name) > 0;
}

int
db_bind_int(sqlite3_stmt *st, const char *name, long long value)
{
        int i = param_index(st, name);
        return i == 0 ? SQLITE_RANGE : sqlite3_bind_int64(st, i, value);
}

int
db_bind_null(sqlite3_stmt *st, const char *name)
{
        int i = param_index(st, name);
        return i == 0 ? SQLITE_RANGE : sqlite3_bind_null(st, i);
}

int
db_bind_blob(sqlite3_stmt *st, const char *name, const void *value, size_t n)
{
        int i = param_index(st, name);
        if (i == 0)
                return SQLITE_RANGE;
        if (value == NULL)
                return sqlite3_bind_null(st, i);
        return sqlite3_bind_blob64(st, i, value, n, SQLITE_TRANSIENT);
}

char *
db_col_text(struct arena *a, sqlite3_stmt *st, int i)
{
        const unsigned char *s = sqlite3_column_text(st, i);
        int n = sqlite3_column_bytes(st, i);
        return arena_strndup(a, s ? (const char *)s : "", (size_t)n);
}

long long
db_col_int(sqlite3_stmt *st, int i)
{
        return sqlite3_column_int64(st, i);
}

int
db_exec(struct db *db, const char *sql)
{
        char *err = NULL;
        if (sqlite3_exec(db->h, sql, NULL, NULL, &err) != SQLITE_OK) {
                log_error("%s: %s", sql, err ? err : sqlite3_errmsg(db->h));
                sqlite3_free(err);
                return -1;
        }
        return 0;
}

int
db_begin(struct db *db)
{
        return db_exec(db, "BEGIN IMMEDIATE");
}

int
db_commit(struct db *db)
{
        if (db_exec(db, "COMMIT") != 0)
                return -1;
        db->commits++;
        return 0;
}

void
db_rollback(struct db *db)
{
        if (!sqlite3_get_autocommit(db->h))
                sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
}

void
db_abandon(struct db *db)
{
        /* Every statement of the connection, cached or not: one left mid-step would keep its
         * read transaction (and, in a write, the lock) open. */
        for (sqlite3_stmt *st = sqlite3_next_stmt(db->h, NULL); st;
             st = sqlite3_next_stmt(db->h, st))
                sqlite3_reset(st);
        db_rollback(db);
}

int
db_schema_version(struct db *db)
{
        sqlite3_stmt *st = db_stmt(db, "SELECT COALESCE(MAX(version), 0) FROM schema_migration");
        if (st == NULL || sqlite3_step(st) != SQLITE_ROW)
                return -1;
        int v = (int)sqlite3_column_int(st, 0);
        sqlite3_reset(st);
        return v;
}

int
db_backup(struct db *db, const char *dest)
{
        sqlite3 *out = NULL;
        int rc = -1;
        if (sqlite3_open_v2(dest, &out, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
            SQLITE_OK) {
                log_error("cannot create %s: %s", dest,
                          out ? sqlite3_errmsg(out) : "out of memory");
                goto done;
        }
        sqlite3_backup *b = sqlite3_backup_init(out, "main", db->h, "main");
        if (b == NULL) {
                log_error("backup: %s", sqlite3_errmsg(out));
                goto done;
        }
        /* Copy in steps so writers of other connections are not blocked for the whole copy;
         * a write in between restarts the copy, which keeps it consistent. */
        int step;
        while ((step = sqlite3_backup_step(b, 256)) == SQLITE_OK || step == SQLITE_BUSY ||
               step == SQLITE_LOCKED)
                sqlite3_sleep(step == SQLITE_OK ? 0 : 20);
        if (sqlite3_backup_finish(b) != SQLITE_OK || step != SQLITE_DONE) {
                log_error("backup failed: %s", sqlite3_errmsg(out));
                goto done;
        }
        rc = 0;
done:
        sqlite3_close(out);
        return rc;
}

char *
db_now(struct arena *a)
{
        char now[32];
        time_t t = time(NULL);
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(now, sizeof(now), "%Y-%m-%dT%H:%M:%SZ", &tm);
        return arena_strdup(a, now);
}
