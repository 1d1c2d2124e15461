"""Who sees which organisations, and the supply chain walked in the database."""

import pytest
from django.contrib.auth.models import AnonymousUser

from koe.core.testing.personas import Personas
from koe.organizations.models import Organization
from koe.organizations.selectors import (
    brand_holders_above,
    organizations_visible_to,
    suppliers_by_tier,
    supply_chain_for,
    supply_chain_ids,
    supply_chain_tiers,
    supply_links_visible_to,
)
from koe.organizations.tests.factories import build_chain, full_width, link, make_org

pytestmark = pytest.mark.django_db

ALL_ORGS = {"org_a", "org_a1", "org_a2", "org_b", "org_b1", "org_s"}
VISIBLE = {
    "consultant": ALL_ORGS,
    "supervisor": ALL_ORGS,
    "operator": ALL_ORGS,
    "auditor": ALL_ORGS,
    "admin_a": {"org_a", "org_a1", "org_a2"},
    "user_a": {"org_a", "org_a1", "org_a2"},
    "user_a1": {"org_a1", "org_a2"},
    "user_a2": {"org_a2"},
    "admin_b": {"org_b", "org_b1"},
    "user_b1": {"org_b1"},
    "expert": set(),
    "worker": set(),
}


def names_of(personas: Personas, keys: set[str]) -> set[str]:
    return {getattr(personas, key).name for key in keys}


@pytest.mark.parametrize(("persona", "expected"), VISIBLE.items())
def test_each_persona_sees_exactly_the_organisations_their_role_allows(
    personas: Personas, persona: str, expected: set[str]
) -> None:
    user = getattr(personas, persona)
    visible = {org.name for org in organizations_visible_to(user)}
    assert visible == names_of(personas, expected)


def test_anonymous_and_deactivated_users_see_no_organisation(personas: Personas) -> None:
    assert not organizations_visible_to(AnonymousUser()).exists()
    personas.admin_a.is_active = False
    assert not organizations_visible_to(personas.admin_a).exists()


def test_a_supplier_sees_its_own_suppliers_but_never_its_buyer(personas: Personas) -> None:
    visible = organizations_visible_to(personas.user_a1)
    assert visible.filter(pk=personas.org_a2.pk).exists()
    assert not visible.filter(pk=personas.org_a.pk).exists()


def test_a_company_user_sees_links_below_their_organisation_only(personas: Personas) -> None:
    def pairs(user: object) -> set[tuple[str, str]]:
        return {(link.buyer.name, link.supplier.name) for link in supply_links_visible_to(user)}

    assert pairs(personas.admin_a) == {("Sakura Foods", "Sakura Packing"), ("Sakura Packing", "Minato Farm")}
    assert pairs(personas.user_a1) == {("Sakura Packing", "Minato Farm")}
    assert pairs(personas.user_a2) == set()
    assert len(pairs(personas.consultant)) == 3
    assert pairs(personas.expert) == set() and pairs(personas.worker) == set()


def test_the_chain_query_returns_every_transitive_supplier(personas: Personas) -> None:
    assert supply_chain_ids(personas.org_a.pk) == {personas.org_a1.pk, personas.org_a2.pk}
    assert supply_chain_ids(personas.org_a1.pk) == {personas.org_a2.pk}
    assert supply_chain_ids(personas.org_a2.pk) == set()
    assert supply_chain_ids(personas.org_s.pk) == set()


def test_tiers_are_the_shortest_path_when_a_supplier_is_reached_several_ways(personas: Personas) -> None:
    # Minato Farm supplies Sakura Packing (tier 2) and, from now on, Sakura Foods directly.
    link(personas.org_a, personas.org_a2, tier=1)
    farm_supplier = make_org("Farm supplier")
    link(personas.org_a2, farm_supplier, tier=3)
    tiers = supply_chain_tiers(personas.org_a)
    assert tiers == {personas.org_a1.pk: 1, personas.org_a2.pk: 1, farm_supplier.pk: 2}
    assert suppliers_by_tier(personas.org_a) == {1: 2, 2: 1}


