"""`{% selfcheck_banner %}`: the portal side of self-check reminders, on any worker page."""

from typing import Any

from django import template

from koe.notifications.selectors import pending_selfcheck_reminder

register = template.Library()


@register.inclusion_tag("notifications/partials/selfcheck_banner.html", takes_context=True)
def selfcheck_banner(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"reminder": pending_selfcheck_reminder(user) if user is not None else None}
