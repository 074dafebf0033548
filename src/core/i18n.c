/* i18n.c: embedded GNU .mo catalogs and per-thread cached ICU formatters. */
#include "i18n.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include <unicode/udat.h>
#include <unicode/udatpg.h>
#include <unicode/ulistformatter.h>
#include <unicode/unum.h>
#include <unicode/unumberformatter.h>
#include <unicode/ustring.h>

#include "arena.h"
#include "dates.h"
#include "embed.h"

#define MO_MAGIC      0x950412deu
#define MO_HEADER_LEN 28

/* A catalog points into the embedded .mo data; nothing is copied. */
struct catalog {
        const unsigned char *data;
        size_t size;
        uint32_t count;
        uint32_t orig; /* offset of the table of (length, offset) of msgids */
        uint32_t trans;
        int swap;
};

/*
 * A language is described by its catalog's header (po/<code>.po), so that adding one is adding
 * a catalog: Language, X-Murafiq-Native-Name, X-Murafiq-Direction (rtl/ltr), X-Murafiq-Locale
 * (for ICU) and X-Murafiq-Data-Names (which names of the registry it shows: ar, fr or en).
 */
struct lang_info {
        const char *code;
        const char *native;     /* its own name, for the language switch */
        const char *locale;     /* what lang_locale reports */
        const char *icu_locale; /* what formatters are opened with: Western digits forced */
        int rtl;
        enum lang data;
};

static struct lang_info langs[LANG_MAX];
static int nlangs;
static struct catalog catalogs[LANG_MAX];

static int
valid_lang(enum lang lang)
{
        return (int)lang >= 0 && (int)lang < nlangs;
}

static uint32_t
read_u32(const struct catalog *c, size_t off)
{
        const unsigned char *p = c->data + off;
        if (c->swap)
                return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
                       (uint32_t)p[3] << 24;
        return (uint32_t)p[3] | (uint32_t)p[2] << 8 | (uint32_t)p[1] << 16 | (uint32_t)p[0] << 24;
}

/* String i of the table at `table` (already checked by catalog_check). */
static const char *
catalog_string(const struct catalog *c, uint32_t table, uint32_t i)
{
        return (const char *)c->data + read_u32(c, (size_t)table + (size_t)i * 8 + 4);
}

/* Checks that entry i of the table at `table` lies inside the data and ends with NUL. */
static int
check_string(const struct catalog *c, uint32_t table, uint32_t i)
{
        uint64_t len = read_u32(c, (size_t)table + (size_t)i * 8);
        uint64_t off = read_u32(c, (size_t)table + (size_t)i * 8 + 4);

        if (off + len >= c->size)
                return -1;
        return c->data[off + len] == '\0' ? 0 : -1;
}

/* Fills *c from a .mo image after validating every offset against its size. */
static int
catalog_load(struct catalog *c, const unsigned char *data, size_t size)
{
        uint32_t magic;

        memset(c, 0, sizeof(*c));
        c->data = data;
        c->size = size;
        if (data == NULL || size < MO_HEADER_LEN)
                goto fail;
        /* The first word tells the byte order the file was written in. */
        magic = (uint32_t)data[0] << 24 | (uint32_t)data[1] << 16 | (uint32_t)data[2] << 8 |
                (uint32_t)data[3];
        if (magic == MO_MAGIC)
                c->swap = 0;
        else if (magic == 0xde120495u)
                c->swap = 1;
        else
                goto fail;
        /* Major revision 0; minor 1 only adds system-dependent strings, which we ignore. */
        if ((read_u32(c, 4) >> 16) != 0)
                goto fail;
        c->count = read_u32(c, 8);
        c->orig = read_u32(c, 12);
        c->trans = read_u32(c, 16);
        if ((uint64_t)c->orig + (uint64_t)c->count * 8 > size ||
            (uint64_t)c->trans + (uint64_t)c->count * 8 > size)
                goto fail;
        for (uint32_t i = 0; i < c->count; i++) {
                if (check_string(c, c->orig, i) != 0 || check_string(c, c->trans, i) != 0)
                        goto fail;
                /* Lookup is a binary search: insist on strictly increasing msgids. */
                if (i > 0 &&
                    strcmp(catalog_string(c, c->orig, i - 1), catalog_string(c, c->orig, i)) >= 0)
                        goto fail;
        }
        return 0;
fail:
        memset(c, 0, sizeof(*c));
        return -1;
}

int
i18n_load_mo(enum lang lang, const void *data, size_t size)
{
        if (!valid_lang(lang))
                return -1;
        return catalog_load(&catalogs[lang], data, size);
}

