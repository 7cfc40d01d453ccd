"""Assigning homework: blank or from the library, in a session or as a follow-up, with the
good-homework checklist beside the form and a due date that defaults to the next session."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from assignments.models import Assignment, HomeworkTemplate
from tests.assignments.conftest import NOW, days
from tests.factories import (
    AssignmentFactory,
    CoacheeFactory,
    CoachingSessionFactory,
    GoalFactory,
    HomeworkTemplateFactory,
)


def url(coachee, **query):
    base = reverse("homework:assign", args=[coachee.pk])
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def form_data(**overrides):
    data = {
        "kind": "behavioural",
        "title": "Say no once a day",
        "instructions": "Say no to one request a day.",
        "purpose": "Small boundaries make big ones possible.",
        "approach": "Start with low-stakes requests.",
        "review_plan": "We look at what made it easier.",
        "questions": "",
        "cadence": "daily",
        "due": "next_session",
        "due_date": "",
    }
    data.update(overrides)
    return data


def test_assigning_starts_with_a_blank_form_or_a_template(coach_client, coachee, next_session):
    page = coach_client.get(url(coachee)).content.decode()
    assert f'href="{url(coachee, blank=1)}"' in page
    builtin = HomeworkTemplate.objects.get(coach=None, title="Weekly reflection")
    assert f'href="{url(coachee)}?template={builtin.pk}"' in page
    assert 'name="title"' not in page  # the form comes second


def test_the_form_has_the_checklist_and_a_way_back_to_the_start(coach_client, coachee, next_session):
    page = coach_client.get(url(coachee, blank=1)).content.decode()
    for criterion in (
        "Short and achievable",
        "Concrete and purposeful",
        "Connected to the goal",
        "Invites reflection or action",
        "Can be discussed next session",
    ):
        assert criterion in page
    assert 'name="checklist"' in page
    assert "Starting from a blank form." in page
    assert f'href="{url(coachee)}">Choose another start' in page
    assert '<option value="" selected>Choose the kind of homework</option>' in page


def test_templates_are_found_by_words_kind_and_goal(coach, coach_client, coachee, next_session):
    HomeworkTemplateFactory(coach=coach, kind="observation", title="Notice your breathing before meetings")
    HomeworkTemplateFactory(coach=coach, kind="reflection", title="Delegation diary", instructions="Note a task")
    goal = GoalFactory(coachee=coachee, title="Delegate more to my team")

    def titles(**query):
        return [t.title for t in coach_client.get(url(coachee, **query)).context["templates"]]

    assert titles(q="breathing meetings") == ["Notice your breathing before meetings"]
    assert "Delegation diary" not in titles(kind="observation")
    assert "Delegation diary" in titles(goal=goal.pk)  # "Delegate" is in the template's title
    assert "Notice your breathing before meetings" not in titles(goal=goal.pk)
    page = coach_client.get(url(coachee, goal=goal.pk)).content.decode()
    assert f'href="{url(coachee, blank=1, goal=goal.pk).replace("&", "&amp;")}"' in page  # the goal goes on
    assert coach_client.get(url(coachee, blank=1, goal=goal.pk)).context["form"]["goal"].value() == goal.pk


def test_bad_filters_show_no_templates_and_no_error_page(coach_client, coachee, other_coach):
    from tests.factories import GoalFactory as Goals

    foreign_goal = Goals(coachee__coach=other_coach)
    for query in ({"kind": "nonsense"}, {"goal": foreign_goal.pk}, {"goal": "x"}, {"q": "x" * 500}):
        response = coach_client.get(url(coachee, **query))
        assert response.status_code == 200, query
        assert response.context["templates"] == []
    assert coach_client.get(url(coachee, blank=1, goal=foreign_goal.pk)).status_code == 404


def test_due_defaults_to_the_next_session_and_shows_its_date(coach_client, coachee, next_session):
    response = coach_client.get(url(coachee, blank=1))
    assert response.context["form"]["due"].value() == "next_session"
    assert "At the next session (Mon 19 Jan 2026, 10:00)" in response.content.decode()


def test_assigning_with_the_default_due_puts_it_on_the_next_sessions_agenda(coach, coach_client, coachee, next_session):
    response = coach_client.post(url(coachee), form_data())
    assert response.status_code == 302
    assert response["Location"] == reverse("homework:coachee_detail", args=[coachee.pk])
    homework = Assignment.objects.get()
    assert homework.due_at is None
    assert homework.coachee == coachee
    assert homework.cadence == "daily"
    assert list(Assignment.objects.for_coach(coach).on_agenda(next_session)) == [homework]
    assert Assignment.objects.with_review_loop().get().effective_due_at() == next_session.starts_at


def test_without_an_upcoming_session_the_coach_must_pick_a_date(coach_client, coachee):
    response = coach_client.get(url(coachee, blank=1))
    assert "At the next session" not in response.content.decode()
    response = coach_client.post(url(coachee), form_data(due=""))
    assert response.status_code == 200
    assert "Pick the date the homework is due." in response.content.decode()
    assert not Assignment.objects.exists()


def test_a_picked_date_means_the_end_of_that_day_in_the_coachees_time_zone(coach_client, coachee):
    response = coach_client.post(url(coachee), form_data(due="date", due_date="2026-01-20"))
    assert response.status_code == 302
    # 23:59 in Berlin (UTC+1 in January) is 22:59 UTC.
    assert Assignment.objects.get().due_at == datetime(2026, 1, 20, 22, 59, tzinfo=UTC)


def test_a_picked_date_follows_the_coachee_not_the_coach(coach, coach_client):
    """The coach works in Berlin, the coachee in New York: the homework is due at 23:59 New York time."""
    far = CoacheeFactory(coach=coach, timezone="America/New_York")

    page = coach_client.get(url(far, blank=1)).content.decode()
    response = coach_client.post(url(far), form_data(due="date", due_date="2026-01-20"))

    assert "the end of that day (23:59) in the coachee's time zone, America/New York." in page
    assert response.status_code == 302
    assert Assignment.objects.get().due_at == datetime(2026, 1, 21, 4, 59, tzinfo=UTC)  # New York is UTC-5


def test_today_is_the_coachees_today(coach, coach_client, frozen_clock):
    """At 00:30 on 12 Jan in Berlin it is still 11 Jan in New York: that day can still be picked."""
    frozen_clock.move_to(datetime(2026, 1, 11, 23, 30, tzinfo=UTC))
    coach_client.force_login(coach)
    far = CoacheeFactory(coach=coach, timezone="America/New_York")

    response = coach_client.post(url(far), form_data(due="date", due_date="2026-01-11"))

    assert response.status_code == 302
    assert Assignment.objects.get().due_at == datetime(2026, 1, 12, 4, 59, tzinfo=UTC)


@pytest.mark.parametrize(
    ("due_date", "message"),
    [
        ("2026-01-11", "Pick today or a later date."),
        ("2031-01-01", "Pick a date within the next year."),
        ("20/01/2026", "Enter the date as YYYY-MM-DD"),
        ("2026-02-30", "Enter the date as YYYY-MM-DD"),
        ("99999-01-01", "Enter the date as YYYY-MM-DD"),
    ],
)
def test_bad_due_dates_give_clear_errors(due_date, message, coach_client, coachee):
    response = coach_client.post(url(coachee), form_data(due="date", due_date=due_date))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Assignment.objects.exists()


def test_a_date_typed_while_next_session_is_chosen_is_not_silently_dropped(coach_client, coachee, next_session):
    response = coach_client.post(url(coachee), form_data(due="next_session", due_date="2026-01-20"))
    assert response.status_code == 200
    assert "On a date I pick" in response.context["form"].errors["due_date"][0]


def test_a_template_prefills_the_form(coach, coach_client, coachee):
    own = HomeworkTemplateFactory(coach=coach, title="My own reflection", questions=["What moved you?"])
    response = coach_client.get(url(coachee, template=own.pk))
    form = response.context["form"]
    assert form.initial["title"] == "My own reflection"
    assert form.initial["questions"] == ["What moved you?"]
    assert "What moved you?" in response.content.decode()  # shown one question per line

    builtin = HomeworkTemplate.objects.get(coach=None, title="Say no once a day")
    form = coach_client.get(url(coachee, template=builtin.pk)).context["form"]
    assert form.initial["kind"] == "behavioural"
    assert form.initial["cadence"] == "daily"


def test_the_template_is_remembered_on_the_assignment(coach_client, coachee):
    builtin = HomeworkTemplate.objects.get(coach=None, title="Weekly reflection")
    data = form_data(kind="reflection", questions="What did you notice?", due="date", due_date="2026-01-20")
    coach_client.post(url(coachee, template=builtin.pk), data)
    assert Assignment.objects.get().template == builtin


def test_another_coachs_template_session_or_assignment_in_the_query_is_not_found(
    coach_client, coachee, other_coach, other_coachee
):
    foreign_template = HomeworkTemplateFactory(coach=other_coach)
    foreign_session = CoachingSessionFactory(coachee=other_coachee)
    foreign_homework = AssignmentFactory(coachee=other_coachee)
    assert coach_client.get(url(coachee, template=foreign_template.pk)).status_code == 404
    assert coach_client.get(url(coachee, session=foreign_session.pk)).status_code == 404
    assert coach_client.get(url(coachee, follow_up=foreign_homework.pk)).status_code == 404
    assert coach_client.post(url(coachee, session=foreign_session.pk), form_data()).status_code == 404
    assert not Assignment.objects.filter(coachee=coachee).exists()


def test_a_session_of_another_coachee_of_the_same_coach_is_not_found(coach, coach_client, coachee):
    sibling_session = CoachingSessionFactory(coachee__coach=coach)
    assert coach_client.get(url(coachee, session=sibling_session.pk)).status_code == 404


@pytest.mark.parametrize(
    "query", ["template=abc", "session=-1", "follow_up=1e9", "template=", "session=99999999999999999999"]
)
def test_malformed_query_ids_are_not_found(query, coach_client, coachee):
    assert coach_client.get(f"{url(coachee)}?{query}").status_code == 404


def test_another_coachs_goal_id_is_a_form_error(coach_client, coachee, other_coachee, next_session):
    foreign_goal = GoalFactory(coachee=other_coachee)
    response = coach_client.post(url(coachee), form_data(goal=foreign_goal.pk))
    assert response.status_code == 200
    assert "Choose one of this coachee&#x27;s goals" in response.content.decode()
    assert not Assignment.objects.exists()


def test_the_goal_list_holds_only_this_coachees_goals(coach, coach_client, coachee, next_session):
    own = GoalFactory(coachee=coachee, title="Own goal")
    GoalFactory(coachee__coach=coach, title="Sibling goal")
    page = coach_client.get(url(coachee, blank=1)).content.decode()
    assert "Own goal" in page
    assert "Sibling goal" not in page
    coach_client.post(url(coachee), form_data(goal=own.pk))
    assert Assignment.objects.get().goal == own


def test_reflection_questions_one_per_line_become_a_list(coach_client, coachee, next_session):
    data = form_data(kind="reflection", questions="What did you notice?\r\n\r\n  What worked well?  \n")
    assert coach_client.post(url(coachee), data).status_code == 302
    assert Assignment.objects.get().questions == ["What did you notice?", "What worked well?"]


@pytest.mark.parametrize("kind", ["behavioural", "observation", "creative", "preparation"])
def test_questions_left_over_from_reflection_are_dropped_for_other_kinds(kind, coach_client, coachee, next_session):
    """The coach switched the kind after the questions were filled in (from a reflection template)."""
    data = form_data(kind=kind, questions="What did you notice?\nWhat worked well?")
    assert coach_client.post(url(coachee), data).status_code == 302
    assert Assignment.objects.get().questions == []


def test_the_form_shows_each_field_for_the_kinds_that_use_it(coach_client, coachee, next_session):
    """assign-form.js hides questions and cadence for kinds that do not use them; without it, all show."""
    page = coach_client.get(url(coachee, blank=1)).content.decode()
    for field in ("questions", "cadence", "creative_format"):
        assert f'<div id="div_id_{field}" class="mb-3">' in page
    assert "js/assign-form.js" in page


def test_reflection_homework_needs_questions(coach_client, coachee, next_session):
    response = coach_client.post(url(coachee), form_data(kind="reflection", questions=" \n "))
    assert "Reflection homework needs at least one question" in response.content.decode()
    assert not Assignment.objects.exists()


def test_the_ticked_checklist_is_kept(coach_client, coachee, next_session):
    data = form_data(checklist=["achievable", "connected"])
    coach_client.post(url(coachee), data)
    assert Assignment.objects.get().checklist == ["achievable", "connected"]


def test_unknown_checklist_items_or_kinds_are_form_errors(coach_client, coachee, next_session):
    for data in (form_data(checklist=["sneaky"]), form_data(kind="meditation"), form_data(cadence="hourly")):
        response = coach_client.post(url(coachee), data)
        assert response.status_code == 200
        assert response.context["form"].errors
    assert not Assignment.objects.exists()


def test_over_long_text_is_a_form_error(coach_client, coachee, next_session):
    for field, length in (("title", 201), ("instructions", 5001), ("purpose", 2001), ("questions", 20_000)):
        response = coach_client.post(url(coachee), form_data(**{field: "x" * length}))
        assert response.status_code == 200, field
        assert field in response.context["form"].errors, field
    assert not Assignment.objects.exists()


@pytest.mark.parametrize("minutes_after_start", [-60, -20, 0, 90])
def test_assigning_in_a_session_links_it_and_returns_to_the_session(
    minutes_after_start, frozen_clock, coach_client, coachee, next_session, later_session
):
    """From an hour before the session starts; `assigned_at` is the real moment of assigning."""
    frozen_clock.move_to(next_session.starts_at + timedelta(minutes=minutes_after_start))
    response = coach_client.get(url(coachee, session=next_session.pk, blank=1))
    assert "At the next session (Mon 2 Feb 2026, 10:00)" in response.content.decode()  # the one after it
    response = coach_client.post(url(coachee, session=next_session.pk), form_data())
    assert response["Location"] == reverse("homework:session_detail", args=[next_session.pk])
    homework = Assignment.objects.get()
    assert homework.assigned_in_session == next_session
    assert homework.assigned_at == next_session.starts_at + timedelta(minutes=minutes_after_start)
    assert list(Assignment.objects.on_agenda(later_session)) == [homework]
    assert list(Assignment.objects.on_agenda(next_session)) == []


def test_a_session_that_lies_ahead_is_not_the_one_homework_is_assigned_in(
    coach_client, coachee, next_session, later_session
):
    """A week before the session the coach assigns homework now; it is due at that session."""
    builtin = HomeworkTemplate.objects.get(coach=None, title="Say no once a day")
    response = coach_client.get(url(coachee, session=next_session.pk, template=builtin.pk), follow=True)
    assert response.redirect_chain == [(url(coachee, template=builtin.pk), 302)]
    page = response.content.decode()
    assert "The session of Mon 19 Jan 2026, 10:00 has not started yet" in page
    assert "At the next session (Mon 19 Jan 2026, 10:00)" in page

    response = coach_client.post(url(coachee, session=next_session.pk), form_data())
    assert response["Location"] == reverse("homework:coachee_detail", args=[coachee.pk])
    homework = Assignment.objects.get()
    assert homework.assigned_in_session is None
    assert homework.assigned_at == NOW
    assert list(Assignment.objects.on_agenda(next_session)) == [homework]


def test_a_cancelled_session_is_not_the_one_homework_is_assigned_in(frozen_clock, coach_client, coachee, next_session):
    frozen_clock.move_to(next_session.starts_at)
    next_session.status = "cancelled"
    next_session.save()

    response = coach_client.get(url(coachee, session=next_session.pk), follow=True)

    assert "is cancelled, so homework is not assigned in it" in response.content.decode()
    assert response.context["session"] is None


def test_a_follow_up_is_prefilled_and_linked(frozen_clock, coach_client, coachee, next_session, later_session):
    goal = GoalFactory(coachee=coachee)
    earlier = AssignmentFactory(coachee=coachee, goal=goal, kind="observation", title="Tension", questions=[])
    frozen_clock.move_to(next_session.starts_at)
    form = coach_client.get(url(coachee, follow_up=earlier.pk, session=next_session.pk)).context["form"]
    assert form.initial["title"] == "Tension"
    assert form.initial["kind"] == "observation"
    assert form.initial["goal"] == goal.pk

    data = form_data(kind="observation", title="Tension, week two", goal=goal.pk)
    response = coach_client.post(url(coachee, follow_up=earlier.pk, session=next_session.pk), data)
    assert response.status_code == 302, response.context["form"].errors
    follow_up = Assignment.objects.get(title="Tension, week two")
    assert follow_up.follow_up_of == earlier
    assert follow_up.assigned_in_session == next_session


def test_an_archived_coachee_gets_no_new_homework(coach, coach_client):
    from tests.factories import CoacheeFactory

    archived = CoacheeFactory(coach=coach, archived_at=days(-1))
    response = coach_client.post(url(archived), form_data(due="date", due_date="2026-01-20"))
    assert response.status_code == 302
    assert response["Location"] == reverse("homework:coachee_detail", args=[archived.pk])
    assert not Assignment.objects.exists()
