"""The coachee's pages: "my homework", doing each kind of homework, drafts and submitting.

Every page is the coachee's alone (a coach, even their own, gets a 404) and every object is looked up
through `Assignment.objects.for_coachee_user`, so anyone else's homework answers 404.

Nothing typed is lost: work is saved as a draft on the server (by the button and by autosave), a
form with an error shows what was typed, and a POST that arrives after the login expired is kept
in the session and put back once the coachee has logged in again (`keeps_typed_text`).
"""

import json
from datetime import timedelta
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.datastructures import MultiValueDict
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from coachhub.accounts import devices
from coachhub.accounts.access import coachee_required
from coachhub.http import is_from_page_script, path_for, require_GET_or_POST
from sessions.models import Coachee, CoachingSession

from . import services
from .forms import AgreementTermsForm, EntryForm, PreferredKindsForm, UploadForm, WorkForm
from .models import Assignment, LogEntry, Review
from .views import agreement_context, agreement_refused

RECENTLY_REVIEWED = 20
SUMMARIES_SHOWN = 10
# What the session keeps of a POST that arrived without a login: text only, bounded in size and
# time, and only on the homework of the coachee this browser was last signed in as
# (`devices.signed_in_as`). Anyone else's POST leaves no trace in the session store.
PENDING_SESSION_KEY = "coachhub_pending_work"
PENDING_MAX_PAGES = 5
PENDING_MAX_VALUE = 25_000
PENDING_MAX_FIELDS = 60
PENDING_MAX_BYTES = 64 * 1024  # all kept pages together, as stored (JSON)
PENDING_MAX_AGE = timedelta(hours=6)


# --- Nothing typed is lost: a POST after the login expired --------------------------------------


def _page_path(assignment_pk) -> str:
    return reverse("my:assignment", args=[assignment_pk])


def _size(value) -> int:
    return len(json.dumps(value).encode())


def _bounded_fields(post) -> dict:
    """The text fields of a POST, each cut to PENDING_MAX_VALUE characters, all together within
    PENDING_MAX_BYTES (fields past the budget are left out; files are never kept)."""
    data, budget = {}, PENDING_MAX_BYTES
    for key, values in list(post.lists())[:PENDING_MAX_FIELDS]:
        if key in ("csrfmiddlewaretoken", "action"):
            continue
        kept = [value[:PENDING_MAX_VALUE] for value in values]
        while kept and _size({key: kept}) > budget:
            kept.pop()
        if kept:
            data[key] = kept
            budget -= _size({key: kept})
    return data


def _fresh_pending(session) -> dict:
    """The kept pages that are not too old, oldest first."""
    oldest = (timezone.now() - PENDING_MAX_AGE).timestamp()
    pending = session.get(PENDING_SESSION_KEY) or {}
    return {
        page: kept
        for page, kept in pending.items()
        if isinstance(kept, dict) and isinstance(kept.get("at"), int | float) and kept["at"] >= oldest
    }


def _keep_pending(request, assignment_pk, form: str) -> bool:
    """Keep the typed text of a POST in the (anonymous) session under the homework page it came from,
    if this browser was last signed in as the coachee of that homework. Django's login keeps session
    data, so the page finds it again after the coachee logs in. Returns whether it was kept."""
    coachee_pk = devices.signed_in_as(request)
    if coachee_pk is None or not Assignment.objects.filter(pk=assignment_pk, coachee__user_id=coachee_pk).exists():
        return False
    page = _page_path(assignment_pk)
    pending = _fresh_pending(request.session)
    pending.pop(page, None)
    pending[page] = {
        "form": form,
        "user": coachee_pk,
        "at": int(timezone.now().timestamp()),
        "data": _bounded_fields(request.POST),
    }
    while len(pending) > PENDING_MAX_PAGES or _size(pending) > PENDING_MAX_BYTES:
        pending.pop(next(iter(pending)))  # the oldest goes first
    request.session[PENDING_SESSION_KEY] = pending
    return page in pending


