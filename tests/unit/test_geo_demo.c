/* test_geo_demo.c: loading the embedded geography, the geography cache, and the demo data. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/db.h"
#include "core/secret.h"
#include "core/text.h"
#include "demo/demo.h"
#include "registry/geo.h"

/* A temporary directory per test binary run, removed at the end. */
static char tmpdir[64];
static int db_count;

static int
group_setup(void **state)
{
        (void)state;
        snprintf(tmpdir, sizeof(tmpdir), "/tmp/murafiq-test-geo-XXXXXX");
        /* The demo encrypts national ID numbers with the process's key. */
        static const unsigned char master[SECRET_KEY_BYTES] = "0123456789abcdef0123456789abcde";
        secret_key_set_process(secret_key_from_bytes(master));
        return mkdtemp(tmpdir) && secret_key_process() ? 0 : -1;
}

static int
group_teardown(void **state)
{
        (void)state;
        char path[128];
        for (int i = 0; i < db_count; i++) {
                static const char *const suffix[] = {"", "-wal", "-shm"};
                for (int k = 0; k < 3; k++) {
                        snprintf(path, sizeof(path), "%s/%d.db%s", tmpdir, i, suffix[k]);
                        unlink(path);
                }
        }
        rmdir(tmpdir);
        return 0;
}

/* SQL nid_open(box): the national ID number a box holds (NULL for none, 'UNREADABLE' when it
 * does not open with the process's key). */
static void
sql_nid_open(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
        (void)argc;
        if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
                sqlite3_result_null(ctx);
                return;
        }
        char out[SECRET_TEXT_MAX + 1];
        size_t n = (size_t)sqlite3_value_bytes(argv[0]);
        long len = n <= SECRET_BOX_MAX
                       ? secret_open(secret_key_process(), sqlite3_value_blob(argv[0]), n, out)
                       : -1;
        sqlite3_result_text(ctx, len < 0 ? "UNREADABLE" : out, -1, SQLITE_TRANSIENT);
}

/* SQL nid_hash(text): its keyed hash under the process's key. */
static void
sql_nid_hash(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
        (void)argc;
        unsigned char h[SECRET_HASH_BYTES];
        const char *t = (const char *)sqlite3_value_text(argv[0]);
        if (t == NULL || secret_hash(secret_key_process(), t, h) != 0)
                sqlite3_result_null(ctx);
        else
                sqlite3_result_blob(ctx, h, sizeof(h), SQLITE_TRANSIENT);
}

/* A new database with the migrations applied and, when geo is set, the geography loaded. */
static struct db *
new_db(int geo)
{
        char path[128];
        snprintf(path, sizeof(path), "%s/%d.db", tmpdir, db_count++);
        struct db *db = db_open(path, 1);
        assert_non_null(db);
        assert_int_equal(sqlite3_create_function(db->h, "nid_open", 1, SQLITE_UTF8, NULL,
                                                 sql_nid_open, NULL, NULL),
                         SQLITE_OK);
        assert_int_equal(sqlite3_create_function(db->h, "nid_hash", 1, SQLITE_UTF8, NULL,
                                                 sql_nid_hash, NULL, NULL),
                         SQLITE_OK);
        if (geo)
                assert_int_equal(geo_load(db), 0);
        return db;
}

/* The single integer that sql returns. */
static long long
q1(struct db *db, const char *sql)
{
        sqlite3_stmt *st = NULL;
        if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) != SQLITE_OK)
                fail_msg("%s: %s", sql, sqlite3_errmsg(db->h));
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        long long v = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
        return v;
}

/* The text that sql returns, copied into out. */
static void
qtext(struct db *db, const char *sql, char *out, size_t n)
{
        sqlite3_stmt *st = NULL;
        if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) != SQLITE_OK)
                fail_msg("%s: %s", sql, sqlite3_errmsg(db->h));
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        const unsigned char *t = sqlite3_column_text(st, 0);
        snprintf(out, n, "%s", t ? (const char *)t : "(null)");
        sqlite3_finalize(st);
}

/* FNV-1a over every column of every row of sql (NULL differs from ""). */
static uint64_t
qhash(struct db *db, const char *sql)
{
        sqlite3_stmt *st = NULL;
        uint64_t h = 0xcbf29ce484222325ULL;
        if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) != SQLITE_OK)
                fail_msg("%s: %s", sql, sqlite3_errmsg(db->h));
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
                for (int i = 0; i < sqlite3_column_count(st); i++) {
                        const unsigned char *t = sqlite3_column_text(st, i);
                        int len = sqlite3_column_bytes(st, i);
                        unsigned char mark = t ? 1 : 2;
                        h = (h ^ mark) * 0x100000001b3ULL;
                        for (int k = 0; t && k < len; k++)
                                h = (h ^ t[k]) * 0x100000001b3ULL;
                }
        }
        assert_int_equal(rc, SQLITE_DONE);
        sqlite3_finalize(st);
        return h;
}

