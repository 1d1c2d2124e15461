"""Reads about shared cases and corrective actions, scoped to who asks.

A company user sees a case only while its worker's newest decision shares it with the user's
own organisation (``cases_shared_with``), and only that organisation's actions on it; anything
else is a 404. The desk sees every action, also on cases no longer shared. A worker is asked
about the actions in "check" on their own case, while it is shared with the company.
"""

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.db.models import Case as Switch
from django.db.models import Count, IntegerField, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from koe.accounts.models import DESK_ROLES, Role
from koe.cases.models import Case, ShareLevel
from koe.cases.sharing_selectors import cases_shared_with, cases_shared_with_query
from koe.remedy.models import ActionStatus, CorrectiveAction, EvidenceFile, WorkerAnswer
from koe.remedy.services import is_shared_with


@dataclass(frozen=True)
class SharedCase:
    case: Case
    level: str

    @property
    def is_full(self) -> bool:
        return self.level == ShareLevel.FULL

    @property
    def level_label(self) -> str:
        return str(ShareLevel(self.level).label)


def _company_organization(user: Any) -> Any:
    if not getattr(user, "is_authenticated", False) or user.role != Role.COMPANY:
        return None
    return user.organization


def shared_cases(user: Any) -> list[SharedCase]:
    organization = _company_organization(user)
    if organization is None:
        return []
    return [SharedCase(case, level) for case, level in cases_shared_with(organization)]


def shared_case(user: Any, number: str) -> SharedCase:
    """One case shared with the user's organisation now; a 404 for any other number."""
    organization = _company_organization(user)
    found = cases_shared_with_query(organization).filter(number=number).first() if organization else None
    if found is None:
        raise Http404
    return SharedCase(found, found.share_level)


def company_actions(user: Any, case: Case) -> QuerySet[CorrectiveAction]:
    """The user's organisation's actions on a case already found through ``shared_case``."""
    return CorrectiveAction.objects.filter(case=case, organization_id=user.organization_id).select_related(
        "owner_user"
    )


def company_action(user: Any, shared: SharedCase, pk: int) -> CorrectiveAction:
    found = company_actions(user, shared.case).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def action_counts(user: Any, cases: list[SharedCase]) -> dict[int, dict[str, int]]:
    """Per case: the organisation's open actions and how many are overdue, in one query."""
    not_closed = ~Q(status=ActionStatus.CLOSED)
    overdue = not_closed & Q(due_date__lt=timezone.localdate())
    rows = (
        CorrectiveAction.objects.filter(
            organization_id=user.organization_id, case__in=[s.case for s in cases]
        )
        .values("case_id")
        .annotate(open_count=Count("pk", filter=not_closed), overdue_count=Count("pk", filter=overdue))
    )
    return {
        row["case_id"]: {"open_count": row["open_count"], "overdue_count": row["overdue_count"]}
        for row in rows
    }


def shared_totals(user: Any) -> tuple[int, int, int]:
    """For the company start page, counted in the database: cases shared with the user's
    organisation, its open corrective actions on them, and how many of those are overdue."""
    organization = _company_organization(user)
    if organization is None:
        return 0, 0, 0
    shared = cases_shared_with_query(organization)
    not_closed = ~Q(status=ActionStatus.CLOSED)
    overdue = not_closed & Q(due_date__lt=timezone.localdate())
    actions = CorrectiveAction.objects.filter(organization=organization, case__in=shared.values("pk"))
    totals = actions.aggregate(open=Count("pk", filter=not_closed), overdue=Count("pk", filter=overdue))
    return shared.count(), totals["open"], totals["overdue"]


def answers_by_action(actions: list[CorrectiveAction]) -> dict[int, WorkerAnswer]:
    """Each action's newest answer from the worker (of any round)."""
    newest: dict[int, WorkerAnswer] = {}
    for answer in WorkerAnswer.objects.filter(action__in=actions):  # newest first
        newest.setdefault(answer.action_id, answer)
    return newest


# The desk -----------------------------------------------------------------------------------------


def _desk_only(user: Any) -> None:
    if not getattr(user, "is_authenticated", False) or user.role not in DESK_ROLES:
        raise Http404


def desk_actions(
    user: Any, *, open_only: bool = True, case: Case | None = None
) -> QuerySet[CorrectiveAction]:
    """Every action, overdue first, then those waiting for the desk's check, then by due date."""
    _desk_only(user)
    today = timezone.localdate()
    actions = CorrectiveAction.objects.select_related("case", "organization", "owner_user")
    if open_only:
        actions = actions.exclude(status=ActionStatus.CLOSED)
    if case is not None:
        actions = actions.filter(case=case)
    overdue = When(~Q(status=ActionStatus.CLOSED) & Q(due_date__lt=today), then=Value(0))
    checking = When(status=ActionStatus.CHECK, then=Value(1))
    order = Switch(overdue, checking, default=Value(2), output_field=IntegerField())
    return actions.annotate(urgency=order).order_by("urgency", "due_date", "pk")


def desk_action(user: Any, pk: int) -> CorrectiveAction:
    _desk_only(user)
    found = (
        CorrectiveAction.objects.select_related("case", "organization", "owner_user").filter(pk=pk).first()
    )
    if found is None:
        raise Http404
    return found


def evidence_of(action: CorrectiveAction, file_id: UUID) -> EvidenceFile:
    found = action.evidence.filter(public_id=file_id).first()
    if found is None:
        raise Http404
    return found


# The worker ---------------------------------------------------------------------------------------


def worker_questions(case: Case) -> list[CorrectiveAction]:
    """The actions the worker is asked about: in "check", on a case still shared with the company."""
    actions = CorrectiveAction.objects.filter(case=case, status=ActionStatus.CHECK).select_related(
        "organization"
    )
    return [action for action in actions if is_shared_with(case, action.organization)]


def answers_this_round(actions: list[CorrectiveAction]) -> dict[int, str]:
    """The worker's answer to each action in its present round of checking, if they gave one."""
    rounds = {action.pk: action.check_round for action in actions}
    found = WorkerAnswer.objects.filter(action_id__in=rounds).values_list("action_id", "round", "answer")
    return {action_id: answer for action_id, round_, answer in found if rounds[action_id] == round_}
