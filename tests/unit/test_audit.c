/* test_audit.c: the triggers' diff (audit_changes) against the json_object path it replaced
 * (audit_diff), value by value; exact details of writes; the chain they append to. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/audit.h"
#include "core/db.h"

/* Values as SQL expressions: every type, the edges of each, and what jansson refuses. */
static const char *const values[] = {
    "NULL",
    "0",
    "1",
    "-7",
    "9223372036854775807",
    "-9223372036854775808",
    "5.0",
    "0.1",
    "-0.0",
    "1.5e300",
    "123456789012345678.0",
    "1e-7",
    "9e999", /* Inf: json_object writes it, jansson refuses it */
    "''",
    "' '",
    "'0'",
    "'5.0'",
    "'x'",
    "'تعاونية النساء'",
    "'Coopérative Al Ikhlass'",
    "'a\"b\\c/d'",
    "'''quoted'''",
    "char(1, 9, 10, 13, 8, 12, 31, 127, 32)",
    "char(0x2028, 0x1F600)",
    "'a' || char(0) || 'b'",     /* \u0000: refused */
    "CAST(x'ff' AS TEXT)",       /* invalid UTF-8: refused */
    "CAST(x'c0af' AS TEXT)",     /* overlong */
    "CAST(x'eda080' AS TEXT)",   /* a surrogate */
    "CAST(x'f4908080' AS TEXT)", /* past U+10FFFF */
    "CAST(x'e282' AS TEXT)",     /* truncated */
    "x'00ff'",                   /* a BLOB: json_object fails the statement */
    "zeroblob(0)",
};
#define NVALUES (sizeof(values) / sizeof(values[0]))

static char path[64];
/* How many comparisons gave a detail, no entry, a failed statement: each must occur. */
static int outcomes[3];

static struct db *
open_fresh(void)
{
        snprintf(path, sizeof(path), "/tmp/murafiq-test-audit-XXXXXX");
        int fd = mkstemp(path);
        assert_true(fd >= 0);
        close(fd);
        unlink(path);
        struct db *db = db_open(path, 1);
        assert_non_null(db);
        return db;
}

static void
remove_db(struct db *db)
{
        db_close(db);
        char p[80];
        unlink(path);
        snprintf(p, sizeof(p), "%s-wal", path);
        unlink(p);
        snprintf(p, sizeof(p), "%s-shm", path);
        unlink(p);
}

/* Runs a one-value SELECT; out gets the text ("<NULL>" for NULL, "<ERROR>" on failure). */
static void
select_one(struct db *db, const char *sql, char *out, size_t n)
{
        sqlite3_stmt *st = NULL;
        if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) != SQLITE_OK) {
                fail_msg("prepare: %s: %s", sqlite3_errmsg(db->h), sql);
                return;
        }
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) == SQLITE_NULL)
                snprintf(out, n, "<NULL>");
        else if (rc == SQLITE_ROW)
                snprintf(out, n, "%s", (const char *)sqlite3_column_text(st, 0));
        else
                snprintf(out, n, "<ERROR>");
        sqlite3_finalize(st);
}

/* Both paths for one row of columns (names[i], before[i], after[i]); before or after NULL
 * for an insert or a delete. secret marks which columns enter as hex and are masked. */
