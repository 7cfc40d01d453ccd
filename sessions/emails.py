"""Mails about coachees, one small function per kind (templates under templates/emails/). The
worker sends them (sessions/tasks.py)."""

from django.conf import settings

from coachhub.accounts.emails import send
from coachhub.accounts.models import User

from .models import Coachee, Invitation


def invitation(*, invitation: Invitation, link: str) -> None:
    coachee = invitation.coachee
    send(
        "invitation",
        to=coachee.email,
        context={
            "coachee": coachee,
            "coach": coachee.coach,
            "link": link,
            "days": settings.INVITATION_MAX_AGE_DAYS,
        },
        language=coachee.language,
    )


def address_in_use(*, coachee: Coachee, owner: User) -> None:
    """In place of an invitation to an address that has a CoachHub account: one login belongs to
    one coachee record, so the owner is asked to give the coach another address."""
    send(
        "invitation-address-in-use",
        to=owner.email,
        context={"coach": coachee.coach, "owner": owner},
        language=owner.language,
    )
