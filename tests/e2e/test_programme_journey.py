"""A programme in a real browser: the coach enrols a coachee in a three-step programme, schedules three
sessions, moves the second after the third, and each step's homework is offered and assigned at the
session that is now "session N". Screenshots go to test-artifacts/screenshots/ (programme-*.png)."""

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assignments.models import Assignment
from sessions import services as coaching
from sessions.models import CoachingSession
from tests.e2e.conftest import log_in, shoot
from tests.factories import ProgrammeFactory, ProgrammeStepFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ZONE = ZoneInfo("Europe/Berlin")


def local(moment) -> str:
    """A moment as the session form's date-and-time field takes it, in the coach's time zone."""
    return timezone.localtime(moment, ZONE).strftime("%Y-%m-%dT%H:%M")


def schedule(page, coachee, starts_at) -> CoachingSession:
    page.goto(f"/coachees/{coachee.pk}/sessions/new/")
    page.get_by_label("Date and time").fill(local(starts_at))
    page.get_by_role("button", name="Schedule session").click()
    expect(page.get_by_role("heading", name="Agenda: homework to review")).to_be_visible()
    return CoachingSession.objects.latest("pk")


def test_each_step_is_offered_and_assigned_at_its_session_after_a_reschedule(page, live_server):
    coach = UserFactory(email="clara@example.com", name="Clara Coach", timezone="Europe/Berlin")
    coachee = coaching.coachee_create(coach=coach, name="Mia Example", email="mia@example.com")
    programme = ProgrammeFactory(coach=coach, title="Three steps")
    for number in (1, 2, 3):
        ProgrammeStepFactory(
            programme=programme, number=number, title=f"Homework of step {number}", coach_notes=f"Note {number}"
        )
    log_in(page, "clara@example.com")
    expect(page).to_have_url(re.compile(r"/dashboard/$"))

    # Enrol from the programme's page.
    page.get_by_role("link", name="Programmes").first.click()
    page.get_by_role("link", name="Three steps").click()
    page.get_by_role("combobox", name="Coachee").select_option(label="Mia Example")
    page.get_by_role("button", name="Enrol").click()
    expect(page.get_by_role("status").filter(has_text="Mia Example is enrolled")).to_be_visible()
    shoot(page, "programme-detail")

    # Three sessions within the hour (so each has opened), then the second moves after the third.
    now = timezone.now().replace(second=0, microsecond=0)
    first = schedule(page, coachee, now + timedelta(minutes=20))
    second = schedule(page, coachee, now + timedelta(minutes=35))
    third = schedule(page, coachee, now + timedelta(minutes=50))
    page.goto(f"/sessions/{second.pk}/edit/")
    page.get_by_label("Date and time").fill(local(now + timedelta(minutes=55)))
    page.get_by_role("button", name="Save session").click()
    assert not Assignment.objects.exists(), "enrolling and scheduling assign nothing by themselves"

    # Session order is now first, third, second: steps 1, 2, 3.
    for session, number in ((first, 1), (third, 2), (second, 3)):
        page.goto(f"/sessions/{session.pk}/")
        offer = page.get_by_role("region", name=f"Programme “Three steps”: session {number} of 3")
        expect(offer).to_contain_text(f"Homework of step {number}")
        expect(offer).to_contain_text(f"Note {number}")
        if number == 2:
            shoot(page, "programme-offer")
        offer.get_by_role("button", name="Assign as planned").click()
        expect(page.get_by_role("status").filter(has_text=f"“Homework of step {number}” assigned")).to_be_visible()
        expect(page.get_by_role("region", name=f"Programme “Three steps”: session {number} of 3")).to_contain_text(
            "Assigned"
        )
        assignment = Assignment.objects.get(title=f"Homework of step {number}")
        assert assignment.assigned_in_session_id == session.pk

    page.goto("/programmes/positions/")
    expect(page.get_by_role("row", name=re.compile("Mia Example"))).to_contain_text("3")
    shoot(page, "programme-positions")
