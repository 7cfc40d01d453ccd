"""Adding and editing a coachee's goals."""

from django.urls import reverse

from sessions.models import Goal
from tests.conftest import assert_sent_to_own_homework
from tests.factories import GoalFactory
from tests.sessions.conftest import assert_redirects_to_login, form_errors


def _create_url(coachee):
    return reverse("coaching:goal_create", args=[coachee.pk])


def _edit_url(goal):
    return reverse("coaching:goal_edit", args=[goal.pk])


def test_owner_opens_the_new_goal_form(coach_client, coachee):
    response = coach_client.get(_create_url(coachee))

    assert response.status_code == 200
    assert coachee.name in response.content.decode()


def test_owner_adds_a_goal(coach_client, coachee):
    response = coach_client.post(_create_url(coachee), {"title": "Sleep before midnight", "description": "Most days"})

    assert response.status_code == 302
    assert response["Location"] == reverse("homework:coachee_detail", args=[coachee.pk])
    goal = coachee.goals.get()
    assert (goal.title, goal.description, goal.status) == ("Sleep before midnight", "Most days", "active")


def test_empty_and_over_long_goals_are_form_errors(coach_client, coachee):
    assert "title" in form_errors(coach_client.post(_create_url(coachee), {"title": "", "description": ""}))
    response = coach_client.post(_create_url(coachee), {"title": "t" * 201, "description": "d" * 2001})
    errors = form_errors(response)
    assert "at most 200 characters" in errors["title"][0]
    assert "at most 2000 characters" in errors["description"][0]
    assert not coachee.goals.exists()


def test_another_coachs_coachee_is_404(coach_client, other_coachee):
    response = coach_client.post(_create_url(other_coachee), {"title": "Sneaky"})

    assert response.status_code == 404
    assert not other_coachee.goals.exists()


def test_new_goal_for_anonymous_and_coachee_logins(client, coachee_client, coachee):
    assert_redirects_to_login(client.get(_create_url(coachee)))
    assert_sent_to_own_homework(coachee_client.get(_create_url(coachee)))


def test_owner_edits_a_goal_and_marks_it_achieved(coach_client, coachee):
    goal = GoalFactory(coachee=coachee, title="Old")
    assert coach_client.get(_edit_url(goal)).status_code == 200

    response = coach_client.post(_edit_url(goal), {"title": "New", "description": "Done", "status": "achieved"})

    assert response.status_code == 302
    assert response["Location"] == reverse("homework:coachee_detail", args=[coachee.pk])
    goal.refresh_from_db()
    assert (goal.title, goal.description, goal.status) == ("New", "Done", Goal.Status.ACHIEVED)


def test_unknown_status_is_a_form_error(coach_client, coachee):
    goal = GoalFactory(coachee=coachee)

    response = coach_client.post(_edit_url(goal), {"title": "x", "description": "", "status": "deleted"})

    assert "Choose active, achieved or dropped" in form_errors(response)["status"][0]
    goal.refresh_from_db()
    assert goal.status == Goal.Status.ACTIVE


def test_another_coach_cannot_edit_the_goal(other_coach_client, coachee):
    goal = GoalFactory(coachee=coachee, title="Mine")

    assert other_coach_client.get(_edit_url(goal)).status_code == 404
    response = other_coach_client.post(_edit_url(goal), {"title": "Theirs", "description": "", "status": "dropped"})
    assert response.status_code == 404
    goal.refresh_from_db()
    assert (goal.title, goal.status) == ("Mine", Goal.Status.ACTIVE)


def test_edit_goal_for_anonymous_and_coachee_logins(client, coachee_client, coachee):
    goal = GoalFactory(coachee=coachee)
    assert_redirects_to_login(client.get(_edit_url(goal)))
    assert_sent_to_own_homework(coachee_client.get(_edit_url(goal)))
