"""Company pages: a company user's own organisation and the supply chain below it.

Only company users open these pages. Operators have no organisation of their own, so "your
supply chain" means nothing for them; they see and edit every organisation and link in the
operator admin (``/admin/``) instead. Everyone else, including a company user asking for an
organisation outside their chain, gets a 404, so a page's existence tells an outsider nothing.
"""

import csv
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from koe.accounts.models import Role, User
from koe.accounts.permissions import require_roles
from koe.audit.services import audit_record
from koe.core.spreadsheet import defused_cell
from koe.organizations.forms import SupplierForm
from koe.organizations.overview import attention_for
from koe.organizations.selectors import (
    ChainEntry,
    direct_suppliers,
    organizations_visible_to,
    suppliers_by_tier,
    supply_chain_for,
    supply_chain_tiers,
)
from koe.organizations.services import supplier_register

PAGE_SIZE = 100


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


class ChainFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Name or corporate number"), max_length=100, required=False)
    tier = forms.TypedChoiceField(label=gettext_lazy("Tier"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, tiers: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.TypedChoiceField, self.fields["tier"])
        field.choices = [("", gettext_lazy("All tiers")), *((tier, str(tier)) for tier in tiers)]

    def filters(self) -> dict[str, Any]:
        """The valid filters; an invalid one is dropped rather than failing the page."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {"search": data.get("q") or "", "tier": data.get("tier")}


@require_roles(Role.COMPANY)
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    # Not audited: it shows the user's own organisation and counts, no other company's details.
    user = _user(request)
    counts = suppliers_by_tier(user.organization) if user.organization else {}
    context = {
        "organization": user.organization,
        "counts": counts,
        "total": sum(counts.values()),
        "attention": attention_for(user),
    }
    return render(request, "organizations/dashboard.html", context)


def _filtered_chain(request: HttpRequest) -> tuple[ChainFilterForm, list[ChainEntry]]:
    user = _user(request)
    tiers = list(suppliers_by_tier(user.organization)) if user.organization else []
    form = ChainFilterForm(request.GET, tiers=tiers)
    return form, supply_chain_for(user, **form.filters())


@require_roles(Role.COMPANY)
@require_GET
def supply_chain(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form, entries = _filtered_chain(request)
    page: Page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    audit_record(
        actor=user, action="supply_chain.view", target=user.organization,
        detail={"page": page.number, "shown": len(page.object_list)},
    )  # fmt: skip
    query = request.GET.copy()
    query.pop("page", None)
    context = {"organization": user.organization, "form": form, "page": page, "query": query.urlencode()}
    return render(request, "organizations/supply_chain.html", context)


@require_roles(Role.COMPANY)
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    organization = get_object_or_404(organizations_visible_to(user), pk=pk)
    audit_record(actor=user, action="organization.view", target=organization)
    context = {
        "organization": organization,
        "is_own": organization.pk == user.organization_id,
        "tier": supply_chain_tiers(user.organization_id).get(organization.pk)
        if user.organization_id
        else None,
        "links": direct_suppliers(user=user, organization=organization),
        "can_add": user.is_company_admin,
    }
    return render(request, "organizations/detail.html", context)


def _register(request: HttpRequest, form: SupplierForm) -> HttpResponse | None:
    """Registers the supplier; ``None`` when the services refused and the form now says why."""
    buyer = form.cleaned_data["buyer"]
    try:
        supplier, created = supplier_register(
            actor=request.user, buyer=buyer, tier=form.cleaned_data["tier"], **form.organization_fields()
        )
    except ValidationError as error:
        form.add_service_error(error)
        return None
    if created:
        text = _("%(supplier)s was added as a supplier of %(buyer)s.")
    else:
        text = _("%(supplier)s was already registered on Koe and is now linked as a supplier of %(buyer)s.")
    messages.success(request, text % {"supplier": supplier.name, "buyer": buyer.name})
    if not created and supplier.created_by_organization_id != _user(request).organization_id:
        messages.info(
            request,
            _("Because it was already registered on Koe, its first user is invited by the Koe secretariat."),
        )
    return redirect("organizations:detail", pk=supplier.pk)


@require_roles(Role.COMPANY)
@require_http_methods(["GET", "POST"])
def add_supplier(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not user.is_company_admin:
        raise Http404
    # The detail page's button preselects its organisation as the buyer.
    initial = {"buyer": request.GET["buyer"]} if "buyer" in request.GET else None
    form = SupplierForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        response = _register(request, form)
        if response is not None:
            return response
    return render(request, "organizations/add_supplier.html", {"form": form})


def _csv_row(entry: ChainEntry) -> list[str]:
    org = entry.organization
    foreign = _("Yes") if org.is_foreign else _("No")
    values = [entry.tier, org.name, org.corporate_number, foreign]
    values += [org.get_prefecture_display(), org.get_industry_display(), org.address]
    return [defused_cell(value) for value in values]


@require_roles(Role.COMPANY)
@require_GET
def export(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    _form, entries = _filtered_chain(request)
    audit_record(
        actor=user, action="supply_chain.export", target=user.organization, detail={"rows": len(entries)}
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="supply-chain.csv"'
    response.write("\ufeff")  # the byte-order mark makes Excel read the file as UTF-8
    writer = csv.writer(response)
    header = [_("Tier"), _("Name"), _("Corporate number"), _("Foreign entity")]
    writer.writerow([*header, _("Prefecture"), _("Industry"), _("Address")])
    writer.writerows(_csv_row(entry) for entry in entries)
    return response
