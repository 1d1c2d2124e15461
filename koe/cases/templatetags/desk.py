"""The staff menu's count of new alerts, for desk staff on every staff page."""

from typing import Any

from django import template

from koe.cases.selectors import new_alert_count

register = template.Library()


@register.simple_tag(takes_context=True)
def desk_new_alert_count(context: dict[str, Any]) -> int:
    """Reuses the queue page's count when it has one, saving a query there."""
    if "new_alert_count" in context:
        return int(context["new_alert_count"])
    return new_alert_count(context.get("user"))
