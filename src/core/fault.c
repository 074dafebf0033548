/* fault.c: the test build's fault injection: a SQLite VFS shim over the default VFS that fails
 * the Nth write or sync, and the counter behind arena allocation failures (see fault.h). */
#include "fault.h"

#if defined(MURAFIQ_FAULT) && MURAFIQ_FAULT

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum fault_kind { FAULT_NONE, FAULT_WRITE, FAULT_FULL, FAULT_SYNC, FAULT_ALLOC };

/* Armed per thread: a server thread counts only its own request's operations. */
static _Thread_local struct {
        enum fault_kind kind;
        long n, count;
        int fired;
} armed;

static int per_request;

int
fault_arm(const char *spec)
{
        memset(&armed, 0, sizeof(armed));
        if (spec == NULL || *spec == '\0')
                return 0;
        static const struct {
                const char *name;
                enum fault_kind kind;
        } kinds[] = {{"write", FAULT_WRITE},
                     {"full", FAULT_FULL},
                     {"sync", FAULT_SYNC},
                     {"alloc", FAULT_ALLOC}};
        const char *colon = strchr(spec, ':');
        if (colon == NULL)
                return -1;
        for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
                if (strlen(kinds[i].name) != (size_t)(colon - spec) ||
                    strncmp(spec, kinds[i].name, (size_t)(colon - spec)) != 0)
                        continue;
                char *end;
                errno = 0;
                long n = strtol(colon + 1, &end, 10);
                if (errno || end == colon + 1 || *end || n < 1)
                        return -1;
                armed.kind = kinds[i].kind;
                armed.n = n;
                return 0;
        }
        return -1;
}

int
fault_per_request(void)
{
        return per_request;
}

int
fault_fired(void)
{
        return armed.fired;
}

/* Counts one operation of kind; returns 1 when it must fail. */
static int
fault_hit(enum fault_kind kind)
{
        if (armed.kind != kind)
                return 0;
        armed.count++;
        /* A full disk stays full: every write after the first failed one fails too. */
        if (armed.count == armed.n || (kind == FAULT_FULL && armed.count > armed.n)) {
                armed.fired = 1;
                return 1;
        }
        return 0;
}

int
fault_alloc_fails(void)
{
        return fault_hit(FAULT_ALLOC);
}

/* ---- the VFS shim: every call goes to the default VFS, writes and syncs may fail ---- */

struct fault_file {
        sqlite3_file base;
        sqlite3_file *real; /* the default VFS's file, right after this struct */
};

static sqlite3_vfs *real_vfs;

#define REAL(f) (((struct fault_file *)(void *)(f))->real)

static int
ff_close(sqlite3_file *f)
{
        return REAL(f)->pMethods->xClose(REAL(f));
}

static int
ff_read(sqlite3_file *f, void *p, int n, sqlite3_int64 off)
{
        return REAL(f)->pMethods->xRead(REAL(f), p, n, off);
}

static int
ff_write(sqlite3_file *f, const void *p, int n, sqlite3_int64 off)
{
        if (fault_hit(FAULT_WRITE))
                return SQLITE_IOERR_WRITE;
        if (fault_hit(FAULT_FULL))
                return SQLITE_FULL;
        return REAL(f)->pMethods->xWrite(REAL(f), p, n, off);
}

static int
ff_truncate(sqlite3_file *f, sqlite3_int64 size)
{
        return REAL(f)->pMethods->xTruncate(REAL(f), size);
}

static int
ff_sync(sqlite3_file *f, int flags)
{
        if (fault_hit(FAULT_SYNC))
                return SQLITE_IOERR_FSYNC;
        return REAL(f)->pMethods->xSync(REAL(f), flags);
}

static int
ff_file_size(sqlite3_file *f, sqlite3_int64 *size)
{
        return REAL(f)->pMethods->xFileSize(REAL(f), size);
}

static int
ff_lock(sqlite3_file *f, int level)
{
        return REAL(f)->pMethods->xLock(REAL(f), level);
}

static int
ff_unlock(sqlite3_file *f, int level)
{
        return REAL(f)->pMethods->xUnlock(REAL(f), level);
}

static int
ff_check_reserved(sqlite3_file *f, int *out)
{
        return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out);
}

static int
ff_file_control(sqlite3_file *f, int op, void *arg)
{
        return REAL(f)->pMethods->xFileControl(REAL(f), op, arg);
}

static int
ff_sector_size(sqlite3_file *f)
{
        return REAL(f)->pMethods->xSectorSize(REAL(f));
}

static int
ff_device(sqlite3_file *f)
{
        return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f));
}

static int
ff_shm_map(sqlite3_file *f, int page, int size, int extend, void volatile **p)
{
        return REAL(f)->pMethods->xShmMap(REAL(f), page, size, extend, p);
}

static int
ff_shm_lock(sqlite3_file *f, int offset, int n, int flags)
{
        return REAL(f)->pMethods->xShmLock(REAL(f), offset, n, flags);
}

static void
ff_shm_barrier(sqlite3_file *f)
{
        REAL(f)->pMethods->xShmBarrier(REAL(f));
}

static int
ff_shm_unmap(sqlite3_file *f, int del)
{
        return REAL(f)->pMethods->xShmUnmap(REAL(f), del);
}

static int
ff_fetch(sqlite3_file *f, sqlite3_int64 off, int n, void **p)
{
        return REAL(f)->pMethods->xFetch(REAL(f), off, n, p);
}

static int
ff_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p)
{
        return REAL(f)->pMethods->xUnfetch(REAL(f), off, p);
}

