"""Slowing down guesses of resume codes, without knowing who guesses.

Koe never sees an IP address, so guesses are limited twice: per browser session (a person who
mistypes gets a few tries) and across the whole site per hour (someone who throws sessions away
still cannot try more than a few thousand of the 10^12 codes a day).
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

SESSION_FAILURES = "selfcheck_resume_failures"
GLOBAL_KEY = "koe:selfcheck-resume-failures:{hour}"
SESSION_LIMIT = 5
SESSION_WINDOW = 15 * 60


def _hour() -> int:
    return int(time.time() // 3600)


def resume_is_locked(request: HttpRequest) -> bool:
    now = time.time()
    recent = [stamp for stamp in request.session.get(SESSION_FAILURES, []) if now - stamp < SESSION_WINDOW]
    global_failures = cache.get(GLOBAL_KEY.format(hour=_hour()), 0)
    return len(recent) >= SESSION_LIMIT or global_failures >= int(settings.KOE_RESUME_FAILURES_PER_HOUR)


def resume_failure_record(request: HttpRequest) -> None:
    now = time.time()
    recent = [stamp for stamp in request.session.get(SESSION_FAILURES, []) if now - stamp < SESSION_WINDOW]
    request.session[SESSION_FAILURES] = [*recent, now][-SESSION_LIMIT:]
    key = GLOBAL_KEY.format(hour=_hour())
    cache.add(key, 0, timeout=3600)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=3600)
