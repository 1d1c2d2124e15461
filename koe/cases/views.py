"""The desk's pages: the queue of self-check alerts and one alert's page. Desk staff only; anyone
else gets a 404 (``require_roles``), so the desk's existence tells an outsider nothing."""

from typing import cast
from uuid import UUID

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from koe.accounts.models import Role, User
from koe.accounts.permissions import require_roles
from koe.audit.services import audit_record
from koe.cases import services
from koe.cases.display import red_flag_titles, shared_answers
from koe.cases.forms import QueueFilterForm
from koe.cases.selectors import alert_for, desk_queue, new_alert_count

PAGE_SIZE = 50
DESK = (Role.CONSULTANT, Role.SUPERVISOR)


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


@require_roles(*DESK)
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


@require_roles(*DESK)
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
    }
    return render(request, "cases/alert_detail.html", context)


@require_roles(*DESK)
@require_POST
def alert_acknowledge(request: HttpRequest, public_id: UUID) -> HttpResponse:
    alert = alert_for(_user(request), public_id)
    services.alert_acknowledge(alert=alert, actor=request.user)
    messages.success(request, _("Alert acknowledged."))
    return redirect("cases:alert_detail", public_id=alert.public_id)
