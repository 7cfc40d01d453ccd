"""A coach runs the whole homework loop in a real browser: sign up, add a coachee with a goal,
schedule two sessions, assign one homework of each kind (one from the library), open the next
session's agenda and record the reviews. Screenshots go to test-artifacts/screenshots/."""

import re
from datetime import timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assignments.models import Assignment, Review
from sessions.models import CoachingSession
from tests.e2e.conftest import shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

BLANK_HOMEWORK = [
    # kind value, title, cadence (None: the form asks for none for this kind)
    ("behavioural", "Say no to one meeting a day", "daily"),
    ("observation", "Notice your shoulders in meetings", "daily"),
    ("creative", "Letter to yourself in a year", None),
    ("preparation", "Bring one delegation case", None),
]


def _local(when):
    """A moment as the coach (in Europe/Berlin) types it into the session form."""
    return timezone.localtime(when, timezone=ZoneInfo("Europe/Berlin")).strftime("%Y-%m-%dT%H:%M")


def sign_up(page, mailoutbox):
    """Sign up, then confirm the address with the link the worker mails (tasks run at once here)."""
    page.goto("/accounts/signup/")
    page.get_by_label("Name").fill("Clara Coach")
    page.get_by_label("Email").fill("clara@example.com")
    page.locator("select[name=timezone]").select_option("Europe/Berlin")
    page.locator("#id_password1").fill("a-long-and-unusual-secret")
    page.locator("#id_password2").fill("a-long-and-unusual-secret")
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()
    [mail] = mailoutbox
    link = re.search(r"https?://\S+/accounts/confirm/\S+/", mail.body).group(0)
    page.goto(urlsplit(link).path)
    page.get_by_role("button", name="Confirm and log in").click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))


def add_coachee(page):
    page.goto("/coachees/new/")
    page.get_by_label("Name").fill("Mia Example")
    page.get_by_label("Email").fill("mia@example.com")
    page.get_by_label("Coaching question").fill("How do I protect my focus time?")
    page.get_by_label("Goals").fill("Say no without guilt")
    page.get_by_role("button", name="Add coachee").click()
    expect(page.get_by_role("heading", name="Mia Example")).to_be_visible()


def schedule_session(page, coachee_url, starts_at):
    page.goto(coachee_url)
    page.get_by_role("link", name="Schedule session").first.click()
    page.get_by_label("Date and time").fill(starts_at)
    page.get_by_role("button", name="Schedule session").click()
    expect(page.get_by_role("heading", name="Agenda: homework to review")).to_be_visible()


def assign(page, coachee_url, kind, title, cadence):
    page.goto(coachee_url)
    page.get_by_role("link", name="Assign homework").first.click()
    page.get_by_role("link", name="Start with a blank form").click()
    page.get_by_label("Kind").select_option(kind)
    page.get_by_label("Title").fill(title)
    page.get_by_label("What to do").fill(f"{title}: try it and note what happens.")
    page.get_by_label("Why (purpose)").fill("It moves you towards your goal.")
    page.get_by_label("Goal", exact=True).select_option(label="Say no without guilt")
    expect(page.get_by_label("Reflection questions")).to_be_hidden()
    if cadence is None:
        expect(page.get_by_label("Cadence")).to_be_hidden()
    else:
        page.get_by_label("Cadence").select_option(cadence)
    page.get_by_role("button", name="Assign homework").click()
    expect(page.get_by_role("status").filter(has_text=f"“{title}” assigned")).to_be_visible()


def test_coach_runs_the_homework_loop(page, live_server, mailoutbox, tasks_run_at_once):
    sign_up(page, mailoutbox)
    shoot(page, "coach-dashboard-empty")

    add_coachee(page)
    coachee_url = page.url
    now = timezone.now()
    # The next session begins within the hour, so its reviews can be recorded in this test.
    schedule_session(page, coachee_url, _local(now + timedelta(minutes=40)))
    schedule_session(page, coachee_url, _local(now + timedelta(days=14)))
    next_session, later_session = CoachingSession.objects.order_by("starts_at")

    # One from the library: the built-in weekly reflection.
    page.goto(coachee_url)
    page.get_by_role("link", name="Assign homework").first.click()
    page.get_by_role("link", name="Weekly reflection").click()
    expect(page.get_by_label("Title")).to_have_value("Weekly reflection")
    expect(page.get_by_label("Reflection questions")).to_contain_text("What did you notice")
    expect(page.get_by_label("Cadence")).to_be_hidden()  # reflection homework has no cadence
    page.get_by_label("Short and achievable").check()
    page.get_by_label("Connected to the goal").check()
    shoot(page, "coach-assign-form")
    page.get_by_role("button", name="Assign homework").click()
    for kind, title, cadence in BLANK_HOMEWORK:
        assign(page, coachee_url, kind, title, cadence)

    assert sorted(Assignment.objects.values_list("kind", flat=True)) == sorted(
        ["reflection", "behavioural", "observation", "creative", "preparation"]
    )
    library_one = Assignment.objects.get(kind="reflection")
    assert library_one.template is not None and sorted(library_one.checklist) == ["achievable", "connected"]

    page.goto(f"/sessions/{next_session.pk}/")
    agenda = page.get_by_role("region", name="Agenda: homework to review")
    for title in ["Weekly reflection", *[t for _k, t, _c in BLANK_HOMEWORK]]:
        expect(agenda.get_by_text(title, exact=True)).to_be_visible()
    shoot(page, "coach-agenda-before-review")

    # Review everything: carry the preparation over, close the rest.
    for assignment in Assignment.objects.all():
        page.goto(f"/sessions/{next_session.pk}/review/{assignment.pk}/")
        page.get_by_label("Done", exact=True).check()
        carry = assignment.kind == "preparation"
        page.get_by_label("Carry it over to the next session" if carry else "Close it", exact=True).check()
        page.get_by_label("Insights").fill("Noticed how often meetings eat the morning.")
        page.get_by_role("button", name="Save review").click()
        expect(page).to_have_url(re.compile(rf"/sessions/{next_session.pk}/(#.*)?$"))

    assert Review.objects.count() == 5
    shoot(page, "coach-agenda-reviewed")

    page.goto(f"/sessions/{later_session.pk}/")
    agenda = page.get_by_role("region", name="Agenda: homework to review")
    expect(agenda.get_by_text("Bring one delegation case", exact=True)).to_be_visible()
    expect(agenda.get_by_text("Weekly reflection", exact=True)).to_have_count(0)
    shoot(page, "coach-agenda-next-session")
