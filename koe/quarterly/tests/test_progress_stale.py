"""Fix from review: a report whose task was lost does not keep its page reloading for ever."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from koe.core.testing.personas import Personas, verified_client
from koe.quarterly.models import QuarterlyReport, ReportStatus
from koe.quarterly.services import STALE_AFTER
from koe.quarterly.testing import finished_report

pytestmark = pytest.mark.django_db


def progress_page(personas: Personas, requested_ago: timedelta) -> tuple[dict[str, str], str]:
    report = finished_report(personas.org_a)
    QuarterlyReport.objects.filter(pk=report.pk).update(
        status=ReportStatus.QUEUED, progress=0, requested_at=timezone.now() - requested_ago
    )
    with translation.override("en"):
        url = reverse("quarterly:progress", args=[report.pk])
    response = verified_client(personas.user_a).get(url)
    assert response.status_code == 200
    return dict(response.headers), response.content.decode()


def test_a_report_queued_too_long_ago_stops_reloading_and_offers_to_try_again(personas: Personas) -> None:
    headers, html = progress_page(personas, STALE_AFTER + timedelta(minutes=1))
    assert "Refresh" not in headers
    assert "This is taking longer than usual. Please try again." in html
    assert "Make this report again" in html


def test_a_report_queued_a_moment_ago_still_reloads(personas: Personas) -> None:
    headers, html = progress_page(personas, timedelta(minutes=1))
    assert headers["Refresh"] == "3"
    assert "taking longer than usual" not in html and "Make this report again" not in html
