/* fuzz_form.c: query string and urlencoded form values as murafiq validates them once
 * libmicrohttpd has decoded them (core/validate.c, the language cookie, the UTF-8 check that
 * dispatch applies to every value). The input is values separated by newlines; each goes
 * through every validator. */
#include "core/buf.h"
#include "core/text.h"
#include "core/validate.h"
#include "registry/coop.h"

#include "fuzz.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
        (void)argc, (void)argv;
        fuzz_init_process();
        return 0;
}

static void
check_value(struct arena *a, const char *v)
{
        struct errs e;
        errs_init(&e, a, LANG_FR);
        if (!text_valid_utf8(v, strlen(v)))
                return; /* dispatch refuses the request with a 400 before any handler */
        const char *t = v_text(&e, "name", v, 1, 200, 0);
        FUZZ_ASSERT(t == NULL || (text_valid_utf8(t, strlen(t)) && text_length(t) <= 200));
        const char *m = v_text(&e, "notes", v, 0, 2000, 1);
        FUZZ_ASSERT(m == NULL || text_valid_utf8(m, strlen(m)));
        long long n = 0;
        if (v_int(&e, "page", v, 0, 1, 1000000, 1, &n) == 0)
                FUZZ_ASSERT(n >= 1 && n <= 1000000);
        if (v_int(&e, "big", v, 1, -(1LL << 62), 1LL << 62, 0, &n) == 0)
                FUZZ_ASSERT(n >= -(1LL << 62) && n <= 1LL << 62);
        struct date d;
        int set = 0;
        if (v_date(&e, "legal_date", v, 0, &d, &set) == 0 && set)
                FUZZ_ASSERT(date_valid(d.y, d.m, d.d));
        const char *s = v_enum(&e, "sector", v, 0, coop_sector_codes);
        if (s && s[0]) { /* only an allowed code comes back */
                int known = 0;
                for (size_t i = 0; coop_sector_codes[i]; i++)
                        known |= strcmp(s, coop_sector_codes[i]) == 0;
                FUZZ_ASSERT(known);
        }
        int b = -1;
        if (v_bool(&e, "flag", v, &b) == 0)
                FUZZ_ASSERT(b == 0 || b == 1);
        v_email(&e, "email", v);
        v_phone(&e, "phone", v);
        int l = lang_from_code(v); /* the language cookie */
        FUZZ_ASSERT(l < 0 || l < lang_count());
        struct buf out;
        buf_init(&out, a, 1u << 16);
        buf_url_encode(&out, v);
        FUZZ_ASSERT(out.err || strspn(buf_str(&out), "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnop"
                                                     "qrstuvwxyz0123456789-._~/%") == out.len);
        for (size_t i = 0; i < e.n; i++)
                FUZZ_ASSERT(e.list[i].msg && e.list[i].msg[0]);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct arena *a = arena_new();
        char *s = fuzz_cstr(a, data, size);
        for (char *line = s, *next; line; line = next) {
                next = strchr(line, '\n');
                if (next)
                        *next++ = '\0';
                check_value(a, line);
        }
        arena_free(a);
        return 0;
}
