"""Email reminders: an outbox of mails derived from homework, sessions and settings, swept every
minute by Celery beat and sent by workers. See planning (what is due), services (writes and sending)
and tasks (the sweep and the sender)."""
