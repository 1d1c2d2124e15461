"""The desk's forms: filters above the alert queue and the case inbox (GET forms: they work
without JavaScript), and the forms of a case's page and of a consultation logged by the desk."""

import uuid
from typing import Any, cast

from django import forms
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from config.languages import LANGUAGE_CODES
from koe.accounts.models import Role, User
from koe.cases.attachments import AttachmentsField
from koe.cases.models import (
    CONTACT_NEEDS_DETAIL,
    AlertSeverity,
    AlertStatus,
    Case,
    CaseSeverity,
    CaseStatus,
    Category,
    ContactMethod,
    IntakeChannel,
)
from koe.cases.selectors import (
    InboxFilters,
    QueueFilters,
    assignable_staff,
    desk_staff,
    organizations_in_cases,
)
from koe.cases.workflow import allowed_next


def _language_choices() -> list[tuple[str, str]]:
    """Each language named in the page's language, so a consultant can read every option."""
    return [(code, get_language_info(code)["name_translated"]) for code in LANGUAGE_CODES]


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Open (new and acknowledged)")), *AlertStatus.choices],
    )
    severity = forms.ChoiceField(
        label=_("Severity"), required=False, choices=[("", _("Any severity")), *AlertSeverity.choices]
    )
    language = forms.ChoiceField(label=_("Language"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        language = cast(forms.ChoiceField, self.fields["language"])
        language.choices = [("", _("Any language")), *_language_choices()]

    def filters(self) -> QueueFilters:
        """The valid filters; an invalid one is dropped rather than failing the page."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return QueueFilters(
            status=data.get("status") or "",
            severity=data.get("severity") or "",
            language=data.get("language") or "",
        )


class CaseInboxFilterForm(forms.Form):
    search = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_(
            "Case number, employer name, category, or words from the case and its messages. Words are "
            "matched whole; in Japanese, Chinese and Burmese, by pieces of two characters."
        ),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Open (not resolved or closed)")), *CaseStatus.choices],
    )
    severity = forms.ChoiceField(
        label=_("Severity"), required=False, choices=[("", _("Any severity")), *CaseSeverity.choices]
    )
    language = forms.ChoiceField(label=_("Language"), required=False)
    assignee = forms.ChoiceField(label=_("Assigned to"), required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    organization = forms.TypedChoiceField(
        label=_("Organisation"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        language = cast(forms.ChoiceField, self.fields["language"])
        language.choices = [("", _("Any language")), *_language_choices()]
        assignee = cast(forms.ChoiceField, self.fields["assignee"])
        people = [(str(person.pk), person.get_username()) for person in desk_staff()]
        assignee.choices = [("", _("Anyone")), ("me", _("Me")), ("unassigned", _("Nobody")), *people]
        organization = cast(forms.TypedChoiceField, self.fields["organization"])
        organization.choices = [("", _("Any organisation")), *organizations_in_cases()]

    def filters(self) -> InboxFilters:
        """The valid filters; an invalid one is dropped rather than failing the page."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return InboxFilters(
            status=data.get("status") or "",
            language=data.get("language") or "",
            severity=data.get("severity") or "",
            overdue=bool(data.get("overdue")),
            assignee=data.get("assignee") or "",
            search=data.get("search") or "",
            organization=data.get("organization") or None,
        )


REASON_MAX = 2000
TEXT_MAX = 10000


class CaseStatusForm(forms.Form):
    """Only the statuses the workflow allows after the present one are offered."""

    to_status = forms.ChoiceField(label=_("New status"))
    reason = forms.CharField(
        label=_("Why"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say why the status changes.")},
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = allowed_next(case.status)
        field = cast(forms.ChoiceField, self.fields["to_status"])
        field.choices = [(value, label) for value, label in CaseStatus.choices if value in allowed]
        field.error_messages["invalid_choice"] = _(
            "This status cannot follow the case's present status. Choose one of those offered."
        )

    def clean_reason(self) -> str:
        reason = str(self.cleaned_data["reason"]).strip()
        if not reason:
            raise forms.ValidationError(_("Say why the status changes."))
        return reason


NOBODY = "nobody"


class CaseAssignForm(forms.Form):
    """A supervisor assigns anyone at the desk (those who speak the case's language are listed
    first) or nobody; a consultant may only take an unassigned case."""

    assignee = forms.ChoiceField(label=_("Assign to"))
    reason = forms.CharField(
        label=_("Note (optional)"), required=False, max_length=REASON_MAX, widget=forms.TextInput()
    )

    def __init__(self, *args: Any, case: Case, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case, self.user = case, user
        field = cast(forms.ChoiceField, self.fields["assignee"])
        field.choices = self._choices()
        field.error_messages["invalid_choice"] = _("You cannot assign this case to that person.")

    @property
    def is_offered(self) -> bool:
        return bool(cast(forms.ChoiceField, self.fields["assignee"]).choices)

    def _choices(self) -> list[Any]:
        if self.user.role != Role.SUPERVISOR:
            if self.case.assignee_id is None:
                return [(str(self.user.pk), _("Me (take this case)"))]
            return []
        speakers, others = assignable_staff(self.case)
        language = get_language_info(self.case.language)["name_translated"]
        groups: list[Any] = [(NOBODY, _("Nobody"))]
        if speakers:
            label = _("Speak %(language)s") % {"language": language}
            groups.append((label, [(str(person.pk), person.get_username()) for person in speakers]))
        if others:
            groups.append(
                (_("Other desk staff"), [(str(person.pk), person.get_username()) for person in others])
            )
        return groups

    def chosen_assignee(self) -> User | None:
        value = self.cleaned_data["assignee"]
        return None if value == NOBODY else desk_staff().get(pk=int(value))


class CaseMessageForm(forms.Form):
    body = forms.CharField(
        label=_("Reply to the worker"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The worker sees this message."),
    )
    attachments = AttachmentsField(label=_("Photos or documents for the worker (optional)"))


class InternalNoteForm(forms.Form):
    body = forms.CharField(
        label=_("Internal note"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For the desk only: never shown to the worker."),
    )


# A consultation logged by the desk comes by phone, social media, in person or by e-mail: the
# portal and the self-check open their cases themselves.
LOGGED_CHANNELS = [
    (value, label)
    for value, label in IntakeChannel.choices
    if value not in (IntakeChannel.PORTAL, IntakeChannel.SELF_CHECK)
]
# No Koe account stands behind a logged consultation, so a message in Koe cannot reach anyone.
LOGGED_CONTACT_METHODS = [
    (value, label) for value, label in ContactMethod.choices if value != ContactMethod.KOE
]


class CaseLogForm(forms.Form):
    """A consultation taken by phone, social media, in person or by e-mail, on the worker's behalf.
    ``intake_key`` makes a doubled send open one case."""

    intake_key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)
    channel = forms.ChoiceField(label=_("How the worker reached the desk"), choices=LOGGED_CHANNELS)
    language = forms.ChoiceField(label=_("Language of the consultation"))
    categories = forms.MultipleChoiceField(
        label=_("Categories"), choices=Category.choices, widget=forms.CheckboxSelectMultiple
    )
    severity = forms.ChoiceField(
        label=_("Severity"), choices=CaseSeverity.choices, initial=CaseSeverity.ROUTINE
    )
    account = forms.CharField(
        label=_("What happened"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 8})
    )
    employer_named = forms.CharField(
        label=_("Employer or workplace, as the worker named it (optional)"), required=False, max_length=300
    )
    contact_method = forms.ChoiceField(
        label=_("How the worker wants to be contacted"), choices=LOGGED_CONTACT_METHODS
    )
    contact_detail = forms.CharField(
        label=_("Contact detail (phone number, e-mail address or account)"), required=False, max_length=300
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["language"]).choices = _language_choices()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("contact_method") in CONTACT_NEEDS_DETAIL
            and not str(data.get("contact_detail", "")).strip()
        ):
            self.add_error(
                "contact_detail", _("Give the phone number, e-mail address or account to contact.")
            )
        return data
