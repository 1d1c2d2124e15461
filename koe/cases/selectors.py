"""Reads at the desk, scoped to the acting user. Only desk staff (consultants and supervisors)
see alerts and every case; an expert sees only the cases referred to them; everyone else,
company users included, sees none (PRODUCT.md rules 1, 8)."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from django.db.models import (
    BooleanField,
    Case,
    Count,
    ExpressionWrapper,
    IntegerField,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast
from django.shortcuts import get_object_or_404
from django.utils import timezone, translation

from koe.accounts.models import DESK_ROLES, Role, User
from koe.cases.models import (
    Alert,
    AlertSeverity,
    AlertStatus,
    CaseEvent,
    CaseSearchToken,
    CaseSeverity,
    Category,
    Message,
    MessageAuthor,
)
from koe.cases.models import Case as CaseModel
from koe.cases.referral_selectors import referred_case_ids
from koe.cases.search import query_tokens
from koe.cases.workflow import OPEN_STATUSES as CASE_OPEN_STATUSES
from koe.organizations.models import Organization

OPEN_STATUSES = (AlertStatus.NEW, AlertStatus.ACKNOWLEDGED)


def alerts_visible_to(user: Any) -> QuerySet[Alert]:
    alerts = Alert.objects.all()
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return alerts.none()
    if user.role in DESK_ROLES:
        return alerts
    return alerts.none()


def alert_for(user: Any, public_id: UUID | str) -> Alert:
    """The alert, if ``user`` may see it; a 404 otherwise, so its existence stays hidden."""
    alerts = alerts_visible_to(user).select_related("employer", "acknowledged_by", "response__version")
    return get_object_or_404(alerts, public_id=public_id)


@dataclass(frozen=True)
class QueueFilters:
    """Empty values mean "any"; an empty status means the open alerts (new and acknowledged)."""

    status: str = ""
    severity: str = ""
    language: str = ""


def desk_queue(user: Any, filters: QueueFilters | None = None) -> QuerySet[Alert]:
    """The alerts ``user`` may see, critical first, then oldest first (the longest wait on top)."""
    filters = filters or QueueFilters()
    alerts = alerts_visible_to(user).select_related("employer")
    alerts = (
        alerts.filter(status=filters.status) if filters.status else alerts.filter(status__in=OPEN_STATUSES)
    )
    if filters.severity:
        alerts = alerts.filter(severity=filters.severity)
    if filters.language:
        alerts = alerts.filter(language=filters.language)
    # Ranked explicitly rather than by the codes' alphabetical order, which only happens to fit.
    rank = Case(
        When(severity=AlertSeverity.CRITICAL, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return alerts.annotate(severity_rank=rank).order_by("severity_rank", "created_at", "pk")


def new_alert_count(user: Any) -> int:
    return alerts_visible_to(user).filter(status=AlertStatus.NEW).count()


# Cases ------------------------------------------------------------------------------------------


def cases_visible_to(user: Any) -> QuerySet[CaseModel]:
    """Desk staff see every case; an expert only the cases referred to them and not withdrawn
    (PRODUCT.md rule 8); anyone else none."""
    cases = CaseModel.objects.all()
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return cases.none()
    if user.role in DESK_ROLES:
        return cases
    if user.role == Role.EXPERT:
        return cases.filter(pk__in=referred_case_ids(user))
    return cases.none()


def case_for(user: Any, public_id: UUID | str) -> CaseModel:
    """The case, if ``user`` may see it; a 404 otherwise, so its existence stays hidden."""
    cases = cases_visible_to(user).select_related("employer", "assignee", "logged_by", "worker", "alert")
    return get_object_or_404(cases, public_id=public_id)


def case_for_alert(user: Any, alert: Alert) -> CaseModel | None:
    return cases_visible_to(user).filter(alert=alert).first()


def _acknowledgement_overdue(now: datetime) -> Q:
    return Q(acknowledged_at__isnull=True, acknowledge_by__lt=now, status__in=CASE_OPEN_STATUSES)


def _feedback_overdue(now: datetime) -> Q:
    return Q(feedback_at__isnull=True, feedback_by__lt=now, status__in=CASE_OPEN_STATUSES)


def overdue_filter(now: datetime) -> Q:
    """Open cases past their acknowledgement or feedback deadline. Only open cases are overdue:
    one closed before it was acknowledged owes nothing more."""
    return _acknowledgement_overdue(now) | _feedback_overdue(now)


@dataclass(frozen=True)
class InboxFilters:
    """Empty values mean "any"; an empty status means the open cases (not resolved or closed).
    ``assignee`` is "me", "unassigned" or a user's id."""

    status: str = ""
    language: str = ""
    severity: str = ""
    overdue: bool = False
    assignee: str = ""
    search: str = ""
    organization: int | None = None  # employer, supervising organisation or brand holder


