"""Events other apps may react to without homework code knowing them (reminders listens)."""

from django.dispatch import Signal

# Sent by services.assignment_create inside its transaction, with `assignment`.
assignment_created = Signal()
