"""`{{ value|moment:"D j M Y, H:i" }}`: Django's `date` filter, with the same output, for the formats
pages print many times per request.

The `date` filter parses its format and looks up the translated day and month names again for every
value; a list of homework or sessions calls it dozens of times per page. Here each format is parsed
once and the names are read once per language (translations do not change while the server runs).
A format with anything else than the letters below, spaces and punctuation goes to `date` itself.
Loaded for every template (settings.TEMPLATES "builtins").
"""

from datetime import date, datetime
from functools import lru_cache

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils import dates
from django.utils.translation import get_language

register = template.Library()

# What each format letter prints, as django.utils.dateformat does: (needs a time of day, function).
LETTERS = {
    "D": (False, lambda moment, names: names["D"][moment.weekday()]),
    "l": (False, lambda moment, names: names["l"][moment.weekday()]),
    "j": (False, lambda moment, names: str(moment.day)),
    "M": (False, lambda moment, names: names["M"][moment.month]),
    "F": (False, lambda moment, names: names["F"][moment.month]),
    "Y": (False, lambda moment, names: f"{moment.year:04d}"),
    "H": (True, lambda moment, names: f"{moment.hour:02d}"),
    "i": (True, lambda moment, names: f"{moment.minute:02d}"),
}
LITERALS = set(" ,.:-/·")


@lru_cache(maxsize=64)
def _parsed(format_string: str) -> tuple | None:
    """The format as a tuple of letters and literal text, or None when `date` must do it."""
    if not format_string or any(c not in LETTERS and c not in LITERALS for c in format_string):
        return None
    return tuple(format_string)


@lru_cache(maxsize=16)
def _names(language: str | None) -> dict:
    """Day and month names in `language` (the active one when this is first called for it)."""
    return {
        "D": [str(dates.WEEKDAYS_ABBR[day]) for day in range(7)],
        "l": [str(dates.WEEKDAYS[day]) for day in range(7)],
        "M": {month: str(name).title() for month, name in dates.MONTHS_3.items()},
        "F": {month: str(name) for month, name in dates.MONTHS.items()},
    }


@register.filter(expects_localtime=True, is_safe=False)
def moment(value, format_string):
    """`value|date:format_string`, the same text, faster for the formats in LETTERS."""
    parsed = _parsed(format_string)
    is_datetime = isinstance(value, datetime)
    if parsed is None or not isinstance(value, date) or (not is_datetime and _needs_time(parsed)):
        return date_filter(value, format_string)
    names = _names(get_language())
    return "".join(LETTERS[part][1](value, names) if part in LETTERS else part for part in parsed)


def _needs_time(parsed: tuple) -> bool:
    return any(LETTERS[part][0] for part in parsed if part in LETTERS)
