/* main.c: the murafiq command line: a table of commands, each with its own options. */
#include <errno.h>
#include <getopt.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include <sodium.h>

#include "core/arena.h"
#include "core/auth.h"
#include "core/buf.h"
#include "core/dates.h"
#include "core/db.h"
#include "core/fault.h"
#include "core/http.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/secret.h"
#include "demo/demo.h"
#include "demo/demo_cycle.h"
#include "admin/account_store.h"
#include "admin/audit_cli.h"
#include "admin/mfa_store.h"
#include "core/audit.h"
#include "registry/coop_csv.h"
#include "registry/coop_store.h"
#include "registry/geo.h"
#include "registry/person_store.h"
#include "privacy/privacy.h"
#include "selection/draw.h"
#include "web/layout.h"

#define EXIT_USAGE 2

/* The demo accounts `demo` creates; make run prints them. */
#define DEMO_PASSWORD "murafiq-demo-2026"
static const struct {
        const char *login, *role, *region;
} demo_users[] = {
    {"admin", "admin", NULL},
    {"manager", "program_manager", NULL},
    {"officer03", "regional_officer", "03"},
    {"officer06", "regional_officer", "06"},
    {"coach", "coach", NULL},
    {"viewer", "viewer", NULL},
    {"evaluator1", "coach", NULL},
    {"evaluator2", "coach", NULL},
};

static int
usage_error(const char *cmd, const char *msg)
{
        fprintf(stderr, "murafiq %s: %s (see murafiq %s --help)\n", cmd, msg, cmd);
        return EXIT_USAGE;
}

static int
fail(const char *cmd, const char *msg)
{
        fprintf(stderr, "murafiq %s: %s\n", cmd, msg);
        return EXIT_FAILURE;
}

/* Opens an existing, initialised database (callers have checked that --db was given). */
static struct db *
open_existing(const char *cmd, const char *path)
{
        if (access(path, R_OK | W_OK) != 0) {
                fprintf(stderr, "murafiq %s: cannot open %s: %s (create it with murafiq init)\n",
                        cmd, path, strerror(errno));
                return NULL;
        }
        struct db *db = db_open(path, 0);
        if (db) {
                /* The audit trail names the command line's writes "cli:" and the system user. */
                const char *who = getenv("SUDO_USER");
                if (who == NULL || who[0] == '\0') {
                        const struct passwd *pw = getpwuid(getuid());
                        who = pw ? pw->pw_name : getenv("USER");
                }
                char login[96];
                snprintf(login, sizeof(login), "cli:%s", who && who[0] ? who : "?");
                audit_set_actor(db, 0, login, "");
        }
        return db;
}

/* ---- the key file (national ID numbers are encrypted with it) ---- */

/* The key file of a command: --key-file, else $MURAFIQ_KEY_FILE, else the database's path
 * with ".key" appended (into buf). NULL when that does not fit. */
static const char *
key_file_path(const char *opt, const char *db_path, char *buf, size_t cap)
{
        if (opt)
                return opt;
        const char *env = getenv("MURAFIQ_KEY_FILE");
        if (env && env[0])
                return env;
        int n = snprintf(buf, cap, "%s.key", db_path);
        return n > 0 && (size_t)n < cap ? buf : NULL;
}

/* Makes the key file the process's key, checks it against db (recording it at the first use)
 * and encrypts the plain national ID numbers and second factor secrets of a database from an
 * earlier version. For every command that reads or writes people or serves logins. Prints one line
 * and returns -1 on failure. */
static int
use_key_file(const char *cmd, struct db *db, const char *key_opt, const char *db_path)
{
        char buf[4096];
        const char *path = key_file_path(key_opt, db_path, buf, sizeof(buf));
        if (path == NULL) {
                fprintf(stderr, "murafiq %s: the key file's path is too long\n", cmd);
                return -1;
        }
        const char *why = "?";
        struct secret_key *k = secret_key_file_load(path, &why);
        if (k == NULL) {
                fprintf(stderr,
                        "murafiq %s: cannot use the key file %s: %s (it encrypts the national ID "
                        "numbers; name it with --key-file or MURAFIQ_KEY_FILE)\n",
                        cmd, path, why);
                return -1;
        }
        secret_key_set_process(k);
        long long sealed = 0;
        int rc = person_store_key_check(db, &sealed);
        if (rc == STORE_UNREADABLE) {
                fprintf(stderr,
                        "murafiq %s: the key file %s is not this database's key (its national ID "
                        "numbers were encrypted with another one): use the key file made with "
                        "this database\n",
                        cmd, path);
                return -1;
        }
        if (rc != STORE_OK) {
                fprintf(stderr,
                        "murafiq %s: checking the key file %s against the database failed\n", cmd,
                        path);
                return -1;
        }
        if (sealed > 0)
                fprintf(stderr,
                        "murafiq %s: encrypted %lld national ID numbers that an earlier version "
                        "stored in plain text\n",
                        cmd, sealed);
        if (mfa_store_seal_plain(db, &sealed) != STORE_OK) {
                fprintf(stderr, "murafiq %s: encrypting the second factors' secrets failed\n", cmd);
                return -1;
        }
        if (sealed > 0)
                fprintf(stderr,
                        "murafiq %s: encrypted %lld second factor secrets that an earlier version "
                        "stored in plain text\n",
                        cmd, sealed);
        return 0;
}