static void
check_same(struct db *db, int ncols, const char *const *names, const int *secret,
           const char *const *before, const char *const *after)
{
        char old_sql[8192], new_sql[8192];
        size_t o = 0, w = 0;
        char kind = before && after ? 'u' : after ? 'i' : 'd';
        o += (size_t)snprintf(old_sql + o, sizeof(old_sql) - o, "SELECT audit_diff(");
        w += (size_t)snprintf(new_sql + w, sizeof(new_sql) - w, "SELECT audit_changes('%c", kind);
        for (int i = 0; i < ncols; i++)
                new_sql[w++] = secret[i] ? '*' : '-';
        new_sql[w++] = '\'';
        for (int side = 0; side < 2; side++) {
                const char *const *row = side == 0 ? before : after;
                if (row == NULL) {
                        o += (size_t)snprintf(old_sql + o, sizeof(old_sql) - o, "NULL");
                } else {
                        o += (size_t)snprintf(old_sql + o, sizeof(old_sql) - o, "json_object(");
                        for (int i = 0; i < ncols; i++)
                                o += (size_t)snprintf(old_sql + o, sizeof(old_sql) - o,
                                                      "%s'%s',%s(%s)", i ? "," : "", names[i],
                                                      secret[i] ? "hex" : "", row[i]);
                        old_sql[o++] = ')';
                }
                old_sql[o++] = side == 0 ? ',' : ')';
        }
        old_sql[o] = '\0';
        for (int i = 0; i < ncols; i++) {
                w += (size_t)snprintf(new_sql + w, sizeof(new_sql) - w, ",'%s'", names[i]);
                for (int side = 0; side < 2; side++) {
                        const char *const *row = side == 0 ? before : after;
                        if (row)
                                w += (size_t)snprintf(new_sql + w, sizeof(new_sql) - w, ",%s(%s)",
                                                      secret[i] ? "hex" : "", row[i]);
                }
        }
        snprintf(new_sql + w, sizeof(new_sql) - w, ")");
        char want[4096], got[4096];
        select_one(db, old_sql, want, sizeof(want));
        select_one(db, new_sql, got, sizeof(got));
        if (strcmp(want, got) != 0)
                fail_msg("%s\n  old: %s\n  new: %s", new_sql, want, got);
        outcomes[strcmp(want, "<NULL>") == 0 ? 1 : strcmp(want, "<ERROR>") == 0 ? 2 : 0]++;
}

static void
test_same_as_json_path_each_pair(void **state)
{
        (void)state;
        struct db *db = open_fresh();
        for (int secret = 0; secret < 2; secret++) {
                const char *names[] = {secret ? "api_token" : "name"};
                int marks[] = {secret};
                for (size_t i = 0; i < NVALUES; i++) {
                        check_same(db, 1, names, marks, NULL, &values[i]);
                        check_same(db, 1, names, marks, &values[i], NULL);
                        for (size_t j = 0; j < NVALUES; j++)
                                check_same(db, 1, names, marks, &values[i], &values[j]);
                }
        }
        assert_true(outcomes[0] > 1000 && outcomes[1] > 100 && outcomes[2] > 10);
        remove_db(db);
}

/* Rows of several columns, so that order, separators and a refusal in one column among
 * others are compared too. */
static void
test_same_as_json_path_rows(void **state)
{
        (void)state;
        struct db *db = open_fresh();
        const char *names[] = {"register_number", "name_ar", "password_hash", "members_total",
                               "notes"};
        int marks[] = {0, 0, 1, 0, 0};
        enum { NC = 5 };
        unsigned seed = 12345;
        for (int n = 0; n < 3000; n++) {
                const char *b[NC], *a[NC];
                for (int c = 0; c < NC; c++) {
                        seed = seed * 1103515245u + 12345u;
                        b[c] = values[(seed >> 8) % NVALUES];
                        seed = seed * 1103515245u + 12345u;
                        /* Mostly unchanged, as in real updates. */
                        a[c] = (seed >> 8) % 3 ? b[c] : values[(seed >> 12) % NVALUES];
                }
                check_same(db, NC, names, marks, b, a);
                check_same(db, NC, names, marks, NULL, a);
                check_same(db, NC, names, marks, b, NULL);
        }
        remove_db(db);
}

static void
last_detail(struct db *db, char *out, size_t n)
{
        select_one(db,
                   "SELECT action || ' ' || entity || ' ' || entity_id || ' ' || detail"
                   " FROM audit_log ORDER BY id DESC LIMIT 1",
                   out, n);
}

static long long
count_entries(struct db *db)
{
        char n[32];
        select_one(db, "SELECT count(*) FROM audit_log", n, sizeof(n));
        return strtoll(n, NULL, 10);
}

/* The triggers of a table narrow enough for audit_changes and of one so wide that its
 * updates keep the json_object path write the same details, which are these. */
