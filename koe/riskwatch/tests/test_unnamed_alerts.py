"""A brand holder's alert names a supplier only when enough of its workers are known to Koe;
otherwise it is "a company in your supply chain", one merged alert a week, so that named alerts
cannot be added up against the dashboard's pooled row to pin a small supplier's hidden count."""

from datetime import date

import pytest

from koe.core.testing.personas import Personas, verified_client
from koe.organizations.models import Organization, OrganizationKind, SupplyChainLink
from koe.riskwatch.models import OrgRiskAlert
from koe.riskwatch.publication import publish_risk_alerts
from koe.riskwatch.tests.factories import critical_case_at, known_workers_at, local, red_flag_at
from koe.riskwatch.tests.test_pages import LIST, reverse
from koe.surveys.indicators import mask_of

pytestmark = pytest.mark.django_db
MONDAY = date(2026, 11, 9)
TUESDAY = local(date(2026, 11, 10), hour=22)
PUBLISHED = local(date(2026, 11, 20))


def small_supplier(personas: Personas) -> Organization:
    """A tier-1 supplier of Sakura Foods whose id (unlike the personas' 1, 2, 3) cannot be
    found by chance in a page."""
    supplier = Organization.objects.create(
        pk=48213, name="Tsubame Pickles", kind=OrganizationKind.SUPPLY_CHAIN,
        corporate_number="7010401048213", prefecture="13", industry="E",
    )  # fmt: skip
    SupplyChainLink.objects.create(buyer=personas.org_a, supplier=supplier, tier=1)
    return supplier


def test_a_supplier_with_few_known_workers_gives_its_brand_holder_an_unnamed_alert(
    personas: Personas,
) -> None:
    supplier = small_supplier(personas)
    known_workers_at(supplier, 4)  # one below the threshold
    red_flag_at(supplier, TUESDAY)
    publish_risk_alerts(now=PUBLISHED)
    (alert,) = OrgRiskAlert.objects.all()
    assert (alert.organization, alert.subject, alert.week_start) == (personas.org_a, None, MONDAY)
    client = verified_client(personas.user_a)
    for url in (LIST, reverse("riskwatch:detail", args=[alert.public_id])):
        html = client.get(url).content.decode()
        assert "a company in your supply chain" in html.lower()
        for secret in ("Tsubame", "48213", "7010401048213"):
            assert secret not in html and secret not in url
    assert "2026-11-09 to 2026-11-15 (Monday to Sunday)" in html
    assert "Self-check red flag" in html and "One or more reports" in html


def test_two_small_suppliers_in_one_week_give_one_merged_unnamed_alert(personas: Personas) -> None:
    red_flag_at(personas.org_a1, TUESDAY)
    critical_case_at(personas.org_a2, TUESDAY, indicators=("debt_bondage",))
    critical_case_at(personas.org_a2, TUESDAY, indicators=("debt_bondage",))
    run = publish_risk_alerts(now=PUBLISHED)
    (alert,) = OrgRiskAlert.objects.all()
    assert run.created == 1 and alert.organization == personas.org_a and alert.subject is None
    assert alert.self_check_red_flag and alert.critical_case
    assert alert.indicators & mask_of(["debt_bondage"])
    assert alert.shown_count is None  # three signals together: still "one or more"


def test_the_merged_count_is_shown_once_it_reaches_the_threshold(personas: Personas) -> None:
    for _ in range(3):
        red_flag_at(personas.org_a1, TUESDAY)
    for _ in range(2):
        critical_case_at(personas.org_a2, TUESDAY)
    publish_risk_alerts(now=PUBLISHED)
    assert OrgRiskAlert.objects.get(organization=personas.org_a, subject=None).shown_count == 5


def test_a_supplier_with_enough_known_workers_is_named_next_to_the_unnamed_alert(
    personas: Personas,
) -> None:
    known_workers_at(personas.org_a2, 5)
    red_flag_at(personas.org_a2, TUESDAY)
    red_flag_at(personas.org_a1, TUESDAY)  # few known workers: unnamed
    publish_risk_alerts(now=PUBLISHED)
    got = {(alert.organization, alert.subject) for alert in OrgRiskAlert.objects.all()}
    assert got == {
        (personas.org_a, personas.org_a2),
        (personas.org_a2, personas.org_a2),  # the employer itself, about itself
        (personas.org_a, None),
    }
    html = verified_client(personas.user_a).get(LIST).content.decode()
    assert "Minato Farm" in html and "Sakura Packing" not in html


def test_an_unnamed_alert_is_acknowledged_like_any_other_and_hidden_from_other_companies(
    personas: Personas,
) -> None:
    red_flag_at(personas.org_a1, TUESDAY)
    publish_risk_alerts(now=PUBLISHED)
    alert = OrgRiskAlert.objects.get()
    url = reverse("riskwatch:acknowledge", args=[alert.public_id])
    for outsider in (personas.admin_b, personas.user_a1, personas.user_a2):
        detail = reverse("riskwatch:detail", args=[alert.public_id])
        assert verified_client(outsider).get(detail).status_code == 404
        assert verified_client(outsider).post(url, {"note": "x"}).status_code == 404
    response = verified_client(personas.user_a).post(url, {"note": "A reminder to all our suppliers."})
    assert response.status_code == 302
    alert.refresh_from_db()
    assert alert.is_acknowledged and alert.acknowledged_by == personas.user_a
