"""The worker's answer about a corrective action, sent from their own case page (signed in, or
opened with the receipt code and PIN): a plain form post that comes back to the page, so it
works without JavaScript."""

from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from koe.cases import worker_selectors
from koe.remedy import selectors, services
from koe.remedy.forms import WorkerAnswerForm
from koe.remedy.models import CorrectiveAction


@require_POST
def answer(request: HttpRequest, public_id: UUID) -> HttpResponse:
    found = CorrectiveAction.objects.select_related("case").filter(public_id=public_id).first()
    if found is None:
        raise Http404
    case = worker_selectors.case_of_worker(request, found.case.public_id)  # their own case, or a 404
    if found not in selectors.worker_questions(case):
        raise Http404
    form = WorkerAnswerForm(request.POST, prefix=f"action{found.pk}")
    back = reverse("consult:case", kwargs={"public_id": case.public_id}) + "#corrective-actions"
    if not form.is_valid():
        for error in form.errors.get("answer", []) + form.errors.get("comment", []):
            messages.error(request, str(error))
        return redirect(back)
    try:
        services.worker_answer_record(action=found, **form.cleaned_data)
    except services.ActionRefused:  # a double tap, or answered from another tab in the meantime
        messages.info(request, _("Your answer was already saved."))
        return redirect(back)
    messages.success(request, _("Thank you. Your answer is saved."))
    return redirect(back)
