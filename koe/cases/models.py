"""The consultation desk. Here so far: alerts raised by self-check red flags (full case
management builds on them).

An alert never holds what the worker wrote in plain text, and for a worker without an account it
holds no identity at all: only what the answers mean (severity, indicators, the red flags' codes)
and, if the worker chose to be contacted, the way they chose, encrypted.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from config.languages import LANGUAGES
from koe.core.fields import EncryptedTextField
from koe.surveys.indicators import Tag, tags_in


class AlertSeverity(models.TextChoices):
    URGENT = "urgent", _("Urgent")
    CRITICAL = "critical", _("Critical")


class AlertStatus(models.TextChoices):
    NEW = "new", _("New")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    CLOSED = "closed", _("Closed")


class ContactMethod(models.TextChoices):
    NONE = "none", _("Do not contact me")
    KOE = "koe", _("A message in my Koe account")
    PHONE = "phone", _("Phone call")
    EMAIL = "email", _("E-mail")
    MESSAGING = "messaging", _("LINE, WhatsApp or Messenger")


class Alert(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    response = models.OneToOneField("surveys.Response", on_delete=models.CASCADE, related_name="alert")
    severity = models.CharField(max_length=10, choices=AlertSeverity.choices)
    tags = models.BigIntegerField(default=0, help_text="Indicator bits, see koe/surveys/indicators.py.")
    red_flags = models.JSONField(default=list, help_text="Codes of the red flags raised.")
    language = models.CharField(max_length=10, choices=LANGUAGES)
    employer = models.ForeignKey(
        "organizations.Organization", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    brand_holders = models.ManyToManyField("organizations.Organization", blank=True, related_name="+")
    status = models.CharField(max_length=15, choices=AlertStatus.choices, default=AlertStatus.NEW)
    created_at = models.DateTimeField(auto_now_add=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    # What the worker chose on the result page; nothing unless they chose it.
    contact_method = models.CharField(
        max_length=10, choices=ContactMethod.choices, default=ContactMethod.NONE
    )
    contact_detail = EncryptedTextField(blank=True)
    worker_message = EncryptedTextField(blank=True)
    shared_items = models.JSONField(
        default=list, help_text="Item codes whose answers the worker agreed to show."
    )
    contact_requested_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "severity", "created_at"], name="alert_queue_idx")]

    def __str__(self) -> str:
        return f"alert {self.public_id}"

    @property
    def indicators(self) -> list[Tag]:
        """The ILO indicators and rights the red flags concern, in the tags' fixed order."""
        return tags_in(self.tags)

    @property
    def is_critical(self) -> bool:
        return self.severity == AlertSeverity.CRITICAL

    @property
    def contact_requested(self) -> bool:
        return self.contact_requested_at is not None
