#!/bin/sh
# lint.sh: checks the sources for what the project agreed not to write. Run by `make check`.
#  - banned C functions (unbounded copies, unchecked conversions, strtok);
#  - html_raw_trusted with anything but a string literal;
#  - SQL built at run time: every db_stmt() takes a literal (or a table of literals).
#  - formatting, when clang-format is installed.
set -u
status=0
banned=$(grep -rnE '\b(strcpy|strcat|sprintf|vsprintf|gets|atoi|atol|atof|strtok)\s*\(' src tests/unit tools/*.c)
if [ -n "$banned" ]; then
        echo "lint: banned functions (use bounded buffers and checked parsers):"
        echo "$banned"
        status=1
fi
# Calls whose argument is not a string literal, across line breaks (perl is in Debian's base).
# Allowed: f->extra (a literal by form_field's contract) and count_rows' sql (literals only).
nonliteral() {
        perl -0777 -ne 'while (/\b'"$1"'\(\s*[^,()]+,\s*([^\s"][^,)]*)/g) {
                my $arg = $1; my $line = substr($_, 0, pos($_)) =~ tr/\n//;
                print "$ARGV:", $line + 1, ": $arg\n" }' $(git ls-files 'src/*.c') |
                grep -v -e ': f->extra$' -e ': sql$' -e ': list_sql\[' -e '^src/core/html.c:'
}
raw=$(nonliteral html_raw_trusted)
if [ -n "$raw" ]; then
        echo "lint: html_raw_trusted with a non-literal argument:"
        echo "$raw"
        status=1
fi
sql=$(nonliteral db_stmt | grep -v '^src/core/db\.c')
if [ -n "$sql" ]; then
        echo "lint: db_stmt with SQL that is not a literal:"
        echo "$sql"
        status=1
fi
if command -v clang-format >/dev/null 2>&1; then
        if ! git ls-files 'src/*.c' 'src/*.h' 'tests/unit/*.c' 'tools/*.c' |
                xargs clang-format --dry-run -Werror 2>&1 | grep -o '^[^:]*:[0-9]*' | sort -u -t: -k1,1 |
                awk 'BEGIN { bad = 0 } { bad = 1; print "lint: not formatted: " $0 } END { exit bad }'; then
                echo "lint: formatting differs from .clang-format (run make format)"
                status=1
        fi
fi
[ "$status" = 0 ] && echo "lint: ok"
exit "$status"
