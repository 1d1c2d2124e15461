"""The company dashboard page: published snapshots shown as charts and tables.

Every filter (quarter, company) only chooses among published, already suppressed figures
(``koe.reports.dashboard``); a quarter not offered or a company outside the reader's scope is a
404. Aggregates hold no personal data, so viewing them is not audited.
"""

import hashlib
from typing import Any, cast

from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from koe.accounts.models import Role, User
from koe.accounts.permissions import require_roles
from koe.reports.charts import CHART_DRAWING_VERSION, chart_svg
from koe.reports.dashboard import dashboard_snapshots, offered_quarters, trend_periods
from koe.reports.dashboard_sections import CompanyNotInScope, report_document
from koe.reports.document import HIDDEN_MARK, SUPPRESSION_LEGEND, Chart, Period, Section, format_value
from koe.reports.periods import chosen_quarter, quarter_slug

CHART_CACHE_SECONDS = 30 * 24 * 3600  # a published chart never changes


@require_roles(Role.COMPANY)
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    organization = user.organization
    if organization is None:
        raise Http404
    quarters = offered_quarters()
    period = _chosen_quarter(request, quarters)
    company = _chosen_company(request)
    periods = trend_periods(period)
    snapshots = dashboard_snapshots(organization, periods)
    chain = bool(snapshots[-1].data["chain"])
    if company == organization.pk and not chain:
        company = None  # a company's own view is the whole of its scope
    try:
        document = report_document(organization, snapshots, periods, language=get_language(), company=company)
    except CompanyNotInScope:
        raise Http404 from None
    context = {
        "organization": organization,
        "document": document,
        "sections": [_displayed(section) for section in document.sections],
        "quarters": [(quarter_slug(q), q.label) for q in quarters],
        "quarter": quarter_slug(period),
        "chain": chain,
        "companies": snapshots[-1].data["companies"] if chain else [],
        "company": company,
        "legend": SUPPRESSION_LEGEND % {"mark": HIDDEN_MARK},
    }
    return render(request, "reports/dashboard.html", context)


def _chosen_quarter(request: HttpRequest, quarters: list[Period]) -> Period:
    text = request.GET.get("quarter")
    if not text:
        return quarters[0]
    period = chosen_quarter(text, quarters)
    if period is None:
        raise Http404  # the current quarter, a future one, one too old or no quarter at all
    return period


def _chosen_company(request: HttpRequest) -> int | None:
    text = request.GET.get("company") or ""
    if not text:
        return None
    if not (text.isascii() and text.isdigit()):  # isdigit alone accepts "²", which int() refuses
        raise Http404
    return int(text)


def _displayed(section: Section) -> dict[str, Any]:
    return {
        "section": section,
        "svg": cached_chart_svg(section.chart) if section.chart else "",
        "rows": [(row.label, [format_value(v, section.unit) for v in row.values]) for row in section.rows],
    }


def cached_chart_svg(chart: Chart) -> str:
    """Charts of published figures never change: drawn once per chart and language."""
    digest = hashlib.sha256(repr(chart).encode()).hexdigest()
    key = f"koe:dashboard-chart:v{CHART_DRAWING_VERSION}:{digest}"
    svg = cache.get(key)
    if svg is None:
        svg = chart_svg(chart)
        cache.set(key, svg, CHART_CACHE_SECONDS)
    return cast(str, svg)
