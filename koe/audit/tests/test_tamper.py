"""Changing, removing or cutting off entries is refused where possible and detected always."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from koe.audit.models import AppendOnlyError, AuditEntry
from koe.audit.tests.helpers import record_many, tamper
from koe.audit.verify import CONTENT_CHANGED, ENTRY_MISSING, HEAD_MISSING, LINK_BROKEN, verify_chain

pytestmark = pytest.mark.django_db


def run_verify(*args: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("verify_audit", *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        return int(exit_.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def test_the_command_reports_an_intact_chain_and_its_head(personas) -> None:
    entries = record_many(3, actor=personas.operator)
    code, out, _err = run_verify()
    assert code == 0
    assert out.strip() == f"audit chain OK: 3 entries, head {entries[-1].entry_hash}"


def test_a_changed_reason_is_found_and_named_by_its_sequence(personas) -> None:
    record_many(5, actor=personas.consultant)
    tamper("UPDATE audit_auditentry SET reason = %s WHERE sequence = %s", ["nothing to see", 3])
    code, _out, err = run_verify()
    assert code == 1
    assert err.strip() == "audit chain BROKEN at entry #3: content changed"
    assert verify_chain().broken.reason == CONTENT_CHANGED  # type: ignore[union-attr]


def test_a_rewritten_entry_with_a_recomputed_hash_breaks_the_next_link(personas) -> None:
    record_many(4, actor=personas.consultant)
    forged = AuditEntry.objects.get(sequence=2)
    forged.reason = "forged"
    tamper(
        "UPDATE audit_auditentry SET reason = %s, entry_hash = %s WHERE sequence = 2",
        ["forged", forged.compute_hash()],
    )
    result = verify_chain()
    assert not result.ok and result.checked == 2
    assert (result.broken.sequence, result.broken.reason) == (3, LINK_BROKEN)  # type: ignore[union-attr]


def test_a_deleted_middle_entry_is_found_as_a_gap(personas) -> None:
    record_many(5, actor=personas.consultant)
    tamper("DELETE FROM audit_auditentry WHERE sequence = %s", [3])
    code, _out, err = run_verify()
    assert code == 1
    assert err.startswith("audit chain BROKEN at entry #4: entry missing before")
    assert "#3 missing" in err
    assert verify_chain().broken.reason == ENTRY_MISSING  # type: ignore[union-attr]


def test_a_chain_that_does_not_start_at_one_is_broken(personas) -> None:
    record_many(3, actor=personas.consultant)
    tamper("DELETE FROM audit_auditentry WHERE sequence IN (1, 2)")
    result = verify_chain()
    assert (result.broken.sequence, result.broken.reason) == (3, ENTRY_MISSING)  # type: ignore[union-attr]


def test_expect_head_finds_a_removed_tail_that_the_chain_alone_cannot(personas) -> None:
    entries = record_many(5, actor=personas.consultant)
    recorded_head = entries[-1].entry_hash
    tamper("DELETE FROM audit_auditentry WHERE sequence >= %s", [4])
    assert run_verify()[0] == 0  # a shorter chain is still a valid chain
    code, _out, err = run_verify("--expect-head", recorded_head)
    assert code == 1
    assert err.startswith(f"audit chain BROKEN at entry #4: {HEAD_MISSING}")


def test_expect_head_accepts_a_head_recorded_before_later_appends(personas) -> None:
    entries = record_many(3, actor=personas.consultant)
    record_many(2, actor=personas.consultant)
    code, out, _err = run_verify("--expect-head", entries[-1].entry_hash.upper())
    assert code == 0 and out.startswith("audit chain OK: 5 entries")


def test_expect_head_must_look_like_a_hash(personas) -> None:
    with pytest.raises(CommandError):
        call_command("verify_audit", "--expect-head", "not-a-hash")


def test_django_refuses_to_save_an_existing_entry(personas) -> None:
    entry = record_many(1, actor=personas.operator)[0]
    entry.reason = "changed"
    with pytest.raises(AppendOnlyError):
        entry.save()


def test_django_refuses_to_delete_entries_one_by_one_or_in_bulk(personas) -> None:
    entry = record_many(2, actor=personas.operator)[0]
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(reason="changed")
    assert AuditEntry.objects.count() == 2 and verify_chain().ok


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the append-only trigger exists on PostgreSQL only"
)
def test_postgresql_refuses_raw_sql_that_rewrites_history(personas) -> None:
    record_many(2, actor=personas.operator)
    # Test databases let TRUNCATE through (Django empties tables with it) unless asked not to.
    refused = [
        "UPDATE audit_auditentry SET reason = 'changed'",
        "DELETE FROM audit_auditentry WHERE sequence = 2",
        "SET LOCAL koe.audit_strict = 'on'; TRUNCATE audit_auditentry",
    ]
    for sql in refused:
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql)
    assert AuditEntry.objects.count() == 2 and verify_chain().ok
