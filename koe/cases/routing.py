"""Routing at the desk: each consultant's queue (the open cases in the languages they speak, not
yet taken or taken by them) and, for supervisors, the workload of the whole desk.

A consultant takes a case from their queue (``case_assign``); nothing is assigned automatically
when a case opens, because who is free is something the desk knows and Koe does not.
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from koe.accounts.models import DESK_ROLES, Role, User
from koe.cases import selectors
from koe.cases.models import Case, CaseSeverity
from koe.cases.workflow import OPEN_STATUSES

QUEUE = "queue"  # the inbox's "My queue" view
ALL = "all"  # every case the user may see
VIEWS = (QUEUE, ALL)


def default_view(user: Any) -> str:
    """Consultants start from their queue; supervisors, whose queue is the whole desk, from all."""
    return QUEUE if getattr(user, "role", "") == Role.CONSULTANT else ALL


def chosen_view(user: Any, asked: str | None) -> str:
    return asked if asked in VIEWS else default_view(user)


def routed_to(user: Any) -> Q:
    """The cases in ``user``'s queue: those nobody has taken in a language they speak, and those
    they hold in any language (a case handed to them stays theirs). A consultant who has not said
    which languages they speak sees every language rather than nothing; a supervisor sees all."""
    if getattr(user, "role", "") == Role.SUPERVISOR:
        return Q()
    untaken = Q(assignee__isnull=True)
    spoken = list(getattr(user, "spoken_languages", None) or [])
    if spoken:
        untaken &= Q(language__in=spoken)
    return untaken | Q(assignee=user)


def case_queue(
    user: Any, filters: selectors.InboxFilters | None = None, view: str = ALL, now: datetime | None = None
) -> QuerySet[Case]:
    """The inbox (critical first, then overdue, then the oldest), narrowed to ``user``'s queue
    when ``view`` is the queue."""
    cases = selectors.case_inbox(user, filters, now)
    return cases.filter(routed_to(user)) if view == QUEUE else cases


def speaks(user: Any, language: str) -> bool:
    """As in the queue: someone who listed no language is taken to cover them all."""
    spoken = list(getattr(user, "spoken_languages", None) or [])
    return not spoken or language in spoken


# Workload ----------------------------------------------------------------------------------------


@dataclass
class Load:
    """Open cases by severity, and how many of them are overdue."""

    critical: int = 0
    urgent: int = 0
    routine: int = 0
    overdue: int = 0

    @property
    def total(self) -> int:
        return self.critical + self.urgent + self.routine

    def add(self, severity: str, count: int, overdue: int) -> None:
        if severity in (CaseSeverity.CRITICAL, CaseSeverity.URGENT, CaseSeverity.ROUTINE):
            setattr(self, severity, getattr(self, severity) + count)
        self.overdue += overdue


@dataclass
class StaffLoad:
    person: User
    load: Load = field(default_factory=Load)

    @property
    def still_at_desk(self) -> bool:
        """False for someone who left (deactivated, or no longer desk staff) but holds cases."""
        return self.person.is_active and self.person.role in DESK_ROLES


@dataclass
class Workload:
    staff: list[StaffLoad]
    unassigned: dict[str, Load]  # by the case's language


def desk_workload(user: Any, now: datetime | None = None) -> Workload:
    """Every open case counted by holder, language and severity in one grouped query; then the
    desk staff and anyone else still holding open cases (someone who left) in a second one."""
    now = now or timezone.now()
    groups = (
        selectors.cases_visible_to(user)
        .filter(status__in=OPEN_STATUSES)
        .values("assignee_id", "language", "severity")
        .annotate(count=Count("pk"), overdue=Count("pk", filter=selectors.overdue_filter(now)))
        .order_by()
    )
    by_holder: dict[int, Load] = {}
    unassigned: dict[str, Load] = {}
    for row in groups:
        holder = row["assignee_id"]
        if holder is None:
            load = unassigned.setdefault(row["language"], Load())
        else:
            load = by_holder.setdefault(holder, Load())
        load.add(row["severity"], row["count"], row["overdue"])
    people = User.objects.filter(Q(role__in=DESK_ROLES, is_active=True) | Q(pk__in=list(by_holder)))
    staff = [StaffLoad(person, by_holder.get(person.pk, Load())) for person in people.order_by("username")]
    return Workload(staff=staff, unassigned=dict(sorted(unassigned.items())))


def holders_of_open_cases() -> QuerySet[User]:
    """Everyone holding an open case, whether still at the desk or not: those a handover is from."""
    holding = Case.objects.filter(status__in=OPEN_STATUSES, assignee__isnull=False).values("assignee_id")
    return User.objects.filter(pk__in=holding).order_by("username")
