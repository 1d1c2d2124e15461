"""Every write to notifications: creating reminders, delivering them, marking them seen, and
the person's choice of channel."""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from koe.notifications.channels import Recipient, channel, channels_reaching
from koe.notifications.models import Channel, Kind, Notification, NotificationPreference

DELIVERY_CHUNK = 100  # notifications locked and sent together (one mail-server connection)
RETRY_AFTER = timedelta(hours=1)  # a delivery task has surely run by then, or failed
GIVE_UP_AFTER = timedelta(days=3)  # an older reminder is stale: the next round will come


@dataclass(frozen=True)
class DueReminder:
    recipient: Recipient
    round_due_on: date


@dataclass(frozen=True)
class CreatedReminders:
    rounds: int  # rounds newly reminded (one per worker at most)
    to_deliver: list[int]  # notification ids a delivery task must still send


def notification_preference_set(*, user: Any, reminder_channel: str) -> NotificationPreference:
    if reminder_channel not in Channel.values:
        raise ValueError(f"unknown channel {reminder_channel!r}")
    preference, _created = NotificationPreference.objects.update_or_create(
        user=user, defaults={"reminder_channel": reminder_channel}
    )
    return preference


def selfcheck_reminders_create(*, reminders: Sequence[DueReminder], now: datetime) -> CreatedReminders:
    """Creates, on every channel that reaches each worker, the reminders of rounds not reminded
    yet; what still needs delivering is everything but the portal's."""
    fresh = _not_reminded_yet(reminders)
    rows = [
        Notification(
            user_id=reminder.recipient.user_id,
            kind=Kind.SELFCHECK_DUE,
            channel=each.code,
            round_due_on=reminder.round_due_on,
            created_at=now,
            delivered_at=now if each.delivered_on_creation else None,
        )
        for reminder in fresh
        for each in channels_reaching(reminder.recipient)
    ]
    created = Notification.objects.bulk_create(rows, batch_size=2000)
    return CreatedReminders(len(fresh), [row.pk for row in created if row.delivered_at is None])


def _not_reminded_yet(reminders: Sequence[DueReminder]) -> list[DueReminder]:
    """The portal reminder exists for every reminded round, so it alone tells which were."""
    done = set(
        Notification.objects.filter(
            kind=Kind.SELFCHECK_DUE,
            channel=Channel.PORTAL,
            user_id__in=[reminder.recipient.user_id for reminder in reminders],
            round_due_on__in={reminder.round_due_on for reminder in reminders},
        ).values_list("user_id", "round_due_on")
    )
    return [r for r in reminders if (r.recipient.user_id, r.round_due_on) not in done]


def selfcheck_reminders_mark_seen(*, user: Any, until: datetime | None = None) -> int:
    """The worker opened (or submitted) the self-check: its reminders leave the portal.
    ``until`` keeps a reminder created after that moment (a newer round) in view."""
    unseen = Notification.objects.filter(user=user, kind=Kind.SELFCHECK_DUE, seen_at__isnull=True)
    if until is not None:
        unseen = unseen.filter(created_at__lte=until)
    return unseen.update(seen_at=timezone.now())


def notifications_deliver(*, notification_ids: Sequence[int]) -> int:
    """Delivers what is still undelivered among these notifications; returns how many went out.

    Safe to run twice or concurrently: each chunk is locked, and rows another run holds or has
    delivered are skipped, so nobody gets the same e-mail twice.
    """
    ids = list(notification_ids)
    return sum(
        _deliver_chunk(ids[start : start + DELIVERY_CHUNK]) for start in range(0, len(ids), DELIVERY_CHUNK)
    )


@transaction.atomic
def _deliver_chunk(ids: list[int]) -> int:
    pending = list(
        Notification.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(pk__in=ids, delivered_at__isnull=True)
        .select_related("user", "user__worker_profile", "user__notification_preference")
        .order_by("pk")
    )
    delivered = 0
    for code in {n.channel for n in pending}:
        delivered += channel(code).deliver([n for n in pending if n.channel == code])
    return delivered


def undelivered_notification_batches(*, now: datetime, batch_size: int) -> Iterator[list[int]]:
    """Ids of deliveries that should have happened by now (their task failed or was lost), for
    another try, oldest first; those too old to be useful are left alone."""
    after = 0
    while True:
        batch = list(
            Notification.objects.filter(
                channel=Channel.EMAIL,
                delivered_at__isnull=True,
                created_at__lt=now - RETRY_AFTER,
                created_at__gte=now - GIVE_UP_AFTER,
                pk__gt=after,
            )
            .order_by("pk")
            .values_list("pk", flat=True)[:batch_size]
        )
        if not batch:
            return
        yield batch
        after = batch[-1]
