"""A company admin imports a three-tier supply chain from a CSV file in a real browser without
JavaScript, on a 360-px phone: upload, the check's preview, the import, the chain."""

import pytest
from django.conf import settings
from playwright.sync_api import BrowserContext, FilePayload

from conftest import screenshot
from koe.core.testing.personas import Personas, verified_client
from koe.organizations.models import Organization
from koe.organizations.selectors import supply_chain_tiers
from koe.organizations.tests.factories import corporate_number

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_admin_imports_a_three_tier_chain_in_a_browser_without_javascript(
    live_server: object, phone_without_js: BrowserContext, personas: Personas
) -> None:
    url = live_server.url  # type: ignore[attr-defined]
    cookie = verified_client(personas.admin_a).cookies[settings.SESSION_COOKIE_NAME].value
    phone_without_js.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": url}])
    one, two, three = corporate_number(), corporate_number(), corporate_number()
    text = f"法人番号,会社名,階層,親会社法人番号\n{one},さくら包装,1,\n{two},みなと農園,2,{one}\n{three},<b>海の幸</b>,3,{two}\n"
    page = phone_without_js.new_page()
    page.goto(f"{url}/ja/company/supply-chain/import/")
    screenshot(page, "company-import-upload-360")
    page.set_input_files(
        "input[type=file]",
        files=FilePayload(name="chain.csv", mimeType="text/csv", buffer=text.encode("cp932")),
    )
    page.locator("form.card button[type=submit]").click()
    assert page.locator("h1").count() == 1
    screenshot(page, "company-import-preview-360")
    page.locator("form[action$='/confirm/'] button").click()
    screenshot(page, "company-import-done-360")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    tiers = supply_chain_tiers(personas.org_a)
    assert [tiers[Organization.objects.get(corporate_number=n).pk] for n in (one, two, three)] == [1, 2, 3]
    page.goto(f"{url}/ja/company/supply-chain/")
    assert page.get_by_text("<b>海の幸</b>").count() == 1  # shown as text, never as markup
