/* mhd_baseline.c: the fastest page libmicrohttpd can serve here, for `make bench` to compare with.
 *
 * usage: mhd_baseline PORT [THREADS]
 *
 * Answers every request with the same 1 KB HTML page until SIGINT or SIGTERM, in the mode of
 * murafiq's I/O threads (src/core/http.c http_serve: an internal polling thread with epoll, a
 * pool of THREADS threads, 2 by default as murafiq's, the same limits and timeout), but on
 * those threads, where murafiq hands each request to a worker. What murafiq adds on top (the
 * hand-over, routing, sessions, SQLite, HTML) is what the ratio to this baseline measures. */
#include <microhttpd.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>

static struct MHD_Response *page;

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
           const char *version, const char *upload_data, size_t *upload_size, void **con_cls)
{
        (void)cls, (void)url, (void)method, (void)version, (void)upload_data;
        /* Like murafiq: the first call only sees the headers; the answer goes on the last call
         * (a response queued on the first call makes libmicrohttpd close the connection). */
        static int seen;
        if (*con_cls == NULL) {
                *con_cls = &seen;
                return MHD_YES;
        }
        if (*upload_size > 0) {
                *upload_size = 0;
                return MHD_YES;
        }
        return MHD_queue_response(conn, MHD_HTTP_OK, page);
}

static unsigned
parse_unsigned(const char *s, unsigned lo, unsigned hi)
{
        char *end;
        long v = strtol(s, &end, 10);
        if (*end || v < (long)lo || v > (long)hi) {
                fprintf(stderr, "mhd_baseline: %s is not a number from %u to %u\n", s, lo, hi);
                exit(2);
        }
        return (unsigned)v;
}

int
main(int argc, char **argv)
{
        if (argc < 2 || argc > 3) {
                fputs("usage: mhd_baseline PORT [THREADS]\n", stderr);
                return 2;
        }
        unsigned port = parse_unsigned(argv[1], 1, 65535);
        unsigned threads = argc == 3 ? parse_unsigned(argv[2], 1, 256) : 2;

        static char body[1025];
        static const char head[] = "<!doctype html><html><head><title>baseline</title></head>"
                                   "<body><p>";
        static const char tail[] = "</p></body></html>\n";
        size_t fill = sizeof(body) - 1 - (sizeof(head) - 1) - (sizeof(tail) - 1);
        memcpy(body, head, sizeof(head) - 1);
        memset(body + sizeof(head) - 1, 'x', fill);
        memcpy(body + sizeof(head) - 1 + fill, tail, sizeof(tail) - 1);
        page = MHD_create_response_from_buffer(sizeof(body) - 1, body, MHD_RESPMEM_PERSISTENT);
        if (page == NULL)
                return 1;
        MHD_add_response_header(page, MHD_HTTP_HEADER_CONTENT_TYPE, "text/html; charset=utf-8");

        struct sockaddr_in sa;
        memset(&sa, 0, sizeof(sa));
        sa.sin_family = AF_INET;
        sa.sin_port = htons((uint16_t)port);
        sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);

        sigset_t stop;
        sigemptyset(&stop);
        sigaddset(&stop, SIGINT);
        sigaddset(&stop, SIGTERM);
        pthread_sigmask(SIG_BLOCK, &stop, NULL);
        signal(SIGPIPE, SIG_IGN);

        struct MHD_Daemon *d = MHD_start_daemon(
            MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG, (uint16_t)port,
            NULL, NULL, on_request, NULL, MHD_OPTION_SOCK_ADDR, &sa, MHD_OPTION_THREAD_POOL_SIZE,
            threads, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30, MHD_OPTION_CONNECTION_LIMIT,
            (unsigned)(1024 + 64), MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)(1024 + 64),
            MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)32768, MHD_OPTION_LISTEN_BACKLOG_SIZE,
            (unsigned)1024, MHD_OPTION_END);
        if (d == NULL) {
                fprintf(stderr, "mhd_baseline: cannot listen on 127.0.0.1:%u\n", port);
                return 1;
        }
        fprintf(stderr, "mhd_baseline serving http://127.0.0.1:%u/ with %u threads\n", port,
                threads);
        int sig = 0;
        sigwait(&stop, &sig);
        MHD_stop_daemon(d);
        MHD_destroy_response(page);
        return 0;
}
