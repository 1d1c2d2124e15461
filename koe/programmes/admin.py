"""Operator admin: the price list, the contracts and the use of what they include.

Only operators see these pages (as for organisations), and every save goes through the
services: overlapping contracts, companies outside the chain and use beyond what is included are
refused with the reason on the form, and each change is audited.
"""

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from koe.organizations.admin import OperatorOnlyAdmin
from koe.programmes.fees import format_yen
from koe.programmes.models import InclusionUsage, Programme, Subscription
from koe.programmes.services import (
    PRICE_FIELDS,
    programme_update,
    subscription_cancel,
    subscription_check,
    subscription_create,
    subscription_update,
    usage_check,
    usage_record,
)
from koe.programmes.usage import usage_statuses


@admin.register(Programme)
class ProgrammeAdmin(OperatorOnlyAdmin):
    list_display = ["__str__", "base_fee", "per_company_fee", "small_company_fee", "small_company_max_employees",
                    "training_sessions_per_year", "advisor_hours_per_month", "lawyer_hours_per_year", "is_offered"]  # fmt: skip
    fields = list(PRICE_FIELDS)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False  # the three kinds are seeded; the operator edits their prices

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Programme, form: Any, change: bool) -> None:
        changes = {field: form.cleaned_data[field] for field in form.changed_data if field in PRICE_FIELDS}
        programme_update(actor=request.user, programme=obj, **changes)


class SubscriptionForm(forms.ModelForm):
    class Meta:
        model = Subscription
        fields = ["organization", "programme", "starts_on", "ends_on", "employee_count", "covered_companies"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        instance = self.instance
        organization = cleaned.get("organization") or getattr(instance, "organization", None)
        programme = cleaned.get("programme") or getattr(instance, "programme", None)
        starts_on = cleaned.get("starts_on") or instance.starts_on
        ends_on = cleaned.get("ends_on")
        if organization is None or programme is None or starts_on is None or ends_on is None:
            return cleaned
        try:
            subscription_check(
                organization=organization, programme=programme, starts_on=starts_on, ends_on=ends_on,
                employee_count=cleaned.get("employee_count", instance.employee_count),
                covered=cleaned.get("covered_companies") or [], exclude_pk=instance.pk,
            )  # fmt: skip
        except ValidationError as error:
            self._add_errors(error)
        return cleaned

    def _add_errors(self, error: ValidationError) -> None:
        for field, messages in error.message_dict.items():
            self.add_error(field if field in self.fields else None, messages)


@admin.register(Subscription)
class SubscriptionAdmin(OperatorOnlyAdmin):
    form = SubscriptionForm
    list_display = ["organization", "programme", "starts_on", "ends_on", "fee", "cancelled_at"]
    list_filter = ["programme", "cancelled_at"]
    list_select_related = ["organization", "programme"]
    search_fields = ["organization__name", "organization__corporate_number"]
    autocomplete_fields = ["organization"]
    filter_horizontal = ["covered_companies"]
    actions = ["cancel"]

    @admin.display(description="monthly fee")
    def fee(self, obj: Subscription) -> str:
        return format_yen(obj.monthly_fee)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # A signed contract keeps its subscriber, programme, start and size; extend it or
        # change its coverage, or cancel it and sign another.
        if obj is None:
            return []
        return [
            "organization",
            "programme",
            "starts_on",
            "employee_count",
            "fee",
            "fee_breakdown",
            "price_terms",
            "remaining",
        ]

    @admin.display(description="used and remaining today")
    def remaining(self, obj: Subscription) -> str:
        return "; ".join(
            f"{status.label}: {status.used} used, {status.remaining} of {status.included} remaining "
            f"({status.first} to {status.last})"
            for status in usage_statuses(obj, on=timezone.localdate())
        )

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Subscription, form: Any, change: bool) -> None:
        data = form.cleaned_data
        if change:
            saved = subscription_update(
                actor=request.user, subscription=obj, ends_on=data["ends_on"],
                covered_companies=data.get("covered_companies") or [],
            )  # fmt: skip
        else:
            saved = subscription_create(
                actor=request.user, organization=data["organization"], programme=data["programme"],
                starts_on=data["starts_on"], ends_on=data["ends_on"], employee_count=data.get("employee_count"),
                covered_companies=data.get("covered_companies") or [],
            )  # fmt: skip
        obj.pk, obj.monthly_fee = saved.pk, saved.monthly_fee

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """Covered companies were set by the service, with the fee that goes with them."""
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    @admin.action(description="Cancel the selected contracts")
    def cancel(self, request: HttpRequest, queryset: QuerySet[Subscription]) -> None:
        for subscription in queryset:
            subscription_cancel(actor=request.user, subscription=subscription)


class UsageForm(forms.ModelForm):
    class Meta:
        model = InclusionUsage
        fields = ["subscription", "kind", "quantity", "used_on", "note"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        needed = ("subscription", "kind", "quantity", "used_on")
        if all(cleaned.get(name) is not None for name in needed):
            try:
                usage_check(**{name: cleaned[name] for name in needed})  # again under lock on save
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    self.add_error(field, messages)
        return cleaned


@admin.register(InclusionUsage)
class InclusionUsageAdmin(OperatorOnlyAdmin):
    form = UsageForm
    list_display = ["subscription", "kind", "quantity", "used_on", "note"]
    list_filter = ["kind"]
    list_select_related = ["subscription__organization", "subscription__programme"]
    search_fields = ["subscription__organization__name"]
    autocomplete_fields = ["subscription"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a record of use is added, not edited

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: InclusionUsage, form: Any, change: bool) -> None:
        data = form.cleaned_data
        saved = usage_record(
            actor=request.user, subscription=data["subscription"], kind=data["kind"],
            quantity=data["quantity"], used_on=data["used_on"], note=data.get("note", ""),
        )  # fmt: skip
        obj.pk = saved.pk
