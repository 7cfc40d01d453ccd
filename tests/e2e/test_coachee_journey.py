"""A coachee does their homework on a phone (375 px wide), and their coach sees it at the session.

The coach, the coachee record with a goal, the next session and three pieces of homework are set up
with the services; the invitation goes out through the real service and its link is read from the
mail. Everything after that happens in the browser, as a person would do it: accept the invitation,
answer a reflection, log three daily check-ins, upload a photo to a creative task, submit each; then
the coach logs in through the login form and finds it all on the session agenda and the review page.
Screenshots of every coachee page go to test-artifacts/screenshots/ (coachee-*.png).
"""

import re
import struct
import zlib
from contextlib import contextmanager
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assignments import services as homework
from assignments.models import Assignment, Cadence, Kind, LogEntry, Upload
from coachhub.accounts.models import User
from sessions import services as coaching
from sessions.models import Coachee, Invitation
from tests.e2e.conftest import WIDTHS, shoot
from tests.e2e.conftest import log_in as log_in_as
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

GOAL = "Say no without guilt"
QUESTIONS = [
    "What did you notice this week when someone asked for your time?",
    "What worked well, and what did not?",
]
ANSWERS = [
    "I noticed that I say yes before I have even looked at my calendar.",
    "Asking for a day to think worked well. Saying no in the meeting itself did not, yet.",
]
CHECK_IN_NOTES = [
    "Declined the Monday status meeting.",
    "Said no to reviewing a slide deck tonight.",
    "Asked to move a call instead of squeezing it in.",
]
NEW_PASSWORD = "quiet-mornings-2-protect"
DAY_LABEL = re.compile(r"^\s*Day\*?\s*$")  # a required field's label carries an asterisk


def _png(width: int = 96, height: int = 64) -> bytes:
    """A small real PNG (a two-colour stripe pattern), big enough to be seen in a screenshot."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    teal, sand = bytes((26, 122, 120)), bytes((240, 200, 120))
    rows = b"".join(
        b"\x00" + b"".join(teal if (x // 8 + y // 8) % 2 else sand for x in range(width)) for y in range(height)
    )
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


@contextmanager
def browser_page(browser, live_server, size: str, **options):
    """A page in a fresh browser context (its own cookies) that must end without console errors."""
    context = browser.new_context(viewport=WIDTHS[size], base_url=live_server.url, **options)
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        yield page
    finally:
        context.close()
    assert errors == [], f"the browser console reported errors: {errors}"


def set_up_coaching(settings, live_server):
    """A coach with a coachee (a goal, a session next week) and three pieces of homework, given three
    days ago so that the daily practice can be logged for the days since."""
    settings.SITE_URL = live_server.url  # the links in mails point at the test server
    coach = UserFactory(email="clara@example.com", name="Clara Coach", timezone="Europe/Berlin")
    coachee = coaching.coachee_create(
        coach=coach,
        name="Mia Example",
        email="mia@example.com",
        coaching_question="How do I protect my focus time?",
        timezone_name="Europe/Berlin",
        goals=[GOAL],
    )
    goal = coachee.goals.get()
    session = coaching.session_schedule(
        coachee=coachee, starts_at=timezone.now() + timedelta(days=7), location="Office, room 2"
    )
    given = timezone.now() - timedelta(days=3)
    common = {"coachee": coachee, "goal": goal, "assigned_at": given}
    reflection = homework.assignment_create(
        kind=Kind.REFLECTION,
        title="Weekly reflection",
        instructions="Answer both questions at the end of the week.",
        purpose="To see where your time goes before you decide where it should go.",
        approach="Ten quiet minutes on Friday afternoon.",
        review_plan="We read your answers together and pick one pattern.",
        questions=QUESTIONS,
        **common,
    )
    practice = homework.assignment_create(
        kind=Kind.BEHAVIOURAL,
        title="Say no to one request a day",
        instructions="Consciously say no to one request each day, kindly and without excuses.",
        purpose="Saying no gets easier with practice.",
        approach="Pick the request in the morning; note how it went in the evening.",
        cadence=Cadence.DAILY,
        **common,
    )
    creative = homework.assignment_create(
        kind=Kind.CREATIVE,
        title="Values collage",
        instructions="Make a collage of what matters most to you and upload a photo of it.",
        purpose="Your values show what is worth a yes.",
        **common,
    )
    return coach, coachee, session, reflection, practice, creative


def invitation_link(mailoutbox, coachee) -> str:
    """Send the invitation as the coach's page does, and read the link from the mail."""
    coaching.invitation_send(coachee=coachee)
    assert len(mailoutbox) == 1, [mail.subject for mail in mailoutbox]
    mail = mailoutbox[0]
    assert mail.to == ["mia@example.com"]
    assert mail.subject == "Clara Coach invites you to CoachHub"
    links = re.findall(r"https?://\S+/accounts/invitation/[^/\s]+/", mail.body)
    assert len(links) == 1, mail.body
    assert links[0] in mail.alternatives[0][0], "the HTML part carries the same link"
    return links[0]


