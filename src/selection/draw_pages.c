/* draw_pages.c: the draw pages: list, new draft, detail, publish, result, and the public page
 * with its pool file, from which anyone can recompute the result (RFC 3797). */
#include <string.h>

#include "core/arena.h"
#include "core/dates.h"
#include "core/i18n.h"
#include "selection/draw.h"
#include "selection/draw_web.h"
#include "web/layout.h"
#include "web/pages.h"

#define PER_PAGE   50
#define MAX_KEY    (64u << 10) /* 32 sources of 64 values of 16 digits fit well below */
#define MAX_TITLE  200
#define MAX_TEXT   4000
#define MAX_SOURCE 4000 /* the sources text entered: 32 lines of 64 values */

const char *const draw_fields[] = {"title", "description", "select_count", "sources_announced",
                                   "pool",  NULL};

/* Messages of the parsers' codes; "%zu" is the line at fault. */
static const char *const pool_messages[] = {
    [DRAW_ERR_EMPTY_POOL] = N_("Write the pool: one entry a line."),
    /* xgettext:c-format */
    [DRAW_ERR_BLANK_ENTRY] = N_("Line %zu is blank: write one entry a line, with no empty line."),
    /* xgettext:c-format */
    [DRAW_ERR_BAD_TEXT] = N_("Line %zu contains a character that is not allowed, such as a tab."),
    /* xgettext:c-format */
    [DRAW_ERR_ENTRY_TOO_LONG] = N_("Line %zu is too long: an entry has at most 1,000 bytes."),
    [DRAW_ERR_POOL_TOO_LARGE] = N_("The pool has more than 100,000 entries."),
};

static const char *const source_messages[] = {
    [DRAW_ERR_NO_SOURCE] = N_("Enter the random sources: one source a line."),
    /* xgettext:c-format */
    [DRAW_ERR_EMPTY_SOURCE] = N_("Line %zu is blank: write one source a line, with no empty line."),
    /* xgettext:c-format */
    [DRAW_ERR_NOT_A_NUMBER] = N_("Line %zu: write whole numbers separated by spaces, for "
                                 "example 2 5 12 8 10."),
    /* xgettext:c-format */
    [DRAW_ERR_NEGATIVE] = N_("Line %zu: a value cannot be negative."),
    /* xgettext:c-format */
    [DRAW_ERR_TOO_LARGE] = N_("Line %zu: a value is too large (at most 10^15)."),
    /* xgettext:c-format */
    [DRAW_ERR_TOO_MANY_VALUES] = N_("Line %zu has more than 64 values."),
    [DRAW_ERR_TOO_MANY_SOURCES] = N_("Enter at most 32 sources."),
};

static const char *
parse_message(const char *const *table, size_t n, int code)
{
        if (code > 0 && (size_t)code < n && table[code])
                return table[code];
        return N_("This text cannot be read.");
}

/* ---- what the pages and the API share ---- */

int
draw_visible(const struct request *req, const struct draw *d)
{
        return strcmp(d->status, "draft") != 0 || user_can(req->user, PERM_PROGRAM_MANAGE);
}

const char *
draw_status_label(enum lang L, const char *status)
{
        if (strcmp(status, "draft") == 0)
                return _(L, "Draft");
        if (strcmp(status, "published") == 0)
                return _(L, "Published, not drawn yet");
        return _(L, "Drawn");
}

