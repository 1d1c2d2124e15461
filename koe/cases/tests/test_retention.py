"""Retention, end to end: a closed case keeps what statistics need and loses everything else once
its period is over, a receipt code stops opening its case 90 days after closing, open cases are
never touched, and the daily command can run any number of times."""

from collections import Counter
from datetime import datetime, timedelta
from io import StringIO
from typing import Any
from unittest import mock

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from koe.audit.models import AuditEntry
from koe.cases.attachments import CleanFile
from koe.cases.models import (
    Attachment,
    Case,
    CaseEvent,
    CaseShare,
    CaseStatus,
    Category,
    InternalNote,
    Message,
    RemedyType,
    Satisfaction,
    ShareLevel,
)
from koe.cases.retention import apply_case_retention, blanked_texts
from koe.cases.services import (
    Receipt,
    case_find_by_receipt,
    case_open,
    case_record_outcome,
    case_satisfaction_record,
    case_share_set,
    case_summary_for_company_set,
    case_transition,
    internal_note_add,
)
from koe.cases.services.cases import desk_reply_send, intake_attachments_add, worker_reply_send
from koe.core.testing.personas import Personas

pytestmark = pytest.mark.django_db

PIN = "482913"
RETENTION = timedelta(days=settings.KOE_CASE_RETENTION_DAYS)
RECEIPT_EXPIRY = timedelta(days=settings.KOE_RECEIPT_UNUSED_EXPIRY_DAYS)
DAY = timedelta(days=1)


def pdf(words: str) -> CleanFile:
    return CleanFile(f"%PDF-1.4\n% {words}\n%%EOF".encode(), "application/pdf", "pdf")


def close(case: Case, personas: Personas) -> Case:
    return case_transition(case=case, to_status=CaseStatus.CLOSED, actor=personas.consultant, reason="Done")


def anonymous_case_with_file(personas: Personas) -> Receipt:
    receipt = case_open(
        language="vi", account="Anonymous worker's own words", categories=[Category.WAGES],
        employer=personas.org_a1, employer_named="Minato workshop", pin=PIN,
    )  # fmt: skip
    assert isinstance(receipt, Receipt)
    intake_attachments_add(case=receipt.case, files=[pdf("payslip of the anonymous worker")])
    worker_reply_send(case=receipt.case, body="Please answer me", files=[])
    desk_reply_send(
        case=receipt.case,
        body="We called your employer",
        actor=personas.consultant,
        files=[pdf("desk letter")],
    )
    return receipt


def resolved_signed_in_case(personas: Personas) -> Case:
    """A signed-in worker's case taken all the way: messages, a note, a summary shared with the
    brand holder, an outcome, the worker's satisfaction, then closed."""
    case = case_open(
        language="tl", account="Signed-in worker's own words", categories=[Category.HARASSMENT],
        worker=personas.worker, employer=personas.org_a1, contact_detail="090-0000-1111",
    )  # fmt: skip
    assert isinstance(case, Case)
    worker_reply_send(case=case, body="The manager hits us", files=[pdf("photo of the bruise")])
    internal_note_add(case=case, actor=personas.consultant, body="Worker fears losing the visa")
    case_transition(case=case, to_status=CaseStatus.ACKNOWLEDGED, actor=personas.consultant, reason="Seen")
    case_summary_for_company_set(case=case, text="Harassment at a tier-1 supplier", actor=personas.consultant)
    case_share_set(case=case, organization=personas.org_a, level=ShareLevel.SUMMARY)
    case_record_outcome(
        case=case, outcome="The manager was moved", remedy_type=RemedyType.CORRECTED_PRACTICE,
        actor=personas.consultant, resolve=True,
    )  # fmt: skip
    case_satisfaction_record(case=case, satisfaction=Satisfaction.PARTLY, comment="Better now, thank you")
    return close(case, personas)


def statistics() -> Counter[tuple[Any, ...]]:
    """What the statistics count: one key per case."""
    return Counter(
        (c.language, tuple(c.categories), c.severity, c.status, c.channel, c.employer_id, c.remedy_type,
         c.satisfaction, tuple(sorted(c.brand_holders.values_list("pk", flat=True))))
        for c in Case.objects.all()
    )  # fmt: skip


def closed_at(case: Case) -> datetime:
    assert case.closed_at is not None
    return case.closed_at


def in_tokyo_month_start(moment: datetime | None) -> bool:
    local = timezone.localtime(moment)
    return (local.day, local.hour, local.minute, local.second, local.microsecond) == (1, 0, 0, 0, 0)


def test_a_closed_case_past_its_period_keeps_its_statistics_and_loses_every_word_and_file(
    personas: Personas,
) -> None:
    receipt = anonymous_case_with_file(personas)
    anonymous = close(receipt.case, personas)
    signed_in = resolved_signed_in_case(personas)
    files = list(Attachment.objects.values_list("stored_name", flat=True))
    assert len(files) == 3 and all(default_storage.exists(name) for name in files)
    before = statistics()

    run = apply_case_retention(now=closed_at(signed_in) + RETENTION + DAY)

    assert (run.cases_anonymised, run.messages_deleted, run.notes_deleted, run.attachments_deleted) == (
        2,
        3,
        1,
        3,
    )
    assert statistics() == before
    assert not any(default_storage.exists(name) for name in files)
    assert (
        not Message.objects.exists() and not InternalNote.objects.exists() and not Attachment.objects.exists()
    )
    assert case_find_by_receipt(receipt.code, PIN) is None
    for case in Case.objects.filter(pk__in=[anonymous.pk, signed_in.pk]):
        assert all(getattr(case, name) in ("", None) for name in blanked_texts(Case))
        assert (case.worker, case.receipt_lookup, case.receipt_hash, case.pin_hash) == (None, None, "", "")
        assert case.anonymised_at is not None
        assert in_tokyo_month_start(case.created_at) and in_tokyo_month_start(case.closed_at)
    assert all(event.reason == "" for event in CaseEvent.objects.all())
    assert CaseShare.objects.get().level == ShareLevel.SUMMARY
    assert not personas.worker.cases.exists()


