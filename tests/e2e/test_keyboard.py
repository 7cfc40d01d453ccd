"""Keyboard only: a coach assigns homework and a coachee hands in a reflection with Tab, Enter,
Space, typing (and the arrow keys inside a drop-down or a radio group, as the platform wants). At
every stop the focus is visible: an outline of at least 2 px whose colour has a contrast of at least
3:1 against what lies behind it (WCAG 2.2: 2.4.7, 1.4.11)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assignments.models import Assignment
from tests.factories import (
    PASSWORD,
    AssignmentFactory,
    CoacheeFactory,
    CoacheeUserFactory,
    CoachingSessionFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# The focused element's outline colour and width, and the colour behind it: the first ancestor with a
# background. A `.btn-check` radio is drawn by its label, so the label is what must show the focus.
FOCUS_STATE = """() => {
  let el = document.activeElement;
  if (el && el.classList.contains("btn-check")) { el = el.nextElementSibling; }
  if (!el || el === document.body) { return null; }
  const style = getComputedStyle(el);
  let back = el.parentElement, background = "rgb(255, 255, 255)";
  while (back) {
    const colour = getComputedStyle(back).backgroundColor;
    if (colour && colour !== "rgba(0, 0, 0, 0)" && colour !== "transparent") { background = colour; break; }
    back = back.parentElement;
  }
  const name = (el.getAttribute("aria-label") || el.labels?.[0]?.textContent || el.textContent || el.name || "")
    .trim().replace(/\\s+/g, " ").slice(0, 60);
  return {tag: el.tagName, name, outline: style.outlineColor, width: parseFloat(style.outlineWidth),
          styleName: style.outlineStyle, background};
}"""


def _rgb(colour: str) -> tuple[float, ...]:
    return tuple(float(part) for part in re.findall(r"[\d.]+", colour)[:3])


def _luminance(colour: str) -> float:
    def channel(value):
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(v) for v in _rgb(colour))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first: str, second: str) -> float:
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def focused(page) -> dict:
    """What has the focus; fails unless its focus ring is visible."""
    state = page.evaluate(FOCUS_STATE)
    assert state is not None, "the focus is lost (on the page body)"
    assert state["styleName"] != "none" and state["width"] >= 2, f"no visible focus ring on {state}"
    ratio = contrast(state["outline"], state["background"])
    assert ratio >= 3, f"focus ring of {state['name']!r} has contrast {ratio:.2f}:1 against {state['background']}"
    return state


def tab_to(page, name: str, *, most: int = 60) -> int:
    """Press Tab until the focused element's name starts with `name` (or stay, when it has the focus
    already, say by autofocus), checking the focus ring at every stop. Past the last control the focus
    goes to the browser's own controls (the page body here) and comes round again. Returns the number
    of presses."""
    seen = []
    for presses in range(most + 1):
        if presses:
            page.keyboard.press("Tab")
        if page.evaluate(FOCUS_STATE) is None:
            continue
        seen.append(focused(page)["name"])
        if seen[-1].startswith(name):
            return presses
    raise AssertionError(f"{name!r} not reached with {most} Tab presses: {seen}")


def log_in_by_keyboard(page, email: str) -> None:
    page.goto("/accounts/login/")
    tab_to(page, "Email")
    page.keyboard.type(email)
    tab_to(page, "Password")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/(dashboard|me)/$"))


def test_a_coach_assigns_homework_by_keyboard(page, live_server):
    coach = UserFactory(email="clara@example.com")
    coachee = CoacheeFactory(coach=coach, name="Mia Example")
    CoachingSessionFactory(coachee=coachee, starts_at=timezone.now() + timedelta(days=7))
    log_in_by_keyboard(page, coach.email)
    page.goto(f"/coachees/{coachee.pk}/")

    tab_to(page, "Assign homework")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/assign/$"))
    tab_to(page, "Start with a blank form")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/assign/\?blank=1$"))

    presses = tab_to(page, "Kind")
    # The skip link reaches the form at once; past the bar (six menu items) it takes at most 13.
    assert presses <= 13, f"{presses} Tab presses to the first field"
    for _ in range(2):  # a closed drop-down changes its choice with the arrow keys
        page.keyboard.press("ArrowDown")
    expect(page.get_by_label("Kind")).to_have_value("behavioural")
    tab_to(page, "Title")
    page.keyboard.type("Two minutes of silence")
    tab_to(page, "What to do")
    page.keyboard.type("Before each meeting, sit in silence for two minutes.")
    tab_to(page, "Short and achievable")
    page.keyboard.press("Space")
    expect(page.get_by_label("Short and achievable")).to_be_checked()
    tab_to(page, "Assign homework")
    page.keyboard.press("Enter")

    expect(page.get_by_role("status").filter(has_text="“Two minutes of silence” assigned")).to_be_visible()
    assert Assignment.objects.get(coachee=coachee).checklist == ["achievable"]


def test_a_coachee_hands_in_a_reflection_by_keyboard(page, live_server):
    user = CoacheeUserFactory(email="mia@example.com")
    coachee = CoacheeFactory(user=user, email=user.email, name="Mia Example")
    CoachingSessionFactory(coachee=coachee, starts_at=timezone.now() + timedelta(days=7))
    homework = AssignmentFactory(
        coachee=coachee, kind="reflection", title="Weekly reflection", questions=["What did you notice?", "What next?"]
    )
    log_in_by_keyboard(page, user.email)
    expect(page).to_have_url(re.compile(r"/me/$"))

    tab_to(page, "Weekly reflection")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/me/homework/{homework.pk}/$"))
    tab_to(page, "What did you notice?")
    page.keyboard.type("I rush into answers.")
    tab_to(page, "What next?")
    page.keyboard.type("Pause first.")
    # The fit rating is a group of radio buttons: Tab enters the group, the arrow keys choose in it
    # (as in every radio group); Space would pick the one that has the focus.
    tab_to(page, "1 not at all")
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    assert focused(page)["name"] == "4 well"
    tab_to(page, "Submit to my coach")
    page.keyboard.press("Enter")

    expect(page.get_by_role("status").filter(has_text="Submitted")).to_be_visible()
    homework.refresh_from_db()
    assert homework.submission.answers == ["I rush into answers.", "Pause first."]
    assert homework.submission.fit_rating == 4
