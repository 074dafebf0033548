/* db.h: the storage connection: SQLite opened in WAL mode, migrations, cached prepared
 * statements bound by name, and transactions. Every SQL string is a literal in a store file. */
#ifndef MURAFIQ_DB_H
#define MURAFIQ_DB_H

#include <stddef.h>

#include <sqlite3.h>

struct arena;

#define DB_STMT_CACHE 512 /* statement literals of every store; prepared lazily */

struct db {
        sqlite3 *h;
        /* Statements keyed by the address of their SQL literal: prepared once per connection. */
        struct {
                const char *sql;
                sqlite3_stmt *st;
        } cache[DB_STMT_CACHE];
        /* Successful db_commit calls: a request that failed half-way knows whether it wrote. */
        unsigned long commits;
        /* Who the audit trail names for the writes of this connection (core/audit.h). */
        struct {
                long long user_id;
                char login[128];
                char ip[64];
                int off;
        } actor;
};

/* Opens path (creating it when create is set), sets WAL, foreign keys and a busy timeout, and
 * applies pending migrations. Returns NULL and prints a one-line reason on failure. */
struct db *db_open(const char *path, int create);
/* Finalises every cached statement and closes. Accepts NULL. */
void db_close(struct db *db);

/* Returns the cached statement for the SQL literal sql, reset and with bindings cleared, or
 * NULL (the error is logged). sql must be a string literal (its address is the cache key). */
sqlite3_stmt *db_stmt(struct db *db, const char *sql);

/* Bind by parameter name (":name"), never by position, so the SQL can be ported to $N. A
 * missing name is a programming error and aborts in debug builds. Return SQLITE_OK or error. */
int db_bind_text(sqlite3_stmt *st, const char *name, const char *value);
int db_bind_int(sqlite3_stmt *st, const char *name, long long value);
int db_bind_null(sqlite3_stmt *st, const char *name);
/* Binds n bytes of value as a BLOB (copied); NULL value binds NULL. */
int db_bind_blob(sqlite3_stmt *st, const char *name, const void *value, size_t n);
/* 1 when the statement has the parameter name: for statements of several shapes that leave out
 * what they do not need (binding a name that is not in the SQL is a bug, and asserts). */
int db_has_param(sqlite3_stmt *st, const char *name);

/* Copies column i (text; NULL gives "") into the arena. */
char *db_col_text(struct arena *a, sqlite3_stmt *st, int i);
long long db_col_int(sqlite3_stmt *st, int i);

/* Transactions. db_begin takes the write lock at once (BEGIN IMMEDIATE) so a writer never fails
 * half-way on a lock upgrade. Return 0 or -1. */
int db_begin(struct db *db);
int db_commit(struct db *db);
/* Rolls back when a transaction is open; harmless otherwise. */
void db_rollback(struct db *db);
/* After a request was abandoned half-way (out of memory): resets every statement of the
 * connection, then rolls back. */
void db_abandon(struct db *db);

/* Runs one statement without results (DDL, PRAGMA). */
int db_exec(struct db *db, const char *sql);

/* Current schema version (the number of the last migration applied). */
int db_schema_version(struct db *db);

/* Online backup of db into a new file dest (SQLite backup API). Returns 0 or -1. */
int db_backup(struct db *db, const char *dest);

/* A sortable UTC timestamp "YYYY-MM-DDTHH:MM:SSZ" in the arena. */
char *db_now(struct arena *a);

#endif
