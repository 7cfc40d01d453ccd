"""Every catalog is complete and safe to use: each text translated, none fuzzy, msgfmt's own checks
pass, and each translation carries exactly the placeholders and tags of its English text (a
missing `%(name)s` raises at runtime, an extra one shows a raw placeholder)."""

import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import polib
import pytest
from django.conf import settings

from tests.conftest import skip_or_fail

LOCALE = Path(settings.BASE_DIR) / "locale"
LANGUAGES = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
PLACEHOLDER = re.compile(r"%\([^)]+\)[sdif]|%[sdif]|\{[a-z_]+\}")
TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*")


def catalog(language: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))


def marks(text: str) -> Counter:
    return Counter(PLACEHOLDER.findall(text)) + Counter(TAG.findall(text))


def test_every_language_but_english_has_a_catalog():
    assert LANGUAGES == ["nl", "de", "fr", "es"]
    for language in LANGUAGES:
        assert (LOCALE / language / "LC_MESSAGES" / "django.po").is_file()


@pytest.mark.parametrize("language", LANGUAGES)
def test_msgfmt_accepts_the_catalog(language):
    if shutil.which("msgfmt") is None:
        skip_or_fail("gettext's msgfmt is not installed")
    path = LOCALE / language / "LC_MESSAGES" / "django.po"
    result = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stderr == "", result.stderr  # not even a warning


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_entry_is_translated_and_none_is_fuzzy(language):
    po = catalog(language)
    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
    assert untranslated == [] and fuzzy == [], f"{language}: untranslated {untranslated[:5]}, fuzzy {fuzzy[:5]}"
    assert not po.metadata_is_fuzzy


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_the_placeholders_and_tags_of_their_english(language):
    wrong = []
    for entry in catalog(language).translated_entries():
        if entry.msgid_plural:
            # A form may read like the English singular ("One template") or plural ("%(counter)s
            # templates"): languages differ in which numbers take which form.
            english = (marks(entry.msgid), marks(entry.msgid_plural))
            wrong += [(entry.msgid, i, text) for i, text in entry.msgstr_plural.items() if marks(text) not in english]
        elif marks(entry.msgstr) != marks(entry.msgid):
            wrong.append((entry.msgid, None, entry.msgstr))
    assert wrong == []


def test_the_check_finds_a_lost_placeholder():
    """The comparison itself: a translation that drops or renames a placeholder is caught."""
    assert marks("Hallo %(name)s, <strong>%(count)d</strong>") == marks("Hello %(name)s, <strong>%(count)d</strong>")
    assert marks("Hallo <strong>%(count)d</strong>") != marks("Hello %(name)s, <strong>%(count)d</strong>")
    assert marks("Hallo %(naam)s") != marks("Hello %(name)s")
    assert marks("Hallo {name}") != marks("Hello %(name)s")
