/* test_secret.c: the key file, secretbox sealing and keyed hashing (core/secret). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <sodium.h>

#include "core/secret.h"

static struct secret_key *key_a, *key_b;

/* 1 when the n bytes of hay contain the m bytes of needle. */
static int
contains(const unsigned char *hay, size_t n, const char *needle, size_t m)
{
        for (size_t i = 0; i + m <= n; i++)
                if (memcmp(hay + i, needle, m) == 0)
                        return 1;
        return 0;
}
static unsigned char master_a[SECRET_KEY_BYTES];

static void
test_round_trip(void **state)
{
        (void)state;
        static const char *const texts[] = {"AB123456", "K1", "", "ÉB-12 / 3", NULL};
        for (size_t i = 0; texts[i]; i++) {
                size_t len = strlen(texts[i]);
                unsigned char box[SECRET_BOX_MAX];
                assert_int_equal(secret_seal(key_a, texts[i], len, box), len + SECRET_BOX_OVERHEAD);
                /* The ciphertext does not hold the text. */
                if (len >= 2)
                        assert_false(contains(box, len + SECRET_BOX_OVERHEAD, texts[i], len));
                char out[SECRET_TEXT_MAX + 1];
                memset(out, 'x', sizeof(out));
                assert_int_equal(secret_open(key_a, box, len + SECRET_BOX_OVERHEAD, out),
                                 (long)len);
                assert_string_equal(out, texts[i]);
        }
}

static void
test_lengths(void **state)
{
        (void)state;
        char text[SECRET_TEXT_MAX + 2];
        memset(text, 'A', sizeof(text));
        unsigned char box[SECRET_BOX_MAX + 1];
        assert_int_equal(secret_seal(key_a, text, SECRET_TEXT_MAX, box), SECRET_BOX_MAX);
        char out[SECRET_TEXT_MAX + 1];
        assert_int_equal(secret_open(key_a, box, SECRET_BOX_MAX, out), SECRET_TEXT_MAX);
        assert_int_equal(secret_seal(key_a, text, SECRET_TEXT_MAX + 1, box), 0);
        /* Too short to hold a nonce and a tag, or longer than any box. */
        assert_int_equal(secret_open(key_a, box, SECRET_BOX_OVERHEAD - 1, out), -1);
        assert_int_equal(secret_open(key_a, box, 0, out), -1);
        assert_int_equal(secret_open(key_a, box, SECRET_BOX_MAX + 1, out), -1);
}

static void
test_wrong_key_fails(void **state)
{
        (void)state;
        unsigned char box[SECRET_BOX_MAX];
        size_t n = secret_seal(key_a, "AB123456", 8, box);
        char out[SECRET_TEXT_MAX + 1] = "";
        assert_int_equal(secret_open(key_b, box, n, out), -1);
        assert_string_equal(out, "");
        /* The file's bytes are not used as the box key itself: a subkey is. */
        unsigned char plain[16];
        assert_int_not_equal(crypto_secretbox_open_easy(plain, box + SECRET_NONCE_BYTES,
                                                        n - SECRET_NONCE_BYTES, box, master_a),
                             0);
}

static void
test_tampered_fails(void **state)
{
        (void)state;
        unsigned char box[SECRET_BOX_MAX];
        size_t n = secret_seal(key_a, "AB123456", 8, box);
        char out[SECRET_TEXT_MAX + 1];
        /* Every byte counts: nonce, tag and ciphertext alike. */
        for (size_t i = 0; i < n; i++) {
                box[i] ^= 0x01;
                if (secret_open(key_a, box, n, out) != -1)
                        fail_msg("byte %zu flipped and the box still opened", i);
                box[i] ^= 0x01;
        }
        assert_int_equal(secret_open(key_a, box, n, out), 8);
        assert_int_equal(secret_open(key_a, box, n - 1, out), -1); /* truncated */
}

static void
test_nonce_differs(void **state)
{
        (void)state;
        unsigned char b1[SECRET_BOX_MAX], b2[SECRET_BOX_MAX];
        size_t n = secret_seal(key_a, "AB123456", 8, b1);
        for (int i = 0; i < 100; i++) {
                assert_int_equal(secret_seal(key_a, "AB123456", 8, b2), n);
                assert_memory_not_equal(b1, b2, SECRET_NONCE_BYTES);
                assert_memory_not_equal(b1 + SECRET_NONCE_BYTES, b2 + SECRET_NONCE_BYTES,
                                        n - SECRET_NONCE_BYTES);
        }
}

