"""The one way to write to the audit log."""

import threading
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from koe.audit.models import GENESIS_HASH, AuditEntry

# Appends must be serialised so that two entries never claim the same predecessor. PostgreSQL
# does this across processes with a transaction-level advisory lock; SQLite (demo, one process)
# with a lock between threads, because its deferred transactions do not block readers.
AUDIT_ADVISORY_LOCK_ID = 0x6B6F6561  # "koea"
_sqlite_lock = threading.Lock()


def _lock_chain() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [AUDIT_ADVISORY_LOCK_ID])


def _describe_actor(actor: Any) -> dict[str, Any]:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return {
            "actor_id": None,
            "actor_label": "system",
            "actor_role": "system",
            "actor_organization_id": None,
        }
    return {
        "actor_id": actor.pk,
        "actor_label": actor.get_username(),
        "actor_role": actor.role,
        "actor_organization_id": actor.organization_id,
    }


def _append(fields: dict[str, Any]) -> AuditEntry:
    with transaction.atomic():
        _lock_chain()
        last = AuditEntry.objects.order_by("-sequence").values("sequence", "entry_hash").first()
        entry = AuditEntry(
            sequence=(last["sequence"] + 1) if last else 1,
            previous_hash=last["entry_hash"] if last else GENESIS_HASH,
            at=timezone.now(),
            **fields,
        )
        entry.entry_hash = entry.compute_hash()
        entry.save()
    return entry


def audit_record(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    reason: str = "",
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """Records that ``actor`` did ``action`` (e.g. ``"organization.view"``) to ``target``.

    ``detail`` must hold identifiers and facts about the action, never personal data itself.
    """
    fields = {
        **_describe_actor(actor),
        "action": action,
        "object_type": target._meta.label if target is not None else "",
        "object_id": str(target.pk) if target is not None else "",
        "reason": reason[:300],
        "detail": detail or {},
    }
    if connection.vendor == "sqlite":
        with _sqlite_lock:
            return _append(fields)
    return _append(fields)
