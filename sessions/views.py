"""The coach's pages for coachees, goals and sessions.

Every view is for coaches only, finds its object through a `for_coach` queryset (another coach's
object answers 404), validates with a form, writes through a service and redirects.
"""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from coachhub.accounts.access import coach_required
from coachhub.http import path_for, posted_data

from . import services
from .forms import (
    DUPLICATE_EMAIL_MESSAGE,
    CoacheeCreateForm,
    CoacheeForm,
    GoalEditForm,
    GoalForm,
    SessionEditForm,
    SessionForm,
)
from .models import Coachee, CoachingSession, Goal

COACHEES_PER_PAGE = 50
COACHEE_FIELDS = ["name", "email", "coaching_question", "language", "timezone"]


def _get_coachee(request, pk) -> Coachee:
    return get_object_or_404(Coachee.objects.for_coach(request.user), pk=pk)


def _get_goal(request, pk) -> Goal:
    return get_object_or_404(Goal.objects.for_coach(request.user).select_related("coachee"), pk=pk)


def _get_session(request, pk) -> CoachingSession:
    return get_object_or_404(CoachingSession.objects.for_coach(request.user).select_related("coachee"), pk=pk)


def _session_when(session: CoachingSession) -> str:
    """The session's start as the pages show it, e.g. "Wed 16 Dec 2026, 10:00"."""
    return date_format(timezone.localtime(session.starts_at), "WEEKDAY_DATETIME_FORMAT")


# --- Coachees ---------------------------------------------------------------------------------


@coach_required
def coachee_list(request):
    """The coach's coachees, active or archived, optionally searched.

    Steps:
    1. Count active and archived coachees in one query (for the tabs and the empty states).
    2. Filter by tab and search text, and annotate active goals and the next session per row.
    3. Paginate: a plain count, then one query for the page, however many goals and sessions there are.
    """
    coach = request.user
    query = request.GET.get("q", "").replace("\x00", "").strip()[:200]  # PostgreSQL refuses NUL
    show_archived = request.GET.get("archived") == "1"

    totals = Coachee.objects.for_coach(coach).aggregate(
        active=Count("pk", filter=Q(archived_at__isnull=True)),
        archived=Count("pk", filter=Q(archived_at__isnull=False)),
    )
    coachees = Coachee.objects.for_coach(coach)
    coachees = coachees.archived() if show_archived else coachees.active()
    next_session = CoachingSession.objects.upcoming().filter(coachee=OuterRef("pk")).values("starts_at")[:1]
    active_goals = (
        Goal.objects.active().filter(coachee=OuterRef("pk")).order_by().values("coachee").annotate(n=Count("pk"))
    )
    # Subqueries, not a join with GROUP BY: the paginator's count then leaves them out, and the
    # database computes them for the rows of the page only.
    coachees = (
        coachees.search(query)
        .with_open_invitation()
        .annotate(
            active_goal_count=Coalesce(Subquery(active_goals.values("n"), output_field=IntegerField()), 0),
            next_session_at=Subquery(next_session),
        )
        .order_by("name", "pk")
    )
    page = Paginator(coachees, COACHEES_PER_PAGE).get_page(request.GET.get("page"))
    detail_path, invite_path, restore_path = (
        path_for(name) for name in ("homework:coachee_detail", "coaching:coachee_invite", "coaching:coachee_restore")
    )
    for coachee in page:
        coachee.detail_path = detail_path(coachee.pk)
        coachee.invite_path = invite_path(coachee.pk)
        coachee.restore_path = restore_path(coachee.pk)
    return render(
        request,
        "coaching/coachee_list.html",
        {
            "page": page,
            "query": query,
            "show_archived": show_archived,
            "active_total": totals["active"],
            "archived_total": totals["archived"],
            "now": timezone.now(),
        },
    )


