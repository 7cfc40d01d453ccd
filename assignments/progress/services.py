"""Writes for calendar feeds and deletion requests. Views, admin and tests call these."""

import logging

from django.db import transaction

from assignments.models import Upload
from sessions.models import Coachee

from .models import CalendarFeed, DeletionRequest

logger = logging.getLogger(__name__)


@transaction.atomic
def calendar_feed_renew(*, user) -> CalendarFeed:
    """Give `user` a calendar feed at a new secret address; an earlier address stops working."""
    feed = CalendarFeed.objects.select_for_update().filter(user=user).first() or CalendarFeed(user=user)
    feed.new_secret()
    feed.save()
    return feed


def calendar_feed_switch_off(*, user) -> None:
    CalendarFeed.objects.filter(user=user).delete()


def deletion_request_make(*, coachee: Coachee, reason: str = "") -> DeletionRequest:
    """The coachee asks for their account to be deleted; asking again keeps the first request's date."""
    request, created = DeletionRequest.objects.get_or_create(coachee=coachee, defaults={"reason": reason})
    if not created and reason:
        request.reason = reason
        request.save(update_fields=["reason"])
    return request


def deletion_request_withdraw(*, coachee: Coachee) -> None:
    DeletionRequest.objects.filter(coachee=coachee).delete()


class NoDeletionRequest(Exception):
    """The coachee has not asked for deletion (or withdrew the request)."""


@transaction.atomic
def coachee_delete(*, coachee: Coachee) -> None:
    """Carry out a coachee's deletion request, confirmed by their coach.

    Steps:
    1. Lock the coachee; refuse with NoDeletionRequest unless a request stands.
    2. Note the stored files of their uploads.
    3. Delete the coachee record, which takes with it their goals, sessions, invitations, homework,
       submissions, log entries, reviews, uploads and the request itself.
    4. Delete their login (and its calendar feed) and the login-attempt records kept for their email.
    5. After commit, remove the files from storage.
    """
    coachee = Coachee.objects.select_for_update(of=("self",)).select_related("user").get(pk=coachee.pk)
    if not DeletionRequest.objects.filter(coachee=coachee).exists():
        raise NoDeletionRequest(coachee.pk)
    files = [(u.file.storage, u.file.name) for u in Upload.objects.filter(assignment__coachee=coachee)]
    user = coachee.user
    emails = {coachee.email} | ({user.email} if user else set())
    coachee.delete()
    if user is not None:
        user.delete()
    _forget_login_attempts(emails)
    transaction.on_commit(lambda: _delete_files(files))


def _forget_login_attempts(emails: set[str]) -> None:
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(username__in=emails).delete()


def _delete_files(files) -> None:
    for storage, name in files:
        try:
            storage.delete(name)
        except OSError:
            # The rows are gone already; a file that cannot be removed now is logged for the operator.
            logger.exception("Could not remove the stored file %s of a deleted coachee", name)
