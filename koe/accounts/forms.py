"""Account forms. Every message a worker can see is one of Koe's own strings, so it is translated
into every language Koe speaks (Django's built-in messages are missing for Tagalog and Burmese)."""

import re
import unicodedata
from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _

from config.languages import LANGUAGES
from koe.accounts.models import Nationality, ResidenceStatus, User
from koe.notifications.models import Channel

REQUIRED = _("Please fill in this field.")
USERNAME_MAX_LENGTH = 150
USERNAME_PUNCTUATION = frozenset("._-@+")
PHONE_PATTERN = re.compile(r"^\+?[0-9][0-9 ()-]{5,24}$")


def validate_username_characters(value: str) -> None:
    """Letters (with their vowel signs, so Burmese and Nepali names work), digits and ._-@+ only."""
    for character in value:
        category = unicodedata.category(character)
        if category[0] not in "LMN" and character not in USERNAME_PUNCTUATION:
            raise ValidationError(
                _("Use only letters, numbers and the signs . _ - @ + (no spaces)."), code="invalid"
            )


def translated_password_errors(password: str, username: str) -> list[str]:
    """Runs the configured password validators and words their complaints in Koe's own strings."""
    try:
        password_validation.validate_password(password, user=User(username=username))
    except ValidationError as error:
        return list(dict.fromkeys(_password_message(item) for item in error.error_list))
    return []


def _password_message(error: ValidationError) -> str:
    params = error.params or {}
    if error.code == "password_too_short":
        count = int(params.get("min_length", 8))
        return ngettext("Use at least %(count)d character.", "Use at least %(count)d characters.", count) % {
            "count": count
        }
    messages = {
        "password_too_common": _("This password is too common. Choose another."),
        "password_entirely_numeric": _("Do not use only numbers. Add some letters."),
        "password_too_similar": _("This password is too close to your user name. Choose another."),
    }
    return str(messages.get(error.code or "", _("This password is too easy to guess. Choose another.")))


def language_field(**kwargs: Any) -> forms.ChoiceField:
    """Each language named in itself, so a worker finds theirs whatever the page's language."""
    return forms.ChoiceField(
        label=_("Language"),
        choices=LANGUAGES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a language."), "invalid_choice": _("Choose a language.")},
        **kwargs,
    )


class RegistrationForm(forms.Form):
    username = forms.CharField(
        label=_("User name"),
        max_length=USERNAME_MAX_LENGTH,
        help_text=_("Choose a nickname. Do not use your real name: nobody needs to know who you are."),
        validators=[validate_username_characters],
        error_messages={
            "required": REQUIRED,
            "max_length": _("This user name is too long."),
        },
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        help_text=_("At least 8 characters. Do not use a password you use anywhere else."),
        error_messages={"required": REQUIRED},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        error_messages={"required": REQUIRED},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    language = language_field()
    email = forms.EmailField(
        label=_("E-mail (optional)"),
        required=False,
        help_text=_("Only to help you if you forget your password. It is stored encrypted."),
        error_messages={"invalid": _("Enter a valid e-mail address, or leave this empty.")},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Phone (optional)"),
        required=False,
        max_length=30,
        help_text=_("Only to help you if you forget your password. It is stored encrypted."),
        error_messages={"max_length": _("Enter a valid phone number, or leave this empty.")},
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    nationality = forms.ChoiceField(
        label=_("Nationality (optional)"),
        required=False,
        choices=[("", _("I prefer not to say")), *Nationality.choices],
        error_messages={"invalid_choice": _("Choose from the list.")},
    )
    consent = forms.BooleanField(
        label=_("I have read the privacy policy and I agree to it."),
        error_messages={"required": _("You can only create an account if you agree to the privacy policy.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].initial = get_language()

    def clean_username(self) -> str:
        username = User.normalize_username(self.cleaned_data["username"].strip())
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError(_("This user name is already taken. Choose another."), code="taken")
        return username

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        if phone and not PHONE_PATTERN.match(phone):
            raise ValidationError(_("Enter a valid phone number, or leave this empty."), code="invalid")
        return phone

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        check_new_password(self, cleaned)
        return cleaned


def check_new_password(form: forms.Form, cleaned: dict[str, Any]) -> None:
    """A new password typed twice (``password1``, ``password2``): the same, and strong enough,
    with the validators' messages in the reader's language."""
    password, again = cleaned.get("password1"), cleaned.get("password2")
    if password and again and password != again:
        form.add_error("password2", _("The two passwords are not the same."))
    elif password:
        for message in translated_password_errors(password, cleaned.get("username", "")):
            form.add_error("password1", message)


class LoginForm(forms.Form):
    username = forms.CharField(
        label=_("User name"),
        max_length=USERNAME_MAX_LENGTH,
        error_messages={"required": REQUIRED, "max_length": _("This user name is too long.")},
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        error_messages={"required": REQUIRED},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class TwoFactorCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=12,
        error_messages={"required": REQUIRED, "max_length": _("The code has 6 digits.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autocapitalize": "none"}
        ),
    )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if not (code.isascii() and code.isdigit() and len(code) == 6):
            raise ValidationError(_("The code has 6 digits."), code="invalid")
        return code


class LanguagePreferenceForm(forms.Form):
    language = language_field()


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        error_messages={"required": REQUIRED},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class WorkerProfileForm(forms.Form):
    """What a worker may tell Koe about themselves, and how they want to be reminded."""

    nationality = forms.ChoiceField(
        label=_("Nationality (optional)"),
        required=False,
        choices=[("", _("I prefer not to say")), *Nationality.choices],
        error_messages={"invalid_choice": _("Choose from the list.")},
    )
    residence_status = forms.ChoiceField(
        label=_("Residence status (optional)"),
        required=False,
        choices=[("", _("I prefer not to say")), *ResidenceStatus.choices],
        error_messages={"invalid_choice": _("Choose from the list.")},
    )
    arrival_date = forms.DateField(
        label=_("Date you arrived in Japan (optional)"),
        required=False,
        input_formats=["%Y-%m-%d"],
        help_text=_(
            "With this date, Koe offers you the self-check a few months after you arrived, then regularly."
        ),
        error_messages={"invalid": _("Enter the date like this: 2026-04-01.")},
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    reminder_channel = forms.ChoiceField(
        label=_("When your self-check is ready, tell me"),
        choices=[
            (Channel.PORTAL, _("Here in Koe only, when I sign in")),
            (Channel.EMAIL, _("Also by e-mail, to my recovery e-mail")),
        ],
        initial=Channel.PORTAL,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose one."), "invalid_choice": _("Choose one.")},
    )

    def __init__(self, *args: Any, has_email: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.has_email = has_email

    def clean_arrival_date(self) -> Any:
        arrival = self.cleaned_data["arrival_date"]
        if arrival and arrival > timezone.localdate():
            raise ValidationError(_("This date is in the future."), code="future")
        return arrival

    def clean_reminder_channel(self) -> str:
        chosen = str(self.cleaned_data["reminder_channel"])
        if chosen == Channel.EMAIL and not self.has_email:
            raise ValidationError(
                _("You have no recovery e-mail, so Koe cannot send you e-mail."), code="no_email"
            )
        return chosen
