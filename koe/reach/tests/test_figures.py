"""Reach per employer: registrations and self-checks per closed quarter, small numbers hidden."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from koe.accounts.models import Role, User
from koe.core.testing.personas import Personas, verified_client
from koe.organizations.models import Organization, SupplyChainLink
from koe.reach.models import WorkerEmployerLink
from koe.reach.services import worker_employer_link_create
from koe.reach.testing import invite_of_a1
from koe.reports.dashboard import build_report_document
from koe.reports.document import Unit, format_value
from koe.reports.periods import last_closed_quarter, quarter_slug
from koe.reports.suppression import HIDDEN_MARK
from koe.surveys.models import Response, ResponseStatus
from koe.surveys.services import questionnaire_version_load
from koe.surveys.testing import small_document

pytestmark = pytest.mark.django_db


def in_last_quarter() -> datetime:
    start = last_closed_quarter(timezone.localdate()).start
    return timezone.make_aware(datetime.combine(start + timedelta(days=10), time(12)))


def registrations(personas: Personas, count: int) -> None:
    invite = invite_of_a1(personas)
    for number in range(count):
        worker = User.objects.create_user(username=f"joined{number}", password="x", role=Role.WORKER)
        worker_employer_link_create(actor=worker, invite=invite)
    WorkerEmployerLink.objects.update(created_at=in_last_quarter())


def self_checks(employer: Organization, count: int) -> None:
    version = questionnaire_version_load(document=small_document(slug="worker-selfcheck"), publish=True)
    Response.objects.bulk_create(
        Response(version=version, language="en", employer=employer, status=ResponseStatus.SUBMITTED,
                 submitted_at=in_last_quarter())
        for _ in range(count)
    )  # fmt: skip


def rows(html: str) -> dict[str, list[str]]:
    import re

    found = {}
    for name, cells in re.findall(r'<tr><th scope="row">([^<]+)</th>(.*?)</tr>', html):
        found[name] = re.findall(r"<td>([^<]*)</td>", cells)
    return found


def figures(personas: Personas, user: str = "admin_a") -> str:
    quarter = quarter_slug(last_closed_quarter(timezone.localdate()))
    return (
        verified_client(getattr(personas, user))
        .get(f"/en/company/reach/figures/?quarter={quarter}")
        .content.decode()
    )


def test_small_numbers_are_hidden_with_the_legend(personas: Personas) -> None:
    registrations(personas, 2)  # below the threshold
    self_checks(personas.org_a1, 7)
    self_checks(personas.org_a2, 9)
    html = figures(personas)
    table = rows(html)
    assert table["Sakura Packing"][0] == HIDDEN_MARK
    assert table["Total"][0] == HIDDEN_MARK  # else the total would give the 2 away
    assert "2" not in [cell for row in table.values() for cell in row]
    # And no hidden figure can be worked out: each column has two hidden cells or none.
    for column in (0, 1):
        assert [row[column] for row in table.values()].count(HIDDEN_MARK) != 1
    assert f"“{HIDDEN_MARK}” marks a figure hidden" in html
    assert "Hikari" not in html


def test_large_enough_numbers_are_shown_with_their_totals(personas: Personas) -> None:
    registrations(personas, 6)
    self_checks(personas.org_a1, 8)
    table = rows(figures(personas))
    assert table["Sakura Packing"] == ["6", "8"]
    assert table["Total"] == ["6", "8"]


def test_a_supply_chain_company_sees_only_itself(personas: Personas) -> None:
    registrations(personas, 6)
    self_checks(personas.org_a2, 8)
    table = rows(figures(personas, "user_a1"))
    assert set(table) == {"Sakura Packing", "Total"}
    assert table["Sakura Packing"] == ["6", "0"]


def test_the_current_quarter_is_not_shown(personas: Personas) -> None:
    registrations(personas, 6)
    WorkerEmployerLink.objects.update(created_at=timezone.now())
    html = (
        verified_client(personas.admin_a)
        .get(
            f"/en/company/reach/figures/?quarter={quarter_slug(last_closed_quarter(timezone.localdate() + timedelta(days=100)))}"
        )
        .content.decode()
    )
    assert rows(html)["Sakura Packing"][0] == "0"


def test_the_self_check_column_is_the_dashboards_own_cells_so_the_two_pages_cannot_be_subtracted(
    personas: Personas,
) -> None:
    # The review's case: one respondent at one supplier, six at the others. Suppressed separately,
    # the dashboard's "other companies" minus the reach page's shown cell gave the one away.
    self_checks(personas.org_a, 6)
    self_checks(personas.org_a1, 1)
    self_checks(personas.org_a2, 6)
    reach = rows(figures(personas))
    period = last_closed_quarter(timezone.localdate())
    document = build_report_document(organization=personas.org_a, period=period, language="en")
    per_company = next(section for section in document.sections if section.key == "companies")
    dashboard = {row.label: format_value(row.values[1], Unit.COUNT) for row in per_company.rows}
    for name in ("Sakura Foods", "Sakura Packing", "Minato Farm"):
        assert reach[name][1] == dashboard[name]
    assert reach["Sakura Packing"][1] == HIDDEN_MARK and "1" not in [row[1] for row in reach.values()]


def test_a_closed_quarter_reads_the_same_after_the_supply_chain_changes(personas: Personas) -> None:
    registrations(personas, 6)
    self_checks(personas.org_a1, 3)
    self_checks(personas.org_a2, 8)
    before = rows(figures(personas))
    SupplyChainLink.objects.filter(supplier=personas.org_a2).delete()
    assert rows(figures(personas)) == before  # published once: nothing to subtract
