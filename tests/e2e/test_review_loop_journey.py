"""The review loop in a real browser, as issue 8 asks: a coach with two sessions ahead gives homework,
which is on the first agenda only; reviews it there and carries it over; marks the session held early
(before its clock time has come), deciding with the keyboard what happens to the homework not reviewed
there; and assigns more homework afterwards, which is due at the following session, not the held one.

The coach, the coachee and the two sessions are set up with the services; everything after that
happens in the browser, from logging in through the login form on. Screenshots of the hold page and
both agendas go to test-artifacts/screenshots/ (review-loop-*.png).
"""

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assignments.models import Assignment
from sessions import services as coaching
from tests.e2e.conftest import SCREENSHOTS, WIDTHS
from tests.e2e.conftest import log_in as log_in_as
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

COACH_ZONE = ZoneInfo("Europe/Berlin")
GOAL = "Say no without guilt"
CARRIED = "Bring one delegation case"  # reviewed at the first session and carried over by the coach
IN_SESSION = "Draft the delegation email"  # assigned in the first session
UNREVIEWED = "List three meetings to decline"  # due at the first session, held without a review
AFTER_HOLD = "Block two focus mornings"  # assigned once the first session is held
CARRIED_OVER = re.compile("carried over", re.IGNORECASE)


def shoot_desktop(page, name: str) -> None:
    """A full-page screenshot at desktop width, for people to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    assert page.viewport_size == WIDTHS["desktop"]
    page.screenshot(path=str(SCREENSHOTS / f"{name}-desktop.png"), full_page=True)


def shown(moment) -> str:
    """A moment as the coach's pages show it ("Mon 12 Jan 2026, 10:40", in the coach's time zone)."""
    local = timezone.localtime(moment, COACH_ZONE)
    return f"{local:%a} {local.day} {local:%b %Y, %H:%M}"


def set_up_coaching():
    """A coach and a coachee with a goal and two sessions ahead: the first begins in 40 minutes (so it
    has opened: reviews can be recorded and it can be marked held), the second a week later."""
    coach = UserFactory(email="clara@example.com", name="Clara Coach", timezone="Europe/Berlin")
    coachee = coaching.coachee_create(
        coach=coach, name="Mia Example", email="mia@example.com", timezone_name="Europe/Berlin", goals=[GOAL]
    )
    soon = coaching.session_schedule(coachee=coachee, starts_at=timezone.now() + timedelta(minutes=40))
    week_later = coaching.session_schedule(coachee=coachee, starts_at=soon.starts_at + timedelta(days=7))
    return coachee, soon, week_later


def log_in(page) -> None:
    log_in_as(page, "clara@example.com")
    expect(page).to_have_url(re.compile(r"/dashboard/$"))


def fill_and_assign(page, title, *, due_at_session) -> Assignment:
    """Fill in the assign form with the due date left at its default, the next session, which must be
    `due_at_session`, and assign."""
    page.get_by_role("link", name="Start with a blank form").click()
    page.get_by_label("Kind").select_option("preparation")
    page.get_by_label("Title").fill(title)
    page.get_by_label("What to do").fill(f"{title}: try it and note what happens.")
    page.get_by_label("Why (purpose)").fill("It moves you towards your goal.")
    page.get_by_label("Goal", exact=True).select_option(label=GOAL)
    expect(page.get_by_label(f"At the next session ({shown(due_at_session.starts_at)})")).to_be_checked()
    page.get_by_role("button", name="Assign homework").click()
    expect(page.get_by_role("status").filter(has_text=f"“{title}” assigned")).to_be_visible()
    return Assignment.objects.get(title=title)


def assign_from_coachee_page(page, coachee, title, *, due_at_session) -> Assignment:
    page.goto(f"/coachees/{coachee.pk}/")
    page.get_by_role("link", name="Assign homework").first.click()
    return fill_and_assign(page, title, due_at_session=due_at_session)


def open_agenda(page, session):
    page.goto(f"/sessions/{session.pk}/")
    return page.get_by_role("region", name=re.compile(r"^Agenda: homework"))


def item(agenda, assignment):
    return agenda.locator(f"#assignment-{assignment.pk}")


def review_links(page) -> set[str]:
    return set(page.locator("a[href*='/review/']").evaluate_all("links => links.map(a => a.getAttribute('href'))"))


def tab_until(page, selector: str, *, limit: int = 60) -> None:
    """Press Tab until the keyboard focus is on the element matching `selector`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement?.matches(s) ?? false", selector):
            return
    raise AssertionError(f"{limit} presses of Tab never reached {selector}")


