"""Test helpers: tampering with the audit table the way an attacker with SQL access would."""

from collections.abc import Sequence
from typing import Any

from django.db import connection

from koe.audit.models import AuditEntry
from koe.audit.services import audit_record

TABLE = AuditEntry._meta.db_table


def tamper(sql: str, params: Sequence[Any] = ()) -> None:
    """Runs raw SQL on the audit table, switching PostgreSQL's append-only triggers off first.

    Only the table owner or a superuser can do that; the test database's user is one. The
    ALTER TABLE is part of the test's transaction, so the rollback at the end restores it.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER USER")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER USER")


def record_many(count: int, **kwargs: Any) -> list[AuditEntry]:
    kwargs.setdefault("actor", None)
    return [audit_record(action=f"test.step{n}", reason=f"step {n}", **kwargs) for n in range(1, count + 1)]
