"""An append-only, hash-chained record of what staff and company users did and saw.

Each entry's ``entry_hash`` covers its own content and the previous entry's hash, so changing,
removing or reordering any entry breaks the chain from there on (``manage.py verify_audit``).
Rows are never updated or deleted through Django, and on PostgreSQL a trigger refuses it too.
"""

import hashlib
import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64


class AppendOnlyError(Exception):
    pass


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    """Bulk writes would skip ``save()``/``delete()``, so they are refused here as well."""

    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("Audit entries cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Audit entries cannot be deleted.")

    def bulk_update(self, *args: Any, **kwargs: Any) -> int:
        raise AppendOnlyError("Audit entries cannot be changed.")


class AuditEntry(models.Model):
    sequence = models.PositiveBigIntegerField(unique=True, editable=False)
    at = models.DateTimeField(_("when"), editable=False, db_index=True)
    # Kept as plain values, not foreign keys: the record must outlive users and objects.
    actor_id = models.BigIntegerField(_("actor"), null=True, editable=False, db_index=True)
    actor_label = models.CharField(_("actor"), max_length=200, editable=False)
    actor_role = models.CharField(_("role"), max_length=20, editable=False)
    actor_organization_id = models.BigIntegerField(null=True, editable=False)
    action = models.CharField(_("action"), max_length=100, editable=False, db_index=True)
    object_type = models.CharField(_("object type"), max_length=100, blank=True, editable=False)
    object_id = models.CharField(_("object"), max_length=64, blank=True, editable=False)
    reason = models.CharField(_("reason"), max_length=300, blank=True, editable=False)
    detail = models.JSONField(default=dict, blank=True, editable=False, encoder=DjangoJSONEncoder)
    previous_hash = models.CharField(max_length=64, editable=False)
    entry_hash = models.CharField(max_length=64, unique=True, editable=False)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-sequence"]
        indexes = [models.Index(fields=["object_type", "object_id"])]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Audit entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Audit entries cannot be deleted.")

    def content_for_hash(self) -> dict[str, Any]:
        return {
            "sequence": self.sequence,
            "at": self.at.isoformat(),
            "actor_id": self.actor_id,
            "actor_label": self.actor_label,
            "actor_role": self.actor_role,
            "actor_organization_id": self.actor_organization_id,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "reason": self.reason,
            "detail": self.detail,
        }

    def compute_hash(self) -> str:
        canonical = json.dumps(
            self.content_for_hash(),
            sort_keys=True,
            ensure_ascii=False,
            separators=(",", ":"),
            cls=DjangoJSONEncoder,
        )
        return hashlib.sha256(f"{self.previous_hash}|{canonical}".encode()).hexdigest()
