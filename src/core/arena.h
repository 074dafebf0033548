/* arena.h: region allocator; one arena per request, freed as a whole. */
#ifndef MURAFIQ_ARENA_H
#define MURAFIQ_ARENA_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

struct arena;

/* Returns a new empty arena. Aborts the process when memory is exhausted. */
struct arena *arena_new(void);
/* Frees every block of the arena, then the arena. Accepts NULL. */
void arena_free(struct arena *a);
/* Forgets every allocation but keeps the first block for reuse (batch loops). */
void arena_reset(struct arena *a);

/* Sets where an allocation failure of a jumps (longjmp(*to, 1)): a request's recovery point,
 * which rolls back and answers 500. The target is cleared as it is taken; NULL (the default)
 * makes a failure abort the process, as for process-lifetime memory. */
void arena_on_fail(struct arena *a, jmp_buf *to);

/* Returns n bytes aligned for any type, zeroed; owned by the arena. Never returns NULL: on
 * failure it jumps to the arena's failure target, or aborts. */
void *arena_alloc(struct arena *a, size_t n);
/* Copies s (NULL gives NULL) into the arena. */
char *arena_strdup(struct arena *a, const char *s);
/* Copies at most n bytes of s and NUL-terminates. */
char *arena_strndup(struct arena *a, const char *s, size_t n);
/* printf into an arena string. */
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *arena_vprintf(struct arena *a, const char *fmt, va_list ap);

/* Process-lifetime allocation that aborts on failure (configuration, caches). */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
char *xstrdup(const char *s);

#endif
