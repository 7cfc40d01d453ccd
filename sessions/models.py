"""Coachees, their goals, their coaching sessions and their invitations. Knows nothing of homework."""

import hashlib
import secrets
import zoneinfo
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import DateTimeField, F, Func, OuterRef, Q, Subquery
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from coachhub.timezones import timezone_choices, validate_timezone

# A session opens an hour before its start: from then on the coach can mark it held, record reviews
# and assign homework in it (coaches prepare early, and a clock may be a little off).
SESSION_OPENS_BEFORE_START = timedelta(minutes=60)
# A session nobody marks held counts as past this long after its end: the coach may mark it held or
# record reviews a little late, but then its homework moves on to the next session by itself.
SESSION_OVER_AFTER_END = timedelta(hours=6)


class CoacheeQuerySet(models.QuerySet):
    def for_coach(self, coach):
        return self.filter(coach=coach)

    def active(self):
        return self.filter(archived_at__isnull=True)

    def archived(self):
        return self.filter(archived_at__isnull=False)

    def search(self, text: str):
        text = text.strip()
        if not text:
            return self
        return self.filter(Q(name__icontains=text) | Q(email__icontains=text) | Q(coaching_question__icontains=text))

    def with_open_invitation(self):
        """Annotate the expiry and mailing time of each coachee's working invitation link, if any."""
        open_invitation = Invitation.objects.open().filter(coachee=OuterRef("pk"))
        return self.annotate(
            invitation_expires_at=Subquery(open_invitation.values("expires_at")[:1]),
            invitation_sent_at=Subquery(open_invitation.values("sent_at")[:1]),
        )


class Coachee(models.Model):
    """A person a coach works with. `user` is their own login, once they have one."""

    coach = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coachees")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coachee_profile",
    )
    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("email"), max_length=254)
    coaching_question = models.TextField(
        _("coaching question"),
        max_length=2000,
        blank=True,
        help_text=_("What the coachee wants to work on, in their own words."),
    )
    timezone = models.CharField(
        _("time zone"), max_length=64, choices=timezone_choices, default="UTC", validators=[validate_timezone]
    )
    # What their invitation and reminders are written in: the coach picks it when adding them, and
    # from their first login on it follows the language they choose for themselves.
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE)
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)
    # The kinds of homework the coachee says suit them (values of assignments' Kind; sessions know
    # nothing of homework, so they are kept as plain text). The coach sees them when assigning.
    preferred_kinds = models.JSONField(_("kinds of homework I prefer"), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CoacheeQuerySet.as_manager()

    class Meta:
        verbose_name = _("coachee")
        verbose_name_plural = _("coachees")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint("coach", Lower("email"), name="coachee_email_unique_per_coach"),
        ]

    def __str__(self):
        return self.name

    @property
    def first_name(self) -> str:
        """How mail greets them: "Hello Jonas," rather than "Hello Jonas Weber,"."""
        return self.name.split()[0] if self.name.split() else self.name

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        """The coachee's time zone; a coachee with a login keeps it in step with their own setting."""
        return zoneinfo.ZoneInfo(self.timezone)


class GoalQuerySet(models.QuerySet):
    def for_coach(self, coach):
        return self.filter(coachee__coach=coach)

    def active(self):
        return self.filter(status=Goal.Status.ACTIVE)


