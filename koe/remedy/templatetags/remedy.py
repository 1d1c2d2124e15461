"""Sections that other apps' pages include: the corrective actions on the desk's case page, and
the worker's question about them on the worker's case page. Tags rather than view context so
that those pages' views need no change."""

from datetime import date, datetime, timedelta
from typing import Any

from django import template
from django.utils import timezone

from koe.cases.models import Case, Satisfaction
from koe.remedy import selectors
from koe.remedy.forms import WorkerAnswerForm
from koe.remedy.models import ActionStatus, CorrectiveAction

register = template.Library()


@register.inclusion_tag("remedy/desk/case_actions.html", takes_context=True)
def remedy_desk_case_actions(context: dict[str, Any], case: Case) -> dict[str, Any]:
    """Every company's actions on the case, also after the worker stopped sharing it."""
    today = timezone.localdate()
    actions = CorrectiveAction.objects.filter(case=case).select_related("organization")
    return {"case": case, "rows": [(action, action.is_overdue(today)) for action in actions]}


@register.inclusion_tag("remedy/worker/questions.html", takes_context=True)
def remedy_worker_questions(context: dict[str, Any], case: Case) -> dict[str, Any]:
    actions = selectors.worker_questions(case)
    answered = selectors.answers_this_round(actions)
    questions = [
        (action, action.organization_id == case.employer_id,
         WorkerAnswerForm(prefix=f"action{action.pk}"), _answer_label(answered.get(action.pk)))
        for action in actions
    ]  # fmt: skip
    return {"case": case, "questions": questions, "csrf_token": context.get("csrf_token")}


def _answer_label(answer: str | None) -> str:
    return str(Satisfaction(answer).label) if answer else ""


@register.filter
def action_status_name(code: str) -> str:
    """A PDCA status's name in the page's language (history rows store the bare code)."""
    return str(dict(ActionStatus.choices).get(code, code))


# What the worker does is shown to a company by its week only: the minute of an answer, next to a
# shift roster, can tell who answered (risk alerts are batched by week for the same reason).


@register.filter
def week_monday(moment: datetime) -> date:
    """The Monday (local time) of the week of ``moment``."""
    day = timezone.localdate(moment)
    return day - timedelta(days=day.weekday())


@register.filter
def iso_week(moment: datetime) -> str:
    """``moment``'s ISO week as HTML's ``datetime`` attribute writes a week: ``2026-W48``."""
    year, week, _weekday = timezone.localdate(moment).isocalendar()
    return f"{year}-W{week:02d}"
