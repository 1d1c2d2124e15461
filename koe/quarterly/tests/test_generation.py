"""Asking for a report and generating it: progress, files, failure, and the closed-quarter rule."""

import io
import logging
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import load_workbook

from koe.audit.models import AuditEntry
from koe.core.testing.personas import Personas
from koe.quarterly import services
from koe.quarterly.models import QuarterlyReport, ReportStatus, ReportStep
from koe.quarterly.services import quarterly_report_generate, quarterly_report_request
from koe.quarterly.tests.conftest import FakeBuilder
from koe.reports.periods import quarter_of

Q3 = quarter_of(date(2026, 8, 1))
AFTER_Q3 = date(2026, 10, 5)


def request(personas: Personas, *, language: str = "ja", **extra: Any) -> tuple[QuarterlyReport, bool]:
    options = {"organization": personas.org_a, "period": Q3, "language": language, "actor": personas.admin_a}
    return quarterly_report_request(**{**options, "today": AFTER_Q3, **extra})


def test_a_requested_report_is_generated_with_its_three_files(
    personas: Personas, fake_builder: FakeBuilder, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        report, queued = request(personas)
    report.refresh_from_db()
    assert queued
    assert (report.status, report.progress, report.step) == (ReportStatus.DONE, 100, ReportStep.FINISHED)
    assert bytes(report.pdf).startswith(b"%PDF")
    assert bytes(report.csv).startswith("\ufeff".encode())
    with translation.override("ja"):  # the cover sheet is named in the report's language
        cover = gettext("Report")
    assert cover in load_workbook(io.BytesIO(bytes(report.xlsx))).sheetnames
    assert report.finished_at is not None
    assert fake_builder.calls == [{"organization": personas.org_a, "period": Q3, "language": "ja"}]


def test_progress_is_recorded_after_each_step(
    personas: Personas, fake_builder: FakeBuilder, monkeypatch: pytest.MonkeyPatch
) -> None:
    report, _ = request(personas)
    seen: list[tuple[str, int, str]] = []
    advance = services._advance

    def spy(report_id: int, progress: int, step: ReportStep) -> None:
        advance(report_id, progress, step)
        row = QuarterlyReport.objects.values_list("status", "progress", "step").get(pk=report_id)
        seen.append(row)

    monkeypatch.setattr(services, "_advance", spy)
    quarterly_report_generate(report_id=report.pk)
    assert [row[2] for row in seen] == ["figures", "pdf", "csv", "xlsx"]
    assert all(row[0] == "running" for row in seen)
    assert [row[1] for row in seen] == sorted(row[1] for row in seen)
    assert QuarterlyReport.objects.get(pk=report.pk).progress == 100


def test_a_failure_marks_the_report_failed_with_a_generic_message_and_logs_no_data(
    personas: Personas, broken_builder: Callable[[Exception], FakeBuilder], caplog: pytest.LogCaptureFixture
) -> None:
    broken_builder(ValueError("Sakura Foods has 3 cases from Worker Tanaka"))
    report, _ = request(personas)
    with caplog.at_level(logging.ERROR, logger="koe.quarterly"):
        assert quarterly_report_generate(report_id=report.pk) == "failed"
    report.refresh_from_db()
    assert (report.status, report.step) == (ReportStatus.FAILED, ReportStep.FAILED)
    with translation.override("en"):
        assert "try again later" in report.get_step_display()
    assert "ValueError" in caplog.text
    assert "Tanaka" not in caplog.text and "Sakura" not in caplog.text


def test_a_failed_regeneration_keeps_the_previous_files(
    personas: Personas, fake_builder: FakeBuilder, broken_builder: Callable[[Exception], FakeBuilder]
) -> None:
    report, _ = request(personas)
    quarterly_report_generate(report_id=report.pk)
    first_pdf = bytes(QuarterlyReport.objects.get(pk=report.pk).pdf)
    broken_builder(RuntimeError("boom"))
    request(personas)
    quarterly_report_generate(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED
    assert report.has_files and bytes(report.pdf) == first_pdf


def test_asking_again_regenerates_the_same_report_rather_than_adding_one(
    personas: Personas, fake_builder: FakeBuilder
) -> None:
    report, _ = request(personas)
    quarterly_report_generate(report_id=report.pk)
    again, queued = request(personas, actor=personas.user_a)
    assert queued and again.pk == report.pk
    assert (again.status, again.progress, again.requested_by) == (ReportStatus.QUEUED, 0, personas.user_a)
    assert QuarterlyReport.objects.count() == 1


def test_a_report_being_made_is_not_queued_twice(personas: Personas) -> None:
    report, _ = request(personas)
    again, queued = request(personas)
    assert not queued and again.pk == report.pk


def test_a_request_is_recorded_in_the_audit_log(personas: Personas) -> None:
    report, _ = request(personas)
    entry = AuditEntry.objects.get(action="quarterly_report.request")
    assert entry.object_id == str(report.pk)
    assert entry.detail == {"quarter": "2026-Q3", "language": "ja"}


@pytest.mark.parametrize("today", [date(2026, 9, 30), date(2026, 8, 1), date(2026, 1, 1)])
def test_the_current_or_a_future_quarter_is_refused(personas: Personas, today: date) -> None:
    with pytest.raises(ValidationError):
        request(personas, today=today)
    assert not QuarterlyReport.objects.exists()


def test_only_japanese_and_english_are_offered(personas: Personas) -> None:
    with pytest.raises(ValidationError):
        request(personas, language="my")
