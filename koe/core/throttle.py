"""Slowing down guesses of secret codes (resume codes, receipt codes), without knowing who guesses.

Koe never sees an IP address, so guesses are limited twice: per browser session (a person who
mistypes gets a few tries) and across the whole site per hour (someone who throws sessions away
still cannot try more than a few thousand codes an hour).
"""

import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def _hour() -> int:
    return int(time.time() // 3600)


@dataclass(frozen=True)
class GuessThrottle:
    session_key: str  # where this session's recent failures are kept
    cache_key: str  # the site-wide count per hour, formatted with {hour}
    per_hour_setting: str  # name of the setting with the site-wide limit per hour
    session_limit: int = 5
    session_window: int = 15 * 60  # seconds

    def _recent(self, request: HttpRequest, now: float) -> list[float]:
        stamps = request.session.get(self.session_key, [])
        return [stamp for stamp in stamps if now - stamp < self.session_window]

    def is_locked(self, request: HttpRequest) -> bool:
        site_wide = cache.get(self.cache_key.format(hour=_hour()), 0)
        limit = int(getattr(settings, self.per_hour_setting))
        return len(self._recent(request, time.time())) >= self.session_limit or site_wide >= limit

    def record_failure(self, request: HttpRequest) -> None:
        now = time.time()
        request.session[self.session_key] = [*self._recent(request, now), now][-self.session_limit :]
        key = self.cache_key.format(hour=_hour())
        cache.add(key, 0, timeout=3600)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=3600)
