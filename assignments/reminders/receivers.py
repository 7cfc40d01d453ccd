"""Wiring: reminders listen to what other apps save, and homework and sessions never import reminders.

- New homework (assignments.signals): the "new homework" outbox row is written in the same transaction
  and handed to a worker after the commit.
- Every change to an input of the reminder rules (homework, its work, reviews and check-ins, sessions,
  coachees and logins, reminder settings and mail preferences) resets the stored next moment of the
  homework it concerns (`HomeworkCheck`), so the next sweep looks at it again: the sweep itself
  only foresees what the passing of time does. New homework gets its check, unknown, as it is
  written. Writes that bypass `save()` (a queryset's `update()`, `bulk_create()`) must call
  `services.reminders_recheck` (or `reminders_check_new`) themselves; after a bulk import,
  `manage.py reminders_recheck` has the next sweep look at all homework once.
"""

import logging

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from assignments.models import Assignment, LogEntry, Review, Submission
from assignments.signals import assignment_created
from sessions.models import Coachee, CoachingSession

from . import services, tasks
from .models import CoacheeSettings, MailPreferences, PracticeSettings

logger = logging.getLogger(__name__)


def queue_new_assignment_mail(sender, *, assignment, **kwargs):
    try:
        # A savepoint: should this fail, the assignment is still saved and the sweep plans the mail.
        with transaction.atomic():
            reminder = services.reminder_plan_new_assignment(assignment=assignment)
    except Exception:
        logger.exception("Planning the new-homework mail of assignment %s failed; the sweep will", assignment.pk)
        return
    if reminder is not None:
        transaction.on_commit(lambda: _hand_out(reminder.pk))


def _hand_out(reminder_id: int) -> None:
    if tasks.enqueue_send([reminder_id]):
        services.reminders_mark_enqueued(ids=[reminder_id], now=timezone.now())


# --- Re-timing: which homework each change concerns --------------------------------------------


def _changed(update_fields, relevant: set[str]) -> bool:
    """Whether a save may have changed one of `relevant` fields (a plain save may change any)."""
    return update_fields is None or not relevant.isdisjoint(update_fields)


def _homework_saved(sender, instance, created, **kwargs):
    if created:
        services.reminders_check_new(assignment=instance)
    else:
        services.reminders_recheck(homework=Assignment.objects.filter(pk=instance.pk))


def _about_homework(sender, instance, **kwargs):
    """Its work, feedback, reviews and check-ins."""
    services.reminders_recheck(homework=Assignment.objects.filter(pk=instance.assignment_id))


def _about_coachee(sender, instance, **kwargs):
    """Their sessions (due moments follow them), the coach's exceptions for them, their own wishes."""
    services.reminders_recheck(homework=Assignment.objects.filter(coachee_id=instance.coachee_id))


def _coachee_saved(sender, instance, created, update_fields=None, **kwargs):
    if not created and _changed(update_fields, {"archived_at", "user", "coach", "timezone"}):
        services.reminders_recheck(homework=Assignment.objects.filter(coachee_id=instance.pk))


def _practice_changed(sender, instance, **kwargs):
    services.reminders_recheck(homework=Assignment.objects.filter(coachee__coach_id=instance.coach_id))


def _user_saved(sender, instance, created, update_fields=None, **kwargs):
    # Their clock and whether they get mail; not every sign-in (which saves `last_login`).
    if not created and _changed(update_fields, {"timezone", "is_active"}):
        services.reminders_recheck(
            homework=Assignment.objects.filter(Q(coachee__user_id=instance.pk) | Q(coachee__coach_id=instance.pk))
        )


def connect() -> None:
    assignment_created.connect(queue_new_assignment_mail, dispatch_uid="reminders.new_assignment")
    post_save.connect(_homework_saved, sender=Assignment, dispatch_uid="reminders.recheck.assignment")
    for model in (Submission, Review, LogEntry):
        for signal in (post_save, post_delete):
            signal.connect(_about_homework, sender=model, dispatch_uid=f"reminders.recheck.{model.__name__}")
    for model in (CoachingSession, CoacheeSettings, MailPreferences):
        for signal in (post_save, post_delete):
            signal.connect(_about_coachee, sender=model, dispatch_uid=f"reminders.recheck.{model.__name__}")
    for signal in (post_save, post_delete):
        signal.connect(_practice_changed, sender=PracticeSettings, dispatch_uid="reminders.recheck.practice")
    post_save.connect(_coachee_saved, sender=Coachee, dispatch_uid="reminders.recheck.coachee")
    post_save.connect(_user_saved, sender=get_user_model(), dispatch_uid="reminders.recheck.user")
