"""Checks that the audit log is still the chain it was written as.

The walk goes through the entries in sequence order, a batch at a time (keyset on ``sequence``,
so each batch is one index range scan and memory stays flat however long the log is), and stops
at the first entry that does not fit:

- its sequence is not the next number: entries were removed before it;
- its ``previous_hash`` is not the prior entry's hash: the prior entry was replaced or removed;
- its ``entry_hash`` is not the hash of its content: the entry itself was changed.

A removed *tail* leaves a valid, shorter chain; only a head hash recorded outside the database
(``expect_head``) can reveal it.
"""

from collections.abc import Iterator
from dataclasses import dataclass

from koe.audit.models import GENESIS_HASH, AuditEntry

BATCH_SIZE = 2000

CONTENT_CHANGED = "content changed"
LINK_BROKEN = "link broken"
ENTRY_MISSING = "entry missing before"
HEAD_MISSING = "recorded head not found"


@dataclass(frozen=True)
class ChainBreak:
    sequence: int
    reason: str
    detail: str = ""

    def describe(self) -> str:
        return f"{self.reason} ({self.detail})" if self.detail else self.reason


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    head_hash: str
    broken: ChainBreak | None = None


def iter_entries(batch_size: int = BATCH_SIZE) -> Iterator[AuditEntry]:
    """Every entry in sequence order, fetched ``batch_size`` rows at a time."""
    after = 0
    while True:
        batch = list(AuditEntry.objects.filter(sequence__gt=after).order_by("sequence")[:batch_size])
        yield from batch
        if len(batch) < batch_size:
            return
        after = batch[-1].sequence


def check_entry(entry: AuditEntry, expected_sequence: int, previous_hash: str) -> ChainBreak | None:
    if entry.sequence != expected_sequence:
        return ChainBreak(entry.sequence, ENTRY_MISSING, _missing_range(expected_sequence, entry.sequence))
    if entry.previous_hash != previous_hash:
        return ChainBreak(entry.sequence, LINK_BROKEN, "the entry before it was changed or replaced")
    if entry.entry_hash != entry.compute_hash():
        return ChainBreak(entry.sequence, CONTENT_CHANGED)
    return None


def _missing_range(first: int, following: int) -> str:
    last = following - 1
    return f"#{first} missing" if first == last else f"#{first} to #{last} missing"


def verify_chain(*, expect_head: str | None = None, batch_size: int = BATCH_SIZE) -> VerifyResult:
    """Walks the whole chain; with ``expect_head``, also requires that hash to be in it.

    ``expect_head`` is a head hash recorded earlier outside the database. The log keeps growing,
    so it need not be the current head, but it must still be one of the entries: if it is gone,
    entries were cut off the end (or the end was rewritten).
    """
    checked, head, head_seen = 0, GENESIS_HASH, expect_head in (None, GENESIS_HASH)
    for entry in iter_entries(batch_size):
        broken = check_entry(entry, checked + 1, head)
        if broken is not None:
            return VerifyResult(ok=False, checked=checked, head_hash=head, broken=broken)
        checked, head = checked + 1, entry.entry_hash
        head_seen = head_seen or head == expect_head
    if not head_seen:
        detail = "entries were removed from the end, or the end was rewritten"
        broken = ChainBreak(checked + 1, HEAD_MISSING, detail)
        return VerifyResult(ok=False, checked=checked, head_hash=head, broken=broken)
    return VerifyResult(ok=True, checked=checked, head_hash=head)
