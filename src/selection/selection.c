/* selection.c: the selection run: ranking with tie-breaks and draws, seats, waitlist, promotion. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/dates.h"
#include "selection/selection.h"

#define NO_GROUP SIZE_MAX

/* A ranked candidate with what its comparison needs, computed once. */
struct cand {
        const struct sel_candidate *c;
        long long when;           /* submission as YYYYMMDDHHMMSS */
        long long nanos;          /* and its fraction of a second */
        long long women, members; /* the share women/members, members >= 1 */
        long long draw;           /* 1-based place in its group's drawn order, 0 when none */
        size_t group;             /* index of its tied group, NO_GROUP when untied */
};

/* Everything a run needs before the draw orders are applied. */
struct prep {
        struct cand *ranked;
        size_t nranked;
        const struct sel_candidate **others; /* not ranked, by id */
        size_t nothers;
        struct sel_tie_group *groups; /* ties needing a draw, in rank order */
        size_t ngroups;
};

static const char *const status_codes[] = {
    [SEL_SELECTED_REGIONAL] = "selected_regional",
    [SEL_SELECTED_NATIONAL] = "selected_national",
    [SEL_WAITLISTED] = "waitlisted",
    [SEL_REJECTED_BELOW_MINIMUM] = "rejected_below_minimum",
    [SEL_NOT_RANKED_INELIGIBLE] = "not_ranked_ineligible",
    [SEL_NOT_RANKED_UNSCORED] = "not_ranked_unscored",
    [SEL_WITHDRAWN] = "withdrawn",
};

static const char *const reason_codes[] = {
    [SEL_REASON_REGIONAL_SEAT] = "regional_seat",
    [SEL_REASON_NATIONAL_POOL] = "national_pool",
    [SEL_REASON_SEATS_FULL] = "seats_full",
    [SEL_REASON_BELOW_MINIMUM] = "below_minimum",
    [SEL_REASON_INELIGIBLE] = "ineligible",
    [SEL_REASON_NOT_FULLY_SCORED] = "not_fully_scored",
    [SEL_REASON_WITHDRAWN] = "withdrawn",
    [SEL_REASON_PROMOTED_REGIONAL] = "promoted_regional",
    [SEL_REASON_PROMOTED_NATIONAL] = "promoted_national",
};

static const char *const by_codes[] = {
    [SEL_BY_NONE] = "none",
    [SEL_BY_TOTAL] = "total",
    [SEL_BY_GENDER] = "gender_mean",
    [SEL_BY_WOMEN_SHARE] = "women_share",
    [SEL_BY_SUBMISSION] = "submission",
    [SEL_BY_DRAW] = "draw",
};

static const char *const error_codes[] = {
    [SEL_ERR_NONE] = "none",
    [SEL_ERR_TOO_MANY] = "too_many",
    [SEL_ERR_BAD_ID] = "bad_id",
    [SEL_ERR_DUPLICATE_ID] = "duplicate_id",
    [SEL_ERR_BAD_REGION] = "bad_region",
    [SEL_ERR_BAD_TOTAL] = "bad_total",
    [SEL_ERR_BAD_GENDER_MEAN] = "bad_gender_mean",
    [SEL_ERR_BAD_MEMBERS] = "bad_members",
    [SEL_ERR_BAD_SUBMITTED_AT] = "bad_submitted_at",
    [SEL_ERR_BAD_SEAT_REGION] = "bad_seat_region",
    [SEL_ERR_BAD_SEATS] = "bad_seats",
    [SEL_ERR_BAD_MIN_SCORE] = "bad_min_score",
    [SEL_ERR_BAD_ORDER] = "bad_order",
    [SEL_ERR_STALE_ORDER] = "stale_order",
};

#define CODE(table, i)                                                                             \
        ((size_t)(i) < sizeof(table) / sizeof(table[0]) && table[i] ? table[i] : "unknown")

const char *
selection_status_code(enum sel_status s)
{
        return CODE(status_codes, s);
}

const char *
selection_reason_code(enum sel_reason r)
{
        return CODE(reason_codes, r);
}

const char *
selection_by_code(enum sel_by b)
{
        return CODE(by_codes, b);
}

const char *
selection_error_code(enum sel_error e)
{
        return CODE(error_codes, e);
}

