"""Supply-chain import pages: upload, progress and preview, decision, error report, template.

Company admins only; anyone else, and an admin of another organisation asking for a job, gets a
404. The progress page reloads itself with the ``Refresh`` header (no JavaScript needed) while
the background job runs.
"""

import csv
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from koe.accounts.models import Role
from koe.accounts.permissions import require_roles
from koe.core.spreadsheet import defused_cell
from koe.organizations.forms import ImportUploadForm
from koe.organizations.import_files import HEADERS, JAPANESE_HEADERS, MAX_ROWS, FileRefused, template_csv
from koe.organizations.import_rows import column_label, problem_message
from koe.organizations.models import ImportJob
from koe.organizations.selectors import import_jobs_visible_to
from koe.organizations.supply_import import supply_import_cancel, supply_import_confirm, supply_import_start
from koe.organizations.views import _user

REFRESH_SECONDS = 2
SHOWN_PROBLEMS = 200
RECENT_JOBS = 10


def _require_admin(request: HttpRequest) -> None:
    if not _user(request).is_company_admin:
        raise Http404


def _job(request: HttpRequest, pk: int) -> ImportJob:
    return get_object_or_404(import_jobs_visible_to(_user(request)), pk=pk)


def _columns() -> list[dict[str, Any]]:
    required = {"corporate_number", "name", "tier", "parent"}
    return [
        {"label": column_label(name), "english": spellings[0], "japanese": JAPANESE_HEADERS[name],
         "required": name in required}
        for name, spellings in HEADERS.items()
    ]  # fmt: skip


@require_roles(Role.COMPANY)
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = supply_import_start(actor=request.user, file_name=upload.name or "", data=upload.read())
        except FileRefused as refused:
            form.add_error("file", str(refused.message))
        else:
            return redirect("organizations:import_job", pk=job.pk)
    context = {
        "form": form,
        "columns": _columns(),
        "max_rows": MAX_ROWS,
        "jobs": import_jobs_visible_to(_user(request))[:RECENT_JOBS],
    }
    return render(request, "organizations/import_upload.html", context)


@require_roles(Role.COMPANY)
@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="supply-chain-template.csv"'
    response.write("\ufeff")  # the byte-order mark makes Excel read the file as UTF-8
    response.write(template_csv(japanese=get_language() == "ja"))
    return response


def _shown_problems(job: ImportJob) -> list[dict[str, Any]]:
    return [
        {"row": problem["row"], "column": column_label(problem["column"]), "message": problem_message(problem),
         "warning": problem["warning"]}
        for problem in job.problems[:SHOWN_PROBLEMS]
    ]  # fmt: skip


@require_roles(Role.COMPANY)
@require_GET
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    _require_admin(request)
    job = _job(request, pk)
    context = {
        "job": job,
        "problems": _shown_problems(job),
        "more_problems": max(0, len(job.problems) - SHOWN_PROBLEMS),
        "warnings": sum(1 for problem in job.problems if problem["warning"]),
    }
    response = render(request, "organizations/import_job.html", context)
    if job.is_running:
        response["Refresh"] = str(REFRESH_SECONDS)
        response["Cache-Control"] = "no-store"
    return response


@require_roles(Role.COMPANY)
@require_POST
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    _require_admin(request)
    job = _job(request, pk)
    try:
        supply_import_confirm(actor=request.user, job=job, only_valid=request.POST.get("mode") == "valid")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("organizations:import_job", pk=job.pk)


@require_roles(Role.COMPANY)
@require_POST
def import_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    _require_admin(request)
    job = _job(request, pk)
    try:
        supply_import_cancel(actor=request.user, job=job)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("organizations:import_job", pk=job.pk)


@require_roles(Role.COMPANY)
@require_GET
def import_errors(request: HttpRequest, pk: int) -> HttpResponse:
    """Every stored problem as CSV, in the language of the page, for fixing the file in Excel."""
    _require_admin(request)
    job = _job(request, pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{job.pk}-errors.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([_("Row"), _("Column"), _("Kind"), _("Message")])
    for problem in job.problems:
        kind = _("Warning") if problem["warning"] else _("Error")
        writer.writerow(
            [problem["row"], column_label(problem["column"]), kind, defused_cell(problem_message(problem))]
        )
    return response
