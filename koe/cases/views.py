"""The desk's pages: the queue of self-check alerts and one alert's page, the case inbox, one
case's page with its forms, and a consultation logged by the desk. Desk staff only; anyone else
gets a 404 (``require_roles``), so the desk's existence tells an outsider nothing."""

from typing import cast
from uuid import UUID

from django.contrib import messages
from django.core.paginator import Paginator
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from koe.accounts.models import DESK_ROLES, User
from koe.accounts.permissions import require_roles
from koe.audit.services import audit_record
from koe.cases import routing, selectors, services
from koe.cases.attachments import download_response
from koe.cases.display import red_flag_titles, shared_answers
from koe.cases.forms import (
    CaseAssignForm,
    CaseInboxFilterForm,
    CaseLogForm,
    CaseMessageForm,
    CaseStatusForm,
    InternalNoteForm,
    QueueFilterForm,
)
from koe.cases.models import Case
from koe.cases.referral_views import referral_context
from koe.cases.reply_notice import desk_hint
from koe.cases.selectors import (
    alert_for,
    case_for,
    case_for_alert,
    case_timeline,
    desk_queue,
    inbox_counts,
    new_alert_count,
)
from koe.cases.services.cases import attachment_read, desk_reply_send
from koe.cases.services.sharing import case_record_outcome, case_summary_for_company_set, outcome_missing
from koe.cases.sharing_forms import CaseOutcomeForm, CompanySummaryForm
from koe.cases.sharing_selectors import share_rows
from koe.cases.triage_forms import CaseTriageForm
from koe.cases.worker_selectors import attachment_of, intake_attachments
from koe.cases.workflow import is_acknowledgement_overdue, is_feedback_overdue
from koe.surveys.indicators import tags_in
from koe.translation.services import MachineTranslation, piece_name, translate_pieces_for_staff

PAGE_SIZE = 50


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


@require_roles(*DESK_ROLES)
@require_GET
@never_cache
def alert_queue(request: HttpRequest) -> HttpResponse:
    # Not audited: the queue shows what the answers mean (severity, indicators, employer), never
    # an answer, a contact detail or who the worker is. Opening one alert is audited.
    user = _user(request)
    form = QueueFilterForm(request.GET)
    page = Paginator(desk_queue(user, form.filters()), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "new_alert_count": new_alert_count(user),
    }
    return render(request, "cases/alert_queue.html", context)


@require_roles(*DESK_ROLES)
@require_GET
@never_cache
def alert_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    user = _user(request)
    alert = alert_for(user, public_id)
    language = translation.get_language() or "en"
    shared = shared_answers(alert, language)
    audit_record(
        actor=user,
        action="alert.view",
        target=alert,
        detail={
            "shared_items": [answer.code for answer in shared],
            "contact_detail": bool(alert.contact_detail),
        },
    )
    context = {
        "alert": alert,
        "red_flags": red_flag_titles(alert, language),
        "shared": shared,
        "brand_holders": alert.brand_holders.order_by("name"),
        "case": case_for_alert(user, alert),
    }
    return render(request, "cases/alert_detail.html", context)


@require_roles(*DESK_ROLES)
@require_POST
def alert_acknowledge(request: HttpRequest, public_id: UUID) -> HttpResponse:
    alert = alert_for(_user(request), public_id)
    services.alert_acknowledge(alert=alert, actor=request.user)
    messages.success(request, _("Alert acknowledged."))
    return redirect("cases:alert_detail", public_id=alert.public_id)


