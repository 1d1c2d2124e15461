"""What a set of answers means: the risk of each answer, the tags shown, the red flags raised.

Pure functions over a `Definition` and the answers `{item code: value}`, where a value is an
option code (yes/no/unsure and single), a list of option codes (multiple), an int (number), an
ISO date string (date) or a string (text). Hidden items (their `show_if` is not met) never count.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from koe.surveys.definition import RISK_SHOWN_FROM, Condition, Definition, Item
from koe.surveys.indicators import mask_of

Answers = Mapping[str, Any]
SEVERITY_ORDER = {"": 0, "urgent": 1, "critical": 2}


@dataclass(frozen=True)
class RedFlag:
    code: str  # the item code for a single-answer flag, the rule code for a combination
    severity: str
    tags: tuple[str, ...]
    items: tuple[str, ...]


@dataclass(frozen=True)
class Score:
    weights: Mapping[str, int]  # item code -> weight of the answer given (visible, answered items)
    shown_tags: int
    risk_score: int
    red_flags: tuple[RedFlag, ...]

    @property
    def severity(self) -> str:
        return max((flag.severity for flag in self.red_flags), key=SEVERITY_ORDER.__getitem__, default="")

    @property
    def risky_items(self) -> list[str]:
        return [code for code, weight in self.weights.items() if weight >= RISK_SHOWN_FROM]


def is_visible(item: Item, answers: Answers) -> bool:
    return item.show_if is None or condition_holds(item.show_if, answers)


def condition_holds(condition: Condition, answers: Answers) -> bool:
    given = answers.get(condition.item)
    chosen = set(given) if isinstance(given, list) else {given}
    return bool(chosen & set(condition.answers))


def visible_answers(definition: Definition, answers: Answers) -> dict[str, Any]:
    """The answers that count: to visible items, and not empty."""
    kept: dict[str, Any] = {}
    for item in definition.items():
        if is_visible(item, kept) and answers.get(item.code) not in (None, "", []):
            kept[item.code] = answers[item.code]
    return kept


def score(definition: Definition, answers: Answers) -> Score:
    answers = visible_answers(definition, answers)
    weights = {code: answer_weight(definition.item(code), value) for code, value in answers.items()}
    shown = 0
    for code, weight in weights.items():
        if weight >= RISK_SHOWN_FROM:
            shown |= definition.item(code).tag_mask
    flags = _single_answer_flags(definition, answers) + _rule_flags(definition, answers)
    for flag in flags:
        shown |= mask_of(flag.tags)
    return Score(weights=weights, shown_tags=shown, risk_score=sum(weights.values()), red_flags=tuple(flags))


def answer_weight(item: Item, value: Any) -> int:
    if item.type == "number":
        return 2 if item.risk_above is not None and int(value) > item.risk_above else 0
    if item.type == "multiple":
        return max((_option_weight(item, code) for code in value), default=0)
    if item.has_options:
        return _option_weight(item, value)
    return 0


def _option_weight(item: Item, code: str) -> int:
    option = item.option(code)
    return option.weight if option else 0


def _single_answer_flags(definition: Definition, answers: Answers) -> list[RedFlag]:
    flags = []
    for code, value in answers.items():
        item = definition.item(code)
        if _is_flagged(item, value):
            flags.append(RedFlag(item.code, item.severity, item.tags, (item.code,)))
    return flags


def _is_flagged(item: Item, value: Any) -> bool:
    if item.type == "number":
        return item.red_flag_above is not None and int(value) > item.red_flag_above
    chosen = value if isinstance(value, list) else [value]
    return any((option := item.option(code)) is not None and option.red_flag for code in chosen)


def _rule_flags(definition: Definition, answers: Answers) -> list[RedFlag]:
    return [
        RedFlag(rule.code, rule.severity, rule.tags, tuple(c.item for c in rule.when))
        for rule in definition.red_flags
        if all(condition_holds(condition, answers) for condition in rule.when)
    ]
