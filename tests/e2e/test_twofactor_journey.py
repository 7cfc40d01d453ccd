"""Two-factor sign-in in a real browser: a coach sets up an authenticator app, then a passkey (with
Chromium's virtual authenticator), and each time has to pass the second step after logging in."""

import re
from base64 import b32decode

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential
from playwright.sync_api import expect

from tests.accounts.twofactor_helpers import code_for
from tests.e2e.conftest import log_in, shoot
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

EMAIL = "clara@example.com"
DASHBOARD = re.compile(r"/dashboard/$")
SECOND_STEP = re.compile(r"/accounts/security/two-factor/verify/")


@pytest.fixture
def coach(db):
    return UserFactory(email=EMAIL, name="Clara Coach")


def log_out(page):
    page.get_by_role("navigation", name="Main").get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))


def fits_a_phone(page) -> bool:
    page.set_viewport_size({"width": 375, "height": 812})
    fits = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.set_viewport_size({"width": 1280, "height": 900})
    return fits


def test_an_authenticator_app_is_set_up_and_then_asked_for(page, coach):
    log_in(page, EMAIL)
    expect(page).to_have_url(DASHBOARD)
    page.goto("/accounts/settings/")
    page.get_by_role("link", name="Manage two-factor sign-in").click()
    page.get_by_role("link", name="Set up an authenticator app").click()

    expect(page.get_by_role("img", name="QR code to scan with your authenticator app")).to_be_visible()
    assert fits_a_phone(page)
    # What a person types into their app by hand is what the test's "app" holds.
    secret = page.locator("#authenticator-secret").inner_text().replace(" ", "")
    key = b32decode(secret).hex()
    page.get_by_label("Six-digit code from your authenticator app").fill(code_for(key))
    page.get_by_role("button", name="Turn on the authenticator app").click()

    expect(page.get_by_role("heading", name="Recovery codes")).to_be_visible()
    expect(page.locator(".recovery-code")).to_have_count(10)
    assert TOTPDevice.objects.get(user=coach).key == key
    page.get_by_role("link", name="I have saved them").click()
    expect(page.get_by_text("On", exact=True)).to_be_visible()
    shoot(page, "twofactor-overview")

    log_out(page)
    log_in(page, EMAIL)
    expect(page).to_have_url(SECOND_STEP)
    page.goto("/dashboard/")
    expect(page).to_have_url(SECOND_STEP)
    assert fits_a_phone(page)
    shoot(page, "twofactor-second-step")
    code_field = page.get_by_label("Six-digit code from your authenticator app")
    expect(code_field).to_have_attribute("autocomplete", "one-time-code")
    expect(code_field).to_have_attribute("inputmode", "numeric")
    # The code used at set-up is spent; the app's next one is accepted.
    code_field.fill(code_for(key, steps_ahead=1))
    page.get_by_role("button", name="Continue").click()

    expect(page).to_have_url(DASHBOARD)


def test_a_passkey_is_added_and_then_asked_for(page, coach, live_server, settings):
    # Passkeys belong to one domain: the live server's, in this test.
    settings.OTP_WEBAUTHN_RP_ID = "localhost"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )
    assert live_server.url.startswith("http://localhost:")

    log_in(page, EMAIL)
    expect(page).to_have_url(DASHBOARD)
    page.goto("/accounts/security/two-factor/")
    page.get_by_role("link", name="Add a passkey").click()
    page.get_by_role("button", name="Add a passkey").click()

    expect(page).to_have_url(re.compile(r"/accounts/security/two-factor/$"))
    expect(page.get_by_text("On", exact=True)).to_be_visible()
    assert WebAuthnCredential.objects.filter(user=coach, confirmed=True).count() == 1

    log_out(page)
    log_in(page, EMAIL)
    expect(page).to_have_url(SECOND_STEP)
    page.get_by_role("button", name="Use your passkey").click()

    expect(page).to_have_url(DASHBOARD)
    assert WebAuthnCredential.objects.get(user=coach).last_used_at is not None
