"""The audit log as CSV, streamed: UTF-8 with a byte-order mark, safe to open in a spreadsheet."""

import csv
import itertools
import json
from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from koe.audit.models import AuditEntry
from koe.core.spreadsheet import defused_cell

BATCH_SIZE = 2000


# A cell starting with one of these is run as a formula by spreadsheet programs (CSV injection).
def entries_in_batches(entries: QuerySet[AuditEntry]) -> Iterator[AuditEntry]:
    """Newest first, ``BATCH_SIZE`` rows per query: millions of rows in flat memory."""
    before: int | None = None
    batch_size = BATCH_SIZE
    while True:
        window = entries if before is None else entries.filter(sequence__lt=before)
        batch = list(window.order_by("-sequence")[:batch_size])
        yield from batch
        if len(batch) < batch_size:
            return
        before = batch[-1].sequence


class _Line:
    """A file-like object whose ``write`` hands the CSV line back instead of storing it."""

    def write(self, value: str) -> str:
        return value


def csv_lines(entries: Iterable[AuditEntry]) -> Iterator[str]:
    writer = csv.writer(_Line())
    # The byte-order mark makes Excel (notably in Japan) read the file as UTF-8, not Shift_JIS.
    # The header is translated now, while the request's language is still the active one.
    first_line = "\ufeff" + writer.writerow(header())
    return itertools.chain([first_line], (writer.writerow(row(entry)) for entry in entries))


def header() -> list[str]:
    return [
        _("Sequence"),
        _("When"),
        _("Actor"),
        _("Role"),
        _("Organisation id"),
        _("Action"),
        _("Object type"),
        _("Object id"),
        _("Reason"),
        _("Detail"),
        _("Previous hash"),
        _("Entry hash"),
    ]


def row(entry: AuditEntry) -> list[str]:
    return [
        str(entry.sequence),
        timezone.localtime(entry.at).isoformat(timespec="seconds"),
        defused_cell(entry.actor_label),
        defused_cell(entry.actor_role),
        "" if entry.actor_organization_id is None else str(entry.actor_organization_id),
        defused_cell(entry.action),
        defused_cell(entry.object_type),
        defused_cell(entry.object_id),
        defused_cell(entry.reason),
        defused_cell(_as_json(entry.detail)),
        entry.previous_hash,
        entry.entry_hash,
    ]


def _as_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True) if value else ""
