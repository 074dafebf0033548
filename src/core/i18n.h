/* i18n.h: languages, message catalogs and locale formatting (ICU). */
#ifndef MURAFIQ_I18N_H
#define MURAFIQ_I18N_H

#include <stddef.h>

struct arena;
struct date;

/*
 * Languages come from the catalogs compiled in (po/<code>.po). Arabic, French and English have
 * fixed places because the registry's data has names in them (name_ar, name_fr; regions also in
 * English); any other catalog gets the next index, up to LANG_MAX, and names which of the three
 * its pages show (lang_data).
 */
enum lang { LANG_AR, LANG_FR, LANG_EN };
#define LANG_NAMES   3 /* languages the data has names in: ar, fr, en */
#define LANG_MAX     8
#define LANG_DEFAULT LANG_AR

/* Loads the catalogs compiled into the binary (po/<lang>.po -> .mo at build time).
 * Returns 0, or -1 when a catalog is malformed. Call once before threads start. */
int i18n_init(void);
/* Replaces lang's catalog with the .mo image data[0..size) (kept, not copied: it must outlive
 * every lookup). Returns 0, or -1 when malformed; lang then has no translations. */
int i18n_load_mo(enum lang lang, const void *data, size_t size);
/* Adds a language from the .mo image of po/<code>.po (file is "<code>.mo"; its header must say
 * Language: <code>). i18n_init does this for every catalog compiled in. Returns the new
 * language's index, or -1. The image must outlive the process's use of it. */
int i18n_add_mo(const char *file, const void *data, size_t size);

/* Returns the translation of msgid (an English source string) in lang, or msgid itself when
 * the catalog has none. The result is static. */
const char *i18n_gettext(enum lang lang, const char *msgid);

/* Marks msgid for xgettext and translates it: _(lang, "Cooperatives"). */
#define _(lang, msgid) i18n_gettext((lang), (msgid))
/* Marks a string for extraction without translating it (tables of labels). */
#define N_(msgid) (msgid)

/* A code with the English label (msgid) people see for it, translated when shown. */
struct code_label {
        const char *code;
        const char *label;
};
/* The label msgid of code in table (ended by a NULL code), or code itself when unknown. */
const char *code_label(const struct code_label *table, const char *code);

/* The number of languages loaded (3 or more). */
int lang_count(void);
/* The language's own name ("العربية", "Français"), for the language switch. */
const char *lang_native_name(enum lang lang);
/* Which of the data's languages (LANG_AR, LANG_FR, LANG_EN) lang shows names in. */
enum lang lang_data(enum lang lang);

/* "ar", "fr", "en", ... */
const char *lang_code(enum lang lang);
/* Parses "ar"/"fr"/"en" (case-insensitive); returns -1 for anything else. */
int lang_from_code(const char *code);
/* 1 for right-to-left languages. */
int lang_is_rtl(enum lang lang);
/* The ICU locale used for formatting: "ar_MA", "fr_MA", "en_GB". */
const char *lang_locale(enum lang lang);

/* Formats a date in long form for lang: "14 يوليوز 2023", "14 juillet 2023", "14 July 2023".
 * Western digits in every language (CLDR ar_MA). Result in the arena. */
char *i18n_date(struct arena *a, enum lang lang, struct date d);
/* Formats an integer with the locale's grouping ("65 315" / "65,315" / "65.315"). */
char *i18n_int(struct arena *a, enum lang lang, long long n);
/* "4 years 7 months" in lang, with correct plural forms (Arabic: ICU plural rules). */
char *i18n_age(struct arena *a, enum lang lang, int years, int months);

#endif
