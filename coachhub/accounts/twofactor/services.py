"""Reads and writes of a person's second factors. Views call these; nothing here touches a request."""

import time
from base64 import b32encode
from binascii import unhexlify
from dataclasses import dataclass
from math import ceil

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django_otp.models import Device
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key
from django_otp_webauthn.models import WebAuthnCredential

from coachhub.accounts.models import User

RECOVERY_CODE_COUNT = 10
# Stored names; pages show their own translated labels, so these never reach a person.
AUTHENTICATOR_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"


# --- Reads ------------------------------------------------------------------------------------


def has_second_factor(user: User) -> bool:
    """Whether logging in as `user` needs a second step. One query, as the middleware asks on every request."""
    devices = [
        Exists(model.objects.filter(user=OuterRef("pk"), confirmed=True))
        for model in (TOTPDevice, WebAuthnCredential, StaticDevice)
    ]
    return User.objects.filter(pk=user.pk).filter(Q(devices[0]) | Q(devices[1]) | Q(devices[2])).exists()


def setup_required(user: User) -> bool:
    """Whether the practice makes `user` set up a second factor before anything else."""
    return settings.TWO_FACTOR_REQUIRED_FOR_COACHES and user.is_coach


@dataclass(frozen=True)
class Devices:
    authenticators: list
    passkeys: list
    recovery_codes_left: int | None  # None: no recovery codes were ever made

    @property
    def any_primary(self) -> bool:
        return bool(self.authenticators or self.passkeys)


def devices_of(user: User) -> Devices:
    recovery = StaticDevice.objects.filter(user=user, confirmed=True).first()
    return Devices(
        authenticators=list(TOTPDevice.objects.filter(user=user, confirmed=True).order_by("created_at")),
        passkeys=list(WebAuthnCredential.objects.filter(user=user, confirmed=True).order_by("created_at")),
        recovery_codes_left=recovery.token_set.count() if recovery else None,
    )


def device_model(kind: str) -> type[Device]:
    """The model behind a kind of device named in a URL; LookupError for anything else."""
    return {"authenticator": TOTPDevice, "passkey": WebAuthnCredential}[kind]


# --- Authenticator apps -----------------------------------------------------------------------


def authenticator_new_key() -> str:
    """A fresh secret, kept in the session until the person proves their app has it."""
    return default_key()


def authenticator_secret_for_people(key: str) -> str:
    """The secret as apps ask for it when typed in: base32, in groups of four."""
    text = b32encode(unhexlify(key)).decode()
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def authenticator_setup_url(*, user: User, key: str) -> str:
    """The otpauth:// address the QR code holds."""
    return TOTPDevice(user=user, key=key).config_url


@dataclass(frozen=True)
class AuthenticatorAdded:
    device: TOTPDevice
    recovery_codes: list[str]  # new codes to show once; empty if the person had some already


@transaction.atomic
def authenticator_confirm(*, user: User, key: str, code: str) -> AuthenticatorAdded | None:
    """Save the authenticator app if `code` shows it holds `key`; None if the code does not match.

    Steps:
    1. Check the code against the pending secret (one step of clock drift either way).
    2. Save a confirmed device that remembers the step used, so the same code cannot log in again.
    3. Make recovery codes if the person has none yet.
    """
    totp = TOTP(unhexlify(key))
    totp.time = time.time()
    normalised = _digits(code)
    if normalised is None or not totp.verify(int(normalised), tolerance=1):
        return None
    device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, key=key, confirmed=True, last_t=totp.t())
    codes = [] if StaticDevice.objects.filter(user=user).exists() else recovery_codes_generate(user=user)
    return AuthenticatorAdded(device=device, recovery_codes=codes)


# --- Recovery codes ---------------------------------------------------------------------------


@transaction.atomic
def recovery_codes_generate(*, user: User) -> list[str]:
    """Replace the person's recovery codes with RECOVERY_CODE_COUNT new single-use ones; returns them."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, defaults={"name": RECOVERY_DEVICE_NAME, "confirmed": True}
    )
    device.token_set.all().delete()
    device.throttle_reset()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


# --- Checking a code --------------------------------------------------------------------------


@dataclass(frozen=True)
class CodeCheck:
    ok: bool = False
    device: Device | None = None  # the device that took the code (none for a password)
    wait_seconds: int = 0  # more than 0: too many wrong codes, nothing was checked


def _digits(code: str) -> str | None:
    digits = "".join(code.split())
    return digits if digits.isdigit() and len(digits) == 6 else None


@transaction.atomic
def code_verify(*, user: User, code: str) -> CodeCheck:
    """Check a code from an authenticator app (six digits) or a recovery code (anything else).

    Steps:
    1. Pick the person's devices of that kind, locked, so two tries at once cannot both pass.
    2. A device still waiting out earlier wrong codes refuses even the right one (django-otp's throttle,
       doubling the wait with each wrong code); report the longest wait.
    3. Otherwise the device checks the code: a right code resets its count, a wrong one raises it, and a
       recovery code is used up.
    """
    digits = _digits(code)
    if digits is not None:
        devices, token = TOTPDevice.objects.filter(user=user, confirmed=True), digits
    else:
        devices, token = StaticDevice.objects.filter(user=user, confirmed=True), "".join(code.split()).lower()
    wait_until = None
    for device in devices.select_for_update().order_by("pk"):
        allowed, info = device.verify_is_allowed()
        if not allowed:
            wait_until = max(filter(None, [wait_until, info.get("locked_until")]), default=None)
            continue
        if token and device.verify_token(token):
            return CodeCheck(ok=True, device=device)
    if wait_until is not None:
        return CodeCheck(wait_seconds=max(1, ceil((wait_until - timezone.now()).total_seconds())))
    return CodeCheck()


def identity_confirm(*, user: User, secret: str) -> CodeCheck:
    """Before a device is removed: the person's password, or a current code, proves it is them."""
    if secret and user.has_usable_password() and user.check_password(secret):
        return CodeCheck(ok=True)
    return code_verify(user=user, code=secret)


# --- Removing ---------------------------------------------------------------------------------


@transaction.atomic
def device_remove(*, user: User, device: Device) -> None:
    """Remove one of the person's devices. With the last authenticator app or passkey the recovery
    codes go too: they are a way back to a second factor, not one of their own."""
    if device.user_id != user.pk:
        raise ValueError("A person can remove only their own devices.")
    device.delete()
    if not devices_of(user).any_primary:
        StaticDevice.objects.filter(user=user).delete()