/* The value of "Name: value" in a catalog header, copied; NULL when absent. */
static char *
header_field(const char *header, const char *name)
{
        size_t n = strlen(name);
        for (const char *line = header; line && *line;) {
                const char *end = strchr(line, '\n');
                size_t len = end ? (size_t)(end - line) : strlen(line);
                if (len > n + 1 && strncasecmp(line, name, n) == 0 && line[n] == ':') {
                        const char *v = line + n + 1;
                        while (*v == ' ')
                                v++;
                        size_t vlen = len - (size_t)(v - line);
                        char *out = xmalloc(vlen + 1);
                        memcpy(out, v, vlen);
                        out[vlen] = '\0';
                        return out;
                }
                line = end ? end + 1 : NULL;
        }
        return NULL;
}

/* Frees what lang_describe allocated. */
static void
lang_forget(struct lang_info *li)
{
        if (li->native != li->code)
                free((char *)li->native);
        if (li->locale != li->code)
                free((char *)li->locale);
        free((char *)li->code);
        free((char *)li->icu_locale);
        memset(li, 0, sizeof(*li));
}

/* Describes the language of a loaded catalog from its header. Returns 0 or -1. */
static int
lang_describe(struct lang_info *li, const struct catalog *c, const char *file)
{
        /* The header is the translation of the empty msgid, the first entry. */
        const char *header = c->count > 0 && catalog_string(c, c->orig, 0)[0] == '\0'
                                 ? catalog_string(c, c->trans, 0)
                                 : "";
        char *code = header_field(header, "Language");
        size_t flen = strlen(file);
        if (code == NULL || flen < 4 || strlen(code) != flen - 3 ||
            strncmp(code, file, flen - 3) != 0) {
                free(code);
                return -1; /* po/xx.po must say Language: xx */
        }
        li->code = code;
        li->native = header_field(header, "X-Murafiq-Native-Name");
        if (li->native == NULL)
                li->native = code;
        char *dir = header_field(header, "X-Murafiq-Direction");
        li->rtl = dir && strcmp(dir, "rtl") == 0;
        free(dir);
        char *locale = header_field(header, "X-Murafiq-Locale");
        li->locale = locale ? locale : code;
        size_t ln = strlen(li->locale) + sizeof("@numbers=latn");
        char *icu = xmalloc(ln);
        snprintf(icu, ln, "%s@numbers=latn", li->locale);
        li->icu_locale = icu;
        char *data = header_field(header, "X-Murafiq-Data-Names");
        li->data = data && strcmp(data, "ar") == 0   ? LANG_AR
                   : data && strcmp(data, "en") == 0 ? LANG_EN
                                                     : LANG_FR;
        free(data);
        return 0;
}

int
i18n_add_mo(const char *file, const void *data, size_t size)
{
        if (nlangs == LANG_MAX || catalog_load(&catalogs[nlangs], data, size) != 0 ||
            lang_describe(&langs[nlangs], &catalogs[nlangs], file) != 0) {
                if (nlangs < LANG_MAX)
                        memset(&catalogs[nlangs], 0, sizeof(catalogs[nlangs]));
                return -1;
        }
        return nlangs++;
}

static int
lang_add(const struct embedded_file *f)
{
        return i18n_add_mo(f->name, f->data, f->size) < 0 ? -1 : 0;
}

int
i18n_init(void)
{
        /* Arabic, French and English take their enum lang places; every other catalog follows,
         * in the order of its file name. */
        static const char *const builtin[3] = {"ar.mo", "fr.mo", "en.mo"};
        for (int l = 0; l < nlangs; l++) /* called again (tests): start afresh */
                lang_forget(&langs[l]);
        nlangs = 0;
        for (int k = 0; k < 3; k++) {
                const struct embedded_file *f = embedded_find(embedded_catalogs, builtin[k]);
                if (f == NULL || lang_add(f) != 0)
                        goto fail;
        }
        for (const struct embedded_file *f = embedded_catalogs; f->name; f++) {
                int is_builtin = 0;
                for (int k = 0; k < 3; k++)
                        is_builtin |= strcmp(f->name, builtin[k]) == 0;
                if (!is_builtin && lang_add(f) != 0)
                        goto fail;
        }
        return 0;
fail:
        for (int l = 0; l < nlangs; l++)
                lang_forget(&langs[l]);
        memset(catalogs, 0, sizeof(catalogs));
        nlangs = 0;
        return -1;
}

