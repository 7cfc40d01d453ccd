"""The cases of issue 8, as the coach and the coachee see them: every open homework stands on exactly
one upcoming agenda (or needs a session), is carried over only when a session it was due at went by
or the coach chose it, and a session marked held is past at once (DESIGN.md, "The review loop
invariant"). Case 4 (reminders) is in tests/reminders/test_session_moves_closer.py, case 6 (the
progress chart) in tests/progress/test_completion_chart_cases.py."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from assignments.models import Assignment
from assignments.progress import stats
from assignments.reminders.models import Kind
from assignments.services import review_record, session_hold, submission_submit
from sessions.models import SESSION_OVER_AFTER_END, CoachingSession
from tests.assignments.conftest import NOW, days
from tests.factories import AssignmentFactory, CoachingSessionFactory
from tests.reminders.conftest import deliver

DASHBOARD = reverse("homework:dashboard")
MY_HOME = reverse("my:home")


# --- What the pages show -------------------------------------------------------------------------


def text(html: str) -> str:
    """What a reader sees of some HTML: its text, with the whitespace of the template folded."""
    return " ".join(strip_tags(html).split())


def agenda_page(client, session) -> str:
    return client.get(reverse("homework:session_detail", args=[session.pk])).content.decode()


def agenda_items(page: str) -> dict[int, str]:
    """The items of an agenda page: assignment pk -> the text of its card."""
    cards = re.findall(
        r'<li class="card agenda-item" id="assignment-(\d+)">(.*?)</li><!-- /agenda-item -->', page, re.DOTALL
    )
    return {int(pk): text(card) for pk, card in cards}


def dashboard_line(page: str, session) -> str:
    """The text of a session's line under "Sessions today and in the next 14 days"."""
    url = reverse("homework:session_detail", args=[session.pk])
    match = re.search(rf'<li class="upcoming-session">\s*<a class="fw-semibold" href="{url}">.*?</li>', page, re.DOTALL)
    assert match, f"no dashboard line for the session of {session.starts_at}"
    return text(match.group(0))


def section(page: str, heading_id: str) -> str:
    """One card of a page, from its heading to the end of its card body."""
    match = re.search(rf'id="{heading_id}".*?</section>', page, re.DOTALL)
    assert match, heading_id
    return match.group(0)


def coachee_home(coachee) -> str:
    """The coachee's "my homework" page, in a browser of their own (the coach stays logged in)."""
    browser = Client()
    browser.force_login(coachee.user)
    return browser.get(MY_HOME).content.decode()


def my_item(page: str, assignment) -> str:
    """The text of one homework's card on "my homework"."""
    url = reverse("my:assignment", args=[assignment.pk])
    match = re.search(rf'<li class="card my-item[^"]*">(?:(?!</li>).)*?href="{url}".*?</li>', page, re.DOTALL)
    assert match, assignment.title
    return text(match.group(0))


