"""Quarters and companies typed into URLs and forms: only offered closed quarters and known
companies are ever read; anything else is a 404 (dashboard), the latest quarter (reach figures)
or a form error (quarterly reports), never a server error."""

import re
from datetime import date

import pytest
from django.core.cache import cache
from django.urls import reverse

from koe.core.testing.personas import Personas, verified_client
from koe.organizations.models import Organization, OrganizationKind, SupplyChainLink
from koe.quarterly.forms import GenerateForm
from koe.quarterly.models import QuarterlyReport
from koe.reports.dashboard import dashboard_snapshots, trend_periods
from koe.reports.dashboard_testing import add_cases, moment_in
from koe.reports.periods import (
    chosen_quarter,
    is_closed,
    offered_quarters,
    parse_quarter,
    quarter_of,
    quarter_slug,
    today,
)

ODD_QUARTERS = [  # superscript and fullwidth digits pass str.isdigit too
    "0000-Q1",
    "99999-Q4",
    "²⁰²⁶-Q1",
    "\uff12\uff10\uff12\uff16-Q1",
    "2026-Q5",
    "2026-Q",
    "",
    "-Q1",
    "9999-Q4",
]


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()


@pytest.mark.parametrize("text", ODD_QUARTERS)
def test_a_quarter_that_is_no_sane_quarter_parses_as_none(text: str) -> None:
    assert parse_quarter(text) is None


def test_a_quarter_written_as_in_urls_parses() -> None:
    assert parse_quarter("2026-q3") == quarter_of(date(2026, 8, 1))
    assert parse_quarter("9998-Q4") == quarter_of(date(9998, 12, 31))


def test_offered_quarters_are_the_eight_closed_ones_latest_first() -> None:
    day = date(2026, 11, 30)
    offered = offered_quarters(day)
    assert [quarter_slug(q) for q in offered[:2]] == ["2026-Q3", "2026-Q2"]
    assert len(offered) == 8 and quarter_slug(offered[-1]) == "2024-Q4"
    assert all(is_closed(q, day) for q in offered) and not is_closed(quarter_of(day), day)


def test_only_an_offered_quarter_is_chosen() -> None:
    offered = offered_quarters(date(2026, 11, 30))
    assert chosen_quarter("2026-Q3", offered) == offered[0]
    for text in ["2026-Q4", "2024-Q3", "1999-Q1", "0001-Q1", *ODD_QUARTERS]:
        assert chosen_quarter(text, offered) is None


@pytest.mark.parametrize("text", ["0000-Q1", "99999-Q4", "²⁰²⁶-Q1", "1999-Q1", "2026-Q7"])
def test_reach_figures_show_the_latest_quarter_for_any_other(personas: Personas, text: str) -> None:
    response = verified_client(personas.admin_a).get("/en/company/reach/figures/", {"quarter": text})
    assert response.status_code == 200
    assert response.context["chosen"] == quarter_slug(offered_quarters()[0])


@pytest.mark.parametrize("text", ["0000-Q1", "99999-Q4", "²⁰²⁶-Q1", "1999-Q1", "0001-Q1"])
def test_the_dashboard_answers_404_for_a_quarter_not_offered(personas: Personas, text: str) -> None:
    response = verified_client(personas.admin_a).get("/en/company/insights/", {"quarter": text})
    assert response.status_code == 404


@pytest.mark.parametrize("text", ["²", "\u0661", "-1", "1.0", "99999999999999999999"])
def test_the_dashboard_answers_404_for_a_company_that_is_no_company(personas: Personas, text: str) -> None:
    response = verified_client(personas.admin_a).get("/en/company/insights/", {"company": text})
    assert response.status_code == 404


@pytest.mark.parametrize("text", ["0000-Q1", "99999-Q4", "²⁰²⁶-Q1", "0001-Q1", "1999-Q1"])
def test_generate_now_refuses_a_quarter_it_does_not_offer(personas: Personas, text: str) -> None:
    client = verified_client(personas.admin_a)
    response = client.post(reverse("quarterly:generate"), {"quarter": text, "language": "en"})
    assert response.status_code == 400
    assert "Choose a quarter from the list." in response.content.decode()
    assert not QuarterlyReport.objects.exists()


def test_the_generate_form_offers_the_same_quarters_as_the_dashboard() -> None:
    form = GenerateForm(today=today())
    choices = re.findall(r'value="(\d{4}-Q\d)"', str(form["quarter"]))
    assert choices == [quarter_slug(q) for q in offered_quarters()]
    oldest = choices[-1]
    assert GenerateForm({"quarter": oldest, "language": "ja"}, today=today()).is_valid()


def test_a_supplier_added_after_older_quarters_were_published_can_be_chosen(personas: Personas) -> None:
    latest = offered_quarters()[0]
    periods = trend_periods(latest)
    dashboard_snapshots(personas.org_a, periods[:-1])  # the older quarters, published before it joined
    newcomer = Organization.objects.create(
        name="Hikari Bento", kind=OrganizationKind.SUPPLY_CHAIN, prefecture="13", industry="E"
    )
    SupplyChainLink.objects.create(buyer=personas.org_a, supplier=newcomer, tier=1)
    add_cases(newcomer, 7, moment_in(latest))
    response = verified_client(personas.admin_a).get("/en/company/insights/", {"company": newcomer.pk})
    assert response.status_code == 200
    trend = {section.key: section for section in response.context["document"].sections}["trend"]
    consultations = {row.label: row.values for row in trend.rows}["Consultations"]
    assert consultations == [None, None, None, 7]  # not in the chain then: nothing, not zero
    assert "Hikari Bento, in the supply chain of Sakura Foods" in response.content.decode()


def test_a_company_outside_the_chain_is_still_a_404(personas: Personas) -> None:
    response = verified_client(personas.admin_a).get("/en/company/insights/", {"company": personas.org_b1.pk})
    assert response.status_code == 404
