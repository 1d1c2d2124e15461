"""The quarterly schedule: subscribers and the companies they cover, in Japanese and English,
for the last closed quarter; running it twice makes nothing twice."""

import sys
from collections.abc import Callable
from datetime import date
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from koe.core.testing.personas import Personas
from koe.programmes.tests.factories import subscribe
from koe.quarterly import services
from koe.quarterly.models import QuarterlyReport, ReportStatus
from koe.quarterly.tests.conftest import FakeBuilder


@pytest.fixture(autouse=True)
def quick_files(monkeypatch: pytest.MonkeyPatch) -> None:
    """The renderers are tested on their own; here only which reports are made counts."""
    for name in ("render_pdf", "render_csv", "render_xlsx"):
        monkeypatch.setattr(services, name, lambda doc: b"file")


@pytest.fixture
def run(django_capture_on_commit_callbacks: Any) -> Callable[[], str]:
    """The command as cron runs it: outside a test transaction, its tasks run on commit."""

    def command() -> str:
        out = StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("generate_quarterly_reports", "--today=2026-10-05", stdout=out)
        return out.getvalue()

    return command


def reported() -> set[tuple[str, str, str]]:
    rows = QuarterlyReport.objects.select_related("organization")
    return {(report.organization.name, report.quarter_slug, report.language) for report in rows}


def test_it_reports_on_subscribers_and_the_companies_they_cover(
    personas: Personas, fake_builder: FakeBuilder, run: Callable[[], str]
) -> None:
    subscribe(personas.org_a, covered_companies=[personas.org_a1])
    assert "reports queued 4," in run()
    names = {"Sakura Foods", "Sakura Packing"}
    assert reported() == {(name, "2026-Q3", language) for name in names for language in ("ja", "en")}
    assert set(QuarterlyReport.objects.values_list("status", flat=True)) == {ReportStatus.DONE}
    assert all(report.requested_by is None for report in QuarterlyReport.objects.all())


def test_running_it_twice_makes_nothing_twice(
    personas: Personas, fake_builder: FakeBuilder, run: Callable[[], str]
) -> None:
    subscribe(personas.org_a, covered_companies=[personas.org_a1])
    run()
    calls = len(fake_builder.calls)
    assert "reports queued 0, already made or being made 4" in run()
    assert QuarterlyReport.objects.count() == 4
    assert len(fake_builder.calls) == calls


def test_a_failed_scheduled_report_is_tried_again_on_the_next_run(
    personas: Personas, fake_builder: FakeBuilder, run: Callable[[], str]
) -> None:
    subscribe(personas.org_a)
    run()
    QuarterlyReport.objects.filter(language="en").update(status=ReportStatus.FAILED)
    assert "reports queued 1," in run()
    assert QuarterlyReport.objects.get(language="en").status == ReportStatus.DONE


def test_a_contract_that_ended_with_the_quarter_still_gets_its_report(
    personas: Personas, fake_builder: FakeBuilder, run: Callable[[], str]
) -> None:
    subscribe(personas.org_b, period=(date(2025, 10, 1), date(2026, 9, 30)))
    run()
    assert {name for name, _, _ in reported()} == {"Hikari Apparel"}


def test_without_the_programmes_app_every_company_with_users_is_reported_on(
    personas: Personas, fake_builder: FakeBuilder, monkeypatch: pytest.MonkeyPatch, run: Callable[[], str]
) -> None:
    monkeypatch.setitem(sys.modules, "koe.programmes.selectors", None)  # import fails
    run()
    names = {name for name, _, _ in reported()}
    assert names == {"Sakura Foods", "Sakura Packing", "Minato Farm", "Hikari Apparel", "Hikari Sewing"}
