"""Homework as an agreement in a real browser (issue 13): the coach proposes homework at desktop
width; the coachee, on a phone, suggests another approach with a note; the coach sees the suggestion
beside the original and accepts it; the homework is agreed, and the coachee does it and hands it in.

The people and the session are set up with the services; everything after that happens in the
browser. Screenshots of each step go to test-artifacts/screenshots/ (agreement-*.png).
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assignments.models import Assignment
from sessions import services as coaching
from tests.e2e.conftest import SCREENSHOTS, WIDTHS, log_in
from tests.factories import CoacheeFactory, CoacheeUserFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TITLE = "Bring one delegation case"
PROPOSED_APPROACH = "Write it down on Monday morning."
SUGGESTED_APPROACH = "Write it down on Thursday evening, after the team meeting."


def shoot(page, name: str) -> None:
    """A full-page screenshot at the page's own width (the coach's desktop, the coachee's phone)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    label = "phone" if page.viewport_size["width"] == WIDTHS["phone"]["width"] else "desktop"
    page.screenshot(path=str(SCREENSHOTS / f"agreement-{name}-{label}.png"), full_page=True)


def no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_proposed_suggested_accepted_agreed_and_handed_in(browser, live_server):
    coach = UserFactory(email="clara@example.com", name="Clara Coach", timezone="Europe/Berlin")
    user = CoacheeUserFactory(email="mia@example.com", name="Mia Example", timezone="Europe/Berlin")
    coachee = CoacheeFactory(coach=coach, user=user, name="Mia Example", email="mia@example.com")
    coaching.session_schedule(coachee=coachee, starts_at=timezone.now() + timedelta(days=7))

    contexts = [
        browser.new_context(viewport=WIDTHS["desktop"], base_url=live_server.url),
        browser.new_context(viewport=WIDTHS["phone"], base_url=live_server.url, is_mobile=True, has_touch=True),
    ]
    try:
        journey(*[context.new_page() for context in contexts], coachee)
    finally:
        for context in contexts:
            context.close()


def journey(desk, phone, coachee):
    for page in (desk, phone):
        page.set_default_timeout(15_000)

    # 1. The coach proposes, at 1280 px.
    log_in(desk, "clara@example.com")
    expect(desk).to_have_url(re.compile(r"/dashboard/$"))
    desk.goto(f"/coachees/{coachee.pk}/assign/?blank=1")
    desk.get_by_label("Kind").select_option("preparation")
    desk.get_by_label("Title").fill(TITLE)
    desk.get_by_label("What to do").fill("Bring one case where you kept work you could have handed over.")
    desk.get_by_label("Why (purpose)").fill("We look for the pattern behind it.")
    desk.get_by_label("How (approach)").fill(PROPOSED_APPROACH)
    desk.get_by_label("How it will be reviewed").fill("We walk through the case together.")
    desk.get_by_label("Propose it: the coachee agrees or suggests changes").check()
    shoot(desk, "1-coach-proposes")
    desk.get_by_role("button", name="Assign homework").click()
    expect(desk.get_by_role("status").filter(has_text=f"“{TITLE}” proposed to Mia Example")).to_be_visible()
    homework = Assignment.objects.get(title=TITLE)
    assert homework.agreement == "proposed"

    # 2. The coachee reads the proposal and suggests another approach, at 375 px.
    log_in(phone, "mia@example.com")
    phone.get_by_role("link", name=TITLE).first.click()
    proposal = phone.get_by_role("region", name="Your coach proposes this homework")
    expect(proposal).to_be_visible()
    expect(phone.get_by_text("We look for the pattern behind it.")).to_be_visible()
    expect(phone.get_by_text("We walk through the case together.")).to_be_visible()
    shoot(phone, "2-coachee-reads-proposal")
    no_sideways_scroll(phone)
    proposal.get_by_role("link", name="Suggest a change").click()
    phone.get_by_label("How (approach)").fill(SUGGESTED_APPROACH)
    phone.get_by_label("Note").fill("Mondays are full; Thursday evening I have time to think.")
    shoot(phone, "3-coachee-suggests")
    no_sideways_scroll(phone)
    phone.get_by_role("button", name="Send suggestion").click()
    expect(phone.get_by_role("status").filter(has_text="Suggestion sent")).to_be_visible()

    # 3. The coach sees the suggestion beside the original and accepts it.
    desk.goto("/dashboard/")
    desk.get_by_role("link", name=f"{TITLE} (Mia Example)").click()
    agreement = desk.get_by_role("region", name=re.compile("^Agreement"))
    expect(agreement.locator("del").first).to_have_text(PROPOSED_APPROACH)
    expect(agreement.locator("ins").first).to_have_text(SUGGESTED_APPROACH)
    shoot(desk, "4-coach-sees-suggestion")
    agreement.get_by_role("button", name="Accept").click()
    expect(desk.get_by_role("status").filter(has_text="Suggestion accepted")).to_be_visible()
    shoot(desk, "5-coach-accepted")

    # 4. Agreed: the coachee sees the history and does the homework.
    phone.reload()
    expect(phone.get_by_role("region", name="Agreeing on this homework")).to_contain_text("accepted the change")
    expect(phone.get_by_text(SUGGESTED_APPROACH).first).to_be_visible()
    shoot(phone, "6-coachee-agreed")
    phone.get_by_role("textbox", name="Your preparation").fill(
        "The quarterly report: I kept it because I feared mistakes."
    )
    phone.get_by_role("button", name="Submit to my coach").click()
    # Handing in saves the work and plans the coach's mail: on a busy machine it may take a few seconds.
    submitted = phone.get_by_role("status").filter(has_text="Submitted. Your coach can see it now.")
    expect(submitted).to_be_visible(timeout=15_000)
    shoot(phone, "7-coachee-handed-in")

    homework.refresh_from_db()
    assert (homework.agreement, homework.status, homework.approach) == ("agreed", "submitted", SUGGESTED_APPROACH)
    assert list(homework.agreement_steps.values_list("action", flat=True)) == ["proposed", "suggested", "accepted"]


def test_what_fits_this_coachee_beside_the_assign_flow(page, live_server):
    from tests.assignments.test_what_fits import history

    coach = UserFactory(email="clara@example.com", name="Clara Coach", timezone="Europe/Berlin")
    coachee = CoacheeFactory(coach=coach, name="Jonas Example", preferred_kinds=["behavioural"])
    history(coachee)
    log_in(page, "clara@example.com")
    page.goto(f"/coachees/{coachee.pk}/assign/")
    fits = page.get_by_role("region", name="What fits Jonas Example")
    expect(fits).to_contain_text("Reflection has been hard for Jonas Example lately")
    expect(fits).to_contain_text("Prefers: Behavioural practice")
    shoot(page, "8-what-fits")
    page.set_viewport_size(WIDTHS["phone"])
    no_sideways_scroll(page)
    shoot(page, "8-what-fits")
