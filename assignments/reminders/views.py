"""Reminder pages: the coach's practice settings and exceptions per coachee, the coachee's mail
preferences, and the unsubscribe link of every mail (no login: its signed token is the proof).

Coachees are looked up through `Coachee.objects.for_coach`, so anyone else's answers 404.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from coachhub.accounts.access import coach_required, coachee_required
from coachhub.http import posted_data, require_GET_or_POST
from sessions.models import Coachee

from . import services
from .forms import CoacheeSettingsForm, MailPreferencesForm, PracticeSettingsForm
from .models import COACHEE_CATEGORIES, Category, MailPreferences, coachee_policy, practice_settings, related_or_none


@coach_required
@require_GET_or_POST
def settings_page(request):
    coach = request.user
    form = PracticeSettingsForm(posted_data(request), instance=practice_settings(coach))
    if request.method == "POST" and form.is_valid():
        services.practice_settings_save(coach=coach, **form.cleaned_data)
        messages.success(request, _("Reminder settings saved."))
        return redirect("reminders:settings")
    coachees = Coachee.objects.for_coach(coach).active().select_related("reminder_settings").order_by("name", "pk")
    return render(request, "reminders/settings.html", {"form": form, "coachees": coachees})


@coach_required
@require_GET_or_POST
def coachee_settings(request, coachee_pk):
    coach = request.user
    coachee = get_object_or_404(Coachee.objects.for_coach(coach), pk=coachee_pk)
    practice = practice_settings(coach)
    override = related_or_none(coachee, "reminder_settings")
    initial = {}
    if override is not None:
        initial = {name: getattr(override, name) for name, _label in CoacheeSettingsForm.SWITCHES}
        initial = {name: ("true" if value else "false") for name, value in initial.items() if value is not None}
        initial.update(
            due_soon_hours=override.due_soon_hours, quiet_start=override.quiet_start, quiet_end=override.quiet_end
        )
    form = CoacheeSettingsForm(posted_data(request), initial=initial, practice=practice)
    if request.method == "POST" and form.is_valid():
        services.coachee_settings_save(coachee=coachee, **form.cleaned_data)
        messages.success(request, _("Reminder settings for %(name)s saved.") % {"name": coachee.name})
        return redirect("reminders:coachee_settings", coachee_pk=coachee.pk)
    return render(request, "reminders/coachee_settings.html", {"coachee": coachee, "form": form})


@coachee_required
@require_GET_or_POST
def preferences(request):
    coachee = get_object_or_404(
        Coachee.objects.select_related("coach__reminder_settings", "reminder_settings", "mail_preferences", "user"),
        user=request.user,
    )
    policy = coachee_policy(coachee)
    instance = related_or_none(coachee, "mail_preferences") or MailPreferences(coachee=coachee)
    form = MailPreferencesForm(posted_data(request), instance=instance, quiet=policy.quiet)
    if request.method == "POST" and form.is_valid():
        services.mail_preferences_save(coachee=coachee, **form.cleaned_data)
        messages.success(request, _("Your mail preferences are saved."))
        return redirect("reminders:mine:preferences")
    # What the coachee switches on only arrives if their coach sends it at all.
    held_back = [Category(c).label for c in COACHEE_CATEGORIES if c not in policy.coach_categories]
    return render(
        request,
        "reminders/preferences.html",
        {"form": form, "coach": coachee.coach, "held_back": held_back, "quiet": policy.quiet},
    )


# RFC 8058: mail programs POST the one-click unsubscribe without a CSRF token; the signed token in
# the address is what proves the request came from the mail.
@csrf_exempt
@require_GET_or_POST
def unsubscribe(request, token):
    target = services.unsubscribe_target(token)
    if target is None:
        raise Http404
    user, category = target
    label = Category(category).label
    if request.method == "POST":
        services.unsubscribe(user=user, category=category)
        return render(request, "reminders/unsubscribed.html", {"category": label, "person": user})
    return render(
        request,
        "reminders/unsubscribe.html",
        {
            "category": label,
            "person": user,
            "subscribed": services.is_subscribed(user=user, category=category),
        },
    )
