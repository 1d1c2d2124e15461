"""Every write at the desk goes through here: alerts, cases (intake, workflow) and messages."""

from koe.cases.services.alerts import (
    ContactRequestRefused,
    alert_acknowledge,
    alert_raise_for_response,
    alert_request_contact,
)
from koe.cases.services.cases import (
    InvalidTransition,
    Receipt,
    case_assign,
    case_find_by_receipt,
    case_open,
    case_open_from_alert,
    case_transition,
    case_triage,
    desk_message_post,
    internal_note_add,
    worker_message_post,
)
from koe.cases.services.sharing import (
    OutcomeRequired,
    ShareRefused,
    case_record_outcome,
    case_satisfaction_record,
    case_share_level,
    case_share_set,
    case_summary_for_company_set,
)

__all__ = [
    "ContactRequestRefused",
    "InvalidTransition",
    "OutcomeRequired",
    "Receipt",
    "ShareRefused",
    "alert_acknowledge",
    "alert_raise_for_response",
    "alert_request_contact",
    "case_assign",
    "case_find_by_receipt",
    "case_open",
    "case_open_from_alert",
    "case_record_outcome",
    "case_satisfaction_record",
    "case_share_level",
    "case_share_set",
    "case_summary_for_company_set",
    "case_transition",
    "case_triage",
    "desk_message_post",
    "internal_note_add",
    "worker_message_post",
]
