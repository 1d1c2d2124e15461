"""How long the desk keeps what it was told (docs/retention.md).

Two rules, applied daily by ``manage.py apply_case_retention`` (or the ``apply_retention`` task):

- **Receipts expire.** ``KOE_RECEIPT_UNUSED_EXPIRY_DAYS`` after an anonymous case was closed, its
  receipt code and PIN stop opening it: their hashes are cleared.
- **Closed cases are anonymised.** ``KOE_CASE_RETENTION_DAYS`` after a case was closed, the row is
  kept for statistics (language, categories, severity, status, channel, employer and brand
  holders, remedy type, satisfaction, share levels) with its dates rounded to the month, and
  everything else goes: every encrypted text on the case and on the rows that hang from it, the
  messages, internal notes and files (from the file store too), the search tokens, the link to the
  worker's account, to the self-check alert, and the receipt.

Only closed cases are touched (a reopened case is no longer closed, so it waits for its next
closing). Both rules work in batches, each in its own transaction, on rows no other run holds
(``FOR UPDATE SKIP LOCKED`` on PostgreSQL), so the run can be repeated or run twice at once.
"""

from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.utils import timezone

from koe.audit.services import audit_record
from koe.cases.models import Alert, Attachment, Case, CaseStatus
from koe.core.fields import EncryptedTextField

RETENTION_BATCH_SIZE = 500
ROUNDING_BATCH_SIZE = 200  # rows a statement, well under SQLite's limit on parameters
# Rows hanging from a case that hold nothing but what someone wrote (or a trace of it, such as
# the search tokens' hashes of its words): deleted. Every other row pointing at the case is kept,
# with its encrypted text blanked and its dates rounded (events, shares, referrals…).
DELETED_WITH_CASE = frozenset({"cases.Message", "cases.InternalNote", "cases.CaseSearchToken"})


@dataclass
class RetentionRun:
    """Counts only: what a run did, printed by the command and kept in the audit log."""

    receipts_expired: int = 0
    cases_anonymised: int = 0
    messages_deleted: int = 0
    notes_deleted: int = 0
    attachments_deleted: int = 0


def apply_case_retention(
    *, now: datetime | None = None, batch_size: int = RETENTION_BATCH_SIZE
) -> RetentionRun:
    """Applies both rules as of ``now`` and records the run's counts in the audit log."""
    now = now or timezone.now()
    run = RetentionRun()
    expiry = now - timedelta(days=settings.KOE_RECEIPT_UNUSED_EXPIRY_DAYS)
    run.receipts_expired = _in_batches(_receipts_due(expiry), batch_size, _expire_receipts)
    retention = now - timedelta(days=settings.KOE_CASE_RETENTION_DAYS)
    run.cases_anonymised = _in_batches(
        _anonymisation_due(retention), batch_size, lambda ids: _anonymise(ids, now, run)
    )
    audit_record(actor=None, action="case.retention", detail=asdict(run))
    return run


def _closed_before(moment: datetime) -> models.QuerySet[Case]:
    return Case.objects.filter(status=CaseStatus.CLOSED, closed_at__lte=moment)


def _receipts_due(moment: datetime) -> models.QuerySet[Case]:
    return _closed_before(moment).filter(receipt_lookup__isnull=False)


def _anonymisation_due(moment: datetime) -> models.QuerySet[Case]:
    return _closed_before(moment).filter(anonymised_at__isnull=True)


def _in_batches(due: models.QuerySet[Case], batch_size: int, work: Callable[[list[int]], None]) -> int:
    """Runs ``work`` on the due cases, ``batch_size`` at a time, each batch in one transaction
    on rows locked for it; rows another run holds are left to it. Returns how many were done."""
    done = 0
    while True:
        with transaction.atomic():
            locked = due.select_for_update(skip_locked=True).order_by("pk")
            ids = list(locked.values_list("pk", flat=True)[:batch_size])
            if not ids:
                return done
            work(ids)
        done += len(ids)


def _expire_receipts(ids: list[int]) -> None:
    Case.objects.filter(pk__in=ids).update(receipt_lookup=None, receipt_hash="", pin_hash="")


