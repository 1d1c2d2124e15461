"""Company dashboards: per organisation and closed quarter, a snapshot of suppressed figures.

Scope. A brand holder sees itself and its whole supply chain (``supply_chain_ids``). Any other
company sees itself only, even when suppliers are registered below it: a supply-chain company's
programme covers its own workplace, and a tier-1 supplier's chain is part of its brand holder's,
so giving it a second, overlapping cut of the same workers would only add ways to subtract. No
company ever sees another chain: the scope is read from the viewer's own organisation.

Privacy. Figures are published per CLOSED quarter only (``koe.reports.periods``): a live count
would tell a company when a worker answered. A snapshot (``DashboardSnapshot``) holds tables
already suppressed, computed once after the quarter closes (``publish_dashboards``, a task and
a management command) or on the first request for it, and never again: two versions of one
quarter could be subtracted. Every view of the page (the whole chain, one company, one
dimension) picks cells of these tables; nothing is suppressed again for a subset.

- Consultations: cases whose employer is in scope, created in the quarter, per company and by
  category (the case's first, primary category: a case counts once, so each dimension
  partitions the cases), severity, status and language: ``koe.reports.dashboard_tables``.
  Status is as of publication.
- Self-check: submitted responses of the quarter per company (``koe.surveys.aggregates``): the
  respondents and, per indicator and for red flags, how many show it; rates are shares of the
  respondents, shown only where both counts are.
- Trends: each quarter's own published figures side by side. Quarters are disjoint populations
  and no cumulative figure (year to date, four quarters together) is ever shown, so there is
  nothing a reader could subtract.
"""

from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, F, QuerySet
from django.db.models.fields.json import KT
from django.tasks import task
from django.utils import timezone, translation
from django.utils.translation import gettext

from config.languages import LANGUAGES
from koe.accounts.models import Role, User
from koe.cases.models import Case, CaseSeverity, CaseStatus, Category
from koe.organizations.models import Organization, OrganizationKind
from koe.organizations.selectors import companies_in_view
from koe.reports.dashboard_tables import suppress_population
from koe.reports.document import Period, ReportDocument
from koe.reports.models import DashboardSnapshot
from koe.reports.periods import (
    closed_quarters,
    is_closed,
    last_closed_quarter,
    parse_quarter,
    quarter_slug,
    today,
)
from koe.reports.periods import offered_quarters as offered_quarters  # re-exported for callers
from koe.reports.suppression import TOTAL, resolve_threshold, suppress_table
from koe.surveys.aggregates import MEASURES, Report, aggregate, submitted_responses, suppressed_report

DATA_VERSION = 1
TREND_QUARTERS = 4
DIMENSIONS: dict[str, Any] = {
    "category": KT("categories__0"),  # the primary category (module docstring)
    "severity": F("severity"),
    "status": F("status"),
    "language": F("language"),
}
VALUES: dict[str, list[str]] = {
    "category": list(Category.values),
    "severity": list(CaseSeverity.values),
    "status": list(CaseStatus.values),
    "language": [code for code, _name in LANGUAGES],
}
NOT_RECORDED = {"category": Category.OTHER}  # a case without a category counts as "other"


# Scope -----------------------------------------------------------------------------------------


def is_chain_view(organization: Organization) -> bool:
    return organization.kind == OrganizationKind.BRAND_HOLDER


# Quarters --------------------------------------------------------------------------------------


def trend_periods(period: Period) -> list[Period]:
    """The quarter and the ones before it, oldest first."""
    return closed_quarters(period.end + timedelta(days=1), TREND_QUARTERS)


def _bounds(period: Period) -> tuple[datetime, datetime]:
    zone = timezone.get_default_timezone()
    start = datetime.combine(period.start, time.min, tzinfo=zone)
    return start, datetime.combine(period.end + timedelta(days=1), time.min, tzinfo=zone)


# Counting and suppressing ----------------------------------------------------------------------


def compute_snapshot_data(organization: Organization, period: Period, threshold: int) -> dict[str, Any]:
    """Every figure the dashboard shows for this quarter, suppressed, as JSON."""
    ids = companies_in_view(organization)  # the scope (module docstring)
    companies = Organization.objects.filter(pk__in=ids).order_by("name", "pk").values_list("pk", "name")
    start, end = _bounds(period)
    cases = Case.objects.filter(employer_id__in=ids, created_at__gte=start, created_at__lt=end)
    responses = submitted_responses().filter(
        employer_id__in=ids, submitted_at__gte=start, submitted_at__lt=end
    )
    return {
        "version": DATA_VERSION,
        "chain": is_chain_view(organization),
        "companies": [[pk, name] for pk, name in companies],
        "cases": _cases(cases, threshold),
        "selfcheck": _selfcheck(suppressed_report(aggregate(responses, "employer"), threshold)),
        "registrations": _registrations(ids, start, end, threshold),
    }


