"""Mail in the recipient's language with everything real: a coach who reads German and a coachee
who reads Dutch; the pages and services queue, a Celery worker in its own process renders each mail
in its recipient's language, and an SMTP server receives them."""

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import translation

from assignments.services import assignment_create, submission_submit
from tests.factories import CoacheeFactory, CoacheeUserFactory, UserFactory
from tests.integration.test_reminders import Sweeper, _awake_zone

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def in_(language: str, text: str, **values) -> str:
    with translation.override(language):
        return translation.gettext(text) % values


def test_a_german_coach_and_a_dutch_coachee_each_get_their_own_language(start_worker, smtp_server):
    zone = _awake_zone()  # a time zone where it is day, so that quiet hours hold nothing back
    coach = UserFactory(name="Clara Kraus", email="clara@example.com", language="de", timezone=zone)
    coachee = CoacheeFactory(
        coach=coach,
        name="Daan de Vries",
        user=CoacheeUserFactory(name="Daan de Vries", email="daan@example.com", language="nl", timezone=zone),
        language="nl",
        timezone=zone,
    )
    coach_client, visitor = Client(), Client()
    coach_client.force_login(coach)
    # Added by the German coach, in Dutch: the invitation is Dutch.
    new = {"name": "Noor Jansen", "email": "noor@example.com", "language": "nl", "timezone": zone}
    coach_client.post(reverse("coaching:coachee_create"), {**new, "send_invitation": "on", "goals": ""})
    # Asked for on a page in English, for the German coach: German.
    visitor.post(reverse("login_link"), {"email": "clara@example.com"}, HTTP_ACCEPT_LANGUAGE="en")
    with transaction.atomic():
        homework = assignment_create(coachee=coachee, kind="preparation", title="Een casus", instructions="Schrijf.")

    worker = start_worker("mail")
    received = smtp_server.wait_for(3)
    submission_submit(assignment=homework, text="Klaar.")
    Sweeper([worker]).run()
    received = smtp_server.wait_for(4)

    subjects = sorted((mail.recipients[0], mail.subject) for mail in received)
    assert subjects == sorted(
        [
            ("noor@example.com", in_("nl", "%(coach)s invites you to CoachHub", coach="Clara Kraus")),
            ("clara@example.com", in_("de", "Your CoachHub login link")),
            (
                "daan@example.com",
                in_("nl", "New homework from %(coach)s: %(title)s", coach="Clara Kraus", title="Een casus"),
            ),
            (
                "clara@example.com",
                in_("de", "%(coachee)s handed in %(title)s", coachee="Daan de Vries", title="Een casus"),
            ),
        ]
    )
    by_recipient = {mail.recipients[0]: mail for mail in received}
    # The bodies too, with their dates in the recipient's language: no English sentence in either.
    dutch = by_recipient["daan@example.com"].text()
    assert in_("nl", "Hello %(name)s,", name="Daan") in dutch and "Hello" not in dutch
    german = next(m for m in received if m.recipients[0] == "clara@example.com" and "Daan" in m.subject).text()
    assert "Hello" not in german and "handed in" not in german