int
draw_apply(struct request *req, struct draw *d, const char *pool_text, const char ***entries,
           size_t *nentries, struct errs *e, field_get_fn get, void *ctx)
{
        memset(d, 0, sizeof(*d));
        *entries = NULL;
        *nentries = 0;
        d->title = v_text(e, "title", get(ctx, "title"), 1, MAX_TITLE, 0);
        d->description = v_text(e, "description", get(ctx, "description"), 0, MAX_TEXT, 1);
        v_int(e, "select_count", get(ctx, "select_count"), 1, 1, DRAW_MAX_SELECT, 0,
              &d->select_count);
        d->sources_announced =
            v_text(e, "sources_announced", get(ctx, "sources_announced"), 1, MAX_TEXT, 1);
        size_t line = 0;
        int rc = draw_parse_pool(req->arena, pool_text ? pool_text : "",
                                 pool_text ? strlen(pool_text) : 0, entries, nentries, &line);
        if (rc != DRAW_OK) {
                errs_add(e, "pool",
                         parse_message(pool_messages,
                                       sizeof(pool_messages) / sizeof(pool_messages[0]), rc),
                         line);
                *nentries = 0;
        } else if (d->select_count > 0 && (size_t)d->select_count > *nentries) {
                errs_add(e, "select_count", "Select at most the %s entries of the pool.",
                         i18n_int(req->arena, req->lang, (long long)*nentries));
        }
        return e->n ? -1 : 0;
}

int
draw_compute(struct request *req, const struct draw_detail *dd, const char *sources_text,
             struct errs *e, struct draw_outcome *out)
{
        struct draw_source *sources;
        size_t n, line = 0;
        memset(out, 0, sizeof(*out));
        if (sources_text && strlen(sources_text) > MAX_SOURCE * 4) {
                errs_add(e, "sources", "Enter at most 32 sources.");
                return -1;
        }
        int rc = draw_parse_sources(req->arena, sources_text ? sources_text : "",
                                    sources_text ? strlen(sources_text) : 0, &sources, &n, &line);
        if (rc != DRAW_OK) {
                errs_add(e, "sources",
                         parse_message(source_messages,
                                       sizeof(source_messages) / sizeof(source_messages[0]), rc),
                         line);
                return -1;
        }
        /* Stored as parsed (no leading zeroes, single spaces), in the order entered: exactly
         * the sources file that `murafiq draw` reads. */
        struct buf s;
        buf_init(&s, req->arena, MAX_KEY);
        for (size_t i = 0; i < n; i++) {
                for (size_t k = 0; k < sources[i].n; k++)
                        buf_printf(&s, k ? " %llu" : "%llu",
                                   (unsigned long long)sources[i].values[k]);
                buf_putc(&s, '\n');
        }
        struct buf key;
        buf_init(&key, req->arena, MAX_KEY);
        size_t count = (size_t)dd->d.select_count;
        size_t *pos = arena_alloc(req->arena, (count ? count : 1) * sizeof(*pos));
        if (s.err || draw_key(&key, sources, n) != 0 ||
            draw_select(buf_str(&key), dd->nentries, count, pos) != 0) {
                errs_add(e, "sources", "These sources cannot make a key: check them.");
                return -1;
        }
        out->sources = buf_str(&s);
        out->key = buf_str(&key);
        out->positions = arena_alloc(req->arena, (count ? count : 1) * sizeof(*out->positions));
        for (size_t i = 0; i < count; i++)
                out->positions[i] = (long long)pos[i] + 1;
        out->n = count;
        return 0;
}

int
draw_check_state_or_reply(struct request *req, const struct draw *d, const char *want,
                          long long version)
{
        enum lang L = req->lang;
        if (strcmp(d->status, want) != 0) {
                const char *msg;
                if (strcmp(d->status, "drawn") == 0)
                        msg = _(L, "This draw has already been drawn. A draw is drawn once: its "
                                   "result stays as it was published.");
                else if (strcmp(d->status, "published") == 0)
                        msg = _(L, "This draw is already published: its pool cannot change any "
                                   "more.");
                else
                        msg = _(L, "Publish the draw first: its pool and the random sources are "
                                   "made public before the result is entered.");
                reply_error(req, ERR_CONFLICT, msg, NULL, 0);
                return -1;
        }
        if (version > 0 && version != d->version) {
                draw_reply_store_error(req, STORE_CONFLICT);
                return -1;
        }
        return 0;
}