def accept_invitation(page, link):
    page.goto(link)
    expect(page.get_by_role("heading", name="Welcome, Mia Example")).to_be_visible()
    expect(page.get_by_text("Clara Coach invites you to CoachHub")).to_be_visible()
    expect(page.get_by_text("mia@example.com")).to_be_visible()
    expect(page.get_by_label("Your name")).to_have_value("Mia Example")
    expect(page.locator("select[name=timezone]")).to_have_value("Europe/Berlin")
    shoot(page, "coachee-invitation")
    page.locator("#id_password1").fill(NEW_PASSWORD)
    page.locator("#id_password2").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set up my login").click()
    expect(page).to_have_url(re.compile(r"/me/$"))
    expect(page.get_by_role("status").filter(has_text="Welcome to CoachHub, Mia")).to_be_visible()


def open_homework(page, title):
    page.get_by_role("link", name=title, exact=True).click()
    expect(page.get_by_role("heading", name=title, level=1)).to_be_visible()


def choose(page, scope, label):
    """Tap one of the large choice buttons (a radio shown as a button) by the words on it."""
    page.locator(f"{scope} .choice-buttons label").filter(has_text=re.compile(rf"^\s*{label}\s*$")).click()


def do_reflection(page):
    open_homework(page, "Weekly reflection")
    about = page.get_by_role("complementary").filter(has=page.get_by_role("heading", name="About this homework"))
    expect(about).to_contain_text("To see where your time goes")
    expect(about).to_contain_text("Ten quiet minutes on Friday afternoon.")
    expect(about).to_contain_text("We read your answers together")
    expect(about).to_contain_text(GOAL)
    shoot(page, "coachee-reflection-before")

    # The first answer is kept as a draft while typing, and is still there after a reload.
    page.get_by_label(QUESTIONS[0]).fill(ANSWERS[0])
    expect(page.locator("[data-autosave-status]")).to_contain_text("Draft saved at", timeout=10_000)
    page.reload()
    expect(page.get_by_label(QUESTIONS[0])).to_have_value(ANSWERS[0])

    page.get_by_label(QUESTIONS[1]).fill(ANSWERS[1])
    choose(page, "#work-form", "4 well")
    expect(page.get_by_role("radio", name="4 well")).to_be_checked()
    page.get_by_label("A last remark for your coach (optional)").fill("Harder than it looks.")
    shoot(page, "coachee-reflection-answered")
    page.get_by_role("button", name="Submit to my coach").click()
    expect(page).to_have_url(re.compile(r"/me/$"))
    expect(page.get_by_role("status").filter(has_text="Submitted. Your coach can see it now.")).to_be_visible()

    open_homework(page, "Weekly reflection")
    expect(page.get_by_text("You submitted this on")).to_be_visible()
    for question, answer in zip(QUESTIONS, ANSWERS, strict=True):
        expect(page.get_by_text(question, exact=True)).to_be_visible()
        expect(page.get_by_text(answer, exact=True)).to_be_visible()
    expect(page.get_by_text("4/5")).to_be_visible()
    expect(page.get_by_role("button", name="Submit to my coach")).to_have_count(0)
    shoot(page, "coachee-reflection-submitted")
    page.get_by_role("link", name="My homework").first.click()