static int
problem(struct sel_problem *p, enum sel_error code, size_t index)
{
        if (p) {
                p->code = code;
                p->index = index;
        }
        return SEL_INVALID;
}

static int
region_ok(const char *r)
{
        return r != NULL && r[0] != '\0' && strlen(r) <= SEL_MAX_REGION;
}

/* Reads n digits of s as a number, or -1. */
static long long
digits(const char *s, int n)
{
        long long v = 0;

        for (int i = 0; i < n; i++) {
                if (s[i] < '0' || s[i] > '9')
                        return -1;
                v = v * 10 + (s[i] - '0');
        }
        return v;
}

/*
 * Parses "YYYY-MM-DD(T| )HH:MM:SS[.f{1,9}][Z]" into a sortable YYYYMMDDHHMMSS and nanoseconds, so
 * that "12:00:05.5Z" and "12:00:05Z" compare by time and not by their bytes. 0, or -1.
 */
static int
parse_when(const char *s, long long *when, long long *nanos)
{
        long long y, mo, d, h, mi, sec, frac = 0;
        size_t i = 19, nd = 0;

        if (s == NULL || strlen(s) < 19)
                return -1;
        y = digits(s, 4);
        mo = digits(s + 5, 2);
        d = digits(s + 8, 2);
        h = digits(s + 11, 2);
        mi = digits(s + 14, 2);
        sec = digits(s + 17, 2);
        if (s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != ' ') || s[13] != ':' ||
            s[16] != ':')
                return -1;
        if (y < 0 || mo < 0 || d < 0 || !date_valid((int)y, (int)mo, (int)d) || h < 0 || h > 23 ||
            mi < 0 || mi > 59 || sec < 0 || sec > 60)
                return -1;
        if (s[i] == '.') {
                for (i++; s[i] >= '0' && s[i] <= '9'; i++, nd++)
                        if (nd < 9)
                                frac = frac * 10 + (s[i] - '0');
                if (nd == 0 || nd > 9)
                        return -1;
                for (; nd < 9; nd++)
                        frac *= 10;
        }
        if (s[i] == 'Z')
                i++;
        if (s[i] != '\0')
                return -1;
        *when = ((((y * 100 + mo) * 100 + d) * 100 + h) * 100 + mi) * 100 + sec;
        *nanos = frac;
        return 0;
}

/* <0 when x ranks before y, >0 after, 0 when no rule before the draw separates them; *by names
 * the deciding rule. */
static int
compare_keys(const struct cand *x, const struct cand *y, enum sel_by *by)
{
        long long lx, ly;

        *by = SEL_BY_TOTAL;
        if (x->c->total != y->c->total)
                return x->c->total > y->c->total ? -1 : 1;
        *by = SEL_BY_GENDER;
        if (x->c->gender_mean != y->c->gender_mean)
                return x->c->gender_mean > y->c->gender_mean ? -1 : 1;
        /* women_x / members_x against women_y / members_y; each product is at most 10^18. */
        *by = SEL_BY_WOMEN_SHARE;
        lx = x->women * y->members;
        ly = y->women * x->members;
        if (lx != ly)
                return lx > ly ? -1 : 1;
        *by = SEL_BY_SUBMISSION;
        if (x->when != y->when)
                return x->when < y->when ? -1 : 1;
        if (x->nanos != y->nanos)
                return x->nanos < y->nanos ? -1 : 1;
        *by = SEL_BY_NONE;
        return 0;
}

/* The total order of a run: the rules, then the drawn place, then the id (only where the rank
 * is shared or before the draw is applied). */
static int
rank_cmp(const void *a, const void *b)
{
        const struct cand *x = a, *y = b;
        enum sel_by by;
        int c = compare_keys(x, y, &by);

        if (c != 0)
                return c;
        if (x->draw != y->draw)
                return x->draw < y->draw ? -1 : 1;
        return x->c->id < y->c->id ? -1 : x->c->id > y->c->id;
}

static int
id_cmp(const void *a, const void *b)
{
        long long x = *(const long long *)a, y = *(const long long *)b;

        return x < y ? -1 : x > y;
}

static int
cand_ptr_id_cmp(const void *a, const void *b)
{
        const struct sel_candidate *x = *(const struct sel_candidate *const *)a;
        const struct sel_candidate *y = *(const struct sel_candidate *const *)b;

        return x->id < y->id ? -1 : x->id > y->id;
}

