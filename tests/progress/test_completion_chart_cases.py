"""Case 6 of issue 8: the chart of homework handed in, session by session. A session with nothing
due shows a dash, not an empty "0/0" bar, and two sessions on the same day read apart (the second
is labelled with its time, and the table gives both times)."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assignments.progress import charts, stats
from assignments.services import review_record, submission_submit
from tests.factories import AssignmentFactory, CoachingSessionFactory

from .conftest import NOW, days

# The labels under the bars stand on one line, 15 units below the axis.
BAR_LABEL = re.compile(r'<text x="[\d.]+" y="165.0" class="chart-label" text-anchor="middle">([^<]+)</text>')


def held(coachee, starts_at):
    return CoachingSessionFactory(coachee=coachee, starts_at=starts_at, status="held", held_at=starts_at)


@pytest.fixture
def sessions(coachee):
    """Wed 18 February (nothing due), then Wed 25 February at 09:00 and at 15:00 in Berlin: one
    homework due at each of those, the first handed in and closed, the second not handed in."""
    empty = held(coachee, days(-21))
    morning = held(coachee, days(-14, hour=8))
    afternoon = held(coachee, days(-14, hour=14))
    CoachingSessionFactory(coachee=coachee, starts_at=days(7))
    handed_in = AssignmentFactory(coachee=coachee, assigned_at=days(-20), title="Notice your yes")
    submission_submit(assignment=handed_in, answers=["Often."], now=days(-15))
    review_record(assignment=handed_in, session=morning, outcome="done", next_step="close")
    AssignmentFactory(coachee=coachee, assigned_at=days(-14, hour=11), title="Say no once")
    return empty, morning, afternoon


def chart_in_berlin(coachee):
    with timezone.override("Europe/Berlin"):
        rows = stats.completion_over_sessions(coachee, NOW)
        return rows, charts.completion_chart(rows, chart_id="completion", title="Handed in")


def test_a_session_with_nothing_due_shows_a_dash_instead_of_an_empty_bar(coachee, sessions):
    empty, _morning, _afternoon = sessions

    rows, chart = chart_in_berlin(coachee)
    svg = str(chart.svg)

    assert (rows[0].session_id, rows[0].due, rows[0].completed) == (empty.pk, 0, 0)
    assert "0/0" not in svg
    assert svg.count('class="chart-value" text-anchor="middle">–</text>') == 1
    assert svg.count('class="chart-bar-due"') == 2 + 1  # the two sessions with homework, and the legend
    assert "18 Feb: nothing due" in chart.description
    assert "0 of 0" not in chart.description


def test_two_sessions_on_the_same_day_read_apart(coachee, sessions):
    rows, chart = chart_in_berlin(coachee)
    svg = str(chart.svg)

    assert [(r.due, r.completed) for r in rows] == [(0, 0), (1, 1), (1, 0)]
    assert BAR_LABEL.findall(svg) == ["18", "25", "15:00"]
    assert "<title>25 Feb, 09:00: 1 of 1 handed in</title>" in svg
    assert "<title>25 Feb, 15:00: 0 of 1 handed in</title>" in svg
    assert chart.table_rows == [
        ["Wed 18 Feb 2026", 0, 0],
        ["Wed 25 Feb 2026, 09:00", 1, 1],
        ["Wed 25 Feb 2026, 15:00", 1, 0],
    ]


@pytest.mark.parametrize("viewer", ["coach", "coachee"])
def test_the_progress_pages_show_the_dash_and_the_times(viewer, coach, coachee, sessions):
    browser = Client()
    if viewer == "coach":
        browser.force_login(coach)
        page = browser.get(reverse("progress:coachee", args=[coachee.pk])).content.decode()
    else:
        browser.force_login(coachee.user)
        page = browser.get(reverse("progress:mine:home")).content.decode()

    assert ">0/0<" not in page
    assert ">–</text>" in page
    assert ">1/1</text>" in page and ">0/1</text>" in page
    assert BAR_LABEL.findall(page) == ["18", "25", "15:00"]
    for label in ("Wed 18 Feb 2026", "Wed 25 Feb 2026, 09:00", "Wed 25 Feb 2026, 15:00"):
        assert f'<th scope="row">{label}</th>' in page
