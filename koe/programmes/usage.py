"""How much of each inclusion a contract has used in a period, and how much remains."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Sum

from koe.programmes.models import InclusionKind, Subscription
from koe.programmes.periods import period_containing

# Months per period of each inclusion: training and lawyer hours are yearly, advice monthly.
PERIOD_MONTHS = {InclusionKind.TRAINING: 12, InclusionKind.ADVISOR: 1, InclusionKind.LAWYER: 12}


@dataclass(frozen=True)
class UsageStatus:
    kind: str
    label: str
    first: date
    last: date
    included: Decimal
    used: Decimal

    @property
    def remaining(self) -> Decimal:
        return max(Decimal(0), self.included - self.used)


def included(subscription: Subscription, kind: str) -> Decimal:
    if kind == InclusionKind.TRAINING:
        return Decimal(subscription.included_training_sessions_per_year)
    if kind == InclusionKind.ADVISOR:
        return Decimal(subscription.included_advisor_hours_per_month)
    return Decimal(subscription.included_lawyer_hours_per_year)


def usage_status(subscription: Subscription, kind: str, *, on: date) -> UsageStatus:
    on = min(max(on, subscription.starts_on), subscription.ends_on)
    first, last = period_containing(subscription.starts_on, on, PERIOD_MONTHS[InclusionKind(kind)])
    used = subscription.usages.filter(kind=kind, used_on__range=(first, last)).aggregate(
        total=Sum("quantity")
    )
    return UsageStatus(
        kind=kind,
        label=str(InclusionKind(kind).label),
        first=first,
        last=min(last, subscription.ends_on),
        included=included(subscription, kind),
        used=Decimal(used["total"] or 0),
    )


def usage_statuses(subscription: Subscription, *, on: date) -> list[UsageStatus]:
    return [usage_status(subscription, kind, on=on) for kind in InclusionKind.values]
