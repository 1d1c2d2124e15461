"""Daily: remind the workers whose self-check round is due. Schedule it with cron, e.g.

    15 9 * * *  cd /srv/koe && .venv/bin/python manage.py send_selfcheck_reminders

Running it twice the same day reminds nobody twice.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from koe.surveys.rounds import REMINDER_BATCH_SIZE, remind_due_workers
from koe.surveys.tasks import send_due_reminders


class Command(BaseCommand):
    help = "Remind the workers whose self-check round is due (run daily from cron)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Queue the run for a task worker instead of running it here.",
        )
        parser.add_argument("--batch-size", type=int, default=REMINDER_BATCH_SIZE)

    def handle(self, *args: Any, enqueue: bool, batch_size: int, **options: Any) -> None:
        if enqueue:
            result = send_due_reminders.enqueue()
            self.stdout.write(f"queued task {result.id}")
            return
        run = remind_due_workers(batch_size=batch_size)
        self.stdout.write(
            f"{run.due_workers} workers due, {run.reminders} reminded, "
            f"{run.delivery_batches} delivery batches queued, {run.retried_batches} retried"
        )
