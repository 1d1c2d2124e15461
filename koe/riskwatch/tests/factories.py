"""Signals (red-flag self-checks, critical cases) at a chosen time, and published alerts."""

import uuid
from datetime import date, datetime, time
from typing import Any

from django.utils import timezone

from koe.cases.models import Alert, Case, CaseSeverity, IntakeChannel
from koe.cases.testing import RED_FLAG_ANSWERS, submitted_response
from koe.organizations.models import Organization
from koe.riskwatch.models import OrgRiskAlert
from koe.surveys.indicators import mask_of


def local(day: date, hour: int = 12) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def red_flag_at(employer: Organization, at: datetime) -> Alert:
    """A red-flag self-check from a worker at ``employer``, raised at ``at``."""
    alert = submitted_response(RED_FLAG_ANSWERS).alert
    Alert.objects.filter(pk=alert.pk).update(employer=employer, created_at=at)
    alert.refresh_from_db()
    return alert


def critical_case_at(
    employer: Organization, at: datetime, indicators: tuple[str, ...] = ("debt_bondage",)
) -> Case:
    case = Case.objects.create(
        number=f"T-{uuid.uuid4().hex[:10]}", language="vi", channel=IntakeChannel.PHONE,
        severity=CaseSeverity.CRITICAL, indicators=mask_of(indicators), account="kept in the dormitory",
        employer=employer, acknowledge_by=at, feedback_by=at,
    )  # fmt: skip
    Case.objects.filter(pk=case.pk).update(created_at=at)
    return case


def bh_alert(personas: Any) -> OrgRiskAlert:
    """Sakura Foods' alert about Sakura Packing (made once per test, kept on ``personas``)."""
    if not hasattr(personas, "_bh_alert"):
        personas._bh_alert = OrgRiskAlert.objects.create(
            organization=personas.org_a, subject=personas.org_a1, week_start=date(2026, 11, 16),
            self_check_red_flag=True, indicators=mask_of(["retention_of_identity_documents"]),
        )  # fmt: skip
    return personas._bh_alert


def known_workers_at(employer: Organization, number: int, at: datetime | None = None) -> None:
    """``number`` workers who said (through an invite link) that ``employer`` is theirs, at ``at``
    (by default early in 2026, before the weeks the tests publish)."""
    from koe.accounts.models import Role
    from koe.core.testing.personas import make_user
    from koe.reach.models import WorkerEmployerLink

    for _ in range(number):
        worker = make_user(f"w-{uuid.uuid4().hex[:10]}", Role.WORKER)
        link = WorkerEmployerLink.objects.create(worker=worker, employer=employer)
        WorkerEmployerLink.objects.filter(pk=link.pk).update(created_at=at or local(date(2026, 1, 5)))
