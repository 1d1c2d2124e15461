"""Operator admin for organisations and supply-chain links.

Only operators see these pages, whatever Django permissions a staff account was given, and every
save goes through the services, so that cycles are refused and each change is audited.
Organisations cannot be deleted here: users, links and (later) cases hang on them.
"""

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest

from koe.accounts.models import Role
from koe.organizations.models import Organization, SupplyChainLink
from koe.organizations.services import (
    ALL_EDITABLE_FIELDS,
    DUPLICATE_NUMBER_MESSAGE,
    organization_create,
    organization_update,
    supply_link_check,
    supply_link_create,
    supply_link_delete,
    supply_link_update,
)


def is_operator(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_active and user.is_staff and getattr(user, "role", None) == Role.OPERATOR)


class OperatorOnlyAdmin(admin.ModelAdmin):
    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_operator(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_operator(request)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return is_operator(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_operator(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_operator(request)


FORM_FIELDS = ("name", "kind", "corporate_number", "is_foreign", "prefecture", "industry", "address")


class OrganizationForm(forms.ModelForm):
    class Meta:
        model = Organization
        fields = FORM_FIELDS

    def clean_corporate_number(self) -> str:
        """Names the field, where the model's conditional constraint would give a generic error."""
        number = self.cleaned_data.get("corporate_number", "")
        if (
            number
            and Organization.objects.filter(corporate_number=number).exclude(pk=self.instance.pk).exists()
        ):
            raise ValidationError(DUPLICATE_NUMBER_MESSAGE, code="unique")
        return number


@admin.register(Organization)
class OrganizationAdmin(OperatorOnlyAdmin):
    form = OrganizationForm
    list_display = ["name", "kind", "corporate_number", "is_foreign", "prefecture", "industry", "created_at"]
    list_filter = ["kind", "is_foreign", "prefecture", "industry"]
    search_fields = ["name", "corporate_number"]
    fields = FORM_FIELDS

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Organization, form: Any, change: bool) -> None:
        if change:
            changes = {
                field: getattr(obj, field) for field in form.changed_data if field in ALL_EDITABLE_FIELDS
            }
            organization_update(actor=request.user, organization=obj, **changes)
            return
        values = {field: form.cleaned_data[field] for field in FORM_FIELDS}
        created = organization_create(actor=request.user, **values)
        # The admin goes on to use ``obj`` (its id for the log entry and the redirect).
        obj.pk, obj.created_at = created.pk, created.created_at


class SupplyChainLinkForm(forms.ModelForm):
    class Meta:
        model = SupplyChainLink
        fields = ["buyer", "supplier", "tier"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        buyer, supplier = cleaned.get("buyer"), cleaned.get("supplier")
        if self.instance.pk is None and buyer is not None and supplier is not None:
            try:
                supply_link_check(buyer=buyer, supplier=supplier)  # checked again, under lock, on save
            except ValidationError as error:
                self.add_error("supplier", error)
        return cleaned

    def validate_unique(self) -> None:
        """Duplicates are reported by ``supply_link_check`` in our own words."""


@admin.register(SupplyChainLink)
class SupplyChainLinkAdmin(OperatorOnlyAdmin):
    form = SupplyChainLinkForm
    list_display = ["buyer", "supplier", "tier", "created_at"]
    list_filter = ["tier"]
    list_select_related = ["buyer", "supplier"]
    search_fields = ["buyer__name", "buyer__corporate_number", "supplier__name", "supplier__corporate_number"]
    autocomplete_fields = ["buyer", "supplier"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # Moving a link would bypass the cycle check; delete it and add another instead.
        return ["buyer", "supplier"] if obj is not None else []

    def save_model(self, request: HttpRequest, obj: SupplyChainLink, form: Any, change: bool) -> None:
        if change:
            supply_link_update(actor=request.user, link=obj, tier=obj.tier)
            return
        created = supply_link_create(
            actor=request.user, buyer=obj.buyer, supplier=obj.supplier, tier=obj.tier
        )
        obj.pk, obj.created_at = created.pk, created.created_at

    def delete_model(self, request: HttpRequest, obj: SupplyChainLink) -> None:
        supply_link_delete(actor=request.user, link=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[SupplyChainLink]) -> None:
        for link in queryset.select_related("buyer"):
            supply_link_delete(actor=request.user, link=link)
