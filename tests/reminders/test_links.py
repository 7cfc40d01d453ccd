"""The links of a batch's mails are reversed once per URL name, and are the links reverse() gives."""

import pytest
from django.urls import path, register_converter

from assignments.reminders import links


class Padded:
    """A converter that writes its number other than as str() does: its links must not be guessed."""

    regex = "[0-9]{6}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return f"{value:06d}"


def _view(request, pk):
    raise AssertionError("never called")


register_converter(Padded, "padded")
urlpatterns = [path("padded/<padded:pk>/", _view, name="padded")]


@pytest.mark.parametrize(
    "name, args",
    [
        ("my:assignment", [1, 7, 42, 1234567]),
        ("homework:assignment_detail", [3, 30, 300]),
        ("homework:session_detail", [5, 55]),
        ("reminders:settings", []),
        ("homework:dashboard", []),
    ],
)
def test_a_link_is_the_one_reverse_gives(name, args):
    urls = links.Links()
    if not args:
        assert urls.url(name) == urls.url(name) == links.absolute_url(name)
        return
    assert [urls.url(name, pk) for pk in args] == [links.absolute_url(name, pk) for pk in args]
    assert urls.paths[name] is not None  # reversed once, then written from the path


def test_a_path_that_writes_its_number_otherwise_is_reversed_every_time(settings):
    settings.ROOT_URLCONF = __name__
    urls = links.Links()

    assert [urls.url("padded", pk) for pk in (7, 42)] == [
        f"{settings.SITE_URL}/padded/000007/",
        f"{settings.SITE_URL}/padded/000042/",
    ]
    assert urls.paths["padded"] is None
