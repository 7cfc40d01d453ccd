"""A private calendar feed per person, and a coachee's request to have their account deleted."""

import base64
import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from sessions.models import Coachee


class CalendarFeedQuerySet(models.QuerySet):
    def by_token(self, token: str):
        return self.filter(token_hash=CalendarFeed.hash_token(token))


class CalendarFeed(models.Model):
    """The secret address of a person's iCalendar feed (sessions and homework due dates).

    The address's token is an HMAC of a random `secret` under SECRET_KEY, so the page can show the
    address again at any time while a copy of the database alone opens no feed; lookups go through
    the token's hash. A new secret (a reset) makes the old address answer 404.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed")
    secret = models.CharField(max_length=64, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("address made"), default=timezone.now)

    objects = CalendarFeedQuerySet.as_manager()

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self):
        return str(self.user)

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @staticmethod
    def token_for(secret: str) -> str:
        digest = salted_hmac("coachhub.calendar-feed", secret, algorithm="sha256").digest()
        return base64.urlsafe_b64encode(digest).decode().rstrip("=")

    @property
    def token(self) -> str:
        return self.token_for(self.secret)

    def new_secret(self) -> None:
        """Give the feed a new address; the caller saves it."""
        self.secret = secrets.token_urlsafe(32)
        self.token_hash = self.hash_token(self.token)
        self.created_at = timezone.now()


class DeletionRequestQuerySet(models.QuerySet):
    def for_coach(self, coach):
        return self.filter(coachee__coach=coach)


class DeletionRequest(models.Model):
    """A coachee asks for their account and everything under it to be deleted; their coach confirms.
    The row goes with the coachee record once the deletion is carried out."""

    coachee = models.OneToOneField(Coachee, on_delete=models.CASCADE, related_name="deletion_request")
    requested_at = models.DateTimeField(_("asked on"), default=timezone.now)
    reason = models.TextField(_("anything to tell your coach (optional)"), max_length=2000, blank=True)

    objects = DeletionRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("deletion request")
        verbose_name_plural = _("deletion requests")
        ordering = ["requested_at", "pk"]

    def __str__(self):
        return str(self.coachee)
