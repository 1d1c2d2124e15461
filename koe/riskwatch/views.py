"""Company pages of risk alerts: the list, one alert, and its acknowledgement."""

from typing import cast
from uuid import UUID

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from koe.accounts.models import Role, User
from koe.accounts.permissions import require_roles
from koe.riskwatch.models import OrgRiskAlert
from koe.riskwatch.selectors import risk_alert_for, risk_alerts_visible_to
from koe.riskwatch.services import MAX_NOTE_LENGTH, risk_alert_acknowledge, risk_alert_view

LIST_LIMIT = 200


class AcknowledgeForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("What will your company do?"),
        max_length=MAX_NOTE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "For example: an interview with the supplier, an audit, a training. Do not try to identify the worker."
        ),
    )


@require_roles(Role.COMPANY)
@require_GET
def alert_list(request: HttpRequest) -> HttpResponse:
    # Not audited: it lists companies and weeks, which the alert pages (audited) explain.
    alerts = list(risk_alerts_visible_to(request.user)[:LIST_LIMIT])
    return render(request, "riskwatch/list.html", {"alerts": alerts})


def _render_detail(request: HttpRequest, alert: OrgRiskAlert, form: AcknowledgeForm) -> HttpResponse:
    return render(request, "riskwatch/detail.html", {"alert": alert, "form": form})


@require_roles(Role.COMPANY)
@require_GET
def alert_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    alert = risk_alert_for(request.user, public_id)
    # The view is audited here only: a refused acknowledgement re-shows a page already recorded.
    risk_alert_view(actor=request.user, alert=alert)
    return _render_detail(request, alert, AcknowledgeForm())


@require_roles(Role.COMPANY)
@require_POST
def alert_acknowledge(request: HttpRequest, public_id: UUID) -> HttpResponse:
    alert = risk_alert_for(request.user, public_id)
    form = AcknowledgeForm(request.POST)
    if form.is_valid():
        try:
            risk_alert_acknowledge(
                actor=cast(User, request.user), alert=alert, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            form.add_error("note", error)
        else:
            messages.success(request, _("Thank you. The alert is marked as acknowledged."))
            return redirect("riskwatch:detail", public_id=alert.public_id)
    return _render_detail(request, alert, form)
