"""Check-in reminders: for daily or weekly practice, at the coachee's chosen local time, once a day,
only while the practice waits for an entry; off until the coachee switches them on."""

from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

from assignments.models import Cadence
from assignments.models import Kind as HomeworkKind
from assignments.reminders.models import Kind, MailPreferences, PracticeSettings, Reminder
from assignments.reminders.timing import at_local
from assignments.services import log_entry_add
from tests.factories import AssignmentFactory

from .conftest import NOW, local, walk


def practice(coachee, cadence=Cadence.DAILY, **fields):
    return AssignmentFactory(
        coachee=coachee, kind=HomeworkKind.BEHAVIOURAL, cadence=cadence, questions=[], assigned_at=NOW, **fields
    )


def checkins(sent):
    return [s for s in sent if s.kind == Kind.CHECKIN]


def test_off_unless_the_coachee_asks_for_them(coachee, clock):
    practice(coachee)

    assert checkins(walk(clock, NOW + timedelta(days=2), step=timedelta(hours=1))) == []


def test_daily_at_the_chosen_time_unless_already_logged(coachee, clock):
    MailPreferences.objects.create(coachee=coachee, checkin=True, checkin_time=time(19, 30))
    homework = practice(coachee, title="Say no once a day")
    clock.move_to(NOW + timedelta(days=1))  # Tuesday 10:00: the coachee logs today
    log_entry_add(assignment=homework, day=date(2026, 1, 13), did_it=True)

    sent = checkins(walk(clock, NOW + timedelta(days=3, hours=12), step=timedelta(minutes=30)))

    assert [local(s.at, "Europe/Berlin").strftime("%a %H:%M") for s in sent] == ["Wed 19:30", "Thu 19:30"]
    assert "Say no once a day" in sent[0].message.body


def test_the_check_in_time_holds_across_the_spring_change(coachee, clock):
    berlin = ZoneInfo("Europe/Berlin")
    MailPreferences.objects.create(coachee=coachee, checkin=True, checkin_time=time(19))
    clock.move_to(at_local(date(2026, 3, 27), time(9), berlin))
    AssignmentFactory(
        coachee=coachee, kind=HomeworkKind.OBSERVATION, cadence=Cadence.DAILY, questions=[], assigned_at=clock.now
    )

    sent = checkins(walk(clock, at_local(date(2026, 3, 31), time(9), berlin), step=timedelta(minutes=30)))

    assert [local(s.at, "Europe/Berlin").strftime("%a %d %H:%M") for s in sent] == [
        "Fri 27 19:00",
        "Sat 28 19:00",
        "Sun 29 19:00",
        "Mon 30 19:00",
    ]
    assert Reminder.objects.filter(kind=Kind.CHECKIN).count() == 4


def test_weekly_practice_on_its_weekday_if_nothing_was_logged_that_week(coachee, clock):
    MailPreferences.objects.create(coachee=coachee, checkin=True, checkin_time=time(18))
    homework = practice(coachee, cadence=Cadence.WEEKLY)  # assigned on a Monday
    clock.move_to(NOW + timedelta(days=9))  # Wednesday of the second week: logged
    log_entry_add(assignment=homework, day=date(2026, 1, 21), did_it=True)

    sent = checkins(walk(clock, NOW + timedelta(days=22), step=timedelta(hours=1)))

    # Monday 19 was before the entry; Monday 26 is within a week of it; Monday 2 February is not.
    assert [local(s.at, "Europe/Berlin").strftime("%a %d") for s in sent] == ["Mon 02"]


def test_the_coach_can_turn_check_ins_off(coach, coachee, clock):
    PracticeSettings.objects.create(coach=coach, checkin=False)
    MailPreferences.objects.create(coachee=coachee, checkin=True)
    practice(coachee)

    assert checkins(walk(clock, NOW + timedelta(days=2), step=timedelta(hours=1))) == []


def test_no_check_in_for_closed_practice_or_other_homework(coachee, clock):
    MailPreferences.objects.create(coachee=coachee, checkin=True)
    practice(coachee, status="reviewed")
    AssignmentFactory(coachee=coachee, assigned_at=NOW)  # a reflection

    assert checkins(walk(clock, NOW + timedelta(days=2), step=timedelta(hours=1))) == []
