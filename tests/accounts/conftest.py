"""Fixtures for the account pages."""

import re
import uuid

import pytest


@pytest.fixture(autouse=True)
def isolated_cache(settings):
    """A cache of this test's own, so rate limits counted by one test never spill into another."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": f"test-{uuid.uuid4()}"}
    }


@pytest.fixture(autouse=True)
def _mail_sent_at_once(tasks_run_at_once):
    """These tests read the mails a page has the worker send."""


def link_in(mail, path: str) -> str:
    """The absolute link to `path` in a mail's text, checked to be in its HTML part too."""
    match = re.search(rf"https?://[^\s\"<>]*{re.escape(path)}[^\s\"<>]*", mail.body)
    assert match, mail.body
    link = match.group(0)
    html = mail.alternatives[0][0]
    assert link.replace("&", "&amp;") in html or link in html, html
    return link
