"""Company pages for quarterly reports: the list with a "generate now" form, a progress page
that reloads itself (no JavaScript) while the report is being made, and the three downloads.

A company user sees only their own organisation's reports; any other report is a 404.
"""

from typing import cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from koe.accounts.models import Role, User
from koe.accounts.permissions import require_roles
from koe.audit.services import audit_record
from koe.quarterly.forms import GenerateForm
from koe.quarterly.models import QuarterlyReport
from koe.quarterly.selectors import report_for, reports_visible_to
from koe.quarterly.services import STALE_AFTER, quarterly_report_request
from koe.reports.periods import today

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
REFRESH_SECONDS = 3


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _list_page(request: HttpRequest, form: GenerateForm, status: int = 200) -> HttpResponse:
    reports = reports_visible_to(_user(request)).order_by("-period_start", "language")
    context = {"reports": reports, "form": form, "organization": _user(request).organization}
    return render(request, "quarterly/list.html", context, status=status)


@require_roles(Role.COMPANY)
@require_GET
def report_list(request: HttpRequest) -> HttpResponse:
    return _list_page(request, GenerateForm(today=today()))


@require_roles(Role.COMPANY)
@require_POST
def generate(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    organization = user.organization
    if organization is None:  # a company user always has one (a database constraint)
        raise Http404
    form = GenerateForm(request.POST, today=today())
    if not form.is_valid():
        return _list_page(request, form, status=400)
    try:
        report, queued = quarterly_report_request(
            organization=organization,
            period=form.cleaned_data["quarter"],
            language=form.cleaned_data["language"],
            actor=user,
        )
    except ValidationError as error:
        form.add_error(None, error)
        return _list_page(request, form, status=400)
    if not queued:
        messages.info(request, _("This report is already being made."))
    return redirect("quarterly:progress", report.pk)


@require_roles(Role.COMPANY)
@require_GET
def progress(request: HttpRequest, pk: int) -> HttpResponse:
    report = report_for(_user(request), pk)
    # A run whose task was lost would keep the page reloading for ever; after STALE_AFTER a new
    # request queues it again (quarterly_report_request), so the page offers that instead.
    stale = report.in_progress and timezone.now() - report.requested_at >= STALE_AFTER
    context = {"report": report, "refresh": REFRESH_SECONDS, "stale": stale}
    response = render(request, "quarterly/progress.html", context)
    if report.in_progress and not stale:
        # The HTTP form of <meta http-equiv="refresh">: the page reloads itself without JavaScript.
        response["Refresh"] = str(REFRESH_SECONDS)
    return response


def download_name(report: QuarterlyReport, extension: str) -> str:
    """koe-report-<organisation>-2026-Q3-ja.pdf; a Japanese name stays Japanese (the header
    then carries it as RFC 5987 ``filename*``), an unusable one becomes the organisation's id."""
    name = slugify(report.organization.name, allow_unicode=True) or str(report.organization_id)
    return f"koe-report-{name}-{report.quarter_slug}-{report.language}.{extension}"


@require_roles(Role.COMPANY)
@require_GET
def download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    user = _user(request)
    report = report_for(user, pk, with_file=fmt)
    if not report.has_files:
        raise Http404
    audit_record(
        actor=user,
        action="quarterly_report.download",
        target=report,
        detail={"format": fmt, "quarter": report.quarter_slug, "language": report.language},
    )
    response = HttpResponse(bytes(getattr(report, fmt)), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = content_disposition_header(True, download_name(report, fmt))
    return response
