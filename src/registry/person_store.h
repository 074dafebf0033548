/* person_store.h: people (members and beneficiaries) in the database, within region scope. */
#ifndef MURAFIQ_PERSON_STORE_H
#define MURAFIQ_PERSON_STORE_H

#include <stddef.h>

#include "core/secret.h"
#include "registry/person.h"
#include "registry/store.h"

struct arena;
struct db;
struct scope;

#define PERSON_MEMBERS_MAX     200
#define PERSON_MEMBERSHIPS_MAX 100

struct person_member {
        long long person_id;
        const char *name_ar, *name_fr, *sex, *role;
};

/* The members of cooperative coop_id (at most PERSON_MEMBERS_MAX, officers first) whose
 * person record is within scope. */
int person_store_members(struct db *db, const struct scope *scope, long long coop_id,
                         struct arena *a, struct person_member **out, size_t *n);

struct person_filter {
        const char *q;         /* folded search text ("" = none): every word must match */
        const char *region;    /* "" = any */
        const char *province;  /* "" = any */
        const char *sex;       /* "" = any */
        long long cooperative; /* members of this cooperative (in scope); 0 = any */
        int by_name_ar;        /* order by the Arabic name, else the French name */
        long long limit, offset;
};

/* Lists a page of people matching f within scope into *items (arena), with *total the number
 * of all matching rows. */
int person_store_list(struct db *db, const struct scope *scope, const struct person_filter *f,
                      struct arena *a, struct person **items, size_t *n, long long *total);

/* Reads one person; STORE_NOT_FOUND when absent or outside scope. The national ID number is
 * not read (out->national_id is NULL): see person_store_read. */
int person_store_get(struct db *db, const struct scope *scope, long long id, struct arena *a,
                     struct person *out);

/* person_store_get that also decrypts the national ID number when with_national_id is set
 * (only for users with PERM_NATIONAL_ID): out->national_id is then the number, or "" when
 * none is recorded; STORE_UNREADABLE when it does not open with the process's key (another
 * key file, or altered data). */
int person_store_read(struct db *db, const struct scope *scope, long long id, int with_national_id,
                      struct arena *a, struct person *out);

/* Inserts p (id, version and timestamps are set on success); STORE_FORBIDDEN when its region
 * is outside scope; STORE_DUPLICATE when another person has its national ID number (in any
 * region). p->national_id NULL or "" records none. Runs in its own transaction; nothing is
 * written on failure. */
int person_store_insert(struct db *db, const struct scope *scope, struct person *p,
                        struct arena *a);

/* Updates p->id from expected_version (STORE_CONFLICT when it changed since); the row must be
 * in scope before (STORE_NOT_FOUND) and after (STORE_FORBIDDEN). p->national_id NULL keeps the
 * stored number, "" clears it; a new number taken by another person is STORE_DUPLICATE. One
 * transaction. */
int person_store_update(struct db *db, const struct scope *scope, struct person *p,
                        long long expected_version, struct arena *a);

/* One cooperative a person belongs to. */
struct person_membership {
        long long cooperative_id;
        const char *register_number, *name_ar, *name_fr, *role;
};

/* The memberships of person_id (at most PERSON_MEMBERSHIPS_MAX, by register number) whose
 * person and cooperative are both within scope. */
int person_store_memberships(struct db *db, const struct scope *scope, long long person_id,
                             struct arena *a, struct person_membership **out, size_t *n);

/* The id of the cooperative with register number regno within scope, in *coop_id;
 * STORE_NOT_FOUND when there is none. */
int person_store_coop_by_register(struct db *db, const struct scope *scope, const char *regno,
                                  long long *coop_id);

/* Records person_id as a member of coop_id with role (a person_role_codes value). Both must be
 * within scope (STORE_NOT_FOUND); STORE_DUPLICATE when the membership exists. One transaction. */
int person_store_add_membership(struct db *db, const struct scope *scope, long long person_id,
                                long long coop_id, const char *role);

/* Removes the membership of person_id in coop_id; both must be within scope. STORE_NOT_FOUND
 * when there is no such membership in scope. One transaction. */
int person_store_remove_membership(struct db *db, const struct scope *scope, long long person_id,
                                   long long coop_id);

/* A national ID number as stored: nonce || secretbox (box, box_len bytes) and the keyed hash
 * of its normal form; has is 0 when there is no number. */
struct person_nid {
        unsigned char box[SECRET_BOX_MAX];
        size_t box_len;
        unsigned char hash[SECRET_HASH_BYTES];
        int has;
};

/* Seals national_id (NULL or "" gives has = 0) with the process's key. Returns 0, or -1 when
 * no key is loaded or the number is too long. */
int person_nid_seal(const char *national_id, struct person_nid *out);

/* At the start of every command that reads or writes people, with the process's key loaded:
 * checks that it is this database's key (recording it at the first use) and seals the plain
 * numbers of a database from before migration 013 (encrypt, hash, blank the old column; one
 * transaction; then the file is rewritten so that no plain number remains in it). *sealed
 * gets how many were sealed. STORE_UNREADABLE when the database was sealed with another key. */
int person_store_key_check(struct db *db, long long *sealed);

/* The people of scope who have not objected, by id, for the CSV export (without the national
 * ID number): a statement to step with person_store_export_next, which returns 1 per person
 * (strings in a), 0 at the end (the statement is reset) or -1. */
struct sqlite3_stmt *person_store_export_cursor(struct db *db, const struct scope *scope);
int person_store_export_next(struct sqlite3_stmt *st, struct arena *a, struct person *p);

/* A one-line fold of name_ar and name_fr used for search. */
char *person_name_fold(struct arena *a, const struct person *p);

#endif
