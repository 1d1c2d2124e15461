"""Every string a person can see exists in every language: no missing, fuzzy or stale entry."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

from config.languages import LANGUAGE_CODES

ROOT = Path(__file__).resolve().parents[3]
LOCALE = ROOT / "locale"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{(\w+)\}")


def locale_dir_name(code: str) -> str:
    from django.utils.translation import to_locale

    return to_locale(code)


def catalog(code: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / locale_dir_name(code) / "LC_MESSAGES" / "django.po"))


@pytest.mark.parametrize("code", LANGUAGE_CODES)
def test_every_entry_is_translated_and_none_is_fuzzy(code: str) -> None:
    po = catalog(code)
    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
    assert untranslated == [], f"{code}: {len(untranslated)} untranslated, e.g. {untranslated[:3]}"
    assert fuzzy == [], f"{code}: {len(fuzzy)} fuzzy, e.g. {fuzzy[:3]}"


@pytest.mark.parametrize("code", LANGUAGE_CODES)
def test_translations_keep_every_placeholder(code: str) -> None:
    for entry in catalog(code).translated_entries():
        expected = set(PLACEHOLDER.findall(entry.msgid))
        strings = [entry.msgstr] if entry.msgstr else list(entry.msgstr_plural.values())
        for translated in strings:
            assert set(PLACEHOLDER.findall(translated)) == expected, f"{code}: {entry.msgid!r}"


def test_catalogs_match_the_source_strings(tmp_path: Path) -> None:
    """Extracts the strings afresh into a copy of the project and compares: catches new
    strings nobody translated yet, and strings removed from the code but left in catalogs.

    makemessages writes into every locale directory above the files it scans, so it runs in a
    copy of the sources: the real catalogs are never touched (translators may be editing them).
    """
    copy = tmp_path / "src"
    skipped = shutil.ignore_patterns(".venv", ".git", "artifacts", "staticfiles", "node_modules", "*.mo")
    for name in ("koe", "config", "templates", "locale", "manage.py"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=skipped)
        else:
            shutil.copy2(source, copy / name)
    fresh = copy / "locale"
    env = {
        **os.environ,
        "KOE_LOCALE_DIR": str(fresh),
        "DEBUG": "1",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    languages = [arg for code in LANGUAGE_CODES for arg in ("-l", locale_dir_name(code))]
    command = [sys.executable, "manage.py", "makemessages", "--no-location", "--no-obsolete",
               "--ignore=locale", *languages]  # fmt: skip
    subprocess.run(command, cwd=copy, env=env, check=True, capture_output=True)  # noqa: S603
    for code in LANGUAGE_CODES:
        committed = {entry.msgid for entry in catalog(code) if not entry.obsolete}
        extracted_po = polib.pofile(str(fresh / locale_dir_name(code) / "LC_MESSAGES" / "django.po"))
        extracted = {entry.msgid for entry in extracted_po if not entry.obsolete}
        assert extracted - committed == set(), (
            f"{code}: not in the catalog: {sorted(extracted - committed)[:5]}"
        )
        assert committed - extracted == set(), (
            f"{code}: no longer in the code: {sorted(committed - extracted)[:5]}"
        )