void
draw_reply_store_error(struct request *req, int rc)
{
        if (rc == STORE_CONFLICT)
                reply_error(req, ERR_CONFLICT,
                            _(req->lang, "Someone else changed this draw in the meantime. Open it "
                                         "again to see where it stands."),
                            NULL, 0);
        else if (rc == STORE_NOT_FOUND)
                reply_error(req, ERR_NOT_FOUND, NULL, NULL, 0);
        else
                reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
}

/* ---- helpers of the pages ---- */

/* "12 December 2026 at 10:05 UTC" from a stored timestamp (2026-12-12T10:05:00Z). */
static const char *
when(struct request *req, const char *iso)
{
        struct date d;
        char day[11];
        if (iso == NULL || strlen(iso) < 16)
                return "";
        memcpy(day, iso, 10);
        day[10] = '\0';
        if (date_parse(day, &d) != 0)
                return iso;
        return arena_printf(req->arena, _(req->lang, "%s at %s UTC"),
                            i18n_date(req->arena, req->lang, d),
                            arena_strndup(req->arena, iso + 11, 5));
}

/* Loads draw req->id; answers 404 (or 500) and returns -1 when it cannot be shown. */
static int
load_or_reply(struct request *req, struct draw_detail *dd, int public_only)
{
        int rc = draw_store_get(req->db, req->arena, req->id, dd);
        if (rc == STORE_OK &&
            (public_only ? strcmp(dd->d.status, "draft") == 0 : !draw_visible(req, &dd->d)))
                rc = STORE_NOT_FOUND;
        if (rc != STORE_OK) {
                reply_store_error(req, rc);
                return -1;
        }
        return 0;
}

static void
status_badge(struct request *req, const char *status)
{
        html_status_badge(req, status, draw_status_label(req->lang, status));
}

static void
pool_table(struct request *req, const struct draw_detail *dd)
{
        enum lang L = req->lang;
        struct buf *b = &req->out;
        html_printf(b,
                    "<section class=\"panel\" aria-labelledby=\"pool-h\"><h2 id=\"pool-h\">%s</h2>"
                    "<p>%s</p>",
                    arena_printf(req->arena, _(L, "The pool: %s entries"),
                                 i18n_int(req->arena, L, (long long)dd->nentries)),
                    strcmp(dd->d.status, "draft") == 0
                        ? _(L, "Check the pool before publishing it: once published, no entry "
                               "can be added, removed or moved.")
                        : _(L, "Published before the draw, in this order: the position of each "
                               "entry is what the draw selects."));
        html_printf(b,
                    "<table class=\"draw-table\"><thead><tr><th scope=\"col\" class=\"num\">%s</th>"
                    "<th scope=\"col\">%s</th></tr></thead><tbody>",
                    _(L, "Position"), _(L, "Entry"));
        for (size_t i = 0; i < dd->nentries; i++)
                html_printf(b, "<tr><td class=\"num\">%zu</td><td><bdi>%s</bdi></td></tr>", i + 1,
                            dd->entries[i]);
        html_raw_trusted(b, "</tbody></table></section>");
}

/* Lowercase hexadecimal of the 16 bytes of an MD5 digest. */
static const char *
hex16(struct request *req, const unsigned char v[16])
{
        static const char digits[] = "0123456789abcdef";
        char *s = arena_alloc(req->arena, 33);
        for (int i = 0; i < 16; i++) {
                s[2 * i] = digits[v[i] >> 4];
                s[2 * i + 1] = digits[v[i] & 15];
        }
        s[32] = '\0';
        return s;
}

