"""Each person has a language: pages, mails, the calendar feed, exports and the library reach them
in it. A visitor gets the best match of their browser's languages, or what they chose."""

import csv
import io
from html import escape

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import translation

from assignments.models import HomeworkTemplate
from assignments.progress.services import calendar_feed_renew
from coachhub.accounts import emails
from coachhub.accounts.tasks import send_password_reset
from sessions.models import Coachee
from tests.factories import CoacheeFactory, CoacheeUserFactory, HomeworkTemplateFactory, UserFactory


def in_(language: str, text: str) -> str:
    with translation.override(language):
        return translation.gettext(text)


# --- Pages ------------------------------------------------------------------------------------------


def test_a_person_reads_pages_in_their_language_whatever_the_browser_asks(client, db):
    coach = UserFactory(language="de")
    client.force_login(coach)

    page = client.get(reverse("homework:dashboard"), HTTP_ACCEPT_LANGUAGE="fr,en;q=0.5").content.decode()

    assert '<html lang="de">' in page
    assert in_("de", "Homework library") in page and in_("de", "Homework library") != "Homework library"


@pytest.mark.parametrize(
    ("accept", "language"), [("de-CH,de;q=0.9,en;q=0.5", "de"), ("es-MX,es;q=0.8", "es"), ("ja,pt;q=0.8", "en")]
)
def test_a_visitor_gets_the_best_match_of_their_browser(client, db, accept, language):
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE=accept).content.decode()
    assert f'<html lang="{language}">' in page


