/* geo.h: reference geography (12 regions, 75 provinces, 1,503 communes): loading the embedded
 * HCP CSV files into the database, and a read-only in-memory copy for the pages. */
#ifndef MURAFIQ_GEO_H
#define MURAFIQ_GEO_H

#include <stddef.h>

#include "core/i18n.h"

struct db;
struct arena;

/*
 * Inserts the regions, provinces/prefectures and communes of the embedded files regions.csv,
 * provinces.csv and communes.csv into the tables region, province and commune, in one
 * transaction. Checks headers, field counts, code nesting and the per-region/per-province counts
 * of the files. Meant for an empty database (not idempotent). Returns 0, or -1 after rolling back
 * and printing a message naming the file and line on stderr.
 */
int geo_load(struct db *db);

/* Every name is indexed by enum lang. Provinces and communes have no English name in the
 * sources: name[LANG_EN] is the French name. */
struct geo_region {
        const char *code;     /* "01".."12" */
        const char *iso_code; /* "MA-01" */
        const char *name[LANG_NAMES];
};

struct geo_province {
        const char *code; /* "01.511" */
        const char *region_code;
        const char *kind; /* "province" or "prefecture" */
        const char *name[LANG_NAMES];
};

struct geo_commune {
        const char *code; /* "01.511.01.0" */
        const char *province_code;
        const char *region_code;
        const char *kind; /* "urban" or "rural" */
        const char *name[LANG_NAMES];
};

/*
 * The cached geography. regions are sorted by code; provinces by region code, then French name
 * (folded); communes by province code, then French name (folded). The by_code arrays are indexes
 * sorted by code for the lookups below. Everything is read-only after geo_cache_load.
 */
struct geo {
        const struct geo_region *regions;
        size_t n_regions;
        const struct geo_province *provinces;
        size_t n_provinces;
        const struct geo_commune *communes;
        size_t n_communes;
        /* internal */
        const struct geo_province **provinces_by_code;
        const struct geo_commune **communes_by_code;
        struct arena *arena;
};

/*
 * Reads region, province and commune from db into a new struct geo. Call once at start; the
 * result lives until geo_cache_free (normally the process lifetime) and may be shared by threads.
 * Aborts on memory exhaustion; returns NULL (logged) on a database error.
 */
const struct geo *geo_cache_load(struct db *db);
/* Frees everything geo_cache_load allocated. Accepts NULL. */
void geo_cache_free(const struct geo *g);

/* Lookups by code (binary search); NULL when code is NULL or unknown. */
const struct geo_region *geo_region(const struct geo *g, const char *code);
const struct geo_province *geo_province(const struct geo *g, const char *code);
const struct geo_commune *geo_commune(const struct geo *g, const char *code);

/* The provinces of a region (a contiguous slice of g->provinces, by French name), and *n their
 * number; NULL and *n = 0 when the region is unknown. */
const struct geo_province *geo_provinces_of(const struct geo *g, const char *region_code,
                                            size_t *n);
/* The communes of a province, likewise. */
const struct geo_commune *geo_communes_of(const struct geo *g, const char *province_code,
                                          size_t *n);

#endif
