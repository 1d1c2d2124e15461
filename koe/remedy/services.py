"""Every write about corrective action: the company's plan and steps, its evidence files, the
desk's review and the worker's answer. Each checks who acts, so a view that forgot a selector
still cannot let another company write."""

import secrets
from datetime import date
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from koe.accounts.models import DESK_ROLES, Role
from koe.audit.services import audit_record
from koe.cases.attachments import CleanFile, display_name
from koe.cases.models import Case, Satisfaction
from koe.cases.services.sharing import case_share_level
from koe.cases.sharing_selectors import SHARED_LEVELS
from koe.core import crypto
from koe.remedy.models import (
    TRANSITIONS,
    ActionEvent,
    ActionStatus,
    CorrectiveAction,
    DeskReview,
    EvidenceFile,
    ReviewDecision,
    WorkerAnswer,
)

S = ActionStatus
EVIDENCE_FOLDER = "koe-evidence"
MAX_EVIDENCE_FILES = 20
# The steps a company takes itself; "check" is left by the desk's review and the worker's answer.
COMPANY_MOVES: dict[str, frozenset[str]] = {
    S.PLAN: frozenset({S.DO}),
    S.DO: frozenset({S.PLAN, S.CHECK}),
    S.ACT: frozenset({S.CLOSED}),
}
# What the worker's answer does to an action in "check" ("yes" waits for the desk's acceptance).
WORKER_ANSWER_MOVES: dict[str, str] = {Satisfaction.NO: S.PLAN, Satisfaction.PARTLY: S.DO}


class ActionRefused(ValueError):
    """This person may not do this to this action, or not in its present status."""


def is_shared_with(case: Case, organization: Any) -> bool:
    """Whether the worker's newest decision lets ``organization`` see the case now."""
    return organization is not None and case_share_level(case, organization) in SHARED_LEVELS


def _require_company(case: Case, organization: Any, actor: Any) -> None:
    if getattr(actor, "role", None) != Role.COMPANY or actor.organization_id != getattr(
        organization, "pk", None
    ):
        raise ActionRefused("Only users of the organisation may act on its corrective actions.")
    if not is_shared_with(case, organization):
        raise ActionRefused("The case is not shared with this organisation.")


def _locked(action: CorrectiveAction) -> CorrectiveAction:
    return CorrectiveAction.objects.select_for_update().select_related("case").get(pk=action.pk)


def _move(action: CorrectiveAction, to_status: str, *, actor: Any = None, by_worker: bool = False) -> None:
    if to_status not in TRANSITIONS[action.status]:
        raise ActionRefused(f"{action.status} cannot become {to_status}.")
    ActionEvent.objects.create(
        action=action, kind="status", from_status=action.status, to_status=to_status, actor=actor,
        by_worker=by_worker,
    )  # fmt: skip
    action.status = to_status
    if to_status == S.CHECK:
        action.check_round += 1
    action.closed_at = timezone.now() if to_status == S.CLOSED else None
    action.save(update_fields=["status", "check_round", "closed_at", "updated_at"])


@transaction.atomic
def action_create(
    *, case: Case, organization: Any, plan: str, due_date: date, actor: Any, owner_user: Any = None,
    owner_name: str = "",
) -> CorrectiveAction:  # fmt: skip
    _require_company(case, organization, actor)
    if owner_user is not None and owner_user.organization_id != organization.pk:
        raise ActionRefused("The owner must be a user of the same organisation.")
    action = CorrectiveAction.objects.create(
        case=case, organization=organization, plan=plan.strip(), due_date=due_date, owner_user=owner_user,
        owner_name=owner_name.strip(), created_by=actor,
    )  # fmt: skip
    ActionEvent.objects.create(action=action, kind="created", to_status=action.status, actor=actor)
    audit_record(actor=actor, action="remedy.action_create", target=action, detail={"case": case.number})
    return action


@transaction.atomic
def action_update(
    *, action: CorrectiveAction, plan: str, due_date: date, actor: Any, owner_user: Any = None,
    owner_name: str = "",
) -> CorrectiveAction:  # fmt: skip
    """A plan, owner or due date changes only while the action is planned or under way."""
    action = _locked(action)
    _require_company(action.case, action.organization, actor)
    if not action.editable:
        raise ActionRefused("Only a planned or ongoing action can be changed.")
    if owner_user is not None and owner_user.organization_id != action.organization_id:
        raise ActionRefused("The owner must be a user of the same organisation.")
    action.plan, action.due_date = plan.strip(), due_date
    action.owner_user, action.owner_name = owner_user, owner_name.strip()
    action.save(update_fields=["plan", "due_date", "owner_user", "owner_name", "updated_at"])
    ActionEvent.objects.create(action=action, kind="edited", actor=actor)
    audit_record(actor=actor, action="remedy.action_update", target=action)
    return action


