"""Self-check rounds: when each registered worker is next offered the self-check, and the
reminders when that day comes (docs/selfcheck-rounds.md).

One date per worker, ``WorkerProfile.selfcheck_due_on``, says when the next round is offered.
It is recomputed from facts (arrival, last submission, last reminder) whenever one of them
changes, and the daily reminder run moves it on for everyone it reminds, so that finding who is
due among millions of workers is one indexed range scan and a second run finds nobody.

The rule, kept simple so a worker can be told it in one sentence:

- Rounds are offered to workers who told Koe when they arrived in Japan; anyone may still open
  the self-check at any time.
- The first round is ``first_round_months`` after arrival (three by default).
- After that, the next round is ``interval_months`` after the worker's last self-check, or after
  the last reminder if they did not answer it: nobody is asked twice within one interval, a
  check done early or late moves the next one with it, and skipped rounds never pile up.
"""

import calendar
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from koe.accounts.models import WorkerProfile
from koe.audit.services import audit_record
from koe.notifications.channels import Recipient
from koe.notifications.models import Channel, Kind, Notification
from koe.notifications.services import (
    DueReminder,
    selfcheck_reminders_create,
    selfcheck_reminders_mark_seen,
    undelivered_notification_batches,
)
from koe.notifications.tasks import deliver_notifications
from koe.surveys.models import QuestionnaireKind, Response, ResponseStatus, RoundSchedule

logger = logging.getLogger(__name__)