class Goal(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        ACHIEVED = "achieved", _("Achieved")
        DROPPED = "dropped", _("Dropped")

    coachee = models.ForeignKey(Coachee, on_delete=models.CASCADE, related_name="goals")
    title = models.CharField(_("goal"), max_length=200)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = GoalQuerySet.as_manager()

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.title


class SessionEnd(Func):
    """The end of a session (`starts_at` plus `duration_minutes`) as a timestamp, computed in SQL on
    PostgreSQL and SQLite alike. `prefix` reaches the fields through a relation or an OuterRef."""

    output_field = DateTimeField()

    def __init__(self, prefix: str = "", outer: bool = False):
        field = OuterRef if outer else F
        super().__init__(field(f"{prefix}starts_at"), field(f"{prefix}duration_minutes"))

    def _parts(self, compiler, connection):
        start_sql, start_params = compiler.compile(self.source_expressions[0])
        minutes_sql, minutes_params = compiler.compile(self.source_expressions[1])
        return start_sql, minutes_sql, (*start_params, *minutes_params)

    def as_sql(self, compiler, connection, **extra_context):
        start_sql, minutes_sql, params = self._parts(compiler, connection)
        return f"({start_sql} + {minutes_sql} * INTERVAL '1 minute')", params

    def as_sqlite(self, compiler, connection, **extra_context):
        # Django's own SQLite function for datetime arithmetic; durations are microseconds there.
        start_sql, minutes_sql, params = self._parts(compiler, connection)
        return f"django_format_dtdelta('+', {start_sql}, {minutes_sql} * 60000000)", params


class CoachingSessionQuerySet(models.QuerySet):
    def for_coach(self, coach):
        return self.filter(coachee__coach=coach)

    def not_cancelled(self):
        return self.exclude(status=CoachingSession.Status.CANCELLED)

    def to_be_held(self, now: datetime | None = None):
        """Sessions still to come or under way: scheduled (neither held nor cancelled) and not over
        (SESSION_OVER_AFTER_END past their end). Homework is reviewed at the first of these."""
        over_before = (now or timezone.now()) - SESSION_OVER_AFTER_END
        return (
            self.filter(status=CoachingSession.Status.SCHEDULED)
            .alias(_ends_at=SessionEnd())
            .filter(_ends_at__gt=over_before)
        )

    def gone_by(self, now: datetime | None = None):
        """Sessions that are past: marked held (whatever the clock says), or over without being
        marked. Homework due at one of these and still open is carried over."""
        over_before = (now or timezone.now()) - SESSION_OVER_AFTER_END
        return self.alias(_ends_at=SessionEnd()).filter(
            Q(status=CoachingSession.Status.HELD)
            | Q(status=CoachingSession.Status.SCHEDULED, _ends_at__lte=over_before)
        )

    def upcoming(self, now: datetime | None = None):
        """Sessions that have not started yet and are still to be held, soonest first."""
        return (
            self.filter(status=CoachingSession.Status.SCHEDULED)
            .filter(starts_at__gt=now or timezone.now())
            .order_by("starts_at", "pk")
        )

    def past(self, now: datetime | None = None):
        """Sessions that have begun or were marked held, newest first."""
        return self.filter(Q(starts_at__lte=now or timezone.now()) | Q(status=CoachingSession.Status.HELD)).order_by(
            "-starts_at", "-pk"
        )

    def for_coachee_user(self, user):
        return self.filter(coachee__user=user)

    def with_shared_summary(self, now: datetime | None = None):
        """Sessions whose summary the coachee may read: begun (or held), not cancelled, with a
        summary; newest first. Only the summary is theirs to read, never the coach's private notes."""
        now = now or timezone.now()
        return (
            self.not_cancelled()
            .exclude(shared_summary="")
            .filter(Q(starts_at__lte=now) | Q(status=CoachingSession.Status.HELD))
            .order_by("-starts_at", "-pk")
        )


class CoachingSession(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    coachee = models.ForeignKey(Coachee, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField(_("starts at"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=60)
    location = models.CharField(_("place"), max_length=200, blank=True)
    video_url = models.URLField(_("video link"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    # When the coach marked it held: homework assigned after that is due at a later session, even
    # when the held session's clock time still lies ahead.
    held_at = models.DateTimeField(_("marked held"), null=True, blank=True)
    # When it was scheduled or last moved to an earlier time: homework given before that was told a
    # later due moment (or none), so it still earns its due-soon reminder.
    moved_earlier_at = models.DateTimeField(_("scheduled or moved earlier"), default=timezone.now)
    coach_notes = models.TextField(
        _("private notes"), max_length=20000, blank=True, help_text=_("Only you can see these.")
    )
    shared_summary = models.TextField(
        _("shared summary"), max_length=20000, blank=True, help_text=_("Your coachee can read this summary.")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CoachingSessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("coaching session")
        verbose_name_plural = _("coaching sessions")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=5) & Q(duration_minutes__lte=600),
                name="session_duration_between_5_and_600_minutes",
            ),
        ]
        indexes = [
            # Agendas, due dates and upcoming lists look up a coachee's sessions by start time.
            models.Index(fields=["coachee", "starts_at"], name="session_coachee_start_idx"),
            # The dashboard's next sessions and their counts, soonest first: a walk from today that
            # stops after the rows it shows or counts.
            models.Index(fields=["starts_at"], name="session_starts_at_idx"),
        ]

    def __str__(self):
        return f"{self.coachee} · {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def is_held(self) -> bool:
        return self.status == self.Status.HELD

    def is_over(self, now: datetime | None = None) -> bool:
        """Past its end by SESSION_OVER_AFTER_END without being marked held."""
        return (now or timezone.now()) >= self.ends_at + SESSION_OVER_AFTER_END

    def has_gone_by(self, now: datetime | None = None) -> bool:
        """Past for the review loop: marked held, or over (see `CoachingSessionQuerySet.gone_by`)."""
        return self.is_held or (self.status == self.Status.SCHEDULED and self.is_over(now))

    def has_opened(self, now: datetime | None = None) -> bool:
        """From an hour before its start (SESSION_OPENS_BEFORE_START) a session can be held,
        reviewed and assigned in; before that it lies in the future."""
        return (now or timezone.now()) >= self.starts_at - SESSION_OPENS_BEFORE_START


class InvitationQuerySet(models.QuerySet):
    def for_coach(self, coach):
        return self.filter(coachee__coach=coach)

    def open(self):
        """Neither used nor replaced by a newer invitation (it may have expired, though)."""
        return self.filter(used_at__isnull=True, revoked_at__isnull=True)

    def by_token(self, token: str):
        return self.filter(token_hash=Invitation.hash_token(token))


class Invitation(models.Model):
    """A mailed link with which a coachee sets up their own login.

    Only a hash of the link's token is stored, so a copy of the database opens no account. A link
    works once, until `expires_at`, and only while it is the coachee's newest invitation.
    """

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("invitation status", "Open")
        USED = "used", _("Used")
        REPLACED = "replaced", _("Replaced by a newer invitation")
        EXPIRED = "expired", _("Expired")

    coachee = models.ForeignKey(Coachee, on_delete=models.CASCADE, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    sent_at = models.DateTimeField(_("mailed"), null=True, blank=True)
    used_at = models.DateTimeField(_("used"), null=True, blank=True)
    revoked_at = models.DateTimeField(
        _("replaced"), null=True, blank=True, help_text=_("Set when a newer invitation replaced this one.")
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # Sending a new invitation revokes the older ones: at most one link of a coachee works.
            models.UniqueConstraint(
                fields=["coachee"],
                condition=Q(used_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_open_per_coachee",
            ),
            models.CheckConstraint(condition=Q(expires_at__gt=models.F("created_at")), name="invitation_expires_later"),
        ]

    def __str__(self):
        return f"{self.coachee} · {self.created_at:%Y-%m-%d}"

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(32)

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    def status(self, now: datetime | None = None) -> "Invitation.Status":
        """What opening this link leads to. A coachee who has a login already has used their invitation,
        whichever link it came from."""
        if self.is_used or self.coachee.user_id is not None:
            return self.Status.USED
        if self.is_revoked:
            return self.Status.REPLACED
        if self.is_expired(now):
            return self.Status.EXPIRED
        return self.Status.OPEN

    @property
    def is_used(self) -> bool:
        return self.used_at is not None

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def is_expired(self, now: datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.expires_at

    # The worker mails an invitation within seconds; one not sent after this long did not go.
    MAIL_OVERDUE_AFTER = timedelta(minutes=10)

    @property
    def mail_overdue(self) -> bool:
        return self.sent_at is None and timezone.now() - self.created_at > self.MAIL_OVERDUE_AFTER
