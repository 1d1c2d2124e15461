import unicodedata
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from config.languages import LANGUAGES
from koe.accounts.forms import USERNAME_MAX_LENGTH, check_new_password, validate_username_characters
from koe.accounts.services import username_is_taken
from koe.organizations.corporate_number import validate_corporate_number
from koe.organizations.import_files import MAX_BYTES
from koe.organizations.invitations import invitable_organizations
from koe.organizations.japan import INDUSTRY_CHOICES, PREFECTURE_CHOICES
from koe.organizations.models import Organization
from koe.organizations.selectors import organizations_visible_to

REQUIRED = _("Please fill in this field.")
MAX_TIER = 20


def normalize_corporate_number(value: str) -> str:
    """Accepts what people paste or type: full-width digits from a Japanese input method, and the
    hyphens or spaces some registries print. The stored value is always 13 ASCII digits."""
    value = unicodedata.normalize("NFKC", value)
    return "".join(character for character in value if character not in "- \u2010\u2212")


class SupplierForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, error_messages={"required": REQUIRED})
    corporate_number = forms.CharField(
        label=_("Corporate number"),
        max_length=20,
        required=False,
        help_text=_("13 digits. If this company is already on Koe, it is linked rather than added again."),
    )
    is_foreign = forms.BooleanField(
        label=_("Foreign entity without a Japanese corporate number"), required=False
    )
    prefecture = forms.ChoiceField(
        label=_("Prefecture"), choices=[("", "—"), *PREFECTURE_CHOICES], required=False
    )
    industry = forms.ChoiceField(label=_("Industry"), choices=[("", "—"), *INDUSTRY_CHOICES], required=False)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    buyer = forms.ModelChoiceField(
        label=_("Supplies to"),
        queryset=Organization.objects.none(),
        help_text=_("The company in your supply chain that this supplier delivers to."),
        error_messages={
            "required": REQUIRED,
            "invalid_choice": _("Please choose a company from the list."),
        },
    )
    tier = forms.IntegerField(
        label=_("Tier"),
        min_value=1,
        max_value=MAX_TIER,
        initial=1,
        help_text=_(
            "Its tier in the brand holder's supply chain: 1 for a direct supplier of the brand holder, 2 for a supplier of a tier-1 supplier, and so on."
        ),
        error_messages={
            "required": REQUIRED,
            "invalid": _("Please enter a whole number."),
            "min_value": _("The tier must be at least 1."),
            "max_value": _("The tier must be at most %(limit_value)s."),
        },
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        buyer = cast(forms.ModelChoiceField, self.fields["buyer"])
        buyer.queryset = organizations_visible_to(user)
        buyer.initial = user.organization_id

    def clean_corporate_number(self) -> str:
        number = normalize_corporate_number(self.cleaned_data.get("corporate_number", ""))
        validate_corporate_number(number)
        return number

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (
            not cleaned.get("is_foreign")
            and not cleaned.get("corporate_number")
            and "corporate_number" not in self.errors
        ):
            self.add_error(
                "corporate_number",
                ValidationError(_("A Japanese organisation needs its corporate number."), code="required"),
            )
        return cleaned

    def organization_fields(self) -> dict[str, Any]:
        keys = ("name", "corporate_number", "is_foreign", "prefecture", "industry", "address")
        return {key: self.cleaned_data[key] for key in keys}

    def add_service_error(self, error: ValidationError) -> None:
        """Puts an error raised by the services next to the field it is about."""
        if hasattr(error, "error_dict"):
            self.add_error(None, error)
        elif getattr(error, "code", None) == "has_chain":
            self.add_error("corporate_number", error)
        else:
            self.add_error("buyer", error)


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or Excel file"),
        help_text=_("CSV (UTF-8 or Shift_JIS) or Excel workbook (.xlsx), up to 5 MB and 20,000 rows."),
        error_messages={"required": _("Please choose a file."), "empty": _("This file is empty.")},
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx,text/csv"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise ValidationError(_("This file is larger than 5 MB. Please split it into smaller files."))
        return upload


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail"),
        error_messages={"required": REQUIRED, "invalid": _("Enter a valid e-mail address.")},
    )
    organization = forms.ModelChoiceField(
        label=_("Company"),
        queryset=Organization.objects.none(),
        empty_label=None,
        help_text=_(
            "Your own organisation, or a company of your supply chain that you registered and that has no user yet (its first user becomes its admin)."
        ),
        error_messages={"required": REQUIRED, "invalid_choice": _("Please choose a company from the list.")},
    )
    is_admin = forms.BooleanField(
        label=_("Company admin (may import suppliers and invite colleagues)"), required=False
    )
    language = forms.ChoiceField(label=_("Language of the invitation e-mail"), choices=LANGUAGES)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["organization"])
        field.queryset = invitable_organizations(user)
        field.initial = user.organization_id
        self.fields["language"].initial = get_language()


class AcceptInvitationForm(forms.Form):
    username = forms.CharField(
        label=_("User name"),
        max_length=USERNAME_MAX_LENGTH,
        validators=[validate_username_characters],
        error_messages={"required": REQUIRED, "max_length": _("This user name is too long.")},
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    password1 = forms.CharField(
        label=_("Password"), strip=False, error_messages={"required": REQUIRED},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )  # fmt: skip
    password2 = forms.CharField(
        label=_("Password again"), strip=False, error_messages={"required": REQUIRED},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )  # fmt: skip

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        if username_is_taken(username):
            raise ValidationError(_("This user name is already taken. Choose another."), code="taken")
        return username

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        check_new_password(self, cleaned)
        return cleaned
