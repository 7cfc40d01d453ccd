"""Homework as an agreement (issue 13): proposed, a change suggested, accepted, adjusted, kept for
the session, agreed in the session, and unanswered at the next session, with its place in the
review loop. Services first, then the pages of the coach and the coachee."""

import re
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from assignments import services
from assignments.models import AgreementStep, Assignment
from tests.assignments.conftest import NOW, days
from tests.factories import AssignmentFactory, CoachingSessionFactory

BERLIN = ZoneInfo("Europe/Berlin")
A = Assignment.Agreement


def propose(coachee, **fields) -> Assignment:
    """Proposed homework as the assign form makes it."""
    return services.assignment_create(
        coachee=coachee,
        kind="behavioural",
        title="Say no once a day",
        instructions="Say no once a day.",
        purpose="Protect your time.",
        approach="In the morning meeting.",
        review_plan="We look at what it cost and what it gave.",
        propose=True,
        **fields,
    )


def end_of(day) -> datetime:
    return datetime.combine(day, time(23, 59), tzinfo=BERLIN)


def actions(assignment) -> list[str]:
    return list(assignment.agreement_steps.values_list("action", flat=True))


@pytest.fixture
def coach_browser(coach):
    browser = Client()
    browser.force_login(coach)
    return browser


@pytest.fixture
def coachee_browser(coachee):
    browser = Client()
    browser.force_login(coachee.user)
    return browser


# --- Services ---------------------------------------------------------------------------------------


def test_assigned_outright_has_nothing_to_agree(coachee):
    homework = services.assignment_create(coachee=coachee, kind="reflection", title="T", instructions="I")
    assert homework.agreement == A.NONE and not homework.to_agree
    assert actions(homework) == []


def test_a_proposal_waits_for_the_coachee_and_keeps_who_proposed_it(coach, coachee):
    homework = propose(coachee)
    assert homework.agreement == A.PROPOSED and homework.to_agree
    (step,) = homework.agreement_steps.all()
    assert (step.action, step.by, step.created_at) == (AgreementStep.Action.PROPOSED, coach, NOW)


def test_the_coachee_agrees(coachee):
    homework = propose(coachee)
    services.agreement_agree(assignment=homework, by=coachee.user)
    homework.refresh_from_db()
    assert homework.agreement == A.AGREED and not homework.to_agree
    assert actions(homework) == ["proposed", "agreed"]


def test_a_suggestion_keeps_the_terms_until_the_coach_answers_and_shows_old_and_new(coachee):
    homework = propose(coachee)
    later = end_of(NOW.date() + timedelta(days=10))
    step = services.agreement_suggest(
        assignment=homework,
        by=coachee.user,
        note="Mornings are full.",
        terms={"instructions": homework.instructions, "approach": "After lunch.", "due_at": later},
    )
    homework.refresh_from_db()
    assert homework.agreement == A.SUGGESTED
    assert (homework.approach, homework.due_at) == ("In the morning meeting.", None)  # unchanged until accepted
    assert step.changes == {
        "approach": {"old": "In the morning meeting.", "new": "After lunch."},
        "due_at": {"old": "", "new": later.isoformat()},
    }
    rows = {row["label"]: (row["old"], row["new"]) for row in step.change_rows()}
    assert rows == {
        "how (approach)": ("In the morning meeting.", "After lunch."),
        "due": ("at the next session", "Thu 22 Jan 2026"),
    }


def test_accepting_takes_the_suggested_terms(coach, coachee):
    homework = propose(coachee)
    later = end_of(NOW.date() + timedelta(days=10))
    services.agreement_suggest(
        assignment=homework, by=coachee.user, note="n", terms={"approach": "After lunch.", "due_at": later}
    )
    services.agreement_accept(assignment=homework, by=coach)
    homework.refresh_from_db()
    assert (homework.agreement, homework.approach, homework.due_at) == (A.AGREED, "After lunch.", later)
    assert actions(homework) == ["proposed", "suggested", "accepted"]
    assert set(homework.agreement_steps.last().changes) == {"approach", "due_at"}


