"""Slowing down guesses of resume codes, without knowing who guesses (see koe/core/throttle.py):
a few tries per browser session, a few thousand per hour across the whole site."""

from django.http import HttpRequest

from koe.core.throttle import GuessThrottle

RESUME_THROTTLE = GuessThrottle(
    session_key="selfcheck_resume_failures",
    cache_key="koe:selfcheck-resume-failures:{hour}",
    per_hour_setting="KOE_RESUME_FAILURES_PER_HOUR",
)


def resume_is_locked(request: HttpRequest) -> bool:
    return RESUME_THROTTLE.is_locked(request)


def resume_failure_record(request: HttpRequest) -> None:
    RESUME_THROTTLE.record_failure(request)
