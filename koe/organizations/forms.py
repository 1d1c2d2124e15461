import unicodedata
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from koe.organizations.corporate_number import validate_corporate_number
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
