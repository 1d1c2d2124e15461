"""Only operator admins can read the audit log, whatever the filters."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser

from koe.audit.models import AuditEntry
from koe.audit.selectors import AuditFilters, audit_entries_for
from koe.audit.services import audit_record

pytestmark = pytest.mark.django_db

NOT_OPERATORS = ["worker", "consultant", "supervisor", "expert", "auditor", "admin_a", "user_a", "user_b1"]


@pytest.mark.parametrize("name", NOT_OPERATORS)
def test_it_hides_every_entry_from_everyone_but_operators(personas, name: str) -> None:
    audit_record(actor=getattr(personas, name), action="own.action")
    assert list(audit_entries_for(getattr(personas, name), AuditFilters())) == []


def test_it_hides_every_entry_from_anonymous_visitors(personas) -> None:
    audit_record(actor=personas.consultant, action="case.view")
    assert list(audit_entries_for(AnonymousUser(), None)) == []


def test_it_gives_operators_everything_newest_first(personas) -> None:
    audit_record(actor=personas.consultant, action="case.view")
    audit_record(actor=None, action="task.run")
    entries = audit_entries_for(personas.operator, None)
    assert [entry.sequence for entry in entries] == [2, 1]


def test_the_filters_combine(personas) -> None:
    audit_record(actor=personas.consultant, action="case.view", target=personas.org_a)
    audit_record(actor=personas.consultant, action="case.view", target=personas.org_b)
    audit_record(actor=personas.supervisor, action="case.view", target=personas.org_a)
    filters = AuditFilters(
        actor="consultant", object_type="organizations.Organization", object_id=str(personas.org_a.pk)
    )
    assert [entry.sequence for entry in audit_entries_for(personas.operator, filters)] == [1]


def test_date_filters_are_whole_days_in_the_installation_time_zone(personas) -> None:
    entry = audit_record(actor=personas.consultant, action="case.view")
    # Stored in UTC; "today" is the Japanese calendar day.
    day = entry.at.astimezone(datetime.timezone(datetime.timedelta(hours=9))).date()
    before, after = day - datetime.timedelta(days=1), day + datetime.timedelta(days=1)
    assert audit_entries_for(personas.operator, AuditFilters(date_from=day, date_to=day)).count() == 1
    assert audit_entries_for(personas.operator, AuditFilters(date_to=before)).count() == 0
    assert audit_entries_for(personas.operator, AuditFilters(date_from=after)).count() == 0


def test_the_audit_detail_names_a_searched_actor_by_id_only(personas) -> None:
    filters = AuditFilters(actor="consultant", action="case.", date_from=datetime.date(2026, 4, 1))
    assert filters.as_detail() == {
        "action": "case.",
        "date_from": "2026-04-01",
        "actor_id": personas.consultant.pk,
    }
    assert AuditFilters(actor="someone-deleted").as_detail() == {"actor_id": None}
    assert AuditEntry.objects.count() == 0
