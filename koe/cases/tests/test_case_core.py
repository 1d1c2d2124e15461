"""Cases: opened once, found again only with receipt code and PIN, moved through the workflow by
the rules, with the deadlines the desk owes."""

import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from koe.cases.models import Case, CaseEvent, CaseStatus
from koe.cases.services import (
    InvalidTransition,
    Receipt,
    case_find_by_receipt,
    case_open,
    case_transition,
    desk_message_post,
)
from koe.cases.workflow import is_acknowledgement_overdue, is_feedback_overdue

pytestmark = pytest.mark.django_db


def open_anonymously(**extra) -> Receipt:
    receipt = case_open(language="my", account="My boss keeps my passport", pin="482913", **extra)
    assert isinstance(receipt, Receipt)
    return receipt


def test_an_anonymous_worker_gets_a_receipt_that_opens_the_case_only_with_the_pin() -> None:
    receipt = open_anonymously()
    assert len(receipt.code) == 12 and receipt.code.isdigit()
    assert case_find_by_receipt(receipt.grouped, "482913") == receipt.case
    assert case_find_by_receipt(receipt.code, "000000") is None
    wrong_secret = receipt.code[:6] + ("000000" if receipt.code[6:] != "000000" else "111111")
    assert case_find_by_receipt(wrong_secret, "482913") is None


def test_neither_the_code_nor_the_pin_nor_the_account_is_readable_in_the_database() -> None:
    receipt = open_anonymously()
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM cases_case")
        row = str(cursor.fetchall())
    assert receipt.code not in row and receipt.code[6:] not in row
    assert "482913" not in row and "passport" not in row


def test_sending_the_same_form_twice_opens_one_case() -> None:
    key = uuid.uuid4()
    first = open_anonymously(intake_key=key)
    again = open_anonymously(intake_key=key)
    assert Case.objects.count() == 1
    assert isinstance(again, Receipt) and again.case == first.case
    # The newest code works (the first may never have reached the worker).
    assert case_find_by_receipt(again.code, "482913") == first.case


def test_a_critical_case_is_due_for_acknowledgement_within_hours_a_routine_one_within_7_days() -> None:
    critical = open_anonymously(severity="critical").case
    routine = open_anonymously().case
    assert critical.acknowledge_by - critical.created_at <= timedelta(hours=24)
    assert timedelta(days=6) < routine.acknowledge_by - routine.created_at <= timedelta(days=7)
    assert routine.feedback_by - routine.created_at <= timedelta(days=92)
    later = timezone.now() + timedelta(days=8)
    assert is_acknowledgement_overdue(routine, later)
    case_transition(case=routine, to_status=CaseStatus.ACKNOWLEDGED, actor=None, reason="Read it")
    routine.refresh_from_db()
    assert not is_acknowledgement_overdue(routine, later)


def test_the_workflow_refuses_invalid_steps_and_records_who_when_and_why(personas) -> None:
    case = open_anonymously().case
    with pytest.raises(InvalidTransition):
        case_transition(case=case, to_status=CaseStatus.RESOLVED, actor=personas.consultant, reason="skip")
    with pytest.raises(InvalidTransition):
        case_transition(case=case, to_status=CaseStatus.ACKNOWLEDGED, actor=personas.consultant, reason=" ")
    for status in (CaseStatus.ACKNOWLEDGED, CaseStatus.IN_PROGRESS, CaseStatus.REFERRED_ADR, CaseStatus.RESOLVED,
                   CaseStatus.CLOSED, CaseStatus.IN_PROGRESS):  # fmt: skip
        case_transition(case=case, to_status=status, actor=personas.consultant, reason=f"to {status}")
    events = list(CaseEvent.objects.filter(case=case, kind="status"))
    assert [event.to_status for event in events][-1] == CaseStatus.IN_PROGRESS  # reopened
    assert all(event.actor == personas.consultant and event.reason for event in events)


def test_the_first_reply_counts_as_feedback(personas) -> None:
    case = open_anonymously().case
    assert is_feedback_overdue(case, timezone.now() + timedelta(days=91))
    desk_message_post(case=case, body="We read your message.", actor=personas.consultant)
    case.refresh_from_db()
    assert case.feedback_at is not None
    assert not is_feedback_overdue(case, timezone.now() + timedelta(days=91))


def test_a_form_sent_again_by_someone_else_opens_their_own_case(personas) -> None:
    key = uuid.uuid4()
    anonymous = open_anonymously(intake_key=key)
    signed_in = case_open(language="ja", account="Another story", worker=personas.worker, intake_key=key)
    assert isinstance(signed_in, Case) and signed_in != anonymous.case
    assert case_find_by_receipt(anonymous.code, "482913") == anonymous.case  # its code still works


def test_a_case_from_an_alert_names_the_workers_account_only_if_they_chose_contact_through_it(
    personas,
) -> None:
    from koe.cases.services import alert_request_contact, case_open_from_alert
    from koe.cases.testing import desk_alert

    alert = desk_alert()
    alert.response.worker = personas.worker
    alert.response.save(update_fields=["worker"])
    assert case_open_from_alert(alert=alert, actor=personas.consultant).worker is None
    other = desk_alert()
    other.response.worker = personas.worker
    other.response.save(update_fields=["worker"])
    alert_request_contact(alert=other, method="koe")
    assert case_open_from_alert(alert=other, actor=personas.consultant).worker == personas.worker
