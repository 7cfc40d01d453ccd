"""Wiring: homework announces new assignments (assignments.signals); reminders answer by writing the
"new homework" outbox row in the same transaction and handing it to a worker after the commit.
Homework code never imports reminders."""

import logging

from django.db import transaction
from django.utils import timezone

from assignments.signals import assignment_created

from . import services, tasks

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


def connect() -> None:
    assignment_created.connect(queue_new_assignment_mail, dispatch_uid="reminders.new_assignment")
