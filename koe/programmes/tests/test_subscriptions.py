from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from koe.audit.models import AuditEntry
from koe.core.testing.personas import Personas
from koe.programmes.models import InclusionKind, ProgrammeKind
from koe.programmes.selectors import active_subscription, covered_company_ids
from koe.programmes.services import programme_update, subscription_cancel, subscription_update, usage_record
from koe.programmes.tests.factories import programme, subscribe

pytestmark = pytest.mark.django_db


def test_the_three_programmes_of_the_price_list_are_seeded() -> None:
    assert programme(ProgrammeKind.SC_BASIC).base_fee == 100_000
    assert programme(ProgrammeKind.SC_EXPANSION).base_fee == 200_000
    standalone = programme(ProgrammeKind.STANDALONE)
    assert (standalone.base_fee, standalone.small_company_fee, standalone.small_company_max_employees) == (
        50_000, 10_000, 300,
    )  # fmt: skip


def test_a_contract_stores_its_fee_and_breakdown(personas: Personas) -> None:
    subscription = subscribe(personas.org_a, covered_companies=[personas.org_a1, personas.org_a2])
    assert subscription.monthly_fee == 110_000
    assert [row["code"] for row in subscription.fee_breakdown] == ["base", "per_company"]
    assert AuditEntry.objects.filter(action="subscription.create").count() == 1


def test_a_small_stand_alone_subscriber_pays_the_small_company_fee(personas: Personas) -> None:
    subscription = subscribe(personas.org_s, ProgrammeKind.STANDALONE, employee_count=300)
    assert subscription.monthly_fee == 10_000


def test_overlapping_contracts_for_one_organisation_are_refused(personas: Personas) -> None:
    subscribe(personas.org_a)
    with pytest.raises(ValidationError, match="already has a contract"):
        subscribe(personas.org_a, ProgrammeKind.SC_EXPANSION, period=(date(2027, 3, 31), date(2028, 3, 30)))
    # The day after the first ends is free, and so is a cancelled contract's period.
    subscribe(personas.org_a, period=(date(2027, 4, 1), date(2028, 3, 31)))


def test_a_cancelled_contract_no_longer_blocks_its_period(personas: Personas) -> None:
    subscription_cancel(actor=None, subscription=subscribe(personas.org_a))
    assert subscribe(personas.org_a, ProgrammeKind.SC_EXPANSION).monthly_fee == 200_000


def test_a_covered_company_outside_the_subscribers_chain_is_refused(personas: Personas) -> None:
    with pytest.raises(ValidationError, match="Hikari Sewing"):
        subscribe(personas.org_a, covered_companies=[personas.org_a1, personas.org_b1])


def test_a_stand_alone_subscription_covers_no_other_company(personas: Personas) -> None:
    with pytest.raises(ValidationError, match="covers no other company"):
        subscribe(
            personas.org_a, ProgrammeKind.STANDALONE, employee_count=50, covered_companies=[personas.org_a1]
        )


def test_a_stand_alone_subscription_needs_the_employee_count(personas: Personas) -> None:
    with pytest.raises(ValidationError, match="number of employees"):
        subscribe(personas.org_s, ProgrammeKind.STANDALONE)


def test_selectors_tell_who_is_covered_on_a_date(personas: Personas) -> None:
    subscription = subscribe(personas.org_a, covered_companies=[personas.org_a1])
    assert active_subscription(personas.org_a, on=date(2026, 6, 1)) == subscription
    assert active_subscription(personas.org_a, on=date(2027, 4, 1)) is None
    assert covered_company_ids(personas.org_a, on=date(2026, 6, 1)) == {personas.org_a.pk, personas.org_a1.pk}
    assert covered_company_ids(personas.org_b, on=date(2026, 6, 1)) == set()


def test_a_price_change_does_not_change_a_running_contract(personas: Personas) -> None:
    subscription = subscribe(personas.org_a, covered_companies=[personas.org_a1])
    basic = programme(ProgrammeKind.SC_BASIC)
    programme_update(actor=personas.operator, programme=basic, base_fee=120_000, per_company_fee=8_000,
                     advisor_hours_per_month=Decimal(9))  # fmt: skip
    subscription.refresh_from_db()
    assert subscription.monthly_fee == 105_000
    assert subscription.included_advisor_hours_per_month == Decimal(2)
    # Adding a company to the running contract costs what the contract says, not the new list.
    updated = subscription_update(actor=None, subscription=subscription,
                                  covered_companies=[personas.org_a1, personas.org_a2])  # fmt: skip
    assert updated.monthly_fee == 110_000
    # A contract signed after the change pays the new prices.
    assert subscribe(personas.org_b, covered_companies=[personas.org_b1]).monthly_fee == 128_000


def test_use_beyond_what_the_programme_includes_is_refused_with_what_remains(personas: Personas) -> None:
    subscription = subscribe(personas.org_a)  # basic: 2 advisor hours a month, 2 sessions a year
    usage_record(actor=None, subscription=subscription, kind=InclusionKind.ADVISOR, quantity=Decimal("1.5"),
                 used_on=date(2026, 5, 3))  # fmt: skip
    with pytest.raises(ValidationError, match=r"Only 0\.5 of 2\.0 remain from 2026-05-01 to 2026-05-31"):
        usage_record(actor=None, subscription=subscription, kind=InclusionKind.ADVISOR, quantity=1,
                     used_on=date(2026, 5, 20))  # fmt: skip
    # A new month brings new hours.
    usage_record(actor=None, subscription=subscription, kind=InclusionKind.ADVISOR, quantity=2,
                 used_on=date(2026, 6, 1))  # fmt: skip


def test_training_sessions_are_counted_per_contract_year(personas: Personas) -> None:
    subscription = subscribe(personas.org_a)
    for day in (date(2026, 4, 10), date(2027, 1, 10)):
        usage_record(
            actor=None, subscription=subscription, kind=InclusionKind.TRAINING, quantity=1, used_on=day
        )
    with pytest.raises(ValidationError, match="no more for this period"):
        usage_record(actor=None, subscription=subscription, kind=InclusionKind.TRAINING, quantity=1,
                     used_on=date(2027, 3, 1))  # fmt: skip


def test_use_outside_the_contract_period_is_refused(personas: Personas) -> None:
    subscription = subscribe(personas.org_a)
    with pytest.raises(ValidationError, match="outside the contract period"):
        usage_record(actor=None, subscription=subscription, kind=InclusionKind.LAWYER, quantity=1,
                     used_on=date(2027, 4, 1))  # fmt: skip


def test_a_programme_no_longer_offered_takes_no_new_contracts(personas: Personas) -> None:
    programme_update(
        actor=personas.operator, programme=programme(ProgrammeKind.SC_EXPANSION), is_offered=False
    )
    with pytest.raises(ValidationError, match="no longer offered"):
        subscribe(personas.org_a, ProgrammeKind.SC_EXPANSION)