def test_homework_given_after_marking_a_session_held_early_is_due_at_the_following_session(page, live_server):
    coachee, soon, week_later = set_up_coaching()
    log_in(page)

    # Homework given now, due "at the next session": the first one, on its agenda only.
    carried = assign_from_coachee_page(page, coachee, CARRIED, due_at_session=soon)
    agenda = open_agenda(page, soon)
    expect(agenda.get_by_role("heading", name="Agenda: homework to review")).to_be_visible()
    expect(item(agenda, carried).get_by_role("link", name=CARRIED, exact=True)).to_be_visible()
    expect(item(agenda, carried)).not_to_contain_text("due ")  # due here goes without saying
    expect(agenda).not_to_contain_text(CARRIED_OVER)
    agenda = open_agenda(page, week_later)
    expect(agenda.get_by_text("No homework is due for review at this session.")).to_be_visible()
    expect(agenda.get_by_text(CARRIED, exact=True)).to_have_count(0)
    expect(agenda).not_to_contain_text(CARRIED_OVER)

    # At the first session: review it and carry it over, and give new homework in the session.
    agenda = open_agenda(page, soon)
    # In session mode, on the agenda itself.
    review = item(agenda, carried)
    review.get_by_text("Partly done", exact=True).click()
    review.get_by_label("Carry it over to the next session", exact=True).check()
    review.get_by_label("Insights").fill("Found the case, not yet the words.")
    review.get_by_role("button", name="Save review").click()
    expect(item(agenda, carried).get_by_role("status")).to_contain_text(f"Review of “{CARRIED}” saved.")
    expect(page).to_have_url(re.compile(rf"/sessions/{soon.pk}/(#.*)?$"))
    page.get_by_role("link", name="Assign homework in this session").first.click()
    in_session = fill_and_assign(page, IN_SESSION, due_at_session=week_later)
    # Homework given from the coachee page before the session is marked held is still due at it.
    unreviewed = assign_from_coachee_page(page, coachee, UNREVIEWED, due_at_session=soon)

    # Mark as held: the unreviewed homework is listed, to be carried over unless the coach drops it.
    open_agenda(page, soon)
    page.get_by_role("link", name="Mark as held").click()
    expect(page).to_have_url(re.compile(rf"/sessions/{soon.pk}/held/$"))
    expect(page.get_by_role("heading", name="Mark the session as held")).to_be_visible()
    choices = page.get_by_role("group")
    expect(choices).to_have_count(1)
    expect(choices.first).to_contain_text(UNREVIEWED)
    expect(page.get_by_role("radio", name="Carry it over to the next session")).to_be_checked()
    expect(page.get_by_role("radio", name="Drop it: cancel this homework")).not_to_be_checked()
    # The keyboard is enough: Tab reaches the chosen radio, Space keeps it, Enter on the button holds.
    tab_until(page, f"input[name='assignment_{unreviewed.pk}']")
    expect(page.get_by_role("radio", name="Carry it over to the next session")).to_be_focused()
    page.keyboard.press("Space")
    expect(page.get_by_role("radio", name="Carry it over to the next session")).to_be_checked()
    shoot_desktop(page, "review-loop-hold-page")
    tab_until(page, "main form button[type='submit']")
    expect(page.get_by_role("button", name="Mark as held")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/sessions/{soon.pk}/$"))
    expect(page.get_by_role("status").filter(has_text="marked as held")).to_contain_text(
        "1 homework is carried over to the next session."
    )
    soon.refresh_from_db()
    assert soon.is_held and soon.starts_at > timezone.now(), "held early: its clock time still lies ahead"

    # After holding, new homework (its clock time still ahead) is due at the following session.
    after_hold = assign_from_coachee_page(page, coachee, AFTER_HOLD, due_at_session=week_later)
    expect(page.get_by_role("region", name="Next session")).to_contain_text(shown(week_later.starts_at))

    # The held session's agenda: what was reviewed there, and what went by unreviewed and where it went.
    agenda = open_agenda(page, soon)
    expect(agenda.get_by_role("heading", name="Agenda: homework that was due")).to_be_visible()
    expect(agenda.locator(".agenda-item")).to_have_count(2)
    expect(item(agenda, carried)).to_contain_text("Reviewed here")
    expect(item(agenda, carried)).to_contain_text("Found the case, not yet the words.")
    expect(item(agenda, unreviewed)).to_contain_text("Not reviewed here")
    went_to = item(agenda, unreviewed).get_by_role(
        "link", name=f"Carried over to the session of {shown(week_later.starts_at)}"
    )
    expect(went_to).to_have_attribute("href", f"/sessions/{week_later.pk}/")
    expect(agenda.get_by_text(AFTER_HOLD, exact=True)).to_have_count(0)
    expect(page.get_by_role("link", name="Mark as held")).to_have_count(0)
    expect(page.get_by_role("button", name="Mark as held")).to_have_count(0)
    on_it = {f"/sessions/{soon.pk}/review/{a.pk}/" for a in (carried, unreviewed)}
    expect(item(agenda, carried).get_by_role("link", name="Change review")).to_be_visible()
    assert review_links(page) <= on_it, "a Review button only for homework on this agenda"
    shoot_desktop(page, "review-loop-agenda-held")

    # The following session's agenda: everything still open, carried over where that is true.
    agenda = open_agenda(page, week_later)
    expect(agenda.get_by_role("heading", name="Agenda: homework to review")).to_be_visible()
    expect(agenda.locator(".agenda-item")).to_have_count(4)
    for assignment in (carried, in_session, unreviewed, after_hold):
        expect(item(agenda, assignment).get_by_role("link", name=assignment.title, exact=True)).to_be_visible()
    for assignment in (carried, unreviewed):
        expect(item(agenda, assignment).locator(".carried-over-badge")).to_have_text("Carried over")
    # Why it is carried over: its review at the held session, or that session went by without one.
    expect(item(agenda, unreviewed)).to_contain_text("went by without a review, carried over")
    for assignment in (in_session, after_hold):
        expect(item(agenda, assignment)).not_to_contain_text(CARRIED_OVER)
    expect(item(agenda, carried)).to_contain_text("Partly done")  # the earlier review, from the held session
    shoot_desktop(page, "review-loop-agenda-following")

    # The dashboard: the held session asks for no review any more; the following one has all four.
    page.goto("/dashboard/")
    upcoming = page.get_by_role("region", name="Next sessions")
    held_line = upcoming.locator(".upcoming-session").filter(has=page.locator(f"a[href='/sessions/{soon.pk}/']"))
    expect(held_line).to_contain_text("held")
    expect(held_line).not_to_contain_text("homework to review")
    following = upcoming.locator(".upcoming-session").filter(has=page.locator(f"a[href='/sessions/{week_later.pk}/']"))
    expect(following).to_contain_text("4 homework to review")
    shoot_desktop(page, "review-loop-dashboard")
