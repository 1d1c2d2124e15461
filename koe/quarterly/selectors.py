"""Reads of quarterly reports. A company user sees only their own organisation's reports: a
brand holder's report covers its chain, but a supplier's own report is the supplier's, and the
brand holder does not open it (nor the supplier the brand holder's)."""

from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from koe.accounts.models import Role
from koe.organizations.models import Organization, OrganizationKind
from koe.quarterly.models import FILE_FIELDS, QuarterlyReport

REPORTED_KINDS = (OrganizationKind.BRAND_HOLDER, OrganizationKind.SUPPLY_CHAIN)


def reports_visible_to(user: Any) -> QuerySet[QuarterlyReport]:
    """Without the files: a list page must not load megabytes it does not show."""
    if getattr(user, "role", None) != Role.COMPANY or user.organization_id is None:
        return QuarterlyReport.objects.none()
    return QuarterlyReport.objects.filter(organization_id=user.organization_id).defer(*FILE_FIELDS)


def report_for(user: Any, report_id: int, *, with_file: str | None = None) -> QuarterlyReport:
    """One of the user's reports (with one file loaded if asked), else 404."""
    reports = reports_visible_to(user)
    if with_file:
        # defer(None) clears the list's deferrals; then every file but the one asked for.
        reports = reports.defer(None).defer(*(field for field in FILE_FIELDS if field != with_file))
    return get_object_or_404(reports.select_related("organization"), pk=report_id)


def _with_company_users() -> QuerySet[Organization]:
    return Organization.objects.filter(kind__in=REPORTED_KINDS, users__role=Role.COMPANY).distinct()


def scheduled_organizations(day: date) -> QuerySet[Organization]:
    """The organisations the quarterly schedule reports on: every brand holder and supply-chain
    company with a subscription running on ``day`` (its own, or one that covers it). The schedule
    passes the quarter's last day, so a contract that ended with the quarter still gets its
    report. Without the programmes app, every such company that has company users."""
    try:
        from koe.programmes.selectors import subscribed_company_ids
    except ImportError:
        return _with_company_users()
    return Organization.objects.filter(pk__in=subscribed_company_ids(day), kind__in=REPORTED_KINDS)
