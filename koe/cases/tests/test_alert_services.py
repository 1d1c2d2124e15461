"""Raising an alert from a red-flag self-check, the worker's contact choice, acknowledgement."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection

from koe.accounts.models import User, WorkerProfile
from koe.audit.models import AuditEntry
from koe.cases.models import Alert, AlertStatus
from koe.cases.services import (
    ContactRequestRefused,
    alert_acknowledge,
    alert_raise_for_response,
    alert_request_contact,
)
from koe.cases.testing import CLEAN_ANSWERS, RED_FLAG_ANSWERS, desk_alert, submitted_response
from koe.core.testing.personas import Personas
from koe.organizations.models import Organization
from koe.organizations.tests.factories import link
from koe.surveys.indicators import TAGS_BY_CODE
from koe.surveys.models import Response
from koe.surveys.scoring import score
from koe.surveys.services import draft_answers, response_submit

pytestmark = pytest.mark.django_db


def employed_worker(personas: Personas, employer: Organization) -> User:
    WorkerProfile.objects.create(user=personas.worker, employer=employer)
    return personas.worker


def tag_codes(alert: Alert) -> set[str]:
    return {tag.code for tag in alert.indicators}


def test_a_red_flag_submission_raises_one_alert_even_when_submitted_twice() -> None:
    response = submitted_response(RED_FLAG_ANSWERS)
    again = response_submit(response_id=response.pk)  # a double click, a retried request
    assert again.pk == response.pk
    assert Alert.objects.filter(response=response).count() == 1
    assert Alert.objects.count() == 1


def test_raising_again_for_the_same_response_returns_the_alert_already_raised() -> None:
    response = submitted_response(RED_FLAG_ANSWERS)
    definition = response.version.parsed
    flags = score(definition, {**RED_FLAG_ANSWERS}).red_flags
    assert alert_raise_for_response(response=response, red_flags=flags) == response.alert
    assert Alert.objects.count() == 1
    assert AuditEntry.objects.filter(action="alert.raise").count() == 1


def test_a_clean_submission_raises_no_alert() -> None:
    response = submitted_response(CLEAN_ANSWERS)
    assert not response.red_flag
    assert not Alert.objects.exists()


def test_the_alert_carries_the_highest_severity_the_indicators_the_flags_and_the_language() -> None:
    alert = submitted_response(RED_FLAG_ANSWERS, language="ne").alert
    assert alert.severity == "critical"  # hit is critical, overtime urgent
    assert sorted(alert.red_flags) == ["deductions", "hit", "kept_and_no_access", "overtime"]
    assert tag_codes(alert) == {
        "physical_and_sexual_violence",
        "withholding_of_wages",
        "excessive_overtime",
        "retention_of_identity_documents",
        "restriction_of_movement",
    }
    assert alert.tags & TAGS_BY_CODE["physical_and_sexual_violence"].mask
    assert alert.language == "ne"
    assert alert.status == AlertStatus.NEW


def test_urgent_flags_alone_make_an_urgent_alert_with_only_their_indicators() -> None:
    alert = submitted_response({"overtime": 120, "hit": "no"}).alert
    assert alert.severity == "urgent"
    assert alert.red_flags == ["overtime"]
    assert tag_codes(alert) == {"excessive_overtime"}


def test_the_alert_names_the_employer_and_every_brand_holder_whose_chain_holds_it(
    personas: Personas,
) -> None:
    link(personas.org_b1, personas.org_a2, tier=2)  # Minato Farm supplies both chains
    worker = employed_worker(personas, personas.org_a2)
    alert = submitted_response(RED_FLAG_ANSWERS, worker=worker).alert
    assert alert.employer == personas.org_a2
    assert {org.name for org in alert.brand_holders.all()} == {"Sakura Foods", "Hikari Apparel"}


def test_an_employer_that_is_a_brand_holder_is_its_own_brand_holder(personas: Personas) -> None:
    alert = submitted_response(RED_FLAG_ANSWERS, worker=employed_worker(personas, personas.org_a)).alert
    assert list(alert.brand_holders.all()) == [personas.org_a]


def test_an_employer_outside_any_chain_has_no_brand_holder(personas: Personas) -> None:
    alert = submitted_response(RED_FLAG_ANSWERS, worker=employed_worker(personas, personas.org_s)).alert
    assert alert.employer == personas.org_s
    assert not alert.brand_holders.exists()


def test_an_anonymous_workers_alert_holds_no_identity(personas: Personas) -> None:
    alert = desk_alert()
    assert alert.response.worker is None
    assert alert.employer is None and not alert.brand_holders.exists()
    assert alert.acknowledged_by is None
    assert (alert.contact_method, alert.contact_detail, alert.worker_message) == ("none", "", "")
    # The only link to a person the model has is the consultant who acknowledges it.
    user_fields = [field.name for field in Alert._meta.get_fields() if field.related_model is User]
    assert user_fields == ["acknowledged_by"]
    stored = " ".join(str(value) for value in Alert.objects.filter(pk=alert.pk).values().get().values())
    for user in User.objects.all():
        assert user.username not in stored
    raised = AuditEntry.objects.get(action="alert.raise")
    assert raised.actor_id is None and raised.actor_label == "system"


def test_the_contact_choice_is_stored_and_unreadable_in_the_database() -> None:
    alert = desk_alert()
    alert_request_contact(
        alert=alert, method="phone", detail="090-1234-5678", message="Call after 8 pm please",
        shared_items=["hit", "overtime"],
    )  # fmt: skip
    alert.refresh_from_db()
    assert alert.contact_method == "phone"
    assert alert.contact_detail == "090-1234-5678"
    assert alert.worker_message == "Call after 8 pm please"
    assert alert.shared_items == ["hit", "overtime"]
    assert alert.contact_requested_at is not None
    with connection.cursor() as cursor:
        cursor.execute("SELECT contact_detail, worker_message FROM cases_alert WHERE id = %s", [alert.pk])
        detail, message = cursor.fetchone()
    assert "1234" not in detail and "090" not in detail
    assert "8 pm" not in message and "Call" not in message


def test_the_contact_request_is_audited_without_naming_the_worker(personas: Personas) -> None:
    alert = submitted_response(RED_FLAG_ANSWERS, worker=personas.worker).alert
    alert_request_contact(alert=alert, method="koe", shared_items=["hit"])
    entry = AuditEntry.objects.get(action="alert.contact_request")
    assert entry.actor_id is None and personas.worker.username not in entry.actor_label
    assert entry.object_id == str(alert.pk)
    assert entry.detail == {"method": "koe", "shared_items": 1}


def test_the_worker_can_share_only_items_they_answered() -> None:
    alert = desk_alert()
    for unknown in (["passport_kept", "no_such_item"], ["arrived"]):  # arrived was left empty
        with pytest.raises(ContactRequestRefused):
            alert_request_contact(alert=alert, method="none", shared_items=unknown)
    alert.refresh_from_db()
    assert alert.shared_items == [] and alert.contact_requested_at is None


def test_a_worker_without_an_account_cannot_ask_for_a_koe_message() -> None:
    with pytest.raises(ContactRequestRefused):
        alert_request_contact(alert=desk_alert(), method="koe")


def test_methods_that_need_a_number_or_address_refuse_to_go_without_one() -> None:
    for method in ("phone", "email", "messaging"):
        with pytest.raises(ContactRequestRefused):
            alert_request_contact(alert=desk_alert(), method=method, detail="  ")


def test_an_unknown_method_and_an_overlong_detail_are_refused() -> None:
    alert = desk_alert()
    with pytest.raises(ContactRequestRefused):
        alert_request_contact(alert=alert, method="pigeon", detail="x")
    with pytest.raises(ContactRequestRefused):
        alert_request_contact(alert=alert, method="phone", detail="9" * 201)


def test_no_contact_keeps_no_detail_even_if_one_was_typed() -> None:
    alert = alert_request_contact(
        alert=desk_alert(), method="none", detail="090-1111-2222", message="Just so you know"
    )
    assert alert.contact_detail == "" and alert.worker_message == "Just so you know"


def test_a_later_choice_replaces_the_earlier_one() -> None:
    alert = desk_alert()
    alert_request_contact(alert=alert, method="phone", detail="090-1111-2222", shared_items=["hit"])
    alert = alert_request_contact(alert=alert, method="none", shared_items=[])
    assert (alert.contact_method, alert.contact_detail, alert.shared_items) == ("none", "", [])


def test_a_consultant_acknowledges_a_new_alert_once(personas: Personas) -> None:
    alert = desk_alert()
    alert_acknowledge(alert=alert, actor=personas.consultant)
    alert.refresh_from_db()
    assert alert.status == AlertStatus.ACKNOWLEDGED
    assert alert.acknowledged_by == personas.consultant and alert.acknowledged_at is not None
    first = alert.acknowledged_at
    alert_acknowledge(alert=alert, actor=personas.supervisor)
    alert.refresh_from_db()
    assert alert.acknowledged_by == personas.consultant and alert.acknowledged_at == first
    entries = AuditEntry.objects.filter(action="alert.acknowledge")
    assert [entry.actor_id for entry in entries] == [personas.consultant.pk]


@pytest.mark.parametrize("persona", ["worker", "expert", "admin_a", "operator", "auditor"])
def test_only_desk_staff_can_acknowledge(personas: Personas, persona: str) -> None:
    alert = desk_alert()
    with pytest.raises(PermissionDenied):
        alert_acknowledge(alert=alert, actor=getattr(personas, persona))
    alert.refresh_from_db()
    assert alert.status == AlertStatus.NEW


def test_the_submitted_answers_stay_intact_after_the_alert(personas: Personas) -> None:
    """The alert is part of the submission: the response is sent, its draft emptied, as usual."""
    response = submitted_response(RED_FLAG_ANSWERS)
    response = Response.objects.get(pk=response.pk)
    assert response.is_submitted and response.red_flag and response.severity == "critical"
    assert draft_answers(response) == {}
