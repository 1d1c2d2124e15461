"""The report pages in a real browser on a 360-px phone with JavaScript off: nothing wider than
the screen, and the progress page reloads itself until the report is ready. Screenshots go to
artifacts/screenshots/ for a person to look at."""

import pytest
from django.conf import settings
from playwright.sync_api import BrowserContext

from conftest import screenshot
from koe.core.testing.personas import Personas, verified_client
from koe.quarterly.models import QuarterlyReport, ReportStatus, ReportStep
from koe.quarterly.testing import finished_report

pytestmark = pytest.mark.django_db(transaction=True)


def signed_in(context: BrowserContext, live_url: str, user: object) -> None:
    client = verified_client(user)  # type: ignore[arg-type]
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_url}])


def test_the_progress_page_reloads_itself_without_javascript_until_the_report_is_ready(
    live_server: object, phone_without_js: BrowserContext, personas: Personas
) -> None:
    url = live_server.url  # type: ignore[attr-defined]
    report = finished_report(personas.org_a, language="en")
    running = {"status": ReportStatus.RUNNING, "progress": 40, "step": ReportStep.PDF, "finished_at": None}
    QuarterlyReport.objects.filter(pk=report.pk).update(**running)
    signed_in(phone_without_js, url, personas.admin_a)
    page = phone_without_js.new_page()
    page.goto(f"{url}/en/company/reports/{report.pk}/")
    assert page.locator("progress").get_attribute("value") == "40"
    screenshot(page, "company-quarterly-progress-360")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    finished_report(personas.org_a, language="en")  # the task finishes meanwhile
    page.wait_for_selector("h2:text-is('Ready')", timeout=10_000)
    assert page.locator("progress").count() == 0
    assert page.locator("a", has_text="PDF").count() == 1
    page.goto(f"{url}/en/company/reports/")
    screenshot(page, "company-quarterly-list-360")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
