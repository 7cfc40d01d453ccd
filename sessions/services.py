"""Writes for coachees, goals, sessions and invitations. Views, admin, tasks and tests all call these."""

import enum
import logging
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from coachhub.accounts.emails import enqueue
from coachhub.accounts.models import User
from coachhub.accounts.services import account_update, coachee_sign_up, login_link_request

from . import emails
from .models import Coachee, CoachingSession, Goal, Invitation

logger = logging.getLogger(__name__)


@transaction.atomic
def coachee_create(
    *,
    coach,
    name: str,
    email: str,
    coaching_question: str = "",
    timezone_name: str = "UTC",
    language: str = settings.LANGUAGE_CODE,
    goals: list[str] | None = None,
) -> Coachee:
    coachee = Coachee.objects.create(
        coach=coach,
        name=name,
        email=email.strip().lower(),
        coaching_question=coaching_question,
        timezone=timezone_name,
        language=language,
    )
    for title in goals or []:
        if title.strip():
            Goal.objects.create(coachee=coachee, title=title.strip())
    return coachee


class EmailIsLogin(Exception):
    """The coachee has their own login, and their email is that login: the coach cannot change it."""


@transaction.atomic
def coachee_update(*, coachee: Coachee, **fields) -> Coachee:
    """Save the coach's changes to a coachee record.

    Steps:
    1. Refuse (EmailIsLogin) a new email for a coachee with a login: it is how they log in, and
       only they may decide where their login links and password resets go.
    2. Save and validate the record.
    3. A coachee with a login gets the same name and time zone on their login, so both sides show
       the same times; without a login, a changed email revokes the open invitation.
    """
    # The row as it is now: the coachee may have set up their login while the form was open.
    current = Coachee.objects.select_for_update().get(pk=coachee.pk)
    coachee.user_id = current.user_id
    if current.user_id is not None:  # their language is theirs to choose once they have a login
        fields.pop("language", None)
    old_email = current.email
    for name, value in fields.items():
        setattr(coachee, name, value)
    coachee.email = coachee.email.strip().lower()
    if coachee.user_id is not None and coachee.email != old_email.strip().lower():
        raise EmailIsLogin
    coachee.full_clean(exclude=["coach", "user"])
    coachee.save(update_fields=[*fields, "email"])
    if coachee.user_id is not None:
        account_update(user=coachee.user, name=coachee.name, timezone=coachee.timezone)
    elif coachee.email != old_email:
        # A link mailed to the old address must not set up a login for the new one.
        Invitation.objects.filter(coachee=coachee).open().update(revoked_at=timezone.now())
    return coachee


@transaction.atomic
def account_settings_save(
    *, user: User, name: str, timezone_name: str, language: str | None = None, propose_homework: bool | None = None
) -> User:
    """A person changes their own name, time zone and language. A coachee's record at their coach
    follows, because the coach's pages and the reminders read the time zone and language from it.

    It lives here, not in accounts, because accounts know nothing of coachee records."""
    account_update(user=user, name=name, timezone=timezone_name, language=language, propose_homework=propose_homework)
    Coachee.objects.filter(user=user).update(name=name, timezone=timezone_name, language=user.language)
    return user


def coachee_archive(*, coachee: Coachee) -> Coachee:
    coachee.archived_at = timezone.now()
    coachee.save(update_fields=["archived_at"])
    return coachee


def coachee_restore(*, coachee: Coachee) -> Coachee:
    coachee.archived_at = None
    coachee.save(update_fields=["archived_at"])
    return coachee


def goal_create(*, coachee: Coachee, title: str, description: str = "") -> Goal:
    return Goal.objects.create(coachee=coachee, title=title, description=description)


def goal_update(*, goal: Goal, title: str, description: str, status: str) -> Goal:
    goal.title, goal.description, goal.status = title, description, status
    goal.save(update_fields=["title", "description", "status"])
    return goal


def session_schedule(
    *, coachee: Coachee, starts_at: datetime, duration_minutes: int = 60, location: str = "", video_url: str = ""
) -> CoachingSession:
    return CoachingSession.objects.create(
        coachee=coachee,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        location=location,
        video_url=video_url,
    )


class SessionHeld(Exception):
    """The session was held; what was decided there stays, so it cannot be cancelled or moved."""


