/* geo.c: loads the embedded HCP geography (libcsv) into the database, and caches it in memory. */
#include "geo.h"

#include <csv.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/db.h"
#include "core/embed.h"
#include "core/log.h"
#include "core/text.h"

/* ---- CSV reading --------------------------------------------------------------------------- */

/* A parsed CSV file: row 0 is the header; every row has ncols cells. */
struct table {
        const char *file;
        size_t ncols, nrows, cap, line_cap;
        char **cell;  /* nrows * ncols */
        size_t *line; /* line of each row in the file, 1-based */
};

/* Parser state shared with the libcsv callbacks. */
struct reader {
        struct arena *a;
        struct table *t;
        char **row; /* fields of the current record */
        size_t nfields, row_cap;
        size_t line;     /* line where the current record starts */
        size_t newlines; /* newlines inside quoted fields of the current record */
        int prev_term;   /* terminator of the previous record, to count CR LF once */
        int failed;
};

static void geo_error(const char *file, size_t line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
geo_error(const char *file, size_t line, const char *fmt, ...)
{
        char msg[512];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg, sizeof(msg), fmt, ap);
        va_end(ap);
        log_error("geo: %s:%zu: %s", file, line, msg);
}

/* Grows an arena array of items to at least want, doubling (the old copy is
 * abandoned in the arena, which bounds the waste to the final size). */
static void *
grow(struct arena *a, void *old, size_t item, size_t *cap, size_t want)
{
        if (want <= *cap)
                return old;
        size_t n = *cap ? *cap * 2 : 16;
        while (n < want)
                n *= 2;
        void *p = arena_alloc(a, n * item);
        if (old)
                memcpy(p, old, *cap * item);
        *cap = n;
        return p;
}

static void
on_field(void *s, size_t len, void *data)
{
        struct reader *r = data;
        if (r->failed)
                return;
        const char *field = s ? s : "";
        for (size_t i = 0; i < len; i++)
                if (field[i] == '\n')
                        r->newlines++;
        r->row = grow(r->a, r->row, sizeof(char *), &r->row_cap, r->nfields + 1);
        r->row[r->nfields++] = arena_strndup(r->a, field, len);
}

static void
on_record(int c, void *data)
{
        struct reader *r = data;
        struct table *t = r->t;
        if (r->nfields == 0) {
                /* With CSV_REPALL_NL every CR and LF outside a field reports here: the LF of a
                 * CR LF pair belongs to the record before; any other is a blank line. */
                if (!(c == '\n' && r->prev_term == '\r'))
                        r->line++;
                r->prev_term = c;
                return;
        }
        if (!r->failed) {
                if (t->nrows == 0) {
                        t->ncols = r->nfields;
                } else if (r->nfields != t->ncols) {
                        geo_error(t->file, r->line, "%zu fields, the header has %zu", r->nfields,
                                  t->ncols);
                        r->failed = 1;
                }
        }
        if (!r->failed) {
                t->cell = grow(r->a, t->cell, sizeof(char *), &t->cap, (t->nrows + 1) * t->ncols);
                memcpy(t->cell + t->nrows * t->ncols, r->row, t->ncols * sizeof(char *));
                t->line = grow(r->a, t->line, sizeof(size_t), &t->line_cap, t->nrows + 1);
                t->line[t->nrows++] = r->line;
        }
        r->nfields = 0;
        r->line += 1 + r->newlines;
        r->newlines = 0;
        r->prev_term = c;
}

/* Parses the embedded file name into t (strings in a). Returns 0 or -1 (logged). */
static int
table_read(struct arena *a, const char *name, struct table *t)
{
        struct csv_parser p;
        struct reader r = {.a = a, .t = t, .line = 1};
        int rc = -1;
        int inited = 0;

        memset(t, 0, sizeof(*t));
        t->file = name;
        const struct embedded_file *f = embedded_find(embedded_geo, name);
        if (f == NULL) {
                geo_error(name, 0, "not embedded in the binary");
                goto fail;
        }
        if (!text_valid_utf8((const char *)f->data, f->size)) {
                geo_error(name, 0, "not valid UTF-8 text");
                goto fail;
        }
        if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL | CSV_REPALL_NL) != 0) {
                geo_error(name, 0, "csv_init failed");
                goto fail;
        }
        inited = 1;
        if (csv_parse(&p, f->data, f->size, on_field, on_record, &r) != f->size ||
            csv_fini(&p, on_field, on_record, &r) != 0) {
                geo_error(name, r.line, "%s", csv_strerror(csv_error(&p)));
                goto fail;
        }
        if (r.failed)
                goto fail;
        if (t->nrows < 2) {
                geo_error(name, r.line, "no data rows");
                goto fail;
        }
        rc = 0;
