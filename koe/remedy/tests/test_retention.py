"""A corrective action is anonymised with its case: the company's plan, the desk's review, the
worker's comment and the evidence files go when the case's retention period ends."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.files.storage import default_storage

from koe.cases.models import CaseStatus
from koe.cases.retention import apply_case_retention
from koe.cases.services import case_transition
from koe.core.testing.personas import Personas
from koe.remedy.models import ActionStatus, DeskReview, EvidenceFile, ReviewDecision, WorkerAnswer
from koe.remedy.services import action_review, action_transition, worker_answer_record
from koe.remedy.testing import shared_action, shared_case, shared_evidence

pytestmark = pytest.mark.django_db


def test_the_action_below_an_anonymised_case_keeps_no_words_and_no_files(personas: Personas) -> None:
    action = shared_action(personas)
    stored = shared_evidence(personas).stored_name
    action_transition(action=action, to_status=ActionStatus.DO, actor=personas.admin_a)
    action_transition(action=action, to_status=ActionStatus.CHECK, actor=personas.admin_a)
    action_review(
        action=action,
        decision=ReviewDecision.NEEDS_CHANGES,
        comment="Train the supervisor",
        actor=personas.consultant,
    )
    action_transition(action=action, to_status=ActionStatus.CHECK, actor=personas.admin_a)
    worker_answer_record(action=action, answer="partly", comment="My passport is back, the shouting is not")
    case = case_transition(
        case=shared_case(personas), to_status=CaseStatus.CLOSED, actor=personas.consultant, reason="Done"
    )
    assert default_storage.exists(stored) and case.closed_at is not None

    apply_case_retention(now=case.closed_at + timedelta(days=settings.KOE_CASE_RETENTION_DAYS + 1))

    action.refresh_from_db()
    assert action.plan == ""
    assert [answer.comment for answer in WorkerAnswer.objects.all()] == [""]
    assert [review.comment for review in DeskReview.objects.all()] == [""]
    assert not EvidenceFile.objects.exists() and not default_storage.exists(stored)
