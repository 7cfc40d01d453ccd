"""Time-zone names people can pick, and a validator for stored names."""

import functools
import zoneinfo

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def is_choosable(name: str) -> bool:
    """A place people recognise ("Europe/Berlin"), or UTC. Left out: the names of no place
    ("localtime", "Factory", "Etc/GMT+5", whose sign is the reverse of what it seems) and old
    aliases without an area ("Poland", "EST5EDT"), which the place names cover."""
    return name == "UTC" or ("/" in name and not name.startswith(("Etc/", "SystemV/", "posix/", "right/")))


@functools.cache
def choosable_timezones() -> frozenset[str]:
    return frozenset(name for name in zoneinfo.available_timezones() if is_choosable(name))


def timezone_choices() -> list[tuple[str, str]]:
    """The choices of every time-zone field. A callable, so migrations name it rather than copy a
    list that depends on the tz database of the machine that made them."""
    return [(name, name.replace("_", " ")) for name in sorted(choosable_timezones())]


# Offered first, above every zone grouped by area: where most practices' people live, so the usual
# choice is near the top of a list of over 400 names. The browser's own zone is preselected where a
# person picks their own (static/js/timezone-picker.js).
COMMON_TIMEZONES = (
    "Europe/London",
    "Europe/Dublin",
    "Europe/Lisbon",
    "Europe/Amsterdam",
    "Europe/Brussels",
    "Europe/Berlin",
    "Europe/Paris",
    "Europe/Zurich",
    "Europe/Vienna",
    "Europe/Madrid",
    "Europe/Rome",
    "Europe/Stockholm",
    "Europe/Warsaw",
    "Europe/Athens",
    "Europe/Helsinki",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "America/Toronto",
    "America/Mexico_City",
    "America/Bogota",
    "America/Sao_Paulo",
    "America/Argentina/Buenos_Aires",
    "Africa/Lagos",
    "Africa/Johannesburg",
    "Asia/Dubai",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Asia/Shanghai",
    "Asia/Tokyo",
    "Australia/Sydney",
    "Pacific/Auckland",
    "UTC",
)

AREAS = {
    "Africa": _("Africa"),
    "America": _("The Americas"),
    "Antarctica": _("Antarctica"),
    "Arctic": _("Arctic"),
    "Asia": _("Asia"),
    "Atlantic": _("Atlantic Ocean"),
    "Australia": _("Australia"),
    "Europe": _("Europe"),
    "Indian": _("Indian Ocean"),
    "Pacific": _("Pacific Ocean"),
}


def _label(name: str) -> str:
    return name.replace("_", " ")


@functools.cache
def grouped_timezone_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The choices of a time-zone drop-down: the common zones first, then every zone by area, then
    the rest. A common zone is in two groups, so it is found where one would look for it. Built once:
    the group names are lazy, so each form still shows them in its own language."""
    names = sorted(choosable_timezones())
    groups = [(_("Common time zones"), [(name, _label(name)) for name in COMMON_TIMEZONES if name in names])]
    for area, label in AREAS.items():
        groups.append((label, [(name, _label(name)) for name in names if name.startswith(f"{area}/")]))
    # Older names such as "US/Eastern" or "Canada/Pacific": someone may have one stored already.
    other = [(name, _label(name)) for name in names if name.split("/")[0] not in AREAS]
    groups.append((_("Other names"), other))
    return [(label, choices) for label, choices in groups if choices]


def offer_timezones(field, *, guess: bool = False) -> None:
    """Make `field` the time-zone picker: grouped choices and a search box (from the script). With
    `guess`, the browser's own zone is preselected while the person has not chosen one."""
    field.choices = grouped_timezone_choices()
    field.widget.attrs["data-timezone-search"] = _("Search time zones: a city or a region")
    # Read out after each search; %s is the number of zones found.
    field.widget.attrs["data-timezone-matches"] = _("Time zones found: %s")
    if guess:
        field.widget.attrs["data-guess-timezone"] = ""


def validate_timezone(value: str) -> None:
    if value not in choosable_timezones():
        raise ValidationError(_("Choose a time zone from the list, for example Europe/Berlin."))