static const char key_help[] =
    "usage: murafiq key create --db PATH [--key-file KEY]\n"
    "Creates the key file that encrypts the national ID numbers and the second factors'\n"
    "secrets (32 random bytes, mode 0600): KEY, else $MURAFIQ_KEY_FILE, else PATH.key; an\n"
    "existing file is never replaced. murafiq init makes one with every new database: this\n"
    "is for a database made by an earlier version, whose plain numbers and secrets are then\n"
    "encrypted at the next serve or demo. Back the key file up apart from the database:\n"
    "without it the numbers cannot be read and the second factors must be reset.\n";

static int
cmd_key(int argc, char **argv)
{
        if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
                return fputs(key_help, argc < 2 ? stderr : stdout), argc < 2 ? EXIT_USAGE : 0;
        if (strcmp(argv[1], "create") != 0)
                return usage_error("key", "the only subcommand is create");
        static const struct option opts[] = {{"db", required_argument, 0, 'd'},
                                             {"key-file", required_argument, 0, 'k'},
                                             {"help", no_argument, 0, 'h'},
                                             {0, 0, 0, 0}};
        const char *path = NULL, *key_opt = NULL;
        int c;
        optind = 2;
        while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
                if (c == 'd')
                        path = optarg;
                else if (c == 'k')
                        key_opt = optarg;
                else if (c == 'h')
                        return fputs(key_help, stdout), 0;
                else
                        return usage_error("key", "unknown option");
        }
        if (!path || optind != argc)
                return usage_error("key", "--db PATH is required");
        char buf[4096];
        const char *key = key_file_path(key_opt, path, buf, sizeof(buf));
        if (key == NULL)
                return fail("key", "the key file's path is too long");
        const char *why = "?";
        if (secret_key_file_create(key, &why) != 0) {
                fprintf(stderr, "murafiq key: cannot create the key file %s: %s\n", key, why);
                return EXIT_FAILURE;
        }
        printf("created the key file %s: back it up apart from the database; without it the "
               "national ID numbers cannot be read\n",
               key);
        return 0;
}

/* ---- init ---- */

static const char init_help[] =
    "usage: murafiq init --db PATH [--key-file KEY]\n"
    "Creates an empty murafiq database at PATH with the reference geography\n"
    "(12 regions, 75 provinces and prefectures, 1,503 communes; HCP, CC BY 4.0),\n"
    "and the key file that encrypts the national ID numbers: KEY, else $MURAFIQ_KEY_FILE,\n"
    "else PATH.key (32 random bytes, mode 0600; an existing key file is used, never\n"
    "replaced). Back the key file up apart from the database: without it the national\n"
    "ID numbers cannot be read, and murafiq backup copies the database only.\n";

/* The --key-file option every command that reads or writes people takes. */
#define KEY_FILE_OPTION                                                                            \
        {                                                                                          \
                "key-file", required_argument, 0, 'k'                                              \
        }
#define KEY_FILE_HELP                                                                              \
        "The national ID numbers are encrypted with the key file KEY, else $MURAFIQ_KEY_FILE,\n"   \
        "else the database's path with .key appended (murafiq init creates it).\n"

static int
cmd_init(int argc, char **argv)
{
        static const struct option opts[] = {{"db", required_argument, 0, 'd'},
                                             KEY_FILE_OPTION,
                                             {"help", no_argument, 0, 'h'},
                                             {0, 0, 0, 0}};
        const char *path = NULL, *key_opt = NULL;
        int c;
        while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
                if (c == 'd')
                        path = optarg;
                else if (c == 'k')
                        key_opt = optarg;
                else if (c == 'h')
                        return fputs(init_help, stdout), 0;
                else
                        return usage_error("init", "unknown option");
        }
        if (path == NULL || optind != argc)
                return usage_error("init", "--db PATH is required, and nothing else");
        if (access(path, F_OK) == 0)
                return fail("init", "the database file exists already; init creates a new one");
        char buf[4096];
        const char *key = key_file_path(key_opt, path, buf, sizeof(buf));
        if (key == NULL)
                return fail("init", "the key file's path is too long");
        /* A key file is never replaced: numbers encrypted with it would be lost. */
        int new_key = access(key, F_OK) != 0;
        const char *why = "?";
        if (new_key && secret_key_file_create(key, &why) != 0) {
                fprintf(stderr, "murafiq init: cannot create the key file %s: %s\n", key, why);
                return EXIT_FAILURE;
        }
        struct db *db = db_open(path, 1);
        if (db == NULL) {
                if (new_key)
                        unlink(key);
                return fail("init", "cannot create the database");
        }
        int geo_rc = geo_load(db);
        int key_rc = geo_rc == 0 ? use_key_file("init", db, key, path) : -1;
        int version = db_schema_version(db);
        db_close(db);
        if (geo_rc != 0 || key_rc != 0) {
                unlink(path);
                if (new_key)
                        unlink(key);
                return geo_rc ? fail("init", "loading the reference geography failed")
                              : EXIT_FAILURE;
        }
        printf("created %s (schema version %d)\n", path, version);
        if (new_key)
                printf("created the key file %s: back it up apart from the database; without it "
                       "the national ID numbers cannot be read\n",
                       key);
        else
                printf("kept the existing key file %s (never replaced)\n", key);
        return 0;
}

