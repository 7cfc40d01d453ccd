"""The summaries a coach shares after sessions, on the coachee's home page: newest first, only from
sessions that have begun and were not cancelled, and never the coach's private notes."""

import re

from django.urls import reverse

from sessions.models import CoachingSession
from tests.coachee.conftest import days
from tests.factories import CoachingSessionFactory

URL = reverse("my:home")


def summaries(page: str) -> str:
    match = re.search(r'id="summaries-title".*?</section>', page, re.DOTALL)
    return match.group(0) if match else ""


def test_shared_summaries_of_past_sessions_newest_first(coachee_client, coachee):
    CoachingSessionFactory(coachee=coachee, starts_at=days(-21), shared_summary="We named the pattern.")
    CoachingSessionFactory(
        coachee=coachee,
        starts_at=days(-7),
        status=CoachingSession.Status.HELD,
        shared_summary="Next: say no once a day.\nAnd notice the guilt.",
    )

    section = summaries(coachee_client.get(URL).content.decode())

    assert "Session summaries" in section
    assert section.index("Next: say no once a day.") < section.index("We named the pattern.")
    assert "Session of Monday 5 January 2026" in section
    assert "Session of Monday 22 December 2025" in section


def test_private_notes_never_reach_the_coachee(coachee_client, coachee):
    CoachingSessionFactory(
        coachee=coachee, starts_at=days(-7), coach_notes="Private: seems exhausted", shared_summary="Shared words."
    )
    CoachingSessionFactory(coachee=coachee, starts_at=days(-14), coach_notes="Private: only notes here")

    page = coachee_client.get(URL).content.decode()

    assert "Shared words." in summaries(page)
    assert "Private:" not in page


def test_only_begun_sessions_that_took_place_with_a_summary(coachee_client, coachee):
    CoachingSessionFactory(
        coachee=coachee, starts_at=days(-3), status=CoachingSession.Status.CANCELLED, shared_summary="Cancelled one"
    )
    CoachingSessionFactory(coachee=coachee, starts_at=days(7), shared_summary="Written ahead of time")
    CoachingSessionFactory(coachee=coachee, starts_at=days(-10), shared_summary="")

    page = coachee_client.get(URL).content.decode()

    assert summaries(page) == ""
    assert "Cancelled one" not in page and "Written ahead of time" not in page


def test_another_coachees_summaries_stay_theirs(coachee_client, other_coachee):
    CoachingSessionFactory(coachee=other_coachee, starts_at=days(-2), shared_summary="Olga's summary")

    assert "Olga" not in coachee_client.get(URL).content.decode()
