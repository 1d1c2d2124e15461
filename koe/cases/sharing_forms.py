"""Forms about what leaves the desk and how a case ends: the worker's consent to share a case
with a company and their answer to "Did this solve your problem?"; the consultant's summary for
companies and the case's outcome. The worker's forms carry Koe's own messages, so they read in
every supported language."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from koe.cases.models import RemedyType, Satisfaction, ShareLevel

COMMENT_MAX = 2000
TEXT_MAX = 10000

# What the company would see at each level, in plain words (see the Case model's docstring).
SHARE_CHOICES_IN_PLAIN_WORDS = [
    (
        ShareLevel.NONE,
        _("Not shared. The company is not told about your consultation. It only sees numbers that "
          "mix many consultations, never yours alone."),
    ),
    (
        ShareLevel.SUMMARY,
        _("Anonymised summary. The company reads a short summary written by the desk, without your "
          "name, your contact or your own words."),
    ),
    (
        ShareLevel.FULL,
        _("Full, with my identity. The company sees your name, how to contact you and what you "
          "wrote to the desk."),
    ),
]  # fmt: skip


class ShareForm(forms.Form):
    """One company's level; the page has one such form per company related to the case."""

    level = forms.ChoiceField(
        label=_("What may this company see?"),
        choices=SHARE_CHOICES_IN_PLAIN_WORDS,
        widget=forms.RadioSelect,
        help_text=_("You can change this at any time. If you stop sharing, the company no longer sees it."),
        error_messages={
            "required": _("Please choose one."),
            "invalid_choice": _("Please choose one of the options shown."),
        },
    )


def satisfaction_field(label: Any) -> forms.ChoiceField:
    """Yes, partly or no: how a worker says whether something solved their problem."""
    return forms.ChoiceField(
        label=label,
        choices=Satisfaction.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Please choose yes, partly or no."),
            "invalid_choice": _("Please choose yes, partly or no."),
        },
    )


def comment_to_desk_field(help_text: Any = "") -> forms.CharField:
    """The worker's optional words to the desk that go with such an answer."""
    return forms.CharField(
        label=_("Anything you want to tell the desk (optional)"),
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=help_text,
        error_messages={
            "max_length": _("Please keep it under %(limit_value)d characters (you wrote %(show_value)d)."),
        },
    )


class SatisfactionForm(forms.Form):
    satisfaction = satisfaction_field(_("Did this solve your problem?"))
    comment = comment_to_desk_field()


class CompanySummaryForm(forms.Form):
    summary_for_company = forms.CharField(
        label=_("Summary for companies"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "All a company sees of this case when the worker shares an anonymised summary. Leave out "
            "the worker's name, anything that could identify them, and their own words."
        ),
    )


class CaseOutcomeForm(forms.Form):
    outcome = forms.CharField(
        label=_("Outcome"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Describe the outcome.")},
    )
    remedy_type = forms.ChoiceField(
        label=_("Remedy"),
        choices=[("", _("Choose the remedy")), *RemedyType.choices],
        error_messages={"required": _("Choose the remedy the worker obtained, or “No remedy”.")},
    )
    resolve = forms.BooleanField(label=_("Mark the case as resolved"), required=False, initial=True)

    def clean_outcome(self) -> str:
        outcome = str(self.cleaned_data["outcome"]).strip()
        if not outcome:
            raise forms.ValidationError(_("Describe the outcome."))
        return outcome

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"outcome": data["outcome"], "remedy_type": data["remedy_type"], "resolve": data["resolve"]}