static void
test_geo_load(void **state)
{
        (void)state;
        struct db *db = new_db(1);
        char s[256];

        assert_int_equal(q1(db, "SELECT count(*) FROM region"), 12);
        assert_int_equal(q1(db, "SELECT count(*) FROM province"), 75);
        assert_int_equal(q1(db, "SELECT count(*) FROM province WHERE kind = 'prefecture'"), 13);
        assert_int_equal(q1(db, "SELECT count(*) FROM commune"), 1503);
        assert_int_equal(q1(db, "SELECT count(*) FROM commune WHERE kind = 'urban'"), 242);

        qtext(db, "SELECT name_fr FROM region WHERE code = '06'", s, sizeof(s));
        assert_string_equal(s, "Casablanca-Settat");
        qtext(db, "SELECT name_ar FROM region WHERE code = '06'", s, sizeof(s));
        assert_string_equal(s, "الدار البيضاء-سطات");
        qtext(db, "SELECT name_en FROM region WHERE code = '07'", s, sizeof(s));
        assert_string_equal(s, "Marrakesh-Safi");
        qtext(db, "SELECT iso_code FROM region WHERE code = '11'", s, sizeof(s));
        assert_string_equal(s, "MA-11");
        qtext(db,
              "SELECT name_fr || '|' || kind || '|' || region_code FROM province"
              " WHERE code = '01.511'",
              s, sizeof(s));
        assert_string_equal(s, "Tanger-Assilah|prefecture|01");
        /* HCP places Chtouka-Aït Baha in Souss-Massa (iso-codes says MA-06). */
        qtext(db, "SELECT region_code FROM province WHERE name_fr = 'Chtouka-Aït Baha'", s,
              sizeof(s));
        assert_string_equal(s, "09");
        qtext(db, "SELECT region_code FROM province WHERE name_fr = 'Nouaceur'", s, sizeof(s));
        assert_string_equal(s, "06");
        qtext(db,
              "SELECT name_fr || '|' || kind || '|' || province_code FROM commune"
              " WHERE code = '01.511.01.0'",
              s, sizeof(s));
        assert_string_equal(s, "Tanger|urban|01.511");
        /* Codes keep their leading zeros and nest. */
        assert_int_equal(q1(db, "SELECT count(*) FROM commune c JOIN province p"
                                " ON p.code = c.province_code"
                                " WHERE p.region_code <> c.region_code"
                                " OR substr(c.code, 1, 6) <> c.province_code"),
                         0);
        assert_int_equal(
            q1(db, "SELECT count(*) FROM province WHERE substr(code, 1, 2) <> region_code"), 0);

        /* A second load violates the primary keys: refused, nothing half-written. */
        assert_int_equal(geo_load(db), -1);
        assert_int_equal(q1(db, "SELECT count(*) FROM commune"), 1503);
        db_close(db);
}

