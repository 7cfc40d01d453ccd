"""Coach pages for programmes: the list, a programme and its steps, enrolling coachees, everyone's
position, and the homework of each step at its session (confirm, edit first, skip).

Every object is looked up through a helper below that starts from a `for_coach` queryset, so anyone
else's object answers 404."""

import json

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from assignments.forms import AssignForm
from assignments.models import HomeworkTemplate
from assignments.services import CONTENT_FIELDS
from coachhub.accounts.access import coach_required
from coachhub.http import posted_data, require_GET_or_POST
from sessions.models import Coachee, CoachingSession

from . import exchange, services
from .forms import EnrolForm, EnrolInForm, ImportForm, ProgrammeForm, StepForm
from .models import MAX_STEPS, Enrolment, Programme, ProgrammeStep, StepDecision

# Programmes and positions listed per page.
PER_PAGE = 50
# Templates offered to start a step from (the library in the coach's language and their own).
TEMPLATE_CHOICES_LIMIT = 200


def _programme(coach, pk, *, editable: bool = False) -> Programme:
    programmes = Programme.objects.editable_by(coach) if editable else Programme.objects.for_coach(coach)
    return get_object_or_404(programmes, pk=pk)


def _step(coach, pk) -> ProgrammeStep:
    return get_object_or_404(ProgrammeStep.objects.filter(programme__coach=coach).select_related("programme"), pk=pk)


def _enrolment(coach, pk) -> Enrolment:
    return get_object_or_404(Enrolment.objects.for_coach(coach).select_related("programme", "coachee"), pk=pk)


def _session(coach, pk) -> CoachingSession:
    return get_object_or_404(CoachingSession.objects.for_coach(coach).select_related("coachee"), pk=pk)


# --- Programmes -----------------------------------------------------------------------------------


@coach_required
@require_safe
def programme_list(request):
    coach = request.user
    archived = request.GET.get("archived") == "1"
    own = Programme.objects.editable_by(coach)
    own = own.archived() if archived else own.active()
    page = Paginator(own.annotate(step_count=Count("steps")).order_by("title", "pk"), PER_PAGE).get_page(
        request.GET.get("page")
    )
    builtin = Programme.objects.builtin().filter(language=coach.language).annotate(step_count=Count("steps"))
    return render(
        request,
        "programmes/list.html",
        {"page": page, "archived": archived, "builtin": [] if archived else list(builtin)},
    )


@coach_required
@require_safe
def programme_detail(request, programme_pk):
    coach = request.user
    programme = _programme(coach, programme_pk)
    enrolled = (
        Enrolment.objects.for_coach(coach).current().filter(programme=programme).select_related("coachee")[:PER_PAGE]
    )
    return render(
        request,
        "programmes/detail.html",
        {
            "programme": programme,
            "steps": list(programme.steps.order_by("number")),
            "editable": programme.coach_id == coach.pk,
            "enrolled": enrolled,
            "enrol_form": EnrolForm(coach=coach) if programme.coach_id == coach.pk else None,
        },
    )


@coach_required
@require_GET_or_POST
def programme_create(request):
    form = ProgrammeForm(posted_data(request), initial={"language": request.user.language})
    if request.method == "POST" and form.is_valid():
        programme = services.programme_save(coach=request.user, **form.cleaned_data)
        messages.success(request, _("Programme “%(title)s” created. Now add its steps.") % {"title": programme.title})
        return redirect("programmes:detail", programme_pk=programme.pk)
    return render(request, "programmes/form.html", {"form": form})


@coach_required
@require_GET_or_POST
def programme_edit(request, programme_pk):
    programme = _programme(request.user, programme_pk, editable=True)
    original_title = programme.title
    form = ProgrammeForm(posted_data(request), instance=programme)
    if request.method == "POST" and form.is_valid():
        services.programme_save(coach=request.user, programme=programme, **form.cleaned_data)
        messages.success(request, _("Programme “%(title)s” saved.") % {"title": programme.title})
        return redirect("programmes:detail", programme_pk=programme.pk)
    return render(
        request, "programmes/form.html", {"form": form, "programme": programme, "original_title": original_title}
    )


@coach_required
@require_POST
def programme_copy(request, programme_pk):
    copy = services.programme_copy(coach=request.user, programme=_programme(request.user, programme_pk))
    messages.success(request, _("“%(title)s” is now in your programmes.") % {"title": copy.title})
    return redirect("programmes:detail", programme_pk=copy.pk)


@coach_required
@require_POST
def programme_archive(request, programme_pk):
    programme = services.programme_archive(programme=_programme(request.user, programme_pk, editable=True))
    messages.success(request, _("“%(title)s” is archived.") % {"title": programme.title})
    return redirect("programmes:detail", programme_pk=programme.pk)


@coach_required
@require_POST
def programme_restore(request, programme_pk):
    programme = services.programme_restore(programme=_programme(request.user, programme_pk, editable=True))
    messages.success(request, _("“%(title)s” is restored.") % {"title": programme.title})
    return redirect("programmes:detail", programme_pk=programme.pk)