static void
test_hash_stable_and_keyed(void **state)
{
        (void)state;
        unsigned char h1[SECRET_HASH_BYTES], h2[SECRET_HASH_BYTES], h3[SECRET_HASH_BYTES];
        assert_int_equal(secret_hash(key_a, "AB123456", h1), 0);
        assert_int_equal(secret_hash(key_a, "AB123456", h2), 0);
        assert_memory_equal(h1, h2, SECRET_HASH_BYTES);
        /* The same number typed otherwise. */
        assert_int_equal(secret_hash(key_a, " ab 123-456 ", h2), 0);
        assert_memory_equal(h1, h2, SECRET_HASH_BYTES);
        /* Another key, another number. */
        assert_int_equal(secret_hash(key_b, "AB123456", h3), 0);
        assert_memory_not_equal(h1, h3, SECRET_HASH_BYTES);
        assert_int_equal(secret_hash(key_a, "AB123457", h3), 0);
        assert_memory_not_equal(h1, h3, SECRET_HASH_BYTES);
        /* A plain BLAKE2b of the number, without the key, is not it. */
        crypto_generichash(h3, SECRET_HASH_BYTES, (const unsigned char *)"AB123456", 8, NULL, 0);
        assert_memory_not_equal(h1, h3, SECRET_HASH_BYTES);
        /* Nothing to hash. */
        assert_int_equal(secret_hash(key_a, "", h3), -1);
        assert_int_equal(secret_hash(key_a, " - ", h3), -1);
        char big[SECRET_TEXT_MAX + 2];
        memset(big, 'A', sizeof(big) - 1);
        big[sizeof(big) - 1] = '\0';
        assert_int_equal(secret_hash(key_a, big, h3), -1);
}

static const struct {
        const char *in, *out;
} norm_cases[] = {
    {"AB123456", "AB123456"},
    {"ab123456", "AB123456"},
    {" ab 123 456 ", "AB123456"},
    {"AB-123.456/7", "AB1234567"},
    {"\tk1\t", "K1"},
    {"", ""},
    {"é1", "é1"}, /* other bytes are kept as they are */
    {"zZ09", "ZZ09"},
};

static void
test_normalise(void **state)
{
        (void)state;
        for (size_t i = 0; i < sizeof(norm_cases) / sizeof(norm_cases[0]); i++) {
                char out[64];
                long n = secret_normalise(norm_cases[i].in, out, sizeof(out));
                assert_int_equal(n, (long)strlen(norm_cases[i].out));
                assert_string_equal(out, norm_cases[i].out);
        }
        char small[4];
        assert_int_equal(secret_normalise("ABC", small, sizeof(small)), 3);
        assert_int_equal(secret_normalise("ABCD", small, sizeof(small)), -1);
        assert_int_equal(secret_normalise("A B C", small, sizeof(small)), 3);
}

static void
test_key_id(void **state)
{
        (void)state;
        unsigned char a1[SECRET_HASH_BYTES], a2[SECRET_HASH_BYTES], b[SECRET_HASH_BYTES];
        secret_key_id(key_a, a1);
        struct secret_key *again = secret_key_from_bytes(master_a);
        assert_non_null(again);
        secret_key_id(again, a2);
        secret_key_free(again);
        assert_memory_equal(a1, a2, SECRET_HASH_BYTES);
        secret_key_id(key_b, b);
        assert_memory_not_equal(a1, b, SECRET_HASH_BYTES);
}

