from collections.abc import Iterator

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    """Login throttling lives in the cache; each test starts with no failures counted."""
    cache.clear()
    yield
    cache.clear()
