/* layout.c: page frame and form widgets shared by every page. */
#include "web/layout.h"

#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/i18n.h"
#include "core/validate.h"
#include "registry/geo.h"

const struct geo *web_geo;

static void insert_error_summary(struct request *req);

void
page_begin(struct request *req, const char *title, const char *nav)
{
        struct buf *b = &req->out;
        enum lang L = req->lang;
        req->status = 200;
        req->content_type = "text/html; charset=utf-8";
        html_printf(b,
                    "<!doctype html>\n<html lang=\"%s\" dir=\"%s\"><head><meta charset=\"utf-8\">"
                    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                    "<title>%s · murafiq</title>"
                    "<link rel=\"stylesheet\" href=\"/assets/style.css?v=%s\">"
                    "<link rel=\"icon\" href=\"/assets/icon.svg?v=%s\" type=\"image/svg+xml\">"
                    "<script src=\"/assets/app.js?v=%s\" defer></script></head><body>",
                    lang_code(L), lang_is_rtl(L) ? "rtl" : "ltr", title, asset_version,
                    asset_version, asset_version);
        html_printf(b, "<a class=\"skip\" href=\"#main\">%s</a>", _(L, "Skip to content"));
        html_printf(b,
                    "<header class=\"top\"><a class=\"brand\" href=\"/\">"
                    "<img src=\"/assets/icon.svg?v=%s\" alt=\"\" width=\"28\" height=\"28\">"
                    "<span>%s</span></a>",
                    asset_version, _(L, "murafiq"));
        if (req->user) {
                html_printf(b, "<nav class=\"main\" aria-label=\"%s\">", _(L, "Main"));
                struct {
                        const char *key, *href, *label;
                        enum perm perm;
                } items[] = {
                    {"coops", "/cooperatives", _(L, "Cooperatives"), PERM_COOP_READ},
                    {"people", "/people", _(L, "People"), PERM_PERSON_READ},
                    {"orgs", "/organisations", _(L, "Organisations"), PERM_COOP_READ},
                    {"programs", "/programs", _(L, "Programs"), PERM_NONE},
                    {"applications", "/applications", _(L, "Applications"), PERM_APPLICATION_READ},
                    {"evaluations", "/evaluations", _(L, "My evaluations"), PERM_EVALUATE},
                    {"draws", "/draws", _(L, "Draws"), PERM_NONE},
                    {"accounts", "/admin/users", _(L, "Accounts"), PERM_ADMIN},
                    {"audit", "/admin/audit", _(L, "Audit trail"), PERM_ADMIN},
                    {"privacy", "/admin/processing", _(L, "Data protection"), PERM_ADMIN},
                };
                for (size_t i = 0; i < sizeof(items) / sizeof(items[0]); i++) {
                        if (!user_can(req->user, items[i].perm))
                                continue;
                        if (nav && strcmp(nav, items[i].key) == 0)
                                html_printf(b, "<a href=\"%s\" aria-current=\"page\">%s</a>",
                                            items[i].href, items[i].label);
                        else
                                html_printf(b, "<a href=\"%s\">%s</a>", items[i].href,
                                            items[i].label);
                }
                html_raw_trusted(b, "</nav>");
        }
        html_raw_trusted(b, "<div class=\"tools\">");
        /* Language switch: a POST form (a preference is state; GET never changes state). */
        html_printf(b, "<form method=\"post\" action=\"/lang\" class=\"langs\">");
        page_csrf(req);
        html_printf(b, "<input type=\"hidden\" name=\"next\" value=\"%s\">", req->path);
        for (int i = 0; i < lang_count(); i++) {
                if (i == (int)L)
                        continue;
                html_printf(b, "<button name=\"lang\" value=\"%s\" lang=\"%s\">%s</button>",
                            lang_code((enum lang)i), lang_code((enum lang)i),
                            lang_native_name((enum lang)i));
        }
        html_raw_trusted(b, "</form>");
        if (req->user) {
                html_printf(b,
                            "<form method=\"post\" action=\"/logout\" class=\"logout\">"
                            "<span class=\"who\"><a href=\"/account/password\" title=\"%s\">"
                            "<bdi>%s</bdi></a> · %s</span>",
                            _(L, "Change your password"), req->user->login,
                            _(L, role_label(req->user->role)));
                page_csrf(req);
                html_printf(b, "<button>%s</button></form>", _(L, "Log out"));
        }
        html_raw_trusted(b, "</div></header><main id=\"main\">");
}

