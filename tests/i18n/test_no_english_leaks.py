"""No English in a page shown in another language: every page a visitor, the demo coach and the
demo coachee reach (found by following links, one page per kind, as the accessibility crawl does)
is fetched in English and in each other language, and a visible text of the page (a text node, or
an aria-label, placeholder, title or alt) that is identical in both fails the test.

What is the same in every language is allowed: what people wrote (names, homework titles, notes:
every text stored in the practice's database), numbers, e-mail addresses, time-zone names, the
languages' own names, "CoachHub", and a short list of words each language shares with English.
"""

import functools
import re
import zoneinfo
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import models
from django.test import Client
from django.utils import dates, translation

from coachhub.accounts.models import User
from tests.crawling import page_key

LANGUAGES = [code for code, _name in settings.LANGUAGES if code != "en"]
TEXT_ATTRIBUTES = {"aria-label", "placeholder", "title", "alt"}
SKIPPED = {"script", "style", "template"}
# Words a language really uses as English does (checked with the translators' glossaries).
SAME_AS_ENGLISH = {
    "nl": {
        "Coachee",
        "Coachees",
        "Check-in",
        "Check-ins",
        "Dashboard",
        "Feedback",
        "Start",
        "Status",
        "Details",
        "Open",
    },
    "de": {
        "Coachee",
        "Coachees",
        "Check-in",
        "Check-ins",
        "Feedback",
        "Start",
        "Name",
        "Status",
        "Details",
        "Passkeys",
        "Programme",  # the German plural, beside the English singular on the same page
    },
    "fr": {
        "Check-in",
        "Check-ins",
        "Description",
        "Notes",
        "minutes",
        "Programme",
        "Programmes",
        "Message-ID",
        "QR code",
    },
    "es": {"Coachee", "Coachees", "Feedback"},
}
ALWAYS = {"CoachHub", "·", "—"} | {name for _code, name in settings.LANGUAGES}


