"""Contract periods: what "per month" and "per year" mean for a contract's inclusions.

Months and years are counted from the contract's start (a contract starting on 15 April has
months 15 April-14 May, ...), so every period of a contract is whole, whatever day it started.
"""

import calendar
from datetime import date, timedelta


def add_months(day: date, months: int) -> date:
    """``day`` moved by ``months``, the day clamped to the month's length (31 Jan + 1 = 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def period_containing(start: date, on: date, months: int) -> tuple[date, date]:
    """The period of ``months`` months, counted from ``start``, that holds ``on``: first and last day."""
    if on < start:
        raise ValueError("on is before the contract starts")
    elapsed = (on.year - start.year) * 12 + on.month - start.month
    index = max(0, elapsed // months)
    while add_months(start, (index + 1) * months) <= on:
        index += 1
    while index and add_months(start, index * months) > on:
        index -= 1
    first = add_months(start, index * months)
    return first, add_months(start, (index + 1) * months) - timedelta(days=1)
