/* audit_cli.c: `murafiq audit verify`, the check of the whole chain from the command line. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "admin/audit_cli.h"
#include "core/audit.h"
#include "core/db.h"

static const char audit_help[] =
    "usage: murafiq audit verify --db PATH\n"
    "Recomputes the hash chain of the audit trail, entry by entry. Prints the number of\n"
    "entries and the hash of the last one (note it down: a chain cut at its end can only be\n"
    "told from it), or names the first entry that was changed, removed or inserted outside\n"
    "murafiq. Exit status: 0 intact, 1 broken, 2 usage.\n";

int
cmd_audit(int argc, char **argv)
{
        static const struct option opts[] = {
            {"db", required_argument, 0, 'd'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
        const char *path = NULL;
        int c;
        if (argc < 2 || strcmp(argv[1], "verify") != 0) {
                if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0))
                        return fputs(audit_help, stdout), 0;
                fputs("murafiq audit: the subcommand is verify (see murafiq audit --help)\n",
                      stderr);
                return 2;
        }
        argc--, argv++;
        while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
                if (c == 'd')
                        path = optarg;
                else if (c == 'h')
                        return fputs(audit_help, stdout), 0;
                else
                        return fputs("murafiq audit: unknown option\n", stderr), 2;
        }
        if (path == NULL || optind != argc)
                return fputs("murafiq audit verify: --db PATH is required, and nothing else\n",
                             stderr),
                       2;
        if (access(path, R_OK) != 0) {
                fprintf(stderr, "murafiq audit: cannot open %s: %s\n", path, strerror(errno));
                return EXIT_FAILURE;
        }
        struct db *db = db_open(path, 0);
        if (db == NULL)
                return EXIT_FAILURE;
        long long bad = 0;
        const char *why = NULL;
        long long n = audit_verify(db, &bad, &why);
        int rc = 0;
        if (n >= 0) {
                sqlite3_stmt *st = db_stmt(db, "SELECT id, hash FROM audit_log"
                                               " ORDER BY id DESC LIMIT 1");
                if (st && sqlite3_step(st) == SQLITE_ROW)
                        printf("audit: %lld entries, chain intact; last entry %lld, hash %s\n", n,
                               (long long)sqlite3_column_int64(st, 0),
                               (const char *)sqlite3_column_text(st, 1));
                else
                        printf("audit: %lld entries, chain intact\n", n);
                if (st)
                        sqlite3_reset(st);
        } else if (bad > 0) {
                printf("audit: chain broken at entry %lld: %s\n", bad, why);
                rc = 1;
        } else {
                fprintf(stderr, "murafiq audit: %s\n", why ? why : "the check failed");
                rc = EXIT_FAILURE;
        }
        db_close(db);
        return rc;
}
