"""Forms a worker fills in at the desk: a new consultation, opening it again with the receipt
code and PIN, and a reply. Every message is Koe's own, so it reads in every supported language."""

import uuid
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from koe.cases.attachments import AttachmentsField
from koe.cases.models import CONTACT_NEEDS_DETAIL, Category, ContactMethod
from koe.core.codes import ascii_digits

ACCOUNT_MAX = 5000
MESSAGE_MAX = 5000
EMPLOYER_MAX = 200
CONTACT_DETAIL_MAX = 200
PIN_MIN, PIN_MAX = 6, 12
CODE_INPUT_MAX = 40


def _category_choices() -> list[tuple[str, Any]]:
    named = [(value, label) for value, label in Category.choices if value != Category.OTHER]
    return [*named, (Category.OTHER, _("I am not sure, or something else"))]


def _text_area(rows: int) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def _pin_input() -> forms.PasswordInput:
    return forms.PasswordInput(attrs={"inputmode": "numeric", "autocomplete": "off"})


class IntakeForm(forms.Form):
    """A new consultation. Without an account the worker also chooses a PIN; with one, the desk
    may answer in their Koe account."""

    account = forms.CharField(
        label=_("What happened?"),
        max_length=ACCOUNT_MAX,
        widget=_text_area(8),
        help_text=_("Write in your own language. Say what happened, when and where, as much as you want."),
        error_messages={
            "required": _("Please tell us what happened."),
            "max_length": _("Please keep it under %(limit_value)d characters (you wrote %(show_value)d)."),
        },
    )
    category = forms.ChoiceField(
        label=_("What is it about?"), required=False, choices=_category_choices, widget=forms.RadioSelect
    )
    employer_named = forms.CharField(
        label=_("Employer or workplace (optional)"),
        required=False,
        max_length=EMPLOYER_MAX,
        help_text=_("Only the desk sees it. Your employer is never told without your agreement."),
    )
    contact_method = forms.ChoiceField(label=_("How can the desk contact you?"), widget=forms.RadioSelect)
    contact_detail = forms.CharField(
        label=_("Your phone number, e-mail or messaging ID"),
        required=False,
        max_length=CONTACT_DETAIL_MAX,
        help_text=_("Only the desk sees it."),
    )
    pin = forms.CharField(
        label=_("Choose a PIN (6 to 12 numbers)"),
        widget=_pin_input(),
        help_text=_("You will need it, with your receipt code, to read the desk's answer."),
    )
    pin_again = forms.CharField(label=_("Enter the PIN again"), widget=_pin_input())
    intake_key = forms.UUIDField(widget=forms.HiddenInput, required=False)
    attachments = AttachmentsField()

    def __init__(self, *args: Any, signed_in: bool, known_employer: Any = None, **kwargs: Any):
        kwargs.setdefault("initial", {"intake_key": uuid.uuid4()})
        super().__init__(*args, **kwargs)
        self.signed_in = signed_in
        self.known_employer = known_employer
        if known_employer is not None:
            self.fields["about_known_employer"] = forms.BooleanField(
                label=_("This is about my employer, %(name)s.") % {"name": known_employer.name},
                required=False,
                initial=True,
                help_text=_(
                    "Then the desk knows which company it is about. The company is not told unless you agree."
                ),
            )
        methods = [(v, label) for v, label in ContactMethod.choices if signed_in or v != ContactMethod.KOE]
        cast(forms.ChoiceField, self.fields["contact_method"]).choices = methods
        self.fields["contact_method"].initial = ContactMethod.KOE if signed_in else ContactMethod.NONE
        if signed_in:
            del self.fields["pin"], self.fields["pin_again"]
        else:
            for name in ("pin", "pin_again"):
                self.fields[name].error_messages["required"] = _("Please choose a PIN of 6 to 12 numbers.")

    def clean_account(self) -> str:
        account = self.cleaned_data["account"].strip()
        if not account:
            raise forms.ValidationError(_("Please tell us what happened."))
        return account

    def clean_pin(self) -> str:
        pin = ascii_digits(self.cleaned_data["pin"])
        if len(pin) != len(self.cleaned_data["pin"].strip()) or not PIN_MIN <= len(pin) <= PIN_MAX:
            raise forms.ValidationError(_("A PIN has 6 to 12 numbers, and only numbers."))
        return pin

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        pin, again = cleaned.get("pin"), cleaned.get("pin_again")
        if pin and again is not None and ascii_digits(again) != pin:
            self.add_error("pin_again", _("The two PINs are not the same. Please enter them again."))
        if (
            cleaned.get("contact_method") in CONTACT_NEEDS_DETAIL
            and not cleaned.get("contact_detail", "").strip()
        ):
            self.add_error("contact_detail", _("Please write how we can reach you, or choose another way."))
        return cleaned

    def case_fields(self) -> dict[str, Any]:
        """What ``case_open`` takes from this form."""
        data = self.cleaned_data
        method = data["contact_method"]
        return {
            "account": data["account"],
            "categories": [data["category"] or Category.OTHER],
            "employer_named": data["employer_named"].strip(),
            "employer": self.known_employer if data.get("about_known_employer") else None,
            "contact_method": method,
            "contact_detail": data["contact_detail"].strip() if method in CONTACT_NEEDS_DETAIL else "",
            "pin": data.get("pin", ""),
            "intake_key": data["intake_key"] or uuid.uuid4(),
        }


class OpenCaseForm(forms.Form):
    code = forms.CharField(
        label=_("Receipt code"),
        max_length=CODE_INPUT_MAX,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_("The 12 numbers you were given when you sent your consultation."),
        error_messages={"required": _("Please enter your receipt code.")},
    )
    pin = forms.CharField(
        label=_("PIN"),
        max_length=CODE_INPUT_MAX,
        widget=_pin_input(),
        error_messages={"required": _("Please enter your PIN.")},
    )

    def clean_code(self) -> str:
        digits = ascii_digits(self.cleaned_data["code"])
        if len(digits) != 12:
            raise forms.ValidationError(_("A receipt code has 12 numbers. Please check it and try again."))
        return digits

    def clean_pin(self) -> str:
        return ascii_digits(self.cleaned_data["pin"])


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"),
        max_length=MESSAGE_MAX,
        widget=_text_area(5),
        error_messages={
            "required": _("Please write your message."),
            "max_length": _("Please keep it under %(limit_value)d characters (you wrote %(show_value)d)."),
        },
    )
    attachments = AttachmentsField()

    def clean_body(self) -> str:
        body = self.cleaned_data["body"].strip()
        if not body:
            raise forms.ValidationError(_("Please write your message."))
        return body
