"""Programme pages: building one, enrolling from the coachee page, the step at its session (confirm,
adapt, skip), the coachee's position, everyone's positions at a flat query count."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assignments.models import Assignment
from assignments.programmes import services
from assignments.programmes.models import Enrolment, Programme, StepDecision
from tests.factories import CoacheeFactory, CoacheeUserFactory, CoachingSessionFactory, HomeworkTemplateFactory

from .conftest import NOW, days, make_programme


def test_a_coach_builds_a_programme_from_the_library_and_their_own_words(coach_client, coach):
    response = coach_client.post(reverse("programmes:create"), {"title": "Lead", "description": "", "language": "en"})
    programme = Programme.objects.get(title="Lead")
    assert response["Location"] == reverse("programmes:detail", args=[programme.pk])
    template = HomeworkTemplateFactory(coach=None, title="Built-in reflection", kind="preparation")
    url = reverse("programmes:step_create", args=[programme.pk])
    page = coach_client.get(f"{url}?template={template.pk}").content.decode()
    assert 'value="Built-in reflection"' in page
    data = {
        "kind": "preparation",
        "title": "Bring a case",
        "instructions": "Bring one case.",
        "cadence": "once",
        "coach_notes": "Watch for avoidance",
        "due_rule": "days_after",
        "due_days": "",
        "action": "assign",
    }
    response = coach_client.post(url, data)
    assert response.status_code == 200 and "Enter a number of days from 1 to 90." in response.content.decode()
    assert 'value="Bring a case"' in response.content.decode()  # what was typed survives
    coach_client.post(url, {**data, "due_days": "4"})
    step = programme.steps.get()
    assert (step.number, step.due_days, step.coach_notes) == (1, 4, "Watch for avoidance")


def test_the_list_shows_active_or_archived_and_the_builtin_ones(coach_client, coach):
    active, archived = make_programme(coach, title="Active one"), make_programme(coach, title="Old one")
    services.programme_archive(programme=archived)
    page = coach_client.get(reverse("programmes:list")).content.decode()
    assert active.title in page and archived.title not in page
    page = coach_client.get(reverse("programmes:list") + "?archived=1").content.decode()
    assert archived.title in page and active.title not in page


def test_a_builtin_programme_is_copied_to_be_used(coach_client, coach):
    builtin = Programme.objects.builtin().filter(language="en").first()
    assert builtin is not None, "the built-in programmes are loaded by a migration"
    response = coach_client.post(reverse("programmes:copy", args=[builtin.pk]))
    copy = Programme.objects.get(coach=coach, title=builtin.title)
    assert response["Location"] == reverse("programmes:detail", args=[copy.pk])
    assert copy.steps.count() == builtin.steps.count()


def test_enrolling_from_the_coachee_page_then_the_step_at_its_session(coach_client, coach, coachee, programme):
    page = coach_client.get(reverse("homework:coachee_detail", args=[coachee.pk])).content.decode()
    assert programme.title in page  # offered in the enrol form
    coach_client.post(reverse("programmes:enrol_coachee", args=[coachee.pk]), {"programme": programme.pk})
    enrolment = Enrolment.objects.get(coachee=coachee)
    assert not Assignment.objects.exists()  # enrolling schedules nothing

    session = CoachingSessionFactory(coachee=coachee, starts_at=NOW + timedelta(minutes=30))
    later = CoachingSessionFactory(coachee=coachee, starts_at=days(7))
    agenda = coach_client.get(reverse("homework:session_detail", args=[session.pk])).content.decode()
    assert "Step 1 homework" in agenda and "Secret coach note 1" in agenda
    assert "Step 2 homework" in coach_client.get(reverse("homework:session_detail", args=[later.pk])).content.decode()

    step = programme.steps.get(number=1)
    coach_client.post(reverse("programmes:step_confirm", args=[session.pk, step.pk]))
    assignment = Assignment.objects.get()
    assert (assignment.title, assignment.assigned_in_session) == ("Step 1 homework", session)
    assert StepDecision.objects.get(enrolment=enrolment).assignment == assignment

    # Too early for session 2: it can only be skipped; skipping is remembered.
    step2 = programme.steps.get(number=2)
    coach_client.post(reverse("programmes:step_confirm", args=[later.pk, step2.pk]))
    assert Assignment.objects.count() == 1
    coach_client.post(reverse("programmes:step_skip", args=[later.pk, step2.pk]))
    assert "Skipped" in coach_client.get(reverse("homework:session_detail", args=[later.pk])).content.decode()


def test_adapting_a_step_opens_the_assign_form_prefilled(coach_client, coachee, programme):
    session = CoachingSessionFactory(coachee=coachee, starts_at=NOW + timedelta(minutes=30))
    CoachingSessionFactory(coachee=coachee, starts_at=days(7))  # due there, by default
    services.enrol(programme=programme, coachee=coachee)
    step = programme.steps.get(number=1)
    url = reverse("programmes:step_assign", args=[session.pk, step.pk])
    assert 'value="Step 1 homework"' in coach_client.get(url).content.decode()
    response = coach_client.post(
        url, {"kind": "preparation", "title": "Adapted", "instructions": "Mine.", "cadence": "once"}
    )
    assert response.status_code == 302
    assert Assignment.objects.get().title == "Adapted"
    assert coach_client.get(url).status_code == 302  # decided: back to the agenda


def test_the_coachee_sees_their_step_but_no_coach_notes(client, coachee, programme):
    services.enrol(programme=programme, coachee=coachee)
    CoachingSessionFactory(coachee=coachee, starts_at=NOW - timedelta(days=7), status="held", held_at=NOW)
    client.force_login(coachee.user)
    page = client.get(reverse("my:home")).content.decode()
    assert "Step 1 of 3 of Three steps" not in page  # that session was before the enrolment
    CoachingSessionFactory(coachee=coachee, starts_at=NOW + timedelta(minutes=5), status="held", held_at=NOW)
    page = client.get(reverse("my:home")).content.decode()
    assert "Step 1 of 3 of Three steps" in page
    assert "Secret coach note" not in page


def _positions_queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("programmes:positions")).status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_everyones_positions_at_a_flat_query_count(coach_client, coach, coachee, programme):
    services.enrol(programme=programme, coachee=coachee)
    one = _positions_queries(coach_client)
    for n in range(10):
        other = CoacheeFactory(coach=coach, user=CoacheeUserFactory(), name=f"Coachee {n}")
        CoachingSessionFactory(coachee=other, starts_at=NOW - timedelta(minutes=5))  # under way: session 1
        services.enrol(programme=make_programme(coach, title=f"P{n}"), coachee=other)
    page = coach_client.get(reverse("programmes:positions")).content.decode()
    assert "Coachee 9" in page and "1 of 3" in page
    assert _positions_queries(coach_client) == one


def test_removing_a_step_and_ending_an_enrolment_ask_first(coach_client, coachee, programme):
    step = programme.steps.get(number=2)
    page = coach_client.get(reverse("programmes:detail", args=[programme.pk])).content.decode()
    action = reverse("programmes:step_remove", args=[step.pk])
    assert f'action="{action}" data-confirm="Remove session 2? The steps after it move up."' in page
    enrolment = services.enrol(programme=programme, coachee=coachee)
    page = coach_client.get(reverse("homework:coachee_detail", args=[coachee.pk])).content.decode()
    assert f'action="{reverse("programmes:enrolment_end", args=[enrolment.pk])}" data-confirm="End' in page
    coach_client.post(reverse("programmes:enrolment_end", args=[enrolment.pk]))
    enrolment.refresh_from_db()
    assert enrolment.ended_at is not None
