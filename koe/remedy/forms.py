"""Forms for corrective action: the company's plan and steps and evidence, the desk's review,
and the worker's answer (Koe's own words, so it reads in every supported language)."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from koe.accounts.models import Role, User
from koe.cases.attachments import AttachmentsField
from koe.cases.sharing_forms import comment_to_desk_field, satisfaction_field
from koe.remedy.models import ActionStatus, CorrectiveAction, ReviewDecision
from koe.remedy.services import COMPANY_MOVES

TEXT_MAX = 10000
COMMENT_MAX = 2000


class ActionForm(forms.Form):
    plan = forms.CharField(
        label=_("What your company will do"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("The steps, who they concern and how you will know that the problem is solved."),
        error_messages={"required": _("Describe the plan.")},
    )
    owner_user = forms.ModelChoiceField(
        label=_("Owner in your company"), queryset=User.objects.none(), required=False,
        empty_label=_("Nobody chosen"),
    )  # fmt: skip
    owner_name = forms.CharField(
        label=_("Or the owner's name and role"), max_length=200, required=False,
        help_text=_("For an owner without a Koe account."),
    )  # fmt: skip
    due_date = forms.DateField(
        label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": _("Give a due date."), "invalid": _("Give the date as YYYY-MM-DD.")},
    )  # fmt: skip

    def __init__(self, *args: Any, organization: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        users = User.objects.filter(organization=organization, role=Role.COMPANY, is_active=True)
        self.fields["owner_user"].queryset = users.order_by("username")  # type: ignore[attr-defined]
        self.fields["owner_user"].label_from_instance = lambda user: user.get_username()  # type: ignore[attr-defined]

    @classmethod
    def for_action(cls, action: CorrectiveAction, **kwargs: Any) -> "ActionForm":
        initial = {"plan": action.plan, "owner_user": action.owner_user_id, "owner_name": action.owner_name,
                   "due_date": action.due_date}  # fmt: skip
        return cls(organization=action.organization, initial=initial, **kwargs)

    def clean_due_date(self) -> Any:
        """A new due date cannot lie in the past; an action already overdue may keep its date
        (the company cannot hide that it is overdue by editing the plan, nor is it forced to)."""
        due = self.cleaned_data["due_date"]
        if due < timezone.localdate() and due != self.initial.get("due_date"):
            raise forms.ValidationError(_("The due date cannot be in the past."))
        return due

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("owner_user") and not str(data.get("owner_name", "")).strip():
            self.add_error("owner_name", _("Choose an owner or write the owner's name."))
        return data

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {key: data[key] for key in ("plan", "owner_user", "owner_name", "due_date")}


# The words of a company's steps, as buttons say them.
MOVE_LABELS: dict[str, Any] = {
    ActionStatus.DO: _("We have started (move to Do)"),
    ActionStatus.PLAN: _("Back to the plan"),
    ActionStatus.CHECK: _("Done: ask the desk and the worker to check"),
    ActionStatus.CLOSED: _("The change is in place: close the action"),
}


def company_moves(action: CorrectiveAction) -> list[tuple[str, Any]]:
    return [(status, MOVE_LABELS[status]) for status in ActionStatus.values
            if status in COMPANY_MOVES.get(action.status, frozenset())]  # fmt: skip


class StatusForm(forms.Form):
    to_status = forms.ChoiceField(choices=[])

    def __init__(self, *args: Any, action: CorrectiveAction, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["to_status"].choices = company_moves(action)  # type: ignore[attr-defined]


class EvidenceForm(forms.Form):
    evidence = AttachmentsField(label=_("Evidence files"), required=True, help_text="")


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Your review"), choices=ReviewDecision.choices, widget=forms.RadioSelect,
        error_messages={"required": _("Choose accepted or needs changes.")},
    )  # fmt: skip
    comment = forms.CharField(
        label=_("Comment for the company"), max_length=COMMENT_MAX, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The company reads this. Never write the worker's name or words here."),
    )  # fmt: skip

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == ReviewDecision.NEEDS_CHANGES and not str(data.get("comment", "")).strip():
            self.add_error("comment", _("Say what needs to change."))
        return data


class WorkerAnswerForm(forms.Form):
    answer = satisfaction_field(_("Did this solve the problem?"))
    comment = comment_to_desk_field(_("Only the desk reads this. The company sees only yes, partly or no."))
