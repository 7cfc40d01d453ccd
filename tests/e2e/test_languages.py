"""German and French at 375 px: long words (Selbstbeobachtung, Sitzungsvorbereitung, « einigermaßen »,
« moyennement ») must wrap, never push the page sideways nor run out of their button. The demo coach
and coachee read CoachHub in each language; they log in through the login page a German or French
visitor sees, walk through the coachee's pages and the coach's agenda (normal and in session mode),
and on each page the document is no wider than the phone and no heading, button, badge, label or
table cell spills its text. Every page is saved as a screenshot (test-artifacts/screenshots/languages/)
for people to look at.

One browser serves both languages and both people, which keeps the file to well under a minute.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.text import slugify

from assignments.management.commands.seed_demo import COACH_EMAIL, COACHEE_EMAIL, DEMO_PASSWORD
from assignments.models import Assignment, Kind
from coachhub.accounts.models import User
from sessions.models import Coachee, CoachingSession
from sessions.services import session_schedule
from tests.e2e.conftest import SCREENSHOTS, WIDTHS
from tests.e2e.test_accessibility import demo  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

FOLDER = SCREENSHOTS / "languages"
# The login page as a visitor from each country sees it: the browser's language, the translated labels.
LANGUAGES = {
    "de": {"locale": "de-DE", "email": "E-Mail", "password": "Passwort", "log_in": "Anmelden"},
    "fr": {"locale": "fr-FR", "email": "E-mail", "password": "Mot de passe", "log_in": "Se connecter"},
}

# How an element is named in a failure message: tag, classes and the start of its text.
DESCRIBE = """(element) => {
  const text = (element.innerText || element.value || "").trim().replace(/\\s+/g, " ").slice(0, 60);
  return `${element.tagName.toLowerCase()}.${[...element.classList].join(".")} "${text}"`;
}"""
# The elements that reach past the right edge of the page, deepest first (none inside a scrolling box).
STICKING_OUT = f"""() => {{
  const describe = {DESCRIBE};
  const edge = document.documentElement.clientWidth;
  const past = (element) => element.getBoundingClientRect().right > edge + 0.5;
  const scrolls = (element) => {{
    for (let parent = element.parentElement; parent !== document.body; parent = parent.parentElement) {{
      if (getComputedStyle(parent).overflowX !== "visible") return true;
    }}
    return false;
  }};
  return [...document.body.querySelectorAll("*")]
    .filter((element) => past(element) && !scrolls(element) && ![...element.children].some(past))
    .map((element) => `${{describe(element)}} reaches ${{Math.round(element.getBoundingClientRect().right)}} px`);
}}"""
# Text running out of its own box (a word wider than its button), which the page's width does not show.
SPILLING = f"""() => {{
  const describe = {DESCRIBE};
  const boxes = "h1, h2, h3, h4, h5, h6, .btn, .badge, label, th, td, dt, dd, .nav-link";
  return [...document.querySelectorAll(boxes)]
    .filter((element) => element.offsetParent !== null && getComputedStyle(element).display !== "inline")
    .filter((element) => getComputedStyle(element).overflowX === "visible")
    .filter((element) => element.scrollWidth > element.clientWidth + 1)
    .map(describe);
}}"""


class Walk:
    """One person's pages in one language: each checked for its language and width, and saved."""

    def __init__(self, page, language: str, problems: list[str]):
        self.page, self.language, self.problems = page, language, problems

    def check(self, name: str) -> None:
        page = self.page
        page.wait_for_load_state()
        where = f"{self.language}-{name} ({page.url})"
        lang = page.evaluate("document.documentElement.lang")
        if lang != self.language:
            self.problems.append(f"{where}: html[lang] is {lang!r}")
        # A phone zooms out to fit a page wider than itself, and window.innerWidth grows with it: the
        # width the page was laid out for is the root element's clientWidth (the phone's 375 px).
        wide, fits = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        if wide > min(fits, WIDTHS["phone"]["width"]):
            sticking_out = "\n    ".join(page.evaluate(STICKING_OUT)) or "(none found)"
            self.problems.append(f"{where}: {wide} px wide on a {fits} px phone; sticking out:\n    {sticking_out}")
        for spilling in page.evaluate(SPILLING):
            self.problems.append(f"{where}: text runs out of {spilling}")
        page.screenshot(path=str(FOLDER / f"{self.language}-{name}.png"), full_page=True)

    def follow(self, href: str, name: str) -> None:
        """Click the link to `href` on the page shown (so the page really leads there), then check."""
        self.page.locator(f'a[href="{href}"]:visible').first.click()
        self.page.wait_for_url(re.compile(re.escape(href) + "$"))
        self.check(name)


