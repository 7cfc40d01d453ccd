"""What lists call once per row prints exactly what Django's own tools print: the `moment` filter (the `date`
filter's text, in any time zone and language) and `path_for` (reverse()'s path)."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

FORMATS = ["D j M Y, H:i", "l j F, H:i", "j M Y", "D j M, H:i", "D j M Y", "j M", "D j M", "l j F Y, H:i", "H:i"]
# Every month and weekday, both sides of the European clock changes, midnight and the last minute of a day.
MOMENTS = [
    datetime(2026, 1, 1, 0, 0, tzinfo=ZoneInfo("UTC")) + timedelta(days=d, hours=7 * d, minutes=13 * d)
    for d in range(0, 400, 9)
]
MOMENTS += [datetime(2026, 3, 29, 0, 59, tzinfo=ZoneInfo("UTC")), datetime(2026, 10, 25, 1, 0, tzinfo=ZoneInfo("UTC"))]


def render(source: str, value) -> str:
    return Template(source).render(Context({"value": value}))


@pytest.mark.parametrize("language", ["en", "de", "fr"])
@pytest.mark.parametrize("zone", ["Europe/Berlin", "America/New_York", "Asia/Kolkata"])
def test_moment_prints_what_date_prints(language, zone):
    with translation.override(language), timezone.override(ZoneInfo(zone)):
        for value in MOMENTS:
            for format_string in FORMATS:
                expected = render('{{ value|date:"' + format_string + '" }}', value)
                assert render('{{ value|moment:"' + format_string + '" }}', value) == expected


def test_days_without_a_time_of_day_empty_values_and_other_formats_print_as_with_date():
    day = date(2026, 5, 4)
    assert render('{{ value|moment:"D j M Y" }}', day) == render('{{ value|date:"D j M Y" }}', day) == "Mon 4 May 2026"
    assert render('{{ value|moment:"j M" }}', None) == ""
    moment = MOMENTS[3]
    assert render('{{ value|moment:"c" }}', moment) == render('{{ value|date:"c" }}', moment)
    assert render('{{ value|moment:"DATE_FORMAT" }}', moment) == render('{{ value|date:"DATE_FORMAT" }}', moment)


def test_names_are_escaped_like_the_date_filter_output():
    # The filter's output is not marked safe: autoescaping applies to it as to `date`.
    assert render('{{ value|moment:"D j M" }}', MOMENTS[0]) == "Thu 1 Jan"


def test_path_for_prints_what_reverse_prints():
    from django.urls import reverse

    from coachhub.http import path_for

    for name in ("homework:coachee_detail", "coaching:coachee_invite", "coaching:coachee_restore"):
        path = path_for(name)
        for pk in (1, 7, 42, 2_147_483_646):
            assert path(pk) == reverse(name, args=[pk])
