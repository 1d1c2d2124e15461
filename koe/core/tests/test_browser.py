"""Worker pages in a real Chromium at 360 px: accessible, self-contained, and quick to leave."""

from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from playwright.sync_api import BrowserContext, Route

from config.languages import LANGUAGE_CODES
from conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = {"home": "", "register": "account/register/", "login": "account/login/", "privacy": "privacy/"}
AXE = Axe()


def serve_a_fake_neutral_site(context: BrowserContext) -> str:
    """The machine has no internet: answer for the neutral site so the browser can land there."""
    neutral_host = urlsplit(settings.KOE_QUICK_EXIT_URL).netloc

    def fake_neutral_site(route: Route) -> None:
        route.fulfill(status=200, content_type="text/html", body="<title>Weather</title>sunny")

    context.route(f"https://{neutral_host}/**", fake_neutral_site)
    return neutral_host


def describe(violations: list[dict]) -> str:
    return "; ".join(f"{v['id']}: {[n['target'] for n in v['nodes']][:3]}" for v in violations)


@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_worker_pages_have_no_axe_violations_in_any_language(
    live_server, phone: BrowserContext, language: str
) -> None:
    page = phone.new_page()
    foreign_requests: list[str] = []
    server_host = urlsplit(live_server.url).netloc
    page.on("request", lambda request: foreign_requests.append(request.url)
            if urlsplit(request.url).netloc != server_host else None)  # fmt: skip
    for name, path in PAGES.items():
        page.goto(f"{live_server.url}/{language}/{path}")
        results = AXE.run(page)
        violations = results.response["violations"]
        assert violations == [], f"{language} {name}: {describe(violations)}"
        if language in {"ja", "my", "ne"}:
            screenshot(page, f"{name}-{language}-360")
    assert foreign_requests == []


def test_nothing_overflows_sideways_at_360_px(live_server, phone: BrowserContext) -> None:
    page = phone.new_page()
    for language in ["my", "ne", "ja", "vi"]:
        for path in PAGES.values():
            page.goto(f"{live_server.url}/{language}/{path}")
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"/{language}/{path} is {overflow}px too wide"


def test_the_language_picker_works_without_javascript(live_server, phone_without_js: BrowserContext) -> None:
    page = phone_without_js.new_page()
    page.goto(f"{live_server.url}/ja/privacy/")
    page.locator("summary").click()
    page.get_by_role("link", name="မြန်မာ").click()
    assert page.url == f"{live_server.url}/my/privacy/"
    assert page.locator("html").get_attribute("lang") == "my"
    screenshot(page, "privacy-my-360-nojs")


def test_quick_exit_leaves_for_a_neutral_site_and_drops_the_page_from_history(
    live_server, phone: BrowserContext
) -> None:
    neutral_host = serve_a_fake_neutral_site(phone)
    page = phone.new_page()
    page.goto(f"{live_server.url}/ne/")
    page.goto(f"{live_server.url}/ne/privacy/")
    page.get_by_role("link", name=page.locator("#quick-exit").inner_text()).click()
    page.wait_for_url(f"https://{neutral_host}/**")
    assert page.title() == "Weather"
    page.go_back()
    # The privacy page was replaced in history; Back goes to the page before it.
    assert page.url == f"{live_server.url}/ne/"


def test_two_presses_of_escape_also_leave(live_server, phone: BrowserContext) -> None:
    page = phone.new_page()
    page.goto(f"{live_server.url}/vi/")
    with page.expect_response(f"{live_server.url}/exit/") as exit_response:
        page.keyboard.press("Escape")
        page.keyboard.press("Escape")
    assert exit_response.value.status == 302
    assert exit_response.value.headers["location"] == settings.KOE_QUICK_EXIT_URL
