"""A light first visit: what the browser loads for the login page and the dashboard, and the small
script that replaced Bootstrap's (the phone menu, drop-down menus, closing a message).

The live test server sends everything uncompressed, so the weight test counts each response that
came uncompressed at its compressed size as production sends it: static files gzipped at level 9
(WhiteNoise), pages at level 5 (Caddy's encode). `make weight` measures the real thing: gunicorn
with DEBUG off, collected and compressed static files, and a compressing proxy in front."""

import re

import pytest
from playwright.sync_api import expect

from bench.weight import TARGET_BYTES, first_visit, report, signed_in_state
from tests.e2e import conftest
from tests.factories import (
    PASSWORD,
    AssignmentFactory,
    CoacheeFactory,
    CoachingSessionFactory,
    SubmissionFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def practice():
    """A coach with two coachees, sessions ahead and homework in every state the dashboard shows."""
    coach = UserFactory(email="clara@example.com")
    for name in ("Jonas Weber", "Mara Lindqvist"):
        coachee = CoacheeFactory(coach=coach, name=name)
        CoachingSessionFactory(coachee=coachee)
        for number in range(3):
            AssignmentFactory(coachee=coachee, title=f"Homework {number} of {name}")
        SubmissionFactory(assignment=AssignmentFactory(coachee=coachee, title=f"Handed in by {name}"))
    return coach


def test_a_first_visit_to_the_login_page_and_the_dashboard_stays_light(browser, live_server, practice):
    state = signed_in_state(browser, live_server.url, practice.email, PASSWORD)

    visits = [
        first_visit(browser, "login", f"{live_server.url}/accounts/login/", compress_as_production=True),
        first_visit(
            browser, "dashboard", f"{live_server.url}/dashboard/", storage_state=state, compress_as_production=True
        ),
    ]

    report(visits)  # shown when the test fails, or with -s
    for visit in visits:
        paths = [transfer.url.removeprefix(live_server.url) for transfer in visit.transfers]
        assert visit.total <= TARGET_BYTES, (visit.name, visit.total, paths)
        assert "/static/css/bootstrap.min.css" in paths and "/static/js/menus.js" in paths, paths
        assert not any("bootstrap.bundle" in path or "/static/bootstrap/" in path for path in paths), paths
        # Counted compressed: the stylesheet is far smaller on the wire than on disk.
        css = next(transfer for transfer in visit.transfers if transfer.url.endswith("bootstrap.min.css"))
        assert css.encoding and css.body_bytes < 30 * 1024


def test_no_script_holds_up_the_page(page, live_server, practice):
    for path in ("/accounts/login/", "/accounts/signup/"):
        page.goto(path)
        blocking = page.eval_on_selector_all(
            "script[src]", "scripts => scripts.filter(s => !s.defer && s.type !== 'module').map(s => s.src)"
        )
        assert blocking == [], path


def log_in(page, email):
    conftest.log_in(page, email)
    expect(page).to_have_url(re.compile(r"/dashboard/$"))


def test_the_phone_menu_opens_closes_and_closes_with_escape(phone_page, practice):
    page = phone_page
    log_in(page, practice.email)
    toggle = page.get_by_role("button", name="Toggle navigation")
    settings_link = page.get_by_role("link", name="Settings")
    expect(settings_link).to_be_hidden()

    toggle.click()
    expect(settings_link).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    toggle.click()
    expect(settings_link).to_be_hidden()
    expect(toggle).to_have_attribute("aria-expanded", "false")

    toggle.click()
    page.get_by_role("link", name="Coachees", exact=True).focus()
    page.keyboard.press("Escape")
    expect(settings_link).to_be_hidden()
    expect(toggle).to_be_focused()


def test_a_drop_down_menu_works_with_mouse_and_keyboard(page, live_server, practice):
    log_in(page, practice.email)
    page.goto("/library/")
    button = page.get_by_role("button", name="Assign to…").first
    menu = page.locator(".dropdown-menu").first

    button.click()
    expect(menu).to_be_visible()
    expect(button).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("ArrowDown")
    expect(menu.get_by_role("link", name="Jonas Weber")).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(menu.get_by_role("link", name="Mara Lindqvist")).to_be_focused()
    page.keyboard.press("Escape")
    expect(menu).to_be_hidden()
    expect(button).to_be_focused()

    button.press("Enter")
    expect(menu).to_be_visible()
    page.get_by_role("heading", name="Homework library").click()
    expect(menu).to_be_hidden()

    button.click()
    menu.get_by_role("link", name="Mara Lindqvist").click()
    expect(page).to_have_url(re.compile(r"/coachees/\d+/assign/\?template=\d+$"))


def test_a_message_closes(page, live_server, practice):
    log_in(page, practice.email)
    page.goto("/accounts/settings/")
    page.get_by_role("button", name="Save").first.click()
    message = page.locator(".alert-dismissible")
    expect(message).to_be_visible()

    message.get_by_role("button", name="Close").click()

    expect(message).to_have_count(0)
