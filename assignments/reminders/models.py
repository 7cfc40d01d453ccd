"""The reminder outbox and the settings that decide which reminders go out.

- `Reminder`: one mail to one person about one thing at one occurrence. The row is written before the
  mail is sent; a unique key makes a second row for the same mail impossible, and a sender claims the
  row with one conditional UPDATE before sending (see services).
- `PracticeSettings`: a coach's defaults for their whole practice.
- `CoacheeSettings`: the coach's exceptions for one coachee (empty fields follow the practice).
- `MailPreferences`: what the coachee themself wants to receive, and when check-in reminders come.
- `HomeworkCheck`: when the sweep should next look at a piece of homework.
"""

from dataclasses import dataclass
from datetime import time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assignments.models import Assignment
from sessions.models import Coachee, CoachingSession

from .timing import QuietHours


class Kind(models.TextChoices):
    NEW_ASSIGNMENT = "new_assignment", _("New homework")
    NUDGE = "nudge", _("Nudge to start")
    DUE_SOON = "due_soon", _("Due soon")
    FEEDBACK_GIVEN = "feedback_given", _("Feedback given")
    CHECKIN = "checkin", _("Check-in reminder")
    COACH_DIGEST = "coach_digest", _("Digest before a session")
    SUBMISSION_NOTICE = "submission_notice", _("Work handed in")
    SUBMISSION_DIGEST = "submission_digest", _("Daily digest of handed-in work")
    PROPOSAL = "proposal", _("Proposal waiting for an answer")


class Category(models.TextChoices):
    """What a person can switch off, in their settings or from the link in a mail."""

    NEW_ASSIGNMENT = "new_assignment", _("new homework")
    NUDGE = "nudge", _("nudges to start")
    DUE_SOON = "due_soon", _("due-soon reminders")
    FEEDBACK_GIVEN = "feedback_given", _("notes that your coach gave feedback")
    CHECKIN = "checkin", _("check-in reminders")
    COACH_DIGEST = "coach_digest", _("digests before your sessions")
    SUBMISSIONS = "submissions", _("mails about handed-in work")


CATEGORY_OF_KIND = {
    Kind.NEW_ASSIGNMENT: Category.NEW_ASSIGNMENT,
    Kind.NUDGE: Category.NUDGE,
    Kind.DUE_SOON: Category.DUE_SOON,
    Kind.FEEDBACK_GIVEN: Category.FEEDBACK_GIVEN,
    Kind.CHECKIN: Category.CHECKIN,
    Kind.COACH_DIGEST: Category.COACH_DIGEST,
    Kind.SUBMISSION_NOTICE: Category.SUBMISSIONS,
    Kind.SUBMISSION_DIGEST: Category.SUBMISSIONS,
    # A proposal is new homework the coachee has not answered yet: the same switch.
    Kind.PROPOSAL: Category.NEW_ASSIGNMENT,
}
# Mails to the coachee; each can be switched off by the coach (practice, coachee) and by the coachee.
COACHEE_CATEGORIES = [
    Category.NEW_ASSIGNMENT,
    Category.NUDGE,
    Category.DUE_SOON,
    Category.FEEDBACK_GIVEN,
    Category.CHECKIN,
]
COACH_CATEGORIES = [Category.COACH_DIGEST, Category.SUBMISSIONS]


class SkipReason(models.TextChoices):
    """Why a reminder was not sent, as the coach reads it beside the homework."""

    CANCELLED = "cancelled", _("the homework was cancelled")
    REVIEWED = "reviewed", _("the homework was reviewed")
    HANDED_IN = "handed_in", _("the work was handed in")
    STARTED = "started", _("the coachee had started")
    SESSION_CANCELLED = "session_cancelled", _("the session was cancelled")
    SESSION_BEGUN = "session_begun", _("the session had begun")
    SWITCHED_OFF = "switched_off", _("the recipient switched these mails off")
    NOT_NEEDED = "not_needed", _("no longer needed when it was due (its date moved, or it was switched off)")


