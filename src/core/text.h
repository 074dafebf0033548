/* text.h: UTF-8 checks and search folding (ICU). Pure functions, no I/O. */
#ifndef MURAFIQ_TEXT_H
#define MURAFIQ_TEXT_H

#include <stddef.h>

struct arena;

/* Returns 1 when s[0..len) is well-formed UTF-8 with no NUL and no C0 control other than
 * tab, LF and CR; 0 otherwise. */
int text_valid_utf8(const char *s, size_t len);
/* Returns 1 when s[0..len) is well-formed UTF-8 (no overlong form, no surrogate, nothing past
 * U+10FFFF), whatever the characters, NUL and controls included; 0 otherwise. */
int text_wellformed_utf8(const char *s, size_t len);

/* Returns the number of code points of the valid UTF-8 string s. */
size_t text_length(const char *s);

/* Returns s without leading/trailing white space, in the arena. */
char *text_trim(struct arena *a, const char *s);

/*
 * Folds s for search and duplicate detection, into the arena:
 * - case folded, accents and all combining marks removed (é -> e, Ç -> c);
 * - Arabic: harakat, shadda, sukun, superscript alef and tatweel removed; hamza forms
 *   أ إ آ ٱ -> ا, ؤ -> و, ئ -> ي; ة -> ه; ى -> ي;
 * - punctuation and runs of white space become a single space; trimmed.
 * Returns NULL when s is not valid UTF-8.
 */
char *text_fold(struct arena *a, const char *s);

#endif
