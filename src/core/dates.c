/* dates.c: Gregorian calendar arithmetic, strict ISO parsing and exact ages. */
#include "dates.h"

#include <string.h>
#include <time.h>

#define DATE_MIN_YEAR 1900
#define DATE_MAX_YEAR 2200

static int
is_leap(int y)
{
        return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
month_days(int y, int m)
{
        static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

int
date_valid(int y, int m, int d)
{
        if (y < DATE_MIN_YEAR || y > DATE_MAX_YEAR || m < 1 || m > 12)
                return 0;
        return d >= 1 && d <= month_days(y, m);
}

int
date_parse(const char *s, struct date *out)
{
        int v[3] = {0, 0, 0};
        static const int field_of[10] = {0, 0, 0, 0, -1, 1, 1, -1, 2, 2};

        if (s == NULL || strnlen(s, 11) != 10)
                return -1;
        for (int i = 0; i < 10; i++) {
                if (field_of[i] < 0) {
                        if (s[i] != '-')
                                return -1;
                } else {
                        if (s[i] < '0' || s[i] > '9')
                                return -1;
                        v[field_of[i]] = v[field_of[i]] * 10 + (s[i] - '0');
                }
        }
        if (!date_valid(v[0], v[1], v[2]))
                return -1;
        out->y = v[0];
        out->m = v[1];
        out->d = v[2];
        return 0;
}

/* Writes the last `width` decimal digits of v (v >= 0) at out. */
static void
put_digits(char *out, int v, int width)
{
        for (int i = width - 1; i >= 0; i--) {
                out[i] = (char)('0' + v % 10);
                v /= 10;
        }
}

void
date_format_iso(struct date d, char out[11])
{
        put_digits(out, d.y < 0 ? 0 : d.y, 4);
        out[4] = '-';
        put_digits(out + 5, d.m < 0 ? 0 : d.m, 2);
        out[7] = '-';
        put_digits(out + 8, d.d < 0 ? 0 : d.d, 2);
        out[10] = '\0';
}

int
date_cmp(struct date a, struct date b)
{
        if (a.y != b.y)
                return a.y < b.y ? -1 : 1;
        if (a.m != b.m)
                return a.m < b.m ? -1 : 1;
        if (a.d != b.d)
                return a.d < b.d ? -1 : 1;
        return 0;
}

struct date
date_today(void)
{
        time_t now = time(NULL);
        struct tm tm;
        struct date d = {1970, 1, 1};

        if (localtime_r(&now, &tm) != NULL) {
                d.y = tm.tm_year + 1900;
                d.m = tm.tm_mon + 1;
                d.d = tm.tm_mday;
        }
        return d;
}

/* d shifted by n months, the day clamped to the length of the target month. */
static struct date
add_months(struct date d, long n)
{
        long months = (long)d.y * 12 + (d.m - 1) + n;
        long y = months >= 0 ? months / 12 : -((-months + 11) / 12);
        struct date r;

        r.y = (int)y;
        r.m = (int)(months - y * 12) + 1;
        r.d = d.d;
        if (r.d > month_days(r.y, r.m))
                r.d = month_days(r.y, r.m);
        return r;
}

struct date
date_add_years(struct date d, int n)
{
        return add_months(d, (long)n * 12);
}

struct age
date_age(struct date from, struct date on)
{
        struct age age = {0, 0, 0};
        long k;
        struct date at;

        if (date_cmp(from, on) >= 0)
                return age;
        /* The largest k with from + k months <= on: either the month of `on` or the one before. */
        k = ((long)on.y - from.y) * 12 + (on.m - from.m);
        at = add_months(from, k);
        if (date_cmp(at, on) > 0) {
                k--;
                at = add_months(from, k);
        }
        age.years = (int)(k / 12);
        age.months = (int)(k % 12);
        age.days = (int)(date_to_days(on) - date_to_days(at));
        return age;
}

/* Days from civil, after H. Hinnant's public-domain algorithm (proleptic Gregorian). */
long
date_to_days(struct date d)
{
        long y = (long)d.y - (d.m <= 2);
        long era = (y >= 0 ? y : y - 399) / 400;
        long yoe = y - era * 400;
        long mp = (d.m + 9) % 12;
        long doy = (153 * mp + 2) / 5 + d.d - 1;
        long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146097 + doe - 719468;
}

struct date
date_from_days(long days)
{
        long z = days + 719468;
        long era = (z >= 0 ? z : z - 146096) / 146097;
        long doe = z - era * 146097;
        long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        struct date r;

        r.d = (int)(doy - (153 * mp + 2) / 5 + 1);
        r.m = (int)(mp < 10 ? mp + 3 : mp - 9);
        r.y = (int)(yoe + era * 400 + (r.m <= 2));
        return r;
}

void
date_format_utc_minute(long long unix_seconds, char out[24])
{
        time_t t = (time_t)unix_seconds;
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(out, 24, "%Y-%m-%d %H:%M UTC", &tm);
}