def _take_pending(request, page: str) -> dict | None:
    if PENDING_SESSION_KEY not in request.session:
        return None
    pending = _fresh_pending(request.session)
    kept = pending.pop(page, None)
    if pending != request.session[PENDING_SESSION_KEY]:
        request.session[PENDING_SESSION_KEY] = pending
    if not isinstance(kept, dict) or kept.get("user") != request.user.pk or not isinstance(kept.get("data"), dict):
        return None
    return kept


def keeps_typed_text(form: str | None):
    """For the coachee's POST views: without a login, keep the typed text of `form` ("work" or
    "entry"; None keeps nothing, e.g. a file) and send the coachee to log in, coming back to the
    homework page rather than to this POST-only address. Otherwise as `coachee_required`."""

    def decorator(view):
        guarded = coachee_required(view)

        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method != "POST" or request.user.is_authenticated:
                return guarded(request, *args, **kwargs)
            page = _page_path(kwargs["assignment_pk"])
            if form is not None and _keep_pending(request, kwargs["assignment_pk"], form):
                notice = _("Your login had expired. Log in again: what you typed is kept and waits on the page.")
            else:
                notice = _("Your login had expired. Log in again, then repeat the last step.")
            login_url = f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': page})}"
            if is_from_page_script(request):
                return JsonResponse({"message": notice, "login_url": login_url}, status=401)
            messages.info(request, notice)
            return redirect(login_url)

        return wrapper

    return decorator


# --- Look-ups -------------------------------------------------------------------------------------


def _assignment(request, assignment_pk) -> Assignment:
    queryset = (
        Assignment.objects.for_coachee_user(request.user)
        .with_review_loop()
        .select_related("goal", "submission", "coachee", "reviewed_session")
    )
    return get_object_or_404(queryset, pk=assignment_pk)


def _first_day(assignment: Assignment):
    """The coachee's calendar day the homework was given on: the earliest day a log entry can be for."""
    return timezone.localdate(assignment.assigned_at)


# --- My homework ----------------------------------------------------------------------------------


@coachee_required
@require_safe
def home(request):
    """Open homework by due date (with the next session beside it), submitted work, recent reviews,
    and the summaries the coach shared after sessions."""
    user = request.user
    today = timezone.localdate()
    shared_reviews = Prefetch(
        "reviews",
        queryset=Review.objects.select_related("session").order_by("session__starts_at", "pk"),
        to_attr="shared_reviews",
    )
    mine = Assignment.objects.for_coachee_user(user).select_related("goal", "submission")
    in_loop = list(
        mine.open().with_review_loop().prefetch_related(shared_reviews, "log_entries").order_by("assigned_at", "pk")
    )
    for assignment in in_loop:
        # Count and streak, once there is something to count.
        assignment.progress = assignment.practice(today) if assignment.log_entries.all() else None
    far_future = timezone.now() + timedelta(days=100 * 365)
    to_do = sorted(
        (a for a in in_loop if a.work_is_editable),
        key=lambda a: (a.effective_due_at() or far_future, a.assigned_at, a.pk),
    )
    submitted = [a for a in in_loop if not a.work_is_editable]
    reviewed = (
        mine.filter(status=Assignment.Status.REVIEWED)
        .select_related("reviewed_session")
        .prefetch_related(shared_reviews)
        .order_by("-closed_at", "-pk")[:RECENTLY_REVIEWED]
    )
    reviewed = list(reviewed)
    assignment_path = path_for("my:assignment")
    for assignment in [*in_loop, *reviewed]:
        assignment.path = assignment_path(assignment.pk)
    next_session = CoachingSession.objects.filter(coachee__user=user).upcoming().first()
    # Only the shared summary is loaded: the coach's private notes never leave the database here.
    summaries = (
        CoachingSession.objects.for_coachee_user(user)
        .with_shared_summary()
        .only("pk", "starts_at", "status", "shared_summary")[:SUMMARIES_SHOWN]
    )
    pending = _fresh_pending(request.session)
    return render(
        request,
        "coachee/home.html",
        {
            "to_do": to_do,
            "submitted": submitted,
            "reviewed": reviewed,
            "next_session": next_session,
            "summaries": summaries,
            "pending_pages": [page for page, kept in pending.items() if kept.get("user") == user.pk],
            "now": timezone.now(),
        },
    )


