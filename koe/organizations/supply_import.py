"""Importing a supply chain from a file, as a background job a company admin watches.

1. ``supply_import_start``: the upload is read at once (a file Koe cannot read is refused on the
   spot), kept on an ``ImportJob`` and checked row by row in the background (``supply_import_check``).
2. The admin looks at the result and chooses: import everything (only possible without errors),
   import only the valid rows, or cancel (``supply_import_confirm`` / ``supply_import_cancel``).
3. ``supply_import_apply`` checks the file again under the supply-graph lock (the chain may have
   changed meanwhile) and writes every organisation and link in one transaction with bulk
   inserts: either all of it is imported or none of it.

The file is dropped from the job as soon as the job ends.
"""

import logging
from datetime import timedelta
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, IntegrityError, transaction
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _

from koe.audit.services import audit_record
from koe.organizations.import_files import read_rows
from koe.organizations.import_rows import IMPORTER, Checked, Row, check_rows, declared_tier_offset
from koe.organizations.models import (
    ImportJob,
    ImportStatus,
    Organization,
    OrganizationKind,
    SupplyChainLink,
)
from koe.organizations.selectors import supply_chain_ids
from koe.organizations.services import _is_company_admin, _lock_supply_graph, audit_existing_linked

logger = logging.getLogger(__name__)

BATCH_SIZE = 1000
STORED_PROBLEMS = 5000  # enough to fix a file by; the count of rows with errors is always exact
# A file waiting for a decision is dropped after a day; a job still running after two hours lost
# its worker (a 20,000-row file takes seconds).
UNDECIDED_FOR = timedelta(days=1)
RUNNING_FOR = timedelta(hours=2)


def _require_admin_of(actor: Any, organization_id: int) -> None:
    if not _is_company_admin(actor) or actor.organization_id != organization_id:
        raise PermissionDenied


@transaction.atomic
def supply_import_start(*, actor: Any, file_name: str, data: bytes) -> ImportJob:
    """Keeps the file on a new job and has it checked in the background.

    Raises ``FileRefused`` when the file cannot be read at all (empty, not a spreadsheet, an
    unknown encoding, over the limits), before any job exists.
    """
    if not _is_company_admin(actor):
        raise PermissionDenied
    rows = read_rows(data)
    job = ImportJob.objects.create(
        organization_id=actor.organization_id, created_by=actor, status=ImportStatus.CHECKING,
        file_name=file_name[:200], upload=data, total_rows=len(rows),
    )  # fmt: skip
    audit_record(actor=actor, action="supply_import.upload", target=job, detail={"rows": len(rows)})
    transaction.on_commit(partial(supply_import_check.enqueue, job_id=job.pk))
    return job


def _progress(job_id: int, done: int) -> None:
    # Outside the job's transaction (the check runs in none), so the progress page sees it at once.
    ImportJob.objects.filter(pk=job_id).update(processed_rows=done)


def _checked_fields(checked: Checked) -> dict[str, Any]:
    return {
        "valid_rows": len(checked.valid),
        "error_rows": checked.error_rows,
        "problems": [problem.as_json() for problem in checked.problems[:STORED_PROBLEMS]],
        "processed_rows": len(checked.rows),
    }


@task()
def supply_import_check(job_id: int) -> str:
    """Judges every row of the job's file; the job then waits for the admin's decision.

    Any failure ends the job as interrupted, so that its page stops waiting; the status moves only
    from CHECKING, so a job that ``supply_import_expire`` ended meanwhile stays ended."""
    job = (
        ImportJob.objects.select_related("organization")
        .filter(pk=job_id, status=ImportStatus.CHECKING)
        .first()
    )
    if job is None or job.upload is None:
        return "gone"
    try:
        checked = check_rows(
            importer=job.organization,
            raw_rows=read_rows(bytes(job.upload)),
            progress=partial(_progress, job.pk),
        )
    except Exception as error:
        # The type only: the message could quote a row of the file (names, addresses).
        logger.warning("Supply-chain check %s failed: %s", job.pk, type(error).__name__)
        _finish(job, ImportStatus.FAILED, result={"reason": "interrupted"})
        return ImportStatus.FAILED
    moved = _move(job.pk, ImportStatus.CHECKING, status=ImportStatus.CHECKED, **_checked_fields(checked))
    return ImportStatus.CHECKED if moved else "gone"


def _move(job_id: int, expected: str | list[str], **fields: Any) -> bool:
    """Changes the job only if its status is still ``expected``: never brings an ended job back."""
    statuses = [expected] if isinstance(expected, str) else expected
    return ImportJob.objects.filter(pk=job_id, status__in=statuses).update(**fields) == 1


@transaction.atomic
def supply_import_confirm(*, actor: Any, job: ImportJob, only_valid: bool) -> ImportJob:
    """The admin's decision: import every row (only when none has errors) or only the valid ones."""
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    _require_admin_of(actor, job.organization_id)
    if job.status != ImportStatus.CHECKED:
        raise ValidationError(_("This import has already been decided."), code="state")
    if job.error_rows and not only_valid:
        raise ValidationError(
            _("Some rows have errors: correct the file, or import only the valid rows."), code="errors"
        )
    if not job.valid_rows:
        raise ValidationError(_("No row can be imported."), code="empty")
    job.status, job.only_valid, job.processed_rows = ImportStatus.IMPORTING, only_valid, 0
    job.save(update_fields=["status", "only_valid", "processed_rows"])
    transaction.on_commit(partial(supply_import_apply.enqueue, job_id=job.pk))
    return job