def assign_on_the_page(client, coachee, title: str, **due) -> Assignment:
    """Assign homework through the assign page, as the coach does; due at the next session unless
    `due` says `due="date", due_date=...`."""
    data = {
        "kind": "behavioural",
        "title": title,
        "instructions": "Do it once a day.",
        "purpose": "",
        "approach": "",
        "review_plan": "",
        "questions": "",
        "cadence": "once",
        "due": "next_session",
        "due_date": "",
        **due,
    }
    response = client.post(reverse("homework:assign", args=[coachee.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    return Assignment.objects.get(title=title)


def review_on_the_page(client, session, assignment, outcome: str, next_step: str) -> None:
    url = reverse("homework:review", args=[session.pk, assignment.pk])
    response = client.post(url, {"outcome": outcome, "next_step": next_step, "coach_notes": "", "insights": ""})
    assert response.status_code == 302


def homework_handed_in(coachee, n: int, *, assigned_at, handed_in_at) -> list[Assignment]:
    homework = [
        AssignmentFactory(coachee=coachee, assigned_at=assigned_at, title=f"Reflect, part {i}") for i in range(n)
    ]
    for assignment in homework:
        submission_submit(assignment=assignment, answers=["I noticed it."], now=handed_in_at)
    return homework


# --- Case 1: no false carry-overs ----------------------------------------------------------------


@pytest.fixture
def two_sessions_ahead(coachee):
    """Wednesday 14 and Wednesday 21 January, 10:00 in Berlin."""
    return CoachingSessionFactory(coachee=coachee, starts_at=days(2)), CoachingSessionFactory(
        coachee=coachee, starts_at=days(9)
    )


def test_homework_due_at_the_next_session_stands_on_that_agenda_only_and_is_not_carried_over(
    coach_client, coachee, two_sessions_ahead
):
    first, second = two_sessions_ahead
    homework = [AssignmentFactory(coachee=coachee, title=title) for title in ("Notice your yes", "Say no once")]

    first_agenda = agenda_items(agenda_page(coach_client, first))
    second_page = agenda_page(coach_client, second)

    assert set(first_agenda) == {a.pk for a in homework}
    for card in first_agenda.values():
        assert "Carried over" not in card
        assert "went by without a review" not in card
    assert agenda_items(second_page) == {}
    assert "No homework is due for review at this session." in second_page


def test_the_dashboard_counts_each_homework_once(coach_client, coachee, two_sessions_ahead):
    first, second = two_sessions_ahead
    homework = [AssignmentFactory(coachee=coachee, title=title) for title in ("Notice your yes", "Say no once")]

    page = coach_client.get(DASHBOARD).content.decode()

    assert "2 homework to review" in dashboard_line(page, first)
    assert "no homework to review" in dashboard_line(page, second)
    assert page.count("2 homework to review") == 1
    assert "needs-session-title" not in page  # both have their session
    assert "carried over" not in page
    assert all(assignment.title not in page for assignment in homework)  # the agenda lists them


def test_the_coach_and_the_coachee_read_the_next_session_as_its_due_time_without_a_carry_over(
    coach_client, coachee, two_sessions_ahead
):
    homework = AssignmentFactory(coachee=coachee, title="Notice your yes")

    timeline = text(
        section(
            coach_client.get(reverse("homework:coachee_detail", args=[coachee.pk])).content.decode(), "timeline-title"
        )
    )
    mine = my_item(coachee_home(coachee), homework)

    assert "due at the next session (Wed 14 Jan 2026, 10:00)" in timeline
    assert "carried over" not in timeline
    assert "Due at the next session (Wed 14 Jan 2026, 10:00)" in mine
    assert "carried over" not in mine


def test_homework_is_carried_over_once_the_session_it_was_due_at_went_by_unreviewed(
    frozen_clock, coach_client, coachee, two_sessions_ahead
):
    first, second = two_sessions_ahead
    homework = AssignmentFactory(coachee=coachee, title="Notice your yes")
    frozen_clock.move_to(first.ends_at + SESSION_OVER_AFTER_END + timedelta(minutes=1))

    first_agenda = agenda_items(agenda_page(coach_client, first))
    second_agenda = agenda_items(agenda_page(coach_client, second))

    assert "Not reviewed here" in first_agenda[homework.pk]
    assert "Carried over to the session of Wed 21 Jan 2026, 10:00" in first_agenda[homework.pk]
    assert "Carried over" in second_agenda[homework.pk]
    assert "Session of 14 Jan: went by without a review, carried over" in second_agenda[homework.pk]


# --- Case 2: a session marked held is past at once -------------------------------------------------


def test_homework_given_after_marking_a_session_held_early_is_due_at_the_following_session(
    frozen_clock, client, coach, coachee
):
    """The session starts in 40 minutes; the coach reviews five handed-in homework (one carried
    over, one left for the "Mark as held" page), marks it held and gives new homework."""
    held = CoachingSessionFactory(coachee=coachee, starts_at=NOW + timedelta(minutes=40))  # 10:40 in Berlin
    following = CoachingSessionFactory(coachee=coachee, starts_at=days(7))  # Mon 19 Jan, 10:00
    homework = homework_handed_in(coachee, 5, assigned_at=days(-6), handed_in_at=days(-1))
    closed, carried, left = homework[:3], homework[3], homework[4]
    client.force_login(coach)
    for assignment in closed:
        review_on_the_page(client, held, assignment, "done", "close")
    review_on_the_page(client, held, carried, "partly", "carry_over")

    hold_url = reverse("homework:session_hold", args=[held.pk])
    decision = client.get(hold_url).content.decode()
    radios = re.findall(rf'<input[^>]*name="assignment_{left.pk}"[^>]*>', decision)
    assert [r for r in radios if 'value="carry_over"' in r and " checked" in r], radios
    assert re.findall(r'name="assignment_\d+"', decision) == [f'name="assignment_{left.pk}"'] * 2
    response = client.post(hold_url, {"decided": "1", f"assignment_{left.pk}": "carry_over"})
    assert response.status_code == 302
    held.refresh_from_db()
    assert held.is_held

    frozen_clock.move_to(NOW + timedelta(minutes=10))
    assign_form = client.get(reverse("homework:assign", args=[coachee.pk]) + "?blank=1").content.decode()
    assert "At the next session (Mon 19 Jan 2026, 10:00)" in assign_form
    new = assign_on_the_page(client, coachee, "Say no once a day")

    # The following session's agenda lists the new homework and both carried items, and only those.
    following_agenda = agenda_items(agenda_page(client, following))
    assert set(following_agenda) == {carried.pk, left.pk, new.pk}
    assert "Carried over" in following_agenda[carried.pk]
    assert "Carried over" in following_agenda[left.pk]
    assert "Carried over" not in following_agenda[new.pk]
    assert "Session of 12 Jan: Partly done · Carry it over to the next session" in following_agenda[carried.pk]
    assert "Session of 12 Jan: went by without a review, carried over" in following_agenda[left.pk]

    # The held session's agenda shows what was decided there, and nothing of the new homework.
    held_page = agenda_page(client, held)
    held_agenda = agenda_items(held_page)
    assert new.pk not in held_agenda
    assert reverse("homework:review", args=[held.pk, new.pk]) not in held_page
    assert set(held_agenda) == {a.pk for a in homework}
    assert "Reviewed here" in held_agenda[carried.pk]
    assert "Not reviewed here" in held_agenda[left.pk]
    assert "Carried over to the session of Mon 19 Jan 2026, 10:00" in held_agenda[left.pk]

    # The coachee's next session is the following one, and their homework is due there.
    home = coachee_home(coachee)
    banner = text(section(home, "next-session-title"))
    assert "Monday 19 January, 10:00" in banner
    assert "10:40" not in banner
    assert "Due at the next session (Mon 19 Jan 2026, 10:00)" in my_item(home, new)
    assert "to talk about at the next session (Mon 19 Jan 2026, 10:00), carried over" in my_item(home, carried)

    # The "New homework" mail gives the following session's time.
    [mail] = [s for s in deliver(timezone.now()) if s.kind == Kind.NEW_ASSIGNMENT]
    assert mail.reminder.assignment == new
    assert "Due: Monday 19 January, 10:00" in mail.message.body
    assert "12 January" not in mail.message.body

    # Progress: the held session counts the five homework due there, all handed in.
    [row] = stats.completion_over_sessions(coachee, NOW + timedelta(minutes=10))
    assert (row.session_id, row.due, row.completed) == (held.pk, 5, 5)
    progress = client.get(reverse("progress:coachee", args=[coachee.pk])).content.decode()
    assert ">5/5</text>" in progress
    assert "5/6" not in progress


# --- Case 3: dated homework stands on the first agenda after its date ---------------------------------


@pytest.fixture
def thursday_and_monday(coachee):
    """Thursday 15 and Monday 19 January, 10:00 in Berlin."""
    return CoachingSessionFactory(coachee=coachee, starts_at=days(3)), CoachingSessionFactory(
        coachee=coachee, starts_at=days(7)
    )


def test_homework_due_between_two_sessions_stands_only_on_the_later_agenda(
    frozen_clock, coach_client, coachee, thursday_and_monday
):
    thursday, monday = thursday_and_monday
    dated = assign_on_the_page(coach_client, coachee, "Write the letter", due="date", due_date="2026-01-17")

    thursday_page = agenda_page(coach_client, thursday)
    monday_agenda = agenda_items(agenda_page(coach_client, monday))

    assert dated.pk not in agenda_items(thursday_page)
    assert "Later: 1 homework due at the session of Mon 19 Jan 2026 or after" in text(thursday_page)
    assert set(monday_agenda) == {dated.pk}
    assert "Carried over" not in monday_agenda[dated.pk]
    assert "due Sat 17 Jan 2026, 23:59" in monday_agenda[dated.pk]

    # Thursday's session is held: the homework was not due there, so it is not carried over.
    frozen_clock.move_to(thursday.starts_at + timedelta(minutes=30))
    session_hold(session=thursday)
    frozen_clock.move_to(thursday.starts_at + timedelta(days=1))

    assert dated.pk not in agenda_items(agenda_page(coach_client, thursday))
    monday_agenda = agenda_items(agenda_page(coach_client, monday))
    assert "Carried over" not in monday_agenda[dated.pk]
    assert "due Sat 17 Jan 2026, 23:59" in monday_agenda[dated.pk]


def test_homework_due_after_the_last_session_stands_on_no_agenda_and_needs_a_session(
    coach_client, coachee, thursday_and_monday
):
    dated = assign_on_the_page(coach_client, coachee, "Write the letter", due="date", due_date="2026-01-24")

    for session in thursday_and_monday:
        assert dated.pk not in agenda_items(agenda_page(coach_client, session))
    needing = text(section(coach_client.get(DASHBOARD).content.decode(), "needs-session-title"))
    assert "Write the letter · due Sat 24 Jan 2026, 23:59" in needing
    assert "Write the letter" in text(
        section(
            coach_client.get(reverse("homework:coachee_detail", args=[coachee.pk])).content.decode(),
            "needs-session-title",
        )
    )
    assert "Due Sat 24 Jan 2026, 23:59" in my_item(coachee_home(coachee), dated)


# --- Needs a session ------------------------------------------------------------------------------


def test_homework_with_no_session_ahead_is_listed_for_the_coach_with_a_way_to_schedule_one(coach_client, coachee):
    homework = AssignmentFactory(coachee=coachee, title="Notice your yes")
    schedule = reverse("coaching:session_create", args=[coachee.pk])

    dashboard = section(coach_client.get(DASHBOARD).content.decode(), "needs-session-title")
    coachee_page = section(
        coach_client.get(reverse("homework:coachee_detail", args=[coachee.pk])).content.decode(), "needs-session-title"
    )

    assert "Homework that needs a session" in dashboard
    assert "Cody Coachee · Schedule a session" in text(dashboard)
    assert f'href="{schedule}">Schedule a session</a>' in dashboard
    assert "Notice your yes · due at the next session (none scheduled yet)" in text(dashboard)
    assert "1 homework has no session ahead to be reviewed at." in text(coachee_page)
    assert reverse("homework:assignment_detail", args=[homework.pk]) in coachee_page
    assert f'href="{schedule}">Schedule a session</a>' in coachee_page


def test_the_coachee_reads_when_homework_with_no_session_ahead_is_due(coachee):
    undated = AssignmentFactory(coachee=coachee, title="Notice your yes")
    dated = AssignmentFactory(coachee=coachee, title="Write the letter", due_at=days(5, hour=22))

    home = coachee_home(coachee)

    assert "Due at the next session (none scheduled yet)" in my_item(home, undated)
    assert "Due Sat 17 Jan 2026, 23:00" in my_item(home, dated)
    assert "No session is scheduled yet. Your coach will set one up." in home


def test_homework_left_open_at_the_last_session_needs_a_session_and_says_so_on_its_agenda(
    frozen_clock, coach_client, coachee
):
    last = CoachingSessionFactory(coachee=coachee, starts_at=NOW - timedelta(minutes=30))
    homework = AssignmentFactory(coachee=coachee, assigned_at=days(-6), title="Notice your yes")
    session_hold(session=last)

    card = agenda_items(agenda_page(coach_client, last))[homework.pk]
    dashboard = text(section(coach_client.get(DASHBOARD).content.decode(), "needs-session-title"))

    assert "Carried over, but no session lies ahead: schedule a session" in card
    assert "Notice your yes" in dashboard
    assert "Due at the next session (none scheduled yet)" in my_item(coachee_home(coachee), homework)


# --- Case 5: a held session stays held ----------------------------------------------------------


@pytest.fixture
def held_after_reviews(coachee):
    """A session that began half an hour ago: five homework reviewed there (the last carried over),
    then marked held; the following session is next Monday."""
    held = CoachingSessionFactory(coachee=coachee, starts_at=NOW - timedelta(minutes=30))
    following = CoachingSessionFactory(coachee=coachee, starts_at=days(7))
    homework = homework_handed_in(coachee, 5, assigned_at=days(-6), handed_in_at=days(-1))
    for assignment in homework[:4]:
        review_record(assignment=assignment, session=held, outcome="done", next_step="close")
    review_record(assignment=homework[4], session=held, outcome="partly", next_step="carry_over")
    return held, following, homework


def test_a_held_session_offers_no_cancelling_and_refuses_it_keeping_what_was_carried_over(
    client, coach, held_after_reviews
):
    held, following, homework = held_after_reviews
    carried = homework[4]
    client.force_login(coach)
    response = client.post(reverse("homework:session_hold", args=[held.pk]))
    assert response.status_code == 302

    page = agenda_page(client, held)
    assert reverse("coaching:session_cancel", args=[held.pk]) not in page
    assert "Cancel session" not in page

    response = client.post(reverse("coaching:session_cancel", args=[held.pk]))
    after = client.get(response["Location"]).content.decode()

    held.refresh_from_db()
    assert held.status == CoachingSession.Status.HELD
    assert "was held, so it cannot be cancelled: what was reviewed there stays." in after
    assert carried.reviews.filter(session=held).exists()
    assert "Reviewed here" in agenda_items(agenda_page(client, held))[carried.pk]
    following_agenda = agenda_items(agenda_page(client, following))
    assert set(following_agenda) == {carried.pk}
    assert "Carried over" in following_agenda[carried.pk]


def test_a_held_session_where_everything_was_reviewed_says_so_on_the_dashboard(client, coach, held_after_reviews):
    held, following, _homework = held_after_reviews
    client.force_login(coach)
    client.post(reverse("homework:session_hold", args=[held.pk]))

    page = client.get(DASHBOARD).content.decode()

    assert "held · all homework reviewed" in dashboard_line(page, held)
    assert "to review" not in dashboard_line(page, held)
    assert "5 homework to review" not in page
    assert "1 homework to review" in dashboard_line(page, following)
