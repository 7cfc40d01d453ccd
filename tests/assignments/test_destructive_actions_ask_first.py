"""Archiving a coachee, cancelling homework and cancelling a session ask first where the browser
runs scripts (static/js/confirm.js reads data-confirm); without scripts the forms simply submit."""

from django.urls import reverse

from tests.factories import AssignmentFactory


def test_archiving_a_coachee_asks_first(coach_client, coachee):
    action = reverse("coaching:coachee_archive", args=[coachee.pk])
    question = "Archive Cody Coachee? You can restore them later."

    for page in (
        coach_client.get(reverse("homework:coachee_detail", args=[coachee.pk])),
        coach_client.get(reverse("coaching:coachee_edit", args=[coachee.pk])),
    ):
        assert f'action="{action}" data-confirm="{question}"' in page.content.decode()


def test_cancelling_homework_asks_first(coach_client, coachee):
    homework = AssignmentFactory(coachee=coachee)
    action = reverse("homework:assignment_cancel", args=[homework.pk])

    page = coach_client.get(reverse("homework:assignment_detail", args=[homework.pk])).content.decode()

    assert f'action="{action}" data-confirm="Cancel this homework?' in page


def test_every_page_loads_the_confirmation_script(coach_client):
    page = coach_client.get(reverse("homework:dashboard")).content.decode()

    assert '<script src="/static/js/confirm.js" defer></script>' in page
