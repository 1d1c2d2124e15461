"""The rules of a case's life: which status may follow which, and the dates the desk owes.

Deadlines follow the EU Whistleblower Directive and PRODUCT.md rule 7: acknowledgement within 7
days at the latest (critical cases within hours) and feedback within 3 months at the latest; the
operator may set shorter ones, never longer.
"""

from datetime import datetime, timedelta

from django.conf import settings

from koe.cases.models import CaseSeverity, CaseStatus

S = CaseStatus
_ACTIVE_STEPS = {S.GUIDING_SUPPORT, S.EXPERT_CONSULTATION, S.REFERRED_ADR, S.REFERRED_PUBLIC}

TRANSITIONS: dict[str, frozenset[str]] = {
    S.NEW: frozenset({S.ACKNOWLEDGED, S.CLOSED}),
    S.ACKNOWLEDGED: frozenset({S.IN_PROGRESS, *_ACTIVE_STEPS, S.RESOLVED, S.CLOSED}),
    S.IN_PROGRESS: frozenset({*_ACTIVE_STEPS, S.RESOLVED, S.CLOSED}),
    **{step: frozenset({S.IN_PROGRESS, *(_ACTIVE_STEPS - {step}), S.RESOLVED}) for step in _ACTIVE_STEPS},
    S.RESOLVED: frozenset({S.CLOSED, S.IN_PROGRESS}),  # back to work: reopening
    S.CLOSED: frozenset({S.IN_PROGRESS}),  # reopening
}
OPEN_STATUSES = frozenset(set(S) - {S.RESOLVED, S.CLOSED})

MAX_ACKNOWLEDGE_DAYS = 7
MAX_FEEDBACK_DAYS = 90  # "3 months at the latest", never more than the shortest three months


def allowed_next(status: str) -> frozenset[str]:
    return TRANSITIONS.get(status, frozenset())


def acknowledge_deadline(opened: datetime, severity: str) -> datetime:
    if severity == CaseSeverity.CRITICAL:
        return opened + timedelta(hours=int(settings.KOE_DESK_CRITICAL_ACK_HOURS))
    if severity == CaseSeverity.URGENT:
        return opened + timedelta(hours=int(settings.KOE_DESK_URGENT_ACK_HOURS))
    days = min(int(settings.KOE_DESK_ACK_DAYS), MAX_ACKNOWLEDGE_DAYS)
    return opened + timedelta(days=days)


def feedback_deadline(opened: datetime) -> datetime:
    return opened + timedelta(days=min(int(settings.KOE_DESK_FEEDBACK_DAYS), MAX_FEEDBACK_DAYS))


def is_acknowledgement_overdue(case: object, now: datetime) -> bool:
    """Only an open case can be late: one closed unacknowledged (a duplicate, say) is not."""
    return (
        getattr(case, "acknowledged_at", None) is None
        and getattr(case, "status", "") in OPEN_STATUSES
        and now > case.acknowledge_by  # type: ignore[attr-defined]
    )


def is_feedback_overdue(case: object, now: datetime) -> bool:
    return (
        getattr(case, "feedback_at", None) is None
        and getattr(case, "status", "") in OPEN_STATUSES
        and now > case.feedback_by  # type: ignore[attr-defined]
    )