fail:
        if (inited)
                csv_free(&p);
        return rc;
}

/* Returns the index of header column name, or -1 (logged). */
static int
table_col(const struct table *t, const char *name)
{
        for (size_t i = 0; i < t->ncols; i++)
                if (strcmp(t->cell[i], name) == 0)
                        return (int)i;
        geo_error(t->file, t->line[0], "the header has no column \"%s\"", name);
        return -1;
}

/* Looks up the columns names[0..n) into idx; returns 0 or -1 (logged). */
static int
table_cols(const struct table *t, const char *const *names, int *idx, size_t n)
{
        int rc = 0;
        for (size_t i = 0; i < n; i++)
                if ((idx[i] = table_col(t, names[i])) < 0)
                        rc = -1;
        return rc;
}

static const char *
cell(const struct table *t, size_t row, int col)
{
        return t->cell[row * t->ncols + (size_t)col];
}

/* ---- Validation ---------------------------------------------------------------------------- */

static int
all_digits(const char *s, size_t n)
{
        for (size_t i = 0; i < n; i++)
                if (s[i] < '0' || s[i] > '9')
                        return 0;
        return 1;
}

/* "NN" */
static int
region_code_ok(const char *s)
{
        return strlen(s) == 2 && all_digits(s, 2);
}

/* "NN.NNN" */
static int
province_code_ok(const char *s)
{
        return strlen(s) == 6 && all_digits(s, 2) && s[2] == '.' && all_digits(s + 3, 3);
}

/* "RR.PPP.CC.N" or "RR.PPP.CC.NN" */
static int
commune_code_ok(const char *s)
{
        size_t n = strlen(s);
        return (n == 11 || n == 12) && all_digits(s, 2) && s[2] == '.' && all_digits(s + 3, 3) &&
               s[6] == '.' && all_digits(s + 7, 2) && s[9] == '.' && all_digits(s + 10, n - 10);
}

/* Parses a non-negative count; returns -1 when s is not one. */
static long
count_parse(const char *s)
{
        if (*s == '\0' || strlen(s) > 6 || !all_digits(s, strlen(s)))
                return -1;
        return strtol(s, NULL, 10);
}

static int
name_ok(const struct table *t, size_t row, int col)
{
        const char *s = cell(t, row, col);
        if (*s == '\0') {
                geo_error(t->file, t->line[row], "empty %s", t->cell[col]);
                return 0;
        }
        return 1;
}

/* Returns the data row of t whose column col equals code, or 0 (the header) when none. */
static size_t
find_row(const struct table *t, int col, const char *code)
{
        for (size_t i = 1; i < t->nrows; i++)
                if (strcmp(cell(t, i, col), code) == 0)
                        return i;
        return 0;
}

enum { R_CODE, R_ISO, R_AR, R_FR, R_EN, R_NPROV, R_NCOMM, R_N };
static const char *const region_cols[R_N] = {"code",    "iso_3166_2", "name_ar", "name_fr",
                                             "name_en", "provinces",  "communes"};
enum { P_CODE, P_REGION, P_TYPE, P_AR, P_FR, P_NCOMM, P_N };
static const char *const province_cols[P_N] = {"code",    "region_code", "type",
                                               "name_ar", "name_fr",     "communes"};
enum { C_CODE, C_PROVINCE, C_REGION, C_TYPE, C_AR, C_FR, C_N };
static const char *const commune_cols[C_N] = {"code", "province_code", "region_code",
                                              "type", "name_ar",       "name_fr"};

