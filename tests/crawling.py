"""What the page crawls (the accessibility crawl, the no-English-leak crawl) share: which addresses
are pages, and when two addresses are the same kind of page.

`/coachees/3/` and `/coachees/4/` are the same template, so a crawl keys pages by their URL pattern
and query keys and looks at one page of each kind.
"""

import re
from urllib.parse import parse_qsl, urlsplit

from django.urls import Resolver404, resolve

# Addresses that are not pages to look at: files, feeds, exports, logging out, the admin (Django's own).
NOT_PAGES = re.compile(r"^/(admin|static|files|bench|i18n)/|\.(csv|ics|zip|json)$|/(export|feed|logout)/")
NOT_PAGE_NAMES = {"logout", "upload_file", "otp_webauthn:js-i18n-catalog", "set_language"}


def page_key(url: str):
    """(URL pattern, query keys) of a page, or None for an address that is no page to crawl."""
    parts = urlsplit(url)
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    if match.view_name in NOT_PAGE_NAMES or NOT_PAGES.search(parts.path):
        return None
    return match.route, tuple(sorted(key for key, _value in parse_qsl(parts.query)))
