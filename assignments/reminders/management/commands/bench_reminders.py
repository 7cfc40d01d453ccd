"""Print what the reminder sweep and the send path cost (see assignments.reminders.bench).

Builds its data in a scratch database of its own (`bench_` and the database's name) and drops it
afterwards, so it never touches real data."""

import json

from django.core.management.base import BaseCommand
from django.db import connection

from assignments.reminders import bench


class Command(BaseCommand):
    help = "Measure the idle sweep at two practice sizes, planning many due mails, and sending against smtplib."

    def add_arguments(self, parser):
        parser.add_argument("--sizes", default="100,1000", help="practice sizes in coachees, comma-separated")
        parser.add_argument("--due", type=int, default=10_000, help="due mails to plan")
        parser.add_argument("--send", type=int, default=1000, help="mails to send")

    def handle(self, *args, **options):
        sizes = tuple(int(size) for size in options["sizes"].split(","))
        original = connection.settings_dict["NAME"]
        connection.settings_dict["TEST"]["NAME"] = f"bench_{original}"
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        try:
            figures = {
                **bench.sweep_figures(sizes=sizes, due=options["due"]),
                "send": bench.send_figures(count=options["send"]),
            }
        finally:
            connection.creation.destroy_test_db(original, verbosity=0)
        self.stdout.write(json.dumps(figures, indent=2))
