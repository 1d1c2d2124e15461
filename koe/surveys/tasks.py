"""Background work of the self-check rounds.

Django's tasks API has no scheduler: cron (or a systemd timer) runs
``manage.py send_selfcheck_reminders`` once a day, which runs this work at once or, with
``--enqueue``, hands it to a task worker (README, docs/selfcheck-rounds.md).
"""

from dataclasses import asdict

from django.tasks import task

from koe.surveys.rounds import remind_due_workers


@task()
def send_due_reminders() -> dict[str, int]:
    """Reminds every worker whose self-check round is due; safe to run twice the same day."""
    return asdict(remind_due_workers())
