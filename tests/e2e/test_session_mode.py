"""Session mode in a real browser: the coach records reviews on the agenda itself, item by item,
with the page's script (the page stays, the item changes) and without it (the form is sent and the
agenda comes back)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assignments.models import Review
from tests.e2e.conftest import WIDTHS, log_in, shoot
from tests.e2e.test_accessibility import AXE
from tests.factories import AssignmentFactory, CoacheeFactory, CoachingSessionFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def practice():
    coach = UserFactory(email="clara@example.com")
    coachee = CoacheeFactory(coach=coach, name="Mia Example")
    session = CoachingSessionFactory(coachee=coachee, starts_at=timezone.now() + timedelta(minutes=30))
    earlier = timezone.now() - timedelta(days=6)
    first = AssignmentFactory(coachee=coachee, title="Say no once a day", assigned_at=earlier)
    second = AssignmentFactory(coachee=coachee, title="Notice tension", assigned_at=earlier)
    return coach, session, first, second


def test_the_coach_reviews_item_by_item_on_the_agenda(page, live_server):
    coach, session, first, second = practice()
    log_in(page, coach.email)
    page.goto(f"/sessions/{session.pk}/")
    item = page.locator(f"#assignment-{first.pk}")

    item.get_by_role("button", name="Save review").click()  # nothing chosen yet
    expect(item.get_by_text("Choose how far the homework got done.")).to_be_visible()
    assert AXE.run(page).response["violations"] == []  # forms in place, one with its errors
    item.get_by_text("Partly done", exact=True).click()
    item.get_by_label("Insights").fill("Found the words, not yet the moment.")
    item.get_by_label("Carry it over to the next session").check()
    item.get_by_role("button", name="Save review").click()

    saved = item.get_by_role("status")
    expect(saved).to_have_text(re.compile("Review of “Say no once a day” saved."))
    expect(saved).to_be_focused()
    expect(page).to_have_url(re.compile(rf"/sessions/{session.pk}/$"))  # the page stayed
    expect(page.locator(f"#assignment-{second.pk}").get_by_role("button", name="Save review")).to_be_visible()
    shoot(page, "session-mode")
    review = Review.objects.get(assignment=first)
    assert (review.outcome, review.next_step) == ("partly", "carry_over")


def test_without_the_script_the_review_is_sent_as_a_form(browser, live_server):
    coach, session, first, _second = practice()
    context = browser.new_context(viewport=WIDTHS["phone"], base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    log_in(page, coach.email)
    page.goto(f"/sessions/{session.pk}/")
    item = page.locator(f"#assignment-{first.pk}")
    item.get_by_text("Done", exact=True).click()
    item.get_by_label("Close it", exact=True).check()
    item.get_by_role("button", name="Save review").click()

    expect(page).to_have_url(re.compile(rf"/sessions/{session.pk}/#assignment-{first.pk}$"))
    expect(page.get_by_role("status").filter(has_text="Review of “Say no once a day” saved.")).to_be_visible()
    assert Review.objects.get(assignment=first).outcome == "done"
    context.close()
