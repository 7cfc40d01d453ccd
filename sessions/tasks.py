"""The worker's side of invitations (see services.invitation_send)."""

from celery import shared_task

from coachhub.accounts.tasks import MAIL_RETRIES, send_or_retry

from . import services


@shared_task(bind=True, acks_late=True, max_retries=MAIL_RETRIES)
def send_invitation(self, invitation_id: int, token: str) -> None:
    send_or_retry(self, lambda: services.invitation_mail(invitation_id=invitation_id, token=token))
