"""Demo contracts for seed_demo: a brand holder on each supply-chain programme, covering its
whole supply chain, and optionally a small stand-alone subscriber, all running today."""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from koe.organizations.models import Organization
from koe.organizations.selectors import supply_chain_ids
from koe.programmes.models import InclusionKind, Programme, ProgrammeKind, Subscription
from koe.programmes.services import subscription_create, usage_record


def _subscribe(organization: Organization, kind: str, start: date, **extra: Any) -> Subscription:
    return subscription_create(
        actor=None, organization=organization, programme=Programme.objects.get(kind=kind),
        starts_on=start, ends_on=start.replace(year=start.year + 1) - timedelta(days=1), **extra,
    )  # fmt: skip


def seed(
    *,
    basic: Organization | None = None,
    expansion: Organization | None = None,
    standalone: Organization | None = None,
    standalone_employees: int = 120,
    today: date | None = None,
) -> list[Subscription]:
    """Contracts that started three months ago; a training session and some advice already used."""
    start = (today or timezone.localdate()).replace(day=1) - timedelta(days=80)
    start = start.replace(day=1)
    made = []
    for subscriber, kind in ((basic, ProgrammeKind.SC_BASIC), (expansion, ProgrammeKind.SC_EXPANSION)):
        if subscriber is not None:
            chain = Organization.objects.filter(pk__in=supply_chain_ids(subscriber.pk))
            made.append(_subscribe(subscriber, kind, start, covered_companies=list(chain)))
    if standalone is not None:
        made.append(
            _subscribe(standalone, ProgrammeKind.STANDALONE, start, employee_count=standalone_employees)
        )
    for subscription in made:
        usage_record(actor=None, subscription=subscription, kind=InclusionKind.TRAINING, quantity=1,
                     used_on=start + timedelta(days=20), note="Onboarding: how Koe works")  # fmt: skip
        if subscription.included_advisor_hours_per_month >= 1:
            usage_record(actor=None, subscription=subscription, kind=InclusionKind.ADVISOR,
                         quantity=Decimal(1), used_on=start + timedelta(days=21))  # fmt: skip
    return made
