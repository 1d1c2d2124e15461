"""The filter form above the audit log list (and behind its CSV export)."""

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from koe.audit.selectors import AuditFilters

if TYPE_CHECKING:  # django-stubs is a development dependency only
    from django_stubs_ext import StrOrPromise

DATE_ERRORS = {"invalid": _("Enter a date as YYYY-MM-DD.")}
# The date picker sends ISO dates; typed dates in the Japanese way (2026/11/22) work too.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%Y/%m/%d"]


def _date_field(label: "StrOrPromise") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        input_formats=DATE_INPUT_FORMATS,
        error_messages=DATE_ERRORS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=_("Actor (user name)"), required=False, max_length=200)
    action = forms.CharField(
        label=_("Action"),
        required=False,
        max_length=100,
        help_text=_("Matches actions that start with this text, e.g. “case.”."),
    )
    object_type = forms.CharField(label=_("Object type"), required=False, max_length=100)
    object_id = forms.CharField(label=_("Object id"), required=False, max_length=64)
    date_from = _date_field(_("From (date)"))
    date_to = _date_field(_("To (date)"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date must not be before the start date."))
        return cleaned

    def filters(self) -> AuditFilters:
        """Only call after ``is_valid()`` returned True (fields are already stripped)."""
        data = self.cleaned_data
        return AuditFilters(
            actor=data["actor"],
            action=data["action"],
            object_type=data["object_type"],
            object_id=data["object_id"],
            date_from=data["date_from"],
            date_to=data["date_to"],
        )


class PageForm(forms.Form):
    """Keyset paging: ``before`` shows older entries than a sequence, ``after`` newer ones."""

    before = forms.IntegerField(required=False, min_value=1)
    after = forms.IntegerField(required=False, min_value=1)

    def position(self) -> tuple[int | None, int | None]:
        if not self.is_valid():
            return None, None
        return self.cleaned_data["before"], self.cleaned_data["after"]
