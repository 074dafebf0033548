#!/bin/sh
# i18n-extract.sh: writes the template of every translatable message (default
# build/i18n/murafiq.pot). Run from the repository root; used by i18n-check.sh and
# i18n-update.sh.
set -eu

POT=${1:-build/i18n/murafiq.pot}
mkdir -p "$(dirname "$POT")"

# The sources (the unit tests build their own catalogs).
list=$POT.files
find src -name '*.[ch]' | LC_ALL=C sort >"$list"

# _(lang, "msgid") and i18n_gettext(lang, "msgid") carry their message as 2nd argument,
# errs_add(e, field, "msgid", ...) as 3rd; N_("msgid") marks table labels.
# A bare -k drops xgettext's default C keywords (gettext, _, ...), which would misread _().
# The --flag options mark messages containing %s and the like as c-format, so that
# msgfmt --check compares their directives with those of each translation.
xgettext --language=C --from-code=UTF-8 --force-po --sort-output \
        --package-name=murafiq --add-comments=TRANSLATORS: \
        -k -k_:2 -kN_ -ki18n_gettext:2 -kerrs_add:3 \
        --flag=_:2:pass-c-format --flag=N_:1:pass-c-format --flag=i18n_gettext:2:pass-c-format \
        --flag=errs_add:3:c-format \
        --files-from="$list" --output="$POT"
rm -f "$list"
