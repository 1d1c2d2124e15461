"""Shared cases and corrective actions for tests and the site-wide page checks: made through the
real services and kept on the personas, so a page's URL can be asked for again in one test."""

from datetime import timedelta
from typing import Any

from django.utils import timezone

from koe.cases.attachments import CleanFile
from koe.cases.models import Case, Category, ContactMethod, ShareLevel
from koe.cases.services import case_open, case_share_set, case_summary_for_company_set, worker_message_post
from koe.cases.services.cases import internal_note_add
from koe.remedy.models import CorrectiveAction, EvidenceFile
from koe.remedy.services import action_create, evidence_add

WORKER_WORDS = "My supervisor took my passport and shouts at me"
WORKER_MESSAGE = "He did it again yesterday"
DESK_NOTE = "Worker seemed afraid on the phone"
SUMMARY = "A worker reports that identity documents are kept by the employer."
CONTACT = "090-1234-5678"


def worker_case(personas: Any, *, level: str = ShareLevel.SUMMARY, organization: Any = None) -> Case:
    """The persona worker's consultation about Sakura Packing (tier 1 of Sakura Foods), with a
    message and a desk note, shared with ``organization`` (Sakura Foods by default) at ``level``."""
    case = case_open(
        language="vi", account=WORKER_WORDS, worker=personas.worker, employer=personas.org_a1,
        categories=[Category.RETAINED_DOCUMENTS], contact_method=ContactMethod.PHONE, contact_detail=CONTACT,
    )  # fmt: skip
    assert isinstance(case, Case)
    worker_message_post(case=case, body=WORKER_MESSAGE)
    internal_note_add(case=case, actor=personas.consultant, body=DESK_NOTE)
    case = case_summary_for_company_set(case=case, text=SUMMARY, actor=personas.consultant)
    case_share_set(case=case, organization=organization or personas.org_a, level=level, actor=personas.worker)
    return case


def shared_case(personas: Any) -> Case:
    """One case shared with Sakura Foods at summary level, made once per test."""
    if not hasattr(personas, "_remedy_case"):
        personas._remedy_case = worker_case(personas)
    return personas._remedy_case


def action_of(personas: Any, case: Case | None = None, **fields: Any) -> CorrectiveAction:
    case = case or shared_case(personas)
    values: dict[str, Any] = {"plan": "Return passports; train supervisors", "owner_name": "HR manager",
              "due_date": timezone.localdate() + timedelta(days=30)} | fields  # fmt: skip
    return action_create(case=case, organization=personas.org_a, actor=personas.admin_a, **values)


def shared_action(personas: Any) -> CorrectiveAction:
    """An action of Sakura Foods on the shared case, made once per test."""
    if not hasattr(personas, "_remedy_action"):
        personas._remedy_action = action_of(personas)
    return personas._remedy_action


def shared_evidence(personas: Any, action: CorrectiveAction | None = None) -> EvidenceFile:
    """A PDF given as evidence for ``action`` (the shared action by default), added once."""
    action = action or shared_action(personas)
    found = action.evidence.first()
    if found is None:
        pdf = CleanFile(b"%PDF-1.4 a training record", "application/pdf", "pdf")
        found = evidence_add(action=action, files=[pdf], actor=personas.admin_a)[0]
    return found
