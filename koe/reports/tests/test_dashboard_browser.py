"""The dashboard on a 360-px phone: charts fit the screen, wide tables scroll inside their box."""

import pytest
from playwright.sync_api import BrowserContext
from pytest_django.live_server_helper import LiveServer

from conftest import screenshot, sign_in_with_two_factors
from koe.cases.models import CaseSeverity, Category
from koe.core.testing.personas import Personas
from koe.reports.dashboard import offered_quarters
from koe.reports.dashboard_testing import add_cases, moment_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_brand_holder_reads_the_dashboard_on_a_phone(
    live_server: LiveServer, phone: BrowserContext, personas: Personas
) -> None:
    latest = offered_quarters()[0]
    add_cases(personas.org_a, 14, moment_in(latest), categories=[Category.WAGES])
    add_cases(
        personas.org_a1, 9, moment_in(latest), categories=[Category.HOUSING], severity=CaseSeverity.URGENT
    )
    add_cases(personas.org_a2, 2, moment_in(latest), categories=[Category.HARASSMENT])
    page = phone.new_page()
    sign_in_with_two_factors(page, live_server.url, personas.admin_a, language="en")
    page.goto(f"{live_server.url}/en/company/insights/")
    assert page.locator("h1").inner_text().startswith("Insights")
    # Charts keep a readable size and scroll sideways inside their figure, as tables do.
    figures = page.evaluate(
        "Array.from(document.querySelectorAll('.chart-figure')).map(e => e.getBoundingClientRect().right)"
    )
    charts = page.evaluate(
        "Array.from(document.querySelectorAll('svg.chart')).map(e => e.getBoundingClientRect().width)"
    )
    assert figures and max(figures) <= 360
    assert min(charts) >= 30 * 16  # 30rem: labels stay legible
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # only .table-wrap scrolls
    screenshot(page, "insights-dashboard-en-360")
