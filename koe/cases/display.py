"""What the alert page shows of the questionnaire: the red flags' titles and the answers the worker
agreed to share, in the consultant's language (answers are stored as codes, so any language reads).

Only items listed in ``Alert.shared_items`` are read from the answers: nothing else the worker
answered reaches the page.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from koe.cases.models import Alert
from koe.surveys.definition import Definition, Item
from koe.surveys.models import Answer


@dataclass(frozen=True)
class SharedAnswer:
    code: str
    question: str
    answers: list[str]  # one line per option chosen; one line for any other type


def red_flag_titles(alert: Alert, language: str) -> list[str]:
    """A combination rule's title, or the question of the item whose answer raised the flag."""
    definition = alert.response.version.parsed
    rules = {rule.code for rule in definition.red_flags}
    titles = []
    for code in alert.red_flags:
        key = f"red_flag.{code}.title" if code in rules else f"item.{code}.question"
        titles.append(definition.text(key, language))
    return titles


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
            answers=[_answer_text(definition, item, row, language) for row in rows[item.code]],
        )
        for item in definition.items()
        if item.code in rows
    ]


def _answer_text(definition: Definition, item: Item, answer: Answer, language: str) -> str:
    if item.type == "yes_no_unsure":
        return definition.text(f"answer.{answer.option}", language)
    if item.has_options:
        return definition.text(f"option.{item.code}.{answer.option}", language)
    if item.type == "number":
        unit = definition.text(f"item.{item.code}.unit", language)
        # Translators: a number and its unit, as in "60 hours".
        return _("%(number)s %(unit)s") % {"number": answer.number, "unit": unit}
    if item.type == "date" and answer.date is not None:
        return date_format(answer.date)
    return answer.text  # what the worker wrote, in their own words and language
