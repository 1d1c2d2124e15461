"""The worker's decisions on their case page: which company may see the case and at which level,
and, once the case is resolved or closed, whether it solved their problem. Both are plain form
posts that come back to the case page, so they work without JavaScript."""

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from koe.accounts.permissions import signed_in_worker
from koe.cases import worker_selectors as selectors
from koe.cases.models import Case
from koe.cases.services.sharing import (
    case_satisfaction_record,
    case_share_set,
    organizations_related_to,
    satisfaction_asked,
)
from koe.cases.sharing_forms import SatisfactionForm, ShareForm
from koe.cases.sharing_selectors import share_history, share_rows


def sharing_context(case: Case) -> dict[str, Any]:
    """What the worker's case page shows about sharing and satisfaction."""
    rows = [(row, ShareForm(initial={"level": row.level}, prefix=f"org{row.organization.pk}"))
            for row in share_rows(case)]  # fmt: skip
    initial = {"satisfaction": case.satisfaction, "comment": case.satisfaction_comment}
    return {
        "share_rows": rows,
        "share_history": share_history(case),
        "satisfaction_asked": satisfaction_asked(case),
        "satisfaction_form": SatisfactionForm(initial=initial),
    }


def _back(case: Case, anchor: str) -> HttpResponse:
    return redirect(reverse("consult:case", kwargs={"public_id": case.public_id}) + anchor)


@require_POST
def share(request: HttpRequest, public_id: UUID) -> HttpResponse:
    case = selectors.case_of_worker(request, public_id)
    related = {str(org.pk): org for org in organizations_related_to(case)}
    organization = related.get(request.POST.get("organization", ""))
    if organization is None:
        raise Http404
    form = ShareForm(request.POST, prefix=f"org{organization.pk}")
    if not form.is_valid():
        messages.error(request, _("Please choose what this company may see."))
        return _back(case, "#sharing")
    case_share_set(
        case=case,
        organization=organization,
        level=form.cleaned_data["level"],
        actor=signed_in_worker(request),
    )
    messages.success(request, _("Your choice is saved."))
    return _back(case, "#sharing")


@require_POST
def satisfaction(request: HttpRequest, public_id: UUID) -> HttpResponse:
    case = selectors.case_of_worker(request, public_id)
    if not satisfaction_asked(case):
        raise Http404
    form = SatisfactionForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("satisfaction", []) + form.errors.get("comment", []):
            messages.error(request, str(error))
        return _back(case, "#satisfaction")
    case_satisfaction_record(
        case=case, satisfaction=form.cleaned_data["satisfaction"], comment=form.cleaned_data["comment"]
    )
    messages.success(request, _("Thank you. Your answer is saved."))
    return _back(case, "#satisfaction")
