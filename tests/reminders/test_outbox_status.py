"""outbox_status: what operators see of the outbox."""

from datetime import timedelta
from io import StringIO

from django.core.management import call_command

from assignments.reminders import services
from assignments.reminders.models import Kind

from .conftest import NOW, deliver


def test_counts_by_kind_and_status_and_the_oldest_waiting(coachee, homework, next_session, clock):
    deliver(NOW)  # the new-homework mail is sent
    services.reminders_plan(now=NOW + timedelta(days=6))  # the due-soon mail waits for a worker
    clock.move_to(NOW + timedelta(days=6, hours=9))
    out = StringIO()

    call_command("outbox_status", stdout=out)

    lines = out.getvalue().splitlines()
    header = lines[0].split()
    assert header == ["kind", "pending", "claimed", "sent", "failed", "skipped"]
    rows = {line.split()[0]: [int(n) for n in line.split()[1:]] for line in lines[1 : len(Kind.values) + 2]}
    assert rows["new_assignment"] == [0, 0, 1, 0, 0]
    assert rows["due_soon"] == [1, 0, 0, 0, 0]
    assert rows["total"] == [1, 0, 1, 0, 0]
    assert "Oldest due and waiting: 2026-01-18 09:00 UTC (9 h ago)" in out.getvalue()
