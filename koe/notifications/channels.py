"""The channels a notification goes out through.

The portal always: a banner the person sees when signed in. Beside it, the one channel the
person chose, where it can reach them: e-mail to the recovery address today; messaging apps and
web push are further channels of the same shape. Every message is worded so that it reveals
nothing when it pops up on a lock screen someone else is looking at.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from koe.core.links import site_link
from koe.notifications.models import Channel, Notification


@dataclass(frozen=True)
class Recipient:
    """What decides the channels for one person, read in bulk by the reminder task."""

    user_id: int
    chosen_channel: str
    has_email: bool


class NotificationChannel(Protocol):
    code: str
    # True when creating the notification is delivering it (the portal shows what exists).
    delivered_on_creation: bool

    def reaches(self, recipient: Recipient) -> bool: ...

    def deliver(self, notifications: Sequence[Notification]) -> int:
        """Sends what it can, marks those delivered, and returns how many."""
        ...


class PortalChannel:
    code: str = Channel.PORTAL
    delivered_on_creation: bool = True

    def reaches(self, recipient: Recipient) -> bool:
        return True

    def deliver(self, notifications: Sequence[Notification]) -> int:
        return len(notifications)


class EmailChannel:
    """E-mail to the worker's recovery address, only when they asked for reminders by e-mail."""

    code: str = Channel.EMAIL
    delivered_on_creation: bool = False

    def reaches(self, recipient: Recipient) -> bool:
        return recipient.chosen_channel == Channel.EMAIL and recipient.has_email

    def deliver(self, notifications: Sequence[Notification]) -> int:
        sendable = [(n, address) for n in notifications if (address := _email_address(n))]
        if sendable:
            with mailers.default as connection:
                connection.send_messages([reminder_email(n, address) for n, address in sendable])
        _mark_delivered([n for n, _address in sendable])
        # The worker removed the address or chose the portal only since: nothing left to send.
        sent = {n.pk for n, _address in sendable}
        Notification.objects.filter(pk__in=[n.pk for n in notifications if n.pk not in sent]).delete()
        return len(sendable)


def _email_address(notification: Notification) -> str:
    """The address, if the worker still has one and still wants e-mail (they may have changed it)."""
    profile = getattr(notification.user, "worker_profile", None)
    preference = getattr(notification.user, "notification_preference", None)
    if profile is None or preference is None or preference.reminder_channel != Channel.EMAIL:
        return ""
    return str(profile.recovery_email or "").strip()


def _mark_delivered(notifications: Sequence[Notification]) -> None:
    Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(delivered_at=timezone.now())


def reminder_email(notification: Notification, address: str) -> EmailMessage:
    """The reminder in the worker's language. Subject and first line say only that a Koe check
    is waiting: a lock screen or a shared inbox must not tell anyone what Koe is about."""
    with translation.override(notification.user.language):
        subject = gettext("It is time for your Koe check")
        body = render_to_string("notifications/email/selfcheck_due.txt", {"url": _start_url()})
    return EmailMessage(subject=subject, body=body, to=[address])


def _start_url() -> str:
    """Absolute link to the self-check in the active language, when the site's address is known."""
    return site_link(reverse("surveys:start")) if settings.KOE_SITE_URL else ""


CHANNELS: tuple[NotificationChannel, ...] = (PortalChannel(), EmailChannel())


def channel(code: str) -> NotificationChannel:
    return next(each for each in CHANNELS if each.code == code)


def channels_reaching(recipient: Recipient) -> list[NotificationChannel]:
    return [each for each in CHANNELS if each.reaches(recipient)]