void
page_end(struct request *req)
{
        if (req->summary_errs)
                insert_error_summary(req);
        html_printf(&req->out,
                    "</main><footer><p>%s · <a href=\"/about\">%s</a></p></footer></body></html>\n",
                    _(req->lang, "murafiq: information system for cooperative support programs"),
                    _(req->lang, "About and data sources"));
}

void
page_csrf(struct request *req)
{
        html_printf(&req->out, "<input type=\"hidden\" name=\"csrf\" value=\"%s\">",
                    req->csrf ? req->csrf : "");
}

void
form_error_summary(struct request *req, const struct errs *e)
{
        /* Only a mark here: the summary names each field by its label, and the labels are known
         * once the fields below are rendered. page_end inserts it. */
        if (e == NULL || e->n == 0)
                return;
        req->summary_errs = e;
        req->summary_at = req->out.len;
}

void
form_remember_label(struct request *req, const char *name, const char *label)
{
        if (req->nlabels == req->caplabels) {
                size_t cap = req->caplabels ? 2 * req->caplabels : 32;
                struct param *p = arena_alloc(req->arena, cap * sizeof(*p));
                if (req->nlabels)
                        memcpy(p, req->labels, req->nlabels * sizeof(*p));
                req->labels = p;
                req->caplabels = cap;
        }
        req->labels[req->nlabels].key = name;
        req->labels[req->nlabels].value = label;
        req->nlabels++;
}

static void
insert_error_summary(struct request *req)
{
        const struct errs *e = req->summary_errs;
        struct buf s;
        buf_init(&s, req->arena, 1u << 20);
        html_printf(&s,
                    "<div class=\"error-summary\" role=\"alert\" tabindex=\"-1\"><h2>%s</h2><ul>",
                    _(req->lang, "There is a problem"));
        for (size_t i = 0; i < e->n; i++) {
                const char *label = NULL;
                for (size_t k = 0; k < req->nlabels && !label; k++)
                        if (strcmp(req->labels[k].key, e->list[i].field) == 0)
                                label = req->labels[k].value;
                if (label)
                        html_printf(&s, "<li><a href=\"#f-%s\">%s: %s</a></li>", e->list[i].field,
                                    label, e->list[i].msg);
                else
                        html_printf(&s, "<li><a href=\"#f-%s\">%s</a></li>", e->list[i].field,
                                    e->list[i].msg);
        }
        html_raw_trusted(&s, "</ul></div>");
        buf_insert(&req->out, req->summary_at, s.data, s.len);
        req->summary_errs = NULL;
}

void
form_input(struct request *req, const struct form_field *f, const struct errs *e)
{
        struct buf *b = &req->out;
        const char *err = e ? errs_for(e, f->name) : NULL;
        const char *type = f->type ? f->type : "text";
        form_remember_label(req, f->name, f->label);
        html_printf(b, "<div class=\"field%s\"><label for=\"f-%s\">%s", err ? " has-error" : "",
                    f->name, f->label);
        if (!f->required && !f->quiet)
                html_printf(b, " <span class=\"optional\">(%s)</span>", _(req->lang, "optional"));
        html_raw_trusted(b, "</label>");
        if (f->hint)
                html_printf(b, "<p class=\"hint\" id=\"h-%s\">%s</p>", f->name, f->hint);
        if (err)
                html_printf(b, "<p class=\"error\" id=\"e-%s\">%s</p>", f->name, err);
        const char *describedby = err       ? arena_printf(req->arena, "e-%s", f->name)
                                  : f->hint ? arena_printf(req->arena, "h-%s", f->name)
                                            : NULL;
        if (strcmp(type, "textarea") == 0) {
                html_printf(b, "<textarea id=\"f-%s\" name=\"%s\" rows=\"4\"", f->name, f->name);
        } else {
                html_printf(b, "<input id=\"f-%s\" name=\"%s\" type=\"%s\" value=\"%s\"", f->name,
                            f->name, type, f->value ? f->value : "");
        }
        if (f->maxlen)
                html_printf(b, " maxlength=\"%d\"", f->maxlen);
        if (f->required)
                html_raw_trusted(b, " required");
        if (f->dir)
                html_printf(b, " dir=\"%s\"", f->dir);
        if (describedby)
                html_printf(b, " aria-describedby=\"%s\"", describedby);
        if (err)
                html_raw_trusted(b, " aria-invalid=\"true\"");
        if (f->extra) {
                html_raw_trusted(b, " ");
                html_raw_trusted(b, f->extra);
        }
        if (strcmp(type, "textarea") == 0)
                html_printf(b, ">%s</textarea>", f->value ? f->value : "");
        else
                html_raw_trusted(b, ">");
        html_raw_trusted(b, "</div>");
}