def log_check_in(page, day: date, note: str) -> None:
    choose(page, ".entry-form", "Yes, I did it")
    page.get_by_label("A short note (optional)").fill(note)
    page.get_by_label(DAY_LABEL).fill(day.isoformat())
    page.get_by_role("button", name="Save check-in").click()
    expect(page).to_have_url(re.compile(r"#log$"))
    expect(page.get_by_role("status").filter(has_text="Saved your entry for")).to_be_visible()


def do_practice(page) -> list[date]:
    open_homework(page, "Say no to one request a day")
    expect(page.get_by_role("heading", name="Your check-ins")).to_be_visible()
    expect(page.get_by_text("One entry per day: saving a day again changes its entry.")).to_be_visible()
    shoot(page, "coachee-practice-before")

    # The day field offers today and the days since the homework was given, as the coachee's calendar has them.
    day_field = page.get_by_label(DAY_LABEL)
    today = date.fromisoformat(day_field.input_value())
    first_day = date.fromisoformat(day_field.get_attribute("min"))
    assert day_field.get_attribute("max") == today.isoformat()
    assert first_day <= today - timedelta(days=2), "the homework was given three days ago"
    days = [today - timedelta(days=2), today - timedelta(days=1), today]
    for day, note in zip(days, CHECK_IN_NOTES, strict=True):
        log_check_in(page, day, note)

    log = page.locator("#log")
    expect(log.get_by_role("list", name="Progress so far")).to_contain_text("3 days done")
    expect(log.get_by_role("list", name="Progress so far")).to_contain_text("3 days in a row")
    expect(log.locator(".log-entry")).to_have_count(3)
    for note in CHECK_IN_NOTES:
        expect(log.get_by_text(note, exact=True)).to_be_visible()
    expect(log.locator(".log-entry .check-done")).to_have_count(3)
    shoot(page, "coachee-practice-three-check-ins")

    page.get_by_label("Looking back (optional)").fill("Easier in the morning than late in the day.")
    choose(page, "#work-form", "5 very well")
    page.get_by_role("button", name="Submit to my coach").click()
    expect(page).to_have_url(re.compile(r"/me/$"))
    expect(page.get_by_role("status").filter(has_text="You can still log entries until your session.")).to_be_visible()

    open_homework(page, "Say no to one request a day")
    expect(page.get_by_role("button", name="Save check-in")).to_be_visible()  # still open until the review
    expect(page.locator("#log").get_by_role("list", name="Progress so far")).to_contain_text("3 days in a row")
    shoot(page, "coachee-practice-submitted")
    page.get_by_role("link", name="My homework").first.click()
    return days


def do_creative(page) -> None:
    open_homework(page, "Values collage")
    expect(page.get_by_role("heading", name="Your files")).to_be_visible()
    expect(page.get_by_text("A photo (JPEG, PNG, WebP, GIF) or a PDF, up to")).to_be_visible()
    shoot(page, "coachee-creative-before")

    page.get_by_label("Add a file").set_input_files(
        {"name": "values-collage.png", "mimeType": "image/png", "buffer": _png()}
    )
    page.get_by_role("button", name="Upload").click()
    expect(page).to_have_url(re.compile(r"#files$"))
    expect(page.get_by_role("status").filter(has_text="“values-collage.png” added.")).to_be_visible()
    thumb = page.get_by_role("img", name="Uploaded image values-collage.png")
    expect(thumb).to_be_visible()
    assert loaded_width(page, thumb) == 96, "the coachee sees their own image"

    page.get_by_label("Your text").fill("Freedom, calm and family made it onto the board; busyness did not.")
    shoot(page, "coachee-creative-uploaded")
    page.get_by_role("button", name="Submit to my coach").click()
    expect(page).to_have_url(re.compile(r"/me/$"))
    expect(page.get_by_role("status").filter(has_text="Submitted. Your coach can see it now.")).to_be_visible()

    open_homework(page, "Values collage")
    expect(page.get_by_role("img", name="Uploaded image values-collage.png")).to_be_visible()
    expect(page.get_by_role("button", name="Upload")).to_have_count(0)
    shoot(page, "coachee-creative-submitted")
    page.get_by_role("link", name="My homework").first.click()


