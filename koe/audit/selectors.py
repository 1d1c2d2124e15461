"""Reads of the audit log. Only operator admins may read it at all."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import timezone

from koe.accounts.models import Role
from koe.audit.models import AuditEntry


@dataclass(frozen=True)
class AuditFilters:
    """What an operator narrowed the log down to; empty values mean "any"."""

    actor: str = ""
    action: str = ""
    object_type: str = ""
    object_id: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None

    def as_detail(self) -> dict[str, Any]:
        """The filters in use, for the audit record of a view or export.

        A searched-for user name becomes that user's id: ``detail`` holds identifiers only.
        """
        used: dict[str, Any] = {
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "date_from": self.date_from.isoformat() if self.date_from else "",
            "date_to": self.date_to.isoformat() if self.date_to else "",
        }
        used = {key: value for key, value in used.items() if value}
        if self.actor:
            used["actor_id"] = _user_id_for(self.actor)
        return used


def _user_id_for(username: str) -> int | None:
    """None when no such user exists (any more): the log outlives its actors."""
    return get_user_model().objects.filter(username=username).values_list("pk", flat=True).first()


def _start_of(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of ``day`` in the installation's time zone (Japan by default)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _filter_conditions(filters: AuditFilters) -> dict[str, Any]:
    conditions: dict[str, Any] = {
        "actor_label": filters.actor,
        "action__startswith": filters.action,
        "object_type": filters.object_type,
        "object_id": filters.object_id,
    }
    conditions = {key: value for key, value in conditions.items() if value}
    if filters.date_from:
        conditions["at__gte"] = _start_of(filters.date_from)
    if filters.date_to:
        conditions["at__lt"] = _start_of(filters.date_to + datetime.timedelta(days=1))
    return conditions


def audit_entries_for(user: Any, filters: AuditFilters | None = None) -> QuerySet[AuditEntry]:
    """The entries ``user`` may read, narrowed by ``filters``, newest first."""
    if not getattr(user, "is_authenticated", False) or user.role != Role.OPERATOR:
        return AuditEntry.objects.none()
    entries = AuditEntry.objects.order_by("-sequence")
    if filters is not None:
        entries = entries.filter(**_filter_conditions(filters))
    return entries