static void
test_geo_cache(void **state)
{
        (void)state;
        struct db *db = new_db(1);
        const struct geo *g = geo_cache_load(db);
        assert_non_null(g);
        assert_int_equal(g->n_regions, 12);
        assert_int_equal(g->n_provinces, 75);
        assert_int_equal(g->n_communes, 1503);

        const struct geo_region *r = geo_region(g, "06");
        assert_non_null(r);
        assert_string_equal(r->name[LANG_FR], "Casablanca-Settat");
        assert_string_equal(r->name[LANG_EN], "Casablanca-Settat");
        assert_string_equal(r->iso_code, "MA-06");
        assert_null(geo_region(g, "13"));
        assert_null(geo_region(g, "6"));
        assert_null(geo_region(g, NULL));
        assert_string_equal(geo_region(g, "01")->code, "01");
        assert_string_equal(geo_region(g, "12")->code, "12");

        const struct geo_province *p = geo_province(g, "01.511");
        assert_non_null(p);
        assert_string_equal(p->name[LANG_FR], "Tanger-Assilah");
        assert_string_equal(p->name[LANG_AR], "طنجة-أصيلة");
        assert_string_equal(p->name[LANG_EN], "Tanger-Assilah"); /* falls back to French */
        assert_string_equal(p->kind, "prefecture");
        p = geo_province(g, "09.163");
        assert_non_null(p);
        assert_string_equal(p->region_code, "09");
        assert_string_equal(p->name[LANG_FR], "Chtouka-Aït Baha");
        assert_null(geo_province(g, "09.999"));

        const struct geo_commune *c = geo_commune(g, "01.511.01.0");
        assert_non_null(c);
        assert_string_equal(c->name[LANG_FR], "Tanger");
        assert_string_equal(c->province_code, "01.511");
        assert_string_equal(c->region_code, "01");
        assert_string_equal(c->kind, "urban");
        assert_null(geo_commune(g, "01.511.01"));

        /* Slices: every province of a region, sorted by folded French name. */
        size_t n, total = 0;
        const struct geo_province *ps = geo_provinces_of(g, "09", &n);
        assert_int_equal(n, 6);
        for (size_t i = 0; i < n; i++)
                assert_string_equal(ps[i].region_code, "09");
        assert_string_equal(ps[0].name[LANG_FR], "Agadir-Ida-Ou-Tanane");
        assert_string_equal(ps[1].name[LANG_FR], "Chtouka-Aït Baha");
        assert_null(geo_provinces_of(g, "99", &n));
        assert_int_equal(n, 0);
        for (size_t i = 0; i < g->n_regions; i++) {
                geo_provinces_of(g, g->regions[i].code, &n);
                total += n;
        }
        assert_int_equal(total, 75);

        const struct geo_commune *cs = geo_communes_of(g, "01.511", &n);
        assert_int_equal(n, 12);
        for (size_t i = 0; i < n; i++)
                assert_string_equal(cs[i].province_code, "01.511");
        total = 0;
        for (size_t i = 0; i < g->n_provinces; i++) {
                cs = geo_communes_of(g, g->provinces[i].code, &n);
                assert_true(n > 0);
                assert_ptr_equal(geo_commune(g, cs[0].code), &cs[0]);
                total += n;
        }
        assert_int_equal(total, 1503);
        assert_null(geo_communes_of(g, "01.999", &n));
        assert_int_equal(n, 0);

        /* Every commune is found by code, and points into the sorted array. */
        for (size_t i = 0; i < g->n_communes; i++)
                assert_ptr_equal(geo_commune(g, g->communes[i].code), &g->communes[i]);
        for (size_t i = 0; i < g->n_provinces; i++)
                assert_ptr_equal(geo_province(g, g->provinces[i].code), &g->provinces[i]);

        geo_cache_free(g);
        geo_cache_free(NULL);
        db_close(db);
}

static const char *const coop_rows =
    "SELECT id, register_number, name_ar, name_fr, name_fold, legal_date, activity_start_date,"
    " sector, activity, region_code, province_code, commune_code, address, phone, email,"
    " members_total, members_women, members_youth, is_soulalyate, is_women_only, status,"
    " notes, version, created_at, updated_at FROM cooperative ORDER BY id";
/* Every column but the box, whose nonce is random: what it holds is compared instead. */
static const char *const person_rows =
    "SELECT p.id, p.name_ar, p.name_fr, p.name_fold, p.sex, p.birth_date, p.phone, p.national_id,"
    " nid_open(p.national_id_box), p.national_id_hash, p.region_code, p.province_code,"
    " p.version, p.created_at, p.updated_at, m.cooperative_id, m.role FROM person p"
    " JOIN membership m ON m.person_id = p.id ORDER BY p.id";

/* Generates a small demo with seed into a new database; returns it, with its geo in *gp. */
static struct db *
demo_db(unsigned long seed, const struct geo **gp)
{
        struct db *db = new_db(1);
        const struct geo *g = geo_cache_load(db);
        assert_non_null(g);
        assert_int_equal(demo_generate(db, g, 0, seed, NULL), 0);
        *gp = g;
        return db;
}

static void
test_demo_deterministic(void **state)
{
        (void)state;
        const struct geo *g1, *g2, *g3;
        struct db *a = demo_db(1, &g1);
        struct db *b = demo_db(1, &g2);
        struct db *c = demo_db(2, &g3);

        assert_int_equal(q1(a, "SELECT count(*) FROM cooperative"), 2000);
        assert_true(qhash(a, coop_rows) == qhash(b, coop_rows));
        assert_true(qhash(a, person_rows) == qhash(b, person_rows));
        assert_true(qhash(a, "SELECT * FROM organisation ORDER BY id") ==
                    qhash(b, "SELECT * FROM organisation ORDER BY id"));
        assert_true(qhash(a, coop_rows) != qhash(c, coop_rows));
        assert_true(qhash(a, person_rows) != qhash(c, person_rows));

        geo_cache_free(g1);
        geo_cache_free(g2);
        geo_cache_free(g3);
        db_close(a);
        db_close(b);
        db_close(c);
}