def case_inbox(
    user: Any, filters: InboxFilters | None = None, now: datetime | None = None
) -> QuerySet[CaseModel]:
    """The cases ``user`` may see: critical first, then overdue, then the oldest.

    Search looks at the case number, the employer's registered name and the categories, and
    for desk staff at the words of the case (account, employer as the worker wrote it, messages,
    notes) through their keyed hashes (koe/cases/search.py): the text itself is encrypted.
    """
    filters, now = filters or InboxFilters(), now or timezone.now()
    cases = cases_visible_to(user).select_related("employer", "assignee")
    if filters.status:
        cases = cases.filter(status=filters.status)
    else:
        cases = cases.filter(status__in=CASE_OPEN_STATUSES)
    if filters.language:
        cases = cases.filter(language=filters.language)
    if filters.severity:
        cases = cases.filter(severity=filters.severity)
    if filters.overdue:
        cases = cases.filter(overdue_filter(now))
    if filters.organization:
        involved = (
            Q(employer_id=filters.organization)
            | Q(supervising_organization_id=filters.organization)
            | Q(
                pk__in=CaseModel.brand_holders.through.objects.filter(
                    organization_id=filters.organization
                ).values("case_id")
            )
        )
        cases = cases.filter(involved)
    cases = _filter_assignee(cases, user, filters.assignee)
    if filters.search.strip():
        cases = cases.annotate(categories_text=Cast("categories", output_field=TextField()))
        cases = cases.filter(_search(filters.search.strip(), words=getattr(user, "role", None) in DESK_ROLES))
    ranked = _annotate_overdue(cases, now)  # adds severity_rank and overdue_rank
    return ranked.order_by("severity_rank", "overdue_rank", "created_at", "pk")  # type: ignore[misc]


def _annotate_overdue(cases: QuerySet[CaseModel], now: datetime) -> QuerySet[CaseModel]:
    return cases.annotate(
        acknowledgement_overdue=ExpressionWrapper(_acknowledgement_overdue(now), output_field=BooleanField()),
        feedback_overdue=ExpressionWrapper(_feedback_overdue(now), output_field=BooleanField()),
        severity_rank=Case(
            When(severity=CaseSeverity.CRITICAL, then=Value(0)), default=Value(1), output_field=IntegerField()
        ),
        overdue_rank=Case(
            When(overdue_filter(now), then=Value(0)), default=Value(1), output_field=IntegerField()
        ),
    )


def _filter_assignee(cases: QuerySet[CaseModel], user: Any, assignee: str) -> QuerySet[CaseModel]:
    if assignee == "me":
        return cases.filter(assignee=user)
    if assignee == "unassigned":
        return cases.filter(assignee__isnull=True)
    if assignee.isdigit():
        return cases.filter(assignee_id=int(assignee))
    return cases


def _search(text: str, *, words: bool = False) -> Q:
    # The employer through a subquery, not a join: the planner then filters cases by a short list
    # of organisation ids instead of joining every case to its employer (bench/bench_desk.py).
    employers = Organization.objects.filter(name__icontains=text).values("pk")
    query = Q(number__icontains=text) | Q(employer_id__in=employers)
    if words:
        # Desk staff only: they may read all of a case. Someone who sees a case in part (an
        # expert, its account only) could otherwise probe its messages and notes word by word.
        query |= _words_match(text)
    for code in _categories_named(text):
        # The list is stored as JSON text on every backend; a code's quotes make the match exact.
        query |= Q(categories_text__contains=f'"{code}"')
    return query