/* The entered sources, the key, the result in order, and the digest of each step. */
static void
result_sections(struct request *req, const struct draw_detail *dd)
{
        enum lang L = req->lang;
        struct buf *b = &req->out;
        const struct draw *d = &dd->d;
        html_printf(b,
                    "<section class=\"panel\" aria-labelledby=\"result-h\"><h2 id=\"result-h\">%s"
                    "</h2><p>%s</p>",
                    _(L, "Result"),
                    arena_printf(req->arena,
                                 _(L, "Drawn on %s: %s of the %s entries, in the order "
                                      "they were drawn."),
                                 when(req, d->drawn_at),
                                 i18n_int(req->arena, L, (long long)dd->nresult),
                                 i18n_int(req->arena, L, (long long)dd->nentries)));
        html_printf(b,
                    "<table class=\"draw-table\" id=\"draw-result\"><thead><tr>"
                    "<th scope=\"col\" class=\"num\">%s</th><th scope=\"col\" class=\"num\">%s</th>"
                    "<th scope=\"col\">%s</th></tr></thead><tbody>",
                    _(L, "Rank"), _(L, "Position"), _(L, "Entry"));
        for (size_t i = 0; i < dd->nresult; i++) {
                long long p = dd->result[i];
                const char *entry = p >= 1 && (size_t)p <= dd->nentries ? dd->entries[p - 1] : "";
                html_printf(b,
                            "<tr><td class=\"num\">%zu</td><td class=\"num\">%lld</td>"
                            "<td><bdi>%s</bdi></td></tr>",
                            i + 1, p, entry);
        }
        html_raw_trusted(b, "</tbody></table></section>");

        html_printf(b,
                    "<section class=\"panel\" aria-labelledby=\"key-h\"><h2 id=\"key-h\">%s</h2>"
                    "<h3>%s</h3><p>%s</p><pre class=\"draw-code\" dir=\"ltr\" id=\"draw-sources\">"
                    "%s</pre>",
                    _(L, "How the result was computed"), _(L, "The random sources entered"),
                    _(L, "One source a line, in the order they were announced."), d->sources);
        html_printf(b,
                    "<h3>%s</h3><p>%s</p><pre class=\"draw-code\" dir=\"ltr\" id=\"draw-key\">%s"
                    "</pre>",
                    _(L, "The key"),
                    _(L, "In each source the values from the smallest to the largest, each "
                         "followed by a period, the source ended by a slash; the sources in "
                         "their order."),
                    d->key_string);
        html_printf(b,
                    "<h3>%s</h3><p>%s</p><div class=\"draw-scroll\"><table class=\"draw-table\" "
                    "id=\"draw-steps\"><thead><tr>"
                    "<th scope=\"col\" class=\"num\">%s</th><th scope=\"col\">%s</th>"
                    "<th scope=\"col\">%s</th><th scope=\"col\" class=\"num\">%s</th></tr></thead>"
                    "<tbody>",
                    _(L, "Each step"),
                    _(L, "Step j (from 0) computes the MD5 digest of j on two bytes, the key, then "
                         "j again; divided by the number of entries not yet drawn, its remainder r "
                         "picks the (r+1)-th of them in pool order."),
                    _(L, "Rank"), _(L, "MD5 digest"), _(L, "Remainder"), _(L, "Position"));
        size_t keylen = strlen(d->key_string);
        for (size_t j = 0; j < dd->nresult && j < DRAW_MAX_SELECT; j++) {
                unsigned char dig[16];
                uint32_t left = (uint32_t)(dd->nentries - j);
                draw_digest(d->key_string, keylen, (uint16_t)j, dig);
                uint32_t r = left ? draw_mod128(dig, left) : 0;
                html_printf(b,
                            "<tr><td class=\"num\">%zu</td><td><code class=\"mono\">%s</code></td>"
                            "<td><code class=\"mono\">mod %u = %u</code></td>"
                            "<td class=\"num\">%lld</td></tr>",
                            j + 1, hex16(req, dig), (unsigned)left, (unsigned)r, dd->result[j]);
        }
        html_raw_trusted(b, "</tbody></table></div></section>");
}

