/* privacy_cli.c: `murafiq retention purge`, the register's retention periods applied. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/audit.h"
#include "core/db.h"
#include "privacy/privacy_store.h"

#define EXIT_USAGE 2

static const char retention_help[] =
    "usage: murafiq retention purge --db PATH [--as-of YYYY-MM-DD] [--dry-run]\n"
    "Applies the retention periods of the register of processing activities (/admin/processing)\n"
    "on the given date (default: today), in one transaction:\n"
    "  people          people without a current membership whose last membership ended (or,\n"
    "                  without any, whose record was created) more than the registry's\n"
    "                  retention ago: deleted, with their consents, objection and history\n"
    "  consents        consents withdrawn more than the registry's retention ago: deleted\n"
    "  sessions        sessions expired by that date (idle or past their lifetime): deleted\n"
    "  login_failures  failed logins older than the sign-in security retention: deleted\n"
    "Prints one line per category: NAME<TAB>COUNT<TAB>RETENTION. With --dry-run the same\n"
    "counts are printed and nothing is changed.\n";

static int
usage_error(const char *msg)
{
        fprintf(stderr, "murafiq retention: %s (see murafiq retention --help)\n", msg);
        return EXIT_USAGE;
}

int
cmd_retention(int argc, char **argv)
{
        if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
                return fputs(retention_help, argc < 2 ? stderr : stdout), argc < 2 ? EXIT_USAGE : 0;
        if (strcmp(argv[1], "purge") != 0)
                return usage_error("the only subcommand is purge");
        static const struct option opts[] = {{"db", required_argument, 0, 'd'},
                                             {"as-of", required_argument, 0, 'a'},
                                             {"dry-run", no_argument, 0, 'n'},
                                             {"help", no_argument, 0, 'h'},
                                             {0, 0, 0, 0}};
        const char *path = NULL;
        struct date as_of = date_today();
        int dry_run = 0, c;
        optind = 2;
        while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
                if (c == 'd')
                        path = optarg;
                else if (c == 'a') {
                        if (date_parse(optarg, &as_of) != 0)
                                return usage_error("--as-of takes a real date YYYY-MM-DD");
                } else if (c == 'n')
                        dry_run = 1;
                else if (c == 'h')
                        return fputs(retention_help, stdout), 0;
                else
                        return usage_error("unknown option");
        }
        if (path == NULL || optind != argc)
                return usage_error("--db PATH is required, and nothing else");
        if (access(path, R_OK | W_OK) != 0) {
                fprintf(stderr, "murafiq retention: cannot open %s\n", path);
                return EXIT_FAILURE;
        }
        struct db *db = db_open(path, 0);
        if (db == NULL)
                return EXIT_FAILURE;
        audit_set_actor(db, 0, "cli:retention", "");
        struct purge_counts n;
        int rc = privacy_store_purge(db, as_of, dry_run, &n);
        db_close(db);
        if (rc != STORE_OK) {
                fputs("murafiq retention: the purge failed; nothing was changed\n", stderr);
                return EXIT_FAILURE;
        }
        char day[11];
        date_format_iso(as_of, day);
        printf("%s on %s\n", dry_run ? "dry run (nothing changed)" : "purged", day);
        printf("people\t%lld\t%lld months\n", n.people, n.people_months);
        printf("consents\t%lld\t%lld months\n", n.consents, n.consent_months);
        printf("sessions\t%lld\texpired\n", n.sessions);
        printf("login_failures\t%lld\t%lld months\n", n.login_failures, n.login_failure_months);
        return 0;
}
