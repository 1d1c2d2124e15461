"""Login throttling by user name, never by network address.

Koe never sees an IP address (NoTraceMiddleware removes it), so guessing is slowed per user
name instead: after ``KOE_LOGIN_FAILURE_LIMIT`` failures within ``KOE_LOGIN_LOCKOUT_SECONDS``
that name is refused until the oldest of those failures leaves the window. The counter lives in
the shared cache under a keyed hash of the casefolded name, so neither the cache nor its dumps
show which names were tried, and "Lan" and "lan" share one counter.

Unknown names are counted exactly like known ones, so a lock tells an attacker nothing about
whether an account exists. The clock is a parameter so that tests need not sleep.
"""

import math
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache

from koe.core.crypto import blind_index

Clock = Callable[[], float]


def _cache_key(username: str) -> str:
    return f"koe:login-failures:{blind_index(username, 'login-throttle')}"


def _window() -> int:
    return int(settings.KOE_LOGIN_LOCKOUT_SECONDS)


def _limit() -> int:
    return max(1, int(settings.KOE_LOGIN_FAILURE_LIMIT))


def _recent_failures(username: str, now: float) -> list[float]:
    stamps: list[float] = cache.get(_cache_key(username), [])
    return [stamp for stamp in stamps if now - stamp < _window()]


def login_lock_remaining(username: str, *, clock: Clock = time.time) -> int:
    """Seconds until ``username`` may try again; 0 when it is not locked."""
    now = clock()
    recent = _recent_failures(username, now)
    if len(recent) < _limit():
        return 0
    return max(1, math.ceil(recent[-_limit()] + _window() - now))


def login_is_locked(username: str, *, clock: Clock = time.time) -> bool:
    return login_lock_remaining(username, clock=clock) > 0


def login_failure_record(username: str, *, clock: Clock = time.time) -> None:
    now = clock()
    recent = [*_recent_failures(username, now), now]
    # Only the last ``limit`` failures can decide a lock, so the entry stays small.
    cache.set(_cache_key(username), recent[-_limit() :], timeout=_window())


def login_failures_reset(username: str) -> None:
    cache.delete(_cache_key(username))
