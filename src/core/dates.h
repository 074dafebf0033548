/* dates.h: calendar dates, strict parsing and exact ages. Pure functions, no I/O. */
#ifndef MURAFIQ_DATES_H
#define MURAFIQ_DATES_H

struct date {
        int y, m, d;
};

/* Exact calendar difference: years, then months, then days. */
struct age {
        int years, months, days;
};

/* Returns 1 when y-m-d is a real Gregorian date with 1900 <= y <= 2200. */
int date_valid(int y, int m, int d);
/* Parses exactly "YYYY-MM-DD" into *out. Returns 0, or -1 when malformed or impossible
 * (2025-02-31). */
int date_parse(const char *s, struct date *out);
/* Writes "YYYY-MM-DD" into out (11 bytes). */
void date_format_iso(struct date d, char out[11]);
/* Unix seconds as "YYYY-MM-DD HH:MM UTC" (the tokens' dates in the CLI and the pages). */
void date_format_utc_minute(long long unix_seconds, char out[24]);
/* <0, 0, >0 like strcmp. */
int date_cmp(struct date a, struct date b);
/* Today's date in the server's local time. */
struct date date_today(void);
/*
 * Age of something born on `from` as of `on` (from <= on, else all zeros): the largest whole
 * number of years such that from + years <= on, then months, then days. A 29 February
 * anniversary falls on 28 February in common years. Created exactly 4 years before `on` gives
 * {4,0,0}; one day earlier gives {4,0,1}.
 */
struct age date_age(struct date from, struct date on);
/* Adds n years (may be negative), clamping 29 February to 28 February. */
struct date date_add_years(struct date d, int n);
/* Days since 1970-01-01 (may be negative). */
long date_to_days(struct date d);
struct date date_from_days(long days);

#endif
