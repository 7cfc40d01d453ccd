"""The small scripts, in a real browser: sign-up starts at the browser's time zone, destructive
buttons ask first, and the assign form shows only the fields the chosen kind uses."""

import re

import pytest
from playwright.sync_api import expect

from sessions.models import Coachee
from tests.e2e.conftest import WIDTHS
from tests.factories import PASSWORD, CoacheeFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_sign_up_starts_at_the_browsers_time_zone(browser, live_server):
    context = browser.new_context(viewport=WIDTHS["phone"], base_url=live_server.url, timezone_id="America/Toronto")
    page = context.new_page()
    page.goto("/accounts/signup/")
    expect(page.locator("select[name=timezone]")).to_have_value("America/Toronto")
    context.close()


def log_in(page, email):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))


def test_archiving_asks_first_and_a_no_changes_nothing(page, live_server):
    coach = UserFactory(email="clara@example.com")
    coachee = CoacheeFactory(coach=coach, name="Mia Example")
    log_in(page, coach.email)
    page.goto(f"/coachees/{coachee.pk}/")

    questions = []

    def answer(dialog, accept):
        questions.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda dialog: answer(dialog, accept=False))
    page.get_by_role("button", name="Archive").click()
    expect(page.get_by_role("heading", name="Mia Example")).to_be_visible()
    assert Coachee.objects.get(pk=coachee.pk).archived_at is None

    page.once("dialog", lambda dialog: answer(dialog, accept=True))
    page.get_by_role("button", name="Archive").click()
    expect(page.get_by_role("status").filter(has_text="Mia Example is archived.")).to_be_visible()
    assert Coachee.objects.get(pk=coachee.pk).archived_at is not None
    assert questions == ["Archive Mia Example? You can restore them later."] * 2


def test_the_assign_form_shows_the_fields_of_the_chosen_kind(page, live_server):
    coach = UserFactory(email="clara@example.com")
    coachee = CoacheeFactory(coach=coach)
    log_in(page, coach.email)
    page.goto(f"/coachees/{coachee.pk}/assign/?blank=1")
    questions, cadence, creative = (
        page.get_by_label("Reflection questions"),
        page.get_by_label("Cadence"),
        page.get_by_label("Creative format"),
    )

    for kind, shown in [
        ("reflection", {questions}),
        ("behavioural", {cadence}),
        ("observation", {cadence}),
        ("creative", {creative}),
        ("preparation", set()),
    ]:
        page.get_by_label("Kind").select_option(kind)
        for field in (questions, cadence, creative):
            expect(field).to_be_visible() if field in shown else expect(field).to_be_hidden()


def test_the_time_zone_search_narrows_the_list_and_picks_a_match(browser, live_server):
    context = browser.new_context(viewport=WIDTHS["phone"], base_url=live_server.url, timezone_id="Europe/Berlin")
    page = context.new_page()
    page.goto("/accounts/signup/")
    zone = page.locator("select[name=timezone]")
    expect(zone).to_have_value("Europe/Berlin")
    # Common zones come first, before the long list by area.
    assert page.evaluate("document.querySelector('select[name=timezone] optgroup').label") == "Common time zones"

    search = page.get_by_label("Search time zones: a city or a region")
    search.fill("auckland")
    expect(zone).to_have_value("Pacific/Auckland")
    assert (
        page.evaluate("[...document.querySelectorAll('select[name=timezone] option')].filter(o => !o.hidden).length")
        == 1
    )
    expect(page.get_by_text("Time zones found: 1")).to_be_attached()
    search.press("Enter")  # moves on to the list instead of sending the form
    expect(zone).to_be_focused()
    expect(page).to_have_url(re.compile(r"/accounts/signup/$"))
    search.fill("")
    assert page.evaluate("[...document.querySelectorAll('select[name=timezone] option')].some(o => o.hidden)") is False
    context.close()


def test_a_form_with_errors_puts_the_focus_on_their_summary(page, live_server):
    coach = UserFactory(email="clara@example.com")
    coachee = CoacheeFactory(coach=coach)
    log_in(page, coach.email)
    page.goto(f"/coachees/{coachee.pk}/assign/?blank=1")
    page.get_by_role("button", name="Assign homework").click()

    summary = page.get_by_role("alert").filter(has_text="need your attention")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Title: Give the homework a short title the coachee will recognise.")
    summary.get_by_role("link", name=re.compile(r"^Kind: Choose the kind of homework")).click()
    expect(page.get_by_label("Kind")).to_be_focused()


def test_the_star_of_a_required_field_is_explained_where_there_is_one(page, live_server):
    coach = UserFactory(email="clara@example.com")
    coachee = CoacheeFactory(coach=coach)
    log_in(page, coach.email)
    legend = page.get_by_text("Fields marked with * must be filled in.")

    page.goto(f"/coachees/{coachee.pk}/assign/?blank=1")
    expect(legend).to_be_visible()
    page.goto("/dashboard/")
    expect(legend).to_be_hidden()
