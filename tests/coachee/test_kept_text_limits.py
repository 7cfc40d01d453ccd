"""Text typed after the login expired is kept only for the coachee this browser was signed in as,
bounded in size and time: anonymous POSTs cannot fill the session store."""

import secrets
from datetime import timedelta

from django.contrib.sessions.models import Session
from django.core import signing
from django.db.models import Sum
from django.db.models.functions import Length
from django.urls import reverse

from assignments.coachee_views import PENDING_MAX_AGE, PENDING_MAX_BYTES, PENDING_MAX_VALUE
from assignments.models import Submission
from coachhub.accounts import devices
from tests.coachee.conftest import homework, page_url
from tests.coachee.test_drafts import log_in_through_the_form, the_login_expires
from tests.factories import PASSWORD


def session_store_bytes() -> int:
    return Session.objects.aggregate(total=Sum(Length("session_data")))["total"] or 0


def big_post(fields: int = 60) -> dict:
    """About 1.5 MB of text that does not compress, in the fields of the reflection form."""
    return {"action": "draft", **{f"answer_{n}": secrets.token_urlsafe(PENDING_MAX_VALUE) for n in range(fields)}}


def test_anonymous_big_posts_leave_the_session_store_small(client, coachee):
    reflection = homework(coachee, "reflection")
    for _ in range(5):
        response = client.post(page_url(reflection), big_post())
        assert response.status_code == 302
    assert session_store_bytes() < 2_000
    assert "repeat the last step" in client.get(response["Location"]).content.decode()


def test_a_made_up_signed_in_cookie_keeps_nothing(client, coachee):
    reflection = homework(coachee, "reflection")
    client.cookies[devices.SIGNED_IN_AS_COOKIE] = str(coachee.user.pk)
    client.post(page_url(reflection), big_post(fields=2))
    wrong_salt = signing.get_cookie_signer(salt=devices.SIGNED_IN_AS_COOKIE + "x").sign(str(coachee.user.pk))
    client.cookies[devices.SIGNED_IN_AS_COOKIE] = wrong_salt
    client.post(page_url(reflection), big_post(fields=2))
    assert session_store_bytes() < 2_000
    # The same value, signed with the site's key as the login signs it, is believed.
    genuine = signing.get_cookie_signer(salt=devices.SIGNED_IN_AS_COOKIE + devices.SIGNED_IN_AS_SALT)
    client.cookies[devices.SIGNED_IN_AS_COOKIE] = genuine.sign(str(coachee.user.pk))
    client.post(page_url(reflection), big_post(fields=2))
    assert session_store_bytes() > 2 * PENDING_MAX_VALUE


def test_a_coachee_cannot_park_text_on_someone_elses_homework(client, coachee, other_coachee):
    theirs = homework(coachee, "reflection")
    the_login_expires(client, other_coachee.user)
    before = session_store_bytes()
    client.post(page_url(theirs), big_post(fields=2))
    assert session_store_bytes() - before < 2_000


def test_the_own_coachees_text_is_kept_within_the_limit(client, coachee):
    """Five big POSTs on five homework pages of the coachee keep at most PENDING_MAX_BYTES; the last
    page's first answer comes back after logging in."""
    pages = [homework(coachee, "reflection") for _ in range(5)]
    the_login_expires(client, coachee.user)
    for reflection in pages:
        answers = {"answer_0": f"What I noticed in week {reflection.pk}", "answer_1": "Calm"}
        client.post(page_url(reflection), {**big_post(), **answers})
    assert session_store_bytes() < 2 * PENDING_MAX_BYTES  # signed and base64-encoded, not compressed

    log_in_through_the_form(client, coachee.user, page_url(pages[-1]))
    assert "What you typed is saved as a draft." in client.get(page_url(pages[-1])).content.decode()
    assert Submission.objects.get(assignment=pages[-1]).answers[0] == f"What I noticed in week {pages[-1].pk}"


def test_kept_text_expires(client, coachee, frozen_clock):
    preparation = homework(coachee, "preparation")
    the_login_expires(client, coachee.user)
    client.post(page_url(preparation), {"action": "draft", "text": "Written long ago"})
    frozen_clock.shift(PENDING_MAX_AGE + timedelta(minutes=1))

    log_in_through_the_form(client, coachee.user, page_url(preparation))
    page = client.get(page_url(preparation)).content.decode()
    assert "Written long ago" not in page
    assert not Submission.objects.filter(assignment=preparation).exists()
    assert "You typed something" not in client.get(reverse("my:home")).content.decode()


def test_logging_in_names_the_account_in_the_browser_and_logging_out_forgets_it(client, coachee):
    response = client.post(reverse("login"), {"username": coachee.user.email, "password": PASSWORD})
    assert response.cookies[devices.SIGNED_IN_AS_COOKIE].value
    assert response.cookies[devices.SIGNED_IN_AS_COOKIE]["httponly"]

    response = client.post(reverse("logout"))
    assert response.cookies[devices.SIGNED_IN_AS_COOKIE].value == ""

    preparation = homework(coachee, "preparation")
    client.post(page_url(preparation), {"action": "draft", "text": "Typed by whoever comes next"})
    assert not client.session.get("coachhub_pending_work")