/* How anyone can recompute the result (the public page). */
static void
how_to_check(struct request *req, const struct draw_detail *dd)
{
        enum lang L = req->lang;
        struct buf *b = &req->out;
        html_printf(
            b,
            "<section class=\"panel\" aria-labelledby=\"check-h\"><h2 id=\"check-h\">%s</h2>"
            "<p>%s</p><ol class=\"steps\">",
            _(L, "Check it yourself"),
            _(L, "This draw follows RFC 3797 (Publicly Verifiable Nominations Committee "
                 "Random Selection), section 4, exactly: anyone can recompute the result "
                 "from the published pool and the random sources, with the RFC's reference "
                 "program or any other implementation."));
        html_printf(b, "<li>%s <a href=\"/public/draws/%lld/pool.txt\">%s</a></li>",
                    _(L, "Download the pool, one entry a line in its published order:"), dd->d.id,
                    _(L, "pool.txt"));
        html_printf(b, "<li>%s</li>",
                    _(L, "Once the announced random sources are known, write them into a file "
                         "sources.txt, one source a line, in the order they were announced."));
        html_printf(b, "<li>%s</li>",
                    _(L, "Make the key and draw each entry as RFC 3797 section 4 says (this page "
                         "shows each step once drawn), or run the murafiq command line:"));
        html_raw_trusted(b, "</ol>");
        html_printf(b,
                    "<pre class=\"draw-code\" dir=\"ltr\" id=\"draw-command\">murafiq draw --pool "
                    "pool.txt --sources sources.txt --select %lld --show-key</pre>",
                    dd->d.select_count);
        html_printf(b, "<p>%s</p></section>",
                    _(L, "It prints the key, then one line per entry drawn: rank, position in the "
                         "pool, entry. They must be the ones shown on this page."));
}

/* The page of one draw: the record, and for those who manage draws the next step's form.
 * public_page: the public page (no management, an explanation). e: errors of the result form. */
static void
draw_page(struct request *req, const struct draw_detail *dd, int public_page, const struct errs *e,
          const char *sources_value)
{
        enum lang L = req->lang;
        struct buf *b = &req->out;
        const struct draw *d = &dd->d;
        int is_draft = strcmp(d->status, "draft") == 0;
        int is_drawn = strcmp(d->status, "drawn") == 0;
        int manage = !public_page && user_can(req->user, PERM_PROGRAM_MANAGE);

        page_begin(req, arena_printf(req->arena, _(L, "Draw: %s"), d->title),
                   public_page ? NULL : "draws");
        if (!public_page)
                html_printf(b, "<nav class=\"crumbs\"><a href=\"/draws\">%s</a></nav>",
                            _(L, "Draws"));
        html_printf(b,
                    "<div class=\"page-head\"><div><p class=\"sub\">%s</p><h1><bdi>%s</bdi></h1>"
                    "<p>",
                    public_page ? _(L, "Public draw") : _(L, "Draw"), d->title);
        status_badge(req, d->status);
        html_raw_trusted(b, "</p></div><div class=\"actions\">");
        if (!is_draft && !public_page)
                html_printf(b, "<a class=\"button\" href=\"/public/draws/%lld\">%s</a>", d->id,
                            _(L, "Public page"));
        if (!is_draft)
                html_printf(b, "<a class=\"button\" href=\"/public/draws/%lld/pool.txt\">%s</a>",
                            d->id, _(L, "Download the pool"));
        html_raw_trusted(b, "</div></div>");
        if (e)
                form_error_summary(req, e);

        html_printf(b, "<section class=\"panel\"><h2>%s</h2><dl class=\"facts\">",
                    _(L, "The draw"));
        html_fact(req, _(L, "Status"), draw_status_label(L, d->status), NULL);
        html_fact(req, _(L, "Entries to draw"),
                  arena_printf(req->arena, _(L, "%s of %s"),
                               i18n_int(req->arena, L, d->select_count),
                               i18n_int(req->arena, L, (long long)dd->nentries)),
                  NULL);
        if (!is_draft)
                html_fact(req, _(L, "Pool published on"), when(req, d->published_at), NULL);
        if (is_drawn)
                html_fact(req, _(L, "Drawn on"), when(req, d->drawn_at), NULL);
        html_raw_trusted(b, "</dl>");
        if (d->description[0])
                html_printf(b, "<p class=\"notes\" dir=\"auto\">%s</p>", d->description);
        html_printf(b, "<h3>%s</h3><p class=\"notes\" dir=\"auto\" id=\"draw-announced\">%s</p>",
                    _(L, "Random sources announced in advance"), d->sources_announced);
        html_raw_trusted(b, "</section>");

        if (manage && is_draft) {
                html_printf(b,
                            "<section class=\"panel draw-manage\"><h2>%s</h2><p>%s</p>"
                            "<form method=\"post\" action=\"/draws/%lld/publish\">",
                            _(L, "Publish the pool"),
                            _(L, "Publishing makes the pool, its order and the announced sources "
                                 "public on the draw's public page, before the sources are known. "
                                 "After that nothing of the pool can change."),
                            d->id);
                page_csrf(req);
                html_printf(b,
                            "<input type=\"hidden\" name=\"version\" value=\"%lld\">"
                            "<button class=\"primary\">%s</button></form></section>",
                            d->version, _(L, "Publish the pool"));
        } else if (manage && !is_drawn) {
                html_printf(b,
                            "<section class=\"panel draw-manage\"><h2>%s</h2>"
                            "<form method=\"post\" action=\"/draws/%lld/result\" class=\"record\" "
                            "novalidate>",
                            _(L, "Enter the random sources and draw"), d->id);
                page_csrf(req);
                html_printf(b, "<input type=\"hidden\" name=\"version\" value=\"%lld\">",
                            d->version);
                struct form_field f = {
                    .name = "sources",
                    .label = _(L, "Random sources"),
                    .value = sources_value,
                    .type = "textarea",
                    .required = 1,
                    .dir = "ltr",
                    .hint = _(L, "The values of the sources announced above, once known: one "
                                 "source a line, in the announced order, whole numbers separated "
                                 "by spaces (for example 2 5 12 8 10). The draw is made once and "
                                 "cannot be made again.")};
                form_input(req, &f, e);
                html_printf(b,
                            "<div class=\"form-actions\"><button class=\"primary\">%s</button>"
                            "</div></form></section>",
                            _(L, "Draw now"));
        }
        if (is_drawn)
                result_sections(req, dd);
        if (public_page)
                how_to_check(req, dd);
        pool_table(req, dd);
        page_end(req);
}