static void
test_key_file(void **state)
{
        (void)state;
        char dir[] = "/tmp/murafiq-test-secret-XXXXXX";
        assert_non_null(mkdtemp(dir));
        char path[128], other[128];
        snprintf(path, sizeof(path), "%s/k.key", dir);
        snprintf(other, sizeof(other), "%s/other", dir);
        const char *why = NULL;
        mode_t old = umask(0); /* the mode must not depend on the caller's umask */
        assert_int_equal(secret_key_file_create(path, &why), 0);
        umask(old);
        struct stat st;
        assert_int_equal(stat(path, &st), 0);
        assert_int_equal(st.st_mode & 07777, 0600);
        assert_int_equal(st.st_size, SECRET_KEY_BYTES);

        /* Never replaced. */
        unsigned char before[SECRET_KEY_BYTES], after[SECRET_KEY_BYTES];
        FILE *f = fopen(path, "rb");
        assert_int_equal(fread(before, 1, sizeof(before), f), sizeof(before));
        fclose(f);
        why = NULL;
        assert_int_equal(secret_key_file_create(path, &why), -1);
        assert_non_null(strstr(why, "exists"));
        f = fopen(path, "rb");
        assert_int_equal(fread(after, 1, sizeof(after), f), sizeof(after));
        fclose(f);
        assert_memory_equal(before, after, sizeof(before));

        /* Loaded, it is the key of its bytes. */
        struct secret_key *k = secret_key_file_load(path, &why);
        assert_non_null(k);
        struct secret_key *same = secret_key_from_bytes(before);
        unsigned char box[SECRET_BOX_MAX];
        size_t n = secret_seal(k, "CD42", 4, box);
        char out[16];
        assert_int_equal(secret_open(same, box, n, out), 4);
        assert_string_equal(out, "CD42");
        secret_key_free(same);
        secret_key_free(k);

        /* Group or world access is refused. */
        for (mode_t m = 0; m < 2; m++) {
                assert_int_equal(chmod(path, m ? 0640 : 0644), 0);
                why = NULL;
                assert_null(secret_key_file_load(path, &why));
                assert_non_null(strstr(why, "chmod 600"));
        }
        assert_int_equal(chmod(path, 0400), 0);
        k = secret_key_file_load(path, &why);
        assert_non_null(k);
        secret_key_free(k);

        /* Missing, of the wrong size, a symbolic link, a directory. */
        why = NULL;
        assert_null(secret_key_file_load(other, &why));
        assert_string_equal(why, strerror(ENOENT));
        f = fopen(other, "wb");
        fwrite(before, 1, sizeof(before) - 1, f);
        fclose(f);
        assert_int_equal(chmod(other, 0600), 0);
        assert_null(secret_key_file_load(other, &why));
        assert_non_null(strstr(why, "32 bytes"));
        f = fopen(other, "ab");
        fwrite(before, 1, 2, f);
        fclose(f);
        assert_null(secret_key_file_load(other, &why));
        assert_non_null(strstr(why, "32 bytes"));
        unlink(other);
        assert_int_equal(symlink(path, other), 0);
        assert_null(secret_key_file_load(other, &why));
        assert_non_null(strstr(why, "symbolic link"));
        unlink(other);
        assert_null(secret_key_file_load(dir, &why));
        assert_non_null(strstr(why, "regular file"));

        unlink(path);
        rmdir(dir);
}

static void
test_process_key(void **state)
{
        (void)state;
        assert_null(secret_key_process());
        struct secret_key *k = secret_key_from_bytes(master_a);
        secret_key_set_process(k);
        assert_ptr_equal(secret_key_process(), k);
        secret_key_set_process(NULL); /* frees k */
        assert_null(secret_key_process());
}

static int
setup(void **state)
{
        (void)state;
        if (sodium_init() < 0)
                return -1;
        randombytes_buf(master_a, sizeof(master_a));
        unsigned char master_b[SECRET_KEY_BYTES];
        randombytes_buf(master_b, sizeof(master_b));
        key_a = secret_key_from_bytes(master_a);
        key_b = secret_key_from_bytes(master_b);
        return key_a && key_b ? 0 : -1;
}

static int
teardown(void **state)
{
        (void)state;
        secret_key_free(key_a);
        secret_key_free(key_b);
        return 0;
}

int
main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_round_trip),      cmocka_unit_test(test_lengths),
            cmocka_unit_test(test_wrong_key_fails), cmocka_unit_test(test_tampered_fails),
            cmocka_unit_test(test_nonce_differs),   cmocka_unit_test(test_hash_stable_and_keyed),
            cmocka_unit_test(test_normalise),       cmocka_unit_test(test_key_id),
            cmocka_unit_test(test_key_file),        cmocka_unit_test(test_process_key),
        };
        return cmocka_run_group_tests(tests, setup, teardown);
}
