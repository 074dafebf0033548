/* text.c: UTF-8 validation, trimming and search folding (ICU case folding and NFD). */
#include "text.h"

#include <stdint.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>

#include "arena.h"

/* Inputs shorter than this many bytes are folded in stack buffers (names, search terms). */
#define FOLD_STACK 256

/*
 * Decodes the code point at s[0..len) into *cp. Returns its length in bytes, or 0 when the
 * sequence is ill-formed: truncated, overlong, a surrogate or above U+10FFFF (RFC 3629).
 */
static size_t
utf8_next(const unsigned char *s, size_t len, UChar32 *cp)
{
        unsigned char b = s[0];
        unsigned char lo = 0x80, hi = 0xBF;
        size_t n;
        UChar32 c;

        if (b < 0x80) {
                *cp = b;
                return 1;
        }
        if (b >= 0xC2 && b <= 0xDF) {
                n = 2;
                c = b & 0x1F;
        } else if (b >= 0xE0 && b <= 0xEF) {
                n = 3;
                c = b & 0x0F;
                if (b == 0xE0)
                        lo = 0xA0; /* overlong */
                else if (b == 0xED)
                        hi = 0x9F; /* surrogates */
        } else if (b >= 0xF0 && b <= 0xF4) {
                n = 4;
                c = b & 0x07;
                if (b == 0xF0)
                        lo = 0x90; /* overlong */
                else if (b == 0xF4)
                        hi = 0x8F; /* above U+10FFFF */
        } else {
                return 0; /* continuation byte, C0/C1 overlong lead, F5..FF */
        }
        if (len < n)
                return 0;
        for (size_t i = 1; i < n; i++) {
                unsigned char t = s[i];
                if (t < lo || t > hi)
                        return 0;
                lo = 0x80;
                hi = 0xBF;
                c = (c << 6) | (t & 0x3F);
        }
        *cp = c;
        return n;
}

int
text_valid_utf8(const char *s, size_t len)
{
        const unsigned char *p = (const unsigned char *)s;

        if (s == NULL)
                return 0;
        for (size_t i = 0; i < len;) {
                UChar32 c;
                size_t n = utf8_next(p + i, len - i, &c);
                if (n == 0)
                        return 0;
                if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
                        return 0; /* includes NUL */
                i += n;
        }
        return 1;
}

int
text_wellformed_utf8(const char *s, size_t len)
{
        const unsigned char *p = (const unsigned char *)s;
        UChar32 c;

        if (s == NULL)
                return 0;
        for (size_t i = 0, n; i < len; i += n)
                if ((n = utf8_next(p + i, len - i, &c)) == 0)
                        return 0;
        return 1;
}

size_t
text_length(const char *s)
{
        size_t n = 0;

        if (s == NULL)
                return 0;
        for (; *s; s++)
                if (((unsigned char)*s & 0xC0) != 0x80)
                        n++;
        return n;
}

char *
text_trim(struct arena *a, const char *s)
{
        const unsigned char *p = (const unsigned char *)s;
        size_t len, start = 0, end = 0;
        int seen = 0;

        if (s == NULL)
                return NULL;
        len = strlen(s);
        for (size_t i = 0; i < len;) {
                UChar32 c;
                size_t n = utf8_next(p + i, len - i, &c);
                int space = n > 0 && u_isUWhiteSpace(c);
                if (n == 0)
                        n = 1; /* ill-formed bytes are kept as they are */
                if (!space) {
                        if (!seen)
                                start = i;
                        seen = 1;
                        end = i + n;
                }
                i += n;
        }
        return arena_strndup(a, s + start, end - start);
}

/* Returns the code point that stands for c in folded text, or -1 to drop it. */
static UChar32
fold_map(UChar32 c)
{
        switch (c) {
        case 0x0640: /* tatweel: typographic stretching only */
                return -1;
        case 0x0671: /* alef wasla: has no canonical decomposition */
                return 0x0627;
        case 0x0629: /* ta marbuta, often typed as heh */
                return 0x0647;
        case 0x0649: /* alef maqsura, often typed as yeh (and the reverse) */
                return 0x064A;
        }
        switch (u_charType(c)) {
        /* Marks left by NFD (accents, harakat, shadda, sukun, hamza above/below, madda,
         * superscript alef) and invisible format characters (ZWNJ, bidi marks, soft hyphen). */
        case U_NON_SPACING_MARK:
        case U_ENCLOSING_MARK:
        case U_FORMAT_CHAR:
                return -1;
        case U_UPPERCASE_LETTER:
        case U_LOWERCASE_LETTER:
        case U_TITLECASE_LETTER:
        case U_MODIFIER_LETTER:
        case U_OTHER_LETTER:
        case U_DECIMAL_DIGIT_NUMBER:
        case U_LETTER_NUMBER:
        case U_OTHER_NUMBER:
        case U_COMBINING_SPACING_MARK:
        case U_PRIVATE_USE_CHAR:
        case U_UNASSIGNED:
                return c;
        default: /* punctuation, symbols, separators, controls */
                return ' ';
        }
}