def test_every_row_still_pointing_at_an_anonymised_case_holds_no_encrypted_text(personas: Personas) -> None:
    case = resolved_signed_in_case(personas)
    apply_case_retention(now=closed_at(case) + RETENTION + DAY)
    for relation in Case._meta.related_objects:
        if relation.one_to_many:
            for row in relation.related_model._default_manager.filter(**{relation.field.name: case}):
                assert all(getattr(row, name) in ("", None) for name in blanked_texts(relation.related_model))


def test_a_case_closed_less_than_its_period_ago_is_left_whole(personas: Personas) -> None:
    case = resolved_signed_in_case(personas)

    run = apply_case_retention(now=closed_at(case) + RETENTION - DAY)

    assert run.cases_anonymised == 0
    case.refresh_from_db()
    assert case.account == "Signed-in worker's own words" and case.worker == personas.worker
    assert case.anonymised_at is None and case.messages.count() == 1 and case.attachments.count() == 1


def test_open_and_reopened_cases_are_never_touched_however_old(personas: Personas) -> None:
    still_open = anonymous_case_with_file(personas)
    reopened = close(anonymous_case_with_file(personas).case, personas)
    case_transition(
        case=reopened, to_status=CaseStatus.IN_PROGRESS, actor=personas.consultant, reason="Again"
    )

    run = apply_case_retention(now=timezone.now() + 10 * RETENTION)

    assert (run.receipts_expired, run.cases_anonymised) == (0, 0)
    assert case_find_by_receipt(still_open.code, PIN) == still_open.case
    assert Case.objects.filter(anonymised_at__isnull=True).count() == 2
    assert Attachment.objects.count() == 4 and Message.objects.count() == 4


def test_a_receipt_opens_its_closed_case_until_the_expiry_period_has_passed(personas: Personas) -> None:
    receipt = anonymous_case_with_file(personas)
    closed_at = close(receipt.case, personas).closed_at
    assert closed_at is not None

    assert apply_case_retention(now=closed_at + RECEIPT_EXPIRY - DAY).receipts_expired == 0
    assert case_find_by_receipt(receipt.code, PIN) == receipt.case
    assert apply_case_retention(now=closed_at + RECEIPT_EXPIRY + DAY).receipts_expired == 1

    assert case_find_by_receipt(receipt.code, PIN) is None
    case = Case.objects.get(pk=receipt.case.pk)
    assert (case.receipt_lookup, case.receipt_hash, case.pin_hash) == (None, "", "")
    # Only the key is gone: the desk still has the whole case until its retention period ends.
    assert case.account == "Anonymous worker's own words" and case.attachments.count() == 2


def advanced_clock(moment: datetime) -> Any:
    return mock.patch("django.utils.timezone.now", return_value=moment)


def test_the_daily_command_anonymises_once_and_prints_counts_only(personas: Personas) -> None:
    anonymous_case_with_file(personas)  # open: never touched
    closed = close(anonymous_case_with_file(personas).case, personas)
    resolved_signed_in_case(personas)
    assert closed.closed_at is not None
    outputs = []
    with advanced_clock(closed.closed_at + RETENTION + DAY):
        for _run in range(2):
            out = StringIO()
            call_command("apply_case_retention", "--batch-size", "1", stdout=out)
            outputs.append(out.getvalue())

    assert outputs[0].startswith("1 receipts expired")  # the signed-in worker's case has none
    assert "2 cases anonymised" in outputs[0] and "3 messages, 1 notes, 3 files deleted" in outputs[0]
    assert outputs[1].startswith("0 receipts expired") and "0 cases anonymised" in outputs[1]
    assert "words" not in "".join(outputs)
    assert Case.objects.filter(anonymised_at__isnull=True).count() == 1
    runs = AuditEntry.objects.filter(action="case.retention").order_by("sequence")
    assert [entry.detail["cases_anonymised"] for entry in runs] == [2, 0]
    assert set(runs[0].detail) == {
        "receipts_expired", "cases_anonymised", "messages_deleted", "notes_deleted", "attachments_deleted"
    }  # fmt: skip


def test_the_command_can_hand_the_run_to_a_task_worker(personas: Personas) -> None:
    case = resolved_signed_in_case(personas)
    assert case.closed_at is not None
    out = StringIO()
    with advanced_clock(case.closed_at + RETENTION + DAY):
        call_command("apply_case_retention", "--enqueue", stdout=out)  # tests run tasks at once

    assert out.getvalue().startswith("queued task")
    assert Case.objects.get(pk=case.pk).anonymised_at is not None


def test_an_anonymised_case_cannot_be_reopened() -> None:
    from koe.cases.services import InvalidTransition, case_open, case_transition

    receipt = case_open(language="vi", account="gone later", pin="123456")
    case = receipt.case if hasattr(receipt, "case") else receipt
    for status in (CaseStatus.ACKNOWLEDGED, CaseStatus.CLOSED):
        case_transition(case=case, to_status=status, actor=None, reason="done")
    Case.objects.filter(pk=case.pk).update(anonymised_at=timezone.now())
    with pytest.raises(InvalidTransition):
        case_transition(case=case, to_status=CaseStatus.IN_PROGRESS, actor=None, reason="again")
