"""Every write at the desk goes through here."""

from collections.abc import Sequence
from typing import Any


def alert_raise_for_response(*, response: Any, red_flags: Sequence[Any]) -> Any:
    """Raise the desk alert for a red-flag response (implemented with the desk queue)."""
