"""A consultation in a real Chromium at 360 px, in Burmese: sent without an account and without
JavaScript, read again on another phone with the receipt code and PIN; the pages pass axe."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import BrowserContext

from conftest import screenshot
from koe.cases.models import Case
from koe.cases.services import desk_message_post
from koe.core.testing.personas import Personas

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_worker_consults_anonymously_in_burmese_and_reads_the_reply_on_another_phone(
    live_server, phone_without_js: BrowserContext, phone: BrowserContext, personas: Personas
) -> None:
    page = phone_without_js.new_page()
    page.goto(f"{live_server.url}/my/consult/")
    page.fill("textarea[name=account]", "ပတ်စပို့ကို အလုပ်ရှင်က သိမ်းထားတယ်")
    page.check("input[name=contact_method][value=none]")
    page.fill("input[name=pin]", "482913")
    page.fill("input[name=pin_again]", "482914")  # a slip: the PIN twice must match
    page.locator("main form button[type=submit]").click()
    assert page.locator("main .errors, main .errorlist").count() >= 1
    assert "ပတ်စပို့" in page.input_value("textarea[name=account]")  # nothing typed is lost
    page.fill("input[name=pin]", "482913")
    page.fill("input[name=pin_again]", "482913")
    page.locator("main form button[type=submit]").click()
    code = re.sub(r"\D", "", page.inner_text("main .code"))
    assert len(code) == 12
    assert page.locator("main .qr svg").count() == 1
    screenshot(page, "consult-receipt-my-360")
    case = Case.objects.get()
    assert case.worker is None and case.language == "my"
    desk_message_post(case=case, body="We received your message.", actor=personas.consultant)

    other_phone = phone.new_page()
    axe = Axe()
    other_phone.goto(f"{live_server.url}/my/consult/open/")
    assert axe.run(other_phone).response["violations"] == []
    other_phone.fill("input[name=code]", code)
    other_phone.fill("input[name=pin]", "482913")
    other_phone.locator("main form button[type=submit]").click()
    assert "We received your message." in other_phone.inner_text("main")
    assert axe.run(other_phone).response["violations"] == []
    assert other_phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(other_phone, "consult-case-my-360")
    other_phone.goto(f"{live_server.url}/my/consult/")
    assert axe.run(other_phone).response["violations"] == []
