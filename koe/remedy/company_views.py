"""A company's pages for the cases its workers shared with it, and its corrective actions on them.

What a page shows depends on the worker's level of consent (koe/cases CaseShare): at "summary",
the case number, categories, severity, status, the month it was opened, the desk's summary for
companies, and the actions; at "full", also who the worker is and how to reach them (their Koe account and the contact they gave the desk). Never the
worker's messages or the desk's notes, nor the desk's deadlines: they are the desk's promises to
the worker, and the moment one turns overdue would tell the company when the worker came forward.
Every rendering is audited, the list as the case page.
"""

from typing import Any, cast

from django.contrib import messages
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from koe.accounts.models import Role, User
from koe.accounts.permissions import require_roles
from koe.audit.services import audit_record
from koe.cases.attachments import MAX_FILES, download_response, max_bytes
from koe.remedy import selectors, services
from koe.remedy.forms import ActionForm, EvidenceForm, StatusForm
from koe.remedy.models import CorrectiveAction
from koe.remedy.selectors import SharedCase

NOT_EDITABLE = gettext_lazy("This action can no longer be changed: only a planned or ongoing action can be.")


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


@require_roles(Role.COMPANY)
@require_GET
@never_cache
def case_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    shared = selectors.shared_cases(user)
    audit_record(
        actor=user, action="case.company_list", target=user.organization,
        detail={"cases": {s.case.number: s.level for s in shared}},
    )  # fmt: skip
    counts = selectors.action_counts(user, shared)
    rows = [(s, counts.get(s.case.pk, {})) for s in shared]
    return render(request, "remedy/company/case_list.html", {"rows": rows})


def _identity(shared: SharedCase) -> dict[str, Any] | None:
    """Who the worker is and what they wrote to the desk, only at the full level: what the consent
    form promised the worker this level shares (koe/cases/sharing_forms.py), and nothing more."""
    if not shared.is_full:
        return None
    case = shared.case
    return {
        "account": case.worker.get_username() if case.worker else "",
        "contact_method": case.get_contact_method_display(),
        "contact_detail": case.contact_detail,
        "account_of_events": case.account,
    }


def _case_page(request: HttpRequest, shared: SharedCase, status: int = 200, **bound: Form) -> HttpResponse:
    user = _user(request)
    case = shared.case
    audit_record(
        actor=user,
        action="case.company_view",
        target=case,
        detail={"number": case.number, "level": shared.level},
    )
    actions = list(selectors.company_actions(user, case))
    answers = selectors.answers_by_action(actions)
    today = timezone.localdate()
    context = {
        "shared": shared,
        "case": case,
        "identity": _identity(shared),
        "actions": [(action, action.is_overdue(today), answers.get(action.pk)) for action in actions],
        "form": bound.get("form") or ActionForm(organization=user.organization),
    }
    return render(request, "remedy/company/case_detail.html", context, status=status)


@require_roles(Role.COMPANY)
@require_GET
@never_cache
def case_detail(request: HttpRequest, number: str) -> HttpResponse:
    return _case_page(request, selectors.shared_case(_user(request), number))


@require_roles(Role.COMPANY)
@require_POST
def action_new(request: HttpRequest, number: str) -> HttpResponse:
    user = _user(request)
    shared = selectors.shared_case(user, number)
    form = ActionForm(request.POST, organization=user.organization)
    if not form.is_valid():
        return _case_page(request, shared, status=400, form=form)
    try:
        action = services.action_create(
            case=shared.case, organization=user.organization, actor=user, **form.service_kwargs()
        )
    except services.ActionRefused:
        # The case stopped being shared (or the owner left) between the page and the click.
        messages.error(request, _("The action could not be recorded. Reload the case and try again."))
        return redirect("remedy:company_cases")
    messages.success(request, _("Corrective action recorded."))
    return redirect("remedy:company_action", number=number, pk=action.pk)


