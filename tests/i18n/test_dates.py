"""Dates and times follow the reader's language: one set of named formats (coachhub/formats), the
same text through the pages' fast `moment` filter as through Django's `date`."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.template.defaultfilters import date as date_filter
from django.utils import formats, timezone, translation

from assignments.templatetags.moments import moment
from coachhub.formats import NAMES

# Monday 2 March 2026, 14:05 UTC: 15:05 in Berlin (a month whose short names differ by language).
MOMENT = datetime(2026, 3, 2, 14, 5, tzinfo=UTC)
BERLIN = ZoneInfo("Europe/Berlin")

WEEKDAY_DATETIME = {
    "en": "Mon 2 Mar 2026, 15:05",
    "nl": "ma 2 mrt 2026, 15:05",
    "de": "Mo, 2. März 2026, 15:05",
    "fr": "lun. 2 mars 2026 à 15:05",
    "es": "lun 2 marzo 2026, 15:05",
}
LONG = {
    "en": "Monday 2 March, 15:05",
    "nl": "maandag 2 maart, 15:05",
    "de": "Montag, 2. März, 15:05",
    "fr": "lundi 2 mars à 15:05",
    "es": "lunes 2 de marzo, 15:05",
}
SHORT_DATE = {"en": "2 Mar 2026", "nl": "2 mrt 2026", "de": "2. März 2026", "fr": "2 mars 2026", "es": "2 marzo 2026"}


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_the_date_with_weekday_and_time_in_each_language(language):
    with translation.override(language), timezone.override(BERLIN):
        local = timezone.localtime(MOMENT)
        assert moment(local, "WEEKDAY_DATETIME_FORMAT") == WEEKDAY_DATETIME[language]
        assert moment(local, "LONG_MONTH_DAY_TIME_FORMAT") == LONG[language]
        assert moment(local.date(), "SHORT_DATE_FORMAT") == SHORT_DATE[language]
        assert moment(local, "TIME_FORMAT") == "15:05"  # a 24-hour clock in all five


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
@pytest.mark.parametrize("name", NAMES)
def test_every_language_defines_every_name_and_moment_writes_what_date_writes(language, name):
    with translation.override(language):
        assert formats.get_format(name) != name, f"{language} has no {name}"
        for value in (datetime(2026, 9, 27, 9, 30), date(2026, 6, 1)):
            if isinstance(value, date) and not isinstance(value, datetime) and "H" in formats.get_format(name):
                continue  # a day has no time of day
            assert moment(value, name) == date_filter(value, name)


def test_templates_and_code_name_their_formats():
    """No literal format such as "D j M Y" in templates: each names one of coachhub/formats."""
    import re
    from pathlib import Path

    literal = re.compile(r"""\|(?:moment|date|time):["'](?!\w+_FORMAT["'])(?!c["'])[^"']*["']""")
    found = [
        f"{path}: {match.group(0)}"
        for path in Path(settings.BASE_DIR, "templates").rglob("*.*")
        for match in literal.finditer(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_code_names_its_formats():
    """Nor in Python: a string made only of format letters and punctuation, such as "D j M Y, H:i"."""
    import re
    from pathlib import Path

    literal = re.compile(r"""["']((?=[^"']*(?:j [MNF]|H:i))[DlNjMFYHi ,.:\\-]+)["']""")
    root = Path(settings.BASE_DIR)
    found = [
        f"{path.relative_to(root)}: {match.group(0)}"
        for folder in ("assignments", "sessions", "coachhub")
        for path in (root / folder).rglob("*.py")
        if "migrations" not in path.parts and "formats" not in path.parts and path.name != "moments.py"
        for match in literal.finditer(path.read_text(encoding="utf-8"))
    ]
    assert found == []
