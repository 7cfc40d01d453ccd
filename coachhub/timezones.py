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


def validate_timezone(value: str) -> None:
    if value not in choosable_timezones():
        raise ValidationError(_("Choose a time zone from the list, for example Europe/Berlin."))
