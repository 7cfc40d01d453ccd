"""Building programmes and following the real calendar: step N falls on the coachee's N-th session
since enrolment (not cancelled, in start order), derived at read time."""

from datetime import timedelta

import pytest

from assignments.models import Assignment
from assignments.programmes import services
from assignments.programmes.models import Programme, ProgrammeStep, StepDecision
from sessions.services import session_cancel, session_update
from tests.factories import CoachingSessionFactory, HomeworkTemplateFactory

from .conftest import NOW, days, make_programme


def _numbers(programme):
    return list(programme.steps.order_by("number").values_list("title", flat=True))


def test_steps_are_added_at_the_end_moved_and_removed(coach):
    programme = services.programme_save(coach=coach, title="Mine", description="", language="en")
    for title in ("A", "B", "C"):
        services.step_save(programme=programme, kind="preparation", title=title, instructions="x")
    assert _numbers(programme) == ["A", "B", "C"]
    services.step_move(step=programme.steps.get(title="C"), up=True)
    assert _numbers(programme) == ["A", "C", "B"]
    services.step_move(step=programme.steps.get(title="A"), up=True)  # the first stays first
    assert _numbers(programme) == ["A", "C", "B"]
    services.step_remove(step=programme.steps.get(title="A"))
    assert list(programme.steps.values_list("number", "title")) == [(1, "C"), (2, "B")]


def test_a_programme_takes_at_most_30_steps(coach):
    programme = make_programme(coach, steps=30)
    with pytest.raises(services.ProgrammeFull):
        services.step_save(programme=programme, kind="preparation", title="One more", instructions="x")


def test_a_copy_is_the_coachs_own_with_every_step(coach, other_coach):
    original = make_programme(other_coach)
    original.coach = None  # built-in
    original.save()
    copy = services.programme_copy(coach=coach, programme=original)
    assert copy.coach == coach and copy.title == original.title
    assert _numbers(copy) == _numbers(original)
    assert copy.steps.first().coach_notes == "Secret coach note 1"
    assert services.programme_copy(coach=coach, programme=copy).title == "Three steps (copy)"


def test_archived_and_builtin_programmes_take_no_coachees(coach, coachee, programme):
    services.programme_archive(programme=programme)
    with pytest.raises(services.NotEnrollable):
        services.enrol(programme=programme, coachee=coachee)
    services.programme_restore(programme=programme)
    services.enrol(programme=programme, coachee=coachee)
    with pytest.raises(services.AlreadyEnrolled):
        services.enrol(programme=make_programme(coach, title="Other"), coachee=coachee)


def test_another_coachs_coachee_cannot_be_enrolled(programme, other_coachee):
    with pytest.raises(services.NotEnrollable):
        services.enrol(programme=programme, coachee=other_coachee)


def _steps_by_session(enrolment, sessions):
    return [getattr(services.step_at(enrolment, s), "number", None) for s in sessions]


def test_each_step_falls_on_its_session_and_follows_a_reschedule_and_a_cancellation(coachee, programme):
    before = CoachingSessionFactory(coachee=coachee, starts_at=days(-7))
    enrolment = services.enrol(programme=programme, coachee=coachee)
    first, second, third = (CoachingSessionFactory(coachee=coachee, starts_at=days(n)) for n in (7, 14, 21))
    assert _steps_by_session(enrolment, [before, first, second, third]) == [None, 1, 2, 3]

    session_update(session=second, starts_at=days(28))  # the second moves after the third
    assert _steps_by_session(enrolment, [first, third, second]) == [1, 2, 3]

    session_cancel(session=third)
    assert _steps_by_session(enrolment, [first, second, third]) == [1, 2, None]


def test_a_session_under_way_when_enrolling_is_session_1(coachee, programme):
    now_on = CoachingSessionFactory(coachee=coachee, starts_at=NOW - timedelta(minutes=20))
    enrolment = services.enrol(programme=programme, coachee=coachee)
    assert services.step_at(enrolment, now_on).number == 1


