/* arena.c: region allocator backing every request's memory. */
#include "arena.h"

#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fault.h"

#define ARENA_BLOCK 16384
/* An arena's first block is small: every connection with a request in progress holds one,
 * and most requests (a JSON detail, a 503, a redirect) need no more; the page that needs more
 * grows by ARENA_BLOCK. With 1,000 connections this is 12 MB less. */
#define ARENA_FIRST_BLOCK 4096
#define ARENA_ALIGN       16

struct block {
        struct block *next;
        size_t size, used;
        /* data follows, aligned */
        _Alignas(ARENA_ALIGN) unsigned char data[];
};

struct arena {
        struct block *head;
        jmp_buf *fail; /* where an allocation failure jumps; NULL: abort */
};

static _Noreturn void
oom(void)
{
        fputs("murafiq: out of memory\n", stderr);
        abort();
}

void *
xmalloc(size_t n)
{
        void *p = malloc(n ? n : 1);
        if (p == NULL)
                oom();
        return p;
}

void *
xcalloc(size_t n, size_t size)
{
        void *p = calloc(n ? n : 1, size ? size : 1);
        if (p == NULL)
                oom();
        return p;
}

char *
xstrdup(const char *s)
{
        size_t n = strlen(s) + 1;
        char *p = xmalloc(n);
        memcpy(p, s, n);
        return p;
}

/* Returns a new block of at least min bytes and at least grain, or NULL when memory is
 * exhausted. */
static struct block *
block_new(size_t min, size_t grain)
{
        size_t size = min > grain ? min : grain;
        if (size > SIZE_MAX - sizeof(struct block))
                return NULL;
        struct block *b = malloc(sizeof(struct block) + size);
        if (b == NULL)
                return NULL;
        b->next = NULL;
        b->size = size;
        b->used = 0;
        return b;
}

struct arena *
arena_new(void)
{
        struct arena *a = xmalloc(sizeof(*a));
        a->head = block_new(0, ARENA_FIRST_BLOCK);
        a->fail = NULL;
        if (a->head == NULL)
                oom();
        return a;
}

void
arena_on_fail(struct arena *a, jmp_buf *to)
{
        a->fail = to;
}

/* Out of memory in arena a: jump to its failure target (a request answers 500), or abort. */
static _Noreturn void
arena_fail(struct arena *a)
{
        if (a->fail) {
                jmp_buf *to = a->fail;
                a->fail = NULL; /* the recovery code sets a new target if it allocates */
                longjmp(*to, 1);
        }
        oom();
}

void
arena_free(struct arena *a)
{
        if (a == NULL)
                return;
        struct block *b = a->head;
        while (b) {
                struct block *next = b->next;
                free(b);
                b = next;
        }
        free(a);
}

void
arena_reset(struct arena *a)
{
        struct block *b = a->head;
        /* Keep the last block in the chain: it is the first one allocated. */
        while (b->next) {
                struct block *next = b->next;
                free(b);
                b = next;
        }
        b->used = 0;
        a->head = b;
}

void *
arena_alloc(struct arena *a, size_t n)
{
        if (n > SIZE_MAX - ARENA_ALIGN)
                arena_fail(a);
        /* Fault build only: the Nth allocation of a request fails as if malloc had. */
        if (a->fail && fault_alloc_fails())
                arena_fail(a);
        size_t need = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
        struct block *b = a->head;
        if (b->size - b->used < need) {
                b = block_new(need, ARENA_BLOCK);
                if (b == NULL)
                        arena_fail(a);
                b->next = a->head;
                a->head = b;
        }
        void *p = b->data + b->used;
        b->used += need;
        memset(p, 0, n);
        return p;
}

char *
arena_strndup(struct arena *a, const char *s, size_t n)
{
        if (s == NULL)
                return NULL;
        size_t len = strnlen(s, n);
        char *p = arena_alloc(a, len + 1);
        memcpy(p, s, len);
        p[len] = '\0';
        return p;
}

char *
arena_strdup(struct arena *a, const char *s)
{
        return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

char *
arena_vprintf(struct arena *a, const char *fmt, va_list ap)
{
        va_list cp;
        va_copy(cp, ap);
        int n = vsnprintf(NULL, 0, fmt, cp);
        va_end(cp);
        if (n < 0)
                return arena_strdup(a, "");
        char *p = arena_alloc(a, (size_t)n + 1);
        vsnprintf(p, (size_t)n + 1, fmt, ap);
        return p;
}

char *
arena_printf(struct arena *a, const char *fmt, ...)
{
        va_list ap;
        va_start(ap, fmt);
        char *p = arena_vprintf(a, fmt, ap);
        va_end(ap);
        return p;
}
