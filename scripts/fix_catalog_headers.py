"""Gives every catalog a complete, non-fuzzy header after makemessages.

makemessages leaves the header fuzzy and, for Tagalog (which gettext does not know), without
plural rules; a fuzzy header can make tools drop the plural rules altogether.
"""

from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parent.parent / "locale"
PLURALS = {
    "tl": "nplurals=2; plural=(n != 1 && n != 2 && n != 3 && (n % 10 == 4 || n % 10 == 6 || n % 10 == 9));"
}

for po_path in sorted(LOCALE.glob("*/LC_MESSAGES/django.po")):
    language = po_path.parent.parent.name
    po = polib.pofile(str(po_path))
    po.metadata_is_fuzzy = False
    po.metadata["Language"] = language
    po.metadata["Project-Id-Version"] = "Koe"
    po.metadata["Language-Team"] = f"Koe {language} translators"
    po.metadata.pop("Last-Translator", None)
    po.metadata.pop("Report-Msgid-Bugs-To", None)
    if language in PLURALS:
        po.metadata["Plural-Forms"] = PLURALS[language]
    po.header = "Koe translation catalog. Edit translations here; `make messages` adds new strings."
    po.save()