void
form_select(struct request *req, const char *name, const char *label,
            const struct select_option *opts, size_t nopts, const char *selected,
            const char *empty_label, const struct errs *e)
{
        struct buf *b = &req->out;
        const char *err = e ? errs_for(e, name) : NULL;
        form_remember_label(req, name, label);
        html_printf(b, "<div class=\"field%s\"><label for=\"f-%s\">%s</label>",
                    err ? " has-error" : "", name, label);
        if (err)
                html_printf(b, "<p class=\"error\" id=\"e-%s\">%s</p>", name, err);
        html_printf(b, "<select id=\"f-%s\" name=\"%s\"", name, name);
        if (err)
                html_printf(b, " aria-invalid=\"true\" aria-describedby=\"e-%s\"", name);
        html_raw_trusted(b, ">");
        if (empty_label)
                html_printf(b, "<option value=\"\">%s</option>", empty_label);
        for (size_t i = 0; i < nopts; i++)
                html_printf(b, "<option value=\"%s\"%s>%s</option>", opts[i].value,
                            selected && strcmp(selected, opts[i].value) == 0 ? " selected" : "",
                            opts[i].label);
        html_raw_trusted(b, "</select></div>");
}

void
form_checkbox(struct request *req, const char *name, const char *label, int checked,
              const struct errs *e)
{
        const char *err = e ? errs_for(e, name) : NULL;
        struct buf *b = &req->out;
        form_remember_label(req, name, label);
        html_printf(b, "<div class=\"field check%s\">", err ? " has-error" : "");
        if (err)
                html_printf(b, "<p class=\"error\" id=\"e-%s\">%s</p>", name, err);
        /* The hidden 0 makes an unticked box explicit, so an edit can clear the flag. */
        html_printf(b,
                    "<input type=\"hidden\" name=\"%s\" value=\"0\">"
                    "<input type=\"checkbox\" id=\"f-%s\" name=\"%s\" value=\"1\"%s>"
                    "<label for=\"f-%s\">%s</label></div>",
                    name, name, name, checked ? " checked" : "", name, label);
}

const char *
region_name(struct request *req, const char *code)
{
        const struct geo_region *r = geo_region(web_geo, code);
        return r ? r->name[lang_data(req->lang)] : code;
}

const char *
province_name(struct request *req, const char *code)
{
        const struct geo_province *p = geo_province(web_geo, code);
        return p ? p->name[lang_data(req->lang)] : code;
}

const char *
commune_name(struct request *req, const char *code)
{
        const struct geo_commune *c = geo_commune(web_geo, code);
        return c ? c->name[lang_data(req->lang)] : code;
}

void
html_status_badge(struct request *req, const char *status, const char *label)
{
        html_printf(&req->out, "<span class=\"badge badge-%s\">%s</span>", status, label);
}

long long
query_page(struct request *req)
{
        const char *p = req_query(req, "page");
        if (p == NULL)
                return 1;
        char *end;
        long long v = strtoll(p, &end, 10);
        return *end == '\0' && v >= 1 && v <= 1000000 ? v : 1;
}

struct keep_ctx {
        struct buf *b;
        int first;
};

static void
keep_arg(void *ctx, const char *key, const char *value)
{
        struct keep_ctx *k = ctx;
        if (strcmp(key, "page") == 0 || value[0] == '\0')
                return;
        buf_putc(k->b, k->first ? '?' : '&');
        k->first = 0;
        html_url_arg(k->b, key);
        buf_putc(k->b, '=');
        html_url_arg(k->b, value);
}