def test_a_deep_chain_is_walked_in_one_query(personas: Personas, django_assert_num_queries) -> None:
    root = make_org("Deep brand holder")
    tiers = build_chain(root, [1] * 30)
    with django_assert_num_queries(1):
        found = supply_chain_tiers(root)
    assert found[tiers[-1][0].pk] == 30
    assert len(found) == 30


def test_the_chain_query_ends_even_on_a_loop_written_around_the_services(personas: Personas) -> None:
    link(personas.org_a2, personas.org_a, tier=3)  # the services would refuse this
    assert supply_chain_ids(personas.org_a.pk) == {personas.org_a1.pk, personas.org_a2.pk}
    assert supply_chain_tiers(personas.org_a) == {personas.org_a1.pk: 1, personas.org_a2.pk: 2}


def test_the_visible_set_is_one_lazy_query(personas: Personas, django_assert_num_queries) -> None:
    with django_assert_num_queries(1):
        count = organizations_visible_to(personas.admin_a).count()
    assert count == 3


def test_the_supply_chain_list_filters_by_name_corporate_number_and_tier(personas: Personas) -> None:
    def names(search: str = "", tier: int | None = None) -> list[str]:
        entries = supply_chain_for(personas.admin_a, search=search, tier=tier)
        return [entry.organization.name for entry in entries]

    assert names() == ["Sakura Packing", "Minato Farm"]
    assert names(tier=2) == ["Minato Farm"]
    assert names(search="packing") == ["Sakura Packing"]
    assert names(search=personas.org_a2.corporate_number[:6]) == ["Minato Farm"]
    assert names(search=full_width(personas.org_a2.corporate_number)) == [
        "Minato Farm"
    ]  # typed in full width
    assert names(search="Hikari") == []
    assert [entry.tier for entry in supply_chain_for(personas.user_a1)] == [1]


def test_the_supply_chain_list_is_empty_for_anyone_but_company_users(personas: Personas) -> None:
    assert supply_chain_for(personas.consultant) == []
    assert supply_chain_for(personas.worker) == []


def test_the_brand_holders_above_an_organisation_are_every_brand_holder_whose_chain_holds_it(
    personas: Personas, django_assert_num_queries
) -> None:
    def above(organization: Organization) -> set[str]:
        return {org.name for org in brand_holders_above(organization)}

    assert above(personas.org_a2) == {"Sakura Foods"}  # two steps up
    assert above(personas.org_a1) == {"Sakura Foods"}
    assert above(personas.org_a) == {"Sakura Foods"}  # a brand holder is its own
    assert above(personas.org_s) == set()  # in no chain
    link(personas.org_b1, personas.org_a2, tier=2)  # now in both chains
    with django_assert_num_queries(1):
        assert above(personas.org_a2) == {"Sakura Foods", "Hikari Apparel"}
    # Sakura Packing, a supply-chain company in between, is not a brand holder.
    assert "Sakura Packing" not in above(personas.org_a2)


def test_the_walk_up_to_brand_holders_ends_even_on_a_loop(personas: Personas) -> None:
    link(personas.org_a2, personas.org_a, tier=3)  # the services would refuse this
    assert {org.name for org in brand_holders_above(personas.org_a1.pk)} == {"Sakura Foods"}


def test_an_organisation_shared_by_two_chains_is_visible_from_both(personas: Personas) -> None:
    link(personas.org_b1, personas.org_a2, tier=2)
    assert personas.org_a2 in organizations_visible_to(personas.admin_b)
    assert personas.org_a2 in organizations_visible_to(personas.user_b1)
    assert not organizations_visible_to(personas.admin_b).filter(pk=personas.org_a1.pk).exists()
    assert Organization.objects.count() == 6
