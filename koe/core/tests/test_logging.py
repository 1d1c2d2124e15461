"""Tokens in invitation and join links never reach the logs."""

import logging

from django.conf import settings

from koe.core.logging import RedactTokensFilter


def record(message: str, *args: object, name: str = "django.request") -> logging.LogRecord:
    return logging.LogRecord(name, logging.WARNING, __file__, 1, message, args, None)


def test_a_not_found_invitation_link_is_logged_without_its_token() -> None:
    entry = record("Not Found: %s", "/ja/company/invitation/Zq3-secret_token/")
    assert RedactTokensFilter().filter(entry) is True
    assert entry.getMessage() == "Not Found: /ja/company/invitation/[token]"


def test_a_development_server_request_line_is_logged_without_a_join_token() -> None:
    entry = record('"%s" %s %s', "GET /en/join/abcdef123/?x=1 HTTP/1.1", "404", "179", name="django.server")
    RedactTokensFilter().filter(entry)
    assert entry.getMessage() == '"GET /en/join/[token] HTTP/1.1" 404 179'


def test_other_paths_are_logged_unchanged() -> None:
    entry = record("Not Found: %s", "/en/company/users/")
    RedactTokensFilter().filter(entry)
    assert entry.getMessage() == "Not Found: /en/company/users/" and entry.args == ("/en/company/users/",)


def test_the_request_and_server_loggers_use_the_filter() -> None:
    for name in ("django.request", "django.server"):
        assert "redact_tokens" in settings.LOGGING["loggers"][name]["filters"]  # type: ignore[index]
        assert any(isinstance(f, RedactTokensFilter) for f in logging.getLogger(name).filters)
