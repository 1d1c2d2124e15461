"""The desk's triage of a case: categories, severity, ILO indicators, organisations involved."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from koe.cases.models import Case, CaseSeverity, Category
from koe.organizations.models import Organization, OrganizationKind
from koe.surveys.indicators import ALL_TAGS, mask_of, tags_in

EMPLOYER_KINDS = (OrganizationKind.BRAND_HOLDER, OrganizationKind.SUPPLY_CHAIN, OrganizationKind.OTHER)
INTERMEDIARY_KINDS = (OrganizationKind.SUPERVISING, OrganizationKind.SUPPORT, OrganizationKind.AGENCY)


class CaseTriageForm(forms.Form):
    categories = forms.MultipleChoiceField(
        label=_("Categories"), choices=Category.choices, widget=forms.CheckboxSelectMultiple
    )
    severity = forms.ChoiceField(label=_("Severity"), choices=CaseSeverity.choices)
    indicators = forms.MultipleChoiceField(
        label=_("ILO indicators and rights involved"),
        required=False,
        choices=[(tag.code, tag.label) for tag in ALL_TAGS],
        widget=forms.CheckboxSelectMultiple,
    )
    employer = forms.ModelChoiceField(
        label=_("Employer (registered in Koe)"), required=False, queryset=Organization.objects.none()
    )
    supervising_organization = forms.ModelChoiceField(
        label=_("Supervising or support organisation"), required=False, queryset=Organization.objects.none()
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        kwargs.setdefault("initial", _initial(case))
        super().__init__(*args, **kwargs)
        employer = self.fields["employer"]
        assert isinstance(employer, forms.ModelChoiceField)
        employer.queryset = Organization.objects.filter(kind__in=EMPLOYER_KINDS).order_by("name")
        intermediary = self.fields["supervising_organization"]
        assert isinstance(intermediary, forms.ModelChoiceField)
        intermediary.queryset = Organization.objects.filter(kind__in=INTERMEDIARY_KINDS).order_by("name")

    def triage_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "categories": list(data["categories"]),
            "severity": data["severity"],
            "indicators": mask_of(data["indicators"]),
            "employer": data["employer"],
            "supervising_organization": data["supervising_organization"],
        }


def _initial(case: Case) -> dict[str, Any]:
    return {
        "categories": case.categories,
        "severity": case.severity,
        "indicators": [tag.code for tag in tags_in(case.indicators)],
        "employer": case.employer_id,
        "supervising_organization": case.supervising_organization_id,
    }
