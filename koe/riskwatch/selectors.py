"""What risk alerts a company user may see: those addressed to their own organisation, about a
company still in their chain (a brand holder: its supply chain; a supply-chain company: itself),
and the unnamed ones addressed to it (about no company it could be shown)."""

from typing import Any
from uuid import UUID

from django.db.models import Q, QuerySet
from django.http import Http404

from koe.accounts.models import Role
from koe.organizations.selectors import organizations_visible_to
from koe.riskwatch.models import OrgRiskAlert


def risk_alerts_visible_to(user: Any) -> QuerySet[OrgRiskAlert]:
    alerts = OrgRiskAlert.objects.select_related("subject")
    if getattr(user, "role", None) != Role.COMPANY or getattr(user, "organization_id", None) is None:
        return alerts.none()
    in_chain = Q(subject__in=organizations_visible_to(user)) | Q(subject__isnull=True)
    return alerts.filter(in_chain, organization_id=user.organization_id)


def risk_alert_for(user: Any, public_id: UUID) -> OrgRiskAlert:
    """The alert if the user may see it; a 404 otherwise, as if it did not exist."""
    alert = risk_alerts_visible_to(user).filter(public_id=public_id).first()
    if alert is None:
        raise Http404
    return alert


def unacknowledged_count(user: Any) -> int:
    return risk_alerts_visible_to(user).filter(acknowledged_at=None).count()