def _words_match(text: str) -> Q:
    """Cases holding every word of ``text``. (case, token) is unique, so counting rows counts
    distinct words; COUNT(*) rather than of a column lets the index on (token, case) answer alone."""
    tokens = query_tokens(text)
    if not tokens:
        return Q(pk__in=[])
    having_all = (
        CaseSearchToken.objects.filter(token__in=tokens)
        .values("case_id")
        .annotate(found=Count("*"))
        .filter(found=len(tokens))
        .values("case_id")
    )
    return Q(pk__in=having_all)


def _categories_named(text: str) -> list[str]:
    """Codes of the categories whose name (in the page's language or in English) contains ``text``."""
    wanted = text.casefold()
    with translation.override("en"):
        english = {code: str(label).casefold() for code, label in Category.choices}
    return [
        code
        for code, label in Category.choices
        if wanted in str(label).casefold() or wanted in english[code] or wanted == code
    ]


def overdue_case_count(user: Any, now: datetime | None = None) -> int:
    return cases_visible_to(user).filter(overdue_filter(now or timezone.now())).count()


@dataclass(frozen=True)
class InboxCounts:
    open: int
    overdue: int
    unassigned: int


def inbox_counts(user: Any, now: datetime | None = None) -> InboxCounts:
    """Totals over every open case ``user`` may see, whatever the filters, in one query."""
    now = now or timezone.now()
    totals = (
        cases_visible_to(user)
        .filter(status__in=CASE_OPEN_STATUSES)
        .aggregate(
            open=Count("pk"),
            overdue=Count("pk", filter=overdue_filter(now)),
            unassigned=Count("pk", filter=Q(assignee__isnull=True)),
        )
    )
    return InboxCounts(**totals)


def desk_staff() -> QuerySet[User]:
    return User.objects.filter(role__in=DESK_ROLES, is_active=True).order_by("username")


def assignable_staff(case: CaseModel) -> tuple[list[User], list[User]]:
    """Desk staff who speak the case's language, then the others (each by user name)."""
    staff = list(desk_staff())
    speakers = [person for person in staff if case.language in (person.spoken_languages or [])]
    return speakers, [person for person in staff if person not in speakers]


@dataclass(frozen=True)
class TimelineEntry:
    """One line of a case's history for the desk: an event, a message, or an internal note."""

    kind: str  # "event", "message_from_worker", "message_from_desk", "note"
    at: datetime
    who: str  # a user name; empty for the worker or the system
    text: str  # the reason, message or note (decrypted)
    event: CaseEvent | None = None
    message: Message | None = None


def case_timeline(case: CaseModel) -> list[TimelineEntry]:
    """Events, messages (with their files) and internal notes, oldest first, in four queries."""
    entries = [
        TimelineEntry("event", event.created_at, _name(event.actor), event.reason, event=event)
        for event in case.events.select_related("actor")
    ]
    entries += [
        TimelineEntry(
            "message_from_worker" if message.author_kind == MessageAuthor.WORKER else "message_from_desk",
            message.created_at,
            _name(message.author),
            message.body,
            message=message,
        )
        for message in case.messages.select_related("author").prefetch_related("attachments")
    ]
    entries += [
        TimelineEntry("note", note.created_at, _name(note.author), note.body)
        for note in case.notes.select_related("author")
    ]
    return sorted(entries, key=lambda entry: entry.at)


def _name(user: Any) -> str:
    return user.get_username() if user is not None else ""


def organizations_in_cases() -> list[tuple[int, str]]:
    """The organisations named on some case (employer, supervising organisation or brand holder),
    for the inbox's organisation filter: one query, not a list of every company in Koe."""
    through = CaseModel.brand_holders.through.objects.values("organization_id")
    named = (
        Q(pk__in=CaseModel.objects.values("employer_id"))
        | Q(pk__in=CaseModel.objects.values("supervising_organization_id"))
        | Q(pk__in=through)
    )
    return list(Organization.objects.filter(named).order_by("name").values_list("pk", "name"))
