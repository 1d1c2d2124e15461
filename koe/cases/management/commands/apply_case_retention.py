"""Daily: expire old receipt codes, anonymise closed cases past their retention period and
delete self-check sheets left unsent
(koe/cases/retention.py, docs/retention.md). Schedule it with cron, e.g.

    40 3 * * *  cd /srv/koe && .venv/bin/python manage.py apply_case_retention

Running it twice, or twice at once, does nothing twice.
"""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from koe.cases.retention import RETENTION_BATCH_SIZE, apply_case_retention
from koe.cases.tasks import apply_retention
from koe.surveys.services import response_drafts_expire


class Command(BaseCommand):
    help = "Expire old receipt codes and anonymise closed cases past their retention period (run daily)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Queue the run for a task worker instead of running it here.",
        )
        parser.add_argument("--batch-size", type=int, default=RETENTION_BATCH_SIZE)

    def handle(self, *args: Any, enqueue: bool, batch_size: int, **options: Any) -> None:
        if enqueue:
            result = apply_retention.enqueue()
            self.stdout.write(f"queued task {result.id}")
            return
        run = apply_case_retention(batch_size=batch_size)
        drafts = response_drafts_expire()
        self.stdout.write(
            f"{run.receipts_expired} receipts expired "
            f"(cases closed over {settings.KOE_RECEIPT_UNUSED_EXPIRY_DAYS} days ago), "
            f"{run.cases_anonymised} cases anonymised "
            f"(closed over {settings.KOE_CASE_RETENTION_DAYS} days ago): "
            f"{run.messages_deleted} messages, {run.notes_deleted} notes, "
            f"{run.attachments_deleted} files deleted; "
            f"{drafts} unsent self-check sheets deleted (over {settings.KOE_SELFCHECK_DRAFT_DAYS} days old)"
        )
