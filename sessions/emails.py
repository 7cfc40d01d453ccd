"""Mails about coachees, one small function per kind (templates under templates/emails/)."""

from django.conf import settings

from coachhub.accounts.emails import send

from .models import Invitation


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
    )
