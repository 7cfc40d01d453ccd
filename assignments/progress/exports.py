"""Exports: a coachee's history as CSV for their coach, and all of a coachee's own data as a ZIP.

The coach's CSV holds what the coach sees on their pages: the coachee's log as they keep it, but
their words, rating and files only once the work is submitted (drafts are the coachee's own).
The coachee's ZIP holds everything about them and everything they made, with their files; of the
coach's writing only what the coach shares with them (session summaries, review outcomes and next
steps, feedback), never the coach's private notes.

Both run a fixed number of queries whatever the amount of data.
"""

import csv
import io
import json
import logging
import shutil
import tempfile
import zipfile
from datetime import date, datetime

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy

from assignments.models import Assignment, LogEntry, Review, Upload
from sessions.models import Coachee

logger = logging.getLogger(__name__)

# The CSV is read by people, in a spreadsheet: its header, the kinds of record and the states are
# written in the coach's language (the ids and dates stay as they are, for sorting and filtering).
HISTORY_COLUMNS = [
    pgettext_lazy("export column", "record"),
    pgettext_lazy("export column", "id"),
    pgettext_lazy("export column", "date"),
    pgettext_lazy("export column", "homework id"),
    pgettext_lazy("export column", "title"),
    pgettext_lazy("export column", "kind"),
    pgettext_lazy("export column", "status"),
    pgettext_lazy("export column", "value"),
    pgettext_lazy("export column", "text"),
]
RECORDS = {
    "coachee": pgettext_lazy("export record", "coachee"),
    "goal": pgettext_lazy("export record", "goal"),
    "session": pgettext_lazy("export record", "session"),
    "homework": pgettext_lazy("export record", "homework"),
    "submission": pgettext_lazy("export record", "submission"),
    "review": pgettext_lazy("export record", "review"),
    "log entry": pgettext_lazy("export record", "log entry"),
    "file": pgettext_lazy("export record", "file"),
}
# A cell starting with one of these is read as a formula by spreadsheet programs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat(timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _homework(coachee: Coachee):
    """The coachee's homework with their work, log, files and reviews, in five queries."""
    return (
        Assignment.objects.filter(coachee=coachee)
        .select_related("submission")
        .prefetch_related(
            Prefetch("log_entries", queryset=LogEntry.objects.order_by("day", "created_at", "pk")),
            Prefetch("uploads", queryset=Upload.objects.order_by("created_at", "pk")),
            Prefetch("reviews", queryset=Review.objects.select_related("session").order_by("session__starts_at", "pk")),
        )
        .order_by("assigned_at", "pk")
    )


def _answers_text(assignment) -> str:
    work = assignment.work
    if work is None:
        return ""
    parts = [f"{question}\n{answer}" for question, answer in work.answer_list(assignment.questions)]
    parts += [work.text, work.remark and _("Remark: %(remark)s") % {"remark": work.remark}]
    return "\n\n".join(part for part in parts if part)


def history_rows(coachee: Coachee):
    """The rows of the coach's CSV, one per record: the coachee, goals, sessions, homework, the
    submitted work and feedback, reviews, log entries and files."""
    yield HISTORY_COLUMNS
    yield [
        RECORDS["coachee"],
        coachee.pk,
        coachee.created_at,
        "",
        coachee.name,
        "",
        pgettext("coachee", "archived") if coachee.is_archived else pgettext("coachee", "active"),
        coachee.email,
        coachee.coaching_question,
    ]
    for goal in coachee.goals.order_by("created_at", "pk"):
        yield [
            RECORDS["goal"],
            goal.pk,
            goal.created_at,
            "",
            goal.title,
            "",
            goal.get_status_display(),
            "",
            goal.description,
        ]
    for session in coachee.sessions.order_by("starts_at", "pk"):
        notes = "\n\n".join(
            part
            for part in (
                session.shared_summary,
                session.coach_notes and _("Private notes: %(notes)s") % {"notes": session.coach_notes},
            )
            if part
        )
        place = " ".join(part for part in (session.location, session.video_url) if part)
        yield [
            RECORDS["session"],
            session.pk,
            session.starts_at,
            "",
            place,
            "",
            session.get_status_display(),
            session.duration_minutes,
            notes,
        ]
    for assignment in _homework(coachee):
        yield [
            RECORDS["homework"],
            assignment.pk,
            assignment.assigned_at,
            assignment.pk,
            assignment.title,
            assignment.get_kind_display(),
            assignment.get_status_display(),
            assignment.due_at,
            assignment.instructions,
        ]
        work = assignment.work
        submitted = assignment.submitted_at is not None
        if work is not None and (submitted or work.feedback):
            text = _answers_text(assignment) if submitted else ""
            if work.feedback:
                feedback = _("Feedback: %(feedback)s") % {"feedback": work.feedback}
                text = "\n\n".join(part for part in (text, feedback) if part)
            yield [
                RECORDS["submission"],
                work.pk,
                assignment.submitted_at,
                assignment.pk,
                assignment.title,
                assignment.get_kind_display(),
                _("submitted") if submitted else _("not submitted"),
                work.fit_rating if submitted else "",
                text,
            ]
        for review in assignment.reviews.all():
            text = "\n\n".join(part for part in (review.insights, review.coach_notes) if part)
            yield [
                RECORDS["review"],
                review.pk,
                review.session.starts_at,
                assignment.pk,
                assignment.title,
                assignment.get_kind_display(),
                review.get_outcome_display(),
                review.next_step,
                text,
            ]
        for entry in assignment.log_entries.all():
            value = entry.mood if entry.type == LogEntry.Type.MOOD else entry.did_it
            yield [
                RECORDS["log entry"],
                entry.pk,
                entry.day,
                assignment.pk,
                assignment.title,
                entry.get_type_display(),
                "",
                value,
                entry.note,
            ]
        if submitted:
            for upload in assignment.uploads.all():
                yield [
                    RECORDS["file"],
                    upload.pk,
                    upload.created_at,
                    assignment.pk,
                    upload.original_name,
                    upload.content_type,
                    "",
                    upload.size,
                    "",
                ]


