"""The reminder outbox at a glance, for operators: rows by kind and status, and the oldest waiting."""

from django.core.management.base import BaseCommand
from django.db.models import Count, Min
from django.utils import timezone

from assignments.reminders.models import Kind, Reminder

STATUSES = [
    Reminder.Status.PENDING,
    Reminder.Status.CLAIMED,
    Reminder.Status.SENT,
    Reminder.Status.FAILED,
    Reminder.Status.SKIPPED,
]


class Command(BaseCommand):
    help = "Show the reminder outbox: counts by kind and status, the oldest waiting reminder, recent failures."

    def handle(self, *args, **options):
        now = timezone.now()
        counts = {
            (row["kind"], row["status"]): row["count"]
            for row in Reminder.objects.order_by().values("kind", "status").annotate(count=Count("pk"))
        }
        width = max(len(kind) for kind in Kind.values)
        self.stdout.write(f"{'kind':<{width}}  " + "  ".join(f"{status:>8}" for status in STATUSES))
        for kind in [*Kind.values, "total"]:
            cells = [
                sum(n for (k, s), n in counts.items() if s == status and (kind == "total" or k == kind))
                for status in STATUSES
            ]
            self.stdout.write(f"{kind:<{width}}  " + "  ".join(f"{n:>8}" for n in cells))

        waiting = Reminder.objects.filter(status=Reminder.Status.PENDING)
        oldest = waiting.filter(due_at__lte=now).aggregate(oldest=Min("due_at"))["oldest"]
        if oldest is None:
            self.stdout.write("Oldest due and waiting: none")
        else:
            self.stdout.write(f"Oldest due and waiting: {oldest:%Y-%m-%d %H:%M} UTC ({_ago(now - oldest)} ago)")
        later = waiting.filter(due_at__gt=now).count()
        self.stdout.write(f"Waiting for a later time (e.g. quiet hours): {later}")
        expired = Reminder.objects.filter(status=Reminder.Status.CLAIMED, claim_expires_at__lte=now).count()
        self.stdout.write(f"Claims expired (a sender died; the next sweep retries): {expired}")
        for reminder in Reminder.objects.filter(status=Reminder.Status.FAILED).order_by("-due_at")[:5]:
            self.stdout.write(
                f"Failed #{reminder.pk} {reminder.kind} to {reminder.recipient_id}: {reminder.last_error}"
            )


def _ago(delta) -> str:
    minutes = int(delta.total_seconds() // 60)
    if minutes < 120:
        return f"{minutes} min"
    return f"{minutes // 60} h"
