"""Writing organisations and links: validation, loops refused, who may do what, audit."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from koe.audit.models import AuditEntry
from koe.core.testing.personas import Personas
from koe.organizations.models import Organization, OrganizationKind, SupplyChainLink
from koe.organizations.services import (
    organization_create,
    organization_update,
    supplier_register,
    supply_link_create,
    supply_link_delete,
    supply_link_update,
)
from koe.organizations.tests.factories import corporate_number, link, make_org

pytestmark = pytest.mark.django_db
NTA = "7000012050002"


def last_audit(action: str) -> AuditEntry:
    entry = AuditEntry.objects.filter(action=action).order_by("-sequence").first()
    assert entry is not None, f"no {action} audit entry"
    return entry


def message_of(error: ValidationError) -> str:
    return " ".join(error.messages)


# --- organisations ---------------------------------------------------------------------------


def test_an_operator_registers_an_organisation_and_it_is_audited(personas: Personas) -> None:
    org = organization_create(
        actor=personas.operator,
        name=" National Tax Agency ",
        kind=OrganizationKind.OTHER,
        corporate_number=NTA,
    )
    assert org.name == "National Tax Agency"
    entry = last_audit("organization.create")
    assert entry.actor_id == personas.operator.pk and entry.object_id == str(org.pk)


def test_a_japanese_organisation_needs_a_valid_corporate_number(personas: Personas) -> None:
    with pytest.raises(ValidationError) as missing:
        organization_create(actor=personas.operator, name="No number", kind=OrganizationKind.OTHER)
    assert "corporate_number" in missing.value.message_dict
    with pytest.raises(ValidationError) as wrong:
        organization_create(
            actor=personas.operator,
            name="Typo",
            kind=OrganizationKind.OTHER,
            corporate_number="8000012050002",
        )
    assert "check digit" in wrong.value.message_dict["corporate_number"][0]


def test_a_foreign_entity_needs_no_corporate_number(personas: Personas) -> None:
    org = organization_create(
        actor=None, name="Hanoi Garments", kind=OrganizationKind.SUPPLY_CHAIN, is_foreign=True
    )
    assert org.corporate_number == ""


def test_a_corporate_number_is_registered_once(personas: Personas) -> None:
    with pytest.raises(ValidationError) as raised:
        organization_create(
            actor=personas.operator, name="Copy", kind=OrganizationKind.OTHER,
            corporate_number=personas.org_a.corporate_number,
        )  # fmt: skip
    assert "already registered" in raised.value.message_dict["corporate_number"][0]


@pytest.mark.parametrize("persona", ["user_a", "consultant", "expert", "worker", "auditor"])
def test_only_operators_and_company_admins_register_organisations(personas: Personas, persona: str) -> None:
    with pytest.raises(PermissionDenied):
        organization_create(
            actor=getattr(personas, persona), name="X", kind=OrganizationKind.OTHER, is_foreign=True
        )


def test_a_company_admin_updates_their_own_organisation_but_not_its_kind(personas: Personas) -> None:
    organization_update(actor=personas.admin_a, organization=personas.org_a, address="Tokyo, Chiyoda 1-1")
    assert Organization.objects.get(pk=personas.org_a.pk).address == "Tokyo, Chiyoda 1-1"
    assert last_audit("organization.update").detail == {"fields": ["address"]}
    with pytest.raises(PermissionDenied):
        organization_update(actor=personas.admin_a, organization=personas.org_a, kind=OrganizationKind.OTHER)


@pytest.mark.parametrize(
    ("persona", "org"), [("admin_a", "org_a1"), ("admin_b", "org_a"), ("user_a", "org_a")]
)
def test_company_users_cannot_update_other_organisations_or_without_admin_rights(
    personas: Personas, persona: str, org: str
) -> None:
    with pytest.raises(PermissionDenied):
        organization_update(
            actor=getattr(personas, persona), organization=getattr(personas, org), name="Renamed"
        )


def test_an_operator_updates_any_organisation(personas: Personas) -> None:
    organization_update(actor=personas.operator, organization=personas.org_b1, kind=OrganizationKind.OTHER)
    assert Organization.objects.get(pk=personas.org_b1.pk).kind == OrganizationKind.OTHER


# --- loops -----------------------------------------------------------------------------------


def test_it_refuses_an_organisation_supplying_itself(personas: Personas) -> None:
    with pytest.raises(ValidationError) as raised:
        supply_link_create(actor=personas.operator, buyer=personas.org_a, supplier=personas.org_a, tier=1)
    assert raised.value.code == "cycle"
    assert "cannot supply itself" in message_of(raised.value)


def test_it_refuses_a_two_step_loop_and_says_so(personas: Personas) -> None:
    # Sakura Packing supplies Sakura Foods; Sakura Foods cannot also supply Sakura Packing.
    with pytest.raises(ValidationError) as raised:
        supply_link_create(actor=personas.operator, buyer=personas.org_a1, supplier=personas.org_a, tier=1)
    assert message_of(raised.value) == (
        "Sakura Packing already supplies Sakura Foods directly; a supply chain cannot loop back."
    )


def test_it_refuses_a_three_step_loop_and_names_the_path(personas: Personas) -> None:
    with pytest.raises(ValidationError) as raised:
        supply_link_create(actor=personas.operator, buyer=personas.org_a2, supplier=personas.org_a, tier=1)
    assert message_of(raised.value) == (
        "Minato Farm already supplies Sakura Foods through Sakura Packing; a supply chain cannot loop back."
    )


def test_it_refuses_a_longer_loop_naming_the_shortest_path_in_delivery_order(personas: Personas) -> None:
    field = make_org("Hokkaido Field")
    link(personas.org_a2, field, tier=3)
    with pytest.raises(ValidationError) as raised:
        supply_link_create(actor=personas.operator, buyer=field, supplier=personas.org_a, tier=1)
    assert message_of(raised.value) == (
        "Hokkaido Field already supplies Sakura Foods through Minato Farm → Sakura Packing; "
        "a supply chain cannot loop back."
    )
    assert SupplyChainLink.objects.count() == 4


def test_a_shared_supplier_is_not_a_loop(personas: Personas) -> None:
    supply_link_create(actor=personas.operator, buyer=personas.org_a, supplier=personas.org_a2, tier=1)
    supply_link_create(actor=personas.operator, buyer=personas.org_b1, supplier=personas.org_a2, tier=2)
    assert SupplyChainLink.objects.filter(supplier=personas.org_a2).count() == 3


def test_it_refuses_the_same_link_twice_in_plain_words(personas: Personas) -> None:
    with pytest.raises(ValidationError) as raised:
        supply_link_create(actor=personas.operator, buyer=personas.org_a, supplier=personas.org_a1, tier=1)
    assert message_of(raised.value) == "Sakura Packing is already registered as a supplier of Sakura Foods."


def test_a_link_is_audited_with_ids_only(personas: Personas) -> None:
    new = supply_link_create(actor=personas.operator, buyer=personas.org_b, supplier=personas.org_s, tier=1)
    entry = last_audit("supply_link.create")
    assert entry.object_id == str(new.pk)
    assert entry.detail == {"buyer_id": personas.org_b.pk, "supplier_id": personas.org_s.pk, "tier": 1}


# --- who may link ----------------------------------------------------------------------------


def test_a_brand_holder_admin_adds_links_anywhere_in_their_own_chain(personas: Personas) -> None:
    farm = make_org("Aoba Farm")
    supply_link_create(actor=personas.admin_a, buyer=personas.org_a, supplier=farm, tier=1)
    feed = make_org("Feed mill")
    supply_link_create(actor=personas.admin_a, buyer=personas.org_a2, supplier=feed, tier=3)
    assert SupplyChainLink.objects.filter(buyer=personas.org_a2, supplier=feed).exists()


def test_a_supplier_admin_adds_links_below_itself_only(personas: Personas) -> None:
    feed = make_org("Feed mill")
    supply_link_create(actor=personas.user_a1, buyer=personas.org_a2, supplier=feed, tier=3)
    with pytest.raises(PermissionDenied):
        supply_link_create(actor=personas.user_a1, buyer=personas.org_a, supplier=make_org("Other"), tier=1)


@pytest.mark.parametrize(
    ("persona", "buyer"),
    [
        ("admin_b", "org_a"),  # another brand holder's organisation
        ("admin_b", "org_a1"),  # another brand holder's supplier
        ("user_a", "org_a"),  # own organisation, but not an admin
        ("user_a2", "org_a2"),  # own organisation, not an admin
        ("consultant", "org_a"),
        ("expert", "org_a"),
        ("auditor", "org_a"),
        ("worker", "org_a"),
    ],
)
def test_nobody_else_may_add_a_link(personas: Personas, persona: str, buyer: str) -> None:
    with pytest.raises(PermissionDenied):
        supply_link_create(
            actor=getattr(personas, persona), buyer=getattr(personas, buyer), supplier=make_org("New"), tier=1
        )
    assert not SupplyChainLink.objects.filter(supplier__name="New").exists()


def test_a_company_admin_cannot_uncover_another_chain_by_linking_its_top(personas: Personas) -> None:
    # Hikari Apparel has a supplier of its own: linking it would show admin_a Hikari's chain.
    with pytest.raises(ValidationError) as raised:
        supply_link_create(actor=personas.admin_a, buyer=personas.org_a, supplier=personas.org_b, tier=1)
    assert raised.value.code == "has_chain"
    # Hikari Sewing has none, so it can be linked: it reveals nobody else.
    supply_link_create(actor=personas.admin_a, buyer=personas.org_a, supplier=personas.org_b1, tier=1)
    # The operator can make the first link when the companies agree.
    supply_link_create(actor=personas.operator, buyer=personas.org_a, supplier=personas.org_b, tier=1)


def test_the_refusal_to_link_another_chains_top_says_nothing_about_that_company(personas: Personas) -> None:
    with pytest.raises(ValidationError) as raised:
        supplier_register(actor=personas.admin_a, buyer=personas.org_a, tier=1, name="Anything",
                          corporate_number=personas.org_b.corporate_number)  # fmt: skip
    message = message_of(raised.value)
    assert "secretariat" in message and "Hikari" not in message and "suppliers" not in message


def test_an_organisation_records_which_company_registered_it(personas: Personas) -> None:
    by_admin = supplier_register(actor=personas.admin_a, buyer=personas.org_a1, tier=2, name="Chiba Boxes",
                                 corporate_number=corporate_number())[0]  # fmt: skip
    by_operator = organization_create(actor=personas.operator, name="Minami", kind=OrganizationKind.OTHER,
                                      corporate_number=corporate_number())  # fmt: skip
    assert (by_admin.created_by_organization, by_operator.created_by_organization) == (personas.org_a, None)
    # Linking an organisation that is already registered keeps its creator, and is audited.
    assert supplier_register(actor=personas.admin_b, buyer=personas.org_b, tier=1, name="x",
                             corporate_number=by_admin.corporate_number) == (by_admin, False)  # fmt: skip
    by_admin.refresh_from_db()
    assert by_admin.created_by_organization == personas.org_a
    assert last_audit("organization.link_existing").detail == {
        "buyer_id": personas.org_b.pk, "created_by_organization_id": personas.org_a.pk
    }  # fmt: skip


def test_a_company_admin_changes_and_removes_links_in_their_chain_only(personas: Personas) -> None:
    lower = SupplyChainLink.objects.get(buyer=personas.org_a1, supplier=personas.org_a2)
    supply_link_update(actor=personas.admin_a, link=lower, tier=3)
    assert SupplyChainLink.objects.get(pk=lower.pk).tier == 3
    with pytest.raises(PermissionDenied):
        supply_link_delete(actor=personas.admin_b, link=lower)
    with pytest.raises(PermissionDenied):
        supply_link_delete(actor=personas.user_a2, link=lower)
    supply_link_delete(actor=personas.user_a1, link=lower)
    assert not SupplyChainLink.objects.filter(pk=lower.pk).exists()
    assert last_audit("supply_link.delete").detail["supplier_id"] == personas.org_a2.pk


# --- registering a supplier ------------------------------------------------------------------


def test_registering_a_new_supplier_creates_and_links_it(personas: Personas) -> None:
    number = corporate_number()
    org, created = supplier_register(
        actor=personas.admin_a, buyer=personas.org_a1, tier=2, name="Chiba Boxes",
        corporate_number=number, prefecture="12", industry="E",
    )  # fmt: skip
    assert created and org.kind == OrganizationKind.SUPPLY_CHAIN
    assert SupplyChainLink.objects.get(supplier=org).buyer == personas.org_a1


def test_registering_a_known_corporate_number_links_the_existing_organisation(personas: Personas) -> None:
    before = Organization.objects.count()
    org, created = supplier_register(
        actor=personas.admin_a, buyer=personas.org_a, tier=1, name="A different spelling",
        corporate_number=personas.org_b1.corporate_number,
    )  # fmt: skip
    assert not created and org == personas.org_b1
    assert Organization.objects.count() == before
    assert Organization.objects.get(pk=org.pk).name == "Hikari Sewing"


def test_a_refused_registration_leaves_nothing_behind(personas: Personas) -> None:
    before = Organization.objects.count()
    with pytest.raises(PermissionDenied):
        supplier_register(
            actor=personas.admin_b,
            buyer=personas.org_a,
            tier=1,
            name="Sneaky",
            corporate_number=corporate_number(),
        )
    assert Organization.objects.count() == before