# --- One homework: the page and its forms ---------------------------------------------------------


def _render_page(request, assignment, *, work_form=None, entry_form=None, upload_form=None, status=200, unsaved=None):
    """The homework page with its forms; a form given here (bound, with errors) replaces the blank one."""
    today = timezone.localdate()
    entries = list(assignment.log_entries.all())
    uploads = list(assignment.uploads.all())
    submission = assignment.work
    if work_form is None and assignment.work_is_editable:
        work_form = WorkForm(
            initial=WorkForm.initial_from(submission, assignment),
            assignment=assignment,
            upload_count=len(uploads),
            entry_count=len(entries),
        )
    if entry_form is None and assignment.entry_type and assignment.log_is_open:
        entry_form = EntryForm(entry_type=assignment.entry_type, first_day=_first_day(assignment), today=today)
    if upload_form is None and assignment.takes_uploads and assignment.work_is_editable:
        upload_form = UploadForm(upload_count=len(uploads))
    # Only what the coach shares: the outcome and next step of each review, never their notes.
    reviews = assignment.reviews.select_related("session").order_by("session__starts_at", "pk")
    return render(
        request,
        "coachee/assignment.html",
        {
            "assignment": assignment,
            "submission": submission,
            "answers": submission.answer_list(assignment.questions) if submission else [],
            "entries": sorted(entries, key=lambda e: (e.day, e.created_at, e.pk), reverse=True),
            "progress": assignment.practice(today) if entries else None,
            "uploads": uploads,
            "work_form": work_form,
            "entry_form": entry_form,
            "upload_form": upload_form,
            "reviews": reviews,
            **agreement_context(assignment),
            "unsaved": unsaved,
            "today": today,
        },
        status=status,
    )


def _locked_response(request, assignment, typed=None):
    """The homework changed state while the coachee typed (submitted in another tab, reviewed):
    refuse the change, but show what they typed so they can copy it."""
    if assignment.is_open:
        notice = _("This homework is submitted, so your answers can no longer change. Check-ins can still be added.")
    else:
        notice = _("This homework is closed, so nothing can be added or changed any more.")
    messages.warning(request, notice)
    unsaved = [value for key, value in (typed or {}).items() if key != "csrfmiddlewaretoken" and str(value).strip()]
    return _render_page(request, assignment, status=409, unsaved=unsaved)


def _restore_pending(request, assignment):
    """Put back what was typed before the login expired: work is saved as a draft at once (when it
    still can be); a log entry goes back into its form to be added with one click."""
    kept = _take_pending(request, request.path)
    if kept is None:
        return {}
    data = MultiValueDict(
        {key: [str(v) for v in values] for key, values in kept["data"].items() if isinstance(values, list)}
    )
    if kept.get("form") == "work" and assignment.work_is_editable:
        form = WorkForm(
            data,
            assignment=assignment,
            upload_count=assignment.uploads.count(),
            entry_count=assignment.log_entries.count(),
        )
        if form.is_valid():
            assignment.submission = _save_draft(assignment, form)
            messages.success(request, _("Your login had expired while you typed. What you typed is saved as a draft."))
            return {}
        messages.warning(
            request, _("Your login had expired while you typed. Here is your text: fix what is marked and save.")
        )
        return {"work_form": form}
    if kept.get("form") == "entry" and assignment.entry_type and assignment.log_is_open:
        form = EntryForm(
            data, entry_type=assignment.entry_type, first_day=_first_day(assignment), today=timezone.localdate()
        )
        messages.warning(request, _("Your login had expired before this entry was saved. Check it and add it again."))
        return {"entry_form": form}
    messages.warning(request, _("Your login had expired and the homework has changed since. Here is what you typed."))
    return {"unsaved": [value for _key, values in data.lists() for value in values if value.strip()]}


def _work_fields(data: dict) -> dict:
    return {name: data[name] for name in ("answers", "text", "fit_rating", "remark")}


def _save_draft(assignment, form):
    return services.submission_save_draft(assignment=assignment, **_work_fields(form.cleaned_data))


