from collections.abc import Mapping
from typing import Any

from django import template
from django.db.models import Model

from koe.translation.services import MachineTranslation, piece_name

register = template.Library()


@register.inclusion_tag("translation/machine_translation.html")
def machine_translation(
    translations: Mapping[str, MachineTranslation] | None, obj: Model, field: str
) -> dict[str, Any]:
    """The machine translation of ``obj.field`` from the page's ``translations``, marked as such;
    nothing when there is none."""
    return {"translation": (translations or {}).get(piece_name(obj, field))}