const char *
i18n_gettext(enum lang lang, const char *msgid)
{
        const struct catalog *c;
        uint32_t lo = 0, hi;

        if (msgid == NULL || msgid[0] == '\0' || !valid_lang(lang))
                return msgid;
        c = &catalogs[lang];
        hi = c->count;
        while (lo < hi) {
                uint32_t mid = lo + (hi - lo) / 2;
                int cmp = strcmp(msgid, catalog_string(c, c->orig, mid));
                if (cmp == 0) {
                        const char *t = catalog_string(c, c->trans, mid);
                        return t[0] ? t : msgid;
                }
                if (cmp < 0)
                        hi = mid;
                else
                        lo = mid + 1;
        }
        return msgid;
}

const char *
lang_code(enum lang lang)
{
        return valid_lang(lang) ? langs[lang].code : "ar";
}

int
lang_count(void)
{
        return nlangs;
}

const char *
lang_native_name(enum lang lang)
{
        return valid_lang(lang) ? langs[lang].native : "";
}

enum lang
lang_data(enum lang lang)
{
        if ((int)lang >= 0 && (int)lang < 3)
                return lang;
        return valid_lang(lang) ? langs[lang].data : LANG_FR;
}

int
lang_from_code(const char *code)
{
        if (code == NULL)
                return -1;
        for (int l = 0; l < nlangs; l++)
                if (strcasecmp(code, langs[l].code) == 0)
                        return l;
        return -1;
}

int
lang_is_rtl(enum lang lang)
{
        return valid_lang(lang) && langs[lang].rtl;
}

const char *
lang_locale(enum lang lang)
{
        return valid_lang(lang) ? langs[lang].locale : "ar_MA";
}

/*
 * ICU formatters are costly to open and not safe to share, so each thread opens its own on
 * first use. A pthread key closes them when the thread exits (keeps LeakSanitizer quiet).
 */
struct formatters {
        UDateFormat *date[LANG_MAX];
        UNumberFormat *integer[LANG_MAX];
        UNumberFormatter *years[LANG_MAX];
        UNumberFormatter *months[LANG_MAX];
        UListFormatter *list[LANG_MAX];
        UFormattedNumber *result;
        int registered;
};

static _Thread_local struct formatters tls;
static pthread_once_t key_once = PTHREAD_ONCE_INIT;
static pthread_key_t key;
static int key_ok;

static void
formatters_close(void *p)
{
        struct formatters *f = p;

        for (int l = 0; l < LANG_MAX; l++) {
                udat_close(f->date[l]);
                unum_close(f->integer[l]);
                unumf_close(f->years[l]);
                unumf_close(f->months[l]);
                ulistfmt_close(f->list[l]);
        }
        unumf_closeResult(f->result);
        memset(f, 0, sizeof(*f));
}

static void
key_create(void)
{
        key_ok = pthread_key_create(&key, formatters_close) == 0;
}

/* Returns this thread's formatters, registered for closing at thread exit. */
static struct formatters *
formatters(void)
{
        if (!tls.registered) {
                pthread_once(&key_once, key_create);
                if (key_ok)
                        pthread_setspecific(key, &tls);
                tls.registered = 1;
        }
        return &tls;
}

/* Converts n UTF-16 units to a UTF-8 string in the arena; NULL on failure. */
static char *
to_utf8(struct arena *a, const UChar *u, int32_t n)
{
        UErrorCode err = U_ZERO_ERROR;
        int32_t len = 0;
        char *out;

        u_strToUTF8(NULL, 0, &len, u, n, &err);
        if (err != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(err))
                return NULL;
        out = arena_alloc(a, (size_t)len + 1);
        err = U_ZERO_ERROR;
        u_strToUTF8(out, len + 1, NULL, u, n, &err);
        return U_SUCCESS(err) ? out : NULL;
}

static UDateFormat *
date_formatter(enum lang lang)
{
        struct formatters *f = formatters();
        UErrorCode err = U_ZERO_ERROR;
        UDateTimePatternGenerator *gen = NULL;
        UChar pattern[64];
        int32_t n;

        if (f->date[lang])
                return f->date[lang];
        /* The locale's own order and spelling for day, full month name and year. */
        gen = udatpg_open(langs[lang].icu_locale, &err);
        n = udatpg_getBestPattern(gen, u"dMMMMy", -1, pattern, 64, &err);
        if (U_FAILURE(err) || n >= 64)
                goto fail;
        f->date[lang] = udat_open(UDAT_PATTERN, UDAT_PATTERN, langs[lang].icu_locale, u"UTC", -1,
                                  pattern, n, &err);
        if (U_FAILURE(err)) {
                udat_close(f->date[lang]);
                f->date[lang] = NULL;
        }
fail:
        udatpg_close(gen);
        return f->date[lang];
}

