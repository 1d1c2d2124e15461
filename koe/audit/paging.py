"""Keyset paging over the audit log, newest first.

``OFFSET`` pages and ``COUNT(*)`` get slower the longer the log grows; seeking by ``sequence``
(unique, indexed) costs the same on page 1 and page 10,000.
"""

from dataclasses import dataclass

from django.db.models import QuerySet

from koe.audit.models import AuditEntry

PAGE_SIZE = 50


@dataclass(frozen=True)
class KeysetPage:
    entries: list[AuditEntry]
    older_than: int | None  # pass as ``before`` to get the next, older page
    newer_than: int | None  # pass as ``after`` to get the previous, newer page


def keyset_page(
    entries: QuerySet[AuditEntry],
    *,
    before: int | None = None,
    after: int | None = None,
    size: int = PAGE_SIZE,
) -> KeysetPage:
    """One page of ``entries`` (already filtered): older than ``before`` or newer than ``after``."""
    if after is not None:
        rows = list(entries.filter(sequence__gt=after).order_by("sequence")[: size + 1])
        more_newer, rows = len(rows) > size, rows[:size][::-1]
        more_older = bool(rows) and entries.filter(sequence__lt=rows[-1].sequence).exists()
    else:
        window = entries if before is None else entries.filter(sequence__lt=before)
        rows = list(window.order_by("-sequence")[: size + 1])
        more_older, rows = len(rows) > size, rows[:size]
        more_newer = (
            bool(rows) and before is not None and entries.filter(sequence__gt=rows[0].sequence).exists()
        )
    return KeysetPage(
        entries=rows,
        older_than=rows[-1].sequence if more_older else None,
        newer_than=rows[0].sequence if more_newer else None,
    )