def test_adjusting_sets_the_coachs_terms_and_agrees(coach, coachee):
    homework = propose(coachee)
    services.agreement_suggest(assignment=homework, by=coachee.user, note="n", terms={"approach": "Never."})
    services.agreement_adjust(
        assignment=homework,
        by=coach,
        terms={"instructions": "Say no twice a week.", "approach": "In one meeting a week.", "due_at": None},
        note="Smaller, but not nothing.",
    )
    homework.refresh_from_db()
    assert homework.agreement == A.AGREED
    assert (homework.instructions, homework.approach) == ("Say no twice a week.", "In one meeting a week.")
    step = homework.agreement_steps.last()
    assert (step.action, step.note, set(step.changes)) == (
        "adjusted",
        "Smaller, but not nothing.",
        {"instructions", "approach"},
    )


def test_discussing_keeps_it_to_agree_and_the_coach_can_still_accept(coach, coachee):
    homework = propose(coachee)
    services.agreement_suggest(assignment=homework, by=coachee.user, note="n", terms={"approach": "After lunch."})
    services.agreement_discuss(assignment=homework, by=coach, note="Let us talk.")
    homework.refresh_from_db()
    assert homework.agreement == A.TO_DISCUSS and homework.to_agree
    services.agreement_accept(assignment=homework, by=coach)
    homework.refresh_from_db()
    assert (homework.agreement, homework.approach) == (A.AGREED, "After lunch.")


@pytest.mark.parametrize(
    "step",
    [
        lambda h, c: services.agreement_agree(assignment=h, by=c.user),
        lambda h, c: services.agreement_suggest(assignment=h, by=c.user, note="n", terms={}),
        lambda h, c: services.agreement_accept(assignment=h, by=c.coach),
        lambda h, c: services.agreement_adjust(assignment=h, by=c.coach, terms={}),
        lambda h, c: services.agreement_discuss(assignment=h, by=c.coach),
    ],
    ids=["agree", "suggest", "accept", "adjust", "discuss"],
)
def test_steps_out_of_order_are_refused_and_change_nothing(coachee, step):
    agreed = propose(coachee)
    services.agreement_agree(assignment=agreed, by=coachee.user)
    outright = AssignmentFactory(coachee=coachee)
    cancelled = propose(coachee)
    services.assignment_cancel(assignment=cancelled)
    for homework in (agreed, outright, cancelled):
        before = actions(homework)
        with pytest.raises(services.AgreementOutOfOrder):
            step(homework, coachee)
        assert actions(homework) == before


def test_the_coach_cannot_answer_a_proposal_the_coachee_has_not_answered(coach, coachee):
    homework = propose(coachee)
    with pytest.raises(services.AgreementOutOfOrder):
        services.agreement_accept(assignment=homework, by=coach)


# --- Its place in the review loop ---------------------------------------------------------------


def test_unanswered_it_stands_on_the_next_sessions_agenda_to_agree_and_only_there(coachee, next_session, later_session):
    homework = propose(coachee)
    on_next = Assignment.objects.on_agenda(next_session, NOW)
    assert [(a.pk, a.to_agree) for a in on_next] == [(homework.pk, True)]
    assert not Assignment.objects.on_agenda(later_session, NOW).exists()


def test_agreed_in_the_session_only_once_the_session_has_opened(coach, coachee, next_session):
    homework = propose(coachee)
    with pytest.raises(services.SessionNotOpenForAgreeing):
        services.agreement_in_session(assignment=homework, session=next_session, by=coach)
    services.agreement_in_session(
        assignment=homework, session=next_session, by=coach, now=days(7) - timedelta(minutes=30)
    )
    homework.refresh_from_db()
    assert homework.agreement == A.AGREED
    step = homework.agreement_steps.last()
    assert (step.action, step.session) == ("in_session", next_session)


def test_an_accepted_new_date_moves_it_to_the_session_after_that_date(coach, coachee, next_session, later_session):
    homework = propose(coachee)
    services.agreement_suggest(
        assignment=homework, by=coachee.user, note="n", terms={"due_at": end_of(days(10).date())}
    )
    services.agreement_accept(assignment=homework, by=coach)
    (row,) = Assignment.objects.filter(pk=homework.pk).with_review_loop(NOW)
    assert row.review_session_id == later_session.pk


