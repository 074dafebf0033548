/* layout.h: the page frame (header, navigation, language switch) and form widgets. */
#ifndef MURAFIQ_LAYOUT_H
#define MURAFIQ_LAYOUT_H

#include <stddef.h>

#include "core/html.h"
#include "core/http.h"

struct errs;
struct geo;

/* The reference geography, loaded once when the server starts. */
extern const struct geo *web_geo;

/* Starts an HTML page: status 200, <head>, top bar and navigation; `nav` names the active
 * section ("coops", "people", "orgs", "programs",
 * "draws", or NULL). The title is translated by the caller. */
void page_begin(struct request *req, const char *title, const char *nav);
/* Closes the page. */
void page_end(struct request *req);
/* <input type=hidden name=csrf>. */
void page_csrf(struct request *req);

/* Records the label of a field drawn by hand (not by form_input and friends), so that the
 * error summary names it; its control must have the id "f-<name>". */
void form_remember_label(struct request *req, const char *name, const char *label);

/* The error summary at the top of a form: each message links to its field. */
void form_error_summary(struct request *req, const struct errs *e);

struct form_field {
        const char *name;
        const char *label; /* translated */
        const char *value;
        const char *hint; /* translated, or NULL */
        const char *type; /* "text" (default), "date", "number", "email", "tel", "textarea" */
        int required;
        int quiet;         /* no "(optional)" mark: filters, where every field is optional */
        int maxlen;        /* characters; 0 = none */
        const char *dir;   /* "rtl", "ltr", "auto" or NULL */
        const char *extra; /* extra trusted attributes, a literal, or NULL */
};
void form_input(struct request *req, const struct form_field *f, const struct errs *e);

struct select_option {
        const char *value;
        const char *label; /* translated */
};
void form_select(struct request *req, const char *name, const char *label,
                 const struct select_option *opts, size_t nopts, const char *selected,
                 const char *empty_label, const struct errs *e);
void form_checkbox(struct request *req, const char *name, const char *label, int checked,
                   const struct errs *e);

/* The regions offered in a select: every region when all_regions, else those of the user's
 * scope. Labels in the request's language. */
void form_region_options(struct request *req, int all_regions, struct select_option **opts,
                         size_t *n);
/* Options from a code table, labels translated. */
void form_code_options(struct request *req, const struct code_label *t, struct select_option **opts,
                       size_t *n);
/* A province select listing the provinces of the user's regions grouped by region (app.js hides
 * the other regions' groups once a region is chosen). optional adds "(optional)". */
void form_province_select(struct request *req, const char *name, const char *label,
                          const char *selected, const char *empty_label, int optional,
                          const struct errs *e);
/* One label/value pair of a detail page's <dl>; cls is a class for the value, or NULL. */
void html_fact(struct request *req, const char *label, const char *value, const char *cls);

/* Answers a read that failed (a store_rc other than STORE_OK): 404 for STORE_NOT_FOUND (absent
 * or outside the caller's scope), 500 otherwise, as an HTML page or JSON. */
void reply_store_error(struct request *req, int rc);

/* Region / province / commune names in the request's language. */
const char *region_name(struct request *req, const char *code);
const char *province_name(struct request *req, const char *code);
const char *commune_name(struct request *req, const char *code);

/* A status badge: word and colour ("active" -> green "Active"). */
void html_status_badge(struct request *req, const char *status, const char *label);

/* Reads a positive page number from the query ("page"), default 1. */
long long query_page(struct request *req);
/* Pagination links for a list: keeps the other query arguments. */
void html_pagination(struct request *req, const char *base, long long page, long long per_page,
                     long long total);

#endif
