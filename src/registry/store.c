/* store.c: what every registry store shares: the region scope. */
#include "registry/store.h"

#include <string.h>

#include "core/arena.h"
#include "core/db.h"
#include "core/http.h"

void
store_bind_scope(sqlite3_stmt *st, const struct scope *s)
{
        db_bind_int(st, ":scope_all", s->all);
        db_bind_int(st, ":scope_user", s->user_id);
}

int
store_region_in_scope(struct db *db, const struct scope *scope, const char *region)
{
        if (scope->all)
                return 1;
        sqlite3_stmt *st = db_stmt(db, "SELECT 1 FROM user_region WHERE user_id = :u"
                                       " AND region_code = :r");
        if (st == NULL)
                return 0;
        db_bind_int(st, ":u", scope->user_id);
        db_bind_text(st, ":r", region ? region : "");
        int in = sqlite3_step(st) == SQLITE_ROW;
        sqlite3_reset(st);
        return in;
}

void
store_bind_words(sqlite3_stmt *st, const char *q, struct arena *a)
{
        static const char *const names[STORE_MAX_WORDS] = {":w1", ":w2", ":w3",
                                                           ":w4", ":w5", ":w6"};
        const char *words[STORE_MAX_WORDS] = {0};
        int n = 0, longest = 0;
        char *copy = arena_strdup(a, q ? q : "");
        char *save = NULL;
        for (char *tok = strtok_r(copy, " ", &save); tok && n < STORE_MAX_WORDS;
             tok = strtok_r(NULL, " ", &save)) {
                if (strlen(tok) > strlen(words[longest] ? words[longest] : ""))
                        longest = n;
                words[n++] = tok;
        }
        /* The longest word first: an index search reads :w1's matches, usually the fewest. */
        const char *first = words[longest];
        words[longest] = words[0];
        words[0] = first;
        for (int i = 0; i < STORE_MAX_WORDS; i++)
                db_bind_text(st, names[i], words[i] ? words[i] : "");
}

int
store_word_count(const char *q)
{
        int n = 0;
        for (const char *p = q; p && *p;) {
                while (*p == ' ')
                        p++;
                if (*p == '\0')
                        break;
                n++;
                while (*p && *p != ' ')
                        p++;
        }
        return n;
}