void
html_pagination(struct request *req, const char *base, long long page, long long per_page,
                long long total)
{
        long long pages = total > 0 ? (total + per_page - 1) / per_page : 1;
        if (pages <= 1)
                return;
        struct buf q;
        buf_init(&q, req->arena, 8192);
        buf_puts(&q, base);
        struct keep_ctx k = {&q, 1};
        req_query_each(req, keep_arg, &k);
        buf_puts(&q, k.first ? "?page=" : "&page=");
        struct buf *b = &req->out;
        html_printf(b, "<nav class=\"pager\" aria-label=\"%s\">", _(req->lang, "Pages"));
        if (page > 1)
                html_printf(b, "<a rel=\"prev\" href=\"%s%lld\">%s</a>", buf_str(&q), page - 1,
                            _(req->lang, "Previous"));
        html_printf(b, "<span>%s</span>",
                    arena_printf(req->arena, _(req->lang, "Page %lld of %lld"), page, pages));
        if (page < pages)
                html_printf(b, "<a rel=\"next\" href=\"%s%lld\">%s</a>", buf_str(&q), page + 1,
                            _(req->lang, "Next"));
        html_raw_trusted(b, "</nav>");
}

void
form_region_options(struct request *req, int all_regions, struct select_option **opts, size_t *n)
{
        *n = 0;
        *opts = arena_alloc(req->arena, web_geo->n_regions * sizeof(**opts));
        for (size_t i = 0; i < web_geo->n_regions; i++) {
                const struct geo_region *r = &web_geo->regions[i];
                if (!all_regions && !req->user->scope.all) {
                        int mine = 0;
                        for (size_t k = 0; req->user->regions[k]; k++)
                                mine |= strcmp(req->user->regions[k], r->code) == 0;
                        if (!mine)
                                continue;
                }
                (*opts)[*n].value = r->code;
                (*opts)[*n].label = r->name[lang_data(req->lang)];
                (*n)++;
        }
}

void
form_code_options(struct request *req, const struct code_label *t, struct select_option **opts,
                  size_t *n)
{
        size_t count = 0;
        while (t[count].code)
                count++;
        *opts = arena_alloc(req->arena, (count ? count : 1) * sizeof(**opts));
        for (size_t i = 0; i < count; i++) {
                (*opts)[i].value = t[i].code;
                (*opts)[i].label = _(req->lang, t[i].label);
        }
        *n = count;
}

void
form_province_select(struct request *req, const char *name, const char *label, const char *selected,
                     const char *empty_label, int optional, const struct errs *e)
{
        struct buf *b = &req->out;
        const char *err = e ? errs_for(e, name) : NULL;
        form_remember_label(req, name, label);
        html_printf(b, "<div class=\"field%s\"><label for=\"f-%s\">%s", err ? " has-error" : "",
                    name, label);
        if (optional)
                html_printf(b, " <span class=\"optional\">(%s)</span>", _(req->lang, "optional"));
        html_raw_trusted(b, "</label>");
        if (err)
                html_printf(b, "<p class=\"error\" id=\"e-%s\">%s</p>", name, err);
        html_printf(b, "<select id=\"f-%s\" name=\"%s\" data-provinces", name, name);
        if (err)
                html_printf(b, " aria-invalid=\"true\" aria-describedby=\"e-%s\"", name);
        html_raw_trusted(b, ">");
        html_printf(b, "<option value=\"\">%s</option>", empty_label);
        struct select_option *regions;
        size_t nr;
        form_region_options(req, 0, &regions, &nr);
        for (size_t i = 0; i < nr; i++) {
                size_t np;
                const struct geo_province *p = geo_provinces_of(web_geo, regions[i].value, &np);
                html_printf(b, "<optgroup label=\"%s\" data-region=\"%s\">", regions[i].label,
                            regions[i].value);
                for (size_t k = 0; k < np; k++)
                        html_printf(b, "<option value=\"%s\"%s>%s</option>", p[k].code,
                                    selected && strcmp(selected, p[k].code) == 0 ? " selected" : "",
                                    p[k].name[lang_data(req->lang)]);
                html_raw_trusted(b, "</optgroup>");
        }
        html_raw_trusted(b, "</select></div>");
}

void
html_fact(struct request *req, const char *label, const char *value, const char *cls)
{
        const char *v = value && value[0] ? value : "—";
        if (cls)
                html_printf(
                    &req->out,
                    "<div class=\"fact\"><dt>%s</dt><dd class=\"%s\"><bdi>%s</bdi></dd></div>",
                    label, cls, v);
        else
                html_printf(&req->out,
                            "<div class=\"fact\"><dt>%s</dt><dd><bdi>%s</bdi></dd></div>", label,
                            v);
}
