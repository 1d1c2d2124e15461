"""A questionnaire definition: parsed from its data files, validated, and read by the flow.

The stored form (`QuestionnaireVersion.definition`) is plain JSON, `{"structure": …, "texts":
{lang: {key: text}}}`, exactly what the files hold (docs/questionnaires.md). `parse` turns it into
the frozen objects below, or raises `DefinitionError` listing every problem at once, so the
operator fixes a definition in one pass rather than one error at a time.
"""

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from config.languages import LANGUAGE_CODES
from koe.surveys.indicators import TAGS_BY_CODE, mask_of

ITEM_TYPES = ("yes_no_unsure", "single", "multiple", "number", "date", "text")
YES_NO_UNSURE = ("yes", "no", "unsure")
SEVERITIES = ("urgent", "critical")
RISK_SHOWN_FROM = 2  # an answer of this weight or more shows the item's tags (docs/questionnaires.md)
MAX_WEIGHT = 3
CODE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


class DefinitionError(ValueError):
    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Option:
    code: str
    weight: int = 0
    red_flag: bool = False


@dataclass(frozen=True)
class Condition:
    item: str
    answers: tuple[str, ...]


@dataclass(frozen=True)
class Item:
    code: str
    type: str
    section: str
    tags: tuple[str, ...] = ()
    options: tuple[Option, ...] = ()
    severity: str = "urgent"
    refer: tuple[str, ...] = ()
    show_if: Condition | None = None
    minimum: int | None = None
    maximum: int | None = None
    risk_above: int | None = None
    red_flag_above: int | None = None

    @property
    def has_options(self) -> bool:
        return self.type in ("yes_no_unsure", "single", "multiple")

    @property
    def tag_mask(self) -> int:
        return mask_of(self.tags)

    def option(self, code: str) -> Option | None:
        return next((option for option in self.options if option.code == code), None)


@dataclass(frozen=True)
class Section:
    code: str
    items: tuple[Item, ...]


@dataclass(frozen=True)
class RedFlagRule:
    code: str
    severity: str
    tags: tuple[str, ...]
    when: tuple[Condition, ...]


@dataclass(frozen=True)
class Contact:
    code: str
    phone: str = ""
    url: str = ""


@dataclass(frozen=True)
class Definition:
    slug: str
    version: int
    kind: str
    sections: tuple[Section, ...]
    red_flags: tuple[RedFlagRule, ...]
    contacts: tuple[Contact, ...]
    texts: Mapping[str, Mapping[str, str]] = field(repr=False)

    def items(self) -> Iterator[Item]:
        for section in self.sections:
            yield from section.items

    def item(self, code: str) -> Item:
        return next(item for item in self.items() if item.code == code)

    def contact(self, code: str) -> Contact:
        return next(contact for contact in self.contacts if contact.code == code)

    def red_flag_title(self, code: str, language: str) -> str:
        """A combination rule's title, or the question whose answer alone raised the flag."""
        is_rule = any(rule.code == code for rule in self.red_flags)
        return self.text(f"red_flag.{code}.title" if is_rule else f"item.{code}.question", language)

    def text(self, key: str, language: str) -> str:
        """The text in `language`, falling back to English only for languages Koe does not list."""
        texts = self.texts.get(language) or self.texts["en"]
        return texts[key]


def parse(document: Mapping[str, Any]) -> Definition:
    problems: list[str] = []
    definition = _build(document.get("structure") or {}, document.get("texts") or {}, problems)
    _check_structure(definition, problems)
    _check_texts(definition, definition.texts, problems)
    if problems:
        raise DefinitionError(problems)
    return definition


def parse_structure(structure: Mapping[str, Any]) -> Definition:
    """The structure alone, unchecked: to list the text keys a definition needs."""
    return _build(structure, {}, [])