/* Checks every row of the three tables and their counts; returns 0 or -1 (logged). */
static int
geo_check(const struct table *rt, const int *rc, const struct table *pt, const int *pc,
          const struct table *ct, const int *cc)
{
        int ok = 1;
        for (size_t i = 1; i < rt->nrows; i++) {
                const char *code = cell(rt, i, rc[R_CODE]);
                const char *iso = cell(rt, i, rc[R_ISO]);
                if (!region_code_ok(code) || find_row(rt, rc[R_CODE], code) != i) {
                        geo_error(rt->file, rt->line[i], "bad or repeated region code \"%s\"",
                                  code);
                        ok = 0;
                }
                if (strncmp(iso, "MA-", 3) != 0 || strcmp(iso + 3, code) != 0) {
                        geo_error(rt->file, rt->line[i], "ISO code \"%s\" is not MA-%s", iso, code);
                        ok = 0;
                }
                ok &=
                    name_ok(rt, i, rc[R_AR]) & name_ok(rt, i, rc[R_FR]) & name_ok(rt, i, rc[R_EN]);
                long np = count_parse(cell(rt, i, rc[R_NPROV]));
                long nc = count_parse(cell(rt, i, rc[R_NCOMM]));
                long have_p = 0, have_c = 0;
                for (size_t j = 1; j < pt->nrows; j++)
                        have_p += strcmp(cell(pt, j, pc[P_REGION]), code) == 0;
                for (size_t j = 1; j < ct->nrows; j++)
                        have_c += strcmp(cell(ct, j, cc[C_REGION]), code) == 0;
                if (np != have_p || nc != have_c) {
                        geo_error(rt->file, rt->line[i],
                                  "region %s announces %ld provinces and %ld communes; the files "
                                  "have %ld and %ld",
                                  code, np, nc, have_p, have_c);
                        ok = 0;
                }
        }
        for (size_t i = 1; i < pt->nrows; i++) {
                const char *code = cell(pt, i, pc[P_CODE]);
                const char *region = cell(pt, i, pc[P_REGION]);
                const char *type = cell(pt, i, pc[P_TYPE]);
                if (!province_code_ok(code) || find_row(pt, pc[P_CODE], code) != i) {
                        geo_error(pt->file, pt->line[i], "bad or repeated province code \"%s\"",
                                  code);
                        ok = 0;
                } else if (find_row(rt, rc[R_CODE], region) == 0 || strncmp(code, region, 2) != 0) {
                        geo_error(pt->file, pt->line[i], "province %s: bad region \"%s\"", code,
                                  region);
                        ok = 0;
                }
                if (strcmp(type, "province") != 0 && strcmp(type, "prefecture") != 0) {
                        geo_error(pt->file, pt->line[i], "unknown type \"%s\"", type);
                        ok = 0;
                }
                ok &= name_ok(pt, i, pc[P_AR]) & name_ok(pt, i, pc[P_FR]);
                long nc = count_parse(cell(pt, i, pc[P_NCOMM]));
                long have_c = 0;
                for (size_t j = 1; j < ct->nrows; j++)
                        have_c += strcmp(cell(ct, j, cc[C_PROVINCE]), code) == 0;
                if (nc != have_c) {
                        geo_error(pt->file, pt->line[i],
                                  "province %s announces %ld communes; the file has %ld", code, nc,
                                  have_c);
                        ok = 0;
                }
        }
        for (size_t i = 1; i < ct->nrows; i++) {
                const char *code = cell(ct, i, cc[C_CODE]);
                const char *province = cell(ct, i, cc[C_PROVINCE]);
                const char *region = cell(ct, i, cc[C_REGION]);
                const char *type = cell(ct, i, cc[C_TYPE]);
                size_t prow = find_row(pt, pc[P_CODE], province);
                if (!commune_code_ok(code)) {
                        geo_error(ct->file, ct->line[i], "bad commune code \"%s\"", code);
                        ok = 0;
                } else if (prow == 0 || strncmp(code, province, 6) != 0 ||
                           strcmp(cell(pt, prow, pc[P_REGION]), region) != 0) {
                        geo_error(ct->file, ct->line[i],
                                  "commune %s: province \"%s\" or region \"%s\" does not match",
                                  code, province, region);
                        ok = 0;
                }
                if (strcmp(type, "urban") != 0 && strcmp(type, "rural") != 0) {
                        geo_error(ct->file, ct->line[i], "unknown type \"%s\"", type);
                        ok = 0;
                }
                ok &= name_ok(ct, i, cc[C_AR]) & name_ok(ct, i, cc[C_FR]);
        }
        /* Repeated commune codes are left to the primary key: the quadratic check is not worth it
         * and the insert names the line. */
        return ok ? 0 : -1;
}

/* ---- Loading into the database ------------------------------------------------------------- */

