"""What the alert page shows of the questionnaire: the red flags' titles and the answers the worker
agreed to share, in the consultant's language (answers are stored as codes, so any language reads).

Only items listed in ``Alert.shared_items`` are read from the answers: nothing else the worker
answered reaches the page.
"""

from collections import defaultdict
from dataclasses import dataclass

from koe.cases.models import Alert
from koe.surveys.models import Answer
from koe.surveys.presentation import single_answer_text, stored_answer_value


@dataclass(frozen=True)
class SharedAnswer:
    code: str
    question: str
    answers: list[str]  # one line per option chosen; one line for any other type


def red_flag_titles(alert: Alert, language: str) -> list[str]:
    definition = alert.response.version.parsed
    return [definition.red_flag_title(code, language) for code in alert.red_flags]


def shared_answers(alert: Alert, language: str) -> list[SharedAnswer]:
    """The shared items in the questionnaire's order, each with the answers given."""
    if not alert.shared_items:
        return []
    definition = alert.response.version.parsed
    rows: dict[str, list[Answer]] = defaultdict(list)
    for answer in Answer.objects.filter(response_id=alert.response_id, item__in=alert.shared_items).order_by(
        "pk"
    ):
        rows[answer.item].append(answer)
    return [
        SharedAnswer(
            code=item.code,
            question=definition.text(f"item.{item.code}.question", language),
            answers=[
                single_answer_text(definition, item, stored_answer_value(row), language)
                for row in rows[item.code]
            ],
        )
        for item in definition.items()
        if item.code in rows
    ]
