"""The desk's pages for corrective action: every action across cases (overdue first), one action
with its evidence, history and the worker's answers (comments included), and the review form.
Desk staff only; anyone else gets a 404."""

from typing import cast
from uuid import UUID

from django.contrib import messages
from django.core.paginator import Paginator
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from koe.accounts.models import DESK_ROLES, User
from koe.accounts.permissions import require_roles
from koe.audit.services import audit_record
from koe.cases.attachments import download_response
from koe.cases.services.sharing import case_share_level
from koe.cases.sharing_selectors import SHARED_LEVELS
from koe.remedy import selectors, services
from koe.remedy.forms import ReviewForm
from koe.remedy.models import CorrectiveAction

PAGE_SIZE = 50


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


@require_roles(*DESK_ROLES)
@require_GET
@never_cache
def action_list(request: HttpRequest) -> HttpResponse:
    # Not audited: the list shows case numbers, companies and dates, never the plan or the
    # worker's words; opening one action is audited.
    show_all = request.GET.get("show") == "all"
    actions = selectors.desk_actions(_user(request), open_only=not show_all)
    page = Paginator(actions, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    rows = [(action, action.is_overdue(today)) for action in page.object_list]
    context = {"page": page, "rows": rows, "show_all": show_all}
    return render(request, "remedy/desk/action_list.html", context)


def _action_page(
    request: HttpRequest, action: CorrectiveAction, status: int = 200, **bound: Form
) -> HttpResponse:
    user = _user(request)
    audit_record(
        actor=user, action="remedy.desk_view", target=action,
        detail={"case": action.case.number, "organization": action.organization_id},
    )  # fmt: skip
    level = case_share_level(action.case, action.organization)
    context = {
        "action": action,
        "case": action.case,
        "overdue": action.is_overdue(),
        "still_shared": level in SHARED_LEVELS,
        "events": action.events.select_related("actor"),
        "reviews": action.reviews.select_related("reviewer"),
        "answers": action.worker_answers.all(),
        "evidence": action.evidence.all(),
        "review_form": bound.get("review_form") or ReviewForm(),
    }
    return render(request, "remedy/desk/action_detail.html", context, status=status)


@require_roles(*DESK_ROLES)
@require_GET
@never_cache
def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _action_page(request, selectors.desk_action(_user(request), pk))


@require_roles(*DESK_ROLES)
@require_POST
def action_review(request: HttpRequest, pk: int) -> HttpResponse:
    action = selectors.desk_action(_user(request), pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return _action_page(request, action, status=400, review_form=form)
    try:
        services.action_review(action=action, actor=request.user, **form.cleaned_data)
    except services.ActionRefused:
        form.add_error(None, _("Only an action being checked can be reviewed."))
        return _action_page(request, action, status=400, review_form=form)
    messages.success(request, _("Review recorded."))
    return redirect("remedy:desk_action", pk=action.pk)


@require_roles(*DESK_ROLES)
@require_GET
@never_cache
def evidence_download(request: HttpRequest, pk: int, file_id: UUID) -> HttpResponse:
    action = selectors.desk_action(_user(request), pk)
    evidence = selectors.evidence_of(action, file_id)
    data = services.evidence_read(evidence)
    audit_record(
        actor=request.user, action="remedy.evidence_download", target=action,
        detail={"case": action.case.number, "file": str(evidence.public_id)},
    )  # fmt: skip
    return download_response(evidence, data)
