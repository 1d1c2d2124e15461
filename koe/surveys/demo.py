"""Demo self-check data: the bundled questionnaire, published, and answers from many workers so
that the desk queue, the company reports and the suppression have something to show."""

import random
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.utils import timezone

from koe.organizations.models import Organization
from koe.surveys.definition import Item
from koe.surveys.models import QuestionnaireVersion
from koe.surveys.services import (
    questionnaire_version_load,
    read_definition_files,
    response_save_answers,
    response_start,
    response_submit,
)

WORKER_SELFCHECK = Path(__file__).resolve().parent / "definitions" / "worker-selfcheck" / "v1"
NATIONALITIES = ["vn", "vn", "vn", "cn", "ph", "np", "id", "mm"]
STATUSES = ["titp", "titp", "ssw1", "ssw1", "student", "status_based", "professional"]


def publish_worker_selfcheck() -> QuestionnaireVersion:
    return questionnaire_version_load(document=read_definition_files(WORKER_SELFCHECK), publish=True)


def seed_anonymous_responses(
    version: QuestionnaireVersion, employers: list[Organization], count: int
) -> None:
    """`count` sheets from workers without accounts at the given employers; about one in eight
    answers badly enough to raise a red flag, which is what the desk queue then shows."""
    rng = random.Random(2026)  # noqa: S311 - demo data, the same every time
    definition = version.parsed
    for index in range(count):
        employer = rng.choice(employers)
        troubled = index % 8 == 0
        answers = {item.code: _answer(item, rng, troubled) for item in definition.items()}
        response = response_start(version=version, language=rng.choice(["vi", "my", "ne", "ja"]))
        about = {"nationality": rng.choice(NATIONALITIES), "residence_status": rng.choice(STATUSES),
                 "prefecture": employer.prefecture, "industry": employer.industry}  # fmt: skip
        codes = [*answers, "_about"]
        response_save_answers(response=response, answers=answers | {"_about": about}, item_codes=codes)
        # The employer the worker came through (an employer's invite link, in the real flow).
        submitted = response_submit(response_id=response.pk, employer=employer)
        # Spread over the past year so quarterly reports have a trend.
        when = timezone.now() - timedelta(days=rng.randint(0, 360))
        type(submitted).objects.filter(pk=submitted.pk).update(submitted_at=when)


def _answer(item: Item, rng: random.Random, troubled: bool) -> Any:
    if item.has_options:
        safe = [option.code for option in item.options if option.weight == 0] or [item.options[0].code]
        risky = [option.code for option in item.options if option.weight >= 2] or safe
        pool = risky if troubled and rng.random() < 0.5 else safe
        if rng.random() < 0.005:  # now and then a single problem elsewhere
            pool = risky
        choice = rng.choice(pool)
        return [choice] if item.type == "multiple" else choice
    if item.type == "number":
        limit = item.risk_above or 40
        return rng.randint(limit + 10, limit + 80) if troubled else rng.randint(0, limit)
    return None
