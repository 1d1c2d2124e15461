"""The "generate now" form: a closed quarter and a language."""

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from koe.quarterly.models import ReportLanguage, is_closed
from koe.reports.document import Period
from koe.reports.periods import closed_quarters, parse_quarter, quarter_slug

QUARTERS_OFFERED = 8  # two years back


class GenerateForm(forms.Form):
    quarter = forms.CharField(label=_("Quarter"), max_length=7, widget=forms.Select)
    language = forms.ChoiceField(label=_("Language"), choices=ReportLanguage.choices)

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        quarters = closed_quarters(today, QUARTERS_OFFERED)[::-1]  # the latest first
        self.fields["quarter"].widget.choices = [(quarter_slug(q), q.label) for q in quarters]

    def clean_quarter(self) -> Period:
        period = parse_quarter(self.cleaned_data["quarter"])
        if period is None:
            raise forms.ValidationError(_("Choose a quarter from the list."), code="invalid")
        if not is_closed(period, self.today):
            raise forms.ValidationError(
                _("A report can only be made for a quarter that has ended."), code="open_quarter"
            )
        return period
