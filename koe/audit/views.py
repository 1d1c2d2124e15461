"""The audit log for operator admins: a filtered list and a CSV export, both audited themselves."""

from typing import Any

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from koe.accounts.models import Role
from koe.accounts.permissions import require_roles
from koe.audit.export import csv_lines, entries_in_batches
from koe.audit.forms import AuditFilterForm, PageForm
from koe.audit.paging import keyset_page
from koe.audit.selectors import audit_entries_for
from koe.audit.services import audit_record


@require_roles(Role.OPERATOR)
@require_GET
@never_cache
def entry_list(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return render(request, "audit/entry_list.html", {"form": form, "page": None})
    filters = form.filters() if form.is_bound else None
    before, after = PageForm(request.GET).position()
    page = keyset_page(audit_entries_for(request.user, filters), before=before, after=after)
    detail: dict[str, Any] = {"filters": filters.as_detail() if filters else {}}
    if page.entries:
        detail["shown"] = [page.entries[-1].sequence, page.entries[0].sequence]
    audit_record(actor=request.user, action="audit.view", detail=detail)
    paged = before is not None or after is not None
    return render(request, "audit/entry_list.html", {"form": form, "page": page, "paged": paged})


# require_roles is typed for HttpResponse; a streaming response is an HttpResponseBase.
@require_roles(Role.OPERATOR)
@require_GET
@never_cache
def entry_export(request: HttpRequest) -> HttpResponseBase:
    form = AuditFilterForm(request.GET)
    if not form.is_valid():
        # The list page shows what is wrong with these filters.
        return redirect(f"{reverse('audit:list')}?{request.GET.urlencode()}")
    filters = form.filters()
    audit_record(actor=request.user, action="audit.export", detail={"filters": filters.as_detail()})
    lines = csv_lines(entries_in_batches(audit_entries_for(request.user, filters)))
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="koe-audit-{stamp}.csv"'
    return response
