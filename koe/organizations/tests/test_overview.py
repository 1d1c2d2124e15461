"""The company start page says what needs attention: new risk alerts, shared cases and their
corrective actions (overdue in words), and whether the organisation has a programme."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from koe.core.testing.personas import Personas, verified_client
from koe.programmes.tests.factories import subscribe
from koe.remedy.testing import action_of, shared_case
from koe.riskwatch.tests.factories import bh_alert

pytestmark = pytest.mark.django_db


def overview(personas: Personas, name: str) -> str:
    with translation.override("en"):  # the page in English, as the assertions read it
        address = reverse("organizations:dashboard")
    response = verified_client(getattr(personas, name)).get(address)
    assert response.status_code == 200
    return response.content.decode()


def test_the_brand_holder_sees_its_new_alert_its_shared_case_and_an_overdue_action(
    personas: Personas,
) -> None:
    bh_alert(personas)
    action_of(personas, shared_case(personas), due_date=timezone.localdate() - timedelta(days=1))
    html = overview(personas, "admin_a")
    assert "1 new risk alert" in html
    assert "1 case shared with you by a worker" in html
    assert "OVERDUE: 1 action past its due date" in html
    assert "no active Koe programme" in html


def test_another_chain_sees_none_of_it_and_a_subscriber_is_not_told_it_lacks_a_programme(
    personas: Personas,
) -> None:
    bh_alert(personas)
    action_of(personas, shared_case(personas), due_date=timezone.localdate() - timedelta(days=1))
    subscribe(personas.org_b, period=(timezone.localdate(), timezone.localdate() + timedelta(days=365)))
    html = overview(personas, "admin_b")
    assert "0 new risk alerts" in html and "0 cases shared with you by workers" in html
    assert "OVERDUE" not in html and "no active Koe programme" not in html