class VisibleTexts(HTMLParser):
    """The texts a person sees or hears on a page, in order."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in SKIPPED:
            self.skipping += 1
        for name, value in attrs:
            if name in TEXT_ATTRIBUTES and value:
                self._add(value)

    def handle_endtag(self, tag):
        if tag in SKIPPED and self.skipping:
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping:
            self._add(data)

    def _add(self, text: str) -> None:
        text = " ".join(text.split())
        if re.search(r"[^\W\d_]", text):  # has a letter
            self.texts.append(text)


def visible_texts(html: str) -> list[str]:
    parser = VisibleTexts()
    parser.feed(html)
    return parser.texts


def written_by_people() -> list[str]:
    """Every text stored in the practice: what coaches and coachees wrote, names, titles. Longest
    first, so a title is taken out of a text before a name inside it."""
    texts = set()
    for model in apps.get_models():
        if model._meta.app_label not in PRACTICE_APPS:
            continue
        # Free text only: a field with choices holds codes ("de", "reflection"), not words people wrote.
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField) and not f.choices
        ]
        json_fields = [f.name for f in model._meta.concrete_fields if isinstance(f, models.JSONField)]
        for row in model._default_manager.values(*fields, *json_fields):
            for value in row.values():
                if isinstance(value, list):
                    texts.update(str(item) for item in value if isinstance(item, str))
                elif isinstance(value, str) and len(value) > 2:
                    texts.add(" ".join(value.split()))
    return sorted(texts, key=len, reverse=True)


PRACTICE_APPS = {"accounts", "coaching_sessions", "assignments", "progress", "reminders", "programmes"}
ZONES = {part.replace("_", " ") for name in zoneinfo.available_timezones() for part in [name, *name.split("/")]}


@functools.cache
def date_names(language: str) -> frozenset:
    """Day and month names of `language`: "Nov" is German as well as English."""
    with translation.override(language):
        names = [*dates.WEEKDAYS.values(), *dates.WEEKDAYS_ABBR.values(), *dates.MONTHS.values()]
        names += [str(name).title() for name in dates.MONTHS_3.values()] + list(dates.MONTHS_AP.values())
        return frozenset(str(name) for name in names)


def is_allowed(text: str, language: str, people: list[str]) -> bool:
    same = ALWAYS | SAME_AS_ENGLISH[language] | date_names(language)
    if text in same or text in ZONES:
        return True
    rest = text
    for written in people:
        if written in rest:
            rest = rest.replace(written, " ")
        elif rest.rstrip("…").strip() and rest.rstrip("…").strip() in written:  # a shortened text
            return True
    rest = re.sub(r"\S+@\S+|https?://\S+", " ", rest)  # addresses and links
    rest = re.sub(r"\b[A-Z0-9]{4}\b", " ", rest)  # codes, such as an authenticator's secret in groups
    words = sorted(same, key=len, reverse=True)  # "Coachees" before "Coachee"
    rest = re.sub(r"\b(" + "|".join(map(re.escape, words)) + r")\b", " ", rest)
    return not re.search(r"[^\W\d_]{2,}", rest)  # no word left of two letters or more


class Crawler:
    """Fetches pages as one person (or a visitor) in a given language, following links in English."""

    def __init__(self, client: Client, user: User | None):
        self.client, self.user = client, user

    def get(self, path: str, language: str) -> str | None:
        if self.user is not None:
            User.objects.filter(pk=self.user.pk).update(language=language)
        else:
            self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        response = self.client.get(path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            return None
        return response.content.decode()

    def pages(self, start: str) -> dict[str, str]:
        """Path → English HTML of one page of each kind reachable from `start`."""
        seen, queue, found = {page_key(start)}, [start], {}
        while queue:
            path = queue.pop(0)
            html = self.get(path, "en")
            if html is None:
                continue
            found[path] = html
            for href in re.findall(r'href="(/[^"#]*)', html):
                href = href.replace("&amp;", "&")
                key = page_key(href)
                if key is not None and key not in seen:
                    seen.add(key)
                    queue.append(href)
        return found


@pytest.fixture
def demo(settings):
    settings.DEBUG = True  # seed_demo refuses to run where DEBUG is off, to protect real data
    call_command("seed_demo")
    settings.DEBUG = False


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "start"), [("visitor", "/accounts/login/"), ("coach", "/dashboard/"), ("coachee", "/me/")]
)
def test_no_page_shows_english_in_another_language(who, start, demo, client):
    user = None if who == "visitor" else User.objects.get(email=f"{who}@example.com")
    if user is not None:
        client.force_login(user)
    crawler = Crawler(client, user)
    english = crawler.pages(start)
    people = written_by_people()
    leaks = []
    for language in LANGUAGES:
        for path, english_html in english.items():
            html = crawler.get(path, language)
            assert html is not None, f"{path} in {language}"
            same = set(visible_texts(html)) & set(visible_texts(english_html))
            leaks += [f"{language} {path}: {text!r}" for text in sorted(same) if not is_allowed(text, language, people)]
    print(f"{who}: {len(english)} kinds of page in {len(LANGUAGES) + 1} languages")
    assert len(english) >= {"visitor": 4, "coach": 25, "coachee": 8}[who], sorted(english)
    assert leaks == [], f"{len(leaks)} English texts:\n" + "\n".join(leaks[:150])


def test_the_crawl_notices_an_english_text():
    """The comparison itself: a sentence left in English is caught, a coachee's name is not."""
    people = ["Jonas Weber", "Weekly reflection"]
    assert not is_allowed("Save your answers", "de", people)
    assert is_allowed("Jonas Weber", "de", people)
    assert is_allowed("Weekly reflection · Jonas Weber", "de", people)
    assert is_allowed("Europe/Berlin", "fr", people)
    assert is_allowed("Coachee", "de", people)
    assert not is_allowed("Coachee homework", "de", people)
    assert visible_texts('<p>Hi <script>var x = "no";</script><b title="Tip">there</b></p>') == ["Hi", "Tip", "there"]