/* ---- handlers ---- */

void
page_draw_list(struct request *req)
{
        enum lang L = req->lang;
        long long page = query_page(req);
        int manage = user_can(req->user, PERM_PROGRAM_MANAGE);
        struct draw *items;
        size_t n;
        long long total;
        if (draw_store_list(req->db, req->arena, manage, PER_PAGE, (page - 1) * PER_PAGE, &items,
                            &n, &total) != STORE_OK) {
                reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
                return;
        }
        page_begin(req, _(L, "Draws"), "draws");
        struct buf *b = &req->out;
        html_printf(b,
                    "<div class=\"page-head\"><div><h1>%s</h1><p class=\"sub\">%s</p></div>"
                    "<div class=\"actions\">",
                    _(L, "Draws"),
                    _(L, "Publicly verifiable draws (RFC 3797): the pool and the random sources "
                         "are published before the result, so anyone can recompute it."));
        if (manage)
                html_printf(b, "<a class=\"button primary\" href=\"/draws/new\">%s</a>",
                            _(L, "New draw"));
        html_raw_trusted(b, "</div></div>");
        html_printf(b, "<div class=\"list-head\"><p class=\"count\" role=\"status\">%s</p></div>",
                    arena_printf(req->arena, _(L, "%s draws"), i18n_int(req->arena, L, total)));
        if (n == 0) {
                html_printf(b, "<p class=\"empty\">%s</p>", _(L, "No draw yet."));
                page_end(req);
                return;
        }
        html_printf(b,
                    "<div class=\"table-wrap\"><table class=\"list\"><thead><tr>"
                    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                    "<th scope=\"col\">%s</th></tr></thead><tbody>",
                    _(L, "Title"), _(L, "Status"), _(L, "Entries to draw"), _(L, "Date"));
        for (size_t i = 0; i < n; i++) {
                struct draw *d = &items[i];
                html_printf(b,
                            "<tr><th scope=\"row\" data-label=\"%s\"><a href=\"/draws/%lld\">"
                            "<bdi>%s</bdi></a></th><td data-label=\"%s\">",
                            _(L, "Title"), d->id, d->title, _(L, "Status"));
                status_badge(req, d->status);
                html_printf(b,
                            "</td><td data-label=\"%s\">%s</td><td data-label=\"%s\">%s</td></tr>",
                            _(L, "Entries to draw"),
                            arena_printf(req->arena, _(L, "%s of %s"),
                                         i18n_int(req->arena, L, d->select_count),
                                         i18n_int(req->arena, L, d->pool_size)),
                            _(L, "Date"),
                            d->drawn_at[0]       ? when(req, d->drawn_at)
                            : d->published_at[0] ? when(req, d->published_at)
                                                 : when(req, d->created_at));
        }
        html_raw_trusted(b, "</tbody></table></div>");
        html_pagination(req, "/draws", page, PER_PAGE, total);
        page_end(req);
}

