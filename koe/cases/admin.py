"""Alerts in the operator admin: read-only, for oversight. Alerts change through the desk's pages
only. The worker's contact detail and message are left out: the admin is no way around the desk's
own audited page, and opening an alert here is audited too."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from koe.accounts.admin import AuditedAdminMixin
from koe.cases.models import Alert
from koe.organizations.admin import is_operator

SHOWN_FIELDS = (
    "public_id", "severity", "status", "language", "red_flags", "indicator_labels", "employer",
    "brand_holders", "created_at", "acknowledged_at", "acknowledged_by", "contact_method",
    "contact_requested_at",
)  # fmt: skip


@admin.register(Alert)
class AlertAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("public_id", "severity", "status", "language", "employer", "created_at")
    list_filter = ("status", "severity", "language")
    list_select_related = ("employer",)
    fields = SHOWN_FIELDS
    readonly_fields = SHOWN_FIELDS

    @admin.display(description=_("indicators"))
    def indicator_labels(self, alert: Alert) -> str:
        return "; ".join(str(tag.label) for tag in alert.indicators)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_operator(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_operator(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