def _action_page(
    request: HttpRequest, shared: SharedCase, action: CorrectiveAction, status: int = 200, **bound: Form
) -> HttpResponse:
    user = _user(request)
    audit_record(
        actor=user, action="case.company_view", target=shared.case,
        detail={"number": shared.case.number, "level": shared.level, "corrective_action": action.pk},
    )  # fmt: skip
    context = {
        "shared": shared,
        "case": shared.case,
        "action": action,
        "overdue": action.is_overdue(),
        "events": action.events.select_related("actor"),
        "reviews": action.reviews.all(),
        "answers": action.worker_answers.all(),
        "evidence": action.evidence.all(),
        "form": bound.get("form") or (ActionForm.for_action(action) if action.editable else None),
        "status_form": StatusForm(action=action),
        "evidence_form": bound.get("evidence_form") or EvidenceForm(),
        "max_evidence": services.MAX_EVIDENCE_FILES,
        "per_upload": MAX_FILES,
        "max_mb": max_bytes() // (1024 * 1024),
    }
    return render(request, "remedy/company/action_detail.html", context, status=status)


def _found(request: HttpRequest, number: str, pk: int) -> tuple[SharedCase, CorrectiveAction]:
    user = _user(request)
    shared = selectors.shared_case(user, number)
    return shared, selectors.company_action(user, shared, pk)


@require_roles(Role.COMPANY)
@require_http_methods(["GET", "POST"])
@never_cache
def action_detail(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    """The action's page; a POST changes the plan, owner or due date."""
    shared, action = _found(request, number, pk)
    if request.method == "GET":
        return _action_page(request, shared, action)
    if not action.editable:
        messages.error(request, NOT_EDITABLE)
        return _action_page(request, shared, action, status=400)
    # Bound with the action's own values as initial, so that an overdue action keeps its date.
    form = ActionForm.for_action(action, data=request.POST)
    if not form.is_valid():
        return _action_page(request, shared, action, status=400, form=form)
    try:
        services.action_update(action=action, actor=request.user, **form.service_kwargs())
    except services.ActionRefused:
        # Someone moved the action on (to checking or closed) since this page was loaded.
        messages.error(request, NOT_EDITABLE)
        return redirect("remedy:company_action", number=number, pk=action.pk)
    messages.success(request, _("Corrective action saved."))
    return redirect("remedy:company_action", number=number, pk=action.pk)


@require_roles(Role.COMPANY)
@require_POST
def action_status(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    _shared, action = _found(request, number, pk)
    form = StatusForm(request.POST, action=action)
    try:
        if not form.is_valid():
            raise services.ActionRefused("not a step the company can take now")
        services.action_transition(
            action=action, to_status=form.cleaned_data["to_status"], actor=request.user
        )
    except services.ActionRefused:
        messages.error(request, _("This step cannot follow the action's present status."))
    else:
        messages.success(request, _("Status changed."))
    return redirect("remedy:company_action", number=number, pk=action.pk)


@require_roles(Role.COMPANY)
@require_POST
def action_evidence(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    shared, action = _found(request, number, pk)
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        return _action_page(request, shared, action, status=400, evidence_form=form)
    try:
        services.evidence_add(action=action, files=form.cleaned_data["evidence"], actor=request.user)
    except services.ActionRefused:
        form.add_error("evidence", _("No more files can be added to this action."))
        return _action_page(request, shared, action, status=400, evidence_form=form)
    messages.success(request, _("Evidence added."))
    return redirect("remedy:company_action", number=number, pk=action.pk)


@require_roles(Role.COMPANY)
@require_GET
@never_cache
def evidence_download(request: HttpRequest, number: str, pk: int, file_id: Any) -> HttpResponse:
    shared, action = _found(request, number, pk)
    evidence = selectors.evidence_of(action, file_id)
    data = services.evidence_read(evidence)
    audit_record(
        actor=request.user, action="remedy.evidence_download", target=action,
        detail={"case": shared.case.number, "file": str(evidence.public_id)},
    )  # fmt: skip
    return download_response(evidence, data)
