"""Coach pages for homework: coachee page, session agenda and reviews, assigning, library.

Every object is looked up through one of the helpers below, which start from a `for_coach` queryset,
so anyone else's object answers 404.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Case, F, Prefetch, Q, When
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from coachhub.accounts.access import coach_required
from coachhub.http import is_from_page_script, path_for, posted_data, require_GET_or_POST
from sessions.models import Coachee, CoachingSession

from . import services
from .forms import (
    AgreementTermsForm,
    AssignForm,
    AssignStartForm,
    FeedbackForm,
    ReviewForm,
    SessionHoldForm,
    TemplateForm,
)
from .models import AgreementStep, Assignment, Criterion, HomeworkTemplate, Kind, Review, Upload
from .progress import stats

# --- Look-ups: one per model, each scoped to the coach ------------------------------------------


def _pk(value) -> int:
    """A primary key from a query string; anything that is not one is a page that does not exist."""
    if not isinstance(value, str) or not value.isdigit() or len(value) > 18:
        raise Http404
    return int(value)


def _coachee(coach, pk) -> Coachee:
    return get_object_or_404(Coachee.objects.for_coach(coach), pk=pk)


def _session(coach, pk, **filters) -> CoachingSession:
    return get_object_or_404(CoachingSession.objects.for_coach(coach).select_related("coachee"), pk=pk, **filters)


def _assignment(coach, pk, queryset=None) -> Assignment:
    queryset = queryset if queryset is not None else Assignment.objects.for_coach(coach)
    return get_object_or_404(queryset, pk=pk)


def _template(coach, pk, *, editable: bool = False) -> HomeworkTemplate:
    templates = HomeworkTemplate.objects.editable_by(coach) if editable else HomeworkTemplate.objects.for_coach(coach)
    return get_object_or_404(templates, pk=pk)


def with_work(assignments):
    """The coachee's work beside each assignment, in a fixed number of queries: their words,
    their log and their files (the coachee's login for their own calendar day)."""
    return assignments.select_related("submission", "coachee__user").prefetch_related("log_entries", "uploads")


def _next_session(coachee_id, after) -> CoachingSession | None:
    """The first session of the coachee after `after` that is still to be held."""
    return (
        CoachingSession.objects.to_be_held()
        .filter(coachee_id=coachee_id, starts_at__gt=after)
        .order_by("starts_at", "pk")
        .first()
    )


# --- Coachee page -------------------------------------------------------------------------------


def _timeline(sessions, assignments) -> list[dict]:
    """Sessions (each with the reviews recorded at it) and assignments, newest first."""
    entries = [{"at": s.starts_at, "type": "session", "session": s} for s in sessions]
    entries += [{"at": a.assigned_at, "type": "assignment", "assignment": a} for a in assignments]
    return sorted(entries, key=lambda entry: entry["at"], reverse=True)


def _add_paths(goals, sessions, assignments) -> None:
    """The path of every session and homework the coachee page links to, one reverse() per kind."""
    assignment_path, session_path = path_for("homework:assignment_detail"), path_for("homework:session_detail")
    for assignment in assignments:
        assignment.path = assignment_path(assignment.pk)
    for goal in goals:
        for assignment in goal.assignments.all():
            assignment.path = assignment_path(assignment.pk)
    for session in sessions:
        session.path = session_path(session.pk)
        for review in session.reviews.all():
            review.assignment_path = assignment_path(review.assignment_id)


@coach_required
@require_safe
def coachee_detail(request, coachee_pk):
    coachee = _coachee(request.user, coachee_pk)
    now = timezone.now()
    goals = coachee.goals.prefetch_related(
        Prefetch("assignments", queryset=Assignment.objects.order_by("assigned_at", "pk"))
    )
    sessions = coachee.sessions.prefetch_related(
        Prefetch("reviews", queryset=Review.objects.select_related("assignment").order_by("created_at", "pk"))
    )
    assignments = list(coachee.assignments.with_review_loop(now).select_related("goal"))
    goals, sessions = list(goals), list(sessions)
    _add_paths(goals, sessions, assignments)
    upcoming = [s for s in sessions if s.status == CoachingSession.Status.SCHEDULED and s.starts_at > now]
    return render(
        request,
        "homework/coachee_detail.html",
        {
            "coachee": coachee,
            "goals": goals,
            "timeline": _timeline(sessions, assignments),
            "next_session": upcoming[0] if upcoming else None,
            "needing_a_session": [a for a in assignments if a.needs_a_session],
            "now": now,
        },
    )


# --- Session page and agenda --------------------------------------------------------------------


@coach_required
@require_safe
def session_detail(request, session_pk):
    coach = request.user
    session = _session(coach, session_pk)
    now = timezone.now()
    return render(request, "homework/session_detail.html", _agenda(coach, session, now))


def _agenda(coach, session, now) -> dict:
    """What a session's page shows: its agenda, each item with its story around the session and,
    while reviews can be recorded, a review form of its own (session mode)."""
    gone_by = session.has_gone_by(now)
    shows_later = not gone_by and not session.is_cancelled
    rows = list(
        with_work(
            Assignment.objects.for_coach(coach)
            .on_agenda(session, now, and_due_later=shows_later)
            .select_related("goal", "reviewed_session")
            .prefetch_related(
                Prefetch("reviews", queryset=Review.objects.filter(session=session), to_attr="reviews_here"),
                Prefetch(
                    "reviews",
                    queryset=Review.objects.filter(session__starts_at__lt=session.starts_at)
                    .select_related("session")
                    .order_by("session__starts_at", "pk"),
                    to_attr="earlier_reviews",
                ),
            )
            .order_by("assigned_at", "pk")
        )
    )
    agenda = [a for a in rows if a.reviewed_here or a.review_session_id == session.pk] if shows_later else rows
    _point_to_where_it_went(agenda, session, now)
    # Reviews, marking it held and assigning homework in it wait until the session opens.
    reviewable = not session.is_cancelled and session.has_opened(now)
    if reviewable:
        for assignment in agenda:
            if not assignment.reviews_here:
                assignment.review_form = _inline_review_form(assignment)
    assigned_here = Assignment.objects.for_coach(coach).filter(assigned_in_session=session).order_by("assigned_at")
    return {
        "session": session,
        "coachee": session.coachee,
        "agenda": agenda,
        "open_unreviewed": [a for a in agenda if a.is_open and not a.reviewed_here],
        "gone_by": gone_by,
        "later": _due_later(rows, session) if shows_later else None,
        "assigned_here": assigned_here,
        "next_session": _next_session(session.coachee_id, session.starts_at),
        "opened": session.has_opened(now),
        "reviewable": reviewable,
    }


def _inline_review_form(assignment, data=None, instance=None) -> ReviewForm:
    """A review form for one agenda item: ids of its own, as many stand on one page; short boxes."""
    form = ReviewForm(data, instance=instance, auto_id=f"id_review{assignment.pk}_%s")
    for name in ("coach_notes", "insights"):
        form.fields[name].widget.attrs["rows"] = 2
    return form


def _point_to_where_it_went(agenda, session, now) -> None:
    """The story of each agenda item around this session, from one query of the coachee's sessions:
    `went_to`, the session an open item is due at now (when not this one), and `went_by`, the earlier
    sessions it was due at that went by without a review of it (why it is carried over)."""
    ahead = {a.review_session_id for a in agenda if a.review_session_id and a.review_session_id != session.pk}
    sessions = list(
        CoachingSession.objects.filter(coachee_id=session.coachee_id)
        .not_cancelled()
        .filter(Q(pk__in=ahead) | Q(starts_at__lt=session.starts_at))
        .order_by("starts_at", "pk")
    )
    by_pk = {s.pk: s for s in sessions}
    behind = [s for s in sessions if s.starts_at < session.starts_at and s.has_gone_by(now)]
    for assignment in agenda:
        assignment.went_to = by_pk.get(assignment.review_session_id) if assignment.is_open else None
        reviewed = {review.session_id for review in assignment.earlier_reviews}
        assignment.went_by = [
            s
            for s in behind
            if assignment.due_moment is not None
            and s.starts_at >= assignment.due_moment
            and (s.held_at or s.starts_at) > assignment.assigned_at
            and s.pk not in reviewed
        ]


def _due_later(rows, session) -> dict | None:
    """Of `rows` (the coachee's homework on or after this session's agenda), the open homework due at
    sessions after this one: a count and the first such session, so an agenda can say "later: N
    items" without listing them as due here."""
    later = sorted(
        (a for a in rows if a.review_session_at and a.review_session_at > session.starts_at),
        key=lambda a: (a.review_session_at, a.review_session_id),
    )
    if not later:
        return None
    return {"count": len(later), "session_pk": later[0].review_session_id, "at": later[0].review_session_at}


@coach_required
@require_GET_or_POST
def session_hold(request, session_pk):
    """Mark a session as held. Open homework on its agenda that was not reviewed there is listed
    first with a choice each: carry it over to the next session (the default) or drop it."""
    coach = request.user
    session = _session(coach, session_pk)
    when = formats.date_format(timezone.localtime(session.starts_at), "WEEKDAY_DATETIME_FORMAT")
    if session.is_held:
        messages.info(request, _("The session on %(when)s is marked as held already.") % {"when": when})
        return redirect("homework:session_detail", session_pk=session.pk)
    if session.is_cancelled or not session.has_opened():
        if session.is_cancelled:
            notice = _("The session on %(when)s is cancelled, so it cannot be marked as held.")
        else:
            notice = _(
                "The session on %(when)s has not started yet. You can mark it as held from an hour before it starts."
            )
        messages.warning(request, notice % {"when": when})
        return redirect("homework:session_detail", session_pk=session.pk)
    waiting = list(
        Assignment.objects.for_coach(coach)
        .open()
        .on_agenda(session)
        .filter(reviewed_here=False)
        .order_by("assigned_at", "pk")
    )
    decided = request.method == "POST" and (request.POST.get("decided") == "1" or not waiting)
    form = SessionHoldForm(request.POST if decided else None, assignments=waiting)
    if decided and form.is_valid():
        dropped = services.session_hold(session=session, drop=form.dropped())
        messages.success(request, _held_message(when, len(waiting) - len(dropped), len(dropped)))
        return redirect("homework:session_detail", session_pk=session.pk)
    return render(
        request,
        "homework/session_hold.html",
        {
            "session": session,
            "coachee": session.coachee,
            "form": form,
            "next_session": _next_session(session.coachee_id, session.starts_at),
        },
    )


def _held_message(when: str, carried: int, dropped: int) -> str:
    message = _("Session on %(when)s marked as held.") % {"when": when}
    if carried:
        message += " " + ngettext(
            "%(n)d homework is carried over to the next session.",
            "%(n)d homework are carried over to the next session.",
            carried,
        ) % {"n": carried}
    if dropped:
        message += " " + ngettext("%(n)d homework is dropped.", "%(n)d homework are dropped.", dropped) % {"n": dropped}
    return message


@coach_required
@require_GET_or_POST
def review(request, session_pk, assignment_pk):
    """Record how an assignment went, at a session on whose agenda it stands."""
    coach = request.user
    # A cancelled session has no reviews: its homework moves on to the next session.
    session = _session(coach, session_pk, status__in=[CoachingSession.Status.SCHEDULED, CoachingSession.Status.HELD])
    on_agenda = with_work(Assignment.objects.for_coach(coach).on_agenda(session).select_related("goal"))
    assignment = _assignment(coach, assignment_pk, on_agenda)
    if not session.has_opened():
        # Too early: the page says when reviews open, and a POST changes nothing.
        return render(request, "homework/review_not_yet.html", {"session": session, "assignment": assignment})
    existing = Review.objects.filter(assignment=assignment, session=session).first()
    # Sent from the agenda by static/js/review-inplace.js: it takes the item back alone.
    in_place = request.method == "POST" and is_from_page_script(request)
    if in_place:
        form = _inline_review_form(assignment, posted_data(request), instance=existing)
    else:
        form = ReviewForm(posted_data(request), instance=existing)
    if request.method == "POST" and form.is_valid():
        has_follow_up = assignment.follow_ups.exists()
        saved = services.review_record(assignment=assignment, session=session, **form.cleaned_data)
        if saved.next_step == Review.NextStep.FOLLOW_UP and not has_follow_up:
            messages.success(request, _("Review saved. Now adapt the follow-up homework below."))
            query = urlencode({"follow_up": assignment.pk, "session": session.pk})
            return _go_to(request, f"{reverse('homework:assign', args=[assignment.coachee_id])}?{query}")
        if in_place:
            return _agenda_item(request, session, assignment.pk, saved=True)
        messages.success(request, _("Review of “%(title)s” saved.") % {"title": assignment.title})
        return redirect(f"{reverse('homework:session_detail', args=[session.pk])}#assignment-{assignment.pk}")
    if in_place:
        # 200, not 422: the answer is what the item shows now, errors included (a browser would log
        # a 4xx as a failed request).
        return _agenda_item(request, session, assignment.pk, form=form)
    return render(
        request,
        "homework/review.html",
        {"session": session, "assignment": assignment, "form": form, "existing": existing},
    )


def _go_to(request, url: str):
    """A redirect; for the agenda's script, which cannot follow one into another page, the address
    in a header of an empty answer, for the script to go to."""
    if is_from_page_script(request):
        response = HttpResponse(status=204)
        response["X-Go-To"] = url
        return response
    return redirect(url)


def _agenda_item(request, session, assignment_pk, *, saved=False, form=None):
    """One agenda item as the agenda shows it, after a review was recorded in place (or, with `form`,
    with that form's errors)."""
    context = _agenda(request.user, session, timezone.now())
    item = next(a for a in context["agenda"] if a.pk == assignment_pk)
    if form is not None:
        item.review_form = form
    return render(request, "homework/_agenda_item.html", {**context, "assignment": item, "saved": saved})


# --- Assigning ----------------------------------------------------------------------------------


@coach_required
@require_GET_or_POST
def assign(request, coachee_pk):
    """Assign homework to a coachee: blank, from a library template (?template=), in a session
    (?session=), or as the follow-up of an earlier assignment (?follow_up=)."""
    coach = request.user
    coachee = _coachee(coach, coachee_pk)
    if coachee.is_archived:
        messages.warning(
            request, _("%(name)s is archived. Restore them before assigning homework.") % {"name": coachee}
        )
        return redirect("homework:coachee_detail", coachee_pk=coachee.pk)

    session = template = follow_up_of = None
    initial = {}
    if "session" in request.GET:
        session = _session(coach, _pk(request.GET["session"]), coachee=coachee)
        if session.is_cancelled or not session.has_opened():
            _say_not_in_session(request, session)
            if request.method != "POST":
                query = request.GET.copy()
                del query["session"]
                url = reverse("homework:assign", args=[coachee.pk])
                return redirect(f"{url}?{query.urlencode()}" if query else url)
            session = None  # what the coach typed is assigned all the same, outside the session
    if request.method != "POST" and not STARTS & request.GET.keys():
        return _assign_start(request, coachee, session)
    if "follow_up" in request.GET:
        queryset = Assignment.objects.for_coach(coach).filter(coachee=coachee)
        follow_up_of = _assignment(coach, _pk(request.GET["follow_up"]), queryset)
        initial.update(services.follow_up_initial(follow_up_of))
    if "template" in request.GET:
        template = _template(coach, _pk(request.GET["template"]))
        initial.update({name: getattr(template, name) for name in services.CONTENT_FIELDS})
    if "goal" in request.GET:
        initial["goal"] = get_object_or_404(coachee.goals, pk=_pk(request.GET["goal"])).pk

    # Undated homework given now is due at the first session still to be held after now (and after
    # the session it is given in); one already marked held lies behind it.
    next_session = _next_session(coachee.pk, max(timezone.now(), session.starts_at) if session else timezone.now())
    initial.setdefault("propose", coach.propose_homework)
    form = AssignForm(
        posted_data(request),
        initial=initial,
        coachee=coachee,
        next_session_at=next_session.starts_at if next_session else None,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        assignment = services.assignment_create(
            coachee=coachee,
            **{name: data[name] for name in services.CONTENT_FIELDS},
            goal=data["goal"],
            due_at=data["due_at"],
            checklist=data["checklist"],
            template=template,
            assigned_in_session=session,
            follow_up_of=follow_up_of,
            propose=data["propose"],
        )
        if data["propose"]:
            done = _("“%(title)s” proposed to %(name)s. They can agree or suggest changes.")
        else:
            done = _("“%(title)s” assigned to %(name)s.")
        messages.success(request, done % {"title": assignment.title, "name": coachee.name})
        if session:
            return redirect("homework:session_detail", session_pk=session.pk)
        return redirect("homework:coachee_detail", coachee_pk=coachee.pk)

    return render(
        request,
        "homework/assign.html",
        {
            "coachee": coachee,
            "form": form,
            "session": session,
            "template": template,
            "follow_up_of": follow_up_of,
            "next_session": next_session,
            "fits": what_fits(coachee),
            "start_again": _assign_url(coachee, session=session),
        },
    )


# The query keys that say where the assign form starts from; without one the coach chooses first.
STARTS = {"template", "follow_up", "blank"}
# Templates listed on the first step at most; a search narrows a long list of one's own templates.
START_LIST_LIMIT = 60


def _assign_url(coachee, **query) -> str:
    """The assign page of `coachee` with the given query (objects by their pk; empty ones left out)."""
    url = reverse("homework:assign", args=[coachee.pk])
    query = {key: getattr(value, "pk", value) for key, value in query.items() if value}
    return f"{url}?{urlencode(query)}" if query else url


def _query_prefix(url: str) -> str:
    """`url` ready for one more query parameter."""
    return url + ("&" if "?" in url else "?")


def _assign_start(request, coachee, session):
    """The first step of assigning: a blank form, or a template found by words, kind and goal."""
    coach = request.user
    filters = AssignStartForm(request.GET, coachee=coachee, coach_language=coach.language)
    # Within a kind, the coachee's language first: the templates they can be given as they are.
    in_their_language = Case(When(language=coachee.language, then=0), default=1)
    templates = HomeworkTemplate.objects.for_coach(coach).order_by(
        "kind", in_their_language, F("coach").asc(nulls_first=True), "title"
    )
    goal = None
    if filters.is_valid():
        data = filters.cleaned_data
        goal = data["goal"]
        templates = templates.in_languages(filters.chosen_languages())
        templates = templates.search(data["q"]) if data["q"] else templates
        templates = templates.filter(kind=data["kind"]) if data["kind"] else templates
        templates = templates.related_to(goal.title) if goal else templates
    else:
        templates = templates.none()
    shown = list(templates.only("pk", "kind", "title", "instructions", "coach", "language")[: START_LIST_LIMIT + 1])
    return render(
        request,
        "homework/assign_start.html",
        {
            "coachee": coachee,
            "session": session,
            "filters": filters,
            "templates": shown[:START_LIST_LIMIT],
            "more": len(shown) > START_LIST_LIMIT,
            "two_languages": len(filters.languages) > 1,
            "fits": what_fits(coachee),
            "blank_url": _assign_url(coachee, blank=1, session=session, goal=goal),
            # Each template's link is this and its pk: the chosen session and goal go on to the form.
            "template_link": _query_prefix(_assign_url(coachee, session=session, goal=goal)) + "template=",
        },
    )


def what_fits(coachee) -> dict:
    """What is known of this coachee per kind of homework, for the assign flow: the figures and
    latest homework of each kind (progress statistics, two queries), the kinds they prefer, and a
    gentle note when a kind has worked poorly lately (not done, or rated 2 or less, twice)."""
    kinds = stats.fit_by_kind(coachee)
    hard = [fit.stats.label for fit in kinds if fit.poor >= stats.TELLING]
    well = [fit.stats.label for fit in kinds if fit.good >= stats.TELLING and not fit.poor]
    note = ""
    if hard and well:
        note = _("%(hard)s has been hard for %(name)s lately; %(well)s went well.")
    elif hard:
        note = _("%(hard)s has been hard for %(name)s lately.")
    labels = dict(Kind.choices)
    return {
        "kinds": kinds,
        "note": note % {"hard": ", ".join(hard), "well": ", ".join(well), "name": coachee.name} if note else "",
        "preferred": [labels[kind] for kind in coachee.preferred_kinds or [] if kind in labels],
    }


def _say_not_in_session(request, session: CoachingSession) -> None:
    """Homework for a session that has not opened yet (or is cancelled) is not assigned in it."""
    when = formats.date_format(timezone.localtime(session.starts_at), "WEEKDAY_DATETIME_FORMAT")
    if session.is_cancelled:
        notice = _("The session of %(when)s is cancelled, so homework is not assigned in it.")
    else:
        notice = _(
            "The session of %(when)s has not started yet, so homework is not assigned in it: it is assigned "
            "now and is due at the coachee's next session. From an hour before a session starts you can "
            "assign homework in it."
        )
    messages.info(request, notice % {"when": when})


# --- One assignment -----------------------------------------------------------------------------


@coach_required
@require_safe
def assignment_detail(request, assignment_pk):
    queryset = with_work(
        Assignment.objects.for_coach(request.user)
        .with_review_loop()
        .select_related("goal", "template", "assigned_in_session", "follow_up_of", "reviewed_session")
        .prefetch_related(
            Prefetch("reviews", queryset=Review.objects.select_related("session").order_by("session__starts_at")),
            "follow_ups",
        )
    )
    assignment = _assignment(request.user, assignment_pk, queryset)
    return render(
        request,
        "homework/assignment_detail.html",
        {
            "assignment": assignment,
            **agreement_context(assignment),
            "criteria": Criterion.choices,
            "feedback_form": FeedbackForm(instance=assignment.work) if assignment.status != "cancelled" else None,
        },
    )


@coach_required
@require_GET_or_POST
def feedback(request, assignment_pk):
    """Written feedback on the coachee's work, before the session; the coachee sees it on their pages."""
    queryset = with_work(Assignment.objects.for_coach(request.user).select_related("goal"))
    assignment = _assignment(request.user, assignment_pk, queryset)
    if assignment.status == Assignment.Status.CANCELLED:
        messages.info(request, _("“%(title)s” is cancelled; it takes no feedback.") % {"title": assignment.title})
        return redirect("homework:assignment_detail", assignment_pk=assignment.pk)
    form = FeedbackForm(posted_data(request), instance=assignment.work)
    if request.method == "POST" and form.is_valid():
        services.feedback_give(assignment=assignment, feedback=form.cleaned_data["feedback"])
        if form.cleaned_data["feedback"]:
            messages.success(request, _("Feedback saved. %(name)s sees it now.") % {"name": assignment.coachee.name})
        else:
            messages.success(request, _("Feedback taken back."))
        return redirect(f"{reverse('homework:assignment_detail', args=[assignment.pk])}#work")
    return render(request, "homework/feedback.html", {"assignment": assignment, "form": form})


@coach_required
@require_POST
def assignment_cancel(request, assignment_pk):
    assignment = _assignment(request.user, assignment_pk)
    if assignment.is_open:
        services.assignment_cancel(assignment=assignment)
        messages.success(request, _("“%(title)s” is cancelled and leaves the agendas.") % {"title": assignment.title})
    else:
        messages.info(request, _("“%(title)s” was already closed.") % {"title": assignment.title})
    return redirect("homework:assignment_detail", assignment_pk=assignment.pk)


# --- Agreeing on homework -----------------------------------------------------------------------


def agreement_context(assignment) -> dict:
    """The agreement's history and the suggestion waiting (if any), for the coach's and the
    coachee's page of one homework. Two queries at most; none for homework assigned outright."""
    if not assignment.agreement:
        return {"agreement_steps": [], "suggestion": None}
    steps = list(assignment.agreement_steps.select_related("by"))
    for step in steps:
        step.assignment = assignment  # its coachee's zone reads the due dates
    waiting = assignment.to_agree and assignment.agreement != Assignment.Agreement.PROPOSED
    suggestion = next((s for s in reversed(steps) if s.action == AgreementStep.Action.SUGGESTED), None)
    return {"agreement_steps": steps, "suggestion": suggestion if waiting else None}


def agreement_refused(request, assignment, page: str, **page_args):
    """A step that does not fit where the agreement stands now (sent twice, or from a page that
    was out of date): say where it stands and show the homework again."""
    values = {"title": assignment.title, "state": assignment.get_agreement_display()}
    if not assignment.is_open:
        notice = _("“%(title)s” is closed; there is nothing left to agree.")
    elif assignment.agreement == Assignment.Agreement.AGREED:
        notice = _("“%(title)s” is agreed already.")
    else:
        notice = _("That step does not fit now: “%(title)s” is “%(state)s”.")
    messages.warning(request, notice % values)
    return redirect(f"{reverse(page, kwargs=page_args)}#agreement")


def _agreement_page(request, assignment):
    return redirect(f"{reverse('homework:assignment_detail', args=[assignment.pk])}#agreement")


@coach_required
@require_POST
def agreement_accept(request, assignment_pk):
    """Take the coachee's suggestion as it is: the homework is agreed on its terms."""
    assignment = _assignment(request.user, assignment_pk, Assignment.objects.for_coach(request.user))
    try:
        services.agreement_accept(assignment=assignment, by=request.user)
    except services.AgreementOutOfOrder as refused:
        return agreement_refused(request, refused.assignment, "homework:assignment_detail", assignment_pk=assignment.pk)
    messages.success(request, _("Suggestion accepted: “%(title)s” is agreed.") % {"title": assignment.title})
    return _agreement_page(request, assignment)


@coach_required
@require_POST
def agreement_discuss(request, assignment_pk):
    """Keep the suggestion for the session: the agenda shows the homework as "to agree"."""
    assignment = _assignment(request.user, assignment_pk, Assignment.objects.for_coach(request.user))
    note = request.POST.get("note", "")[:1000]
    try:
        services.agreement_discuss(assignment=assignment, by=request.user, note=note)
    except services.AgreementOutOfOrder as refused:
        return agreement_refused(request, refused.assignment, "homework:assignment_detail", assignment_pk=assignment.pk)
    messages.success(
        request, _("Kept for the session: “%(title)s” is on its agenda to agree.") % {"title": assignment.title}
    )
    return _agreement_page(request, assignment)


@coach_required
@require_GET_or_POST
def agreement_adjust(request, assignment_pk):
    """Answer the coachee's suggestion with terms of one's own, starting from theirs, and agree."""
    queryset = Assignment.objects.for_coach(request.user).select_related("coachee")
    assignment = _assignment(request.user, assignment_pk, queryset)
    context = agreement_context(assignment)
    suggestion = context["suggestion"]
    if suggestion is None:
        return agreement_refused(request, assignment, "homework:assignment_detail", assignment_pk=assignment.pk)
    suggested = services.suggestion_terms(suggestion)
    initial = {name: value for name, value in suggested.items() if name != "due_at"}
    if "due_at" in suggested:
        due_at = suggested["due_at"]
        initial["due_date"] = timezone.localtime(due_at, assignment.coachee.tzinfo).date() if due_at else None
    form = AgreementTermsForm(posted_data(request), assignment=assignment, note_required=False, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.agreement_adjust(
                assignment=assignment, by=request.user, terms=form.terms(), note=form.cleaned_data["note"]
            )
        except services.AgreementOutOfOrder as refused:
            return agreement_refused(
                request, refused.assignment, "homework:assignment_detail", assignment_pk=assignment.pk
            )
        messages.success(request, _("“%(title)s” is agreed as you adjusted it.") % {"title": assignment.title})
        return _agreement_page(request, assignment)
    return render(request, "homework/agreement_adjust.html", {"assignment": assignment, "form": form, **context})


@coach_required
@require_POST
def agreed_in_session(request, session_pk, assignment_pk):
    """Session mode: coach and coachee agreed on the homework there; one click marks it agreed."""
    session = _session(request.user, session_pk)
    on_agenda = Assignment.objects.for_coach(request.user).on_agenda(session)
    assignment = _assignment(request.user, assignment_pk, on_agenda)
    agenda_item = f"{reverse('homework:session_detail', args=[session.pk])}#assignment-{assignment.pk}"
    try:
        services.agreement_in_session(assignment=assignment, session=session, by=request.user)
    except services.AgreementOutOfOrder as refused:
        return agreement_refused(request, refused.assignment, "homework:session_detail", session_pk=session.pk)
    except services.SessionNotOpenForAgreeing:
        messages.warning(request, _("Homework is agreed in a session from an hour before it starts."))
        return redirect(agenda_item)
    messages.success(request, _("“%(title)s” is agreed in the session.") % {"title": assignment.title})
    return redirect(agenda_item)


# --- Library ------------------------------------------------------------------------------------


def _library_by_kind(templates) -> list[dict]:
    """Templates grouped by kind, in the order of the kinds."""
    groups = {value: {"kind": value, "label": label, "templates": []} for value, label in Kind.choices}
    for template in templates:
        groups[template.kind]["templates"].append(template)
    return [group for group in groups.values() if group["templates"]]


@coach_required
@require_safe
def library(request):
    coach = request.user
    kind = request.GET.get("kind", "")
    kind = kind if kind in Kind.values else ""
    # The built-in library in one language at a time: the coach's own unless they pick another.
    language = request.GET.get("language", "")
    language = language if language in dict(settings.LANGUAGES) else coach.language
    templates = (
        HomeworkTemplate.objects.for_coach(coach)
        .in_languages([language])
        .order_by("kind", F("coach").asc(nulls_first=True), "title")
    )
    if kind:
        templates = templates.filter(kind=kind)
    return render(
        request,
        "homework/library.html",
        {
            "kind": kind,
            "kinds": Kind.choices,
            "language": language,
            "languages": settings.LANGUAGES,
            "groups": _library_by_kind(templates),
            "coachees": Coachee.objects.for_coach(coach).active().only("pk", "name"),
        },
    )


@coach_required
@require_safe
def template_detail(request, template_pk):
    coach = request.user
    return render(
        request,
        "homework/template_detail.html",
        {
            "template": _template(coach, template_pk),
            "coachees": Coachee.objects.for_coach(coach).active().only("pk", "name"),
        },
    )


@coach_required
@require_GET_or_POST
def template_create(request):
    kind = request.GET.get("kind", "")
    initial = {"language": request.user.language, **({"kind": kind} if kind in Kind.values else {})}
    form = TemplateForm(posted_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        template = services.template_save(coach=request.user, **form.cleaned_data)
        messages.success(request, _("Template “%(title)s” added to your library.") % {"title": template.title})
        return redirect("homework:template_detail", template_pk=template.pk)
    return render(request, "homework/template_form.html", {"form": form, "criteria": Criterion.choices})


@coach_required
@require_GET_or_POST
def template_edit(request, template_pk):
    template = _template(request.user, template_pk, editable=True)
    original_title = template.title  # the form writes into `template` while it validates
    form = TemplateForm(posted_data(request), instance=template)
    if request.method == "POST" and form.is_valid():
        services.template_save(coach=request.user, template=template, **form.cleaned_data)
        messages.success(request, _("Template “%(title)s” saved.") % {"title": template.title})
        return redirect("homework:template_detail", template_pk=template.pk)
    return render(
        request,
        "homework/template_form.html",
        {"form": form, "template": template, "original_title": original_title, "criteria": Criterion.choices},
    )


# --- Files the coachee uploaded -----------------------------------------------------------------


@login_required
@require_safe
def upload_file(request, upload_pk):
    """A file from creative homework, for the coachee who uploaded it and for their coach (once the
    work is submitted); anyone else gets a 404. Images open in the browser, PDFs download."""
    upload = get_object_or_404(Upload.objects.visible_to(request.user), pk=upload_pk)
    try:
        handle = upload.file.open("rb")
    except (FileNotFoundError, ValueError) as missing:
        raise Http404 from missing
    response = FileResponse(
        handle, content_type=upload.content_type, as_attachment=not upload.is_image, filename=upload.original_name
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    # A file never runs anything, even if a browser were to treat it as a page.
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    return response