/* Appends the UTF-8 encoding of c at out, returns the number of bytes written. */
static size_t
utf8_put(char *out, UChar32 c)
{
        unsigned char *o = (unsigned char *)out;

        if (c < 0x80) {
                o[0] = (unsigned char)c;
                return 1;
        }
        if (c < 0x800) {
                o[0] = (unsigned char)(0xC0 | (c >> 6));
                o[1] = (unsigned char)(0x80 | (c & 0x3F));
                return 2;
        }
        if (c < 0x10000) {
                o[0] = (unsigned char)(0xE0 | (c >> 12));
                o[1] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
                o[2] = (unsigned char)(0x80 | (c & 0x3F));
                return 3;
        }
        o[0] = (unsigned char)(0xF0 | (c >> 18));
        o[1] = (unsigned char)(0x80 | ((c >> 12) & 0x3F));
        o[2] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
        o[3] = (unsigned char)(0x80 | (c & 0x3F));
        return 4;
}

/* Plain ASCII needs no ICU: lower-case letters and digits, everything else separates words. */
static char *
fold_ascii(struct arena *a, const char *s, size_t len)
{
        char *out = arena_alloc(a, len + 1);
        size_t o = 0;
        int gap = 0;

        for (size_t i = 0; i < len; i++) {
                unsigned char c = (unsigned char)s[i];
                if (c >= 'A' && c <= 'Z')
                        c = (unsigned char)(c - 'A' + 'a');
                else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
                        gap = 1;
                        continue;
                }
                if (gap && o > 0)
                        out[o++] = ' ';
                gap = 0;
                out[o++] = (char)c;
        }
        out[o] = '\0';
        return out;
}

/* Case-folds src into *dst (capacity *cap), moving to the arena when the result is longer. */
static int32_t
fold_case(struct arena *a, const UChar *src, int32_t n, UChar **dst, int32_t *cap)
{
        UErrorCode err = U_ZERO_ERROR;
        int32_t len = u_strFoldCase(*dst, *cap, src, n, U_FOLD_CASE_DEFAULT, &err);

        if (err == U_BUFFER_OVERFLOW_ERROR) {
                *cap = len + 1;
                *dst = arena_alloc(a, (size_t)*cap * sizeof(UChar));
                err = U_ZERO_ERROR;
                len = u_strFoldCase(*dst, *cap, src, n, U_FOLD_CASE_DEFAULT, &err);
        }
        return U_SUCCESS(err) ? len : -1;
}

/* Decomposes src (NFD) into *dst (capacity *cap), moving to the arena when needed. */
static int32_t
decompose(struct arena *a, const UChar *src, int32_t n, UChar **dst, int32_t *cap)
{
        UErrorCode err = U_ZERO_ERROR;
        const UNormalizer2 *nfd = unorm2_getNFDInstance(&err);
        int32_t len;

        if (U_FAILURE(err))
                return -1;
        len = unorm2_normalize(nfd, src, n, *dst, *cap, &err);
        if (err == U_BUFFER_OVERFLOW_ERROR) {
                *cap = len + 1;
                *dst = arena_alloc(a, (size_t)*cap * sizeof(UChar));
                err = U_ZERO_ERROR;
                len = unorm2_normalize(nfd, src, n, *dst, *cap, &err);
        }
        return U_SUCCESS(err) ? len : -1;
}

char *
text_fold(struct arena *a, const char *s)
{
        UChar s_u1[FOLD_STACK], s_u2[2 * FOLD_STACK], s_u3[2 * FOLD_STACK];
        char s_out[6 * FOLD_STACK + 1];
        UChar *u1 = s_u1, *u2 = s_u2, *u3 = s_u3;
        int32_t cap2 = 2 * FOLD_STACK, cap3 = 2 * FOLD_STACK;
        char *out = s_out, *big = NULL;
        const unsigned char *p = (const unsigned char *)s;
        size_t len, i, o = 0;
        int32_t n1 = 0, n2, n3;
        int gap = 0;

        if (s == NULL)
                return NULL;
        len = strlen(s);
        for (i = 0; i < len && p[i] < 0x80; i++)
                ;
        if (i == len)
                return fold_ascii(a, s, len);
        if (len > INT32_MAX / 4)
                return NULL;

        /* UTF-8 to UTF-16, validating: never more code units than bytes. */
        if (len >= FOLD_STACK)
                u1 = arena_alloc(a, len * sizeof(UChar));
        for (i = 0; i < len;) {
                UChar32 c;
                size_t n = utf8_next(p + i, len - i, &c);
                if (n == 0)
                        return NULL;
                U16_APPEND_UNSAFE(u1, n1, c);
                i += n;
        }

        if ((n2 = fold_case(a, u1, n1, &u2, &cap2)) < 0)
                return NULL;
        if ((n3 = decompose(a, u2, n2, &u3, &cap3)) < 0)
                return NULL;

        /* At most 3 UTF-8 bytes per UTF-16 unit. */
        if ((size_t)n3 * 3 + 1 > sizeof(s_out))
                out = big = arena_alloc(a, (size_t)n3 * 3 + 1);
        for (int32_t k = 0; k < n3;) {
                UChar32 c;
                U16_NEXT(u3, k, n3, c);
                c = fold_map(c);
                if (c < 0)
                        continue;
                if (c == ' ') {
                        gap = 1;
                        continue;
                }
                if (gap && o > 0)
                        out[o++] = ' ';
                gap = 0;
                o += utf8_put(out + o, c);
        }
        out[o] = '\0';
        return big ? big : arena_strndup(a, s_out, o);
}
