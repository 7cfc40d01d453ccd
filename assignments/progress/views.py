"""Progress pages, calendar feeds, exports and deletion requests, for coaches and for coachees.

Coach pages look the coachee up through `Coachee.objects.for_coach`, coachee pages through the
coachee's own login, so anyone else's coachee answers 404. The calendar feed is the one page without
a login: its address holds a secret token, and an unknown or replaced token answers 404.
"""

from django.contrib import messages
from django.db.models import Count
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from coachhub.accounts.access import coach_required, coachee_required
from coachhub.http import require_GET_or_POST
from sessions.models import Coachee

from . import calendar, charts, exports, services, stats
from .forms import DeletionConfirmForm, DeletionRequestForm
from .models import CalendarFeed, DeletionRequest

# Longest token a feed address can hold; anything longer is not one of ours.
TOKEN_MAX_LENGTH = 64


def _coachee_of_coach(coach, coachee_pk) -> Coachee:
    return get_object_or_404(Coachee.objects.for_coach(coach).select_related("user"), pk=coachee_pk)


def _my_coachee(user) -> Coachee:
    """The coachee record of the logged-in coachee."""
    return get_object_or_404(Coachee.objects.select_related("user", "coach"), user=user)


def _deletion_request(coachee) -> DeletionRequest | None:
    return DeletionRequest.objects.filter(coachee=coachee).first()


# --- Progress pages -------------------------------------------------------------------------------


def _progress(coachee: Coachee, *, mine: bool) -> dict:
    """The numbers and charts of a coachee's progress page, worded for the coach or for the coachee."""
    now = timezone.now()
    today = stats.coachee_today(coachee)
    completion = stats.completion_over_sessions(coachee, now)
    practice = stats.practice_summary(coachee, today)
    mood = stats.mood_over_time(coachee, today)
    kinds = stats.kinds_summary(coachee)
    weeks = stats.PRACTICE_WEEKS
    values = {
        "name": coachee.name,
        "days": len(practice.days),
        "practised": practice.practised_in_window,
        "check_ins": practice.check_ins_in_window,
        "streak": practice.current_streak,
        "longest": practice.longest_streak_in_window,
    }
    if mine:
        practice_text = _(
            "Calendar of the last %(days)d days: you practised on %(practised)d of them, with %(check_ins)d "
            "check-ins. Current streak: %(streak)d days; longest: %(longest)d days."
        )
    else:
        practice_text = _(
            "Calendar of the last %(days)d days: %(name)s practised on %(practised)d of them, with %(check_ins)d "
            "check-ins. Current streak: %(streak)d days; longest: %(longest)d days."
        )
    return {
        "coachee": coachee,
        "mine": mine,
        "today": today,
        "weeks": weeks,
        "engagement": stats.engagement_of(completion),
        "engagement_sessions": stats.ENGAGEMENT_SESSIONS,
        "practice": practice,
        "mood": mood,
        "kinds": kinds,
        "goals": stats.goals_with_homework(coachee),
        "completion_chart": charts.completion_chart(
            completion,
            chart_id="completion",
            title=_("Your homework, session by session") if mine else _("Homework handed in, session by session"),
        ),
        "practice_chart": charts.practice_heat_map(
            practice,
            chart_id="practice",
            title=_("Your daily practice") if mine else _("Daily practice"),
            description=practice_text % values,
        ),
        "mood_chart": charts.mood_chart(
            mood, chart_id="mood", title=_("Your mood over time") if mine else _("Mood over time")
        ),
        "kinds_chart": charts.kinds_chart(
            kinds,
            chart_id="kinds",
            title=_("What works for you") if mine else _("Which kinds of homework work"),
            fit_label=_("Your fit rating (ratings)") if mine else _("Fit rating (ratings)"),
        ),
    }


@coach_required
@require_safe
def coachee_progress(request, coachee_pk):
    coachee = _coachee_of_coach(request.user, coachee_pk)
    context = _progress(coachee, mine=False)
    context["deletion_request"] = _deletion_request(coachee)
    return render(request, "progress/progress.html", context)


@coachee_required
@require_safe
def my_progress(request):
    coachee = _my_coachee(request.user)
    return render(request, "progress/progress.html", _progress(coachee, mine=True))


# --- Exports ----------------------------------------------------------------------------------------


def _file_stem(name: str) -> str:
    return slugify(name) or "coachee"


@coach_required
@require_safe
def history_csv(request, coachee_pk):
    coachee = _coachee_of_coach(request.user, coachee_pk)
    response = HttpResponse(exports.history_csv(coachee), content_type="text/csv; charset=utf-8")
    filename = f"coachhub-{_file_stem(coachee.name)}-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@coachee_required
