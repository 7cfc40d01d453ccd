"""Every homework page, per view: the owner gets it, another coach 404, a coachee is sent to their own
homework, an anonymous visitor the login page, and a method the view does not take 405."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assignments.models import AgreementStep, Assignment
from tests.factories import AssignmentFactory, CoachingSessionFactory, HomeworkTemplateFactory

# name: (URL parameters, methods it takes, a method it refuses)
VIEWS = {
    "dashboard": ([], {"GET"}, "POST"),
    "to_read": ([], {"GET"}, "POST"),
    "upcoming_sessions": ([], {"GET"}, "POST"),
    "needing_a_session": ([], {"GET"}, "POST"),
    "gone_quiet": ([], {"GET"}, "POST"),
    "coachee_detail": (["coachee_pk"], {"GET"}, "POST"),
    "assign": (["coachee_pk"], {"GET", "POST"}, "PUT"),
    "session_detail": (["session_pk"], {"GET"}, "POST"),
    "session_hold": (["session_pk"], {"GET", "POST"}, "PUT"),
    "review": (["session_pk", "assignment_pk"], {"GET", "POST"}, "DELETE"),
    "assignment_detail": (["assignment_pk"], {"GET"}, "POST"),
    "assignment_cancel": (["assignment_pk"], {"POST"}, "GET"),
    "feedback": (["assignment_pk"], {"GET", "POST"}, "PUT"),
    "agreement_accept": (["assignment_pk"], {"POST"}, "GET"),
    "agreement_adjust": (["assignment_pk"], {"GET", "POST"}, "PUT"),
    "agreement_discuss": (["assignment_pk"], {"POST"}, "GET"),
    "agreed_in_session": (["session_pk", "assignment_pk"], {"POST"}, "GET"),
    "library": ([], {"GET"}, "POST"),
    "template_create": ([], {"GET", "POST"}, "PUT"),
    "template_detail": (["template_pk"], {"GET"}, "POST"),
    "template_edit": (["template_pk"], {"GET", "POST"}, "DELETE"),
}


@pytest.fixture
def objects(coach, coachee):
    # A session that has opened (it starts within the hour), so it can be reviewed and marked held.
    session = CoachingSessionFactory(coachee=coachee, starts_at=timezone.now() + timedelta(minutes=30))
    # A change suggested to proposed homework, so the agreement's pages have something to answer.
    assignment = AssignmentFactory(
        coachee=coachee, assigned_at=timezone.now() - timedelta(days=1), agreement=Assignment.Agreement.SUGGESTED
    )
    AgreementStep.objects.create(
        assignment=assignment, action="suggested", changes={"approach": {"old": "", "new": "Later"}}
    )
    return {
        "coachee_pk": coachee.pk,
        "session_pk": session.pk,
        "assignment_pk": assignment.pk,
        "template_pk": HomeworkTemplateFactory(coach=coach).pk,
    }


def url(name, objects):
    params, _methods, _refused = VIEWS[name]
    return reverse(f"homework:{name}", kwargs={p: objects[p] for p in params})


def call(client, method, path):
    return getattr(client, method.lower())(path)


def test_the_table_covers_every_homework_url():
    from assignments.urls import urlpatterns

    assert {p.name for p in urlpatterns} == set(VIEWS)


@pytest.mark.parametrize("name", VIEWS)
def test_owner(name, coach_client, objects):
    _params, methods, _refused = VIEWS[name]
    method = "GET" if "GET" in methods else "POST"
    response = call(coach_client, method, url(name, objects))
    assert response.status_code == (200 if method == "GET" else 302)


@pytest.mark.parametrize("name", [n for n, (params, _m, _r) in VIEWS.items() if params])
def test_another_coach_gets_404(name, client, other_coach, objects):
    client.force_login(other_coach)
    for method in VIEWS[name][1]:
        assert call(client, method, url(name, objects)).status_code == 404, method


@pytest.mark.parametrize("name", VIEWS)
def test_a_coachee_is_sent_to_their_own_homework(name, client, coachee, objects):
    client.force_login(coachee.user)
    for method in VIEWS[name][1]:
        response = call(client, method, url(name, objects))
        assert (response.status_code, response["Location"]) == (302, reverse("my:home")), method


@pytest.mark.parametrize("name", VIEWS)
def test_anonymous_goes_to_login(name, client, objects):
    for method in VIEWS[name][1]:
        response = call(client, method, url(name, objects))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login") + "?next=")


@pytest.mark.parametrize("name", VIEWS)
def test_wrong_method_gets_405(name, coach_client, objects):
    assert call(coach_client, VIEWS[name][2], url(name, objects)).status_code == 405
