"""Forms on the desk's case page for guiding support, expert referrals and ADR, and the
expert's answer. Staff forms: Django's own messages are fine here."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from koe.accounts.models import User
from koe.cases.forms import TEXT_MAX, _language_choices
from koe.cases.models import AdrStatus, GuidingPurpose
from koe.cases.referral_selectors import active_experts
from koe.cases.selectors import desk_staff

NAME_MAX = 200


def _textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_username())


class GuidingSupportForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    accompanied_by = UserChoiceField(
        label=_("Desk staff who went"), queryset=User.objects.none(), required=False,
        empty_label=_("Nobody from the desk"),
    )  # fmt: skip
    accompanied_by_name = forms.CharField(
        label=_("Lawyer or volunteer who went"), max_length=NAME_MAX, required=False
    )
    place = forms.CharField(label=_("Where"), max_length=TEXT_MAX, help_text=_("Stored encrypted."))
    purpose = forms.ChoiceField(
        label=_("Purpose"), choices=[("", _("Choose the purpose")), *GuidingPurpose.choices]
    )
    outcome = forms.CharField(
        label=_("Outcome"), max_length=TEXT_MAX, required=False, widget=_textarea(),
        help_text=_("Stored encrypted."),
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["accompanied_by"].queryset = desk_staff()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("accompanied_by") and not str(data.get("accompanied_by_name", "")).strip():
            raise forms.ValidationError(
                _("Say who accompanied the worker: desk staff, or a lawyer or volunteer.")
            )
        return data


class ExpertReferralForm(forms.Form):
    expert = UserChoiceField(
        label=_("Expert"), queryset=User.objects.none(), empty_label=_("Choose the expert")
    )
    question = forms.CharField(
        label=_("Question for the expert"), max_length=TEXT_MAX, widget=_textarea(4),
        help_text=_(
            "The expert reads this question, what the worker wrote and the case's categories; never "
            "the worker's name or contact, the messages or the internal notes."
        ),
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["expert"].queryset = active_experts()  # type: ignore[attr-defined]


class ExpertAnswerForm(forms.Form):
    answer = forms.CharField(label=_("Your answer"), max_length=TEXT_MAX, widget=_textarea(6))


class AdrReferralForm(forms.Form):
    centre = forms.CharField(label=_("ADR centre"), max_length=NAME_MAX)
    mediator_1 = forms.CharField(label=_("First mediator"), max_length=NAME_MAX, required=False)
    mediator_2 = forms.CharField(label=_("Second mediator"), max_length=NAME_MAX, required=False)
    interpreter_name = forms.CharField(label=_("Interpreter"), max_length=NAME_MAX, required=False)
    interpreter_language = forms.ChoiceField(label=_("Interpreter's language"), required=False)
    employer_cost_percent = forms.IntegerField(
        label=_("Employer's share of the cost (%)"), min_value=0, max_value=100, initial=50,
        help_text=_("The worker bears the rest. Under the platform's scheme the employer bears half."),
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("No interpreter")), *_language_choices()]
        self.fields["interpreter_language"].choices = choices  # type: ignore[attr-defined]


class AdrUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=AdrStatus.choices)
    session = forms.DateField(
        label=_("Session held on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    outcome = forms.CharField(
        label=_("Outcome"), max_length=TEXT_MAX, required=False, widget=_textarea(),
        help_text=_("Stored encrypted."),
    )  # fmt: skip
