"""Guiding support, expert referrals and ADR on the desk's case page, and the expert's pages.

The desk's forms post here and come back to the case page (with their errors, through the case
page's own renderer). An expert has two pages only: the list of the referrals made to them and
one referral, which shows the question and what the worker wrote, never who the worker is."""

from dataclasses import dataclass
from typing import Any, cast
from uuid import UUID

from django.contrib import messages
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from koe.accounts.models import DESK_ROLES, Role, User
from koe.accounts.permissions import require_roles
from koe.audit.services import audit_record
from koe.cases import referrals
from koe.cases.models import AdrReferral, Case, ReferralStatus
from koe.cases.referral_forms import (
    AdrReferralForm,
    AdrUpdateForm,
    ExpertAnswerForm,
    ExpertReferralForm,
    GuidingSupportForm,
)
from koe.cases.referral_selectors import (
    case_adr_of,
    case_adr_referrals,
    case_expert_referrals,
    case_guiding_supports,
    case_referral_of,
    referral_for,
    referrals_visible_to,
)
from koe.cases.selectors import case_for
from koe.surveys.indicators import tags_in


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


@dataclass(frozen=True)
class AdrRow:
    adr: AdrReferral
    form: Form


def referral_context(case: Case, bound: dict[str, Form]) -> dict[str, Any]:
    """What the case page's three sections need: the records and an empty form each (or the
    form sent with errors, in ``bound``, shown again with them)."""
    sent = bound.get("adr_update_form")
    rows = [
        AdrRow(adr, sent if sent is not None and sent.prefix == _adr_prefix(adr) else _adr_update_form(adr))
        for adr in case_adr_referrals(case)
    ]
    return {
        "guiding_supports": case_guiding_supports(case),
        "expert_referrals": case_expert_referrals(case),
        "adr_rows": rows,
        "guiding_form": GuidingSupportForm(),
        "expert_referral_form": ExpertReferralForm(),
        "adr_form": AdrReferralForm(),
    }


def _adr_prefix(adr: AdrReferral) -> str:
    return f"adr{adr.pk}"


def _adr_update_form(adr: AdrReferral, data: Any = None) -> AdrUpdateForm:
    initial = {"status": adr.status, "outcome": adr.outcome}
    return AdrUpdateForm(data, initial=initial, prefix=_adr_prefix(adr))


def _case_page_with_errors(request: HttpRequest, case: Case, **bound: Form) -> HttpResponse:
    from koe.cases.views import _case_page  # the case page's renderer, shared, not duplicated

    return _case_page(request, case, status=400, **bound)


def _back(case: Case, anchor: str) -> HttpResponse:
    response = redirect("cases:case_detail", public_id=case.public_id)
    response["Location"] += f"#{anchor}"
    return response


# The desk ---------------------------------------------------------------------------------------


@require_roles(*DESK_ROLES)
@require_POST
def guiding_support_add(request: HttpRequest, public_id: UUID) -> HttpResponse:
    case = case_for(_user(request), public_id)
    form = GuidingSupportForm(request.POST)
    if not form.is_valid():
        return _case_page_with_errors(request, case, guiding_form=form)
    referrals.guiding_support_record(case=case, actor=request.user, **form.cleaned_data)
    messages.success(request, _("Guiding support recorded."))
    return _back(case, "guiding")


@require_roles(*DESK_ROLES)
@require_POST
def expert_referral_add(request: HttpRequest, public_id: UUID) -> HttpResponse:
    case = case_for(_user(request), public_id)
    form = ExpertReferralForm(request.POST)
    if not form.is_valid():
        return _case_page_with_errors(request, case, expert_referral_form=form)
    referrals.expert_referral_create(case=case, actor=request.user, **form.cleaned_data)
    messages.success(request, _("Question sent to the expert."))
    return _back(case, "experts")


@require_roles(*DESK_ROLES)
@require_POST
def expert_referral_withdraw(request: HttpRequest, public_id: UUID, referral_id: UUID) -> HttpResponse:
    case = case_for(_user(request), public_id)
    referral = case_referral_of(case, referral_id)
    referrals.expert_referral_withdraw(referral=referral, actor=request.user)
    messages.success(request, _("Referral withdrawn: the expert no longer sees this case."))
    return _back(case, "experts")


@require_roles(*DESK_ROLES)
@require_POST
def adr_referral_add(request: HttpRequest, public_id: UUID) -> HttpResponse:
    case = case_for(_user(request), public_id)
    form = AdrReferralForm(request.POST)
    if not form.is_valid():
        return _case_page_with_errors(request, case, adr_form=form)
    referrals.adr_referral_create(case=case, actor=request.user, **form.cleaned_data)
    messages.success(request, _("ADR referral recorded."))
    return _back(case, "adr")


@require_roles(*DESK_ROLES)
@require_POST
def adr_referral_update(request: HttpRequest, public_id: UUID, adr_id: UUID) -> HttpResponse:
    case = case_for(_user(request), public_id)
    adr = case_adr_of(case, adr_id)
    form = _adr_update_form(adr, request.POST)
    if not form.is_valid():
        return _case_page_with_errors(request, case, adr_update_form=form)
    referrals.adr_referral_update(adr=adr, actor=request.user, **form.cleaned_data)
    messages.success(request, _("ADR referral updated."))
    return _back(case, "adr")


# The expert -------------------------------------------------------------------------------------


@require_roles(Role.EXPERT)
@require_http_methods(["GET"])
@never_cache
def expert_referral_list(request: HttpRequest) -> HttpResponse:
    # Not audited: the list shows case numbers, categories and dates, never what the worker wrote.
    found = referrals_visible_to(_user(request)).select_related("case")
    return render(request, "cases/expert_list.html", {"referrals": found})


@require_roles(Role.EXPERT)
@require_http_methods(["GET", "POST"])
@never_cache
def expert_referral_detail(request: HttpRequest, referral_id: UUID) -> HttpResponse:
    user = _user(request)
    referral = referral_for(user, referral_id)
    form = ExpertAnswerForm(request.POST or None)
    if request.method == "POST" and referral.status == ReferralStatus.OPEN and form.is_valid():
        referrals.expert_referral_answer(referral=referral, answer=form.cleaned_data["answer"], actor=user)
        messages.success(request, _("Your answer was sent to the desk."))
        return redirect("cases:expert_referral", referral_id=referral.public_id)
    audit_record(
        actor=user, action="case.expert_view", target=referral.case,
        detail={"number": referral.case.number, "referral": str(referral.public_id)},
    )  # fmt: skip
    context = {"referral": referral, "case": referral.case, "form": form,
               "indicators": tags_in(referral.case.indicators)}  # fmt: skip
    return render(request, "cases/expert_referral.html", context, status=400 if form.is_bound else 200)
