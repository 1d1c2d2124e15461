"""Data for dashboard tests, demos and benchmarks: cases and self-check sheets written in bulk
(snapshots as the real write paths would leave them), at a chosen time in a quarter."""

import random
import uuid
from collections.abc import Sequence
from datetime import datetime, time, timedelta

from django.utils import timezone

from koe.cases.models import Case, CaseSeverity, CaseStatus, Category, IntakeChannel
from koe.organizations.models import Organization
from koe.reports.document import Period
from koe.surveys.indicators import ALL_TAGS
from koe.surveys.models import QuestionnaireVersion, Response, ResponseStatus


def moment_in(period: Period, day: int = 10) -> datetime:
    """Noon on the ``day``-th day of the quarter, in Japan."""
    return datetime.combine(
        period.start + timedelta(days=day), time(12), tzinfo=timezone.get_default_timezone()
    )


def add_cases(
    employer: Organization,
    count: int,
    when: datetime,
    *,
    categories: Sequence[str] = (Category.WAGES,),
    severity: str = CaseSeverity.ROUTINE,
    status: str = CaseStatus.NEW,
    language: str = "vi",
) -> list[Case]:
    now = timezone.now()
    cases = Case.objects.bulk_create(
        Case(
            number=f"T{uuid.uuid4().hex[:12]}",
            language=language,
            channel=IntakeChannel.PORTAL,
            categories=list(categories),
            severity=severity,
            status=status,
            account="",
            employer=employer,
            acknowledge_by=now,
            feedback_by=now,
        )
        for _ in range(count)
    )
    Case.objects.filter(pk__in=[case.pk for case in cases]).update(created_at=when)
    return cases


def add_random_cases(employers: Sequence[Organization], count: int, when: datetime, seed: int) -> None:
    rng = random.Random(seed)  # noqa: S311 - test data
    for _ in range(count):
        add_cases(
            rng.choice(list(employers)),
            1,
            when,
            categories=[rng.choice([Category.WAGES, Category.WAGES, Category.HOUSING, Category.HARASSMENT])],
            severity=rng.choice([CaseSeverity.ROUTINE] * 4 + [CaseSeverity.URGENT, CaseSeverity.CRITICAL]),
            status=rng.choice([CaseStatus.NEW, CaseStatus.IN_PROGRESS, CaseStatus.RESOLVED]),
            language=rng.choice(["vi", "vi", "my", "ne"]),
        )


def add_responses(
    version: QuestionnaireVersion,
    employer: Organization,
    count: int,
    when: datetime,
    *,
    red_flags: int = 0,
    tags: Sequence[str] = (),
) -> list[Response]:
    masks = sum(tag.mask for tag in ALL_TAGS if tag.code in tags)
    return Response.objects.bulk_create(
        Response(
            version=version,
            language="vi",
            status=ResponseStatus.SUBMITTED,
            submitted_at=when,
            employer=employer,
            shown_tags=masks,
            red_flag=index < red_flags,
        )
        for index in range(count)
    )