static void
test_trigger_details(void **state)
{
        (void)state;
        struct db *db = open_fresh();
        char wide[4096];
        size_t w = (size_t)snprintf(wide, sizeof(wide),
                                    "CREATE TABLE t_wide (id INTEGER PRIMARY KEY, name TEXT,"
                                    " n INTEGER, r REAL, api_token TEXT, b BLOB, version INTEGER,"
                                    " name_fold TEXT");
        for (int i = 0; i < 45; i++)
                w += (size_t)snprintf(wide + w, sizeof(wide) - w, ", extra%d TEXT", i);
        snprintf(wide + w, sizeof(wide) - w, ")");
        assert_int_equal(db_exec(db, "CREATE TABLE t_narrow (id INTEGER PRIMARY KEY, name TEXT,"
                                     " n INTEGER, r REAL, api_token TEXT, b BLOB,"
                                     " version INTEGER, name_fold TEXT)"),
                         0);
        assert_int_equal(db_exec(db, wide), 0);
        db_close(db);
        db = db_open(path, 0); /* the triggers of the new tables */
        assert_non_null(db);
        long long before = count_entries(db);

        static const struct {
                const char *sql, *detail;
        } steps[] = {
            {"INSERT INTO %s (name, n, r, api_token, b, version, name_fold) VALUES"
             " ('a\"b\\c', 3, 0.1, 'secret', x'01ff', 1, 'a b c')",
             "insert %s 1 {\"changes\":{\"name\":[null,\"a\\\"b\\\\c\"],\"n\":[null,3],"
             "\"r\":[null,0.10000000000000001],\"api_token\":[null,\"***\"],\"b\":[null,\"01FF\"]}"
             "}"},
            {"UPDATE %s SET name = 'تعاونية', version = 2, name_fold = 'x' WHERE id = 1",
             "update %s 1 {\"changes\":{\"name\":[\"a\\\"b\\\\c\",\"تعاونية\"]}}"},
            {"UPDATE %s SET n = '3', r = 0.1, version = 3 WHERE id = 1", NULL}, /* no change */
            {"UPDATE %s SET n = 4.5, api_token = '', b = NULL WHERE id = 1",
             "update %s 1 {\"changes\":{\"n\":[3,4.5],\"api_token\":[\"***\",null],"
             "\"b\":[\"01FF\",\"\"]}}"},
            {"INSERT INTO %s (id, name, n) VALUES (2, char(10, 9, 1), NULL)",
             "insert %s 2 {\"changes\":{\"name\":[null,\"\\n\\t\\u0001\"]}}"},
            {"DELETE FROM %s WHERE id = 1",
             "delete %s 1 {\"changes\":{\"name\":[\"تعاونية\",null],\"n\":[4.5,null],"
             "\"r\":[0.10000000000000001,null]}}"},
        };
        const char *tables[] = {"t_narrow", "t_wide"};
        for (size_t t = 0; t < 2; t++)
                for (size_t s = 0; s < sizeof(steps) / sizeof(steps[0]); s++) {
                        char sql[512], want[512], got[512];
                        long long n0 = count_entries(db);
                        snprintf(sql, sizeof(sql), steps[s].sql, tables[t]);
                        assert_int_equal(db_exec(db, sql), 0);
                        if (steps[s].detail == NULL) {
                                assert_int_equal(count_entries(db), n0);
                                continue;
                        }
                        assert_int_equal(count_entries(db), n0 + 1);
                        snprintf(want, sizeof(want), steps[s].detail, tables[t]);
                        last_detail(db, got, sizeof(got));
                        assert_string_equal(got, want);
                }
        /* A BLOB where json_object cannot hold one fails the write, as it did. */
        assert_int_not_equal(db_exec(db, "INSERT INTO t_narrow (name) VALUES (x'00')"), 0);
        /* Events append to the same chain, and the chain holds. */
        assert_int_equal(audit_event_pairs(db, "export", "t_narrow", 0, "rows", "2", NULL), 0);
        long long bad = 0;
        const char *why = NULL;
        assert_int_equal(audit_verify(db, &bad, &why), count_entries(db));
        assert_int_equal(count_entries(db), before + 10 + 1);
        remove_db(db);
}

int
main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_same_as_json_path_each_pair),
            cmocka_unit_test(test_same_as_json_path_rows),
            cmocka_unit_test(test_trigger_details),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