def open_settings(page) -> None:
    """On a phone the menu is folded away behind the toggle."""
    page.get_by_role("button", name="Toggle navigation").click()
    page.get_by_role("link", name="Settings").click()
    expect(page.get_by_role("heading", name="Your settings")).to_be_visible()
    expect(page.get_by_text("mia@example.com")).to_be_visible()
    expect(page.get_by_label("Your name")).to_have_value("Mia Example")
    expect(page.locator("select[name=timezone]")).to_have_value("Europe/Berlin")
    shoot(page, "coachee-settings")


def coach_logs_in(page) -> None:
    log_in_as(page, "clara@example.com")
    expect(page).to_have_url(re.compile(r"/dashboard/$"))


def coach_sees_the_work(page, session, reflection, practice, creative, days) -> None:
    page.goto(f"/sessions/{session.pk}/")
    agenda = page.get_by_role("region", name="Agenda: homework to review")
    items = {a.pk: agenda.locator(f"#assignment-{a.pk}") for a in (reflection, practice, creative)}
    for assignment, item in zip((reflection, practice, creative), items.values(), strict=True):
        expect(item.get_by_role("link", name=assignment.title, exact=True)).to_be_visible()
        summary = item.locator("summary")
        expect(summary).to_contain_text("The coachee's work")
        expect(summary).to_contain_text("submitted")
        summary.click()

    expect(items[reflection.pk].locator("summary")).to_contain_text("fit 4/5")
    for question, answer in zip(QUESTIONS, ANSWERS, strict=True):
        expect(items[reflection.pk].get_by_text(question, exact=True)).to_be_visible()
        expect(items[reflection.pk].get_by_text(answer, exact=True)).to_be_visible()
    expect(items[reflection.pk]).to_contain_text("Harder than it looks.")

    check_ins = items[practice.pk]
    expect(check_ins.get_by_role("list", name="Progress so far")).to_contain_text("3 days done")
    expect(check_ins.get_by_role("list", name="Progress so far")).to_contain_text("3 days in a row")
    expect(check_ins.locator(".log-entry")).to_have_count(3)
    for day, note in zip(days, CHECK_IN_NOTES, strict=True):
        entry = check_ins.locator(".log-entry").filter(has_text=note)
        expect(entry).to_be_visible()
        expect(entry).to_contain_text(f"{day:%a} {day.day} {day:%b}")
        expect(entry).to_contain_text("Did it")

    upload = Upload.objects.get()
    image = items[creative.pk].get_by_role("img", name="Uploaded image values-collage.png")
    expect(image).to_be_visible()
    expect(image).to_have_attribute("src", f"/files/{upload.pk}/")
    file_link = items[creative.pk].get_by_role("link", name=re.compile(r"values-collage\.png$"))
    expect(file_link).to_have_attribute("href", f"/files/{upload.pk}/")
    assert loaded_width(page, image) == 96, "the coach's browser loaded the image"
    expect(items[creative.pk]).to_contain_text("Freedom, calm and family")
    shoot(page, "coach-agenda-with-coachee-work")

    for assignment, evidence in [
        (reflection, ANSWERS[1]),
        (practice, CHECK_IN_NOTES[2]),
        (creative, "Freedom, calm and family made it onto the board; busyness did not."),
    ]:
        page.goto(f"/sessions/{session.pk}/")
        items[assignment.pk].get_by_role("link", name="Review with the work beside it").click()
        expect(page.get_by_role("heading", name=f"Review “{assignment.title}”")).to_be_visible()
        work = page.get_by_role("region", name="The coachee's work")
        review = page.get_by_role("region", name="Your review")
        expect(work.get_by_text(evidence, exact=True)).to_be_visible()
        expect(review.get_by_role("button", name="Save review")).to_be_visible()
        expect(review.get_by_label("Done", exact=True)).to_be_visible()
        work_box, review_box = work.bounding_box(), review.bounding_box()
        assert work_box["x"] + work_box["width"] <= review_box["x"], "the work stands beside the review form"
        assert work_box["y"] < review_box["y"] + review_box["height"] and review_box["y"] < work_box["y"] + 100
        if assignment == creative:
            expect(work.get_by_role("img", name="Uploaded image values-collage.png")).to_be_visible()
        shoot(page, f"coach-review-{assignment.kind}")


