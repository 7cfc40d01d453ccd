"""Two-factor sign-in: setting up an authenticator app, the second step after every way of logging in,
recovery codes, the wait after wrong codes, removing devices, and the practice-wide requirement."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential
from sesame.utils import get_query_string

from coachhub.accounts import services as account_services
from coachhub.accounts.twofactor import services
from coachhub.accounts.twofactor.views import PENDING_KEY
from tests.accounts.test_login import login
from tests.accounts.test_password_reset import NEW_PASSWORD, reset_link, set_password_through
from tests.accounts.twofactor_helpers import authenticator_for, code_for, code_of
from tests.factories import PASSWORD

OVERVIEW = reverse("twofactor:overview")
VERIFY = reverse("twofactor:verify")
ADD_AUTHENTICATOR = reverse("twofactor:authenticator_add")
RECOVERY_CODES = reverse("twofactor:recovery_codes")
DASHBOARD = reverse("homework:dashboard")


def remove_url(kind: str, pk: int) -> str:
    return reverse("twofactor:device_remove", args=[kind, pk])


def passkey_for(user) -> WebAuthnCredential:
    """A stored passkey record; the browser test makes real ones."""
    return WebAuthnCredential.objects.create(
        user=user, name=user.email, confirmed=True, credential_id=b"credential-" + user.email.encode(), public_key=b"k"
    )


def held_at_second_step(client, url=DASHBOARD) -> bool:
    response = client.get(url)
    return response.status_code == 302 and response["Location"].startswith(VERIFY)


def enter_code(client, code: str, **extra):
    return client.post(VERIFY, {"code": code, **extra})


@pytest.fixture
def coach_with_app(coach):
    return authenticator_for(coach)


# --- Who may open the pages -------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        OVERVIEW,
        VERIFY,
        ADD_AUTHENTICATOR,
        reverse("twofactor:passkey_add"),
        RECOVERY_CODES,
    ],
)
def test_anonymous_is_sent_to_login(url, client, db):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


def test_anonymous_cannot_remove_a_device_or_make_codes(client, coach_with_app):
    url = remove_url("authenticator", coach_with_app.pk)

    assert client.post(url, {"secret": PASSWORD})["Location"].startswith(reverse("login"))
    assert client.post(reverse("twofactor:recovery_codes_regenerate"))["Location"].startswith(reverse("login"))
    assert TOTPDevice.objects.filter(pk=coach_with_app.pk).exists()
    assert not StaticDevice.objects.exists()


def test_making_recovery_codes_takes_a_post(coach_client):
    assert coach_client.get(reverse("twofactor:recovery_codes_regenerate")).status_code == 405


def test_the_settings_page_links_to_two_factor_sign_in(coach_client):
    assert OVERVIEW in coach_client.get(reverse("account_settings")).content.decode()


@pytest.mark.parametrize("kind", ["authenticator", "passkey"])
def test_another_persons_device_answers_404(kind, client, coach, other_coach):
    device = authenticator_for(other_coach) if kind == "authenticator" else passkey_for(other_coach)
    client.force_login(coach)

    assert client.get(remove_url(kind, device.pk)).status_code == 404
    assert client.post(remove_url(kind, device.pk), {"secret": PASSWORD}).status_code == 404
    assert type(device).objects.filter(pk=device.pk).exists()


def test_an_unknown_kind_of_device_answers_404(coach_client, coach):
    assert coach_client.get(remove_url("printer", 1)).status_code == 404


# --- Setting up an authenticator app ----------------------------------------------------------


def test_the_set_up_page_shows_a_qr_code_and_the_key_as_text(coach_client):
    page = coach_client.get(ADD_AUTHENTICATOR).content.decode()

    key = coach_client.session[PENDING_KEY]
    assert "<svg" in page and "QR code to scan with your authenticator app" in page
    assert services.authenticator_secret_for_people(key) in page
    assert 'autocomplete="one-time-code"' in page and 'inputmode="numeric"' in page
    # Showing the page saves nothing.
    assert not TOTPDevice.objects.exists()


def test_a_wrong_code_saves_no_authenticator(coach_client):
    coach_client.get(ADD_AUTHENTICATOR)
    right = code_for(coach_client.session[PENDING_KEY])
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"

    response = coach_client.post(ADD_AUTHENTICATOR, {"code": wrong})

    assert response.status_code == 200
    assert "This code does not match" in response.content.decode()
    assert not TOTPDevice.objects.exists()


def test_the_right_code_turns_the_app_on_and_shows_recovery_codes_once(coach_client, coach):
    coach_client.get(ADD_AUTHENTICATOR)
    key = coach_client.session[PENDING_KEY]

    response = coach_client.post(ADD_AUTHENTICATOR, {"code": code_for(key)})

    assert response["Location"] == RECOVERY_CODES
    device = TOTPDevice.objects.get(user=coach)
    assert (device.key, device.confirmed) == (key, True)
    codes = list(StaticToken.objects.filter(device__user=coach).values_list("token", flat=True))
    assert len(codes) == services.RECOVERY_CODE_COUNT
    page = coach_client.get(RECOVERY_CODES).content.decode()
    assert all(code in page for code in codes)
    again = coach_client.get(RECOVERY_CODES).content.decode()
    assert not any(code in again for code in codes)
    assert "10 unused recovery codes left" in again
    # Setting it up counts as passing the second step in this session.
    assert coach_client.get(DASHBOARD).status_code == 200


def test_the_code_used_to_set_up_cannot_log_in_again(client, coach):
    client.force_login(coach)
    client.get(ADD_AUTHENTICATOR)
    code = code_for(client.session[PENDING_KEY])
    client.post(ADD_AUTHENTICATOR, {"code": code})
    client.post(reverse("logout"))
    login(client, coach.email, PASSWORD)

    response = enter_code(client, code)

    assert "This code is not right" in response.content.decode()
    assert held_at_second_step(client)


# --- No way in skips the second step ----------------------------------------------------------


def test_after_a_password_login_the_code_is_needed(client, coach_with_app, coach):
    assert login(client, coach.email, PASSWORD)["Location"] == reverse("home")
    assert held_at_second_step(client)
    assert client.get(DASHBOARD)["Location"] == f"{VERIFY}?next={DASHBOARD}"
    assert held_at_second_step(client, reverse("account_settings"))
    assert held_at_second_step(client, OVERVIEW)

    response = enter_code(client, code_of(coach_with_app), next=DASHBOARD)

    assert response["Location"] == DASHBOARD
    assert client.get(DASHBOARD).status_code == 200


def test_after_a_login_link_the_code_is_needed(client, coach_with_app, coach):
    link = reverse("login_link_open") + get_query_string(coach, scope=account_services.LOGIN_LINK_SCOPE)
    assert client.post(link)["Location"] == reverse("home")
    assert client.session["_auth_user_id"] == str(coach.pk)

    assert held_at_second_step(client)
    enter_code(client, code_of(coach_with_app))
    assert client.get(DASHBOARD).status_code == 200


def test_after_a_password_reset_the_code_is_still_needed(client, coach_with_app, coach, mailoutbox):
    client.post(reverse("password_reset"), {"email": coach.email})
    set_password_through(client, reset_link(mailoutbox[0]), NEW_PASSWORD)
    assert login(client, coach.email, NEW_PASSWORD)["Location"] == reverse("home")

    assert held_at_second_step(client)
    enter_code(client, code_of(coach_with_app))
    assert client.get(DASHBOARD).status_code == 200


def test_a_wrong_code_keeps_the_person_out(client, coach_with_app, coach):
    login(client, coach.email, PASSWORD)
    wrong = f"{(int(code_of(coach_with_app)) + 5) % 1_000_000:06d}"

    response = enter_code(client, wrong)

    assert response.status_code == 200
    assert "This code is not right" in response.content.decode()
    assert held_at_second_step(client)


def test_the_second_step_does_not_follow_a_next_address_off_the_site(client, coach_with_app, coach):
    login(client, coach.email, PASSWORD)

    response = enter_code(client, code_of(coach_with_app), next="https://evil.example.com/")

    assert response["Location"] == reverse("home")


def test_the_passkey_endpoints_stay_open_at_the_second_step(client, coach):
    passkey_for(coach)
    login(client, coach.email, PASSWORD)

    page = client.get(VERIFY).content.decode()
    response = client.post(reverse("otp_webauthn:credential-authentication-begin"))

    assert "passkey-verification-button" in page
    assert response.status_code == 200
    assert response.json()["challenge"]
    assert held_at_second_step(client)


def test_logging_out_works_at_the_second_step(client, coach_with_app, coach):
    login(client, coach.email, PASSWORD)

    client.post(reverse("logout"))

    assert "_auth_user_id" not in client.session


def test_people_without_a_device_are_not_asked(client, coach):
    login(client, coach.email, PASSWORD)

    assert client.get(DASHBOARD).status_code == 200
    assert client.get(VERIFY)["Location"] == reverse("home")


# --- Recovery codes ---------------------------------------------------------------------------


def test_a_recovery_code_works_once(client, coach_with_app, coach):
    code = services.recovery_codes_generate(user=coach)[0]
    login(client, coach.email, PASSWORD)

    response = client.post(VERIFY, {"recovery_code": f" {code.upper()} "})

    assert response["Location"] == reverse("home")
    assert client.get(DASHBOARD).status_code == 200
    assert StaticToken.objects.filter(device__user=coach).count() == services.RECOVERY_CODE_COUNT - 1
    client.post(reverse("logout"))
    login(client, coach.email, PASSWORD)
    with time_machine.travel(timezone.now() + timedelta(minutes=5)):  # past any wait from the refusal
        again = client.post(VERIFY, {"recovery_code": code})
    assert "used before" in again.content.decode()
    assert held_at_second_step(client)


def test_new_recovery_codes_replace_the_old_ones(coach_client, coach_with_app, coach):
    old = set(services.recovery_codes_generate(user=coach))
    session = coach_client.session
    session["otp_device_id"] = coach_with_app.persistent_id
    session.save()

    response = coach_client.post(reverse("twofactor:recovery_codes_regenerate"))

    assert response["Location"] == RECOVERY_CODES
    new = set(StaticToken.objects.filter(device__user=coach).values_list("token", flat=True))
    assert len(new) == services.RECOVERY_CODE_COUNT and not new & old
    page = coach_client.get(RECOVERY_CODES).content.decode()
    assert all(code in page for code in new)


# --- The wait after wrong codes ---------------------------------------------------------------


def test_too_many_wrong_codes_refuse_even_the_right_one_until_the_wait_passes(client, coach_with_app, coach):
    login(client, coach.email, PASSWORD)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        for _ in range(5):
            wrong = f"{(int(code_of(coach_with_app)) + 7) % 1_000_000:06d}"
            enter_code(client, wrong)
            traveller.shift(timedelta(minutes=1))  # every wrong code counts, none is cut short by a wait
        traveller.shift(timedelta(minutes=-1))  # right after the fifth wrong code: wait 16 seconds
        coach_with_app.refresh_from_db()
        assert coach_with_app.throttling_failure_count == 5

        refused = enter_code(client, code_of(coach_with_app))

        assert "Too many wrong codes; wait 16 seconds" in refused.content.decode()
        assert held_at_second_step(client)
        traveller.shift(timedelta(seconds=10))
        assert "wait 6 seconds" in enter_code(client, code_of(coach_with_app)).content.decode()
        traveller.shift(timedelta(seconds=7))

        assert enter_code(client, code_of(coach_with_app))["Location"] == reverse("home")
        assert client.get(DASHBOARD).status_code == 200
        coach_with_app.refresh_from_db()
        assert coach_with_app.throttling_failure_count == 0


# --- Removing a device ------------------------------------------------------------------------


@pytest.fixture
def verified_coach_client(client, coach, coach_with_app):
    login(client, coach.email, PASSWORD)
    enter_code(client, code_of(coach_with_app))
    assert client.get(DASHBOARD).status_code == 200
    return client


def test_removing_asks_for_the_password_or_a_code(verified_coach_client, coach_with_app):
    url = remove_url("authenticator", coach_with_app.pk)

    page = verified_coach_client.get(url).content.decode()
    refused = verified_coach_client.post(url, {"secret": "not-the-password"})

    assert "Remove this authenticator app?" in page and 'name="secret"' in page
    assert "neither your password nor a current code" in refused.content.decode()
    assert TOTPDevice.objects.filter(pk=coach_with_app.pk).exists()


def test_removing_the_last_device_turns_two_factor_off(verified_coach_client, coach_with_app, coach):
    services.recovery_codes_generate(user=coach)

    response = verified_coach_client.post(remove_url("authenticator", coach_with_app.pk), {"secret": PASSWORD})

    assert response["Location"] == OVERVIEW
    assert not TOTPDevice.objects.filter(user=coach).exists()
    assert not StaticDevice.objects.filter(user=coach).exists()
    overview = verified_coach_client.get(OVERVIEW).content.decode()
    assert "The authenticator app is removed." in overview and ">Off<" in overview
    assert verified_coach_client.get(DASHBOARD).status_code == 200
    verified_coach_client.post(reverse("logout"))
    login(verified_coach_client, coach.email, PASSWORD)
    assert verified_coach_client.get(DASHBOARD).status_code == 200


def test_a_current_code_also_confirms_removal_and_the_other_device_stays(verified_coach_client, coach_with_app, coach):
    passkey = passkey_for(coach)

    with time_machine.travel(timezone.now() + timedelta(seconds=31)):  # the next code, not the one just used
        verified_coach_client.post(
            remove_url("authenticator", coach_with_app.pk), {"secret": code_of(coach_with_app, steps_ahead=1)}
        )
        still_in = verified_coach_client.get(DASHBOARD).status_code

    assert not TOTPDevice.objects.filter(user=coach).exists()
    assert WebAuthnCredential.objects.filter(pk=passkey.pk).exists()
    # The session has passed the second step; removing the app it was passed with does not undo that.
    assert still_in == 200


# --- Required for coaches ---------------------------------------------------------------------


def test_a_practice_can_require_coaches_to_set_it_up(client, coach, coachee, settings):
    settings.TWO_FACTOR_REQUIRED_FOR_COACHES = True
    login(client, coach.email, PASSWORD)

    assert client.get(DASHBOARD)["Location"] == OVERVIEW
    assert client.get(reverse("coaching:coachee_list"))["Location"] == OVERVIEW
    overview = client.get(OVERVIEW)
    assert "asks every coach to use two-factor sign-in" in overview.content.decode()
    assert client.get(reverse("twofactor:passkey_add")).status_code == 200

    client.get(ADD_AUTHENTICATOR)
    client.post(ADD_AUTHENTICATOR, {"code": code_for(client.session[PENDING_KEY])})

    assert client.get(DASHBOARD).status_code == 200


def test_the_requirement_leaves_coachees_alone(client, coachee, settings):
    settings.TWO_FACTOR_REQUIRED_FOR_COACHES = True
    login(client, coachee.user.email, PASSWORD)

    assert client.get(reverse("home"))["Location"] == reverse("my:home")
    assert client.get(reverse("my:home")).status_code == 200


def test_without_the_requirement_coaches_are_free(client, coach):
    login(client, coach.email, PASSWORD)

    assert client.get(DASHBOARD).status_code == 200
    assert "asks every coach" not in client.get(OVERVIEW).content.decode()


def test_coachees_can_turn_it_on_too(coachee_client, coachee):
    coachee_client.get(ADD_AUTHENTICATOR)
    coachee_client.post(ADD_AUTHENTICATOR, {"code": code_for(coachee_client.session[PENDING_KEY])})

    assert TOTPDevice.objects.filter(user=coachee.user, confirmed=True).exists()
    # Setting it up counts as the second step of this session.
    assert coachee_client.get(reverse("my:home")).status_code == 200
