/* test_db.c: migrations, transactions and statement binding of the storage layer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/db.h"
#include "core/embed.h"

static int
migrations_embedded(void)
{
        int n = 0;
        for (const struct embedded_file *m = embedded_migrations; m->name; m++)
                n++;
        return n;
}

static void
test_migrations_once_in_order(void **state)
{
        (void)state;
        char path[] = "/tmp/murafiq-test-db-XXXXXX";
        int fd = mkstemp(path);
        assert_true(fd >= 0);
        close(fd);
        unlink(path);
        struct db *db = db_open(path, 1);
        assert_non_null(db);
        assert_int_equal(db_schema_version(db), migrations_embedded());
        sqlite3_stmt *st = db_stmt(db, "SELECT COUNT(*), MIN(version) FROM schema_migration");
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        assert_int_equal(sqlite3_column_int(st, 0), migrations_embedded());
        assert_int_equal(sqlite3_column_int(st, 1), 1);
        sqlite3_reset(st);
        db_close(db);
        /* Opening again applies nothing twice (a second CREATE TABLE would fail). */
        db = db_open(path, 0);
        assert_non_null(db);
        assert_int_equal(db_schema_version(db), migrations_embedded());
        st = db_stmt(db, "PRAGMA journal_mode");
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        assert_string_equal((const char *)sqlite3_column_text(st, 0), "wal");
        sqlite3_reset(st);
        st = db_stmt(db, "PRAGMA foreign_keys");
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        assert_int_equal(sqlite3_column_int(st, 0), 1);
        sqlite3_reset(st);
        db_close(db);
        char wal[64], shm[64];
        snprintf(wal, sizeof(wal), "%s-wal", path);
        snprintf(shm, sizeof(shm), "%s-shm", path);
        unlink(path);
        unlink(wal);
        unlink(shm);
}

static void
test_rollback_leaves_nothing(void **state)
{
        (void)state;
        struct db *db = db_open(":memory:", 1);
        assert_non_null(db);
        assert_int_equal(db_exec(db, "CREATE TABLE t (x INTEGER NOT NULL UNIQUE)"), 0);
        assert_int_equal(db_begin(db), 0);
        sqlite3_stmt *st = db_stmt(db, "INSERT INTO t (x) VALUES (:x)");
        assert_int_equal(db_bind_int(st, ":x", 1), SQLITE_OK);
        assert_int_equal(sqlite3_step(st), SQLITE_DONE);
        st = db_stmt(db, "INSERT INTO t (x) VALUES (:x)"); /* cached: same statement, reset */
        db_bind_int(st, ":x", 1);
        assert_int_equal(sqlite3_step(st), SQLITE_CONSTRAINT_UNIQUE);
        sqlite3_reset(st);
        db_rollback(db);
        db_rollback(db); /* harmless without a transaction */
        st = db_stmt(db, "SELECT COUNT(*) FROM t");
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        assert_int_equal(sqlite3_column_int(st, 0), 0);
        sqlite3_reset(st);
        /* A named parameter used twice is one binding. */
        st = db_stmt(db, "SELECT :v + :v");
        db_bind_int(st, ":v", 21);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        assert_int_equal(sqlite3_column_int(st, 0), 42);
        sqlite3_reset(st);
        db_close(db);
}

int
main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_migrations_once_in_order),
            cmocka_unit_test(test_rollback_leaves_nothing),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