def session_update(*, session: CoachingSession, **fields) -> CoachingSession:
    """Reschedule or edit a session. Homework due dates follow by themselves: they are derived
    from session times, never copied. A move to an earlier time is noted (`moved_earlier_at`): the
    homework due there then earns a due-soon reminder even if it was given close to the old time.
    A held session keeps its time (SessionHeld)."""
    if "starts_at" in fields and fields["starts_at"] != session.starts_at and session.is_held:
        raise SessionHeld
    if "starts_at" in fields and fields["starts_at"] < session.starts_at:
        session.moved_earlier_at = timezone.now()
    for name, value in fields.items():
        setattr(session, name, value)
    session.save()
    return session


def session_cancel(*, session: CoachingSession) -> CoachingSession:
    """Call a session off: its homework moves on to the next session by itself. A held session
    cannot be cancelled (SessionHeld): its reviews and what it carried over would lose their place."""
    if session.is_held:
        raise SessionHeld
    session.status = CoachingSession.Status.CANCELLED
    session.save(update_fields=["status"])
    return session


class SessionCancelled(Exception):
    """The session is cancelled; it cannot be held."""


class SessionNotOpen(Exception):
    """The session starts more than an hour from now (see CoachingSession.has_opened)."""


def session_mark_held(*, session: CoachingSession, now: datetime | None = None) -> CoachingSession:
    """Record that a session took place: only once it has opened, and never a cancelled one. From
    then on it is past for the review loop, whatever its clock time (see `held_at`)."""
    if session.is_cancelled:
        raise SessionCancelled
    now = now or timezone.now()
    if not session.has_opened(now):
        raise SessionNotOpen
    if session.is_held:
        return session
    session.status = CoachingSession.Status.HELD
    session.held_at = now
    session.save(update_fields=["status", "held_at"])
    return session


# --- Invitations ------------------------------------------------------------------------------


class CoacheeHasLogin(Exception):
    """The coachee has their own login already; an invitation would be of no use."""


class InvitationNotUsable(Exception):
    """The link was used, replaced by a newer one, or has expired."""

    def __init__(self, status: Invitation.Status):
        super().__init__(status)
        self.status = status


class CoachNotConfirmed(Exception):
    """The coach has not confirmed their own address yet, so CoachHub mails nobody for them."""


class InvitationLimitReached(Exception):
    """Enough invitations went out in the last day: to this coachee (`per_coachee`) or from this
    coach. `again_at` is when the next one may go."""

    def __init__(self, *, per_coachee: bool, limit: int, again_at: datetime):
        super().__init__(limit)
        self.per_coachee, self.limit, self.again_at = per_coachee, limit, again_at


def check_invitation_limits(coachee: Coachee, now: datetime) -> None:
    """Raise InvitationLimitReached when the coachee, or the coach across all coachees, has had the
    most invitations allowed in the last 24 hours. Counted from the invitations themselves, so
    the limit holds across web processes and restarts."""
    since = now - timedelta(days=1)
    recent = Invitation.objects.filter(created_at__gt=since)
    for per_coachee, rows, limit in (
        (True, recent.filter(coachee=coachee), settings.INVITATIONS_PER_COACHEE_PER_DAY),
        (False, recent.filter(coachee__coach_id=coachee.coach_id), settings.INVITATIONS_PER_COACH_PER_DAY),
    ):
        times = list(rows.order_by("-created_at").values_list("created_at", flat=True)[:limit])
        if len(times) >= limit:
            raise InvitationLimitReached(per_coachee=per_coachee, limit=limit, again_at=times[-1] + timedelta(days=1))


@transaction.atomic
def invitation_send(*, coachee: Coachee) -> Invitation:
    """Have the worker mail a coachee a link to set up their own login, replacing any earlier link.

    Steps:
    1. Lock the coachee row, so two sends at once cannot leave two working links.
    2. Refuse with CoacheeHasLogin if the coachee has a login already, with CoachNotConfirmed if
       the coach has not confirmed their address, and with InvitationLimitReached past the daily
       limits (per coachee and per coach).
    3. Revoke the open invitation, if any, and create a new one; only the token's hash is stored.
    4. After commit, queue the mail (see sessions/tasks.py). The returned invitation's
       `delivery_failed` is True if it could not be queued, so the caller can say so.
    """
    coachee = Coachee.objects.select_for_update().select_related("coach").get(pk=coachee.pk)
    if coachee.user_id is not None:
        raise CoacheeHasLogin(coachee.pk)
    if not coachee.coach.email_confirmed:
        raise CoachNotConfirmed
    now = timezone.now()
    check_invitation_limits(coachee, now)
    Invitation.objects.filter(coachee=coachee).open().update(revoked_at=now)
    token = Invitation.new_token()
    invitation = Invitation.objects.create(
        coachee=coachee,
        token_hash=Invitation.hash_token(token),
        created_at=now,
        expires_at=now + timedelta(days=settings.INVITATION_MAX_AGE_DAYS),
    )
    invitation.delivery_failed = False
    transaction.on_commit(partial(_queue_invitation, invitation, token))
    return invitation


