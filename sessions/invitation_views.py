"""The pages an invitation link opens: accept the invitation, or ask for a new link.

Whoever holds the link may open them; the token in it is the only key, and only its hash is
looked up. Nobody can choose where a new link goes: it is always the address on the coach's record.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from coachhub.accounts import ratelimit
from coachhub.accounts.forms import AccountSetupForm
from coachhub.accounts.services import AccountExists

from . import services
from .models import Invitation


def _get_invitation(token: str) -> Invitation | None:
    return Invitation.objects.by_token(token).select_related("coachee__coach").first()


def _unknown(request):
    return render(request, "accounts/invitation_unknown.html", status=404)


def _closed(request, invitation: Invitation, status: Invitation.Status, token: str):
    return render(
        request,
        "accounts/invitation_closed.html",
        {"invitation": invitation, "coachee": invitation.coachee, "status": status, "token": token},
    )


def _account_exists(request, invitation: Invitation):
    return render(request, "accounts/invitation_account_exists.html", {"coachee": invitation.coachee})


@never_cache
@require_http_methods(["GET", "POST"])
def accept(request, token):
    """Show who is invited and by whom, and set up their login.

    Steps:
    1. Find the invitation; an unknown, used, replaced or expired link gets a page that says so.
    2. If the email already has an account, explain and offer to log in (no second account).
    3. On a valid POST create the login, link it to the coachee record, log in and go home.
    """
    invitation = _get_invitation(token)
    if invitation is None:
        return _unknown(request)
    status = invitation.status()
    if status != Invitation.Status.OPEN:
        return _closed(request, invitation, status, token)
    coachee = invitation.coachee
    if get_user_model().objects.filter(email__iexact=coachee.email).exists():
        return _account_exists(request, invitation)

    form = AccountSetupForm(
        request.POST if request.method == "POST" else None,
        email=coachee.email,
        initial={"name": coachee.name, "timezone": coachee.timezone, "language": coachee.language},
    )
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(
                invitation=invitation,
                name=form.cleaned_data["name"],
                password=form.cleaned_data["password1"],
                timezone_name=form.cleaned_data["timezone"],
                language=form.cleaned_data["language"],
            )
        except services.InvitationNotUsable as error:  # used or replaced while the form was open
            return _closed(request, invitation, error.status, token)
        except AccountExists:
            return _account_exists(request, invitation)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            request,
            _("Welcome to CoachHub, %(name)s. Your homework from %(coach)s will appear here.")
            % {"name": user.get_short_name(), "coach": coachee.coach.name},
        )
        return redirect("home")
    return render(
        request,
        "accounts/invitation_accept.html",
        {"form": form, "invitation": invitation, "coachee": coachee, "coach": coachee.coach},
    )


@never_cache
@require_POST
def renew(request, token):
    """Mail a fresh link for a used, replaced or expired one, within the rate limits."""
    invitation = _get_invitation(token)
    if invitation is None:
        return _unknown(request)
    if invitation.status() == Invitation.Status.OPEN:
        return redirect("invitations:accept", token)
    coachee = invitation.coachee
    if ratelimit.allow_mail_request(request, address=coachee.email):
        outcome = services.invitation_renew(invitation=invitation)
    else:
        outcome = "rate_limited"
    return render(request, "accounts/invitation_renewed.html", {"outcome": outcome, "coachee": coachee})