/* The form of a new draw with the values typed (count and pool as text). */
static void
draw_form(struct request *req, const struct draw *d, const char *count, const char *pool,
          const struct errs *e)
{
        enum lang L = req->lang;
        struct buf *b = &req->out;
        page_begin(req, _(L, "New draw"), "draws");
        html_printf(b, "<nav class=\"crumbs\"><a href=\"/draws\">%s</a></nav><h1>%s</h1>",
                    _(L, "Draws"), _(L, "New draw"));
        form_error_summary(req, e);
        html_printf(b, "<p>%s</p>",
                    _(L, "The draw is saved as a draft, visible only to program managers, until "
                         "you publish its pool."));
        html_raw_trusted(b, "<form method=\"post\" action=\"/draws\" class=\"record\" novalidate>");
        page_csrf(req);
        struct form_field fields[] = {
            {.name = "title",
             .label = _(L, "Title"),
             .value = d->title,
             .required = 1,
             .maxlen = MAX_TITLE,
             .dir = "auto",
             .hint = _(L, "For example: Draw of two promotional videos among the participating "
                          "institutions")},
            {.name = "description",
             .label = _(L, "Description"),
             .value = d->description,
             .type = "textarea",
             .maxlen = MAX_TEXT,
             .dir = "auto"},
            {.name = "select_count",
             .label = _(L, "Number of entries to draw"),
             .value = count,
             .type = "number",
             .required = 1,
             .extra = "min=\"1\" inputmode=\"numeric\""},
            {.name = "sources_announced",
             .label = _(L, "Random sources announced in advance"),
             .value = d->sources_announced,
             .type = "textarea",
             .required = 1,
             .maxlen = MAX_TEXT,
             .dir = "auto",
             .hint = _(L, "Public numbers not known yet, said in words, in the order they will "
                          "be used. For example: the first three numbers of the national lottery "
                          "draw of 12 December 2026.")},
            {.name = "pool",
             .label = _(L, "Pool"),
             .value = pool,
             .type = "textarea",
             .required = 1,
             .dir = "auto",
             .hint = _(L, "One entry a line, in the order that will be published: the first line "
                          "is position 1.")},
        };
        for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
                form_input(req, &fields[i], e);
        html_printf(b,
                    "<div class=\"form-actions\"><button class=\"primary\">%s</button>"
                    "<a href=\"/draws\">%s</a></div></form>",
                    _(L, "Save the draft"), _(L, "Cancel"));
        page_end(req);
}

void
page_draw_new(struct request *req)
{
        struct draw d = {0};
        draw_form(req, &d, "", "", NULL);
}

static const char *
form_get(void *ctx, const char *name)
{
        return req_form(ctx, name);
}

