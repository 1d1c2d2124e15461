"""Demo consultations spread over the past year, so that the desk's queue and the companies'
dashboards show something to look at. Demo mode only (``seed_demo``); fictional throughout."""

import random
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from django.utils import timezone

from koe.cases.models import Case, CaseSeverity, CaseStatus, Category, IntakeChannel
from koe.cases.services import case_open, case_transition

LANGUAGES = ["vi", "vi", "vi", "my", "my", "ne", "id", "tl", "zh-hans", "pt-br", "es", "ja"]
SEVERITIES = [CaseSeverity.ROUTINE] * 6 + [CaseSeverity.URGENT] * 3 + [CaseSeverity.CRITICAL]
# Roughly how often each subject comes first at a desk for migrant workers, most common first.
CATEGORY_WEIGHTS = {
    Category.WAGES: 8, Category.WORKING_HOURS: 6, Category.HARASSMENT: 5, Category.LABOUR_CONDITIONS: 4,
    Category.RETAINED_DOCUMENTS: 3, Category.HOUSING: 3, Category.CONTRACT: 3, Category.SAFETY_HEALTH: 2,
    Category.RECRUITMENT_DEBT: 2, Category.RESIDENCE_STATUS: 2, Category.TAX_SOCIAL_INSURANCE: 1,
    Category.DAILY_LIFE: 1, Category.MEDICAL_WELFARE: 1, Category.EDUCATION: 1, Category.OTHER: 1,
}  # fmt: skip
# Where each demo case has got to, as a path through the desk's workflow.
PATHS = [
    [],
    [CaseStatus.ACKNOWLEDGED],
    [CaseStatus.ACKNOWLEDGED, CaseStatus.IN_PROGRESS],
    [CaseStatus.ACKNOWLEDGED, CaseStatus.IN_PROGRESS, CaseStatus.CLOSED],
]


def seed_cases(
    *, employers: Sequence[Any], consultant: Any, count: int = 400, seed: int = 2026
) -> list[Case]:
    """``count`` consultations logged by ``consultant`` at ``employers`` over the past 360 days."""
    rng = random.Random(seed)  # noqa: S311 - demo data, not a secret
    return [_one_case(rng, rng.choice(employers), consultant) for _ in range(count)]


def _one_case(rng: random.Random, employer: Any, consultant: Any) -> Case:
    case = case_open(
        language=rng.choice(LANGUAGES), account="(demo consultation)", channel=IntakeChannel.PHONE,
        categories=_categories(rng), employer=employer,
        logged_by=consultant, severity=rng.choice(SEVERITIES),
    )  # fmt: skip
    assert isinstance(case, Case)
    for status in rng.choice(PATHS):
        case = case_transition(case=case, to_status=status, actor=consultant, reason="(demo)")
    opened = timezone.now() - timedelta(days=rng.randint(0, 360), hours=rng.randint(0, 23))
    Case.objects.filter(pk=case.pk).update(created_at=opened)
    return case


def _categories(rng: random.Random) -> list[str]:
    primary = rng.choices(list(CATEGORY_WEIGHTS), weights=list(CATEGORY_WEIGHTS.values()))[0]
    second = rng.choice(list(Category.values))
    return [primary] if second == primary or rng.random() < 0.7 else [primary, second]
