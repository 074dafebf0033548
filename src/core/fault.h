/* fault.h: fault injection for the test build only (make FAULT=1, which defines
 * MURAFIQ_FAULT=1): fail the Nth SQLite write or sync, or the Nth allocation of a request's
 * arena, to prove that a failed request answers 500, rolls back and leaves the server serving.
 * In every other build these are empty inline functions: nothing can be armed.
 *
 * A fault is a spec "KIND:N", N >= 1, counted from the moment it is armed on a thread:
 *   write:N  the Nth xWrite of any SQLite file fails with SQLITE_IOERR_WRITE (EIO), once
 *   full:N   the Nth xWrite and every later one fail with SQLITE_FULL (ENOSPC), until disarmed
 *   sync:N   the Nth xSync fails with SQLITE_IOERR_FSYNC, once
 *   alloc:N  the Nth allocation of an arena that has a failure target (arena_on_fail) fails
 * The environment variable MURAFIQ_FAULT holds a spec armed on the main thread at start (for
 * the command line), or "request": then the server arms, for each request, the spec its
 * X-Murafiq-Fault header names, and answers X-Murafiq-Fault-Fired: 1 when it fired. */
#ifndef MURAFIQ_FAULT_H
#define MURAFIQ_FAULT_H

#if defined(MURAFIQ_FAULT) && MURAFIQ_FAULT

/* Reads MURAFIQ_FAULT and registers the SQLite VFS shim as the default VFS. Call once at
 * start, before any database is opened. */
void fault_init(void);
/* Arms spec on the calling thread (NULL or "" disarms). Returns 0, or -1 for a bad spec. */
int fault_arm(const char *spec);
/* Whether per-request specs are allowed (MURAFIQ_FAULT=request). */
int fault_per_request(void);
/* Whether the fault armed on this thread has fired since it was armed. */
int fault_fired(void);
/* Counts one arena allocation; returns 1 when this one must fail. */
int fault_alloc_fails(void);

#else

static inline void
fault_init(void)
{
}
static inline int
fault_arm(const char *spec)
{
        (void)spec;
        return -1;
}
static inline int
fault_per_request(void)
{
        return 0;
}
static inline int
fault_fired(void)
{
        return 0;
}
static inline int
fault_alloc_fails(void)
{
        return 0;
}

#endif
#endif
