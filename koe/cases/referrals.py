"""Writes for what the desk does beyond messages: guiding (escort) support, questions put to an
expert, and referrals to ADR (mediation at a bar association's centre). Each write is audited;
the audit detail holds identifiers and codes only, never what anyone wrote."""

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from koe.accounts.models import Role
from koe.audit.services import audit_record
from koe.cases.models import AdrReferral, AdrStatus, Case, ExpertReferral, GuidingSupport, ReferralStatus


class ReferralRefused(ValueError):
    """The person is not an active expert, or the referral is not in a state that allows this."""


@transaction.atomic
def guiding_support_record(
    *,
    case: Case,
    actor: Any,
    date: date,
    place: str,
    purpose: str,
    accompanied_by: Any = None,
    accompanied_by_name: str = "",
    outcome: str = "",
) -> GuidingSupport:
    if accompanied_by is None and not accompanied_by_name.strip():
        raise ValueError("Say who accompanied the worker.")
    support = GuidingSupport.objects.create(
        case=case, date=date, place=place.strip(), purpose=purpose, accompanied_by=accompanied_by,
        accompanied_by_name=accompanied_by_name.strip(), outcome=outcome.strip(), created_by=actor,
    )  # fmt: skip
    audit_record(
        actor=actor, action="case.guiding_support", target=case,
        detail={"number": case.number, "guiding_support": support.pk, "purpose": purpose},
    )  # fmt: skip
    return support


def _is_active_expert(user: Any) -> bool:
    return user is not None and user.is_active and user.role == Role.EXPERT


@transaction.atomic
def expert_referral_create(*, case: Case, expert: Any, question: str, actor: Any) -> ExpertReferral:
    """From now on ``expert`` may read this case (as `expert_case_view` shows it) and answer."""
    if not _is_active_expert(expert):
        raise ReferralRefused("Only an active expert can be asked.")
    referral = ExpertReferral.objects.create(
        case=case, expert=expert, question=question.strip(), created_by=actor
    )
    audit_record(
        actor=actor, action="case.expert_refer", target=case,
        detail={"number": case.number, "referral": str(referral.public_id), "expert": expert.pk},
    )  # fmt: skip
    return referral


def _locked(referral: ExpertReferral) -> ExpertReferral:
    return ExpertReferral.objects.select_for_update().select_related("case").get(pk=referral.pk)


@transaction.atomic
def expert_referral_answer(*, referral: ExpertReferral, answer: str, actor: Any) -> ExpertReferral:
    """The expert's answer, once: a further question is a new referral."""
    referral = _locked(referral)
    if referral.expert_id != getattr(actor, "pk", None) or referral.status != ReferralStatus.OPEN:
        raise ReferralRefused("Only the expert asked can answer, and only an open referral.")
    if not answer.strip():
        raise ValueError("An answer cannot be empty.")
    referral.answer, referral.status = answer.strip(), ReferralStatus.ANSWERED
    referral.answered_at = timezone.now()
    referral.save(update_fields=["answer", "status", "answered_at"])
    audit_record(
        actor=actor, action="case.expert_answer", target=referral.case,
        detail={"number": referral.case.number, "referral": str(referral.public_id)},
    )  # fmt: skip
    return referral


@transaction.atomic
def expert_referral_withdraw(*, referral: ExpertReferral, actor: Any) -> ExpertReferral:
    """Ends the expert's access to the case; an answer already given stays on the record."""
    referral = _locked(referral)
    if referral.status == ReferralStatus.WITHDRAWN:
        return referral
    referral.status, referral.withdrawn_at = ReferralStatus.WITHDRAWN, timezone.now()
    referral.save(update_fields=["status", "withdrawn_at"])
    audit_record(
        actor=actor, action="case.expert_withdraw", target=referral.case,
        detail={"number": referral.case.number, "referral": str(referral.public_id)},
    )  # fmt: skip
    return referral


@transaction.atomic
def adr_referral_create(
    *,
    case: Case,
    actor: Any,
    centre: str,
    mediator_1: str = "",
    mediator_2: str = "",
    interpreter_name: str = "",
    interpreter_language: str = "",
    employer_cost_percent: int = 50,
) -> AdrReferral:
    if not 0 <= employer_cost_percent <= 100:
        raise ValueError("The employer's share is a percentage.")
    adr = AdrReferral.objects.create(
        case=case, centre=centre.strip(), mediator_1=mediator_1.strip(), mediator_2=mediator_2.strip(),
        interpreter_name=interpreter_name.strip(), interpreter_language=interpreter_language,
        employer_cost_percent=employer_cost_percent, created_by=actor,
    )  # fmt: skip
    audit_record(
        actor=actor, action="case.adr_refer", target=case,
        detail={"number": case.number, "adr": str(adr.public_id), "employer_cost_percent": employer_cost_percent},
    )  # fmt: skip
    return adr


@transaction.atomic
def adr_referral_update(
    *, adr: AdrReferral, actor: Any, status: str, outcome: str = "", session: date | None = None
) -> AdrReferral:
    """A session held (its date is added once), the present status, and the outcome so far."""
    if status not in AdrStatus.values:
        raise ValueError(f"Unknown ADR status {status!r}.")
    adr = AdrReferral.objects.select_for_update().select_related("case").get(pk=adr.pk)
    if session is not None and session.isoformat() not in adr.sessions:
        adr.sessions = sorted([*adr.sessions, session.isoformat()])
    adr.status, adr.outcome = status, outcome.strip()
    adr.save(update_fields=["sessions", "status", "outcome"])
    audit_record(
        actor=actor, action="case.adr_update", target=adr.case,
        detail={"number": adr.case.number, "adr": str(adr.public_id), "status": status,
                "sessions": len(adr.sessions)},
    )  # fmt: skip
    return adr