@coach_required
@require_safe
def programme_export(request, programme_pk):
    programme = _programme(request.user, programme_pk)
    body = json.dumps(exchange.export_programme(programme), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    name = slugify(programme.title) or "programme"
    response["Content-Disposition"] = f'attachment; filename="{name}.json"'
    return response


@coach_required
@require_GET_or_POST
def programme_import(request):
    form = ImportForm(posted_data(request), request.FILES if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            programme = exchange.import_programme(coach=request.user, data=form.cleaned_data["file"])
        except exchange.InvalidFile as error:
            form.add_error("file", str(error))
        else:
            messages.success(request, _("Programme “%(title)s” imported.") % {"title": programme.title})
            return redirect("programmes:detail", programme_pk=programme.pk)
    return render(request, "programmes/import.html", {"form": form})


# --- Steps ----------------------------------------------------------------------------------------


def _template_choices(coach):
    return (
        HomeworkTemplate.objects.for_coach(coach)
        .in_languages([coach.language])
        .only("pk", "title", "kind")
        .order_by("kind", "title")[:TEMPLATE_CHOICES_LIMIT]
    )


@coach_required
@require_GET_or_POST
def step_create(request, programme_pk):
    """Add the homework of the next session: written here, or started from a library template
    (?template=), whose content is copied into the step."""
    coach = request.user
    programme = _programme(coach, programme_pk, editable=True)
    template = None
    if request.GET.get("template", "").isdigit():
        template = get_object_or_404(HomeworkTemplate.objects.for_coach(coach), pk=int(request.GET["template"]))
    initial = {name: getattr(template, name) for name in CONTENT_FIELDS} if template else {}
    form = StepForm(posted_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            step = services.step_save(programme=programme, template=template, **form.cleaned_data)
        except services.ProgrammeFull:
            messages.warning(request, _("A programme has at most %(n)d steps.") % {"n": MAX_STEPS})
            return redirect("programmes:detail", programme_pk=programme.pk)
        messages.success(request, _("Step %(n)d saved.") % {"n": step.number})
        return redirect(f"{reverse('programmes:detail', args=[programme.pk])}#step-{step.number}")
    return render(
        request,
        "programmes/step_form.html",
        {"form": form, "programme": programme, "template": template, "templates": _template_choices(coach)},
    )


@coach_required
@require_GET_or_POST
def step_edit(request, step_pk):
    step = _step(request.user, step_pk)
    form = StepForm(posted_data(request), instance=step)
    if request.method == "POST" and form.is_valid():
        services.step_save(programme=step.programme, step=step, **form.cleaned_data)
        messages.success(request, _("Step %(n)d saved.") % {"n": step.number})
        return redirect(f"{reverse('programmes:detail', args=[step.programme_id])}#step-{step.number}")
    return render(request, "programmes/step_form.html", {"form": form, "programme": step.programme, "step": step})


@coach_required
@require_POST
def step_remove(request, step_pk):
    step = _step(request.user, step_pk)
    services.step_remove(step=step)
    messages.success(request, _("Step %(n)d removed; the steps after it moved up.") % {"n": step.number})
    return redirect("programmes:detail", programme_pk=step.programme_id)


@coach_required
@require_POST
def step_move(request, step_pk):
    step = _step(request.user, step_pk)
    services.step_move(step=step, up=request.POST.get("direction") != "down")
    return redirect(f"{reverse('programmes:detail', args=[step.programme_id])}#steps")


# --- Enrolling ------------------------------------------------------------------------------------


def _enrol(request, programme, coachee):
    try:
        services.enrol(programme=programme, coachee=coachee)
    except services.AlreadyEnrolled:
        messages.warning(request, _("%(name)s follows another programme. End that one first.") % {"name": coachee.name})
    except services.NotEnrollable:
        messages.warning(request, _("Only your own programmes that are not archived take coachees."))
    else:
        messages.success(
            request,
            _("%(name)s is enrolled in “%(title)s”. Each step is offered at its session.")
            % {"name": coachee.name, "title": programme.title},
        )


@coach_required
@require_POST
def enrol(request, programme_pk):
    """From the programme's page: enrol one of the coach's coachees."""
    programme = _programme(request.user, programme_pk, editable=True)
    form = EnrolForm(request.POST, coach=request.user)
    if form.is_valid():
        _enrol(request, programme, form.cleaned_data["coachee"])
    else:
        messages.warning(request, " ".join(form.errors["coachee"]))
    return redirect("programmes:detail", programme_pk=programme.pk)


@coach_required
@require_POST
def enrol_coachee(request, coachee_pk):
    """From the coachee's page: enrol them in one of the coach's programmes."""
    coachee = get_object_or_404(Coachee.objects.for_coach(request.user), pk=coachee_pk)
    form = EnrolInForm(request.POST, coach=request.user)
    if form.is_valid():
        _enrol(request, form.cleaned_data["programme"], coachee)
    else:
        messages.warning(request, " ".join(form.errors["programme"]))
    return redirect("homework:coachee_detail", coachee_pk=coachee.pk)


@coach_required
@require_POST
def enrolment_end(request, enrolment_pk):
    enrolment = _enrolment(request.user, enrolment_pk)
    if enrolment.ended_at is None:
        services.enrolment_end(enrolment=enrolment)
        messages.success(
            request,
            _("%(name)s no longer follows “%(title)s”; homework already given stays.")
            % {"name": enrolment.coachee.name, "title": enrolment.programme.title},
        )
    return redirect("homework:coachee_detail", coachee_pk=enrolment.coachee_id)


@coach_required
@require_safe
def positions(request):
    """Every coachee following one of the coach's programmes, and where they are: one query a page."""
    enrolments = (
        Enrolment.objects.for_coach(request.user)
        .current()
        .with_position()
        .select_related("coachee", "programme")
        .order_by("programme__title", "coachee__name", "pk")
    )
    page = Paginator(enrolments, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "programmes/positions.html", {"page": page})


# --- A step's homework at its session -----------------------------------------------------------------


def _offer(request, session_pk, step_pk):
    """The session, the coachee's current enrolment and the step, or 404 when the step is not of the
    programme they follow."""
    coach = request.user
    session = _session(coach, session_pk)
    step = _step(coach, step_pk)
    enrolment = get_object_or_404(
        Enrolment.objects.current().select_related("programme"), coachee=session.coachee, programme=step.programme
    )
    return session, step, enrolment


def _back_to(session) -> str:
    return f"{reverse('homework:session_detail', args=[session.pk])}#programme"


def _say_why_not(request, error) -> None:
    if isinstance(error, services.AlreadyDecided):
        messages.info(request, _("This step was already assigned or skipped."))
    elif isinstance(error, services.NotThisSession):
        messages.warning(request, _("This step no longer falls on this session: the calendar changed."))
    else:
        messages.warning(request, _("You can assign it from an hour before the session starts."))


@coach_required
@require_POST
def step_confirm(request, session_pk, step_pk):
    session, step, enrolment = _offer(request, session_pk, step_pk)
    if not session.has_opened():
        _say_why_not(request, None)
        return redirect(_back_to(session))
    try:
        assignment = services.step_confirm(enrolment=enrolment, step=step, session=session)
    except (services.AlreadyDecided, services.NotThisSession) as error:
        _say_why_not(request, error)
    else:
        messages.success(
            request, _("“%(title)s” assigned to %(name)s.") % {"title": assignment.title, "name": session.coachee.name}
        )
    return redirect(_back_to(session))


@coach_required
@require_POST
def step_skip(request, session_pk, step_pk):
    session, step, enrolment = _offer(request, session_pk, step_pk)
    try:
        services.step_skip(enrolment=enrolment, step=step, session=session)
    except (services.AlreadyDecided, services.NotThisSession) as error:
        _say_why_not(request, error)
    else:
        messages.success(
            request, _("Step %(n)d skipped for %(name)s.") % {"n": step.number, "name": session.coachee.name}
        )
    return redirect(_back_to(session))


@coach_required
@require_GET_or_POST
def step_assign(request, session_pk, step_pk):
    """The assign form, filled in with the step's homework, to adapt before assigning it."""
    session, step, enrolment = _offer(request, session_pk, step_pk)
    if not session.has_opened() or StepDecision.objects.filter(enrolment=enrolment, step=step).exists():
        _say_why_not(request, services.AlreadyDecided() if session.has_opened() else None)
        return redirect(_back_to(session))
    now = timezone.now()
    next_session = (
        CoachingSession.objects.to_be_held()
        .filter(coachee=session.coachee, starts_at__gt=max(now, session.starts_at))
        .order_by("starts_at", "pk")
        .first()
    )
    initial = {name: getattr(step, name) for name in CONTENT_FIELDS}
    due_at = services.due_at_for(step, session, now)
    if due_at:
        initial |= {"due": AssignForm.DUE_DATE, "due_date": due_at.date()}
    form = AssignForm(
        posted_data(request),
        initial=initial,
        coachee=session.coachee,
        next_session_at=next_session.starts_at if next_session else None,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            assignment = services.step_confirm(
                enrolment=enrolment,
                step=step,
                session=session,
                content={name: data[name] for name in CONTENT_FIELDS},
                goal=data["goal"],
                due_at=data["due_at"],
                checklist=data["checklist"],
            )
        except (services.AlreadyDecided, services.NotThisSession) as error:
            _say_why_not(request, error)
        else:
            messages.success(
                request,
                _("“%(title)s” assigned to %(name)s.") % {"title": assignment.title, "name": session.coachee.name},
            )
        return redirect(_back_to(session))
    return render(
        request,
        "programmes/step_assign.html",
        {"form": form, "session": session, "coachee": session.coachee, "step": step, "enrolment": enrolment},
    )
