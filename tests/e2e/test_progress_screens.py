"""Progress made visible, in a real browser: the coach's dashboard at a glance, the coach's progress
page of a coachee and the coachee's own progress page, at desktop and phone widths. The page fixture
fails the test on any console error, so a chart that broke the Content Security Policy would show.
Screenshots go to test-artifacts/screenshots/."""

import random
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assignments.models import Cadence, CreativeFormat, Kind, LogEntry
from tests.e2e.conftest import shoot
from tests.factories import (
    PASSWORD,
    AssignmentFactory,
    CoacheeFactory,
    CoacheeUserFactory,
    CoachingSessionFactory,
    GoalFactory,
    LogEntryFactory,
    SubmissionFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def build_practice():
    """A coach with two coachees: Mia with ten weeks of homework, check-ins and moods, and Tom, who has
    gone quiet."""
    chance = random.Random(5)
    now = timezone.now()
    today = timezone.localdate()
    coach = UserFactory(email="clara@example.com", name="Clara Coach")
    user = CoacheeUserFactory(email="mia@example.com", name="Mia Example")
    mia = CoacheeFactory(coach=coach, user=user, name="Mia Example", email=user.email)
    focus = GoalFactory(coachee=mia, title="Protect my focus time")
    GoalFactory(coachee=mia, title="Say no without guilt")
    kinds = [Kind.REFLECTION, Kind.BEHAVIOURAL, Kind.OBSERVATION, Kind.CREATIVE, Kind.PREPARATION]
    for week in range(10, 0, -1):
        session = CoachingSessionFactory(coachee=mia, starts_at=now - timedelta(days=7 * week), status="held")
        for n in range(chance.randint(1, 3)):
            kind = kinds[(week + n) % len(kinds)]
            work = AssignmentFactory(
                coachee=mia,
                kind=kind,
                goal=focus if n == 0 else None,
                title=f"{kind.label} of week {11 - week}",
                assigned_at=session.starts_at - timedelta(days=6),
                status="reviewed",
                reviewed_session=session,
            )
            if chance.random() < 0.7:
                work.submitted_at = session.starts_at - timedelta(days=1)
                work.save()
                SubmissionFactory(assignment=work, fit_rating=chance.randint(2, 5))
    # A session today by the coach's clock (Europe/Berlin), whenever the suite runs: later today, or
    # an hour ago when the day is nearly over.
    berlin = ZoneInfo("Europe/Berlin")
    later_today = now + timedelta(hours=2)
    if later_today.astimezone(berlin).date() != now.astimezone(berlin).date():
        later_today = now - timedelta(hours=1)
    CoachingSessionFactory(coachee=mia, starts_at=later_today)
    CoachingSessionFactory(coachee=mia, starts_at=now + timedelta(days=7))
    practice = AssignmentFactory(
        coachee=mia,
        kind=Kind.BEHAVIOURAL,
        cadence=Cadence.DAILY,
        questions=[],
        title="Two focus hours a day",
        goal=focus,
        assigned_at=now - timedelta(days=80),
        status="started",
    )
    journal = AssignmentFactory(
        coachee=mia,
        kind=Kind.CREATIVE,
        creative_format=CreativeFormat.MOOD_JOURNAL,
        questions=[],
        title="Mood journal",
        assigned_at=now - timedelta(days=80),
        status="started",
    )
    for back in range(80):
        day = today - timedelta(days=back)
        if chance.random() < 0.65:
            LogEntryFactory(assignment=practice, day=day)
        if chance.random() < 0.45:
            LogEntryFactory(
                assignment=journal, type=LogEntry.Type.MOOD, day=day, did_it=None, mood=chance.randint(2, 5)
            )
    handed_in = AssignmentFactory(coachee=mia, title="What drains your focus", assigned_at=now - timedelta(days=5))
    handed_in.status, handed_in.submitted_at = "submitted", now - timedelta(days=1)
    handed_in.save()
    SubmissionFactory(assignment=handed_in, fit_rating=4)
    tom = CoacheeFactory(coach=coach, name="Tom Quiet")
    AssignmentFactory(coachee=tom, title="Notice your evenings", assigned_at=now - timedelta(days=12))
    CoachingSessionFactory(coachee=tom, starts_at=now + timedelta(days=2))
    return coach, mia


def log_in(page, email):
    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form:has(input[type=password]) [type=submit]").first.click()


# Each chart label's size as drawn, in CSS pixels: its font size times the scale of its chart.
DRAWN_LABEL_SIZES = """[...document.querySelectorAll('.chart-svg text')].map(
  text => parseFloat(getComputedStyle(text).fontSize) * text.ownerSVGElement.getScreenCTM().a)"""


def assert_labels_read_at_a_fixed_size(page):
    """Charts are drawn at their own size, not stretched to the card: a label is 12 px (13 px bold)
    on a wide screen and on a phone alike."""
    sizes = page.evaluate(DRAWN_LABEL_SIZES)
    assert sizes and min(sizes) >= 11.5 and max(sizes) <= 13.5, sorted({round(size, 1) for size in sizes})


def test_progress_screens(page, phone_page, live_server):
    coach, mia = build_practice()

    log_in(page, coach.email)
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    expect(page.get_by_text("coachee gone quiet")).to_be_visible()
    expect(page.locator(".glance-row.is-quiet")).to_contain_text("Tom Quiet")
    expect(page.locator(".card:has(#upcoming-title) .upcoming-group").first).to_have_text("Today")
    shoot(page, "progress-dashboard")

    page.get_by_role("link", name="Mia Example").first.click()  # her work to read: to her page
    page.get_by_role("link", name="Progress", exact=True).click()
    expect(page.get_by_role("heading", name="Progress of Mia Example")).to_be_visible()
    for name in ("Homework handed in, session by session", "Daily practice", "Mood over time"):
        expect(page.get_by_role("img", name=name)).to_be_visible()
    page.locator("#practice-title ~ details summary").click()
    expect(page.locator("#practice-title ~ details table")).to_be_visible()
    assert_labels_read_at_a_fixed_size(page)
    shoot(page, "progress-coach")

    log_in(phone_page, mia.user.email)
    phone_page.goto("/me/progress/")
    expect(phone_page.get_by_role("heading", name="My progress")).to_be_visible()
    expect(phone_page.locator(".progress-figure").first).to_contain_text("You practised")
    expect(phone_page.get_by_role("img", name="Your daily practice")).to_be_visible()
    # Nothing sticks out sideways on a phone.
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375
    assert_labels_read_at_a_fixed_size(phone_page)
    shoot(phone_page, "progress-coachee")
