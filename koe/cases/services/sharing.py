"""What leaves the desk, and how a case ends: the worker's consent to share a case with a company
(PRODUCT.md rule 1), the summary a consultant writes for companies, the outcome and remedy the
desk records, and the worker's answer to "Did this solve your problem?"."""

from typing import Any

from django.db import transaction
from django.utils import timezone

from koe.audit.services import audit_record
from koe.cases.models import Case, CaseShare, CaseStatus, RemedyType, Satisfaction, ShareLevel
from koe.cases.services.cases import InvalidTransition, case_transition


class ShareRefused(ValueError):
    """The organisation is neither the case's employer nor one of its brand holders."""


class OutcomeRequired(InvalidTransition):
    """A case is resolved only with its outcome and the remedy the worker obtained."""


def organizations_related_to(case: Case) -> list[Any]:
    """The companies a worker may share this case with: the employer, then the brand holders."""
    brand_holders = [org for org in case.brand_holders.order_by("name") if org.pk != case.employer_id]
    return ([case.employer] if case.employer is not None else []) + brand_holders


def _is_related(case: Case, organization: Any) -> bool:
    return organization.pk == case.employer_id or case.brand_holders.filter(pk=organization.pk).exists()


def case_share_level(case: Case, organization: Any) -> str:
    """The level the worker's newest decision set; not shared when they never decided."""
    newest = CaseShare.objects.filter(case=case, organization=organization).values_list("level", flat=True)
    return newest.first() or ShareLevel.NONE


@transaction.atomic
def case_share_set(
    *, case: Case, organization: Any, level: str, by_worker: bool = True, actor: Any = None
) -> CaseShare | None:
    """Records the worker's decision: one new row per change, so grants and revocations are all
    kept. ``by_worker=False`` when the desk (``actor``) records consent given by phone or in
    person. Returns None when the level is already the present one (nothing to record)."""
    if level not in ShareLevel.values:
        raise ValueError(f"Unknown share level {level!r}.")
    case = Case.objects.select_for_update().get(pk=case.pk)  # one decision at a time per case
    if not _is_related(case, organization):
        raise ShareRefused("This organisation is not the case's employer or one of its brand holders.")
    if case_share_level(case, organization) == level:
        return None
    share = CaseShare.objects.create(
        case=case, organization=organization, level=level, by_worker=by_worker, recorded_by=actor
    )
    audit_record(
        actor=actor, action="case.share", target=case,
        detail={"organization": organization.pk, "level": level, "by_worker": by_worker},
    )  # fmt: skip
    return share


@transaction.atomic
def case_summary_for_company_set(*, case: Case, text: str, actor: Any) -> Case:
    case = Case.objects.select_for_update().get(pk=case.pk)
    case.summary_for_company = text.strip()
    case.save(update_fields=["summary_for_company"])
    audit_record(actor=actor, action="case.summary_for_company", target=case)
    return case


def outcome_missing(case: Case, to_status: str) -> bool:
    """True when the case would become resolved without its outcome and remedy recorded."""
    return to_status == CaseStatus.RESOLVED and not (case.outcome and case.remedy_type)


@transaction.atomic
def case_record_outcome(
    *, case: Case, outcome: str, remedy_type: str, actor: Any, resolve: bool = False, reason: str = ""
) -> Case:
    """Records how the case ended and which remedy the worker obtained; with ``resolve``, also
    moves the case to resolved (through ``case_transition``, so the workflow rules still hold)."""
    outcome = outcome.strip()
    if not outcome or remedy_type not in RemedyType.values:
        raise OutcomeRequired("Record the outcome and the remedy.")
    case = Case.objects.select_for_update().get(pk=case.pk)
    case.outcome, case.remedy_type, case.outcome_recorded_at = outcome, remedy_type, timezone.now()
    case.save(update_fields=["outcome", "remedy_type", "outcome_recorded_at"])
    audit_record(actor=actor, action="case.outcome", target=case, detail={"remedy_type": remedy_type})
    if resolve and case.status != CaseStatus.RESOLVED:
        case = case_transition(
            case=case, to_status=CaseStatus.RESOLVED, actor=actor, reason=reason or outcome
        )
    return case


def satisfaction_asked(case: Case) -> bool:
    return case.status in (CaseStatus.RESOLVED, CaseStatus.CLOSED)


@transaction.atomic
def case_satisfaction_record(*, case: Case, satisfaction: str, comment: str = "") -> Case:
    """The worker's answer, one per case: answering again replaces the earlier answer."""
    if satisfaction not in Satisfaction.values:
        raise ValueError(f"Unknown answer {satisfaction!r}.")
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not satisfaction_asked(case):
        raise InvalidTransition("Only a resolved or closed case asks for satisfaction.")
    case.satisfaction, case.satisfaction_comment = satisfaction, comment.strip()
    case.satisfaction_at = timezone.now()
    case.save(update_fields=["satisfaction", "satisfaction_comment", "satisfaction_at"])
    return case