@require_safe
def my_export(request):
    coachee = _my_coachee(request.user)
    archive = exports.my_data_zip(coachee)
    response = FileResponse(
        archive,
        as_attachment=True,
        filename=f"coachhub-my-data-{timezone.localdate():%Y-%m-%d}.zip",
        content_type="application/zip",
    )
    response["Cache-Control"] = "private, no-store"
    return response


# --- Deletion: the coachee asks, the coach confirms ----------------------------------------------------


@coachee_required
@require_safe
def my_data(request):
    coachee = _my_coachee(request.user)
    return _render_my_data(request, coachee, DeletionRequestForm())


def _render_my_data(request, coachee, form, status=200):
    return render(
        request,
        "progress/my_data.html",
        {"coachee": coachee, "deletion_request": _deletion_request(coachee), "form": form},
        status=status,
    )


@coachee_required
@require_POST
def deletion_request(request):
    coachee = _my_coachee(request.user)
    form = DeletionRequestForm(request.POST)
    if not form.is_valid():
        return _render_my_data(request, coachee, form)
    services.deletion_request_make(coachee=coachee, reason=form.cleaned_data["reason"])
    messages.success(
        request,
        _("Your request is with %(coach)s. Your account is deleted once they confirm it.")
        % {"coach": coachee.coach.name},
    )
    return redirect("progress:mine:data")


@coachee_required
@require_POST
def deletion_withdraw(request):
    coachee = _my_coachee(request.user)
    services.deletion_request_withdraw(coachee=coachee)
    messages.success(request, _("Your deletion request is withdrawn. Your account stays as it is."))
    return redirect("progress:mine:data")


@coach_required
@require_GET_or_POST
def deletion_confirm(request, coachee_pk):
    coachee = _coachee_of_coach(request.user, coachee_pk)
    pending = _deletion_request(coachee)
    form = DeletionConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and pending is None:
        messages.info(request, _("%(name)s has not asked for their account to be deleted.") % {"name": coachee.name})
        return redirect("homework:coachee_detail", coachee_pk=coachee.pk)
    if request.method == "POST" and form.is_valid():
        services.coachee_delete(coachee=coachee)
        messages.success(request, _("%(name)s's account and all their data are deleted.") % {"name": coachee.name})
        return redirect("homework:dashboard")
    what = Coachee.objects.filter(pk=coachee.pk).aggregate(
        homework=Count("assignments", distinct=True),
        sessions=Count("sessions", distinct=True),
        files=Count("assignments__uploads", distinct=True),
    )
    return render(
        request,
        "progress/deletion_confirm.html",
        {"coachee": coachee, "deletion_request": pending, "form": form, "what": what},
    )


# --- Calendar feeds ---------------------------------------------------------------------------------


def _calendar_page(request, template: str, context: dict | None = None):
    feed = CalendarFeed.objects.filter(user=request.user).first()
    feed_url = request.build_absolute_uri(reverse("progress:feed:ics", args=[feed.token])) if feed else None
    return render(request, template, {"feed": feed, "feed_url": feed_url, **(context or {})})


def _renew(request, next_page: str):
    had_feed = CalendarFeed.objects.filter(user=request.user).exists()
    services.calendar_feed_renew(user=request.user)
    if had_feed:
        messages.success(request, _("Your calendar has a new address. The old one no longer works."))
    else:
        messages.success(request, _("Your calendar feed is on. Add its address to your calendar app."))
    return redirect(next_page)


def _switch_off(request, next_page: str):
    services.calendar_feed_switch_off(user=request.user)
    messages.success(request, _("Your calendar feed is off. Its address no longer works."))
    return redirect(next_page)


@coach_required
@require_safe
def calendar_page(request):
    return _calendar_page(request, "progress/calendar.html")


@coach_required
@require_POST
def calendar_renew(request):
    return _renew(request, "progress:calendar")


@coach_required
@require_POST
def calendar_off(request):
    return _switch_off(request, "progress:calendar")


@coachee_required
@require_safe
def my_calendar_page(request):
    return _calendar_page(request, "progress/calendar.html", {"mine": True})


@coachee_required
@require_POST
def my_calendar_renew(request):
    return _renew(request, "progress:mine:calendar")


@coachee_required
@require_POST
def my_calendar_off(request):
    return _switch_off(request, "progress:mine:calendar")


@never_cache
@require_safe
def feed(request, token):
    """The iCalendar feed behind a secret address; no login, as calendar apps have none."""
    if len(token) > TOKEN_MAX_LENGTH:
        raise Http404
    found = CalendarFeed.objects.by_token(token).select_related("user").first()
    if found is None or not found.user.is_active:
        raise Http404
    # A calendar app has no language of its own to ask in: the feed speaks its owner's.
    with translation.override(found.user.language):
        response = HttpResponse(calendar.feed(found.user), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="coachhub.ics"'
    response["X-Robots-Tag"] = "noindex"
    return response