static int
step_done(struct db *db, sqlite3_stmt *st, const struct table *t, size_t row)
{
        if (sqlite3_step(st) == SQLITE_DONE)
                return 0;
        geo_error(t->file, t->line[row], "insert failed: %s", sqlite3_errmsg(db->h));
        return -1;
}

int
geo_load(struct db *db)
{
        struct arena *a = arena_new();
        struct table rt, pt, ct;
        int rc[R_N], pc[P_N], cc[C_N];
        int began = 0;

        if (table_read(a, "regions.csv", &rt) != 0 || table_read(a, "provinces.csv", &pt) != 0 ||
            table_read(a, "communes.csv", &ct) != 0)
                goto fail;
        if (table_cols(&rt, region_cols, rc, R_N) != 0 ||
            table_cols(&pt, province_cols, pc, P_N) != 0 ||
            table_cols(&ct, commune_cols, cc, C_N) != 0)
                goto fail;
        if (geo_check(&rt, rc, &pt, pc, &ct, cc) != 0)
                goto fail;

        if (db_begin(db) != 0)
                goto fail;
        began = 1;
        for (size_t i = 1; i < rt.nrows; i++) {
                sqlite3_stmt *st =
                    db_stmt(db, "INSERT INTO region (code, iso_code, name_ar, name_fr,"
                                " name_en) VALUES (:code, :iso, :ar, :fr, :en)");
                if (st == NULL || db_bind_text(st, ":code", cell(&rt, i, rc[R_CODE])) ||
                    db_bind_text(st, ":iso", cell(&rt, i, rc[R_ISO])) ||
                    db_bind_text(st, ":ar", cell(&rt, i, rc[R_AR])) ||
                    db_bind_text(st, ":fr", cell(&rt, i, rc[R_FR])) ||
                    db_bind_text(st, ":en", cell(&rt, i, rc[R_EN])) || step_done(db, st, &rt, i))
                        goto fail;
        }
        for (size_t i = 1; i < pt.nrows; i++) {
                sqlite3_stmt *st = db_stmt(db, "INSERT INTO province (code, region_code, kind,"
                                               " name_ar, name_fr)"
                                               " VALUES (:code, :region, :kind, :ar, :fr)");
                if (st == NULL || db_bind_text(st, ":code", cell(&pt, i, pc[P_CODE])) ||
                    db_bind_text(st, ":region", cell(&pt, i, pc[P_REGION])) ||
                    db_bind_text(st, ":kind", cell(&pt, i, pc[P_TYPE])) ||
                    db_bind_text(st, ":ar", cell(&pt, i, pc[P_AR])) ||
                    db_bind_text(st, ":fr", cell(&pt, i, pc[P_FR])) || step_done(db, st, &pt, i))
                        goto fail;
        }
        for (size_t i = 1; i < ct.nrows; i++) {
                sqlite3_stmt *st =
                    db_stmt(db, "INSERT INTO commune (code, province_code, region_code,"
                                " kind, name_ar, name_fr)"
                                " VALUES (:code, :province, :region, :kind, :ar, :fr)");
                if (st == NULL || db_bind_text(st, ":code", cell(&ct, i, cc[C_CODE])) ||
                    db_bind_text(st, ":province", cell(&ct, i, cc[C_PROVINCE])) ||
                    db_bind_text(st, ":region", cell(&ct, i, cc[C_REGION])) ||
                    db_bind_text(st, ":kind", cell(&ct, i, cc[C_TYPE])) ||
                    db_bind_text(st, ":ar", cell(&ct, i, cc[C_AR])) ||
                    db_bind_text(st, ":fr", cell(&ct, i, cc[C_FR])) || step_done(db, st, &ct, i))
                        goto fail;
        }
        if (db_commit(db) != 0)
                goto fail;
        arena_free(a);
        return 0;
fail:
        if (began)
                db_rollback(db);
        arena_free(a);
        return -1;
}

/* ---- The in-memory cache ------------------------------------------------------------------- */

/* Sort record: primary key (parent code), secondary key (folded French name), then code. */
struct sortrec {
        const char *k1, *k2, *code;
        size_t i;
};

static int
sortrec_cmp(const void *x, const void *y)
{
        const struct sortrec *a = x, *b = y;
        int c = strcmp(a->k1, b->k1);
        if (c == 0)
                c = strcmp(a->k2, b->k2);
        if (c == 0)
                c = strcmp(a->code, b->code);
        return c;
}