def log_in(browser, live_server, language: str, email: str):
    """A phone whose browser speaks `language`: log in on the login page in that language."""
    words = LANGUAGES[language]
    context = browser.new_context(
        viewport=WIDTHS["phone"], base_url=live_server.url, is_mobile=True, has_touch=True, locale=words["locale"]
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto("/accounts/login/")
    page.get_by_label(words["email"]).fill(email)
    page.get_by_label(words["password"]).fill(DEMO_PASSWORD)
    page.get_by_role("button", name=words["log_in"], exact=True).click()
    page.wait_for_url(re.compile(r"/(dashboard|me)/$"))
    return page


def walk_as_coachee(page, language: str, problems: list[str], homework: list[Assignment]) -> None:
    walk = Walk(page, language, problems)
    walk.check("coachee-home")
    for assignment in homework:
        walk.follow(f"/me/homework/{assignment.pk}/", f"coachee-homework-{assignment.kind}-{slugify(assignment.title)}")
        page.go_back()
    walk.follow("/me/progress/", "coachee-progress")
    page.goto("/accounts/settings/")
    walk.check("coachee-settings")


def walk_as_coach(page, language: str, problems: list[str], agenda, in_session) -> None:
    walk = Walk(page, language, problems)
    walk.check("coach-dashboard")
    walk.follow(f"/sessions/{agenda.pk}/", "coach-agenda")
    walk.follow(f"/coachees/{agenda.coachee_id}/", "coach-coachee")
    page.goto("/dashboard/")
    walk.follow(f"/sessions/{in_session.pk}/", "coach-agenda-in-session")
    assert page.locator("form.review-inline").count(), "the session that has begun shows no reviews"


def test_german_and_french_fit_a_phone(demo, browser, live_server):  # noqa: F811 (the fixture imported above)
    FOLDER.mkdir(parents=True, exist_ok=True)
    coach = User.objects.get(email=COACH_EMAIL)
    jonas = Coachee.objects.get(user__email=COACHEE_EMAIL)
    # Session mode: Mara's session begins in half an hour, so it opens now, with her homework to review.
    mara = Coachee.objects.for_coach(coach).exclude(pk=jonas.pk).get()
    in_session = session_schedule(
        coachee=mara, starts_at=timezone.now() + timedelta(minutes=30), duration_minutes=60, location="Online"
    )
    agenda = CoachingSession.objects.filter(coachee=jonas, starts_at__gt=timezone.now()).order_by("starts_at").first()
    homework = list(Assignment.objects.filter(coachee=jonas).order_by("assigned_at", "pk"))
    kinds = {assignment.kind for assignment in homework}
    assert {Kind.REFLECTION, Kind.BEHAVIOURAL} <= kinds, kinds
    assert any(a.kind == Kind.REFLECTION and a.questions for a in homework)
    assert any(a.kind == Kind.BEHAVIOURAL and a.log_entries.exists() for a in homework)

    problems = []
    for language in LANGUAGES:
        User.objects.filter(email__in=[COACH_EMAIL, COACHEE_EMAIL]).update(language=language)
        coachee_page = log_in(browser, live_server, language, COACHEE_EMAIL)
        walk_as_coachee(coachee_page, language, problems, homework)
        coachee_page.context.close()
        coach_page = log_in(browser, live_server, language, COACH_EMAIL)
        walk_as_coach(coach_page, language, problems, agenda, in_session)
        coach_page.context.close()
    assert problems == [], "\n".join(problems)
