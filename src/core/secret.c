/* secret.c: the key file, secretbox encryption and keyed hashing of short texts. */
#include "secret.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <sodium.h>

#include "arena.h"

_Static_assert(SECRET_KEY_BYTES == crypto_secretbox_KEYBYTES, "secretbox key size");
_Static_assert(SECRET_KEY_BYTES == crypto_kdf_KEYBYTES, "kdf key size");
_Static_assert(SECRET_NONCE_BYTES == crypto_secretbox_NONCEBYTES, "secretbox nonce size");
_Static_assert(SECRET_BOX_OVERHEAD == crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES,
               "box layout");
_Static_assert(SECRET_HASH_BYTES >= crypto_generichash_BYTES_MIN, "hash size");

/* The subkeys, in sodium_malloc'd memory (locked, guarded, read-only once derived). */
struct secret_key {
        unsigned char box[crypto_secretbox_KEYBYTES];
        unsigned char hash[crypto_generichash_KEYBYTES];
        unsigned char id[crypto_generichash_KEYBYTES];
};

/* crypto_kdf contexts are 8 bytes; the subkey numbers below must never be reused. */
static const char kdf_context[crypto_kdf_CONTEXTBYTES + 1] = "mqsecret";
enum { SUBKEY_BOX = 1, SUBKEY_HASH = 2, SUBKEY_ID = 3 };

static struct secret_key *process_key;

int
secret_key_file_create(const char *path, const char **why)
{
        unsigned char master[SECRET_KEY_BYTES];
        int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd < 0) {
                *why = errno == EEXIST ? "the file exists already (it is never replaced)"
                                       : strerror(errno);
                return -1;
        }
        randombytes_buf(master, sizeof(master));
        ssize_t w = write(fd, master, sizeof(master));
        int saved = errno;
        sodium_memzero(master, sizeof(master));
        if (w != (ssize_t)sizeof(master) || fsync(fd) != 0) {
                *why = w < 0 ? strerror(saved) : "the key could not be written whole";
                close(fd);
                unlink(path);
                return -1;
        }
        if (close(fd) != 0) {
                *why = strerror(errno);
                unlink(path);
                return -1;
        }
        return 0;
}

struct secret_key *
secret_key_file_load(const char *path, const char **why)
{
        int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0) {
                *why = errno == ELOOP ? "it is a symbolic link" : strerror(errno);
                return NULL;
        }
        struct stat st;
        struct secret_key *k = NULL;
        unsigned char master[SECRET_KEY_BYTES + 1];
        /* The checks are made on the open file, so nothing can swap it in between. */
        if (fstat(fd, &st) != 0) {
                *why = strerror(errno);
                goto done;
        }
        if (!S_ISREG(st.st_mode)) {
                *why = "it is not a regular file";
                goto done;
        }
        if (st.st_mode & (S_IRWXG | S_IRWXO)) {
                *why = "group or others may read or write it: chmod 600 it";
                goto done;
        }
        ssize_t n = read(fd, master, sizeof(master));
        if (n < 0) {
                *why = strerror(errno);
                goto done;
        }
        if (n != SECRET_KEY_BYTES || st.st_size != SECRET_KEY_BYTES) {
                *why = "it does not hold exactly 32 bytes (murafiq init creates a key file)";
                goto done;
        }
        k = secret_key_from_bytes(master);
        if (k == NULL)
                *why = "no locked memory for the key (RLIMIT_MEMLOCK)";
done:
        sodium_memzero(master, sizeof(master));
        close(fd);
        return k;
}

