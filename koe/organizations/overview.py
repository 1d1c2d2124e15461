"""What a company user's start page says needs attention, gathered from the apps built on top of
organisations (risk alerts, shared cases, programmes). Imported lazily: those apps import this
one, and this is the only place where organisations reads from them."""

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Attention:
    new_risk_alerts: int
    shared_cases: int
    open_actions: int
    overdue_actions: int
    has_programme: bool


def attention_for(user: Any) -> Attention:
    from koe.programmes.selectors import active_subscription, covering_subscriptions
    from koe.remedy.selectors import shared_totals
    from koe.riskwatch.selectors import unacknowledged_count

    shared_cases, open_actions, overdue_actions = shared_totals(user)
    organization = user.organization
    return Attention(
        new_risk_alerts=unacknowledged_count(user),
        shared_cases=shared_cases,
        open_actions=open_actions,
        overdue_actions=overdue_actions,
        has_programme=bool(active_subscription(organization) or covering_subscriptions(organization)),
    )
