"""Quarters: the periods company dashboards and reports are published for.

Companies see a quarter only once it has closed. A live count that changes the day after a worker
answers would tell the company when that worker answered; a closed quarter's figures never move.
"""

from datetime import date, timedelta

from koe.reports.document import Period


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
    """The period of a quarter written as in URLs ("2026-Q3"), or None."""
    year, _, number = text.upper().partition("-Q")
    if not (year.isdigit() and number in {"1", "2", "3", "4"}):
        return None
    return quarter_of(date(int(year), 3 * int(number) - 2, 1))


def quarter_slug(period: Period) -> str:
    return f"{period.start.year}-Q{(period.start.month - 1) // 3 + 1}"
