"""Operator admin: questionnaire drafts (published versions are read-only) and the self-check
schedule (a single row: first round and interval)."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from koe.accounts.models import Role
from koe.surveys.definition import DefinitionError, parse
from koe.surveys.models import Questionnaire, QuestionnaireVersion, RoundSchedule
from koe.surveys.rounds import round_schedule_save
from koe.surveys.services import questionnaire_version_publish, questionnaire_version_save_draft


def _is_operator(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_active and user.is_staff and getattr(user, "role", None) == Role.OPERATOR)


class OperatorOnly(admin.ModelAdmin):
    def has_module_permission(self, request: HttpRequest) -> bool:
        return _is_operator(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_operator(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return _is_operator(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_operator(request)


@admin.register(RoundSchedule)
class RoundScheduleAdmin(OperatorOnly):
    fields = ["first_round_months", "interval_months"]
    list_display = ["__str__", "first_round_months", "interval_months", "updated_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # One schedule: added once (until then the defaults apply), then only changed.
        return _is_operator(request) and not RoundSchedule.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: RoundSchedule, form: Any, change: bool) -> None:
        round_schedule_save(schedule=obj, actor=request.user)


class VersionForm(forms.ModelForm):
    class Meta:
        model = QuestionnaireVersion
        fields = ["questionnaire", "number", "definition"]

    def clean_definition(self) -> Any:
        document = self.cleaned_data["definition"]
        try:
            parse(document)
        except DefinitionError as error:
            raise forms.ValidationError(error.problems) from error
        return document


@admin.register(QuestionnaireVersion)
class QuestionnaireVersionAdmin(OperatorOnly):
    """Drafts are edited as their JSON document (structure and every language's texts), checked
    by the same validation as the files; publishing freezes a version for good."""

    form = VersionForm
    list_display = ["questionnaire", "number", "status", "published_at"]
    list_filter = ["questionnaire", "status"]
    actions = ["publish"]

    def get_readonly_fields(self, request: HttpRequest, obj: QuestionnaireVersion | None = None) -> Any:
        if obj is not None and obj.is_published:
            return ["questionnaire", "number", "status", "definition", "published_at"]
        return ["status", "published_at"]

    def has_delete_permission(self, request: HttpRequest, obj: QuestionnaireVersion | None = None) -> bool:
        return _is_operator(request) and (obj is None or not obj.is_published)

    def save_model(self, request: HttpRequest, obj: QuestionnaireVersion, form: Any, change: bool) -> None:
        questionnaire_version_save_draft(version=obj, document=form.cleaned_data["definition"])

    @admin.action(description="Publish the selected drafts (they can no longer change)")
    def publish(self, request: HttpRequest, queryset: QuerySet[QuestionnaireVersion]) -> None:
        for version in queryset.exclude(status="published"):
            try:
                questionnaire_version_publish(version=version)
            except DefinitionError as error:
                self.message_user(request, f"{version}: {'; '.join(error.problems)}", messages.ERROR)
            else:
                self.message_user(request, f"{version} published.")


@admin.register(Questionnaire)
class QuestionnaireAdmin(OperatorOnly):
    list_display = ["slug", "kind"]
