"""Time-zone choices: places people recognise, and UTC; the sign-up form starts at the browser's zone."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from coachhub.timezones import timezone_choices, validate_timezone

NOT_OFFERED = ["localtime", "Factory", "GB", "EST", "EST5EDT", "Poland", "Etc/GMT+5", "Etc/UTC", "UCT", "Zulu"]


def test_the_choices_are_places_and_utc():
    names = [name for name, _label in timezone_choices()]

    assert "UTC" in names and "Europe/Berlin" in names and "America/New_York" in names
    assert all(name == "UTC" or "/" in name for name in names)
    assert not set(NOT_OFFERED) & set(names)
    assert ("America/New_York", "America/New York") in timezone_choices()


@pytest.mark.parametrize("name", NOT_OFFERED)
def test_names_of_no_place_are_refused(name):
    with pytest.raises(ValidationError):
        validate_timezone(name)


def test_forms_refuse_them_too(client, db):
    response = client.post(reverse("signup"), {"name": "N", "email": "n@example.com", "timezone": "localtime"})

    assert "timezone" in response.context["form"].errors
    assert 'value="localtime"' not in response.content.decode()


def test_the_signup_form_starts_at_the_browsers_time_zone_while_untouched(client, db):
    page = client.get(reverse("signup")).content.decode()

    assert re.search(r'<select name="timezone"[^>]* data-guess-timezone', page)
    assert "js/timezone-picker.js" in page


def test_a_returned_signup_form_keeps_the_time_zone_chosen(client, db):
    """After an error the field shows what the person chose; the script leaves it alone."""
    response = client.post(reverse("signup"), {"name": "", "email": "n@example.com", "timezone": "UTC"})

    page = response.content.decode()
    assert '<option value="UTC" selected>' in page
    assert "data-guess-timezone" not in page
