"""The operator admin: operators only, and saves go through the services (loops refused, audited)."""

import pytest

from koe.audit.models import AuditEntry
from koe.core.testing.personas import Personas, make_user, verified_client
from koe.organizations.models import Organization, SupplyChainLink
from koe.organizations.tests.factories import corporate_number

pytestmark = pytest.mark.django_db
ORGS = "/admin/organizations/organization/"
LINKS = "/admin/organizations/supplychainlink/"


def test_an_operator_searches_organisations_by_name_and_corporate_number(personas: Personas) -> None:
    client = verified_client(personas.operator)
    by_name = client.get(ORGS, {"q": "Minato"}).content.decode()
    assert "Minato Farm" in by_name and "Sakura Packing" not in by_name
    by_number = client.get(ORGS, {"q": personas.org_b1.corporate_number}).content.decode()
    assert "Hikari Sewing" in by_number and "Minato Farm" not in by_number
    assert client.get(LINKS, {"q": "Hikari"}).status_code == 200


def test_staff_accounts_that_are_not_operators_cannot_use_it(personas: Personas) -> None:
    staff_consultant = make_user("desk_staff", "consultant", is_staff=True)
    client = verified_client(staff_consultant)
    assert client.get(ORGS).status_code == 403
    assert client.get(LINKS).status_code == 403


def test_company_users_cannot_reach_it(personas: Personas) -> None:
    response = verified_client(personas.admin_a).get(ORGS)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_an_organisation_added_in_the_admin_is_created_by_the_service(personas: Personas) -> None:
    number = corporate_number()
    response = verified_client(personas.operator).post(
        f"{ORGS}add/",
        {"name": "Nagoya Parts", "kind": "supply_chain", "corporate_number": number, "prefecture": "23",
         "industry": "E", "address": ""},
    )  # fmt: skip
    assert response.status_code == 302
    created = Organization.objects.get(corporate_number=number)
    assert AuditEntry.objects.filter(action="organization.create", object_id=str(created.pk)).exists()


def test_a_duplicate_corporate_number_is_refused_in_the_admin_with_a_clear_message(
    personas: Personas,
) -> None:
    response = verified_client(personas.operator).post(
        f"{ORGS}add/",
        {"name": "Copy", "kind": "other", "corporate_number": personas.org_a.corporate_number,
         "prefecture": "", "industry": "", "address": ""},
    )  # fmt: skip
    assert response.status_code == 200
    assert "An organisation with this corporate number is already registered." in response.content.decode()


def test_an_organisation_change_in_the_admin_is_audited(personas: Personas) -> None:
    org = personas.org_s
    verified_client(personas.operator).post(
        f"{ORGS}{org.pk}/change/",
        {"name": "Kizuna Cooperative Union", "kind": org.kind, "corporate_number": org.corporate_number,
         "prefecture": org.prefecture, "industry": org.industry, "address": ""},
    )  # fmt: skip
    assert Organization.objects.get(pk=org.pk).name == "Kizuna Cooperative Union"
    assert AuditEntry.objects.get(action="organization.update").detail == {"fields": ["name"]}


def test_organisations_cannot_be_deleted_in_the_admin(personas: Personas) -> None:
    response = verified_client(personas.operator).post(f"{ORGS}{personas.org_s.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert Organization.objects.filter(pk=personas.org_s.pk).exists()


def test_a_loop_is_refused_in_the_admin_form(personas: Personas) -> None:
    response = verified_client(personas.operator).post(
        f"{LINKS}add/", {"buyer": personas.org_a2.pk, "supplier": personas.org_a.pk, "tier": 1}
    )
    assert response.status_code == 200
    assert "a supply chain cannot loop back" in response.content.decode()
    assert SupplyChainLink.objects.count() == 3


def test_links_added_and_deleted_in_the_admin_are_audited(personas: Personas) -> None:
    client = verified_client(personas.operator)
    response = client.post(
        f"{LINKS}add/", {"buyer": personas.org_b.pk, "supplier": personas.org_s.pk, "tier": 1}
    )
    assert response.status_code == 302
    created = SupplyChainLink.objects.get(buyer=personas.org_b, supplier=personas.org_s)
    assert AuditEntry.objects.filter(action="supply_link.create", object_id=str(created.pk)).exists()
    client.post(f"{LINKS}{created.pk}/delete/", {"post": "yes"})
    assert not SupplyChainLink.objects.filter(pk=created.pk).exists()
    assert AuditEntry.objects.filter(action="supply_link.delete", object_id=str(created.pk)).exists()


def test_bulk_deleting_links_goes_through_the_service(personas: Personas) -> None:
    ids = list(SupplyChainLink.objects.filter(buyer=personas.org_a1).values_list("pk", flat=True))
    verified_client(personas.operator).post(
        LINKS, {"action": "delete_selected", "_selected_action": ids, "post": "yes"}
    )
    assert not SupplyChainLink.objects.filter(pk__in=ids).exists()
    assert AuditEntry.objects.filter(action="supply_link.delete").count() == len(ids)