def test_confirming_assigns_the_step_in_its_session_due_at_the_next(coachee, programme):
    session = CoachingSessionFactory(coachee=coachee, starts_at=NOW + timedelta(minutes=30))
    nxt = CoachingSessionFactory(coachee=coachee, starts_at=days(7))
    enrolment = services.enrol(programme=programme, coachee=coachee)
    step = services.step_at(enrolment, session)
    assignment = services.step_confirm(enrolment=enrolment, step=step, session=session)
    assignment = Assignment.objects.with_review_loop().get(pk=assignment.pk)
    assert (assignment.title, assignment.assigned_in_session, assignment.review_session_id) == (
        "Step 1 homework",
        session,
        nxt.pk,
    )
    assert "Secret" not in assignment.instructions + assignment.purpose + assignment.approach
    with pytest.raises(services.AlreadyDecided):
        services.step_confirm(enrolment=enrolment, step=step, session=session)
    with pytest.raises(services.AlreadyDecided):
        services.step_skip(enrolment=enrolment, step=step, session=session)


def test_days_after_sets_a_due_date_at_the_end_of_that_day(coachee, programme):
    step = programme.steps.get(number=1)
    services.step_save(programme=programme, step=step, due_rule="days_after", due_days=3)
    session = CoachingSessionFactory(coachee=coachee, starts_at=NOW + timedelta(minutes=30))
    enrolment = services.enrol(programme=programme, coachee=coachee)
    assignment = services.step_confirm(enrolment=enrolment, step=step, session=session)
    local = assignment.due_at.astimezone(coachee.tzinfo)
    assert (local.date().isoformat(), local.hour, local.minute) == ("2026-01-15", 23, 59)


def test_a_step_planned_as_a_proposal_is_proposed_to_the_coachee(coachee, programme):
    step = programme.steps.get(number=1)
    ProgrammeStep.objects.filter(pk=step.pk).update(action=ProgrammeStep.Action.PROPOSE)
    step.refresh_from_db()
    session = CoachingSessionFactory(coachee=coachee, starts_at=NOW + timedelta(minutes=30))
    enrolment = services.enrol(programme=programme, coachee=coachee)
    assignment = services.step_confirm(enrolment=enrolment, step=step, session=session)
    assert assignment.agreement == Assignment.Agreement.PROPOSED
    assert list(assignment.agreement_steps.values_list("action", flat=True)) == ["proposed"]


def test_a_step_that_no_longer_falls_on_the_session_is_refused(coachee, programme):
    first = CoachingSessionFactory(coachee=coachee, starts_at=NOW + timedelta(minutes=30))
    enrolment = services.enrol(programme=programme, coachee=coachee)
    with pytest.raises(services.NotThisSession):
        services.step_skip(enrolment=enrolment, step=programme.steps.get(number=2), session=first)
    services.step_skip(enrolment=enrolment, step=programme.steps.get(number=1), session=first)
    assert StepDecision.objects.get().outcome == "skipped"
    assert not Assignment.objects.exists()


def test_positions_in_one_query_at_any_size(coach, coachee, programme, django_assert_num_queries):
    from assignments.programmes.models import Enrolment

    enrolment = services.enrol(programme=programme, coachee=coachee)
    CoachingSessionFactory(coachee=coachee, starts_at=NOW + timedelta(minutes=5), status="held", held_at=NOW)
    CoachingSessionFactory(coachee=coachee, starts_at=days(7))
    with django_assert_num_queries(1):
        row = Enrolment.objects.with_position().get(pk=enrolment.pk)
    assert (row.steps_total, row.sessions_begun, row.step_reached, row.confirmed) == (3, 1, 1, 0)


def test_a_template_from_the_library_is_copied_into_the_step(coach):
    template = HomeworkTemplateFactory(coach=coach, title="Own one")
    programme = Programme.objects.create(coach=coach, title="P")
    step = services.step_save(
        programme=programme, template=template, kind=template.kind, title=template.title, instructions="y"
    )
    assert ProgrammeStep.objects.get(pk=step.pk).template == template
