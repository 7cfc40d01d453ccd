"""The numbers behind every chart and figure, on the history of conftest.build_history, against a
hand count."""

from datetime import timedelta

from assignments.models import Kind
from assignments.progress import stats
from tests.factories import (
    AssignmentFactory,
    CoacheeFactory,
    CoachingSessionFactory,
    LogEntryFactory,
    SubmissionFactory,
)

from .conftest import NOW, TODAY, day, days


def test_completion_over_sessions_counts_due_and_handed_in_homework_per_session(coachee, history):
    rows = stats.completion_over_sessions(coachee, NOW)
    s = history.sessions
    # S1: A1 (handed in) and A2 due; S2: A2 carried over; S4: A3 (handed in before); S5: A3, A4 and A9
    # (handed in the day after S5).
    # The cancelled session and the one to come are not counted; A5 (cancelled) and A6-A8 (given later) never.
    assert [(r.session_id, r.due, r.completed) for r in rows] == [
        (s["S1"].pk, 2, 1),
        (s["S2"].pk, 1, 0),
        (s["S4"].pk, 1, 1),
        (s["S5"].pk, 3, 1),
    ]


def test_engagement_sums_the_last_sessions(coachee, history):
    engagement = stats.engagement_of(stats.completion_over_sessions(coachee, NOW))
    assert (engagement.sessions, engagement.due, engagement.completed, engagement.percent) == (4, 7, 3, 43)
    last_two = stats.engagement_of(stats.completion_over_sessions(coachee, NOW), sessions=2)
    assert (last_two.due, last_two.completed) == (4, 2)  # S4: 1 of 1, S5: 1 of 3


def test_engagement_by_coachee_takes_only_the_last_five_sessions(coach, coachee, history):
    """Seven sessions, each with one homework due and closed there; handed in for the first three
    only. Over the last five: 1 of 5."""
    steady = CoacheeFactory(coach=coach)
    for n in range(7):
        start = days(-7 * (7 - n))
        session = CoachingSessionFactory(coachee=steady, starts_at=start)
        work = AssignmentFactory(coachee=steady, assigned_at=start - timedelta(days=2))
        if n < 3:
            work.submitted_at, work.status = start - timedelta(days=1), "submitted"
        work.reviewed_session, work.status = session, "reviewed"
        work.save()
    by_coachee = stats.engagement_by_coachee(coach.coachees.all(), NOW)
    assert by_coachee[steady.pk] == stats.Engagement(sessions=5, due=5, completed=1)
    assert by_coachee[coachee.pk] == stats.engagement_of(stats.completion_over_sessions(coachee, NOW))


def test_practice_summary_counts_days_streaks_and_check_ins(coachee, history):
    practice = stats.practice_summary(coachee)
    assert practice.today == TODAY
    # Done check-ins on days 0, -1, -2 (three that day), -4, -13, -14 and -40; day -3 was "did not".
    assert (practice.practised_recent, practice.recent_days) == (5, 14)  # 0, -1, -2, -4, -13
    assert practice.current_streak == 3
    assert practice.practised_in_window == 7
    assert practice.check_ins_in_window == 9
    assert practice.longest_streak_in_window == 3
    # Whole weeks from a Monday: 11 earlier weeks and this one up to Wednesday.
    assert practice.days[0].day.weekday() == 0
    assert practice.days[0].day == TODAY - timedelta(days=2 + 77)
    assert practice.days[-1].day == TODAY
    by_day = {d.day: d.check_ins for d in practice.days}
    assert by_day[day(-2)] == 3
    assert by_day[day(-3)] == 0
    assert sum(by_day.values()) == 9


def test_the_streak_waits_for_todays_check_in(coachee, history, frozen_clock):
    frozen_clock.move_to(NOW + timedelta(days=1))  # Thursday: nothing logged yet today
    assert stats.practice_summary(coachee).current_streak == 3


def test_other_coachees_check_ins_do_not_count(coachee, other_coachee, history):
    LogEntryFactory(assignment__coachee=other_coachee, day=day(-5))
    assert stats.practice_summary(coachee).practised_recent == 5


