"""Company pages: who may open them, what they show, and that every look is audited."""

import csv
import io
import re

import pytest
from django.test import Client

from koe.audit.models import AuditEntry
from koe.core.testing.personas import Personas, password_only_client, verified_client
from koe.organizations.models import Organization, SupplyChainLink
from koe.organizations.tests.factories import corporate_number, full_width, make_org

pytestmark = pytest.mark.django_db

COMPANY_USERS = ["admin_a", "user_a", "user_a1", "user_a2", "admin_b", "user_b1"]
NOT_COMPANY = ["worker", "expert", "consultant", "supervisor", "auditor", "operator"]
VISIBLE = {
    "admin_a": {"org_a", "org_a1", "org_a2"},
    "user_a": {"org_a", "org_a1", "org_a2"},
    "user_a1": {"org_a1", "org_a2"},
    "user_a2": {"org_a2"},
    "admin_b": {"org_b", "org_b1"},
    "user_b1": {"org_b1"},
}
ORGS = ["org_a", "org_a1", "org_a2", "org_b", "org_b1", "org_s"]
PAGES = ["", "supply-chain/", "supply-chain/add/", "supply-chain/export.csv", "organizations/{pk}/"]


def url(page: str, personas: Personas, language: str = "en") -> str:
    return f"/{language}/company/" + page.format(pk=personas.org_a.pk)


def html_of(response: object) -> str:
    return response.content.decode()  # type: ignore[attr-defined]


def add_form(personas: Personas, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": "Chiba Boxes",
        "corporate_number": corporate_number(),
        "prefecture": "12",
        "industry": "E",
        "address": "",
        "buyer": personas.org_a1.pk,
        "tier": 2,
    }
    data.update(changes)
    return data


# --- who may open what -----------------------------------------------------------------------


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(personas: Personas, page: str) -> None:
    response = Client().get(url(page, personas))
    assert response.status_code == 302
    assert "/account/login/" in response["Location"]


@pytest.mark.parametrize("page", PAGES)
def test_a_company_user_without_the_second_factor_is_sent_to_it(personas: Personas, page: str) -> None:
    response = password_only_client(personas.admin_a).get(url(page, personas))
    assert response.status_code == 302
    assert "/account/two-factor/" in response["Location"]


@pytest.mark.parametrize("persona", NOT_COMPANY)
@pytest.mark.parametrize("page", PAGES)
def test_everyone_but_company_users_gets_404_on_every_company_page(
    personas: Personas, persona: str, page: str
) -> None:
    client = verified_client(getattr(personas, persona))
    assert client.get(url(page, personas)).status_code == 404


@pytest.mark.parametrize("persona", COMPANY_USERS)
@pytest.mark.parametrize("org", ORGS)
def test_a_company_user_opens_only_organisations_in_their_own_chain(
    personas: Personas, persona: str, org: str
) -> None:
    target = getattr(personas, org)
    response = verified_client(getattr(personas, persona)).get(f"/en/company/organizations/{target.pk}/")
    expected = 200 if org in VISIBLE[persona] else 404
    assert response.status_code == expected
    if expected == 404:
        assert target.name not in html_of(response)


def test_a_supplier_cannot_open_its_buyer(personas: Personas) -> None:
    client = verified_client(personas.user_a1)
    assert client.get(f"/en/company/organizations/{personas.org_a.pk}/").status_code == 404
    assert client.get(f"/en/company/organizations/{personas.org_a1.pk}/").status_code == 200


def test_a_missing_organisation_is_a_404_like_a_hidden_one(personas: Personas) -> None:
    client = verified_client(personas.admin_a)
    assert client.get("/en/company/organizations/999999/").status_code == 404


@pytest.mark.parametrize("persona", ["user_a", "user_a2"])
def test_company_users_who_are_not_admins_cannot_add_suppliers(personas: Personas, persona: str) -> None:
    client = verified_client(getattr(personas, persona))
    assert client.get("/en/company/supply-chain/add/").status_code == 404
    response = client.post("/en/company/supply-chain/add/", add_form(personas, buyer=personas.org_a2.pk))
    assert response.status_code == 404
    assert not Organization.objects.filter(name="Chiba Boxes").exists()
    assert 'href="/en/company/supply-chain/add/"' not in html_of(client.get("/en/company/"))


