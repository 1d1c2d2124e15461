"""The worker's side of the desk: send a consultation, come back to it, read the replies, answer.

Every page works without JavaScript. The receipt code of an anonymous consultation is shown once,
in the response to the form's POST: it is never put in a URL, a redirect or the session, so it
cannot be read back from the browser's history.
"""

from typing import Any
from uuid import UUID

import segno
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from koe.accounts.permissions import signed_in_worker
from koe.cases import worker_selectors as selectors
from koe.cases.attachments import download_response
from koe.cases.models import Case, CaseStatus, MessageAuthor
from koe.cases.services import Receipt, case_find_by_receipt, case_open
from koe.cases.services.cases import (
    attachment_read,
    desk_messages_mark_read,
    intake_attachments_add,
    worker_reply_send,
)
from koe.cases.worker_forms import IntakeForm, OpenCaseForm, ReplyForm
from koe.cases.worker_sharing_views import sharing_context
from koe.core.throttle import GuessThrottle

RECEIPT_THROTTLE = GuessThrottle(
    session_key="consult_receipt_failures",
    cache_key="koe:consult-receipt-failures:{hour}",
    per_hour_setting="KOE_RESUME_FAILURES_PER_HOUR",
)

S = CaseStatus
STATUS_IN_PLAIN_WORDS: dict[str, Any] = {
    S.NEW: gettext_lazy("Sent. A consultant will read it soon."),
    S.ACKNOWLEDGED: gettext_lazy("A consultant has read your consultation."),
    S.IN_PROGRESS: gettext_lazy("A consultant is working on it."),
    S.GUIDING_SUPPORT: gettext_lazy("A consultant is helping you in person."),
    S.EXPERT_CONSULTATION: gettext_lazy("A specialist, such as a lawyer, is looking at it."),
    S.REFERRED_ADR: gettext_lazy("It has gone to mediation (ADR) to be settled out of court."),
    S.REFERRED_PUBLIC: gettext_lazy("The desk has passed it to a public office that can help."),
    S.RESOLVED: gettext_lazy("Solved."),
    S.CLOSED: gettext_lazy("Closed. You can send a new consultation at any time."),
}


@require_http_methods(["GET", "POST"])
@never_cache
def intake(request: HttpRequest) -> HttpResponse:
    worker = signed_in_worker(request)
    form = IntakeForm(
        request.POST or None, request.FILES or None,
        signed_in=worker is not None, known_employer=_known_employer(request, worker),
    )  # fmt: skip
    if request.method == "GET":
        _remember_intake_key(request, form.initial["intake_key"])
    if request.method == "POST" and form.is_valid():
        fields = form.case_fields()
        # Only the browser that was shown this form may get a new code for a case it opened.
        shown_here = str(fields["intake_key"]) in request.session.get(selectors.INTAKE_KEYS, [])
        opened = case_open(language=get_language() or "en", worker=worker, may_reissue=shown_here, **fields)
        case = opened.case if isinstance(opened, Receipt) else opened
        intake_attachments_add(case=case, files=form.cleaned_data["attachments"])
        return _sent(request, opened)
    status = 400 if form.errors else 200
    return render(
        request, "cases/worker/intake.html", {"form": form, "signed_in": worker is not None}, status=status
    )


def _known_employer(request: HttpRequest, worker: Any) -> Any:
    """The employer Koe already knows for this worker: the one their account is linked to, or,
    without an account, the one whose invite link this browser followed."""
    from koe.reach.selectors import invited_employer  # reach builds on cases' pages, not the reverse

    if worker is not None:
        profile = getattr(worker, "worker_profile", None)
        return profile.employer if profile is not None else None
    return invited_employer(request)


def _remember_intake_key(request: HttpRequest, key: Any) -> None:
    request.session[selectors.INTAKE_KEYS] = [*request.session.get(selectors.INTAKE_KEYS, []), str(key)][-5:]


def _sent(request: HttpRequest, opened: Receipt | Case) -> HttpResponse:
    """The confirmation, rendered in the POST's own response: the receipt code is never in a URL."""
    case = opened.case if isinstance(opened, Receipt) else opened
    if case.worker_id is None:
        selectors.remember_in_session(request, case)
    context: dict[str, Any] = {"case": case}
    if isinstance(opened, Receipt):
        context |= {"receipt": opened.grouped, "qr_svg": _qr(opened.code)}
    return render(request, "cases/worker/sent.html", context)


def _qr(code: str) -> str:
    # segno's SVG holds only paths and the title we give it; no scripts or style attributes.
    svg = segno.make(code, error="m").svg_inline(
        scale=5, dark="#000", light="#fff", title=_("QR code of your receipt code")
    )
    return mark_safe(svg)  # noqa: S308 - generated here from digits we made, not user input


@require_http_methods(["GET", "POST"])
@never_cache
def open_case(request: HttpRequest) -> HttpResponse:
    form = OpenCaseForm(request.POST or None)
    if request.method == "POST" and RECEIPT_THROTTLE.is_locked(request):
        form.add_error(None, _("Too many wrong tries. Please wait 15 minutes and try again."))
    elif request.method == "POST" and form.is_valid():
        case = case_find_by_receipt(form.cleaned_data["code"], form.cleaned_data["pin"])
        if case is not None:
            request.session.cycle_key()  # the session now opens a case: give it a fresh id
            selectors.remember_in_session(request, case)
            return redirect("consult:case", public_id=case.public_id)
        RECEIPT_THROTTLE.record_failure(request)
        form.add_error(None, _("The receipt code or the PIN is not right. Please check them and try again."))
    return render(request, "cases/worker/open.html", {"form": form}, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@never_cache
def case_page(request: HttpRequest, public_id: UUID) -> HttpResponse:
    case = selectors.case_of_worker(request, public_id)
    form = ReplyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and (case.status == CaseStatus.CLOSED or form.is_valid()):
        if case.status != CaseStatus.CLOSED:  # a closed case takes no more messages
            worker_reply_send(
                case=case, body=form.cleaned_data["body"], files=form.cleaned_data["attachments"]
            )
        return redirect(reverse("consult:case", kwargs={"public_id": case.public_id}) + "#thread")
    thread = selectors.thread_for_worker(case)
    if request.method == "GET":
        desk_messages_mark_read(case=case)  # after reading the thread, so new replies still say "new"
    context = {
        "case": case,
        "thread": thread,
        "intake_files": selectors.intake_attachments(case),
        "form": form,
        "status_text": STATUS_IN_PLAIN_WORDS.get(case.status, ""),
        "closed": case.status == CaseStatus.CLOSED,
        "desk": MessageAuthor.DESK,
        **sharing_context(case),
    }
    return render(request, "cases/worker/case.html", context, status=400 if form.errors else 200)


@require_GET
@never_cache
def mine(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect(reverse("accounts:login") + "?next=" + request.path)
    worker = signed_in_worker(request)
    if worker is None:
        raise Http404
    rows = [(case, STATUS_IN_PLAIN_WORDS.get(case.status, "")) for case in selectors.cases_of(worker)]
    return render(request, "cases/worker/mine.html", {"rows": rows})


@require_GET
@never_cache
def attachment(request: HttpRequest, public_id: UUID, attachment_id: UUID) -> HttpResponse:
    """A file of the worker's own consultation, sent by them or by the desk. Not audited: it is
    the worker's own data, and Koe keeps no trace of what a worker does."""
    case = selectors.case_of_worker(request, public_id)
    found = selectors.attachment_of(case, attachment_id)
    return download_response(found, attachment_read(found))
