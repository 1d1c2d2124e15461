"""Daily: publish the risk alerts of every week that ended at least two days ago
(koe/riskwatch/publication.py). Schedule it with cron, e.g.

    10 4 * * *  cd /srv/koe && .venv/bin/python manage.py publish_risk_alerts

Running it twice, or twice at once, publishes nothing twice; a published week is never edited.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from koe.riskwatch.publication import publish_risk_alerts
from koe.riskwatch.tasks import publish_risk_alerts_task


class Command(BaseCommand):
    help = "Publish the weekly organisation risk alerts of ended weeks (run daily)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Queue the run for a task worker instead of running it here.",
        )

    def handle(self, *args: Any, enqueue: bool, **options: Any) -> None:
        if enqueue:
            result = publish_risk_alerts_task.enqueue()
            self.stdout.write(f"queued task {result.id}")
            return
        run = publish_risk_alerts()
        first, last = min(run.weeks), max(run.weeks)
        self.stdout.write(
            f"weeks {first.isoformat()} to {last.isoformat()}: {run.created} alerts published, "
            f"{run.late_signals} late signals folded in, {len(run.notified_organizations)} organisations notified"
        )
