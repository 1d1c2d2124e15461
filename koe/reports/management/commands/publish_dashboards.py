"""Daily: publish the company dashboards of the last closed quarter. Schedule it with cron, e.g.

    30 3 * * *  cd /srv/koe && .venv/bin/python manage.py publish_dashboards

Idempotent: a quarter already published for an organisation is never computed again, so after a
quarter closes the first run does the work and the next ones do nothing.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from koe.reports.dashboard import publish_dashboards, publish_dashboards_task


class Command(BaseCommand):
    help = "Publish the company dashboards of the last closed quarter (run daily from cron)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--quarter", default="", help="A closed quarter such as 2026-Q3 (default: the last)."
        )
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Queue the run for a task worker instead of running it here.",
        )

    def handle(self, *args: Any, quarter: str, enqueue: bool, **options: Any) -> None:
        if enqueue:
            result = publish_dashboards_task.enqueue(quarter=quarter)
            self.stdout.write(f"queued task {result.id}")
            return
        try:
            written = publish_dashboards(quarter=quarter)
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"{written} dashboard snapshots published")