def _anonymise(ids: list[int], now: datetime, run: RetentionRun) -> None:
    run.attachments_deleted += _delete_attachments(ids)
    run.messages_deleted += _delete_rows("cases.Message", ids)
    run.notes_deleted += _delete_rows("cases.InternalNote", ids)
    _delete_rows("cases.CaseSearchToken", ids)
    for relation in _kept_relations():
        rows = relation.related_model._default_manager.filter(**{relation.field.name + "_id__in": ids})
        _strip_below(rows)
        _strip(rows)
    _strip(Alert.objects.filter(case__in=ids))
    _strip(
        Case.objects.filter(pk__in=ids),
        worker=None, alert=None, intake_key=None, receipt_lookup=None, receipt_hash="", pin_hash="",
        anonymised_at=now,
    )  # fmt: skip


def _delete_attachments(ids: list[int]) -> int:
    """Files first, rows after, inside the batch's transaction: if the rows then fail to go, the
    transaction rolls back and the next run deletes them (deleting a missing file is harmless);
    the other order could leave a file behind that no row points to any more."""
    attachments = Attachment.objects.filter(case_id__in=ids)
    for name in attachments.values_list("stored_name", flat=True):
        default_storage.delete(name)
    return attachments.delete()[1].get(Attachment._meta.label, 0)


def _strip_below(rows: models.QuerySet[Any]) -> None:
    """What other apps hang below a case's rows (a company's corrective action: its evidence
    files, the desk's review, the worker's answer) is anonymised with the case: stored files
    deleted as the case's own, every other row stripped like the rows above it."""
    for relation in rows.model._meta.related_objects:
        if not relation.one_to_many:
            continue
        below = relation.related_model._default_manager.filter(**{relation.field.name + "__in": rows})
        if any(field.name == "stored_name" for field in relation.related_model._meta.concrete_fields):
            for name in below.values_list("stored_name", flat=True):
                default_storage.delete(name)
            below.delete()
        else:
            _strip(below)


def _delete_rows(label: str, ids: list[int]) -> int:
    relation = _relations()[label]
    related = relation.related_model._default_manager.filter(**{relation.field.name + "_id__in": ids})
    return related.delete()[1].get(label, 0)


def _relations() -> dict[str, Any]:
    """The one-to-many relations into ``Case`` (rows of other models that point at a case)."""
    return {
        relation.related_model._meta.label: relation
        for relation in Case._meta.related_objects
        if relation.one_to_many
    }


def _kept_relations() -> list[Any]:
    deleted = DELETED_WITH_CASE | {Attachment._meta.label}
    return [relation for label, relation in _relations().items() if label not in deleted]


def _strip(rows: models.QuerySet[Any], **extra: Any) -> None:
    """Blanks every encrypted text of ``rows`` and rounds every date to its month."""
    changes = {**blanked_texts(rows.model), **extra}
    _round_dates(rows)  # before ``extra``: it may change which rows ``rows`` selects
    if changes:
        rows.update(**changes)


def blanked_texts(model: type[models.Model]) -> dict[str, str | None]:
    return {
        field.name: (None if field.null else "")
        for field in model._meta.concrete_fields
        if isinstance(field, EncryptedTextField)
    }


def _round_dates(rows: models.QuerySet[Any]) -> None:
    """In Python, not with ``TruncMonth`` in the UPDATE: truncated in the installation's time
    zone, the database hands back a wall-clock time, which it would then store as UTC."""
    names = [
        field.name
        for field in rows.model._meta.concrete_fields
        if isinstance(field, models.DateField) and field.name != "anonymised_at"
    ]
    if not names:
        return
    changed = list(rows.only("pk", *names))
    for row in changed:
        for name in names:
            setattr(row, name, month_start(getattr(row, name)))
    rows.model._default_manager.bulk_update(changed, names, batch_size=ROUNDING_BATCH_SIZE)


def month_start(value: date | None) -> date | None:
    """The first moment of the value's month, in the installation's time zone: enough for
    statistics, too coarse to pick out one worker by the day they wrote."""
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    return value.replace(day=1) if value is not None else None
