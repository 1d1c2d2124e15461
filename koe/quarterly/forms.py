"""The "generate now" form: a closed quarter and a language."""

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from koe.quarterly.models import ReportLanguage
from koe.reports.document import Period
from koe.reports.periods import chosen_quarter, is_closed, offered_quarters, parse_quarter, quarter_slug

OPEN_QUARTER = _("A report can only be made for a quarter that has ended.")


class QuarterField(forms.ChoiceField):
    """One of the offered closed quarters (``koe.reports.periods``), by slug. An open quarter is
    refused with its reason; any other quarter (too old, malformed) is simply not a choice."""

    default_error_messages = {"invalid_choice": _("Choose a quarter from the list.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.offered: list[Period] = []
        self.today: date | None = None

    def offer(self, today: date) -> None:
        self.today = today
        self.offered = offered_quarters(today)  # the latest first
        self.choices = [(quarter_slug(q), q.label) for q in self.offered]

    def validate(self, value: Any) -> None:
        period = parse_quarter(str(value))
        if period is not None and not is_closed(period, self.today):
            raise forms.ValidationError(OPEN_QUARTER, code="open_quarter")
        super().validate(value)


class GenerateForm(forms.Form):
    quarter = QuarterField(label=_("Quarter"))
    language = forms.ChoiceField(label=_("Language"), choices=ReportLanguage.choices)

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["quarter"]
        assert isinstance(field, QuarterField)
        field.offer(today)

    def clean_quarter(self) -> Period:
        field = self.fields["quarter"]
        assert isinstance(field, QuarterField)
        period = chosen_quarter(self.cleaned_data["quarter"], field.offered)
        if period is None:  # validate() already refused it; kept for the type
            raise forms.ValidationError(field.error_messages["invalid_choice"], code="invalid_choice")
        return period
