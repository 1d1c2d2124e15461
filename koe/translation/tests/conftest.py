from collections.abc import Iterator

import pytest
from django.core.cache import cache

from koe.translation.testing import FakeProvider, deepl_answer, fake_provider, libretranslate_answer


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    # Cached translations and a resting provider would otherwise leak from one test to the next.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def libretranslate() -> Iterator[FakeProvider]:
    with fake_provider(libretranslate_answer) as fake:
        yield fake


@pytest.fixture
def deepl() -> Iterator[FakeProvider]:
    with fake_provider(deepl_answer) as fake:
        yield fake
