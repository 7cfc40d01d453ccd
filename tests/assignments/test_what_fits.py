"""What fits this coachee (issue 13): on the assign flow, per kind of homework, completion and average
fit, the latest three of that kind with how they went and the coachee's remarks; a gentle note when
a kind worked poorly twice lately; the kinds the coachee says they prefer."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assignments.progress import stats
from assignments.views import what_fits
from tests.assignments.conftest import NOW
from tests.factories import AssignmentFactory, CoachingSessionFactory, ReviewFactory, SubmissionFactory


def done(coachee, kind, *, days_ago, outcome=None, fit=None, remark="", title=None):
    """Homework of `kind` given `days_ago`, handed in (with a fit rating and remark) and, with
    `outcome`, reviewed at a session since."""
    given = NOW - timedelta(days=days_ago)
    assignment = AssignmentFactory(
        coachee=coachee,
        kind=kind,
        title=title or f"{kind} {days_ago}",
        assigned_at=given,
        status="submitted",
        submitted_at=given + timedelta(days=1),
    )
    SubmissionFactory(assignment=assignment, fit_rating=fit, remark=remark)
    if outcome:
        session = CoachingSessionFactory(coachee=coachee, starts_at=given + timedelta(days=2))
        ReviewFactory(assignment=assignment, session=session, outcome=outcome)
    return assignment


def history(coachee, copies=1):
    """Reflection: lately not done and rated 1 (two poor of the last three); behavioural: rated well."""
    for copy in range(copies):
        offset = 100 * copy
        done(coachee, "reflection", days_ago=offset + 40, outcome="done", fit=5)  # older: not among the latest
        done(coachee, "reflection", days_ago=offset + 30, outcome="done", fit=4)
        done(coachee, "reflection", days_ago=offset + 20, outcome="not_done")
        done(coachee, "reflection", days_ago=offset + 10, fit=1, remark="Writing at night does not work for me.")
        done(coachee, "behavioural", days_ago=offset + 15, outcome="done", fit=5)
        done(coachee, "behavioural", days_ago=offset + 5, fit=4, remark="Saying no got easier.")


def test_the_latest_three_of_each_kind_with_how_they_went(coachee):
    history(coachee)
    by_kind = {fit.stats.kind: fit for fit in stats.fit_by_kind(coachee)}
    reflection = by_kind["reflection"]
    assert [a.title for a in reflection.recent] == ["reflection 10", "reflection 20", "reflection 30"]
    assert [(a.outcome, a.fit, a.worked_poorly) for a in reflection.recent] == [
        (None, 1, True),
        ("not_done", None, True),
        ("done", 4, False),
    ]
    assert reflection.recent[0].remark == "Writing at night does not work for me."
    assert [a.outcome_label for a in reflection.recent] == ["Submitted", "Not done", "Done"]
    assert (reflection.poor, reflection.stats.given, reflection.stats.average_fit) == (2, 4, 3.3)
    assert (by_kind["behavioural"].good, by_kind["behavioural"].poor) == (2, 0)


def test_a_kind_that_worked_poorly_twice_gets_a_gentle_note(coachee):
    history(coachee)
    note = what_fits(coachee)["note"]
    assert note == "Reflection has been hard for Cody Coachee lately; Behavioural practice went well."


def test_no_note_when_nothing_went_poorly_twice(coachee):
    done(coachee, "reflection", days_ago=10, outcome="not_done")
    done(coachee, "reflection", days_ago=5, outcome="done", fit=4)
    assert what_fits(coachee)["note"] == ""


def test_a_fixed_number_of_queries_at_any_size(coachee, other_coachee):
    history(coachee)
    with CaptureQueriesContext(connection) as small:
        what_fits(coachee)
    history(coachee, copies=10)
    history(other_coachee, copies=3)
    with CaptureQueriesContext(connection) as large:
        fits = what_fits(coachee)
    assert len(small) == len(large) == 2
    assert all(len(fit.recent) <= stats.RECENT_OF_A_KIND for fit in fits["kinds"])


def test_the_assign_flow_shows_it(coach_client, coachee, next_session):
    history(coachee)
    coachee.preferred_kinds = ["behavioural", "creative"]
    coachee.save()
    for url in (
        reverse("homework:assign", args=[coachee.pk]),
        reverse("homework:assign", args=[coachee.pk]) + "?blank=1",
    ):
        page = coach_client.get(url).content.decode()
        assert "What fits Cody Coachee" in page
        assert "Reflection has been hard for Cody Coachee lately" in page
        assert "Prefers:</span> Behavioural practice, Creative" in page
        assert "“Saying no got easier.”" in page
        assert "50% handed in" not in page and "100% handed in" in page


def test_the_assign_pages_cost_the_same_at_any_size(coach_client, coachee, other_coachee, next_session):
    start = reverse("homework:assign", args=[coachee.pk])
    urls = [start, start + "?blank=1"]

    def counts():
        for url in urls:
            coach_client.get(url)  # caches warmed
        measured = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert coach_client.get(url).status_code == 200
            measured.append(len(queries))
        return measured

    history(coachee)
    small = counts()
    history(coachee, copies=10)
    history(other_coachee, copies=3)
    assert counts() == small


def test_the_coachee_says_which_kinds_suit_them(coachee, coachee_client):
    url = reverse("my:kinds")
    assert "Kinds of homework I prefer" in coachee_client.get(url).content.decode()
    assert coachee_client.post(url, {"kinds": ["creative", "reflection"]}).status_code == 302
    coachee.refresh_from_db()
    assert coachee.preferred_kinds == ["reflection", "creative"]
    response = coachee_client.post(url, {"kinds": ["dancing"]})
    assert response.status_code == 200 and "Tick only items from the list." in response.content.decode()
    coachee.refresh_from_db()
    assert coachee.preferred_kinds == ["reflection", "creative"]