/* ---- demo ---- */

static const char demo_help[] =
    "usage: murafiq demo --db PATH [--scale small|national] [--seed N] [--key-file KEY]\n"
    "Fills an initialised database with generated demonstration data: about 2,000\n"
    "cooperatives (small) or 65,000 cooperatives and 790,000 members (national),\n"
    "the same for the same seed; and the demo accounts, whose password is printed.\n" KEY_FILE_HELP;

static int
cmd_demo(int argc, char **argv)
{
        static const struct option opts[] = {
            {"db", required_argument, 0, 'd'},   {"scale", required_argument, 0, 's'},
            {"seed", required_argument, 0, 'r'}, KEY_FILE_OPTION,
            {"help", no_argument, 0, 'h'},       {0, 0, 0, 0}};
        const char *path = NULL, *scale = "small", *key_opt = NULL;
        unsigned long seed = 1;
        int c;
        while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
                if (c == 'd')
                        path = optarg;
                else if (c == 's')
                        scale = optarg;
                else if (c == 'r') {
                        char *end;
                        errno = 0;
                        seed = strtoul(optarg, &end, 10);
                        if (errno || *end || optarg[0] == '-' || optarg[0] == '\0')
                                return usage_error("demo", "--seed takes a non-negative number");
                } else if (c == 'k')
                        key_opt = optarg;
                else if (c == 'h')
                        return fputs(demo_help, stdout), 0;
                else
                        return usage_error("demo", "unknown option");
        }
        if (optind != argc)
                return usage_error("demo", "unexpected argument");
        if (strcmp(scale, "small") != 0 && strcmp(scale, "national") != 0)
                return usage_error("demo", "--scale is small or national");
        if (path == NULL)
                return usage_error("demo", "--db PATH is required");
        struct db *db = open_existing("demo", path);
        if (db == NULL)
                return EXIT_FAILURE;
        if (use_key_file("demo", db, key_opt, path) != 0) {
                db_close(db);
                return EXIT_FAILURE;
        }
        const struct geo *g = geo_cache_load(db);
        int rc = EXIT_FAILURE;
        if (g == NULL || g->n_regions == 0) {
                fail("demo", "the database has no geography: create it with murafiq init");
                goto done;
        }
        if (demo_generate(db, g, strcmp(scale, "national") == 0, seed,
                          isatty(STDERR_FILENO) ? stderr : NULL) != 0) {
                fail("demo", "generating the demo data failed");
                goto done;
        }
        for (size_t i = 0; i < sizeof(demo_users) / sizeof(demo_users[0]); i++) {
                const char *regions[2] = {demo_users[i].region, NULL};
                const char *why = NULL;
                if (auth_user_create(db, demo_users[i].login, demo_users[i].role,
                                     demo_users[i].region ? regions : NULL, DEMO_PASSWORD,
                                     &why) < 0 &&
                    strcmp(why, "this login exists already") != 0) {
                        fprintf(stderr, "murafiq demo: user %s: %s\n", demo_users[i].login, why);
                        goto done;
                }
        }
        /* The demo accounts log in with their password alone (make run, the tests): the second
         * factor is optional for every role here; an admin may require it at /admin/security. */
        static const int second_factor_optional[ROLE_COUNT] = {0};
        if (mfa_store_set_policy(db, second_factor_optional) != STORE_OK) {
                fail("demo", "making the second factor optional failed");
                goto done;
        }
        if (demo_cycle(db, seed, isatty(STDERR_FILENO) ? stderr : NULL) != 0) {
                fail("demo", "entering the demo applications failed");
                goto done;
        }
        rc = 0;
done:
        geo_cache_free(g);
        db_close(db);
        return rc;
}

/* ---- serve ---- */

static const char serve_help[] =
    "usage: murafiq serve --db PATH [--listen 127.0.0.1:8080] [--threads N] [--behind-tls]\n"
    "                     [--key-file KEY] [--timeout S] [--max-connections N]\n"
    "                     [--max-inflight N] [--max-wait S] [--session-idle MIN]\n"
    "                     [--session-max H]\n"
    "Serves the web interface and the JSON API until SIGINT or SIGTERM.\n"
    "Sessions end after --session-idle minutes without a request (default 30, at most\n"
    "240) and --session-max hours after the login (default 12, at most 24).\n"
    "Limits: a connection has --timeout seconds (default 30) to send a request's headers\n"
    "and may stay idle as long; beyond --max-connections open connections (default 1024)\n"
    "and beyond --max-inflight requests waiting for a handler thread (default 512), or\n"
    "while the oldest has waited more than --max-wait seconds (default 5, at most 60),\n"
    "the server answers 503 with Retry-After.\n"
    "Put it behind a TLS reverse proxy to serve beyond this machine, with --behind-tls:\n"
    "cookies then get the __Host- prefix and Secure, every response carries HSTS, and the\n"
    "client address (for login throttling and logs) is the last X-Forwarded-For "
    "entry.\n" KEY_FILE_HELP;

