"""Invite links: who may make and see them, and that a token is unguessable and can be revoked."""

import re

import pytest
from django.test import Client

from koe.core.testing.personas import Personas, verified_client
from koe.reach import services
from koe.reach.models import InviteLink
from koe.reach.testing import invite_of_a1

pytestmark = pytest.mark.django_db


def test_a_brand_holder_makes_links_for_its_supply_chain_and_gets_the_same_link_again(
    personas: Personas,
) -> None:
    client = verified_client(personas.admin_a)
    first = client.post("/en/company/reach/links/new/", {"employer": personas.org_a2.pk})
    again = client.post("/en/company/reach/links/new/", {"employer": personas.org_a2.pk})
    assert first.status_code == 302
    assert first["Location"] == again["Location"]
    link = InviteLink.objects.get()
    assert (link.employer, link.brand_holder) == (personas.org_a2, personas.org_a)


def test_a_supply_chain_companys_own_link_belongs_to_its_brand_holder(personas: Personas) -> None:
    verified_client(personas.user_a1).post("/en/company/reach/links/new/", {"employer": personas.org_a1.pk})
    link = InviteLink.objects.get()
    assert (link.employer, link.brand_holder) == (personas.org_a1, personas.org_a)
    # The brand holder's page finds that same link rather than making a second one.
    assert invite_of_a1(personas) == link


def test_nobody_makes_a_link_for_a_company_outside_their_reach(personas: Personas) -> None:
    for user, employer in [
        (personas.admin_b, personas.org_a1),  # another chain
        (personas.user_a1, personas.org_a2),  # a supplier's supplier: not a brand holder
        (personas.user_a2, personas.org_a),  # its buyer
    ]:
        response = verified_client(user).post("/en/company/reach/links/new/", {"employer": employer.pk})
        assert response.status_code == 404
    assert not InviteLink.objects.exists()


def test_another_chains_link_and_its_posters_are_not_found(personas: Personas) -> None:
    link = invite_of_a1(personas)
    for user in (personas.admin_b, personas.user_b1, personas.user_a2):
        client = verified_client(user)
        assert client.get(f"/en/company/reach/links/{link.pk}/").status_code == 404
        assert client.get(f"/en/company/reach/links/{link.pk}/poster/a4/en.pdf").status_code == 404
        assert client.post(f"/en/company/reach/links/{link.pk}/revoke/").status_code == 404
    link.refresh_from_db()
    assert link.is_live


def test_a_brand_holder_does_not_see_the_link_another_brand_holder_made_for_a_shared_supplier(
    personas: Personas,
) -> None:
    from koe.organizations.models import SupplyChainLink

    SupplyChainLink.objects.create(buyer=personas.org_b, supplier=personas.org_a1, tier=1)
    theirs = services.invite_link_get_or_create(actor=personas.admin_b, employer=personas.org_a1)
    assert verified_client(personas.admin_a).get(f"/en/company/reach/links/{theirs.pk}/").status_code == 404
    # The company itself sees every link made for it.
    assert verified_client(personas.user_a1).get(f"/en/company/reach/links/{theirs.pk}/").status_code == 200


def test_the_token_is_long_random_and_url_safe(personas: Personas) -> None:
    first = invite_of_a1(personas)
    second = services.invite_link_get_or_create(actor=personas.admin_a, employer=personas.org_a2)
    for token in (first.token, second.token):
        assert re.fullmatch(r"[A-Za-z0-9_-]{32}", token)  # 32 base64 characters: 192 bits
    assert first.token != second.token


def test_a_revoked_link_leads_to_a_clear_not_found_page_and_a_new_link_has_a_new_token(
    personas: Personas,
) -> None:
    link = invite_of_a1(personas)
    landing = f"/en/join/{link.token}/"
    assert Client().get(landing).status_code == 200
    assert (
        verified_client(personas.user_a).post(f"/en/company/reach/links/{link.pk}/revoke/").status_code == 404
    )
    assert (
        verified_client(personas.admin_a).post(f"/en/company/reach/links/{link.pk}/revoke/").status_code
        == 302
    )
    gone = Client().get(landing)
    assert gone.status_code == 404
    assert "This link does not work" in gone.content.decode()
    assert invite_of_a1(personas).token != link.token


def test_an_unknown_token_is_not_found(personas: Personas) -> None:
    response = Client().get("/my/join/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/")
    assert response.status_code == 404
    assert '<html lang="my"' in response.content.decode()


def test_the_company_page_lists_links_with_downloads_in_every_language_and_size(personas: Personas) -> None:
    from config.languages import LANGUAGE_CODES

    link = invite_of_a1(personas)
    html = verified_client(personas.admin_a).get(f"/en/company/reach/links/{link.pk}/").content.decode()
    assert f"/en/join/{link.token}/" in html
    assert "<svg" in html  # the QR code
    for language in LANGUAGE_CODES:
        for kind in ("poster", "flyer"):
            for size in ("a4", "a3"):
                assert f"/en/company/reach/links/{link.pk}/{kind}/{size}/{language}.pdf" in html
    listing = verified_client(personas.admin_a).get("/en/company/reach/").content.decode()
    for name in ("Sakura Foods", "Sakura Packing", "Minato Farm"):
        assert name in listing
    assert "Hikari" not in listing


def test_the_demo_seed_gives_each_employer_one_live_link_and_can_run_twice(personas: Personas) -> None:
    from koe.reach import demo

    employers = [personas.org_a, personas.org_a1, personas.org_a2]
    first = demo.seed(employers=employers)
    assert demo.seed(employers=employers) == first
    assert [link.brand_holder for link in first] == [personas.org_a] * 3