@coach_required
def coachee_create(request):
    # A new coachee starts in their coach's time zone and language; the coach changes either here.
    initial = {"timezone": request.user.timezone, "language": request.user.language}
    form = CoacheeCreateForm(posted_data(request), coach=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            coachee = services.coachee_create(
                coach=request.user,
                name=data["name"],
                email=data["email"],
                coaching_question=data["coaching_question"],
                timezone_name=data["timezone"],
                language=data["language"],
                goals=data["goals"],
            )
        except IntegrityError:  # the same email added twice at once; the form checked before
            form.add_error("email", DUPLICATE_EMAIL_MESSAGE)
        else:
            messages.success(request, _("%(name)s is added to your coachees.") % {"name": coachee.name})
            if data["send_invitation"]:
                _invite(request, coachee)
            return redirect("homework:coachee_detail", coachee.pk)
    return render(request, "coaching/coachee_form.html", {"form": form})


@coach_required
def coachee_edit(request, coachee_pk):
    coachee = _get_coachee(request, coachee_pk)
    initial = {name: getattr(coachee, name) for name in COACHEE_FIELDS}
    form = CoacheeForm(posted_data(request), coach=request.user, coachee=coachee, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.coachee_update(coachee=coachee, **{name: form.cleaned_data[name] for name in COACHEE_FIELDS})
        except IntegrityError:
            form.add_error("email", DUPLICATE_EMAIL_MESSAGE)
        except services.EmailIsLogin:  # they accepted their invitation while the form was open
            form.add_error(
                "email",
                _("%(name)s has just set up their login with %(email)s, so that address stays.")
                % {"name": coachee.name, "email": coachee.user.email},
            )
        else:
            messages.success(request, _("Your changes to %(name)s are saved.") % {"name": coachee.name})
            return redirect("homework:coachee_detail", coachee.pk)
    return render(
        request,
        "coaching/coachee_form.html",
        {"form": form, "coachee": coachee, "invitation": coachee.invitations.open().first(), "now": timezone.now()},
    )


@coach_required
@require_POST
def coachee_invite(request, coachee_pk):
    """Send the coachee an invitation, or a new one in place of the last."""
    coachee = _get_coachee(request, coachee_pk)
    _invite(request, coachee)
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(next_url)
    return redirect("coaching:coachee_edit", coachee.pk)


def _invite(request, coachee: Coachee) -> None:
    """Send an invitation and tell the coach how it went."""
    try:
        invitation = services.invitation_send(coachee=coachee)
    except services.CoacheeHasLogin:
        messages.info(
            request,
            _(
                "%(name)s has their own login already, so needs no invitation. They log in with %(email)s; "
                "the login page can mail them a login link or a new password."
            )
            % {"name": coachee.name, "email": coachee.email},
        )
        return
    except services.CoachNotConfirmed:
        messages.warning(
            request,
            _(
                "No invitation went to %(name)s yet: first confirm your own address with the link we mailed to "
                "%(email)s. Then send the invitation from %(name)s’s edit page."
            )
            % {"name": coachee.name, "email": request.user.email},
        )
        return
    except services.InvitationLimitReached as reached:
        messages.warning(request, _limit_message(coachee, reached))
        return
    if invitation.delivery_failed:
        messages.warning(
            request,
            _(
                "The invitation mail to %(email)s could not be sent just now. Try again in a few minutes with "
                "“Resend invitation” on %(name)s’s edit page."
            )
            % {"email": coachee.email, "name": coachee.name},
        )
    else:
        messages.success(
            request,
            _("An invitation is on its way to %(email)s. Its link works for %(days)d days.")
            % {"email": coachee.email, "days": settings.INVITATION_MAX_AGE_DAYS},
        )


def _limit_message(coachee: Coachee, reached) -> str:
    again_at = date_format(timezone.localtime(reached.again_at), "WEEKDAY_MONTH_DAY_TIME_FORMAT")
    if reached.per_coachee:
        return ngettext(
            "No invitation was sent: %(name)s has had %(count)d invitation in the last 24 hours, the most CoachHub "
            "sends to one person in a day. You can send another from %(time)s.",
            "No invitation was sent: %(name)s has had %(count)d invitations in the last 24 hours, the most CoachHub "
            "sends to one person in a day. You can send another from %(time)s.",
            reached.limit,
        ) % {"name": coachee.name, "count": reached.limit, "time": again_at}
    return ngettext(
        "No invitation was sent: you have sent %(count)d invitation in the last 24 hours, the most CoachHub sends "
        "for one coach in a day. You can send the next one from %(time)s.",
        "No invitation was sent: you have sent %(count)d invitations in the last 24 hours, the most CoachHub sends "
        "for one coach in a day. You can send the next one from %(time)s.",
        reached.limit,
    ) % {"count": reached.limit, "time": again_at}


@coach_required
@require_POST
def coachee_archive(request, coachee_pk):
    coachee = services.coachee_archive(coachee=_get_coachee(request, coachee_pk))
    messages.success(
        request,
        _("%(name)s is archived. You find them under “Archived” and can restore them there.") % {"name": coachee.name},
    )
    return redirect("coaching:coachee_list")


@coach_required
@require_POST
def coachee_restore(request, coachee_pk):
    coachee = services.coachee_restore(coachee=_get_coachee(request, coachee_pk))
    messages.success(request, _("%(name)s is back among your active coachees.") % {"name": coachee.name})
    return redirect("homework:coachee_detail", coachee.pk)


# --- Goals ------------------------------------------------------------------------------------


@coach_required
def goal_create(request, coachee_pk):
    coachee = _get_coachee(request, coachee_pk)
    form = GoalForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        goal = services.goal_create(
            coachee=coachee, title=form.cleaned_data["title"], description=form.cleaned_data["description"]
        )
        messages.success(request, _("Goal “%(title)s” added.") % {"title": goal.title})
        return redirect("homework:coachee_detail", coachee.pk)
    return render(request, "coaching/goal_form.html", {"form": form, "coachee": coachee})


@coach_required
def goal_edit(request, goal_pk):
    goal = _get_goal(request, goal_pk)
    initial = {"title": goal.title, "description": goal.description, "status": goal.status}
    form = GoalEditForm(posted_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        services.goal_update(goal=goal, **form.cleaned_data)
        messages.success(request, _("Goal “%(title)s” saved.") % {"title": goal.title})
        return redirect("homework:coachee_detail", goal.coachee_id)
    return render(request, "coaching/goal_form.html", {"form": form, "coachee": goal.coachee, "goal": goal})


# --- Sessions ---------------------------------------------------------------------------------


@coach_required
def session_create(request, coachee_pk):
    coachee = _get_coachee(request, coachee_pk)
    form = SessionForm(posted_data(request), timezone_name=request.user.timezone)
    if request.method == "POST" and form.is_valid():
        session = services.session_schedule(coachee=coachee, **form.cleaned_data)
        messages.success(request, _("Session on %(when)s scheduled.") % {"when": _session_when(session)})
        return redirect("homework:session_detail", session.pk)
    return render(request, "coaching/session_form.html", {"form": form, "coachee": coachee})


@coach_required
def session_edit(request, session_pk):
    session = _get_session(request, session_pk)
    fields = SessionEditForm.Meta.fields
    form = SessionEditForm(
        posted_data(request),
        held=session.is_held,
        timezone_name=request.user.timezone,
        initial={name: getattr(session, name) for name in fields},
    )
    if request.method == "POST" and form.is_valid():
        services.session_update(session=session, **{name: form.cleaned_data[name] for name in fields})
        messages.success(request, _("Session on %(when)s saved.") % {"when": _session_when(session)})
        return redirect("homework:session_detail", session.pk)
    return render(request, "coaching/session_form.html", {"form": form, "coachee": session.coachee, "session": session})


@coach_required
@require_POST
def session_cancel(request, session_pk):
    session = _get_session(request, session_pk)
    try:
        services.session_cancel(session=session)
    except services.SessionHeld:
        messages.warning(
            request,
            _("The session on %(when)s was held, so it cannot be cancelled: what was reviewed there stays.")
            % {"when": _session_when(session)},
        )
        return redirect("homework:session_detail", session.pk)
    messages.success(
        request,
        _("Session on %(when)s cancelled. Open homework stays on the agenda of the next session.")
        % {"when": _session_when(session)},
    )
    return redirect("homework:coachee_detail", session.coachee_id)