# --- what the pages show ---------------------------------------------------------------------


@pytest.mark.parametrize("language", ["ja", "en", "vi", "my"])
@pytest.mark.parametrize("page", PAGES)
def test_every_company_page_renders_with_one_heading(personas: Personas, page: str, language: str) -> None:
    response = verified_client(personas.admin_a).get(url(page, personas, language))
    assert response.status_code == 200
    if page.endswith(".csv"):
        return
    html = html_of(response)
    assert f'<html lang="{language}"' in html
    assert len(re.findall(r"<h1[\s>]", html)) == 1
    assert "<th>" not in html and " style=" not in html and "<script>" not in html


def test_the_dashboard_counts_suppliers_by_tier_for_the_users_organisation(personas: Personas) -> None:
    html = html_of(verified_client(personas.admin_a).get("/en/company/"))
    assert "<h1>Sakura Foods</h1>" in html
    assert "2 suppliers are registered below your organisation." in html
    assert re.search(r"Tier 1</a></td><td>1</td>", html)
    assert re.search(r"Tier 2</a></td><td>1</td>", html)
    assert "Hikari" not in html


def test_a_supplier_dashboard_counts_from_the_supplier_itself(personas: Personas) -> None:
    html = html_of(verified_client(personas.user_a1).get("/en/company/"))
    assert "1 supplier is registered below your organisation." in html
    html = html_of(verified_client(personas.user_a2).get("/en/company/"))
    assert "No supplier is registered below your organisation yet." in html


def test_the_supply_chain_lists_the_visible_chain_with_tiers(personas: Personas) -> None:
    html = html_of(verified_client(personas.admin_a).get("/en/company/supply-chain/"))
    assert "Sakura Packing" in html and "Minato Farm" in html
    assert personas.org_a2.corporate_number in html
    assert "Hikari" not in html and "Kizuna" not in html
    assert '<th scope="col">Tier</th>' in html


def test_the_supply_chain_can_be_searched_and_filtered_by_tier(personas: Personas) -> None:
    client = verified_client(personas.admin_a)
    by_name = html_of(client.get("/en/company/supply-chain/", {"q": "minato"}))
    assert "Minato Farm" in by_name and "Sakura Packing" not in by_name
    by_number = html_of(client.get("/en/company/supply-chain/", {"q": personas.org_a1.corporate_number}))
    assert "Sakura Packing" in by_number and "Minato Farm" not in by_number
    by_tier = html_of(client.get("/en/company/supply-chain/", {"tier": "2"}))
    assert "Minato Farm" in by_tier and "Sakura Packing" not in by_tier
    nonsense = client.get("/en/company/supply-chain/", {"tier": "abc", "page": "x"})
    assert nonsense.status_code == 200 and "Minato Farm" in html_of(nonsense)


def test_another_brand_holder_cannot_search_its_way_into_a_chain(personas: Personas) -> None:
    html = html_of(verified_client(personas.admin_b).get("/en/company/supply-chain/", {"q": "Sakura"}))
    assert "Sakura Packing" not in html and "No supplier matches." in html


def test_the_detail_page_shows_direct_suppliers_only(personas: Personas) -> None:
    html = html_of(verified_client(personas.admin_a).get(f"/en/company/organizations/{personas.org_a.pk}/"))
    assert "Sakura Packing" in html and "Minato Farm" not in html
    html = html_of(verified_client(personas.admin_a).get(f"/en/company/organizations/{personas.org_a2.pk}/"))
    assert "Tier 2 in your supply chain" in html


def test_a_suppliers_page_never_names_its_buyers(personas: Personas) -> None:
    html = html_of(verified_client(personas.user_a1).get(f"/en/company/organizations/{personas.org_a1.pk}/"))
    assert "Sakura Foods" not in html
    assert "Your organisation" in html


# --- audit -----------------------------------------------------------------------------------


