/* secret.h: a secret key read from a file, and the authenticated encryption (libsodium
 * secretbox) and keyed hashing (BLAKE2b) of short texts with it.
 *
 * The key file holds SECRET_KEY_BYTES random bytes and nothing else; it must not be readable
 * or writable by the group or others. From it, three subkeys are derived (crypto_kdf): one
 * encrypts, one hashes, one identifies the key (so that a database can tell a wrong key from
 * damaged data). The key lives in sodium_malloc'd memory: locked in RAM, guarded, read-only
 * after loading, wiped when freed. The encryption and hashing functions take the key and are
 * pure otherwise; the process's key (set once at start by the command line) is kept here too,
 * for the stores that need it. */
#ifndef MURAFIQ_SECRET_H
#define MURAFIQ_SECRET_H

#include <stddef.h>

#define SECRET_KEY_BYTES    32 /* crypto_secretbox_KEYBYTES, crypto_kdf_KEYBYTES */
#define SECRET_HASH_BYTES   16 /* keyed BLAKE2b output: collisions need ~2^64 values */
#define SECRET_NONCE_BYTES  24
#define SECRET_BOX_OVERHEAD (SECRET_NONCE_BYTES + 16) /* nonce + Poly1305 tag */
#define SECRET_TEXT_MAX     255 /* the longest text sealed or hashed, in bytes */
#define SECRET_BOX_MAX      (SECRET_BOX_OVERHEAD + SECRET_TEXT_MAX)

struct secret_key;

/* Creates path with SECRET_KEY_BYTES fresh random bytes, mode 0600; never replaces a file
 * (O_EXCL). Returns 0, or -1 with *why set to a static English reason (errno is kept). */
int secret_key_file_create(const char *path, const char **why);

/* Reads the key file at path: a regular file of exactly SECRET_KEY_BYTES bytes whose mode
 * gives nothing to group or others. Returns the key (free with secret_key_free), or NULL with
 * *why set to a static English reason. */
struct secret_key *secret_key_file_load(const char *path, const char **why);

/* The key of the given master bytes (tests, and the loader). NULL when out of locked memory. */
struct secret_key *secret_key_from_bytes(const unsigned char master[SECRET_KEY_BYTES]);

/* Wipes and frees k. Accepts NULL. */
void secret_key_free(struct secret_key *k);

/* The process's key: set once before threads start (ownership passes here; a previous key is
 * freed), read by any thread after. NULL until set. */
void secret_key_set_process(struct secret_key *k);
const struct secret_key *secret_key_process(void);

/* Encrypts the len bytes of text into out (nonce || tag || ciphertext) with a fresh random
 * nonce. len is at most SECRET_TEXT_MAX; out has room for len + SECRET_BOX_OVERHEAD. Returns
 * the length written, or 0 when len is too long. */
size_t secret_seal(const struct secret_key *k, const char *text, size_t len, unsigned char *out);

/* Decrypts box (n bytes, as secret_seal wrote it) into out, NUL-terminated (out has room for
 * n - SECRET_BOX_OVERHEAD + 1 bytes). Returns the text's length, or -1 when the box is too
 * short or long, or does not open with k (another key, or altered bytes). */
long secret_open(const struct secret_key *k, const unsigned char *box, size_t n, char *out);

/* secret_open with the process's key into a text allocated in a. NULL when no key is loaded
 * or the box does not open: the caller logs which record, with secret_unopened_why(). */
struct arena;
char *secret_open_text(struct arena *a, const void *box, size_t n);
const char *secret_unopened_why(void);

/* The normal form of an identifier typed by people: ASCII spaces, tabs, '-', '.' and '/'
 * dropped, ASCII letters uppercased, every other byte kept. Writes at most cap - 1 bytes and a
 * NUL into out; returns the length, or -1 when it does not fit. */
long secret_normalise(const char *text, char *out, size_t cap);

/* The keyed BLAKE2b of the normal form of text: the same for "ab 12" and "AB12", different
 * under another key. Returns 0, or -1 when the normal form is empty or longer than
 * SECRET_TEXT_MAX. */
int secret_hash(const struct secret_key *k, const char *text, unsigned char out[SECRET_HASH_BYTES]);

/* A value that identifies the key without revealing it (keyed BLAKE2b of a constant under
 * the third subkey): stored beside encrypted data, it tells a wrong key from damaged data. */
void secret_key_id(const struct secret_key *k, unsigned char out[SECRET_HASH_BYTES]);

#endif
