"""`{{ value|moment:"WEEKDAY_DATETIME_FORMAT" }}`: Django's `date` filter, with the same output, for the
formats pages print many times per request. The argument is one of the named formats of
coachhub/formats (as with `date`, a literal format works too, but pages use the names).

The `date` filter parses its format and looks up the translated day and month names again for every
value; a list of homework or sessions calls it dozens of times per page. Here each format is parsed
once and the names are read once per language (translations do not change while the server runs).
A format with a letter not below goes to `date` itself; other characters, and letters escaped with a
backslash, are printed as they are.
Loaded for every template (settings.TEMPLATES "builtins").
"""

from datetime import date, datetime
from functools import lru_cache

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils import dates
from django.utils.formats import get_format
from django.utils.translation import get_language

register = template.Library()

# What each format letter prints, as django.utils.dateformat does: (needs a time of day, function).
LETTERS = {
    "D": (False, lambda moment, names: names["D"][moment.weekday()]),
    "l": (False, lambda moment, names: names["l"][moment.weekday()]),
    "j": (False, lambda moment, names: str(moment.day)),
    "M": (False, lambda moment, names: names["M"][moment.month]),
    "N": (False, lambda moment, names: names["N"][moment.month]),
    "F": (False, lambda moment, names: names["F"][moment.month]),
    "Y": (False, lambda moment, names: f"{moment.year:04d}"),
    "H": (True, lambda moment, names: f"{moment.hour:02d}"),
    "i": (True, lambda moment, names: f"{moment.minute:02d}"),
}


@lru_cache(maxsize=64)
def _parsed(format_string: str) -> tuple | None:
    """The format as (letter, text) pairs: a format letter of LETTERS, or "" and a character printed
    as it is. None when `date` must do it (a letter not in LETTERS)."""
    if not format_string:
        return None
    parts, escaped = [], False
    for character in format_string:
        if escaped or not character.isalpha():
            escaped = not escaped and character == "\\"
            if not escaped:
                parts.append(("", character))
        elif character in LETTERS:
            parts.append((character, ""))
        else:
            return None
    return tuple(parts)


@lru_cache(maxsize=16)
def _names(language: str | None) -> dict:
    """Day and month names in `language` (the active one when this is first called for it)."""
    return {
        "D": [str(dates.WEEKDAYS_ABBR[day]) for day in range(7)],
        "l": [str(dates.WEEKDAYS[day]) for day in range(7)],
        "M": {month: str(name).title() for month, name in dates.MONTHS_3.items()},
        "N": {month: str(name) for month, name in dates.MONTHS_AP.items()},
        "F": {month: str(name) for month, name in dates.MONTHS.items()},
    }


@register.filter(expects_localtime=True, is_safe=False)
def moment(value, format_string):
    """`value|date:format_string`, the same text, faster for the formats in LETTERS."""
    parsed = _parsed(get_format(format_string))
    is_datetime = isinstance(value, datetime)
    if parsed is None or not isinstance(value, date) or (not is_datetime and _needs_time(parsed)):
        return date_filter(value, format_string)
    names = _names(get_language())
    return "".join(LETTERS[letter][1](value, names) if letter else text for letter, text in parsed)


def _needs_time(parsed: tuple) -> bool:
    return any(LETTERS[letter][0] for letter, _ in parsed if letter)
