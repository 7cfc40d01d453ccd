"""Time-zone choices: places people recognise, and UTC; the sign-up form starts at the browser's zone."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from coachhub.timezones import grouped_timezone_choices, timezone_choices, validate_timezone

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


def test_the_drop_down_starts_with_common_zones_and_offers_every_zone():
    groups = grouped_timezone_choices()
    labels = [str(label) for label, _choices in groups]
    offered = {name for _label, choices in groups for name, _text in choices}

    assert labels[0] == "Common time zones"
    assert [name for name, _text in groups[0][1]][:2] == ["Europe/London", "Europe/Dublin"]
    assert offered == {name for name, _label in timezone_choices()}  # an old name someone has stays choosable
    assert "US/Eastern" in dict(groups[-1][1])


def test_every_time_zone_field_is_the_picker(client, coach):
    client.force_login(coach)
    page = client.get(reverse("account_settings")).content.decode()
    assert '<optgroup label="Common time zones">' in page
    assert "data-timezone-search" in page and "js/timezone-picker.js" in page
    assert "data-guess-timezone" not in page  # a stored choice is never replaced by a guess
