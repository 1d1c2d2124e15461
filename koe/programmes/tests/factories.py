from datetime import date
from typing import Any

from koe.organizations.models import Organization
from koe.programmes.models import Programme, ProgrammeKind, Subscription
from koe.programmes.services import subscription_create

YEAR_2026 = (date(2026, 4, 1), date(2027, 3, 31))


def programme(kind: str) -> Programme:
    return Programme.objects.get(kind=kind)


def subscribe(
    organization: Organization,
    kind: str = ProgrammeKind.SC_BASIC,
    period: tuple[date, date] = YEAR_2026,
    **extra: Any,
) -> Subscription:
    return subscription_create(
        actor=None, organization=organization, programme=programme(kind),
        starts_on=period[0], ends_on=period[1], **extra,
    )  # fmt: skip
