"""Nothing typed is lost: on a validation error, with autosave, and when the login expired while
the coachee was typing (the text survives the round trip through the login page)."""

import json

from django.urls import reverse

from assignments.forms import ANSWER_MAX
from assignments.models import Assignment, Submission
from tests.coachee.conftest import TODAY, homework, page_url
from tests.factories import PASSWORD


def draft_url(assignment):
    return reverse("my:draft", args=[assignment.pk])


def log_in_through_the_form(client, user, next_url):
    """Log in as a person does, through the login page, which keeps the session's data."""
    response = client.post(
        f"{reverse('login')}?next={next_url}", {"username": user.email, "password": PASSWORD}, follow=False
    )
    assert response.status_code == 302, response.content.decode()[:500]
    return response["Location"]


def the_login_expires(client, user):
    """This browser was signed in as `user` (a signed-in page view names the account in a cookie),
    and the login has since ended on the server: the session row is gone, the cookie stale."""
    client.force_login(user)
    assert client.get(reverse("my:home")).status_code == 200
    client.session.flush()


def test_a_validation_error_shows_everything_typed(coachee_client, coachee):
    reflection = homework(coachee, "reflection")
    too_long = "x" * (ANSWER_MAX + 1)
    response = coachee_client.post(
        page_url(reflection), {"action": "draft", "answer_0": too_long, "answer_1": "My second answer", "remark": "Ok"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Shorten this to at most 10000 characters (it has 10001)." in page
    assert too_long in page
    assert "My second answer" in page
    assert "Not saved yet" in page


def test_autosave_keeps_a_draft_while_typing(coachee_client, coachee):
    reflection = homework(coachee, "reflection")
    response = coachee_client.post(
        draft_url(reflection), {"answer_0": "Half a thought", "action": "submit"}, HTTP_X_REQUESTED_WITH="fetch"
    )
    assert response.status_code == 200
    assert json.loads(response.content)["message"] == "Draft saved at 10:00"
    reflection.refresh_from_db()
    assert reflection.submission.answers == ["Half a thought", ""]
    assert reflection.status == Assignment.Status.STARTED  # autosave never submits


def test_autosave_says_why_it_did_not_save(coachee_client, coachee):
    reflection = homework(coachee, "reflection")
    response = coachee_client.post(draft_url(reflection), {"answer_0": "x" * (ANSWER_MAX + 1)})
    assert response.status_code == 400
    assert "Not saved yet: Shorten this" in json.loads(response.content)["message"]


def test_a_reload_shows_the_saved_draft(coachee_client, coachee):
    preparation = homework(coachee, "preparation")
    coachee_client.post(draft_url(preparation), {"text": "The case of the missed deadline"})
    assert "The case of the missed deadline" in coachee_client.get(page_url(preparation)).content.decode()


def test_work_typed_while_the_login_expired_is_saved_after_logging_in(client, coachee):
    reflection = homework(coachee, "reflection")
    client.force_login(coachee.user)
    assert client.get(page_url(reflection)).status_code == 200
    client.session.flush()  # the session ends while the coachee types

    response = client.post(
        page_url(reflection), {"action": "submit", "answer_0": "Typed for twenty minutes", "answer_1": "And more"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={page_url(reflection).replace('/', '%2F')}"
    assert not Submission.objects.filter(assignment=reflection).exists()
    assert "what you typed is kept" in client.get(response["Location"]).content.decode()

    back_to = log_in_through_the_form(client, coachee.user, page_url(reflection))
    assert back_to == page_url(reflection)
    page = client.get(back_to).content.decode()
    assert "What you typed is saved as a draft." in page
    assert "Typed for twenty minutes" in page
    submission = Submission.objects.get(assignment=reflection)
    assert submission.answers == ["Typed for twenty minutes", "And more"]
    reflection.refresh_from_db()
    assert reflection.status == Assignment.Status.STARTED  # kept, not submitted behind the coachee's back
    # Only once: the kept text is not restored again.
    assert "saved as a draft" not in client.get(page_url(reflection)).content.decode()


def test_a_session_flushed_between_get_and_post_keeps_the_text_too(client, coachee):
    preparation = homework(coachee, "preparation")
    client.force_login(coachee.user)
    client.get(page_url(preparation))
    session = client.session
    session.flush()  # expired on the server
    client.cookies.pop("sessionid", None)
    client.post(page_url(preparation), {"action": "draft", "text": "My case, written on the train"})
    log_in_through_the_form(client, coachee.user, page_url(preparation))
    client.get(page_url(preparation))
    assert Submission.objects.get(assignment=preparation).text == "My case, written on the train"


def test_a_check_in_typed_while_the_login_expired_waits_in_its_form(client, coachee):
    practice = homework(coachee, "behavioural")
    the_login_expires(client, coachee.user)
    client.post(
        reverse("my:entry_add", args=[practice.pk]),
        {"day": TODAY.isoformat(), "did_it": "yes", "note": "Said no to the Friday call"},
    )
    log_in_through_the_form(client, coachee.user, page_url(practice))
    page = client.get(page_url(practice)).content.decode()
    assert "Check it and add it again." in page
    assert "Said no to the Friday call" in page
    assert 'value="yes" checked' in page
    assert not practice.log_entries.exists()


def test_autosave_after_the_login_expired_answers_401_and_keeps_the_text(client, coachee):
    preparation = homework(coachee, "preparation")
    the_login_expires(client, coachee.user)
    response = client.post(draft_url(preparation), {"text": "Autosaved words"}, HTTP_X_REQUESTED_WITH="fetch")
    assert response.status_code == 401
    body = json.loads(response.content)
    assert body["login_url"].startswith(reverse("login") + "?next=")
    log_in_through_the_form(client, coachee.user, page_url(preparation))
    client.get(page_url(preparation))
    assert Submission.objects.get(assignment=preparation).text == "Autosaved words"


def test_kept_text_is_never_shown_to_someone_else_who_logs_in(client, coachee, other_coachee):
    preparation = homework(coachee, "preparation")
    the_login_expires(client, coachee.user)
    client.post(page_url(preparation), {"action": "draft", "text": "Private words"})
    assert client.session.get("coachhub_pending_work")  # kept, for the coachee
    log_in_through_the_form(client, other_coachee.user, page_url(preparation))
    assert client.get(page_url(preparation)).status_code == 404
    assert not Submission.objects.filter(assignment=preparation).exists()


def test_the_home_page_points_to_kept_text(client, coachee):
    preparation = homework(coachee, "preparation")
    the_login_expires(client, coachee.user)
    client.post(page_url(preparation), {"action": "draft", "text": "Waiting"})
    log_in_through_the_form(client, coachee.user, reverse("my:home"))
    page = client.get(reverse("my:home")).content.decode()
    assert "You typed something while your login had expired" in page
    assert page_url(preparation) in page
