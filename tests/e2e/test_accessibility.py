"""axe-core on every page a visitor, a coach and a coachee can reach, found by following links from
their start page (not listed by hand): at 1280 and 375 px, with the phone menu open, and with each
form sent back with its errors. Any violation, of any impact, fails. Each page is also saved as a
screenshot at both widths (test-artifacts/screenshots/crawl/).

One page per kind of address is checked: `/coachees/3/` and `/coachees/4/` are the same template,
so the crawl keys pages by their URL pattern and query keys, which keeps it to a few minutes.
"""

import re
from dataclasses import dataclass, field

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command

from tests.crawling import page_key
from tests.e2e.conftest import SCREENSHOTS, WIDTHS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

DEMO_PASSWORD = "coachhub-demo"
# Forms whose sending with empty fields would not show an error state but act (search boxes act by GET).
FORM_SELECTOR = "main form[method=post]:has(input[type=text], input[type=email], input[type=password], textarea)"
AXE = Axe()


@dataclass
class Crawl:
    """What one person's crawl found: violations by page and width, and the pages seen."""

    seen: set = field(default_factory=set)
    queue: list = field(default_factory=list)
    violations: list = field(default_factory=list)

    def add(self, url: str) -> None:
        key = page_key(url)
        if key is not None and key not in self.seen:
            self.seen.add(key)
            self.queue.append(url)


def _check(page, where: str, crawl: Crawl, context=None) -> None:
    results = AXE.run(page, context=context)
    for violation in results.response["violations"]:
        targets = [node["target"] for node in violation["nodes"][:3]]
        crawl.violations.append(
            f"{where}: {violation['id']} ({violation['impact']}) x{len(violation['nodes'])} {targets}"
        )


def _links(page, base: str) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    return [href[len(base) :].split("#")[0] for href in hrefs if href.startswith(base)]


def _phone_menu(page, where: str, crawl: Crawl) -> None:
    toggler = page.locator(".navbar-toggler")
    if toggler.count() and toggler.is_visible():
        toggler.click()
        page.locator(".navbar-collapse.show").wait_for()
        _check(page, f"{where} (phone menu open)", crawl, context="nav")
        toggler.click()


def _form_errors(page, where: str, crawl: Crawl) -> None:
    """Send the page's first form with its text fields emptied; where it comes back with errors, check that."""
    form = page.locator(FORM_SELECTOR).first
    if not form.count():
        return
    for control in form.locator("input[type=text], input[type=email], input[type=password], textarea").all():
        if control.is_visible() and control.is_editable():
            control.fill("")
    submit = form.locator("button[type=submit], input[type=submit]").last
    if not submit.is_visible():
        return
    submit.click()
    page.wait_for_load_state()
    if page.locator(".is-invalid, .invalid-feedback, #error-summary, .errorlist").count():
        _check(page, f"{where} (form errors)", crawl)


def _shoot(page, who: str, path: str, width: str) -> None:
    """A full-page screenshot of every page the crawl checks, for people to look at."""
    name = re.sub(r"[^\w]+", "-", path).strip("-") or "start"
    folder = SCREENSHOTS / "crawl"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{who}-{name}-{width}.png"), full_page=True)


def crawl_from(page, live_server, start: str, who: str) -> Crawl:
    crawl = Crawl()
    crawl.add(start)
    while crawl.queue:
        path = crawl.queue.pop(0)
        response = page.goto(path)
        if response is None or "text/html" not in (response.headers.get("content-type") or ""):
            continue
        page.set_viewport_size(WIDTHS["desktop"])
        _check(page, f"{path} at 1280 px", crawl)
        _shoot(page, who, path, "desktop")
        for link in _links(page, live_server.url):
            crawl.add(link)
        page.set_viewport_size(WIDTHS["phone"])
        _check(page, f"{path} at 375 px", crawl)
        _shoot(page, who, path, "phone")
        _phone_menu(page, path, crawl)
        page.set_viewport_size(WIDTHS["desktop"])
        _form_errors(page, path, crawl)
    return crawl


@pytest.fixture
def demo(settings):
    """The demo practice (`make run`): a coach, coachees with sessions, homework of every kind and reviews."""
    settings.DEBUG = True  # seed_demo refuses to run where DEBUG is off, to protect real data
    call_command("seed_demo")
    settings.DEBUG = False


def _log_in(page, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/(dashboard|me)/$"))


@pytest.mark.parametrize(
    ("who", "start"), [("visitor", "/accounts/login/"), ("coach", "/dashboard/"), ("coachee", "/me/")]
)
def test_every_page_passes_axe(who, start, demo, browser, live_server):
    context = browser.new_context(viewport=WIDTHS["desktop"], base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    if who != "visitor":
        _log_in(page, f"{who}@example.com")
    crawl = crawl_from(page, live_server, start, who)
    context.close()

    print(f"{who}: {len(crawl.seen)} kinds of page checked")
    assert len(crawl.seen) >= {"visitor": 5, "coach": 25, "coachee": 8}[who], sorted(crawl.seen)
    assert crawl.violations == [], "\n".join(crawl.violations)
