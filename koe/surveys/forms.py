"""Forms of the self-check: one built per section from the definition, in the page's language."""

from datetime import date
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from koe.accounts.models import Nationality, ResidenceStatus
from koe.cases.models import CONTACT_NEEDS_DETAIL
from koe.core.codes import ascii_digits
from koe.organizations.japan import INDUSTRY_CHOICES, PREFECTURE_CHOICES
from koe.surveys.definition import YES_NO_UNSURE, Definition, Item, Section

TEXT_ANSWER_MAX = 1000
RESUME_CODE_INPUT_MAX = 40


def _blank(label: Any) -> list[tuple[str, Any]]:
    return [("", label)]


class SectionForm(forms.Form):
    """Every answer is optional: a worker may skip any question they do not want to answer."""

    def __init__(self, *args: Any, definition: Definition, section: Section, language: str, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.section = section
        for item in section.items:
            self.fields[item.code] = _field_for(item, definition, language)

    def answers(self) -> dict[str, Any]:
        return {code: _stored(value) for code, value in self.cleaned_data.items()}


def _stored(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    return value


def _field_for(item: Item, definition: Definition, language: str) -> forms.Field:
    label = definition.text(f"item.{item.code}.question", language)
    if item.type == "yes_no_unsure":
        choices = [(code, definition.text(f"answer.{code}", language)) for code in YES_NO_UNSURE]
        return forms.ChoiceField(label=label, choices=choices, required=False, widget=forms.RadioSelect)
    if item.type in ("single", "multiple"):
        choices = [(o.code, definition.text(f"option.{item.code}.{o.code}", language)) for o in item.options]
        if item.type == "single":
            return forms.ChoiceField(label=label, choices=choices, required=False, widget=forms.RadioSelect)
        return forms.MultipleChoiceField(
            label=label, choices=choices, required=False, widget=forms.CheckboxSelectMultiple
        )
    if item.type == "number":
        return forms.IntegerField(
            label=label,
            required=False,
            min_value=item.minimum,
            max_value=item.maximum,
            help_text=definition.text(f"item.{item.code}.unit", language),
            widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        )
    if item.type == "date":
        return forms.DateField(label=label, required=False, widget=forms.DateInput(attrs={"type": "date"}))
    return forms.CharField(
        label=label, required=False, max_length=TEXT_ANSWER_MAX, widget=forms.Textarea(attrs={"rows": 4})
    )


def initial_for(section: Section, answers: dict[str, Any]) -> dict[str, Any]:
    return {item.code: answers[item.code] for item in section.items if item.code in answers}


class AboutYouForm(forms.Form):
    """Optional facts that let reports group answers; never who the worker is."""

    nationality = forms.ChoiceField(
        label=_("Your nationality"),
        required=False,
        choices=_blank(_("I prefer not to say")) + Nationality.choices,
    )
    residence_status = forms.ChoiceField(
        label=_("Your residence status"),
        required=False,
        choices=_blank(_("I prefer not to say")) + ResidenceStatus.choices,
    )
    prefecture = forms.ChoiceField(
        label=_("Where you work (prefecture)"),
        required=False,
        choices=_blank(_("I prefer not to say")) + list(PREFECTURE_CHOICES),
    )
    industry = forms.ChoiceField(
        label=_("Your kind of work"),
        required=False,
        choices=_blank(_("I prefer not to say")) + list(INDUSTRY_CHOICES),
    )


class ResumeForm(forms.Form):
    code = forms.CharField(
        label=_("Your code"),
        max_length=RESUME_CODE_INPUT_MAX,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_("The 12 numbers you were given when you saved your answers."),
    )

    def clean_code(self) -> str:
        digits = ascii_digits(self.cleaned_data["code"])
        if len(digits) != 12:
            raise forms.ValidationError(_("A code has 12 numbers. Please check it and try again."))
        return digits


class ContactRequestForm(forms.Form):
    """On the result page: whether and how the desk may contact the worker, and what it may see."""

    method = forms.ChoiceField(label=_("How can the desk contact you?"), widget=forms.RadioSelect)
    detail = forms.CharField(
        label=_("Your phone number, e-mail or messaging ID"),
        required=False,
        max_length=200,
        help_text=_("Only the desk sees it. Leave it empty if you chose a message in your Koe account."),
    )
    shared_items = forms.MultipleChoiceField(
        label=_("Which of your answers may the consultant see?"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only what you tick is shown to the consultant."),
    )
    message = forms.CharField(
        label=_("Anything you want to tell the consultant (optional)"),
        required=False,
        max_length=TEXT_ANSWER_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(
        self, *args: Any, methods: list[tuple[str, Any]], items: list[tuple[str, str]], **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["method"]).choices = methods
        cast(forms.MultipleChoiceField, self.fields["shared_items"]).choices = items

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("method") in CONTACT_NEEDS_DETAIL and not cleaned.get("detail", "").strip():
            self.add_error("detail", _("Please write how we can reach you, or choose another way."))
        return cleaned

    def request_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        detail = data["detail"].strip() if data["method"] in CONTACT_NEEDS_DETAIL else ""
        return {
            "method": data["method"],
            "detail": detail,
            "message": data["message"].strip(),
            "shared_items": list(data["shared_items"]),
        }
