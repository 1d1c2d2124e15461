"""Appends from several threads at once (each with its own database connection) never fork
the chain: PostgreSQL serialises them with an advisory lock, SQLite with a process lock.

Transactional, so each thread sees the others' commits; the flush at the end also shows that
the append-only trigger lets Django's test runner empty the table.
"""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from koe.audit.models import AuditEntry
from koe.audit.services import audit_record
from koe.audit.verify import verify_chain

THREADS, APPENDS_PER_THREAD = 4, 5


def append_several(worker: int) -> None:
    try:
        for step in range(APPENDS_PER_THREAD):
            audit_record(actor=None, action="test.concurrent", detail={"worker": worker, "step": step})
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_keep_one_contiguous_chain() -> None:
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        list(pool.map(append_several, range(THREADS)))
    total = THREADS * APPENDS_PER_THREAD
    sequences = list(AuditEntry.objects.order_by("sequence").values_list("sequence", flat=True))
    assert sequences == list(range(1, total + 1))
    result = verify_chain()
    assert result.ok and result.checked == total
