"""A person's own account settings, served under /accounts/ beside the other account pages.

The page belongs to accounts, but saving it also updates a coachee's record at their coach (the
coach's pages and the reminders read the time zone and language there). Accounts know nothing of coachee records,
so the page lives here, on the side that knows both.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from coachhub.accounts.forms import AccountSettingsForm
from coachhub.languages import remember_language

from . import services


@login_required
@require_http_methods(["GET", "POST"])
def account_settings(request):
    # Not bound to request.user itself: a refused change must not show up in the navbar.
    form = AccountSettingsForm(
        request.POST or None,
        initial={
            "name": request.user.name,
            "timezone": request.user.timezone,
            "language": request.user.language,
            "propose_homework": request.user.propose_homework,
        },
        is_coach=request.user.is_coach,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.account_settings_save(
            user=request.user,
            name=data["name"],
            timezone_name=data["timezone"],
            language=data["language"],
            propose_homework=data.get("propose_homework"),
        )
        # The confirmation, and the login page after logging out, already speak the new language.
        translation.activate(data["language"])
        messages.success(request, _("Your settings are saved."))
        return remember_language(redirect("account_settings"), data["language"])
    return render(request, "accounts/settings.html", {"form": form})
