/* embed.h: files compiled into the binary by tools/embed.c (assets, catalogs, migrations). */
#ifndef MURAFIQ_EMBED_H
#define MURAFIQ_EMBED_H

#include <stddef.h>

struct embedded_file {
        const char *name; /* base name, e.g. "style.css", "ar.mo", "001_init.sql" */
        const unsigned char *data;
        size_t size;
};

/* Each table ends with an entry whose name is NULL; entries are sorted by name. */
extern const struct embedded_file embedded_assets[];
extern const struct embedded_file embedded_catalogs[];
extern const struct embedded_file embedded_migrations[];
extern const struct embedded_file embedded_geo[]; /* the CSV files of data/geo */

/* Returns the entry called name in table, or NULL. */
const struct embedded_file *embedded_find(const struct embedded_file *table, const char *name);

#endif