static int
cmd_serve(int argc, char **argv)
{
        static const struct option opts[] = {{"db", required_argument, 0, 'd'},
                                             {"listen", required_argument, 0, 'l'},
                                             {"threads", required_argument, 0, 't'},
                                             {"behind-tls", no_argument, 0, 's'},
                                             {"timeout", required_argument, 0, 'T'},
                                             {"max-connections", required_argument, 0, 'C'},
                                             {"max-inflight", required_argument, 0, 'I'},
                                             {"max-wait", required_argument, 0, 'W'},
                                             {"session-idle", required_argument, 0, 'S'},
                                             {"session-max", required_argument, 0, 'M'},
                                             KEY_FILE_OPTION,
                                             {"help", no_argument, 0, 'h'},
                                             {0, 0, 0, 0}};
        const char *key_opt = NULL;
        long long session_idle = SESSION_IDLE_SECONDS, session_max = SESSION_MAX_SECONDS;
        struct server_config cfg = {.listen = "127.0.0.1:8080",
                                    .threads = 4,
                                    .max_body = 1u << 20,
                                    .timeout_s = 30,
                                    .max_connections = 1024,
                                    .max_inflight = 512,
                                    .max_wait_s = 5};
        int c;
        while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
                if (c == 'd')
                        cfg.db_path = optarg;
                else if (c == 'l')
                        cfg.listen = optarg;
                else if (c == 't') {
                        char *end;
                        long n = strtol(optarg, &end, 10);
                        if (*end || n < 1 || n > 256)
                                return usage_error("serve", "--threads is a number from 1 to 256");
                        cfg.threads = (unsigned)n;
                } else if (c == 'T' || c == 'C' || c == 'I') {
                        char *end;
                        long n = strtol(optarg, &end, 10);
                        if (*end || n < 1 || n > 100000)
                                return usage_error("serve", "--timeout, --max-connections and "
                                                            "--max-inflight are numbers from 1 "
                                                            "to 100000");
                        *(c == 'T'   ? &cfg.timeout_s
                          : c == 'C' ? &cfg.max_connections
                                     : &cfg.max_inflight) = (unsigned)n;
                } else if (c == 'W') {
                        char *end;
                        long n = strtol(optarg, &end, 10);
                        if (*end || n < 1 || n > 60)
                                return usage_error(
                                    "serve", "--max-wait is a number of seconds from 1 to 60");
                        cfg.max_wait_s = (unsigned)n;
                } else if (c == 'S' || c == 'M') {
                        char *end;
                        long n = strtol(optarg, &end, 10);
                        if (*end || n < 1 ||
                            n > (c == 'S' ? SESSION_IDLE_LIMIT / 60 : SESSION_MAX_LIMIT / 3600))
                                return usage_error("serve", "--session-idle is 1 to 240 minutes, "
                                                            "--session-max 1 to 24 hours");
                        *(c == 'S' ? &session_idle : &session_max) =
                            (long long)n * (c == 'S' ? 60 : 3600);
                } else if (c == 's')
                        cfg.behind_tls = 1;
                else if (c == 'k')
                        key_opt = optarg;
                else if (c == 'h')
                        return fputs(serve_help, stdout), 0;
                else
                        return usage_error("serve", "unknown option");
        }
        if (optind != argc)
                return usage_error("serve", "unexpected argument");
        if (cfg.db_path == NULL)
                return usage_error("serve", "--db PATH is required");
        if (auth_set_session_limits(session_idle, session_max) != 0)
                return usage_error("serve", "--session-idle must not be longer than --session-max");
        struct db *db = open_existing("serve", cfg.db_path);
        if (db == NULL)
                return EXIT_FAILURE;
        /* Before any thread starts: they read the process's key. */
        if (use_key_file("serve", db, key_opt, cfg.db_path) != 0) {
                db_close(db);
                return EXIT_FAILURE;
        }
        web_geo = geo_cache_load(db);
        db_close(db);
        if (web_geo == NULL || web_geo->n_regions == 0)
                return fail("serve", "the database has no geography: create it with murafiq init");
        int rc = http_serve(&cfg);
        geo_cache_free(web_geo);
        return rc == 0 ? 0 : EXIT_FAILURE;
}

/* ---- user add, token create ---- */

static const char user_help[] =
    "usage: murafiq user add --db PATH --login L --role ROLE [--region CODE]... --password-stdin\n"
    "       murafiq user disable --db PATH --login L\n"
    "       murafiq user enable --db PATH --login L\n"
    "       murafiq user list --db PATH\n"
    "       murafiq user totp-reset --db PATH --login L\n"
    "add creates an account. ROLE is admin, program_manager, regional_officer, coach or viewer;\n"
    "a regional officer needs one --region per region (HCP codes 01 to 12). The password\n"
    "(12 to 128 characters) is read from the first line of standard input.\n"
    "disable stops an account at once (its sessions and API tokens are deleted); enable lets\n"
    "it log in again. list prints login, role, regions, disabled and last login, one a line.\n"
    "totp-reset turns off the account's second factor (a lost phone) and ends its sessions.\n";

static const char user_state_help[] =
    "usage: murafiq user disable|enable --db PATH --login L\n"
    "disable stops the account at once: its sessions and API tokens are deleted.\n"
    "enable lets it log in again (with its password; API tokens must be created anew).\n";

static const char user_list_help[] =
    "usage: murafiq user list --db PATH\n"
    "Prints every account, tab-separated: login, role, regions (comma-separated, - for none),\n"
    "disabled (yes/no), last login (UTC, - for never).\n";

