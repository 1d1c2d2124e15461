"""The invite landing page in a real Chromium on a 360-px phone without JavaScript."""

import pytest
from playwright.sync_api import BrowserContext

from conftest import screenshot
from koe.accounts.models import WorkerProfile
from koe.core.testing.personas import Personas
from koe.reach.testing import invite_of_a1

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_worker_opens_a_burmese_invite_on_a_phone_and_registers_through_it(
    live_server, phone_without_js: BrowserContext, personas: Personas
) -> None:
    page = phone_without_js.new_page()
    page.goto(f"{live_server.url}/my/join/{invite_of_a1(personas).token}/")
    assert "Sakura Packing" in page.locator("main").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scrolling
    screenshot(page, "join-landing-my-360")
    page.locator("button[value=register]").click()
    assert page.url == f"{live_server.url}/my/account/register/"
    page.fill("input[name=username]", "mya-mya")
    page.fill("input[name=password1]", "lotus pond 2026")
    page.fill("input[name=password2]", "lotus pond 2026")
    page.check("input[value=my]")
    page.check("input[name=consent]")
    page.locator("main button[type=submit]").click()
    assert WorkerProfile.objects.get(user__username="mya-mya").employer == personas.org_a1
    page.goto(f"{live_server.url}/my/join/my-employer/")
    assert "Sakura Packing" in page.locator("main").inner_text()
    screenshot(page, "join-my-employer-my-360")
