import pytest

from koe.core.testing.personas import Personas, build_personas


@pytest.fixture
def personas(db: None) -> Personas:
    return build_personas()
