"""Where you are signed in: a person's own sessions, ending other ones, and the new-device notice."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from . import devices
from .forms import SignInNoticesForm
from .models import SignInSession


@login_required
@require_safe
def sessions(request):
    current_key = request.session.session_key
    rows = list(devices.sessions_of(request.user))
    for row in rows:
        row.is_current = row.session_id == current_key
        row.device = devices.device_name(row.user_agent)
    rows.sort(key=lambda row: not row.is_current)  # this device first, the others newest first
    return render(
        request,
        "accounts/sessions.html",
        {
            "sessions": rows,
            "others": sum(not row.is_current for row in rows),
            "total": SignInSession.objects.for_user(request.user).live().count(),
            "notices_form": SignInNoticesForm(initial={"sign_in_notices": request.user.wants_sign_in_notices()}),
            "confirm_end": _("End this session? That device will have to log in again."),
            "confirm_end_others": _("End every other session? Those devices will have to log in again."),
        },
    )


@login_required
@require_POST
def session_end(request, pk):
    if not devices.session_end(user=request.user, pk=pk, current_key=request.session.session_key):
        raise Http404
    messages.success(request, _("That session has ended. The device has to log in again."))
    return redirect("account_sessions")


@login_required
@require_POST
def sessions_end_others(request):
    ended = devices.sessions_end_others(user=request.user, current_key=request.session.session_key)
    if ended:
        message = ngettext("%(count)d other session has ended.", "%(count)d other sessions have ended.", ended) % {
            "count": ended
        }
    else:
        message = _("You are not signed in anywhere else.")
    messages.success(request, message)
    return redirect("account_sessions")


@login_required
@require_POST
def sign_in_notices(request):
    form = SignInNoticesForm(request.POST)
    on = form.is_valid() and form.cleaned_data["sign_in_notices"]  # an unticked box is simply absent
    devices.sign_in_notices_set(user=request.user, on=on)
    if on:
        messages.success(request, _("You will get a mail when someone signs in from a new device."))
    else:
        messages.success(request, _("You will no longer get a mail when someone signs in from a new device."))
    return redirect("account_sessions")


class PasswordChangeView(auth_views.PasswordChangeView):
    """Changing the password ends every other session: they are deleted, not only made invalid."""

    def form_valid(self, form):
        signed_in_at = devices.signed_in_at(session_key=self.request.session.session_key)
        response = super().form_valid(form)
        devices.password_changed(request=self.request, user=form.user, signed_in_at=signed_in_at)
        return response
