"""What the self-check pages show, built from the definition in the reader's language."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django import forms
from django.http import HttpRequest
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from koe.surveys.definition import RISK_SHOWN_FROM, Contact, Definition, Item, Section
from koe.surveys.forms import ContactRequestForm
from koe.surveys.models import Response
from koe.surveys.scoring import is_visible, score


@dataclass
class ItemView:
    item: Item
    bound: forms.BoundField | None
    why: str
    depends_on: str = ""  # the question this one depends on, when it is on the same page
    depends_answers: str = ""


def visible_fields(
    form: forms.Form, definition: Definition, section: Section, answers: dict[str, Any], language: str
) -> list[ItemView]:
    """The section's questions to show: a question that depends on an answer from an earlier page
    is left out unless that answer was given; one that depends on this page is shown with a note
    (and hidden by script when the browser runs it)."""
    on_this_page = {item.code for item in section.items}
    views = []
    for item in section.items:
        condition = item.show_if
        if condition and condition.item not in on_this_page and not is_visible(item, answers):
            continue
        view = ItemView(item, form[item.code], definition.text(f"item.{item.code}.why", language))
        if condition and condition.item in on_this_page:
            view.depends_on = definition.text(f"item.{condition.item}.question", language)
            view.depends_answers = " / ".join(
                answer_text(definition, definition.item(condition.item), code, language)
                for code in condition.answers
            )
        views.append(view)
    return views


def progress(step: int, definition: Definition) -> dict[str, int]:
    total = len(definition.sections) + 2  # the sections, "about you", and the review
    return {"step": step, "total": total, "percent": round(100 * step / total)}


def answer_text(definition: Definition, item: Item, value: Any, language: str) -> str:
    """An answer as the reader sees it; a multiple choice's options in one line."""
    if item.type == "multiple":
        values = value if isinstance(value, list) else [value]
        return ", ".join(single_answer_text(definition, item, code, language) for code in values)
    return single_answer_text(definition, item, value, language)


def single_answer_text(definition: Definition, item: Item, value: Any, language: str) -> str:
    """One answer (or one option of a multiple choice), as stored, in ``language``: the one place
    the self-check's pages and the desk turn answers into words."""
    if item.type == "yes_no_unsure":
        return definition.text(f"answer.{value}", language)
    if item.has_options:
        return definition.text(f"option.{item.code}.{value}", language)
    if item.type == "number":
        unit = definition.text(f"item.{item.code}.unit", language)
        # Translators: a number and its unit, as in "60 hours".
        return _("%(number)s %(unit)s") % {"number": value, "unit": unit}
    if item.type == "date" and value:
        return date_format(value if isinstance(value, date) else date.fromisoformat(value))
    return str(value)  # what the worker wrote, in their own words


def answer_summary(definition: Definition, answers: dict[str, Any], language: str) -> list[dict[str, Any]]:
    sections = []
    for number, section in enumerate(definition.sections, start=1):
        rows = [
            (
                definition.text(f"item.{item.code}.question", language),
                answer_text(definition, item, answers[item.code], language),
            )
            for item in section.items
            if item.code in answers and is_visible(item, answers)
        ]
        title = definition.text(f"section.{section.code}.title", language)
        sections.append({"number": number, "title": title, "rows": rows})
    return sections


@dataclass
class Theme:
    title: str
    risks: list[dict[str, Any]] = field(default_factory=list)
    rights: list[str] = field(default_factory=list)
    answered: int = 0


def submitted_answers(response: Response) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    item_types = {item.code: item.type for item in response.version.parsed.items()}
    for answer in response.answers.all():
        if item_types.get(answer.item) == "multiple":
            answers.setdefault(answer.item, []).append(answer.option)
        else:
            answers[answer.item] = stored_answer_value(answer)
    return answers


def stored_answer_value(answer: Any) -> Any:
    """An Answer row back to the value the flow works with (option code, number, ISO date, text)."""
    if answer.option:
        return answer.option
    if answer.number is not None:
        return answer.number
    if answer.date is not None:
        return answer.date.isoformat()
    return answer.text


def result_context(
    response: Response, language: str, request: HttpRequest, contact_form: ContactRequestForm | None = None
) -> dict[str, Any]:
    definition = response.version.parsed
    answers = submitted_answers(response)
    result = score(definition, answers)
    alert = getattr(response, "alert", None)
    if alert is not None and contact_form is None:
        contact_form = ContactRequestForm(**contact_form_kwargs(response, language, result.risky_items))
    return {
        "response": response,
        "title": definition.text("questionnaire.title", language),
        "themes": _themes(definition, answers, result.weights, language),
        "red_flags": [definition.red_flag_title(flag.code, language) for flag in result.red_flags],
        "severity": result.severity,
        "alert": alert,
        "contact_form": contact_form,
        "contacts": [_contact_view(definition, contact, language) for contact in definition.contacts],
        "is_signed_in": response.worker_id is not None,
    }


def _themes(
    definition: Definition, answers: dict[str, Any], weights: Mapping[str, int], language: str
) -> list[Theme]:
    themes = []
    for section in definition.sections:
        theme = Theme(definition.text(f"section.{section.code}.title", language))
        for item in section.items:
            if item.code not in weights:
                continue
            theme.answered += 1
            why = definition.text(f"item.{item.code}.why", language)
            if weights[item.code] >= RISK_SHOWN_FROM:
                theme.risks.append(_risk_view(definition, item, answers[item.code], why, language))
            else:
                theme.rights.append(why)
        themes.append(theme)
    return themes


def _risk_view(definition: Definition, item: Item, value: Any, why: str, language: str) -> dict[str, Any]:
    return {
        "question": definition.text(f"item.{item.code}.question", language),
        "answer": answer_text(definition, item, value, language),
        "advice": definition.text(f"item.{item.code}.advice", language),
        "why": why,
        "contacts": [_contact_view(definition, definition.contact(code), language) for code in item.refer],
    }


def _contact_view(definition: Definition, contact: Contact, language: str) -> dict[str, str]:
    return {
        "code": contact.code,
        "name": definition.text(f"contact.{contact.code}.name", language),
        "what": definition.text(f"contact.{contact.code}.what", language),
        "phone": contact.phone,
        "url": contact.url,
    }


def contact_form_kwargs(response: Response, language: str, risky: list[str] | None = None) -> dict[str, Any]:
    """The choices of the contact form; ``risky`` (the risky items) when the caller scored already."""
    definition = response.version.parsed
    if risky is None:
        risky = score(definition, submitted_answers(response)).risky_items
    methods = [("none", _("Do not contact me. I will come back or call myself."))]
    if response.worker_id:
        methods.append(("koe", _("A message in my Koe account")))
    methods += [
        ("phone", _("Phone call")),
        ("email", _("E-mail")),
        ("messaging", _("LINE, WhatsApp or Messenger")),
    ]
    items = [(code, definition.text(f"item.{code}.question", language)) for code in risky]
    return {"methods": methods, "items": items}
