"""Writes of quarterly reports: asking for one (on demand or on schedule) and generating it.

Generation is not one transaction: each step commits its progress so that the page a company
user keeps open (and another process) sees it move. The files and the "done" status are written
together in the last update.
"""

import logging
import traceback
from collections.abc import Callable
from datetime import date, timedelta
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from koe.audit.services import audit_record
from koe.organizations.models import Organization
from koe.quarterly.models import QuarterlyReport, ReportLanguage, ReportStatus, ReportStep, is_closed
from koe.quarterly.rendering import render_csv, render_pdf, render_xlsx
from koe.reports.document import Period, ReportDocument

logger = logging.getLogger(__name__)

# A queued or running report older than this is taken as lost (a worker died) and may be asked
# for again; a younger one is not queued twice.
STALE_AFTER = timedelta(hours=1)

Builder = Callable[..., ReportDocument]


def _builder() -> Builder:
    # One seam for the tests, which hand the pipeline a fake document builder.
    from koe.reports.dashboard import build_report_document

    return build_report_document


def _check_request(period: Period, language: str, today: date) -> None:
    if language not in ReportLanguage.values:
        raise ValidationError(_("Reports are made in Japanese or English."), code="language")
    if not is_closed(period, today):
        raise ValidationError(
            _("A report can only be made for a quarter that has ended."), code="open_quarter"
        )


def _is_busy(report: QuarterlyReport) -> bool:
    return report.in_progress and timezone.now() - report.requested_at < STALE_AFTER


@transaction.atomic
def quarterly_report_request(
    *, organization: Organization, period: Period, language: str, actor: Any, today: date | None = None
) -> tuple[QuarterlyReport, bool]:
    """Queues the report of ``organization`` for ``period`` in ``language``; returns it and
    whether a generation was queued. ``actor`` None is the schedule. A report already being made
    is left alone; a finished one is made again, its files replaced when the new ones are ready."""
    _check_request(period, language, today or timezone.localdate())
    report, created = QuarterlyReport.objects.select_for_update().get_or_create(
        organization=organization,
        period_start=period.start,
        language=language,
        defaults={"period_end": period.end, "requested_by": actor, "requested_at": timezone.now()},
    )
    if not created and _is_busy(report):
        return report, False
    if not created:
        report.status, report.progress, report.step = ReportStatus.QUEUED, 0, ReportStep.WAITING
        report.requested_by, report.requested_at = actor, timezone.now()
        report.save(update_fields=["status", "progress", "step", "requested_by", "requested_at"])
    if actor is not None:
        audit_record(actor=actor, action="quarterly_report.request", target=report, detail=_detail(report))
    transaction.on_commit(partial(_enqueue, report.pk))
    return report, True


def _detail(report: QuarterlyReport) -> dict[str, str]:
    return {"quarter": report.quarter_slug, "language": report.language}


def _enqueue(report_id: int) -> None:
    from koe.quarterly.tasks import generate_quarterly_report

    generate_quarterly_report.enqueue(report_id=report_id)


def _advance(report_id: int, progress: int, step: ReportStep) -> None:
    QuarterlyReport.objects.filter(pk=report_id).update(
        status=ReportStatus.RUNNING, progress=progress, step=step
    )


def quarterly_report_generate(*, report_id: int) -> str:
    """Builds the document and renders the three files, recording progress after each step.
    Returns the final status. A failure leaves the previous files (if any) in place."""
    report = (
        QuarterlyReport.objects.select_related("organization").defer("pdf", "csv", "xlsx").get(pk=report_id)
    )
    step = ReportStep.FIGURES
    try:
        _advance(report_id, 5, step)
        doc = _builder()(organization=report.organization, period=report.period, language=report.language)
        files = {}
        for step, field, render, progress in (
            (ReportStep.PDF, "pdf", render_pdf, 40),
            (ReportStep.CSV, "csv", render_csv, 85),
            (ReportStep.XLSX, "xlsx", render_xlsx, 90),
        ):
            _advance(report_id, progress, step)
            files[field] = render(doc)
    except Exception as error:  # any failure: the user sees a generic message, the log the place
        _fail(report, step, error)
        return ReportStatus.FAILED
    QuarterlyReport.objects.filter(pk=report_id).update(
        status=ReportStatus.DONE, progress=100, step=ReportStep.FINISHED, finished_at=timezone.now(), **files
    )
    return ReportStatus.DONE


def _fail(report: QuarterlyReport, step: ReportStep, error: Exception) -> None:
    # The exception's message may quote data (a company name, a figure): the log gets its type
    # and the code path only.
    logger.error(
        "quarterly report %s (organisation %s, %s %s) failed at step %s: %s\n%s",
        report.pk,
        report.organization_id,
        report.quarter_slug,
        report.language,
        step,
        type(error).__name__,
        "".join(traceback.format_tb(error.__traceback__)),
    )
    QuarterlyReport.objects.filter(pk=report.pk).update(status=ReportStatus.FAILED, step=ReportStep.FAILED)
