"""A stand-in for the dashboard's document builder, so that the pipeline (task, progress, files)
is tested on its own; test_integration.py runs it with the real builder."""

from collections.abc import Callable
from typing import Any

import pytest

from koe.quarterly import services
from koe.quarterly.testing import small_document
from koe.reports.document import ReportDocument


class FakeBuilder:
    def __init__(self, error: Exception | None = None) -> None:
        self.calls: list[dict[str, Any]] = []
        self.error = error

    def __call__(self, *, organization: Any, period: Any, language: str) -> ReportDocument:
        self.calls.append({"organization": organization, "period": period, "language": language})
        if self.error:
            raise self.error
        return small_document(language, organization_name=organization.name)


@pytest.fixture
def fake_builder(monkeypatch: pytest.MonkeyPatch) -> FakeBuilder:
    builder = FakeBuilder()
    monkeypatch.setattr(services, "_builder", lambda: builder)
    return builder


@pytest.fixture
def broken_builder(monkeypatch: pytest.MonkeyPatch) -> Callable[[Exception], FakeBuilder]:
    def install(error: Exception) -> FakeBuilder:
        builder = FakeBuilder(error)
        monkeypatch.setattr(services, "_builder", lambda: builder)
        return builder

    return install
