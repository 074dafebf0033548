/* arena.h: region allocator; one arena per request, freed as a whole. */
#ifndef MURAFIQ_ARENA_H
#define MURAFIQ_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct arena;

/* Returns a new empty arena. Aborts the process when memory is exhausted. */
struct arena *arena_new(void);
/* Frees every block of the arena, then the arena. Accepts NULL. */
void arena_free(struct arena *a);
/* Forgets every allocation but keeps the first block for reuse (batch loops). */
void arena_reset(struct arena *a);

/* Returns n bytes aligned for any type, zeroed; owned by the arena. */
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