static void
test_demo_shape(void **state)
{
        (void)state;
        const struct geo *g;
        struct db *db = demo_db(7, &g);
        long long n = q1(db, "SELECT count(*) FROM cooperative");
        assert_int_equal(n, 2000);

        /* Sectors: agriculture about 64%; every code is a known one. */
        long long agri = q1(db, "SELECT count(*) FROM cooperative WHERE sector = 'agriculture'");
        assert_in_range(agri * 100 / n, 58, 70);
        assert_int_equal(q1(db, "SELECT count(*) FROM cooperative WHERE sector NOT IN"
                                " ('agriculture', 'handicraft', 'housing', 'argan', 'fishing',"
                                " 'forestry', 'food_products', 'trade_services', 'transport',"
                                " 'other')"),
                         0);
        assert_true(q1(db, "SELECT count(DISTINCT sector) FROM cooperative") >= 9);
        /* Argan is in the arganeraie. */
        assert_int_equal(q1(db, "SELECT count(*) FROM cooperative WHERE sector = 'argan'"
                                " AND region_code NOT IN ('07', '09', '10')"),
                         0);

        /* Women-only about 12%; women about 34.5% of members; youth about 2.3%. */
        long long wonly = q1(db, "SELECT count(*) FROM cooperative WHERE is_women_only = 1");
        assert_in_range(wonly * 100 / n, 9, 15);
        long long members = q1(db, "SELECT sum(members_total) FROM cooperative");
        long long women = q1(db, "SELECT sum(members_women) FROM cooperative");
        long long youth = q1(db, "SELECT sum(members_youth) FROM cooperative");
        assert_in_range(women * 100 / members, 30, 40);
        assert_in_range(youth * 1000 / members, 10, 40);
        assert_in_range(members * 10 / n, 100, 145); /* about 12 members per cooperative */
        assert_int_equal(q1(db,
                            "SELECT count(*) FROM cooperative WHERE members_women > members_total"
                            " OR members_youth > members_total OR members_total < 5"
                            " OR (is_women_only = 1 AND members_women <> members_total)"),
                         0);
        long long soul = q1(db, "SELECT count(*) FROM cooperative WHERE is_soulalyate = 1");
        assert_in_range(soul * 1000 / n, 10, 60);
        long long dormant = q1(db, "SELECT count(*) FROM cooperative WHERE status = 'dormant'");
        assert_in_range(dormant * 100 / n, 10, 20);

        /* Register numbers are unique and shaped year/sequence-region. */
        assert_int_equal(q1(db, "SELECT count(DISTINCT register_number) FROM cooperative"), n);
        assert_int_equal(q1(db, "SELECT count(*) FROM cooperative WHERE register_number NOT GLOB"
                                " '[12][09][0-9][0-9]/[1-9]*-[01][0-9]'"
                                " OR substr(register_number, -2) <> region_code"
                                " OR substr(register_number, 1, 4) <> substr(legal_date, 1, 4)"),
                         0);

        /* Dates: 1995 to before the reference date; activity starts within 18 months. */
        assert_int_equal(q1(db, "SELECT count(*) FROM cooperative WHERE legal_date < '1995-01-01'"
                                " OR legal_date >= '" DEMO_REFERENCE_DATE "'"
                                " OR activity_start_date < legal_date"
                                " OR activity_start_date >= '" DEMO_REFERENCE_DATE "'"
                                " OR julianday(activity_start_date) - julianday(legal_date) > 549"),
                         0);
        long long recent =
            q1(db, "SELECT count(*) FROM cooperative WHERE legal_date >= '2021-11-01'");
        assert_in_range(recent * 100 / n, 30, 55);

        /* Geography nests. */
        assert_int_equal(q1(db,
                            "SELECT count(*) FROM cooperative c JOIN province p"
                            " ON p.code = c.province_code WHERE p.region_code <> c.region_code"),
                         0);
        assert_int_equal(q1(db,
                            "SELECT count(*) FROM cooperative c JOIN commune m"
                            " ON m.code = c.commune_code WHERE m.province_code <> c.province_code"),
                         0);
        assert_int_equal(q1(db, "SELECT count(*) FROM cooperative WHERE commune_code IS NULL"), 0);
        assert_true(q1(db, "SELECT count(DISTINCT region_code) FROM cooperative") == 12);

        /* Members: one person and one membership each; one president, treasurer, secretary per
         * cooperative; sexes and ages agree with the counts. */
        assert_int_equal(q1(db, "SELECT count(*) FROM person"), members);
        assert_int_equal(q1(db, "SELECT count(*) FROM membership"), members);
        assert_int_equal(q1(db, "SELECT count(*) FROM person WHERE sex = 'F'"), women);
        assert_int_equal(q1(db, "SELECT count(*) FROM (SELECT cooperative_id FROM membership"
                                " WHERE role = 'president' GROUP BY cooperative_id"
                                " HAVING count(*) = 1)"),
                         n);
        assert_int_equal(q1(db, "SELECT count(*) FROM membership WHERE role = 'treasurer'"), n);
        assert_int_equal(q1(db, "SELECT count(*) FROM membership WHERE role = 'secretary'"), n);
        assert_int_equal(q1(db,
                            "SELECT count(*) FROM cooperative c WHERE members_women <>"
                            " (SELECT count(*) FROM membership m JOIN person p"
                            " ON p.id = m.person_id WHERE m.cooperative_id = c.id"
                            " AND p.sex = 'F')"
                            " OR members_youth <> (SELECT count(*) FROM membership m"
                            " JOIN person p ON p.id = m.person_id WHERE m.cooperative_id = c.id"
                            " AND p.birth_date > date('" DEMO_REFERENCE_DATE "', '-35 years'))"),
                         0);
        assert_int_equal(q1(db,
                            "SELECT count(*) FROM person p JOIN membership m"
                            " ON m.person_id = p.id JOIN cooperative c ON c.id = m.cooperative_id"
                            " WHERE p.region_code <> c.region_code"
                            " OR p.province_code <> c.province_code"),
                         0);
        assert_int_equal(q1(db, "SELECT count(*) FROM person WHERE birth_date < '1950-01-01'"
                                " OR birth_date > '2006-12-31'"),
                         0);
        /* National ID numbers: encrypted, each with its keyed hash, none in plain text. */
        assert_int_equal(q1(db, "SELECT count(*) FROM person WHERE national_id <> ''"), 0);
        long long ids = q1(db, "SELECT count(*) FROM person WHERE national_id_box IS NOT NULL");
        assert_in_range(ids * 100 / members, 60, 80);
        assert_int_equal(q1(db, "SELECT count(*) FROM person"
                                " WHERE (national_id_box IS NULL) <> (national_id_hash IS NULL)"),
                         0);
        assert_int_equal(q1(db, "SELECT count(*) FROM person WHERE national_id_box IS NOT NULL"
                                " AND (nid_open(national_id_box) NOT GLOB"
                                " '[A-Z]*[0-9][0-9][0-9][0-9][0-9][0-9]'"
                                " OR national_id_hash IS NOT nid_hash(nid_open(national_id_box)))"),
                         0);
        assert_int_equal(q1(db, "SELECT count(DISTINCT national_id_hash) FROM person"
                                " WHERE national_id_hash IS NOT NULL"),
                         ids);
        assert_int_equal(q1(db, "SELECT count(DISTINCT nid_open(national_id_box)) FROM person"
                                " WHERE national_id_box IS NOT NULL"),
                         ids);

        /* Search folding is filled. */
        assert_int_equal(q1(db, "SELECT count(*) FROM cooperative WHERE name_fold = ''"), 0);
        assert_int_equal(q1(db, "SELECT count(*) FROM person WHERE name_fold = ''"), 0);
        assert_int_equal(q1(db, "SELECT count(*) FROM cooperative WHERE name_fold NOT LIKE"
                                " '%cooperative%'"),
                         0);

        /* Organisations. */
        assert_true(q1(db, "SELECT count(*) FROM organisation") >= 40);
        assert_int_equal(q1(db, "SELECT count(*) FROM organisation WHERE acronym = 'ODCO'"
                                " AND kind = 'public_body'"),
                         1);
        assert_true(q1(db, "SELECT count(DISTINCT kind) FROM organisation") >= 5);

        geo_cache_free(g);
        db_close(db);
}

int
main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_geo_load),
            cmocka_unit_test(test_geo_cache),
            cmocka_unit_test(test_demo_deterministic),
            cmocka_unit_test(test_demo_shape),
        };
        return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
