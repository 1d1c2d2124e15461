"""Self-check reminders at national scale: selecting and enqueueing the due reminders among
1,000,000 registered workers on PostgreSQL (target: 60 s or less on the project's machine).

The workers are written straight in SQL (INSERT … SELECT generate_series) into a throw-away
database, ``koe_bench``, which is created, migrated and dropped here; the tests' databases are
never touched. About 15% of workers are due, a quarter of all workers asked for e-mail (and gave
a recovery e-mail), and half already had one earlier round reminded, so the "not reminded yet"
check reads a realistic table. Needs DATABASE_URL pointing at PostgreSQL; skipped otherwise.
"""

import os
import time
from datetime import date

from _django import report, setup_django_on_own_database

WORKERS = 1_000_000
DUE_PER_MILLE = 150
BENCH_DATABASE = "koe_bench"


def setup_django_on_bench_database() -> str:
    from django.conf import settings

    # Queue the delivery tasks for real (in the database), as in production; send nothing.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    return setup_django_on_own_database(BENCH_DATABASE)


FILL_STATEMENTS = [
    """INSERT INTO accounts_user (id, password, is_superuser, username, first_name, last_name, email,
           is_staff, is_active, date_joined, role, language, is_company_admin, expert_kind, spoken_languages)
        SELECT i, '!', false, 'bench' || i, '', '', '', false, true, now(), 'worker',
               (ARRAY['vi','zh-hans','tl','id','ne','my','ja','en','pt-br','es'])[1 + i %% 10],
               false, '', '[]'::jsonb
        FROM generate_series(1, %(workers)s) AS i""",
    # Due dates spread evenly over 1,000 days, the first DUE_PER_MILLE of them today or earlier.
    """INSERT INTO accounts_workerprofile (id, user_id, recovery_email, recovery_email_index,
           recovery_phone, nationality, residence_status, arrival_date, selfcheck_due_on, created_at)
        SELECT i, i, '', CASE WHEN i %% 4 = 0 THEN md5(i::text) || md5(i::text) ELSE '' END, '',
               'vn', 'titp', due - 90, due, now()
        FROM (SELECT i, %(today)s::date + ((i::bigint * 7919) %% 1000 - %(due_per_mille)s + 1)::int AS due
              FROM generate_series(1, %(workers)s) AS i) AS worker""",
    """INSERT INTO notifications_notificationpreference (user_id, reminder_channel)
        SELECT i, 'email' FROM generate_series(4, %(workers)s, 4) AS i""",
    """INSERT INTO notifications_notification (user_id, kind, channel, round_due_on, created_at,
           delivered_at, seen_at)
        SELECT user_id, 'selfcheck_due', 'portal', selfcheck_due_on - 182, now() - interval '182 days',
               now() - interval '182 days', NULL
        FROM accounts_workerprofile WHERE id %% 2 = 0""",
    "SELECT setval(pg_get_serial_sequence('accounts_user', 'id'), %(workers)s)",
    "SELECT setval(pg_get_serial_sequence('accounts_workerprofile', 'id'), %(workers)s)",
    "ANALYZE",
]


def fill(today: date) -> None:
    """Workers, profiles, e-mail choices and last round's reminders, straight in SQL."""
    from django.db import connection

    parameters = {"today": today, "workers": WORKERS, "due_per_mille": DUE_PER_MILLE}
    with connection.cursor() as cursor:
        for statement in FILL_STATEMENTS:
            cursor.execute(statement, parameters)


def bench_reminders() -> None:
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from koe.accounts.models import WorkerProfile
    from koe.notifications.models import Channel, Notification
    from koe.surveys.rounds import remind_due_workers

    today = timezone.localdate()
    start = time.perf_counter()
    fill(today)
    report("reminders.fill", time.perf_counter() - start, "s")
    report("reminders.workers", WorkerProfile.objects.count(), "workers")
    due = WorkerProfile.objects.filter(selfcheck_due_on__lte=today).count()
    report("reminders.due", due, "workers")
    wants_email = (
        WorkerProfile.objects.filter(
            selfcheck_due_on__lte=today, user__notification_preference__reminder_channel="email"
        )
        .exclude(recovery_email_index="")
        .count()
    )

    start = time.perf_counter()
    run = remind_due_workers(today=today)
    report("reminders.select_and_enqueue", time.perf_counter() - start, "s")
    assert run.due_workers == run.reminders == due, run
    assert DBTaskResult.objects.count() == run.delivery_batches, run
    report("reminders.delivery_tasks", run.delivery_batches, "tasks")
    emails = Notification.objects.filter(channel=Channel.EMAIL, delivered_at__isnull=True).count()
    assert emails == wants_email, (emails, wants_email)
    report("reminders.emails_queued", emails, "e-mails")

    start = time.perf_counter()
    again = remind_due_workers(today=today)
    report("reminders.second_run_same_day", time.perf_counter() - start, "s")
    assert again.reminders == again.due_workers == 0, again


if __name__ == "__main__":
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        print("reminders: skipped (set DATABASE_URL to a PostgreSQL server to run it)", flush=True)
    else:
        original_name = setup_django_on_bench_database()
        try:
            bench_reminders()
        finally:
            from django.db import connection

            connection.creation.destroy_test_db(original_name, verbosity=0)