void
page_draw_create(struct request *req)
{
        struct errs e;
        errs_init(&e, req->arena, req->lang);
        struct draw d;
        const char **entries;
        size_t n;
        const char *pool = req_form(req, "pool");
        if (draw_apply(req, &d, pool, &entries, &n, &e, form_get, req) != 0) {
                /* Shown again as typed, so that the line named can be corrected. */
                struct draw typed = {
                    .title = req_form(req, "title"),
                    .description = req_form(req, "description"),
                    .sources_announced = req_form(req, "sources_announced"),
                };
                draw_form(req, &typed, req_form(req, "select_count"), pool, &e);
                req->status = 422;
                return;
        }
        int rc =
            draw_store_create(req->db, req->arena, &d, entries, n, req->user ? req->user->id : 0);
        if (rc != STORE_OK) {
                draw_reply_store_error(req, rc);
                return;
        }
        reply_redirect(req, arena_printf(req->arena, "/draws/%lld", d.id));
}

void
page_draw_show(struct request *req)
{
        struct draw_detail dd;
        if (load_or_reply(req, &dd, 0) != 0)
                return;
        draw_page(req, &dd, 0, NULL, "");
}

/* Reads the form's version; answers 400 and returns -1 when it is missing or malformed. */
static int
form_version_or_reply(struct request *req, long long *version)
{
        struct errs e;
        errs_init(&e, req->arena, req->lang);
        if (v_int(&e, "version", req_form(req, "version"), 1, 1, 1LL << 62, 0, version) != 0) {
                reply_error(req, ERR_BAD_REQUEST, NULL, e.list, e.n);
                return -1;
        }
        return 0;
}

void
page_draw_publish(struct request *req)
{
        struct draw_detail dd;
        long long version;
        if (load_or_reply(req, &dd, 0) != 0 || form_version_or_reply(req, &version) != 0 ||
            draw_check_state_or_reply(req, &dd.d, "draft", version) != 0)
                return;
        int rc = draw_store_publish(req->db, req->arena, dd.d.id, version);
        if (rc != STORE_OK) {
                draw_reply_store_error(req, rc);
                return;
        }
        reply_redirect(req, arena_printf(req->arena, "/draws/%lld", dd.d.id));
}

void
page_draw_result(struct request *req)
{
        struct draw_detail dd;
        long long version;
        if (load_or_reply(req, &dd, 0) != 0 || form_version_or_reply(req, &version) != 0 ||
            draw_check_state_or_reply(req, &dd.d, "published", version) != 0)
                return;
        struct errs e;
        errs_init(&e, req->arena, req->lang);
        struct draw_outcome o;
        const char *sources = req_form(req, "sources");
        if (draw_compute(req, &dd, sources, &e, &o) != 0) {
                draw_page(req, &dd, 0, &e, sources);
                req->status = 422;
                return;
        }
        int rc = draw_store_record(req->db, req->arena, dd.d.id, version, o.sources, o.key,
                                   o.positions, o.n);
        if (rc != STORE_OK) {
                draw_reply_store_error(req, rc);
                return;
        }
        reply_redirect(req, arena_printf(req->arena, "/draws/%lld", dd.d.id));
}

void
page_draw_public(struct request *req)
{
        struct draw_detail dd;
        if (load_or_reply(req, &dd, 1) != 0)
                return;
        draw_page(req, &dd, 1, NULL, "");
}

void
page_draw_pool_txt(struct request *req)
{
        struct draw_detail dd;
        if (load_or_reply(req, &dd, 1) != 0)
                return;
        /* Exactly the --pool file of `murafiq draw`: one entry a line, a final newline. */
        for (size_t i = 0; i < dd.nentries; i++) {
                buf_puts(&req->out, dd.entries[i]);
                buf_putc(&req->out, '\n');
        }
        if (req->out.err) {
                reply_error(req, ERR_INTERNAL, NULL, NULL, 0);
                return;
        }
        req->status = 200;
        req->content_type = "text/plain; charset=utf-8";
        req->disposition =
            arena_printf(req->arena, "inline; filename=\"draw-%lld-pool.txt\"", dd.d.id);
}
