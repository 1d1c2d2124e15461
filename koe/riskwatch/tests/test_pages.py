from datetime import date

import pytest
from django.urls import reverse as django_reverse
from django.utils import translation

from koe.audit.models import AuditEntry
from koe.core.testing.personas import Personas, verified_client
from koe.organizations.models import Organization
from koe.riskwatch.models import OrgRiskAlert
from koe.riskwatch.publication import publish_risk_alerts
from koe.riskwatch.tests.factories import critical_case_at, known_workers_at, local, red_flag_at

pytestmark = pytest.mark.django_db
TUESDAY = local(date(2026, 11, 10))


def reverse(name: str, args: list[object] | None = None) -> str:
    """English pages, so that the assertions read the labels as written in the code."""
    with translation.override("en"):
        return django_reverse(name, args=args)


LIST = reverse("riskwatch:list")


def published(personas: Personas, employer_key: str = "org_a2", signals: int = 1) -> None:
    known_workers_at(getattr(personas, employer_key), 5)  # enough for the employer to be told too
    for _ in range(signals):
        red_flag_at(getattr(personas, employer_key), TUESDAY)
    publish_risk_alerts(now=local(date(2026, 11, 20)))


def alert_of(organization: Organization) -> OrgRiskAlert:
    return OrgRiskAlert.objects.get(organization=organization)


def test_the_brand_holder_sees_alerts_for_its_chain_newest_first_and_unacknowledged_marked(
    personas: Personas,
) -> None:
    known_workers_at(personas.org_a1, 5)  # enough to be named (test_unnamed_alerts.py)
    critical_case_at(personas.org_a1, local(date(2026, 11, 3)))  # the week before
    published(personas, "org_a2")
    html = verified_client(personas.user_a).get(LIST).content.decode()
    assert html.index("2026-11-09") < html.index("2026-11-02")
    assert "Minato Farm" in html and "Sakura Packing" in html
    assert html.count(">New<") == 2


def test_a_supply_chain_company_sees_only_its_own_alerts(personas: Personas) -> None:
    published(personas, "org_a2")
    assert "Minato Farm" in verified_client(personas.user_a2).get(LIST).content.decode()
    # Sakura Packing, between the two, has no alert of its own and sees none of its supplier's.
    assert "There are no risk alerts" in verified_client(personas.user_a1).get(LIST).content.decode()


def test_another_chain_sees_nothing_and_gets_404_on_the_detail(personas: Personas) -> None:
    published(personas, "org_a2")
    assert "There are no risk alerts" in verified_client(personas.admin_b).get(LIST).content.decode()
    for alert in OrgRiskAlert.objects.all():
        url = reverse("riskwatch:detail", args=[alert.public_id])
        assert verified_client(personas.admin_b).get(url).status_code == 404
    # Nor may the supplier open its brand holder's copy, or the reverse.
    url = reverse("riskwatch:detail", args=[alert_of(personas.org_a).public_id])
    assert verified_client(personas.user_a2).get(url).status_code == 404


def test_the_page_never_shows_a_count_below_the_threshold(personas: Personas) -> None:
    published(personas, "org_a2", signals=4)
    url = reverse("riskwatch:detail", args=[alert_of(personas.org_a).public_id])
    html = verified_client(personas.admin_a).get(url).content.decode()
    assert "One or more reports" in html
    assert "4 reports" not in html and ">4<" not in html
    assert "Retention of identity documents" in html and "Physical and sexual violence" in html
    assert "2026-11-09 to 2026-11-15 (Monday to Sunday)" in html
    assert "2026-11-10" not in html  # never the day


def test_a_count_at_the_threshold_is_shown(personas: Personas) -> None:
    published(personas, "org_b1", signals=5)
    url = reverse("riskwatch:detail", args=[alert_of(personas.org_b).public_id])
    assert "5 reports" in verified_client(personas.admin_b).get(url).content.decode()


def test_viewing_and_acknowledging_are_audited(personas: Personas) -> None:
    published(personas, "org_a2")
    alert = alert_of(personas.org_a)
    client = verified_client(personas.user_a)
    client.get(reverse("riskwatch:detail", args=[alert.public_id]))
    url = reverse("riskwatch:acknowledge", args=[alert.public_id])
    response = client.post(url, {"note": "We will interview the supplier's management next week."})
    assert response.status_code == 302
    alert.refresh_from_db()
    assert alert.is_acknowledged and alert.acknowledged_by == personas.user_a
    actions = list(AuditEntry.objects.filter(object_id=str(alert.pk)).values_list("action", "actor_id"))
    assert ("risk_alert.view", personas.user_a.pk) in actions
    assert ("risk_alert.acknowledge", personas.user_a.pk) in actions
    html = client.get(reverse("riskwatch:detail", args=[alert.public_id])).content.decode()
    assert "interview the supplier" in html
    # The supplier's own copy is still to be acknowledged by the supplier.
    assert not alert_of(personas.org_a2).is_acknowledged


def test_an_acknowledgement_needs_a_note_and_happens_once(personas: Personas) -> None:
    published(personas, "org_a2")
    alert = alert_of(personas.org_a2)
    client = verified_client(personas.user_a2)
    url = reverse("riskwatch:acknowledge", args=[alert.public_id])
    assert client.post(url, {"note": "  "}).status_code == 200
    assert client.post(url, {"note": "Training for supervisors"}).status_code == 302
    response = client.post(url, {"note": "Again"})
    assert "already been acknowledged" in response.content.decode()
    alert.refresh_from_db()
    assert alert.acknowledgement_note == "Training for supervisors"


def test_another_company_cannot_acknowledge(personas: Personas) -> None:
    published(personas, "org_a2")
    alert = alert_of(personas.org_a)
    url = reverse("riskwatch:acknowledge", args=[alert.public_id])
    assert verified_client(personas.admin_b).post(url, {"note": "x"}).status_code == 404
    assert not AuditEntry.objects.filter(action="risk_alert.acknowledge").exists()
