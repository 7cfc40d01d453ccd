"""Proposed homework (issue 13): one gentle reminder to the coachee while the proposal waits, no
nudge meanwhile; a suggestion waiting for the coach stands in the coach's digest and dashboard."""

from datetime import timedelta

from django.test import Client
from django.urls import reverse

from assignments import services as homework
from assignments.reminders.models import Kind, MailPreferences

from .conftest import NOW, walk


def propose(coachee, title="Say no once a day"):
    return homework.assignment_create(
        coachee=coachee,
        kind="behavioural",
        title=title,
        instructions="Say no once a day.",
        propose=True,
        assigned_at=NOW,
    )


def of_kind(sent, kind):
    return [s for s in sent if s.kind == kind]


def test_an_unanswered_proposal_is_recalled_once_and_never_nudged(coachee, next_session, clock, settings):
    settings.SITE_URL = "https://coachhub.example.com"
    proposal = propose(coachee)

    sent = walk(clock, next_session.starts_at, step=timedelta(hours=2))

    [reminder] = of_kind(sent, Kind.PROPOSAL)
    assert reminder.at - NOW < timedelta(days=2, hours=2)  # two days on, outside quiet hours
    assert reminder.message.to == ["cody@example.com"]
    assert "waits for your answer: Say no once a day" in reminder.message.subject
    assert "Agree, or suggest a change" in reminder.message.body
    link = "https://coachhub.example.com" + reverse("my:assignment", args=[proposal.pk]) + "#agreement"
    assert link in reminder.message.body
    assert of_kind(sent, Kind.NUDGE) == []


def test_no_reminder_once_answered(coachee, next_session, clock):
    proposal = propose(coachee)
    clock.forward(days=1)
    homework.agreement_agree(assignment=proposal, by=coachee.user)

    sent = walk(clock, next_session.starts_at, step=timedelta(hours=2))

    assert of_kind(sent, Kind.PROPOSAL) == []


def test_no_reminder_when_the_coachee_switched_new_homework_mails_off(coachee, next_session, clock):
    MailPreferences.objects.create(coachee=coachee, new_assignment=False)
    propose(coachee)

    assert of_kind(walk(clock, next_session.starts_at, step=timedelta(hours=2)), Kind.PROPOSAL) == []


def test_the_digest_lists_what_is_still_to_agree(coachee, next_session, clock):
    waiting = propose(coachee, title="Bring a case")
    clock.forward(hours=1)
    homework.agreement_suggest(assignment=waiting, by=coachee.user, note="Later", terms={"approach": "Friday"})

    [digest] = of_kind(walk(clock, next_session.starts_at, step=timedelta(hours=2)), Kind.COACH_DIGEST)

    to_agree = digest.message.body.split("To agree:")[1]
    assert "Bring a case (Change suggested)" in to_agree


def test_the_dashboard_shows_suggestions_waiting_for_the_coach(coach, coachee, other_coach, clock):
    waiting = propose(coachee, title="Bring a case")
    homework.agreement_suggest(assignment=waiting, by=coachee.user, note="Later", terms={"approach": "Friday"})
    browser = Client()
    browser.force_login(coach)
    page = browser.get(reverse("homework:dashboard")).content.decode()
    assert "1</strong> suggested change waits for your answer" in page
    assert reverse("homework:assignment_detail", args=[waiting.pk]) + "#agreement" in page
    homework.agreement_accept(assignment=waiting, by=coach)
    assert "suggested change" not in browser.get(reverse("homework:dashboard")).content.decode()
    browser.force_login(other_coach)
    assert "Bring a case" not in browser.get(reverse("homework:dashboard")).content.decode()
