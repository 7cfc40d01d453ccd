"""Helpers for the two-factor tests: devices made the way the pages make them, and codes from them."""

import time

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from coachhub.accounts.twofactor import services


def authenticator_for(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name=services.AUTHENTICATOR_NAME, confirmed=True)


def code_for(key_hex: str, *, steps_ahead: int = 0) -> str:
    """The code an authenticator app holding `key_hex` shows now (or `steps_ahead` 30-second steps later;
    one step ahead is still accepted, and is never the code a test has just used)."""
    totp = TOTP(bytes.fromhex(key_hex), t0=-30 * steps_ahead)
    totp.time = time.time()
    return f"{totp.token():06d}"


def code_of(device: TOTPDevice, **kwargs) -> str:
    return code_for(device.key, **kwargs)
