"""INTEGRATION: the whole pipeline with the REAL dashboard builder
(``koe.reports.dashboard.build_report_document``), no stand-in: cases in Sakura Foods' chain in
the last closed quarter become a PDF, a CSV and an XLSX in which a small count is hidden."""

import csv
import io
from typing import Any

import pypdfium2 as pdfium
from django.utils import timezone
from openpyxl import load_workbook

from koe.cases.models import Category
from koe.core.testing.personas import Personas
from koe.quarterly.models import QuarterlyReport, ReportStatus
from koe.quarterly.services import quarterly_report_request
from koe.reports.dashboard_testing import add_cases, moment_in
from koe.reports.document import HIDDEN_MARK
from koe.reports.periods import last_closed_quarter


def test_the_real_builder_feeds_the_three_files(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    period = last_closed_quarter(timezone.localdate())
    add_cases(personas.org_a1, 12, moment_in(period), categories=[Category.WAGES])
    add_cases(personas.org_a2, 2, moment_in(period), categories=[Category.HARASSMENT])  # fewer than 5
    with django_capture_on_commit_callbacks(execute=True):
        report, _ = quarterly_report_request(
            organization=personas.org_a, period=period, language="ja", actor=personas.admin_a
        )
    report = QuarterlyReport.objects.get(pk=report.pk)
    assert (report.status, report.progress) == (ReportStatus.DONE, 100)
    pdf = pdfium.PdfDocument(bytes(report.pdf))
    text = "\n".join(pdf[index].get_textpage().get_text_range() for index in range(len(pdf)))
    assert len(pdf) >= 2 and "Sakura Foods" in text and HIDDEN_MARK in text
    rows = list(csv.reader(io.StringIO(bytes(report.csv).decode("utf-8-sig"))))
    assert any(row[3] == HIDDEN_MARK for row in rows[1:])
    assert len(load_workbook(io.BytesIO(bytes(report.xlsx))).sheetnames) >= 2
