"""The desk's workload page and the handover of a consultant's cases. Supervisors only: a
consultant (or anyone else) gets a 404, as for every desk page outsiders may not see."""

from typing import cast

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from koe.accounts.models import Role, User
from koe.accounts.permissions import require_roles
from koe.cases.routing import desk_workload
from koe.cases.routing_forms import HandoverForm
from koe.cases.services.cases import HandoverRefused, cases_hand_over


@require_roles(Role.SUPERVISOR)
@require_GET
@never_cache
def workload(request: HttpRequest) -> HttpResponse:
    # Not audited: counts per person and language, never a case.
    return _workload_page(request, HandoverForm())


def _workload_page(request: HttpRequest, form: HandoverForm, status: int = 200) -> HttpResponse:
    context = {"workload": desk_workload(request.user), "form": form}
    return render(request, "cases/workload.html", context, status=status)


@require_roles(Role.SUPERVISOR)
@require_POST
def hand_over(request: HttpRequest) -> HttpResponse:
    form = HandoverForm(request.POST)
    if not form.is_valid():
        return _workload_page(request, form, status=400)
    from_user, to_user = form.chosen()
    try:
        done = cases_hand_over(
            from_user=from_user, to_user=to_user, actor=cast(User, request.user),
            reason=form.cleaned_data["reason"], only_spoken=form.cleaned_data["only_spoken"],
        )  # fmt: skip
    except HandoverRefused:  # the new consultant was deactivated in the meantime
        form.add_error("to_user", _("This person can no longer take cases."))
        return _workload_page(request, form, status=400)
    messages.success(
        request,
        _("Cases handed over to %(name)s: %(handed)s. Left unassigned: %(unassigned)s.")
        % {"handed": done.handed_over, "name": to_user.get_username(), "unassigned": done.unassigned},
    )
    return redirect("cases:workload")