def _build(
    structure: Mapping[str, Any], texts: Mapping[str, Mapping[str, str]], problems: list[str]
) -> Definition:
    return Definition(
        slug=str(structure.get("slug", "")),
        version=int(structure.get("version", 0) or 0),
        kind=str(structure.get("kind", "")),
        sections=tuple(_parse_section(raw, problems) for raw in structure.get("sections", [])),
        red_flags=tuple(_parse_rule(raw) for raw in structure.get("red_flags", [])),
        contacts=tuple(_parse_contact(raw) for raw in structure.get("contacts", [])),
        texts=texts,
    )


def _parse_section(raw: Mapping[str, Any], problems: list[str]) -> Section:
    code = str(raw.get("code", ""))
    return Section(code=code, items=tuple(_parse_item(item, code, problems) for item in raw.get("items", [])))


def _parse_item(raw: Mapping[str, Any], section: str, problems: list[str]) -> Item:
    code, kind = str(raw.get("code", "")), str(raw.get("type", ""))
    if kind not in ITEM_TYPES:
        problems.append(f"Item {code!r}: unknown type {kind!r} (one of {', '.join(ITEM_TYPES)}).")
    return Item(
        code=code,
        type=kind,
        section=section,
        tags=tuple(raw.get("tags", ())),
        options=_parse_options(raw, kind),
        severity=str(raw.get("severity", "urgent")),
        refer=tuple(raw.get("refer", ())),
        show_if=_parse_condition(raw["show_if"]) if "show_if" in raw else None,
        minimum=raw.get("min"),
        maximum=raw.get("max"),
        risk_above=raw.get("risk_above"),
        red_flag_above=raw.get("red_flag_above"),
    )


def _parse_options(raw: Mapping[str, Any], kind: str) -> tuple[Option, ...]:
    if kind == "yes_no_unsure":
        weights, flagged = raw.get("weights", {}), set(raw.get("red_flag", ()))
        return tuple(Option(code, int(weights.get(code, 0)), code in flagged) for code in YES_NO_UNSURE)
    return tuple(
        Option(str(option.get("code", "")), int(option.get("weight", 0)), bool(option.get("red_flag", False)))
        for option in raw.get("options", ())
    )


def _parse_condition(raw: Mapping[str, Any]) -> Condition:
    return Condition(item=str(raw.get("item", "")), answers=tuple(str(code) for code in raw.get("in", ())))


def _parse_rule(raw: Mapping[str, Any]) -> RedFlagRule:
    return RedFlagRule(
        code=str(raw.get("code", "")),
        severity=str(raw.get("severity", "")),
        tags=tuple(raw.get("tags", ())),
        when=tuple(_parse_condition(condition) for condition in raw.get("when", ())),
    )


def _parse_contact(raw: Mapping[str, Any]) -> Contact:
    return Contact(
        code=str(raw.get("code", "")), phone=str(raw.get("phone", "")), url=str(raw.get("url", ""))
    )


def _check_structure(definition: Definition, problems: list[str]) -> None:
    if not CODE.match(definition.slug.replace("-", "_")) or definition.version < 1:
        problems.append("The definition needs a slug and a version number of 1 or more.")
    _check_unique("section", [section.code for section in definition.sections], problems)
    _check_unique("item", [item.code for item in definition.items()], problems)
    _check_unique("contact", [contact.code for contact in definition.contacts], problems)
    items = {item.code: item for item in definition.items()}
    for item in definition.items():
        _check_item(item, items, {contact.code for contact in definition.contacts}, problems)
    for rule in definition.red_flags:
        _check_rule(rule, items, problems)


def _check_unique(what: str, codes: list[str], problems: list[str]) -> None:
    for code in codes:
        if not CODE.match(code):
            problems.append(f"The {what} code {code!r} must be lower_snake_case, at most 40 characters.")
    for code in sorted({code for code in codes if codes.count(code) > 1}):
        problems.append(f"The {what} code {code!r} is used more than once.")