struct secret_key *
secret_key_from_bytes(const unsigned char master[SECRET_KEY_BYTES])
{
        /* sodium_malloc locks the pages (sodium_mlock: never swapped, excluded from core
         * dumps) and puts guard pages around them. */
        if (sodium_init() < 0) /* idempotent; sodium_malloc needs it */
                return NULL;
        struct secret_key *k = sodium_malloc(sizeof(*k));
        if (k == NULL)
                return NULL;
        crypto_kdf_derive_from_key(k->box, sizeof(k->box), SUBKEY_BOX, kdf_context, master);
        crypto_kdf_derive_from_key(k->hash, sizeof(k->hash), SUBKEY_HASH, kdf_context, master);
        crypto_kdf_derive_from_key(k->id, sizeof(k->id), SUBKEY_ID, kdf_context, master);
        sodium_mprotect_readonly(k);
        return k;
}

void
secret_key_free(struct secret_key *k)
{
        if (k != NULL)
                sodium_free(k); /* makes the pages writable, wipes, unlocks */
}

void
secret_key_set_process(struct secret_key *k)
{
        if (process_key != k)
                secret_key_free(process_key);
        process_key = k;
}

const struct secret_key *
secret_key_process(void)
{
        return process_key;
}

size_t
secret_seal(const struct secret_key *k, const char *text, size_t len, unsigned char *out)
{
        if (len > SECRET_TEXT_MAX)
                return 0;
        /* A random 192-bit nonce per message: no counter to keep, no risk of reuse. */
        randombytes_buf(out, crypto_secretbox_NONCEBYTES);
        crypto_secretbox_easy(out + crypto_secretbox_NONCEBYTES, (const unsigned char *)text, len,
                              out, k->box);
        return len + SECRET_BOX_OVERHEAD;
}

long
secret_open(const struct secret_key *k, const unsigned char *box, size_t n, char *out)
{
        if (n < SECRET_BOX_OVERHEAD || n > SECRET_BOX_MAX)
                return -1;
        if (crypto_secretbox_open_easy((unsigned char *)out, box + crypto_secretbox_NONCEBYTES,
                                       n - crypto_secretbox_NONCEBYTES, box, k->box) != 0)
                return -1;
        size_t len = n - SECRET_BOX_OVERHEAD;
        out[len] = '\0';
        return (long)len;
}

char *
secret_open_text(struct arena *a, const void *box, size_t n)
{
        const struct secret_key *k = secret_key_process();
        if (k == NULL || n < SECRET_BOX_OVERHEAD || n > SECRET_BOX_MAX)
                return NULL;
        char *out = arena_alloc(a, n - SECRET_BOX_OVERHEAD + 1);
        return secret_open(k, box, n, out) < 0 ? NULL : out;
}

const char *
secret_unopened_why(void)
{
        return secret_key_process() ? "this key file (another key, or altered data)"
                                    : "no key file";
}

long
secret_normalise(const char *text, char *out, size_t cap)
{
        size_t n = 0;
        for (const char *c = text; *c; c++) {
                if (*c == ' ' || *c == '\t' || *c == '-' || *c == '.' || *c == '/')
                        continue;
                if (n + 1 >= cap)
                        return -1;
                out[n++] = *c >= 'a' && *c <= 'z' ? (char)(*c - 'a' + 'A') : *c;
        }
        if (cap == 0)
                return -1;
        out[n] = '\0';
        return (long)n;
}

int
secret_hash(const struct secret_key *k, const char *text, unsigned char out[SECRET_HASH_BYTES])
{
        char norm[SECRET_TEXT_MAX + 1];
        long n = secret_normalise(text, norm, sizeof(norm));
        if (n <= 0)
                return -1;
        crypto_generichash(out, SECRET_HASH_BYTES, (const unsigned char *)norm, (size_t)n, k->hash,
                           sizeof(k->hash));
        sodium_memzero(norm, sizeof(norm));
        return 0;
}

void
secret_key_id(const struct secret_key *k, unsigned char out[SECRET_HASH_BYTES])
{
        static const char what[] = "murafiq secret key id";
        crypto_generichash(out, SECRET_HASH_BYTES, (const unsigned char *)what, sizeof(what) - 1,
                           k->id, sizeof(k->id));
}
