"""Quarters: the periods company dashboards and reports are published for.

Companies see a quarter only once it has closed. A live count that changes the day after a worker
answers would tell the company when that worker answered; a closed quarter's figures never move.
"""

from collections.abc import Sequence
from datetime import date, timedelta

from django.utils import timezone

from koe.reports.document import Period

OFFERED_QUARTERS = 8  # closed quarters a reader may choose: two years back
FIRST_YEAR = 2000  # years outside this range are no quarter Koe ever publishes
LAST_YEAR = 9998  # date() stops at 9999; the quarter after 9998-Q4 must still be a date


def quarter_of(day: date) -> Period:
    first_month = 3 * ((day.month - 1) // 3) + 1
    start = date(day.year, first_month, 1)
    next_start = date(day.year + 1, 1, 1) if first_month == 10 else date(day.year, first_month + 3, 1)
    return Period(start, next_start - timedelta(days=1), f"{day.year} Q{(first_month - 1) // 3 + 1}")


def last_closed_quarter(today: date) -> Period:
    return quarter_of(quarter_of(today).start - timedelta(days=1))


def closed_quarters(today: date, count: int) -> list[Period]:
    """The ``count`` most recent closed quarters, oldest first."""
    quarters = [last_closed_quarter(today)]
    while len(quarters) < count:
        quarters.append(quarter_of(quarters[-1].start - timedelta(days=1)))
    return quarters[::-1]


def parse_quarter(text: str) -> Period | None:
    """The period of a quarter written as in URLs ("2026-Q3"), or None. Only ASCII digits
    (``isdigit`` alone accepts "²⁰²⁶") and a plausible year: anything else is no quarter."""
    year, _, number = text.upper().partition("-Q")
    if not (year.isascii() and year.isdigit() and len(year) == 4 and number in {"1", "2", "3", "4"}):
        return None
    if not FIRST_YEAR <= int(year) <= LAST_YEAR:
        return None
    return quarter_of(date(int(year), 3 * int(number) - 2, 1))


def quarter_slug(period: Period) -> str:
    return f"{period.start.year}-Q{(period.start.month - 1) // 3 + 1}"


# The quarters readers may choose: one rule for the dashboard, reach figures and reports -------


def today() -> date:
    """Today in the site's time zone: when a quarter closes does not depend on the server's."""
    return timezone.localdate(timezone=timezone.get_default_timezone())


def is_closed(period: Period, day: date | None = None) -> bool:
    return period.end < (day or today())


def offered_quarters(day: date | None = None, count: int = OFFERED_QUARTERS) -> list[Period]:
    """The ``count`` most recent closed quarters, most recent first."""
    return closed_quarters(day or today(), count)[::-1]


def chosen_quarter(text: str, offered: Sequence[Period]) -> Period | None:
    """The offered quarter written as ``text`` ("2026-Q3"), or None: a quarter not offered (open,
    too old, malformed) is never chosen, whatever the caller then does instead."""
    period = parse_quarter(text)
    return period if period is not None and period in offered else None