def history_csv(coachee: Coachee) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    for row in history_rows(coachee):
        writer.writerow([_cell(value) for value in row])
    return out.getvalue()


# --- The coachee's own data ------------------------------------------------------------------------


def _file_name(upload: Upload) -> str:
    return f"files/{upload.pk}-{upload.original_name}"


def my_data(coachee: Coachee) -> dict:
    """Everything about the coachee and everything they made, as plain data."""
    user = coachee.user
    homework = []
    for assignment in _homework(coachee):
        work = assignment.work
        homework.append(
            {
                "id": assignment.pk,
                "kind": assignment.kind,
                "title": assignment.title,
                "what_to_do": assignment.instructions,
                "why": assignment.purpose,
                "how": assignment.approach,
                "how_it_will_be_reviewed": assignment.review_plan,
                "questions": assignment.questions,
                "cadence": assignment.cadence,
                "goal_id": assignment.goal_id,
                "status": assignment.status,
                "assigned_at": assignment.assigned_at,
                "due_at": assignment.due_at,
                "started_at": assignment.started_at,
                "submitted_at": assignment.submitted_at,
                "work": work
                and {
                    "answers": [{"question": q, "answer": a} for q, a in work.answer_list(assignment.questions)],
                    "text": work.text,
                    "fit_rating": work.fit_rating,
                    "remark": work.remark,
                    "draft_saved_at": work.draft_saved_at,
                    "coach_feedback": work.feedback,
                    "coach_feedback_at": work.feedback_at,
                },
                "log": [
                    {
                        "id": entry.pk,
                        "type": entry.type,
                        "day": entry.day,
                        "did_it": entry.did_it,
                        "mood": entry.mood,
                        "note": entry.note,
                        "created_at": entry.created_at,
                    }
                    for entry in assignment.log_entries.all()
                ],
                "files": [
                    {
                        "id": upload.pk,
                        "name": upload.original_name,
                        "type": upload.content_type,
                        "size": upload.size,
                        "uploaded_at": upload.created_at,
                        "in_this_zip": _file_name(upload),
                    }
                    for upload in assignment.uploads.all()
                ],
                "reviews": [
                    {"id": r.pk, "session_id": r.session_id, "outcome": r.outcome, "next_step": r.next_step}
                    for r in assignment.reviews.all()
                ],
            }
        )
    return {
        "exported_at": timezone.now(),
        "account": user
        and {"email": user.email, "name": user.name, "time_zone": user.timezone, "joined": user.date_joined},
        "coachee": {
            "id": coachee.pk,
            "name": coachee.name,
            "email": coachee.email,
            "coaching_question": coachee.coaching_question,
            "time_zone": coachee.timezone,
            "coach": coachee.coach.name,
        },
        "goals": [
            {"id": g.pk, "title": g.title, "description": g.description, "status": g.status, "created_at": g.created_at}
            for g in coachee.goals.order_by("created_at", "pk")
        ],
        "sessions": [
            {
                "id": s.pk,
                "starts_at": s.starts_at,
                "duration_minutes": s.duration_minutes,
                "place": s.location,
                "video_link": s.video_url,
                "status": s.status,
                "summary": s.shared_summary,
            }
            for s in coachee.sessions.order_by("starts_at", "pk")
        ],
        "homework": homework,
    }


def _readme(coachee: Coachee) -> str:
    """What the ZIP holds, in the coachee's language (data.json's names stay as a data format's)."""
    when = formats.date_format(timezone.localtime(), "WEEKDAY_DATETIME_FORMAT")
    return _(
        "Your CoachHub data, exported %(when)s.\n\n"
        "data.json holds everything CoachHub keeps about you as a coachee of %(coach)s: your account, goals, "
        "sessions and homework, your answers, check-ins and remarks, and your coach's feedback and reviews.\n"
        "files/ holds the files you handed in.\n"
    ) % {"when": when, "coach": coachee.coach.name}


def my_data_zip(coachee: Coachee):
    """A ZIP of data.json and the coachee's uploaded files, as a temporary file ready to send
    (kept in memory up to a few megabytes, on disk beyond that)."""
    data = my_data(coachee)
    # Closed by the response that sends it.
    archive = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr("README.txt", _readme(coachee))
        zipped.writestr("data.json", json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2))
        for upload in Upload.objects.filter(assignment__coachee=coachee).order_by("pk"):
            try:
                with upload.file.open("rb") as stored, zipped.open(_file_name(upload), "w") as packed:
                    shutil.copyfileobj(stored, packed)
            except FileNotFoundError:
                logger.warning("The stored file of upload %s is missing; left out of the export", upload.pk)
    archive.seek(0)
    return archive