char *
i18n_date(struct arena *a, enum lang lang, struct date d)
{
        UErrorCode err = U_ZERO_ERROR;
        UDateFormat *fmt;
        UChar buf[128];
        int32_t n;

        if (!valid_lang(lang) || (fmt = date_formatter(lang)) == NULL)
                return NULL;
        n = udat_format(fmt, (UDate)date_to_days(d) * 86400000.0, buf, 128, NULL, &err);
        if (U_FAILURE(err) || n >= 128)
                return NULL;
        return to_utf8(a, buf, n);
}

char *
i18n_int(struct arena *a, enum lang lang, long long n)
{
        struct formatters *f;
        UErrorCode err = U_ZERO_ERROR;
        UChar buf[64];
        int32_t len;

        if (!valid_lang(lang))
                return NULL;
        f = formatters();
        if (f->integer[lang] == NULL) {
                f->integer[lang] =
                    unum_open(UNUM_DECIMAL, NULL, 0, langs[lang].icu_locale, NULL, &err);
                if (U_FAILURE(err)) {
                        unum_close(f->integer[lang]);
                        f->integer[lang] = NULL;
                        return NULL;
                }
        }
        len = unum_formatInt64(f->integer[lang], (int64_t)n, buf, 64, NULL, &err);
        if (U_FAILURE(err) || len >= 64)
                return NULL;
        return to_utf8(a, buf, len);
}

/* Opens (once per thread) a formatter for a duration unit with its plural forms spelt out. */
static UNumberFormatter *
unit_formatter(UNumberFormatter **slot, const UChar *skeleton, enum lang lang)
{
        UErrorCode err = U_ZERO_ERROR;

        if (*slot == NULL) {
                *slot = unumf_openForSkeletonAndLocale(skeleton, -1, langs[lang].icu_locale, &err);
                if (U_FAILURE(err)) {
                        unumf_close(*slot);
                        *slot = NULL;
                }
        }
        return *slot;
}

/* Formats n with fmt into buf (capacity cap); returns the length or -1. */
static int32_t
format_unit(struct formatters *f, UNumberFormatter *fmt, int n, UChar *buf, int32_t cap)
{
        UErrorCode err = U_ZERO_ERROR;
        int32_t len;

        if (f->result == NULL) {
                f->result = unumf_openResult(&err);
                if (U_FAILURE(err)) {
                        unumf_closeResult(f->result);
                        f->result = NULL;
                        return -1;
                }
        }
        unumf_formatInt(fmt, n, f->result, &err);
        len = unumf_resultToString(f->result, buf, cap, &err);
        return U_FAILURE(err) || len >= cap ? -1 : len;
}

char *
i18n_age(struct arena *a, enum lang lang, int years, int months)
{
        struct formatters *f;
        UErrorCode err = U_ZERO_ERROR;
        UChar parts[2][64], out[160];
        const UChar *items[2];
        int32_t lens[2], n = 0, len;
        UNumberFormatter *yf, *mf;

        if (!valid_lang(lang))
                return NULL;
        f = formatters();
        yf = unit_formatter(&f->years[lang], u"measure-unit/duration-year unit-width-full-name",
                            lang);
        mf = unit_formatter(&f->months[lang], u"measure-unit/duration-month unit-width-full-name",
                            lang);
        if (yf == NULL || mf == NULL)
                return NULL;
        years = years < 0 ? 0 : years;
        months = months < 0 ? 0 : months;
        /* "4 years 7 months", "4 years", "7 months"; nothing at all reads "0 months". */
        if (years > 0) {
                if ((lens[n] = format_unit(f, yf, years, parts[n], 64)) < 0)
                        return NULL;
                n++;
        }
        if (months > 0 || years == 0) {
                if ((lens[n] = format_unit(f, mf, months, parts[n], 64)) < 0)
                        return NULL;
                n++;
        }
        if (n == 1)
                return to_utf8(a, parts[0], lens[0]);
        if (f->list[lang] == NULL) {
                f->list[lang] = ulistfmt_openForType(langs[lang].icu_locale, ULISTFMT_TYPE_UNITS,
                                                     ULISTFMT_WIDTH_NARROW, &err);
                if (U_FAILURE(err)) {
                        ulistfmt_close(f->list[lang]);
                        f->list[lang] = NULL;
                        return NULL;
                }
        }
        items[0] = parts[0];
        items[1] = parts[1];
        len = ulistfmt_format(f->list[lang], items, lens, n, out, 160, &err);
        if (U_FAILURE(err) || len >= 160)
                return NULL;
        return to_utf8(a, out, len);
}

const char *
code_label(const struct code_label *table, const char *code)
{
        for (; table->code; table++)
                if (code && strcmp(table->code, code) == 0)
                        return table->label;
        return code ? code : "";
}