@keeps_typed_text("work")
@require_GET_or_POST
def assignment(request, assignment_pk):
    """What to do, why, how, by when; the work area for its kind; and saving a draft or submitting."""
    homework = _assignment(request, assignment_pk)
    if request.method != "POST":
        return _render_page(request, homework, **_restore_pending(request, homework))
    if not homework.work_is_editable:
        return _locked_response(request, homework, request.POST.dict())
    form = WorkForm(
        request.POST,
        assignment=homework,
        upload_count=homework.uploads.count(),
        entry_count=homework.log_entries.count(),
    )
    if not form.is_valid():
        if form.submitting and form.draft_data is not None:
            homework.submission = services.submission_save_draft(assignment=homework, **_work_fields(form.draft_data))
            messages.warning(request, _("Saved as a draft, not submitted yet: see what is missing below."))
        else:
            messages.error(request, _("Not saved yet: see what is marked below. Your text is still here."))
        return _render_page(request, homework, work_form=form)
    data = form.cleaned_data
    try:
        if form.submitting:
            services.submission_submit(assignment=homework, **_work_fields(data))
        else:
            _save_draft(homework, form)
    except services.WorkLocked:
        return _locked_response(request, homework, request.POST.dict())
    if form.submitting:
        if homework.entry_type:
            messages.success(
                request, _("Submitted. Your coach can see it now. You can still log entries until your session.")
            )
        else:
            messages.success(request, _("Submitted. Your coach can see it now."))
        return redirect("my:home")
    when = formats.time_format(timezone.localtime(), "TIME_FORMAT")
    messages.success(request, _("Draft saved at %(when)s. Only you see it until you submit.") % {"when": when})
    return redirect(f"{_page_path(homework.pk)}#work")


@keeps_typed_text("work")
@require_POST
def draft(request, assignment_pk):
    """Autosave: keep the work form as a draft while the coachee types. Answers JSON for the script."""
    homework = _assignment(request, assignment_pk)
    if not homework.work_is_editable:
        return JsonResponse({"message": _("Not saved: this homework is submitted already.")}, status=409)
    data = request.POST.copy()
    data["action"] = WorkForm.DRAFT  # autosave never submits
    form = WorkForm(data, assignment=homework)
    if not form.is_valid():
        first = next(iter(form.errors.values()))[0]
        return JsonResponse({"message": _("Not saved yet: %(error)s") % {"error": first}}, status=400)
    try:
        submission = _save_draft(homework, form)
    except services.WorkLocked:
        return JsonResponse({"message": _("Not saved: this homework is submitted already.")}, status=409)
    when = formats.time_format(timezone.localtime(submission.draft_saved_at), "TIME_FORMAT")
    return JsonResponse(
        {"message": _("Draft saved at %(when)s") % {"when": when}, "saved_at": submission.draft_saved_at}
    )


@keeps_typed_text("entry")
@require_POST
def entry_add(request, assignment_pk):
    """Log a check-in, an observation or a mood, until the review."""
    homework = _assignment(request, assignment_pk)
    if homework.entry_type is None:
        raise Http404
    if not homework.log_is_open:
        return _locked_response(request, homework, request.POST.dict())
    form = EntryForm(
        request.POST, entry_type=homework.entry_type, first_day=_first_day(homework), today=timezone.localdate()
    )
    if not form.is_valid():
        return _render_page(request, homework, entry_form=form)
    data = form.cleaned_data
    try:
        entry, created = services.log_entry_add(
            assignment=homework, day=data["day"], did_it=data.get("did_it"), mood=data.get("mood"), note=data["note"]
        )
    except services.WorkLocked:
        return _locked_response(request, homework, request.POST.dict())
    day = formats.date_format(entry.day, "WEEKDAY_MONTH_DAY_FORMAT")
    if created:
        messages.success(request, _("Saved your entry for %(day)s.") % {"day": day})
    else:
        messages.success(request, _("Updated your entry for %(day)s (one per day).") % {"day": day})
    return redirect(f"{_page_path(homework.pk)}#log")


