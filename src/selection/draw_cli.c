/* draw_cli.c: `murafiq draw`, an RFC 3797 draw from a pool file and a sources file. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "selection/draw.h"

#define EXIT_USAGE      2
#define MAX_POOL_FILE   (64u << 20) /* 100,000 entries of up to 1,000 bytes would be ~100 MB */
#define MAX_SOURCE_FILE (64u << 10)
#define MAX_KEY         (64u << 10)

static const char draw_help[] =
    "usage: murafiq draw --pool FILE --sources FILE --select N [--show-key]\n"
    "Draws N entries from the pool, publicly verifiably (RFC 3797, section 4): anyone\n"
    "can recompute the result with the RFC's reference code.\n"
    "  --pool FILE     one entry a line, in the order published before the draw\n"
    "                  (UTF-8, no blank line, at most 100,000 entries)\n"
    "  --sources FILE  one random source a line, announced before the draw: whole\n"
    "                  numbers separated by spaces (e.g. a lottery's results)\n"
    "  --select N      how many entries to draw: 1 to the size of the pool (at most 65,536)\n"
    "  --show-key      print the RFC 3797 key string first, as key<TAB>KEY\n"
    "Prints one line per selected entry, in selection order:\n"
    "  rank<TAB>position in the pool (from 1)<TAB>entry\n";

static int
usage_error(const char *msg)
{
        fprintf(stderr, "murafiq draw: %s (see murafiq draw --help)\n", msg);
        return EXIT_USAGE;
}

/* Reads the whole file at path into the arena (NUL-terminated); -1 with a message on stderr. */
static int
read_file(struct arena *a, const char *path, size_t max, const char **text, size_t *len)
{
        struct buf b;
        char chunk[65536];
        size_t got;
        FILE *f = fopen(path, "rb");

        if (f == NULL) {
                fprintf(stderr, "murafiq draw: cannot read %s: %s\n", path, strerror(errno));
                return -1;
        }
        buf_init(&b, a, max);
        while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0 && !b.err)
                buf_append(&b, chunk, got);
        int read_error = ferror(f);
        fclose(f);
        if (read_error) {
                fprintf(stderr, "murafiq draw: cannot read %s\n", path);
                return -1;
        }
        if (b.err) {
                fprintf(stderr, "murafiq draw: %s is too large (at most %zu bytes)\n", path, max);
                return -1;
        }
        *text = buf_str(&b);
        *len = b.len;
        return 0;
}

/* Parses N of --select: decimal digits only, 1 or more. Returns 0 or -1. */
static int
parse_count(const char *s, size_t *out)
{
        size_t v = 0;

        if (*s == '\0')
                return -1;
        for (; *s; s++) {
                if (*s < '0' || *s > '9')
                        return -1;
                /* Saturates: anything above the largest pool is refused as such later. */
                if (v <= DRAW_MAX_POOL)
                        v = v * 10 + (size_t)(*s - '0');
        }
        *out = v;
        return 0;
}

int
cmd_draw(int argc, char **argv)
{
        static const struct option opts[] = {
            {"pool", required_argument, 0, 'p'},   {"sources", required_argument, 0, 's'},
            {"select", required_argument, 0, 'n'}, {"show-key", no_argument, 0, 'k'},
            {"help", no_argument, 0, 'h'},         {0, 0, 0, 0}};
        const char *pool_path = NULL, *sources_path = NULL, *select_arg = NULL;
        int show_key = 0, c, rc = EXIT_FAILURE;
        struct arena *a = NULL;

        opterr = 0; /* one line on stderr: ours */
        while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
                if (c == 'p')
                        pool_path = optarg;
                else if (c == 's')
                        sources_path = optarg;
                else if (c == 'n')
                        select_arg = optarg;
                else if (c == 'k')
                        show_key = 1;
                else if (c == 'h')
                        return fputs(draw_help, stdout) == EOF ? EXIT_FAILURE : 0;
                else
                        return usage_error("unknown option, or an option without its value");
        }
        if (optind != argc)
                return usage_error("unexpected argument");
        if (!pool_path || !sources_path || !select_arg)
                return usage_error("--pool FILE, --sources FILE and --select N are required");
        size_t select;
        if (parse_count(select_arg, &select) != 0 || select == 0)
                return usage_error("--select takes a whole number of at least 1");

        a = arena_new();
        const char *text;
        size_t len, line, nsources, npool;
        struct draw_source *sources;
        const char **pool;

        if (read_file(a, sources_path, MAX_SOURCE_FILE, &text, &len) != 0)
                goto fail;
        int perr = draw_parse_sources(a, text, len, &sources, &nsources, &line);
        if (perr != DRAW_OK) {
                if (line > 0)
                        fprintf(stderr, "murafiq draw: %s line %zu: %s\n", sources_path, line,
                                draw_error_message(perr));
                else
                        fprintf(stderr, "murafiq draw: %s: %s\n", sources_path,
                                draw_error_message(perr));
                goto fail;
        }
        if (read_file(a, pool_path, MAX_POOL_FILE, &text, &len) != 0)
                goto fail;
        perr = draw_parse_pool(a, text, len, &pool, &npool, &line);
        if (perr != DRAW_OK) {
                if (line > 0)
                        fprintf(stderr, "murafiq draw: %s line %zu: %s\n", pool_path, line,
                                draw_error_message(perr));
                else
                        fprintf(stderr, "murafiq draw: %s: %s\n", pool_path,
                                draw_error_message(perr));
                goto fail;
        }
        if (select > npool) {
                fprintf(stderr,
                        "murafiq draw: --select %s is more than the %zu entries of the pool "
                        "(see murafiq draw --help)\n",
                        select_arg, npool);
                rc = EXIT_USAGE;
                goto fail;
        }
        if (select > DRAW_MAX_SELECT) {
                rc = usage_error("--select is at most 65536 (RFC 3797 counts draws on two bytes)");
                goto fail;
        }

        struct buf key;
        buf_init(&key, a, MAX_KEY);
        if (draw_key(&key, sources, nsources) != 0) {
                fputs("murafiq draw: the key string cannot be made from these sources\n", stderr);
                goto fail;
        }
        size_t *positions = arena_alloc(a, select * sizeof(*positions));
        if (draw_select(buf_str(&key), npool, select, positions) != 0) {
                fputs("murafiq draw: out of memory\n", stderr);
                goto fail;
        }
        if (show_key)
                printf("key\t%s\n", buf_str(&key));
        for (size_t i = 0; i < select; i++)
                printf("%zu\t%zu\t%s\n", i + 1, positions[i] + 1, pool[positions[i]]);
        if (fflush(stdout) != 0 || ferror(stdout)) {
                fputs("murafiq draw: cannot write the result\n", stderr);
                goto fail;
        }
        rc = 0;
fail:
        arena_free(a);
        return rc;
}
