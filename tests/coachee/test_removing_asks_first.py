"""Removing a check-in, an observation or a file asks first where the browser runs scripts
(static/js/confirm.js reads data-confirm); without scripts the button simply works."""

from django.urls import reverse

from assignments.models import LogEntry
from tests.coachee.conftest import TODAY, homework, page_url
from tests.factories import LogEntryFactory, UploadFactory


def test_removing_a_check_in_or_an_observation_asks_first(coachee_client, coachee):
    practice = homework(coachee, "behavioural")
    check_in = LogEntryFactory(assignment=practice, day=TODAY)
    observation = homework(coachee, "observation")
    noted = LogEntryFactory(assignment=observation, type=LogEntry.Type.OBSERVATION, did_it=None, day=TODAY)

    for assignment, entry in ((practice, check_in), (observation, noted)):
        page = coachee_client.get(page_url(assignment)).content.decode()
        action = reverse("my:entry_delete", args=[assignment.pk, entry.pk])
        assert f'action="{action}" class="ms-auto" data-confirm="Remove your entry for Mon 12 Jan?"' in page
        assert "js/confirm.js" in page


def test_removing_a_file_asks_first_and_works_without_scripts(coachee_client, coachee):
    collage = homework(coachee, "creative")
    upload = UploadFactory(assignment=collage, original_name="collage.png")
    action = reverse("my:upload_delete", args=[collage.pk, upload.pk])

    page = coachee_client.get(page_url(collage)).content.decode()
    response = coachee_client.post(action)

    assert f'action="{action}" data-confirm="Remove “collage.png”?"' in page
    assert response.status_code == 302
    assert not collage.uploads.exists()