REMINDER_BATCH_SIZE = 10_000


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day when it is shorter (31 Jan → 28 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def due_date_for(
    profile: WorkerProfile,
    submitted_rounds: Iterable[date],
    schedule: RoundSchedule,
    *,
    last_reminded_on: date | None = None,
) -> date | None:
    """When this worker is next offered the self-check, or None without an arrival date.

    ``submitted_rounds`` are the days the worker submitted a self-check (any order). The result
    may lie in the past: the worker is due now.
    """
    if profile.arrival_date is None:
        return None
    candidates = [add_months(profile.arrival_date, schedule.first_round_months)]
    latest = max([*submitted_rounds, *([last_reminded_on] if last_reminded_on else [])], default=None)
    if latest is not None:
        candidates.append(add_months(latest, schedule.interval_months))
    return max(candidates)


def _last_selfcheck_submitted_at(user_id: int) -> datetime | None:
    submitted: datetime | None = Response.objects.filter(
        worker_id=user_id,
        status=ResponseStatus.SUBMITTED,
        version__questionnaire__kind=QuestionnaireKind.WORKER_SELFCHECK,
    ).aggregate(last=Max("submitted_at"))["last"]
    return submitted


def _last_reminded_on(user_id: int) -> date | None:
    reminded: datetime | None = Notification.objects.filter(
        user_id=user_id, kind=Kind.SELFCHECK_DUE, channel=Channel.PORTAL
    ).aggregate(last=Max("created_at"))["last"]
    return timezone.localdate(reminded) if reminded else None


def selfcheck_due_update(*, profile: WorkerProfile) -> date | None:
    """Recomputes and saves the worker's next round from the facts: call it when the arrival
    date is set or changed (accounts) and after each submission (`schedule_next_round`)."""
    return _reschedule(profile, _last_selfcheck_submitted_at(profile.user_id))


def _reschedule(profile: WorkerProfile, submitted_at: datetime | None) -> date | None:
    submitted = [timezone.localdate(submitted_at)] if submitted_at else []
    last_reminded_on = _last_reminded_on(profile.user_id)
    due = due_date_for(profile, submitted, RoundSchedule.current(), last_reminded_on=last_reminded_on)
    if due != profile.selfcheck_due_on:
        profile.selfcheck_due_on = due
        profile.save(update_fields=["selfcheck_due_on"])
    return due


def schedule_next_round(*, worker: Any, submitted_at: datetime | None = None) -> date | None:
    """After a submission by a signed-in worker (at ``submitted_at``, or their latest when not
    given): the next round moves, and reminders of the rounds this check answered leave the portal."""
    profile = WorkerProfile.objects.filter(user=worker).first()
    if profile is None:  # only workers have profiles; staff trying the form are not scheduled
        return None
    submitted_at = submitted_at or _last_selfcheck_submitted_at(worker.pk)
    due = _reschedule(profile, submitted_at)
    if submitted_at is not None:
        selfcheck_reminders_mark_seen(user=worker, until=submitted_at)
    return due


@transaction.atomic
def round_schedule_save(*, schedule: RoundSchedule, actor: Any) -> RoundSchedule:
    """The operator's change to the schedule. It applies from each worker's next submission or
    reminder: re-dating a million workers at once is neither needed nor expected."""
    schedule.pk = RoundSchedule.SINGLETON_ID
    schedule.full_clean()
    schedule.save()
    detail = {"first_round_months": schedule.first_round_months, "interval_months": schedule.interval_months}
    audit_record(actor=actor, action="selfcheck_schedule.change", target=schedule, detail=detail)
    return schedule


@dataclass
class ReminderRun:
    """What one run did, in counts only (it is logged, and logs hold no personal data)."""

    due_workers: int = 0
    reminders: int = 0  # workers newly reminded (on the portal, and by e-mail if they chose it)
    delivery_batches: int = 0
    retried_batches: int = 0


def remind_due_workers(*, today: date | None = None, batch_size: int = REMINDER_BATCH_SIZE) -> ReminderRun:
    """Reminds every worker whose round is due, in batches by primary key, each batch in its own
    transaction; queues one delivery task per batch; then retries deliveries that went missing."""
    today = today or timezone.localdate()
    # Everyone reminded today is next offered a round one interval from today: see due_date_for
    # with last_reminded_on=today (their first round and last check + interval are past).
    next_due = add_months(today, RoundSchedule.current().interval_months)
    run, after_pk = ReminderRun(), 0
    while (last_pk := _remind_batch(run, today, next_due, after_pk, batch_size)) is not None:
        after_pk = last_pk
    for ids in undelivered_notification_batches(now=timezone.now(), batch_size=batch_size):
        deliver_notifications.enqueue(ids)
        run.retried_batches += 1
    logger.info(
        "self-check reminders: %d workers due, %d reminders, %d delivery batches, %d retried",
        run.due_workers, run.reminders, run.delivery_batches, run.retried_batches,
    )  # fmt: skip
    return run


@transaction.atomic
def _remind_batch(run: ReminderRun, today: date, next_due: date, after_pk: int, size: int) -> int | None:
    """One batch; returns the last primary key it looked at, or None when nobody is left."""
    rows = list(_due_profiles(today, after_pk, size))
    if not rows:
        return None
    reminders = [
        DueReminder(Recipient(user_id, chosen or Channel.PORTAL, bool(email_index)), due_on)
        for _pk, user_id, due_on, email_index, chosen in rows
    ]
    created = selfcheck_reminders_create(reminders=reminders, now=timezone.now())
    WorkerProfile.objects.filter(pk__in=[row[0] for row in rows]).update(selfcheck_due_on=next_due)
    if created.to_deliver:
        # After commit: a delivery never runs for reminders a failed batch did not create.
        transaction.on_commit(lambda: deliver_notifications.enqueue(created.to_deliver))
        run.delivery_batches += 1
    run.due_workers += len(rows)
    run.reminders += created.rounds
    return int(rows[-1][0])


def _due_profiles(today: date, after_pk: int, size: int) -> Any:
    """Due workers after ``after_pk``, locked; rows another run holds are skipped, not waited for,
    so two runs at once share the work instead of reminding anyone twice."""
    return (
        WorkerProfile.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(selfcheck_due_on__lte=today, pk__gt=after_pk, user__is_active=True)
        .order_by("pk")
        .values_list(
            "pk",
            "user_id",
            "selfcheck_due_on",
            "recovery_email_index",
            "user__notification_preference__reminder_channel",
        )[:size]
    )
