"""Have the next sweep look at every piece of homework once, for operators: after homework or what the
reminder rules read was written past the receivers (a bulk import, a fix in the database shell)."""

from django.core.management.base import BaseCommand

from assignments.reminders import services


class Command(BaseCommand):
    help = "Have the next reminder sweep look at all homework again (after data was written in bulk)."

    def handle(self, *args, **options):
        created, reset = services.reminders_recheck_all()
        self.stdout.write(f"{reset} pieces of homework to look at again, {created} of them without a check before.")
