"""A mail backend for tests that counts connections and can fail the way SMTP servers do."""

from django.core.mail.backends.base import BaseEmailBackend


class Script:
    """What the backend does: a list of errors to raise, one per message, in order (None sends)."""

    opened = 0
    failures: list = []
    fail_open: Exception | None = None
    sent: list = []

    @classmethod
    def reset(cls):
        cls.opened, cls.failures, cls.fail_open, cls.sent = 0, [], None, []


class ScriptedBackend(BaseEmailBackend):
    def open(self):
        Script.opened += 1
        if Script.fail_open is not None:
            raise Script.fail_open
        return True

    def send_messages(self, email_messages):
        for message in email_messages:
            error = Script.failures.pop(0) if Script.failures else None
            if error is not None:
                raise error
            Script.sent.append(message)
        return len(email_messages)