def test_mood_over_time_averages_a_day_and_leaves_out_older_entries(coachee, history):
    mood = stats.mood_over_time(coachee)
    assert [(p.day, p.mood) for p in mood.points] == [(day(-3), 4.0), (day(-1), 3.5)]
    assert mood.average == 3.8  # (4.0 + 3.5) / 2 = 3.75
    assert mood.latest.mood == 3.5


def test_kinds_summary_counts_and_ranks_by_fit(coachee, history):
    kinds = {k.kind: k for k in stats.kinds_summary(coachee)}
    assert [k.kind for k in stats.kinds_summary(coachee)] == [
        Kind.REFLECTION,  # fit 3.0 (4, 2 and 3), the only rated kind
        Kind.BEHAVIOURAL,  # 0 % handed in
        Kind.OBSERVATION,  # nothing finished yet, kind order
        Kind.CREATIVE,
    ]
    reflection = kinds[Kind.REFLECTION]
    assert (reflection.given, reflection.in_progress, reflection.handed_in, reflection.percent) == (3, 0, 3, 100)
    assert (reflection.average_fit, reflection.ratings) == (3.0, 3)
    behavioural = kinds[Kind.BEHAVIOURAL]
    # A4's draft rating of 5 is the coachee's own until handed in.
    assert (behavioural.given, behavioural.in_progress, behavioural.handed_in, behavioural.percent) == (2, 1, 0, 0)
    assert (behavioural.average_fit, behavioural.ratings) == (None, 0)
    creative = kinds[Kind.CREATIVE]  # A5 is cancelled
    assert (creative.given, creative.in_progress, creative.percent) == (2, 2, None)


def test_goals_with_the_homework_that_served_them(coachee, history):
    goals = stats.goals_with_homework(coachee)
    first, second = goals
    assert [a.pk for a in first.served] == [history.homework["A1"].pk, history.homework["A3"].pk]
    assert first.handed_in == 2
    assert second.served == [] and second.handed_in == 0


# --- The dashboard ------------------------------------------------------------------------------


def test_coachees_at_a_glance(coach, coachee, history):
    glance = {g.coachee.pk: g for g in stats.coachees_at_a_glance(coach.coachees.active(), NOW)}[coachee.pk]
    assert glance.unreviewed == 2  # A3, A9
    assert glance.to_do == 4  # A4, A6, A7, A8
    assert glance.oldest_to_do_at == days(-10)
    assert glance.last_activity == NOW  # today's check-ins
    assert not glance.quiet
    assert glance.engagement == stats.Engagement(4, 7, 3)


def test_who_has_gone_quiet(coach):
    def coachee_with_homework(name, assigned_days_ago, **work):
        person = CoacheeFactory(coach=coach, name=name)
        AssignmentFactory(coachee=person, assigned_at=days(-assigned_days_ago), **work)
        return person

    coachee_with_homework("Never started", 10)
    stalled = coachee_with_homework("Stalled", 10, status="started")
    LogEntryFactory(assignment__coachee=stalled, day=day(-8), created_at=days(-8))
    coachee_with_homework("Just given", 3)
    drafting = coachee_with_homework("Drafting", 10, status="started")
    SubmissionFactory(assignment=drafting.assignments.get(), draft_saved_at=days(-2))
    coachee_with_homework("All handed in", 10, status="submitted", submitted_at=days(-9))
    coachee_with_homework("Archived", 10).__class__.objects.filter(name="Archived").update(archived_at=NOW)

    glances = stats.coachees_at_a_glance(coach.coachees.active(), NOW)
    assert [(g.coachee.name, g.quiet) for g in glances] == [
        ("Never started", True),
        ("Stalled", True),
        ("All handed in", False),
        ("Drafting", False),
        ("Just given", False),
    ]
    assert glances[1].days_since_activity == 8
    # The database's filter for gone quiet (dashboard counts and lists) agrees with `is_quiet`.
    quiet = stats.gone_quiet(coach.coachees.active(), NOW)
    assert set(quiet.values_list("name", flat=True)) == {"Never started", "Stalled"}