def _cases(cases: QuerySet[Case], threshold: int) -> dict[str, Any]:
    breakdowns: dict[str, dict[tuple[str, str], int]] = {}
    values = {name: list(known) for name, known in VALUES.items()}
    for name, expression in DIMENSIONS.items():
        rows = cases.order_by().values("employer_id", value=expression).annotate(n=Count("*"))
        cells: dict[tuple[str, str], int] = {}
        for row in rows:
            value = row["value"] or NOT_RECORDED.get(name, "")
            if value not in values[name]:
                values[name].append(value)  # a value no longer offered still counts
            key = (str(row["employer_id"]), value)
            cells[key] = cells.get(key, 0) + row["n"]
        breakdowns[name] = cells
    sizes: dict[str, int] = {}
    for (company, _value), count in breakdowns["severity"].items():
        sizes[company] = sizes.get(company, 0) + count
    return suppress_population(sizes, breakdowns, values, threshold)


def _registrations(ids: set[int], start: datetime, end: datetime, threshold: int) -> dict[str, Any]:
    """Workers who joined through an invite link of each company in the quarter (the reach page),
    removed links included: a closed quarter's figure must not drop when someone leaves later."""
    from koe.reach.models import WorkerEmployerLink  # reach builds on reports' snapshots too

    joined = WorkerEmployerLink.objects.filter(
        employer_id__in=ids, invite__isnull=False, created_at__gte=start, created_at__lt=end
    )
    counts = dict(joined.order_by().values_list("employer_id").annotate(n=Count("*")))
    table = suppress_table({(str(pk),): counts.get(pk, 0) for pk in sorted(ids)}, threshold)
    return {
        "rows": {str(pk): table[(str(pk),)].value for pk in sorted(ids)},
        "total": table[(TOTAL,)].value,
    }


def _selfcheck(report: Report) -> dict[str, Any]:
    def line(group: Any) -> dict[str, Any] | None:
        if group is None:
            return None
        return {"n": group.respondents, "c": [group.figures[m].count for m in MEASURES]}

    return {
        "measures": list(MEASURES),
        "rows": {group.key: line(group) for group in report.groups},
        "others": line(report.others),
        "total": line(report.total),
    }


# Publishing ------------------------------------------------------------------------------------


def dashboard_snapshot_publish(*, organization: Organization, period: Period) -> DashboardSnapshot:
    """The quarter's snapshot, computed now if it was never published; never recomputed."""
    if not is_closed(period):
        raise ValueError("Only a closed quarter is published.")
    slug = quarter_slug(period)
    existing = DashboardSnapshot.objects.filter(organization=organization, quarter=slug).first()
    if existing is not None:
        return existing
    threshold = resolve_threshold(None)
    data = compute_snapshot_data(organization, period, threshold)  # codes: translated when shown
    snapshot, _created = DashboardSnapshot.objects.get_or_create(  # a parallel request may win
        organization=organization,
        quarter=slug,
        defaults={
            "period_start": period.start,
            "period_end": period.end,
            "threshold": threshold,
            "data": data,
            "computed_at": timezone.now(),
        },
    )
    return snapshot


def dashboard_snapshots(organization: Organization, periods: list[Period]) -> list[DashboardSnapshot]:
    """The snapshots of these closed quarters, in the same order; missing ones are published."""
    slugs = [quarter_slug(period) for period in periods]
    found = {
        s.quarter: s for s in DashboardSnapshot.objects.filter(organization=organization, quarter__in=slugs)
    }
    return [
        found.get(slug) or dashboard_snapshot_publish(organization=organization, period=period)
        for slug, period in zip(slugs, periods, strict=True)
    ]


def organizations_with_dashboards() -> QuerySet[Organization]:
    """Organisations with at least one active company user: the ones someone can read."""
    users = User.objects.filter(role=Role.COMPANY, is_active=True, organization__isnull=False)
    return Organization.objects.filter(pk__in=users.values("organization_id")).order_by("pk")


def publish_dashboards(*, quarter: str = "", day: date | None = None) -> int:
    """Publishes the last closed quarter (or ``quarter``) for every organisation that lacks it.
    Idempotent: run it daily; after a quarter closes it does the work once. Returns how many
    snapshots it wrote."""
    period = parse_quarter(quarter) if quarter else last_closed_quarter(day or today())
    if period is None or not is_closed(period, day):
        raise ValueError(gettext("Give a closed quarter, such as 2026-Q3."))
    slug = quarter_slug(period)
    done = set(DashboardSnapshot.objects.filter(quarter=slug).values_list("organization_id", flat=True))
    written = 0
    for organization in organizations_with_dashboards().exclude(pk__in=done):
        dashboard_snapshot_publish(organization=organization, period=period)
        written += 1
    return written


@task()
def publish_dashboards_task(quarter: str = "") -> int:
    """The scheduled form of ``publish_dashboards`` (cron runs the command with ``--enqueue``)."""
    return publish_dashboards(quarter=quarter)


# The report as data ----------------------------------------------------------------------------


def build_report_document(*, organization: Organization, period: Period, language: str) -> ReportDocument:
    """The dashboard's sections for one closed quarter, from its snapshot, in ``language``."""
    from koe.reports.dashboard_sections import report_document  # the sections import this module

    snapshots = dashboard_snapshots(organization, trend_periods(period))
    with translation.override(language):
        return report_document(organization, snapshots, trend_periods(period), language=language)