def _queue_invitation(invitation: Invitation, token: str) -> None:
    from .tasks import send_invitation

    invitation.delivery_failed = not enqueue(send_invitation, invitation.pk, token)


def invitation_mail(*, invitation_id: int, token: str) -> bool:
    """The worker's half of invitation_send: mail the link, unless the invitation was replaced or
    revoked meanwhile; note when it went. An address that has a CoachHub account already gets a
    note instead (see emails.address_in_use), so the coach who typed it learns nothing about other
    people's accounts. Returns whether a mail went."""
    invitation = Invitation.objects.select_related("coachee__coach").filter(pk=invitation_id).first()
    if invitation is None or invitation.status() != Invitation.Status.OPEN:
        return False
    coachee = invitation.coachee
    owner = User.objects.filter(email__iexact=coachee.email).first()
    if owner is not None:
        emails.address_in_use(coachee=coachee, owner=owner)
    else:
        link = f"{settings.SITE_URL}{reverse('invitations:accept', args=[token])}"
        emails.invitation(invitation=invitation, link=link)
    Invitation.objects.filter(pk=invitation.pk).update(sent_at=timezone.now())
    return True


@transaction.atomic
def invitation_accept(
    *, invitation: Invitation, name: str, password: str, timezone_name: str, language: str | None = None
) -> User:
    """Turn an invitation into the coachee's own login.

    Steps:
    1. Lock the invitation and its coachee; refuse with InvitationNotUsable unless the link is open.
    2. Create a coachee login with the email on the coach's record (AccountExists if it is taken).
    3. Link the coachee record to the new login (with the name and time zone chosen there) and mark
       the invitation used.
    """
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    coachee = Coachee.objects.select_for_update().get(pk=invitation.coachee_id)
    invitation.coachee = coachee
    status = invitation.status()
    if status != Invitation.Status.OPEN:
        raise InvitationNotUsable(status)
    user = coachee_sign_up(
        name=name,
        email=coachee.email,
        password=password,
        timezone=timezone_name,
        language=language or coachee.language,
    )
    # The record takes the name, time zone and language the coachee chose for themselves.
    coachee.user, coachee.name, coachee.timezone, coachee.language = user, user.name, user.timezone, user.language
    coachee.save(update_fields=["user", "name", "timezone", "language"])
    invitation.used_at = timezone.now()
    invitation.save(update_fields=["used_at"])
    return user


class RenewOutcome(enum.StrEnum):
    INVITATION = "invitation"  # a new invitation is mailed
    LOGIN_LINK = "login_link"  # the coachee has a login, so they are mailed a one-time login link
    ASK_COACH = "ask_coach"  # nothing sent: the coachee is archived or their login is switched off
    FAILED = "failed"  # the mail could not be sent


def invitation_renew(*, invitation: Invitation) -> RenewOutcome:
    """Someone holding a used, replaced or expired link asks for a new one. It goes only to the
    address on record, never to one the visitor types."""
    coachee = Coachee.objects.select_related("user").get(pk=invitation.coachee_id)
    if coachee.user is None and not coachee.is_archived:
        try:
            new = invitation_send(coachee=coachee)
        except CoacheeHasLogin:  # accepted through another link a moment ago
            coachee.refresh_from_db()
        except (CoachNotConfirmed, InvitationLimitReached):
            return RenewOutcome.ASK_COACH
        else:
            return RenewOutcome.FAILED if new.delivery_failed else RenewOutcome.INVITATION
    if coachee.user is None or not coachee.user.is_active:
        return RenewOutcome.ASK_COACH
    return RenewOutcome.LOGIN_LINK if login_link_request(email=coachee.user.email) else RenewOutcome.FAILED
