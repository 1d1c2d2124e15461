"""Reads of notifications, scoped to the person they are for."""

from typing import Any

from koe.notifications.models import Channel, Kind, Notification, NotificationPreference


def pending_selfcheck_reminder(user: Any) -> Notification | None:
    """The newest self-check reminder the worker has not acted on, for the portal banner."""
    if not user.is_authenticated:
        return None
    return (
        Notification.objects.filter(
            user=user, kind=Kind.SELFCHECK_DUE, channel=Channel.PORTAL, seen_at__isnull=True
        )
        .order_by("-created_at")
        .first()
    )


def reminder_channel_of(user: Any) -> str:
    preference = NotificationPreference.objects.filter(user=user).first()
    return preference.reminder_channel if preference else Channel.PORTAL
