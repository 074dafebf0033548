#!/bin/sh
# i18n-check.sh: fails when a message of the sources lacks a translation in po/{ar,fr,en}.po.
# Run from the repository root (make i18n-check). Writes build/i18n/murafiq.pot.
set -eu

# Every catalog: ar, fr and en must exist; a new language is a new po/<code>.po.
LANGS="ar fr en $(ls po/*.po | sed 's|po/||; s|\.po$||' | grep -v -x -e ar -e fr -e en | tr '\n' ' ')"
OUT=build/i18n
POT=$OUT/murafiq.pot

mkdir -p "$OUT"
sh tools/i18n-extract.sh "$POT"

# Prints the msgids of the PO file on stdin, one a line, leaving out the header.
# shellcheck disable=SC2016 # expanded by the inner sh, not here
msgids() {
        msgexec sh -c '[ -z "$MSGEXEC_MSGID" ] || printf "%s\n" "$MSGEXEC_MSGID"'
}

status=0
for lang in $LANGS; do
        po=po/$lang.po
        if [ ! -f "$po" ]; then
                echo "i18n-check: $po is missing" >&2
                status=1
                continue
        fi
        if ! msgfmt --check --output-file=/dev/null "$po" 2>"$OUT/$lang.msgfmt"; then
                cat "$OUT/$lang.msgfmt" >&2
                echo "i18n-check: $po: msgfmt --check failed" >&2
                status=1
                continue
        fi
        fuzzy=$(msgattrib --only-fuzzy --no-obsolete "$po" | msgids)
        if [ -n "$fuzzy" ]; then
                echo "i18n-check: $po: fuzzy entries (review them, then drop the fuzzy flag):" >&2
                printf '%s\n' "$fuzzy" | sed 's/^/    /' >&2
                status=1
        fi
        # Without fuzzy matching, a msgid of the .pot absent from the .po comes out of the
        # merge untranslated, just like an entry whose msgstr is empty.
        msgmerge --quiet --no-fuzzy-matching --output-file="$OUT/$lang.merged.po" "$po" "$POT"
        missing=$(msgattrib --untranslated --no-obsolete "$OUT/$lang.merged.po" | msgids)
        if [ -n "$missing" ]; then
                echo "i18n-check: $po: missing or empty translations (sh tools/i18n-update.sh" \
                        "adds them):" >&2
                printf '%s\n' "$missing" | sed 's/^/    /' >&2
                status=1
        fi
done

if [ "$status" -eq 0 ]; then
        echo "i18n-check: $(($(grep -c '^msgid ' "$POT") - 1)) messages translated in $LANGS"
fi
exit "$status"