static const char *
fold_or_self(struct arena *a, const char *s)
{
        const char *f = text_fold(a, s);
        return f ? f : s;
}

static long long
count_rows(struct db *db, const char *sql)
{
        sqlite3_stmt *st = db_stmt(db, sql);
        if (st == NULL || sqlite3_step(st) != SQLITE_ROW)
                return -1;
        long long n = db_col_int(st, 0);
        sqlite3_reset(st);
        return n;
}

static int
province_code_cmp(const void *key, const void *elem)
{
        return strcmp(key, (*(const struct geo_province *const *)elem)->code);
}

static int
commune_code_cmp(const void *key, const void *elem)
{
        return strcmp(key, (*(const struct geo_commune *const *)elem)->code);
}

static int
province_ptr_cmp(const void *x, const void *y)
{
        return strcmp((*(const struct geo_province *const *)x)->code,
                      (*(const struct geo_province *const *)y)->code);
}

static int
commune_ptr_cmp(const void *x, const void *y)
{
        return strcmp((*(const struct geo_commune *const *)x)->code,
                      (*(const struct geo_commune *const *)y)->code);
}

const struct geo *
geo_cache_load(struct db *db)
{
        struct arena *a = arena_new();
        struct arena *tmp = arena_new();
        struct geo *g = arena_alloc(a, sizeof(*g));
        g->arena = a;

        long long nr = count_rows(db, "SELECT count(*) FROM region");
        long long np = count_rows(db, "SELECT count(*) FROM province");
        long long nc = count_rows(db, "SELECT count(*) FROM commune");
        if (nr < 0 || np < 0 || nc < 0)
                goto fail;

        struct geo_region *regions = arena_alloc(a, (size_t)nr * sizeof(*regions));
        sqlite3_stmt *st = db_stmt(db, "SELECT code, iso_code, name_ar, name_fr, name_en"
                                       " FROM region ORDER BY code");
        if (st == NULL)
                goto fail;
        size_t n = 0;
        int s;
        while ((s = sqlite3_step(st)) == SQLITE_ROW && n < (size_t)nr) {
                struct geo_region *r = &regions[n++];
                r->code = db_col_text(a, st, 0);
                r->iso_code = db_col_text(a, st, 1);
                r->name[LANG_AR] = db_col_text(a, st, 2);
                r->name[LANG_FR] = db_col_text(a, st, 3);
                r->name[LANG_EN] = db_col_text(a, st, 4);
        }
        sqlite3_reset(st);
        if (s != SQLITE_DONE && s != SQLITE_ROW)
                goto fail;
        g->regions = regions;
        g->n_regions = n;

        /* Provinces: read in code order, then reorder by region and folded French name. */
        struct geo_province *pread = arena_alloc(tmp, (size_t)np * sizeof(*pread));
        struct sortrec *srt = arena_alloc(tmp, (size_t)(np > nc ? np : nc) * sizeof(*srt));
        st = db_stmt(db, "SELECT code, region_code, kind, name_ar, name_fr FROM province"
                         " ORDER BY code");
        if (st == NULL)
                goto fail;
        n = 0;
        while ((s = sqlite3_step(st)) == SQLITE_ROW && n < (size_t)np) {
                struct geo_province *p = &pread[n];
                p->code = db_col_text(a, st, 0);
                p->region_code = db_col_text(a, st, 1);
                p->kind = db_col_text(a, st, 2);
                p->name[LANG_AR] = db_col_text(a, st, 3);
                p->name[LANG_FR] = db_col_text(a, st, 4);
                p->name[LANG_EN] = p->name[LANG_FR];
                srt[n] = (struct sortrec){p->region_code, fold_or_self(tmp, p->name[LANG_FR]),
                                          p->code, n};
                n++;
        }
        sqlite3_reset(st);
        if (s != SQLITE_DONE && s != SQLITE_ROW)
                goto fail;
        qsort(srt, n, sizeof(*srt), sortrec_cmp);
        struct geo_province *provinces = arena_alloc(a, (n ? n : 1) * sizeof(*provinces));
        const struct geo_province **pidx = arena_alloc(a, (n ? n : 1) * sizeof(*pidx));
        for (size_t i = 0; i < n; i++) {
                provinces[i] = pread[srt[i].i];
                pidx[i] = &provinces[i];
        }
        qsort(pidx, n, sizeof(*pidx), province_ptr_cmp);
        g->provinces = provinces;
        g->provinces_by_code = pidx;
        g->n_provinces = n;

        struct geo_commune *cread = arena_alloc(tmp, (size_t)nc * sizeof(*cread));
        st = db_stmt(db, "SELECT code, province_code, region_code, kind, name_ar, name_fr"
                         " FROM commune ORDER BY code");
        if (st == NULL)
                goto fail;
        n = 0;
        while ((s = sqlite3_step(st)) == SQLITE_ROW && n < (size_t)nc) {
                struct geo_commune *c = &cread[n];
                c->code = db_col_text(a, st, 0);
                c->province_code = db_col_text(a, st, 1);
                c->region_code = db_col_text(a, st, 2);
                c->kind = db_col_text(a, st, 3);
                c->name[LANG_AR] = db_col_text(a, st, 4);
                c->name[LANG_FR] = db_col_text(a, st, 5);
                c->name[LANG_EN] = c->name[LANG_FR];
                srt[n] = (struct sortrec){c->province_code, fold_or_self(tmp, c->name[LANG_FR]),
                                          c->code, n};
                n++;
        }
        sqlite3_reset(st);
        if (s != SQLITE_DONE && s != SQLITE_ROW)
                goto fail;
        qsort(srt, n, sizeof(*srt), sortrec_cmp);
        struct geo_commune *communes = arena_alloc(a, (n ? n : 1) * sizeof(*communes));
        const struct geo_commune **cidx = arena_alloc(a, (n ? n : 1) * sizeof(*cidx));
        for (size_t i = 0; i < n; i++) {
                communes[i] = cread[srt[i].i];
                cidx[i] = &communes[i];
        }
        qsort(cidx, n, sizeof(*cidx), commune_ptr_cmp);
        g->communes = communes;
        g->communes_by_code = cidx;
        g->n_communes = n;

        arena_free(tmp);
        return g;
fail:
        log_error("geo: cannot load the geography: %s", sqlite3_errmsg(db->h));
        arena_free(tmp);
        arena_free(a);
        return NULL;
}

