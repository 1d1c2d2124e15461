"""Reads at the desk, scoped to the acting user. Only desk staff (consultants and supervisors)
see alerts; everyone else, experts and company users included, sees none (PRODUCT.md rules 1, 8)."""

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.shortcuts import get_object_or_404

from koe.accounts.models import DESK_ROLES
from koe.cases.models import Alert, AlertSeverity, AlertStatus

OPEN_STATUSES = (AlertStatus.NEW, AlertStatus.ACKNOWLEDGED)


def alerts_visible_to(user: Any) -> QuerySet[Alert]:
    alerts = Alert.objects.all()
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return alerts.none()
    if user.role in DESK_ROLES:
        return alerts
    return alerts.none()


def alert_for(user: Any, public_id: UUID | str) -> Alert:
    """The alert, if ``user`` may see it; a 404 otherwise, so its existence stays hidden."""
    alerts = alerts_visible_to(user).select_related("employer", "acknowledged_by", "response__version")
    return get_object_or_404(alerts, public_id=public_id)


@dataclass(frozen=True)
class QueueFilters:
    """Empty values mean "any"; an empty status means the open alerts (new and acknowledged)."""

    status: str = ""
    severity: str = ""
    language: str = ""


def desk_queue(user: Any, filters: QueueFilters | None = None) -> QuerySet[Alert]:
    """The alerts ``user`` may see, critical first, then oldest first (the longest wait on top)."""
    filters = filters or QueueFilters()
    alerts = alerts_visible_to(user).select_related("employer")
    alerts = (
        alerts.filter(status=filters.status) if filters.status else alerts.filter(status__in=OPEN_STATUSES)
    )
    if filters.severity:
        alerts = alerts.filter(severity=filters.severity)
    if filters.language:
        alerts = alerts.filter(language=filters.language)
    # Ranked explicitly rather than by the codes' alphabetical order, which only happens to fit.
    rank = Case(
        When(severity=AlertSeverity.CRITICAL, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return alerts.annotate(severity_rank=rank).order_by("severity_rank", "created_at", "pk")


def new_alert_count(user: Any) -> int:
    return alerts_visible_to(user).filter(status=AlertStatus.NEW).count()
