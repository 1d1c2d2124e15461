"""Reads of questionnaires and responses, scoped to the person asking.

A response belongs to the signed-in worker who started it, or, for someone without an account,
to the browser session that started it or reopened it with its resume code. Anyone else gets a
404, whatever the id they try.
"""

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from koe.surveys.definition import RISK_SHOWN_FROM
from koe.surveys.models import QuestionnaireVersion, Response, ResponseStatus, VersionStatus

SESSION_KEY = "selfcheck_responses"
WORKER_SELFCHECK = "worker-selfcheck"


def published_version(slug: str = WORKER_SELFCHECK) -> QuestionnaireVersion:
    """The newest published version; new responses always answer it."""
    version = (
        QuestionnaireVersion.objects.filter(questionnaire__slug=slug, status=VersionStatus.PUBLISHED)
        .order_by("-number")
        .first()
    )
    if version is None:
        raise Http404("No self-check is published yet.")
    return version


def session_response_ids(request: HttpRequest) -> list[str]:
    return list(request.session.get(SESSION_KEY, []))


def remember_in_session(request: HttpRequest, response: Response) -> None:
    ids = session_response_ids(request)
    if str(response.public_id) not in ids:
        request.session[SESSION_KEY] = [*ids, str(response.public_id)][-5:]


def response_for(request: HttpRequest, public_id: UUID) -> Response:
    response = Response.objects.select_related("version").filter(public_id=public_id).first()
    if response is None or not _may_open(request, response):
        raise Http404
    return response


def _may_open(request: HttpRequest, response: Response) -> bool:
    user = request.user
    if response.worker_id is not None:
        return bool(user.is_authenticated and user.pk == response.worker_id)
    return str(response.public_id) in session_response_ids(request)


def open_draft(request: HttpRequest) -> Response | None:
    """The sheet this person left half-way, to offer "continue where you left off"."""
    drafts = Response.objects.filter(status=ResponseStatus.DRAFT).order_by("-created_at")
    if request.user.is_authenticated:
        return drafts.filter(worker=request.user).first()
    return drafts.filter(worker=None, public_id__in=session_response_ids(request)).first()


def draft_by_resume_index(index: str) -> Response | None:
    return Response.objects.filter(resume_index=index, status=ResponseStatus.DRAFT, worker=None).first()


def submitted_responses_of(worker: Any) -> QuerySet[Response]:
    return (
        Response.objects.filter(
            worker=worker, status=ResponseStatus.SUBMITTED, version__questionnaire__slug=WORKER_SELFCHECK
        )
        .select_related("version")
        .prefetch_related("answers")
        .order_by("-submitted_at")
    )


@dataclass(frozen=True)
class RoundChange:
    """Between one round and the one before: which answers became risky, which stopped being so."""

    newly_risky: list[str]
    no_longer_risky: list[str]


def risky_items(response: Response) -> set[str]:
    return {answer.item for answer in response.answers.all() if answer.weight >= RISK_SHOWN_FROM}


def round_changes(responses: list[Response]) -> list[RoundChange | None]:
    """For each response (newest first), its change from the previous one; None for the first."""
    changes: list[RoundChange | None] = []
    for index, response in enumerate(responses):
        if index + 1 == len(responses):
            changes.append(None)
            continue
        now, before = risky_items(response), risky_items(responses[index + 1])
        changes.append(RoundChange(sorted(now - before), sorted(before - now)))
    return changes


def selfcheck_export(worker: Any) -> list[dict[str, Any]]:
    """The worker's own sheets for their data download (APPI disclosure), answers decrypted."""
    return [
        {
            "questionnaire": f"{response.version.questionnaire.slug} v{response.version.number}",
            "round": response.round,
            "submitted_at": response.submitted_at,
            "answers": [
                {"item": a.item, "option": a.option, "number": a.number, "date": a.date, "text": a.text}
                for a in response.answers.all()
            ],
        }
        for response in submitted_responses_of(worker).select_related("version__questionnaire")
    ]
