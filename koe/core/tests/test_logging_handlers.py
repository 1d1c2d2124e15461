"""Tokens in URLs are redacted by the console handler, whichever logger writes the record."""

import io
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings

TOKEN = "Zq3xTOKENsecret123"


@pytest.fixture
def console() -> Iterator[io.StringIO]:
    """The console handler as config/settings.py LOGGING configured it (at django.setup()), writing
    to a buffer."""
    logging_settings: dict[str, Any] = settings.LOGGING
    assert "redact_tokens" in logging_settings["handlers"]["console"]["filters"]
    handler = logging.getHandlerByName("console")
    assert isinstance(handler, logging.StreamHandler)
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    yield buffer
    handler.setStream(previous)


@pytest.mark.parametrize("name", ["django.security.csrf", "django.request", "koe.anything"])
def test_a_token_in_any_loggers_message_is_redacted(console: io.StringIO, name: str) -> None:
    logging.getLogger(name).warning(
        "Forbidden (%s): %s", "CSRF cookie not set.", f"/en/company/invitation/{TOKEN}/"
    )
    written = console.getvalue()
    assert "Forbidden (CSRF cookie not set.): /en/company/invitation/[token]" in written
    assert TOKEN not in written