static const char user_totp_reset_help[] =
    "usage: murafiq user totp-reset --db PATH --login L\n"
    "Turns off the second factor of the account (for a lost phone): its secret and recovery\n"
    "codes are deleted and its sessions end. The person logs in with the password alone, then\n"
    "sets the second factor up again if their role requires it.\n";

/* user totp-reset */
static int
user_totp_reset(int argc, char **argv)
{
        static const struct option opts[] = {{"db", required_argument, 0, 'd'},
                                             {"login", required_argument, 0, 'l'},
                                             {"help", no_argument, 0, 'h'},
                                             {0, 0, 0, 0}};
        const char *path = NULL, *login = NULL;
        int c;
        optind = 2;
        while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
                if (c == 'd')
                        path = optarg;
                else if (c == 'l')
                        login = optarg;
                else if (c == 'h')
                        return fputs(user_totp_reset_help, stdout), 0;
                else
                        return usage_error("user", "unknown option");
        }
        if (!path || !login || optind != argc)
                return usage_error("user", "--db and --login are required");
        struct db *db = open_existing("user", path);
        if (db == NULL)
                return EXIT_FAILURE;
        struct arena *a = arena_new();
        struct account acc;
        int rc = account_store_find(db, login, a, &acc);
        if (rc == STORE_OK)
                rc = mfa_store_reset(db, acc.id, -1);
        if (rc == STORE_OK)
                audit_event(db, "second_factor_reset", "app_user", acc.id, NULL);
        arena_free(a);
        db_close(db);
        if (rc == STORE_NOT_FOUND)
                return fail("user", "no user has this login");
        if (rc != STORE_OK)
                return fail("user", "the second factor could not be reset (database error)");
        printf("reset the second factor of user %s\n", login);
        return 0;
}

/* user disable / user enable */
static int
user_set_disabled(int argc, char **argv, int disabled)
{
        static const struct option opts[] = {{"db", required_argument, 0, 'd'},
                                             {"login", required_argument, 0, 'l'},
                                             {"help", no_argument, 0, 'h'},
                                             {0, 0, 0, 0}};
        const char *path = NULL, *login = NULL;
        int c;
        optind = 2;
        while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
                if (c == 'd')
                        path = optarg;
                else if (c == 'l')
                        login = optarg;
                else if (c == 'h')
                        return fputs(user_state_help, stdout), 0;
                else
                        return usage_error("user", "unknown option");
        }
        if (!path || !login || optind != argc)
                return usage_error("user", "--db and --login are required");
        struct db *db = open_existing("user", path);
        if (db == NULL)
                return EXIT_FAILURE;
        struct arena *a = arena_new();
        struct account acc;
        int rc = account_store_find(db, login, a, &acc);
        if (rc == STORE_OK)
                rc = account_store_set_disabled(db, acc.id, disabled, acc.version, a);
        arena_free(a);
        db_close(db);
        if (rc == STORE_NOT_FOUND)
                return fail("user", "no user has this login");
        if (rc != STORE_OK)
                return fail("user", "the account could not be changed (database error)");
        printf("%s user %s\n", disabled ? "disabled" : "enabled", login);
        return 0;
}

static int
user_list(int argc, char **argv)
{
        static const struct option opts[] = {
            {"db", required_argument, 0, 'd'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
        const char *path = NULL;
        int c;
        optind = 2;
        while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
                if (c == 'd')
                        path = optarg;
                else if (c == 'h')
                        return fputs(user_list_help, stdout), 0;
                else
                        return usage_error("user", "unknown option");
        }
        if (!path || optind != argc)
                return usage_error("user", "--db is required");
        struct db *db = open_existing("user", path);
        if (db == NULL)
                return EXIT_FAILURE;
        struct arena *a = arena_new();
        struct account *items;
        size_t n;
        int rc = account_store_list(db, a, &items, &n);
        if (rc == STORE_OK) {
                printf("login\trole\tregions\tdisabled\tlast_login\n");
                for (size_t i = 0; i < n; i++) {
                        printf("%s\t%s\t", items[i].login, items[i].role);
                        if (items[i].regions[0] == NULL)
                                fputs("-", stdout);
                        for (size_t k = 0; items[i].regions[k]; k++)
                                printf("%s%s", k ? "," : "", items[i].regions[k]);
                        printf("\t%s\t%s\n", items[i].disabled ? "yes" : "no",
                               items[i].last_login_at[0] ? items[i].last_login_at : "-");
                }
        }
        arena_free(a);
        db_close(db);
        return rc == STORE_OK ? 0 : fail("user", "the accounts could not be read");
}

static int
cmd_user(int argc, char **argv)
{
        if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
                return fputs(user_help, argc < 2 ? stderr : stdout), argc < 2 ? EXIT_USAGE : 0;
        if (strcmp(argv[1], "disable") == 0 || strcmp(argv[1], "enable") == 0)
                return user_set_disabled(argc, argv, strcmp(argv[1], "disable") == 0);
        if (strcmp(argv[1], "list") == 0)
                return user_list(argc, argv);
        if (strcmp(argv[1], "totp-reset") == 0)
                return user_totp_reset(argc, argv);
        if (strcmp(argv[1], "add") != 0)
                return usage_error("user",
                                   "the subcommands are add, disable, enable, list and totp-reset");
        static const struct option opts[] = {{"db", required_argument, 0, 'd'},
                                             {"login", required_argument, 0, 'l'},
                                             {"role", required_argument, 0, 'r'},
                                             {"region", required_argument, 0, 'g'},
                                             {"password-stdin", no_argument, 0, 'p'},
                                             {"help", no_argument, 0, 'h'},
                                             {0, 0, 0, 0}};
        const char *path = NULL, *login = NULL, *role = NULL;
        const char *regions[13] = {0};
        int nregions = 0, from_stdin = 0, c;
        optind = 2;
        while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
                switch (c) {
                case 'd':
                        path = optarg;
                        break;
                case 'l':
                        login = optarg;
                        break;
                case 'r':
                        role = optarg;
                        break;
                case 'g':
                        if (nregions == 12)
                                return usage_error("user", "at most 12 regions");
                        regions[nregions++] = optarg;
                        break;
                case 'p':
                        from_stdin = 1;
                        break;
                case 'h':
                        return fputs(user_help, stdout), 0;
                default:
                        return usage_error("user", "unknown option");
                }
        }
        if (!path || !login || !role || !from_stdin || optind != argc)
                return usage_error("user",
                                   "--db, --login, --role and --password-stdin are required");
        size_t llen = strlen(login);
        if (llen < 2 || llen > 64 ||
            strspn(login, "abcdefghijklmnopqrstuvwxyz0123456789._-") != llen)
                return usage_error("user", "the login has 2 to 64 characters among a-z 0-9 . _ -");
        char pw[256];
        if (fgets(pw, sizeof(pw), stdin) == NULL)
                return fail("user", "no password on standard input");
        pw[strcspn(pw, "\r\n")] = '\0';
        struct db *db = open_existing("user", path);
        if (db == NULL)
                return EXIT_FAILURE;
        const char *why = NULL;
        long long id = auth_user_create(db, login, role, nregions ? regions : NULL, pw, &why);
        sodium_memzero(pw, sizeof(pw));
        db_close(db);
        if (id < 0)
                return fail("user", why);
        printf("created user %s (%s)\n", login, role);
        return 0;
}