# --- Pages --------------------------------------------------------------------------------------


def test_the_coach_proposes_on_the_assign_form_with_the_default_from_their_settings(
    coach, coach_browser, coachee, next_session
):
    url = reverse("homework:assign", args=[coachee.pk]) + "?blank=1"

    def propose_box():
        return re.search(r'<input[^>]*name="propose"[^>]*>', coach_browser.get(url).content.decode()).group(0)

    assert "checked" not in propose_box()
    coach.propose_homework = True
    coach.save()
    assert "checked" in propose_box()
    data = {
        "kind": "preparation",
        "title": "Bring a case",
        "instructions": "Bring one case.",
        "cadence": "once",
        "due": "next_session",
        "propose": "on",
    }
    response = coach_browser.post(url, data, follow=True)
    homework = Assignment.objects.get(title="Bring a case")
    assert homework.agreement == A.PROPOSED
    assert "proposed to Cody Coachee" in response.content.decode()


def test_the_coach_sets_the_default_in_the_account_settings(coach, coach_browser, coachee_browser):
    data = {"name": coach.name, "language": "en", "timezone": coach.timezone, "propose_homework": "on"}
    assert coach_browser.post(reverse("account_settings"), data).status_code == 302
    coach.refresh_from_db()
    assert coach.propose_homework
    assert 'name="propose_homework"' not in coachee_browser.get(reverse("account_settings")).content.decode()


def test_the_coachee_sees_the_proposal_and_agrees(coachee, coachee_browser, coach_browser):
    homework = propose(coachee)
    page = coachee_browser.get(reverse("my:assignment", args=[homework.pk])).content.decode()
    for text in (
        "Your coach proposes this homework",
        "Protect your time.",
        "In the morning meeting.",
        "We look at what it cost",
    ):
        assert text in page, text
    response = coachee_browser.post(reverse("my:agree", args=[homework.pk]), follow=True)
    assert "Agreed. Your coach sees it now." in response.content.decode()
    homework.refresh_from_db()
    assert homework.agreement == A.AGREED
    coach_page = coach_browser.get(reverse("homework:assignment_detail", args=[homework.pk])).content.decode()
    assert "Cody Coachee</strong> agreed" in coach_page


def test_agreeing_twice_is_a_message_not_an_error(coachee, coachee_browser):
    homework = propose(coachee)
    coachee_browser.post(reverse("my:agree", args=[homework.pk]))
    response = coachee_browser.post(reverse("my:agree", args=[homework.pk]), follow=True)
    assert response.status_code == 200
    assert "is agreed already" in response.content.decode()
    assert actions(homework) == ["proposed", "agreed"]


def test_the_coachee_suggests_a_change_and_the_coach_sees_it_beside_the_original(
    coachee, coachee_browser, coach_browser
):
    homework = propose(coachee)
    url = reverse("my:suggest", args=[homework.pk])
    form = coachee_browser.get(url).content.decode()
    assert "In the morning meeting." in form
    # Without a note: an error, and the typed text stays.
    data = {"instructions": homework.instructions, "approach": "After lunch, at my desk.", "due_date": "", "note": ""}
    response = coachee_browser.post(url, data)
    assert response.status_code == 200
    assert "Say in a few words what you would change" in response.content.decode()
    assert "After lunch, at my desk." in response.content.decode()
    data["note"] = "Mornings are packed."
    response = coachee_browser.post(url, data)
    assert response.status_code == 302
    homework.refresh_from_db()
    assert homework.agreement == A.SUGGESTED
    page = coach_browser.get(reverse("homework:assignment_detail", args=[homework.pk])).content.decode()
    assert "Cody Coachee suggests a change" in page and "Mornings are packed." in page
    assert "<del>In the morning meeting.</del>" in page and "<ins>After lunch, at my desk.</ins>" in page
    assert reverse("homework:agreement_accept", args=[homework.pk]) in page
    # Suggesting again, on a page still open: a message.
    response = coachee_browser.get(url, follow=True)
    assert "does not fit now" in response.content.decode()


