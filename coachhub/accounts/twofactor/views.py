"""The pages of two-factor sign-in. Writes happen in services; these pages look up, validate and redirect."""

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from . import services
from .forms import AuthenticatorCodeForm, ConfirmRemovalForm, RecoveryCodeForm

PENDING_KEY = "twofactor_pending_authenticator_key"
NEW_CODES = "twofactor_new_recovery_codes"


def _wait_message(seconds: int) -> str:
    return ngettext(
        "Too many wrong codes; wait %(seconds)d second, then try again.",
        "Too many wrong codes; wait %(seconds)d seconds, then try again.",
        seconds,
    ) % {"seconds": seconds}


def _mark_verified(request, device) -> None:
    """Record in the session that the person passed their second factor, under a new session key
    (as Django does at login), so a session id seen before this step is worth nothing after it."""
    request.session.cycle_key()
    otp_login(request, device)


@login_required
def overview(request):
    devices = services.devices_of(request.user)
    return render(
        request,
        "accounts/twofactor/overview.html",
        {
            "devices": devices,
            "setup_required": services.setup_required(request.user) and not devices.any_primary,
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def authenticator_add(request):
    """Show a new secret (QR code and text) and save it once a code from the app proves it arrived."""
    key = request.session.get(PENDING_KEY)
    if key is None:
        key = request.session[PENDING_KEY] = services.authenticator_new_key()
    form = AuthenticatorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        added = services.authenticator_confirm(user=request.user, key=key, code=form.cleaned_data["code"])
        if added is None:
            form.add_error(
                "code",
                _(
                    "This code does not match. Enter the code the app shows now;"
                    " if it keeps failing, check the phone's clock."
                ),
            )
        else:
            del request.session[PENDING_KEY]
            if not request.user.is_verified():
                _mark_verified(request, added.device)
            messages.success(request, _("Your authenticator app is set up."))
            if added.recovery_codes:
                request.session[NEW_CODES] = added.recovery_codes
                return redirect("twofactor:recovery_codes")
            return redirect("twofactor:overview")
    setup_url = services.authenticator_setup_url(user=request.user, key=key)
    qr_svg = segno.make(setup_url, error="m").svg_inline(
        scale=4, title=_("QR code to scan with your authenticator app"), dark="#000", light="#fff"
    )
    return render(
        request,
        "accounts/twofactor/authenticator_add.html",
        {"form": form, "qr_svg": mark_safe(qr_svg), "secret": services.authenticator_secret_for_people(key)},
    )


@login_required
def passkey_add(request):
    # The browser script of django-otp-webauthn does the work, against its own endpoints.
    return render(request, "accounts/twofactor/passkey_add.html")


@never_cache
@login_required
def recovery_codes(request):
    """New codes are shown once, on the page right after they were made; later only how many are left."""
    return render(
        request,
        "accounts/twofactor/recovery_codes.html",
        {"new_codes": request.session.pop(NEW_CODES, None), "devices": services.devices_of(request.user)},
    )


@login_required
@require_POST
def recovery_codes_regenerate(request):
    if not services.devices_of(request.user).any_primary:
        messages.error(request, _("Set up an authenticator app or a passkey first; recovery codes come with it."))
        return redirect("twofactor:overview")
    request.session[NEW_CODES] = services.recovery_codes_generate(user=request.user)
    return redirect("twofactor:recovery_codes")


@login_required
@require_http_methods(["GET", "POST"])
def device_remove(request, kind, pk):
    """Remove one of the person's own devices after they confirm it is them; another's device answers 404."""
    try:
        model = services.device_model(kind)
    except LookupError:
        raise Http404 from None
    device = get_object_or_404(model.objects.filter(user=request.user, confirmed=True), pk=pk)
    form = ConfirmRemovalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        check = services.identity_confirm(user=request.user, secret=form.cleaned_data["secret"])
        if check.wait_seconds:
            form.add_error("secret", _wait_message(check.wait_seconds))
        elif not check.ok:
            form.add_error("secret", _("This is neither your password nor a current code. Check it and try again."))
        else:
            services.device_remove(user=request.user, device=device)
            _keep_session_verified(request)
            if kind == "passkey":
                messages.success(request, _("The passkey is removed."))
            else:
                messages.success(request, _("The authenticator app is removed."))
            return redirect("twofactor:overview")
    return render(request, "accounts/twofactor/device_remove.html", {"form": form, "device": device, "kind": kind})


def _keep_session_verified(request) -> None:
    """The person passed their second factor in this session. If the device they passed it with is
    the one just removed, the session would count as unverified and send them to the second step;
    record one of their remaining devices instead."""
    current = request.user.otp_device
    if current is not None and type(current).objects.filter(pk=current.pk).exists():
        return
    devices = services.devices_of(request.user)
    remaining = devices.authenticators + devices.passkeys
    if remaining:
        otp_login(request, remaining[0])


def _safe_next(request) -> str:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return next_url
    return settings.LOGIN_REDIRECT_URL


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def verify(request):
    """The second step after logging in: a code from the authenticator app, a passkey, or a recovery code."""
    next_url = _safe_next(request)
    if request.user.is_verified() or not services.has_second_factor(request.user):
        return redirect(next_url)
    devices = services.devices_of(request.user)
    using_recovery = "recovery_code" in request.POST
    code_form = AuthenticatorCodeForm(request.POST if request.method == "POST" and not using_recovery else None)
    recovery_form = RecoveryCodeForm(request.POST if using_recovery else None)
    form = recovery_form if using_recovery else code_form
    if request.method == "POST" and form.is_valid():
        field = "recovery_code" if using_recovery else "code"
        check = services.code_verify(user=request.user, code=form.cleaned_data[field])
        if check.ok:
            _mark_verified(request, check.device)
            if using_recovery:
                messages.warning(request, _recovery_left_message(services.devices_of(request.user)))
            return redirect(next_url)
        if check.wait_seconds:
            form.add_error(field, _wait_message(check.wait_seconds))
        elif using_recovery:
            form.add_error(field, _("This recovery code is not right, or it was used before. Each code works once."))
        else:
            form.add_error(field, _("This code is not right. Enter the code your authenticator app shows now."))
    return render(
        request,
        "accounts/twofactor/verify.html",
        {
            "code_form": code_form,
            "recovery_form": recovery_form,
            "using_recovery": using_recovery,
            "devices": devices,
            "next": next_url,
        },
    )


def _recovery_left_message(devices) -> str:
    left = devices.recovery_codes_left or 0
    return ngettext(
        "You used a recovery code; %(count)d is left. Make new ones under Two-factor sign-in.",
        "You used a recovery code; %(count)d are left. Make new ones under Two-factor sign-in.",
        left,
    ) % {"count": left}