static const char token_help[] =
    "usage: murafiq token create --db PATH --login L [--days N] [--label TEXT]\n"
    "       murafiq token list --db PATH [--login L]\n"
    "       murafiq token revoke --db PATH --id N\n"
    "create prints a new API token for the user (send it as Authorization: Bearer TOKEN),\n"
    "valid N days (default 90, at most 3650). Only its hash is stored: keep it safe, it is\n"
    "shown once. list shows the tokens (id, login, label, created, expires; never the\n"
    "tokens); revoke ends one at once.\n";

static int
cmd_token(int argc, char **argv)
{
        if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
                return fputs(token_help, argc < 2 ? stderr : stdout), argc < 2 ? EXIT_USAGE : 0;
        const char *sub = argv[1];
        if (strcmp(sub, "create") != 0 && strcmp(sub, "list") != 0 && strcmp(sub, "revoke") != 0)
                return usage_error("token", "the subcommands are create, list and revoke");
        static const struct option opts[] = {{"db", required_argument, 0, 'd'},
                                             {"login", required_argument, 0, 'l'},
                                             {"days", required_argument, 0, 'n'},
                                             {"label", required_argument, 0, 'b'},
                                             {"id", required_argument, 0, 'i'},
                                             {"help", no_argument, 0, 'h'},
                                             {0, 0, 0, 0}};
        const char *path = NULL, *login = NULL, *label = "";
        long days = TOKEN_DAYS_DEFAULT, id = 0;
        int c;
        optind = 2;
        while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
                char *end;
                if (c == 'd')
                        path = optarg;
                else if (c == 'l')
                        login = optarg;
                else if (c == 'b')
                        label = optarg;
                else if (c == 'n') {
                        days = strtol(optarg, &end, 10);
                        if (*end || days < 1 || days > TOKEN_DAYS_MAX)
                                return usage_error("token", "--days is a number from 1 to 3650");
                } else if (c == 'i') {
                        id = strtol(optarg, &end, 10);
                        if (*end || id < 1)
                                return usage_error("token", "--id is a token's number");
                } else if (c == 'h')
                        return fputs(token_help, stdout), 0;
                else
                        return usage_error("token", "unknown option");
        }
        if (!path || optind != argc)
                return usage_error("token", "--db PATH is required, and nothing else");
        if (strcmp(sub, "create") == 0 && !login)
                return usage_error("token", "create needs --login");
        if (strcmp(sub, "revoke") == 0 && id == 0)
                return usage_error("token", "revoke needs --id");
        if (strlen(label) > 100)
                return usage_error("token", "--label has at most 100 characters");
        struct db *db = open_existing("token", path);
        if (db == NULL)
                return EXIT_FAILURE;
        struct arena *a = arena_new();
        int rc = 0;
        if (strcmp(sub, "create") == 0) {
                char *token = auth_token_create(db, a, login, (int)days, label);
                if (token)
                        printf("%s\n", token);
                else
                        rc = fail("token", "no active user has this login");
        } else if (strcmp(sub, "list") == 0) {
                long long uid = 0;
                if (login) {
                        sqlite3_stmt *st = db_stmt(db, "SELECT id FROM app_user WHERE login = :l");
                        db_bind_text(st, ":l", login);
                        uid = sqlite3_step(st) == SQLITE_ROW ? db_col_int(st, 0) : -1;
                        sqlite3_reset(st);
                }
                struct api_token_info *t;
                size_t n;
                if (uid < 0)
                        rc = fail("token", "no user has this login");
                else if (auth_token_list(db, a, uid, &t, &n) != 0)
                        rc = fail("token", "cannot read the tokens");
                else
                        for (size_t i = 0; i < n; i++) {
                                char d1[24], d2[24];
                                printf("%lld\t%s\t%s\t%s\t%s%s\n", t[i].id, t[i].login, t[i].label,
                                       (date_format_utc_minute(t[i].created_at, d1), d1),
                                       (date_format_utc_minute(t[i].expires_at, d2), d2),
                                       t[i].expires_at <= (long long)time(NULL) ? " (expired)"
                                                                                : "");
                        }
        } else {
                int done = auth_token_revoke(db, id, NULL);
                if (done == 1)
                        printf("token %ld revoked\n", id);
                else
                        rc = fail("token",
                                  done == 0 ? "no token has this id" : "the revocation failed");
        }
        arena_free(a);
        db_close(db);
        return rc;
}

