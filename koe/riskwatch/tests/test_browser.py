"""The programme and risk-alert pages in a real browser, on a 360-px phone: nothing wider than
the screen, screenshots for a person to look at (artifacts/screenshots/)."""

import importlib
from datetime import date, timedelta

import pytest
from django.apps import apps
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import BrowserContext

from conftest import screenshot
from koe.core.testing.personas import Personas, verified_client
from koe.programmes.tests.factories import subscribe
from koe.riskwatch.models import OrgRiskAlert
from koe.riskwatch.publication import publish_risk_alerts
from koe.riskwatch.tests.factories import local, red_flag_at

pytestmark = pytest.mark.django_db(transaction=True)


def signed_in(context: BrowserContext, live_url: str, user: object) -> None:
    client = verified_client(user)  # type: ignore[arg-type]
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_url}])


def fits(page: object) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")  # type: ignore[attr-defined]


def test_programme_and_alert_pages_fit_a_phone(
    live_server: object, phone: BrowserContext, personas: Personas
) -> None:
    url = live_server.url  # type: ignore[attr-defined]
    today = timezone.localdate()
    # A transactional test run earlier flushed the programmes the data migration made.
    importlib.import_module("koe.programmes.migrations.0002_seed_programmes").seed(apps, None)
    subscribe(personas.org_a, period=(today - timedelta(days=30), today + timedelta(days=330)),
              covered_companies=[personas.org_a1, personas.org_a2])  # fmt: skip
    red_flag_at(personas.org_a2, local(date(2026, 11, 10)))
    publish_risk_alerts(now=local(date(2026, 11, 20)))
    signed_in(phone, url, personas.admin_a)
    page = phone.new_page()
    alert = OrgRiskAlert.objects.get(organization=personas.org_a)
    for name, path in [
        ("programme", "/en/company/programme/"),
        ("risk-alerts", "/en/company/alerts/"),
        ("risk-alert", f"/en/company/alerts/{alert.public_id}/"),
    ]:
        page.goto(f"{url}{path}")
        assert page.locator("h1").count() == 1, name
        screenshot(page, f"company-{name}-360")
        assert fits(page), name
