"""Invite links that bring workers to Koe, and the link a worker keeps with their employer.

No trace (PRODUCT.md, rule 3): nothing here records who opened a link, when, or from where. What a
company learns is derived later, per closed quarter and suppressed (``koe.reach.selectors``).
"""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

# 24 random bytes are 192 bits, written as 32 URL-safe characters: far beyond guessing.
TOKEN_BYTES = 24


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


class InviteLink(models.Model):
    """One employer's invitation, printed on its posters as a QR code. Revoked, it leads nowhere.

    ``brand_holder`` is whose campaign the link belongs to: the brand holder whose page made it,
    or, for a link a supply-chain company made itself, its one brand holder (none when it supplies
    several, since then no single one may claim its workers).
    """

    employer = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="invite_links"
    )
    brand_holder = models.ForeignKey(
        "organizations.Organization", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["employer__name", "created_at"]
        constraints = [
            # "Get the link" returns the one live link per employer and campaign (the service
            # also covers a link without brand holder, which NULL lets past this constraint).
            models.UniqueConstraint(
                fields=["employer", "brand_holder"],
                condition=Q(revoked_at__isnull=True),
                name="one_live_invite_per_employer_and_brand_holder",
            ),
        ]

    def __str__(self) -> str:
        return f"invite link {self.pk}"

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None


class WorkerEmployerLink(models.Model):
    """A worker's own statement "this is my employer", made through an invite link.

    Removing it keeps the row, with ``removed_at`` and without the worker: the employer no longer
    has anything to do with that person, yet a closed quarter's count of registrations never
    moves afterwards (a figure that dropped would tell the company someone left).
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="employer_links"
    )
    employer = models.ForeignKey("organizations.Organization", on_delete=models.CASCADE, related_name="+")
    brand_holder = models.ForeignKey(
        "organizations.Organization", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    invite = models.ForeignKey(
        InviteLink, on_delete=models.SET_NULL, null=True, blank=True, related_name="worker_links"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["employer", "created_at"], name="reach_link_employer_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["worker"], condition=Q(removed_at__isnull=True), name="one_current_employer_link"
            ),
        ]

    def __str__(self) -> str:
        return f"worker employer link {self.pk}"