def _check_item(item: Item, items: Mapping[str, Item], contacts: set[str], problems: list[str]) -> None:
    _check_tags(f"Item {item.code!r}", item.tags, problems)
    if item.type in ("single", "multiple") and len(item.options) < 2:
        problems.append(f"Item {item.code!r}: a {item.type} item needs at least two options.")
    _check_unique(f"option of {item.code!r}", [option.code for option in item.options], problems)
    for option in item.options:
        if not 0 <= option.weight <= MAX_WEIGHT:
            problems.append(f"Item {item.code!r}, option {option.code!r}: weight must be 0 to {MAX_WEIGHT}.")
    if item.severity not in SEVERITIES:
        problems.append(f"Item {item.code!r}: severity must be one of {', '.join(SEVERITIES)}.")
    for code in item.refer:
        if code not in contacts:
            problems.append(f"Item {item.code!r} refers to the unknown contact {code!r}.")
    if item.show_if:
        _check_condition(f"Item {item.code!r}", item.show_if, items, problems)
        if item.show_if.item in items and _position(items, item.show_if.item) > _position(items, item.code):
            problems.append(f"Item {item.code!r} depends on {item.show_if.item!r}, which comes after it.")


def _position(items: Mapping[str, Item], code: str) -> int:
    return list(items).index(code)


def _check_rule(rule: RedFlagRule, items: Mapping[str, Item], problems: list[str]) -> None:
    where = f"Red-flag rule {rule.code!r}"
    if rule.severity not in SEVERITIES:
        problems.append(f"{where}: severity must be one of {', '.join(SEVERITIES)}.")
    if not rule.when:
        problems.append(f"{where} has no conditions.")
    _check_tags(where, rule.tags, problems)
    for condition in rule.when:
        _check_condition(where, condition, items, problems)


def _check_tags(where: str, tags: tuple[str, ...], problems: list[str]) -> None:
    for tag in tags:
        if tag not in TAGS_BY_CODE:
            problems.append(f"{where}: unknown tag {tag!r} (see koe/surveys/indicators.py).")


def _check_condition(
    where: str, condition: Condition, items: Mapping[str, Item], problems: list[str]
) -> None:
    target = items.get(condition.item)
    if target is None or not target.has_options:
        problems.append(
            f"{where}: a condition must name an item with answers to choose, not {condition.item!r}."
        )
        return
    for code in condition.answers:
        if target.option(code) is None:
            problems.append(f"{where}: item {condition.item!r} has no answer {code!r}.")


def required_text_keys(definition: Definition) -> list[str]:
    keys = ["questionnaire.title", "questionnaire.intro"]
    if any(item.type == "yes_no_unsure" for item in definition.items()):
        keys += [f"answer.{code}" for code in YES_NO_UNSURE]
    for section in definition.sections:
        keys += [f"section.{section.code}.title", f"section.{section.code}.intro"]
        for item in section.items:
            keys += _item_text_keys(item)
    keys += [f"red_flag.{rule.code}.title" for rule in definition.red_flags]
    for contact in definition.contacts:
        keys += [f"contact.{contact.code}.name", f"contact.{contact.code}.what"]
    return keys


def _item_text_keys(item: Item) -> list[str]:
    keys = [f"item.{item.code}.question", f"item.{item.code}.why", f"item.{item.code}.advice"]
    if item.type == "number":
        keys.append(f"item.{item.code}.unit")
    if item.type in ("single", "multiple"):
        keys += [f"option.{item.code}.{option.code}" for option in item.options]
    return keys


def _check_texts(definition: Definition, texts: Mapping[str, Mapping[str, str]], problems: list[str]) -> None:
    required = required_text_keys(definition)
    for language in LANGUAGE_CODES:
        given = texts.get(language)
        if given is None:
            problems.append(f"Language {language!r}: no texts at all.")
            continue
        missing = [key for key in required if not str(given.get(key, "")).strip()]
        if missing:
            problems.append(f"Language {language!r}: missing or empty: {', '.join(missing)}.")
        extra = sorted(set(given) - set(required))
        if extra:
            problems.append(f"Language {language!r}: keys the structure does not use: {', '.join(extra)}.")