static int
str_ptr_cmp(const void *a, const void *b)
{
        return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Candidate indices sorted by id, to find duplicates and to look ids up. */
struct id_index {
        long long id;
        size_t i;
};

static int
id_index_cmp(const void *a, const void *b)
{
        const struct id_index *x = a, *y = b;

        if (x->id != y->id)
                return x->id < y->id ? -1 : 1;
        return x->i < y->i ? -1 : x->i > y->i;
}

/* Seat lists are short (12 regions, or 75 provinces): a quadratic check for duplicates. */
static int
check_seats(const struct sel_input *in, struct sel_problem *p)
{
        for (size_t i = 0; i < in->nseats; i++) {
                if (!region_ok(in->seats[i].region))
                        return problem(p, SEL_ERR_BAD_SEAT_REGION, i);
                if (in->seats[i].seats < 0)
                        return problem(p, SEL_ERR_BAD_SEATS, i);
                for (size_t j = 0; j < i; j++)
                        if (strcmp(in->seats[j].region, in->seats[i].region) == 0)
                                return problem(p, SEL_ERR_BAD_SEAT_REGION, i);
        }
        return SEL_OK;
}

/* Checks one candidate that will be ranked and fills *k. */
static int
ranked_cand(const struct sel_candidate *c, size_t i, struct cand *k, struct sel_problem *p)
{
        if (c->total < 0 || c->total > 10000)
                return problem(p, SEL_ERR_BAD_TOTAL, i);
        if (c->gender_mean < 0)
                return problem(p, SEL_ERR_BAD_GENDER_MEAN, i);
        if (c->members_women < 0 || c->members_women > c->members_total ||
            c->members_total > 1000000000)
                return problem(p, SEL_ERR_BAD_MEMBERS, i);
        memset(k, 0, sizeof(*k));
        if (parse_when(c->submitted_at, &k->when, &k->nanos) != 0)
                return problem(p, SEL_ERR_BAD_SUBMITTED_AT, i);
        k->c = c;
        /* No members: a share of 0, compared as 0/1. */
        k->women = c->members_total > 0 ? c->members_women : 0;
        k->members = c->members_total > 0 ? c->members_total : 1;
        k->group = NO_GROUP;
        return SEL_OK;
}

/* Checks the input, ranks before any draw and finds the tied groups that need one. */
static int
prepare(const struct sel_input *in, struct arena *a, struct prep *pp, struct sel_problem *p)
{
        struct id_index *ids;
        size_t i;
        int rc;

        memset(pp, 0, sizeof(*pp));
        if (in->n > SEL_MAX_CANDIDATES)
                return problem(p, SEL_ERR_TOO_MANY, 0);
        if (in->min_score < 0 || in->min_score > 10000)
                return problem(p, SEL_ERR_BAD_MIN_SCORE, 0);
        if ((rc = check_seats(in, p)) != SEL_OK)
                return rc;

        ids = arena_alloc(a, (in->n + 1) * sizeof(*ids));
        for (i = 0; i < in->n; i++) {
                const struct sel_candidate *c = &in->candidates[i];
                if (c->id <= 0)
                        return problem(p, SEL_ERR_BAD_ID, i);
                if (!region_ok(c->region))
                        return problem(p, SEL_ERR_BAD_REGION, i);
                ids[i].id = c->id;
                ids[i].i = i;
        }
        qsort(ids, in->n, sizeof(*ids), id_index_cmp);
        for (i = 1; i < in->n; i++)
                if (ids[i].id == ids[i - 1].id)
                        return problem(p, SEL_ERR_DUPLICATE_ID, ids[i].i);

        pp->ranked = arena_alloc(a, (in->n + 1) * sizeof(*pp->ranked));
        pp->others = arena_alloc(a, (in->n + 1) * sizeof(*pp->others));
        for (i = 0; i < in->n; i++) {
                const struct sel_candidate *c = &in->candidates[i];
                if (!c->eligible || !c->fully_scored) {
                        pp->others[pp->nothers++] = c;
                        continue;
                }
                if ((rc = ranked_cand(c, i, &pp->ranked[pp->nranked], p)) != SEL_OK)
                        return rc;
                pp->nranked++;
        }
        qsort(pp->ranked, pp->nranked, sizeof(*pp->ranked), rank_cmp);
        qsort(pp->others, pp->nothers, sizeof(*pp->others), cand_ptr_id_cmp);

        /* Runs of equal keys at or above the minimum; ids ascend within a run (rank_cmp). */
        pp->groups = arena_alloc(a, (pp->nranked / 2 + 1) * sizeof(*pp->groups));
        for (i = 0; i < pp->nranked;) {
                size_t j = i + 1;
                enum sel_by by;
                while (j < pp->nranked && compare_keys(&pp->ranked[i], &pp->ranked[j], &by) == 0)
                        j++;
                if (j - i >= 2 && pp->ranked[i].c->total >= in->min_score) {
                        struct sel_tie_group *g = &pp->groups[pp->ngroups];
                        g->n = j - i;
                        g->ids = arena_alloc(a, g->n * sizeof(*g->ids));
                        g->total = pp->ranked[i].c->total;
                        g->first_rank = (long long)i + 1;
                        for (size_t k = i; k < j; k++) {
                                g->ids[k - i] = pp->ranked[k].c->id;
                                pp->ranked[k].group = pp->ngroups;
                        }
                        pp->ngroups++;
                }
                i = j;
        }
        return SEL_OK;
}

int
selection_ties(const struct sel_input *in, struct arena *a, struct sel_tie_group **groups,
               size_t *n, struct sel_problem *p)
{
        struct prep pp;
        int rc = prepare(in, a, &pp, p);

        if (rc != SEL_OK)
                return rc;
        *groups = pp.groups;
        *n = pp.ngroups;
        return SEL_OK;
}

/* The ranked candidate with this id (ranked is in the order prepare left it), or NULL. */
static struct cand *
find_ranked(const struct id_index *by_id, size_t n, struct cand *ranked, long long id)
{
        size_t lo = 0, hi = n;

        while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                if (by_id[mid].id == id)
                        return &ranked[by_id[mid].i];
                if (by_id[mid].id < id)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        return NULL;
}

/* Checks the orders against the groups and sets each member's drawn place. */
static int
apply_orders(struct prep *pp, const struct sel_tie_order *orders, size_t norders,
             unsigned char *ordered, struct arena *a, struct sel_problem *p)
{
        struct id_index *by_id = arena_alloc(a, (pp->nranked + 1) * sizeof(*by_id));

        for (size_t i = 0; i < pp->nranked; i++) {
                by_id[i].id = pp->ranked[i].c->id;
                by_id[i].i = i;
        }
        qsort(by_id, pp->nranked, sizeof(*by_id), id_index_cmp);

        for (size_t o = 0; o < norders; o++) {
                const struct sel_tie_order *ord = &orders[o];
                long long *sorted;
                struct cand *first;
                size_t g;

                if (ord->n < 2 || ord->ids == NULL)
                        return problem(p, SEL_ERR_BAD_ORDER, o);
                sorted = arena_alloc(a, ord->n * sizeof(*sorted));
                memcpy(sorted, ord->ids, ord->n * sizeof(*sorted));
                qsort(sorted, ord->n, sizeof(*sorted), id_cmp);
                for (size_t i = 1; i < ord->n; i++)
                        if (sorted[i] == sorted[i - 1])
                                return problem(p, SEL_ERR_BAD_ORDER, o);
                first = find_ranked(by_id, pp->nranked, pp->ranked, sorted[0]);
                if (first == NULL || first->group == NO_GROUP)
                        return problem(p, SEL_ERR_STALE_ORDER, o);
                g = first->group;
                if (ordered[g] || pp->groups[g].n != ord->n ||
                    memcmp(pp->groups[g].ids, sorted, ord->n * sizeof(*sorted)) != 0)
                        return problem(p, SEL_ERR_STALE_ORDER, o);
                ordered[g] = 1;
                for (size_t i = 0; i < ord->n; i++)
                        find_ranked(by_id, pp->nranked, pp->ranked, ord->ids[i])->draw =
                            (long long)i + 1;
        }
        return SEL_OK;
}

/* The index of region code r in the sorted regions, which hold it. */
static size_t
region_index(const struct sel_region *regions, size_t n, const char *r)
{
        size_t lo = 0, hi = n;

        while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                int c = strcmp(regions[mid].region, r);
                if (c == 0)
                        return mid;
                if (c < 0)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        return SIZE_MAX; /* not reached: every code was collected */
}

/* Every region code of the seats and the candidates, sorted and unique, with its seats. */
static void
collect_regions(const struct sel_input *in, struct arena *a, struct sel_result *out)
{
        size_t total = in->nseats + in->n, n = 0;
        const char **codes = arena_alloc(a, (total + 1) * sizeof(*codes));

        for (size_t i = 0; i < in->nseats; i++)
                codes[n++] = in->seats[i].region;
        for (size_t i = 0; i < in->n; i++)
                codes[n++] = in->candidates[i].region;
        qsort(codes, n, sizeof(*codes), str_ptr_cmp);
        out->regions = arena_alloc(a, (n + 1) * sizeof(*out->regions));
        out->nregions = 0;
        for (size_t i = 0; i < n; i++)
                if (i == 0 || strcmp(codes[i], codes[i - 1]) != 0)
                        out->regions[out->nregions++].region = arena_strdup(a, codes[i]);
        for (size_t i = 0; i < in->nseats; i++)
                out->regions[region_index(out->regions, out->nregions, in->seats[i].region)].seats =
                    in->seats[i].seats;
}

/* Numbers the waitlists in rank order (outcomes are in rank order) and counts them. */
static void
renumber(struct sel_result *r)
{
        long long national = 0;

        for (size_t i = 0; i < r->nregions; i++)
                r->regions[i].waitlisted = 0;
        for (size_t i = 0; i < r->n; i++) {
                struct sel_outcome *o = &r->outcomes[i];
                if (o->status != SEL_WAITLISTED) {
                        o->waitlist = o->region_waitlist = 0;
                        continue;
                }
                o->waitlist = ++national;
                o->region_waitlist = ++r->regions[o->region_index].waitlisted;
        }
}

/* Gives seats in rank order: regional first, then the national pool, then the waitlist. */
static void
allocate(const struct sel_input *in, struct sel_result *out)
{
        long long national_left = 0;

        for (size_t i = 0; i < out->n; i++) {
                struct sel_outcome *o = &out->outcomes[i];
                struct sel_region *reg = &out->regions[o->region_index];
                if (o->rank == 0)
                        continue;
                if (o->total < in->min_score) {
                        o->status = SEL_REJECTED_BELOW_MINIMUM;
                        o->reason = SEL_REASON_BELOW_MINIMUM;
                } else if (reg->filled < reg->seats) {
                        reg->filled++;
                        o->status = SEL_SELECTED_REGIONAL;
                        o->reason = SEL_REASON_REGIONAL_SEAT;
                } else {
                        o->status = SEL_WAITLISTED;
                        o->reason = SEL_REASON_SEATS_FULL;
                }
        }
        out->national_seats = 0;
        if (out->national_pool)
                for (size_t i = 0; i < out->nregions; i++)
                        out->national_seats += out->regions[i].seats - out->regions[i].filled;
        national_left = out->national_seats;
        for (size_t i = 0; i < out->n && national_left > 0; i++) {
                struct sel_outcome *o = &out->outcomes[i];
                if (o->status == SEL_WAITLISTED) {
                        o->status = SEL_SELECTED_NATIONAL;
                        o->reason = SEL_REASON_NATIONAL_POOL;
                        national_left--;
                }
        }
        out->national_filled = out->national_seats - national_left;
        renumber(out);
}

int
selection_run(const struct sel_input *in, const struct sel_tie_order *orders, size_t norders,
              struct arena *a, struct sel_result *out, struct sel_problem *p)
{
        struct prep pp;
        unsigned char *ordered;
        size_t i, n = 0;
        int rc;

        memset(out, 0, sizeof(*out));
        out->national_pool = in->national_pool != 0;
        if ((rc = prepare(in, a, &pp, p)) != SEL_OK)
                return rc;
        ordered = arena_alloc(a, pp.ngroups + 1);
        if ((rc = apply_orders(&pp, orders, norders, ordered, a, p)) != SEL_OK)
                return rc;
        out->pending = arena_alloc(a, (pp.ngroups + 1) * sizeof(*out->pending));
        for (i = 0; i < pp.ngroups; i++)
                if (!ordered[i])
                        out->pending[out->npending++] = pp.groups[i];
        if (out->npending > 0)
                return SEL_NEEDS_DRAW;
        out->pending = NULL;

        qsort(pp.ranked, pp.nranked, sizeof(*pp.ranked), rank_cmp);
        collect_regions(in, a, out);
        out->outcomes = arena_alloc(a, (in->n + 1) * sizeof(*out->outcomes));
        for (i = 0; i < pp.nranked; i++) {
                const struct cand *k = &pp.ranked[i];
                struct sel_outcome *o = &out->outcomes[n++];
                enum sel_by by = SEL_BY_NONE;
                o->id = k->c->id;
                o->region_index = region_index(out->regions, out->nregions, k->c->region);
                o->region = out->regions[o->region_index].region;
                o->total = k->c->total;
                o->rank = (long long)i + 1;
                if (i > 0 && compare_keys(&pp.ranked[i - 1], k, &by) == 0) {
                        if (k->draw != 0) {
                                by = SEL_BY_DRAW;
                        } else {
                                /* Tied below the minimum: ex aequo, one rank for all. */
                                o->rank = out->outcomes[n - 2].rank;
                                o->shared_rank = out->outcomes[n - 2].shared_rank = 1;
                        }
                }
                o->by = by;
        }
        for (i = 0; i < pp.nothers; i++) {
                const struct sel_candidate *c = pp.others[i];
                struct sel_outcome *o = &out->outcomes[n++];
                o->id = c->id;
                o->region_index = region_index(out->regions, out->nregions, c->region);
                o->region = out->regions[o->region_index].region;
                o->by = SEL_BY_NONE;
                if (!c->eligible) {
                        o->status = SEL_NOT_RANKED_INELIGIBLE;
                        o->reason = SEL_REASON_INELIGIBLE;
                } else {
                        o->status = SEL_NOT_RANKED_UNSCORED;
                        o->reason = SEL_REASON_NOT_FULLY_SCORED;
                }
        }
        out->n = n;
        allocate(in, out);
        return SEL_OK;
}

/* The first waitlisted outcome in rank order, of region ri (SIZE_MAX: any region), or NULL. */
static struct sel_outcome *
first_waitlisted(struct sel_result *r, size_t ri)
{
        for (size_t i = 0; i < r->n; i++) {
                struct sel_outcome *o = &r->outcomes[i];
                if (o->status == SEL_WAITLISTED && (ri == SIZE_MAX || o->region_index == ri))
                        return o;
        }
        return NULL;
}

int
selection_promote(struct sel_result *r, long long withdrawn_id, long long *promoted)
{
        struct sel_outcome *w = NULL, *next = NULL;
        int national_seat = 0;

        for (size_t i = 0; i < r->n && w == NULL; i++)
                if (r->outcomes[i].id == withdrawn_id)
                        w = &r->outcomes[i];
        if (w == NULL || w->status == SEL_WITHDRAWN)
                return -1;

        if (w->status == SEL_SELECTED_REGIONAL) {
                struct sel_region *reg = &r->regions[w->region_index];
                reg->filled--;
                next = first_waitlisted(r, w->region_index);
                if (next != NULL) {
                        reg->filled++;
                        next->status = SEL_SELECTED_REGIONAL;
                        next->reason = SEL_REASON_PROMOTED_REGIONAL;
                } else if (r->national_pool) {
                        /* The region cannot fill its seat: it goes to the pool, as in the run. */
                        r->national_seats++;
                        national_seat = 1;
                }
        } else if (w->status == SEL_SELECTED_NATIONAL) {
                r->national_filled--;
                national_seat = 1;
        }
        if (national_seat) {
                next = first_waitlisted(r, SIZE_MAX);
                if (next != NULL) {
                        r->national_filled++;
                        next->status = SEL_SELECTED_NATIONAL;
                        next->reason = SEL_REASON_PROMOTED_NATIONAL;
                }
        }
        w->status = SEL_WITHDRAWN;
        w->reason = SEL_REASON_WITHDRAWN;
        renumber(r);
        if (promoted)
                *promoted = next ? next->id : 0;
        return next ? 1 : 0;
}
