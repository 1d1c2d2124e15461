"""The company's programme page: its own contract, or the contract that covers it."""

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from koe.accounts.models import Role
from koe.accounts.permissions import require_roles
from koe.programmes.fees import BASE, PER_COMPANY, SMALL_COMPANY, Fee, PriceTerms, format_yen
from koe.programmes.models import Subscription
from koe.programmes.selectors import programme_page_for


@dataclass(frozen=True)
class FeeRow:
    label: str
    detail: str
    amount: str


def _line_label(code: str, terms: PriceTerms) -> str:
    if code == SMALL_COMPANY:
        return _("Monthly fee for a company with %(max)s or fewer employees") % {
            "max": terms.small_company_max_employees
        }
    if code == PER_COMPANY:
        return _("Covered supply-chain companies")
    return _("Base fee")


def fee_rows(subscription: Subscription) -> list[FeeRow]:
    terms = PriceTerms.from_json(subscription.price_terms)
    rows = []
    for line in Fee.from_json(subscription.fee_breakdown).lines:
        detail = (
            ""
            if line.code in (BASE, SMALL_COMPANY)
            else f"{line.quantity} \N{MULTIPLICATION SIGN} {format_yen(line.unit_fee)}"
        )
        rows.append(FeeRow(_line_label(line.code, terms), detail, format_yen(line.amount)))
    return rows


@require_roles(Role.COMPANY)
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    # Not audited: the user's own organisation's contract, no worker or case data.
    page = programme_page_for(request.user)
    context: dict[str, Any] = {"page": page}
    if page.subscription is not None:
        context["fee_rows"] = fee_rows(page.subscription)
        context["monthly_fee"] = format_yen(page.subscription.monthly_fee)
    return render(request, "programmes/overview.html", context)
