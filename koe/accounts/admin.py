"""The Django admin, for operators only, behind the second factor, and audited.

The admin site becomes django-otp's ``OTPAdminSite`` (unverified users count as not staff). Its
own login form is replaced by Koe's sign-in page, so the admin is no way around login
throttling, and the middleware sends unverified staff to the two-factor page anyway.
"""

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.views import redirect_to_login
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django_otp.admin import OTPAdminSite

from koe.accounts.models import PrivacyConsent, User, WorkerProfile
from koe.audit.services import audit_record


class KoeAdminSite(OTPAdminSite):
    site_header = "Koe"
    site_title = "Koe"

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        if request.user.is_authenticated:
            # Signed in and verified, yet not allowed here: the admin is not theirs.
            raise Http404
        return redirect_to_login(request.GET.get("next") or request.get_full_path())


admin.site.__class__ = KoeAdminSite


class AuditedAdminMixin:
    """Every look at or change to a person's record through the admin lands in the audit log."""

    def _audit(self, request: HttpRequest, verb: str, obj: Model) -> None:
        audit_record(actor=request.user, action=f"admin.{obj._meta.model_name}.{verb}", target=obj)

    def change_view(self, request: HttpRequest, object_id: str, *args: Any, **kwargs: Any) -> HttpResponse:
        obj = self.get_object(request, object_id)  # type: ignore[attr-defined]
        if obj is not None and request.method == "GET":
            self._audit(request, "view", obj)
        return super().change_view(request, object_id, *args, **kwargs)  # type: ignore[misc]

    def save_model(self, request: HttpRequest, obj: Model, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)  # type: ignore[misc]
        self._audit(request, "change" if change else "add", obj)

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        self._audit(request, "delete", obj)
        super().delete_model(request, obj)  # type: ignore[misc]


@admin.register(User)
class KoeUserAdmin(AuditedAdminMixin, UserAdmin):
    list_display = ("username", "role", "organization", "is_company_admin", "language", "is_active")
    list_filter = ("role", "is_company_admin", "is_active", "language")
    search_fields = ("username",)
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        ("Koe", {"fields": ("role", "language", "organization", "is_company_admin", "expert_kind",
                            "spoken_languages")}),
    )  # fmt: skip
    add_fieldsets = (
        *UserAdmin.add_fieldsets,
        ("Koe", {"fields": ("role", "language", "organization", "is_company_admin")}),
    )


@admin.register(WorkerProfile)
class WorkerProfileAdmin(AuditedAdminMixin, admin.ModelAdmin):
    # Contact details stay out of the admin entirely: a worker's own export is where they appear.
    list_display = ("pk", "user", "nationality", "created_at")
    list_filter = ("nationality",)
    exclude = ("recovery_email", "recovery_phone")
    readonly_fields = ("user", "created_at")


@admin.register(PrivacyConsent)
class PrivacyConsentAdmin(admin.ModelAdmin):
    """Evidence of consent: it can be read, never written."""

    list_display = ("user", "policy_version", "language", "accepted_at")
    list_filter = ("policy_version", "language")
    readonly_fields = ("user", "policy_version", "language", "accepted_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