@transaction.atomic
def action_transition(*, action: CorrectiveAction, to_status: str, actor: Any) -> CorrectiveAction:
    """A step the company takes: start, send for checking, go back to the plan, close."""
    action = _locked(action)
    _require_company(action.case, action.organization, actor)
    if to_status not in COMPANY_MOVES.get(action.status, frozenset()):
        raise ActionRefused(f"The company cannot move an action from {action.status} to {to_status}.")
    _move(action, to_status, actor=actor)
    audit_record(actor=actor, action="remedy.action_transition", target=action, detail={"to": to_status})
    return action


def _round_answer(action: CorrectiveAction) -> str:
    found = action.worker_answers.filter(round=action.check_round).values_list("answer", flat=True).first()
    return found or ""


def _round_accepted(action: CorrectiveAction) -> bool:
    newest = action.reviews.filter(round=action.check_round).values_list("decision", flat=True).first()
    return newest == ReviewDecision.ACCEPTED


@transaction.atomic
def action_review(*, action: CorrectiveAction, decision: str, comment: str, actor: Any) -> DeskReview:
    """The desk's verdict. Needs changes sends the action back to "do"; accepted moves it to
    "act" once the worker has said it solved the problem (or when they say so later)."""
    if getattr(actor, "role", None) not in DESK_ROLES:
        raise ActionRefused("Only the desk reviews corrective actions.")
    if decision not in ReviewDecision.values:
        raise ValueError(f"Unknown decision {decision!r}.")
    action = _locked(action)
    if action.status != S.CHECK:
        raise ActionRefused("Only an action being checked can be reviewed.")
    review = DeskReview.objects.create(
        action=action, round=action.check_round, decision=decision, comment=comment.strip(), reviewer=actor
    )
    if decision == ReviewDecision.NEEDS_CHANGES:
        _move(action, S.DO, actor=actor)
    elif _round_answer(action) == Satisfaction.YES:
        _move(action, S.ACT, actor=actor)
    audit_record(actor=actor, action="remedy.action_review", target=action, detail={"decision": decision})
    return review


def worker_asked(action: CorrectiveAction) -> bool:
    return action.status == S.CHECK


@transaction.atomic
def worker_answer_record(*, action: CorrectiveAction, answer: str, comment: str = "") -> WorkerAnswer:
    """The worker's answer, signed in or with the receipt code (no account, so no actor and no
    audit entry: Koe keeps no trace of what a worker does). No sends the action back to its plan,
    partly back to "do"; yes moves it to "act" once the desk has accepted it."""
    if answer not in Satisfaction.values:
        raise ValueError(f"Unknown answer {answer!r}.")
    action = _locked(action)
    if not worker_asked(action):
        raise ActionRefused("The worker is asked only while the action is being checked.")
    if _round_answer(action):
        raise ActionRefused("The worker has already answered in this round of checking.")
    recorded = WorkerAnswer.objects.create(
        action=action, round=action.check_round, answer=answer, comment=comment.strip()
    )
    if answer in WORKER_ANSWER_MOVES:
        _move(action, WORKER_ANSWER_MOVES[answer], by_worker=True)
    elif _round_accepted(action):
        _move(action, S.ACT, by_worker=True)
    return recorded


# Evidence files ---------------------------------------------------------------------------------


@transaction.atomic
def evidence_add(*, action: CorrectiveAction, files: list[CleanFile], actor: Any) -> list[EvidenceFile]:
    """Cleaned files (koe/cases/attachments.py ``clean_upload``), stored encrypted under random
    names. As for the desk's files, a rolled-back request leaves an unreadable orphan in the
    storage, never a row without its file."""
    action = _locked(action)
    _require_company(action.case, action.organization, actor)
    if action.status == S.CLOSED:
        raise ActionRefused("A closed action takes no more evidence.")
    already = action.evidence.count()
    if already + len(files) > MAX_EVIDENCE_FILES:
        raise ActionRefused("Too many files for one action.")
    stored = [_store(action, upload, already + number, actor) for number, upload in enumerate(files, start=1)]
    ActionEvent.objects.create(action=action, kind="evidence", actor=actor)
    audit_record(actor=actor, action="remedy.evidence_add", target=action, detail={"files": len(stored)})
    return stored


def _store(action: CorrectiveAction, upload: CleanFile, number: int, actor: Any) -> EvidenceFile:
    evidence = EvidenceFile(
        action=action, content_type=upload.content_type, size=len(upload.data),
        display_name=display_name(upload, number), uploaded_by=actor,
    )  # fmt: skip
    sealed = crypto.encrypt_bytes(upload.data, evidence.encryption_context)
    name = f"{EVIDENCE_FOLDER}/{secrets.token_hex(20)}"
    evidence.stored_name = default_storage.save(name, ContentFile(sealed.encode("ascii")))
    evidence.save()
    return evidence


def evidence_read(evidence: EvidenceFile) -> bytes:
    """The file's bytes, decrypted. Raises ``DecryptionError`` if they were altered or swapped."""
    with default_storage.open(evidence.stored_name, "rb") as stored:
        sealed = stored.read().decode("ascii")
    return crypto.decrypt_bytes(sealed, evidence.encryption_context)
