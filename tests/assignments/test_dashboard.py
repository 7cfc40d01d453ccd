"""The coach's dashboard: first steps, work to read, the next sessions, homework that needs a session and
coachees gone quiet, a few rows each with a link to the full list; and those lists, which page."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assignments.services import assignment_cancel, review_record
from tests.assignments.conftest import NOW, days
from tests.factories import (
    AssignmentFactory,
    CoacheeFactory,
    CoachingSessionFactory,
    GoalFactory,
    SubmissionFactory,
    UserFactory,
)

URL = reverse("homework:dashboard")
TO_READ = reverse("homework:to_read")
SESSIONS = reverse("homework:upcoming_sessions")
NEEDING = reverse("homework:needing_a_session")
QUIET = reverse("homework:gone_quiet")


def section(page: str, heading_id: str) -> str:
    """The HTML of one dashboard section, from its heading to the end of its list."""
    match = re.search(rf'id="{heading_id}".*?</ul>', page, re.DOTALL)
    assert match, heading_id
    return match.group(0)


def test_a_new_coach_is_told_what_to_do_first(client, db):
    client.force_login(UserFactory())
    page = client.get(URL).content.decode()
    assert "Add a coachee" in page
    assert "Schedule a session" in page
    assert "Assign homework from the library" in page
    assert reverse("coaching:coachee_create") in page
    assert reverse("homework:library") in page
    assert "To read" not in page


def test_getting_started_points_at_the_next_step_until_everything_is_done(coach_client, coach, coachee):
    page = coach_client.get(URL).content.decode()
    assert reverse("coaching:session_create", args=[coachee.pk]) in page
    assert reverse("homework:assign", args=[coachee.pk]) in page

    CoachingSessionFactory(coachee=coachee, starts_at=days(3))
    AssignmentFactory(coachee=coachee)
    page = coach_client.get(URL).content.decode()
    assert "getting-started" not in page


def test_upcoming_sessions_in_the_coachs_time_zone_with_homework_counts(coach_client, coachee, other_coachee):
    session = CoachingSessionFactory(coachee=coachee, starts_at=days(2, hour=14))
    AssignmentFactory.create_batch(2, coachee=coachee, assigned_at=NOW - timedelta(hours=1))
    reviewed = AssignmentFactory(coachee=coachee, assigned_at=NOW - timedelta(days=20))
    earlier = CoachingSessionFactory(coachee=coachee, starts_at=days(-5))
    review_record(assignment=reviewed, session=earlier, outcome="done", next_step="close")
    assignment_cancel(assignment=AssignmentFactory(coachee=coachee, assigned_at=NOW - timedelta(hours=2)))
    CoachingSessionFactory(coachee=other_coachee, starts_at=days(1))

    upcoming = section(coach_client.get(URL).content.decode(), "upcoming-title")
    assert reverse("homework:session_detail", args=[session.pk]) in upcoming
    assert "Wed 14 Jan, 15:00" in upcoming  # 14:00 UTC is 15:00 in Berlin
    assert "2 homework to review" in upcoming
    assert other_coachee.name not in upcoming


def test_the_next_sessions_are_the_next_two_weeks_at_most_eight_with_a_link_to_all(coach_client, coachee):
    CoachingSessionFactory(coachee=coachee, starts_at=days(15))
    CoachingSessionFactory(coachee=coachee, starts_at=days(-1))
    CoachingSessionFactory(coachee=coachee, starts_at=days(1), status="cancelled")
    assert "No sessions in the next two weeks" in coach_client.get(URL).content.decode()

    for n in range(12):
        CoachingSessionFactory(coachee=coachee, starts_at=days(1 + n))
    upcoming = section(coach_client.get(URL).content.decode(), "upcoming-title")
    assert upcoming.count('class="upcoming-session"') == 8
    assert f'href="{SESSIONS}">See all (13)</a>' in upcoming  # the one in 15 days too; not the past or cancelled


def test_to_read_lists_handed_in_work_waiting_for_feedback_newest_first(coach, coach_client, coachee):
    older = AssignmentFactory(coachee=coachee, title="Older work", status="submitted", submitted_at=days(-3))
    newer = AssignmentFactory(coachee=coachee, title="Newer work", status="submitted", submitted_at=days(-1))
    SubmissionFactory(assignment=older, fit_rating=4)
    read = AssignmentFactory(coachee=coachee, title="Feedback given", status="submitted", submitted_at=days(-2))
    SubmissionFactory(assignment=read, feedback="Well observed.")
    AssignmentFactory(coachee=coachee, title="Reviewed work", status="reviewed", submitted_at=days(-2))
    AssignmentFactory(coachee=coachee, title="Still to do")
    archived = CoacheeFactory(coach=coach, archived_at=NOW)
    AssignmentFactory(coachee=archived, title="Of an archived coachee", status="submitted", submitted_at=days(-1))

    to_read = section(coach_client.get(URL).content.decode(), "to-read-title")
    assert to_read.index(newer.title) < to_read.index(older.title)
    assert "fit 4/5" in to_read
    assert reverse("homework:assignment_detail", args=[older.pk]) + "#work" in to_read
    for hidden in ("Feedback given", "Reviewed work", "Still to do", "Of an archived coachee"):
        assert hidden not in to_read
    assert f'href="{TO_READ}">See all (2)</a>' in to_read


def test_the_full_lists_page_and_show_only_the_coachs_own(coach, coach_client, coachee, other_coachee):
    for n in range(30):
        AssignmentFactory(
            coachee=coachee, title=f"Work {n:02}", status="submitted", submitted_at=NOW - timedelta(hours=1 + n)
        )
    AssignmentFactory(coachee=other_coachee, title="Someone else's", status="submitted", submitted_at=days(-1))

    first = coach_client.get(TO_READ).content.decode()
    second = coach_client.get(TO_READ, {"page": 2}).content.decode()
    assert first.count('class="to-read-row"') == 25 and second.count('class="to-read-row"') == 5
    assert "Work 00" in first and "Work 29" in second
    assert "30 pieces of work handed in wait for your feedback" in first
    assert "Someone else's" not in first + second


def test_the_needs_a_session_list_and_the_gone_quiet_list(coach_client, coachee):
    AssignmentFactory(coachee=coachee, title="Notice your yes", assigned_at=days(-10))
    needing = coach_client.get(NEEDING).content.decode()
    assert "Notice your yes" in needing
    assert reverse("coaching:session_create", args=[coachee.pk]) in needing
    quiet = coach_client.get(QUIET).content.decode()
    assert 'class="glance-row is-quiet"' in quiet and coachee.name in quiet

    CoachingSessionFactory(coachee=coachee, starts_at=days(3))
    assert "Notice your yes" not in coach_client.get(NEEDING).content.decode()


def test_another_coachs_data_never_shows(client, other_coach, coachee):
    CoachingSessionFactory(coachee=coachee, starts_at=days(1))
    AssignmentFactory(coachee=coachee, title="Private homework")
    client.force_login(other_coach)
    page = client.get(URL).content.decode()
    assert coachee.name not in page
    assert "Private homework" not in page


def build_practice(coach, size: int) -> None:
    """`size` coachees, each with sessions before and after now and homework in every state."""
    for _ in range(size):
        coachee = CoacheeFactory(coach=coach)
        goal = GoalFactory(coachee=coachee)
        past = CoachingSessionFactory(coachee=coachee, starts_at=days(-7))
        CoachingSessionFactory(coachee=coachee, starts_at=days(3))
        CoachingSessionFactory(coachee=coachee, starts_at=days(10))
        AssignmentFactory(coachee=coachee, goal=goal, assigned_at=days(-10))
        AssignmentFactory(coachee=coachee, assigned_at=days(-3), status="submitted", submitted_at=days(-1))
        reviewed = AssignmentFactory(coachee=coachee, assigned_at=days(-14))
        review_record(assignment=reviewed, session=past, outcome="partly", next_step="carry_over")


# Session, user and second-factor check; first steps; session figures and rows; to read (rows, total);
# needs a session (rows, total); gone quiet (rows, total, their figures, engagement); deletion requests.
QUERY_BOUND = 13
ROWS = 8


@pytest.mark.parametrize("size", [1, 10])
def test_query_count_does_not_grow_with_the_data(size, coach, coach_client, django_assert_max_num_queries):
    build_practice(coach, size)
    with django_assert_max_num_queries(QUERY_BOUND):
        response = coach_client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('class="upcoming-session"') == min(2 * size, ROWS)
    assert page.count('class="to-read-row"') == min(size, ROWS)


def build_busy_practice(coach, size: int) -> None:
    """`size` coachees with work to read, a session ahead, homework due after it (so it needs
    another session), and nothing done for ten days (gone quiet)."""
    for n in range(size):
        coachee = CoacheeFactory(coach=coach, name=f"Coachee {n:03}")
        CoachingSessionFactory(coachee=coachee, starts_at=days(1 + n % 10))
        AssignmentFactory(coachee=coachee, assigned_at=days(-12), due_at=days(30))
        AssignmentFactory(coachee=coachee, assigned_at=days(-11), status="submitted", submitted_at=days(-9))


def test_a_busy_dashboard_shows_a_few_rows_per_section_and_the_totals(coach, coach_client):
    build_busy_practice(coach, 60)
    page = coach_client.get(URL).content.decode()

    # Counted as far as 50: beyond that the page says "50+" (the full list has the number).
    assert section(page, "to-read-title").count('class="to-read-row"') == ROWS
    assert f'href="{TO_READ}">See all (50+)</a>' in page
    assert section(page, "upcoming-title").count('class="upcoming-session"') == ROWS
    assert f'href="{SESSIONS}">See all (50+)</a>' in page
    assert page.count('class="needs-session-row"') == ROWS
    assert f'href="{NEEDING}">See all (50+)</a>' in page
    assert section(page, "quiet-title").count('class="glance-row is-quiet"') == ROWS
    assert f'href="{QUIET}">See all (50+)</a>' in page
    needs = section(page, "glance-title")
    for url, words in [
        (TO_READ, "submissions to read"),
        (NEEDING, "homework need a session"),
        (QUIET, "coachees gone quiet"),
    ]:
        assert re.search(rf'href="{url}">.*?<strong>50\+</strong> {words}', needs), words
    assert "See all (60)" not in page


def test_counts_up_to_the_cap_are_exact(coach, coach_client):
    build_busy_practice(coach, 50)
    page = coach_client.get(URL).content.decode()

    for url in (TO_READ, SESSIONS, NEEDING, QUIET):
        assert f'href="{url}">See all (50)</a>' in page
    assert "50+" not in page


def test_the_dashboard_costs_the_same_at_ten_times_the_size(coach, coach_client):
    """Equal query counts and bounded rows at 6 and 60 coachees with something in every section."""
    counts, rows = [], []
    for size in (6, 54):
        build_busy_practice(coach, size)
        with CaptureQueriesContext(connection) as captured:
            page = coach_client.get(URL).content.decode()
        counts.append(len(captured.captured_queries))
        rows.append(
            sum(
                page.count(f'class="{row}')
                for row in ("to-read-row", "upcoming-session", "needs-session-row", "glance-row")
            )
        )
    assert counts[0] == counts[1]
    assert rows == [4 * 6, 4 * ROWS]


def test_the_dashboard_shows_only_what_asks_for_something(coach, coach_client, coachee):
    """A coachee with nothing to read, no session this week and nothing overdue: no empty sections,
    an all-clear instead of a row of zeros."""
    page = coach_client.get(URL).content.decode()

    assert "Nothing needs you right now" in page
    for heading in ("to-read-title", "needs-session-title", "quiet-title"):
        assert f'id="{heading}"' not in page
    assert "<strong>0</strong>" not in page


@pytest.mark.parametrize(
    ("url", "row"),
    [(TO_READ, "to-read-row"), (SESSIONS, "upcoming-session"), (NEEDING, "needs-session-row"), (QUIET, "glance-row")],
)
@pytest.mark.parametrize("size", [3, 30])
def test_the_full_lists_cost_a_page_however_long(url, row, size, coach, coach_client, django_assert_max_num_queries):
    build_busy_practice(coach, size)
    # Session, user and second-factor check; the total and the page; a page of glances adds its
    # figures and their engagement.
    with django_assert_max_num_queries(7):
        page = coach_client.get(url).content.decode()
    assert page.count(f'class="{row}') == min(size, 25)
