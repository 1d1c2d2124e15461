"""The self-check in a real Chromium at 360 px, in Burmese: without JavaScript and with it, through
to a red flag that shows advice to the worker and an alert at the desk."""

import tomllib

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import BrowserContext, Page

from conftest import SCREENSHOTS, screenshot
from koe.cases.models import Alert
from koe.core.testing.personas import Personas, verified_client
from koe.surveys.demo import WORKER_SELFCHECK, publish_worker_selfcheck
from koe.surveys.models import Response

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BURMESE = tomllib.loads((WORKER_SELFCHECK / "texts" / "my.toml").read_text(encoding="utf-8"))
VIOLENCE_PAGE, HOURS_PAGE, DOCUMENTS_PAGE = 8, 5, 3


def next_page(page: Page) -> None:
    page.locator("main button[name=next]").click()


def answer_through_to_review(page: Page) -> None:
    """Skip most questions (as a worker may), answer a few, one of them a red flag."""
    for number in range(1, 10):
        assert page.locator("h1").count() == 1
        if number == DOCUMENTS_PAGE:
            page.check("input[name=documents_held][value=me]")
        if number == HOURS_PAGE:
            page.fill("input[name=overtime_hours]", "30")
        if number == VIOLENCE_PAGE:
            page.check("input[name=violence][value=yes]")
        next_page(page)
    page.select_option("select[name=nationality]", "mm")
    next_page(page)  # about you → review


def test_a_worker_completes_the_selfcheck_in_burmese_without_javascript(
    live_server, phone_without_js: BrowserContext, personas: Personas
) -> None:
    publish_worker_selfcheck()
    page = phone_without_js.new_page()
    page.goto(f"{live_server.url}/my/self-check/")
    assert page.locator("html").get_attribute("lang") == "my"
    screenshot(page, "selfcheck-start-my-360")
    page.locator("main form button[type=submit]").first.click()
    page.check("input[name=contract_language][value=no]")
    next_page(page)
    # The worker's own Back button (not the browser's) keeps what they answered.
    page.locator("main button[name=back]").click()
    assert page.is_checked("input[name=contract_language][value=no]")
    screenshot(page, "selfcheck-page1-my-360")
    answer_through_to_review(page)
    screenshot(page, "selfcheck-review-my-360")
    page.locator("main form button[type=submit]").last.click()
    assert "/result/" in page.url
    advice = BURMESE["item.violence.advice"]
    assert advice.strip()[:30] in page.inner_text("main")
    assert page.locator(".alert-box").is_visible()
    screenshot(page, "selfcheck-result-my-360")
    page.locator(".alert-box").screenshot(path=str(SCREENSHOTS / "selfcheck-result-alert-my-360.png"))

    response = Response.objects.get(status="submitted")
    assert response.red_flag and response.severity == "critical" and response.worker is None
    alert = Alert.objects.get(response=response)
    assert alert.language == "my"
    queue = verified_client(personas.consultant).get("/ja/desk/alerts/").content.decode()
    assert str(alert.public_id) in queue


def test_with_javascript_a_dependent_question_appears_only_when_needed_and_pages_pass_axe(
    live_server, phone: BrowserContext
) -> None:
    publish_worker_selfcheck()
    page = phone.new_page()
    axe = Axe()
    page.goto(f"{live_server.url}/my/self-check/")
    assert axe.run(page).response["violations"] == []
    page.locator("main form button[type=submit]").first.click()
    # An answer is saved as soon as it is given: leaving with the browser's own Back button and
    # coming back (a fresh load from the server) keeps it.
    with page.expect_response(lambda r: r.request.method == "POST" and r.status == 204):
        page.check("input[name=contract_language][value=yes]")
    page.go_back()
    assert page.url.endswith("/my/self-check/")
    page.go_forward()
    page.reload()
    assert page.is_checked("input[name=contract_language][value=yes]")
    for number in range(1, 10):
        assert axe.run(page).response["violations"] == [], number
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, number
        if number == DOCUMENTS_PAGE:
            dependent = page.locator("[data-show-if=documents_held]")
            assert dependent.is_hidden()
            page.check("input[name=documents_held][value=employer]")
            assert dependent.is_visible()
            page.check("input[name=documents_access][value=no]")
            screenshot(page, "selfcheck-documents-my-360-js")
        next_page(page)
    assert axe.run(page).response["violations"] == []  # about you
    next_page(page)
    assert axe.run(page).response["violations"] == []  # review
    page.locator("main form button[type=submit]").last.click()
    assert "/result/" in page.url
    assert axe.run(page).response["violations"] == []
    screenshot(page, "selfcheck-result-my-360-js")
    # The worker asks to be contacted and shares one answer only.
    page.check("input[name=method][value=phone]")
    page.fill("input[name=detail]", "090-1234-5678")
    page.locator("input[name=shared_items]").first.check()
    page.locator(".alert-box button[type=submit]").click()
    assert page.locator(".alert-box .msg").is_visible()
    alert = Alert.objects.get()
    assert alert.contact_method == "phone" and alert.contact_detail == "090-1234-5678"
    assert len(alert.shared_items) == 1
