"""Reads on the worker's side of the desk, scoped to the person asking.

A case belongs to the signed-in worker who opened it, or, without an account, to the browser
session that sent it or opened it again with the receipt code and PIN. Anyone else gets a 404,
whatever the id they try, so a case's existence tells a stranger nothing.
"""

from typing import Any
from uuid import UUID

from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest

from koe.cases.models import Attachment, Case, Message, MessageAuthor

SESSION_KEY = "consult_cases"
INTAKE_KEYS = "consult_intake_keys"  # the intake forms this browser was shown (worker_views.intake)
SESSION_KEEPS = 5


def session_case_ids(request: HttpRequest) -> list[str]:
    return list(request.session.get(SESSION_KEY, []))


def remember_in_session(request: HttpRequest, case: Case) -> None:
    ids = session_case_ids(request)
    if str(case.public_id) not in ids:
        request.session[SESSION_KEY] = [*ids, str(case.public_id)][-SESSION_KEEPS:]


def case_of_worker(request: HttpRequest, public_id: UUID) -> Case:
    case = Case.objects.filter(public_id=public_id).first()
    if case is None or not _may_open(request, case):
        raise Http404
    return case


def _may_open(request: HttpRequest, case: Case) -> bool:
    if case.worker_id is not None:
        user = request.user
        return bool(user.is_authenticated and user.pk == case.worker_id)
    # A case the desk logged (phone, walk-in) has no receipt: only its worker's account opens it.
    return case.logged_by_id is None and str(case.public_id) in session_case_ids(request)


def thread_for_worker(case: Case) -> list[Message]:
    """The messages between the worker and the desk; internal notes are another model entirely."""
    messages = case.messages.filter(author_kind__in=[MessageAuthor.WORKER, MessageAuthor.DESK])
    return list(messages.prefetch_related("attachments"))


def intake_attachments(case: Case) -> list[Attachment]:
    """The files sent with the consultation itself, before any message."""
    return list(case.attachments.filter(message=None))


def attachment_of(case: Case, attachment_id: UUID) -> Attachment:
    """One file of a case the person may already open; a 404 for any other id."""
    found = case.attachments.filter(public_id=attachment_id).first()
    if found is None:
        raise Http404
    return found


def cases_of(worker: Any) -> QuerySet[Case]:
    """The signed-in worker's consultations, newest first, each with its count of unread replies."""
    unread = Q(messages__author_kind=MessageAuthor.DESK, messages__read_by_worker_at=None)
    return (
        Case.objects.filter(worker=worker)
        .annotate(unread=Count("messages", filter=unread))
        .order_by("-created_at", "-pk")
    )