@transaction.atomic
def supply_import_cancel(*, actor: Any, job: ImportJob) -> ImportJob:
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    _require_admin_of(actor, job.organization_id)
    if job.status != ImportStatus.CHECKED:
        raise ValidationError(_("This import has already been decided."), code="state")
    _finish(job, ImportStatus.CANCELLED)
    return job


def _finish(job: ImportJob, status: str, expected: str | list[str] | None = None, **fields: Any) -> None:
    """Ends the job (from its present status, or ``expected``), dropping its file."""
    for name, value in fields.items():
        setattr(job, name, value)
    before = expected or job.status
    job.status, job.upload, job.finished_at = status, None, timezone.now()
    _move(
        job.pk, before, **{name: getattr(job, name) for name in ("status", "upload", "finished_at", *fields)}
    )


class _Refused(Exception):
    """The file changed its verdict between the check and the import (the chain changed)."""

    def __init__(self, checked: Checked):
        super().__init__("rows now have errors")
        self.checked = checked


def _create_organizations(job: ImportJob, rows: list[Row]) -> dict[int | str, int]:
    """Bulk-inserts the companies new to Koe; maps each row's node to its organisation id."""
    new = [row for row in rows if row.existing_id is None]
    created = Organization.objects.bulk_create(
        (
            Organization(
                kind=OrganizationKind.SUPPLY_CHAIN,
                created_by_organization_id=job.organization_id,
                **row.organization_fields(),
            )
            for row in new
        ),
        batch_size=BATCH_SIZE,
    )
    return {row.node: organization.pk for row, organization in zip(new, created, strict=True)}


def _audit_existing(job: ImportJob, rows: list[Row]) -> None:
    """Audits each organisation registered by someone else that the import brings into the chain."""
    chain = supply_chain_ids(job.organization_id)
    outside = {
        row.existing_id for row in rows if row.existing_id is not None and row.existing_id not in chain
    }
    for organization in Organization.objects.filter(pk__in=outside):
        audit_existing_linked(actor=job.created_by, organization=organization, buyer=job.organization)


def _write(job: ImportJob, checked: Checked) -> dict[str, int]:
    rows = [row for row in checked.valid if not row.already_linked]
    _audit_existing(job, rows)
    ids = _create_organizations(job, rows)
    ids[IMPORTER] = job.organization_id
    offset = declared_tier_offset(job.organization)
    links = (
        SupplyChainLink(buyer_id=ids.get(row.parent_node, row.parent_node), supplier_id=ids.get(row.node, row.node),
                        tier=row.tier + offset)
        for row in rows
    )  # fmt: skip
    SupplyChainLink.objects.bulk_create(links, batch_size=BATCH_SIZE)
    return {
        "created": sum(1 for row in rows if row.existing_id is None),
        "linked": len(rows),
        "already_linked": sum(1 for row in checked.valid if row.already_linked),
        "skipped": len(checked.rows) - len(checked.valid),
    }


@transaction.atomic
def _apply(job: ImportJob) -> dict[str, int]:
    _lock_supply_graph()  # the check below then sees the graph exactly as it will be written
    _require_admin_of(job.created_by, job.organization_id)
    checked = check_rows(importer=job.organization, raw_rows=read_rows(bytes(job.upload or b"")))
    if checked.error_rows and not job.only_valid:
        raise _Refused(checked)
    result = _write(job, checked)
    audit_record(actor=job.created_by, action="supply_chain.import", target=job.organization,
                 detail={"job": job.pk, "rows": len(checked.rows), **result})  # fmt: skip
    return result


@task()
def supply_import_apply(job_id: int) -> str:
    """Imports the job's rows in one transaction, or none of them."""
    job = (
        ImportJob.objects.select_related("organization", "created_by")
        .filter(pk=job_id, status=ImportStatus.IMPORTING)
        .first()
    )
    if job is None or job.upload is None:
        return "gone"
    try:
        result = _apply(job)
    except _Refused as refused:
        _finish(job, ImportStatus.FAILED, result={"reason": "changed"}, **_checked_fields(refused.checked))
    except PermissionDenied:
        _finish(job, ImportStatus.FAILED, result={"reason": "permission"})
    except (IntegrityError, DatabaseError) as error:
        logger.warning("Supply-chain import %s failed: %s", job.pk, type(error).__name__)
        _finish(job, ImportStatus.FAILED, result={"reason": "conflict"})
    except Exception as error:
        logger.warning("Supply-chain import %s failed: %s", job.pk, type(error).__name__)
        _finish(job, ImportStatus.FAILED, result={"reason": "interrupted"})
    else:
        # The rows are written: DONE is the truth even if ``supply_import_expire`` gave up on the job.
        expected: list[str] = [ImportStatus.IMPORTING, ImportStatus.FAILED]
        _finish(job, ImportStatus.DONE, expected=expected, result=result, processed_rows=job.valid_rows)
    return job.status


@task()
def supply_import_expire() -> int:
    """Ends jobs left undecided or whose worker died, dropping their files; returns how many.

    Run it daily (or hourly) with the other housekeeping tasks."""
    now = timezone.now()
    undecided = ImportJob.objects.filter(status=ImportStatus.CHECKED, created_at__lt=now - UNDECIDED_FOR)
    stuck = ImportJob.objects.filter(
        status__in=[ImportStatus.CHECKING, ImportStatus.IMPORTING], created_at__lt=now - RUNNING_FOR
    )
    ended = undecided.update(
        status=ImportStatus.CANCELLED, upload=None, finished_at=now, result={"reason": "expired"}
    )
    ended += stuck.update(
        status=ImportStatus.FAILED, upload=None, finished_at=now, result={"reason": "interrupted"}
    )
    return ended
