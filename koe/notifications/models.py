"""What Koe tells a person, through which channel, and whether it arrived and was seen.

A notification is one message on one channel: a self-check reminder for a worker who asked for
e-mail is two rows, the portal banner and the e-mail, each with its own delivery.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    SELFCHECK_DUE = "selfcheck_due", _("Self-check ready")


class Channel(models.TextChoices):
    PORTAL = "portal", _("In Koe")
    EMAIL = "email", _("E-mail")


class Notification(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    # Which self-check round a reminder is for, named by the date the round fell due: a worker
    # who skips rounds keeps the same submission count, so a number would not tell rounds apart.
    round_due_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField()
    delivered_at = models.DateTimeField(null=True, blank=True)
    seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            # A second run of the reminder task, or two at once, can never remind twice.
            models.UniqueConstraint(
                fields=["user", "kind", "round_due_on", "channel"], name="one_notification_per_round_channel"
            )
        ]
        indexes = [
            # E-mails still to send, found without scanning every reminder ever sent.
            models.Index(
                fields=["created_at"],
                condition=models.Q(channel="email", delivered_at__isnull=True),
                name="notification_undelivered_idx",
            )
        ]

    def __str__(self) -> str:
        return f"notification {self.pk} ({self.kind}, {self.channel})"


class NotificationPreference(models.Model):
    """How a person wants reminders beside the portal, which always shows them."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    reminder_channel = models.CharField(
        _("reminders"), max_length=10, choices=Channel.choices, default=Channel.PORTAL
    )

    def __str__(self) -> str:
        return f"notification preference of user {self.user_id}"
