/* fuzz.h: what the libFuzzer targets of tests/fuzz/ share: the input as a C string in an arena,
 * an in-memory database with the reference geography, a fixed "today". Built by make fuzz
 * (clang -fsanitize=fuzzer,address,undefined); each target defines LLVMFuzzerTestOneInput. */
#ifndef MURAFIQ_FUZZ_H
#define MURAFIQ_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/auth.h"
#include "core/dates.h"
#include "core/db.h"
#include "core/i18n.h"
#include "registry/geo.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* An invariant of the code under test: a failure is a crash the fuzzer reports and keeps. */
#define FUZZ_ASSERT(cond)                                                                          \
        do {                                                                                       \
                if (!(cond)) {                                                                     \
                        fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__,       \
                                #cond);                                                            \
                        abort();                                                                   \
                }                                                                                  \
        } while (0)

/* The input, NUL-terminated (it stops at its first NUL), in a. */
static inline char *
fuzz_cstr(struct arena *a, const uint8_t *data, size_t size)
{
        char *s = arena_alloc(a, size + 1);
        memcpy(s, data, size);
        s[size] = '\0';
        return s;
}

/* The date every target calls today, so that a crash replays the same way. */
static inline struct date
fuzz_today(void)
{
        return (struct date){2026, 6, 15};
}

/* Catalogs and libsodium, once. */
static inline void
fuzz_init_process(void)
{
        if (auth_init() != 0 || i18n_init() != 0) {
                fputs("fuzz: cannot initialise\n", stderr);
                abort();
        }
}

/* A new in-memory database with every migration and the geography; aborts on failure. */
static inline struct db *
fuzz_db(void)
{
        struct db *db = db_open(":memory:", 1);
        if (db == NULL || geo_load(db) != 0) {
                fputs("fuzz: cannot create the in-memory database\n", stderr);
                abort();
        }
        return db;
}

#endif
