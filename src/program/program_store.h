/* program_store.h: programs, their lists and tranches in the database. Programs are not
 * personal data and span regions: no region scope. */
#ifndef MURAFIQ_PROGRAM_STORE_H
#define MURAFIQ_PROGRAM_STORE_H

#include <stddef.h>

#include "program/program.h"
#include "registry/store.h"

struct arena;
struct db;

/* At most this many programs are listed (a national operator runs a handful). */
#define PROGRAM_LIST_MAX 500

/* Lists the programs (latest first) into *items (arena), with their operator's names and
 * reached counts but without lists or tranches; *n is the number listed. */
int program_store_list(struct db *db, struct arena *a, struct program **items, size_t *n);

/* Reads one program with its partners, pillars, components, tranches (with phases and region
 * targets) and every reached count; STORE_NOT_FOUND when absent. */
int program_store_get(struct db *db, long long id, struct arena *a, struct program *out);

/* 1 when organisation id exists, 0 when not or on error: a program_refs callback (ctx is the
 * struct db). */
int program_store_org_exists(void *db, long long id);

/* Inserts p with its lists (id, version and timestamps set on success), in one transaction.
 * STORE_DUPLICATE when its code is taken. */
int program_store_insert(struct db *db, struct program *p, struct arena *a);

/* Updates p->id and replaces its lists, from expected_version (STORE_CONFLICT when it changed
 * since; STORE_NOT_FOUND when absent; STORE_DUPLICATE when the code is another program's), in
 * one transaction. */
int program_store_update(struct db *db, struct program *p, long long expected_version,
                         struct arena *a);

/* Reads one tranche with its phases, region targets and reached counts; STORE_NOT_FOUND. */
int tranche_store_get(struct db *db, long long id, struct arena *a, struct tranche *out);

/* Inserts t (t->program_id set) with its phases and region targets, in one transaction.
 * STORE_NOT_FOUND when the program is absent; STORE_DUPLICATE when its number is taken. */
int tranche_store_insert(struct db *db, struct tranche *t, struct arena *a);

/* Updates t->id from expected_version and sets its phases (kept phases keep their id) and
 * region targets; STORE_CONFLICT, STORE_NOT_FOUND, STORE_DUPLICATE as above. */
int tranche_store_update(struct db *db, struct tranche *t, long long expected_version,
                         struct arena *a);

#endif
