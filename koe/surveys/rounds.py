"""Self-check rounds: when each registered worker is next offered the self-check."""

from typing import Any


def schedule_next_round(*, worker: Any) -> None:
    """Set the worker's next due date after a submission (implemented with the reminders)."""