/* ---- import, export ---- */

static const char import_help[] =
    "usage: murafiq import cooperatives --db PATH [--all-or-nothing] [--lang ar|fr|en] FILE.csv\n"
    "Imports cooperatives from a UTF-8 CSV file whose header names the API fields\n"
    "(register_number,name_ar,name_fr,legal_date,sector,region_code,province_code,\n"
    "members_total,... see docs/API.md). Every rejected row is reported on standard\n"
    "output with its line number and reason; valid rows are kept unless --all-or-nothing.\n"
    "Exit code 1 when any row was rejected.\n";

static int
cmd_import(int argc, char **argv)
{
        if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
                return fputs(import_help, argc < 2 ? stderr : stdout), argc < 2 ? EXIT_USAGE : 0;
        if (strcmp(argv[1], "cooperatives") != 0)
                return usage_error("import", "only cooperatives can be imported");
        static const struct option opts[] = {{"db", required_argument, 0, 'd'},
                                             {"all-or-nothing", no_argument, 0, 'a'},
                                             {"lang", required_argument, 0, 'L'},
                                             {"help", no_argument, 0, 'h'},
                                             {0, 0, 0, 0}};
        const char *path = NULL;
        int all = 0, c, lang = LANG_EN;
        optind = 2;
        while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
                if (c == 'd')
                        path = optarg;
                else if (c == 'a')
                        all = 1;
                else if (c == 'L') {
                        if ((lang = lang_from_code(optarg)) < 0)
                                return usage_error("import", "--lang is ar, fr or en");
                } else if (c == 'h')
                        return fputs(import_help, stdout), 0;
                else
                        return usage_error("import", "unknown option");
        }
        if (!path || optind != argc - 1)
                return usage_error("import", "--db PATH and one FILE.csv are required");
        FILE *in = fopen(argv[optind], "r");
        if (in == NULL) {
                fprintf(stderr, "murafiq import: cannot open %s: %s\n", argv[optind],
                        strerror(errno));
                return EXIT_FAILURE;
        }
        struct db *db = open_existing("import", path);
        if (db == NULL) {
                fclose(in);
                return EXIT_FAILURE;
        }
        const struct geo *g = geo_cache_load(db);
        struct import_result res;
        int rc = g ? coop_csv_import(db, g, in, all, (enum lang)lang, stdout,
                                     isatty(STDERR_FILENO) ? stderr : NULL, &res)
                   : -1;
        fclose(in);
        geo_cache_free(g);
        db_close(db);
        if (rc != 0)
                return fail("import", "the file could not be imported; nothing was saved");
        fprintf(stderr, "%ld rows read, %ld imported, %ld rejected%s\n", res.rows, res.inserted,
                res.rejected, all && res.rejected ? " (--all-or-nothing: nothing was saved)" : "");
        return res.rejected ? EXIT_FAILURE : 0;
}

static const char export_help[] =
    "usage: murafiq export cooperatives --db PATH [--format csv] [--output FILE]\n"
    "Writes every cooperative as CSV (the import format) to standard output or FILE.\n";

struct export_out {
        FILE *out;
        struct arena *a;
        int failed;
};

/* Writes one row at a time: a national export never sits whole in memory. */
static int
write_row(void *ctx, const struct coop *c)
{
        struct export_out *x = ctx;
        struct buf b;
        buf_init(&b, x->a, 1u << 20);
        coop_csv_row(&b, c);
        if (b.err || fwrite(b.data, 1, b.len, x->out) != b.len)
                x->failed = 1;
        return x->failed;
}

