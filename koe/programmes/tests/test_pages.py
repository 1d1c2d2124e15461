from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from koe.core.testing.personas import Personas, verified_client
from koe.programmes.models import InclusionKind, ProgrammeKind, Subscription
from koe.programmes.services import usage_record
from koe.programmes.tests.factories import programme, subscribe

pytestmark = pytest.mark.django_db
with translation.override("en"):
    URL = reverse("programmes:overview")


def running(personas: Personas) -> Subscription:
    today = timezone.localdate()
    return subscribe(personas.org_a, period=(today - timedelta(days=40), today + timedelta(days=300)),
                     covered_companies=[personas.org_a1, personas.org_a2])  # fmt: skip


def page(user: object) -> str:
    response = verified_client(user).get(URL)  # type: ignore[arg-type]
    assert response.status_code == 200
    return response.content.decode()


def test_the_subscriber_sees_its_programme_fee_breakdown_and_covered_companies(personas: Personas) -> None:
    subscription = running(personas)
    usage_record(actor=None, subscription=subscription, kind=InclusionKind.TRAINING, quantity=1,
                 used_on=timezone.localdate())  # fmt: skip
    html = page(personas.user_a)
    assert "Supply-chain management, basic" in html
    assert "¥110,000" in html and "¥100,000" in html and "2 \N{MULTIPLICATION SIGN} ¥5,000" in html
    assert "Sakura Packing" in html and "Minato Farm" in html
    assert "<td>Training sessions</td>" in html


def test_a_covered_supply_chain_company_sees_by_whom_but_not_the_fee(personas: Personas) -> None:
    running(personas)
    html = page(personas.user_a2)
    assert "Sakura Foods" in html and "covered by the programme of" in html
    assert "¥" not in html


def test_another_chain_sees_only_that_it_has_no_programme(personas: Personas) -> None:
    running(personas)
    html = page(personas.admin_b)
    assert "no active Koe programme" in html
    assert "Sakura" not in html and "¥" not in html


def test_a_contract_that_has_ended_is_not_shown(personas: Personas) -> None:
    today = timezone.localdate()
    subscribe(personas.org_a, period=(today - timedelta(days=400), today - timedelta(days=1)))
    assert "no active Koe programme" in page(personas.admin_a)


def test_the_page_shows_what_remains_of_the_inclusions(personas: Personas) -> None:
    subscription = running(personas)
    usage_record(actor=None, subscription=subscription, kind=InclusionKind.ADVISOR, quantity=Decimal("0.5"),
                 used_on=timezone.localdate())  # fmt: skip
    html = page(personas.admin_a)
    assert "<td>Advisor consultation hours</td>" in html
    assert "<td>2</td><td>0.5</td><td>1.5</td>" in html


def test_the_operator_edits_a_price_in_the_admin_and_running_contracts_keep_theirs(
    personas: Personas,
) -> None:
    subscription = running(personas)
    basic = programme(ProgrammeKind.SC_BASIC)
    client = verified_client(personas.operator)
    form = {"base_fee": 150000, "per_company_fee": 6000, "small_company_fee": "", "small_company_max_employees": "",
            "training_sessions_per_year": 2, "advisor_hours_per_month": "2.0", "lawyer_hours_per_year": "4.0",
            "is_offered": "on"}  # fmt: skip
    response = client.post(reverse("admin:programmes_programme_change", args=[basic.pk]), form)
    assert response.status_code == 302
    basic.refresh_from_db()
    assert basic.base_fee == 150_000
    subscription.refresh_from_db()
    assert subscription.monthly_fee == 110_000
    assert "¥110,000" in page(personas.admin_a)


def test_the_admin_refuses_an_overlapping_contract_with_the_reason(personas: Personas) -> None:
    subscription = running(personas)
    client = verified_client(personas.operator)
    form = {"organization": personas.org_a.pk, "programme": programme(ProgrammeKind.SC_EXPANSION).pk,
            "starts_on": subscription.starts_on.isoformat(), "ends_on": subscription.ends_on.isoformat()}  # fmt: skip
    response = client.post(reverse("admin:programmes_subscription_add"), form)
    assert response.status_code == 200
    assert "already has a contract during this period" in response.content.decode()


def test_the_admin_refuses_use_beyond_the_inclusion(personas: Personas) -> None:
    subscription = running(personas)
    client = verified_client(personas.operator)
    form = {"subscription": subscription.pk, "kind": "lawyer", "quantity": "5",
            "used_on": timezone.localdate().isoformat(), "note": ""}  # fmt: skip
    response = client.post(reverse("admin:programmes_inclusionusage_add"), form)
    assert response.status_code == 200
    assert "Only 4.0 of 4.0 remain" in response.content.decode()
    form["quantity"] = "4"
    assert client.post(reverse("admin:programmes_inclusionusage_add"), form).status_code == 302


def test_company_users_cannot_open_the_price_list_admin(personas: Personas) -> None:
    response = verified_client(personas.admin_a).get(reverse("admin:programmes_programme_changelist"))
    assert response.status_code in (302, 404)


def test_the_operator_admin_pages_open(personas: Personas) -> None:
    subscription = running(personas)
    client = verified_client(personas.operator)
    for name, args in [
        ("admin:programmes_programme_changelist", []),
        ("admin:programmes_programme_change", [programme(ProgrammeKind.STANDALONE).pk]),
        ("admin:programmes_subscription_changelist", []),
        ("admin:programmes_subscription_add", []),
        ("admin:programmes_subscription_change", [subscription.pk]),
        ("admin:programmes_inclusionusage_add", []),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 200, name


def test_the_operator_extends_a_contract_and_adds_a_company_in_the_admin(personas: Personas) -> None:
    subscription = running(personas)
    client = verified_client(personas.operator)
    form = {"ends_on": (subscription.ends_on + timedelta(days=30)).isoformat(),
            "covered_companies": [personas.org_a1.pk]}  # fmt: skip
    response = client.post(reverse("admin:programmes_subscription_change", args=[subscription.pk]), form)
    assert response.status_code == 302
    subscription.refresh_from_db()
    assert subscription.monthly_fee == 105_000
    assert list(subscription.covered_companies.all()) == [personas.org_a1]


def test_a_small_company_fee_needs_its_employee_limit(personas: Personas) -> None:
    basic = programme(ProgrammeKind.SC_BASIC)
    client = verified_client(personas.operator)
    form = {"base_fee": 100000, "per_company_fee": 5000, "small_company_fee": "20000",
            "small_company_max_employees": "", "training_sessions_per_year": 2,
            "advisor_hours_per_month": "2.0", "lawyer_hours_per_year": "4.0"}  # fmt: skip
    response = client.post(reverse("admin:programmes_programme_change", args=[basic.pk]), form)
    assert "Give both the small-company fee" in response.content.decode()
