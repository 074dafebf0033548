/* fuzz_text.c: UTF-8 validation and search folding (core/text.c) on any bytes. */
#include "core/text.h"

#include "fuzz.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
        (void)argc, (void)argv;
        fuzz_init_process();
        return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        int valid = text_valid_utf8((const char *)data, size);
        struct arena *a = arena_new();
        char *s = fuzz_cstr(a, data, size);
        char *fold = text_fold(a, s);
        /* Folding refuses exactly what is not UTF-8, and gives UTF-8 back. */
        if (valid && strlen(s) == size) {
                FUZZ_ASSERT(fold != NULL);
                FUZZ_ASSERT(text_valid_utf8(fold, strlen(fold)));
                /* Folding is idempotent: what search stores folds to itself. */
                char *again = text_fold(a, fold);
                FUZZ_ASSERT(again != NULL && strcmp(again, fold) == 0);
                char *t = text_trim(a, s);
                FUZZ_ASSERT(t != NULL && text_valid_utf8(t, strlen(t)));
                FUZZ_ASSERT(text_length(t) <= text_length(s));
        }
        arena_free(a);
        return 0;
}
