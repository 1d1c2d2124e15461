"""The company pages: the list, "generate now", the self-refreshing progress page, downloads."""

from datetime import date
from typing import Any
from urllib.parse import quote

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from koe.audit.models import AuditEntry
from koe.core.testing.personas import Personas, verified_client
from koe.quarterly.models import QuarterlyReport, ReportStatus
from koe.quarterly.testing import finished_report
from koe.quarterly.tests.conftest import FakeBuilder
from koe.reports.periods import last_closed_quarter, quarter_of, quarter_slug


def generate(personas: Personas, quarter: str, language: str = "en") -> Any:
    client = verified_client(personas.admin_a)
    return client.post(reverse("quarterly:generate"), {"quarter": quarter, "language": language})


def english(name: str, *args: Any) -> str:
    """The page's English address, for tests that read its English wording."""
    with translation.override("en"):
        return reverse(name, args=args)


def test_generate_now_makes_the_report_and_shows_it_done(
    personas: Personas, fake_builder: FakeBuilder, django_capture_on_commit_callbacks: Any
) -> None:
    slug = quarter_slug(last_closed_quarter(timezone.localdate()))
    with django_capture_on_commit_callbacks(execute=True):
        response = generate(personas, slug)
    report = QuarterlyReport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("quarterly:progress", args=[report.pk])
    page = verified_client(personas.admin_a).get(response["Location"])
    assert "Refresh" not in page
    assert reverse("quarterly:download_pdf", args=[report.pk]) in page.content.decode()
    assert (report.organization, report.language, report.status) == (personas.org_a, "en", ReportStatus.DONE)


def test_the_current_quarter_is_refused(personas: Personas) -> None:
    quarter = quarter_slug(quarter_of(timezone.localdate()))
    response = verified_client(personas.admin_a).post(
        english("quarterly:generate"), {"quarter": quarter, "language": "en"}
    )
    assert response.status_code == 400
    assert "quarter that has ended" in response.content.decode()
    assert not QuarterlyReport.objects.exists()


def test_the_progress_page_refreshes_itself_while_the_report_is_being_made(personas: Personas) -> None:
    report = finished_report(personas.org_a)
    QuarterlyReport.objects.filter(pk=report.pk).update(status=ReportStatus.RUNNING, progress=40, step="pdf")
    response = verified_client(personas.user_a).get(english("quarterly:progress", report.pk))
    html = response.content.decode()
    assert response["Refresh"] == "3"
    assert 'value="40"' in html and "40 % done" in html
    assert "Drawing the charts and the PDF" in html
    assert "<script" not in html.split("<main")[1]


def test_the_list_shows_the_reports_with_their_status(personas: Personas) -> None:
    finished_report(personas.org_a, language="en")
    html = verified_client(personas.user_a).get(english("quarterly:list")).content.decode()
    assert last_closed_quarter(timezone.localdate()).label in html
    assert "Ready" in html and "English" in html


def test_another_organisations_report_is_not_found(personas: Personas) -> None:
    report = finished_report(personas.org_a)
    for user in (personas.admin_b, personas.user_a1, personas.user_a2):
        client = verified_client(user)
        for name in ("progress", "download_pdf", "download_csv", "download_xlsx"):
            assert client.get(reverse(f"quarterly:{name}", args=[report.pk])).status_code == 404, (user, name)
    assert (
        "Sakura Foods"
        not in verified_client(personas.admin_b).get(reverse("quarterly:list")).content.decode()
    )


def test_a_supplier_does_not_see_its_brand_holders_reports_in_the_list(personas: Personas) -> None:
    finished_report(personas.org_a)
    html = verified_client(personas.user_a1).get(reverse("quarterly:list")).content.decode()
    assert reverse("quarterly:progress", args=[QuarterlyReport.objects.get().pk]) not in html


def test_downloads_have_their_type_and_a_file_name_and_are_audited(personas: Personas) -> None:
    report = finished_report(personas.org_a, language="en")
    client = verified_client(personas.admin_a)
    expected = {"pdf": "application/pdf", "csv": "text/csv; charset=utf-8", "xlsx": "spreadsheetml"}
    for fmt, content_type in expected.items():
        response = client.get(reverse(f"quarterly:download_{fmt}", args=[report.pk]))
        assert content_type in response["Content-Type"]
        name = f"koe-report-sakura-foods-{report.quarter_slug}-en.{fmt}"
        assert response["Content-Disposition"] == f'attachment; filename="{name}"'
        assert response.content == bytes(getattr(report, fmt))
    entries = AuditEntry.objects.filter(action="quarterly_report.download", object_id=str(report.pk))
    assert sorted(entry.detail["format"] for entry in entries) == ["csv", "pdf", "xlsx"]


def test_a_japanese_organisation_name_survives_the_download_header(personas: Personas) -> None:
    personas.org_a.name = "さくら食品 株式会社"
    personas.org_a.save()
    report = finished_report(personas.org_a)
    response = verified_client(personas.admin_a).get(reverse("quarterly:download_pdf", args=[report.pk]))
    name = f"koe-report-さくら食品-株式会社-{report.quarter_slug}-ja.pdf"
    assert response["Content-Disposition"] == f"attachment; filename*=utf-8''{quote(name)}"
    response.serialize_headers()  # the header goes out as ASCII


def test_a_report_without_files_yet_has_nothing_to_download(personas: Personas) -> None:
    report = finished_report(personas.org_a)
    QuarterlyReport.objects.filter(pk=report.pk).update(finished_at=None, status=ReportStatus.QUEUED)
    response = verified_client(personas.admin_a).get(reverse("quarterly:download_pdf", args=[report.pk]))
    assert response.status_code == 404


def test_the_list_costs_the_same_queries_for_one_report_or_many(personas: Personas) -> None:
    client = verified_client(personas.admin_a)
    finished_report(personas.org_a)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("quarterly:list"))
    for quarter in (quarter_of(date(2025, 2, 1)), quarter_of(date(2025, 5, 1)), quarter_of(date(2025, 8, 1))):
        finished_report(personas.org_a, language="en", period=quarter)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("quarterly:list"))
    assert response.content.decode().count("report.pdf") == 4
    assert len(many) == len(one)
    assert not any('"pdf"' in query["sql"] and "SELECT" in query["sql"] for query in many.captured_queries)