void
geo_cache_free(const struct geo *g)
{
        if (g)
                arena_free(g->arena);
}

const struct geo_region *
geo_region(const struct geo *g, const char *code)
{
        if (code == NULL)
                return NULL;
        size_t lo = 0, hi = g->n_regions;
        while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                int c = strcmp(code, g->regions[mid].code);
                if (c == 0)
                        return &g->regions[mid];
                if (c < 0)
                        hi = mid;
                else
                        lo = mid + 1;
        }
        return NULL;
}

const struct geo_province *
geo_province(const struct geo *g, const char *code)
{
        if (code == NULL || g->n_provinces == 0)
                return NULL;
        const struct geo_province *const *p =
            bsearch(code, g->provinces_by_code, g->n_provinces, sizeof(*p), province_code_cmp);
        return p ? *p : NULL;
}

const struct geo_commune *
geo_commune(const struct geo *g, const char *code)
{
        if (code == NULL || g->n_communes == 0)
                return NULL;
        const struct geo_commune *const *c =
            bsearch(code, g->communes_by_code, g->n_communes, sizeof(*c), commune_code_cmp);
        return c ? *c : NULL;
}

const struct geo_province *
geo_provinces_of(const struct geo *g, const char *region_code, size_t *n)
{
        *n = 0;
        if (region_code == NULL)
                return NULL;
        /* Lower bound of region_code: the array is sorted by region first. */
        size_t lo = 0, hi = g->n_provinces;
        while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                if (strcmp(g->provinces[mid].region_code, region_code) < 0)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        size_t end = lo;
        while (end < g->n_provinces && strcmp(g->provinces[end].region_code, region_code) == 0)
                end++;
        *n = end - lo;
        return *n ? &g->provinces[lo] : NULL;
}

const struct geo_commune *
geo_communes_of(const struct geo *g, const char *province_code, size_t *n)
{
        *n = 0;
        if (province_code == NULL)
                return NULL;
        size_t lo = 0, hi = g->n_communes;
        while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                if (strcmp(g->communes[mid].province_code, province_code) < 0)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        size_t end = lo;
        while (end < g->n_communes && strcmp(g->communes[end].province_code, province_code) == 0)
                end++;
        *n = end - lo;
        return *n ? &g->communes[lo] : NULL;
}
