"""Signing up, in and out in a real Chromium: the forms a worker and a company user really submit."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import BrowserContext

from conftest import screenshot
from koe.accounts.models import PrivacyConsent, User
from koe.core.testing.personas import PASSWORD, Personas

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_worker_registers_in_burmese_without_javascript_and_signs_in_again(
    live_server, phone_without_js: BrowserContext
) -> None:
    page = phone_without_js.new_page()
    page.goto(f"{live_server.url}/my/account/register/")
    page.fill("input[name=username]", "mya-mya")
    page.fill("input[name=password1]", "lotus pond 2026")
    page.fill("input[name=password2]", "lotus pond 2026 typo")
    page.check("input[name=consent]")
    page.locator("main button[type=submit]").click()
    # A mismatch keeps what was typed and explains, in Burmese, on the same page.
    assert page.input_value("input[name=username]") == "mya-mya"
    assert page.locator("main .errorlist, main .errors").count() >= 1
    screenshot(page, "register-my-360-error")
    page.fill("input[name=password1]", "lotus pond 2026")
    page.fill("input[name=password2]", "lotus pond 2026")
    page.check("input[value=my]")
    page.check("input[name=consent]")
    page.locator("main button[type=submit]").click()
    assert page.url == f"{live_server.url}/my/account/"
    screenshot(page, "account-my-360")
    worker = User.objects.get(username="mya-mya")
    assert PrivacyConsent.objects.filter(user=worker).count() == 1
    page.locator("footer button[type=submit]").click()  # sign out
    page.goto(f"{live_server.url}/my/account/login/")
    page.fill("input[name=username]", "Mya-Mya")  # phones capitalise the first letter
    page.fill("input[name=password]", "lotus pond 2026")
    page.locator("main button[type=submit]").click()
    assert page.url == f"{live_server.url}/my/account/"


def test_a_company_admin_needs_the_second_step_before_seeing_the_supply_chain(
    live_server, browser, personas: Personas
) -> None:
    context = browser.new_context(viewport={"width": 1024, "height": 800}, bypass_csp=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/ja/company/supply-chain/")
    page.fill("input[name=username]", personas.admin_a.username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main button[type=submit]").click()
    assert "/ja/account/two-factor/" in page.url
    page.goto(f"{live_server.url}/ja/company/")  # still refused without the code
    assert "/ja/account/two-factor/" in page.url
    device = TOTPDevice.objects.get(user=personas.admin_a)
    page.fill("input[name=code]", f"{totp(device.bin_key):06d}")
    page.press("input[name=code]", "Enter")
    page.wait_for_url(f"{live_server.url}/ja/company/")  # where it was last asked to go
    page.goto(f"{live_server.url}/ja/company/supply-chain/")
    assert page.locator("h1").count() == 1
    assert "Minato Farm" in page.content()
    assert "Hikari" not in page.content()
    assert Axe().run(page).response["violations"] == []
    screenshot(page, "company-supply-chain-ja")
    context.close()