def test_coachee_does_homework_on_a_phone_and_the_coach_sees_it(
    browser, live_server, settings, mailoutbox, tasks_run_at_once
):
    _coach, coachee, session, reflection, practice, creative = set_up_coaching(settings, live_server)
    link = invitation_link(mailoutbox, coachee)

    with browser_page(browser, live_server, "phone", is_mobile=True, has_touch=True) as page:
        assert page.viewport_size["width"] == 375
        accept_invitation(page, link)

        expect(page.get_by_role("heading", name="My homework", level=1)).to_be_visible()
        next_session = page.get_by_role("region", name="Next session")
        starts = timezone.localtime(session.starts_at, ZoneInfo(coachee.timezone))
        expect(next_session).to_contain_text(f"{starts:%A} {starts.day} {starts:%B}")
        expect(next_session).to_contain_text("Office, room 2")
        to_do = page.get_by_role("region", name="To do")
        for title in ["Weekly reflection", "Say no to one request a day", "Values collage"]:
            item = to_do.get_by_role("listitem").filter(has=page.get_by_role("link", name=title, exact=True))
            expect(item).to_contain_text("Due")
            expect(item).to_contain_text(f"for “{GOAL}”")
        shoot(page, "coachee-home")
        no_sideways_scroll(page)

        do_reflection(page)
        days = do_practice(page)
        do_creative(page)

        expect(page.get_by_role("region", name="To do")).to_contain_text("Nothing to do right now.")
        submitted = page.get_by_role("region", name="Submitted")
        for title in ["Weekly reflection", "Say no to one request a day", "Values collage"]:
            expect(submitted.get_by_role("link", name=title, exact=True)).to_be_visible()
        expect(submitted.get_by_role("list", name="Progress so far")).to_contain_text("3 days in a row")
        shoot(page, "coachee-home-all-submitted")
        no_sideways_scroll(page)

        open_settings(page)

    # What the browser did is what the database holds.
    coachee = Coachee.objects.get(pk=coachee.pk)
    assert coachee.user is not None and coachee.user.role == User.Role.COACHEE
    assert coachee.user.check_password(NEW_PASSWORD)
    assert Invitation.objects.get(coachee=coachee).used_at is not None
    assert set(Assignment.objects.values_list("status", flat=True)) == {Assignment.Status.SUBMITTED}
    reflection.refresh_from_db()
    assert reflection.work.answers == ANSWERS and reflection.work.fit_rating == 4
    assert sorted(LogEntry.objects.filter(assignment=practice).values_list("day", "did_it", "note")) == [
        (day, True, note) for day, note in zip(days, CHECK_IN_NOTES, strict=True)
    ]
    upload = Upload.objects.get()
    assert (upload.assignment_id, upload.content_type, upload.original_name) == (
        creative.pk,
        "image/png",
        "values-collage.png",
    )

    # The day of the session has come: it begins within the hour, so the coach can record reviews.
    coaching.session_update(session=session, starts_at=timezone.now() + timedelta(minutes=30))
    with browser_page(browser, live_server, "desktop") as page:
        coach_logs_in(page)
        coach_sees_the_work(page, session, reflection, practice, creative, days)


def loaded_width(page, image) -> int:
    """The natural width of an image once the browser has loaded it (thumbnails load lazily)."""
    image.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
    return image.evaluate("img => img.naturalWidth")


def no_sideways_scroll(page) -> None:
    """At phone width nothing sticks out of the page sideways."""
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px at {page.viewport_size['width']}px"
