"""English is Koe's source language: its catalog translates each string to itself, so the
catalog check treats every language alike and an English reviewer can still adjust wording."""

import sys
from pathlib import Path

import polib

path = Path(__file__).resolve().parent.parent / "locale" / "en" / "LC_MESSAGES" / "django.po"
po = polib.pofile(str(path))
for entry in po:
    if entry.msgid_plural:
        entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
    else:
        # Always the msgid itself: makemessages may have filled a fuzzy guess from another string.
        entry.msgstr = entry.msgid
    if "fuzzy" in entry.flags:
        entry.flags.remove("fuzzy")
    entry.previous_msgid = None
    entry.previous_msgid_plural = None
    entry.previous_msgctxt = None
po.save()
sys.stdout.write(f"English catalog: {len(po)} entries\n")
