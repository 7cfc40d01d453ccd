"""Browser tests: Playwright's sync API driving the system Chromium against the live test server.

Playwright runs an event loop in the test thread, so Django's guard against ORM calls from async
contexts has to be relaxed here, for these tests only.
"""

import os
from pathlib import Path

import pytest

from bench.weight import CHROMIUM, CHROMIUM_FLAGS  # the system Chromium, as `make weight` starts it
from tests.conftest import skip_or_fail

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 375, "height": 812}}


@pytest.fixture
def browser(django_db_serialized_rollback, live_server):
    """A browser per test, started after the test database is set up: Playwright's event loop
    would otherwise hide the test database connection's saved contents from Django, and the
    data the migrations load (the built-in library) would not be restored after a flush."""
    if not Path(CHROMIUM).exists():
        skip_or_fail(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(viewport=WIDTHS["desktop"], base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    yield page
    context.close()
    assert errors == [], f"the browser console reported errors: {errors}"


@pytest.fixture
def phone_page(browser, live_server):
    context = browser.new_context(viewport=WIDTHS["phone"], base_url=live_server.url, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def shoot(page, name: str, *, both_widths: bool = True) -> None:
    """Save a full-page screenshot of what `page` shows, at desktop and phone width, for people to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    original = page.viewport_size
    sizes = WIDTHS if both_widths else {"current": original}
    for label, size in sizes.items():
        page.set_viewport_size(size)
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size(original)


def log_in(page, email: str) -> None:
    """Log in through the login form with the factories' password."""
    from tests.factories import PASSWORD

    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
