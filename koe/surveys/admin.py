"""Operator admin for the self-check schedule (a single row: first round and interval)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from koe.accounts.models import Role
from koe.surveys.models import RoundSchedule
from koe.surveys.rounds import round_schedule_save


def _is_operator(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_active and user.is_staff and getattr(user, "role", None) == Role.OPERATOR)


@admin.register(RoundSchedule)
class RoundScheduleAdmin(admin.ModelAdmin):
    fields = ["first_round_months", "interval_months"]
    list_display = ["__str__", "first_round_months", "interval_months", "updated_at"]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _is_operator(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_operator(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_operator(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        # One schedule: added once (until then the defaults apply), then only changed.
        return _is_operator(request) and not RoundSchedule.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: RoundSchedule, form: Any, change: bool) -> None:
        round_schedule_save(schedule=obj, actor=request.user)
