"""Rule 3, "No trace": no address, device or referrer reaches views or logs."""

import logging
from typing import Any

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory

from koe.core.middleware import NoTraceMiddleware

ADDRESS = "203.0.113.77"
AGENT = "TraceMe/9.9 (Android 9; SM-J260F)"
IDENTIFYING: dict[str, Any] = {
    "REMOTE_ADDR": ADDRESS,
    "HTTP_USER_AGENT": AGENT,
    "HTTP_X_FORWARDED_FOR": ADDRESS,
    "HTTP_X_REAL_IP": ADDRESS,
    "HTTP_REFERER": "https://broker.example/chat?user=lan",
}


def test_views_never_see_an_address_a_device_or_a_referrer() -> None:
    seen: dict[str, str] = {}

    def view(request: HttpRequest) -> HttpResponse:
        seen.update({key: str(value) for key, value in request.META.items()})
        return HttpResponse()

    NoTraceMiddleware(view)(RequestFactory().get("/", **IDENTIFYING))
    values = " ".join(seen.values())
    assert ADDRESS not in values and "TraceMe" not in values and "broker.example" not in values
    assert seen["REMOTE_ADDR"] == "0.0.0.0"  # noqa: S104


@pytest.mark.django_db
def test_nothing_identifying_is_logged_even_for_errors_and_failed_sign_ins(
    caplog: pytest.LogCaptureFixture,
) -> None:
    client = Client(**IDENTIFYING)
    with caplog.at_level(logging.DEBUG):
        client.get("/vi/")
        client.get("/vi/no-such-page/")
        client.post("/vi/account/login/", {"username": "lan", "password": "wrong"})
        client.post("/vi/account/register/", {"username": "x"})
    assert caplog.records, "the requests should have logged something (the 404 at least)"
    assert ADDRESS not in caplog.text
    assert "TraceMe" not in caplog.text