@keeps_typed_text(None)
@require_POST
def entry_delete(request, assignment_pk, entry_pk):
    homework = _assignment(request, assignment_pk)
    entry = get_object_or_404(LogEntry.objects.filter(assignment=homework), pk=entry_pk)
    try:
        services.log_entry_delete(entry=entry)
    except services.WorkLocked:
        return _locked_response(request, homework)
    day = formats.date_format(entry.day, "WEEKDAY_MONTH_DAY_FORMAT")
    messages.success(request, _("Entry for %(day)s removed.") % {"day": day})
    return redirect(f"{_page_path(homework.pk)}#log")


@keeps_typed_text(None)
@require_POST
def upload_add(request, assignment_pk):
    """Add an image or PDF to creative homework; its type is checked from its content."""
    homework = _assignment(request, assignment_pk)
    if not homework.takes_uploads:
        raise Http404
    if not homework.work_is_editable:
        return _locked_response(request, homework)
    form = UploadForm(request.POST, request.FILES, upload_count=homework.uploads.count())
    if not form.is_valid():
        return _render_page(request, homework, upload_form=form)
    file = form.cleaned_data["file"]
    try:
        upload = services.upload_add(
            assignment=homework, file=file, original_name=file.name, content_type=form.cleaned_data["content_type"]
        )
    except services.WorkLocked:
        return _locked_response(request, homework)
    messages.success(request, _("“%(name)s” added.") % {"name": upload.original_name})
    return redirect(f"{_page_path(homework.pk)}#files")


@keeps_typed_text(None)
@require_POST
def upload_delete(request, assignment_pk, upload_pk):
    homework = _assignment(request, assignment_pk)
    upload = get_object_or_404(homework.uploads.all(), pk=upload_pk)
    try:
        services.upload_delete(upload=upload)
    except services.WorkLocked:
        return _locked_response(request, homework)
    messages.success(request, _("“%(name)s” removed.") % {"name": upload.original_name})
    return redirect(f"{_page_path(homework.pk)}#files")


# --- Agreeing on proposed homework ----------------------------------------------------------------


@keeps_typed_text(None)
@require_POST
def agree(request, assignment_pk):
    """Agree to the homework as proposed."""
    homework = _assignment(request, assignment_pk)
    try:
        services.agreement_agree(assignment=homework, by=request.user)
    except services.AgreementOutOfOrder as refused:
        return agreement_refused(request, refused.assignment, "my:assignment", assignment_pk=homework.pk)
    messages.success(request, _("Agreed. Your coach sees it now."))
    return redirect(_page_path(homework.pk))


@keeps_typed_text(None)
@require_GET_or_POST
def suggest(request, assignment_pk):
    """Suggest other terms for proposed homework (what to do, how, by when) with a short note."""
    homework = _assignment(request, assignment_pk)
    if homework.agreement != Assignment.Agreement.PROPOSED or not homework.is_open:
        return agreement_refused(request, homework, "my:assignment", assignment_pk=homework.pk)
    form = AgreementTermsForm(request.POST or None, assignment=homework, note_required=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.agreement_suggest(
                assignment=homework, by=request.user, note=form.cleaned_data["note"], terms=form.terms()
            )
        except services.AgreementOutOfOrder as refused:
            return agreement_refused(request, refused.assignment, "my:assignment", assignment_pk=homework.pk)
        messages.success(request, _("Suggestion sent. Your coach answers it, at the latest in your next session."))
        return redirect(_page_path(homework.pk))
    return render(request, "coachee/suggest.html", {"assignment": homework, "form": form})


# --- What suits me ----------------------------------------------------------------------------------


@coachee_required
@require_GET_or_POST
def kinds(request):
    """The kinds of homework the coachee prefers; their coach sees them when assigning."""
    coachee = get_object_or_404(Coachee.objects.filter(user=request.user))
    form = PreferredKindsForm(request.POST or None, initial={"kinds": coachee.preferred_kinds})
    if request.method == "POST" and form.is_valid():
        services.coachee_preferred_kinds_save(coachee=coachee, kinds=form.cleaned_data["kinds"])
        messages.success(request, _("Saved. Your coach sees which kinds of homework suit you."))
        return redirect("my:kinds")
    return render(request, "coachee/kinds.html", {"form": form})