@require_roles(*DESK_ROLES)
@require_POST
def alert_open_case(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Opens the alert's case, or finds the one already opened from it."""
    alert = alert_for(_user(request), public_id)
    case = services.case_open_from_alert(alert=alert, actor=request.user)
    return redirect("cases:case_detail", public_id=case.public_id)


# Cases ------------------------------------------------------------------------------------------


@require_roles(*DESK_ROLES)
@require_GET
@never_cache
def case_inbox(request: HttpRequest) -> HttpResponse:
    # Not audited: the inbox shows what a case is about (number, categories, severity, employer),
    # never what the worker wrote or how to reach them. Opening one case is audited.
    user = _user(request)
    form = CaseInboxFilterForm(request.GET)
    view = routing.chosen_view(user, request.GET.get("view"))
    cases = routing.case_queue(user, form.filters(), view)
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query["view"] = view
    counts = inbox_counts(user)
    context = {"form": form, "page": page, "query": query.urlencode(), "counts": counts, "view": view,
               "overdue_case_count": counts.overdue}  # fmt: skip
    return render(request, "cases/case_inbox.html", context)


@require_roles(*DESK_ROLES)
@require_GET
@never_cache
def case_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    case = case_for(_user(request), public_id)
    return _case_page(request, case)


def _case_page(request: HttpRequest, case: Case, status: int = 200, **bound: Form) -> HttpResponse:
    """The case's page; ``bound`` holds a form sent with errors, shown again with them. Every
    rendering shows what the worker wrote, so every rendering is audited."""
    user = _user(request)
    audit_record(actor=user, action="case.view", target=case, detail={"number": case.number})
    now = timezone.now()
    forms: dict[str, Form] = {
        "triage_form": CaseTriageForm(case=case),
        "status_form": CaseStatusForm(case=case),
        "assign_form": CaseAssignForm(case=case, user=user),
        "message_form": CaseMessageForm(),
        "note_form": InternalNoteForm(),
        "summary_form": CompanySummaryForm(initial={"summary_for_company": case.summary_for_company}),
        "outcome_form": CaseOutcomeForm(initial={"outcome": case.outcome, "remedy_type": case.remedy_type}),
        **bound,
    }
    timeline = case_timeline(case)
    context = {
        "case": case,
        "timeline": timeline,
        "share_rows": share_rows(case),
        "machine_translations": _machine_translations(case, timeline),
        "intake_files": intake_attachments(case),
        "indicators": tags_in(case.indicators),
        "brand_holders": case.brand_holders.order_by("name"),
        "acknowledgement_overdue": is_acknowledgement_overdue(case, now),
        "feedback_overdue": is_feedback_overdue(case, now),
        **referral_context(case, bound),
        **forms,
    }
    return render(request, "cases/case_detail.html", context, status=status)


def _machine_translations(
    case: Case, timeline: list[selectors.TimelineEntry]
) -> dict[str, MachineTranslation]:
    """What the worker wrote, machine-translated into the consultant's language when a provider is
    configured (none by default), in one request for the whole page."""
    pieces = {piece_name(case, "account"): (case.account, case.language)}
    for entry in timeline:
        if entry.kind == "message_from_worker" and entry.message is not None:
            pieces[piece_name(entry.message, "body")] = (entry.text, entry.message.language)
    return translate_pieces_for_staff(pieces, target=translation.get_language() or "en")


@require_roles(*DESK_ROLES)
@require_POST
def case_status(request: HttpRequest, public_id: UUID) -> HttpResponse:
    case = case_for(_user(request), public_id)
    form = CaseStatusForm(request.POST, case=case)
    if form.is_valid() and outcome_missing(case, form.cleaned_data["to_status"]):
        form.add_error("to_status", _("Record the outcome and the remedy first (under Outcome)."))
    if form.is_valid():
        try:
            services.case_transition(
                case=case, to_status=form.cleaned_data["to_status"], actor=request.user,
                reason=form.cleaned_data["reason"],
            )  # fmt: skip
        except services.InvalidTransition:
            # Someone else changed the status in the meantime.
            form.add_error("to_status", _("This status cannot follow the case's present status."))
        else:
            messages.success(request, _("Status changed."))
            return redirect("cases:case_detail", public_id=case.public_id)
    return _case_page(request, case, status=400, status_form=form)


@require_roles(*DESK_ROLES)
@require_POST
def case_triage(request: HttpRequest, public_id: UUID) -> HttpResponse:
    case = case_for(_user(request), public_id)
    form = CaseTriageForm(request.POST, case=case)
    if not form.is_valid():
        return _case_page(request, case, status=400, triage_form=form)
    services.case_triage(case=case, actor=request.user, **form.triage_fields())
    messages.success(request, _("Triage saved."))
    return redirect("cases:case_detail", public_id=case.public_id)


@require_roles(*DESK_ROLES)
@require_POST
def case_assign(request: HttpRequest, public_id: UUID) -> HttpResponse:
    case = case_for(_user(request), public_id)
    form = CaseAssignForm(request.POST, case=case, user=_user(request))
    if not form.is_valid():
        return _case_page(request, case, status=400, assign_form=form)
    services.case_assign(
        case=case, assignee=form.chosen_assignee(), actor=request.user, reason=form.cleaned_data["reason"]
    )
    messages.success(request, _("Assignment changed."))
    return redirect("cases:case_detail", public_id=case.public_id)


@require_roles(*DESK_ROLES)
@require_POST
def case_reply(request: HttpRequest, public_id: UUID) -> HttpResponse:
    case = case_for(_user(request), public_id)
    form = CaseMessageForm(request.POST, request.FILES)
    if not form.is_valid():
        return _case_page(request, case, status=400, message_form=form)
    desk_reply_send(
        case=case, body=form.cleaned_data["body"], actor=request.user, files=form.cleaned_data["attachments"]
    )
    messages.success(request, desk_hint(case))
    return redirect("cases:case_detail", public_id=case.public_id)


@require_roles(*DESK_ROLES)
@require_POST
def case_note(request: HttpRequest, public_id: UUID) -> HttpResponse:
    case = case_for(_user(request), public_id)
    form = InternalNoteForm(request.POST)
    if not form.is_valid():
        return _case_page(request, case, status=400, note_form=form)
    services.internal_note_add(case=case, actor=request.user, body=form.cleaned_data["body"])
    messages.success(request, _("Internal note added."))
    return redirect("cases:case_detail", public_id=case.public_id)


@require_roles(*DESK_ROLES)
@require_POST
def case_company_summary(request: HttpRequest, public_id: UUID) -> HttpResponse:
    case = case_for(_user(request), public_id)
    form = CompanySummaryForm(request.POST)
    if not form.is_valid():
        return _case_page(request, case, status=400, summary_form=form)
    case_summary_for_company_set(case=case, text=form.cleaned_data["summary_for_company"], actor=request.user)
    messages.success(request, _("Summary for companies saved."))
    return redirect("cases:case_detail", public_id=case.public_id)


@require_roles(*DESK_ROLES)
@require_POST
def case_outcome(request: HttpRequest, public_id: UUID) -> HttpResponse:
    case = case_for(_user(request), public_id)
    form = CaseOutcomeForm(request.POST)
    if form.is_valid():
        try:
            case_record_outcome(case=case, actor=request.user, **form.service_kwargs())
        except services.InvalidTransition:
            form.add_error("resolve", _("This case cannot be marked resolved from its present status."))
        else:
            messages.success(request, _("Outcome recorded."))
            return redirect("cases:case_detail", public_id=case.public_id)
    return _case_page(request, case, status=400, outcome_form=form)


@require_roles(*DESK_ROLES)
@never_cache
def case_new(request: HttpRequest) -> HttpResponse:
    """A consultation taken by phone, social media, in person or by e-mail, logged for the worker."""
    form = CaseLogForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        case = cast(Case, services.case_open(logged_by=request.user, **form.cleaned_data))
        messages.success(request, _("Consultation logged as case %(number)s.") % {"number": case.number})
        return redirect("cases:case_detail", public_id=case.public_id)
    return render(request, "cases/case_new.html", {"form": form}, status=400 if form.is_bound else 200)


@require_roles(*DESK_ROLES)
@require_GET
@never_cache
def case_attachment(request: HttpRequest, public_id: UUID, attachment_id: UUID) -> HttpResponse:
    """A file of a case the desk may see; every download is audited, as opening the case is."""
    user = _user(request)
    case = case_for(user, public_id)
    found = attachment_of(case, attachment_id)
    data = attachment_read(found)
    audit_record(
        actor=user, action="case.attachment_download", target=case,
        detail={"number": case.number, "attachment": str(found.public_id)},
    )  # fmt: skip
    return download_response(found, data)
