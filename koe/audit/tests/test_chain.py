"""Appending builds a hash chain that verify_chain accepts, however the appends come."""

import pytest
from django.db import transaction

from koe.audit.models import GENESIS_HASH, AuditEntry
from koe.audit.services import audit_record
from koe.audit.tests.helpers import record_many
from koe.audit.verify import verify_chain

pytestmark = pytest.mark.django_db


def test_an_empty_log_is_a_valid_chain_with_the_genesis_head() -> None:
    result = verify_chain()
    assert result.ok and result.checked == 0 and result.head_hash == GENESIS_HASH


def test_appending_links_each_entry_to_the_one_before(personas) -> None:
    first = audit_record(actor=personas.operator, action="organization.view", target=personas.org_a)
    second = audit_record(actor=personas.consultant, action="case.view", reason="follow-up")
    assert (first.sequence, second.sequence) == (1, 2)
    assert first.previous_hash == GENESIS_HASH
    assert second.previous_hash == first.entry_hash
    assert first.object_type == "organizations.Organization" and first.object_id == str(personas.org_a.pk)
    result = verify_chain()
    assert result.ok and result.checked == 2 and result.head_hash == second.entry_hash


def test_many_appends_keep_the_sequence_contiguous_across_batches(personas) -> None:
    record_many(7, actor=personas.operator)
    sequences = list(AuditEntry.objects.order_by("sequence").values_list("sequence", flat=True))
    assert sequences == list(range(1, 8))
    result = verify_chain(batch_size=3)  # forces several batches, including a partial last one
    assert result.ok and result.checked == 7


def test_an_append_that_is_rolled_back_leaves_no_gap(personas) -> None:
    audit_record(actor=personas.operator, action="test.kept")
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(actor=personas.operator, action="test.rolled_back")
        raise RuntimeError("the surrounding write failed")
    audit_record(actor=personas.operator, action="test.after")
    assert list(AuditEntry.objects.order_by("sequence").values_list("sequence", "action")) == [
        (1, "test.kept"),
        (2, "test.after"),
    ]
    assert verify_chain().ok


def test_the_hash_survives_a_round_trip_through_the_database(personas) -> None:
    detail = {"case_ids": [3, 1], "note": "日本語 and ünïcode", "level": 2.5, "nested": {"b": 1, "a": None}}
    written = audit_record(actor=personas.user_a, action="case.share", detail=detail, reason="同意あり")
    stored = AuditEntry.objects.get(pk=written.pk)
    assert stored.compute_hash() == written.entry_hash
    assert stored.actor_organization_id == personas.org_a.pk


def test_an_anonymous_or_missing_actor_is_recorded_as_the_system() -> None:
    entry = audit_record(actor=None, action="task.cleanup")
    assert (entry.actor_id, entry.actor_label, entry.actor_role) == (None, "system", "system")
    assert verify_chain().ok
