"""Every write to programmes, subscriptions and the use of inclusions (operator actions).

Checks that span rows (no overlapping contracts, covered companies inside the chain, no use
beyond what is included) are made under a row lock on the subscriber (or the subscription), so
two operators saving at once cannot both pass them.
"""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from koe.audit.services import audit_record
from koe.organizations.models import Organization
from koe.organizations.selectors import supply_chain_ids
from koe.programmes.fees import PriceTerms, monthly_fee
from koe.programmes.models import (
    SUPPLY_CHAIN_KINDS,
    InclusionKind,
    InclusionUsage,
    Programme,
    Subscription,
)
from koe.programmes.usage import usage_status

PRICE_FIELDS = (
    "base_fee",
    "per_company_fee",
    "small_company_fee",
    "small_company_max_employees",
    "training_sessions_per_year",
    "advisor_hours_per_month",
    "lawyer_hours_per_year",
    "is_offered",
)


@transaction.atomic
def programme_update(*, actor: Any, programme: Programme, **changes: Any) -> Programme:
    """Changes the price list. Running contracts keep the terms they were signed on."""
    unknown = set(changes) - set(PRICE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {', '.join(sorted(unknown))}")
    for field, value in changes.items():
        setattr(programme, field, value)
    programme.full_clean()
    programme.save()
    audit_record(
        actor=actor, action="programme.update", target=programme,
        detail={field: str(value) for field, value in changes.items()},
    )  # fmt: skip
    return programme


def overlapping(
    organization: Organization, starts_on: date, ends_on: date, exclude_pk: int | None = None
) -> bool:
    found = Subscription.objects.filter(
        organization=organization, cancelled_at=None, starts_on__lte=ends_on, ends_on__gte=starts_on
    )
    if exclude_pk is not None:
        found = found.exclude(pk=exclude_pk)
    return found.exists()


def subscription_check(
    *,
    organization: Organization,
    programme: Programme,
    starts_on: date,
    ends_on: date,
    employee_count: int | None,
    covered: Iterable[Organization],
    exclude_pk: int | None = None,
) -> None:
    """Raises a ValidationError naming each problem's field; the admin form shows them."""
    errors: dict[str, str] = {}
    if exclude_pk is None and not programme.is_offered:
        errors["programme"] = _("This programme is no longer offered to new subscribers.")
    if ends_on < starts_on:
        errors["ends_on"] = _("The contract cannot end before it starts.")
    elif overlapping(organization, starts_on, ends_on, exclude_pk):
        errors["starts_on"] = _("This organisation already has a contract during this period.")
    if programme.small_company_fee is not None and employee_count is None:
        errors["employee_count"] = _("Give the number of employees: this programme's fee depends on it.")
    problem = _coverage_problem(organization, programme, {org.pk for org in covered})
    if problem:
        errors["covered_companies"] = problem
    if errors:
        raise ValidationError(errors)


def _coverage_problem(organization: Organization, programme: Programme, covered: set[int]) -> str:
    if not covered:
        return ""
    if programme.kind not in SUPPLY_CHAIN_KINDS:
        return _("A stand-alone subscription covers no other company.")
    outside = covered - supply_chain_ids(organization.pk)
    if outside:
        names = ", ".join(
            Organization.objects.filter(pk__in=outside).order_by("name").values_list("name", flat=True)
        )
        return _("Not in the subscriber's supply chain: %(names)s") % {"names": names}
    return ""


def _apply_terms(subscription: Subscription, terms: PriceTerms, covered_count: int) -> None:
    fee = monthly_fee(terms, covered_companies=covered_count, employee_count=subscription.employee_count)
    subscription.price_terms = terms.as_json()
    subscription.monthly_fee = fee.total
    subscription.fee_breakdown = fee.as_json()


@transaction.atomic
def subscription_create(
    *,
    actor: Any,
    organization: Organization,
    programme: Programme,
    starts_on: date,
    ends_on: date,
    employee_count: int | None = None,
    covered_companies: Iterable[Organization] = (),
) -> Subscription:
    """Signs a contract on today's price list; its fee and inclusions are fixed from now on."""
    Organization.objects.select_for_update().filter(pk=organization.pk).first()
    covered = list(covered_companies)
    subscription_check(
        organization=organization, programme=programme, starts_on=starts_on, ends_on=ends_on,
        employee_count=employee_count, covered=covered,
    )  # fmt: skip
    subscription = Subscription(
        organization=organization, programme=programme, starts_on=starts_on, ends_on=ends_on,
        employee_count=employee_count, created_by=actor if getattr(actor, "pk", None) else None,
        included_training_sessions_per_year=programme.training_sessions_per_year,
        included_advisor_hours_per_month=programme.advisor_hours_per_month,
        included_lawyer_hours_per_year=programme.lawyer_hours_per_year,
    )  # fmt: skip
    _apply_terms(subscription, PriceTerms.of(programme), len(covered))
    subscription.save()
    subscription.covered_companies.set(covered)
    audit_record(
        actor=actor, action="subscription.create", target=subscription,
        detail={"organization": organization.pk, "programme": programme.kind, "monthly_fee": subscription.monthly_fee},
    )  # fmt: skip
    return subscription


@transaction.atomic
def subscription_update(
    *,
    actor: Any,
    subscription: Subscription,
    ends_on: date | None = None,
    covered_companies: Iterable[Organization] | None = None,
) -> Subscription:
    """Extends or shortens a contract, or changes the companies it covers.

    The fee is recomputed with the contract's own price terms, never today's price list: a
    company added to a running contract costs what the contract says.
    """
    Organization.objects.select_for_update().filter(pk=subscription.organization_id).first()
    subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
    covered = (
        list(subscription.covered_companies.all()) if covered_companies is None else list(covered_companies)
    )
    subscription.ends_on = ends_on or subscription.ends_on
    subscription_check(
        organization=subscription.organization, programme=subscription.programme,
        starts_on=subscription.starts_on, ends_on=subscription.ends_on,
        employee_count=subscription.employee_count, covered=covered, exclude_pk=subscription.pk,
    )  # fmt: skip
    _apply_terms(subscription, PriceTerms.from_json(subscription.price_terms), len(covered))
    subscription.save()
    subscription.covered_companies.set(covered)
    audit_record(
        actor=actor, action="subscription.update", target=subscription,
        detail={"ends_on": subscription.ends_on.isoformat(), "covered": len(covered),
                "monthly_fee": subscription.monthly_fee},
    )  # fmt: skip
    return subscription


@transaction.atomic
def subscription_cancel(*, actor: Any, subscription: Subscription) -> Subscription:
    subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
    if subscription.cancelled_at is None:
        subscription.cancelled_at = timezone.now()
        subscription.save(update_fields=["cancelled_at"])
        audit_record(actor=actor, action="subscription.cancel", target=subscription)
    return subscription


def usage_check(*, subscription: Subscription, kind: str, quantity: Decimal, used_on: date) -> None:
    """Refuses a use outside the contract, or beyond what remains for its period."""
    if kind not in InclusionKind.values:
        raise ValidationError({"kind": _("Unknown included service.")})
    if quantity <= 0:
        raise ValidationError({"quantity": _("Give a number above zero.")})
    if subscription.is_cancelled or not subscription.starts_on <= used_on <= subscription.ends_on:
        raise ValidationError({"used_on": _("This date is outside the contract period.")})
    status = usage_status(subscription, kind, on=used_on)
    if quantity > status.remaining:
        raise ValidationError({"quantity": _(
            "Only %(remaining)s of %(included)s remain from %(first)s to %(last)s; "
            "the programme includes no more for this period."
        ) % {"remaining": status.remaining, "included": status.included,
             "first": status.first.isoformat(), "last": status.last.isoformat()}})  # fmt: skip


@transaction.atomic
def usage_record(
    *,
    actor: Any,
    subscription: Subscription,
    kind: str,
    quantity: Decimal | int,
    used_on: date,
    note: str = "",
) -> InclusionUsage:
    subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
    quantity = Decimal(quantity)
    usage_check(subscription=subscription, kind=kind, quantity=quantity, used_on=used_on)
    usage = InclusionUsage.objects.create(
        subscription=subscription, kind=kind, quantity=quantity, used_on=used_on, note=note[:200],
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )  # fmt: skip
    audit_record(
        actor=actor, action="subscription.usage_record", target=subscription,
        detail={"kind": kind, "quantity": str(quantity), "used_on": used_on.isoformat()},
    )  # fmt: skip
    return usage