def test_the_switcher_keeps_a_visitors_choice(client, db):
    login = reverse("login")
    page = client.get(login, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'action="/i18n/setlang/"' in page and '<option value="nl" lang="nl">Nederlands</option>' in page

    response = client.post(reverse("set_language"), {"language": "nl", "next": login})

    assert response["Location"] == login
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "nl"
    assert '<html lang="nl">' in client.get(login, HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_logged_in_people_choose_in_their_settings_not_in_the_footer(coach_client):
    assert 'action="/i18n/setlang/"' not in coach_client.get(reverse("homework:dashboard")).content.decode()


def test_a_coachee_changes_their_language_and_their_coachs_record_follows(client, coachee):
    client.force_login(coachee.user)
    data = {"name": coachee.user.name, "timezone": "UTC", "language": "fr"}

    response = client.post(reverse("account_settings"), data)

    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    coachee.refresh_from_db()
    coachee.user.refresh_from_db()
    assert (coachee.user.language, coachee.language) == ("fr", "fr")
    page = client.get(response["Location"]).content.decode()
    assert '<html lang="fr">' in page and in_("fr", "Your settings are saved.") in page


def test_an_unknown_language_is_refused_with_a_clear_error(coach_client, coach):
    response = coach_client.post(reverse("account_settings"), {"name": coach.name, "timezone": "UTC", "language": "xx"})
    assert response.status_code == 200
    assert "Choose a language from the list." in response.content.decode()
    coach.refresh_from_db()
    assert coach.language == "en"


def test_a_new_coachee_starts_in_the_coachs_language_and_the_coach_may_pick_another(client, db):
    coach = UserFactory(language="de")
    client.force_login(coach)
    form = client.get(reverse("coaching:coachee_create")).context["form"]
    assert form.initial["language"] == "de"

    data = {"name": "Noor", "email": "noor@example.com", "language": "nl", "timezone": "UTC", "goals": ""}
    client.post(reverse("coaching:coachee_create"), data)

    assert Coachee.objects.get(email="noor@example.com").language == "nl"


def test_once_a_coachee_has_a_login_their_language_is_theirs(coach_client, coach):
    coachee = CoacheeFactory(coach=coach, user=CoacheeUserFactory(language="es"), language="es")
    edit = reverse("coaching:coachee_edit", args=[coachee.pk])
    assert coach_client.get(edit).context["form"].fields["language"].disabled

    data = {"name": coachee.name, "email": coachee.email, "coaching_question": "", "timezone": "UTC", "language": "de"}
    coach_client.post(edit, data)

    coachee.refresh_from_db()
    coachee.user.refresh_from_db()
    assert (coachee.language, coachee.user.language) == ("es", "es")


# --- The library --------------------------------------------------------------------------------


def test_the_built_in_library_exists_in_every_language(db):
    counts = {
        code: HomeworkTemplate.objects.filter(coach=None, language=code).count() for code, _ in settings.LANGUAGES
    }
    assert len(set(counts.values())) == 1 and counts["en"] >= 10, counts
    mood = HomeworkTemplate.objects.filter(coach=None, creative_format="mood_journal")
    assert sorted(mood.values_list("language", flat=True)) == sorted(code for code, _ in settings.LANGUAGES)
    english = HomeworkTemplate.objects.filter(coach=None, language="en").order_by("kind", "cadence", "pk")
    german = HomeworkTemplate.objects.filter(coach=None, language="de").order_by("kind", "cadence", "pk")
    assert [(t.kind, t.cadence, len(t.questions)) for t in english] == [
        (t.kind, t.cadence, len(t.questions)) for t in german
    ]
    assert not {t.title for t in english} & {t.title for t in german}


def test_the_library_shows_the_coachs_language_and_every_language_on_request(client, db):
    coach = UserFactory(language="fr")
    own = HomeworkTemplateFactory(coach=coach, title="Mon modèle à moi", language="fr")
    client.force_login(coach)
    french = HomeworkTemplate.objects.filter(coach=None, language="fr")
    english = HomeworkTemplate.objects.filter(coach=None, language="en")

    page = client.get(reverse("homework:library")).content.decode()
    assert all(escape(t.title) in page for t in french) and escape(own.title) in page
    assert not any(escape(t.title) in page for t in english)

    page = client.get(reverse("homework:library"), {"language": "en"}).content.decode()
    assert all(escape(t.title) in page for t in english) and escape(own.title) in page


def test_assigning_to_a_coachee_of_another_language_offers_both(client, db):
    coach = UserFactory(language="de")
    coachee = CoacheeFactory(coach=coach, language="nl")
    client.force_login(coach)
    start = reverse("homework:assign", args=[coachee.pk])

    both = {t.language for t in client.get(start).context["templates"]}
    dutch = {t.language for t in client.get(start, {"language": "nl"}).context["templates"]}

    assert both == {"de", "nl"} and dutch == {"nl"}
    assert "Deutsch" in client.get(start).content.decode()


def test_a_coach_writes_a_template_in_the_language_they_mark(client, db):
    coach = UserFactory(language="es")
    client.force_login(coach)
    data = {"kind": "preparation", "title": "Diario", "instructions": "Escribe.", "questions": "", "language": "en"}
    data |= {"purpose": "", "approach": "", "review_plan": "", "cadence": "once"}
    assert client.get(reverse("homework:template_create")).context["form"].initial["language"] == "es"

    client.post(reverse("homework:template_create"), data)

    assert HomeworkTemplate.objects.get(coach=coach).language == "en"


# --- What a person receives -------------------------------------------------------------------------


def test_a_mail_is_written_in_the_recipients_language(db):
    user = UserFactory(language="fr")
    message = emails.message(
        "login-link", to=user.email, context={"user": user, "link": "x", "minutes": 15}, language="fr"
    )
    assert message.subject == in_("fr", "Your CoachHub login link") != "Your CoachHub login link"


def test_a_password_reset_is_written_in_the_accounts_language(db):
    user = UserFactory(language="es")
    send_password_reset.apply(args=[user.email])
    [reset] = mail.outbox
    assert reset.subject == in_("es", "Reset your CoachHub password") != "Reset your CoachHub password"


def test_the_calendar_feed_speaks_its_owners_language(client, db):
    coach = UserFactory(language="nl")
    feed = calendar_feed_renew(user=coach)
    body = client.get(reverse("progress:feed:ics", args=[feed.token])).content.decode()
    assert in_("nl", "CoachHub: %(name)s") % {"name": coach.get_short_name()} in body.replace("\r\n ", "")


def test_the_history_export_speaks_the_coachs_language(client, db):
    coach = UserFactory(language="de")
    coachee = CoacheeFactory(coach=coach)
    client.force_login(coach)
    response = client.get(reverse("progress:history_csv", args=[coachee.pk]))
    header, first = list(csv.reader(io.StringIO(response.content.decode())))[:2]
    with translation.override("de"):
        assert header[0] == translation.pgettext("export column", "record") != "record"
        assert first[0] == translation.pgettext("export record", "coachee")
