"""The filter form above the desk queue (a GET form: it works without JavaScript)."""

from typing import Any, cast

from django import forms
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from config.languages import LANGUAGE_CODES
from koe.cases.models import AlertSeverity, AlertStatus
from koe.cases.selectors import QueueFilters


def _language_choices() -> list[tuple[str, str]]:
    """Each language named in the page's language, so a consultant can read every option."""
    return [(code, get_language_info(code)["name_translated"]) for code in LANGUAGE_CODES]


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Open (new and acknowledged)")), *AlertStatus.choices],
    )
    severity = forms.ChoiceField(
        label=_("Severity"), required=False, choices=[("", _("Any severity")), *AlertSeverity.choices]
    )
    language = forms.ChoiceField(label=_("Language"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        language = cast(forms.ChoiceField, self.fields["language"])
        language.choices = [("", _("Any language")), *_language_choices()]

    def filters(self) -> QueueFilters:
        """The valid filters; an invalid one is dropped rather than failing the page."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return QueueFilters(
            status=data.get("status") or "",
            severity=data.get("severity") or "",
            language=data.get("language") or "",
        )
