"""Nothing is sent in the recipient's quiet hours, in any time zone; what falls into them waits."""

from datetime import time, timedelta
from zoneinfo import ZoneInfo

from assignments.models import Cadence
from assignments.models import Kind as HomeworkKind
from assignments.reminders.models import CoacheeSettings, Kind, MailPreferences
from assignments.reminders.timing import QuietHours
from assignments.services import feedback_give, submission_submit
from tests.factories import AssignmentFactory, CoacheeFactory, CoacheeUserFactory, CoachingSessionFactory

from .conftest import NOW, local, walk

DEFAULT_QUIET = QuietHours(time(21), time(8))


def test_a_week_of_reminders_across_zones_never_sends_in_quiet_hours(coach, clock):
    zones = ["Europe/Berlin", "America/New_York", "Asia/Tokyo", "Australia/Sydney"]
    for index, zone in enumerate(zones):
        coachee = CoacheeFactory(coach=coach, user=CoacheeUserFactory(timezone=zone))
        MailPreferences.objects.create(coachee=coachee, checkin=True, checkin_time=time(20))
        CoachingSessionFactory(coachee=coachee, starts_at=NOW + timedelta(days=3 + index, hours=3 * index))
        for hours in (0, 5, 11, 17):
            AssignmentFactory(coachee=coachee, assigned_at=NOW + timedelta(hours=hours))
        AssignmentFactory(coachee=coachee, assigned_at=NOW + timedelta(hours=2), agreement="proposed")
        AssignmentFactory(
            coachee=coachee,
            kind=HomeworkKind.BEHAVIOURAL,
            cadence=Cadence.DAILY,
            questions=[],
            assigned_at=NOW,
            due_at=NOW + timedelta(days=6, hours=index * 5),
        )
    submitted = AssignmentFactory(coachee=coachee, assigned_at=NOW)

    sent = walk(clock, NOW + timedelta(hours=20), step=timedelta(hours=1))
    submission_submit(assignment=submitted, answers=["Done"])
    feedback_give(assignment=submitted, feedback="Thanks")
    sent += walk(clock, NOW + timedelta(days=8), step=timedelta(hours=1))

    assert {s.kind for s in sent} == set(Kind.values) - {Kind.SUBMISSION_DIGEST}
    for mail in sent:
        zone = ZoneInfo(mail.reminder.recipient.timezone)
        assert not DEFAULT_QUIET.contains(mail.at, zone), (mail.kind, local(mail.at, str(zone)))


def test_a_coachees_own_quiet_hours_apply_to_their_mails(coachee, next_session, clock):
    CoacheeSettings.objects.create(coachee=coachee, quiet_start=time(9), quiet_end=time(12))

    AssignmentFactory(coachee=coachee, assigned_at=NOW)  # 10:00 in Berlin, in their quiet hours
    [sent] = walk(clock, NOW + timedelta(hours=3), step=timedelta(minutes=30))

    assert local(sent.at, "Europe/Berlin").strftime("%H:%M") == "12:00"