def test_opening_an_organisation_is_audited(personas: Personas) -> None:
    verified_client(personas.admin_a).get(f"/en/company/organizations/{personas.org_a1.pk}/")
    entry = AuditEntry.objects.get(action="organization.view")
    assert entry.actor_id == personas.admin_a.pk
    assert entry.actor_organization_id == personas.org_a.pk
    assert entry.object_id == str(personas.org_a1.pk)


def test_a_refused_organisation_is_not_audited_as_seen(personas: Personas) -> None:
    verified_client(personas.admin_b).get(f"/en/company/organizations/{personas.org_a1.pk}/")
    assert not AuditEntry.objects.filter(action="organization.view").exists()


def test_the_supply_chain_list_and_export_are_audited(personas: Personas) -> None:
    client = verified_client(personas.admin_a)
    client.get("/en/company/supply-chain/")
    client.get("/en/company/supply-chain/export.csv")
    listed = AuditEntry.objects.get(action="supply_chain.view")
    assert listed.object_id == str(personas.org_a.pk) and listed.detail == {"page": 1, "shown": 2}
    exported = AuditEntry.objects.get(action="supply_chain.export")
    assert exported.detail == {"rows": 2}


# --- CSV export ------------------------------------------------------------------------------


def read_csv(response: object) -> list[list[str]]:
    content = response.content  # type: ignore[attr-defined]
    assert content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_the_export_holds_the_visible_chain_only(personas: Personas) -> None:
    response = verified_client(personas.admin_a).get("/en/company/supply-chain/export.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = read_csv(response)
    assert rows[0] == [
        "Tier",
        "Name",
        "Corporate number",
        "Foreign entity",
        "Prefecture",
        "Industry",
        "Address",
    ]
    assert [(row[0], row[1]) for row in rows[1:]] == [("1", "Sakura Packing"), ("2", "Minato Farm")]
    assert rows[1][2] == personas.org_a1.corporate_number and rows[1][4] == "Tokyo"


def test_a_suppliers_export_holds_its_own_suppliers_only(personas: Personas) -> None:
    rows = read_csv(verified_client(personas.user_a1).get("/en/company/supply-chain/export.csv"))
    assert [row[1] for row in rows[1:]] == ["Minato Farm"]
    rows = read_csv(verified_client(personas.admin_b).get("/en/company/supply-chain/export.csv"))
    assert [row[1] for row in rows[1:]] == ["Hikari Sewing"]


def test_the_export_keeps_japanese_text_and_defuses_spreadsheet_formulas(personas: Personas) -> None:
    supplier = make_org('=HYPERLINK("http://x")')
    SupplyChainLink.objects.create(buyer=personas.org_a2, supplier=supplier, tier=3)
    Organization.objects.filter(pk=personas.org_a2.pk).update(name="湊ファーム株式会社")
    rows = read_csv(verified_client(personas.admin_a).get("/ja/company/supply-chain/export.csv"))
    names = [row[1] for row in rows[1:]]
    assert "湊ファーム株式会社" in names
    assert '\'=HYPERLINK("http://x")' in names


# --- registering a supplier ------------------------------------------------------------------


def test_a_company_admin_registers_a_new_supplier(personas: Personas) -> None:
    client = verified_client(personas.admin_a)
    response = client.post("/en/company/supply-chain/add/", add_form(personas))
    created = Organization.objects.get(name="Chiba Boxes")
    assert response.status_code == 302
    assert response["Location"] == f"/en/company/organizations/{created.pk}/"
    assert SupplyChainLink.objects.get(supplier=created).buyer == personas.org_a1
    assert AuditEntry.objects.filter(action="organization.create", object_id=str(created.pk)).exists()
    assert AuditEntry.objects.filter(action="supply_link.create").exists()
    followed = html_of(client.get(response["Location"]))
    assert "Chiba Boxes was added as a supplier of Sakura Packing." in followed


def test_a_known_corporate_number_is_linked_not_duplicated(personas: Personas) -> None:
    client = verified_client(personas.admin_a)
    form = add_form(personas, name="Hikari Sewing Co.", corporate_number=personas.org_b1.corporate_number)
    response = client.post("/en/company/supply-chain/add/", {**form, "buyer": personas.org_a.pk, "tier": 1})
    assert response.status_code == 302
    assert Organization.objects.filter(corporate_number=personas.org_b1.corporate_number).count() == 1
    assert SupplyChainLink.objects.filter(buyer=personas.org_a, supplier=personas.org_b1).exists()
    followed = html_of(client.get(response["Location"]))
    assert "already registered on Koe and is now linked" in followed
    assert "its first user is invited by the Koe secretariat" in followed


def test_full_width_digits_are_accepted_in_the_form(personas: Personas) -> None:
    number = corporate_number()
    response = verified_client(personas.admin_a).post(
        "/en/company/supply-chain/add/", add_form(personas, corporate_number=full_width(number))
    )
    assert response.status_code == 302
    assert Organization.objects.get(name="Chiba Boxes").corporate_number == number


def test_a_wrong_corporate_number_is_explained_next_to_its_field(personas: Personas) -> None:
    response = verified_client(personas.admin_a).post(
        "/en/company/supply-chain/add/", add_form(personas, corporate_number="8000012050002")
    )
    assert response.status_code == 200
    html = html_of(response)
    assert re.search(
        r'id="id_corporate_number_error">\s*<li>This corporate number&#x27;s check digit is wrong', html
    )
    assert not Organization.objects.filter(name="Chiba Boxes").exists()


def test_a_japanese_supplier_without_a_number_is_refused_and_a_foreign_one_is_not(personas: Personas) -> None:
    client = verified_client(personas.admin_a)
    refused = client.post("/en/company/supply-chain/add/", add_form(personas, corporate_number=""))
    assert "A Japanese organisation needs its corporate number." in html_of(refused)
    accepted = client.post(
        "/en/company/supply-chain/add/", add_form(personas, corporate_number="", is_foreign="on")
    )
    assert accepted.status_code == 302


def test_a_loop_is_refused_next_to_the_buyer_field(personas: Personas) -> None:
    form = add_form(personas, corporate_number=personas.org_a.corporate_number, buyer=personas.org_a2.pk)
    response = verified_client(personas.admin_a).post("/en/company/supply-chain/add/", form)
    html = html_of(response)
    assert response.status_code == 200
    assert re.search(r'id="id_buyer_error">\s*<li>Minato Farm already supplies Sakura Foods through', html)


def test_errors_are_in_the_users_language(personas: Personas) -> None:
    response = verified_client(personas.admin_a).post(
        "/ja/company/supply-chain/add/", add_form(personas, name="", tier="0")
    )
    html = html_of(response)
    assert 'id="id_name_error"' in html and 'id="id_tier_error"' in html
    assert '<html lang="ja"' in html


def test_an_admin_cannot_register_a_supplier_under_another_chain(personas: Personas) -> None:
    response = verified_client(personas.admin_b).post(
        "/en/company/supply-chain/add/", add_form(personas, buyer=personas.org_a1.pk)
    )
    assert response.status_code == 200
    assert "Please choose a company from the list." in html_of(response)
    assert not Organization.objects.filter(name="Chiba Boxes").exists()


def test_a_supplier_admin_can_only_choose_buyers_below_itself(personas: Personas) -> None:
    html = html_of(verified_client(personas.user_a1).get("/en/company/supply-chain/add/"))
    assert "Sakura Packing" in html and "Minato Farm" in html
    assert "Sakura Foods" not in html
    response = verified_client(personas.user_a1).post(
        "/en/company/supply-chain/add/", add_form(personas, buyer=personas.org_a.pk)
    )
    assert "Please choose a company from the list." in html_of(response)


def test_the_detail_pages_button_preselects_its_organisation_as_buyer(personas: Personas) -> None:
    html = html_of(
        verified_client(personas.admin_a).get(f"/en/company/supply-chain/add/?buyer={personas.org_a2.pk}")
    )
    assert re.search(rf'<option value="{personas.org_a2.pk}" selected>', html)
