#!/bin/sh
# i18n-update.sh: adds the new messages of the sources to every po/*.po for translators.
# Run from the repository root. In ar and fr new entries get an empty msgstr, which
# i18n-check reports until translated; en, whose msgids are already English, gets msgstr =
# msgid where it has no translation of its own. Messages gone from the sources become
# obsolete (#~) entries.
set -eu

POT=build/i18n/murafiq.pot
sh tools/i18n-extract.sh "$POT"

LANGS=$(ls po/*.po | sed 's|po/||; s|\.po$||')
for lang in $LANGS; do
        msgmerge --quiet --update --backup=none --no-fuzzy-matching "po/$lang.po" "$POT"
done
# msgen fills only the entries that have no msgstr.
msgen --output-file=build/i18n/en.po po/en.po
mv build/i18n/en.po po/en.po

# shellcheck disable=SC2016 # $MSGEXEC_MSGID is expanded by the inner sh
for lang in $LANGS; do
        left=$(msgattrib --untranslated --no-obsolete "po/$lang.po" |
                msgexec sh -c '[ -z "$MSGEXEC_MSGID" ] || echo' | wc -l | tr -d ' ')
        echo "po/$lang.po: $left messages to translate"
done
