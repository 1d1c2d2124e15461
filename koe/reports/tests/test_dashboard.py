"""The dashboard page, its report document and publishing: what a company user reads."""

import pytest
from django.core.cache import cache
from django.core.management import call_command

from koe.cases.models import CaseSeverity, Category
from koe.core.testing.personas import Personas, verified_client
from koe.reports.dashboard import (
    build_report_document,
    dashboard_snapshots,
    offered_quarters,
    publish_dashboards,
    trend_periods,
)
from koe.reports.dashboard_sections import sections
from koe.reports.dashboard_testing import add_cases, add_responses, moment_in
from koe.reports.demo import seed
from koe.reports.document import HIDDEN_MARK, ReportDocument
from koe.reports.models import DashboardSnapshot
from koe.surveys.models import QuestionnaireVersion
from koe.surveys.services import questionnaire_version_load
from koe.surveys.testing import small_document


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()


@pytest.fixture
def version(db: None) -> QuestionnaireVersion:
    return questionnaire_version_load(document=small_document(), publish=True)


def test_a_brand_holder_reads_consultations_and_red_flags_of_its_chain_with_charts(
    personas: Personas, version: QuestionnaireVersion
) -> None:
    latest = offered_quarters()[0]
    add_cases(personas.org_a, 12, moment_in(latest), categories=[Category.WAGES, Category.HOUSING])
    add_cases(personas.org_a1, 8, moment_in(latest), severity=CaseSeverity.URGENT)
    add_responses(version, personas.org_a1, 40, moment_in(latest), red_flags=10)
    response = verified_client(personas.admin_a).get("/en/company/insights/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f"Insights, {latest.label}" in html
    assert html.count('<svg role="img"') >= 6  # a chart per section with one
    assert "Consultations by category" in html and "Sakura Packing" in html and "Minato Farm" in html
    assert "25.0 %" in html  # 10 red flags of 40 respondents
    assert "table-wrap" in html and HIDDEN_MARK in html  # the legend explains the mark


def test_a_brand_holder_drills_down_to_one_company_of_its_chain(
    personas: Personas, version: QuestionnaireVersion
) -> None:
    latest = offered_quarters()[0]
    add_cases(personas.org_a, 30, moment_in(latest))
    add_cases(personas.org_a1, 9, moment_in(latest), categories=[Category.HARASSMENT])
    add_responses(version, personas.org_a1, 20, moment_in(latest), red_flags=5)
    client = verified_client(personas.admin_a)
    response = client.get(f"/en/company/insights/?company={personas.org_a1.pk}")
    assert response.status_code == 200
    document_sections = {section.key: section for section in response.context["document"].sections}
    category = {row.label: row.values[0] for row in document_sections["cases-by-category"].rows}
    assert category["Harassment or violence"] == 9 and category["All consultations"] == 9
    assert "companies" not in document_sections  # the per-company table is the chain's view only
    assert "Sakura Packing, in the supply chain of Sakura Foods" in response.content.decode()


def test_the_quarter_selector_offers_closed_quarters_and_reads_their_trend(personas: Personas) -> None:
    quarters = offered_quarters()
    add_cases(personas.org_a, 6, moment_in(quarters[1]))
    add_cases(personas.org_a, 7, moment_in(quarters[0]))
    client = verified_client(personas.admin_a)
    response = client.get(
        "/en/company/insights/", {"quarter": "2026-Q2" if quarters[1].label == "2026 Q2" else ""}
    )
    assert response.status_code == 200
    trend = next(s for s in response.context["document"].sections if s.key == "trend")
    assert trend.columns == [period.label for period in trend_periods(response.context["document"].period)]
    assert client.get("/en/company/insights/", {"quarter": "1999-Q1"}).status_code == 404
    assert client.get("/en/company/insights/", {"quarter": "nonsense"}).status_code == 404
    assert client.get("/en/company/insights/", {"company": "abc"}).status_code == 404


def test_the_report_document_has_the_page_sections_and_a_methodology(personas: Personas) -> None:
    latest = offered_quarters()[0]
    add_cases(personas.org_a1, 11, moment_in(latest))
    document = build_report_document(organization=personas.org_a, period=latest, language="ja")
    assert isinstance(document, ReportDocument)
    assert document.language == "ja" and document.period == latest and document.threshold == 5
    snapshots = dashboard_snapshots(personas.org_a, trend_periods(latest))
    assert [s.key for s in document.sections] == [s.key for s in sections(snapshots, trend_periods(latest))]
    assert all(
        section.chart is not None for section in document.sections if section.key.startswith("cases-by")
    )
    assert len(document.methodology) >= 5 and "5" in document.methodology[0]
    assert "3 companies" in document.scope_label or "3" in document.scope_label


def test_publishing_is_idempotent_and_the_command_publishes_the_last_closed_quarter(
    personas: Personas,
) -> None:
    call_command("publish_dashboards")
    published = DashboardSnapshot.objects.count()
    assert published == 5  # every organisation with a company user (a, a1, a2, b, b1)
    assert publish_dashboards() == 0
    call_command("publish_dashboards")
    assert DashboardSnapshot.objects.count() == published


def test_the_demo_seed_publishes_the_trend_quarters(personas: Personas) -> None:
    assert seed([personas.org_a]) == 1
    assert DashboardSnapshot.objects.filter(organization=personas.org_a).count() == 4


def test_the_page_only_reads_snapshots_once_they_are_published(
    personas: Personas, django_assert_max_num_queries: object
) -> None:
    latest = offered_quarters()[0]
    add_cases(personas.org_a1, 11, moment_in(latest))
    client = verified_client(personas.admin_a)
    client.get("/en/company/insights/")  # publishes the four trend quarters
    with django_assert_max_num_queries(8):  # type: ignore[operator]
        assert client.get("/en/company/insights/").status_code == 200
