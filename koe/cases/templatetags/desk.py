"""The staff menu's counts (new alerts, overdue cases) for desk staff on every staff page, and
how a case's categories read."""

from typing import Any

from django import template

from koe.cases.models import CaseStatus, Category
from koe.cases.selectors import new_alert_count, overdue_case_count

register = template.Library()


@register.simple_tag(takes_context=True)
def desk_new_alert_count(context: dict[str, Any]) -> int:
    """Reuses the queue page's count when it has one, saving a query there."""
    if "new_alert_count" in context:
        return int(context["new_alert_count"])
    return new_alert_count(context.get("user"))


@register.simple_tag(takes_context=True)
def desk_overdue_case_count(context: dict[str, Any]) -> int:
    """Reuses the inbox page's count when it has one, saving a query there."""
    if "overdue_case_count" in context:
        return int(context["overdue_case_count"])
    return overdue_case_count(context.get("user"))


@register.filter
def category_names(codes: list[str]) -> str:
    """The categories' names in the page's language; an unknown code is shown as it is."""
    labels = dict(Category.choices)
    return "; ".join(str(labels.get(code, code)) for code in codes or [])


@register.filter
def status_name(code: str) -> str:
    """A case status's name in the page's language (history rows store the bare code)."""
    return str(dict(CaseStatus.choices).get(code, code))