def test_a_suggested_date_in_the_past_is_a_form_error(coachee, coachee_browser):
    homework = propose(coachee)
    data = {"instructions": "x", "approach": "", "due_date": "2026-01-01", "note": "n"}
    response = coachee_browser.post(reverse("my:suggest", args=[homework.pk]), data)
    assert response.status_code == 200 and "Pick today or a later date." in response.content.decode()
    assert actions(homework) == ["proposed"]


def test_the_coach_accepts_from_the_page(coachee, coach_browser):
    homework = propose(coachee)
    services.agreement_suggest(assignment=homework, by=coachee.user, note="n", terms={"approach": "After lunch."})
    response = coach_browser.post(reverse("homework:agreement_accept", args=[homework.pk]), follow=True)
    assert "Suggestion accepted" in response.content.decode()
    homework.refresh_from_db()
    assert (homework.agreement, homework.approach) == (A.AGREED, "After lunch.")
    again = coach_browser.post(reverse("homework:agreement_accept", args=[homework.pk]), follow=True)
    assert again.status_code == 200 and "is agreed already" in again.content.decode()


def test_the_coach_adjusts_starting_from_the_suggestion(coachee, coach_browser, coachee_browser):
    homework = propose(coachee)
    services.agreement_suggest(assignment=homework, by=coachee.user, note="n", terms={"approach": "After lunch."})
    url = reverse("homework:agreement_adjust", args=[homework.pk])
    assert "After lunch." in coach_browser.get(url).content.decode()
    data = {"instructions": "Say no twice a week.", "approach": "After lunch.", "due_date": "", "note": "Smaller."}
    assert coach_browser.post(url, data).status_code == 302
    homework.refresh_from_db()
    assert (homework.agreement, homework.instructions) == (A.AGREED, "Say no twice a week.")
    page = coachee_browser.get(reverse("my:assignment", args=[homework.pk])).content.decode()
    assert "adjusted it and agreed" in page and "<ins>Say no twice a week.</ins>" in page
    assert coach_browser.get(url, follow=True).status_code == 200  # nothing to adjust now: a message


def test_the_coach_keeps_it_for_the_session(coachee, coach_browser):
    homework = propose(coachee)
    services.agreement_suggest(assignment=homework, by=coachee.user, note="n", terms={"approach": "After lunch."})
    coach_browser.post(reverse("homework:agreement_discuss", args=[homework.pk]), {"note": "Talk first."})
    homework.refresh_from_db()
    assert homework.agreement == A.TO_DISCUSS
    assert homework.agreement_steps.last().note == "Talk first."


def test_the_agenda_shows_it_to_agree_and_in_session_mode_agrees_it_in_one_click(coachee, coach_browser, frozen_clock):
    homework = propose(coachee)
    session = CoachingSessionFactory(coachee=coachee, starts_at=days(7))
    page = coach_browser.get(reverse("homework:session_detail", args=[session.pk])).content.decode()
    assert "To agree" in page
    agreed_url = reverse("homework:agreed_in_session", args=[session.pk, homework.pk])
    assert agreed_url not in page  # not in session mode yet
    too_early = coach_browser.post(agreed_url, follow=True)
    assert "from an hour before it starts" in too_early.content.decode()
    frozen_clock.move_to(days(7) - timedelta(minutes=30))
    page = coach_browser.get(reverse("homework:session_detail", args=[session.pk])).content.decode()
    assert agreed_url in page
    response = coach_browser.post(agreed_url)
    assert response["Location"].endswith(f"#assignment-{homework.pk}")
    homework.refresh_from_db()
    assert homework.agreement == A.AGREED
    assert "To agree" not in coach_browser.get(reverse("homework:session_detail", args=[session.pk])).content.decode()


def test_another_coachs_or_coachees_homework_is_not_found(coachee, other_coachee, other_coach):
    homework = propose(coachee)
    stranger = Client()
    stranger.force_login(other_coachee.user)
    assert stranger.post(reverse("my:agree", args=[homework.pk])).status_code == 404
    stranger.force_login(other_coach)
    assert stranger.post(reverse("homework:agreement_accept", args=[homework.pk])).status_code == 404
    assert actions(homework) == ["proposed"]