class ReminderQuerySet(models.QuerySet):
    def for_coach(self, coach):
        """Reminders about the coach's coachees and the coach's own digests."""
        return self.filter(Q(coachee__coach=coach) | Q(recipient=coach))

    def about(self, assignment: Assignment):
        """What went out (or will) about one assignment, oldest first, for its page."""
        return self.filter(assignment=assignment).select_related("recipient").order_by("due_at", "pk")

    def claimable(self, now):
        """Pending and due, or claimed by a sender that never finished (its claim has expired)."""
        return self.filter(
            Q(status=Reminder.Status.PENDING, due_at__lte=now)
            | Q(status=Reminder.Status.CLAIMED, claim_expires_at__lte=now)
        )


class Reminder(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        CLAIMED = "claimed", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Not sent")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders")
    # Whose homework or session the mail is about (none for a coach's daily digest of submissions).
    coachee = models.ForeignKey(Coachee, on_delete=models.CASCADE, null=True, blank=True, related_name="reminders")
    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, null=True, blank=True, related_name="reminders"
    )
    session = models.ForeignKey(
        CoachingSession, on_delete=models.CASCADE, null=True, blank=True, related_name="reminders"
    )
    # Which occurrence of the reminder this is: the due moment it leads up to, or the recipient's
    # local date for daily mails. Never a send time in UTC, which would shift with daylight saving.
    occurrence = models.CharField(_("occurrence"), max_length=40)
    due_at = models.DateTimeField(_("due"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PENDING)
    # When a sweep last handed the row to the broker; the next sweeps leave it alone for a while.
    enqueued_at = models.DateTimeField(_("handed to a worker"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    claim_expires_at = models.DateTimeField(_("claim expires"), null=True, blank=True)
    # How many times a sender claimed the row; past a limit it is given up as failed.
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=200, blank=True)
    last_error = models.TextField(_("last error"), max_length=2000, blank=True)
    skip_reason = models.CharField(_("why not sent"), max_length=20, choices=SkipReason.choices, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = ReminderQuerySet.as_manager()

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["due_at", "pk"]
        constraints = [
            # The outbox key: one row per (kind, object, recipient, occurrence). Three partial
            # constraints because the object is an assignment, a session, or nothing; NULLs would
            # never collide in one plain constraint.
            models.UniqueConstraint(
                fields=["assignment", "kind", "recipient", "occurrence"],
                condition=Q(assignment__isnull=False),
                name="reminder_once_per_assignment",
            ),
            models.UniqueConstraint(
                fields=["session", "kind", "recipient", "occurrence"],
                condition=Q(session__isnull=False),
                name="reminder_once_per_session",
            ),
            models.UniqueConstraint(
                fields=["recipient", "kind", "occurrence"],
                condition=Q(assignment__isnull=True, session__isnull=True),
                name="reminder_once_per_recipient",
            ),
            models.CheckConstraint(
                condition=Q(assignment__isnull=True) | Q(session__isnull=True), name="reminder_one_object_at_most"
            ),
            models.CheckConstraint(
                condition=~Q(status="claimed") | Q(claim_expires_at__isnull=False), name="reminder_claim_expires"
            ),
            models.CheckConstraint(condition=~Q(status="sent") | Q(sent_at__isnull=False), name="reminder_sent_at"),
        ]
        indexes = [
            # The sweep: pending rows that are due (partial, so sent rows never weigh on it).
            models.Index(fields=["due_at"], condition=Q(status="pending"), name="reminder_pending_due_idx"),
            # The sweep: claims of senders that died before finishing.
            models.Index(fields=["claim_expires_at"], condition=Q(status="claimed"), name="reminder_claim_expiry_idx"),
            # outbox_status: counts by kind and status.
            models.Index(fields=["kind", "status"], name="reminder_kind_status_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.recipient} · {self.occurrence}"

    @property
    def category(self) -> str:
        return CATEGORY_OF_KIND[self.kind]

    def message_id_for(self, domain: str) -> str:
        """The Message-ID of this row's mail: the same on every attempt, so a resend after a crash
        is recognisable as the same mail."""
        return f"<reminder-{self.pk}@{domain}>"

    @staticmethod
    def message_id_in_sql(domain: str) -> Concat:
        """`message_id_for` as an SQL expression, to record a whole batch's Message-IDs in one UPDATE."""
        return Concat(Value("<reminder-"), Cast("pk", models.CharField()), Value(f"@{domain}>"))


class HomeworkCheckQuerySet(models.QuerySet):
    def due(self, now):
        """Homework whose moment has come, or is unknown: all the sweep looks at."""
        return self.filter(Q(next_check_at__isnull=True) | Q(next_check_at__lte=now))


class HomeworkCheck(models.Model):
    """When the sweep should next look at one piece of homework: the earliest moment at which a
    reminder rule could plan a mail about it, or about what keys on it (planning.next_check). NULL:
    unknown, look at the next sweep; every change to an input of the rules sets it so (receivers).

    One row per homework, written with it (receivers, on the homework's first save): homework
    inserted without `save()` (`bulk_create`) must get its row the same way, or it is never looked
    at. A table of its own rather than a column of the homework: the sweep rewrites these moments
    by the thousand, and a narrow row with one index costs a fraction of a homework row with all
    of its indexes."""

    assignment = models.OneToOneField(
        Assignment, on_delete=models.CASCADE, primary_key=True, related_name="reminder_check"
    )
    next_check_at = models.DateTimeField(_("next look"), null=True, blank=True)

    objects = HomeworkCheckQuerySet.as_manager()

    class Meta:
        verbose_name = _("reminder check of homework")
        verbose_name_plural = _("reminder checks of homework")
        indexes = [
            # The sweep: homework whose moment has come (`due`).
            models.Index(fields=["next_check_at"], name="homework_check_next_idx"),
        ]

    def __str__(self):
        return str(self.assignment_id)


# --- Settings -------------------------------------------------------------------------------


class SubmissionMails(models.TextChoices):
    NOTICE = "notice", _("A mail for each piece of handed-in work")
    DIGEST = "digest", _("One daily digest of handed-in work")
    OFF = "off", _("No mail; I look on my dashboard")


DEFAULT_QUIET_START = time(21)
DEFAULT_QUIET_END = time(8)


class PracticeSettings(models.Model):
    """A coach's reminder defaults for all their coachees. Without a row, the defaults below apply."""

    coach = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_settings")
    new_assignment = models.BooleanField(_("new homework"), default=True, help_text=_("Right after you assign it."))
    nudge = models.BooleanField(
        _("nudge to start"), default=True, help_text=_("When half the time until it is due has passed, not started.")
    )
    due_soon = models.BooleanField(_("due soon"), default=True, help_text=_("Before it is due, if not handed in."))
    due_soon_hours = models.PositiveSmallIntegerField(
        _("hours before it is due"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(168)],
        help_text=_("By the coachee's clock: 24 means the day before at the same time."),
    )
    feedback_given = models.BooleanField(
        _("feedback given"), default=True, help_text=_("A note to the coachee when you write feedback.")
    )
    checkin = models.BooleanField(
        _("check-in reminders"),
        default=True,
        help_text=_("For daily or weekly practice, at a time each coachee picks (they switch it on)."),
    )
    coach_digest = models.BooleanField(
        _("digest before each session"),
        default=True,
        help_text=_("The evening before: what is due for review, what was handed in and what was not."),
    )
    digest_time = models.TimeField(_("time of your digests"), default=time(18))
    submissions = models.CharField(
        _("handed-in work"), max_length=6, choices=SubmissionMails.choices, default=SubmissionMails.NOTICE
    )
    quiet_start = models.TimeField(_("quiet hours from"), default=DEFAULT_QUIET_START)
    quiet_end = models.TimeField(_("quiet hours until"), default=DEFAULT_QUIET_END)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("practice reminder settings")
        verbose_name_plural = _("practice reminder settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(due_soon_hours__gte=1, due_soon_hours__lte=168), name="practice_due_soon_hours_range"
            ),
        ]

    def __str__(self):
        return str(self.coach)


class CoacheeSettings(models.Model):
    """The coach's exceptions for one coachee. An empty field follows the practice settings."""

    coachee = models.OneToOneField(Coachee, on_delete=models.CASCADE, related_name="reminder_settings")
    new_assignment = models.BooleanField(_("new homework"), null=True, blank=True)
    nudge = models.BooleanField(_("nudge to start"), null=True, blank=True)
    due_soon = models.BooleanField(_("due soon"), null=True, blank=True)
    due_soon_hours = models.PositiveSmallIntegerField(
        _("hours before it is due"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(168)]
    )
    feedback_given = models.BooleanField(_("feedback given"), null=True, blank=True)
    checkin = models.BooleanField(_("check-in reminders"), null=True, blank=True)
    coach_digest = models.BooleanField(_("digest before each session"), null=True, blank=True)
    quiet_start = models.TimeField(_("quiet hours from"), null=True, blank=True)
    quiet_end = models.TimeField(_("quiet hours until"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("coachee reminder settings")
        verbose_name_plural = _("coachee reminder settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(quiet_start__isnull=True, quiet_end__isnull=True)
                | Q(quiet_start__isnull=False, quiet_end__isnull=False),
                name="coachee_quiet_hours_both_or_neither",
            ),
            models.CheckConstraint(
                condition=Q(due_soon_hours__isnull=True) | Q(due_soon_hours__gte=1, due_soon_hours__lte=168),
                name="coachee_due_soon_hours_range",
            ),
        ]

    def __str__(self):
        return str(self.coachee)


class MailPreferences(models.Model):
    """What the coachee wants to receive. Without a row, everything but check-ins is on."""

    coachee = models.OneToOneField(Coachee, on_delete=models.CASCADE, related_name="mail_preferences")
    new_assignment = models.BooleanField(_("new homework"), default=True)
    nudge = models.BooleanField(_("a nudge when homework has not been started"), default=True)
    due_soon = models.BooleanField(_("a reminder before homework is due"), default=True)
    feedback_given = models.BooleanField(_("a note when my coach gave feedback"), default=True)
    checkin = models.BooleanField(_("a check-in reminder for daily or weekly practice"), default=False)
    checkin_time = models.TimeField(_("check-in reminder at"), default=time(19))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("mail preferences")
        verbose_name_plural = _("mail preferences")

    def __str__(self):
        return str(self.coachee)


# --- What applies: practice, then the coachee's exceptions, then the coachee's own wishes --------


def related_or_none(instance, name: str):
    """A reverse one-to-one (loaded with select_related or not) or None when there is no row."""
    try:
        return getattr(instance, name)
    except ObjectDoesNotExist:
        return None


@dataclass(frozen=True)
class CoachPolicy:
    zone: ZoneInfo
    quiet: QuietHours
    coach_digest: bool
    digest_time: time
    submissions: str


@dataclass(frozen=True)
class CoacheePolicy:
    """What applies to the mails of one coachee (to them, and to their coach about them)."""

    zone: ZoneInfo
    quiet: QuietHours
    coach_categories: frozenset[str]  # coachee categories the coach sends this coachee
    categories: frozenset[str]  # ... of which the coachee wants these: what is sent
    due_soon_hours: int
    checkin_time: time
    coach_digest: bool  # the coach's digest before this coachee's sessions


def practice_settings(coach) -> PracticeSettings:
    return related_or_none(coach, "reminder_settings") or PracticeSettings(coach=coach)


def coach_policy(coach) -> CoachPolicy:
    practice = practice_settings(coach)
    return CoachPolicy(
        zone=coach.tzinfo,
        quiet=QuietHours(practice.quiet_start, practice.quiet_end),
        coach_digest=practice.coach_digest,
        digest_time=practice.digest_time,
        submissions=practice.submissions,
    )


def coachee_zone(coachee: Coachee) -> ZoneInfo:
    """The coachee's own time zone (their login's), else the one their coach set."""
    return coachee.user.tzinfo if coachee.user_id else ZoneInfo(coachee.timezone)


def coachee_policy(coachee: Coachee) -> CoacheePolicy:
    """Needs `coachee.coach` and the three settings rows, best loaded with select_related."""
    practice = practice_settings(coachee.coach)
    override = related_or_none(coachee, "reminder_settings") or CoacheeSettings()
    wishes = related_or_none(coachee, "mail_preferences") or MailPreferences()

    def chosen(name):
        value = getattr(override, name)
        return getattr(practice, name) if value is None else value

    quiet = (
        QuietHours(override.quiet_start, override.quiet_end)
        if override.quiet_start is not None
        else QuietHours(practice.quiet_start, practice.quiet_end)
    )
    coach_categories = frozenset(c for c in COACHEE_CATEGORIES if chosen(c))
    return CoacheePolicy(
        zone=coachee_zone(coachee),
        quiet=quiet,
        coach_categories=coach_categories,
        categories=frozenset(c for c in coach_categories if getattr(wishes, c)),
        due_soon_hours=chosen("due_soon_hours"),
        checkin_time=wishes.checkin_time,
        coach_digest=chosen("coach_digest"),
    )