static const sqlite3_io_methods ff_methods = {
    .iVersion = 3,
    .xClose = ff_close,
    .xRead = ff_read,
    .xWrite = ff_write,
    .xTruncate = ff_truncate,
    .xSync = ff_sync,
    .xFileSize = ff_file_size,
    .xLock = ff_lock,
    .xUnlock = ff_unlock,
    .xCheckReservedLock = ff_check_reserved,
    .xFileControl = ff_file_control,
    .xSectorSize = ff_sector_size,
    .xDeviceCharacteristics = ff_device,
    .xShmMap = ff_shm_map,
    .xShmLock = ff_shm_lock,
    .xShmBarrier = ff_shm_barrier,
    .xShmUnmap = ff_shm_unmap,
    .xFetch = ff_fetch,
    .xUnfetch = ff_unfetch,
};

static int
fv_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *file, int flags, int *out)
{
        (void)vfs;
        struct fault_file *f = (struct fault_file *)(void *)file;
        f->real = (sqlite3_file *)(void *)(f + 1);
        int rc = real_vfs->xOpen(real_vfs, name, f->real, flags, out);
        /* The real file's methods are all version 3 (unix VFS); a failed open has none. */
        f->base.pMethods = f->real->pMethods ? &ff_methods : NULL;
        return rc;
}

static int
fv_delete(sqlite3_vfs *vfs, const char *name, int sync_dir)
{
        (void)vfs;
        return real_vfs->xDelete(real_vfs, name, sync_dir);
}

static int
fv_access(sqlite3_vfs *vfs, const char *name, int flags, int *out)
{
        (void)vfs;
        return real_vfs->xAccess(real_vfs, name, flags, out);
}

static int
fv_full_pathname(sqlite3_vfs *vfs, const char *name, int n, char *out)
{
        (void)vfs;
        return real_vfs->xFullPathname(real_vfs, name, n, out);
}

static void *
fv_dlopen(sqlite3_vfs *vfs, const char *name)
{
        (void)vfs;
        return real_vfs->xDlOpen(real_vfs, name);
}

static void
fv_dlerror(sqlite3_vfs *vfs, int n, char *msg)
{
        (void)vfs;
        real_vfs->xDlError(real_vfs, n, msg);
}

static void (*fv_dlsym(sqlite3_vfs *vfs, void *h, const char *sym))(void)
{
        (void)vfs;
        return real_vfs->xDlSym(real_vfs, h, sym);
}

static void
fv_dlclose(sqlite3_vfs *vfs, void *h)
{
        (void)vfs;
        real_vfs->xDlClose(real_vfs, h);
}

static int
fv_randomness(sqlite3_vfs *vfs, int n, char *out)
{
        (void)vfs;
        return real_vfs->xRandomness(real_vfs, n, out);
}

static int
fv_sleep(sqlite3_vfs *vfs, int us)
{
        (void)vfs;
        return real_vfs->xSleep(real_vfs, us);
}

static int
fv_current_time(sqlite3_vfs *vfs, double *t)
{
        (void)vfs;
        return real_vfs->xCurrentTime(real_vfs, t);
}

static int
fv_last_error(sqlite3_vfs *vfs, int n, char *msg)
{
        (void)vfs;
        return real_vfs->xGetLastError(real_vfs, n, msg);
}

static int
fv_current_time64(sqlite3_vfs *vfs, sqlite3_int64 *t)
{
        (void)vfs;
        return real_vfs->xCurrentTimeInt64(real_vfs, t);
}

static sqlite3_vfs fault_vfs = {
    .iVersion = 2,
    .mxPathname = 0, /* set from the real VFS */
    .zName = "murafiq-fault",
    .xOpen = fv_open,
    .xDelete = fv_delete,
    .xAccess = fv_access,
    .xFullPathname = fv_full_pathname,
    .xDlOpen = fv_dlopen,
    .xDlError = fv_dlerror,
    .xDlSym = fv_dlsym,
    .xDlClose = fv_dlclose,
    .xRandomness = fv_randomness,
    .xSleep = fv_sleep,
    .xCurrentTime = fv_current_time,
    .xGetLastError = fv_last_error,
    .xCurrentTimeInt64 = fv_current_time64,
};

void
fault_init(void)
{
        if (real_vfs)
                return;
        real_vfs = sqlite3_vfs_find(NULL);
        if (real_vfs == NULL || real_vfs->iVersion < 2) {
                fputs("murafiq: fault build: no default SQLite VFS to wrap\n", stderr);
                abort();
        }
        fault_vfs.szOsFile = (int)sizeof(struct fault_file) + real_vfs->szOsFile;
        fault_vfs.mxPathname = real_vfs->mxPathname;
        if (sqlite3_vfs_register(&fault_vfs, 1) != SQLITE_OK) {
                fputs("murafiq: fault build: cannot register the fault VFS\n", stderr);
                abort();
        }
        const char *env = getenv("MURAFIQ_FAULT");
        if (env && strcmp(env, "request") == 0)
                per_request = 1;
        else if (env && *env && fault_arm(env) != 0) {
                fprintf(stderr,
                        "murafiq: MURAFIQ_FAULT=%s: expected write:N, full:N, sync:N, "
                        "alloc:N or request\n",
                        env);
                exit(2);
        }
        fputs("murafiq: fault injection build (MURAFIQ_FAULT): not for production\n", stderr);
}

#else

typedef int fault_disabled; /* a normal build: nothing here (see fault.h) */

#endif
