"""Every write to questionnaires and responses goes through here."""

import hashlib
import json
import tomllib
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from config.languages import LANGUAGE_CODES
from koe.core.codes import ascii_digits, random_digits
from koe.core.crypto import blind_index
from koe.organizations.models import Organization
from koe.surveys.definition import Definition, Item, parse
from koe.surveys.models import (
    Answer,
    Questionnaire,
    QuestionnaireKind,
    QuestionnaireVersion,
    Response,
    ResponseStatus,
    VersionStatus,
)
from koe.surveys.scoring import Score, score, visible_answers

RESUME_CODE_DIGITS = 12


class PublishedVersionChanged(ValueError):
    """A published version never changes: publish a new version number instead."""


def read_definition_files(directory: Path) -> dict[str, Any]:
    with (directory / "structure.toml").open("rb") as handle:
        structure = tomllib.load(handle)
    texts = {}
    for language in LANGUAGE_CODES:
        path = directory / "texts" / f"{language}.toml"
        if path.exists():
            with path.open("rb") as handle:
                texts[language] = tomllib.load(handle)
    return {"structure": structure, "texts": texts}


def _hash(document: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(document, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


@transaction.atomic
def questionnaire_version_load(*, document: dict[str, Any], publish: bool = False) -> QuestionnaireVersion:
    """Create or update the draft the document describes; publish it if asked.

    Raises `DefinitionError` (listing every problem) or `PublishedVersionChanged`.
    """
    definition = parse(document)
    questionnaire, _created = Questionnaire.objects.get_or_create(
        slug=definition.slug, defaults={"kind": definition.kind}
    )
    version = QuestionnaireVersion.objects.select_for_update().filter(
        questionnaire=questionnaire, number=definition.version
    ).first() or QuestionnaireVersion(questionnaire=questionnaire, number=definition.version)
    content_hash = _hash(document)
    if version.is_published and version.content_hash != content_hash:
        raise PublishedVersionChanged(
            f"{version} is published and differs from these files: publish them as a new version."
        )
    if not version.is_published:
        version.definition, version.content_hash = document, content_hash
        version.save()
    if publish and not version.is_published:
        questionnaire_version_publish(version=version)
    return version


def questionnaire_version_save_draft(*, version: QuestionnaireVersion, document: dict[str, Any]) -> None:
    """The admin's edit of a draft; validation is the same as for files."""
    if version.pk and QuestionnaireVersion.objects.get(pk=version.pk).is_published:
        raise PublishedVersionChanged(f"{version} is published and can no longer change.")
    parse(document)
    version.definition, version.content_hash = document, _hash(document)
    version.save()


def questionnaire_version_publish(*, version: QuestionnaireVersion) -> None:
    parse(version.definition)  # never publish something that does not validate
    version.status, version.published_at = VersionStatus.PUBLISHED, timezone.now()
    version.save(update_fields=["status", "published_at"])


def response_start(*, version: QuestionnaireVersion, language: str, worker: Any = None) -> Response:
    return Response.objects.create(version=version, language=language, worker=worker)


def _next_round(worker: Any, version: QuestionnaireVersion) -> int | None:
    """The worker's round of this questionnaire (other surveys do not count), fixed at submission
    so that a sheet started twice is still one round."""
    if worker is None:
        return None
    submitted = Response.objects.filter(
        worker=worker, status=ResponseStatus.SUBMITTED, version__questionnaire=version.questionnaire
    )
    return submitted.count() + 1


def draft_answers(response: Response) -> dict[str, Any]:
    return json.loads(response.draft_answers) if response.draft_answers else {}


@transaction.atomic
def response_save_answers(*, response: Response, answers: dict[str, Any], item_codes: list[str]) -> None:
    """Keep the answers of one page: those given replace, those left empty are forgotten.

    The row is locked and read afresh: the page's script saves each answer as it is given, so
    saves overlap, and one arriving after the submission must not bring a draft back."""
    response = Response.objects.select_for_update().get(pk=response.pk)
    if response.is_submitted:
        return
    kept = draft_answers(response)
    for code in item_codes:
        kept.pop(code, None)
    kept |= {code: value for code, value in answers.items() if value not in (None, "", [])}
    response.draft_answers = json.dumps(kept, ensure_ascii=False)
    response.save(update_fields=["draft_answers"])


def response_issue_resume_code(*, response: Response) -> str:
    """A new code that reopens this draft from any device; only its keyed hash is stored."""
    code = random_digits(RESUME_CODE_DIGITS)
    response.resume_index = resume_code_index(code)
    response.save(update_fields=["resume_index"])
    return code


def resume_code_index(code: str) -> str:
    return blind_index(ascii_digits(code), "selfcheck-resume")


@transaction.atomic
def response_submit(
    *, response_id: int, profile: dict[str, str] | None = None, employer: Organization | None = None
) -> Response:
    """Submit once. A second call (double click, retry after a dropped connection) returns the
    response already submitted, so a worker's sheet is counted exactly once."""
    response = Response.objects.select_for_update().select_related("version").get(pk=response_id)
    if response.is_submitted:
        return response
    definition, draft = response.version.parsed, draft_answers(response)
    answers = visible_answers(definition, draft)
    result = score(definition, answers)
    _store_answers(response, definition, answers, result)
    _take_snapshot(response, profile if profile is not None else draft.get("_about"), employer)
    response.round = _next_round(response.worker, response.version)
    response.status, response.submitted_at, response.draft_answers = (
        ResponseStatus.SUBMITTED,
        timezone.now(),
        "",
    )
    response.resume_index = ""
    response.shown_tags, response.risk_score = result.shown_tags, result.risk_score
    response.red_flag, response.severity = bool(result.red_flags), result.severity
    response.save()
    _after_submission(response, definition, result)
    return response


def _store_answers(
    response: Response, definition: Definition, answers: dict[str, Any], result: Score
) -> None:
    rows = []
    for code, value in answers.items():
        rows += _answer_rows(response, definition.item(code), value, result.weights.get(code, 0))
    Answer.objects.bulk_create(rows)


def _answer_rows(response: Response, item: Item, value: Any, weight: int) -> list[Answer]:
    base = {"response": response, "item": item.code, "weight": weight}
    if item.type == "multiple":
        return [Answer(option=code, **base) for code in value]
    if item.has_options:
        return [Answer(option=value, **base)]
    if item.type == "number":
        return [Answer(number=int(value), **base)]
    if item.type == "date":
        return [Answer(date=date.fromisoformat(value), **base)]
    return [Answer(text=str(value), **base)]


def _take_snapshot(response: Response, about: dict[str, str] | None, employer: Organization | None) -> None:
    """What reports group by. The employer is the worker's own (profile) or the one whose invite
    link an anonymous worker came through. What the worker said on the about-you page wins over
    their profile, "I prefer not to say" included: the page promises those answers are optional."""
    worker_profile = getattr(response.worker, "worker_profile", None) if response.worker else None
    employer = (worker_profile.employer if worker_profile else None) or employer
    if about is None:  # the page was never sent: the profile, if any, is all there is
        about = {
            "nationality": worker_profile.nationality if worker_profile else "",
            "residence_status": worker_profile.residence_status if worker_profile else "",
        }
    response.employer = employer
    response.nationality = about.get("nationality") or ""
    response.residence_status = about.get("residence_status") or ""
    response.industry = (employer.industry if employer else "") or about.get("industry") or ""
    response.prefecture = (employer.prefecture if employer else "") or about.get("prefecture") or ""


def _after_submission(response: Response, definition: Definition, result: Score) -> None:
    # Imported here: the desk and the rounds build on surveys, not the other way round.
    from koe.cases.services import alert_raise_for_response
    from koe.surveys.rounds import schedule_next_round

    if result.red_flags:
        alert_raise_for_response(response=response, red_flags=result.red_flags)
    # Only the workers' self-check has rounds; other questionnaires leave them alone.
    if response.worker is not None and definition.kind == QuestionnaireKind.WORKER_SELFCHECK:
        schedule_next_round(worker=response.worker, submitted_at=response.submitted_at)


def response_drafts_expire(*, now: Any = None) -> int:
    """Deletes self-check sheets left unsent for KOE_SELFCHECK_DRAFT_DAYS: their answers and
    resume codes should not wait for ever on the server (a photo of an old code found months
    later would open them). Returns how many went."""
    cutoff = (now or timezone.now()) - timedelta(days=int(settings.KOE_SELFCHECK_DRAFT_DAYS))
    deleted, _by_model = Response.objects.filter(status=ResponseStatus.DRAFT, created_at__lt=cutoff).delete()
    return deleted
