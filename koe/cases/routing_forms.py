"""The supervisor's handover form on the workload page."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from koe.accounts.models import User
from koe.cases.forms import REASON_MAX
from koe.cases.routing import holders_of_open_cases
from koe.cases.selectors import desk_staff


class HandoverForm(forms.Form):
    """From anyone holding open cases (someone who left included) to active desk staff."""

    from_user = forms.ChoiceField(label=_("Hand over all open cases of"))
    to_user = forms.ChoiceField(label=_("To"))
    only_spoken = forms.BooleanField(
        label=_("Only the cases in languages the new consultant speaks; leave the others unassigned"),
        required=False,
    )
    reason = forms.CharField(
        label=_("Why"),
        max_length=REASON_MAX,
        widget=forms.TextInput(),
        error_messages={"required": _("Say why the cases are handed over.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.holders = {str(person.pk): person for person in holders_of_open_cases()}
        self.staff = {str(person.pk): person for person in desk_staff()}
        cast(forms.ChoiceField, self.fields["from_user"]).choices = _named(self.holders)
        cast(forms.ChoiceField, self.fields["to_user"]).choices = _named(self.staff)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("from_user") and data.get("from_user") == data.get("to_user"):
            self.add_error("to_user", _("Choose someone else."))
        if not str(data.get("reason", "")).strip() and "reason" not in self.errors:
            self.add_error("reason", _("Say why the cases are handed over."))
        return data

    def chosen(self) -> tuple[User, User]:
        return self.holders[self.cleaned_data["from_user"]], self.staff[self.cleaned_data["to_user"]]


def _named(people: dict[str, User]) -> list[tuple[str, str]]:
    return [(pk, person.get_username()) for pk, person in people.items()]