static int
cmd_export(int argc, char **argv)
{
        if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
                return fputs(export_help, argc < 2 ? stderr : stdout), argc < 2 ? EXIT_USAGE : 0;
        if (strcmp(argv[1], "cooperatives") != 0)
                return usage_error("export", "only cooperatives can be exported");
        static const struct option opts[] = {{"db", required_argument, 0, 'd'},
                                             {"format", required_argument, 0, 'f'},
                                             {"output", required_argument, 0, 'o'},
                                             {"help", no_argument, 0, 'h'},
                                             {0, 0, 0, 0}};
        const char *path = NULL, *out_path = NULL;
        int c;
        optind = 2;
        while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
                if (c == 'd')
                        path = optarg;
                else if (c == 'f') {
                        if (strcmp(optarg, "csv") != 0)
                                return usage_error("export", "the only format is csv");
                } else if (c == 'o')
                        out_path = optarg;
                else if (c == 'h')
                        return fputs(export_help, stdout), 0;
                else
                        return usage_error("export", "unknown option");
        }
        if (!path || optind != argc)
                return usage_error("export", "--db PATH is required");
        struct db *db = open_existing("export", path);
        if (db == NULL)
                return EXIT_FAILURE;
        FILE *out = out_path ? fopen(out_path, "w") : stdout;
        if (out == NULL) {
                db_close(db);
                return fail("export", "cannot create the output file");
        }
        struct arena *a = arena_new(), *scratch = arena_new();
        struct buf b;
        buf_init(&b, a, 4096);
        coop_csv_header(&b);
        struct export_out x = {out, scratch, fwrite(b.data, 1, b.len, out) != b.len};
        struct scope all = {0, 1};
        struct coop_filter f = {0};
        int rc = x.failed ? STORE_ERROR : coop_store_each(db, &all, &f, scratch, write_row, &x);
        int werr = x.failed;
        if (out != stdout)
                werr |= fclose(out) != 0;
        else
                werr |= fflush(out) != 0;
        arena_free(scratch);
        arena_free(a);
        /* Like a download from the pages, an export is part of the trail. */
        if (rc == STORE_OK && !werr)
                audit_event_pairs(db, "export", "", 0, "command", "export cooperatives", "output",
                                  out_path ? out_path : "(standard output)", NULL);
        db_close(db);
        if (rc != STORE_OK || werr)
                return fail("export", "the export failed");
        return 0;
}

/* ---- backup ---- */

static const char backup_help[] =
    "usage: murafiq backup --db PATH DEST\n"
    "Writes a consistent copy of the database to DEST (a new file), even while the\n"
    "server is running (SQLite online backup).\n";

static int
cmd_backup(int argc, char **argv)
{
        static const struct option opts[] = {
            {"db", required_argument, 0, 'd'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
        const char *path = NULL;
        int c;
        while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
                if (c == 'd')
                        path = optarg;
                else if (c == 'h')
                        return fputs(backup_help, stdout), 0;
                else
                        return usage_error("backup", "unknown option");
        }
        if (!path || optind != argc - 1)
                return usage_error("backup", "--db PATH and DEST are required");
        const char *dest = argv[optind];
        if (access(dest, F_OK) == 0)
                return fail("backup", "DEST exists already; choose a new file name");
        struct db *db = open_existing("backup", path);
        if (db == NULL)
                return EXIT_FAILURE;
        int rc = db_backup(db, dest);
        db_close(db);
        if (rc != 0) {
                unlink(dest);
                return fail("backup", "the backup failed");
        }
        printf("backup written to %s\n", dest);
        return 0;
}

/* ---- dispatch ---- */

static int cmd_help(int argc, char **argv);

static const struct command {
        const char *name;
        int (*run)(int argc, char **argv);
        const char *summary;
} commands[] = {
    {"init", cmd_init, "create an empty database with the reference geography"},
    {"demo", cmd_demo, "fill a database with generated demo data and demo accounts"},
    {"serve", cmd_serve, "serve the web interface and the JSON API"},
    {"user", cmd_user, "user add|disable|enable|list: manage accounts"},
    {"token", cmd_token, "token create|list|revoke: API tokens of users"},
    {"key", cmd_key, "key create: the key file of an earlier version's database"},
    {"import", cmd_import, "import cooperatives from CSV"},
    {"export", cmd_export, "export cooperatives as CSV"},
    {"backup", cmd_backup, "copy the database consistently while it is in use"},
    {"audit", cmd_audit, "audit verify: check the hash chain of the audit trail"},
    {"draw", cmd_draw, "a publicly verifiable draw (RFC 3797) from a pool and random sources"},
    {"retention", cmd_retention, "retention purge: apply the register's retention periods"},
    {"help", cmd_help, "this list"},
};

static int
cmd_help(int argc, char **argv)
{
        (void)argc, (void)argv;
        puts("usage: murafiq COMMAND [OPTIONS]   (murafiq COMMAND --help for its options)\n");
        for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
                printf("  %-8s %s\n", commands[i].name, commands[i].summary);
        return 0;
}

int
main(int argc, char **argv)
{
        if (argc < 2) {
                cmd_help(0, NULL);
                return EXIT_USAGE;
        }
        fault_init(); /* the fault injection build only (make FAULT=1); nothing otherwise */
        if (auth_init() != 0 || i18n_init() != 0) {
                fputs("murafiq: cannot initialise the cryptography or the message catalogs\n",
                      stderr);
                return EXIT_FAILURE;
        }
        for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
                if (strcmp(argv[1], commands[i].name) == 0) {
                        optind = 1;
                        int rc = commands[i].run(argc - 1, argv + 1);
                        secret_key_set_process(NULL); /* wiped */
                        return rc;
                }
        }
        if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
                return cmd_help(0, NULL);
        fprintf(stderr, "murafiq: unknown command \"%s\" (see murafiq help)\n", argv[1]);
        return EXIT_USAGE;
}
