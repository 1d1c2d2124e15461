"""Reads of subscriptions. ``active_subscription`` and ``covered_company_ids`` are for other apps
(who is covered on a date); ``programme_page_for`` is what a company user may see of their own
organisation's contract, and nothing of anyone else's."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils import timezone

from koe.organizations.models import Organization
from koe.programmes.models import Subscription
from koe.programmes.usage import UsageStatus, usage_statuses


def _today(on: date | None) -> date:
    return on or timezone.localdate()


def _running(on: date) -> Any:
    return Subscription.objects.filter(cancelled_at=None, starts_on__lte=on, ends_on__gte=on)


def subscribed_company_ids(on: date | None = None) -> set[int]:
    """Every subscriber with a contract running on ``on`` and every company such a contract
    covers, in two queries however many organisations there are."""
    running = _running(_today(on))
    covered = running.exclude(covered_companies=None).values_list("covered_companies", flat=True)
    return {*running.values_list("organization_id", flat=True), *covered}


def active_subscription(organization: Organization | int, on: date | None = None) -> Subscription | None:
    """The organisation's own contract running on ``on`` (today by default), or None."""
    org_id = organization if isinstance(organization, int) else organization.pk
    return _running(_today(on)).filter(organization_id=org_id).select_related("programme").first()


def covered_company_ids(organization: Organization | int, on: date | None = None) -> set[int]:
    """The subscriber itself and the companies its running contract covers; empty without one."""
    subscription = active_subscription(organization, on)
    if subscription is None:
        return set()
    return {subscription.organization_id, *subscription.covered_companies.values_list("pk", flat=True)}


def covering_subscriptions(organization: Organization | int, on: date | None = None) -> list[Subscription]:
    """Other organisations' running contracts that cover this one (its brand holders')."""
    org_id = organization if isinstance(organization, int) else organization.pk
    running = _running(_today(on)).filter(covered_companies=org_id).select_related("organization")
    return list(running.order_by("organization__name"))


@dataclass
class ProgrammePage:
    organization: Organization | None
    subscription: Subscription | None = None
    covered: list[Organization] = field(default_factory=list)
    usage: list[UsageStatus] = field(default_factory=list)
    covered_by: list[Organization] = field(default_factory=list)


def programme_page_for(user: Any, on: date | None = None) -> ProgrammePage:
    """The user's own organisation's contract (fee and all), and who else covers it (names only)."""
    organization = getattr(user, "organization", None)
    if organization is None:
        return ProgrammePage(organization=None)
    on = _today(on)
    page = ProgrammePage(organization=organization, subscription=active_subscription(organization, on))
    if page.subscription is not None:
        page.covered = list(page.subscription.covered_companies.order_by("name"))
        page.usage = usage_statuses(page.subscription, on=on)
    page.covered_by = [subscription.organization for subscription in covering_subscriptions(organization, on)]
    return page
